//! The prefilter: one aho-corasick pass over a file finds every literal
//! needle and decides whether (and for what) the file is worth parsing.
//!
//! Parsing costs over a hundred times reading, so a needle alone is not
//! always enough: a symbol name counts only where it looks like a
//! definition (`class Feed`, `def feed`, `Feed =`…), a route literal only in
//! a file that also has a route call shape (`.route(`, `path(`, `@GetMapping`
//! …), a GraphQL name only next to a code-first schema shape, and a flag key
//! only when quoted.

use super::languages::LANGUAGES;
use super::plan::CompiledTarget;
use aho_corasick::{AhoCorasick, AhoCorasickKind};
use std::collections::BTreeMap;

/// What a needle stands for (a literal may stand for several).
const MARKER: u8 = 1;
const SYMBOL: u8 = 2;
const ROUTE_LITERAL: u8 = 4;
const GRAPHQL_NAME: u8 = 16;
const GRAPHQL_SHAPE: u8 = 32;
const FLAG_KEY: u8 = 64;
const FLAG_SHAPE: u8 = 128;

/// Code-first GraphQL schemas (graphene, strawberry) hold one of these;
/// `true`: only as a whole word (`class Query` is not `class QuerySet`,
/// `strawberry.type` is not `strawberry.types`). A graphene schema names
/// `graphene` (its `ObjectType` is also a common model name: NetBox's
/// tests use it everywhere).
const GRAPHQL_SHAPES: &[(&str, bool)] = &[
    ("class Query", true),
    ("class Mutation", true),
    ("class Subscription", true),
    ("graphene", false),
    ("strawberry.type", true),
    ("gql`", false),
    ("graphql`", false),
];

/// What one file needs extracted.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Wanted {
    /// A marker prefix occurs.
    pub markers: bool,
    /// A symbol occurs where it may be defined.
    pub symbols: bool,
    /// Routes may match.
    pub routes: bool,
    /// GraphQL code-first fields may match.
    pub graphql: bool,
    /// Flag calls may match.
    pub flags: bool,
    /// A mount or router prefix may compose the path of a matched route
    /// (read with the routes).
    pub mounts: bool,
}

impl Wanted {
    /// True when the file is worth parsing.
    pub fn any(self) -> bool {
        self.markers || self.symbols || self.routes || self.graphql || self.flags || self.mounts
    }
}

/// The compiled needle set.
pub struct Prefilter {
    automaton: AhoCorasick,
    needles: Vec<String>,
    kinds: Vec<u8>,
    /// Per needle, the languages (bit = index in LANGUAGES) where it is a
    /// route call shape, anywhere or only on a decorator line.
    route_plain: Vec<u16>,
    route_decorator: Vec<u16>,
    /// Per needle, the languages where it is a mount shape: with a string
    /// literal as first argument, or anywhere.
    mount_literal: Vec<u16>,
    mount_any: Vec<u16>,
    /// Some target has a `routes` pattern (or the inventory is wanted):
    /// mounts are worth reading.
    mounts: bool,
    /// Every route is wanted once a route shape occurs (inventory, or a
    /// pattern without a usable literal).
    all_routes: bool,
    all_flags: bool,
    all_graphql: bool,
}

impl Prefilter {
    /// Builds the needles of `targets`; `inventory` wants every detector hit.
    pub fn new(
        code: &crate::config::CodeConfig,
        targets: &[CompiledTarget],
        inventory: bool,
    ) -> Prefilter {
        let mut map: BTreeMap<String, u8> = BTreeMap::new();
        let mut add = |s: &str, kind: u8| {
            if !s.is_empty() {
                *map.entry(s.to_string()).or_default() |= kind;
            }
        };
        add(&code.marker, MARKER);
        let mut all_routes = inventory;
        let mounts = inventory || targets.iter().any(|t| !t.routes.is_empty());
        for t in targets {
            t.symbols.iter().for_each(|s| add(s, SYMBOL));
            for g in &t.graphql {
                add(g, GRAPHQL_NAME);
                add(&snake_case(g), GRAPHQL_NAME);
            }
            for f in &t.flags {
                for q in ['"', '\'', '`'] {
                    add(&format!("{q}{f}{q}"), FLAG_KEY);
                }
            }
            for r in &t.routes {
                match &r.needle {
                    Some(n) => add(n, ROUTE_LITERAL),
                    None => all_routes = true,
                }
            }
        }
        for l in LANGUAGES {
            if inventory {
                l.flag_needles.iter().for_each(|n| add(n, FLAG_SHAPE));
            }
        }
        if inventory {
            code.flag_functions.iter().for_each(|f| add(f, FLAG_SHAPE));
        }
        GRAPHQL_SHAPES
            .iter()
            .for_each(|(n, _)| add(n, GRAPHQL_SHAPE));
        let mut shapes: BTreeMap<String, (u16, u16)> = BTreeMap::new();
        for (i, l) in LANGUAGES.iter().enumerate() {
            for n in l.route_needles {
                shapes.entry(n.to_string()).or_default().0 |= 1 << i;
            }
            for n in l.decorator_route_needles {
                shapes.entry(n.to_string()).or_default().1 |= 1 << i;
            }
        }
        let mut mount_shapes: BTreeMap<String, (u16, u16)> = BTreeMap::new();
        for (i, l) in LANGUAGES.iter().enumerate() {
            for (n, literal) in l.mount_needles {
                let e = mount_shapes.entry(n.to_string()).or_default();
                if *literal {
                    e.0 |= 1 << i;
                } else {
                    e.1 |= 1 << i;
                }
            }
        }
        if mounts {
            for n in mount_shapes.keys() {
                map.entry(n.clone()).or_default();
            }
        }
        for n in shapes.keys() {
            map.entry(n.clone()).or_default();
        }
        let (needles, kinds): (Vec<String>, Vec<u8>) = map.into_iter().unzip();
        let shape = |n: &String| shapes.get(n).copied().unwrap_or_default();
        let mount = |n: &String| match mounts {
            true => mount_shapes.get(n).copied().unwrap_or_default(),
            false => (0, 0),
        };
        Prefilter {
            mount_literal: needles.iter().map(|n| mount(n).0).collect(),
            mount_any: needles.iter().map(|n| mount(n).1).collect(),
            mounts,
            automaton: automaton(&needles),
            route_plain: needles.iter().map(|n| shape(n).0).collect(),
            route_decorator: needles.iter().map(|n| shape(n).1).collect(),
            needles,
            kinds,
            all_routes,
            all_flags: inventory,
            all_graphql: inventory,
        }
    }

    /// Every route, GraphQL operation and flag call is wanted (`capcat scan`).
    pub fn inventory(&self) -> bool {
        self.all_flags
    }

    /// The literal needles, sorted (for the cache fingerprint and `rg -F`).
    pub fn needles(&self) -> &[String] {
        &self.needles
    }

    /// One pass over `bytes` of a file in language `lang` (index in
    /// LANGUAGES): what the file needs extracted.
    pub fn wanted(&self, bytes: &[u8], lang: Option<usize>) -> Wanted {
        let bit = lang.map_or(0, |l| 1u16 << l);
        let keywordless = lang.is_none_or(|l| !KEYWORD_DEFINED.contains(&LANGUAGES[l].name));
        let mut seen = 0u8;
        let mut symbol = false;
        let mut shape_lines = Vec::new();
        let mut literal_lines = Vec::new();
        let mut mounts = false;
        for m in self.automaton.find_overlapping_iter(bytes) {
            let p = m.pattern().as_usize();
            let mut kind = self.kinds[p];
            if kind & GRAPHQL_SHAPE != 0 && !graphql_shape_at(&self.needles[p], bytes, m.end()) {
                kind &= !GRAPHQL_SHAPE;
            }
            if kind & SYMBOL != 0 && !symbol {
                symbol = may_define_in(bytes, m.start(), m.end(), keywordless);
            }
            if kind & ROUTE_LITERAL != 0 {
                literal_lines.push(line_start(bytes, m.start()));
            }
            let shape = self.route_plain[p] & bit != 0 || self.route_decorator[p] & bit != 0;
            if let Some(arg) = shape
                .then(|| route_call(bytes, m.start(), m.end()))
                .flatten()
            {
                let start = line_start(bytes, m.start());
                let decorated = bytes[start..m.start()].trim_ascii_start().starts_with(b"@");
                if self.route_plain[p] & bit != 0 || decorated {
                    shape_lines.push(line_start(bytes, arg));
                }
            }
            if self.mounts && !mounts {
                mounts = self.mount_any[p] & bit != 0
                    || (self.mount_literal[p] & bit != 0
                        && route_call(bytes, m.start(), m.end()).is_some());
            }
            seen |= kind & !SYMBOL;
        }
        let has = |k: u8| seen & k != 0;
        let routes = if self.all_routes {
            !shape_lines.is_empty()
        } else {
            literal_lines.iter().any(|l| shape_lines.contains(l))
        };
        Wanted {
            markers: has(MARKER),
            symbols: symbol,
            routes,
            graphql: has(GRAPHQL_SHAPE) && (has(GRAPHQL_NAME) || self.all_graphql),
            flags: has(FLAG_KEY) || (self.all_flags && has(FLAG_SHAPE)),
            mounts,
        }
    }
}

/// Where the URL of a route call shape at `start..end` is: a call shape
/// (`path(`) must be a whole word and have a string literal
/// as first argument (routes are only read from literals, so
/// `request.get_full_path()` or `map.get(key)` never need a parse). Returns
/// the offset of that literal (it may sit on the next line), or of the shape
/// itself when it is not a call (`@PostMapping`, Ruby `get "…"`).
fn route_call(bytes: &[u8], start: usize, end: usize) -> Option<usize> {
    if bytes[end - 1] != b'(' {
        return Some(start);
    }
    let ident = |b: u8| b.is_ascii_alphanumeric() || b == b'_';
    if ident(bytes[start]) && start > 0 && ident(bytes[start - 1]) {
        return None;
    }
    let rest = &bytes[end..bytes.len().min(end + 64)];
    let skipped = rest.len() - rest.trim_ascii_start().len();
    let arg = &rest[skipped..];
    let prefix = usize::from(matches!(arg.first(), Some(b'r' | b'f' | b'b')));
    match arg.get(prefix) {
        Some(b'"' | b'\'' | b'`') => Some(end + skipped),
        _ => None,
    }
}

/// Up to this many needles the automaton is a DFA (a few MB at most).
const DFA_NEEDLES: usize = 2_000;

/// The automaton over every needle. The crate picks a DFA by itself only up
/// to 100 needles, for fear of its memory, and a 30-capability catalog plus
/// the detectors' call shapes is past that: on NetBox the pass over every
/// byte of the code runs three times as fast on the DFA as on the NFA the
/// crate would pick. Past [`DFA_NEEDLES`] the choice is left to the crate.
fn automaton(needles: &[String]) -> AhoCorasick {
    let kind = (needles.len() <= DFA_NEEDLES).then_some(AhoCorasickKind::DFA);
    AhoCorasick::builder()
        .kind(kind)
        .build(needles)
        .or_else(|_| AhoCorasick::new(needles))
        .expect("literal needles always build")
}

/// Is the GraphQL schema shape `needle` ending at `end` really one (a
/// whole-word shape must not run on into a longer name)?
fn graphql_shape_at(needle: &str, bytes: &[u8], end: usize) -> bool {
    let whole_word = GRAPHQL_SHAPES.iter().any(|(n, word)| *n == needle && *word);
    let runs_on = bytes
        .get(end)
        .is_some_and(|b| b.is_ascii_alphanumeric() || *b == b'_');
    !(whole_word && runs_on)
}

fn line_start(bytes: &[u8], at: usize) -> usize {
    memchr::memrchr(b'\n', &bytes[..at]).map_or(0, |i| i + 1)
}

/// `createOrder` → `create_order`.
fn snake_case(camel: &str) -> String {
    let mut out = String::new();
    for c in camel.chars() {
        if c.is_ascii_uppercase() {
            out.push('_');
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

/// Keywords that introduce a definition's name in some supported language.
const DEFINING: &[&str] = &[
    "class",
    "def",
    "function",
    "func",
    "fn",
    "struct",
    "enum",
    "trait",
    "interface",
    "type",
    "const",
    "let",
    "var",
    "module",
    "mod",
    "static",
    "record",
    "union",
    "macro_rules!",
    "function*",
    "@interface",
];

/// Words after which a name followed by `(` is a call, not a definition.
const CALLING: &[&str] = &[
    "return", "throw", "new", "await", "yield", "if", "else", "case", "in", "of", "not", "and",
    "or", "elif", "while", "assert", "raise", "print", "del", "lambda", "is", "typeof",
];

/// Languages whose every function or method is introduced by a keyword
/// (`def`): `Name(` on a line of its own is a call there, such as the
/// `Device(name=…)` rows of a test's fixture list, never a definition.
const KEYWORD_DEFINED: &[&str] = &["python", "ruby"];

/// Could the whole word at `start..end` be where a name is defined? Errs on
/// the side of yes: a wrong yes costs a parse, a wrong no loses evidence.
pub fn may_define(bytes: &[u8], start: usize, end: usize) -> bool {
    may_define_in(bytes, start, end, true)
}

/// [`may_define`], where `keywordless` says whether the language has
/// methods without a keyword (Java, TypeScript: `name(…) {`).
fn may_define_in(bytes: &[u8], start: usize, end: usize, keywordless: bool) -> bool {
    let is_word = |b: u8| b.is_ascii_alphanumeric() || b == b'_' || b == b'$';
    if start > 0 && is_word(bytes[start - 1]) || end < bytes.len() && is_word(bytes[end]) {
        return false;
    }
    let line_start = memchr::memrchr(b'\n', &bytes[..start]).map_or(0, |i| i + 1);
    let line_end = memchr::memchr(b'\n', &bytes[end..]).map_or(bytes.len(), |i| end + i);
    let before = String::from_utf8_lossy(&bytes[line_start..start]);
    let after = String::from_utf8_lossy(&bytes[end..line_end]);
    let before = before.trim_end();
    let after = after.trim_start();
    let last_word = before
        .rsplit(|c: char| c.is_whitespace())
        .next()
        .unwrap_or("");
    if DEFINING.contains(&last_word) {
        return true;
    }
    // Go methods: `func (r *Repo) Name(`.
    if before.starts_with("func ") && before.ends_with(')') {
        return true;
    }
    // Assignments and fields: `Name = …`, `Name: …`, Go `Name struct {`.
    if before.is_empty() || before.ends_with(['{', ',']) {
        let assigns = (after.starts_with('=') && !after.starts_with("=="))
            || after.starts_with(':')
            || after.starts_with("struct")
            || after.starts_with("interface");
        if assigns {
            return true;
        }
    }
    // Keywordless methods (Java, TypeScript classes): `public Foo name(` or `name(…) {`.
    if !keywordless {
        return false;
    }
    let prev = bytes[..start].last().copied().unwrap_or(b'\n');
    let called =
        CALLING.contains(&last_word) || before.contains(['(', '=', ',']) || before.ends_with('.');
    after.starts_with(['(', '<']) && (prev == b' ' || prev == b'\t' || prev == b'\n') && !called
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The prefilter of one capability with `matchers`, default settings.
    fn prefilter_for(matchers: crate::scan::Matchers) -> Prefilter {
        let target = crate::scan::ScanTarget {
            id: "x".into(),
            matchers,
        };
        let (compiled, _) = crate::scan::plan::compile_targets(&[target]);
        Prefilter::new(&crate::config::CodeConfig::default(), &compiled, false)
    }

    fn def(line: &str, word: &str) -> bool {
        let start = line.find(word).unwrap();
        may_define(line.as_bytes(), start, start + word.len())
    }

    #[test]
    fn definitions_are_likely() {
        assert!(def("class Feed:", "Feed"));
        assert!(def("    def feed(self):", "feed"));
        assert!(def("export default function Page() {", "Page"));
        assert!(def("export const Page = () => {", "Page"));
        assert!(def("func (s *Server) Render(w io.Writer) {", "Render"));
        assert!(def("pub(crate) fn render() {", "render"));
        assert!(def(
            "  public List<Order> listOrders(int limit) {",
            "listOrders"
        ));
        assert!(def("  async dispatch(event: string) {", "dispatch"));
        assert!(def("MAX_ITEMS = 10", "MAX_ITEMS"));
        assert!(def("\tVerifyTotp struct {", "VerifyTotp"));
    }

    #[test]
    fn uses_are_not() {
        assert!(!def("from x import Feed", "Feed"));
        assert!(!def("    return Feed(request)", "Feed"));
        assert!(!def("x = Feed()", "Feed"));
        assert!(!def("self.feed(x)", "feed"));
        assert!(!def("class SyndicationFeed:", "Feed"));
        assert!(!def("assert isinstance(f, Feed)", "Feed"));
        assert!(!def("associated = 1", "sso"));
    }

    #[test]
    fn wanted_combines_needles() {
        let p = prefilter_for(crate::scan::Matchers {
            symbols: vec!["Feed".into()],
            routes: vec!["/login/".into()],
            flags: vec!["dark-mode".into()],
            ..Default::default()
        });
        let py = crate::scan::languages::for_path("a.py");
        let w = |text: &[u8]| p.wanted(text, py);
        assert!(!w(b"user.login(request)\nfrom x import Feed\n").any());
        assert!(w(b"urlpatterns = [path('login/', v)]").routes);
        assert!(
            !w(b"path('x/', v)\n# see login/\n").routes,
            "not on the same line"
        );
        assert!(w(b"@app.get('/login/')\ndef f(): pass").routes);
        assert!(
            !w(b"self.client.get('/login/')").routes,
            "a test client call is no route"
        );
        assert!(w(b"class Feed:\n").symbols);
        assert!(w(b"if ld.variation('dark-mode', u, False):").flags);
        assert!(!w(b"dark-mode is a CSS class").flags);
        assert!(w(b"# capability: x").markers);
    }

    #[test]
    fn a_python_call_on_its_own_line_defines_nothing() {
        let p = prefilter_for(crate::scan::Matchers {
            symbols: vec!["Device".into()],
            ..Default::default()
        });
        let lang = |path| crate::scan::languages::for_path(path);
        let rows = b"devices = (\n    Device(name='Device 1', site=site),\n)\n";
        assert!(!p.wanted(rows, lang("tests/test_api.py")).symbols);
        assert!(
            p.wanted(b"class Device(Model):\n", lang("models.py"))
                .symbols
        );
        assert!(
            p.wanted(b"Device = apps.get_model('dcim', 'Device')\n", lang("m.py"))
                .symbols
        );
        let method = b"class Api {\n  Device(id: string) {\n  }\n}\n";
        assert!(p.wanted(method, lang("api.ts")).symbols);
    }

    #[test]
    fn graphql_names_count_only_beside_a_schema_shape() {
        let p = prefilter_for(crate::scan::Matchers {
            graphql: vec!["device_list".into()],
            ..Default::default()
        });
        let py = crate::scan::languages::for_path("a.py");
        let w = |text: &str| p.wanted(text.as_bytes(), py).graphql;
        assert!(w(
            "@strawberry.type(name=\"Query\")\nclass DCIMQuery:\n    device_list: list[DeviceType] = strawberry_django.field()\n"
        ));
        assert!(w(
            "import graphene\nclass Query(graphene.ObjectType):\n    device_list = graphene.List(Device)\n"
        ));
        assert!(w("class Query:\n    device_list = field()\n"));
        assert!(
            !w("ot = ObjectType.objects.get_for_model(Device)\nself.get(device_list)\n"),
            "a model named ObjectType is no schema"
        );
        assert!(!w(
            "class QuerySetNotOrdered(Exception):\n    device_list = 1\n"
        ));
        assert!(!w("from strawberry.types import Info\ndevice_list = 1\n"));
    }
}
