//! One thin file per command: each turns parsed arguments into a call of the
//! library ([`capcat::pipeline`] and the stages) and prints the result.
//! Shared here: printing diagnostics and writing to a stdout that may close.

mod ask;
mod build;
mod check;
mod diff;
mod init;
mod jira;
mod scan;
mod serve;

use crate::cli::{Cli, Command, JiraCommand};
use capcat::diagnostics::{Diagnostic, Diagnostics, Severity};
use capcat::pipeline::BuildError;
use std::io::Write;
use std::process::ExitCode;

/// Runs the command `cli` names.
pub fn run(cli: &Cli) -> ExitCode {
    match &cli.command {
        Command::Init { dir } => init::run(dir, cli),
        Command::Build(args) => build::run(args, cli),
        Command::Check(args) => check::run(args, cli),
        Command::Scan(args) => scan::run(args, cli),
        Command::Jira {
            command: JiraCommand::Pull(args),
        } => jira::pull(args, cli),
        Command::Ask(args) => ask::run(args, cli),
        Command::Diff(args) => diff::run(args, cli),
        Command::Serve(args) => serve::run(args, cli),
    }
}

/// Exit code 1: the catalog has errors (or warnings under `--strict`).
const FAILED: u8 = 1;
/// Exit code 2: usage or configuration error.
const USAGE: u8 = 2;

/// Writes `text` to stdout. A closed pipe (`capcat ask sso | head -1`)
/// ends the program quietly with success, as ripgrep does.
fn print_out(text: &str) {
    let mut out = std::io::stdout().lock();
    if let Err(e) = out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        if e.kind() == std::io::ErrorKind::BrokenPipe {
            std::process::exit(0);
        }
        let _ = writeln!(std::io::stderr(), "error: cannot write the output: {e}");
        std::process::exit(i32::from(USAGE));
    }
}

/// Writes one line to stderr; a closed stderr is not worth a panic.
fn print_err(line: &str) {
    let _ = writeln!(std::io::stderr(), "{line}");
}

/// Prints diagnostics on stderr; with `quiet`, errors only. They go out in
/// large writes: a catalog can have thousands of warnings.
fn print_diagnostics<'a>(diagnostics: impl IntoIterator<Item = &'a Diagnostic>, quiet: bool) {
    let mut err = std::io::BufWriter::with_capacity(1 << 16, std::io::stderr().lock());
    for d in diagnostics {
        if !quiet || d.severity == Severity::Error {
            let _ = writeln!(err, "{d}");
        }
    }
    let _ = err.flush();
}

/// `2 error(s), 1 warning(s)`.
fn summary(d: &Diagnostics) -> String {
    format!(
        "{} error(s), {} warning(s)",
        d.error_count(),
        d.warning_count()
    )
}

/// Reports a pipeline failure and gives its exit code.
fn fail(error: BuildError, quiet: bool) -> ExitCode {
    match error {
        BuildError::Usage(ds) => {
            print_diagnostics(&ds, false);
            ExitCode::from(USAGE)
        }
        BuildError::Failed(ds) => {
            print_diagnostics(ds.iter(), quiet);
            print_err(&format!("build failed: {}", summary(&ds)));
            ExitCode::from(FAILED)
        }
    }
}
