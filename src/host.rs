//! The few JavaScript built-ins the interpreter's output depends on: `Number`'s `toString`,
//! `toExponential` and `toFixed`, `String`'s `toLowerCase` and `toUpperCase`, and `Math.pow`.
//! In the wasm build they are the JavaScript host's own (already loaded, exact, and the
//! reference JSONata's behaviour), so the module carries neither core's float formatting nor
//! its Unicode case tables nor a `pow` (~18 KB gzip); natively they are built on core's.
//!
//! Natively, `to_exponential` with a digit count rounds exact ties (a double whose decimal
//! expansion ends in a 5 just past the last kept digit) to even, where JavaScript rounds them
//! up; every other result is the same.

#[cfg(target_arch = "wasm32")]
mod js {
    use wasm_bindgen::prelude::wasm_bindgen;

    #[wasm_bindgen]
    extern "C" {
        #[wasm_bindgen(js_namespace = ["Number", "prototype", "toString"], js_name = call)]
        pub(super) fn number_to_string(x: f64) -> String;
        #[wasm_bindgen(js_namespace = ["Number", "prototype", "toExponential"], js_name = call)]
        pub(super) fn to_exponential(x: f64) -> String;
        #[wasm_bindgen(js_namespace = ["Number", "prototype", "toExponential"], js_name = call)]
        pub(super) fn to_exponential_digits(x: f64, fraction_digits: u32) -> String;
        #[wasm_bindgen(js_namespace = ["Number", "prototype", "toFixed"], js_name = call)]
        pub(super) fn to_fixed(x: f64, fraction_digits: u32) -> String;
        #[wasm_bindgen(js_namespace = Math, js_name = pow)]
        pub(super) fn math_pow(base: f64, exponent: f64) -> f64;
        #[wasm_bindgen(js_namespace = ["String", "prototype", "toLowerCase"], js_name = call)]
        pub(super) fn to_lower_case(s: &str) -> String;
        #[wasm_bindgen(js_namespace = ["String", "prototype", "toUpperCase"], js_name = call)]
        pub(super) fn to_upper_case(s: &str) -> String;
    }
}

/// `Number.prototype.toString()`: the shortest digits that read back as `x`, plain for
/// 1e-7 ≤ |x| < 1e21 (`"0.000001"`, `"123.5"`), otherwise exponential (`"1e+21"`, `"1.5e-7"`);
/// `"0"` for both zeros, `"NaN"`, `"Infinity"`, `"-Infinity"`.
///
/// ```ignore
/// assert_eq!(to_string(1e21), "1e+21");
/// ```
pub(crate) fn to_string(x: f64) -> String {
    #[cfg(target_arch = "wasm32")]
    {
        js::number_to_string(x)
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        native::to_string(x)
    }
}

/// `Number.prototype.toExponential(fraction_digits)`: `"1.5e-7"`, `"1e+21"`, `"1.23e+2"`; with
/// `None`, the shortest digits that read back as `x`. `x` must be finite; at most 100 digits.
pub(crate) fn to_exponential(x: f64, fraction_digits: Option<usize>) -> String {
    #[cfg(target_arch = "wasm32")]
    {
        match fraction_digits {
            None => js::to_exponential(x),
            Some(d) => js::to_exponential_digits(x, d.min(100) as u32),
        }
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        native::to_exponential(x, fraction_digits)
    }
}

/// `Number.prototype.toFixed(fraction_digits)` for finite |x| < 1e21 (larger values print as
/// [`to_string`] does): exact, halves rounded away from zero; at most 100 digits.
pub(crate) fn to_fixed(x: f64, fraction_digits: usize) -> String {
    #[cfg(target_arch = "wasm32")]
    {
        js::to_fixed(x, fraction_digits.min(100) as u32)
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        native::to_fixed(x, fraction_digits.min(100))
    }
}

/// `Math.pow(base, exponent)` (which differs from C's `pow` in corner cases: `1 ** NaN` is NaN).
pub(crate) fn pow(base: f64, exponent: f64) -> f64 {
    #[cfg(target_arch = "wasm32")]
    {
        js::math_pow(base, exponent)
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        if exponent.is_nan() || (base.abs() == 1.0 && exponent.is_infinite()) {
            return f64::NAN;
        }
        base.powf(exponent)
    }
}

/// `String.prototype.toLowerCase()`: Unicode's default lower-case mapping.
pub(crate) fn to_lower_case(s: &str) -> String {
    #[cfg(target_arch = "wasm32")]
    {
        js::to_lower_case(s)
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        s.to_lowercase()
    }
}

/// `String.prototype.toUpperCase()`: Unicode's default upper-case mapping (`"ß"` → `"SS"`).
pub(crate) fn to_upper_case(s: &str) -> String {
    #[cfg(target_arch = "wasm32")]
    {
        js::to_upper_case(s)
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        s.to_uppercase()
    }
}

/// The native equivalents, on core's float formatting (which prints the same shortest digits).
#[cfg(not(target_arch = "wasm32"))]
mod native {
    pub(super) fn to_string(x: f64) -> String {
        if x.is_nan() {
            return "NaN".into();
        }
        if x.is_infinite() {
            return if x > 0.0 { "Infinity".into() } else { "-Infinity".into() };
        }
        if x == 0.0 {
            return "0".into();
        }
        // JavaScript prints 1e-6 <= |x| < 1e21 plainly, with the shortest digits that read
        // back as x: what Rust's `{}` prints for every double.
        if (1e-6..1e21).contains(&x.abs()) {
            format!("{x}")
        } else {
            to_exponential(x, None)
        }
    }

    pub(super) fn to_exponential(x: f64, fraction_digits: Option<usize>) -> String {
        let text = match fraction_digits {
            None => format!("{x:e}"),
            Some(d) => format!("{x:.d$e}"),
        };
        match text.split_once('e') {
            Some((mantissa, exp)) if !exp.starts_with('-') => format!("{mantissa}e+{exp}"),
            _ => text,
        }
    }

    pub(super) fn to_fixed(x: f64, dp: usize) -> String {
        if !x.is_finite() || x.abs() >= 1e21 {
            return to_string(x);
        }
        // Enough exact digits past the last kept one to decide the rounding (a double's
        // expansion is exact in decimal; a tie needs every further digit zero).
        let exact = format!("{:.*}", dp + 30, x.abs());
        let (int_part, frac_part) = exact.split_once('.').unwrap_or((&exact, ""));
        let mut digits: Vec<u8> = int_part.bytes().chain(frac_part.bytes().take(dp)).map(|b| b - b'0').collect();
        if frac_part.as_bytes().get(dp).is_some_and(|&b| b >= b'5') {
            let mut i = digits.len();
            loop {
                if i == 0 {
                    digits.insert(0, 1);
                    break;
                }
                i -= 1;
                if digits[i] == 9 {
                    digits[i] = 0;
                } else {
                    digits[i] += 1;
                    break;
                }
            }
        }
        let int_len = digits.len() - dp;
        let mut s: String = digits[..int_len].iter().map(|d| (b'0' + d) as char).collect();
        if dp > 0 {
            s.push('.');
            s.extend(digits[int_len..].iter().map(|d| (b'0' + d) as char));
        }
        if x < 0.0 {
            s.insert(0, '-');
        }
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn to_string_follows_javascript() {
        for (x, text) in [
            (0.0, "0"),
            (-0.0, "0"),
            (1.0, "1"),
            (-123.5, "-123.5"),
            (0.1 + 0.2, "0.30000000000000004"),
            (1e-7, "1e-7"),
            (1.5e-7, "1.5e-7"),
            (0.000001, "0.000001"),
            (1e21, "1e+21"),
            (1.25e22, "1.25e+22"),
            (123456789012345680000.0, "123456789012345680000"),
            (f64::MAX, "1.7976931348623157e+308"),
            (5e-324, "5e-324"),
            (f64::NAN, "NaN"),
            (f64::NEG_INFINITY, "-Infinity"),
        ] {
            assert_eq!(to_string(x), text, "{x:?}");
        }
    }

    #[test]
    fn to_exponential_follows_javascript() {
        assert_eq!(to_exponential(1234.5, None), "1.2345e+3");
        assert_eq!(to_exponential(0.00015, None), "1.5e-4");
        assert_eq!(to_exponential(1.0, None), "1e+0");
        assert_eq!(to_exponential(1234.5678, Some(2)), "1.23e+3");
        assert_eq!(to_exponential(1.0 / 3.0, Some(14)), "3.33333333333333e-1");
    }

    #[test]
    fn to_fixed_follows_javascript() {
        assert_eq!(to_fixed(1.005, 2), "1.00"); // 1.005 is 1.00499999999999989...
        assert_eq!(to_fixed(2.5, 0), "3");
        assert_eq!(to_fixed(-2.5, 0), "-3");
        assert_eq!(to_fixed(-0.0001, 2), "-0.00");
        assert_eq!(to_fixed(-0.0, 2), "0.00");
        assert_eq!(to_fixed(0.125, 2), "0.13");
        assert_eq!(to_fixed(1e21, 2), "1e+21");
        assert_eq!(to_fixed(99.99, 1), "100.0");
    }

    #[test]
    fn pow_follows_javascript() {
        assert_eq!(pow(2.0, 10.0), 1024.0);
        assert!(pow(1.0, f64::NAN).is_nan());
        assert!(pow(-1.0, f64::INFINITY).is_nan());
        assert_eq!(pow(f64::NAN, 0.0), 1.0);
    }

    #[test]
    fn case_mapping_is_unicode() {
        assert_eq!(to_upper_case("straße"), "STRASSE");
        assert_eq!(to_lower_case("ÀÉÎ"), "àéî");
    }
}
