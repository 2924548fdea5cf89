//! OpenSLO reader: takes the text of a `data/slos/*.yaml` file (one or more OpenSLO v1
//! YAML documents) and returns the `SloDef`s of its `kind: SLO` documents plus
//! diagnostics naming the file, line and field of everything outside `OPENSLO_SUBSET`.

mod locate;
#[cfg(test)]
mod tests;

use crate::config::{valid_id, Budgeting, SloDef, SloWindow};
use crate::diag::{pos_of_offset, Diagnostics, Pos};
use chrono::{Datelike, NaiveDate, NaiveDateTime, Timelike};
use chrono_tz::Tz;
use locate::{Locator, Seg};
use serde_norway::{Mapping, Value};
use std::collections::BTreeMap;

/// The OpenSLO subset almanac reads, for the site's methodology page.
pub const OPENSLO_SUBSET: &str = r#"## OpenSLO files

almanac also reads SLOs written in [OpenSLO](https://openslo.com) v1 YAML from
`data/slos/*.yaml`. A file may hold several documents separated by `---`. The SLI
counts always come from `data/sli.csv`, matched by the SLO's `metadata.name`.

| Field | Supported |
|---|---|
| `apiVersion` | `openslo/v1` only |
| `kind` | `SLO`; other kinds (`SLI`, `Service`, `DataSource`, `AlertPolicy`, `AlertCondition`, `AlertNotificationTarget`) are skipped with a warning |
| `metadata.name` | required; becomes the SLO id (letters, digits, `-`, `_`, `.`) |
| `metadata.displayName`, `labels`, `annotations` | ignored |
| `spec.service` | required; the service id |
| `spec.description` | optional |
| `spec.indicator`, `spec.indicatorRef` | ignored: the counts come from `data/sli.csv` |
| `spec.alertPolicies` | ignored: almanac computes the multiwindow burn-rate alerts itself |
| `spec.budgetingMethod` | `Occurrences` (the default when omitted) or `Timeslices` |
| `spec.objectives` | exactly one objective, with `target` in (0, 1) or `targetPercent` in (0, 100); for `Timeslices` also `timeSliceTarget` in (0, 1]. `displayName`, `op`, `value` and `timeSliceWindow` are ignored (a time slice is one bucket of `data/sli.csv`) |
| `spec.timeWindow` | exactly one item. Rolling (`isRolling: true`, or no `calendar`): `duration` in days or weeks, e.g. `28d`, `4w`. Calendar (`calendar:` present, `isRolling` false or omitted): `duration: 1M` (calendar month) or `1Q` (calendar quarter); `calendar.startTime`, if given, must be midnight on the first day of a month (quarter) |
| `calendar.timeZone` | not used: every window is cut in the site `timezone` of `almanac.toml`; a different zone gives a warning |

Anything else (another apiVersion, several objectives, rolling windows in hours,
months or years, other calendar lengths, unknown fields in `spec`, an objective or a
time window) is an error that names the file, the line and the field.
"#;

const OTHER_KINDS: [&str; 6] = [
    "SLI",
    "Service",
    "DataSource",
    "AlertPolicy",
    "AlertCondition",
    "AlertNotificationTarget",
];
const SPEC_KEYS: [&str; 8] = [
    "description",
    "service",
    "indicator",
    "indicatorRef",
    "timeWindow",
    "budgetingMethod",
    "objectives",
    "alertPolicies",
];
const OBJECTIVE_KEYS: [&str; 7] = [
    "displayName",
    "op",
    "value",
    "target",
    "targetPercent",
    "timeSliceTarget",
    "timeSliceWindow",
];
const WINDOW_KEYS: [&str; 3] = ["duration", "isRolling", "calendar"];
const CALENDAR_KEYS: [&str; 2] = ["startTime", "timeZone"];

/// Parses an OpenSLO file. `path` is used in diagnostics and `SloDef::path`.
pub fn parse(path: &str, text: &str) -> (Vec<SloDef>, Diagnostics) {
    parse_inner(path, text, None)
}

/// As `parse`, also warning when a `calendar.timeZone` differs from the site timezone.
pub fn parse_for_site(path: &str, text: &str, site_tz: Tz) -> (Vec<SloDef>, Diagnostics) {
    parse_inner(path, text, Some(site_tz))
}

fn parse_inner(path: &str, text: &str, site_tz: Option<Tz>) -> (Vec<SloDef>, Diagnostics) {
    let mut diags = Diagnostics::new();
    let mut out: Vec<SloDef> = Vec::new();
    let mut seen: BTreeMap<String, u32> = BTreeMap::new();
    for (offset, chunk) in split_documents(text) {
        let mut doc = Doc {
            path,
            text,
            offset,
            loc: Locator::new(chunk),
            site_tz,
            diags: &mut diags,
            failed: false,
        };
        let value = match serde_norway::from_str::<Value>(chunk) {
            Ok(v) => v,
            Err(e) => {
                let at = e.location().map_or(0, |l| l.index());
                let msg = format!(
                    "invalid YAML: {}; fix the syntax of this document",
                    without_positions(&e.to_string())
                );
                doc.diags
                    .error(path, Some(pos_of_offset(text, offset + at)), msg);
                continue;
            }
        };
        if let Some(def) = doc.slo(&value) {
            if let Some(first) = seen.insert(def.id.clone(), def.line) {
                let msg = format!(
                    "duplicate SLO `{}` (metadata.name); first defined on line {first}: give each SLO its own name",
                    def.id
                );
                diags.error(path, Some(doc_pos(text, offset, &Locator::new(chunk))), msg);
            } else {
                out.push(def);
            }
        }
    }
    (out, diags)
}

fn doc_pos(text: &str, offset: usize, loc: &Locator) -> Pos {
    pos_of_offset(text, offset + loc.start().unwrap_or(0))
}

/// Splits a YAML stream at `---` / `...` lines into (byte offset, document text).
fn split_documents(text: &str) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut pos = 0;
    for line in text.split_inclusive('\n') {
        let body = line.trim_end();
        let marker = body == "---" || body == "..." || line.starts_with("--- ");
        if marker {
            out.push((start, &text[start..pos]));
            start = if body == "..." {
                pos + line.len()
            } else {
                pos + 3
            };
        }
        pos += line.len();
    }
    out.push((start, &text[start..]));
    out.retain(|(_, t)| Locator::new(t).start().is_some());
    out
}

/// One document being read.
struct Doc<'a, 'd> {
    path: &'a str,
    text: &'a str,
    offset: usize,
    loc: Locator<'a>,
    site_tz: Option<Tz>,
    diags: &'d mut Diagnostics,
    failed: bool,
}

impl Doc<'_, '_> {
    fn pos(&self, path: &[Seg]) -> Pos {
        pos_of_offset(self.text, self.offset + self.loc.find(path))
    }

    fn error(&mut self, at: &[Seg], msg: String) {
        self.failed = true;
        let pos = self.pos(at);
        self.diags.error(self.path, Some(pos), msg);
    }

    fn warn(&mut self, at: &[Seg], msg: String) {
        let pos = self.pos(at);
        self.diags.warn(self.path, Some(pos), msg);
    }

    /// Reads one document; `None` when it is not an SLO or has errors.
    fn slo(&mut self, value: &Value) -> Option<SloDef> {
        use Seg::Key;
        let Some(map) = value.as_mapping() else {
            let what = if value.is_sequence() {
                "a YAML list"
            } else {
                "not a mapping"
            };
            self.error(&[], format!("this document is {what}; write one OpenSLO object (apiVersion, kind, metadata, spec) per document, separated by `---`"));
            return None;
        };
        let api = map.get("apiVersion").and_then(Value::as_str);
        if api != Some("openslo/v1") {
            let msg = match api {
                None => "missing `apiVersion`; add `apiVersion: openslo/v1`".to_string(),
                Some(v) => format!("apiVersion `{v}` is not supported; almanac reads OpenSLO `openslo/v1` documents: convert this one to v1"),
            };
            self.error(&[Key("apiVersion")], msg);
            return None;
        }
        match map.get("kind").and_then(Value::as_str) {
            Some("SLO") => {}
            Some(k) if OTHER_KINDS.contains(&k) => {
                self.warn(&[Key("kind")], format!("kind `{k}` is ignored: almanac reads only `kind: SLO` documents and takes the SLI counts from data/sli.csv"));
                return None;
            }
            other => {
                let msg = match other {
                    None => "missing `kind`; add `kind: SLO`".to_string(),
                    Some(k) => format!(
                        "unknown OpenSLO kind `{k}`; use `kind: SLO` (or one of {})",
                        OTHER_KINDS.join(", ")
                    ),
                };
                self.error(&[Key("kind")], msg);
                return None;
            }
        }
        let id = self.name(map);
        let spec = map.get("spec").and_then(Value::as_mapping);
        let Some(spec) = spec else {
            self.error(&[Key("spec")], "missing `spec` mapping; an SLO needs `spec.service`, `spec.timeWindow` and `spec.objectives`".into());
            return None;
        };
        self.unknown_keys(spec, &SPEC_KEYS, &[Key("spec")], "spec");
        let service = self.service(spec);
        let description = spec
            .get("description")
            .and_then(Value::as_str)
            .unwrap_or("");
        let (objective, slice_target) = self.objective(spec);
        let budgeting = self.budgeting(spec, slice_target);
        let window = self.window(spec);
        if self.failed {
            return None;
        }
        Some(SloDef {
            id: id?,
            service: service?,
            objective: objective?,
            window: window?,
            description: description.to_string(),
            budgeting: budgeting?,
            path: self.path.to_string(),
            line: self.pos(&[]).line,
        })
    }

    fn name(&mut self, map: &Mapping) -> Option<String> {
        let at = [Seg::Key("metadata"), Seg::Key("name")];
        match map
            .get("metadata")
            .and_then(|m| m.get("name"))
            .and_then(Value::as_str)
        {
            Some(n) if valid_id(n) => Some(n.to_string()),
            Some(n) => {
                self.error(&at, format!("metadata.name `{n}` must use only letters, digits, `-`, `_` and `.`; it is the SLO id used in data/sli.csv"));
                None
            }
            None => {
                self.error(
                    &at,
                    "missing `metadata.name`; add the SLO id used in data/sli.csv".into(),
                );
                None
            }
        }
    }

    fn service(&mut self, spec: &Mapping) -> Option<String> {
        let at = [Seg::Key("spec"), Seg::Key("service")];
        match spec.get("service").and_then(Value::as_str) {
            Some(s) if valid_id(s) => Some(s.to_string()),
            Some(s) => {
                self.error(
                    &at,
                    format!("spec.service `{s}` must use only letters, digits, `-`, `_` and `.`"),
                );
                None
            }
            None => {
                self.error(
                    &at,
                    "missing `spec.service`; add the id of the service this SLO belongs to".into(),
                );
                None
            }
        }
    }

    fn unknown_keys(&mut self, map: &Mapping, known: &[&str], at: &[Seg], name: &str) {
        for key in map.keys() {
            let k = key.as_str().unwrap_or("?");
            if !known.contains(&k) {
                let mut here = at.to_vec();
                here.push(Seg::Key(k));
                self.error(&here, format!("unknown field `{name}.{k}` in an OpenSLO v1 SLO; remove it or check its spelling (supported: {})", known.join(", ")));
            }
        }
    }

    /// The objective and the optional timeslice target of `objectives[0]`.
    fn objective(&mut self, spec: &Mapping) -> (Option<f64>, Option<f64>) {
        use Seg::{Item, Key};
        let list = [Key("spec"), Key("objectives")];
        let items = match spec.get("objectives").and_then(Value::as_sequence) {
            Some(items) if !items.is_empty() => items,
            _ => {
                self.error(&list, "missing `spec.objectives`; add one objective, e.g. `objectives: [{target: 0.999}]`".into());
                return (None, None);
            }
        };
        if items.len() > 1 {
            let second = [list[0], list[1], Item(1)];
            self.error(&second, format!("spec.objectives has {} objectives; almanac tracks one objective per SLO: split this into one SLO document per objective, each with its own metadata.name", items.len()));
        }
        let Some(obj) = items[0].as_mapping() else {
            self.error(
                &list,
                "spec.objectives[0] must be a mapping with `target`".into(),
            );
            return (None, None);
        };
        let at = |k| [list[0], list[1], Item(0), Key(k)];
        self.unknown_keys(
            obj,
            &OBJECTIVE_KEYS,
            &[list[0], list[1], Item(0)],
            "spec.objectives[0]",
        );
        let target = obj.get("target").map(|v| v.as_f64());
        let percent = obj.get("targetPercent").map(|v| v.as_f64());
        let objective = match (target, percent) {
            (Some(_), Some(_)) => {
                self.error(
                    &at("targetPercent"),
                    "give either `target` or `targetPercent`, not both".into(),
                );
                None
            }
            (Some(Some(t)), None) if t > 0.0 && t < 1.0 => Some(t),
            (None, Some(Some(p))) if p > 0.0 && p < 100.0 => Some(p / 100.0),
            (Some(_), None) => {
                self.error(&at("target"), "spec.objectives[0].target must be a number between 0 and 1 exclusive, e.g. 0.999".into());
                None
            }
            (None, Some(_)) => {
                self.error(&at("targetPercent"), "spec.objectives[0].targetPercent must be a number between 0 and 100 exclusive, e.g. 99.9".into());
                None
            }
            (None, None) => {
                self.error(&[list[0], list[1], Item(0)], "spec.objectives[0] has no `target`; add e.g. `target: 0.999` (or `targetPercent: 99.9`)".into());
                None
            }
        };
        let slice = obj
            .get("timeSliceTarget")
            .map(|v| v.as_f64().filter(|t| *t > 0.0 && *t <= 1.0));
        if let Some(None) = slice {
            self.error(
                &at("timeSliceTarget"),
                "spec.objectives[0].timeSliceTarget must be a number in (0, 1], e.g. 0.95".into(),
            );
        }
        (objective, slice.flatten())
    }

    fn budgeting(&mut self, spec: &Mapping, slice_target: Option<f64>) -> Option<Budgeting> {
        use Seg::{Item, Key};
        let at = [Key("spec"), Key("budgetingMethod")];
        let method = spec
            .get("budgetingMethod")
            .map(|v| v.as_str().unwrap_or(""));
        match method.map(str::to_ascii_lowercase).as_deref() {
            None | Some("occurrences") => Some(Budgeting::Occurrences),
            Some("timeslices") => match slice_target {
                Some(target) => Some(Budgeting::Timeslices { target }),
                None => {
                    let obj = [Key("spec"), Key("objectives"), Item(0)];
                    let at = if spec.get("objectives").is_some() {
                        &obj[..]
                    } else {
                        &at[..]
                    };
                    self.error(at, "budgetingMethod `Timeslices` needs `spec.objectives[0].timeSliceTarget`, e.g. 0.95 (the good/total share a bucket of data/sli.csv needs to be a good slice)".into());
                    None
                }
            },
            Some(_) => {
                self.error(
                    &at,
                    format!(
                        "budgetingMethod `{}` is not supported; use `Occurrences` or `Timeslices`",
                        method.unwrap_or("")
                    ),
                );
                None
            }
        }
    }

    fn window(&mut self, spec: &Mapping) -> Option<SloWindow> {
        use Seg::{Item, Key};
        let list = [Key("spec"), Key("timeWindow")];
        let item = [list[0], list[1], Item(0)];
        let items = spec.get("timeWindow").and_then(Value::as_sequence);
        let Some(tw) = items
            .filter(|i| i.len() == 1)
            .and_then(|i| i[0].as_mapping())
        else {
            let msg = match items {
                None => "missing `spec.timeWindow`; add e.g. `timeWindow: [{duration: 28d, isRolling: true}]`",
                Some(_) => "spec.timeWindow must hold exactly one window, e.g. `- duration: 28d` with `isRolling: true`",
            };
            self.error(&list, msg.into());
            return None;
        };
        self.unknown_keys(tw, &WINDOW_KEYS, &item, "spec.timeWindow[0]");
        let at = |k| [list[0], list[1], Item(0), Key(k)];
        let calendar = tw.get("calendar");
        let rolling = match tw.get("isRolling").map(Value::as_bool) {
            None => calendar.is_none(),
            Some(Some(b)) => b,
            Some(None) => {
                self.error(
                    &at("isRolling"),
                    "spec.timeWindow[0].isRolling must be `true` or `false`".into(),
                );
                return None;
            }
        };
        let Some(duration) = tw.get("duration").and_then(Value::as_str) else {
            self.error(&item, "spec.timeWindow[0] needs a `duration`, e.g. `28d` (rolling) or `1M` (calendar month)".into());
            return None;
        };
        if rolling {
            if calendar.is_some() {
                self.error(
                    &at("calendar"),
                    "a rolling window has no `calendar`; remove it or set `isRolling: false`"
                        .into(),
                );
                return None;
            }
            let window = match duration.char_indices().last() {
                Some((i, 'd' | 'w')) if duration[..i].parse::<u32>().is_ok() => {
                    SloWindow::parse(duration)
                }
                _ => None,
            };
            if window.is_none() {
                self.error(&at("duration"), format!("rolling window `{duration}` is not supported; give whole days or weeks, e.g. `28d` or `4w` (for a calendar month or quarter use `1M`/`1Q` with a `calendar`)"));
            }
            return window;
        }
        let window = match duration {
            "1M" => SloWindow::Month,
            "1Q" => SloWindow::Quarter,
            _ => {
                self.error(&at("duration"), format!("calendar window `{duration}` is not supported; use `1M` (calendar month) or `1Q` (calendar quarter), or a rolling window with `isRolling: true`"));
                return None;
            }
        };
        if let Some(cal) = calendar {
            self.calendar(cal, window);
        }
        Some(window)
    }

    fn calendar(&mut self, cal: &Value, window: SloWindow) {
        use Seg::{Item, Key};
        let base = [Key("spec"), Key("timeWindow"), Item(0), Key("calendar")];
        let at = |k| [base[0], base[1], base[2], base[3], Key(k)];
        let Some(map) = cal.as_mapping() else {
            self.error(
                &base,
                "spec.timeWindow[0].calendar must be a mapping with `startTime` and `timeZone`"
                    .into(),
            );
            return;
        };
        self.unknown_keys(map, &CALENDAR_KEYS, &base, "spec.timeWindow[0].calendar");
        if let Some(start) = map.get("startTime") {
            let text = start.as_str().unwrap_or("");
            let unit = if window == SloWindow::Month {
                "month"
            } else {
                "quarter"
            };
            match parse_start(text) {
                None => self.error(&at("startTime"), format!("calendar.startTime `{text}` is not a date and time like `2024-01-01 00:00:00`")),
                Some(t) if !aligned(t, window) => self.error(&at("startTime"), format!("calendar.startTime `{text}` is not the start of a calendar {unit}; almanac aligns calendar windows to {unit} starts at midnight: use e.g. `2024-01-01 00:00:00`")),
                Some(_) => {}
            }
        }
        if let Some(zone) = map.get("timeZone") {
            let name = zone.as_str().unwrap_or("");
            match name.parse::<Tz>() {
                Err(_) => self.error(&at("timeZone"), format!("calendar.timeZone `{name}` is not an IANA time zone name such as `Europe/Berlin`")),
                Ok(tz) => {
                    if let Some(site) = self.site_tz.filter(|s| *s != tz) {
                        self.warn(&at("timeZone"), format!("calendar.timeZone `{name}` differs from the site timezone `{site}`; almanac cuts every window in the site timezone: set `timezone` in almanac.toml or change this field"));
                    }
                }
            }
        }
    }
}

/// Drops serde_norway's ` at line N column M` (counted from the document, not the file;
/// the diagnostic carries the file position).
fn without_positions(msg: &str) -> String {
    let mut out = String::with_capacity(msg.len());
    let mut rest = msg;
    while let Some(i) = rest.find(" at line ") {
        out.push_str(&rest[..i]);
        let tail = &rest[i + " at line ".len()..];
        let digits = |t: &str| t.len() - t.trim_start_matches(|c: char| c.is_ascii_digit()).len();
        let n = digits(tail);
        match tail[n..].strip_prefix(" column ") {
            Some(col) if n > 0 => rest = &col[digits(col)..],
            _ => {
                out.push_str(" at line ");
                rest = tail;
            }
        }
    }
    out.push_str(rest);
    out
}

/// Parses `2024-01-01 00:00:00`, `2024-01-01T00:00:00` or `2024-01-01`.
fn parse_start(text: &str) -> Option<NaiveDateTime> {
    let t = text.trim();
    ["%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S"]
        .iter()
        .find_map(|f| NaiveDateTime::parse_from_str(t, f).ok())
        .or_else(|| {
            NaiveDate::parse_from_str(t, "%Y-%m-%d")
                .ok()?
                .and_hms_opt(0, 0, 0)
        })
}

/// Midnight on the first day of a month (quarter: January, April, July or October).
fn aligned(t: NaiveDateTime, window: SloWindow) -> bool {
    let month_ok = window != SloWindow::Quarter || t.month0().is_multiple_of(3);
    t.day() == 1 && t.num_seconds_from_midnight() == 0 && month_ok
}
