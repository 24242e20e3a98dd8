//! The `capcat` binary: parses arguments and calls the library.

mod cli;

use capcat::build::{self, BuildError, BuildOptions};
use capcat::config::Audience;
use capcat::diagnostics::{Diagnostic, Diagnostics};
use clap::Parser;
use cli::{AudienceArg, Cli, Command, CommonArgs, Format, JiraCommand};
use std::process::ExitCode;

fn main() -> ExitCode {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() {
                ExitCode::from(2)
            } else {
                ExitCode::SUCCESS
            };
        }
    };
    match &cli.command {
        Command::Init { dir } => run_init(dir, &cli),
        Command::Build(args) => run_build(args, &cli),
        Command::Check(args) => run_check(args, &cli),
        Command::Scan(args) => run_scan(args, &cli),
        Command::Jira {
            command: JiraCommand::Pull(args),
        } => run_jira_pull(args, &cli),
        Command::Ask(args) => run_ask(args, &cli),
    }
}

fn options(common: &CommonArgs, cli: &Cli) -> BuildOptions {
    BuildOptions {
        config_path: common.config.clone(),
        audience: common.audience.map(|a| match a {
            AudienceArg::Internal => Audience::Internal,
            AudienceArg::Public => Audience::Public,
        }),
        strict: common.strict,
        offline: common.offline,
        commit: common.commit.clone(),
        verbose: cli.verbose,
        quiet: cli.quiet,
        ..BuildOptions::default()
    }
}

fn print_diagnostics<'a>(diagnostics: impl IntoIterator<Item = &'a Diagnostic>, quiet: bool) {
    for d in diagnostics {
        if quiet && d.severity != capcat::diagnostics::Severity::Error {
            continue;
        }
        eprintln!("{d}");
    }
}

fn summary(d: &Diagnostics) -> String {
    format!(
        "{} error(s), {} warning(s)",
        d.error_count(),
        d.warning_count()
    )
}

fn fail(error: BuildError, quiet: bool) -> ExitCode {
    match error {
        BuildError::Usage(ds) => {
            print_diagnostics(&ds, false);
            ExitCode::from(2)
        }
        BuildError::Failed(ds) => {
            print_diagnostics(ds.iter(), quiet);
            eprintln!("build failed: {}", summary(&ds));
            ExitCode::from(1)
        }
    }
}

fn run_init(dir: &std::path::Path, cli: &Cli) -> ExitCode {
    match capcat::init::init(dir) {
        Ok(report) => {
            if !cli.quiet {
                for p in &report.created {
                    println!("created {}", dir.join(p).display());
                }
                for p in &report.kept {
                    println!(
                        "kept    {} (already exists, not overwritten)",
                        dir.join(p).display()
                    );
                }
                println!("next: cd {} && capcat build", dir.display());
            }
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: cannot create the catalog in {}: {e}", dir.display());
            ExitCode::from(2)
        }
    }
}

fn run_build(args: &cli::BuildArgs, cli: &Cli) -> ExitCode {
    let mut opts = options(&args.common, cli);
    opts.out = args.out.clone();
    opts.base_url = args.base_url.clone();
    match build::build(&opts) {
        Ok(report) => {
            print_diagnostics(report.diagnostics.iter(), cli.quiet);
            if !cli.quiet {
                eprintln!(
                    "built {} capabilities ({} audience), {} files into {} in {:.2}s; {}",
                    report.capabilities,
                    report.audience.as_str(),
                    report.files,
                    report.out.display(),
                    report.elapsed.as_secs_f64(),
                    summary(&report.diagnostics)
                );
            }
            ExitCode::SUCCESS
        }
        Err(e) => fail(e, cli.quiet),
    }
}

fn run_check(args: &cli::CheckArgs, cli: &Cli) -> ExitCode {
    let opts = options(&args.common, cli);
    let diagnostics = match build::check(&opts) {
        Ok(d) => d,
        Err(e) => return fail(e, cli.quiet),
    };
    match args.format {
        Format::Text => {
            print_diagnostics(diagnostics.iter(), cli.quiet);
            if !cli.quiet {
                eprintln!("checked: {}", summary(&diagnostics));
            }
        }
        Format::Json => {
            println!(
                "{}",
                serde_json::to_string_pretty(&diagnostics).unwrap_or_else(|_| "[]".into())
            );
        }
        Format::Github => {
            for d in diagnostics.iter() {
                println!("{}", d.github_annotation());
            }
        }
    }
    if diagnostics.fails(args.common.strict) {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

fn run_scan(args: &cli::ScanArgs, cli: &Cli) -> ExitCode {
    use capcat::scan::inventory::{ScanFormat, scan_command};
    let format = match args.format {
        cli::ScanFormatArg::Text => ScanFormat::Text,
        cli::ScanFormatArg::Json => ScanFormat::Json,
    };
    let options = capcat::scan::ScanOptions {
        verbose: cli.verbose,
        progress: !cli.quiet,
        no_cache: args.no_cache,
    };
    match scan_command(&args.config, format, &options) {
        Ok(out) => {
            print!("{}", out.report);
            print_diagnostics(&out.diagnostics, cli.quiet);
            if cli.verbose {
                let s = &out.stats;
                eprintln!(
                    "scanned {} files in {:.3}s: {} read ({} bytes), {} parsed, {} from the cache",
                    s.files,
                    out.elapsed.as_secs_f64(),
                    s.read,
                    s.bytes,
                    s.parsed,
                    s.cached
                );
            }
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("{}", e.diagnostic);
            ExitCode::from(2)
        }
    }
}

fn print_pull_page(pages: usize, issues: usize) {
    eprintln!("  page {pages}: {issues} issues so far");
}

fn run_jira_pull(args: &cli::PullArgs, cli: &Cli) -> ExitCode {
    let config = match capcat::config::Config::load(&args.config) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("{}", e.diagnostic);
            return ExitCode::from(2);
        }
    };
    let options = capcat::jira::api::PullOptions {
        on_page: (!cli.quiet).then_some(print_pull_page as fn(usize, usize)),
        ..Default::default()
    };
    match capcat::jira::api::run_pull(&config, args.out.as_deref(), &options) {
        Ok(summary) => {
            if !cli.quiet {
                eprintln!(
                    "pulled {} issues ({} pages) into {}",
                    summary.issues,
                    summary.pages,
                    summary.path.display()
                );
            }
            ExitCode::SUCCESS
        }
        Err(e) => {
            let code = if e.config { 2 } else { 1 };
            eprintln!("{}", e.into_diagnostic());
            ExitCode::from(code)
        }
    }
}

fn run_ask(args: &cli::AskArgs, cli: &Cli) -> ExitCode {
    let opts = BuildOptions {
        config_path: args.config.clone(),
        audience: args.audience.map(|a| match a {
            AudienceArg::Internal => Audience::Internal,
            AudienceArg::Public => Audience::Public,
        }),
        offline: args.offline,
        verbose: cli.verbose,
        quiet: true,
        ..BuildOptions::default()
    };
    match capcat::search::ask::run(&opts, &args.question, usize::from(args.limit)) {
        Ok((answers, diagnostics)) => {
            if cli.verbose {
                print_diagnostics(diagnostics.iter(), false);
            }
            if args.json {
                println!("{}", capcat::search::ask::to_json(&answers));
            } else {
                print!("{}", capcat::search::ask::to_text(&answers));
            }
            ExitCode::SUCCESS
        }
        Err(e) => fail(e, cli.quiet),
    }
}
