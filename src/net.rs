//! What every HTTP client of capcat shares (the Jira pull, baselines by
//! URL): URLs fit for messages, and errors told in full.

/// `url` without `user:password@`, so it can be printed or written.
pub fn redact(url: &str) -> String {
    match url.split_once("://") {
        Some((scheme, rest)) => {
            let host_end = rest.find('/').unwrap_or(rest.len());
            match rest[..host_end].rsplit_once('@') {
                Some((_, host)) => format!("{scheme}://{host}{}", &rest[host_end..]),
                None => url.to_string(),
            }
        }
        None => url.to_string(),
    }
}

/// An error and every error below it, joined with `: `, repeats dropped
/// (HTTP clients often wrap an error in one that says the same).
pub fn error_chain(e: &dyn std::error::Error) -> String {
    let mut parts = vec![e.to_string()];
    let mut source = e.source();
    while let Some(s) = source {
        parts.push(s.to_string());
        source = s.source();
    }
    parts.dedup();
    parts.join(": ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn credentials_never_reach_a_message() {
        assert_eq!(
            redact("https://me:secret@host.example/catalog.json"),
            "https://host.example/catalog.json"
        );
        assert_eq!(redact("https://x.example"), "https://x.example");
        assert_eq!(redact("not a url"), "not a url");
    }

    #[derive(Debug)]
    struct Wrap(&'static str, Option<Box<Wrap>>);

    impl std::fmt::Display for Wrap {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str(self.0)
        }
    }

    impl std::error::Error for Wrap {
        fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
            self.1.as_deref().map(|w| w as _)
        }
    }

    #[test]
    fn chains_are_told_in_full_repeats_once() {
        let e = Wrap(
            "request failed",
            Some(Box::new(Wrap(
                "connect",
                Some(Box::new(Wrap(
                    "connect",
                    Some(Box::new(Wrap("refused", None))),
                ))),
            ))),
        );
        assert_eq!(error_chain(&e), "request failed: connect: refused");
    }
}
