//! Machine formats of diagnostics for `almanac check --format`: GitHub workflow
//! annotations (`::error file=...,line=...,col=...::message`) and one JSON object per
//! problem; the default text format is `Diagnostic`'s `Display`.

use super::{Diagnostic, Severity};

/// The severity's word: `error` or `warning`.
pub fn severity_word(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
    }
}

/// One GitHub workflow annotation line. The message's `%`, CR and LF, and also `,` and `:`
/// in the file property, are percent-encoded as the workflow command syntax asks.
pub fn github(d: &Diagnostic) -> String {
    let mut props = format!("file={}", escape_property(&d.path));
    if let Some(line) = d.line {
        props.push_str(&format!(",line={line}"));
        if let Some(col) = d.column {
            props.push_str(&format!(",col={col}"));
        }
    }
    format!(
        "::{} {props}::{}",
        severity_word(d.severity),
        escape_data(&d.message)
    )
}

/// One problem as a one-line JSON object: path, line, column (null when unknown),
/// severity and message.
pub fn json(d: &Diagnostic) -> String {
    json_value(d).to_string()
}

/// One problem as a JSON value (see `json`).
pub fn json_value(d: &Diagnostic) -> serde_json::Value {
    serde_json::json!({
        "path": d.path,
        "line": d.line,
        "column": d.column,
        "severity": severity_word(d.severity),
        "message": d.message,
    })
}

fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::{Diagnostics, Pos};

    fn one(path: &str, pos: Option<Pos>, message: &str, warn: bool) -> Diagnostic {
        let mut d = Diagnostics::new();
        if warn {
            d.warn(path, pos, message);
        } else {
            d.error(path, pos, message);
        }
        d.sorted().remove(0)
    }

    #[test]
    fn github_annotations_carry_file_line_and_column() {
        let d = one(
            "data/deployments.csv",
            Some(Pos { line: 5, column: 3 }),
            "bad",
            false,
        );
        assert_eq!(
            github(&d),
            "::error file=data/deployments.csv,line=5,col=3::bad"
        );
        let w = one("almanac.toml", None, "50% done\nnext", true);
        assert_eq!(github(&w), "::warning file=almanac.toml::50%25 done%0Anext");
        let odd = one("content/a,b:c.md", None, "x", false);
        assert_eq!(github(&odd), "::error file=content/a%2Cb%3Ac.md::x");
    }

    #[test]
    fn json_has_every_field_and_nulls_for_unknown_positions() {
        let d = one("almanac.toml", None, "say \"hi\"", true);
        assert_eq!(
            json(&d),
            r#"{"path":"almanac.toml","line":null,"column":null,"severity":"warning","message":"say \"hi\""}"#
        );
    }
}
