//! Randomness (a leaf module): the seeded generator every random choice of an execution
//! draws from (`States.UUID`, `States.MathRandom`, `$random`, `$uuid`, retry jitter, task
//! tokens, ids in default responses), so that a run is reproducible from its seed, and the
//! one way UUIDs are made.

/// A source of randomness, injected so that a run is reproducible from its seed.
pub trait Random {
    fn next_u64(&mut self) -> u64;
}

/// SplitMix64: small, fast and good enough for UUIDs, `States.MathRandom` and jitter.
#[derive(Clone, Debug)]
pub struct SeededRandom(pub u64);

impl Random for SeededRandom {
    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
}

/// A version 4 UUID drawn from `random` (`States.UUID`, `$uuid`, task tokens, ids of default
/// responses): the one way every part of the interpreter makes UUIDs.
pub fn uuid_v4(random: &mut dyn Random) -> String {
    let mut bytes = [0u8; 16];
    bytes[..8].copy_from_slice(&random.next_u64().to_le_bytes());
    bytes[8..].copy_from_slice(&random.next_u64().to_le_bytes());
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(36);
    for (i, b) in bytes.iter().enumerate() {
        if matches!(i, 4 | 6 | 8 | 10) {
            out.push('-');
        }
        out.push(HEX[(b >> 4) as usize] as char);
        out.push(HEX[(b & 15) as usize] as char);
    }
    out
}
