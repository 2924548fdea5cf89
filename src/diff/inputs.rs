//! The input files of a site root that a review compares: `almanac.toml` and everything
//! under `data/`, `content/` and `themes/` (hidden files aside), by relative path.

use std::collections::BTreeMap;
use std::path::Path;

/// The folders of a root whose files are inputs.
const INPUT_DIRS: [&str; 3] = ["data", "content", "themes"];

/// Every input file under `root`, relative path (with `/`) to bytes; unreadable files are
/// left out (`check` names them).
pub fn read(root: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    if let Ok(bytes) = std::fs::read(root.join(crate::config::CONFIG_FILE)) {
        out.insert(crate::config::CONFIG_FILE.to_string(), bytes);
    }
    for dir in INPUT_DIRS {
        let walk = walkdir::WalkDir::new(root.join(dir))
            .sort_by_file_name()
            .into_iter()
            .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'));
        for e in walk
            .filter_map(Result::ok)
            .filter(|e| e.file_type().is_file())
        {
            let Ok(rel) = e.path().strip_prefix(root) else {
                continue;
            };
            let rel: Vec<String> = rel
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect();
            if let Ok(bytes) = std::fs::read(e.path()) {
                out.insert(rel.join("/"), bytes);
            }
        }
    }
    out
}

/// The template name of a theme file, `themes/<theme>/templates/<name>`.
pub fn template_name(path: &str) -> Option<&str> {
    let rest = path.strip_prefix("themes/")?;
    let (_, rest) = rest.split_once('/')?;
    rest.strip_prefix("templates/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn theme_templates_are_named_by_their_file() {
        assert_eq!(
            template_name("themes/mine/templates/scope.html"),
            Some("scope.html")
        );
        assert_eq!(template_name("themes/mine/static/site.css"), None);
        assert_eq!(template_name("content/retros/a.md"), None);
    }
}
