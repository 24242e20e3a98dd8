//! Jira loading speed and memory (acceptance: the 753 KB peris25 export in
//! under 100 ms, 100,000 generated issues in under 2 s with memory
//! proportional to the data). Run with `cargo bench --bench jira_load`.

use capcat::config::JiraConfig;
use capcat::jira::{Settings, load_files};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

fn settings() -> Settings {
    let cfg = JiraConfig {
        amount_field: "Deal Amount".into(),
        lost_field: "Lost Reason".into(),
        ..JiraConfig::default()
    };
    Settings::from_config(&cfg, Path::new("catalog.toml")).expect("settings")
}

/// Peak resident set size of this process so far (Linux), in MiB.
fn peak_rss_mib() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib / 1024.0)
}

fn time_load(files: &[PathBuf], settings: &Settings, runs: usize) -> (Duration, Duration, usize) {
    let mut times = Vec::with_capacity(runs);
    let mut n = 0;
    for _ in 0..runs {
        let start = Instant::now();
        let data = load_files(files, settings).expect("load");
        times.push(start.elapsed());
        n = data.items.len();
    }
    times.sort();
    (times[0], times[times.len() / 2], n)
}

fn peris25() {
    let base = std::env::var_os("CAPCAT_SHARED_DATA")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/data"));
    let file = base.join("jira/csv/cloud-all-fields_peris25-reporting-dashboard.csv");
    if !file.exists() {
        eprintln!("skipping peris25: {} not found", file.display());
        return;
    }
    let size = std::fs::metadata(&file).map(|m| m.len()).unwrap_or(0);
    let (min, median, n) = time_load(&[file], &settings(), 30);
    println!(
        "peris25 ({:.0} KB, {n} issues, 379 columns): min {:.1} ms, median {:.1} ms (limit 100 ms)",
        size as f64 / 1000.0,
        min.as_secs_f64() * 1e3,
        median.as_secs_f64() * 1e3
    );
}

const HEADER: &str = "Summary,Issue key,Issue id,Issue Type,Status,Priority,Resolution,Assignee,Created,Updated,Resolved,Fix versions,Due date,Labels,Labels,Labels,Description,Inward issue link (Blocks),Outward issue link (Blocks),Custom field (Customer),Custom field (Deal Amount),Custom field (Lost Reason),Custom field (Story point estimate),Sprint,Parent,Parent key,Status Category\n";

/// A Cloud all-fields style export of `n` issues: epics every 20 issues,
/// children pointing at them, labels, links, multi-line wiki descriptions.
fn generate(path: &Path, n: usize) {
    let mut w = std::io::BufWriter::new(std::fs::File::create(path).expect("create"));
    w.write_all(b"\xEF\xBB\xBF").unwrap();
    w.write_all(HEADER.as_bytes()).unwrap();
    let statuses = [
        ("To Do", "To Do"),
        ("In Progress", "In Progress"),
        ("Done", "Done"),
    ];
    for i in 1..=n {
        let epic = i % 20 == 1;
        let (status, category) = statuses[i % 3];
        let epic_key = i - (i - 1) % 20;
        let (parent_id, parent_key) = if epic {
            (String::new(), String::new())
        } else {
            ((10_000 + epic_key).to_string(), format!("GEN-{epic_key}"))
        };
        let day = 1 + i % 28;
        writeln!(
            w,
            "Generated issue {i} about \"{kind}\",GEN-{i},{id},{ty},{status},Medium,{res},Dev {a},{day:02}/Mar/26 4:37 PM,{day:02}/Apr/26 9:05 AM,{resolved},2027.{v},{day:02}/Jun/27 12:00 AM,cap:feature-{cap},team-{t},,\"h3. Context {i}\n* point one with *bold*\n* point two with a [link|https://example.com/{i}]\n{{code}}let x = {i};{{code}}\",{blocker},,Account {acct},{amount},{lost},{sp},Sprint {s},{parent_id},{parent_key},{category}",
            kind = if i % 7 == 0 { "exports" } else { "billing" },
            id = 10_000 + i,
            ty = if epic { "Epic" } else { "Story" },
            res = if status == "Done" { "Done" } else { "" },
            a = i % 13,
            resolved = if status == "Done" { format!("{day:02}/May/26 10:00 AM") } else { String::new() },
            v = i % 4,
            cap = i % 50,
            t = i % 9,
            blocker = if i % 10 == 0 { format!("GEN-{}", i - 1) } else { String::new() },
            acct = i % 40,
            amount = if i % 5 == 0 { format!("\"{},000\"", i % 300) } else { String::new() },
            lost = if i % 11 == 0 { "Chose a competitor" } else { "" },
            sp = i % 8,
            s = i % 30,
        )
        .unwrap();
    }
    w.flush().unwrap();
}

fn generated() {
    let dir = std::env::temp_dir().join(format!("capcat-jira-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let settings = settings();
    for n in [25_000, 50_000, 100_000] {
        let path = dir.join(format!("gen-{n}.csv"));
        generate(&path, n);
        let size = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0) as f64 / 1e6;
        let (min, median, count) = time_load(std::slice::from_ref(&path), &settings, 3);
        assert_eq!(count, n);
        let bytes = std::fs::read(&path).unwrap();
        let start = Instant::now();
        let parsed = capcat::jira::csv::parse(&path, &bytes, &settings).expect("parse");
        let parse_ms = start.elapsed().as_secs_f64() * 1e3;
        drop(parsed);
        println!(
            "generated {n} issues ({size:.1} MB CSV): min {:.0} ms, median {:.0} ms{} (CSV rows alone {parse_ms:.0} ms); peak RSS so far {:.0} MiB",
            min.as_secs_f64() * 1e3,
            median.as_secs_f64() * 1e3,
            if n == 100_000 { " (limit 2000 ms)" } else { "" },
            peak_rss_mib().unwrap_or(f64::NAN)
        );
    }
    let _ = std::fs::remove_dir_all(&dir);
}

fn main() {
    if std::env::args().any(|a| a == "--list") {
        println!("jira_load: bench");
        return;
    }
    println!(
        "peak RSS at start: {:.0} MiB",
        peak_rss_mib().unwrap_or(f64::NAN)
    );
    peris25();
    generated();
}
