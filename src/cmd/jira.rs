//! `capcat jira pull`: fetch the configured search from the Jira REST API
//! into the snapshot that `build --offline` reads.

use super::{FAILED, USAGE, print_err};
use crate::cli::{Cli, PullArgs};
use capcat::config::Config;
use capcat::jira::api::{PullOptions, run_pull};
use std::process::ExitCode;

fn print_page(pages: usize, issues: usize) {
    print_err(&format!("  page {pages}: {issues} issues so far"));
}

/// Pulls, says where the snapshot went, and gives the exit code: 0 pulled,
/// 1 Jira or the network failed, 2 configuration or usage error.
pub fn pull(args: &PullArgs, cli: &Cli) -> ExitCode {
    let config = match Config::load(&args.config) {
        Ok(c) => c,
        Err(e) => {
            print_err(&e.diagnostic.to_string());
            return ExitCode::from(USAGE);
        }
    };
    let options = PullOptions {
        on_page: (!cli.quiet).then_some(print_page as fn(usize, usize)),
        on_wait: (!cli.quiet).then_some(print_err as fn(&str)),
        ..Default::default()
    };
    match run_pull(&config, args.out.as_deref(), &options) {
        Ok(summary) => {
            if !cli.quiet {
                print_err(&format!(
                    "pulled {} issues ({} pages) into {}",
                    summary.issues,
                    summary.pages,
                    summary.path.display()
                ));
            }
            ExitCode::SUCCESS
        }
        Err(e) => {
            let code = if e.config { USAGE } else { FAILED };
            print_err(&e.into_diagnostic().to_string());
            ExitCode::from(code)
        }
    }
}
