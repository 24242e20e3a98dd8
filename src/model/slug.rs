//! Slugs: capability ids, former ids and the URL parts of category names.

/// True for `[a-z0-9][a-z0-9-]*`, the form of a capability id.
pub fn is_slug(s: &str) -> bool {
    let mut chars = s.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

/// Lowercase ASCII slug: letters and digits, runs of anything else become `-`.
pub fn slugify(text: &str) -> String {
    let folded: String = unicode_normalization::UnicodeNormalization::nfkd(text)
        .filter(|c| c.is_ascii())
        .collect();
    let mut slug = String::new();
    for ch in folded.chars() {
        if ch.is_ascii_alphanumeric() {
            slug.push(ch.to_ascii_lowercase());
        } else if !slug.ends_with('-') && !slug.is_empty() {
            slug.push('-');
        }
    }
    let slug = slug.trim_end_matches('-').to_string();
    if slug.is_empty() { "x".into() } else { slug }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs() {
        assert_eq!(slugify("Security & access"), "security-access");
        assert_eq!(slugify("Paiements éclair"), "paiements-eclair");
        assert_eq!(slugify("  --  "), "x");
        assert!(is_slug("sso-saml") && is_slug("2fa"));
        assert!(!is_slug("SSO") && !is_slug("-x") && !is_slug(""));
    }
}
