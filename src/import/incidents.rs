//! `import incidents`: an incident tool's CSV export (PagerDuty, Opsgenie, or any CSV with
//! `--map`) becomes `data/incidents.csv` rows. Columns are found by name (case, spaces and
//! punctuation ignored); severities, priorities and urgencies map through one explicit
//! table, and a value it lacks is an error at its field. `caused_by_deploy` and `cause` are
//! left empty for people to fill.

use super::{Planned, Record};
use crate::diag::{Diagnostics, Pos};
use crate::load::csv::field_pos;
use crate::load::incidents::{INCIDENTS, INCIDENT_COLUMNS};
use crate::load::time::{parse_timestamp, timestamp_hint};
use std::collections::HashMap;

/// Whose export the file is: which columns hold each field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Preset {
    PagerDuty,
    Opsgenie,
    Generic,
}

/// The fields read, in `Record` order of the contract.
pub const FIELDS: [&str; 6] = [
    "incident_id",
    "service",
    "severity",
    "started_at",
    "resolved_at",
    "title",
];

/// The source columns of each field, first match wins (names compared by `norm`). For a
/// field with several columns present, each row takes the first non-empty one
/// (PagerDuty's `priority`, else its `urgency`).
fn columns(preset: Preset) -> [&'static [&'static str]; 6] {
    match preset {
        Preset::PagerDuty => [
            &["incident_number", "number", "id"],
            &["service_name", "service"],
            &["priority", "urgency"],
            &["created_at", "created_on"],
            &["resolved_at", "resolved_on"],
            &["title", "description", "summary"],
        ],
        Preset::Opsgenie => [
            &["tinyId", "tiny_id", "id"],
            &["impactedServices", "service", "services", "entity"],
            &["priority"],
            &["impactStartDate", "createdAt"],
            &["impactEndDate", "closedAt", "resolvedAt"],
            &["message", "title"],
        ],
        Preset::Generic => [
            &["incident_id", "id"],
            &["service"],
            &["severity"],
            &["started_at"],
            &["resolved_at"],
            &["title"],
        ],
    }
}

/// Severity 1 (worst) to 4 of a source value (compared without case): the contract's own
/// `1`-`4`, `sev1`-`sev4`, PagerDuty and Opsgenie priorities `P1`-`P5` (P5 is 4, like
/// P4), and PagerDuty urgencies `high` (2) and `low` (4).
pub fn severity(value: &str) -> Option<u8> {
    let v = value.trim().to_ascii_lowercase();
    let v = v
        .strip_prefix("sev")
        .or_else(|| v.strip_prefix('p'))
        .unwrap_or(&v);
    match v {
        "1" => Some(1),
        "2" | "high" => Some(2),
        "3" => Some(3),
        "4" | "5" | "low" => Some(4),
        _ => None,
    }
}

/// A column name as compared: lower case, letters and digits only.
fn norm(name: &str) -> String {
    name.chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// Parses `--map "Column=field,..."`: each source column (compared like the presets')
/// read as a contract field. An unknown field is an error message.
pub fn parse_map(text: &str) -> Result<Vec<(String, usize)>, String> {
    text.split(',')
        .filter(|p| !p.trim().is_empty())
        .map(|pair| {
            let (col, field) = pair
                .split_once('=')
                .ok_or_else(|| format!("`{pair}` is not column=field"))?;
            let field = field.trim();
            let field = if field == "id" { "incident_id" } else { field };
            let i = FIELDS.iter().position(|f| *f == field).ok_or_else(|| {
                format!(
                    "`{field}` is not a field; map to one of {}",
                    FIELDS.join(", ")
                )
            })?;
            Ok((norm(col), i))
        })
        .collect()
}

/// The rows of an export. Every bad field is reported at its line and column.
pub fn plan(
    path: &str,
    bytes: &[u8],
    preset: Preset,
    map: &[(String, usize)],
    diags: &mut Diagnostics,
) -> Planned {
    let mut planned = Planned {
        path: INCIDENTS,
        columns: &INCIDENT_COLUMNS,
        header: &[
            "incident_id",
            "service",
            "severity",
            "started_at",
            "resolved_at",
            "caused_by_deploy",
            "cause",
            "title",
        ],
        key: &["incident_id"],
        records: Vec::new(),
    };
    let at_start = Some(Pos { line: 1, column: 1 });
    if let Err(pos) = crate::diag::utf8_text(bytes) {
        diags.file_error(path, Some(pos), crate::diag::NOT_UTF8);
        return planned;
    }
    let mut reader = csv::ReaderBuilder::new().flexible(true).from_reader(bytes);
    let header: Vec<String> = match reader.headers() {
        Ok(h) => h.iter().map(norm).collect(),
        Err(e) => {
            diags.file_error(path, at_start, format!("cannot read the header row: {e}"));
            return planned;
        }
    };
    // Each field's source columns, present in this file, in preference order.
    let mut sources: Vec<Vec<usize>> = columns(preset)
        .iter()
        .map(|names| {
            names
                .iter()
                .filter_map(|n| header.iter().position(|h| *h == norm(n)))
                .collect()
        })
        .collect();
    for (col, field) in map {
        match header.iter().position(|h| h == col) {
            Some(i) => sources[*field] = vec![i],
            None => diags.file_error(
                path,
                at_start,
                format!(
                    "--map names column `{col}`, which the header lacks (it has {})",
                    header.join(", ")
                ),
            ),
        }
    }
    for (f, s) in sources.iter().enumerate() {
        if s.is_empty() && f != 4 {
            diags.file_error(
                path,
                at_start,
                format!(
                    "no column for `{}` (looked for {}); name it with --map COLUMN={}",
                    FIELDS[f],
                    columns(preset)[f].join(", "),
                    FIELDS[f]
                ),
            );
        }
    }
    if diags.has_errors() {
        return planned;
    }
    let mut seen: HashMap<String, u32> = HashMap::new();
    for rec in reader.byte_records() {
        let rec = match rec {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line() as u32);
                diags.error(
                    path,
                    Some(Pos { line, column: 1 }),
                    format!("malformed CSV: {e}; check quoting on this line"),
                );
                break;
            }
        };
        let Some(p) = rec.position() else { continue };
        let (line, offset) = (p.line() as u32, p.byte() as usize);
        if rec.iter().all(|f| f.is_empty()) {
            continue;
        }
        if rec.len() != header.len() {
            // As `load::csv` reads the contract's files: a value with an unquoted comma
            // would shift the fields after it.
            diags.error(
                path,
                Some(field_pos(bytes, offset, line, rec.len().min(header.len()))),
                format!(
                    "this row has {} fields and the header {}; check the export's quoting",
                    rec.len(),
                    header.len()
                ),
            );
            continue;
        }
        // Each field: its value and the column it came from.
        let field = |f: usize| -> (String, usize) {
            let cols = &sources[f];
            let pick = cols
                .iter()
                .copied()
                .find(|&c| rec.get(c).is_some_and(|v| !v.trim_ascii().is_empty()))
                .or(cols.first().copied());
            let v = pick
                .and_then(|c| rec.get(c))
                .map_or("", |v| std::str::from_utf8(v).unwrap_or(""));
            (v.trim().to_string(), pick.unwrap_or(0))
        };
        let pos = |col: usize| field_pos(bytes, offset, line, col);
        let mut ok = true;
        let mut err = |col: usize, message: String| {
            diags.error(path, Some(pos(col)), message);
            ok = false;
        };
        let (id, id_col) = field(0);
        if id.is_empty() {
            err(
                id_col,
                "the incident id is empty; every incident needs one".into(),
            );
        } else if let Some(first) = seen.insert(id.clone(), line) {
            err(
                id_col,
                format!("duplicate incident id `{id}`; first used on line {first}"),
            );
        }
        let (service, service_col) = field(1);
        if service.is_empty() {
            err(service_col, "the service is empty; name the service the incident hit (or --map another column to service)".into());
        }
        let (sev, sev_col) = field(2);
        let severity = severity(&sev);
        if severity.is_none() {
            err(sev_col, format!(
                "severity `{sev}` has no mapping; use 1-4, sev1-sev4, P1-P5 or a PagerDuty urgency (high, low), or --map another column to severity"
            ));
        }
        let (started, started_col) = field(3);
        let start = parse_timestamp(&started);
        if start.is_none() {
            err(
                started_col,
                format!("started_at: {}", timestamp_hint(&started)),
            );
        }
        let (resolved, resolved_col) = field(4);
        if !resolved.is_empty() {
            match parse_timestamp(&resolved) {
                None => err(resolved_col, format!("resolved_at: {}", timestamp_hint(&resolved))),
                Some(r) if start.is_some_and(|s| r < s) => err(resolved_col, format!(
                    "resolved_at {resolved} is before started_at {started}; check the export's columns"
                )),
                _ => {}
            }
        }
        let (title, _) = field(5);
        if ok {
            let record: Record = vec![
                ("incident_id", id),
                ("service", service),
                (
                    "severity",
                    severity.map_or(String::new(), |s| s.to_string()),
                ),
                ("started_at", started),
                ("resolved_at", resolved),
                ("caused_by_deploy", String::new()),
                ("cause", String::new()),
                ("title", title),
            ];
            planned.records.push(record);
        }
    }
    planned
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::rows;

    fn run(text: &str, preset: Preset, map: &str) -> (Vec<String>, Vec<String>) {
        let mut d = Diagnostics::new();
        let p = plan(
            "export.csv",
            text.as_bytes(),
            preset,
            &parse_map(map).unwrap(),
            &mut d,
        );
        (rows(&p), d.sorted().iter().map(|d| d.to_string()).collect())
    }

    #[test]
    fn severities_map_explicitly() {
        let got: Vec<Option<u8>> = ["1", "SEV2", "p3", "P5", "high", "Low", "medium", "P6", ""]
            .iter()
            .map(|v| severity(v))
            .collect();
        assert_eq!(
            got,
            [
                Some(1),
                Some(2),
                Some(3),
                Some(4),
                Some(2),
                Some(4),
                None,
                None,
                None
            ]
        );
    }

    #[test]
    fn pagerduty_takes_the_priority_else_the_urgency() {
        let text = "Incident Number,Title,Urgency,Priority,Service Name,Created At,Resolved At\n\
            101,Checkout down,high,P1,api,2026-07-01T10:00:00Z,2026-07-01T11:00:00Z\n\
            102,Slow search,low,,web,2026-07-02T10:00:00+02:00,\n";
        let (rows, m) = run(text, Preset::PagerDuty, "");
        assert!(m.is_empty(), "{m:?}");
        assert_eq!(
            rows,
            [
                "101,api,1,2026-07-01T10:00:00Z,2026-07-01T11:00:00Z,,,Checkout down",
                "102,web,4,2026-07-02T10:00:00+02:00,,,,Slow search",
            ]
        );
    }

    #[test]
    fn bad_rows_are_errors_at_their_fields_and_map_overrides_the_preset() {
        let text = "id,team,severity,started_at,resolved_at,title\n\
            i1,api,medium,2026-07-01T10:00:00,,A\n\
            i1,api,2,2026-07-01T10:00:00Z,2026-07-01T09:00:00Z,B\n";
        // `team` is read as the service through --map; `i1,api,2,2026-07-01T10:00:00Z,` is
        // 30 characters, so resolved_at starts at column 31.
        let (rows, m) = run(text, Preset::Generic, "Team=service");
        assert!(rows.is_empty());
        assert_eq!(m, [
            "export.csv:2:8: error: severity `medium` has no mapping; use 1-4, sev1-sev4, P1-P5 or a PagerDuty urgency (high, low), or --map another column to severity",
            "export.csv:2:15: error: started_at: timestamp `2026-07-01T10:00:00` has no UTC offset; add one, e.g. `2026-07-01T10:00:00Z` or `2026-07-01T10:00:00+02:00`",
            "export.csv:3:1: error: duplicate incident id `i1`; first used on line 2",
            "export.csv:3:31: error: resolved_at 2026-07-01T09:00:00Z is before started_at 2026-07-01T10:00:00Z; check the export's columns",
        ]);
    }

    /// An unquoted comma in a title gives row 2 one field too many (the first extra at
    /// column 52: `101,Checkout down,high,P1,api,2026-07-01T10:00:00Z,` is 51 characters):
    /// an error, and the row is not imported; row 3 is.
    #[test]
    fn a_row_of_another_width_than_the_header_is_an_error() {
        let text = "Incident Number,Title,Urgency,Priority,Service Name,Created At\n\
            101,Checkout down,high,P1,api,2026-07-01T10:00:00Z,all regions\n\
            102,Slow search,low,,web,2026-07-02T10:00:00Z\n";
        let (rows, m) = run(text, Preset::PagerDuty, "");
        assert_eq!(rows, ["102,web,4,2026-07-02T10:00:00Z,,,,Slow search"]);
        assert_eq!(m, ["export.csv:2:52: error: this row has 7 fields and the header 6; check the export's quoting"]);
    }

    #[test]
    fn a_missing_column_is_named_with_what_was_looked_for() {
        let (_, m) = run("tinyId,message,createdAt\n", Preset::Opsgenie, "");
        assert_eq!(m[0], "export.csv:1:1: error: no column for `service` (looked for impactedServices, service, services, entity); name it with --map COLUMN=service");
        assert_eq!(parse_map("a=sev").unwrap_err(), "`sev` is not a field; map to one of incident_id, service, severity, started_at, resolved_at, title");
    }
}
