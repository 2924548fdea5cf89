//! Demo tests: generate sites and check determinism, parsing, integrity and scale.

use super::*;

fn summary(files: &[OutputFile]) -> String {
    let mut s = String::new();
    let mut total = 0;
    let mut rows = 0;
    let mut retros = 0;
    for f in files {
        total += f.bytes.len();
        if f.path.ends_with(".csv") {
            let n = f.bytes.iter().filter(|&&b| b == b'\n').count() - 1;
            rows += n;
            s.push_str(&format!("{} rows={} bytes={}\n", f.path, n, f.bytes.len()));
        }
        retros += usize::from(f.path.starts_with("content/retros/"));
    }
    s.push_str(&format!(
        "rows={rows} retros={retros} total_bytes={total} files={}\n",
        files.len()
    ));
    s
}

#[test]
#[ignore]
fn print_stats() {
    let t = std::time::Instant::now();
    let big = generate(&DemoOptions {
        teams: 40,
        services_per_team: 3,
        months: 36,
        ..DemoOptions::default()
    });
    eprintln!("big in {:?}\n{}", t.elapsed(), summary(&big));
    let small = generate(&DemoOptions::default());
    eprintln!("{}", summary(&small));
    let dir = std::path::Path::new("/tmp/demo-out");
    for f in &small {
        let p = dir.join(&f.path);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, &f.bytes).unwrap();
    }
}
