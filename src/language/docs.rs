//! The documentation the editor shows (hover, completion info, signature help) and the
//! snippets it offers: data files compiled in and read once.
//!
//! The format (`src/language/docs/*.md`, written for people first): an entry starts with a
//! line `## <kind> <name>` and runs to the next `## `; right after that line come optional
//! header lines `signature: ...`, `link: ...`, `param <name>: <doc>` (and, in snippets,
//! `detail: ...`, `language: ...`), then a blank line, the body (plain text with `code`
//! spans), and at most one fenced code block, the example. Text before the first entry
//! introduces the file and is skipped.

use std::sync::OnceLock;

/// The documentation files, one per group of entries.
const DOC_FILES: &[&str] = &[
    include_str!("docs/states.md"),
    include_str!("docs/fields.md"),
    include_str!("docs/intrinsics.md"),
    include_str!("docs/jsonata.md"),
    include_str!("docs/errors.md"),
    include_str!("docs/context.md"),
    include_str!("docs/operators.md"),
    include_str!("docs/values.md"),
    include_str!("docs/mock.md"),
];

/// The snippets and field value templates (ours, in the same format).
const SNIPPETS: &str = include_str!("snippets.md");

/// One documentation entry.
#[derive(Debug, Default)]
pub(crate) struct Entry {
    pub kind: &'static str,
    pub name: &'static str,
    pub signature: Option<&'static str>,
    pub link: Option<&'static str>,
    /// `param` headers: the parameter's label and its doc, in order.
    pub params: Vec<(&'static str, &'static str)>,
    /// Other headers (`detail`, `language`, ...).
    pub headers: Vec<(&'static str, &'static str)>,
    /// The body: paragraphs separated by a blank line, each on one line.
    pub text: String,
    /// The fenced code block's content, if any.
    pub example: Option<String>,
}

impl Entry {
    /// A header other than signature, link and param.
    pub fn header(&self, name: &str) -> Option<&'static str> {
        self.headers.iter().find(|(n, _)| *n == name).map(|&(_, v)| v)
    }

    /// The first sentence of the body (for a one-line detail).
    pub fn first_sentence(&self) -> &str {
        let t = self.text.as_str();
        // A sentence ends at ". " outside `code` spans; a paragraph ends one too.
        let mut in_code = false;
        for (i, c) in t.char_indices() {
            match c {
                '`' => in_code = !in_code,
                '.' if !in_code && t[i + 1..].starts_with([' ', '\n']) => return &t[..i + 1],
                '\n' => return &t[..i],
                _ => {}
            }
        }
        t
    }
}

/// A set of entries, looked up by kind and name.
#[derive(Debug, Default)]
pub(crate) struct Docs {
    /// Sorted by (kind, name).
    entries: Vec<Entry>,
}

impl Docs {
    /// Reads entries from the given files.
    pub fn parse(files: &[&'static str]) -> Docs {
        let mut entries: Vec<Entry> = files.iter().flat_map(|f| parse_file(f)).collect();
        entries.sort_by(|a, b| (a.kind, a.name).cmp(&(b.kind, b.name)));
        Docs { entries }
    }

    /// The entry `## kind name`.
    pub fn get(&self, kind: &str, name: &str) -> Option<&Entry> {
        self.entries.binary_search_by(|e| (e.kind, e.name).cmp(&(kind, name))).ok().and_then(|i| self.entries.get(i))
    }

    /// Every entry of a kind, in name order.
    pub fn of_kind<'a>(&'a self, kind: &'a str) -> impl Iterator<Item = &'a Entry> + 'a {
        let from = self.entries.partition_point(|e| e.kind < kind);
        self.entries[from..].iter().take_while(move |e| e.kind == kind)
    }

    /// The documentation of a field of `container` (`field Task.ResultPath`, else `field ResultPath`).
    pub fn field(&self, container: &str, name: &str) -> Option<&Entry> {
        let qualified = format!("{container}.{name}");
        self.get("field", &qualified).or_else(|| self.get("field", name))
    }
}

/// The editor's documentation, read on first use.
pub(crate) fn docs() -> &'static Docs {
    static DOCS: OnceLock<Docs> = OnceLock::new();
    DOCS.get_or_init(|| Docs::parse(DOC_FILES))
}

/// The snippets, read on first use.
pub(crate) fn snippets() -> &'static Docs {
    static SNIPS: OnceLock<Docs> = OnceLock::new();
    SNIPS.get_or_init(|| Docs::parse(&[SNIPPETS]))
}

fn parse_file(file: &'static str) -> Vec<Entry> {
    let mut out = Vec::new();
    let mut current: Option<(Entry, Vec<&'static str>)> = None;
    for line in file.lines() {
        if let Some(title) = line.strip_prefix("## ") {
            if let Some((e, body)) = current.take() {
                out.push(finish(e, &body));
            }
            let (kind, name) = title.trim().split_once(' ').unwrap_or((title.trim(), ""));
            current = Some((Entry { kind, name: name.trim(), ..Entry::default() }, Vec::new()));
        } else if let Some((_, body)) = &mut current {
            body.push(line);
        }
    }
    if let Some((e, body)) = current.take() {
        out.push(finish(e, &body));
    }
    out
}

/// Fills an entry from the lines after its title.
fn finish(mut e: Entry, lines: &[&'static str]) -> Entry {
    let mut i = 0;
    while let Some(line) = lines.get(i) {
        if line.trim().is_empty() {
            break;
        }
        let Some((name, value)) = line.split_once(": ").or_else(|| line.strip_suffix(':').map(|n| (n, ""))) else {
            break;
        };
        let value = value.trim();
        if let Some(param) = name.strip_prefix("param ") {
            e.params.push((param.trim(), value));
        } else if name == "signature" {
            e.signature = Some(value);
        } else if name == "link" {
            e.link = Some(value);
        } else if !name.contains(' ') {
            e.headers.push((name, value));
        } else {
            break;
        }
        i += 1;
    }
    let mut paragraphs: Vec<String> = Vec::new();
    let mut para = String::new();
    let mut fence: Option<usize> = None;
    for (j, line) in lines.iter().enumerate().skip(i) {
        if let Some(start) = fence {
            if line.trim_start().starts_with("```") {
                e.example = Some(lines.get(start..j).unwrap_or_default().join("\n"));
                fence = None;
            }
            continue;
        }
        if line.trim_start().starts_with("```") {
            if e.example.is_none() {
                fence = Some(j + 1);
            }
            continue;
        }
        if line.trim().is_empty() {
            if !para.is_empty() {
                paragraphs.push(std::mem::take(&mut para));
            }
        } else {
            if !para.is_empty() {
                para.push(' ');
            }
            para.push_str(line.trim());
        }
    }
    if !para.is_empty() {
        paragraphs.push(para);
    }
    e.text = paragraphs.join("\n\n");
    e
}

#[cfg(test)]
mod tests {
    use super::*;

    const FIXTURE: &str = "# Intro\n\nskipped\n\n## intrinsic States.Format\nsignature: States.Format(template, value1, ...)\nparam template: the text\nparam value1, ...: the values\nlink: https://example.com/a\n\nBuilds a string. Second sentence\ncontinues here.\n\nAnother paragraph.\n\n```text\nStates.Format('{}', $.x)\n```\n\n## field Task.ResultPath\n\nWhere the result goes.\n";

    #[test]
    fn parses_entries_headers_body_and_example() {
        let docs = Docs::parse(&[FIXTURE]);
        let f = docs.get("intrinsic", "States.Format").unwrap();
        assert_eq!(f.signature, Some("States.Format(template, value1, ...)"));
        assert_eq!(f.params, vec![("template", "the text"), ("value1, ...", "the values")]);
        assert_eq!(f.link, Some("https://example.com/a"));
        assert_eq!(f.text, "Builds a string. Second sentence continues here.\n\nAnother paragraph.");
        assert_eq!(f.first_sentence(), "Builds a string.");
        assert_eq!(f.example.as_deref(), Some("States.Format('{}', $.x)"));
        assert_eq!(docs.field("Task", "ResultPath").unwrap().text, "Where the result goes.");
        assert!(docs.field("Pass", "ResultPath").is_none());
        assert_eq!(docs.of_kind("field").count(), 1);
    }

    #[test]
    fn the_shipped_docs_parse() {
        let docs = docs();
        assert_eq!(docs.of_kind("state").count(), 8);
        assert_eq!(docs.of_kind("intrinsic").count(), 18);
        for e in docs.entries.iter() {
            assert!(!e.name.is_empty(), "an entry without a name: {e:?}");
            assert!(!e.text.is_empty(), "{} {} has no text", e.kind, e.name);
        }
    }
}
