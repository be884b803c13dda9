//! Delimited text as the Distributed Map reads it: records of fields split by one ASCII
//! delimiter, `"`-quoted fields that may hold delimiters, quotes (doubled: `""`) and line
//! breaks, records ended by `\n`, `\r\n` or `\r`. Parsing is lenient and never fails: text
//! after a closing quote joins the field, an unclosed quote runs to the end of the text, and
//! lines with nothing on them are skipped. A final line break does not start a record.

use std::borrow::Cow;

/// An iterator over the records of delimited text; each record is its fields, borrowed from
/// the text where no quote had to be undone.
pub(super) struct Records<'a> {
    text: &'a str,
    pos: usize,
    delimiter: u8,
}

impl<'a> Records<'a> {
    /// Records of `text` split by `delimiter` (an ASCII byte).
    pub(super) fn new(text: &'a str, delimiter: u8) -> Records<'a> {
        Records { text, pos: 0, delimiter }
    }

    /// Byte offset of the next unread character.
    pub(super) fn position(&self) -> usize {
        self.pos
    }

    /// Reads one field starting at `self.pos`; returns it and whether the record ended after it.
    fn field(&mut self) -> (Cow<'a, str>, bool) {
        let bytes = self.text.as_bytes();
        let start = self.pos;
        if bytes.get(start) == Some(&b'"') {
            let mut value = String::new();
            let mut i = start + 1;
            let mut seg = i;
            loop {
                match bytes.get(i) {
                    None => {
                        value.push_str(&self.text[seg..]);
                        self.pos = i;
                        return (Cow::Owned(value), true);
                    }
                    Some(b'"') if bytes.get(i + 1) == Some(&b'"') => {
                        value.push_str(&self.text[seg..=i]);
                        i += 2;
                        seg = i;
                    }
                    Some(b'"') => {
                        value.push_str(&self.text[seg..i]);
                        self.pos = i + 1;
                        let (rest, ended) = self.unquoted();
                        value.push_str(&rest);
                        return (Cow::Owned(value), ended);
                    }
                    Some(_) => i += 1,
                }
            }
        }
        self.unquoted()
    }

    /// Reads unquoted text up to the delimiter or the end of the record, and steps past it.
    fn unquoted(&mut self) -> (Cow<'a, str>, bool) {
        let bytes = self.text.as_bytes();
        let start = self.pos;
        let mut i = start;
        while let Some(&b) = bytes.get(i) {
            if b == self.delimiter {
                self.pos = i + 1;
                return (Cow::Borrowed(&self.text[start..i]), false);
            }
            if b == b'\n' || b == b'\r' {
                self.pos = i + if b == b'\r' && bytes.get(i + 1) == Some(&b'\n') { 2 } else { 1 };
                return (Cow::Borrowed(&self.text[start..i]), true);
            }
            i += 1;
        }
        self.pos = i;
        (Cow::Borrowed(&self.text[start..i]), true)
    }
}

impl<'a> Iterator for Records<'a> {
    type Item = Vec<Cow<'a, str>>;

    fn next(&mut self) -> Option<Self::Item> {
        let bytes = self.text.as_bytes();
        while let Some(&b) = bytes.get(self.pos) {
            if b != b'\n' && b != b'\r' {
                break;
            }
            self.pos += 1;
        }
        if self.pos >= bytes.len() {
            return None;
        }
        let mut fields = Vec::new();
        loop {
            let (field, ended) = self.field();
            fields.push(field);
            if ended {
                return Some(fields);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str, delimiter: u8) -> Vec<Vec<String>> {
        Records::new(text, delimiter).map(|r| r.into_iter().map(|f| f.into_owned()).collect()).collect()
    }

    #[test]
    fn splits_records_and_fields() {
        assert_eq!(parse("a,b\n1,2\n", b','), [["a", "b"], ["1", "2"]]);
        assert_eq!(parse("a,b\r\n1,2", b','), [["a", "b"], ["1", "2"]]);
        assert_eq!(parse("a\rb", b','), [["a"], ["b"]]);
        assert_eq!(parse(",,,\n   \n", b','), vec![vec!["", "", "", ""], vec!["   "]]);
        assert_eq!(parse("x,\n", b','), [["x", ""]]);
    }

    #[test]
    fn skips_empty_lines_and_keeps_blank_ones() {
        assert_eq!(parse("\n\na\n\n\nb\n\n", b','), [["a"], ["b"]]);
        assert_eq!(parse(" \n", b','), [[" "]]);
        assert!(parse("", b',').is_empty());
    }

    #[test]
    fn quotes_hold_delimiters_quotes_and_line_breaks() {
        assert_eq!(parse("\"a,b\",\"say \"\"hi\"\"\"\n", b','), [["a,b", "say \"hi\""]]);
        assert_eq!(parse("\"line\nbreak\",x", b','), [["line\nbreak", "x"]]);
        assert_eq!(parse("\"\"", b','), [[""]]);
        assert_eq!(parse("a\"b,c", b','), [["a\"b", "c"]]);
    }

    #[test]
    fn is_lenient_with_broken_quotes() {
        assert_eq!(parse("\"ab\"cd,e", b','), [["abcd", "e"]]);
        assert_eq!(parse("\"unclosed,x\ny", b','), [["unclosed,x\ny"]]);
        assert_eq!(parse("\"", b','), [[""]]);
    }

    #[test]
    fn other_delimiters() {
        assert_eq!(parse("a|b\n", b'|'), [["a", "b"]]);
        assert_eq!(parse("a;b,c\n", b';'), [["a", "b,c"]]);
        assert_eq!(parse("a b\tc\n", b' '), [["a", "b\tc"]]);
        assert_eq!(parse("a b\tc\n", b'\t'), [["a b", "c"]]);
    }

    #[test]
    fn keeps_multibyte_text_whole() {
        assert_eq!(parse("é,\"ü\"\"ß\",中\n", b','), [["é", "ü\"ß", "中"]]);
        assert_eq!(parse("\u{0}\u{1},\u{7f}", b','), [["\u{0}\u{1}", "\u{7f}"]]);
    }
}
