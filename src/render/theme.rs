//! Default theme: the templates and static files compiled into the binary, so a site needs
//! no theme folder. Takes the site's theme files (`ThemeFiles`, read by load) and returns
//! the theme render uses: the defaults, each replaced by a site file of the same name.

use crate::load::theme::ThemeFiles;

macro_rules! embedded {
    ($($name:literal),* $(,)?) => {
        &[$(($name, include_str!(concat!("../../themes/default/templates/", $name)))),*]
    };
}

/// The default theme's templates: every template a page names.
const DEFAULT_TEMPLATES: &[(&str, &str)] = embedded!(
    "base.html",
    "macros.html",
    "glance.html",
    "trends.html",
    "quarters.html",
    "week.html",
    "week_index.html",
    "data_quality.html",
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
    "errors.html",
    "report.html",
    "reports.html",
);

const DEFAULT_STATICS: &[(&str, &str)] = &[
    (
        "style.css",
        include_str!("../../themes/default/static/style.css"),
    ),
    (
        "icon.svg",
        include_str!("../../themes/default/static/icon.svg"),
    ),
];

/// The default theme with the site's files laid over it.
pub fn with_overrides(site: &ThemeFiles) -> ThemeFiles {
    let mut theme = ThemeFiles {
        templates: DEFAULT_TEMPLATES
            .iter()
            .map(|(n, t)| (n.to_string(), t.to_string()))
            .collect(),
        statics: DEFAULT_STATICS
            .iter()
            .map(|(n, t)| (n.to_string(), t.as_bytes().to_vec()))
            .collect(),
    };
    theme.templates.extend(site.templates.clone());
    theme.statics.extend(site.statics.clone());
    theme
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn site_files_replace_defaults_of_the_same_name_and_add_new_ones() {
        let mut site = ThemeFiles::default();
        site.templates.insert("page.html".into(), "mine".into());
        site.templates.insert("extra.html".into(), "new".into());
        site.statics.insert("logo.svg".into(), b"<svg/>".to_vec());
        let theme = with_overrides(&site);
        // 31 default templates + 1 new one; `page.html` is replaced, not added.
        assert_eq!(theme.templates.len(), 32);
        assert_eq!(theme.templates["page.html"], "mine");
        assert_eq!(theme.templates["extra.html"], "new");
        assert!(theme.templates["base.html"].contains("<html"));
        // icon.svg and style.css (defaults) and logo.svg (the site's).
        assert_eq!(
            theme.statics.keys().collect::<Vec<_>>(),
            ["icon.svg", "logo.svg", "style.css"]
        );
    }
}
