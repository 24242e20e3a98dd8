//! The build pipeline: config → content + scan + jira → catalog → view → render → output.

use crate::config::Audience;
use std::path::PathBuf;

/// Options of one build, from the command line.
#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    /// catalog.toml path.
    pub config_path: PathBuf,
    /// Output folder override.
    pub out: Option<PathBuf>,
    /// Audience override.
    pub audience: Option<Audience>,
    /// Base URL override.
    pub base_url: Option<String>,
    /// Warnings fail the build.
    pub strict: bool,
    /// Use the last Jira snapshot instead of the API.
    pub offline: bool,
    /// Commit to link evidence at, instead of asking git.
    pub commit: Option<String>,
    /// Detail on skipped files and the like.
    pub verbose: bool,
    /// Errors only.
    pub quiet: bool,
}
