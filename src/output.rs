//! Atomic write of the rendered site (SPEC §9).

/// One file of the rendered site, held in memory until the atomic swap.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct OutputFile {
    /// Path relative to the output folder, `/`-separated, no leading slash
    /// (`capabilities/sso-saml/index.html`).
    pub path: String,
    /// File content.
    pub bytes: Vec<u8>,
}

impl OutputFile {
    /// A file from text.
    pub fn text(path: impl Into<String>, text: impl Into<String>) -> Self {
        OutputFile {
            path: path.into(),
            bytes: text.into().into_bytes(),
        }
    }
}
