//! Tables parsed by an earlier load, kept by `serve`'s incremental rebuilds: a table whose
//! file and whose parser's context (what `tables::Table::reads` hashes) are unchanged is
//! copied from here instead of parsed again, with the problems its parse found. A changed
//! deployment's status, for one, leaves `changes.csv` and `sli.csv` as they were parsed.

use super::tables::{Context, Entry, Parsed};
use crate::diag::Diagnostics;
use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use xxhash_rust::xxh3::Xxh3;

/// One table as last parsed: the hash of its bytes and context, its rows and problems.
struct Kept {
    key: u128,
    parsed: Parsed,
    diags: Diagnostics,
}

/// The tables of the registry as last parsed, by registry index.
#[derive(Default)]
pub struct TableMemo {
    kept: Mutex<HashMap<usize, Kept>>,
    /// How many tables were parsed rather than copied.
    parses: AtomicUsize,
}

impl TableMemo {
    /// Table `i`'s rows and problems for `bytes` under `cx`: copied from the last parse
    /// when its bytes and context were the same, else parsed (and kept).
    pub fn parse(
        &self,
        i: usize,
        table: &dyn Entry,
        bytes: &[u8],
        cx: &Context<'_>,
    ) -> (Parsed, Diagnostics) {
        let mut h = Xxh3::new();
        h.update(bytes);
        table.hash_context(cx, &mut h);
        let key = h.digest128();
        if let Some(k) = self.lock().get(&i).filter(|k| k.key == key) {
            return (table.copy(&k.parsed), k.diags.clone());
        }
        self.parses.fetch_add(1, Ordering::Relaxed);
        let mut diags = Diagnostics::new();
        let parsed = table.parse(bytes, cx, &mut diags);
        let kept = Kept {
            key,
            parsed: table.copy(&parsed),
            diags: diags.clone(),
        };
        self.lock().insert(i, kept);
        (parsed, diags)
    }

    /// How many tables were parsed rather than copied, since the memo was made.
    pub fn parses(&self) -> usize {
        self.parses.load(Ordering::Relaxed)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<usize, Kept>> {
        // A panic while holding the lock leaves the map whole (one insert or none).
        self.kept.lock().unwrap_or_else(|e| e.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::{load_data, load_data_with};
    use crate::metrics::tests::full_site;

    /// The dataset's tables as text, to compare loads.
    fn tables(root: &std::path::Path, memo: Option<&TableMemo>) -> String {
        tables_under("title = \"T\"\n", root, memo)
    }

    /// The dataset's tables and services, loaded under `config`, as text.
    fn tables_under(config: &str, root: &std::path::Path, memo: Option<&TableMemo>) -> String {
        let config = crate::config::parse(config).unwrap();
        let (ds, diags) = match memo {
            Some(m) => load_data_with(root, &config, Vec::new(), Some(m), false),
            None => load_data(root, &config, Vec::new()),
        };
        format!(
            "{:?}\n{:?}\n{:?}\n{:?}\n{:?}\n{:?}",
            ds.services.names(),
            ds.deployments,
            ds.changes,
            ds.incidents,
            ds.annotations,
            diags
                .sorted()
                .iter()
                .map(|d| d.to_string())
                .collect::<Vec<_>>()
        )
    }

    fn edit(root: &std::path::Path, from: &str, to: &str) {
        let p = root.join("data/deployments.csv");
        let text = std::fs::read_to_string(&p).unwrap();
        assert!(text.contains(from));
        std::fs::write(&p, text.replacen(from, to, 1)).unwrap();
    }

    #[test]
    fn a_table_is_parsed_again_only_when_its_file_or_what_it_links_to_changed() {
        let dir = full_site();
        let root = dir.path();
        let memo = TableMemo::default();
        // First load: deployments, changes and incidents are parsed (3 files present).
        assert_eq!(tables(root, Some(&memo)), tables(root, None));
        assert_eq!(memo.parses(), 3);
        // Nothing changed: all three are copied.
        assert_eq!(tables(root, Some(&memo)), tables(root, None));
        assert_eq!(memo.parses(), 3);
        // d1's status: only deployments.csv is parsed again (3 + 1); the changes and
        // incidents link to the same ids at the same times.
        edit(
            root,
            "d1,api,production,success",
            "d1,api,production,failed",
        );
        assert_eq!(tables(root, Some(&memo)), tables(root, None));
        assert_eq!(memo.parses(), 4);
        // d1's time: the changes (checked against it) and the incidents are parsed again
        // too (4 + 3).
        edit(root, "2026-07-01T10:00:00Z", "2026-07-01T11:00:00Z");
        assert_eq!(tables(root, Some(&memo)), tables(root, None));
        assert_eq!(memo.parses(), 7);
        // A deploy id renamed: the same (7 + 3), and the copies never go stale.
        edit(root, "d3,", "d3x,");
        assert_eq!(tables(root, Some(&memo)), tables(root, None));
        assert_eq!(memo.parses(), 10);
    }

    /// The config's services start every table's own service list (`tables::hash::interner`).
    /// A parse under `api` and `web` numbers both as the config's; once `web` leaves the
    /// config it is a service the data names first (`deployments.csv` line 8, `d6,web`), so
    /// all three tables are parsed again (3 + 3), and the load equals a fresh one: `web` is
    /// now unowned, one warning counting its 4 rows (d6, c5, i3 and i4). A copy of the old
    /// parse would count `web` among the config's services, which the merge cannot take (it
    /// has no first line for it: `Services::absorb` indexes `first_at` at 1 - 2 and panics).
    #[test]
    fn a_service_leaving_the_config_parses_the_tables_again() {
        let dir = full_site();
        let root = dir.path();
        let memo = TableMemo::default();
        let both = crate::metrics::tests::CONFIG;
        let api_only = "title = \"T\"\n[[team]]\nid = \"shop\"\nservices = [\"api\"]\n";
        assert_eq!(
            tables_under(both, root, Some(&memo)),
            tables_under(both, root, None)
        );
        assert_eq!(memo.parses(), 3);
        let fresh = tables_under(api_only, root, None);
        assert!(fresh.contains("1 service is not owned by any team: `web` (4 rows, first at data/deployments.csv:8)"), "{fresh}");
        assert_eq!(tables_under(api_only, root, Some(&memo)), fresh);
        assert_eq!(memo.parses(), 6);
    }

    /// `annotations.csv` names the team `shop` as a scope (`tables::hash::teams`). Renamed
    /// `store` (owning the same `api`, so the services are unchanged), the row's scope is
    /// no longer a team, an error at line 2, column 13 (`2026-07-02,,` is 12 bytes): the
    /// memo parses the file again (1 + 1) rather than keep `Team("shop")`.
    #[test]
    fn a_team_renamed_parses_the_annotations_again() {
        let dir = crate::metrics::tests::site(&[(
            "data/annotations.csv",
            "date,end_date,scope,kind,title,link\n2026-07-02,,shop,launch,Checkout v2,\n",
        )]);
        let root = dir.path();
        let memo = TableMemo::default();
        let team =
            |id: &str| format!("title = \"T\"\n[[team]]\nid = \"{id}\"\nservices = [\"api\"]\n");
        let shop = tables_under(&team("shop"), root, Some(&memo));
        assert_eq!(shop, tables_under(&team("shop"), root, None));
        assert!(shop.contains("scope: Team(\"shop\")"), "{shop}");
        assert_eq!(memo.parses(), 1);
        let fresh = tables_under(&team("store"), root, None);
        assert!(fresh.contains("data/annotations.csv:2:13: error: scope `shop` is neither `org`, a team id nor a known service id"), "{fresh}");
        assert_eq!(tables_under(&team("store"), root, Some(&memo)), fresh);
        assert_eq!(memo.parses(), 2);
    }
}
