//! Relevance: questions phrased the way sales reps ask them, one YAML file
//! per catalog under `tests/relevance/` (`catalog:` path, `questions:` list
//! of `{q, id}`, `id: null` for a question the catalog cannot answer).
//! Prints top-1 / top-3 accuracy, the precision and recall of `confident`
//! and every miss; fails below the floors of docs/search.md. With
//! `CAPCAT_RELEVANCE_DUMP=DIR` it also writes every question's units and
//! per-capability matches to `DIR/<catalog>.jsonl`, for studying the
//! ranking offline. The same
//! questions also go through the browser's ranking (search.js under node),
//! which must return exactly what Rust returns.

use crate::util::repo;
use crate::util::search::{js_rank, write_files};
use capcat::model::Audience;
use capcat::pipeline::{BuildOptions, Loaded, load_catalog};
use capcat::search::{Index, rank, semantic};
use capcat::view::SiteView;
use serde::Deserialize;
use std::path::Path;

/// What every catalog must reach (docs/search.md, "Relevance"), so a change
/// that makes any of them worse fails.
const FLOOR: Floor = Floor {
    top1: 95.0,
    top3: 99.0,
    confident_none: 0,
    precision: 95.0,
    recall: 65.0,
};

#[derive(Clone, Copy)]
struct Floor {
    /// Answerable questions with the right capability first, percent.
    top1: f64,
    /// Answerable questions with the right capability in the first three.
    top3: f64,
    /// Questions without an answer allowed to come back confident.
    confident_none: usize,
    /// Confident answers whose first result is right, percent.
    precision: f64,
    /// Answerable questions answered confidently and rightly, percent.
    recall: f64,
}

/// One questions file.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Suite {
    catalog: String,
    questions: Vec<Question>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Question {
    q: String,
    id: Option<String>,
}

fn read_suite(file: &str) -> Suite {
    let path = repo().join("tests/relevance").join(file);
    let text = std::fs::read_to_string(&path).unwrap();
    serde_saphyr::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
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

/// What one catalog scored.
#[derive(Default)]
struct Tally {
    answerable: usize,
    unanswerable: usize,
    top1: usize,
    top3: usize,
    /// Confident with the right capability first.
    confident_right: usize,
    /// Confident, first result wrong or the question unanswerable.
    confident_wrong: usize,
    /// Unanswerable questions answered confidently.
    confident_none: usize,
}

fn percent(n: usize, of: usize) -> f64 {
    if of == 0 {
        100.0
    } else {
        n as f64 * 100.0 / of as f64
    }
}

/// Why a question ranked as it did: each unit with its importance, and the
/// first results with their cosine, coverage and matches.
fn detail(index: &Index, ranked: &rank::Ranked) -> String {
    let units: Vec<String> = ranked
        .query
        .units
        .iter()
        .map(|u| format!("{}={}", u.words.join(" "), u.importance))
        .collect();
    let qv = semantic::query_vector(semantic::table(), &ranked.query.semantic_stems);
    let hits: Vec<String> = ranked
        .hits
        .iter()
        .take(3)
        .map(|h| {
            let cos = qv
                .as_ref()
                .map_or(0, |q| semantic::cosine(q, &index.vectors[h.doc]));
            let how: Vec<String> = rank::explain(index, &ranked.query, h.doc)
                .iter()
                .map(|(u, m)| {
                    format!(
                        "{}:{}/{}/{}",
                        ranked.query.units[*u].words.join(" "),
                        m.field.as_str(),
                        m.kind.as_str(),
                        m.score
                    )
                })
                .collect();
            format!(
                "{} {} cos {cos} [{}]",
                index.docs[h.doc].id,
                h.score,
                how.join(" ")
            )
        })
        .collect();
    format!(
        "      units {}\n      {}",
        units.join(" "),
        hits.join("\n      ")
    )
}

/// Appends one JSON line per question to `dir/<name>.jsonl`: every unit
/// and every capability's per-unit matches, for studying the ranking
/// offline.
fn dump(dir: &Path, name: &str, index: &Index, question: &Question, ranked: &rank::Ranked) {
    use serde_json::json;
    use std::io::Write;
    let table = semantic::table();
    let qv = semantic::query_vector(table, &ranked.query.semantic_stems);
    let units = &ranked.query.units;
    let per_unit: Vec<_> = units.iter().map(|u| rank::unit_matches(index, u)).collect();
    let df = |t: &String| index.term(t).map_or(0, |i| index.postings[i].len());
    let units_json: Vec<_> = units
        .iter()
        .map(|u| {
            let alts: Vec<_> = u
                .alternatives
                .iter()
                .map(|a| (a.terms.join(" "), a.kind.as_str()))
                .collect();
            json!({
                "w": u.words.join(" "), "t": u.tokens, "imp": u.importance,
                "boost": u.boost, "alts": alts, "rarity": u.rarity,
                "df": u.tokens.iter().map(df).collect::<Vec<_>>(),
                "token_rarity": u.tokens.iter().map(|t| table.rarity_of(t)).collect::<Vec<_>>(),
            })
        })
        .collect();
    let score_of: std::collections::HashMap<usize, u64> =
        ranked.hits.iter().map(|h| (h.doc, h.score)).collect();
    let docs: Vec<_> = (0..index.docs.len())
        .map(|d| {
            let cos = qv
                .as_ref()
                .map_or(0, |q| semantic::cosine(q, &index.vectors[d]));
            let matches: Vec<_> = per_unit
                .iter()
                .enumerate()
                .filter_map(|(u, per)| {
                    let m = per.get(&d)?;
                    Some(json!([
                        u,
                        m.score,
                        m.field as u8,
                        m.kind.as_str(),
                        m.strength,
                        m.support
                    ]))
                })
                .collect();
            let score = score_of.get(&d).copied().unwrap_or(0);
            json!({"id": index.docs[d].id, "score": score, "cos": cos, "m": matches})
        })
        .collect();
    let line = json!({
        "q": question.q, "expected": question.id, "units": units_json, "docs": docs,
        "confident": ranked.confident, "coverage": ranked.coverage,
        "n": index.docs.len(), "idf_absent": index.idf_absent(),
    });
    std::fs::create_dir_all(dir).unwrap();
    let mut f = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(dir.join(format!("{name}.jsonl")))
        .unwrap();
    writeln!(f, "{line}").unwrap();
}

fn run(file: &str) {
    let suite = read_suite(file);
    let name = file.trim_end_matches(".yaml");
    let loaded = load(&repo().join(&suite.catalog));
    let view = SiteView::new(&loaded.catalog, Audience::Internal);
    let index = capcat::search::index_of(&view, &loaded.config.search);
    let mut t = Tally::default();
    let mut rust_results = Vec::new();
    for question in &suite.questions {
        if let Some(id) = &question.id {
            assert!(
                view.capability(id).is_some(),
                "{file}: `{id}` is not in the catalog"
            );
        }
        let ranked = rank::rank(&index, &question.q);
        let ids: Vec<&str> = ranked
            .hits
            .iter()
            .map(|h| index.docs[h.doc].id.as_str())
            .collect();
        let first3 = &ids[..ids.len().min(3)];
        if let Some(dir) = std::env::var_os("CAPCAT_RELEVANCE_DUMP") {
            dump(Path::new(&dir), name, &index, question, &ranked);
        }
        match &question.id {
            Some(expected) => {
                t.answerable += 1;
                let pos = ids.iter().position(|id| id == expected);
                t.top1 += usize::from(pos == Some(0));
                t.top3 += usize::from(pos.is_some_and(|p| p < 3));
                match (pos == Some(0), ranked.confident) {
                    (true, true) => t.confident_right += 1,
                    (false, true) => t.confident_wrong += 1,
                    _ => {}
                }
                if pos != Some(0) {
                    eprintln!(
                        "{name}: `{}` → expected {expected}, got {first3:?}\n{}",
                        question.q,
                        detail(&index, &ranked)
                    );
                } else if !ranked.confident {
                    eprintln!(
                        "{name}: `{}` → right but not confident\n{}",
                        question.q,
                        detail(&index, &ranked)
                    );
                }
            }
            None => {
                t.unanswerable += 1;
                if ranked.confident {
                    t.confident_none += 1;
                    eprintln!(
                        "{name}: `{}` has no answer but is confident: {first3:?}\n{}",
                        question.q,
                        detail(&index, &ranked)
                    );
                }
            }
        }
        rust_results.push((
            ranked.confident,
            ranked
                .hits
                .iter()
                .map(|h| (index.docs[h.doc].id.clone(), h.score))
                .collect::<Vec<_>>(),
        ));
    }
    let confident = t.confident_right + t.confident_wrong + t.confident_none;
    let (r1, r3) = (percent(t.top1, t.answerable), percent(t.top3, t.answerable));
    let precision = percent(t.confident_right, confident);
    let recall = percent(t.confident_right, t.answerable);
    println!(
        "{name}: {} answerable questions, top-1 {r1:.1} % ({}), top-3 {r3:.1} % ({}); \
         {} without an answer, {} of them confident; confident: precision {precision:.1} %, recall {recall:.1} %",
        t.answerable, t.top1, t.top3, t.unanswerable, t.confident_none,
    );
    let dir = tempfile::tempdir().unwrap();
    write_files(dir.path(), &capcat::render::search_index::write(&index));
    let queries: Vec<String> = suite.questions.iter().map(|q| q.q.clone()).collect();
    if let Some(js) = js_rank(dir.path(), &[], &queries) {
        for ((q, rust), js) in queries.iter().zip(&rust_results).zip(&js.ranked()) {
            assert_eq!(rust, js, "{name}: browser and ask differ on `{q}`");
        }
    }
    assert!(
        t.answerable >= 60,
        "{name}: at least 60 answerable questions"
    );
    let f = FLOOR;
    assert!(
        r1 >= f.top1,
        "{name}: top-1 {r1:.1} % is below {} %",
        f.top1
    );
    assert!(
        r3 >= f.top3,
        "{name}: top-3 {r3:.1} % is below {} %",
        f.top3
    );
    assert!(
        t.confident_none <= f.confident_none,
        "{name}: {} questions without an answer came back confident",
        t.confident_none
    );
    assert!(
        precision >= f.precision,
        "{name}: precision of `confident` {precision:.1} % is below {} %",
        f.precision
    );
    assert!(
        recall >= f.recall,
        "{name}: recall of `confident` {recall:.1} % is below {} %",
        f.recall
    );
}

#[test]
fn demo_catalog() {
    run("demo.yaml");
}

#[test]
fn mattermost_catalog() {
    run("mattermost.yaml");
}

#[test]
fn zoho_crm_catalog() {
    run("zoho-crm.yaml");
}

#[test]
fn circleci_catalog() {
    run("circleci.yaml");
}
