//! `errors.html`: the error catalogue, every diagnostic almanac prints with an example and
//! its fix, grouped by the file it concerns (`diag::catalogue`).

use crate::diag::catalogue::{ENTRIES, FILES};
use crate::diag::Severity;
use crate::render::registry::{Kind, PageKind, PageOf};
use crate::render::site::Site;
use serde::Serialize;

/// `errors.html`: the error catalogue.
pub struct ErrorCatalogue;

#[derive(Serialize)]
pub struct ErrorsView {
    title: &'static str,
    groups: Vec<ErrorGroup>,
}

/// The diagnostics about one file.
#[derive(Serialize)]
pub struct ErrorGroup {
    file: &'static str,
    entries: Vec<ErrorEntry>,
}

#[derive(Serialize)]
pub struct ErrorEntry {
    id: &'static str,
    severity: &'static str,
    pattern: &'static str,
    example: &'static str,
    message: &'static str,
    fix: &'static str,
}

impl PageKind for ErrorCatalogue {
    type View = ErrorsView;
    const KIND: Kind = Kind {
        name: "errors",
        pattern: "errors.html",
        template: "errors.html",
        reads: &[],
    };
    fn pages(_site: &Site) -> Vec<PageOf<ErrorsView>> {
        let groups = FILES
            .iter()
            .map(|&file| ErrorGroup {
                file,
                entries: ENTRIES
                    .iter()
                    .filter(|e| e.file == file)
                    .map(|e| ErrorEntry {
                        id: e.id,
                        severity: match e.severity {
                            Severity::Error => "error",
                            Severity::Warning => "warning",
                        },
                        pattern: e.pattern,
                        example: e.example,
                        message: e.message,
                        fix: e.fix,
                    })
                    .collect(),
            })
            .filter(|g| !g.entries.is_empty())
            .collect();
        vec![PageOf {
            path: "errors.html".to_string(),
            title: "Error catalogue".to_string(),
            view: ErrorsView {
                title: "Error catalogue",
                groups,
            },
        }]
    }
}
