//! CSV tables: reads one CSV file's bytes and yields typed fields row by row, turning
//! every bad value into a diagnostic with the file's line and column.

use crate::diag::{Diagnostics, Pos};
use crate::load::time::{parse_date, parse_timestamp, timestamp_hint};
use crate::model::Ts;
use chrono::NaiveDate;
use csv::ByteRecord;

/// A CSV file whose header has been matched against the columns a loader wants.
pub struct Table<'a> {
    pub path: &'a str,
    bytes: &'a [u8],
    reader: csv::Reader<&'a [u8]>,
    /// Column index for each wanted column name; `None` for an absent optional one.
    columns: Vec<Option<usize>>,
    /// Where the reader's bytes start in the file: its positions are relative to this.
    base: (usize, u32),
    /// The bytes this table reads: the whole file, or one part of it (`split`).
    span: &'a [u8],
    /// How many fields the header has: every row must have as many.
    width: usize,
}

/// A wanted column: its name and whether the file must have it.
#[derive(Clone, Copy)]
pub struct Col {
    pub name: &'static str,
    pub required: bool,
}

pub const fn req(name: &'static str) -> Col {
    Col {
        name,
        required: true,
    }
}

pub const fn opt(name: &'static str) -> Col {
    Col {
        name,
        required: false,
    }
}

impl<'a> Table<'a> {
    /// Reads the header. A file that is not UTF-8 is reported at its first bad byte, missing
    /// required columns at line 1; both give `None`.
    pub fn open(
        path: &'a str,
        bytes: &'a [u8],
        wanted: &[Col],
        diags: &mut Diagnostics,
    ) -> Option<Self> {
        if let Err(pos) = crate::diag::utf8_text(bytes) {
            diags.file_error(path, Some(pos), crate::diag::NOT_UTF8);
            return None;
        }
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(true)
            .flexible(true)
            .from_reader(bytes);
        let header = match reader.byte_headers() {
            Ok(h) => h.clone(),
            Err(e) => {
                diags.file_error(
                    path,
                    Some(Pos { line: 1, column: 1 }),
                    format!("cannot read the header row: {e}"),
                );
                return None;
            }
        };
        let names: Vec<String> = header
            .iter()
            .map(|h| {
                String::from_utf8_lossy(h)
                    .trim()
                    .trim_start_matches('\u{feff}')
                    .to_string()
            })
            .collect();
        let mut columns = Vec::with_capacity(wanted.len());
        let mut ok = true;
        for col in wanted {
            let idx = names.iter().position(|n| n == col.name);
            if idx.is_none() && col.required {
                ok = false;
                diags.file_error(
                    path,
                    Some(Pos { line: 1, column: 1 }),
                    format!(
                        "missing column `{}`; the header must include {} (found: {})",
                        col.name,
                        wanted
                            .iter()
                            .filter(|c| c.required)
                            .map(|c| c.name)
                            .collect::<Vec<_>>()
                            .join(","),
                        names.join(",")
                    ),
                );
            }
            columns.push(idx);
        }
        ok.then_some(Table {
            path,
            bytes,
            reader,
            columns,
            base: (0, 0),
            span: bytes,
            width: names.len(),
        })
    }

    /// The file's bytes.
    pub fn bytes(&self) -> &'a [u8] {
        self.bytes
    }

    /// The file column of a wanted column.
    pub fn column(&self, wanted_index: usize) -> Option<usize> {
        self.columns[wanted_index]
    }

    /// Whether an optional column is present.
    /// At most how many data rows the table (or this part of it) has: its line ends, to size
    /// what it fills.
    pub fn rows_at_most(&self) -> usize {
        line_ends(self.span) + 1
    }

    pub fn has(&self, wanted_index: usize) -> bool {
        self.columns[wanted_index].is_some()
    }

    /// Splits the remaining rows into up to `n` tables of about equal size, cut at record
    /// boundaries (never inside a quoted field), so they can be read in parallel. Rows keep
    /// their file lines and offsets.
    pub fn split(self, n: usize) -> Vec<Table<'a>> {
        let start = self.reader.position().byte() as usize + self.base.0;
        let body = &self.bytes[start.min(self.bytes.len())..];
        if n < 2 || body.len() < 1 << 20 {
            return vec![self];
        }
        let mut cuts = vec![0usize];
        let (mut quotes, mut from) = (0usize, 0usize);
        for k in 1..n {
            let target = body.len() * k / n;
            let Some(cut) = record_boundary(body, from, target, &mut quotes) else {
                break;
            };
            cuts.push(cut);
            from = cut;
        }
        cuts.push(body.len());
        cuts.dedup();
        let mut line = line_ends(&self.bytes[..start]) as u32;
        let mut tables = Vec::with_capacity(cuts.len() - 1);
        for w in cuts.windows(2) {
            let part = &body[w[0]..w[1]];
            tables.push(Table {
                path: self.path,
                bytes: self.bytes,
                reader: csv::ReaderBuilder::new()
                    .has_headers(false)
                    .flexible(true)
                    .from_reader(part),
                columns: self.columns.clone(),
                base: (start + w[0], line),
                span: part,
                width: self.width,
            });
            line += line_ends(part) as u32;
        }
        tables
    }

    /// Reads the remaining rows in parts side by side (`split`, two parts a thread so that
    /// an uneven part does not leave a thread idle), each with `read` and its own
    /// diagnostics; the results come in file order.
    pub fn read_parts<T: Send>(
        self,
        read: impl Fn(Table<'a>, &mut Diagnostics) -> T + Sync,
    ) -> Vec<(T, Diagnostics)> {
        use rayon::prelude::*;
        self.split(2 * rayon::current_num_threads())
            .into_par_iter()
            .map(|part| {
                let mut d = Diagnostics::new();
                let t = read(part, &mut d);
                (t, d)
            })
            .collect()
    }

    /// Calls `f` for every data row. CSV syntax errors are reported and end the file. A row
    /// with more or fewer fields than the header is refused (reported, `f` not called: an
    /// unquoted comma would otherwise cut a title short, or shift a value into the next
    /// column); returns each such row's first wanted field (the id, for the tables that
    /// have one) and line, so that a row naming a refused id is told where it is.
    pub fn for_each_row(
        mut self,
        diags: &mut Diagnostics,
        mut f: impl FnMut(&Row, &mut Diagnostics),
    ) -> Vec<(String, u32)> {
        let mut refused = Vec::new();
        let mut record = ByteRecord::new();
        loop {
            match self.reader.read_byte_record(&mut record) {
                Ok(false) => break,
                Ok(true) => {
                    let pos = record.position().expect("csv records carry positions");
                    let (offset, line) = past_blank_lines(
                        self.bytes,
                        pos.byte() as usize + self.base.0,
                        pos.line() as u32 + self.base.1,
                    );
                    let row = Row {
                        path: self.path,
                        bytes: self.bytes,
                        record: &record,
                        columns: &self.columns,
                        line,
                        offset,
                    };
                    if record.len() == 1 && record.get(0).is_some_and(|f| f.is_empty()) {
                        continue; // a blank line
                    }
                    if let Some(i) = record.iter().position(|f| f.contains(&b'\n')) {
                        row.line_break(i, diags);
                        continue;
                    }
                    if record.len() != self.width {
                        row.wrong_width(self.width, diags);
                        refused.push((row.text(0), line));
                        continue;
                    }
                    f(&row, diags);
                }
                Err(e) => {
                    let line = e.position().map_or(0, |p| p.line() as u32) + self.base.1;
                    diags.error(
                        self.path,
                        Some(Pos { line, column: 1 }),
                        format!("malformed CSV: {e}; check quoting on this line"),
                    );
                    break;
                }
            }
        }
        refused
    }
}

/// A field's place in its file: its record's byte offset and line, and its file column
/// (`u32::MAX` when the column is absent). Ordered by line, then column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Spot {
    pub offset: usize,
    pub line: u32,
    pub column: u32,
}

impl Spot {
    /// The line and 1-based character column of the field in `bytes` (the file it is in).
    pub fn pos(self, bytes: &[u8]) -> Pos {
        match self.column {
            u32::MAX => Pos {
                line: self.line,
                column: 1,
            },
            c => field_pos(bytes, self.offset, self.line, c as usize),
        }
    }
}

/// A field that could not be read: its error is already in the diagnostics.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Reported;

/// One data row, with accessors by wanted-column index.
pub struct Row<'a> {
    pub path: &'a str,
    bytes: &'a [u8],
    record: &'a ByteRecord,
    columns: &'a [Option<usize>],
    pub line: u32,
    offset: usize,
}

impl Row<'_> {
    /// The raw field, trimmed; empty when the column or field is absent.
    pub fn raw(&self, col: usize) -> &[u8] {
        self.columns[col]
            .and_then(|i| self.record.get(i))
            .map_or(&[][..], |f| f.trim_ascii())
    }

    /// Byte offset of this record in the file.
    pub fn offset(&self) -> usize {
        self.offset
    }

    /// The field as text (`open` has checked that the file is UTF-8).
    pub fn text(&self, col: usize) -> String {
        String::from_utf8_lossy(self.raw(col)).into_owned()
    }

    pub fn is_empty(&self, col: usize) -> bool {
        self.raw(col).is_empty()
    }

    /// Where a field is, to be turned into a line and column (`Spot::pos`) only if it is
    /// reported: cheaper than `pos` for a value kept for every row.
    pub fn spot(&self, col: usize) -> Spot {
        Spot {
            offset: self.offset,
            line: self.line,
            column: self.columns[col].map_or(u32::MAX, |c| c as u32),
        }
    }

    /// The position of a field in the file: line and 1-based character column.
    pub fn pos(&self, col: usize) -> Pos {
        match self.columns[col] {
            Some(target) => field_pos(self.bytes, self.offset, self.line, target),
            None => Pos {
                line: self.line,
                column: 1,
            },
        }
    }

    /// Reports a row whose field count is not the header's `width`: more fields, at the first
    /// extra one (most often a value with a comma that needs quotes); fewer, at the row.
    fn wrong_width(&self, width: usize, diags: &mut Diagnostics) {
        let n = self.record.len();
        let (at, hint) = if n > width {
            (
                field_pos(self.bytes, self.offset, self.line, width),
                "a value that contains a comma must be in double quotes (`\"a, b\"`)",
            )
        } else {
            (
                Pos {
                    line: self.line,
                    column: 1,
                },
                "write every field, empty ones too (`a,,c`)",
            )
        };
        let fields = |k: usize| format!("{k} field{}", if k == 1 { "" } else { "s" });
        diags.error(
            self.path,
            Some(at),
            format!("this row has {} and the header {width}; {hint}", fields(n)),
        );
    }

    /// Reports field `i` (a file column) holding a line break: no contract column holds
    /// one, so it is a quote left open, reported where it opened with the field's start.
    fn line_break(&self, i: usize, diags: &mut Diagnostics) {
        let field = self.record.get(i).unwrap_or_default();
        let first = String::from_utf8_lossy(field);
        let first = first.lines().next().unwrap_or("");
        let mut shown: String = first.chars().take(60).collect();
        if shown.len() < first.len() {
            shown.push('…');
        }
        let lines = field
            .trim_ascii_end()
            .iter()
            .filter(|&&b| b == b'\n')
            .count()
            + 1;
        diags.error(
            self.path,
            Some(field_pos(self.bytes, self.offset, self.line, i)),
            format!(
                "the quote opened here (`\"{shown}`) runs over {lines} lines; a field may not contain a line break: close the quote or remove it"
            ),
        );
    }

    pub fn error(&self, diags: &mut Diagnostics, col: usize, message: impl Into<String>) {
        diags.error(self.path, Some(self.pos(col)), message);
    }

    /// An error that is only true if the file `follows` loaded completely (an id looked up
    /// in it); see `Diagnostics::error_after`.
    pub fn error_after(
        &self,
        diags: &mut Diagnostics,
        follows: &'static str,
        col: usize,
        message: impl Into<String>,
    ) {
        diags.error_after(follows, self.path, Some(self.pos(col)), message);
    }

    pub fn warn(&self, diags: &mut Diagnostics, col: usize, message: impl Into<String>) {
        diags.warn(self.path, Some(self.pos(col)), message);
    }

    /// A required RFC 3339 timestamp.
    pub fn timestamp(&self, col: usize, name: &str, diags: &mut Diagnostics) -> Option<Ts> {
        let raw = self.raw(col);
        if raw.is_empty() {
            self.error(
                diags,
                col,
                format!("`{name}` is empty; give an RFC 3339 timestamp like 2026-07-01T10:00:00Z"),
            );
            return None;
        }
        self.parse_ts(col, name, raw, diags)
    }

    /// An optional RFC 3339 timestamp: empty is `Ok(None)`.
    pub fn opt_timestamp(
        &self,
        col: usize,
        name: &str,
        diags: &mut Diagnostics,
    ) -> Result<Option<Ts>, Reported> {
        let raw = self.raw(col);
        if raw.is_empty() {
            return Ok(None);
        }
        self.parse_ts(col, name, raw, diags)
            .map(Some)
            .ok_or(Reported)
    }

    fn parse_ts(&self, col: usize, name: &str, raw: &[u8], diags: &mut Diagnostics) -> Option<Ts> {
        let text = std::str::from_utf8(raw).unwrap_or("");
        let ts = parse_timestamp(text);
        if ts.is_none() {
            self.error(
                diags,
                col,
                format!(
                    "`{name}`: {}",
                    timestamp_hint(&String::from_utf8_lossy(raw))
                ),
            );
        }
        ts
    }

    /// A `YYYY-MM-DD` date; empty is `Ok(None)`.
    pub fn opt_date(
        &self,
        col: usize,
        name: &str,
        diags: &mut Diagnostics,
    ) -> Result<Option<NaiveDate>, Reported> {
        let raw = self.raw(col);
        if raw.is_empty() {
            return Ok(None);
        }
        match parse_date(std::str::from_utf8(raw).unwrap_or("")) {
            Some(d) => Ok(Some(d)),
            None => {
                self.error(
                    diags,
                    col,
                    format!(
                        "`{name}`: `{}` is not a date; write YYYY-MM-DD",
                        String::from_utf8_lossy(raw)
                    ),
                );
                Err(Reported)
            }
        }
    }

    /// `true`/`false` (also `1`/`0`, `yes`/`no`); empty is `Ok(None)`.
    pub fn opt_bool(
        &self,
        col: usize,
        name: &str,
        diags: &mut Diagnostics,
    ) -> Result<Option<bool>, Reported> {
        match self.raw(col).to_ascii_lowercase().as_slice() {
            b"" => Ok(None),
            b"true" | b"1" | b"yes" => Ok(Some(true)),
            b"false" | b"0" | b"no" => Ok(Some(false)),
            other => {
                self.error(
                    diags,
                    col,
                    format!(
                        "`{name}`: `{}` is not a boolean; write true or false",
                        String::from_utf8_lossy(other)
                    ),
                );
                Err(Reported)
            }
        }
    }

    /// A non-negative whole number.
    pub fn count(&self, col: usize, name: &str, diags: &mut Diagnostics) -> Option<u64> {
        let raw = self.raw(col);
        let parsed = std::str::from_utf8(raw)
            .ok()
            .and_then(|t| t.parse::<u64>().ok());
        if parsed.is_none() {
            let text = String::from_utf8_lossy(raw);
            let msg = if text.starts_with('-') {
                format!("`{name}` is negative ({text}); counts must be 0 or more")
            } else {
                format!("`{name}`: `{text}` is not a whole number")
            };
            self.error(diags, col, msg);
        }
        parsed
    }
}

/// Where a record really starts: the csv reader skips blank lines before a record but
/// gives the record the position where the skipping began, so its line and offset are
/// moved past each line break there.
fn past_blank_lines(bytes: &[u8], mut offset: usize, mut line: u32) -> (usize, u32) {
    while let Some(&b) = bytes.get(offset).filter(|&&b| b == b'\n' || b == b'\r') {
        line += u32::from(b == b'\n');
        offset += 1;
    }
    (offset, line)
}

/// The first record boundary (just after a newline outside quotes) at or after `target`,
/// scanning from `from`; `quotes` carries the count of quote characters seen so far.
fn record_boundary(body: &[u8], from: usize, target: usize, quotes: &mut usize) -> Option<usize> {
    let target = target.max(from).min(body.len());
    *quotes += memchr::memchr_iter(b'"', &body[from..target]).count();
    for i in memchr::memchr2_iter(b'"', b'\n', &body[target..]) {
        match body[target + i] {
            b'"' => *quotes += 1,
            _ if (*quotes).is_multiple_of(2) => return Some(target + i + 1),
            _ => {}
        }
    }
    None
}

/// How many line ends `bytes` holds.
pub fn line_ends(bytes: &[u8]) -> usize {
    memchr::memchr_iter(b'\n', bytes).count()
}

/// The line and character column where field `target` of the record starting at byte
/// `offset` (on line `line`) begins.
pub fn field_pos(bytes: &[u8], offset: usize, line: u32, target: usize) -> Pos {
    let rest = &bytes[offset.min(bytes.len())..];
    let (mut field, mut quoted, mut line, mut column) = (0usize, false, line, 1u32);
    for &b in rest {
        if field == target {
            break;
        }
        match b {
            b'"' => quoted = !quoted,
            b',' if !quoted => field += 1,
            b'\n' | b'\r' if !quoted => break,
            b'\n' => {
                line += 1;
                column = 0;
            }
            _ => {}
        }
        if b & 0xC0 != 0x80 {
            column += 1;
        }
    }
    Pos { line, column }
}

/// The trimmed field `target` of the record starting at byte `offset`.
pub fn field_at(bytes: &[u8], offset: usize, target: usize) -> Vec<u8> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(&bytes[offset.min(bytes.len())..]);
    let mut record = ByteRecord::new();
    match reader.read_byte_record(&mut record) {
        Ok(true) => record
            .get(target)
            .map_or_else(Vec::new, |f| f.trim_ascii().to_vec()),
        _ => Vec::new(),
    }
}

#[cfg(test)]
#[path = "csv_tests.rs"]
mod tests;
