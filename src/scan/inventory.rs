//! `capcat scan`: the whole inventory of what the scanner sees — markers,
//! matched definitions, routes, GraphQL operations, flag calls — with
//! file:line and the capabilities each one is evidence for. The tool a
//! catalog author uses to write matchers.

use super::plan::Plan;
use super::walk::FileRecord;
use super::{EvidenceKind, ScanOptions, ScanOutput, ScanTarget};
use serde::Serialize;
use std::fmt::Write;

/// One thing found in the code.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct InventoryItem {
    /// Path relative to the catalog root.
    pub path: String,
    /// 1-based line.
    pub line: u32,
    /// Marker ids, definition name, `GET /route`, `Query.field` or flag key.
    pub name: String,
    /// Enclosing definition (markers), handler (routes), kind (definitions)
    /// or the flag function called.
    pub detail: Option<String>,
    /// Language of the file.
    pub language: Option<String>,
    /// A marker said `(beta)`.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub beta: bool,
    /// The capabilities this is evidence for.
    pub capabilities: Vec<String>,
}

/// Everything found, by kind, each list sorted.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Inventory {
    /// Marker comments.
    pub markers: Vec<InventoryItem>,
    /// Definitions named by a `symbols` matcher.
    pub definitions: Vec<InventoryItem>,
    /// HTTP routes.
    pub routes: Vec<InventoryItem>,
    /// GraphQL root fields.
    pub graphql: Vec<InventoryItem>,
    /// Feature-flag calls.
    pub flags: Vec<InventoryItem>,
}

/// Builds the inventory from every file's facts.
pub fn build(records: &[FileRecord], plan: &Plan) -> Inventory {
    let mut inv = Inventory::default();
    for rec in records {
        let f = &rec.entry.facts;
        let item =
            |line, name: String, detail: Option<String>, beta, caps: Vec<String>| InventoryItem {
                path: rec.path.clone(),
                line,
                name,
                detail,
                language: f.language.clone(),
                beta,
                capabilities: caps,
            };
        let caps = |pred: &dyn Fn(&super::plan::CompiledTarget) -> bool| {
            plan.targets
                .iter()
                .filter(|t| pred(t))
                .map(|t| t.id.clone())
                .collect::<Vec<_>>()
        };
        for m in &f.markers {
            let known = m
                .ids
                .iter()
                .filter(|i| plan.known_ids.contains(*i))
                .cloned()
                .collect();
            inv.markers.push(item(
                m.line,
                m.ids.join(", "),
                Some(m.symbol.clone()),
                m.beta,
                known,
            ));
        }
        for d in &f.definitions {
            let c = caps(&|t| t.symbols.contains(&d.name));
            inv.definitions
                .push(item(d.line, d.name.clone(), Some(d.kind.clone()), false, c));
        }
        for r in &f.routes {
            let c = caps(&|t| t.routes.iter().any(|p| p.matches(r)));
            inv.routes
                .push(item(r.line, r.label(), r.handler.clone(), false, c));
        }
        for g in &f.graphql {
            let c = caps(&|t| t.graphql.contains(&g.field));
            let name = format!("{}.{}", g.operation, g.field);
            inv.graphql.push(item(g.line, name, None, false, c));
        }
        for fl in &f.flags {
            let c = caps(&|t| t.flags.contains(&fl.key));
            inv.flags.push(item(
                fl.line,
                fl.key.clone(),
                Some(fl.call.clone()),
                false,
                c,
            ));
        }
    }
    for list in [
        &mut inv.markers,
        &mut inv.definitions,
        &mut inv.routes,
        &mut inv.graphql,
        &mut inv.flags,
    ] {
        list.sort();
        list.dedup();
    }
    inv
}

/// Output format of `capcat scan`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ScanFormat {
    /// Aligned human-readable sections.
    #[default]
    Text,
    /// One JSON document.
    Json,
}

/// Runs an inventory scan and renders it. The caller prints the text on
/// stdout and the diagnostics on stderr.
pub fn run_scan_command(
    config: &crate::config::Config,
    targets: &[ScanTarget],
    format: ScanFormat,
    options: &ScanOptions,
) -> (String, ScanOutput) {
    let out = super::scan_with(config, targets, options, true);
    let text = match format {
        ScanFormat::Json => render_json(&out),
        ScanFormat::Text => render_text(&out),
    };
    (text, out)
}

/// What `capcat scan` prints: the report on stdout, diagnostics on stderr.
#[derive(Debug)]
pub struct ScanCommandOutput {
    /// The rendered inventory.
    pub report: String,
    /// Content and scan warnings, sorted.
    pub diagnostics: Vec<crate::diagnostics::Diagnostic>,
    /// How much work the scan did.
    pub stats: super::ScanStats,
    /// Wall time of the scan.
    pub elapsed: std::time::Duration,
}

/// `capcat scan`: loads catalog.toml and the capability pages' matchers,
/// scans the code and renders the inventory. Only a configuration that
/// cannot be read is an error.
pub fn scan_command(
    config_path: &std::path::Path,
    format: ScanFormat,
    options: &ScanOptions,
) -> Result<ScanCommandOutput, crate::config::ConfigError> {
    let config = crate::config::Config::load(config_path)?;
    let (content, mut diagnostics) = crate::content::load(&config.content_dir(), &config.root);
    let targets = content.scan_targets();
    let started = std::time::Instant::now();
    let (report, out) = run_scan_command(&config, &targets, format, options);
    let elapsed = started.elapsed();
    diagnostics.extend(out.diagnostics);
    let mut all = crate::diagnostics::Diagnostics::new();
    all.extend(diagnostics);
    all.relativize(&config.root);
    all.sort();
    Ok(ScanCommandOutput {
        report,
        diagnostics: all.into_iter().collect(),
        stats: out.stats,
        elapsed,
    })
}

#[derive(Serialize)]
struct JsonReport<'a> {
    files: u64,
    inventory: &'a Inventory,
    evidence: &'a std::collections::BTreeMap<String, Vec<super::Evidence>>,
}

/// The inventory and evidence as pretty JSON (stable order).
pub fn render_json(out: &ScanOutput) -> String {
    let report = JsonReport {
        files: out.stats.files,
        inventory: &out.inventory,
        evidence: &out.evidence,
    };
    let mut s = serde_json::to_string_pretty(&report).unwrap_or_default();
    s.push('\n');
    s
}

/// The inventory as text sections, then the evidence per capability.
pub fn render_text(out: &ScanOutput) -> String {
    let inv = &out.inventory;
    let mut s = String::new();
    let _ = writeln!(s, "scanned {} files", out.stats.files);
    for (title, items) in [
        ("markers", &inv.markers),
        ("definitions matched by symbols", &inv.definitions),
        ("routes", &inv.routes),
        ("graphql operations", &inv.graphql),
        ("feature flags", &inv.flags),
    ] {
        let _ = writeln!(s, "\n{title} ({})", items.len());
        for i in items {
            let loc = format!("{}:{}", i.path, i.line);
            let mut line = format!("  {loc:<50} {}", i.name);
            if i.beta {
                line.push_str(" (beta)");
            }
            if let Some(d) = &i.detail {
                let _ = write!(line, "  [{d}]");
            }
            if !i.capabilities.is_empty() {
                let _ = write!(line, "  → {}", i.capabilities.join(", "));
            }
            let _ = writeln!(s, "{}", line.trim_end());
        }
    }
    let _ = writeln!(s, "\nevidence by capability ({})", out.evidence.len());
    for (id, list) in &out.evidence {
        let _ = writeln!(s, "  {id}");
        for e in list {
            let kind = e.kind.as_str();
            let sym = e.symbol.as_deref().unwrap_or("");
            let beta = if e.beta && e.kind == EvidenceKind::Marker {
                " (beta)"
            } else {
                ""
            };
            let _ = writeln!(s, "    {kind:<8} {}:{}  {sym}{beta}", e.path, e.line);
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_lists_sections_and_capabilities() {
        let mut out = ScanOutput::default();
        out.stats.files = 2;
        out.inventory.flags.push(InventoryItem {
            path: "web/a.ts".into(),
            line: 4,
            name: "dark-mode".into(),
            detail: Some("variation".into()),
            language: Some("typescript".into()),
            beta: false,
            capabilities: vec!["themes".into()],
        });
        let text = render_text(&out);
        assert!(text.starts_with("scanned 2 files\n"), "{text}");
        assert!(text.contains("feature flags (1)\n"), "{text}");
        assert!(text.contains("web/a.ts:4"), "{text}");
        assert!(text.contains("dark-mode  [variation]  → themes"), "{text}");
        let json: serde_json::Value = serde_json::from_str(&render_json(&out)).unwrap();
        assert_eq!(json["inventory"]["flags"][0]["line"], 4);
        assert_eq!(json["files"], 2);
    }
}
