//! Base64 (a leaf module) for `States.Base64Encode`/`States.Base64Decode` and the default
//! service responses. Encoding is standard RFC 4648 with padding. Decoding is lenient the way
//! AWS's is (it behaves like Apache Commons Codec): characters outside the alphabet are
//! skipped, the URL-safe `-` and `_` are accepted, the first `=` ends the data, and a dangling
//! partial group is decoded as far as it goes.

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// Standard base64 (RFC 4648, with padding) of `data`.
pub(crate) fn encode(data: &[u8]) -> String {
    let mut out = String::new();
    encode_into(&mut out, data);
    out
}

/// Appends the padded base64 text of `data` to `out`.
pub(crate) fn encode_into(out: &mut String, data: &[u8]) {
    out.reserve(data.len().div_ceil(3) * 4);
    for chunk in data.chunks(3) {
        let b = [chunk[0], chunk.get(1).copied().unwrap_or(0), chunk.get(2).copied().unwrap_or(0)];
        let n = (b[0] as u32) << 16 | (b[1] as u32) << 8 | b[2] as u32;
        for k in 0..4 {
            out.push(char::from(if k <= chunk.len() { ALPHABET[(n >> (18 - 6 * k) & 63) as usize] } else { b'=' }));
        }
    }
}

fn sextet(c: u8) -> Option<u32> {
    Some(match c {
        b'A'..=b'Z' => c - b'A',
        b'a'..=b'z' => c - b'a' + 26,
        b'0'..=b'9' => c - b'0' + 52,
        b'+' | b'-' => 62,
        b'/' | b'_' => 63,
        _ => return None,
    } as u32)
}

/// Decodes as AWS does (see the module doc): never fails, skips what it cannot read.
pub(crate) fn decode_lenient(text: &str) -> Vec<u8> {
    let mut out = Vec::with_capacity(text.len() / 4 * 3);
    let mut acc = 0u32;
    let mut count = 0;
    for &c in text.as_bytes() {
        if c == b'=' {
            break;
        }
        let Some(v) = sextet(c) else { continue };
        acc = acc << 6 | v;
        count += 1;
        if count == 4 {
            out.extend_from_slice(&[(acc >> 16) as u8, (acc >> 8) as u8, acc as u8]);
            acc = 0;
            count = 0;
        }
    }
    match count {
        2 => out.push((acc >> 4) as u8),
        3 => out.extend_from_slice(&[(acc >> 10) as u8, (acc >> 2) as u8]),
        _ => {}
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodes_with_padding() {
        assert_eq!(encode(b""), "");
        assert_eq!(encode(b"hello"), "aGVsbG8=");
        assert_eq!(encode(b"Data to encode"), "RGF0YSB0byBlbmNvZGU=");
        assert_eq!(encode("🚀".as_bytes()), "8J+agA==");
        assert_eq!(encode(b"abc\0def"), "YWJjAGRlZg==");
    }

    #[test]
    fn decodes_leniently() {
        assert_eq!(decode_lenient("RGF0YSB0byBlbmNvZGU="), b"Data to encode");
        assert_eq!(decode_lenient(" YWJjZA== "), b"abcd");
        assert_eq!(decode_lenient("abc"), b"i\xb7");
        assert_eq!(decode_lenient("ab==cd"), b"i");
        assert_eq!(decode_lenient("4pyT"), "✓".as_bytes());
        assert_eq!(decode_lenient("!!!"), b"");
    }
}
