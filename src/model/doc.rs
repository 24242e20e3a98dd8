//! `catalog.json`: the machine-readable catalog of one audience, as written
//! by `capcat build` and read back by `capcat diff` and `--baseline`
//! (docs/output.md, "catalog.json"). Field names are stable; new fields may
//! be added, and readers ignore fields they do not know.

use super::date::iso_date;
use super::insight::{AccountDoc, AutopsyDoc, RoadmapDoc};
use super::{
    Audience, Change, Demand, Dependency, EvidenceItem, Promise, Risk, Status, Target, WorkEntry,
};
use serde::{Deserialize, Serialize};
use time::Date;

/// The schema version this capcat writes and the newest it reads.
pub const SCHEMA: u32 = 1;

/// The whole document.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CatalogDoc {
    /// Schema version, [`SCHEMA`].
    pub schema: u32,
    /// The site.
    pub site: SiteDoc,
    /// Build facts.
    pub built: BuiltDoc,
    /// Set when the Jira data came from an offline snapshot: its date.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "super::date::opt_iso_date"
    )]
    pub roadmap_as_of: Option<Date>,
    /// The capabilities this audience may see, by id.
    pub capabilities: Vec<CapabilityDoc>,
    /// What might slip, what is most blocked, what has no date (internal).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub roadmap: Option<RoadmapDoc>,
    /// Every requesting account's asks, by amount at stake (internal).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub accounts: Option<Vec<AccountDoc>>,
    /// Lost deals by root-cause capability (internal).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub autopsy: Option<AutopsyDoc>,
    /// Changes noticed against earlier builds, newest first (docs/history.md).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub history: Vec<Change>,
    /// How many shipped capabilities the code backs (internal).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub coverage: Option<Coverage>,
}

/// `coverage`: the share of available and beta capabilities backed by code
/// evidence; the rest rest on a claim or a done epic alone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Coverage {
    /// Capabilities available or beta.
    pub shipped: usize,
    /// Of those, how many have code evidence.
    pub backed: usize,
    /// `backed` of `shipped` as a whole percentage, rounded down (100 when
    /// nothing is shipped).
    pub percent: u32,
}

impl Coverage {
    /// The figure for `backed` of `shipped`.
    pub fn of(shipped: usize, backed: usize) -> Coverage {
        let percent = (backed * 100).checked_div(shipped).unwrap_or(100) as u32;
        Coverage {
            shipped,
            backed,
            percent,
        }
    }
}

/// `site`: what the catalog is and whom it is for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SiteDoc {
    /// Site title.
    pub title: String,
    /// Absolute base URL without a trailing slash, or empty.
    pub base_url: String,
    /// The audience of this build.
    pub audience: Audience,
}

/// `built`: the commit the code was read at and the build date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BuiltDoc {
    /// Commit, when known (internal audience only).
    pub commit: Option<String>,
    /// Build date.
    #[serde(with = "iso_date")]
    pub date: Date,
}

/// One capability as its audience may see it. Internal-only fields are
/// absent, not empty, in the public audience.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CapabilityDoc {
    /// Slug id, the permalink.
    pub id: String,
    /// `/capabilities/<id>/`
    pub url: String,
    /// Title.
    pub title: String,
    /// One-line summary.
    pub summary: String,
    /// Category name.
    pub category: String,
    /// Category URL part.
    pub category_slug: String,
    /// Search synonyms.
    pub aliases: Vec<String>,
    /// Plans or editions.
    pub plans: Vec<String>,
    /// Former ids, redirecting here.
    pub redirect_from: Vec<String>,
    /// Derived status.
    pub status: Status,
    /// The status in words (`In progress`).
    pub status_label: String,
    /// The plain answer line.
    pub answer: String,
    /// Why it has this status (internal).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub why: Option<String>,
    /// Supporting details of `why` (internal).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub why_details: Option<Vec<String>>,
    /// What sales may promise; null when shipped.
    pub promise: Option<Promise>,
    /// Why the date should not be promised (internal).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub risks: Option<Vec<Risk>>,
    /// Target quarter or version (absent from the public view when at risk).
    pub target: Option<Target>,
    /// Code evidence (internal).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub evidence: Option<Vec<EvidenceItem>>,
    /// Linked Jira work (internal).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub work: Option<Vec<WorkEntry>>,
    /// Customer demand (internal).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub demand: Option<Demand>,
    /// Open issues its work waits for (internal).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dependencies: Option<Vec<Dependency>>,
}

/// Why a catalog.json could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DocError {
    /// Not JSON, or not shaped like a catalog.json.
    #[error("not a capcat catalog.json: {message} (line {line}, column {column})")]
    Shape {
        /// What serde said.
        message: String,
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
    },
    /// Written by a newer capcat.
    #[error(
        "catalog.json has schema {found}, newer than the {SCHEMA} this capcat reads; upgrade capcat"
    )]
    NewerSchema {
        /// The schema found.
        found: u32,
    },
}

impl CatalogDoc {
    /// The document as written to catalog.json: pretty-printed for readable
    /// diffs, with `<`, `>` and `&` escaped so the file stays inert even if
    /// pasted into HTML, and a final newline.
    pub fn to_json(&self) -> Vec<u8> {
        let json = serde_json::to_string_pretty(self).expect("the catalog model always serializes");
        let mut text = html_safe_json(&json);
        text.push('\n');
        text.into_bytes()
    }

    /// Reads a catalog.json, refusing a newer schema.
    pub fn from_json(bytes: &[u8]) -> Result<CatalogDoc, DocError> {
        #[derive(Deserialize)]
        struct Version {
            schema: u32,
        }
        let shape = |e: serde_json::Error| DocError::Shape {
            message: e.to_string(),
            line: e.line(),
            column: e.column(),
        };
        let version: Version = serde_json::from_slice(bytes).map_err(shape)?;
        if version.schema > SCHEMA {
            return Err(DocError::NewerSchema {
                found: version.schema,
            });
        }
        serde_json::from_slice(bytes).map_err(shape)
    }

    /// The capability with this id.
    pub fn capability(&self, id: &str) -> Option<&CapabilityDoc> {
        self.capabilities
            .binary_search_by(|c| c.id.as_str().cmp(id))
            .ok()
            .map(|i| &self.capabilities[i])
    }
}

/// Escapes `<`, `>` and `&` inside JSON (they can only occur in strings); the
/// value is unchanged.
pub fn html_safe_json(json: &str) -> String {
    // One pass, copying the runs between the characters (the catalog of a
    // large site is megabytes).
    let bytes = json.as_bytes();
    let mut out = String::with_capacity(json.len());
    let mut copied = 0;
    for at in memchr::memchr3_iter(b'<', b'>', b'&', bytes) {
        out.push_str(&json[copied..at]);
        out.push_str(match bytes[at] {
            b'<' => "\\u003c",
            b'>' => "\\u003e",
            _ => "\\u0026",
        });
        copied = at + 1;
    }
    out.push_str(&json[copied..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_safe_json_escapes_markup_characters_only() {
        let json = r#"{"a":"<b> & </b>","c":"plain — text","d":"&&<<>>"}"#;
        let expected = json
            .replace('<', "\\u003c")
            .replace('>', "\\u003e")
            .replace('&', "\\u0026");
        assert_eq!(html_safe_json(json), expected);
        assert_eq!(html_safe_json("no markup"), "no markup");
        assert_eq!(html_safe_json(""), "");
    }

    const SAMPLE: &str = r#"{
  "schema": 1,
  "site": {
    "title": "T \u0026 co",
    "base_url": "",
    "audience": "internal"
  },
  "built": {
    "commit": null,
    "date": "2026-11-21"
  },
  "capabilities": [
    {
      "id": "a",
      "url": "/capabilities/a/",
      "title": "A \u003cb\u003e",
      "summary": "S",
      "category": "C",
      "category_slug": "c",
      "aliases": [],
      "plans": [],
      "redirect_from": [],
      "status": "in-progress",
      "status_label": "In progress",
      "answer": "Not yet — in progress, at risk: do not promise a date.",
      "why": "W",
      "why_details": [],
      "promise": "do-not-promise",
      "risks": [
        "HBR-1: due date 2026-10-31 has passed"
      ],
      "target": "2026-Q4",
      "evidence": [],
      "work": [
        {
          "key": "HBR-1",
          "summary": "E",
          "type": "Epic",
          "status": "In Progress",
          "category": "in-progress",
          "resolution": null,
          "due": "2026-10-31",
          "fix_versions": [],
          "progress": {
            "done": 1,
            "total": 4
          },
          "blocked_by": [],
          "url": null,
          "linked_by": "label",
          "scope": []
        }
      ],
      "demand": {
        "accounts": 1,
        "amount": 52000.0,
        "unicorn": true,
        "requests": []
      }
    }
  ],
  "history": [
    {
      "date": "2026-11-21",
      "id": "a",
      "kind": "target-slipped",
      "from": "2026-Q3",
      "to": "2026-Q4",
      "detail": null
    }
  ]
}
"#;

    #[test]
    fn round_trips_byte_for_byte() {
        let doc = CatalogDoc::from_json(SAMPLE.as_bytes()).unwrap();
        assert_eq!(String::from_utf8(doc.to_json()).unwrap(), SAMPLE);
        let cap = doc.capability("a").unwrap();
        assert!(matches!(
            cap.risks.as_deref(),
            Some([Risk::DuePassed { .. }])
        ));
        assert_eq!(cap.title, "A <b>");
        assert_eq!(doc.history[0].kind, crate::model::ChangeKind::TargetSlipped);
        let without = SAMPLE.split(",\n  \"history\"").next().unwrap().to_string() + "\n}\n";
        let doc = CatalogDoc::from_json(without.as_bytes()).unwrap();
        assert!(doc.history.is_empty());
        assert_eq!(
            String::from_utf8(doc.to_json()).unwrap(),
            without,
            "no history, no key: catalogs built without a baseline are unchanged"
        );
    }

    #[test]
    fn internal_views_round_trip() {
        use crate::model::insight::*;
        use crate::model::{Request, WorkCategory};
        let mut doc = CatalogDoc::from_json(SAMPLE.as_bytes()).unwrap();
        let request = Request {
            key: "HBR-7".into(),
            summary: "S".into(),
            account: Some("Acme".into()),
            amount: Some(10.0),
            lost_reason: Some("missing <connector>".into()),
            truth: Some("it lacks pushdown".into()),
            url: None,
        };
        let dependency = Dependency {
            key: "HBR-98".into(),
            summary: Some("Upgrade".into()),
            status: Some("To Do".into()),
            category: WorkCategory::Todo,
            url: None,
            holds_up: vec!["HBR-1".into()],
            waits_for: vec!["HBR-97".into()],
        };
        doc.capabilities[0].dependencies = Some(vec![dependency.clone()]);
        let cap = doc.capabilities[0].clone();
        doc.roadmap = Some(RoadmapDoc {
            might_slip: vec![SlipItem {
                id: "a".into(),
                title: "A".into(),
                status: Status::InProgress,
                target: cap.target.clone(),
                risks: cap.risks.clone().unwrap(),
                blockers: vec![dependency.clone()],
                accounts: vec!["Acme".into()],
                amount: 10.0,
            }],
            most_blocked: vec![BlockedItem {
                id: "a".into(),
                title: "A".into(),
                status: Status::InProgress,
                target: None,
                dependencies: vec![dependency],
            }],
            no_date: vec![UndatedItem {
                id: "b".into(),
                title: "B".into(),
                status: Status::Considering,
                answer: "Not yet.".into(),
            }],
        });
        doc.accounts = Some(vec![AccountDoc {
            name: "Acme".into(),
            slug: "acme".into(),
            url: "/accounts/acme/".into(),
            amount: 10.0,
            asks: vec![Ask {
                capability: "a".into(),
                title: "A".into(),
                status: Status::InProgress,
                answer: "Not yet.".into(),
                promise: Some(Promise::DoNotPromise),
                target: None,
                risks: vec![],
                shipped: false,
                lost: true,
                request: request.clone(),
            }],
        }]);
        let deal = |ghost| LostDeal {
            request: request.clone(),
            ghost,
        };
        doc.autopsy = Some(AutopsyDoc {
            root_causes: vec![RootCause {
                capability: "a".into(),
                title: "A".into(),
                status: Status::InProgress,
                accounts: 1,
                amount: 10.0,
                deals: vec![
                    deal(vec![]),
                    deal(vec![NamedCapability {
                        id: "c".into(),
                        title: "C".into(),
                        status: Status::Available,
                    }]),
                ],
            }],
            unicorns: vec![],
        });
        let json = doc.to_json();
        let back = CatalogDoc::from_json(&json).unwrap();
        assert_eq!(back, doc);
        assert_eq!(back.to_json(), json);
        let text = String::from_utf8(json).unwrap();
        assert_eq!(
            text.matches("\"ghost\"").count(),
            1,
            "an empty ghost list is left out"
        );
        assert!(text.contains("\"truth\": \"it lacks pushdown\""), "{text}");
        let public = CatalogDoc::from_json(SAMPLE.as_bytes()).unwrap();
        assert!(public.roadmap.is_none() && public.accounts.is_none() && public.autopsy.is_none());
        assert_eq!(String::from_utf8(public.to_json()).unwrap(), SAMPLE);
    }

    #[test]
    fn refuses_newer_schemas_and_other_json() {
        let newer = SAMPLE.replacen("\"schema\": 1", "\"schema\": 9", 1);
        assert_eq!(
            CatalogDoc::from_json(newer.as_bytes()),
            Err(DocError::NewerSchema { found: 9 })
        );
        let e = CatalogDoc::from_json(b"<html>").unwrap_err();
        assert!(matches!(e, DocError::Shape { line: 1, .. }), "{e}");
    }
}
