//! Output files: every stage that produces site content hands `write` `OutputFile`s (a
//! relative path and its bytes), one by one through a `Sink` as they are made or as a list;
//! nothing else touches the disk. Also the small writers of output text every stage shares
//! (`slug`, decimal numbers without allocating).

use std::sync::Mutex;

/// One file of the built site (or of a generated demo), held in memory until `write`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputFile {
    /// Relative path with `/` separators, never absolute and never containing `..`.
    pub path: String,
    pub bytes: Vec<u8>,
}

impl OutputFile {
    pub fn new(path: impl Into<String>, bytes: impl Into<Vec<u8>>) -> Self {
        Self {
            path: path.into(),
            bytes: bytes.into(),
        }
    }
}

/// Where the render stage hands each file as soon as it is made, from any thread. `write`
/// owns the sink that puts files into the output directory; [`Collect`] keeps them in memory
/// (for `serve` and tests).
pub trait Sink: Sync {
    type Error: Send;
    /// Takes one file; an error stops the build.
    fn put(&self, file: OutputFile) -> Result<(), Self::Error>;
}

/// A sink that keeps every file in memory.
#[derive(Default)]
pub struct Collect(Mutex<Vec<OutputFile>>);

impl Collect {
    /// The files put, sorted by path.
    pub fn into_files(self) -> Vec<OutputFile> {
        let mut files = self.0.into_inner().expect("no put panicked");
        files.sort_by(|a, b| a.path.cmp(&b.path));
        files
    }
}

impl Sink for Collect {
    type Error = std::convert::Infallible;
    fn put(&self, file: OutputFile) -> Result<(), Self::Error> {
        self.0.lock().expect("no put panicked").push(file);
        Ok(())
    }
}

/// A built site in memory, relative path to bytes (shared, so a served copy is cheap).
pub type SiteFiles = std::collections::BTreeMap<String, std::sync::Arc<[u8]>>;

/// The site in memory.
pub fn site_files(files: Vec<OutputFile>) -> SiteFiles {
    files
        .into_iter()
        .map(|f| (f.path, std::sync::Arc::from(f.bytes)))
        .collect()
}

/// Turns arbitrary user text (an id, a title) into a safe single path segment:
/// lowercase ASCII letters, digits, `-` and `_`; everything else becomes `-`.
pub fn slug(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        let c = c.to_ascii_lowercase();
        if c.is_ascii_alphanumeric() || c == '_' {
            out.push(c);
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    let trimmed = out.trim_matches('-');
    if trimmed.is_empty() {
        "x".to_string()
    } else {
        trimmed.to_string()
    }
}

/// `n` in decimal, written into the end of `buf` (room for `u64::MAX`): the digits.
pub fn decimal(mut n: u64, buf: &mut [u8; 20]) -> &str {
    let mut at = buf.len();
    loop {
        at -= 1;
        buf[at] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    // SAFETY: `buf[at..]` holds only the ASCII digits written above: UTF-8.
    unsafe { std::str::from_utf8_unchecked(&buf[at..]) }
}

/// Appends an unsigned integer without allocating.
pub fn push_u64(out: &mut String, n: u64) {
    out.push_str(decimal(n, &mut [0; 20]));
}

/// Appends `n` zero-padded to at least `width` digits.
pub fn push_padded(out: &mut String, n: u64, width: usize) {
    let mut buf = [0; 20];
    let digits = decimal(n, &mut buf);
    out.extend(std::iter::repeat_n('0', width.saturating_sub(digits.len())));
    out.push_str(digits);
}

#[cfg(test)]
mod tests {
    use super::{decimal, push_padded, push_u64, slug};

    #[test]
    fn numbers_are_written_in_decimal() {
        let mut n = String::new();
        push_u64(&mut n, 0);
        push_u64(&mut n, 1_234_567);
        assert_eq!(n, "01234567");
        assert_eq!(decimal(u64::MAX, &mut [0; 20]), "18446744073709551615");
        let mut p = String::new();
        push_padded(&mut p, 42, 6);
        push_padded(&mut p, 1_234_567, 3);
        assert_eq!(p, "0000421234567");
    }

    #[test]
    fn slugs_are_safe_path_segments() {
        assert_eq!(slug("Checkout API"), "checkout-api");
        assert_eq!(slug("../../etc/passwd"), "etc-passwd");
        assert_eq!(slug("INC-2026-001"), "inc-2026-001");
        assert_eq!(slug("..."), "x");
    }
}
