-- The DuckDB peer of `benches/compare.sh`: the four keys per service per quarter, in one
-- query over the CSVs, by almanac's published definitions (content/metrics/): quarters in
-- the site's timezone; counted deployments are production ones with status success or
-- rolled_back; a failure is a counted deployment rolled back or named by an incident's
-- caused_by_deploy; lead time runs from committed_at to the counted deployment that shipped
-- the change; time to restore is the median over the incidents that started in the quarter
-- and are resolved. tests/oracle/agree.py checks its rows against almanac's exports.
-- @DATA@ and @TZ@ are filled in by the scripts that run it.
SET TimeZone = '@TZ@';
WITH dep AS (SELECT deploy_id, service, status, CAST(deployed_at AS TIMESTAMPTZ) AS ts
             FROM read_csv('@DATA@/deployments.csv', all_varchar = true)
             WHERE environment = 'production' AND status IN ('success', 'rolled_back')),
     inc AS (SELECT service, caused_by_deploy, CAST(started_at AS TIMESTAMPTZ) AS started,
                    CAST(resolved_at AS TIMESTAMPTZ) AS resolved
             FROM read_csv('@DATA@/incidents.csv', all_varchar = true)),
     named AS (SELECT DISTINCT caused_by_deploy AS deploy_id FROM inc WHERE caused_by_deploy IS NOT NULL),
     deploys AS (SELECT service, date_trunc('quarter', ts) AS q, count(*) AS deployments,
                        count(*) FILTER (WHERE status = 'rolled_back' OR named.deploy_id IS NOT NULL) AS failed
                 FROM dep LEFT JOIN named USING (deploy_id) GROUP BY ALL),
     lead AS (SELECT dep.service, date_trunc('quarter', dep.ts) AS q,
                     median(epoch(dep.ts) - epoch(CAST(ch.committed_at AS TIMESTAMPTZ))) / 3600 AS lead_time_median_hours
              FROM read_csv('@DATA@/changes.csv', all_varchar = true) ch JOIN dep USING (deploy_id) GROUP BY ALL),
     restore AS (SELECT service, date_trunc('quarter', started) AS q,
                        median(epoch(resolved) - epoch(started)) / 3600 AS time_to_restore_median_hours
                 FROM inc WHERE resolved IS NOT NULL GROUP BY ALL)
SELECT service, strftime(q, '%Y-%m-%d') AS quarter_start, deployments, failed / deployments AS change_failure_rate,
       lead_time_median_hours, time_to_restore_median_hours
FROM deploys LEFT JOIN lead USING (service, q) LEFT JOIN restore USING (service, q)
ORDER BY 1, 2;
