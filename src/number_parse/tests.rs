//! Differential tests: `parse_f64` against `str::parse::<f64>` (bit for bit, and the same
//! accept/reject) on hand-picked hard cases, exact rounding midpoints and a few hundred thousand
//! deterministic pseudo-random strings.

use super::*;

/// Fails with the input when `parse_f64` and the standard parser disagree.
fn check(text: &str) {
    let ours = parse_f64(text).map(f64::to_bits);
    let reference = text.parse::<f64>().ok().map(f64::to_bits);
    assert_eq!(
        ours,
        reference,
        "input {text:?}: ours {:?}, std {:?}",
        ours.map(f64::from_bits),
        reference.map(f64::from_bits)
    );
}

/// splitmix64: a small deterministic generator.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    fn digits(&mut self, count: u64) -> String {
        (0..count).map(|_| char::from(b'0' + self.below(10) as u8)).collect()
    }
}

#[test]
fn grammar_matches_the_standard_parser() {
    for text in [
        "",
        "+",
        "-",
        ".",
        "+.",
        "-.",
        "e5",
        ".e5",
        "1e",
        "1e+",
        "1e-",
        "1E5",
        "1e+5",
        "1e-5",
        "1.",
        ".5",
        "+.5",
        "-.5",
        "-0",
        "+0",
        "0",
        "-0.0",
        "0e0",
        "-0e-999",
        "00",
        "007",
        "1..2",
        "1.2.3",
        "1e5.5",
        "1e5e5",
        " 1",
        "1 ",
        "1_000",
        "--1",
        "+-1",
        "-+1",
        "0x10",
        "1f",
        "1d",
        "inf",
        "-inf",
        "+inf",
        "INF",
        "Inf",
        "infinity",
        "-Infinity",
        "INFINITY",
        "infinit",
        "infinityy",
        "nan",
        "-nan",
        "+nan",
        "NaN",
        "NAN",
        "nan1",
        "in",
        "i",
        "n",
        "-",
        "1e1000000000000000000000",
        "1e-1000000000000000000000",
        "0e1000000000000000000000",
        "١",
        "1\u{0}",
        "١٢",
        "12\u{661}",
    ] {
        check(text);
    }
}

#[test]
fn hard_cases_match_the_standard_parser() {
    for text in [
        "9007199254740992", "9007199254740993", "9007199254740994", "9007199254740995", "9007199254740991",
        "18014398509481985", "18014398509481986", "4.9406564584124654e-324", "2.4703282292062327e-324",
        "2.4703282292062328e-324", "2.47032822920623272e-324", "5e-324", "3e-324", "2e-324", "1e-324", "7e-324",
        "2.2250738585072011e-308", "2.2250738585072012e-308", "2.2250738585072014e-308", "2.225073858507201e-308",
        "1.7976931348623157e308", "1.7976931348623158e308", "1.7976931348623159e308", "1.797693134862315807e308",
        "1.7976931348623157081452742373170435679807056752584499659891747680315726078002853876058955863276687817154045895351438246423432132688946418276846754670353751698604991057655128207624549009038932894407586850845513394230458323690322294816580855933212334827479782620414472316873817718091929988125040402618412485836e308",
        "1.7976931348623158079372897140530341507993413271003782693617377898044496829276475094664736817905e308",
        "1.7976931348623158079372897140530341507993413271003782693617377898044496829276475094664736817904e308",
        "0.1000000000000000055511151231257827021181583404541015625",
        "0.1000000000000000055511151231257827021181583404541015624",
        "0.1000000000000000055511151231257827021181583404541015626",
        "0.1", "0.2", "0.3", "1e23", "8.98846567431158e307", "1e308", "1e309", "1e-400", "1e400", "-1e400", "123456789e-400",
        "123456789e400", "0.000000000000000000000000000000000000000000000000000000001e300", "1e22", "1e-22", "123456789012345e22",
        "1234567890123456e22", "9999999999999999e22", "1448997445238699", "179769313486231570000000000000000000000000000000",
        "2.2250738585072011360574097967091319759348195463516456480234261098e-308", "1.00000005960464477550",
        "7.038531e-26", "3.0540316370000000000000000000000000e-321", "4.35097e-311", "1090544144181609348835077142190",
        "9223372036854775807", "9223372036854775808", "18446744073709551615", "18446744073709551616", "3.14159265358979323846",
        "0.30000000000000004", "100000000000000016777215", "100000000000000016777216", "100000000000000016777217",
        "2.9802322387695312500e-8", "1.52587890625e-5", "6.103515625e-05",
    ] {
        check(text);
        check(&format!("-{text}"));
    }
}

#[test]
fn long_inputs_are_bounded_and_correct() {
    let mut ones = "1".repeat(10_000);
    check(&ones);
    ones.insert(1, '.');
    check(&ones);
    check(&format!("0.{}1", "0".repeat(10_000)));
    check(&format!("{}e-10000", "1".repeat(10_000)));
    check(&format!("1{}e-100000", "0".repeat(100_000)));
    check(&format!("0.{}1e100000", "0".repeat(99_999)));
    check(&format!("{}e-309", "9".repeat(2_000)));
    // 2^53 + 1 followed by many zeros and a late 1: the sticky digit must break the tie.
    check(&format!("9007199254740993{}", "0".repeat(1_000)));
    check(&format!("9007199254740993.{}1", "0".repeat(1_000)));
    check(&format!("9007199254740993{}1e-1001", "0".repeat(1_000)));
}

/// The exact decimal expansion of a big integer (test helper).
fn decimal_string(value: &Big) -> String {
    let mut limbs = value.limbs.clone();
    let mut chunks = Vec::new();
    while !limbs.is_empty() {
        let mut remainder = 0u64;
        for limb in limbs.iter_mut().rev() {
            let current = (remainder << 32) | u64::from(*limb);
            *limb = (current / 1_000_000_000) as u32;
            remainder = current % 1_000_000_000;
        }
        while limbs.last() == Some(&0) {
            limbs.pop();
        }
        chunks.push(remainder);
    }
    let mut text = chunks.pop().map_or("0".to_string(), |top| top.to_string());
    for chunk in chunks.iter().rev() {
        text.push_str(&format!("{chunk:09}"));
    }
    text
}

/// The exact midpoint between the positive finite `x` and the next double up, as
/// (digits, decimal exponent): value = digits × 10^exponent.
fn midpoint(x: f64) -> (String, i64) {
    let bits = x.to_bits();
    let (biased, fraction) = ((bits >> 52) as i64, bits & ((1 << 52) - 1));
    let (mantissa, exponent) = if biased == 0 { (fraction, -1074) } else { (fraction | (1 << 52), biased - 1075) };
    // (2m + 1) × 2^(exponent - 1)
    let odd = 2 * mantissa + 1;
    let mut big = Big { limbs: vec![odd as u32, (odd >> 32) as u32] };
    big.trim();
    let k = exponent - 1;
    if k >= 0 {
        big.shl(k as usize);
        (decimal_string(&big), 0)
    } else {
        // odd × 2^k = odd × 5^-k × 10^k
        for _ in 0..-k {
            big.mul_add_small(5, 0);
        }
        (decimal_string(&big), k)
    }
}

#[test]
fn exact_midpoints_and_their_neighbours_round_like_the_standard_parser() {
    let mut rng = Rng(7);
    let mut samples: Vec<f64> = vec![
        0.0,
        5e-324,
        1e-310,
        2.225_073_858_507_201e-308,
        2.2250738585072014e-308,
        1.0,
        9007199254740992.0,
        1.7976931348623155e308,
        0.1,
    ];
    for _ in 0..600 {
        let x = f64::from_bits(rng.next() & 0x7FFF_FFFF_FFFF_FFFF);
        if x.is_finite() && x < f64::MAX {
            samples.push(x);
        }
    }
    for x in samples {
        let (digits, exponent) = midpoint(x);
        check(&format!("{digits}e{exponent}"));
        check(&format!("{digits}000e{}", exponent - 3));
        check(&format!("{digits}0001e{}", exponent - 4));
        let below = format!("{}4{}", &digits[..digits.len() - 1], "9".repeat(20));
        check(&format!("{below}e{}", exponent - 20));
        // Also short-mantissa neighbourhoods: the first 17..25 digits of the midpoint.
        for keep in [17usize, 19, 20, 25] {
            if digits.len() > keep {
                check(&format!("{}e{}", &digits[..keep], exponent + (digits.len() - keep) as i64));
            }
        }
    }
}

#[test]
fn random_digit_strings_match_the_standard_parser() {
    let mut rng = Rng(42);
    for _ in 0..150_000 {
        let int_max = if rng.below(4) == 0 { 40 } else { 20 };
        let int_len = rng.below(int_max);
        let frac_max = if rng.below(4) == 0 { 40 } else { 20 };
        let frac_len = rng.below(frac_max);
        let mut text = String::new();
        match rng.below(4) {
            0 => text.push('-'),
            1 => text.push('+'),
            _ => {}
        }
        if rng.below(8) == 0 {
            text.push_str(&"0".repeat(rng.below(30) as usize));
        }
        text.push_str(&rng.digits(int_len));
        if frac_len > 0 || rng.below(4) == 0 {
            text.push('.');
            text.push_str(&rng.digits(frac_len));
        }
        if rng.below(3) != 0 {
            text.push(if rng.below(2) == 0 { 'e' } else { 'E' });
            match rng.below(3) {
                0 => text.push('-'),
                1 => text.push('+'),
                _ => {}
            }
            let range = [25, 330, 400, 2_000][rng.below(4) as usize];
            text.push_str(&rng.below(range).to_string());
        }
        check(&text);
    }
}

#[test]
fn random_doubles_printed_and_extended_match_the_standard_parser() {
    let mut rng = Rng(2024);
    for _ in 0..60_000 {
        let x = f64::from_bits(rng.next());
        let mut forms =
            vec![format!("{x}"), format!("{x:e}"), format!("{x:?}"), format!("{x:.17e}"), format!("{x:.25e}")];
        if x.is_finite() {
            let scientific = format!("{x:e}");
            if let Some((mantissa, exponent)) = scientific.split_once('e') {
                let mantissa = if mantissa.contains('.') { mantissa.to_string() } else { format!("{mantissa}.") };
                let extra = rng.below(25);
                forms.push(format!("{mantissa}{}e{exponent}", rng.digits(extra)));
                forms.push(format!("{mantissa}{}e{exponent}", "0".repeat(extra as usize)));
                forms.push(format!("{mantissa}{}1e{exponent}", "0".repeat(extra as usize)));
            }
        }
        for form in forms {
            check(&form);
        }
    }
}

#[test]
fn random_long_mantissas_match_the_standard_parser() {
    let mut rng = Rng(99);
    for _ in 0..3_000 {
        let len = 20 + rng.below(900);
        let exponent = rng.below(1_400) as i64 - 1_000;
        let text = format!("{}e{exponent}", rng.digits(len));
        check(&text);
    }
}
