//! Integer and date/time pictures (XPath F&O `format-integer`, `format-dateTime`), as the
//! reference implements them: `$formatInteger`/`$parseInteger` (decimal digit patterns in
//! any Unicode digit family, words, roman numerals, letters, ordinals) and
//! `$fromMillis`/`$toMillis` with picture strings and UTC offsets. All calendar arithmetic
//! is proleptic Gregorian in UTC; nothing reads the system clock.

use super::error::{Error, ErrorExt, Fail};
use super::regex::Regex;
use crate::time::{civil_from_days, days_from_civil};

const FEW: [&str; 20] = [
    "Zero",
    "One",
    "Two",
    "Three",
    "Four",
    "Five",
    "Six",
    "Seven",
    "Eight",
    "Nine",
    "Ten",
    "Eleven",
    "Twelve",
    "Thirteen",
    "Fourteen",
    "Fifteen",
    "Sixteen",
    "Seventeen",
    "Eighteen",
    "Nineteen",
];
const ORDINALS: [&str; 20] = [
    "Zeroth",
    "First",
    "Second",
    "Third",
    "Fourth",
    "Fifth",
    "Sixth",
    "Seventh",
    "Eighth",
    "Ninth",
    "Tenth",
    "Eleventh",
    "Twelfth",
    "Thirteenth",
    "Fourteenth",
    "Fifteenth",
    "Sixteenth",
    "Seventeenth",
    "Eighteenth",
    "Nineteenth",
];
const DECADES: [&str; 9] = ["Twenty", "Thirty", "Forty", "Fifty", "Sixty", "Seventy", "Eighty", "Ninety", "Hundred"];
const MAGNITUDES: [&str; 4] = ["Thousand", "Million", "Billion", "Trillion"];
const DAYS: [&str; 8] = ["", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];
const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];
const DECIMAL_GROUPS: [u32; 37] = [
    0x30, 0x0660, 0x06F0, 0x07C0, 0x0966, 0x09E6, 0x0A66, 0x0AE6, 0x0B66, 0x0BE6, 0x0C66, 0x0CE6, 0x0D66, 0x0DE6,
    0x0E50, 0x0ED0, 0x0F20, 0x1040, 0x1090, 0x17E0, 0x1810, 0x1946, 0x19D0, 0x1A80, 0x1A90, 0x1B50, 0x1BB0, 0x1C40,
    0x1C50, 0xA620, 0xA8D0, 0xA900, 0xA9D0, 0xA9F0, 0xAA50, 0xABF0, 0xFF10,
];
const MILLIS_IN_DAY: f64 = 86_400_000.0;
/// The largest time value JavaScript's `Date` holds.
const MAX_MILLIS: f64 = 8.64e15;

fn number_to_words(value: f64, ordinal: bool) -> String {
    fn lookup(num: f64, prev: bool, ord: bool) -> String {
        if num <= 19.0 {
            let n = num.max(0.0) as usize;
            format!("{}{}", if prev { " and " } else { "" }, if ord { ORDINALS[n] } else { FEW[n] })
        } else if num < 100.0 {
            let tens = (num / 10.0).floor() as usize;
            let rem = num % 10.0;
            let mut words = format!("{}{}", if prev { " and " } else { "" }, DECADES[tens - 2]);
            if rem > 0.0 {
                words = format!("{}-{}", words, lookup(rem, false, ord));
            } else if ord {
                words.pop();
                words.push_str("ieth");
            }
            words
        } else if num < 1000.0 {
            let hundreds = (num / 100.0).floor() as usize;
            let rem = num % 100.0;
            let mut words = format!("{}{} Hundred", if prev { ", " } else { "" }, FEW[hundreds]);
            if rem > 0.0 {
                words.push_str(&lookup(rem, true, ord));
            } else if ord {
                words.push_str("th");
            }
            words
        } else {
            // floor(log10(num) / 3), at most the largest magnitude named.
            let mut mag = 0;
            while mag < MAGNITUDES.len() && num >= 10f64.powi((mag as i32 + 1) * 3) {
                mag += 1;
            }
            let factor = 10f64.powi(mag as i32 * 3);
            let mant = (num / factor).floor();
            let rem = num - mant * factor;
            let mut words =
                format!("{}{} {}", if prev { ", " } else { "" }, lookup(mant, false, false), MAGNITUDES[mag - 1]);
            if rem > 0.0 {
                words.push_str(&lookup(rem, true, ord));
            } else if ord {
                words.push_str("th");
            }
            words
        }
    }
    lookup(value, false, ordinal)
}

/// Number words in the reference's key order (its regex alternation order).
fn word_values() -> Vec<(String, f64)> {
    let mut out: Vec<(String, f64)> = Vec::new();
    let mut add = |k: String, v: f64| {
        if let Some(e) = out.iter_mut().find(|(x, _)| *x == k) {
            e.1 = v;
        } else {
            out.push((k, v));
        }
    };
    for (i, w) in FEW.iter().enumerate() {
        add(w.to_ascii_lowercase(), i as f64);
    }
    for (i, w) in ORDINALS.iter().enumerate() {
        add(w.to_ascii_lowercase(), i as f64);
    }
    for (i, w) in DECADES.iter().enumerate() {
        let l = w.to_ascii_lowercase();
        let v = ((i + 2) * 10) as f64;
        add(l.clone(), v);
        add(format!("{}ieth", &l[..l.len() - 1]), v);
    }
    add("hundredth".into(), 100.0);
    for (i, w) in MAGNITUDES.iter().enumerate() {
        let l = w.to_ascii_lowercase();
        let v = 10f64.powi((i as i32 + 1) * 3);
        add(l.clone(), v);
        add(format!("{l}th"), v);
    }
    out
}

fn words_to_number(text: &str) -> f64 {
    let values = word_values();
    let mut parts: Vec<&str> = Vec::new();
    // split on ", ", " and ", whitespace, backslash or hyphen
    let mut rest = text;
    loop {
        let cut = [", ", " and "]
            .iter()
            .filter_map(|sep| rest.find(sep).map(|i| (i, sep.len())))
            .chain(
                rest.char_indices()
                    .find(|(_, c)| c.is_whitespace() || *c == '\\' || *c == '-')
                    .map(|(i, c)| (i, c.len_utf8())),
            )
            .min_by_key(|(i, _)| *i);
        match cut {
            Some((i, len)) => {
                parts.push(&rest[..i]);
                rest = &rest[i + len..];
            }
            None => {
                parts.push(rest);
                break;
            }
        }
    }
    let mut segs: Vec<f64> = vec![0.0];
    for part in parts {
        let value = values.iter().find(|(k, _)| k == part).map(|(_, v)| *v).unwrap_or(f64::NAN);
        if value < 100.0 {
            let mut top = segs.pop().unwrap_or(0.0);
            if top >= 1000.0 {
                segs.push(top);
                top = 0.0;
            }
            segs.push(top + value);
        } else {
            let top = segs.pop().unwrap_or(0.0);
            segs.push(top * value);
        }
    }
    segs.iter().sum()
}

const ROMAN: [(f64, &str); 13] = [
    (1000.0, "m"),
    (900.0, "cm"),
    (500.0, "d"),
    (400.0, "cd"),
    (100.0, "c"),
    (90.0, "xc"),
    (50.0, "l"),
    (40.0, "xl"),
    (10.0, "x"),
    (9.0, "ix"),
    (5.0, "v"),
    (4.0, "iv"),
    (1.0, "i"),
];

fn decimal_to_roman(mut value: f64) -> String {
    let mut out = String::new();
    'outer: while value >= 1.0 && out.len() < 100_000 {
        for (n, s) in ROMAN {
            if value >= n {
                out.push_str(s);
                value -= n;
                continue 'outer;
            }
        }
        break;
    }
    out
}

fn roman_to_decimal(roman: &str) -> f64 {
    let mut decimal = 0.0;
    let mut max = 1.0;
    for c in roman.chars().rev() {
        let v = match c {
            'M' => 1000.0,
            'D' => 500.0,
            'C' => 100.0,
            'L' => 50.0,
            'X' => 10.0,
            'V' => 5.0,
            'I' => 1.0,
            _ => f64::NAN,
        };
        if v < max {
            decimal -= v;
        } else {
            max = v;
            decimal += v;
        }
    }
    decimal
}

fn decimal_to_letters(mut value: f64, a: char) -> String {
    let mut letters = Vec::new();
    while value > 0.0 && letters.len() < 10_000 {
        let code = (value - 1.0) % 26.0;
        letters.push(char::from_u32(a as u32 + code as u32).unwrap_or(a));
        value = ((value - 1.0) / 26.0).floor();
    }
    letters.iter().rev().collect()
}

fn letters_to_decimal(letters: &str, a: char) -> f64 {
    let chars: Vec<char> = letters.chars().collect();
    let mut decimal = 0.0;
    for (i, c) in chars.iter().rev().enumerate() {
        decimal += (*c as i64 - a as i64 + 1) as f64 * 26f64.powi(i as i32);
    }
    decimal
}

#[derive(Clone, Copy, PartialEq, Debug)]
enum Primary {
    Decimal,
    Letters,
    Roman,
    Words,
    Sequence,
}

#[derive(Clone, Copy, PartialEq, Debug)]
enum Case {
    Upper,
    Lower,
    Title,
}

#[derive(Clone, Debug)]
struct IntFormat {
    primary: Primary,
    case: Case,
    ordinal: bool,
    zero_code: u32,
    mandatory: usize,
    optional: usize,
    regular: Option<(usize, char)>,
    separators: Vec<(usize, char)>,
    token: String,
    n: i64,
}

fn analyse_integer_picture(picture: &str) -> Result<IntFormat, Fail> {
    let mut f = IntFormat {
        primary: Primary::Decimal,
        case: Case::Lower,
        ordinal: false,
        zero_code: 0x30,
        mandatory: 0,
        optional: 0,
        regular: None,
        separators: Vec::new(),
        token: String::new(),
        n: -1,
    };
    let primary = match picture.rfind(';') {
        None => picture,
        Some(i) => {
            if picture[i + 1..].starts_with('o') {
                f.ordinal = true;
            }
            &picture[..i]
        }
    };
    match primary {
        "A" => {
            f.case = Case::Upper;
            f.primary = Primary::Letters;
        }
        "a" => f.primary = Primary::Letters,
        "I" => {
            f.case = Case::Upper;
            f.primary = Primary::Roman;
        }
        "i" => f.primary = Primary::Roman,
        "W" => {
            f.case = Case::Upper;
            f.primary = Primary::Words;
        }
        "Ww" => {
            f.case = Case::Title;
            f.primary = Primary::Words;
        }
        "w" => f.primary = Primary::Words,
        _ => {
            let mut zero: Option<u32> = None;
            let mut mandatory = 0;
            let mut optional = 0;
            let mut seps: Vec<(usize, char)> = Vec::new();
            let mut position = 0;
            for c in primary.chars().rev() {
                let cp = c as u32;
                let group = DECIMAL_GROUPS.iter().find(|&&g| cp >= g && cp <= g + 9);
                if let Some(&g) = group {
                    mandatory += 1;
                    position += 1;
                    match zero {
                        None => zero = Some(g),
                        Some(z) if z != g => return Err(Error::new("D3131")),
                        _ => {}
                    }
                } else if c == '#' {
                    position += 1;
                    optional += 1;
                } else {
                    seps.push((position, c));
                }
            }
            if mandatory > 0 {
                f.primary = Primary::Decimal;
                f.zero_code = zero.unwrap_or(0x30);
                f.mandatory = mandatory;
                f.optional = optional;
                let regular = regular_repeat(&seps);
                if regular > 0 {
                    f.regular = Some((regular, seps[0].1));
                } else {
                    f.separators = seps;
                }
            } else {
                f.primary = Primary::Sequence;
                f.token = primary.to_string();
            }
        }
    }
    Ok(f)
}

fn regular_repeat(seps: &[(usize, char)]) -> usize {
    if seps.is_empty() {
        return 0;
    }
    let c = seps[0].1;
    if seps.iter().any(|s| s.1 != c) {
        return 0;
    }
    fn gcd(a: usize, b: usize) -> usize {
        if b == 0 {
            a
        } else {
            gcd(b, a % b)
        }
    }
    let factor = seps.iter().map(|s| s.0).reduce(gcd).unwrap_or(0);
    if factor == 0 {
        return 0;
    }
    for i in 1..=seps.len() {
        if !seps.iter().any(|s| s.0 == i * factor) {
            return 0;
        }
    }
    factor
}

fn format_with(value: f64, f: &IntFormat) -> Result<String, Fail> {
    let negative = value < 0.0;
    let value = value.abs();
    let mut s = match f.primary {
        Primary::Letters => decimal_to_letters(value, if f.case == Case::Upper { 'A' } else { 'a' }),
        Primary::Roman => {
            let r = decimal_to_roman(value);
            if f.case == Case::Upper {
                r.to_ascii_uppercase()
            } else {
                r
            }
        }
        Primary::Words => {
            let w = number_to_words(value, f.ordinal);
            match f.case {
                Case::Upper => w.to_ascii_uppercase(),
                Case::Lower => w.to_ascii_lowercase(),
                Case::Title => w,
            }
        }
        Primary::Decimal => {
            let mut digits: Vec<char> = crate::host::to_string(value).chars().collect();
            if f.mandatory > digits.len() {
                let mut pad = vec!['0'; f.mandatory - digits.len()];
                pad.extend(digits);
                digits = pad;
            }
            if f.zero_code != 0x30 {
                digits =
                    digits.into_iter().map(|c| char::from_u32(c as u32 + f.zero_code - 0x30).unwrap_or(c)).collect();
            }
            if let Some((pos, ch)) = f.regular {
                let n = (digits.len().saturating_sub(1)) / pos;
                for ii in (1..=n).rev() {
                    let at = digits.len() - ii * pos;
                    digits.insert(at, ch);
                }
            } else {
                for &(pos, ch) in f.separators.iter().rev() {
                    if pos <= digits.len() {
                        let at = digits.len() - pos;
                        digits.insert(at, ch);
                    }
                }
            }
            let mut s: String = digits.iter().collect();
            if f.ordinal {
                let last = digits.last().copied();
                let before = if digits.len() > 1 { digits.get(digits.len() - 2).copied() } else { None };
                let suffix = match last {
                    Some('1') => "st",
                    Some('2') => "nd",
                    Some('3') => "rd",
                    _ => "th",
                };
                let suffix = if before == Some('1') { "th" } else { suffix };
                s.push_str(suffix);
            }
            s
        }
        Primary::Sequence => return Err(Error::new("D3130").value_str(&f.token)),
    };
    if negative {
        s.insert(0, '-');
    }
    Ok(s)
}

/// `$formatInteger(value, picture)`.
pub(crate) fn format_integer(value: f64, picture: &str) -> Result<String, Fail> {
    let f = analyse_integer_picture(picture)?;
    if !value.is_finite() {
        return Err(Error::new("D3001").value_num(value));
    }
    format_with(value.floor(), &f)
}

/// `$parseInteger(string, picture)`.
pub(crate) fn parse_integer(value: &str, picture: &str) -> Result<Option<f64>, Fail> {
    let f = analyse_integer_picture(picture)?;
    let m = integer_matcher(&f)?;
    Ok(Some((m.parse)(value)))
}

struct PartMatcher {
    regex: String,
    component: char,
    parse: Box<dyn Fn(&str) -> f64>,
}

fn parse_int_prefix(s: &str) -> f64 {
    let t = s.trim_start();
    let mut end = 0;
    for (i, c) in t.char_indices() {
        if c.is_ascii_digit() || (i == 0 && (c == '-' || c == '+')) {
            end = i + c.len_utf8();
        } else {
            break;
        }
    }
    crate::number_parse::parse_f64(&t[..end]).unwrap_or(f64::NAN)
}

fn integer_matcher(f: &IntFormat) -> Result<PartMatcher, Fail> {
    let upper = f.case == Case::Upper;
    let occurrences = if f.n > 0 { format!("{{{}}}", f.n) } else { "+".to_string() };
    Ok(match f.primary {
        Primary::Letters => PartMatcher {
            regex: if upper { "[A-Z]+".into() } else { "[a-z]+".into() },
            component: ' ',
            parse: Box::new(move |v| letters_to_decimal(v, if upper { 'A' } else { 'a' })),
        },
        Primary::Roman => PartMatcher {
            regex: if upper { "[MDCLXVI]+".into() } else { "[mdclxvi]+".into() },
            component: ' ',
            parse: Box::new(move |v| roman_to_decimal(&if upper { v.to_string() } else { v.to_ascii_uppercase() })),
        },
        Primary::Words => {
            let mut alts: Vec<String> = word_values().into_iter().map(|(k, _)| k).collect();
            alts.push("and".into());
            alts.push("[\\-, ]".into());
            PartMatcher {
                regex: format!("(?:{})+", alts.join("|")),
                component: ' ',
                parse: Box::new(|v| words_to_number(&v.to_ascii_lowercase())),
            }
        }
        Primary::Decimal => {
            let mut regex = format!("[0-9]{occurrences}");
            if f.ordinal {
                regex.push_str("(?:th|st|nd|rd)");
            }
            let f2 = f.clone();
            PartMatcher {
                regex,
                component: ' ',
                parse: Box::new(move |v| {
                    let mut digits: String = v.to_string();
                    if f2.ordinal {
                        let n = digits.chars().count();
                        digits = digits.chars().take(n.saturating_sub(2)).collect();
                    }
                    if f2.regular.is_some() {
                        digits = digits.replace(',', "");
                    } else {
                        for (_, c) in &f2.separators {
                            digits = digits.replace(*c, "");
                        }
                    }
                    if f2.zero_code != 0x30 {
                        digits = digits
                            .chars()
                            .map(|c| char::from_u32((c as u32).wrapping_sub(f2.zero_code) + 0x30).unwrap_or(c))
                            .collect();
                    }
                    parse_int_prefix(&digits)
                }),
            }
        }
        Primary::Sequence => return Err(Error::new("D3130").value_str(&f.token)),
    })
}

#[derive(Clone, Debug)]
struct Marker {
    component: char,
    width: Option<(Option<usize>, Option<usize>)>,
    pres1: String,
    pres2: Option<char>,
    names: Option<Case>,
    int_format: Option<IntFormat>,
    n: i64,
}

#[derive(Clone, Debug)]
enum Part {
    Literal(String),
    Marker(Marker),
}

fn default_presentation(c: char) -> Option<&'static str> {
    Some(match c {
        'Y' | 'M' | 'D' | 'd' | 'W' | 'w' | 'X' | 'x' | 'H' | 'h' | 'f' => "1",
        'F' | 'P' | 'C' | 'E' => "n",
        'm' | 's' => "01",
        'Z' | 'z' => "01:01",
        _ => return None,
    })
}

fn analyse_datetime_picture(picture: &str) -> Result<Vec<Part>, Fail> {
    let chars: Vec<char> = picture.chars().collect();
    let mut parts = Vec::new();
    let add_literal = |parts: &mut Vec<Part>, start: usize, end: usize| {
        if end > start {
            let lit: String = chars[start..end].iter().collect();
            parts.push(Part::Literal(lit.replace("]]", "]")));
        }
    };
    let mut start = 0;
    let mut pos = 0;
    while pos < chars.len() {
        if chars[pos] == '[' {
            if chars.get(pos + 1) == Some(&'[') {
                add_literal(&mut parts, start, pos);
                parts.push(Part::Literal("[".into()));
                pos += 2;
                start = pos;
                continue;
            }
            add_literal(&mut parts, start, pos);
            start = pos;
            let Some(close) = chars[start..].iter().position(|&c| c == ']').map(|i| i + start) else {
                return Err(Error::new("D3135"));
            };
            pos = close;
            let marker: String = chars[start + 1..pos].iter().filter(|c| !c.is_whitespace()).collect();
            let mchars: Vec<char> = marker.chars().collect();
            let component = mchars.first().copied().unwrap_or(' ');
            let mut def = Marker {
                component,
                width: None,
                pres1: String::new(),
                pres2: None,
                names: None,
                int_format: None,
                n: -1,
            };
            let comma = mchars.iter().rposition(|&c| c == ',');
            let pres_mod: String = match comma {
                Some(ci) => {
                    let wm: String = mchars[ci + 1..].iter().collect();
                    let parse_width = |s: Option<&str>| -> Option<usize> {
                        match s {
                            None | Some("*") => None,
                            Some(s) => {
                                let n = parse_int_prefix(s);
                                if n.is_nan() {
                                    None
                                } else {
                                    Some(n.max(0.0) as usize)
                                }
                            }
                        }
                    };
                    let (min, max) = match wm.find('-') {
                        None => (parse_width(Some(&wm)), None),
                        Some(d) => (parse_width(Some(&wm[..d])), parse_width(Some(&wm[d + 1..]))),
                    };
                    def.width = Some((min, max));
                    mchars.get(1..ci).unwrap_or(&[]).iter().collect()
                }
                None => mchars.iter().skip(1).collect(),
            };
            let pm: Vec<char> = pres_mod.chars().collect();
            let pres1: Option<String> = if pm.len() == 1 {
                Some(pres_mod.clone())
            } else if pm.len() > 1 {
                let last = pm[pm.len() - 1];
                if "atco".contains(last) {
                    def.pres2 = Some(last);
                    Some(pm[..pm.len() - 1].iter().collect())
                } else {
                    Some(pres_mod.clone())
                }
            } else {
                default_presentation(component).map(str::to_string)
            };
            let Some(pres1) = pres1 else {
                return Err(Error::new("D3132").value_str(&component.to_string()));
            };
            def.pres1 = pres1;
            let p1: Vec<char> = def.pres1.chars().collect();
            if p1.first() == Some(&'n') {
                def.names = Some(Case::Lower);
            } else if p1.first() == Some(&'N') {
                def.names = Some(if p1.get(1) == Some(&'n') { Case::Title } else { Case::Upper });
            } else if "YMDdFWwXxHhmsf".contains(component) {
                let mut pattern = def.pres1.clone();
                if let Some(p2) = def.pres2 {
                    pattern.push(';');
                    pattern.push(p2);
                }
                let mut f = analyse_integer_picture(&pattern)?;
                if let Some((Some(min), _)) = def.width {
                    if f.mandatory < min {
                        f.mandatory = min;
                    }
                }
                def.n = -1;
                if let Some((_, Some(max))) = def.width {
                    def.n = max as i64;
                    if component == 'Y' {
                        f.mandatory = max;
                    }
                } else {
                    let w = f.mandatory + f.optional;
                    if w >= 2 && (component == 'Y' || f.optional == 0) {
                        def.n = w as i64;
                    }
                }
                def.int_format = Some(f);
            }
            if component == 'Z' || component == 'z' {
                def.int_format = Some(analyse_integer_picture(&def.pres1)?);
            }
            parts.push(Part::Marker(def));
            start = pos + 1;
        }
        pos += 1;
    }
    add_literal(&mut parts, start, pos.min(chars.len()));
    Ok(parts)
}

/// `Date.UTC(year, month0, day, h, m, s, ms)` with JavaScript's normalisation.
fn date_utc(y: f64, m0: f64, d: f64, h: f64, mi: f64, s: f64, ms: f64) -> f64 {
    if [y, m0, d, h, mi, s, ms].iter().any(|v| !v.is_finite() || v.abs() > 1e9) {
        return f64::NAN;
    }
    let y = y.trunc();
    let y = if (0.0..=99.0).contains(&y) { 1900.0 + y } else { y };
    let m0 = m0.trunc();
    let ym = y + (m0 / 12.0).floor();
    let mn = m0.rem_euclid(12.0);
    let days = days_from_civil(ym as i64, mn as u32 + 1, 1) as f64 + d.trunc() - 1.0;
    days * MILLIS_IN_DAY + h.trunc() * 3_600_000.0 + mi.trunc() * 60_000.0 + s.trunc() * 1000.0 + ms.trunc()
}

/// A UTC date-time broken into fields.
struct DateTime {
    millis: f64,
    year: i64,
    month0: i64,
    day: i64,
    hours: i64,
    minutes: i64,
    seconds: i64,
    ms: i64,
    weekday: i64,
}

impl DateTime {
    fn from_millis(millis: f64) -> DateTime {
        let millis = millis.trunc();
        let days = (millis / MILLIS_IN_DAY).floor();
        let rem = (millis - days * MILLIS_IN_DAY) as i64;
        let (y, m, d) = civil_from_days(days as i64);
        let (m, d) = (i64::from(m), i64::from(d));
        DateTime {
            millis,
            year: y,
            month0: m - 1,
            day: d,
            hours: rem / 3_600_000,
            minutes: rem / 60_000 % 60,
            seconds: rem / 1000 % 60,
            ms: rem % 1000,
            weekday: (days as i64 + 4).rem_euclid(7),
        }
    }
}

fn start_of_first_week(year: i64, month0: i64) -> f64 {
    let jan1 = date_utc(year as f64, month0 as f64, 1.0, 0.0, 0.0, 0.0, 0.0);
    let mut day = DateTime::from_millis(jan1).weekday;
    if day == 0 {
        day = 7;
    }
    if day > 4 {
        jan1 + (8 - day) as f64 * MILLIS_IN_DAY
    } else {
        jan1 - (day - 1) as f64 * MILLIS_IN_DAY
    }
}

fn delta_weeks(start: f64, end: f64) -> f64 {
    (end - start) / (MILLIS_IN_DAY * 7.0) + 1.0
}

enum Fragment {
    Num(f64),
    Text(&'static str),
    None,
}

fn fragment(date: &DateTime, component: char) -> Fragment {
    let ym = |y: i64, m: i64| -> (i64, i64) {
        if m < 0 {
            (y - 1, 11)
        } else if m > 11 {
            (y + 1, 0)
        } else {
            (y, m)
        }
    };
    Fragment::Num(match component {
        'Y' => date.year as f64,
        'M' => (date.month0 + 1) as f64,
        'D' => date.day as f64,
        'd' => {
            let today = date_utc(date.year as f64, date.month0 as f64, date.day as f64, 0.0, 0.0, 0.0, 0.0);
            let first = date_utc(date.year as f64, 0.0, 1.0, 0.0, 0.0, 0.0, 0.0);
            (today - first) / MILLIS_IN_DAY + 1.0
        }
        'F' => {
            if date.weekday == 0 {
                7.0
            } else {
                date.weekday as f64
            }
        }
        'W' => {
            let start = start_of_first_week(date.year, 0);
            let today = date_utc(date.year as f64, date.month0 as f64, date.day as f64, 0.0, 0.0, 0.0, 0.0);
            let mut week = delta_weeks(start, today);
            if week > 52.0 {
                if today >= start_of_first_week(date.year + 1, 0) {
                    week = 1.0;
                }
            } else if week < 1.0 {
                week = delta_weeks(start_of_first_week(date.year - 1, 0), today);
            }
            week.floor()
        }
        'w' => {
            let start = start_of_first_week(date.year, date.month0);
            let today = date_utc(date.year as f64, date.month0 as f64, date.day as f64, 0.0, 0.0, 0.0, 0.0);
            let mut week = delta_weeks(start, today);
            if week > 4.0 {
                let (ny, nm) = ym(date.year, date.month0 + 1);
                if today >= start_of_first_week(ny, nm) {
                    week = 1.0;
                }
            } else if week < 1.0 {
                let (py, pm) = ym(date.year, date.month0 - 1);
                week = delta_weeks(start_of_first_week(py, pm), today);
            }
            week.floor()
        }
        'X' => {
            let start = start_of_first_week(date.year, 0);
            let end = start_of_first_week(date.year + 1, 0);
            if date.millis < start {
                (date.year - 1) as f64
            } else if date.millis >= end {
                (date.year + 1) as f64
            } else {
                date.year as f64
            }
        }
        'x' => {
            let start = start_of_first_week(date.year, date.month0);
            let (ny, nm) = ym(date.year, date.month0 + 1);
            let end = start_of_first_week(ny, nm);
            if date.millis < start {
                (ym(date.year, date.month0 - 1).1 + 1) as f64
            } else if date.millis >= end {
                (nm + 1) as f64
            } else {
                (date.month0 + 1) as f64
            }
        }
        'H' => date.hours as f64,
        'h' => {
            let h = date.hours % 12;
            if h == 0 {
                12.0
            } else {
                h as f64
            }
        }
        'P' => return Fragment::Text(if date.hours >= 12 { "pm" } else { "am" }),
        'm' => date.minutes as f64,
        's' => date.seconds as f64,
        'f' => date.ms as f64,
        'C' | 'E' => return Fragment::Text("ISO"),
        _ => return Fragment::None,
    })
}

fn iso_parts() -> Vec<Part> {
    analyse_datetime_picture("[Y0001]-[M01]-[D01]T[H01]:[m01]:[s01].[f001][Z01:01t]").unwrap_or_default()
}

fn parse_int_js(s: &str) -> f64 {
    parse_int_prefix(s)
}

/// `$fromMillis(millis, picture, timezone)`.
pub(crate) fn from_millis(millis: f64, picture: Option<&str>, timezone: Option<&str>) -> Result<String, Fail> {
    let (mut oh, mut om) = (0.0, 0.0);
    if let Some(tz) = timezone {
        let offset = parse_int_js(tz);
        oh = (offset / 100.0).floor();
        om = offset % 100.0;
    }
    let parts = match picture {
        None => iso_parts(),
        Some(p) => analyse_datetime_picture(p)?,
    };
    let offset_millis = (60.0 * oh + om) * 60_000.0;
    let shifted = millis + offset_millis;
    // Negated on purpose: NaN is out of range too.
    #[allow(clippy::neg_cmp_op_on_partial_ord)]
    if !(shifted.abs() <= MAX_MILLIS) {
        // Outside JavaScript's Date range (±8.64e15 ms): an Invalid Date.
        return Err(Error::new("D3001").value_num(millis));
    }
    let date = DateTime::from_millis(shifted);
    let mut out = String::new();
    for part in &parts {
        match part {
            Part::Literal(s) => out.push_str(s),
            Part::Marker(m) => out.push_str(&format_component(&date, m, oh, om)?),
        }
    }
    Ok(out)
}

fn format_component(date: &DateTime, m: &Marker, oh: f64, om: f64) -> Result<String, Fail> {
    let frag = fragment(date, m.component);
    let c = m.component;
    if "YMDdFWwXxHhms".contains(c) {
        let Fragment::Num(mut v) = frag else { return Ok(String::new()) };
        if c == 'Y' && m.n != -1 {
            v %= 10f64.powi(m.n as i32);
        }
        if let Some(case) = m.names {
            let name = if c == 'M' || c == 'x' {
                MONTHS.get((v as usize).wrapping_sub(1)).copied().unwrap_or("")
            } else if c == 'F' {
                DAYS.get(v as usize).copied().unwrap_or("")
            } else {
                return Err(Error::new("D3133").value_str(&c.to_string()));
            };
            let mut name = match case {
                Case::Upper => name.to_ascii_uppercase(),
                Case::Lower => name.to_ascii_lowercase(),
                Case::Title => name.to_string(),
            };
            if let Some((_, Some(max))) = m.width {
                if name.chars().count() > max {
                    name = name.chars().take(max).collect();
                }
            }
            return Ok(name);
        }
        return match &m.int_format {
            Some(f) => format_with(v, f),
            None => Ok(crate::host::to_string(v)),
        };
    }
    if c == 'f' {
        let Fragment::Num(v) = frag else { return Ok(String::new()) };
        return match &m.int_format {
            Some(f) => format_with(v, f),
            None => Ok(crate::host::to_string(v)),
        };
    }
    if c == 'Z' || c == 'z' {
        let offset = oh * 100.0 + om;
        let Some(f) = &m.int_format else { return Ok(String::new()) };
        let mut s = if f.regular.is_some() {
            format_with(offset, f)?
        } else {
            let digits = f.mandatory;
            if digits == 1 || digits == 2 {
                let mut s = format_with(oh, f)?;
                if om != 0.0 {
                    s.push(':');
                    s.push_str(&format_integer(om, "00")?);
                }
                s
            } else if digits == 3 || digits == 4 {
                format_with(offset, f)?
            } else {
                return Err(Error::new("D3134").value_num(digits as f64));
            }
        };
        if offset >= 0.0 {
            s.insert(0, '+');
        }
        if c == 'z' {
            s.insert_str(0, "GMT");
        }
        if offset == 0.0 && m.pres2 == Some('t') {
            s = "Z".into();
        }
        return Ok(s);
    }
    Ok(match frag {
        Fragment::Text(t) if c == 'P' => match m.names {
            Some(Case::Upper) => t.to_ascii_uppercase(),
            _ => t.to_string(),
        },
        Fragment::Text(t) => t.to_string(),
        Fragment::Num(n) => crate::host::to_string(n),
        Fragment::None => String::new(),
    })
}

fn escape_regex(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        if ".*+?^${}()|[]\\".contains(c) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

fn datetime_matcher(m: &Marker) -> Result<PartMatcher, Fail> {
    let c = m.component;
    if c == 'Z' || c == 'z' {
        let sep = m.int_format.as_ref().and_then(|f| f.regular.map(|r| r.1));
        let mut regex = String::new();
        if c == 'z' {
            regex.push_str("GMT");
        }
        regex.push_str("[-+][0-9]+");
        if let Some(s) = sep {
            regex.push_str(&escape_regex(&s.to_string()));
            regex.push_str("[0-9]+");
        }
        let is_z = c == 'z';
        return Ok(PartMatcher {
            regex,
            component: c,
            parse: Box::new(move |v| {
                let v = if is_z { v.get(3..).unwrap_or("") } else { v };
                let (h, mi) = match sep.and_then(|s| v.find(s).map(|i| (i, s))) {
                    Some((i, s)) => (parse_int_js(&v[..i]), parse_int_js(&v[i + s.len_utf8()..])),
                    None => {
                        let n = v.chars().count().saturating_sub(1);
                        if n <= 2 {
                            (parse_int_js(v), 0.0)
                        } else {
                            (parse_int_js(v.get(..3).unwrap_or(v)), parse_int_js(v.get(3..).unwrap_or("")))
                        }
                    }
                };
                h * 60.0 + mi
            }),
        });
    }
    if let Some(f) = &m.int_format {
        let mut f = f.clone();
        f.n = m.n;
        let mut pm = integer_matcher(&f)?;
        pm.component = c;
        if c == 'f' {
            pm.parse = Box::new(|v| {
                let digits: String = v.chars().take_while(char::is_ascii_digit).collect();
                crate::number_parse::parse_f64(&format!("0.{digits}"))
                    .map(|x| (x * 1000.0 + 1e-9).trunc())
                    .unwrap_or(f64::NAN)
            });
        }
        return Ok(pm);
    }
    let lookup: Vec<(String, f64)> = if c == 'M' || c == 'x' {
        MONTHS
            .iter()
            .enumerate()
            .map(|(i, name)| {
                let key = match m.width {
                    Some((_, Some(max))) if max > 0 => name.chars().take(max).collect(),
                    _ => name.to_string(),
                };
                (key, (i + 1) as f64)
            })
            .collect()
    } else if c == 'F' {
        DAYS.iter()
            .enumerate()
            .skip(1)
            .map(|(i, name)| {
                let key = match m.width {
                    Some((_, Some(max))) if max > 0 => name.chars().take(max).collect(),
                    _ => name.to_string(),
                };
                (key, i as f64)
            })
            .collect()
    } else if c == 'P' {
        vec![("am".into(), 0.0), ("AM".into(), 0.0), ("pm".into(), 1.0), ("PM".into(), 1.0)]
    } else {
        return Err(Error::new("D3133").value_str(&c.to_string()));
    };
    Ok(PartMatcher {
        regex: "[a-zA-Z]+".into(),
        component: c,
        parse: Box::new(move |v| lookup.iter().find(|(k, _)| k == v).map(|(_, n)| *n).unwrap_or(f64::NAN)),
    })
}

fn parse_datetime(timestamp: &str, picture: &str, now_millis: f64) -> Result<Option<f64>, Fail> {
    let parts = analyse_datetime_picture(picture)?;
    let mut matchers: Vec<Option<PartMatcher>> = Vec::new();
    let mut regex = String::from("^");
    for part in &parts {
        match part {
            Part::Literal(s) => {
                regex.push('(');
                regex.push_str(&escape_regex(s));
                regex.push(')');
                matchers.push(None);
            }
            Part::Marker(m) => {
                let pm = datetime_matcher(m)?;
                regex.push('(');
                regex.push_str(&pm.regex);
                regex.push(')');
                matchers.push(Some(pm));
            }
        }
    }
    regex.push('$');
    let re = Regex::new(&regex, "i")?;
    let chars: Vec<char> = timestamp.chars().collect();
    let Some(caps) = re.find_at(&chars, 0)? else { return Ok(None) };
    let mut comps: Vec<(char, f64)> = Vec::new();
    for (i, m) in matchers.iter().enumerate() {
        if let Some(pm) = m {
            let text: String =
                caps.get(i + 1).copied().flatten().map(|(a, b)| chars[a..b].iter().collect()).unwrap_or_default();
            let v = (pm.parse)(&text);
            match comps.iter_mut().find(|(k, _)| *k == pm.component) {
                Some(e) => e.1 = v,
                None => comps.push((pm.component, v)),
            }
        }
    }
    if comps.is_empty() {
        return Ok(None);
    }
    let get = |comps: &[(char, f64)], c: char| comps.iter().find(|(k, _)| *k == c).map(|(_, v)| *v);
    let truthy = |v: Option<f64>| v.is_some_and(|x| x != 0.0 && !x.is_nan());
    let mask_of = |comps: &[(char, f64)], order: &str| -> u32 {
        let mut mask = 0u32;
        for c in order.chars() {
            mask = (mask << 1) | truthy(get(comps, c)) as u32;
        }
        mask
    };
    let is_type = |mask: u32, t: u32| (!t & mask) == 0 && (t & mask) != 0;
    let dmask = mask_of(&comps, "YXMxWwdD");
    let date_a = is_type(dmask, 161);
    let date_b = !date_a && is_type(dmask, 130);
    let date_c = is_type(dmask, 84);
    let date_d = !date_c && is_type(dmask, 72);
    let tmask = mask_of(&comps, "PHhmsf");
    let time_a = is_type(tmask, 23);
    let time_b = !time_a && is_type(tmask, 47);
    let date_comps = if date_b {
        "YD"
    } else if date_c {
        "XxwF"
    } else if date_d {
        "XWF"
    } else {
        "YMD"
    };
    let time_comps = if time_b { "Phmsf" } else { "Hmsf" };
    let now = DateTime::from_millis(now_millis.clamp(-MAX_MILLIS, MAX_MILLIS));
    let mut start_specified = false;
    let mut end_specified = false;
    for c in date_comps.chars().chain(time_comps.chars()) {
        if get(&comps, c).is_none() {
            let v = if start_specified {
                end_specified = true;
                if "MDd".contains(c) {
                    1.0
                } else {
                    0.0
                }
            } else {
                match fragment(&now, c) {
                    Fragment::Num(n) => n,
                    Fragment::Text(t) => {
                        if t == "pm" {
                            1.0
                        } else {
                            0.0
                        }
                    }
                    Fragment::None => 0.0,
                }
            };
            comps.push((c, v));
        } else {
            start_specified = true;
            if end_specified {
                return Err(Error::new("D3136"));
            }
        }
    }
    let g = |c: char| get(&comps, c).unwrap_or(f64::NAN);
    let mut month0 = if g('M') > 0.0 { g('M') - 1.0 } else { 0.0 };
    let mut day = g('D');
    if date_b {
        let first = date_utc(g('Y'), 0.0, 1.0, 0.0, 0.0, 0.0, 0.0);
        let derived_millis = first + (g('d') - 1.0) * MILLIS_IN_DAY;
        // Negated on purpose: NaN is out of range too.
        #[allow(clippy::neg_cmp_op_on_partial_ord)]
        if !(derived_millis.abs() <= MAX_MILLIS) {
            return Ok(None);
        }
        let derived = DateTime::from_millis(derived_millis);
        month0 = derived.month0 as f64;
        day = derived.day as f64;
    }
    if date_c || date_d {
        return Err(Error::new("D3136"));
    }
    let mut hours = g('H');
    if time_b {
        hours = if g('h') == 12.0 { 0.0 } else { g('h') };
        if g('P') == 1.0 {
            hours += 12.0;
        }
    }
    let mut millis = date_utc(g('Y'), month0, day, hours, g('m'), g('s'), g('f'));
    if millis.is_nan() || millis.abs() > MAX_MILLIS {
        return Ok(None);
    }
    let tz = get(&comps, 'Z').filter(|v| *v != 0.0 && !v.is_nan()).or_else(|| get(&comps, 'z'));
    if let Some(tz) = tz {
        if tz != 0.0 && !tz.is_nan() {
            millis -= tz * 60_000.0;
        }
    }
    Ok(Some(millis))
}

fn iso_timestamp_ok(s: &str) -> bool {
    thread_local! {
        static ISO: Option<Regex> = Regex::new(
            "^\\d{4}(-[01]\\d)*(-[0-3]\\d)*(T[0-2]\\d:[0-5]\\d:[0-5]\\d)*(\\.\\d+)?([+-][0-2]\\d:?[0-5]\\d|Z)?$",
            "",
        )
        .ok();
    }
    let chars: Vec<char> = s.chars().collect();
    ISO.with(|re| re.as_ref().is_some_and(|re| matches!(re.find_at(&chars, 0), Ok(Some(_)))))
}

/// `Date.parse` for the ISO 8601 forms the reference accepts (UTC when no offset).
fn parse_iso(s: &str) -> f64 {
    let b = s.as_bytes();
    let num =
        |from: usize, len: usize| -> Option<f64> { s.get(from..from + len).and_then(crate::number_parse::parse_f64) };
    let Some(year) = num(0, 4) else { return f64::NAN };
    let mut i = 4;
    let (mut month, mut day) = (1.0, 1.0);
    let (mut h, mut mi, mut sec, mut ms) = (0.0, 0.0, 0.0, 0.0);
    if b.get(i) == Some(&b'-') {
        month = num(i + 1, 2).unwrap_or(f64::NAN);
        i += 3;
        if b.get(i) == Some(&b'-') {
            day = num(i + 1, 2).unwrap_or(f64::NAN);
            i += 3;
        }
    }
    if b.get(i) == Some(&b'T') {
        h = num(i + 1, 2).unwrap_or(f64::NAN);
        mi = num(i + 4, 2).unwrap_or(f64::NAN);
        sec = num(i + 7, 2).unwrap_or(f64::NAN);
        i += 9;
    }
    if b.get(i) == Some(&b'.') {
        let start = i + 1;
        let mut j = start;
        while j < b.len() && b[j].is_ascii_digit() {
            j += 1;
        }
        let frac = &s[start..j];
        let padded: String = frac.chars().chain("000".chars()).take(3).collect();
        ms = crate::number_parse::parse_f64(&padded).unwrap_or(0.0);
        i = j;
    }
    let mut offset = 0.0;
    if let Some(&c) = b.get(i) {
        if c == b'+' || c == b'-' {
            let oh = num(i + 1, 2).unwrap_or(f64::NAN);
            let om_at = if b.get(i + 3) == Some(&b':') { i + 4 } else { i + 3 };
            let om = num(om_at, 2).unwrap_or(f64::NAN);
            offset = (oh * 60.0 + om) * if c == b'-' { -1.0 } else { 1.0 };
        }
    }
    if !(1.0..=12.0).contains(&month) || !(1.0..=31.0).contains(&day) || h > 24.0 || mi > 59.0 || sec > 59.0 {
        return f64::NAN;
    }
    let days_in_month = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month as usize - 1] as f64;
    if day > days_in_month {
        return f64::NAN;
    }
    let days = days_from_civil(year as i64, month as u32, day as u32) as f64;
    days * MILLIS_IN_DAY + h * 3_600_000.0 + mi * 60_000.0 + sec * 1000.0 + ms - offset * 60_000.0
}

/// `$toMillis(timestamp, picture)`; `now_millis` supplies defaults for missing fields.
pub(crate) fn to_millis(timestamp: &str, picture: Option<&str>, now_millis: f64) -> Result<Option<f64>, Fail> {
    match picture {
        None => {
            if !iso_timestamp_ok(timestamp) {
                return Err(Error::new("D3110").value_str(timestamp));
            }
            let v = parse_iso(timestamp);
            Ok(if v.is_nan() { None } else { Some(v) })
        }
        Some(p) => parse_datetime(timestamp, p, now_millis),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integers_in_words_and_numerals() {
        assert_eq!(format_integer(123.0, "w").ok().as_deref(), Some("one hundred and twenty-three"));
        assert_eq!(format_integer(1999.0, "I").ok().as_deref(), Some("MCMXCIX"));
        assert_eq!(format_integer(28.0, "A").ok().as_deref(), Some("AB"));
        assert_eq!(format_integer(1234567.0, "#,##0").ok().as_deref(), Some("1,234,567"));
        assert_eq!(parse_integer("one hundred and twenty-three", "w").ok().flatten(), Some(123.0));
    }

    #[test]
    fn timestamps() {
        assert_eq!(from_millis(1_521_801_216_617.0, None, None).ok().as_deref(), Some("2018-03-23T10:33:36.617Z"));
        assert_eq!(
            from_millis(1_521_801_216_617.0, Some("[D1o] [MNn] [Y]"), None).ok().as_deref(),
            Some("23rd March 2018")
        );
        assert_eq!(to_millis("2018-03-23T10:33:36.617Z", None, 0.0).ok().flatten(), Some(1_521_801_216_617.0));
    }
}
