//! strawberry (and strawberry_django) code-first GraphQL fields declared as
//! class attributes, the NetBox way (tests/fixtures/strawberry): found in
//! root types only, matched by the name clients see or as written.

use crate::util::scan::*;
use capcat::scan::report::ScanFormat;
use capcat::scan::{EvidenceKind, ScanOptions, ScanOutput, ScanTarget};
use std::collections::BTreeSet;

const ROOT: &str = "tests/fixtures/strawberry";

fn targets() -> Vec<ScanTarget> {
    vec![
        target("cables", |m| m.graphql = s(&["cable_list"])),
        target("cables-camel", |m| m.graphql = s(&["cableList"])),
        target("racks", |m| {
            m.graphql = s(&["nearby_racks", "rackCount", "create_rack"])
        }),
        target("cable-labels", |m| m.graphql = s(&["label"])),
    ]
}

fn run() -> ScanOutput {
    let cache = tempfile::tempdir().unwrap();
    let extra = format!("cache_dir = {:?}", cache.path().display().to_string());
    let config = config(&repo(), &[ROOT], &extra);
    scan_report(
        &config,
        &targets(),
        ScanFormat::Json,
        &ScanOptions::default(),
    )
    .1
}

fn found(out: &ScanOutput, id: &str) -> Vec<(String, u32, String)> {
    out.evidence
        .get(id)
        .map(|list| {
            list.iter()
                .filter(|e| e.kind == EvidenceKind::Graphql)
                .map(|e| {
                    let file = e.path.trim_start_matches(ROOT).to_string();
                    (file, e.line, e.symbol.clone().unwrap_or_default())
                })
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn class_attribute_fields_of_root_types_are_evidence() {
    let out = run();
    let schema = "/inventory/graphql/schema.py".to_string();
    let at = |line: u32, name: &str| (schema.clone(), line, name.to_string());
    assert_eq!(found(&out, "cables"), [at(10, "Query.cable_list")]);
    assert_eq!(found(&out, "cables-camel"), [at(10, "Query.cableList")]);
    assert_eq!(
        found(&out, "racks"),
        [
            at(13, "Query.nearby_racks"),
            at(16, "Query.rackCount"),
            at(22, "Mutation.create_rack")
        ]
    );
    assert_eq!(found(&out, "cable-labels"), []);
    let misses: Vec<_> = out.misses.iter().map(|m| m.pattern.as_str()).collect();
    assert_eq!(misses, ["label"]);
    for (id, list) in &out.evidence {
        let failures = check_lines(&repo(), "capability:", id, list);
        assert!(failures.is_empty(), "{failures:?}");
    }
}

#[test]
fn inventory_lists_root_fields_not_object_type_fields() {
    let out = run();
    let names: BTreeSet<(String, u32)> = out
        .inventory
        .graphql
        .iter()
        .map(|i| (i.name.clone(), i.line))
        .collect();
    let expected: BTreeSet<(String, u32)> = [
        ("Query.cable", 9),
        ("Query.cableList", 10),
        ("Query.rack", 12),
        ("Query.nearbyRacks", 13),
        ("Query.rackCount", 16),
        ("Mutation.createRack", 22),
    ]
    .into_iter()
    .map(|(n, l)| (n.to_string(), l))
    .collect();
    assert_eq!(names, expected);
}
