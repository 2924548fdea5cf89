//! Repeated ids: takes the id column of a CSV table, row by row, and returns a diagnostic
//! for every id used twice, naming the line that first used it.

use crate::diag::Diagnostics;
use crate::load::csv::{field_at, field_pos, Row, Table};
use rayon::slice::ParallelSliceMut;

/// What a row naming the id of a refused row (`what`, on `line` of `path`) is told: where
/// that row is, and that its own error says what to fix.
pub fn refused_row(what: &str, line: u32, path: &str) -> String {
    format!("the {what} on line {line} of {path}, which was refused (its error is reported there); fix that row")
}

/// Finds repeated ids in one column of a file. Rows record a hash of their id as they
/// are read; `finish` sorts the hashes, confirms equal ones by re-reading the ids, and
/// reports every repeat with the line that first used the id. No allocation per row.
pub struct Ids<'a> {
    path: &'a str,
    bytes: &'a [u8],
    column: Option<usize>,
    what: &'static str,
    /// (hash, line, record offset)
    entries: Vec<(u64, u32, usize)>,
}

impl<'a> Ids<'a> {
    pub fn new(table: &Table<'a>, wanted_index: usize, what: &'static str) -> Self {
        Ids {
            path: table.path,
            bytes: table.bytes(),
            column: table.column(wanted_index),
            what,
            entries: Vec::new(),
        }
    }

    /// A collector for another part of the same file.
    pub fn empty(&self) -> Ids<'a> {
        Ids {
            path: self.path,
            bytes: self.bytes,
            column: self.column,
            what: self.what,
            entries: Vec::new(),
        }
    }

    /// Room for `n` more ids.
    pub fn reserve(&mut self, n: usize) {
        self.entries.reserve_exact(n);
    }

    /// How many ids were recorded.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Takes over the ids another part of the same file collected.
    pub fn append(&mut self, mut other: Ids<'a>) {
        self.entries.append(&mut other.entries);
    }

    /// Records the row's id; false (reported) when it is empty.
    pub fn add(&mut self, row: &Row, col: usize, diags: &mut Diagnostics) -> bool {
        let id = row.raw(col);
        if id.is_empty() {
            row.error(
                diags,
                col,
                format!("`{}` is empty; every row needs an id", self.what),
            );
            return false;
        }
        let mut h = rustc_hash::FxHasher::default();
        std::hash::Hasher::write(&mut h, id);
        self.entries
            .push((std::hash::Hasher::finish(&h), row.line, row.offset()));
        true
    }

    /// Reports every repeated id.
    pub fn finish(mut self, diags: &mut Diagnostics) {
        let Some(column) = self.column else {
            return;
        };
        // By hash alone (cheaper to compare); a run of equal hashes is put in line order when
        // it is reported.
        self.entries.par_sort_unstable_by_key(|e| e.0);
        let mut i = 0;
        while i < self.entries.len() {
            let mut j = i + 1;
            while j < self.entries.len() && self.entries[j].0 == self.entries[i].0 {
                j += 1;
            }
            if j - i > 1 {
                let mut run = self.entries[i..j].to_vec();
                run.sort_unstable();
                self.report_run(&run, column, diags);
            }
            i = j;
        }
    }

    /// Entries with one hash, by line: each id that repeats is reported at its later lines.
    fn report_run(&self, run: &[(u64, u32, usize)], column: usize, diags: &mut Diagnostics) {
        let ids: Vec<Vec<u8>> = run
            .iter()
            .map(|&(_, _, offset)| field_at(self.bytes, offset, column))
            .collect();
        for (k, &(_, line, offset)) in run.iter().enumerate() {
            if let Some(first) = (0..k).find(|&f| ids[f] == ids[k]) {
                diags.error(
                    self.path,
                    Some(field_pos(self.bytes, offset, line, column)),
                    format!(
                        "duplicate {} `{}`; first used on line {}",
                        self.what,
                        String::from_utf8_lossy(&ids[k]),
                        run[first].1
                    ),
                );
            }
        }
    }
}
