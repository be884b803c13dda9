//! One stable merge sort for the whole crate. The standard library's sort is instantiated
//! anew, several kilobytes each, for every element type and comparator; here the merging is
//! done once, on positions, through a `dyn` comparator, and only a small permutation step is
//! generic. The lists sorted this way are short (names, keys, results of a run), and every
//! comparator is a total order, so the result is the same as `slice::sort_by`'s.
//!
//! [`SortedMap`] stands in for `BTreeMap` for the same reason: a sorted vector searched by
//! bisection is a fraction of the code, and the maps it holds (mocked S3 objects) are small.

use std::borrow::Borrow;
use std::cmp::Ordering;
use std::ops::Bound;

/// Sorts `items` stably by `compare` (as `slice::sort_by` does).
pub(crate) fn sort_by<T>(items: &mut Vec<T>, mut compare: impl FnMut(&T, &T) -> Ordering) {
    if items.len() < 2 {
        return;
    }
    let order = sorted_positions(items.len(), &mut |a, b| match (items.get(a), items.get(b)) {
        (Some(x), Some(y)) => compare(x, y),
        _ => Ordering::Equal,
    });
    let mut slots: Vec<Option<T>> = items.drain(..).map(Some).collect();
    items.extend(order.into_iter().filter_map(|i| slots.get_mut(i).and_then(Option::take)));
}

/// Sorts `items` stably by the key `key` gives (as `slice::sort_by_key` does).
pub(crate) fn sort_by_key<T, K: Ord>(items: &mut Vec<T>, mut key: impl FnMut(&T) -> K) {
    sort_by(items, |a, b| key(a).cmp(&key(b)));
}

/// Sorts `items` in ascending order, stably (as `slice::sort` does).
pub(crate) fn sort<T: Ord>(items: &mut Vec<T>) {
    sort_by(items, T::cmp);
}

/// The positions `0..len` in stably sorted order: a bottom-up merge sort.
fn sorted_positions(len: usize, compare: &mut dyn FnMut(usize, usize) -> Ordering) -> Vec<usize> {
    let mut from: Vec<usize> = (0..len).collect();
    let mut to = vec![0; len];
    let mut width = 1;
    while width < len {
        let mut start = 0;
        while start < len {
            let mid = (start + width).min(len);
            let end = (start + 2 * width).min(len);
            let (mut i, mut j) = (start, mid);
            for slot in &mut to[start..end] {
                // The left run wins ties, which keeps equal items in their order.
                let take_left = j >= end || (i < mid && compare(from[i], from[j]) != Ordering::Greater);
                if take_left {
                    *slot = from[i];
                    i += 1;
                } else {
                    *slot = from[j];
                    j += 1;
                }
            }
            start = end;
        }
        std::mem::swap(&mut from, &mut to);
        width *= 2;
    }
    from
}

/// A map kept in key order: the subset of `BTreeMap` the mocked S3 stores use.
#[derive(Clone, Debug)]
pub(crate) struct SortedMap<K, V> {
    entries: Vec<(K, V)>,
}

impl<K, V> Default for SortedMap<K, V> {
    fn default() -> Self {
        SortedMap { entries: Vec::new() }
    }
}

impl<K: Ord, V> SortedMap<K, V> {
    pub(crate) fn new() -> Self {
        SortedMap::default()
    }

    /// Where `key` is (`Ok`) or would go (`Err`).
    fn find<Q: Ord + ?Sized>(&self, key: &Q) -> Result<usize, usize>
    where
        K: Borrow<Q>,
    {
        self.entries.binary_search_by(|(k, _)| k.borrow().cmp(key))
    }

    pub(crate) fn get<Q: Ord + ?Sized>(&self, key: &Q) -> Option<&V>
    where
        K: Borrow<Q>,
    {
        self.find(key).ok().and_then(|i| self.entries.get(i)).map(|(_, v)| v)
    }

    pub(crate) fn get_mut<Q: Ord + ?Sized>(&mut self, key: &Q) -> Option<&mut V>
    where
        K: Borrow<Q>,
    {
        self.find(key).ok().and_then(|i| self.entries.get_mut(i)).map(|(_, v)| v)
    }

    pub(crate) fn contains_key<Q: Ord + ?Sized>(&self, key: &Q) -> bool
    where
        K: Borrow<Q>,
    {
        self.find(key).is_ok()
    }

    /// Inserts or replaces; the replaced value.
    pub(crate) fn insert(&mut self, key: K, value: V) -> Option<V> {
        match self.find(&key) {
            Ok(i) => self.entries.get_mut(i).map(|slot| std::mem::replace(&mut slot.1, value)),
            Err(i) => {
                self.entries.insert(i, (key, value));
                None
            }
        }
    }

    pub(crate) fn remove<Q: Ord + ?Sized>(&mut self, key: &Q) -> Option<V>
    where
        K: Borrow<Q>,
    {
        self.find(key).ok().map(|i| self.entries.remove(i).1)
    }

    /// The entries in key order.
    pub(crate) fn iter(&self) -> impl Iterator<Item = (&K, &V)> {
        self.entries.iter().map(|(k, v)| (k, v))
    }

    pub(crate) fn keys(&self) -> impl Iterator<Item = &K> {
        self.entries.iter().map(|(k, _)| k)
    }

    /// The entries from `start` on, in key order.
    pub(crate) fn range_from<Q: Ord + ?Sized>(&self, start: Bound<&Q>) -> impl Iterator<Item = (&K, &V)>
    where
        K: Borrow<Q>,
    {
        let first = match start {
            Bound::Included(key) => self.find(key).unwrap_or_else(|i| i),
            Bound::Excluded(key) => self.find(key).map_or_else(|i| i, |i| i + 1),
            Bound::Unbounded => 0,
        };
        self.entries.get(first..).unwrap_or_default().iter().map(|(k, v)| (k, v))
    }
}

impl<'a, K: Ord, V> IntoIterator for &'a SortedMap<K, V> {
    type Item = (&'a K, &'a V);
    type IntoIter = std::iter::Map<std::slice::Iter<'a, (K, V)>, fn(&'a (K, V)) -> (&'a K, &'a V)>;

    fn into_iter(self) -> Self::IntoIter {
        self.entries.iter().map(|(k, v)| (k, v))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_the_standard_stable_sort() {
        // Pseudo-random keys with many ties; the second field shows stability.
        let mut seed = 12345u64;
        for len in [0, 1, 2, 3, 7, 8, 9, 31, 64, 100, 1000] {
            let items: Vec<(u64, usize)> = (0..len)
                .map(|i| {
                    seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
                    ((seed >> 33) % 10, i)
                })
                .collect();
            let mut ours = items.clone();
            sort_by_key(&mut ours, |p| p.0);
            let mut theirs = items.clone();
            theirs.sort_by_key(|p| p.0);
            assert_eq!(ours, theirs, "length {len}");
            let mut ours = items.clone();
            sort_by(&mut ours, |a, b| b.0.cmp(&a.0));
            let mut theirs = items;
            theirs.sort_by_key(|p| std::cmp::Reverse(p.0));
            assert_eq!(ours, theirs, "descending, length {len}");
        }
        let mut words = vec!["pear", "apple", "fig", "apple"];
        sort(&mut words);
        assert_eq!(words, ["apple", "apple", "fig", "pear"]);
    }

    #[test]
    fn sorted_map_keeps_key_order() {
        let mut m: SortedMap<String, i32> = SortedMap::new();
        for (k, v) in [("b", 2), ("a", 1), ("d", 4), ("c", 3)] {
            assert_eq!(m.insert(k.to_string(), v), None);
        }
        assert_eq!(m.insert("b".to_string(), 20), Some(2));
        assert_eq!(m.keys().map(String::as_str).collect::<Vec<_>>(), ["a", "b", "c", "d"]);
        assert_eq!(m.get("b"), Some(&20));
        assert!(m.contains_key("c") && !m.contains_key("e"));
        *m.get_mut("c").unwrap() += 1;
        assert_eq!(m.remove("a"), Some(1));
        assert_eq!(m.remove("a"), None);
        let from = |b| m.range_from(b).map(|(k, v)| format!("{k}{v}")).collect::<Vec<_>>();
        assert_eq!(from(Bound::Included("c")), ["c4", "d4"]);
        assert_eq!(from(Bound::Excluded("c")), ["d4"]);
        assert_eq!(from(Bound::Included("bb")), ["c4", "d4"]);
        assert_eq!(from(Bound::Unbounded), ["b20", "c4", "d4"]);
        assert_eq!((&m).into_iter().count(), 3);
    }
}
