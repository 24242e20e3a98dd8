//! `capcat scan`: the whole inventory of what the scanner sees — markers,
//! matched definitions, routes, GraphQL operations, flag calls — with
//! file:line and the capabilities each one is evidence for. The tool a
//! catalog author uses to write matchers.

use super::plan::Plan;
use super::walk::FileRecord;

use serde::Serialize;

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
            // A mounted route is listed at its full path, with the path as
            // written in its file beside the handler.
            let detail = match (&r.handler, r.full.is_empty()) {
                (h, true) => h.clone(),
                (Some(h), false) => Some(format!("{h}; written {}", r.path)),
                (None, false) => Some(format!("written {}", r.path)),
            };
            inv.routes.push(item(r.line, r.label(), detail, false, c));
        }
        for g in &f.graphql {
            let c = caps(&|t| g.matched_name(&t.graphql).is_some());
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
