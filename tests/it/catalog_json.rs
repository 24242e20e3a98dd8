//! catalog.json reads back into the model and writes the same bytes: the
//! demo in both audiences and a generated catalog of 5,000 capabilities.
//! (Every other build the suite runs through `util::capcat` is checked the
//! same way.)

use crate::util::{assert_catalog_json_round_trips, capability, capcat, repo, text, write};
use capcat::model::{Audience, CatalogDoc, Status};

#[test]
fn demo_round_trips_in_both_audiences() {
    let dir = tempfile::tempdir().unwrap();
    for audience in ["internal", "public"] {
        let out = dir.path().join(audience);
        let o = capcat(
            &repo(),
            &[
                "build",
                "--offline",
                "--audience",
                audience,
                "--out",
                out.to_str().unwrap(),
            ],
        );
        assert!(o.status.success(), "{}", text(&o));
        let doc = CatalogDoc::from_json(&std::fs::read(out.join("catalog.json")).unwrap()).unwrap();
        let expected = if audience == "public" {
            Audience::Public
        } else {
            Audience::Internal
        };
        assert_eq!(doc.site.audience, expected);
        match expected {
            Audience::Internal => {
                let scheduled = doc.capability("scheduled-reports").unwrap();
                assert_eq!(scheduled.status, Status::InProgress);
                assert_eq!(scheduled.risks.as_ref().map(Vec::len), Some(2));
                assert_eq!(scheduled.target.as_ref().unwrap().to_string(), "2026-Q4");
            }
            Audience::Public => {
                for c in &doc.capabilities {
                    assert!(c.risks.is_none() && c.work.is_none() && c.evidence.is_none());
                }
            }
        }
    }
}

#[test]
fn five_thousand_generated_capabilities_round_trip() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "catalog.toml",
        "[site]\ntitle = \"Generated\"\n",
    );
    for i in 0..5000 {
        let claim = ["available", "beta", "deprecated", "not-planned"][i % 4];
        write(
            dir.path(),
            &format!("content/capabilities/c{}/cap-{i:05}.md", i % 20),
            &capability(
                &format!(
                    "title: \"Capability {i} <&> \\\"quoted\\\"\"\nsummary: Summary {i} with ümlauts.\ncategory: Area {}\naliases: [alias{i}]\nclaim: {claim}\npublic: {}",
                    i % 20,
                    i % 3 == 0
                ),
                &format!("Body of {i} with `code` and <b>markup</b>."),
            ),
        );
    }
    let out = dir.path().join("public");
    let o = capcat(dir.path(), &["build", "--out", out.to_str().unwrap()]);
    assert!(o.status.success(), "{}", text(&o));
    assert_catalog_json_round_trips(&out.join("catalog.json"));
    let doc = CatalogDoc::from_json(&std::fs::read(out.join("catalog.json")).unwrap()).unwrap();
    assert_eq!(doc.capabilities.len(), 5000);
}
