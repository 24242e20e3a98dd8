//! Marker comments: `capability: <id>[, <id>…] [(beta)]`.

/// One marker found in a comment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Marker {
    /// Byte offset of the prefix within the comment text.
    pub offset: usize,
    /// The ids, in the order written.
    pub ids: Vec<String>,
    /// `(beta)` followed the ids.
    pub beta: bool,
}

/// Every marker in `comment` with the given prefix (e.g. `capability:`).
///
/// The prefix must start a word (so `mycapability:` is not a marker) and be
/// followed by at least one id `[a-z0-9][a-z0-9-]*`.
pub fn find(comment: &str, prefix: &str) -> Vec<Marker> {
    let mut out = Vec::new();
    if prefix.is_empty() {
        return out;
    }
    let mut from = 0;
    while let Some(pos) = comment[from..].find(prefix) {
        let at = from + pos;
        from = at + prefix.len();
        let word_start = comment[..at]
            .chars()
            .next_back()
            .is_none_or(|c| !c.is_alphanumeric() && c != '_' && c != '-');
        if !word_start {
            continue;
        }
        let (ids, beta) = parse_ids(&comment[from..]);
        if !ids.is_empty() {
            out.push(Marker {
                offset: at,
                ids,
                beta,
            });
        }
    }
    out
}

/// Parses `a, b-c (beta)` up to the end of the line.
fn parse_ids(rest: &str) -> (Vec<String>, bool) {
    let line = rest.lines().next().unwrap_or("");
    let mut ids = Vec::new();
    let mut beta = false;
    let mut s = line.trim_start();
    loop {
        let len = s
            .bytes()
            .take_while(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || *b == b'-')
            .count();
        let id = s[..len].trim_end_matches('-');
        if id.is_empty() || id.starts_with('-') {
            break;
        }
        ids.push(id.to_string());
        s = s[len..].trim_start();
        if let Some(after) = s.strip_prefix(',') {
            s = after.trim_start();
            continue;
        }
        if s.to_ascii_lowercase().starts_with("(beta)") {
            beta = true;
        }
        break;
    }
    (ids, beta)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_ids_and_beta() {
        let m = find("// capability: sso-saml, audit-log (beta)", "capability:");
        assert_eq!(m.len(), 1);
        assert_eq!(m[0].ids, ["sso-saml", "audit-log"]);
        assert!(m[0].beta);
        assert_eq!(m[0].offset, 3);
    }

    #[test]
    fn requires_word_start_and_an_id() {
        assert!(find("# mycapability: x", "capability:").is_empty());
        assert!(find("# capability: ", "capability:").is_empty());
        assert!(find("# capability: Uppercase", "capability:").is_empty());
        let two = find("/* capability: a\n * capability: b */", "capability:");
        assert_eq!(two.len(), 2);
        assert_eq!(two[1].ids, ["b"]);
        assert!(!two[0].beta);
    }

    #[test]
    fn custom_prefix() {
        let m = find("# cap=billing", "cap=");
        assert_eq!(m[0].ids, ["billing"]);
    }
}
