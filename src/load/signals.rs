//! Signal tables: parses `data/sli.csv`, `data/pages.csv` and `data/annotations.csv` bytes
//! into `SliRow`s, `PageEvent`s and `Annotation`s, reporting bad rows with line and column.

use crate::config::Team;
use crate::diag::similar::{closest, did_you_mean};
use crate::diag::Diagnostics;
use crate::load::csv::{req, Col, Reported, Spot, Table};
use crate::load::delivery::{service, Services};
use crate::load::ids::Ids;
use crate::load::stamps::Stamps;
use crate::model::{Annotation, AnnotationKind, Interner, Latest, PageEvent, Scope, SliRow, Ts};
use std::collections::HashMap;

pub const SLI: &str = "data/sli.csv";
pub const PAGES: &str = "data/pages.csv";
pub const ANNOTATIONS: &str = "data/annotations.csv";

#[derive(Debug, Default, Clone)]
pub struct SliTable {
    pub rows: Vec<SliRow>,
    /// The latest sane timestamp and its row (`stamps::Stamps::check`).
    pub latest: Option<Latest>,
}

/// The columns of `data/sli.csv`, in the order the parser indexes them.
pub const SLI_COLUMNS: [Col; 4] = [req("slo"), req("timestamp"), req("good"), req("total")];

/// SLI buckets; `slos` maps SLO ids to their index in `Dataset::slos`.
pub fn sli(bytes: &[u8], slos: &HashMap<String, u32>, diags: &mut Diagnostics) -> SliTable {
    let mut out = SliTable::default();
    let Some(table) = Table::open(SLI, bytes, &SLI_COLUMNS, diags) else {
        return out;
    };
    let total_column = table.column(3).map_or(u32::MAX, |c| c as u32);
    // Read in parts side by side, then joined in file order: each row with the place of its
    // timestamp (which holds the row's line and offset too).
    let parts = table.read_parts(|part, d| sli_rows(part, slos, d));
    let n = parts.iter().map(|((rows, _), _)| rows.len()).sum();
    let (mut rows, mut at) = (Vec::with_capacity(n), Vec::with_capacity(n));
    for ((mut part_rows, mut part_at), d) in parts {
        rows.append(&mut part_rows);
        at.append(&mut part_at);
        diags.extend(d);
    }
    // Each SLO's sums of good and of total so far, in file order: every figure is a
    // difference of prefix sums of these, so a row that would take either past u64::MAX is
    // refused here.
    let n_slos = slos.values().map(|&i| i as usize + 1).max().unwrap_or(0);
    let name = |slo: u32| slos.iter().find(|(_, &i)| i == slo).map_or("", |(n, _)| n);
    let mut sums = vec![(0u64, 0u64); n_slos];
    let mut refused = Vec::new();
    for (k, (r, spot)) in rows.iter().zip(&at).enumerate() {
        let sum = &mut sums[r.slo as usize];
        match sum.0.checked_add(r.good).zip(sum.1.checked_add(r.total)) {
            Some(next) => *sum = next,
            None => {
                let total = Spot {
                    column: total_column,
                    ..*spot
                };
                diags.error(SLI, Some(total.pos(bytes)), format!("the sum of `total` over SLO `{}` passes {} at this row, more than almanac can count; check this row's counts", name(r.slo), u64::MAX));
                refused.push(k);
            }
        }
    }
    if !refused.is_empty() {
        (rows, at) = rows
            .into_iter()
            .zip(at)
            .enumerate()
            .filter(|(k, _)| refused.binary_search(k).is_err())
            .map(|(_, row)| row)
            .unzip();
    }
    let mut stamps = Stamps::default();
    stamps.reserve(rows.len());
    for (r, &spot) in rows.iter().zip(&at) {
        stamps.add(r.at, spot);
    }
    report_duplicate_buckets(&rows, &at, diags);
    out.latest = stamps.check(SLI, |s| s.pos(bytes), diags);
    out.rows = rows;
    out
}

/// The SLI rows of one part of the file, each with the place of its timestamp.
type SliPart = (Vec<SliRow>, Vec<Spot>);

fn sli_rows(table: Table, slos: &HashMap<String, u32>, diags: &mut Diagnostics) -> SliPart {
    let n = table.rows_at_most();
    let (mut rows, mut spots) = (Vec::with_capacity(n), Vec::with_capacity(n));
    // An export lists an SLO's rows together: the SLO of the row before is found again
    // without a lookup.
    let mut last: Option<(&str, u32)> = None;
    // The last unknown name and what its error says (a typo'd SLO has many rows; the
    // nearest known id is looked for once).
    let mut unknown: Option<(String, String)> = None;
    table.for_each_row(diags, |row, diags| {
        let name = String::from_utf8_lossy(row.raw(0));
        let slo = match last {
            Some((id, i)) if id == name => Some(i),
            _ => {
                let found = slos.get_key_value(name.as_ref());
                last = found.map(|(id, &i)| (id.as_str(), i));
                found.map(|(_, &i)| i)
            }
        };
        if slo.is_none() {
            let message = match &unknown {
                Some((n, message)) if *n == name => message.clone(),
                _ => {
                    // In id order, so that of two as near the same one is named every run.
                    let mut known: Vec<&str> = slos.keys().map(String::as_str).collect();
                    known.sort_unstable();
                    let hint = closest(&name, known)
                        .map_or_else(String::new, |k| format!("did you mean `{k}`? Otherwise "));
                    let message = format!("unknown SLO `{name}`; {hint}define it as [[slo]] in almanac.toml or in data/slos/*.yaml");
                    unknown = Some((name.to_string(), message.clone()));
                    message
                }
            };
            row.error(diags, 0, message);
        }
        let at = row.timestamp(1, "timestamp", diags);
        let good = row.count(2, "good", diags);
        let total = row.count(3, "total", diags);
        if let (Some(g), Some(t)) = (good, total) {
            if g > t {
                row.error(diags, 2, format!("good ({g}) is greater than total ({t}); good events are a subset of all events"));
                return;
            }
        }
        if let (Some(slo), Some(at), Some(good), Some(total)) = (slo, at, good, total) {
            rows.push(SliRow { slo, at, good, total });
            spots.push(row.spot(1));
        }
    });
    (rows, spots)
}

fn report_duplicate_buckets(rows: &[SliRow], at: &[Spot], diags: &mut Diagnostics) {
    // An export lists each SLO's buckets in time order: then no two share a timestamp, and
    // nothing need be sorted.
    let mut last: Vec<Option<Ts>> = Vec::new();
    let ascending = rows.iter().all(|r| {
        let slo = r.slo as usize;
        if last.len() <= slo {
            last.resize(slo + 1, None);
        }
        let later = last[slo].is_none_or(|t| r.at > t);
        last[slo] = Some(r.at);
        later
    });
    if ascending {
        return;
    }
    let mut order: Vec<usize> = (0..rows.len()).collect();
    order.sort_unstable_by_key(|&i| (rows[i].slo, rows[i].at, at[i].line));
    for pair in order.windows(2) {
        let (a, b) = (&rows[pair[0]], &rows[pair[1]]);
        if a.slo == b.slo && a.at == b.at {
            diags.error(
                SLI,
                Some(crate::diag::Pos { line: at[pair[1]].line, column: 1 }),
                format!("duplicate bucket: this SLO already has a row at this timestamp on line {}; merge the two rows", at[pair[0]].line),
            );
        }
    }
}

#[derive(Debug, Default, Clone)]
pub struct PageTable {
    pub rows: Vec<PageEvent>,
    pub services: Services,
    /// The latest sane timestamp and its row (`stamps::Stamps::check`).
    pub latest: Option<Latest>,
}

/// The columns of `data/pages.csv`, in the order the parser indexes them.
pub const PAGE_COLUMNS: [Col; 5] = [
    req("page_id"),
    req("service"),
    req("paged_at"),
    req("actionable"),
    req("after_hours"),
];

pub fn pages(bytes: &[u8], base: &Interner, diags: &mut Diagnostics) -> PageTable {
    let mut out = PageTable {
        services: Services::from_base(base),
        ..PageTable::default()
    };
    let Some(table) = Table::open(PAGES, bytes, &PAGE_COLUMNS, diags) else {
        return out;
    };
    let mut ids = Ids::new(&table, 0, "page_id");
    let mut stamps = Stamps::default();
    table.for_each_row(diags, |row, diags| {
        let fresh = ids.add(row, 0, diags);
        let service = service(row, 1, &mut out.services, diags);
        let at = row.timestamp(2, "paged_at", diags);
        let actionable = required_bool(row, 3, "actionable", diags);
        let after_hours = required_bool(row, 4, "after_hours", diags);
        if let (true, Some(service), Some(at), Some(actionable), Some(after_hours)) =
            (fresh, service, at, actionable, after_hours)
        {
            stamps.add(at, row.spot(2));
            out.rows.push(PageEvent {
                service,
                at,
                actionable,
                after_hours,
            });
        }
    });
    ids.finish(diags);
    out.latest = stamps.check(PAGES, |s| s.pos(bytes), diags);
    out
}

fn required_bool(
    row: &crate::load::csv::Row,
    col: usize,
    name: &str,
    diags: &mut Diagnostics,
) -> Option<bool> {
    match row.opt_bool(col, name, diags) {
        Ok(Some(b)) => Some(b),
        Ok(None) => {
            row.error(
                diags,
                col,
                format!("`{name}` is empty; write true or false"),
            );
            None
        }
        Err(Reported) => None,
    }
}

/// The columns of `data/annotations.csv`, in the order the parser indexes them.
pub const ANNOTATION_COLUMNS: [Col; 6] = [
    req("date"),
    req("end_date"),
    req("scope"),
    req("kind"),
    req("title"),
    req("link"),
];

/// Annotations; scopes are checked against the config's teams and the known services.
pub fn annotations(
    bytes: &[u8],
    teams: &[Team],
    services: &Interner,
    diags: &mut Diagnostics,
) -> Vec<Annotation> {
    let mut out = Vec::new();
    let Some(table) = Table::open(ANNOTATIONS, bytes, &ANNOTATION_COLUMNS, diags) else {
        return out;
    };
    table.for_each_row(diags, |row, diags| {
        let date = match row.opt_date(0, "date", diags) {
            Ok(Some(d)) => Some(d),
            Ok(None) => {
                row.error(diags, 0, "`date` is empty; write YYYY-MM-DD");
                None
            }
            Err(Reported) => None,
        };
        let end_date = row.opt_date(1, "end_date", diags);
        let scope_text = row.text(2);
        let scope = if scope_text == "org" {
            Some(Scope::Org)
        } else if teams.iter().any(|t| t.id == scope_text) {
            Some(Scope::Team(scope_text.clone()))
        } else if services.get(&scope_text).is_some() {
            Some(Scope::Service(scope_text.clone()))
        } else {
            let known = std::iter::once("org")
                .chain(teams.iter().map(|t| t.id.as_str()))
                .chain(services.names().iter().map(String::as_str));
            let hint = did_you_mean(&scope_text, known);
            row.error(
                diags,
                2,
                format!(
                    "scope `{scope_text}` is neither `org`, a team id nor a known service id{hint}"
                ),
            );
            None
        };
        let kind = AnnotationKind::parse(&row.text(3));
        if kind.is_none() {
            let all: Vec<_> = AnnotationKind::ALL.iter().map(|k| k.as_str()).collect();
            row.error(
                diags,
                3,
                format!(
                    "unknown kind `{}`; use one of {}",
                    row.text(3),
                    all.join(", ")
                ),
            );
        }
        let link = row.text(5);
        let link_ok = link.is_empty() || safe_link(&link);
        if !link_ok {
            row.error(
                diags,
                5,
                format!("link `{link}` must be an http(s) URL or a relative path"),
            );
        }
        if row.is_empty(4) {
            row.error(
                diags,
                4,
                "`title` is empty; say what happened in a few words",
            );
        }
        let (Some(date), Ok(end_date), Some(scope), Some(kind), true, false) =
            (date, end_date, scope, kind, link_ok, row.is_empty(4))
        else {
            return;
        };
        if end_date.is_some_and(|e| e < date) {
            row.error(
                diags,
                1,
                "end_date is before date; a range ends on or after its first day",
            );
            return;
        }
        out.push(Annotation {
            date,
            end_date: end_date.filter(|e| *e != date),
            scope,
            kind,
            title: row.text(4),
            link: (!link.is_empty()).then_some(link),
        });
    });
    out
}

/// Links from user data: http(s) URLs or relative paths, never `javascript:` or `data:`.
pub fn safe_link(link: &str) -> bool {
    let lower = link.trim().to_ascii_lowercase();
    if lower.starts_with("http://") || lower.starts_with("https://") {
        return true;
    }
    let scheme_like = lower
        .split(['/', '?', '#'])
        .next()
        .is_some_and(|first| first.contains(':'));
    !scheme_like && !lower.starts_with("//")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn messages(d: Diagnostics) -> Vec<String> {
        d.sorted().iter().map(|d| d.to_string()).collect()
    }

    #[test]
    fn sli_rows_are_checked() {
        let slos = HashMap::from([("avail".to_string(), 0u32)]);
        let text = "slo,timestamp,good,total\n\
            avail,2026-07-01T00:00:00Z,99,100\n\
            nope,2026-07-01T00:00:00Z,1,1\n\
            avail,2026-07-01T01:00:00Z,101,100\n\
            avail,2026-07-01T02:00:00Z,-1,100\n\
            avail,2026-07-01T00:00:00Z,5,5\n";
        let mut d = Diagnostics::new();
        let t = sli(text.as_bytes(), &slos, &mut d);
        assert_eq!(t.rows.len(), 2);
        assert_eq!(
            t.rows[0],
            SliRow {
                slo: 0,
                at: 1_782_864_000,
                good: 99,
                total: 100
            }
        );
        let m = messages(d);
        assert!(
            m[0].starts_with("data/sli.csv:3:1: error: unknown SLO `nope`"),
            "{m:?}"
        );
        assert!(
            m[1].starts_with("data/sli.csv:4:28: error: good (101) is greater than total (100)"),
            "{m:?}"
        );
        assert!(
            m[2].starts_with("data/sli.csv:5:28: error: `good` is negative (-1)"),
            "{m:?}"
        );
        assert!(
            m[3].starts_with("data/sli.csv:6:1: error: duplicate bucket"),
            "{m:?}"
        );
    }

    /// A file over 1 MiB is read in parts; an SLO's sums still run through the whole file in
    /// order. `avail` starts at u64::MAX - 10 (line 2); 40,000 zero rows follow (lines 3 to
    /// 40,002, far past the first part); then 11 more would pass u64::MAX (line 40,003,
    /// refused at its `total`, column 6 + 20 + 1 + 2 + 1 + 1 = 31), and 10 reach it exactly
    /// (line 40,004, kept). `other`'s rows come between `avail`'s, each SLO in time order:
    /// no duplicate bucket.
    #[test]
    fn sums_run_across_the_parts_of_a_large_file() {
        let slos = HashMap::from([("avail".to_string(), 0u32), ("other".to_string(), 1u32)]);
        let hour = |k: i64| {
            let t = chrono::DateTime::from_timestamp(1_577_836_800 + k * 3600, 0).unwrap();
            t.format("%Y-%m-%dT%H:%M:%SZ").to_string()
        };
        let max = u64::MAX - 10;
        let mut text = format!("slo,timestamp,good,total\navail,{},{max},{max}\n", hour(0));
        for k in 1..=40_000 {
            let slo = if k % 2 == 0 { "avail" } else { "other" };
            text.push_str(&format!("{slo},{},0,0\n", hour(k)));
        }
        text.push_str(&format!(
            "avail,{},11,11\navail,{},10,10\n",
            hour(40_001),
            hour(40_002)
        ));
        let mut no = Diagnostics::new();
        let parts = Table::open(SLI, text.as_bytes(), &SLI_COLUMNS, &mut no).map(|t| t.split(2));
        assert_eq!(parts.map(|p| p.len()), Some(2));
        let mut d = Diagnostics::new();
        let t = sli(text.as_bytes(), &slos, &mut d);
        assert_eq!(
            messages(d),
            [format!("data/sli.csv:40003:31: error: the sum of `total` over SLO `avail` passes {} at this row, more than almanac can count; check this row's counts", u64::MAX)]
        );
        // 40,003 rows written, one refused; the last kept is the one that reaches u64::MAX.
        assert_eq!(t.rows.len(), 40_002);
        assert_eq!(t.rows.last().map(|r| r.total), Some(10));
        assert_eq!(t.latest.map(|l| l.line), Some(40_004));
    }

    /// A range's end on its first day is one day (no `end_date`), a day before it is an
    /// error at `end_date` (line 3, column 12); a link is kept as written, and no link is
    /// none, not an empty one.
    #[test]
    fn annotation_ranges_and_links_at_their_edges() {
        let text = "date,end_date,scope,kind,title,link\n\
            2026-07-01,2026-07-01,org,launch,One day,https://example.com/x\n\
            2026-07-02,2026-07-01,org,launch,Backwards,\n\
            2026-07-03,,org,launch,No link,\n";
        let mut d = Diagnostics::new();
        let a = annotations(text.as_bytes(), &[], &Interner::default(), &mut d);
        assert_eq!(a.len(), 2);
        assert_eq!((a[0].title.as_str(), a[0].end_date), ("One day", None));
        assert_eq!(a[0].link.as_deref(), Some("https://example.com/x"));
        assert_eq!(
            (a[1].title.as_str(), a[1].link.as_deref()),
            ("No link", None)
        );
        assert_eq!(
            messages(d),
            ["data/annotations.csv:3:12: error: end_date is before date; a range ends on or after its first day"]
        );
    }

    /// A service first named in `pages.csv` is numbered after the config's (`web` is 0).
    #[test]
    fn pages_number_new_services_after_the_configs() {
        let mut base = Interner::default();
        base.intern("web");
        let text = "page_id,service,paged_at,actionable,after_hours\n\
            p1,pager,2026-07-03T00:00:00Z,true,false\n\
            p2,web,2026-07-03T01:00:00Z,false,true\n";
        let mut d = Diagnostics::new();
        let t = pages(text.as_bytes(), &base, &mut d);
        assert!(d.is_empty(), "{:?}", messages(d));
        let services: Vec<u32> = t.rows.iter().map(|r| r.service).collect();
        assert_eq!(services, [1, 0]);
        assert_eq!(t.services.names.names(), ["web", "pager"]);
    }

    #[test]
    fn annotations_are_scoped_and_links_are_safe() {
        let teams = vec![Team {
            id: "pay".into(),
            name: "Pay".into(),
            services: vec!["api".into()],
        }];
        let mut services = Interner::default();
        services.intern("api");
        let text = "date,end_date,scope,kind,title,link\n\
            2026-07-01,,org,launch,Launch <b>v2</b>,https://example.com/x\n\
            2026-07-01,2026-07-09,pay,freeze,Freeze,\n\
            2026-07-01,,api,intervention,CI cache,/docs/ci\n\
            2026-07-01,,ghost,launch,x,\n\
            2026-07-01,,org,party,x,javascript:alert(1)\n";
        let mut d = Diagnostics::new();
        let a = annotations(text.as_bytes(), &teams, &services, &mut d);
        assert_eq!(a.len(), 3);
        assert_eq!(a[1].scope, Scope::Team("pay".into()));
        assert_eq!(a[2].scope, Scope::Service("api".into()));
        assert_eq!(a[1].end_date, chrono::NaiveDate::from_ymd_opt(2026, 7, 9));
        let m = messages(d);
        assert_eq!(m.len(), 3, "{m:?}");
        // `ghost` is near no scope: no hint.
        assert!(
            m[0].ends_with(
                ":5:13: error: scope `ghost` is neither `org`, a team id nor a known service id"
            ),
            "{m:?}"
        );
        assert!(m[1].contains(":6:17: error: unknown kind `party`"), "{m:?}");
        assert!(
            m[2].contains(":6:25: error: link `javascript:alert(1)`"),
            "{m:?}"
        );
    }

    /// A name one or two typos from a known one gets a hint: the SLO `avial` (a swap, 1
    /// edit from `avail`) on two rows, looked up once; the scope `paymnets` (1 swap from the
    /// team `payments`).
    #[test]
    fn a_near_miss_of_an_slo_or_a_scope_is_named() {
        let slos = HashMap::from([("avail".to_string(), 0u32), ("latency".to_string(), 1)]);
        let text = "slo,timestamp,good,total\n\
            avial,2026-07-01T00:00:00Z,1,1\n\
            avial,2026-07-01T01:00:00Z,1,1\n";
        let mut d = Diagnostics::new();
        sli(text.as_bytes(), &slos, &mut d);
        let hint = "error: unknown SLO `avial`; did you mean `avail`? Otherwise define it as [[slo]] in almanac.toml or in data/slos/*.yaml";
        assert_eq!(
            messages(d),
            [
                format!("data/sli.csv:2:1: {hint}"),
                format!("data/sli.csv:3:1: {hint}")
            ]
        );
        let teams = vec![Team {
            id: "payments".into(),
            name: "Payments".into(),
            services: vec![],
        }];
        let mut d = Diagnostics::new();
        annotations(
            b"date,end_date,scope,kind,title,link\n2026-07-01,,paymnets,launch,x,\n",
            &teams,
            &Interner::default(),
            &mut d,
        );
        assert_eq!(
            messages(d),
            ["data/annotations.csv:2:13: error: scope `paymnets` is neither `org`, a team id nor a known service id; did you mean `payments`?"]
        );
    }

    #[test]
    fn links() {
        assert!(safe_link("https://x.org/a"));
        assert!(safe_link("../retros/inc-1.html"));
        assert!(!safe_link("JavaScript:alert(1)"));
        assert!(!safe_link("data:text/html,x"));
        assert!(!safe_link("//evil.example"));
    }
}
