//! Theme folder: takes the site root and the theme name and returns the site's own theme
//! files (`ThemeFiles`: tera templates and static files from `themes/<name>/`), which
//! render lays over its embedded default theme.

use crate::diag::{Diagnostics, Pos};
use std::collections::BTreeMap;
use std::path::Path;
use walkdir::WalkDir;

/// Templates by name and static files by relative path, in a stable order.
#[derive(Debug, Clone, Default)]
pub struct ThemeFiles {
    pub templates: BTreeMap<String, String>,
    pub statics: BTreeMap<String, Vec<u8>>,
}

/// The site's theme folder `<root>/themes/<name>/`: its `templates/` and `static/` files.
/// The default theme itself is render's; `name = "default"` without a folder reads nothing.
/// `at` is where almanac.toml names the theme.
pub fn load_theme(root: &Path, name: &str, at: Option<Pos>, diags: &mut Diagnostics) -> ThemeFiles {
    let mut theme = ThemeFiles::default();
    let dir = root.join("themes").join(name);
    if !dir.is_dir() {
        if name != "default" {
            diags.error(
                crate::config::CONFIG_FILE,
                at,
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
