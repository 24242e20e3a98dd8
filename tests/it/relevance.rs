//! Relevance: questions phrased the way sales reps ask them, against the
//! demo catalog and a catalog of Mattermost's real features. Prints top-1 and
//! top-3 accuracy and fails below 85 % / 95 % on either catalog. The same
//! questions also go through the browser's ranking (search.js under node),
//! which must return exactly what Rust returns.

use crate::util::repo;
use crate::util::search::{js_rank, write_files};
use capcat::model::Audience;
use capcat::pipeline::{BuildOptions, Loaded, load_catalog};
use capcat::search::rank;
use capcat::view::SiteView;
use std::path::Path;

const TOP1_MIN: f64 = 0.85;
const TOP3_MIN: f64 = 0.95;

/// `(expected id, question)` pairs of a questions file.
fn questions(file: &str) -> Vec<(String, String)> {
    let path = repo().join("tests/relevance").join(file);
    let text = std::fs::read_to_string(&path).unwrap();
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty() && !l.starts_with('#'))
        .map(|(n, l)| {
            let (id, q) = l.split_once(" | ").unwrap_or_else(|| {
                panic!("{}:{}: expected `id | question`", path.display(), n + 1)
            });
            (id.trim().to_string(), q.trim().to_string())
        })
        .collect()
}

fn load(config: &Path) -> Loaded {
    let opts = BuildOptions {
        config_path: config.to_path_buf(),
        offline: true,
        quiet: true,
        ..BuildOptions::default()
    };
    load_catalog(&opts).unwrap_or_else(|e| panic!("{}: {e:?}", config.display()))
}

fn suite(name: &str, config: &Path, file: &str) {
    let loaded = load(config);
    let view = SiteView::new(&loaded.catalog, Audience::Internal);
    let index = capcat::search::index_of(&view, &loaded.config.search);
    let qs = questions(file);
    assert!(
        qs.len() >= 60,
        "{name}: at least 60 questions, found {}",
        qs.len()
    );
    for (id, _) in &qs {
        assert!(
            view.capability(id).is_some(),
            "{name}: `{id}` is not in the catalog"
        );
    }
    let mut top1 = 0;
    let mut top3 = 0;
    let mut rust_results = Vec::new();
    for (expected, q) in &qs {
        let hits = rank::search(&index, q);
        let ids: Vec<&str> = hits.iter().map(|h| index.docs[h.doc].id.as_str()).collect();
        let pos = ids.iter().position(|id| id == expected);
        top1 += usize::from(pos == Some(0));
        top3 += usize::from(pos.is_some_and(|p| p < 3));
        if pos != Some(0) {
            eprintln!(
                "{name}: `{q}` → expected {expected}, got {:?}",
                &ids[..ids.len().min(3)]
            );
        }
        rust_results.push(
            hits.iter()
                .map(|h| (index.docs[h.doc].id.clone(), h.score))
                .collect::<Vec<_>>(),
        );
    }
    let n = qs.len() as f64;
    let (r1, r3) = (top1 as f64 / n, top3 as f64 / n);
    println!(
        "{name}: {} questions, top-1 {:.1} % ({top1}), top-3 {:.1} % ({top3})",
        qs.len(),
        r1 * 100.0,
        r3 * 100.0
    );
    assert!(
        r1 >= TOP1_MIN,
        "{name}: top-1 {:.1} % is below 85 %",
        r1 * 100.0
    );
    assert!(
        r3 >= TOP3_MIN,
        "{name}: top-3 {:.1} % is below 95 %",
        r3 * 100.0
    );

    let dir = tempfile::tempdir().unwrap();
    write_files(dir.path(), &capcat::render::search_index::write(&index));
    let queries: Vec<String> = qs.iter().map(|(_, q)| q.clone()).collect();
    if let Some(js) = js_rank(dir.path(), &[], &queries) {
        for ((q, rust), js) in queries.iter().zip(&rust_results).zip(&js.results) {
            assert_eq!(rust, js, "{name}: browser and ask differ on `{q}`");
        }
    }
}

#[test]
fn demo_catalog() {
    suite("demo (Harbor)", &repo().join("catalog.toml"), "demo.txt");
}

#[test]
fn mattermost_catalog() {
    let config = repo().join("tests/fixtures/relevance/mattermost/catalog.toml");
    suite("Mattermost", &config, "mattermost.txt");
}
