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

/// mimalloc's `mi_option_purge_delay`: its place in `mi_option_t` (v3's
/// `mimalloc.h`), which `libmimalloc-sys` does not name.
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// Tells mimalloc to keep the memory a stage frees instead of handing it
/// back to the kernel after a second: the next stage then reuses pages
/// already mapped rather than faulting in fresh ones the kernel must zero
/// (on a virtual machine, a fifth of a clean build's CPU went to zeroing:
/// docs/performance.md, "Clean builds"). A build is short and its peak is
/// what it needs; `serve` keeps that peak between rebuilds.
fn keep_freed_memory() {
    // SAFETY: sets one integer option, which mimalloc reads atomically;
    // -1 ("never purge") is a documented value.
    unsafe { libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, -1) }
}

fn main() -> ExitCode {
    keep_freed_memory();
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

#[cfg(test)]
mod tests {
    use libmimalloc_sys::mi_option_get;

    #[test]
    fn the_option_set_is_mimallocs_purge_delay() {
        let delay = || unsafe { mi_option_get(super::MI_OPTION_PURGE_DELAY) };
        // 1000 ms is v3's default purge delay, and no other option's default.
        assert_eq!(delay(), 1000, "mimalloc's options moved: see mimalloc.h");
        super::keep_freed_memory();
        assert_eq!(delay(), -1);
    }
}
