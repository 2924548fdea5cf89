//! Output files: every stage that produces site content hands `write` `OutputFile`s (a
//! relative path and its bytes), one by one through a `Sink` as they are made or as a list;
//! nothing else touches the disk.

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

#[cfg(test)]
mod tests {
    use super::slug;

    #[test]
    fn slugs_are_safe_path_segments() {
        assert_eq!(slug("Checkout API"), "checkout-api");
        assert_eq!(slug("../../etc/passwd"), "etc-passwd");
        assert_eq!(slug("INC-2026-001"), "inc-2026-001");
        assert_eq!(slug("..."), "x");
    }
}
