//! Page paths shared by several page builders: takes an id and returns the path of its
//! page, relative to the site root. Imports no page module, so no import loop forms.

use crate::output::slug;

/// The path of an incident's page.
pub fn incident_path(id: &str) -> String {
    format!("incidents/{}.html", slug(id))
}

/// The path of a retro's page, from its slug.
pub fn retro_path(retro_slug: &str) -> String {
    format!("retros/{retro_slug}.html")
}
