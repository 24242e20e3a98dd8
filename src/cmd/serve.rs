//! `capcat serve`: build into memory, serve on localhost, rebuild on every
//! edit (docs/serve.md).

use super::{USAGE, print_err};
use crate::cli::{Cli, ServeArgs};
use capcat::model::Audience;
use capcat::pipeline::BuildOptions;
use capcat::serve::{self, Console, ServeError, ServeOptions};
use std::process::ExitCode;
use std::sync::Arc;

/// Serves until Ctrl-C; exit code 2 when it cannot start.
pub fn run(args: &ServeArgs, cli: &Cli) -> ExitCode {
    let opts = ServeOptions {
        build: BuildOptions {
            config_path: args.config.clone(),
            audience: args.audience.map(Audience::from),
            offline: true,
            verbose: cli.verbose,
            quiet: cli.quiet,
            ..BuildOptions::default()
        },
        bind: args.bind,
        port: args.port,
        open: args.open,
        poll: args.poll,
    };
    let console = Console::new(Arc::new(print_err), cli.quiet, cli.verbose);
    match serve::run(&opts, &console) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            match &e {
                ServeError::Usage(_) => print_err(&e.to_string()),
                _ => print_err(&format!("error: {e}")),
            }
            ExitCode::from(USAGE)
        }
    }
}
