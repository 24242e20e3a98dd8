//! The baseline: the previously published catalog.json of the same
//! audience, read from a file or fetched from a URL (docs/history.md,
//! "Baselines"). A URL answering 404 is a first publish; every other
//! failure is an error, so a network fault never switches the permalink
//! guard off silently.

use crate::diagnostics::Diagnostic;
use crate::model::{Audience, CatalogDoc, DocError};
use crate::net::{error_chain, redact};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// A catalog.json larger than this is refused rather than read into memory.
const MAX_BYTES: u64 = 256 * 1024 * 1024;

/// Pause before the one retry of a URL.
const RETRY_PAUSE: Duration = Duration::from_millis(500);

/// What a baseline source gave.
#[derive(Debug, Clone, PartialEq)]
pub enum Baseline {
    /// The published catalog.
    Loaded(Box<CatalogDoc>),
    /// The URL answered 404: nothing is published yet.
    FirstPublish,
}

/// True when `source` is an http(s) URL rather than a file.
pub fn is_url(source: &str) -> bool {
    source.starts_with("https://") || source.starts_with("http://")
}

/// Reads `source`: a URL (fetched with `timeout` per attempt and one retry)
/// or a file path relative to `base`. The error diagnostic says what went
/// wrong and what to do; it is always a usage error (exit 2).
pub fn load(source: &str, base: &Path, timeout: Duration) -> Result<Baseline, Diagnostic> {
    if is_url(source) {
        fetch(source, timeout)
    } else {
        let path = base.join(source);
        let bytes = std::fs::read(&path).map_err(|e| {
            Diagnostic::error(path.clone(), format!("cannot read the baseline: {e}")).with_hint(
                "pass the catalog.json of the last published build, as a file or an http(s) URL",
            )
        })?;
        parse(&bytes, &path.display().to_string(), Some(path))
            .map(|doc| Baseline::Loaded(Box::new(doc)))
    }
}

/// Refuses a baseline written for another audience: its history and ids
/// are not this build's to compare with (and an internal one would leak).
pub fn check_audience(
    doc: &CatalogDoc,
    audience: Audience,
    source: &str,
) -> Result<(), Diagnostic> {
    if doc.site.audience == audience {
        return Ok(());
    }
    Err(Diagnostic::error(
        None,
        format!(
            "the baseline {} is the {} catalog, but this build is {}",
            redact(source),
            doc.site.audience.as_str(),
            audience.as_str()
        ),
    )
    .with_hint(format!(
        "pass the catalog.json published for the {} audience (in catalog.toml, `{{audience}}` in [history] baseline picks it)",
        audience.as_str()
    )))
}

/// Reads catalog.json bytes, naming `what` in the error.
fn parse(bytes: &[u8], what: &str, file: Option<PathBuf>) -> Result<CatalogDoc, Diagnostic> {
    CatalogDoc::from_json(bytes).map_err(|e| {
        let looks_html = bytes.trim_ascii_start().starts_with(b"<");
        let (message, hint) = match &e {
            DocError::NewerSchema { .. } => (
                format!("the baseline {what}: {e}"),
                "install a capcat at least as new as the one that published the site".to_string(),
            ),
            DocError::Shape { .. } if looks_html => (
                format!("the baseline {what} is an HTML page, not a catalog.json"),
                "point the baseline at the site's catalog.json (https://…/catalog.json), not at a page"
                    .to_string(),
            ),
            DocError::Shape { .. } => (
                format!("the baseline {what} is {e}"),
                "point the baseline at the catalog.json a capcat build published".to_string(),
            ),
        };
        Diagnostic::error(file, message).with_hint(hint)
    })
}

/// Fetches a URL: 200 is the catalog, 404 a first publish; server errors,
/// timeouts and network errors are retried once, then fail.
fn fetch(url: &str, timeout: Duration) -> Result<Baseline, Diagnostic> {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let shown = redact(url);
    let client = reqwest::blocking::Client::builder()
        .timeout(timeout)
        .connect_timeout(timeout)
        .user_agent(concat!("capcat/", env!("CARGO_PKG_VERSION")))
        .build()
        .map_err(|e| {
            failure(
                format!("cannot set up the HTTP client: {e}"),
                "check the TLS setup of this machine",
            )
        })?;
    let mut last = None;
    for attempt in 0..2 {
        if attempt > 0 {
            std::thread::sleep(RETRY_PAUSE);
        }
        match attempt_once(&client, url, &shown, timeout) {
            Attempt::Done(result) => return result,
            Attempt::Retry(error) => last = Some(error),
        }
    }
    Err(last.expect("two attempts were made"))
}

enum Attempt {
    Done(Result<Baseline, Diagnostic>),
    Retry(Diagnostic),
}

fn attempt_once(
    client: &reqwest::blocking::Client,
    url: &str,
    shown: &str,
    timeout: Duration,
) -> Attempt {
    let response = match client.get(url).send() {
        Ok(r) => r,
        Err(e) => return Attempt::Retry(network_error(&e, shown, timeout)),
    };
    let status = response.status().as_u16();
    match status {
        200 => Attempt::Done(read_body(response, shown, timeout)),
        404 => Attempt::Done(Ok(Baseline::FirstPublish)),
        500..=599 => Attempt::Retry(failure(
            format!("the baseline {shown} answered {status} (server error), twice"),
            "the published site is not answering: retry the job when it is back; without a baseline the permalink guard cannot run",
        )),
        _ => Attempt::Done(Err(failure(
            format!("the baseline {shown} answered {status}"),
            "pass the public URL of the published catalog.json, or download it first and pass the file",
        ))),
    }
}

fn read_body(
    response: reqwest::blocking::Response,
    shown: &str,
    timeout: Duration,
) -> Result<Baseline, Diagnostic> {
    let mut bytes = Vec::new();
    response
        .take(MAX_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| {
            failure(
                format!(
                    "reading the baseline {shown} failed (timeout {} s): {e}",
                    timeout.as_secs_f32()
                ),
                "the connection was cut: retry",
            )
        })?;
    if bytes.len() as u64 > MAX_BYTES {
        return Err(failure(
            format!(
                "the baseline {shown} is larger than {} MiB",
                MAX_BYTES >> 20
            ),
            "point the baseline at the site's catalog.json",
        ));
    }
    parse(&bytes, shown, None).map(|doc| Baseline::Loaded(Box::new(doc)))
}

fn network_error(e: &reqwest::Error, shown: &str, timeout: Duration) -> Diagnostic {
    if e.is_timeout() {
        failure(
            format!(
                "no answer from the baseline {shown} within {} s, twice",
                timeout.as_secs_f32()
            ),
            "check the URL and the network; raise [history] timeout_secs for a slow server",
        )
    } else if e.is_connect() {
        failure(
            format!("cannot connect to the baseline {shown}: {}", error_chain(e)),
            "check the URL (host name, port), the network and any proxy (HTTPS_PROXY)",
        )
    } else {
        failure(
            format!("fetching the baseline {shown} failed: {}", error_chain(e)),
            "check the URL and the network, then retry",
        )
    }
}

fn failure(message: String, hint: &str) -> Diagnostic {
    Diagnostic::error(None, message).with_hint(hint)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_and_files() {
        assert!(is_url("https://catalog.example.com/catalog.json"));
        assert!(!is_url("public/catalog.json"));
        assert_eq!(
            redact("https://me:secret@host.example/catalog.json"),
            "https://host.example/catalog.json"
        );
        let e = load(
            "missing.json",
            Path::new("/nonexistent"),
            Duration::from_secs(1),
        )
        .unwrap_err();
        assert!(e.message.starts_with("cannot read the baseline"), "{e}");
    }

    #[test]
    fn html_is_not_a_catalog() {
        let e = parse(b"<!doctype html><html>", "x", None).unwrap_err();
        assert!(e.message.contains("HTML page"), "{e}");
    }
}
