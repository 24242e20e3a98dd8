//! No HTML page grows with the catalog: at 20,000 capabilities in 20
//! categories, every page stays under 300 KB (docs/output.md, "Page size"),
//! and the paginated listings still reach every capability.

use crate::util::{capcat_command, write};
use std::path::Path;

const CAPABILITIES: usize = 20_000;
const CATEGORIES: usize = 20;
const BUDGET: u64 = 300 * 1024;

/// The benchmark's shape (benches/site.py): a title, a 12-word summary,
/// 3 aliases and a 150-word body.
fn generate(dir: &Path, n: usize) {
    write(dir, "catalog.toml", "[site]\ntitle = \"Large\"\n");
    let words =
        "account report export import invoice payment order customer ledger audit policy token";
    let summary = format!("{words}.");
    let body = format!("{words}. ").repeat(12);
    for i in 0..n {
        let cat = i % CATEGORIES;
        write(
            dir,
            &format!("content/capabilities/area-{cat}/cap-{i:05}.md"),
            &format!(
                "---\ntitle: Capability with a longer title {i}\nsummary: {summary}\ncategory: Area {cat}\naliases: [first-{i}, second-{i}, third-{i}]\n---\n{body}\n"
            ),
        );
    }
}

#[test]
fn no_html_page_over_300_kb_at_20000_capabilities() {
    let tmp = tempfile::tempdir().unwrap();
    let catalog = tmp.path().join("catalog");
    generate(&catalog, CAPABILITIES);
    let out = tmp.path().join("public");
    let o = capcat_command(tmp.path())
        .arg("build")
        .arg("--config")
        .arg(catalog.join("catalog.toml"))
        .arg("--out")
        .arg(&out)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let mut largest = (0, String::new());
    let mut html = 0;
    for e in walkdir::WalkDir::new(&out) {
        let e = e.unwrap();
        if e.path().extension().is_some_and(|x| x == "html") {
            html += 1;
            let size = e.metadata().unwrap().len();
            largest = largest.max((size, e.path().display().to_string()));
        }
    }
    assert!(html > CAPABILITIES, "{html} pages");
    assert!(
        largest.0 <= BUDGET,
        "{} is {} KB",
        largest.1,
        largest.0 / 1024
    );

    // Every capability is still listed on one page of its category.
    let listed: usize = walkdir::WalkDir::new(out.join("categories"))
        .into_iter()
        .map(Result::unwrap)
        .filter(|e| e.file_name() == "index.html" && e.depth() >= 2)
        .map(|e| {
            std::fs::read_to_string(e.path())
                .unwrap()
                .matches("class=\"card-link\"")
                .count()
        })
        .sum();
    assert_eq!(listed, CAPABILITIES);
}
