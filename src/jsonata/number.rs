//! Numbers as JavaScript prints and rounds them: `Number.prototype.toString`,
//! `toPrecision(15)`, `toFixed`, the reference's half-even `$round`, `$formatBase`, and the
//! XPath `format-number` picture strings behind `$formatNumber`.

use super::error::{Error, ErrorExt, Fail};

/// `Number(x.toPrecision(15))`: the value rounded to 15 significant digits.
pub(crate) fn precision15(x: f64) -> f64 {
    if !x.is_finite() || x == 0.0 {
        return x;
    }
    crate::number_parse::parse_f64(&crate::host::to_exponential(x, Some(14))).unwrap_or(x)
}

/// JavaScript's `Math.round`: halves round towards +infinity.
pub(crate) fn js_round(x: f64) -> f64 {
    if !x.is_finite() {
        return x;
    }
    let f = x.floor();
    if x - f >= 0.5 {
        f + 1.0
    } else {
        f
    }
}

fn shift(x: f64, by: i32) -> f64 {
    let s = crate::host::to_string(x);
    let (m, e) = match s.split_once('e') {
        Some((m, e)) => (m.to_string(), e.parse::<i32>().unwrap_or(0)),
        None => (s, 0),
    };
    crate::number_parse::parse_f64(&format!("{}e{}", m, e + by)).unwrap_or(x)
}

/// `$round`: half to even, at `precision` decimal places (negative rounds left of the point).
pub(crate) fn round_half_even(x: f64, precision: i32) -> f64 {
    let mut arg = x;
    if precision != 0 {
        arg = shift(arg, precision);
    }
    let mut result = js_round(arg);
    let diff = result - arg;
    if diff.abs() == 0.5 && (result % 2.0).abs() == 1.0 {
        result -= 1.0;
    }
    if precision != 0 {
        result = shift(result, -precision);
    }
    if result == 0.0 {
        result = 0.0;
    }
    result
}

/// `$formatBase(value, radix)`.
pub(crate) fn format_base(value: f64, radix: Option<f64>) -> Result<String, Fail> {
    let value = round_half_even(value, 0);
    let radix = match radix {
        Some(r) => round_half_even(r, 0),
        None => 10.0,
    };
    if !(2.0..=36.0).contains(&radix) {
        return Err(Error::new("D3100").value_num(radix));
    }
    let radix = radix as u32;
    let neg = value < 0.0;
    let mut n = value.abs();
    if n >= 1.8e19 {
        return Ok(crate::host::to_string(value));
    }
    let mut m = n as u64;
    let mut out = Vec::new();
    if m == 0 {
        out.push('0');
    }
    while m > 0 {
        out.push(std::char::from_digit((m % radix as u64) as u32, radix).unwrap_or('0'));
        m /= radix as u64;
    }
    n = 0.0;
    let _ = n;
    if neg {
        out.push('-');
    }
    Ok(out.iter().rev().collect())
}

/// Properties of `$formatNumber` (decimal format), overridable by its options object.
struct Props {
    decimal: char,
    grouping: char,
    exponent: char,
    minus: String,
    percent: char,
    permille: char,
    zero: char,
    digit: char,
    pattern_sep: char,
}

struct Parts {
    prefix: Vec<char>,
    suffix: Vec<char>,
    active: Vec<char>,
    mantissa: Vec<char>,
    exponent: Option<Vec<char>>,
    integer: Vec<char>,
    fraction: Vec<char>,
    sub: Vec<char>,
}

struct Analysis {
    int_grouping: Vec<usize>,
    regular: usize,
    min_int: usize,
    scaling: usize,
    prefix: String,
    frac_grouping: Vec<usize>,
    min_frac: usize,
    max_frac: usize,
    min_exp: usize,
    suffix: String,
    picture: Vec<char>,
}

fn index_of(h: &[char], c: char) -> Option<usize> {
    h.iter().position(|&x| x == c)
}
fn last_index_of(h: &[char], c: char) -> Option<usize> {
    h.iter().rposition(|&x| x == c)
}

/// `$formatNumber(value, picture, options)`.
pub(crate) fn format_number(value: f64, picture: &str, options: &[(String, String)]) -> Result<String, Fail> {
    let mut p = Props {
        decimal: '.',
        grouping: ',',
        exponent: 'e',
        minus: "-".into(),
        percent: '%',
        permille: '\u{2030}',
        zero: '0',
        digit: '#',
        pattern_sep: ';',
    };
    let mut infinity = "Infinity".to_string();
    let mut nan = "NaN".to_string();
    for (k, v) in options {
        let c = v.chars().next().unwrap_or(' ');
        match k.as_str() {
            "decimal-separator" => p.decimal = c,
            "grouping-separator" => p.grouping = c,
            "exponent-separator" => p.exponent = c,
            "minus-sign" => p.minus = v.clone(),
            "percent" => p.percent = c,
            "per-mille" => p.permille = c,
            "zero-digit" => p.zero = c,
            "digit" => p.digit = c,
            "pattern-separator" => p.pattern_sep = c,
            "infinity" => infinity = v.clone(),
            "NaN" => nan = v.clone(),
            _ => {}
        }
    }
    let _ = (&infinity, &nan);
    let family: Vec<char> = (0..10).filter_map(|i| char::from_u32(p.zero as u32 + i)).collect();
    let is_digit = |c: char| family.contains(&c);
    let mut active_chars = family.clone();
    active_chars.extend([p.decimal, p.exponent, p.grouping, p.digit, p.pattern_sep]);
    let is_active = |c: char| active_chars.contains(&c);

    let pic: Vec<char> = picture.chars().collect();
    let subs: Vec<Vec<char>> = pic.split(|&c| c == p.pattern_sep).map(|s| s.to_vec()).collect();
    if subs.len() > 2 {
        return Err(Error::new("D3080"));
    }
    let split_parts = |sub: &Vec<char>| -> Parts {
        let prefix_end = sub.iter().position(|&c| is_active(c) && c != p.exponent).unwrap_or(sub.len());
        let prefix: Vec<char> = sub[..prefix_end].to_vec();
        let suffix_start =
            sub.iter().rposition(|&c| is_active(c) && c != p.exponent).map(|i| i + 1).unwrap_or(sub.len());
        let suffix: Vec<char> = if suffix_start <= sub.len() { sub[suffix_start..].to_vec() } else { Vec::new() };
        let a_end = sub.len().saturating_sub(suffix.len()).max(prefix.len());
        let active: Vec<char> = sub[prefix.len()..a_end].to_vec();
        let exp_pos =
            sub[prefix.len().min(sub.len())..].iter().position(|&c| c == p.exponent).map(|i| i + prefix.len());
        let (mantissa, exponent) = match exp_pos {
            Some(e) if e <= sub.len() - suffix.len() => {
                let e_rel = e.min(active.len());
                (active[..e_rel].to_vec(), Some(active.get(e_rel + 1..).map(|s| s.to_vec()).unwrap_or_default()))
            }
            _ => (active.clone(), None),
        };
        let (integer, fraction) = match index_of(&mantissa, p.decimal) {
            None => (mantissa.clone(), suffix.clone()),
            Some(d) => (mantissa[..d].to_vec(), mantissa[d + 1..].to_vec()),
        };
        Parts { prefix, suffix, active, mantissa, exponent, integer, fraction, sub: sub.clone() }
    };
    let parts: Vec<Parts> = subs.iter().map(split_parts).collect();

    for part in &parts {
        let sub = &part.sub;
        if !sub.iter().any(|&c| is_active(c)) {
            return Err(Error::new("D3086"));
        }
        let mut error = None;
        let dpos = index_of(sub, p.decimal);
        if dpos != last_index_of(sub, p.decimal) {
            error = Some("D3081");
        }
        if index_of(sub, p.percent) != last_index_of(sub, p.percent) {
            error = Some("D3082");
        }
        if index_of(sub, p.permille) != last_index_of(sub, p.permille) {
            error = Some("D3083");
        }
        if index_of(sub, p.percent).is_some() && index_of(sub, p.permille).is_some() {
            error = Some("D3084");
        }
        if !part.mantissa.iter().any(|&c| is_digit(c) || c == p.digit) {
            error = Some("D3085");
        }
        if part.active.iter().any(|&c| !is_active(c)) {
            error = Some("D3086");
        }
        if let Some(d) = dpos {
            if (d > 0 && sub.get(d - 1) == Some(&p.grouping)) || sub.get(d + 1) == Some(&p.grouping) {
                error = Some("D3087");
            }
        } else if part.integer.last() == Some(&p.grouping) {
            error = Some("D3088");
        }
        if sub.windows(2).any(|w| w[0] == p.grouping && w[1] == p.grouping) {
            error = Some("D3089");
        }
        if let Some(od) = index_of(&part.integer, p.digit) {
            if part.integer[..od].iter().any(|&c| is_digit(c)) {
                error = Some("D3090");
            }
        }
        if let Some(od) = last_index_of(&part.fraction, p.digit) {
            if part.fraction[od..].iter().any(|&c| is_digit(c)) {
                error = Some("D3091");
            }
        }
        let exp_exists = part.exponent.is_some();
        if let Some(exp) = &part.exponent {
            if !exp.is_empty() && (index_of(sub, p.percent).is_some() || index_of(sub, p.permille).is_some()) {
                error = Some("D3092");
            }
        }
        if exp_exists {
            let exp = part.exponent.as_deref().unwrap_or(&[]);
            if exp.is_empty() || exp.iter().any(|&c| !is_digit(c)) {
                error = Some("D3093");
            }
        }
        if let Some(code) = error {
            return Err(Error::new(code));
        }
    }

    let analyse = |part: &Parts| -> Analysis {
        let grouping_positions = |s: &[char], to_left: bool| -> Vec<usize> {
            let mut out = Vec::new();
            let mut from = 0;
            while let Some(gp) = s[from.min(s.len())..].iter().position(|&c| c == p.grouping).map(|i| i + from) {
                let slice = if to_left { &s[..gp] } else { &s[gp..] };
                out.push(slice.iter().filter(|&&c| is_digit(c) || c == p.digit).count());
                from = gp + 1;
            }
            out
        };
        let int_grouping = grouping_positions(&part.integer, false);
        let regular = if int_grouping.is_empty() {
            0
        } else {
            fn gcd(a: usize, b: usize) -> usize {
                if b == 0 {
                    a
                } else {
                    gcd(b, a % b)
                }
            }
            let factor = int_grouping.iter().copied().reduce(gcd).unwrap_or(0);
            if factor == 0 || (1..=int_grouping.len()).any(|i| !int_grouping.contains(&(i * factor))) {
                0
            } else {
                factor
            }
        };
        let frac_grouping = grouping_positions(&part.fraction, true);
        let mut min_int = part.integer.iter().filter(|&&c| is_digit(c)).count();
        let scaling = min_int;
        let mut min_frac = part.fraction.iter().filter(|&&c| is_digit(c)).count();
        let mut max_frac = part.fraction.iter().filter(|&&c| is_digit(c) || c == p.digit).count();
        let exp_present = part.exponent.is_some();
        if min_int == 0 && max_frac == 0 {
            if exp_present {
                min_frac = 1;
                max_frac = 1;
            } else {
                min_int = 1;
            }
        }
        if exp_present && min_int == 0 && index_of(&part.integer, p.digit).is_some() {
            min_int = 1;
        }
        if min_int == 0 && min_frac == 0 {
            min_frac = 1;
        }
        let min_exp = part.exponent.as_ref().map(|e| e.iter().filter(|&&c| is_digit(c)).count()).unwrap_or(0);
        Analysis {
            int_grouping,
            regular,
            min_int,
            scaling,
            prefix: part.prefix.iter().collect(),
            frac_grouping,
            min_frac,
            max_frac,
            min_exp,
            suffix: part.suffix.iter().collect(),
            picture: part.sub.clone(),
        }
    };
    let mut vars: Vec<Analysis> = parts.iter().map(analyse).collect();
    if vars.len() == 1 {
        let mut neg = analyse(&parts[0]);
        neg.prefix = format!("{}{}", p.minus, neg.prefix);
        vars.push(neg);
    }
    let pic = if value >= 0.0 { &vars[0] } else { &vars[1] };
    let adjusted = if index_of(&pic.picture, p.percent).is_some() {
        value * 100.0
    } else if index_of(&pic.picture, p.permille).is_some() {
        value * 1000.0
    } else {
        value
    };
    let mut mantissa = adjusted;
    let mut exponent: Option<i32> = None;
    if pic.min_exp != 0 {
        let max_m = 10f64.powi(pic.scaling as i32);
        let min_m = 10f64.powi(pic.scaling as i32 - 1);
        let mut e = 0;
        mantissa = mantissa.abs();
        if mantissa != 0.0 && mantissa.is_finite() {
            while mantissa < min_m {
                mantissa *= 10.0;
                e -= 1;
            }
            while mantissa > max_m {
                mantissa /= 10.0;
                e += 1;
            }
        }
        exponent = Some(e);
    }
    let rounded = round_half_even(mantissa, pic.max_frac as i32);
    let make_string = |v: f64, dp: usize| -> Vec<char> {
        let s = crate::host::to_fixed(v.abs(), dp);
        s.chars()
            .map(|c| if c.is_ascii_digit() { family.get((c as u8 - b'0') as usize).copied().unwrap_or(c) } else { c })
            .collect()
    };
    let mut sv: Vec<char> = make_string(rounded, pic.max_frac);
    match index_of(&sv, '.') {
        None => sv.push(p.decimal),
        Some(i) => sv[i] = p.decimal,
    }
    while sv.first() == Some(&p.zero) {
        sv.remove(0);
    }
    while sv.last() == Some(&p.zero) {
        sv.pop();
    }
    let dpos = index_of(&sv, p.decimal).unwrap_or(0);
    let pad_left = pic.min_int as isize - dpos as isize;
    let pad_right = pic.min_frac as isize - (sv.len() as isize - dpos as isize - 1);
    if pad_left > 0 {
        let mut v = vec![p.zero; pad_left as usize];
        v.extend(sv);
        sv = v;
    }
    if pad_right > 0 {
        sv.extend(std::iter::repeat_n(p.zero, pad_right as usize));
    }
    let mut dpos = index_of(&sv, p.decimal).unwrap_or(0);
    if pic.regular > 0 {
        let groups = dpos.saturating_sub(1).checked_div(pic.regular).unwrap_or(0);
        for g in 1..=groups {
            let at = dpos - g * pic.regular;
            sv.insert(at, p.grouping);
        }
    } else {
        for &pos in &pic.int_grouping {
            if pos <= dpos {
                sv.insert(dpos - pos, p.grouping);
                dpos += 1;
            }
        }
    }
    let dpos = index_of(&sv, p.decimal).unwrap_or(0);
    for &pos in &pic.frac_grouping {
        let at = pos + dpos + 1;
        if at <= sv.len() {
            sv.insert(at, p.grouping);
        }
    }
    let dpos = index_of(&sv, p.decimal);
    if index_of(&pic.picture, p.decimal).is_none() || dpos == Some(sv.len() - 1) {
        sv.pop();
    }
    let mut out: String = sv.iter().collect();
    if let Some(e) = exponent {
        let mut se: String = make_string(e as f64, 0).iter().collect();
        let pad = pic.min_exp as isize - se.chars().count() as isize;
        if pad > 0 {
            se = format!("{}{}", p.zero.to_string().repeat(pad as usize), se);
        }
        out = format!("{}{}{}{}", out, p.exponent, if e < 0 { p.minus.as_str() } else { "" }, se);
    }
    Ok(format!("{}{}{}", pic.prefix, out, pic.suffix))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rounding() {
        assert_eq!(round_half_even(2.5, 0), 2.0);
        assert_eq!(round_half_even(3.5, 0), 4.0);
        assert_eq!(round_half_even(-2.5, 0), -2.0);
        assert_eq!(round_half_even(12.345, 2), 12.34);
    }

    #[test]
    fn pictures() {
        assert_eq!(format_number(12345.6, "#,###.00", &[]).ok().as_deref(), Some("12,345.60"));
        assert_eq!(format_number(0.14, "01%", &[]).ok().as_deref(), Some("14%"));
        assert_eq!(format_base(255.0, Some(16.0)).ok().as_deref(), Some("ff"));
    }
}
