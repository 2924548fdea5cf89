//! Near misses: the edit distance between two names and the closest known name to an
//! unknown one, for "did you mean ...?" hints (typo'd services, misnamed data files).

/// The optimal-string-alignment (restricted Damerau-Levenshtein) distance between `a` and
/// `b` in characters: insertions, deletions, substitutions and swaps of two neighbours
/// each count 1.
pub fn distance(a: &str, b: &str) -> usize {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    // Rows i-2, i-1 and i of the distance table.
    let mut rows = [
        vec![0; b.len() + 1],
        (0..=b.len()).collect(),
        vec![0; b.len() + 1],
    ];
    for i in 1..=a.len() {
        rows[2][0] = i;
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut d = (rows[1][j] + 1)
                .min(rows[2][j - 1] + 1)
                .min(rows[1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                d = d.min(rows[0][j - 2] + 1);
            }
            rows[2][j] = d;
        }
        rows.rotate_left(1);
    }
    rows[1][b.len()]
}

/// The known name `name` most likely misspells: compared without case, at a distance of
/// at most 2 and at most a quarter of the known name's length (so `api-gatway` matches
/// `api-gateway`, 1 of 11, but `web` never matches `api`). Ties go to the first known
/// name. `None` when no known name is that close, or `name` is itself known.
pub fn closest<'k>(name: &str, known: impl IntoIterator<Item = &'k str>) -> Option<&'k str> {
    let lower = name.to_lowercase();
    let mut best: Option<(usize, &str)> = None;
    for k in known {
        if k == name {
            return None;
        }
        let d = distance(&lower, &k.to_lowercase());
        let limit = (k.chars().count() / 4).min(2);
        if d <= limit && best.is_none_or(|(b, _)| d < b) {
            best = Some((d, k));
        }
    }
    best.map(|(_, k)| k)
}

/// "; did you mean `x`?" when `name` looks like a typo of one of `known` (`closest`), else
/// nothing: the hint a diagnostic appends.
pub fn did_you_mean<'k>(name: &str, known: impl IntoIterator<Item = &'k str>) -> String {
    closest(name, known).map_or_else(String::new, |k| format!("; did you mean `{k}`?"))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The nearest known name wins wherever it is listed, and of two as near the first
    /// listed: `api-gatway` is 2 edits from `api-gateways` (within its limit, 12 / 4 -> 2)
    /// and 1 from `api-gateway`; `api-gatewa` is 1 edit from both `api-gatewax` and
    /// `api-gateway`.
    #[test]
    fn closest_takes_the_nearest_and_of_equals_the_first() {
        assert_eq!(distance("api-gatway", "api-gateways"), 2);
        assert_eq!(
            closest("api-gatway", ["api-gateways", "api-gateway"]),
            Some("api-gateway")
        );
        assert_eq!(
            closest("api-gatewa", ["api-gatewax", "api-gateway"]),
            Some("api-gatewax")
        );
    }

    #[test]
    fn distance_counts_edits_and_neighbour_swaps() {
        assert_eq!(distance("api-gatway", "api-gateway"), 1); // one deletion
        assert_eq!(distance("api-gaetway", "api-gateway"), 1); // "ae" swapped
        assert_eq!(distance("kitten", "sitting"), 3); // k->s, e->i, +g
        assert_eq!(distance("", "abc"), 3);
        assert_eq!(distance("same", "same"), 0);
    }

    #[test]
    fn closest_allows_a_quarter_of_the_length_up_to_two() {
        let known = ["api-gateway", "web", "billing", "pages.csv"];
        assert_eq!(closest("api-gatway", known), Some("api-gateway"));
        // 11 characters allow 2 edits ("api-gtway" is 2 away), not 3.
        assert_eq!(closest("api-gtway", known), Some("api-gateway"));
        assert_eq!(closest("api-gtwy", known), None);
        // "web" (3 characters) allows none; a case difference alone is distance 0.
        assert_eq!(closest("wbe", known), None);
        assert_eq!(closest("Web", known), Some("web"));
        // "billing" (7 characters) allows 1.
        assert_eq!(closest("biling", known), Some("billing"));
        assert_eq!(closest("page.csv", known), Some("pages.csv"));
        assert_eq!(closest("web", known), None);
    }
}
