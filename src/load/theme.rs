//! Theme: takes the site root and the theme name and returns the `Theme` (tera templates
//! and static files): the embedded default theme, with any file of the site's theme folder
//! replacing the default of the same name.

use crate::diag::Diagnostics;
use std::collections::BTreeMap;
use std::path::Path;
use walkdir::WalkDir;

/// Templates by name and static files by relative path, in a stable order.
#[derive(Debug, Clone, Default)]
pub struct Theme {
    pub templates: BTreeMap<String, String>,
    pub statics: BTreeMap<String, Vec<u8>>,
}

macro_rules! embedded {
    ($($name:literal),* $(,)?) => {
        &[$(($name, include_str!(concat!("../../themes/default/templates/", $name)))),*]
    };
}

/// The default theme, compiled into the binary so a site needs no theme folder.
const DEFAULT_TEMPLATES: &[(&str, &str)] = embedded!(
    "base.html",
    "macros.html",
    "bands.html",
    "interventions.html",
    "index.html",
    "scope.html",
    "teams.html",
    "metric.html",
    "metrics.html",
    "doc.html",
    "docs.html",
    "retro.html",
    "retros.html",
    "page.html",
    "slo_section.html",
    "slo.html",
    "slos.html",
    "incidents.html",
    "incident.html",
    "actions.html",
    "monthly.html",
    "monthly_index.html",
    "oncall.html",
);

const DEFAULT_STATICS: &[(&str, &str)] = &[(
    "style.css",
    include_str!("../../themes/default/static/style.css"),
)];

/// The default theme plus the overrides in `<root>/themes/<name>/`.
pub fn load_theme(root: &Path, name: &str, diags: &mut Diagnostics) -> Theme {
    let mut theme = Theme {
        templates: DEFAULT_TEMPLATES
            .iter()
            .map(|(n, t)| (n.to_string(), t.to_string()))
            .collect(),
        statics: DEFAULT_STATICS
            .iter()
            .map(|(n, t)| (n.to_string(), t.as_bytes().to_vec()))
            .collect(),
    };
    let dir = root.join("themes").join(name);
    if !dir.is_dir() {
        if name != "default" {
            diags.error(
                "almanac.toml",
                None,
                format!("theme `{name}` not found: there is no folder themes/{name}; copy themes/default there or set theme = \"default\""),
            );
        }
        return theme;
    }
    for (sub, is_template) in [("templates", true), ("static", false)] {
        for entry in WalkDir::new(dir.join(sub))
            .sort_by_file_name()
            .into_iter()
            .filter_map(Result::ok)
        {
            if !entry.file_type().is_file() {
                continue;
            }
            let rel = entry
                .path()
                .strip_prefix(dir.join(sub))
                .unwrap_or(entry.path());
            let rel = rel.to_string_lossy().replace('\\', "/");
            let shown = format!("themes/{name}/{sub}/{rel}");
            match std::fs::read(entry.path()) {
                Ok(bytes) if is_template => match String::from_utf8(bytes) {
                    Ok(text) => {
                        theme.templates.insert(rel, text);
                    }
                    Err(_) => {
                        diags.error(&shown, None, "template is not UTF-8 text; save it as UTF-8")
                    }
                },
                Ok(bytes) => {
                    theme.statics.insert(rel, bytes);
                }
                Err(e) => diags.error(&shown, None, format!("cannot read: {e}")),
            }
        }
    }
    theme
}
