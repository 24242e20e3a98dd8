//! The public search index holds nothing the public may not see
//! (docs/output.md, "Audiences"):
//! it is built from the public view, so an internal capability's words never
//! reach it — while the internal index, built the same way, has them.

use capcat::model::Audience;
use capcat::pipeline::{BuildOptions, load_catalog};
use capcat::view::SiteView;

const MARKER: &str = "zqxinternalmarker";

fn write_catalog(dir: &std::path::Path) {
    std::fs::write(dir.join("catalog.toml"), "[site]\ntitle = \"Leak test\"\n").unwrap();
    let caps = dir.join("content/capabilities/security");
    std::fs::create_dir_all(&caps).unwrap();
    std::fs::write(
        caps.join("public-thing.md"),
        "---\ntitle: Public thing\nsummary: Shown to everyone.\ncategory: Security\npublic: true\n---\nA public description.\n",
    )
    .unwrap();
    std::fs::write(
        caps.join("secret-thing.md"),
        format!(
            "---\ntitle: Secret {MARKER}title\nsummary: Internal {MARKER}summary.\ncategory: Hidden {MARKER}category\naliases: [{MARKER}alias]\nplans: [{MARKER}plan]\nredirect_from: [{MARKER}-old]\n---\nBody with {MARKER}body.\n"
        ),
    )
    .unwrap();
}

fn index_text(dir: &std::path::Path, audience: Audience) -> String {
    let opts = BuildOptions {
        config_path: dir.join("catalog.toml"),
        quiet: true,
        ..BuildOptions::default()
    };
    let loaded = load_catalog(&opts).expect("catalog loads");
    let view = SiteView::new(&loaded.catalog, audience);
    let index = capcat::search::index_of(&view, &loaded.config.search);
    capcat::render::search_index::write(&index)
        .iter()
        .map(|f| format!("{}\n{}\n", f.path, String::from_utf8_lossy(&f.bytes)))
        .collect()
}

#[test]
fn public_index_has_no_internal_capability() {
    let dir = tempfile::tempdir().unwrap();
    write_catalog(dir.path());
    let internal = index_text(dir.path(), Audience::Internal);
    assert!(
        internal.matches(MARKER).count() >= 6,
        "the internal index has the internal capability: {internal}"
    );
    let public = index_text(dir.path(), Audience::Public);
    assert!(public.contains("public-thing"));
    assert!(!public.contains(MARKER), "leak: {public}");
    assert!(!public.contains("secret-thing"), "leak: {public}");
}
