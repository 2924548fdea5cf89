//! The SLO methodology text: a markdown constant for the site's methodology page that
//! explains every SLO formula, window, status rule and alert factor almanac uses.

/// Markdown explaining how almanac computes SLO figures.
pub const METHOD: &str = r#"## Service level objectives

### Data

Each row of `data/sli.csv` is one **bucket**: an SLO id, a timestamp (the start of the
bucket) and the `good` and `total` counts of that bucket. A bucket belongs to the day
in which its timestamp falls, in the site timezone. Rows after the end of the `as_of`
day are ignored. The **bucket size** is the most common gap between consecutive bucket
timestamps (the smaller gap on a tie); it decides which short windows can be computed.
A missing bucket is missing data, never a good or a bad bucket.

### Windows

- A **rolling** window of *N* days evaluated at date *D* covers the buckets whose
  timestamp falls in the last *N* whole days ending with the end of *D* in the site
  timezone: from midnight starting day *D − N + 1* (included) to midnight ending *D*
  (excluded).
- A **calendar** window (`month`, `quarter`) covers the calendar month or quarter
  containing *D*, from its first midnight up to the end of *D*.
- Figures for a report period are evaluated at the end of the period's last day,
  clipped to `as_of`.

### Budgeting

- **Occurrences**: units are requests. `good` and `total` are summed over the span.
- **Timeslices**: units are buckets. A bucket with traffic is a good slice when its
  `good / total` is at least the slice target; a bucket without traffic is not a slice.

### Figures

With *good* and *total* summed over the window (in units as above) and *bad = total − good*:

| Figure | Formula |
|---|---|
| `attainment` | *good / total* |
| `error_budget_remaining` | 1 − *bad* / ((1 − objective) × *total*) |
| `burn_rate_X` | (*bad / total* over the trailing span *X*) / (1 − objective) |
| `time_to_exhaustion_hours` | remaining budget × window length in hours / `burn_rate_7d`, only where the budget runs out at that rate (below) |

- `error_budget_remaining` is **not clamped**: a budget overspent eight times is −8.0.
  1.0 means untouched, 0 means exactly spent.
- Burn rates: 1 spends the budget exactly over the window; 10 spends it in a tenth of it.
  `burn_rate_1d` spans day *D*, `burn_rate_7d` days *D − 6* to *D*, `burn_rate_window`
  the whole window (it equals 1 − `error_budget_remaining`). `burn_rate_1h` and
  `burn_rate_6h` span the last hour and six hours before the end of *D* and exist only
  when the bucket size is at most 1 hour (6 hours).
- Any span without buckets, or without traffic, gives `null` (shown "n/a"): no data,
  never a good or bad value.
- Time to exhaustion is `0` when the budget is already spent, and `null` when the 7-day
  burn rate is unknown. Otherwise it is a time only where the budget really runs out at
  the 7-day burn rate *b*; elsewhere it is `null` and the pages say "not at this rate":
  - **rolling** windows: only when *b* > 1. Old failures drop out as new days come in,
    so at a steady *b* the remaining budget tends to 1 − *b*: at *b* ≤ 1 it never runs
    out. The time uses `error_budget_remaining` and assumes none of the failures now in
    the window drop out before then, so it is the earliest the budget can run out.
  - **calendar** windows: the burn-down remaining budget below × the whole month or
    quarter in hours / *b*, and only if that falls before the period ends (at *b* ≤ 1
    from a fresh budget it never does; it can after an early overspend).

### Two views of a calendar budget mid-period

- `error_budget_remaining` judges the budget against **the traffic so far**: on the 10th
  of the month it answers "of the requests served so far, what share of the allowed
  failures is left?".
- The **burn-down chart** judges it against **the expected whole-period traffic**, as
  Sloth does: expected total = (mean units per bucket so far) × (buckets in the whole
  period, i.e. the period's length divided by the bucket size, rounded). The point at
  the end of each day is 1 − (bad units from the period start to that day) /
  ((1 − objective) × expected total). The ideal line falls straight from 100% at the
  start of the period to 0% at its end. Days before the period's first bucket have no
  point.
- The rolling burn-down shows, at the end of each of the last *N* days, the
  `error_budget_remaining` of the *N*-day window ending that day. A rolling budget has
  no deadline, so it has no ideal line.

### Status

Checked in this order (comparisons allow 10⁻⁹ of floating-point slack):

1. **no data**: the window has no bucket with traffic.
2. **exhausted**: `error_budget_remaining` ≤ 0.
3. **at risk**: `burn_rate_7d` > 1, i.e. the last week spent budget faster than the
   window can afford; or the budget runs out at that rate (a time to exhaustion is
   shown: for calendar windows, one that falls before the period ends). So an SLO with
   a time to exhaustion is never healthy. (A calendar window burning above 1 is at risk
   even when its budget outlasts the period.)
4. **healthy**: otherwise.

SLO lists are ordered by risk: exhausted, at risk, healthy, no data; within a status the
lowest budget remaining first; ties by id.

### Multiwindow, multi-burn-rate alerts

As in the Google SRE Workbook (chapter 5, "Alerting on SLOs"), a pair fires at a bucket
end when the burn rates over **both** its long and its short window exceed its factor.
The factor is the share of the window's budget the pair guards, times the window length,
divided by the long window: factor = share × window / long window.

| Long | Short | Budget share | Factor, 30 days | Factor, 28 days |
|---|---|---|---|---|
| 1h | 5m | 2% | 14.4 | 13.44 |
| 6h | 30m | 5% | 6 | 5.6 |
| 24h | 2h | 10% | 3 | 2.8 |
| 3d | 6h | 10% | 1 | 0.9333 |

Calendar windows use the day count of the month or quarter (a 31-day month gives
14.88 for 1h/5m). The pairs are evaluated at the end of every bucket in the report
period; a window spans the buckets whose timestamp falls in the window's length before
that instant. A pair is **not computable** when the buckets are coarser than its short
window (daily data computes none of them); the page says so instead of guessing.

### Daily SLI

The "SLI over time" chart shows *good / total* units per local day; days without data
are gaps. A breach is a run of consecutive days below the objective; a day without data
ends the run.
"#;
