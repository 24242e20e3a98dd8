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
    let (diagnostics, code) = match pipeline::check(&opts) {
        Ok(d) => {
            let code = if d.fails(args.common.strict) {
                FAILED
            } else {
                0
            };
            (d, code)
        }
        Err(BuildError::Usage(ds)) => {
            let mut d = Diagnostics::new();
            d.extend(ds);
            (d, USAGE)
        }
        Err(BuildError::Failed(d)) => (d, FAILED),
    };
    print(&diagnostics, args.format, cli.quiet);
    ExitCode::from(code)
}

/// Every format shows every diagnostic, configuration errors included.
fn print(diagnostics: &Diagnostics, format: Format, quiet: bool) {
    match format {
        Format::Text => {
            print_diagnostics(diagnostics.iter(), quiet);
            if !quiet {
                print_err(&format!("checked: {}", summary(diagnostics)));
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
