//! What a scan looks for: compiled matchers, the prefilter needles and the
//! extraction settings, built once from the configuration and the targets.

use super::extract::Settings;
use super::languages::LANGUAGES;
use super::prefilter::Prefilter;
use super::routes::RoutePattern;
use super::{ScanTarget, cache};
use globset::{GlobBuilder, GlobSet, GlobSetBuilder};
use std::collections::{BTreeSet, HashSet};
use std::time::Duration;

/// Flag functions every scan knows: LaunchDarkly, Unleash and OpenFeature in
/// the spellings of their SDKs.
pub const BUILTIN_FLAG_FUNCTIONS: &[&str] = &[
    // LaunchDarkly
    "variation",
    "variationDetail",
    "boolVariation",
    "stringVariation",
    "intVariation",
    "numberVariation",
    "doubleVariation",
    "jsonVariation",
    "jsonValueVariation",
    "boolVariationDetail",
    "stringVariationDetail",
    "BoolVariation",
    "StringVariation",
    "IntVariation",
    "Float64Variation",
    "JSONVariation",
    "bool_variation",
    "string_variation",
    "variation_detail",
    // Unleash
    "isEnabled",
    "is_enabled",
    "IsEnabled",
    "enabled?",
    // OpenFeature
    "getBooleanValue",
    "getStringValue",
    "getNumberValue",
    "getIntegerValue",
    "getDoubleValue",
    "getObjectValue",
    "getBooleanDetails",
    "getStringDetails",
    "get_boolean_value",
    "get_string_value",
    "get_integer_value",
    "get_float_value",
    "get_object_value",
    "get_boolean_details",
    "BooleanValue",
    "StringValue",
    "IntValue",
    "FloatValue",
    "ObjectValue",
    "BooleanValueDetails",
];

/// Marker, symbol, route, GraphQL and flag matchers of one capability.
#[derive(Debug)]
pub struct CompiledTarget {
    /// The capability id.
    pub id: String,
    /// `paths` globs.
    pub paths: GlobSet,
    /// The `paths` globs that compiled, in [`Self::paths`] order: their
    /// index in the front-matter list and the glob as written.
    pub path_patterns: Vec<(usize, String)>,
    /// `symbols` names.
    pub symbols: HashSet<String>,
    /// `routes` patterns.
    pub routes: Vec<RoutePattern>,
    /// `graphql` field names.
    pub graphql: HashSet<String>,
    /// `flags` keys.
    pub flags: HashSet<String>,
}

/// Everything fixed for one scan.
pub struct Plan {
    /// Compiled matchers, one per target.
    pub targets: Vec<CompiledTarget>,
    /// Every target id (markers naming others are reported).
    pub known_ids: BTreeSet<String>,
    /// What to extract from parsed files.
    pub settings: Settings,
    /// The prefilter: decides per file whether and what to parse.
    pub prefilter: Prefilter,
    /// Parse `.graphql`/`.gql` files.
    pub sdl: bool,
    /// Cache fingerprint.
    pub fingerprint: String,
    /// Problems in the matchers themselves (bad globs).
    pub problems: Vec<String>,
    /// Which files are test code.
    pub tests: super::testcode::TestFiles,
}

/// Bumped whenever what is extracted from a file changes without a change
/// to the queries, so caches written by an older capcat are not reused.
const CACHE_FORMAT: &str = "scan-cache-4";

/// Longest a single parse may take before it is cancelled.
pub const PARSE_BUDGET: Duration = Duration::from_secs(2);

impl Plan {
    /// Builds the plan; everything that changes what is extracted goes into
    /// the fingerprint. `inventory` adds every detector's needles.
    pub fn new(code: &crate::config::CodeConfig, targets: &[ScanTarget], inventory: bool) -> Plan {
        let (compiled, mut problems) = compile_targets(targets);
        let (tests, test_problems) = super::testcode::TestFiles::new(&code.tests);
        problems.extend(test_problems);
        let symbols: HashSet<String> = compiled
            .iter()
            .flat_map(|t| t.symbols.iter().cloned())
            .collect();
        let mut flag_functions: HashSet<String> = BUILTIN_FLAG_FUNCTIONS
            .iter()
            .map(|s| s.to_string())
            .collect();
        flag_functions.extend(code.flag_functions.iter().cloned());
        let prefilter = Prefilter::new(code, &compiled, inventory);
        let sdl = inventory || compiled.iter().any(|t| !t.graphql.is_empty());
        let mut parts: Vec<String> = vec![
            env!("CARGO_PKG_VERSION").to_string(),
            CACHE_FORMAT.to_string(),
            code.marker.clone(),
            code.max_file_bytes.to_string(),
            sdl.to_string(),
            inventory.to_string(),
        ];
        parts.extend(prefilter.needles().iter().cloned());
        parts.extend(LANGUAGES.iter().map(|l| l.query.to_string()));
        parts.push("\u{0}symbols".into());
        parts.extend(sorted(&symbols));
        parts.push("\u{0}flags".into());
        parts.extend(sorted(&flag_functions));
        // Test files are read without routes and mounts.
        parts.push("\u{0}tests".into());
        parts.extend(code.tests.iter().cloned());
        let fingerprint = cache::fingerprint(parts.iter().map(String::as_str));
        Plan {
            known_ids: targets.iter().map(|t| t.id.clone()).collect(),
            targets: compiled,
            settings: Settings {
                marker: code.marker.clone(),
                symbols,
                flag_functions,
                parse_budget: PARSE_BUDGET,
            },
            prefilter,
            sdl,
            fingerprint,
            problems,
            tests,
        }
    }
}

fn sorted(set: &HashSet<String>) -> Vec<String> {
    let mut v: Vec<String> = set.iter().cloned().collect();
    v.sort();
    v
}

/// Compiles every target's matchers; bad globs are returned as problems.
pub fn compile_targets(targets: &[ScanTarget]) -> (Vec<CompiledTarget>, Vec<String>) {
    let mut problems = Vec::new();
    let compiled = targets
        .iter()
        .map(|t| compile_target(t, &mut problems))
        .collect();
    (compiled, problems)
}

fn compile_target(t: &ScanTarget, problems: &mut Vec<String>) -> CompiledTarget {
    let mut paths = GlobSetBuilder::new();
    let mut path_patterns = Vec::new();
    for (i, p) in t.matchers.paths.iter().enumerate() {
        match GlobBuilder::new(&gitignore_glob(p))
            .literal_separator(true)
            .build()
        {
            Ok(g) => {
                paths.add(g);
                path_patterns.push((i, p.clone()));
            }
            Err(e) => problems.push(format!(
                "capability `{}`: paths glob `{p}` is not valid: {e}",
                t.id
            )),
        }
    }
    CompiledTarget {
        id: t.id.clone(),
        paths: paths.build().unwrap_or_else(|_| GlobSet::empty()),
        path_patterns,
        symbols: t.matchers.symbols.iter().cloned().collect(),
        routes: t
            .matchers
            .routes
            .iter()
            .map(|r| RoutePattern::new(r))
            .collect(),
        graphql: t.matchers.graphql.iter().cloned().collect(),
        flags: t.matchers.flags.iter().cloned().collect(),
    }
}

/// A gitignore-style pattern as a globset glob: no `/` matches at any depth,
/// a leading `/` anchors, a trailing `/` means everything below.
pub fn gitignore_glob(pattern: &str) -> String {
    let mut p = pattern.trim().to_string();
    if p.ends_with('/') {
        p.push_str("**");
    }
    if let Some(anchored) = p.strip_prefix('/') {
        return anchored.to_string();
    }
    if !p.trim_end_matches('/').contains('/') {
        return format!("**/{p}");
    }
    p
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scan::Matchers;

    fn target(paths: &[&str]) -> CompiledTarget {
        let t = ScanTarget {
            id: "x".into(),
            matchers: Matchers {
                paths: paths.iter().map(|s| s.to_string()).collect(),
                ..Matchers::default()
            },
        };
        compile_target(&t, &mut Vec::new())
    }

    #[test]
    fn globs_are_gitignore_style() {
        let t = target(&[
            "services/billing/invoices/**",
            "*.graphql",
            "/web/src/",
            "docs/*.md",
        ]);
        assert!(t.paths.is_match("services/billing/invoices/pdf/render.go"));
        assert!(t.paths.is_match("schema/a/storefront.graphql"));
        assert!(t.paths.is_match("web/src/a/b.ts"));
        assert!(t.paths.is_match("docs/a.md"));
        assert!(!t.paths.is_match("docs/x/a.md"));
        assert!(!t.paths.is_match("services/billing/other.go"));
    }

    #[test]
    fn bad_glob_is_a_problem_not_a_panic() {
        let mut problems = Vec::new();
        let t = ScanTarget {
            id: "x".into(),
            matchers: Matchers {
                paths: vec!["a/[".into()],
                ..Matchers::default()
            },
        };
        compile_target(&t, &mut problems);
        assert_eq!(problems.len(), 1);
    }
}
