//! `capcat check`: every diagnostic of the catalog, as text, JSON or GitHub
//! annotations; nothing is written.

use super::{FAILED, USAGE, print_diagnostics, print_err, print_out, summary};
use crate::cli::{CheckArgs, Cli, Format};
use capcat::diagnostics::Diagnostics;
use capcat::pipeline::{self, BuildError};
use std::process::ExitCode;

/// Checks, prints in the asked format, and gives the exit code.
pub fn run(args: &CheckArgs, cli: &Cli) -> ExitCode {
    let opts = cli.options(&args.common);
    let (diagnostics, drift, code) = match pipeline::check_report(&opts) {
        Ok(report) => {
            let code = if report.diagnostics.fails(args.common.strict) {
                FAILED
            } else {
                0
            };
            let drift = drift_summary(&report);
            (report.diagnostics, drift, code)
        }
        Err(BuildError::Usage(ds)) => {
            let mut d = Diagnostics::new();
            d.extend(ds);
            (d, String::new(), USAGE)
        }
        Err(BuildError::Failed(d)) => (d, String::new(), FAILED),
    };
    print(&diagnostics, &drift, args.format, cli.quiet);
    ExitCode::from(code)
}

/// `; drift: 3 items; coverage: 14 of 16 shipped capabilities backed by code (87%)`.
fn drift_summary(report: &pipeline::CheckReport) -> String {
    let mut s = format!("; drift: {} item(s)", report.drift);
    if let Some(c) = report.coverage {
        s.push_str(&format!(
            "; coverage: {} of {} shipped capabilities backed by code ({}%)",
            c.backed, c.shipped, c.percent
        ));
    }
    s
}

/// Every format shows every diagnostic, configuration errors included.
fn print(diagnostics: &Diagnostics, drift: &str, format: Format, quiet: bool) {
    match format {
        Format::Text => {
            print_diagnostics(diagnostics.iter(), quiet);
            if !quiet {
                print_err(&format!("checked: {}{drift}", summary(diagnostics)));
            }
        }
        Format::Json => {
            let json = serde_json::to_string_pretty(diagnostics).unwrap_or_else(|_| "[]".into());
            print_out(&format!("{json}\n"));
        }
        Format::Github => {
            let lines: String = diagnostics
                .iter()
                .map(|d| format!("{}\n", d.github_annotation()))
                .collect();
            print_out(&lines);
        }
    }
}
