//! Command-line arguments (README, "Usage"). Parsing only: the commands in
//! [`crate::cmd`] run them.

use capcat::model::Audience;
use capcat::pipeline::BuildOptions;
use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

/// capcat builds a capability catalog: a static, searchable site saying what
/// the product supports today and what is coming, from its code and its Jira.
#[derive(Debug, Parser)]
#[command(name = "capcat", version, about, long_about = None, propagate_version = true)]
pub struct Cli {
    /// Show detail (skipped files, timings).
    #[arg(short, long, global = true, conflicts_with = "quiet")]
    pub verbose: bool,
    /// Print errors only.
    #[arg(short, long, global = true)]
    pub quiet: bool,
    /// The command to run.
    #[command(subcommand)]
    pub command: Command,
}

/// The verbs.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Scaffold catalog.toml, content/ and a CI workflow (never overwrites a file).
    Init {
        /// Folder to create the catalog in.
        #[arg(default_value = ".")]
        dir: PathBuf,
    },
    /// Build the site into the output folder (swapped in atomically).
    Build(BuildArgs),
    /// Check the catalog without writing anything.
    Check(CheckArgs),
    /// Print the code evidence found: markers, matched definitions, routes,
    /// GraphQL operations and feature flags, with file:line (for writing matchers).
    Scan(ScanArgs),
    /// Fetch issues from the Jira REST API (`capcat jira pull`).
    Jira {
        /// What to do with Jira.
        #[command(subcommand)]
        command: JiraCommand,
    },
    /// Answer a question from the terminal, ranked exactly like the site's search.
    Ask(AskArgs),
    /// Say what changed between two catalog.json files (or URLs): shipped,
    /// slipped, renamed, added, removed … Prints nothing when nothing changed.
    Diff(DiffArgs),
    /// Build the site into memory, serve it on 127.0.0.1, rebuild on every edit and reload open pages.
    ///
    /// Watches catalog.toml, content/, themes/, the code roots and the Jira
    /// files; an edit rebuilds only what it changed (a Markdown edit never
    /// scans; a code edit parses the changed files only). Jira is read from
    /// its files, never from the network. A build error shows in the browser
    /// over the last good site until an edit fixes it. Nothing is written
    /// but the scan cache. Exit codes: 0 stopped with Ctrl-C, 2 cannot start
    /// (no catalog.toml, port in use).
    Serve(ServeArgs),
}

/// `capcat serve` options.
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Path to catalog.toml.
    #[arg(long, default_value = "catalog.toml")]
    pub config: PathBuf,
    /// Which readers: internal (everything) or public (default: [site] audience).
    #[arg(long, value_enum)]
    pub audience: Option<AudienceArg>,
    /// Port to listen on (0: any free port; the URL printed says which).
    #[arg(short, long, default_value_t = 1111)]
    pub port: u16,
    /// Address to listen on; anything but a loopback address shares the
    /// site (internal data included) with the network.
    #[arg(long, default_value = "127.0.0.1")]
    pub bind: std::net::IpAddr,
    /// Open the site in the default browser once it is built.
    #[arg(long)]
    pub open: bool,
    /// Look for changes by polling every 0.5 s instead of file-system events
    /// (for network, container and WSL filesystems that send none).
    #[arg(long)]
    pub poll: bool,
}

/// `capcat diff` options.
#[derive(Debug, Args)]
pub struct DiffArgs {
    /// The earlier catalog.json: a file or an http(s) URL (a URL answering 404 counts as an empty catalog).
    pub old: String,
    /// The later catalog.json: a file or an http(s) URL.
    pub new: String,
    /// Output: text (one line per change), json (the changes as catalog.json history entries) or markdown (a table for a pull request).
    #[arg(long, value_enum, default_value_t = DiffFormat::Text)]
    pub format: DiffFormat,
    /// Seconds to wait for a URL (each of two attempts).
    #[arg(long, default_value_t = 20, value_parser = clap::value_parser!(u64).range(1..))]
    pub timeout: u64,
}

/// `--format` values of `diff`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DiffFormat {
    /// One aligned line per change.
    Text,
    /// A JSON array of `{"date", "id", "kind", "from", "to", "detail"}`.
    Json,
    /// A Markdown table: capability, change, before → after, why.
    Markdown,
}

/// `capcat scan` options.
#[derive(Debug, Args)]
pub struct ScanArgs {
    /// Path to catalog.toml.
    #[arg(long, default_value = "catalog.toml")]
    pub config: PathBuf,
    /// Output: text (sections per kind) or json (one document).
    #[arg(long, value_enum, default_value_t = ScanFormatArg::Text)]
    pub format: ScanFormatArg,
    /// Ignore the scan cache and read every file again.
    #[arg(long)]
    pub no_cache: bool,
}

/// `--format` values of `scan`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ScanFormatArg {
    /// Aligned sections: markers, definitions, routes, GraphQL, flags, evidence.
    Text,
    /// One JSON document with the inventory and the evidence by capability.
    Json,
}

/// `capcat jira …`
#[derive(Debug, Subcommand)]
pub enum JiraCommand {
    /// Fetch the issues of [jira.api] jql from the Jira REST API into a JSON snapshot.
    ///
    /// Jira Cloud (flavor = "cloud") is read through /rest/api/3/search/jql with
    /// basic auth: your account email in the variable named by user_env
    /// (default JIRA_USER) and an API token in the one named by token_env
    /// (default JIRA_TOKEN). Data Center (flavor = "datacenter") is read through
    /// /rest/api/2/search with a personal access token in token_env. Tokens are
    /// read from the environment only and never printed. The snapshot is what
    /// `capcat build --offline` reads; the write is atomic, so a failed pull
    /// keeps the previous snapshot. Exit codes: 0 pulled, 1 Jira or the network
    /// failed, 2 configuration or usage error.
    Pull(PullArgs),
}

/// `capcat jira pull` options.
#[derive(Debug, Args)]
pub struct PullArgs {
    /// Path to catalog.toml.
    #[arg(long, default_value = "catalog.toml")]
    pub config: PathBuf,
    /// Where to write the snapshot (default: [jira.api] snapshot, relative to catalog.toml).
    #[arg(long)]
    pub out: Option<PathBuf>,
}

/// `capcat ask` options.
#[derive(Debug, Args)]
pub struct AskArgs {
    /// The question, in plain words: "can we export reports to CSV?"
    pub question: String,
    /// Print `{"query", "confident", "results": [{"id", "title", "status", "answer", "url", "score", "match"}, …]}`, best first.
    #[arg(long)]
    pub json: bool,
    /// How many results to show.
    #[arg(long, default_value_t = 5, value_parser = clap::value_parser!(u16).range(1..))]
    pub limit: u16,
    /// Path to catalog.toml.
    #[arg(long, default_value = "catalog.toml")]
    pub config: PathBuf,
    /// Whose answers: internal (everything) or public (only `public: true`; default: [site] audience).
    #[arg(long, value_enum)]
    pub audience: Option<AudienceArg>,
    /// Use the last Jira snapshot instead of calling the Jira API.
    #[arg(long)]
    pub offline: bool,
}

/// Options shared by build and check.
#[derive(Debug, Args)]
pub struct CommonArgs {
    /// Path to catalog.toml.
    #[arg(long, default_value = "catalog.toml")]
    pub config: PathBuf,
    /// Which readers: internal (everything) or public (only `public: true`, no internal fields).
    #[arg(long, value_enum)]
    pub audience: Option<AudienceArg>,
    /// Fail on warnings too (exit 1).
    #[arg(long)]
    pub strict: bool,
    /// Use the last Jira snapshot instead of calling the Jira API.
    #[arg(long)]
    pub offline: bool,
    /// Commit that evidence links point at (default: git's HEAD).
    #[arg(long)]
    pub commit: Option<String>,
    /// The previously published catalog.json of the same audience (file or
    /// http(s) URL): feeds the history and the permalink guard (default: [history] baseline).
    #[arg(long, value_name = "FILE|URL")]
    pub baseline: Option<String>,
}

/// `capcat build` options.
#[derive(Debug, Args)]
pub struct BuildArgs {
    /// Shared options.
    #[command(flatten)]
    pub common: CommonArgs,
    /// Output folder (default: [site] output_dir).
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Absolute base URL for links, sitemap and previews (overrides [site] base_url).
    #[arg(long)]
    pub base_url: Option<String>,
}

/// `capcat check` options.
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Shared options.
    #[command(flatten)]
    pub common: CommonArgs,
    /// How to print diagnostics.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

/// `--audience` values.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum AudienceArg {
    /// Everything.
    Internal,
    /// Public capabilities only, no internal fields.
    Public,
}

impl From<AudienceArg> for Audience {
    fn from(a: AudienceArg) -> Audience {
        match a {
            AudienceArg::Internal => Audience::Internal,
            AudienceArg::Public => Audience::Public,
        }
    }
}

impl Cli {
    /// Pipeline options from the shared arguments and the global flags.
    pub fn options(&self, common: &CommonArgs) -> BuildOptions {
        BuildOptions {
            config_path: common.config.clone(),
            audience: common.audience.map(Audience::from),
            strict: common.strict,
            offline: common.offline,
            commit: common.commit.clone(),
            baseline: common.baseline.clone(),
            verbose: self.verbose,
            quiet: self.quiet,
            ..BuildOptions::default()
        }
    }
}

/// `--format` values of `check`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// `file:line:col: error: message` lines.
    Text,
    /// A JSON array of diagnostics.
    Json,
    /// GitHub Actions `::error file=…` annotations.
    Github,
}
