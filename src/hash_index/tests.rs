use super::*;

/// The position of `key` among `keys`, through their index.
fn find_str(index: &HashIndex, keys: &[Rc<str>], key: &str) -> Option<usize> {
    index.find(hash_str(key), &mut |i| keys.get(i).is_some_and(|k| &**k == key))
}

#[test]
fn finds_every_one_of_many_keys_across_growth() {
    let keys: Vec<String> = (0..100_000).map(|i| format!("item{i}")).collect();
    let mut index = HashIndex::new();
    for (i, k) in keys.iter().enumerate() {
        index.insert(hash_str(k), i);
    }
    assert_eq!(index.len, 100_000);
    for (i, k) in keys.iter().enumerate() {
        assert_eq!(index.find(hash_str(k), &mut |p| keys[p] == *k), Some(i), "{k}");
    }
    assert_eq!(index.find(hash_str("item100000"), &mut |p| keys[p] == "item100000"), None);
    assert_eq!(index.find(hash_str(""), &mut |p| keys[p].is_empty()), None);
}

#[test]
fn string_hashes_spread_over_the_low_bits() {
    let hashes: Vec<u64> = (0..100_000).map(|i| hash_str(&format!("item{i}"))).collect();
    let mut distinct = hashes.clone();
    distinct.sort_unstable();
    distinct.dedup();
    assert_eq!(distinct.len(), 100_000, "no two keys share a hash");
    // 100,000 keys thrown into 2^18 buckets by their low bits fill about 83,000 of them
    // when the bits are as good as random.
    let mut buckets: Vec<u64> = hashes.iter().map(|h| h & ((1 << 18) - 1)).collect();
    buckets.sort_unstable();
    buckets.dedup();
    assert!(buckets.len() > 80_000, "{} buckets used", buckets.len());
    // Keys of every length up to two words differ from their neighbours.
    let short: Vec<u64> = ["", "a", "b", "ab", "ba", "abcdefgh", "abcdefghi", "abcdefgi", "abcdefghij"]
        .iter()
        .map(|s| hash_str(s))
        .collect();
    let mut distinct = short.clone();
    distinct.sort_unstable();
    distinct.dedup();
    assert_eq!(distinct.len(), short.len());
}

#[test]
fn address_hashes_spread_over_the_low_bits() {
    // Aligned addresses: multiples of 16.
    let mut buckets: Vec<u64> = (0..10_000usize).map(|i| hash_usize(0x10_0000 + 16 * i) & 0xffff).collect();
    buckets.sort_unstable();
    buckets.dedup();
    assert!(buckets.len() > 9_000, "{} buckets used", buckets.len());
}

#[test]
fn equal_hashes_are_told_apart_by_the_key_test() {
    let keys: Vec<u32> = (0..1000).map(|i| i * 7).collect();
    let mut index = HashIndex::new();
    for i in 0..keys.len() {
        index.insert(42, i);
    }
    for (i, k) in keys.iter().enumerate() {
        let mut asked = 0;
        let found = index.find(42, &mut |p| {
            asked += 1;
            keys[p] == *k
        });
        assert_eq!(found, Some(i));
        assert!(asked <= keys.len());
    }
    assert_eq!(index.find(42, &mut |_| false), None);
    // Only the low 32 bits of a hash are stored and compared.
    assert_eq!(index.find(42 | (1 << 40), &mut |p| keys[p] == 14), Some(2));
    assert_eq!(index.find(43, &mut |p| keys[p] == 0), None);
}

#[test]
fn an_empty_index_finds_nothing() {
    let empty = HashIndex::new();
    assert_eq!(empty.find(0, &mut |_| true), None);
    assert_eq!(HashIndex::with_capacity(10).find(7, &mut |_| true), None);
    let mut index = HashIndex::with_capacity(3);
    for i in 0..50 {
        index.insert(hash_usize(i), i);
    }
    assert_eq!(index.find(hash_usize(49), &mut |p| p == 49), Some(49));
    assert_eq!(index.find(hash_usize(50), &mut |p| p == 50), None);
    assert_eq!((index.len, index.slots.len()), (50, 128), "grown before 5/8 full");
}

#[test]
fn of_strs_indexes_positions_and_rebuilds_after_a_removal() {
    let mut keys: Vec<Rc<str>> = ["a", "b", "c", "d"].iter().map(|s| Rc::from(*s)).collect();
    let index = HashIndex::of_strs(&mut keys.iter().map(|k| &**k));
    assert_eq!(find_str(&index, &keys, "c"), Some(2));
    keys.remove(1);
    let index = HashIndex::of_strs(&mut keys.iter().map(|k| &**k));
    assert_eq!(index.len, 3);
    assert_eq!(find_str(&index, &keys, "b"), None);
    assert_eq!(find_str(&index, &keys, "c"), Some(1));
    assert_eq!(find_str(&index, &keys, "d"), Some(2));
}

#[test]
fn usize_map_inserts_replaces_and_finds() {
    let mut m: UsizeMap<String> = UsizeMap::new();
    assert!(m.is_empty() && m.get(8).is_none());
    for i in 0..5000 {
        m.insert(i * 8, format!("v{i}"));
    }
    m.insert(16, "replaced".into());
    m.get_or_insert_with(24, || "unused".into()).push('!');
    m.get_or_insert_with(1, String::new).push('x');
    assert_eq!(m.get(16).map(String::as_str), Some("replaced"));
    assert_eq!(m.get(24).map(String::as_str), Some("v3!"));
    assert_eq!(m.get(1).map(String::as_str), Some("x"));
    assert_eq!(m.get(8 * 4999).map(String::as_str), Some("v4999"));
    assert_eq!(m.get(8 * 5000), None);
}
