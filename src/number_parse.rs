//! Decimal text to `f64`, correctly rounded (round half to even), without the standard library's
//! float parser: core's `dec2flt` carries a table of powers of five (~10 KB that does not
//! compress) that the wasm module would otherwise ship. Every place in the crate that turns
//! text into an `f64` calls [`parse_f64`], which accepts exactly what `str::parse::<f64>` accepts
//! and returns the identical value (bit for bit).
//!
//! Two paths: Clinger's fast path (a mantissa below 2^53 times or divided by an exact power of
//! ten, one rounding) for the common short numbers, and otherwise an exact big-integer division
//! (value = numerator / denominator, both integers) that yields the 53-bit quotient and decides
//! the rounding from the remainder. Inputs are user data: at most [`MAX_DIGITS`] significant
//! digits are kept (the rest only decide ties, through a sticky digit) and exponents far out of
//! range short-cut to zero or infinity, so any input runs in time linear in its length.

use std::cmp::Ordering;

/// Significant digits kept: more than the 767 an `f64` rounding boundary (a midpoint between two
/// neighbouring doubles) can have, so dropping the rest and appending one nonzero "sticky" digit
/// never changes the rounding.
const MAX_DIGITS: usize = 800;

/// Decimal exponents saturate here while parsing: far beyond any value that is not 0 or infinity,
/// yet small enough that adding the digit counts of any real input cannot overflow an `i64`.
const EXPONENT_LIMIT: i64 = 1_000_000_000_000;

/// Powers of ten that are exact in an `f64` (10^22 is the largest).
const EXACT_POWERS_OF_TEN: [f64; 23] = [
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20,
    1e21, 1e22,
];

/// Parses `text` as `str::parse::<f64>` does: an optional `+`/`-`, then `inf`, `infinity` or `nan`
/// (any case), or digits with an optional `.` and fraction (at least one digit in all) and an
/// optional exponent (`e`/`E`, optional sign, at least one digit). Nothing else (no spaces, no
/// `_`). Out-of-range values become ±infinity or ±0. `None` when the text is not such a number.
pub(crate) fn parse_f64(text: &str) -> Option<f64> {
    let bytes = text.as_bytes();
    let (negative, rest) = match bytes.first() {
        Some(b'-') => (true, &bytes[1..]),
        Some(b'+') => (false, &bytes[1..]),
        _ => (false, bytes),
    };
    let magnitude = match special_value(rest) {
        Some(special) => special,
        None => decimal_value(parse_decimal(rest)?),
    };
    Some(if negative { -magnitude } else { magnitude })
}

/// `inf`, `infinity` and `nan` in any case.
fn special_value(text: &[u8]) -> Option<f64> {
    if text.eq_ignore_ascii_case(b"inf") || text.eq_ignore_ascii_case(b"infinity") {
        Some(f64::INFINITY)
    } else if text.eq_ignore_ascii_case(b"nan") {
        Some(f64::NAN)
    } else {
        None
    }
}

/// An unsigned decimal: `digits × 10^exponent`, `digits` without leading or trailing zeros
/// (empty for zero) and at most `MAX_DIGITS + 1` long.
struct Decimal {
    digits: Vec<u8>,
    exponent: i64,
}

/// The number grammar without the sign; `None` when `text` does not match it entirely.
fn parse_decimal(text: &[u8]) -> Option<Decimal> {
    let digit_run =
        |from: usize| from + text.get(from..).map_or(0, |t| t.iter().take_while(|b| b.is_ascii_digit()).count());
    let int_end = digit_run(0);
    let int_part = &text[..int_end];
    let mut pos = int_end;
    let mut frac_part: &[u8] = &[];
    if text.get(pos) == Some(&b'.') {
        let frac_end = digit_run(pos + 1);
        frac_part = &text[pos + 1..frac_end];
        pos = frac_end;
    }
    if int_part.is_empty() && frac_part.is_empty() {
        return None;
    }
    let mut exponent: i64 = 0;
    if matches!(text.get(pos), Some(b'e' | b'E')) {
        pos += 1;
        let exponent_negative = match text.get(pos) {
            Some(b'-') => {
                pos += 1;
                true
            }
            Some(b'+') => {
                pos += 1;
                false
            }
            _ => false,
        };
        let exponent_end = digit_run(pos);
        if exponent_end == pos {
            return None;
        }
        for &b in &text[pos..exponent_end] {
            if exponent < EXPONENT_LIMIT {
                exponent = exponent * 10 + i64::from(b - b'0');
            }
        }
        if exponent_negative {
            exponent = -exponent;
        }
        pos = exponent_end;
    }
    if pos != text.len() {
        return None;
    }
    // All mantissa digits as one integer: value = that integer × 10^(exponent - fraction length).
    // Keeps the first MAX_DIGITS significant digits; counts the rest.
    let mut digits: Vec<u8> = Vec::new();
    let (mut dropped, mut dropped_nonzero) = (0i64, false);
    for part in [int_part, frac_part] {
        for &b in part {
            if digits.len() < MAX_DIGITS {
                if b != b'0' || !digits.is_empty() {
                    digits.push(b - b'0');
                }
            } else {
                dropped += 1;
                dropped_nonzero |= b != b'0';
            }
        }
    }
    exponent = exponent - frac_part.len() as i64 + dropped;
    if dropped_nonzero {
        // A sticky 1 after the kept digits keeps the value strictly between the truncation and
        // the next step at that precision, which is all rounding needs.
        digits.push(1);
        exponent -= 1;
    } else {
        while digits.last() == Some(&0) {
            digits.pop();
            exponent += 1;
        }
    }
    Some(Decimal { digits, exponent })
}

/// The `f64` nearest to `digits × 10^exponent` (ties to even).
fn decimal_value(decimal: Decimal) -> f64 {
    let Decimal { digits, exponent } = decimal;
    if digits.is_empty() {
        return 0.0;
    }
    let count = digits.len() as i64;
    // value ∈ [10^(count + exponent - 1), 10^(count + exponent))
    if count + exponent - 1 > 309 {
        return f64::INFINITY;
    }
    if count + exponent < -324 {
        return 0.0;
    }
    if count <= 15 {
        let mantissa = digits.iter().fold(0u64, |m, &d| m * 10 + u64::from(d)) as f64;
        // Clinger: the mantissa and the power are exact, so one operation rounds once, correctly.
        if (0..=22).contains(&exponent) {
            return mantissa * EXACT_POWERS_OF_TEN[exponent as usize];
        }
        if (-22..0).contains(&exponent) {
            return mantissa / EXACT_POWERS_OF_TEN[(-exponent) as usize];
        }
        // mantissa × 10^(exponent - 22) is still an exact integer below 10^15.
        if exponent > 22 && exponent - 22 <= 15 - count {
            return mantissa * EXACT_POWERS_OF_TEN[(exponent - 22) as usize] * EXACT_POWERS_OF_TEN[22];
        }
    }
    exact_value(&digits, exponent)
}

/// The slow path: value = numerator / denominator exactly; divides out 53 bits and rounds by the
/// remainder. `exponent` is within [-1200, 310] here, so the integers stay below ~4,000 bits.
fn exact_value(digits: &[u8], exponent: i64) -> f64 {
    let mut numerator = Big::from_digits(digits);
    let mut denominator = Big::from_small(1);
    if exponent >= 0 {
        numerator.mul_pow10(exponent as usize);
    } else {
        denominator.mul_pow10((-exponent) as usize);
    }
    // Binary exponent e2 with 2^e2 <= value < 2^(e2 + 1): the bit lengths give it or one more.
    let mut e2 = numerator.bit_len() as i64 - denominator.bit_len() as i64;
    if compare_scaled(&numerator, &denominator, e2) == Ordering::Less {
        e2 -= 1;
    }
    if e2 > 1023 {
        return f64::INFINITY;
    }
    if e2 < -1075 {
        return 0.0; // below half the smallest subnormal
    }
    // The weight of the last mantissa bit: 2^(e2 - 52), or the subnormal step 2^-1074.
    let unit = (e2 - 52).max(-1074);
    if unit < 0 {
        numerator.shl((-unit) as usize);
    } else {
        denominator.shl(unit as usize);
    }
    // quotient = floor(numerator / denominator) < 2^(e2 - unit + 1) <= 2^53, one bit at a time.
    let top_bit = e2 - unit;
    let mut quotient: u64 = 0;
    if top_bit >= 0 {
        let mut divisor = denominator.clone();
        divisor.shl(top_bit as usize);
        for bit in (0..=top_bit).rev() {
            if numerator.cmp(&divisor) != Ordering::Less {
                numerator.sub_assign(&divisor);
                quotient |= 1 << bit;
            }
            divisor.shr1();
        }
    }
    // numerator is now the remainder; round half to even.
    numerator.shl(1);
    match numerator.cmp(&denominator) {
        Ordering::Greater => quotient += 1,
        Ordering::Equal => quotient += quotient & 1,
        Ordering::Less => {}
    }
    // quotient × 2^unit: the exponent field counts from the subnormal step, and a quotient of
    // 2^52 or more carries into it (a rounding carry to 2^53 included; at most infinity's bits).
    let bits = (((unit + 1074) as u64) << 52) + quotient;
    f64::from_bits(bits.min(f64::INFINITY.to_bits()))
}

/// `numerator` against `denominator × 2^shift` (`shift` may be negative).
fn compare_scaled(numerator: &Big, denominator: &Big, shift: i64) -> Ordering {
    if shift >= 0 {
        let mut scaled = denominator.clone();
        scaled.shl(shift as usize);
        numerator.cmp(&scaled)
    } else {
        let mut scaled = numerator.clone();
        scaled.shl((-shift) as usize);
        scaled.cmp(denominator)
    }
}

/// A non-negative big integer: 32-bit limbs, least significant first, no high zero limbs.
#[derive(Clone)]
struct Big {
    limbs: Vec<u32>,
}

impl Big {
    fn from_small(value: u32) -> Big {
        let mut big = Big { limbs: vec![value] };
        big.trim();
        big
    }

    /// Decimal digits (values 0..=9, most significant first).
    fn from_digits(digits: &[u8]) -> Big {
        let mut big = Big { limbs: Vec::new() };
        for chunk in digits.chunks(9) {
            let value = chunk.iter().fold(0u32, |v, &d| v * 10 + u32::from(d));
            big.mul_add_small(10u32.pow(chunk.len() as u32), value);
        }
        big
    }

    /// self = self × factor + addend.
    fn mul_add_small(&mut self, factor: u32, addend: u32) {
        let mut carry = u64::from(addend);
        for limb in &mut self.limbs {
            let product = u64::from(*limb) * u64::from(factor) + carry;
            *limb = product as u32;
            carry = product >> 32;
        }
        if carry > 0 {
            self.limbs.push(carry as u32);
        }
        self.trim();
    }

    /// self = self × 10^power.
    fn mul_pow10(&mut self, mut power: usize) {
        while power >= 9 {
            self.mul_add_small(1_000_000_000, 0);
            power -= 9;
        }
        if power > 0 {
            self.mul_add_small(10u32.pow(power as u32), 0);
        }
    }

    /// self = self × 2^bits.
    fn shl(&mut self, bits: usize) {
        if self.limbs.is_empty() {
            return;
        }
        let (whole, part) = (bits / 32, bits % 32);
        if part > 0 {
            let mut carry = 0u32;
            for limb in &mut self.limbs {
                let next = *limb >> (32 - part);
                *limb = (*limb << part) | carry;
                carry = next;
            }
            if carry > 0 {
                self.limbs.push(carry);
            }
        }
        if whole > 0 {
            self.limbs.splice(0..0, std::iter::repeat_n(0, whole));
        }
    }

    /// self = self / 2 (rounded down).
    fn shr1(&mut self) {
        let mut carry = 0u32;
        for limb in self.limbs.iter_mut().rev() {
            let next = *limb << 31;
            *limb = (*limb >> 1) | carry;
            carry = next;
        }
        self.trim();
    }

    /// self = self - other; requires self >= other.
    fn sub_assign(&mut self, other: &Big) {
        let mut borrow = false;
        for (i, limb) in self.limbs.iter_mut().enumerate() {
            let subtrahend = other.limbs.get(i).copied().unwrap_or(0);
            if i >= other.limbs.len() && !borrow {
                break;
            }
            let (difference, under1) = limb.overflowing_sub(subtrahend);
            let (difference, under2) = difference.overflowing_sub(u32::from(borrow));
            *limb = difference;
            borrow = under1 || under2;
        }
        self.trim();
    }

    fn bit_len(&self) -> usize {
        self.limbs.last().map_or(0, |top| self.limbs.len() * 32 - top.leading_zeros() as usize)
    }

    fn cmp(&self, other: &Big) -> Ordering {
        self.limbs.len().cmp(&other.limbs.len()).then_with(|| self.limbs.iter().rev().cmp(other.limbs.iter().rev()))
    }

    fn trim(&mut self) {
        while self.limbs.last() == Some(&0) {
            self.limbs.pop();
        }
    }
}

#[cfg(test)]
mod tests;
