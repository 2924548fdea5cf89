//! `almanac init DIR`: writes a new, minimal report repository into an empty (or missing)
//! folder and refuses a folder that has anything in it.

use super::fail;
use almanac::write;
use std::path::Path;
use std::process::ExitCode;

pub fn run(dir: &Path) -> ExitCode {
    match std::fs::read_dir(dir) {
        Ok(mut entries) => {
            if let Some(Ok(first)) = entries.next() {
                return fail(&format!(
                    "{} is not empty (it has {}); almanac init only writes into an empty or new folder: pick another one",
                    dir.display(),
                    first.file_name().to_string_lossy()
                ));
            }
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => return fail(&format!("cannot read {} ({e})", dir.display())),
    }
    let files = almanac::init::files();
    if let Err(e) = write::write_files(dir, &files) {
        return fail(&e.to_string());
    }
    out!(
        "wrote a new report repository ({} files) to {}\nnext: cd {} && almanac serve --open",
        files.len(),
        dir.display(),
        dir.display()
    );
    ExitCode::SUCCESS
}
