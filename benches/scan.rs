//! Scan benchmark on real corpora rebuilt from package registries
//! (`benches/fetch-corpora.sh`): Django 5.1.4 (PyPI sdist), TypeScript 5.6.3
//! (npm), the crates under `~/.cargo/registry/src` and NetBox 4.7.3 (PyPI
//! sdist: a Django application with a strawberry GraphQL schema).
//!
//! For each corpus, with a 30-capability catalog using every matcher kind
//! (one shared by the first three, one of NetBox's own names for NetBox),
//! it measures (medians of `CAPCAT_BENCH_RUNS`, default 5):
//! - `rg -F -c` with the same literal needles over the same tree (reference);
//! - a cold capcat scan (cache ignored), and the same with the inventory
//!   (every built-in route, GraphQL and flag detector, as `capcat scan`);
//! - a warm scan (nothing changed) and a warm rebuild after one file changed;
//! - a tree-sitter parse of every source file, on the same threads;
//! - peak RSS of a cold scan, in a child process.
//!
//! Run: `cargo bench --bench scan` (release). `CAPCAT_BENCH_CORPORA=django`
//! limits the corpora (`django,typescript,crates,netbox`).

use capcat::config::Config;
use capcat::scan::languages::{LANGUAGES, for_path};
use capcat::scan::{Matchers, ScanOptions, ScanTarget, prefilter_needles, scan, scan_with};
use std::cell::RefCell;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if let Some(i) = args.iter().position(|a| a == "--child-rss") {
        let max_bytes = args[i + 3].parse().unwrap_or(1_000_000);
        child_rss(Path::new(&args[i + 1]), Path::new(&args[i + 2]), max_bytes);
        return;
    }
    let runs: usize = std::env::var("CAPCAT_BENCH_RUNS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(5)
        .max(1);
    let repo = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    if !ensure_rg() {
        eprintln!("skipping: ripgrep (rg) is not installed and could not be installed");
        return;
    }
    let wanted = std::env::var("CAPCAT_BENCH_CORPORA")
        .unwrap_or_else(|_| "django,typescript,crates,netbox".into());
    let corpora = [
        ("django", "django-5.1.4", "Django 5.1.4 sdist"),
        (
            "typescript",
            "typescript-5.6.3",
            "TypeScript 5.6.3 npm package",
        ),
        ("crates", "crates", "crates in ~/.cargo/registry/src"),
        (
            "netbox",
            "netbox-4.7.3",
            "NetBox 4.7.3 sdist (Django + GraphQL)",
        ),
    ];
    println!(
        "capcat scan benchmark: {} threads, medians of {runs} runs\n",
        threads()
    );
    let mut rows = Vec::new();
    for (key, dir, label) in corpora {
        if !wanted.split(',').any(|w| w.trim() == key) {
            continue;
        }
        let path = repo.join("bench-corpora").join(dir);
        if !path.exists() && !fetch(&repo, key) {
            eprintln!("skipping {label}: could not fetch it (benches/fetch-corpora.sh {key})");
            continue;
        }
        let targets = catalog_for(&path);
        rows.push(bench_corpus(label, &path, &targets, runs));
    }
    print_table(&rows);
}

/// The catalog benchmarked on `corpus`: NetBox's own, else the shared one.
fn catalog_for(corpus: &Path) -> Vec<ScanTarget> {
    let netbox = corpus
        .file_name()
        .is_some_and(|n| n.to_string_lossy().starts_with("netbox"));
    if netbox { netbox_catalog() } else { catalog() }
}

/// The benchmark catalog: 30 capabilities, every matcher kind, names from
/// Python/Django, TypeScript and Rust code, some present in no corpus.
fn catalog() -> Vec<ScanTarget> {
    let t = |id: &str, f: &dyn Fn(&mut Matchers)| {
        let mut m = Matchers::default();
        f(&mut m);
        ScanTarget {
            id: id.into(),
            matchers: m,
        }
    };
    let v = |x: &[&str]| x.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    vec![
        t("admin", &|m| m.paths = v(&["django/contrib/admin/**"])),
        t("admin-site", &|m| m.symbols = v(&["AdminSite"])),
        t("password-reset", &|m| {
            m.routes = v(&["/password_reset/*"]);
            m.symbols = v(&["PasswordResetView"]);
        }),
        t("login", &|m| m.routes = v(&["/login/"])),
        t("sitemaps", &|m| m.symbols = v(&["Sitemap"])),
        t("feeds", &|m| m.symbols = v(&["Feed"])),
        t("redirects", &|m| {
            m.symbols = v(&["RedirectFallbackMiddleware"])
        }),
        t("flatpages", &|m| {
            m.paths = v(&["django/contrib/flatpages/"])
        }),
        t("gis", &|m| m.paths = v(&["django/contrib/gis/db/**"])),
        t("csrf", &|m| m.symbols = v(&["CsrfViewMiddleware"])),
        t("sessions", &|m| {
            m.symbols = v(&["SessionMiddleware", "SessionStore"])
        }),
        t("pagination", &|m| m.symbols = v(&["Paginator"])),
        t("streaming", &|m| m.symbols = v(&["StreamingHttpResponse"])),
        t("i18n", &|m| m.routes = v(&["/i18n/*", "/jsi18n/*"])),
        t("static-manifest", &|m| {
            m.symbols = v(&["ManifestStaticFilesStorage"])
        }),
        t("ts-program", &|m| {
            m.symbols = v(&["createProgram", "TypeChecker"])
        }),
        t("ts-watch", &|m| m.symbols = v(&["createWatchProgram"])),
        t("ts-services", &|m| m.symbols = v(&["LanguageService"])),
        t("ts-dom", &|m| m.paths = v(&["lib/lib.dom*.d.ts"])),
        t("rust-serde", &|m| {
            m.symbols = v(&["Deserializer", "Serializer"])
        }),
        t("rust-regex", &|m| m.symbols = v(&["RegexBuilder"])),
        t("rust-http", &|m| m.routes = v(&["/api/*"])),
        t("rust-walk", &|m| m.symbols = v(&["WalkBuilder"])),
        t("sso-saml", &|m| {
            m.symbols = v(&["SamlProvider"]);
            m.routes = v(&["/saml/*"]);
        }),
        t("sso", &|m| m.symbols = v(&["Sso"])),
        t("oauth", &|m| m.symbols = v(&["OAuth2Provider"])),
        t("graphql-api", &|m| {
            m.graphql = v(&["orders", "createOrder"])
        }),
        t("graphql-search", &|m| m.graphql = v(&["searchProducts"])),
        t("new-checkout", &|m| {
            m.flags = v(&["new-checkout", "checkout_v2"])
        }),
        t("dark-mode", &|m| m.flags = v(&["dark-mode"])),
    ]
}

/// The NetBox catalog: 30 capabilities of NetBox's own vocabulary, every
/// matcher kind (models as symbols, Django URL paths as routes, strawberry
/// query fields as GraphQL fields, app folders as paths, flags), a few
/// present nowhere.
fn netbox_catalog() -> Vec<ScanTarget> {
    let t = |id: &str, f: &dyn Fn(&mut Matchers)| {
        let mut m = Matchers::default();
        f(&mut m);
        ScanTarget {
            id: id.into(),
            matchers: m,
        }
    };
    let v = |x: &[&str]| x.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    vec![
        t("devices", &|m| {
            m.symbols = v(&["Device"]);
            m.routes = v(&["/devices/*"]);
        }),
        t("sites", &|m| {
            m.symbols = v(&["Site"]);
            m.routes = v(&["/sites/*"]);
        }),
        t("racks", &|m| m.symbols = v(&["Rack"])),
        t("cables", &|m| {
            m.symbols = v(&["Cable"]);
            m.graphql = v(&["cable_list"]);
        }),
        t("power", &|m| m.symbols = v(&["PowerFeed"])),
        t("modules", &|m| m.symbols = v(&["ModuleType"])),
        t("prefixes", &|m| {
            m.symbols = v(&["Prefix"]);
            m.routes = v(&["/prefixes/*"]);
        }),
        t("ip-addresses", &|m| {
            m.symbols = v(&["IPAddress"]);
            m.graphql = v(&["ip_address", "ip_address_list"]);
        }),
        t("vlans", &|m| m.symbols = v(&["VLAN"])),
        t("ipam", &|m| m.paths = v(&["netbox/ipam/**"])),
        t("circuits", &|m| {
            m.symbols = v(&["Circuit"]);
            m.routes = v(&["/circuits/*"]);
        }),
        t("virtual-machines", &|m| {
            m.symbols = v(&["VirtualMachine"]);
            m.routes = v(&["/virtual-machines/*"]);
        }),
        t("tenancy", &|m| m.symbols = v(&["Tenant"])),
        t("wireless", &|m| {
            m.symbols = v(&["WirelessLAN"]);
            m.paths = v(&["netbox/wireless/"]);
        }),
        t("vpn-tunnels", &|m| m.symbols = v(&["Tunnel", "L2VPN"])),
        t("custom-fields", &|m| m.symbols = v(&["CustomField"])),
        t("event-rules", &|m| m.symbols = v(&["EventRule", "Webhook"])),
        t("config-contexts", &|m| m.symbols = v(&["ConfigContext"])),
        t("export-templates", &|m| m.symbols = v(&["ExportTemplate"])),
        t("journal", &|m| m.symbols = v(&["JournalEntry"])),
        t("permissions", &|m| m.symbols = v(&["ObjectPermission"])),
        t("graphql-devices", &|m| {
            m.graphql = v(&["device", "device_list"])
        }),
        t("graphql-sites", &|m| m.graphql = v(&["site_list"])),
        t("graphql-circuits", &|m| {
            m.graphql = v(&["circuit_list", "provider_list"])
        }),
        t("static-ui", &|m| m.paths = v(&["netbox/project-static/**"])),
        t("translations", &|m| {
            m.paths = v(&["netbox/translations/**/*.po"])
        }),
        t("maintenance-mode", &|m| m.flags = v(&["maintenance-mode"])),
        t("new-ui", &|m| m.flags = v(&["new-ui", "ui_v2"])),
        t("saml-login", &|m| {
            m.symbols = v(&["SamlProvider"]);
            m.routes = v(&["/saml/*"]);
        }),
        t("graphql-orders", &|m| m.graphql = v(&["orders"])),
    ]
}

fn config_for(corpus: &Path, cache: &Path) -> Config {
    config_with_limit(corpus, cache, 1_000_000)
}

fn config_with_limit(corpus: &Path, cache: &Path, max_bytes: u64) -> Config {
    let text = format!(
        "[code]\nroots = [\".\"]\ncache_dir = {:?}\nmax_file_bytes = {max_bytes}\n",
        cache.display().to_string()
    );
    let mut c = Config::parse(&text, Path::new("catalog.toml")).expect("bench config");
    c.root = corpus.to_path_buf();
    c
}

/// One corpus's medians.
struct Row {
    label: String,
    files: u64,
    bytes: u64,
    parsed: u64,
    evidence: usize,
    rg: Duration,
    cold: Duration,
    cold_inventory: Duration,
    warm: Duration,
    rebuild: Duration,
    rebuild_parsed: u64,
    parse_all: Duration,
    parse_all_files: u64,
    rss_kb: Option<u64>,
    rss_uncapped_kb: Option<u64>,
    /// Per `graphql` matcher: capability, name, hits in product code and in tests.
    graphql_hits: Vec<(String, String, usize, usize)>,
}

fn bench_corpus(label: &str, corpus: &Path, targets: &[ScanTarget], runs: usize) -> Row {
    eprintln!("== {label}");
    let cache = tempfile::tempdir().expect("temp dir");
    let config = config_for(corpus, cache.path());
    let needles = prefilter_needles(&config, targets);
    let needle_file = cache.path().join("needles.txt");
    std::fs::write(&needle_file, needles.join("\n")).expect("needles");

    let rg = median(runs, || time(|| run_rg(corpus, &needle_file)));
    let cold_opts = ScanOptions {
        no_cache: true,
        ..ScanOptions::default()
    };
    let first = scan(&config, targets, &cold_opts);
    let cold = median(runs, || time(|| drop(scan(&config, targets, &cold_opts))));
    let cold_inventory = median(runs, || {
        time(|| {
            drop(capcat::scan::report::render_text(&scan_with(
                &config, targets, &cold_opts, true,
            )))
        })
    });
    let warm_opts = ScanOptions::default();
    drop(scan(&config, targets, &warm_opts));
    let warm = median(runs, || time(|| drop(scan(&config, targets, &warm_opts))));
    let (rebuild, rebuild_parsed) = rebuild_after_touch(&config, targets, &first, runs);
    let (parse_all, parse_all_files) = {
        let mut files = 0;
        let d = median(runs, || {
            let (d, n) = parse_everything(corpus, config.code.max_file_bytes);
            files = n;
            d
        });
        (d, files)
    };
    let rss_kb = child_peak_rss(corpus, 1_000_000);
    let rss_uncapped_kb = child_peak_rss(corpus, 64_000_000);
    Row {
        label: label.to_string(),
        files: first.stats.files,
        bytes: first.stats.bytes,
        parsed: first.stats.parsed,
        evidence: first.evidence.values().map(Vec::len).sum(),
        rg,
        cold,
        cold_inventory,
        warm,
        rebuild,
        rebuild_parsed,
        parse_all,
        parse_all_files,
        rss_kb,
        rss_uncapped_kb,
        graphql_hits: first
            .matcher_hits
            .iter()
            .filter(|h| h.kind == capcat::scan::EvidenceKind::Graphql)
            .map(|h| (h.id.clone(), h.pattern.clone(), h.product, h.test))
            .collect(),
    }
}

/// Appends a comment to one parsed file before each run; restores it after.
fn rebuild_after_touch(
    config: &Config,
    targets: &[ScanTarget],
    first: &capcat::scan::ScanOutput,
    runs: usize,
) -> (Duration, u64) {
    let Some(victim) = first
        .evidence
        .values()
        .flatten()
        .find(|e| e.kind != capcat::scan::EvidenceKind::Path)
        .map(|e| config.root.join(&e.path))
    else {
        return (Duration::ZERO, 0);
    };
    let original = std::fs::read(&victim).expect("victim readable");
    let comment = match victim.extension().and_then(|e| e.to_str()) {
        Some("py" | "rb" | "graphql" | "gql") => "#",
        _ => "//",
    };
    let options = ScanOptions::default();
    let mut parsed = 0;
    let mut n = 0;
    let d = median(runs, || {
        n += 1;
        let mut bytes = original.clone();
        bytes.extend(format!("\n{comment} capcat bench edit {n}\n").as_bytes());
        std::fs::write(&victim, &bytes).expect("victim writable");
        let started = Instant::now();
        let out = scan(config, targets, &options);
        let d = started.elapsed();
        parsed = out.stats.parsed;
        d
    });
    std::fs::write(&victim, &original).expect("victim restored");
    (d, parsed)
}

/// Parses every file in a parsed language (size-capped like the scan) with
/// tree-sitter, one parser per walker thread.
fn parse_everything(corpus: &Path, max_bytes: u64) -> (Duration, u64) {
    thread_local! {
        static PARSER: RefCell<tree_sitter::Parser> = RefCell::new(tree_sitter::Parser::new());
    }
    let files = AtomicU64::new(0);
    let started = Instant::now();
    let mut builder = ignore::WalkBuilder::new(corpus);
    builder
        .hidden(true)
        .follow_links(true)
        .require_git(false)
        .threads(threads());
    builder.build_parallel().run(|| {
        Box::new(|entry| {
            let Ok(entry) = entry else {
                return ignore::WalkState::Continue;
            };
            let path = entry.path().to_string_lossy();
            let Some(lang) = for_path(&path) else {
                return ignore::WalkState::Continue;
            };
            if entry
                .metadata()
                .map_or(true, |m| !m.is_file() || m.len() > max_bytes)
            {
                return ignore::WalkState::Continue;
            }
            if let Ok(text) = std::fs::read(entry.path()) {
                PARSER.with(|p| {
                    let mut p = p.borrow_mut();
                    let _ = p.set_language(&(LANGUAGES[lang].grammar)());
                    let _ = p.parse(&text, None);
                });
                files.fetch_add(1, Ordering::Relaxed);
            }
            ignore::WalkState::Continue
        })
    });
    (started.elapsed(), files.load(Ordering::Relaxed))
}

fn run_rg(corpus: &Path, needles: &Path) {
    let status = Command::new("rg")
        .args(["--no-messages", "-F", "-c", "-f"])
        .arg(needles)
        .arg(corpus)
        .stdout(std::process::Stdio::null())
        .status()
        .expect("rg runs");
    assert!(status.code().is_some_and(|c| c <= 1), "rg failed: {status}");
}

fn child_peak_rss(corpus: &Path, max_bytes: u64) -> Option<u64> {
    let cache = tempfile::tempdir().ok()?;
    let out = Command::new(std::env::current_exe().ok()?)
        .arg("--child-rss")
        .arg(corpus)
        .arg(cache.path())
        .arg(max_bytes.to_string())
        .output()
        .ok()?;
    String::from_utf8_lossy(&out.stdout).trim().parse().ok()
}

/// In the child: one cold scan, then print VmHWM (kB).
fn child_rss(corpus: &Path, cache: &Path, max_bytes: u64) {
    let config = config_with_limit(corpus, cache, max_bytes);
    drop(scan(&config, &catalog_for(corpus), &ScanOptions::default()));
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let hwm = status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok());
    if let Some(kb) = hwm {
        println!("{kb}");
    }
}

fn ensure_rg() -> bool {
    let has = || {
        Command::new("rg")
            .arg("--version")
            .output()
            .is_ok_and(|o| o.status.success())
    };
    if has() {
        return true;
    }
    eprintln!("installing ripgrep: apt-get install -y ripgrep");
    let _ = Command::new("apt-get")
        .args(["install", "-y", "ripgrep"])
        .status();
    has()
}

fn fetch(repo: &Path, key: &str) -> bool {
    Command::new(repo.join("benches/fetch-corpora.sh"))
        .arg(key)
        .status()
        .is_ok_and(|s| s.success())
}

fn threads() -> usize {
    std::thread::available_parallelism().map_or(2, |n| n.get())
}

fn time(f: impl FnOnce()) -> Duration {
    let started = Instant::now();
    f();
    started.elapsed()
}

fn median(runs: usize, mut f: impl FnMut() -> Duration) -> Duration {
    let mut v: Vec<Duration> = (0..runs).map(|_| f()).collect();
    v.sort();
    v[v.len() / 2]
}

fn print_table(rows: &[Row]) {
    let ms = |d: Duration| format!("{:.1} ms", d.as_secs_f64() * 1000.0);
    let ratio = |a: Duration, b: Duration| format!("{:.1}×", a.as_secs_f64() / b.as_secs_f64());
    let rate = |r: &Row, d: Duration| {
        let s = d.as_secs_f64();
        format!(
            "{:.0} files/s, {:.0} MB/s",
            r.files as f64 / s,
            r.bytes as f64 / 1e6 / s
        )
    };
    for r in rows {
        println!("### {}", r.label);
        println!(
            "{} files, {:.1} MB read cold, {} parsed cold, {} evidence records\n",
            r.files,
            r.bytes as f64 / 1e6,
            r.parsed,
            r.evidence
        );
        println!("| measurement | median | vs rg | throughput |");
        println!("|---|---|---|---|");
        println!(
            "| `rg -F -c` same needles | {} | 1.0× | {} |",
            ms(r.rg),
            rate(r, r.rg)
        );
        println!(
            "| capcat cold scan (30 capabilities) | {} | {} | {} |",
            ms(r.cold),
            ratio(r.cold, r.rg),
            rate(r, r.cold)
        );
        println!(
            "| capcat cold inventory (`capcat scan`, every detector) | {} | {} | {} |",
            ms(r.cold_inventory),
            ratio(r.cold_inventory, r.rg),
            rate(r, r.cold_inventory)
        );
        println!(
            "| capcat warm, nothing changed | {} | {} | |",
            ms(r.warm),
            ratio(r.warm, r.rg)
        );
        println!(
            "| capcat warm rebuild, one file changed ({} parsed) | {} | {} | |",
            r.rebuild_parsed,
            ms(r.rebuild),
            ratio(r.rebuild, r.rg)
        );
        println!(
            "| tree-sitter parse of every source file ({} files) | {} | {} | |",
            r.parse_all_files,
            ms(r.parse_all),
            ratio(r.parse_all, r.rg)
        );
        let mb = |k: Option<u64>| {
            k.map_or("unknown".to_string(), |k| {
                format!("{:.0} MB", k as f64 / 1024.0)
            })
        };
        println!(
            "\ncold scan / parse-everything: {:.2}; peak RSS of a cold scan: {} (with max_file_bytes = 64 MB: {})\n",
            r.cold.as_secs_f64() / r.parse_all.as_secs_f64(),
            mb(r.rss_kb),
            mb(r.rss_uncapped_kb)
        );
        println!("| `graphql` matcher | capability | product hits | test hits |");
        println!("|---|---|---|---|");
        for (id, name, product, test) in &r.graphql_hits {
            println!("| `{name}` | {id} | {product} | {test} |");
        }
        println!();
    }
}
