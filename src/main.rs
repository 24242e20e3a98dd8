//! The `capcat` binary: parses arguments and runs one command.

#![warn(missing_docs)]

mod cli;
mod cmd;

use clap::Parser;
use std::process::ExitCode;

// A site build makes and frees millions of small strings on every core;
// mimalloc's per-thread heaps do that with less locking and fewer system
// calls than glibc's arenas (docs/performance.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    // reqwest is built without a default TLS provider: install ring's once.
    let _ = rustls::crypto::ring::default_provider().install_default();
    match cli::Cli::try_parse() {
        Ok(cli) => cmd::run(&cli),
        Err(e) => {
            let _ = e.print();
            if e.use_stderr() {
                ExitCode::from(2)
            } else {
                ExitCode::SUCCESS
            }
        }
    }
}
