//! Incident table: parses `data/incidents.csv` bytes into `Incident`s, linking
//! `caused_by_deploy` to deployments and reporting bad rows with line and column.

use crate::diag::Diagnostics;
use crate::load::csv::{opt, req, Col, Table};
use crate::load::delivery::{resolve_deploy, service, DeployTable, Services};
use crate::load::ids::Ids;
use crate::load::stamps::Stamps;
use crate::model::{Incident, Interner, Latest};
use std::collections::BTreeMap;

pub const INCIDENTS: &str = "data/incidents.csv";

/// Parsed incidents, with their local service and cause tables.
#[derive(Debug, Default, Clone)]
pub struct IncidentTable {
    pub rows: Vec<Incident>,
    pub services: Services,
    pub causes: Interner,
    pub has_detected: bool,
    pub has_acknowledged: bool,
    /// The latest sane timestamp and its row (`stamps::Stamps::check`).
    pub latest: Option<Latest>,
    /// The ids of rows refused for a bad field (each reported on its row), with the row's
    /// line: a retro naming one is told so.
    pub refused: BTreeMap<String, u32>,
}

/// The columns of `data/incidents.csv`, in the order the parser indexes them.
pub const INCIDENT_COLUMNS: [Col; 10] = [
    req("incident_id"),
    req("service"),
    req("severity"),
    req("started_at"),
    req("resolved_at"),
    req("caused_by_deploy"),
    req("cause"),
    req("title"),
    opt("detected_at"),
    opt("acknowledged_at"),
];

pub fn incidents(
    bytes: &[u8],
    base: &Interner,
    deploys: &DeployTable,
    diags: &mut Diagnostics,
) -> IncidentTable {
    let mut out = IncidentTable {
        services: Services::from_base(base),
        ..IncidentTable::default()
    };
    let Some(table) = Table::open(INCIDENTS, bytes, &INCIDENT_COLUMNS, diags) else {
        return out;
    };
    out.has_detected = table.has(8);
    out.has_acknowledged = table.has(9);
    let mut ids = Ids::new(&table, 0, "incident_id");
    let mut stamps = Stamps::default();
    let short_or_long = table.for_each_row(diags, |row, diags| {
        let fresh = ids.add(row, 0, diags);
        let service = service(row, 1, &mut out.services, diags);
        let severity = match row.raw(2) {
            [s @ b'1'..=b'4'] => Some(s - b'0'),
            other => {
                let text = String::from_utf8_lossy(other);
                row.error(
                    diags,
                    2,
                    format!("severity `{text}` must be 1 (worst), 2, 3 or 4"),
                );
                None
            }
        };
        let started = row.timestamp(3, "started_at", diags);
        let resolved = row.opt_timestamp(4, "resolved_at", diags);
        let detected = row.opt_timestamp(8, "detected_at", diags);
        let acknowledged = row.opt_timestamp(9, "acknowledged_at", diags);
        let caused_by = resolve_deploy(row, 5, deploys, diags);
        let (Some(started_at), Ok(resolved_at), Ok(detected_at), Ok(acknowledged_at)) =
            (started, resolved, detected, acknowledged)
        else {
            if fresh {
                out.refused.insert(row.text(0), row.line);
            }
            return;
        };
        let order = [
            (8, "detected_at", detected_at),
            (9, "acknowledged_at", acknowledged_at),
            (4, "resolved_at", resolved_at),
        ];
        let mut ordered = true;
        for (col, name, at) in order {
            if at.is_some_and(|t| t < started_at) {
                row.error(
                    diags,
                    col,
                    format!("{name} is before started_at; fix one of the two timestamps"),
                );
                ordered = false;
            }
        }
        if let (Some(a), Some(d)) = (acknowledged_at, detected_at) {
            if a < d {
                row.warn(
                    diags,
                    9,
                    "acknowledged_at is before detected_at; check the two timestamps",
                );
            }
        }
        if let (true, true, Some(service), Some(severity), Some(caused_by)) =
            (fresh, ordered, service, severity, caused_by)
        {
            let cause = (!row.is_empty(6)).then(|| out.causes.intern(&row.text(6)));
            let times = [
                (3, Some(started_at)),
                (4, resolved_at),
                (8, detected_at),
                (9, acknowledged_at),
            ];
            for (col, at) in times {
                if let Some(at) = at {
                    stamps.add(at, row.spot(col));
                }
            }
            out.rows.push(Incident {
                id: row.text(0),
                service,
                severity,
                started_at,
                detected_at,
                acknowledged_at,
                resolved_at,
                caused_by,
                cause,
                title: row.text(7),
                line: row.line,
            });
        } else if fresh {
            out.refused.insert(row.text(0), row.line);
        }
    });
    for (id, line) in short_or_long {
        out.refused.entry(id).or_insert(line);
    }
    ids.finish(diags);
    out.latest = stamps.check(INCIDENTS, |s| s.pos(bytes), diags);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::delivery::deployments;

    #[test]
    fn parses_and_checks_incidents() {
        let mut d = Diagnostics::new();
        let deploys = deployments(
            b"deploy_id,service,environment,status,deployed_at\nd1,api,production,success,2026-07-01T10:00:00Z\n",
            &Interner::default(),
            &mut d,
        );
        let text = "incident_id,service,severity,started_at,resolved_at,caused_by_deploy,cause,title\n\
            i1,api,1,2026-07-01T11:00:00Z,2026-07-01T13:30:00Z,d1,bad-deploy,\"Checkout down, all regions\"\n\
            i2,api,2,2026-07-02T11:00:00Z,,,,Slow search\n\
            i3,api,5,2026-07-02T11:00:00Z,2026-07-02T10:00:00Z,d7,,x\n";
        let t = incidents(text.as_bytes(), &Interner::default(), &deploys, &mut d);
        assert_eq!(t.rows.len(), 2);
        assert_eq!(t.rows[0].caused_by, Some(0));
        assert_eq!(t.rows[0].title, "Checkout down, all regions");
        assert_eq!(t.rows[0].resolved_at.unwrap() - t.rows[0].started_at, 9000);
        assert_eq!(t.rows[1].resolved_at, None);
        assert_eq!(t.causes.name(t.rows[0].cause.unwrap()), "bad-deploy");
        assert!(!t.has_detected);
        // i3 (line 4) is refused for its bad fields and remembered with its line.
        assert_eq!(t.refused, [("i3".to_string(), 4)].into());
        let m: Vec<String> = d.sorted().iter().map(|d| d.to_string()).collect();
        assert_eq!(m.len(), 3, "{m:?}");
        assert!(
            m[0].starts_with("data/incidents.csv:4:8: error: severity `5`"),
            "{}",
            m[0]
        );
        assert!(
            m[1].starts_with("data/incidents.csv:4:31: error: resolved_at is before started_at"),
            "{}",
            m[1]
        );
        assert!(
            m[2].starts_with("data/incidents.csv:4:52: error: deploy_id `d7` does not exist"),
            "{}",
            m[2]
        );
    }

    /// Detection and acknowledgement at their edges, with the config's services first: a
    /// detection at the very second the incident started is in order (line 2); an
    /// acknowledgement one second before its detection is a warning at the acknowledged_at
    /// field (line 3, column 9); at the same second it is not (line 4). `web` is the base's
    /// service 0 and `api`, first named here, is 1.
    #[test]
    fn detection_and_acknowledgement_edges() {
        let mut d = Diagnostics::new();
        let mut base = Interner::default();
        base.intern("web");
        let text = "incident_id,service,severity,started_at,resolved_at,caused_by_deploy,cause,title,detected_at,acknowledged_at\n\
            i1,api,3,2026-07-01T11:00:00Z,,,,a,2026-07-01T11:00:00Z,2026-07-01T11:05:00Z\n\
            i2,web,3,2026-07-01T11:00:00Z,,,,b,2026-07-01T11:10:00Z,2026-07-01T11:09:59Z\n\
            i3,api,3,2026-07-01T11:00:00Z,,,,c,2026-07-01T11:10:00Z,2026-07-01T11:10:00Z\n";
        let t = incidents(text.as_bytes(), &base, &DeployTable::default(), &mut d);
        assert_eq!(t.rows.len(), 3);
        let services: Vec<u32> = t.rows.iter().map(|r| r.service).collect();
        assert_eq!(services, [1, 0, 1]);
        assert_eq!(t.services.names.names(), ["web", "api"]);
        let m: Vec<String> = d.sorted().iter().map(|d| d.to_string()).collect();
        assert_eq!(m.len(), 1, "{m:?}");
        assert!(
            m[0].starts_with(
                "data/incidents.csv:3:57: warning: acknowledged_at is before detected_at"
            ),
            "{}",
            m[0]
        );
        assert!(
            m[0].contains("warning: acknowledged_at is before detected_at"),
            "{}",
            m[0]
        );
    }
}
