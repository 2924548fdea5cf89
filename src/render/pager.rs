//! Long lists on pages of [`PAGE_ROWS`] rows: takes a list's first path and its items and
//! returns each page's path, rows and the pager linking them (`incidents/status/closed.html`,
//! then `incidents/status/closed/2.html`, ...), so no page grows with the organisation's
//! history.

use crate::render::context::root_of;
use crate::render::registry::PageOf;
use crate::render::words::grouped;
use serde::Serialize;

/// Rows on one page of a paged list.
pub const PAGE_ROWS: usize = 200;

/// Links between the pages of one list: newer (previous), each page, older (next).
#[derive(Serialize)]
pub struct Pager {
    prev: Option<String>,
    next: Option<String>,
    links: Vec<PageLink>,
}

#[derive(Serialize)]
struct PageLink {
    n: usize,
    href: String,
    current: bool,
}

impl Pager {
    /// What a page adds to its list's lede: which rows it shows ("Page 2 of 3: incidents
    /// 201 to 400.", naming the rows `what`), or nothing for a list on one page.
    pub fn note(pager: &Option<Pager>, rows: usize, what: &str) -> String {
        let Some(p) = pager else {
            return String::new();
        };
        let n = p.links.iter().position(|l| l.current).map_or(1, |i| i + 1);
        let first = (n - 1) * PAGE_ROWS + 1;
        format!(
            " Page {n} of {}: {what} {} to {}.",
            p.links.len(),
            grouped(first),
            grouped(first + rows - 1)
        )
    }
}

/// The path of page `n` (from 1) of the list whose first page is `first`.
fn page_path(first: &str, n: usize) -> String {
    if n == 1 {
        first.to_string()
    } else {
        format!("{}/{n}.html", first.trim_end_matches(".html"))
    }
}

/// The list `items` on as many pages of [`PAGE_ROWS`] rows as it needs (one page when it is
/// empty), each row made by `row` from its item and the page's root, each page by `page`
/// from its path, its rows and its pager.
pub fn paged<T, R, V>(
    first: &str,
    items: &[T],
    row: impl Fn(&T, &str) -> R,
    page: impl Fn(String, Vec<R>, Option<Pager>) -> PageOf<V>,
) -> Vec<PageOf<V>> {
    let pages = items.len().div_ceil(PAGE_ROWS).max(1);
    (1..=pages)
        .map(|n| {
            let path = page_path(first, n);
            let root = root_of(&path);
            let chunk = items.iter().skip((n - 1) * PAGE_ROWS).take(PAGE_ROWS);
            let rows = chunk.map(|i| row(i, &root)).collect();
            let href = |k: usize| format!("{root}{}", page_path(first, k));
            let pager = (pages > 1).then(|| Pager {
                prev: (n > 1).then(|| href(n - 1)),
                next: (n < pages).then(|| href(n + 1)),
                links: (1..=pages)
                    .map(|k| PageLink {
                        n: k,
                        href: href(k),
                        current: k == n,
                    })
                    .collect(),
            });
            page(path, rows, pager)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_list_of_401_rows_takes_three_pages_linked_to_each_other() {
        let items: Vec<u32> = (0..401).collect();
        let pages = paged(
            "retros/index.html",
            &items,
            |i, _| *i,
            |path, rows, pager| PageOf {
                title: Pager::note(&pager, rows.len(), "retros"),
                path,
                view: (rows.len(), rows[0], pager.map(|p| (p.prev, p.next))),
            },
        );
        let got: Vec<_> = pages
            .iter()
            .map(|p| (p.path.as_str(), p.title.as_str(), &p.view))
            .collect();
        let (p2, p3) = (
            "../../retros/index/2.html".to_string(),
            "../../retros/index/3.html".to_string(),
        );
        assert_eq!(
            got,
            [
                (
                    "retros/index.html",
                    " Page 1 of 3: retros 1 to 200.",
                    &(
                        200,
                        0,
                        Some((None, Some("../retros/index/2.html".to_string())))
                    )
                ),
                (
                    "retros/index/2.html",
                    " Page 2 of 3: retros 201 to 400.",
                    &(
                        200,
                        200,
                        Some((Some("../../retros/index.html".to_string()), Some(p3)))
                    )
                ),
                (
                    "retros/index/3.html",
                    " Page 3 of 3: retros 401 to 401.",
                    &(1, 400, Some((Some(p2), None)))
                ),
            ]
        );
        // An empty list is one page without a pager.
        let pages = paged(
            "a.html",
            &[] as &[u32],
            |i, _| *i,
            |path, rows, pager| PageOf {
                title: Pager::note(&pager, rows.len(), "rows"),
                path,
                view: (rows.len(), pager.is_none()),
            },
        );
        assert_eq!(pages.len(), 1);
        assert_eq!((pages[0].title.as_str(), pages[0].view), ("", (0, true)));
    }
}
