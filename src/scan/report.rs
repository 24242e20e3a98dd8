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
