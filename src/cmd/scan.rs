//! `capcat scan`: print everything the scanner sees, for writing matchers.

use super::{USAGE, print_diagnostics, print_err, print_out};
use crate::cli::{Cli, ScanArgs, ScanFormatArg};
use capcat::config::Config;
use capcat::diagnostics::Diagnostics;
use capcat::scan::ScanOptions;
use capcat::scan::report::{self, ScanFormat};
use std::process::ExitCode;
use std::time::Instant;

/// Loads catalog.toml and the capability pages' matchers, scans the code
/// with the full inventory, and prints it. Only a configuration that cannot
/// be read is an error.
pub fn run(args: &ScanArgs, cli: &Cli) -> ExitCode {
    let config = match Config::load(&args.config) {
        Ok(c) => c,
        Err(e) => {
            print_err(&e.diagnostic.to_string());
            return ExitCode::from(USAGE);
        }
    };
    let (content, content_diagnostics) = capcat::content::load(&config.content_dir(), &config.root);
    let targets = capcat::pipeline::scan_targets(&content);
    let options = ScanOptions {
        verbose: cli.verbose,
        progress: !cli.quiet,
        no_cache: args.no_cache,
    };
    let started = Instant::now();
    let out = capcat::scan::scan_with(&config, &targets, &options, true);
    let elapsed = started.elapsed();
    let format = match args.format {
        ScanFormatArg::Text => ScanFormat::Text,
        ScanFormatArg::Json => ScanFormat::Json,
    };
    print_out(&report::render(&out, format));
    let mut diagnostics = Diagnostics::new();
    diagnostics.extend(content_diagnostics);
    diagnostics.extend(out.diagnostics);
    diagnostics.extend(out.unknown_markers);
    diagnostics.relativize(&config.root);
    diagnostics.sort();
    print_diagnostics(diagnostics.iter(), cli.quiet);
    if cli.verbose {
        let s = &out.stats;
        print_err(&format!(
            "scanned {} files in {:.3}s: {} read ({} bytes), {} parsed, {} from the cache; {}",
            s.files,
            elapsed.as_secs_f64(),
            s.read,
            s.bytes,
            s.parsed,
            s.cached,
            out.skipped
        ));
    }
    ExitCode::SUCCESS
}
