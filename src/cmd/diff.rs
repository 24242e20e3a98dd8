//! `capcat diff OLD NEW`: what changed between two catalog.json files or
//! URLs, as text, JSON or a Markdown table for a pull request. Prints
//! nothing (JSON: `[]`) when nothing changed; exit 0 either way.

use super::{USAGE, print_diagnostics, print_err, print_out};
use crate::cli::{Cli, DiffArgs, DiffFormat};
use capcat::diagnostics::Diagnostic;
use capcat::history::baseline::{self, Baseline};
use capcat::history::words::{ReportFormat, report};
use capcat::model::CatalogDoc;
use std::path::Path;
use std::process::ExitCode;
use std::time::Duration;

/// Compares, prints in the asked format, and gives the exit code.
pub fn run(args: &DiffArgs, cli: &Cli) -> ExitCode {
    match compare(args, cli.quiet) {
        Ok(text) => {
            print_out(&text);
            ExitCode::SUCCESS
        }
        Err(d) => {
            print_diagnostics([&d], false);
            ExitCode::from(USAGE)
        }
    }
}

fn compare(args: &DiffArgs, quiet: bool) -> Result<String, Diagnostic> {
    let timeout = Duration::from_secs(args.timeout);
    let new = match baseline::load(&args.new, Path::new(""), timeout)? {
        Baseline::Loaded(doc) => *doc,
        Baseline::FirstPublish => {
            return Err(Diagnostic::error(
                None,
                format!("NEW {} answered 404", capcat::net::redact(&args.new)),
            )
            .with_hint(
                "NEW is the catalog.json of the build to compare: build first, then pass its file",
            ));
        }
    };
    let old = match baseline::load(&args.old, Path::new(""), timeout)? {
        Baseline::Loaded(doc) => *doc,
        Baseline::FirstPublish => {
            if !quiet {
                print_err(&format!(
                    "notice: no catalog.json at {} yet (404): first publish, every capability is new",
                    capcat::net::redact(&args.old)
                ));
            }
            empty_like(&new)
        }
    };
    baseline::check_audience(&old, new.site.audience, &args.old)?;
    let changes = capcat::history::changes(&old, &new, new.built.date);
    Ok(match args.format {
        DiffFormat::Text => report(&changes, &old, &new, ReportFormat::Text),
        DiffFormat::Markdown => report(&changes, &old, &new, ReportFormat::Markdown),
        DiffFormat::Json => {
            let json = serde_json::to_string_pretty(&changes).expect("changes serialize");
            format!("{json}\n")
        }
    })
}

/// A catalog with nothing in it, standing for what was published before the
/// first publish.
fn empty_like(new: &CatalogDoc) -> CatalogDoc {
    CatalogDoc {
        capabilities: Vec::new(),
        history: Vec::new(),
        ..new.clone()
    }
}
