//! Printing a scan: the inventory and the evidence by capability as text
//! sections or one JSON document (what `capcat scan` shows). Finding lives in
//! the rest of [`crate::scan`]; this module only formats what was found.

use super::{EvidenceKind, Inventory, ScanOutput};
use serde::Serialize;
use std::fmt::Write;

/// Output format of `capcat scan`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ScanFormat {
    /// Aligned human-readable sections.
    #[default]
    Text,
    /// One JSON document.
    Json,
}

/// `out` in `format`.
pub fn render(out: &ScanOutput, format: ScanFormat) -> String {
    match format {
        ScanFormat::Json => render_json(out),
        ScanFormat::Text => render_text(out),
    }
}

#[derive(Serialize)]
struct JsonReport<'a> {
    files: u64,
    inventory: &'a Inventory,
    evidence: &'a std::collections::BTreeMap<String, Vec<super::Evidence>>,
    matchers: &'a [super::MatcherHits],
    unresolved_mounts: &'a [super::mounts::UnresolvedMount],
}

/// The inventory and evidence as pretty JSON (stable order).
pub fn render_json(out: &ScanOutput) -> String {
    let report = JsonReport {
        files: out.stats.files,
        inventory: &out.inventory,
        evidence: &out.evidence,
        matchers: &out.matcher_hits,
        unresolved_mounts: &out.unresolved_mounts,
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
    render_mounts(out, &mut s);
    render_matchers(out, &mut s);
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
            let test = if e.test { "  (test)" } else { "" };
            let _ = writeln!(s, "    {kind:<8} {}:{}  {sym}{beta}{test}", e.path, e.line);
        }
    }
    s
}

/// Mounts the scan could not follow: their routes keep the path as written.
fn render_mounts(out: &ScanOutput, s: &mut String) {
    let list = &out.unresolved_mounts;
    let _ = writeln!(s, "\nmounts not followed ({})", list.len());
    for m in list {
        let loc = format!("{}:{}", m.path, m.line);
        let _ = writeln!(s, "  {loc:<50} {} → {}  [{}]", m.prefix, m.name, m.reason);
    }
}

/// Per matcher, its hits in product code and in tests: noise shows at once.
fn render_matchers(out: &ScanOutput, s: &mut String) {
    let list = &out.matcher_hits;
    let _ = writeln!(s, "\nhits per matcher ({})", list.len());
    for h in list {
        let what = format!("{} {} `{}`", h.id, h.kind.as_str(), h.pattern);
        let _ = writeln!(s, "  {what:<50} {} product, {} test", h.product, h.test);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scan::InventoryItem;

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
