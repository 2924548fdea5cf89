//! Front matter: takes a markdown file's text, splits `+++` TOML or `---` YAML front matter
//! from the body, and deserialises it into serde structs; errors carry real file positions.

use crate::diag::{pos_of_offset, Diagnostics, Pos};
use crate::load::time::{parse_date, parse_timestamp, timestamp_hint};
use crate::model::Ts;
use chrono::NaiveDate;
use serde::de::{self, DeserializeOwned, Deserializer, MapAccess, Visitor};
use serde::Deserialize;
use std::fmt;
use std::path::Path;

/// The language of a front matter block.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Between `+++` lines.
    Toml,
    /// Between `---` lines.
    Yaml,
}

impl Format {
    pub fn delimiter(self) -> &'static str {
        match self {
            Format::Toml => "+++",
            Format::Yaml => "---",
        }
    }
}

/// A file split into its front matter and its markdown body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FrontMatter<'a> {
    /// The text between the delimiter lines.
    pub text: &'a str,
    pub format: Format,
    /// 1-based file line on which `text` starts (the line after the opening delimiter).
    pub start_line: u32,
    /// Everything after the closing delimiter line.
    pub body: &'a str,
}

/// A front matter problem, positioned in the whole file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FmError {
    pub pos: Option<Pos>,
    pub message: String,
}

impl FmError {
    pub fn new(pos: Option<Pos>, message: impl Into<String>) -> Self {
        Self {
            pos,
            message: message.into(),
        }
    }
}

/// Splits front matter from the body. `Ok(None)`: the file has no front matter (its first
/// line is not `+++` or `---`). An opening delimiter without a closing one is an error.
pub fn split(text: &str) -> Result<Option<FrontMatter<'_>>, FmError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut lines = text.split_inclusive('\n');
    let first = lines.next().unwrap_or("");
    let format = match first.trim_end() {
        "+++" => Format::Toml,
        "---" => Format::Yaml,
        _ => return Ok(None),
    };
    let start = first.len();
    let mut offset = start;
    for line in lines {
        if line.trim_end() == format.delimiter() {
            return Ok(Some(FrontMatter {
                text: &text[start..offset],
                format,
                start_line: 2,
                body: &text[offset + line.len()..],
            }));
        }
        offset += line.len();
    }
    let d = format.delimiter();
    Err(FmError::new(
        Some(Pos { line: 1, column: 1 }),
        format!("front matter opened with `{d}` on line 1 is never closed; add a line `{d}` after its last key"),
    ))
}

/// The error for a file that needs front matter and has none; `example` is a TOML key line.
pub fn missing(example: &str) -> FmError {
    FmError::new(
        Some(Pos { line: 1, column: 1 }),
        format!(
            "no front matter; start the file with a `+++` line, then TOML keys such as \
             `{example}`, then a closing `+++` line (or put YAML between `---` lines)"
        ),
    )
}

/// Deserialises front matter of either format into `T` through serde, so TOML and YAML
/// share one set of structs, and maps the error position and wording to the file.
pub fn parse<T: DeserializeOwned>(fm: &FrontMatter<'_>) -> Result<T, FmError> {
    match fm.format {
        Format::Toml => toml::from_str(fm.text).map_err(|e| {
            let pos = e.span().map(|s| shift(pos_of_offset(fm.text, s.start), fm));
            let hint = "; fix the TOML here (text values need quotes: `key = \"...\"`)";
            FmError::new(
                pos.or(Some(opening(fm))),
                with_hint(reword(e.message().trim()), hint),
            )
        }),
        Format::Yaml => {
            let text = if is_blank_yaml(fm.text) {
                "{}"
            } else {
                fm.text
            };
            serde_norway::from_str(text).map_err(|e| yaml_error(&e, fm))
        }
    }
}

fn is_blank_yaml(text: &str) -> bool {
    text.lines()
        .all(|l| l.trim().is_empty() || l.trim_start().starts_with('#'))
}

fn yaml_error(e: &serde_norway::Error, fm: &FrontMatter<'_>) -> FmError {
    let mut message = e.to_string();
    let pos = e.location().map(|loc| {
        let suffix = format!(" at line {} column {}", loc.line(), loc.column());
        if let Some(stripped) = message.strip_suffix(&suffix) {
            message = stripped.to_string();
        }
        shift(
            Pos {
                line: loc.line() as u32,
                column: loc.column() as u32,
            },
            fm,
        )
    });
    let message = shift_line_numbers(&message, fm.start_line - 1);
    let hint =
        "; fix the YAML here (check the indentation, and quote values containing `: ` or `#`)";
    FmError::new(pos.or(Some(opening(fm))), with_hint(reword(&message), hint))
}

/// Messages from the parsers say what is wrong but not what to do; ours already do.
fn with_hint(message: String, hint: &str) -> String {
    if message.contains("; ") {
        message
    } else {
        message + hint
    }
}

/// A position inside the front matter text, moved to the file.
fn shift(pos: Pos, fm: &FrontMatter<'_>) -> Pos {
    Pos {
        line: pos.line + fm.start_line - 1,
        column: pos.column,
    }
}

/// The opening delimiter line, for errors that have no position of their own.
fn opening(fm: &FrontMatter<'_>) -> Pos {
    Pos {
        line: fm.start_line - 1,
        column: 1,
    }
}

/// libyaml messages mention other positions ("while parsing a block mapping at line 1
/// column 1"); add the front matter's offset to every `line N`.
fn shift_line_numbers(message: &str, by: u32) -> String {
    let mut out = String::with_capacity(message.len());
    let mut rest = message;
    while let Some(i) = rest.find("line ") {
        out.push_str(&rest[..i + 5]);
        rest = &rest[i + 5..];
        let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
        if let Ok(n) = rest[..digits].parse::<u32>() {
            out.push_str(&(n + by).to_string());
            rest = &rest[digits..];
        }
    }
    out.push_str(rest);
    out
}

/// Turns serde's wording into ours: keys, not fields, and what to do.
fn reword(message: &str) -> String {
    const UNKNOWN: &str = "unknown field ";
    const MISSING: &str = "missing field ";
    if let Some(i) = message.find(UNKNOWN) {
        let rest = message[i + UNKNOWN.len()..]
            .replace(", expected one of ", "; allowed keys are ")
            .replace(", expected ", "; the only allowed key is ")
            .replace(", there are no fields", "; no keys are allowed here");
        return format!(
            "{}unknown key {rest}; remove it or fix its spelling",
            &message[..i]
        );
    }
    if let Some(i) = message.find(MISSING) {
        let rest = &message[i + MISSING.len()..];
        return format!(
            "{}missing key {rest}; add it to the front matter",
            &message[..i]
        );
    }
    // A quoted value where a number belongs (`target = "5%"`): quoting is not the fix.
    const NUMBERS: [&str; 5] = ["f64", "f32", "i64", "u64", "u32"];
    if let Some((value, expected)) =
        (message.strip_prefix("invalid type: string ")).and_then(|m| m.rsplit_once(", expected "))
    {
        if NUMBERS.contains(&expected) {
            return format!("{value} is text where a number belongs; write the number without quotes or units (e.g. `0.05` for 5%)");
        }
    }
    message.to_string()
}

/// The 1-based file line of the first line setting `key` (`key =` or `key:`), if any.
pub fn key_line(fm: &FrontMatter<'_>, key: &str) -> Option<u32> {
    fm.text
        .lines()
        .position(|l| sets_key(l.trim_start(), key))
        .map(|i| fm.start_line + i as u32)
}

fn sets_key(line: &str, key: &str) -> bool {
    line.strip_prefix(key)
        .is_some_and(|rest| matches!(rest.trim_start().chars().next(), Some('=' | ':')))
}

/// The file line of each of the `count` entries of the array `key`: the N-th `[[key]]`
/// header in TOML, the N-th `- ` entry under `key:` in YAML. When the entries cannot be
/// found one by one (e.g. an inline array), every entry gets the line of `key` itself.
pub fn item_lines(fm: &FrontMatter<'_>, key: &str, count: usize) -> Vec<u32> {
    let found = match fm.format {
        Format::Toml => toml_headers(fm.text, key),
        Format::Yaml => yaml_entries(fm.text, key),
    };
    if found.len() == count {
        return found.into_iter().map(|i| fm.start_line + i).collect();
    }
    let fallback = key_line(fm, key).unwrap_or(fm.start_line - 1);
    vec![fallback; count]
}

/// 0-based lines of `[[key]]` headers.
fn toml_headers(text: &str, key: &str) -> Vec<u32> {
    let header = format!("[[{key}]]");
    text.lines()
        .enumerate()
        .filter(|(_, l)| {
            let code = l.split('#').next().unwrap_or("");
            code.split_whitespace().collect::<String>() == header
        })
        .map(|(i, _)| i as u32)
        .collect()
}

/// 0-based lines of the block sequence entries under a top-level `key:`.
fn yaml_entries(text: &str, key: &str) -> Vec<u32> {
    let mut lines = text.lines().enumerate();
    if !lines.any(|(_, l)| sets_key(l, key)) {
        return Vec::new();
    }
    let mut indent: Option<usize> = None;
    let mut out = Vec::new();
    for (i, line) in lines {
        let trimmed = line.trim_start();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        let this = line.len() - trimmed.len();
        let is_entry = trimmed == "-" || trimmed.starts_with("- ");
        if this == 0 && !is_entry {
            break;
        }
        if is_entry && *indent.get_or_insert(this) == this {
            out.push(i as u32);
        }
    }
    out
}

/// An RFC 3339 timestamp with offset: a string, or in TOML also a datetime literal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Timestamp(pub Ts);

/// A `YYYY-MM-DD` date: a string, or in TOML also a date literal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Date(pub NaiveDate);

/// A version written as a string or an integer, kept as text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Version(pub String);

impl<'de> Deserialize<'de> for Timestamp {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(TimeText {
            expecting: "an RFC 3339 timestamp such as 2026-07-01T10:00:00Z",
            parse: |text| {
                parse_timestamp(text)
                    .map(Timestamp)
                    .ok_or_else(|| timestamp_hint(text))
            },
        })
    }
}

impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(TimeText {
            expecting: "a date such as 2026-07-01",
            parse: |text| {
                parse_date(text).map(Date).ok_or_else(|| {
                    format!("`{text}` is not a date; write YYYY-MM-DD, e.g. `2026-07-01`")
                })
            },
        })
    }
}

/// Reads a string, or a TOML datetime literal as its RFC 3339 text, and parses it inside
/// the visitor so that YAML errors point at the value itself.
struct TimeText<T> {
    expecting: &'static str,
    parse: fn(&str) -> Result<T, String>,
}

impl<'de, T> Visitor<'de> for TimeText<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str(self.expecting)
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<T, E> {
        (self.parse)(v).map_err(E::custom)
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<T, A::Error> {
        let dt = toml::value::Datetime::deserialize(de::value::MapAccessDeserializer::new(map))?;
        (self.parse)(&dt.to_string()).map_err(de::Error::custom)
    }
}

impl<'de> Deserialize<'de> for Version {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(VersionVisitor).map(Version)
    }
}

struct VersionVisitor;

impl Visitor<'_> for VersionVisitor {
    type Value = String;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a version as a string (e.g. \"1.2\") or an integer")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<String, E> {
        Ok(v.to_string())
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<String, E> {
        Ok(v.to_string())
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<String, E> {
        Ok(v.to_string())
    }
}

/// The front matter of a file that must have one, parsed into `T`.
pub fn front_matter<'t, T: serde::de::DeserializeOwned>(
    rel: &str,
    text: &'t str,
    example: &str,
    diags: &mut Diagnostics,
) -> Option<(FrontMatter<'t>, T)> {
    let fm = match split(text) {
        Ok(Some(fm)) => fm,
        Ok(None) => return report(rel, missing(example), diags),
        Err(e) => return report(rel, e, diags),
    };
    match parse(&fm) {
        Ok(raw) => Some((fm, raw)),
        Err(e) => report(rel, e, diags),
    }
}

pub fn report<T>(rel: &str, e: FmError, diags: &mut Diagnostics) -> Option<T> {
    diags.error(rel, e.pos, e.message);
    None
}

/// A file's name without its folder and extension.
pub fn stem(rel: &str) -> String {
    Path::new(rel)
        .file_stem()
        .map_or_else(String::new, |s| s.to_string_lossy().into_owned())
}

#[cfg(test)]
#[path = "frontmatter_tests.rs"]
mod tests;
