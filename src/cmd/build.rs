//! `capcat build`: build the site into the output folder.

use super::{fail, print_diagnostics, print_err, summary};
use crate::cli::{BuildArgs, Cli};
use capcat::pipeline;
use std::process::ExitCode;

/// Builds, reports what was written, and gives the exit code.
pub fn run(args: &BuildArgs, cli: &Cli) -> ExitCode {
    let mut opts = cli.options(&args.common);
    opts.out = args.out.clone();
    opts.base_url = args.base_url.clone();
    match pipeline::build(&opts) {
        Ok(report) => {
            print_diagnostics(report.diagnostics.iter(), cli.quiet);
            if !cli.quiet {
                let line = if report.unchanged {
                    format!(
                        "nothing to build: {} already holds the site of these inputs ({} capabilities, {} audience, {} files); checked in {:.2}s; {}",
                        report.out.display(),
                        report.capabilities,
                        report.audience.as_str(),
                        report.files,
                        report.elapsed.as_secs_f64(),
                        summary(&report.diagnostics)
                    )
                } else {
                    format!(
                        "built {} capabilities ({} audience), {} files into {} in {:.2}s; {}",
                        report.capabilities,
                        report.audience.as_str(),
                        report.files,
                        report.out.display(),
                        report.elapsed.as_secs_f64(),
                        summary(&report.diagnostics)
                    )
                };
                print_err(&line);
            }
            ExitCode::SUCCESS
        }
        Err(e) => fail(e, cli.quiet),
    }
}
