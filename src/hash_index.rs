//! One hash table for every keyed lookup of the engine, instead of std's `HashMap`.
//!
//! std's `HashMap` is compiled anew (insert, probe, grow, drop) for every key, value and
//! hasher type, which costs the wasm module tens of kilobytes. Here the table itself,
//! [`HashIndex`], is not generic: it maps a 64-bit hash to positions in a vector its owner
//! keeps, and asks the owner (through a `dyn` callback) whether the entry at a position has
//! the key sought. The crate's one string-keyed map, `value::Map<V>` (JSON objects, JSONata's
//! objects and every other table by name), indexes its entry vector with it once it grows;
//! [`UsizeMap`] is a thin map over a key vector, a value vector and an index for the
//! identity-keyed caches (keys are addresses of shared values, never strings).

use std::fmt;
use std::rc::Rc;

/// Positions `0..n` of a vector its owner keeps, found by the 64-bit hash of their keys.
///
/// Open addressing with linear probing over a power-of-two number of slots; a slot holds the
/// low 32 bits of a hash and the position + 1 (0 is an empty slot). It grows before it is
/// 5/8 full by re-placing the stored hashes, never re-hashing keys. Positions must be below
/// `u32::MAX` (a vector of four billion entries). Nothing is ever removed: an owner that
/// removes an entry shifts later positions and rebuilds the index.
#[derive(Clone, Default)]
pub(crate) struct HashIndex {
    slots: Vec<u64>,
    len: usize,
}

/// Golden-ratio multiplier: odd, with well-spread bits.
const MULTIPLIER: u64 = 0x9e37_79b9_7f4a_7c15;

/// A bijection that spreads every input bit over the low 32 bits the index uses.
fn mix(x: u64) -> u64 {
    let m = x.wrapping_mul(MULTIPLIER);
    m ^ (m >> 29)
}

/// The hash of a string key, eight bytes at a time (JSON keys such as `item0`..`item99999`
/// spread evenly).
pub(crate) fn hash_str(s: &str) -> u64 {
    let bytes = s.as_bytes();
    let mut h = bytes.len() as u64 ^ 0x243f_6a88_85a3_08d3;
    let mut words = bytes.chunks_exact(8);
    for word in &mut words {
        let mut w = 0u64;
        for (i, b) in word.iter().enumerate() {
            w |= u64::from(*b) << (8 * i);
        }
        h = mix(h ^ w);
    }
    let mut w = 0u64;
    for (i, b) in words.remainder().iter().enumerate() {
        w |= u64::from(*b) << (8 * i);
    }
    mix(mix(h ^ w))
}

/// The hash of an integer key such as an address.
pub(crate) fn hash_usize(x: usize) -> u64 {
    mix(x as u64)
}

impl HashIndex {
    /// An empty index (no slots until the first insert).
    pub fn new() -> HashIndex {
        HashIndex::default()
    }

    /// An index for `n` positions that will not grow before it holds them.
    pub fn with_capacity(n: usize) -> HashIndex {
        let mut index = HashIndex::new();
        if n > 0 {
            index.slots = vec![0; Self::slots_for(n)];
        }
        index
    }

    /// An index of the strings' positions (`keys` yields the key at 0, 1, ...).
    pub fn of_strs(keys: &mut dyn Iterator<Item = &str>) -> HashIndex {
        let mut index = HashIndex::with_capacity(keys.size_hint().0);
        for (position, key) in keys.enumerate() {
            index.insert(hash_str(key), position);
        }
        index
    }

    /// An index of the keys of `(key, value)` entries.
    pub fn of_entries<V>(entries: &[(Rc<str>, V)]) -> HashIndex {
        HashIndex::of_strs(&mut entries.iter().map(|(k, _)| &**k))
    }

    /// The fewest slots that hold `n` positions under the load limit.
    fn slots_for(n: usize) -> usize {
        (n.saturating_mul(8) / 5 + 1).next_power_of_two().max(8)
    }

    /// The position with this hash for which `is_key` says yes.
    pub fn find(&self, hash: u64, is_key: &mut dyn FnMut(usize) -> bool) -> Option<usize> {
        let mask = self.slots.len().wrapping_sub(1);
        let tag = hash & 0xffff_ffff;
        let mut i = tag as usize & mask;
        // The load limit keeps a slot empty, so the probe ends; `get` fails only when there
        // are no slots at all.
        loop {
            let slot = *self.slots.get(i)?;
            if slot == 0 {
                return None;
            }
            if slot >> 32 == tag {
                let position = ((slot & 0xffff_ffff) as usize).wrapping_sub(1);
                if is_key(position) {
                    return Some(position);
                }
            }
            i = (i + 1) & mask;
        }
    }

    /// Adds `position` under `hash`; the caller knows no position with the same key is there.
    pub fn insert(&mut self, hash: u64, position: usize) {
        if (self.len + 1) * 8 > self.slots.len() * 5 {
            let old = std::mem::replace(&mut self.slots, vec![0; Self::slots_for(self.len + 1)]);
            for slot in old.into_iter().filter(|&s| s != 0) {
                self.place(slot);
            }
        }
        self.place(hash << 32 | (position as u32).wrapping_add(1) as u64);
        self.len += 1;
    }

    /// Puts a slot's content into the first free slot from where its hash points.
    fn place(&mut self, slot: u64) {
        let mask = self.slots.len() - 1;
        let mut i = (slot >> 32) as usize & mask;
        while let Some(s) = self.slots.get_mut(i) {
            if *s == 0 {
                *s = slot;
                return;
            }
            i = (i + 1) & mask;
        }
    }
}

impl fmt::Debug for HashIndex {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "HashIndex({} of {} slots)", self.len, self.slots.len())
    }
}

/// Where `key` stands among `(key, value)` entries: through their index when they have one
/// (also giving the key's hash, for adding it), else by a scan.
#[cfg_attr(aslplay_speed, optimize(speed))]
pub(crate) fn locate<V>(
    entries: &[(Rc<str>, V)],
    index: Option<&HashIndex>,
    key: &str,
) -> (Option<usize>, Option<u64>) {
    match index {
        Some(index) => {
            let hash = hash_str(key);
            (index.find(hash, &mut |i| entries.get(i).is_some_and(|(k, _)| &**k == key)), Some(hash))
        }
        None => (entries.iter().position(|(k, _)| &**k == key), None),
    }
}

/// The position of `key` among `keys`, through their index.
fn find_usize(index: &HashIndex, keys: &[usize], key: usize) -> Option<usize> {
    index.find(hash_usize(key), &mut |i| keys.get(i) == Some(&key))
}

/// A map from integer keys (addresses of shared values) to values, in insertion order.
pub(crate) struct UsizeMap<V> {
    keys: Vec<usize>,
    values: Vec<V>,
    index: HashIndex,
}

impl<V> Default for UsizeMap<V> {
    fn default() -> UsizeMap<V> {
        UsizeMap { keys: Vec::new(), values: Vec::new(), index: HashIndex::new() }
    }
}

impl<V> UsizeMap<V> {
    /// An empty map.
    pub fn new() -> UsizeMap<V> {
        UsizeMap::default()
    }

    /// Whether it has no keys.
    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }

    /// The value of `key`.
    pub fn get(&self, key: usize) -> Option<&V> {
        self.values.get(find_usize(&self.index, &self.keys, key)?)
    }

    /// The value of `key`, first adding `make()` when the key is not there.
    pub fn get_or_insert_with(&mut self, key: usize, make: impl FnOnce() -> V) -> &mut V {
        let i = match find_usize(&self.index, &self.keys, key) {
            Some(i) => i,
            None => {
                self.index.insert(hash_usize(key), self.keys.len());
                self.keys.push(key);
                self.values.push(make());
                self.values.len() - 1
            }
        };
        &mut self.values[i]
    }

    /// Sets `key` to `value`.
    pub fn insert(&mut self, key: usize, value: V) {
        match find_usize(&self.index, &self.keys, key).and_then(|i| self.values.get_mut(i)) {
            Some(slot) => *slot = value,
            None => {
                self.index.insert(hash_usize(key), self.keys.len());
                self.keys.push(key);
                self.values.push(value);
            }
        }
    }
}

#[cfg(test)]
mod tests;
