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

#[cfg(test)]
mod tests {
    use super::*;

    /// A theme folder's templates (text, by name under `templates/`) and static files (bytes,
    /// by path under `static/`); a named theme without a folder is an error at the config's
    /// `theme` line, and `default` without one reads nothing and says nothing.
    #[test]
    fn reads_templates_and_statics_and_names_a_missing_theme() {
        let dir = tempfile::tempdir().unwrap();
        let theme = dir.path().join("themes/mine");
        std::fs::create_dir_all(theme.join("templates/partials")).unwrap();
        std::fs::create_dir_all(theme.join("static")).unwrap();
        std::fs::write(theme.join("templates/page.html"), "{{ title }}").unwrap();
        std::fs::write(theme.join("templates/partials/nav.html"), "<nav>").unwrap();
        std::fs::write(theme.join("static/logo.png"), [0x89, b'P', b'N', b'G']).unwrap();
        let mut d = Diagnostics::new();
        let files = load_theme(dir.path(), "mine", None, &mut d);
        assert!(d.is_empty());
        let templates: Vec<(&str, &str)> = files
            .templates
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        assert_eq!(
            templates,
            [("page.html", "{{ title }}"), ("partials/nav.html", "<nav>")]
        );
        let statics: Vec<&str> = files.statics.keys().map(String::as_str).collect();
        assert_eq!(statics, ["logo.png"]);
        assert_eq!(files.statics["logo.png"], [0x89, b'P', b'N', b'G']);

        let at = Some(Pos { line: 2, column: 9 });
        let files = load_theme(dir.path(), "nope", at, &mut d);
        assert!(files.templates.is_empty() && files.statics.is_empty());
        let m: Vec<String> = d.sorted().iter().map(|d| d.to_string()).collect();
        assert_eq!(m.len(), 1, "{m:?}");
        assert!(
            m[0].starts_with("almanac.toml:2:9: error: theme `nope` not found"),
            "{}",
            m[0]
        );
        let mut d = Diagnostics::new();
        let files = load_theme(dir.path(), "default", None, &mut d);
        assert!(d.is_empty() && files.templates.is_empty() && files.statics.is_empty());
    }
}
