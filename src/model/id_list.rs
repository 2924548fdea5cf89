//! Row ids kept compactly: every id in one text buffer, found again through a hash table of
//! row numbers, so a table of ids costs no allocation per row to make or to copy.

use hashbrown::HashTable;
use rustc_hash::FxBuildHasher;
use std::hash::BuildHasher;

/// The ids of a table's rows, in row order, each once.
#[derive(Clone, Default)]
pub struct IdList {
    /// Every id, one after another.
    text: String,
    /// Where each id ends in `text` (it starts where the one before ends).
    ends: Vec<u32>,
    /// Row numbers, by the hash of their id.
    index: HashTable<u32>,
}

fn hash(id: &[u8]) -> u64 {
    FxBuildHasher.hash_one(id)
}

/// Where id `i` starts and ends in the text, given where every id ends.
fn span(ends: &[u32], i: usize) -> Option<(usize, usize)> {
    let end = *ends.get(i)? as usize;
    let start = match i {
        0 => 0,
        _ => ends[i - 1] as usize,
    };
    Some((start, end))
}

impl IdList {
    /// An empty list with room for `rows` ids.
    pub fn with_capacity(rows: usize) -> IdList {
        IdList {
            text: String::new(),
            ends: Vec::with_capacity(rows),
            index: HashTable::with_capacity(rows),
        }
    }

    pub fn len(&self) -> usize {
        self.ends.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    /// Row `i`'s id.
    pub fn get(&self, i: usize) -> Option<&str> {
        span(&self.ends, i).map(|(start, end)| &self.text[start..end])
    }

    /// Every id, in row order.
    pub fn iter(&self) -> impl Iterator<Item = &str> + '_ {
        (0..self.len()).filter_map(|i| self.get(i))
    }

    /// The row whose id is `id`.
    pub fn find(&self, id: &[u8]) -> Option<u32> {
        self.find_hashed(id, hash(id))
    }

    fn find_hashed(&self, id: &[u8], hash: u64) -> Option<u32> {
        let at = |i: &u32| self.get(*i as usize).map(str::as_bytes) == Some(id);
        self.index.find(hash, at).copied()
    }

    /// Adds `id` as the next row and returns its number; `Err` with the row that has it
    /// already, adding nothing.
    pub fn insert(&mut self, id: &str) -> Result<u32, u32> {
        let id_hash = hash(id.as_bytes());
        if let Some(row) = self.find_hashed(id.as_bytes(), id_hash) {
            return Err(row);
        }
        let row = self.len() as u32;
        self.text.push_str(id);
        self.ends.push(self.text.len() as u32);
        let IdList { text, ends, index } = self;
        let id_of = |i: &u32| {
            let (start, end) = span(ends, *i as usize).unwrap_or_default();
            hash(&text.as_bytes()[start..end])
        };
        index.insert_unique(id_hash, row, id_of);
        Ok(row)
    }
}

impl std::ops::Index<usize> for IdList {
    type Output = str;

    fn index(&self, i: usize) -> &str {
        match self.get(i) {
            Some(id) => id,
            None => panic!("row {i} of {} ids", self.len()),
        }
    }
}

impl std::fmt::Debug for IdList {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

impl PartialEq for IdList {
    fn eq(&self, other: &IdList) -> bool {
        self.text == other.text && self.ends == other.ends
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_kept_in_row_order_and_found_by_their_bytes() {
        let mut ids = IdList::default();
        assert_eq!((ids.len(), ids.is_empty(), ids.get(0)), (0, true, None));
        assert_eq!(ids.insert("d1"), Ok(0));
        assert_eq!(ids.insert("d22"), Ok(1));
        // An id that is a prefix or a suffix of another is its own id.
        assert_eq!(ids.insert("d2"), Ok(2));
        assert_eq!(ids.insert(""), Ok(3));
        // A repeated id names the first row and adds nothing.
        assert_eq!(ids.insert("d22"), Err(1));
        assert_eq!(ids.len(), 4);
        assert_eq!(ids.iter().collect::<Vec<_>>(), ["d1", "d22", "d2", ""]);
        assert_eq!((&ids[1], ids.get(2), ids.get(4)), ("d22", Some("d2"), None));
        assert_eq!(ids.find(b"d2"), Some(2));
        assert_eq!(ids.find(b""), Some(3));
        assert_eq!(ids.find(b"d3"), None);
        assert_eq!(format!("{ids:?}"), r#"["d1", "d22", "d2", ""]"#);
    }

    /// Past the table's first growth every id is still found (the table rehashes each row by
    /// its id), and a copy equals its original.
    #[test]
    fn many_ids_are_found_after_the_table_grows() {
        let mut ids = IdList::with_capacity(2);
        for i in 0..5000u32 {
            assert_eq!(ids.insert(&format!("id-{i}")), Ok(i));
        }
        for i in (0..5000u32).step_by(7) {
            assert_eq!(ids.find(format!("id-{i}").as_bytes()), Some(i));
        }
        assert_eq!(ids.find(b"id-5000"), None);
        let copy = ids.clone();
        assert_eq!(copy, ids);
        assert_eq!(copy.find(b"id-4999"), Some(4999));
        let mut other = IdList::default();
        other.insert("id-0").unwrap();
        assert_ne!(other, ids);
    }
}
