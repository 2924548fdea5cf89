//! Site paths: takes a scope, an incident id or a retro slug (or a link and a page's root
//! prefix) and returns the path or href the pages link to. Imports no page module, so
//! every page may use it.

use crate::metrics::scope::ScopeKind;
use crate::output::slug;

/// The path of a scope's page.
pub fn scope_path(kind: ScopeKind, id: &str) -> String {
    match kind {
        ScopeKind::Org => "index.html".to_string(),
        ScopeKind::Team => format!("teams/{}.html", slug(id)),
        ScopeKind::Service => format!("services/{}.html", slug(id)),
    }
}

/// The path of an incident's page.
pub fn incident_path(id: &str) -> String {
    format!("incidents/{}.html", slug(id))
}

/// The path of a retro's page, from its slug.
pub fn retro_path(retro_slug: &str) -> String {
    format!("retros/{retro_slug}.html")
}

/// The path of an ISO week's review page.
pub fn review_path(week: &str) -> String {
    format!("reviews/{week}.html")
}

/// A link as an href on a page whose root prefix is `root`: web links unchanged, site
/// paths prefixed.
pub fn rooted(link: &str, root: &str) -> String {
    if link.contains("://") {
        link.to_string()
    } else {
        format!("{root}{link}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scope_paths_and_rooted_links() {
        assert_eq!(scope_path(ScopeKind::Org, "org"), "index.html");
        assert_eq!(scope_path(ScopeKind::Team, "Shop"), "teams/shop.html");
        assert_eq!(rooted("https://x.example/a", "../"), "https://x.example/a");
        assert_eq!(rooted("retros/a.html", "../"), "../retros/a.html");
    }
}
