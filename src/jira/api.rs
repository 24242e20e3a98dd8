//! `capcat jira pull`: fetches the configured search from the Jira REST API
//! and saves it as a JSON snapshot that builds read (docs/jira.md).
//!
//! Cloud uses `GET /rest/api/3/search/jql` (basic auth with email + API token,
//! `nextPageToken`/`isLast`); Data Center uses `GET /rest/api/2/search`
//! (bearer personal access token, `startAt`/`maxResults`/`total`). Requests
//! time out, and 429/503 (and network errors) are retried with exponential
//! backoff and jitter, honouring `Retry-After`. The token is read from the
//! environment only and is never written to output, logs, errors or the
//! snapshot.

use crate::config::{Config, JiraApiConfig, JiraFlavor};
use crate::diagnostics::Diagnostic;
use serde_json::{Map, Value, json};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// Fields every search asks for; custom fields found through `/field` are added.
const FIELDS: &[&str] = &[
    "summary",
    "issuetype",
    "status",
    "resolution",
    "labels",
    "components",
    "fixVersions",
    "duedate",
    "created",
    "updated",
    "resolutiondate",
    "parent",
    "issuelinks",
    "description",
    "comment",
];

/// Knobs of a pull that are not in catalog.toml.
#[derive(Debug, Clone)]
pub struct PullOptions {
    /// Overrides `[jira.api] timeout_secs`.
    pub timeout: Option<Duration>,
    /// First retry delay when the server gives no `Retry-After`; doubles per retry.
    pub backoff_base: Duration,
    /// Issues asked for per page (the server may return fewer).
    pub page_size: u32,
    /// Called after each page with (pages so far, issues so far).
    pub on_page: Option<fn(usize, usize)>,
}

impl Default for PullOptions {
    fn default() -> Self {
        PullOptions {
            timeout: None,
            backoff_base: Duration::from_secs(1),
            page_size: 100,
            on_page: None,
        }
    }
}

/// What a pull fetched.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PullSummary {
    /// Distinct issues saved.
    pub issues: usize,
    /// Search pages fetched.
    pub pages: usize,
    /// Where the snapshot was written.
    pub path: PathBuf,
}

/// Why a pull failed. Messages never contain the token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PullError {
    /// True for configuration problems (exit code 2), false for server or
    /// network failures (exit code 1).
    pub config: bool,
    /// What went wrong.
    pub message: String,
    /// What to do.
    pub hint: String,
    /// The file concerned, if any (catalog.toml or the snapshot).
    pub file: Option<PathBuf>,
}

impl PullError {
    fn config(message: impl Into<String>, hint: impl Into<String>) -> Self {
        PullError {
            config: true,
            message: message.into(),
            hint: hint.into(),
            file: None,
        }
    }

    fn remote(message: impl Into<String>, hint: impl Into<String>) -> Self {
        PullError {
            config: false,
            message: message.into(),
            hint: hint.into(),
            file: None,
        }
    }

    /// As a diagnostic for the build's report.
    pub fn into_diagnostic(self) -> Diagnostic {
        Diagnostic::error(self.file, format!("Jira pull failed: {}", self.message))
            .with_hint(self.hint)
    }
}

impl std::fmt::Display for PullError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}\n  hint: {}", self.message, self.hint)
    }
}

/// `capcat jira pull`: pulls with the catalog's `[jira.api]` settings into
/// `out`, or into `[jira.api] snapshot` resolved against catalog.toml.
pub fn run_pull(
    config: &Config,
    out: Option<&Path>,
    options: &PullOptions,
) -> Result<PullSummary, PullError> {
    let Some(api) = config.jira.as_ref().and_then(|j| j.api.as_ref()) else {
        let mut e = PullError::config(
            "catalog.toml has no [jira.api] table",
            "add [jira.api] with flavor (\"cloud\" or \"datacenter\"), url and jql; see docs/jira.md",
        );
        e.file = Some(config.path.clone());
        return Err(e);
    };
    let out = match out {
        Some(p) => p.to_path_buf(),
        None => config.resolve(&api.snapshot),
    };
    pull(config, api, &out, options)
}

/// Pulls every page of `[jira.api] jql` and writes the snapshot to `out`
/// atomically (a failed pull leaves the previous snapshot untouched).
pub fn pull(
    config: &Config,
    api: &JiraApiConfig,
    out: &Path,
    options: &PullOptions,
) -> Result<PullSummary, PullError> {
    let secrets = Secrets::from_env(api)?;
    let client = Client::new(api, options, &secrets)?;
    let result = client.run(config, api, options).and_then(|snapshot| {
        let pages = snapshot.pages;
        let issues = snapshot.issues.len();
        write_snapshot(out, &snapshot.into_json(api))?;
        Ok(PullSummary {
            issues,
            pages,
            path: out.to_path_buf(),
        })
    });
    result.map_err(|mut e| {
        e.message = secrets.redact(&e.message);
        e.hint = secrets.redact(&e.hint);
        e
    })
}

/// The `as_of` date of a snapshot written by [`pull`], for `--offline` builds.
pub fn snapshot_date(path: &Path) -> Result<String, Diagnostic> {
    let missing = |what: String| {
        Diagnostic::error(path.to_path_buf(), what)
            .with_hint("run `capcat jira pull` (with network access) to write the snapshot, then build with --offline")
    };
    let bytes = std::fs::read(path)
        .map_err(|e| missing(format!("no Jira snapshot to build offline from: {e}")))?;
    let v: Value = serde_json::from_slice(&bytes)
        .map_err(|e| missing(format!("the Jira snapshot is damaged: {e}")))?;
    v.pointer("/capcat_snapshot/as_of")
        .and_then(Value::as_str)
        .map(str::to_string)
        .ok_or_else(|| missing("this file is not a snapshot written by `capcat jira pull` (no capcat_snapshot.as_of)".into()))
}

/// Credentials from the environment, and redaction of them.
struct Secrets {
    user: Option<String>,
    token: String,
}

impl Secrets {
    fn from_env(api: &JiraApiConfig) -> Result<Secrets, PullError> {
        let var = |name: &str| {
            std::env::var(name)
                .ok()
                .map(|v| v.trim().to_string())
                .filter(|v| !v.is_empty())
        };
        let token = var(&api.token_env).ok_or_else(|| {
            PullError::config(
                format!("the environment variable {} is not set", api.token_env),
                match api.flavor {
                    JiraFlavor::Cloud => format!("create an API token at https://id.atlassian.com/manage-profile/security/api-tokens and export it as {}", api.token_env),
                    JiraFlavor::Datacenter => format!("create a personal access token in Jira (Profile → Personal Access Tokens) and export it as {}", api.token_env),
                },
            )
        })?;
        let user = match api.flavor {
            JiraFlavor::Cloud => Some(var(&api.user_env).ok_or_else(|| {
                PullError::config(
                    format!("the environment variable {} is not set", api.user_env),
                    format!("Jira Cloud signs in with email + API token: export your Atlassian account email as {}", api.user_env),
                )
            })?),
            JiraFlavor::Datacenter => None,
        };
        Ok(Secrets { user, token })
    }

    fn redact(&self, text: &str) -> String {
        if self.token.len() >= 4 {
            text.replace(&self.token, "[redacted]")
        } else {
            text.to_string()
        }
    }
}

struct Client<'a> {
    http: reqwest::blocking::Client,
    base: String,
    flavor: JiraFlavor,
    secrets: &'a Secrets,
    max_retries: u32,
    backoff_base: Duration,
    timeout: Duration,
}

/// Everything fetched by one pull.
#[derive(Default)]
struct Snapshot {
    issues: Vec<Value>,
    names: Map<String, Value>,
    pages: usize,
}

impl Snapshot {
    fn into_json(self, api: &JiraApiConfig) -> Value {
        let flavor = match api.flavor {
            JiraFlavor::Cloud => "cloud",
            JiraFlavor::Datacenter => "datacenter",
        };
        json!({
            "capcat_snapshot": {
                "as_of": crate::model::date::iso(crate::model::date::build_date(None)),
                "flavor": flavor,
                "url": strip_userinfo(&api.url),
                "jql": api.jql,
                "issues": self.issues.len(),
            },
            "names": self.names,
            "issues": self.issues,
        })
    }
}

fn strip_userinfo(url: &str) -> String {
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

impl<'a> Client<'a> {
    fn new(
        api: &JiraApiConfig,
        options: &PullOptions,
        secrets: &'a Secrets,
    ) -> Result<Client<'a>, PullError> {
        let base = api.url.trim().trim_end_matches('/').to_string();
        if !(base.starts_with("https://") || base.starts_with("http://")) {
            return Err(PullError::config(
                format!(
                    "[jira.api] url `{}` is not an http(s) URL",
                    strip_userinfo(&base)
                ),
                "write it as https://your-site.atlassian.net (a path prefix such as /jira is allowed)",
            ));
        }
        if strip_userinfo(&base) != base {
            return Err(PullError::config(
                "[jira.api] url carries credentials",
                "remove user:password@ from the URL; credentials come from the environment variables named by user_env and token_env",
            ));
        }
        let _ = rustls::crypto::ring::default_provider().install_default();
        let timeout = options
            .timeout
            .unwrap_or(Duration::from_secs(api.timeout_secs.max(1)));
        let http = reqwest::blocking::Client::builder()
            .timeout(timeout)
            .connect_timeout(timeout)
            .user_agent(concat!("capcat/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| {
                PullError::remote(
                    format!("cannot set up the HTTP client: {e}"),
                    "check the TLS setup of this machine",
                )
            })?;
        Ok(Client {
            http,
            base,
            flavor: api.flavor,
            secrets,
            max_retries: api.max_retries,
            backoff_base: options.backoff_base,
            timeout,
        })
    }

    fn api_path(&self) -> &'static str {
        match self.flavor {
            JiraFlavor::Cloud => "/rest/api/3",
            JiraFlavor::Datacenter => "/rest/api/2",
        }
    }

    fn run(
        &self,
        config: &Config,
        api: &JiraApiConfig,
        options: &PullOptions,
    ) -> Result<Snapshot, PullError> {
        let (custom, mut names) = self.custom_fields(config)?;
        let mut fields: Vec<String> = FIELDS.iter().map(|s| s.to_string()).collect();
        fields.extend(custom);
        let fields = fields.join(",");
        let mut snap = match self.flavor {
            JiraFlavor::Cloud => self.search_cloud(&api.jql, &fields, options)?,
            JiraFlavor::Datacenter => self.search_datacenter(&api.jql, &fields, options)?,
        };
        names.append(&mut snap.names);
        snap.names = names;
        Ok(snap)
    }

    /// Ids of the custom fields capcat reads (account, amount, lost reason,
    /// story points, Epic Link), from `/field`.
    fn custom_fields(
        &self,
        config: &Config,
    ) -> Result<(Vec<String>, Map<String, Value>), PullError> {
        let url = format!("{}{}/field", self.base, self.api_path());
        let list = match self.get_json(&url, &[]) {
            Ok(v) => v,
            Err(Failure::NotFound) => return Ok((Vec::new(), Map::new())),
            Err(Failure::Error(e)) => return Err(e),
        };
        let jira = config.jira.clone().unwrap_or_default();
        let wanted: Vec<String> = [
            jira.account_field,
            jira.amount_field,
            jira.lost_field,
            jira.truth_field,
            "Story Points".into(),
            "Story point estimate".into(),
            "Epic Link".into(),
        ]
        .into_iter()
        .filter(|s| !s.trim().is_empty())
        .map(|s| s.trim().to_lowercase())
        .collect();
        let mut ids = Vec::new();
        let mut names = Map::new();
        for f in list.as_array().into_iter().flatten() {
            let (Some(id), Some(name)) = (
                f.get("id").and_then(Value::as_str),
                f.get("name").and_then(Value::as_str),
            ) else {
                continue;
            };
            if id.starts_with("customfield_") && wanted.contains(&name.trim().to_lowercase()) {
                ids.push(id.to_string());
                names.insert(id.to_string(), Value::String(name.to_string()));
            }
        }
        Ok((ids, names))
    }

    fn search_cloud(
        &self,
        jql: &str,
        fields: &str,
        options: &PullOptions,
    ) -> Result<Snapshot, PullError> {
        let page_size = options.page_size;
        let url = format!("{}/rest/api/3/search/jql", self.base);
        let mut snap = Snapshot::default();
        let mut token: Option<String> = None;
        loop {
            let size = page_size.to_string();
            let mut query = vec![
                ("jql", jql),
                ("fields", fields),
                ("maxResults", size.as_str()),
                ("expand", "names"),
            ];
            if let Some(t) = &token {
                query.push(("nextPageToken", t.as_str()));
            }
            let page = self.get_json(&url, &query).map_err(Failure::into_error)?;
            let issues = page_issues(&page, snap.pages)?;
            snap.absorb(&page, issues);
            report(options, &snap);
            let is_last = page.get("isLast").and_then(Value::as_bool).unwrap_or(false);
            let next = page
                .get("nextPageToken")
                .and_then(Value::as_str)
                .map(str::to_string);
            match next {
                Some(n) if !is_last => {
                    if token.as_deref() == Some(n.as_str()) {
                        return Err(PullError::remote(
                            "the server returned the same nextPageToken twice",
                            "the search cannot advance; try again later or narrow the JQL",
                        ));
                    }
                    token = Some(n);
                }
                _ => break,
            }
        }
        Ok(snap)
    }

    fn search_datacenter(
        &self,
        jql: &str,
        fields: &str,
        options: &PullOptions,
    ) -> Result<Snapshot, PullError> {
        let page_size = options.page_size;
        let url = format!("{}/rest/api/2/search", self.base);
        let mut snap = Snapshot::default();
        let mut start: u64 = 0;
        loop {
            let (start_s, size) = (start.to_string(), page_size.to_string());
            let query = [
                ("jql", jql),
                ("fields", fields),
                ("startAt", start_s.as_str()),
                ("maxResults", size.as_str()),
                ("expand", "names"),
            ];
            let page = self.get_json(&url, &query).map_err(Failure::into_error)?;
            let issues = page_issues(&page, snap.pages)?;
            let got = issues.len() as u64;
            snap.absorb(&page, issues);
            report(options, &snap);
            let total = page.get("total").and_then(Value::as_u64).unwrap_or(0);
            // The server may lower maxResults: advance by what it actually sent.
            start += got;
            if got == 0 || start >= total {
                break;
            }
        }
        Ok(snap)
    }

    /// GET with retries; the body parsed as JSON.
    fn get_json(&self, url: &str, query: &[(&str, &str)]) -> Result<Value, Failure> {
        let mut attempt = 0;
        loop {
            let outcome = self.attempt(url, query);
            let wait = match outcome {
                Attempt::Done(v) => return Ok(v),
                Attempt::Fail(f) => return Err(f),
                Attempt::Retry { error, .. } if attempt >= self.max_retries => {
                    return Err(Failure::Error(error));
                }
                Attempt::Retry { wait, .. } => wait.unwrap_or_else(|| self.backoff(attempt)),
            };
            std::thread::sleep(wait);
            attempt += 1;
        }
    }

    fn backoff(&self, attempt: u32) -> Duration {
        let base = self.backoff_base.saturating_mul(1 << attempt.min(6));
        base.min(Duration::from_secs(60)) + jitter(self.backoff_base)
    }

    fn attempt(&self, url: &str, query: &[(&str, &str)]) -> Attempt {
        let request = self
            .http
            .get(url)
            .query(query)
            .header("Accept", "application/json");
        let request = match &self.secrets.user {
            Some(user) => request.basic_auth(user, Some(&self.secrets.token)),
            None => request.bearer_auth(&self.secrets.token),
        };
        let host = host_of(url);
        let response = match request.send() {
            Ok(r) => r,
            Err(e) => {
                return Attempt::Retry {
                    wait: None,
                    error: self.network_error(&e, &host),
                };
            }
        };
        let status = response.status().as_u16();
        let retry_after = response
            .headers()
            .get("retry-after")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.trim().parse::<u64>().ok())
            .map(|s| Duration::from_secs(s.min(600)));
        let body = match response.text() {
            Ok(b) => b,
            Err(e) => {
                return Attempt::Retry {
                    wait: None,
                    error: self.network_error(&e, &host),
                };
            }
        };
        match status {
            200..=299 => match serde_json::from_str(&body) {
                Ok(v) => Attempt::Done(v),
                Err(e) => Attempt::Fail(Failure::Error(PullError::remote(
                    format!(
                        "{host} sent a response that is not complete JSON ({e}, {} bytes received)",
                        body.len()
                    ),
                    "the connection was probably cut or a proxy altered the answer; run `capcat jira pull` again",
                ))),
            },
            404 => Attempt::Fail(Failure::NotFound),
            429 | 503 => Attempt::Retry {
                wait: retry_after,
                error: PullError::remote(
                    format!(
                        "{host} kept answering {status} ({}) after {} retries",
                        if status == 429 {
                            "too many requests"
                        } else {
                            "service unavailable"
                        },
                        self.max_retries
                    ),
                    "Jira is rate limiting or busy: wait a few minutes and pull again, or raise [jira.api] max_retries",
                ),
            },
            502 | 504 => Attempt::Retry {
                wait: None,
                error: PullError::remote(
                    format!(
                        "{host} answered {status} (gateway error) after {} retries",
                        self.max_retries
                    ),
                    "try again later",
                ),
            },
            _ => Attempt::Fail(Failure::Error(self.status_error(status, &body, &host))),
        }
    }

    fn network_error(&self, e: &reqwest::Error, host: &str) -> PullError {
        if e.is_timeout() {
            PullError::remote(
                format!(
                    "no answer from {host} within {} s (after {} retries)",
                    self.timeout.as_secs_f32(),
                    self.max_retries
                ),
                "check the [jira.api] url and your network or VPN; raise [jira.api] timeout_secs for a slow server",
            )
        } else if e.is_connect() {
            PullError::remote(
                format!(
                    "cannot connect to {host} (after {} retries)",
                    self.max_retries
                ),
                "check the [jira.api] url, your network, VPN or proxy (HTTPS_PROXY)",
            )
        } else {
            PullError::remote(
                format!("the request to {host} failed: {}", error_chain(e)),
                "check the network and try again",
            )
        }
    }

    fn status_error(&self, status: u16, body: &str, host: &str) -> PullError {
        let (message, hint) = match (status, self.flavor) {
            (401, JiraFlavor::Cloud) => (
                format!("{host} rejected the credentials (401 Unauthorized)"),
                "Jira Cloud needs your account email in the user_env variable and an API token (not your password) in the token_env variable; check both, and that the token has not expired or been revoked".to_string(),
            ),
            (401, JiraFlavor::Datacenter) => (
                format!("{host} rejected the personal access token (401 Unauthorized)"),
                "create a new personal access token in Jira (Profile → Personal Access Tokens) and export it in the token_env variable; check that it has not expired".to_string(),
            ),
            (403, _) => (
                format!("{host} refused access (403 Forbidden)"),
                "the account can sign in but may not browse these projects, or a CAPTCHA is required after failed logins: sign in once in a browser and check project permissions".to_string(),
            ),
            (410, _) => (
                format!("{host} says this search API has been removed (410 Gone)"),
                "Atlassian removed /rest/api/2/search and /rest/api/3/search from Jira Cloud in 2025. If this is Jira Cloud, set [jira.api] flavor = \"cloud\" so capcat uses /rest/api/3/search/jql; \"datacenter\" is only for self-hosted Jira".to_string(),
            ),
            (400, _) => (
                format!("{host} rejected the search (400 Bad Request): {}", jira_messages(body)),
                "check [jira.api] jql in catalog.toml; Jira Cloud requires a bounded query such as `project = SHOP`".to_string(),
            ),
            _ => (
                format!("{host} answered {status}: {}", jira_messages(body)),
                "check the [jira.api] url (including any path prefix) and try again".to_string(),
            ),
        };
        PullError::remote(message, hint)
    }
}

enum Attempt {
    Done(Value),
    Retry {
        wait: Option<Duration>,
        error: PullError,
    },
    Fail(Failure),
}

enum Failure {
    NotFound,
    Error(PullError),
}

impl Failure {
    fn into_error(self) -> PullError {
        match self {
            Failure::NotFound => PullError::remote(
                "the search endpoint was not found (404)",
                "check the [jira.api] url: it must be the Jira base URL, with its path prefix if any (e.g. https://jira.example.com/jira), and flavor must match the deployment",
            ),
            Failure::Error(e) => e,
        }
    }
}

impl Snapshot {
    fn absorb(&mut self, page: &Value, issues: Vec<Value>) {
        self.pages += 1;
        if let Some(names) = page.get("names").and_then(Value::as_object) {
            for (k, v) in names {
                self.names.insert(k.clone(), v.clone());
            }
        }
        for issue in issues {
            let key = issue.get("key").and_then(Value::as_str).unwrap_or("");
            let seen = self
                .issues
                .iter()
                .any(|i| i.get("key").and_then(Value::as_str) == Some(key));
            if !seen {
                self.issues.push(issue);
            }
        }
    }
}

fn report(options: &PullOptions, snap: &Snapshot) {
    if let Some(f) = options.on_page {
        f(snap.pages, snap.issues.len());
    }
}

fn page_issues(page: &Value, index: usize) -> Result<Vec<Value>, PullError> {
    match page.get("issues").and_then(Value::as_array) {
        Some(list) => Ok(list.clone()),
        None => Err(PullError::remote(
            format!(
                "page {} of the search has no `issues` list (at JSON path `$.issues`)",
                index + 1
            ),
            "the URL may point at something other than Jira's REST API; check [jira.api] url and flavor",
        )),
    }
}

fn jira_messages(body: &str) -> String {
    let v: Value = match serde_json::from_str(body) {
        Ok(v) => v,
        Err(_) => return "no details".into(),
    };
    let mut out: Vec<String> = v
        .get("errorMessages")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .map(str::to_string)
        .collect();
    if let Some(errors) = v.get("errors").and_then(Value::as_object) {
        out.extend(
            errors
                .iter()
                .map(|(k, v)| format!("{k}: {}", v.as_str().unwrap_or(""))),
        );
    }
    if out.is_empty() {
        "no details".into()
    } else {
        out.join(" ").chars().take(400).collect()
    }
}

fn error_chain(e: &dyn std::error::Error) -> String {
    let mut parts = vec![e.to_string()];
    let mut source = e.source();
    while let Some(s) = source {
        parts.push(s.to_string());
        source = s.source();
    }
    parts.join(": ")
}

fn host_of(url: &str) -> String {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    rest.split('/').next().unwrap_or(rest).to_string()
}

/// Up to `max` of random-enough delay, from the clock: spreads the retries of
/// several CI jobs hitting the same rate limit.
fn jitter(max: Duration) -> Duration {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos() as u64);
    let mixed = nanos.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 32;
    let max_ms = max.as_millis() as u64;
    Duration::from_millis(if max_ms == 0 { 0 } else { mixed % max_ms })
}

/// Writes `value` to `path` through a temporary file in the same folder and a
/// rename, so readers never see half a snapshot.
fn write_snapshot(path: &Path, value: &Value) -> Result<(), PullError> {
    let fail = |what: String| PullError {
        config: false,
        message: what,
        hint: "check that the snapshot folder is writable ([jira.api] snapshot or --out)".into(),
        file: Some(path.to_path_buf()),
    };
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)
        .map_err(|e| fail(format!("cannot create {}: {e}", dir.display())))?;
    let tmp = dir.join(format!(
        ".{}.{}.tmp",
        path.file_name()
            .and_then(|n| n.to_str())
            .unwrap_or("jira-snapshot.json"),
        std::process::id()
    ));
    let bytes = serde_json::to_vec_pretty(value)
        .map_err(|e| fail(format!("cannot encode the snapshot: {e}")))?;
    std::fs::write(&tmp, bytes)
        .map_err(|e| fail(format!("cannot write {}: {e}", tmp.display())))?;
    std::fs::rename(&tmp, path).map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        fail(format!("cannot move the snapshot into place: {e}"))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_lose_credentials() {
        assert_eq!(
            strip_userinfo("https://u:p@x.example/jira"),
            "https://x.example/jira"
        );
        assert_eq!(strip_userinfo("https://x.example"), "https://x.example");
        assert_eq!(
            host_of("https://x.example:8080/jira/rest"),
            "x.example:8080"
        );
    }

    #[test]
    fn redaction_hides_the_token() {
        let s = Secrets {
            user: None,
            token: "tok-ABCDEF".into(),
        };
        assert_eq!(s.redact("bad tok-ABCDEF here"), "bad [redacted] here");
    }

    #[test]
    fn jitter_stays_below_the_base() {
        for _ in 0..50 {
            assert!(jitter(Duration::from_millis(100)) < Duration::from_millis(100));
        }
        assert_eq!(jitter(Duration::ZERO), Duration::ZERO);
    }

    #[test]
    fn jira_error_bodies_are_summarised() {
        assert_eq!(
            jira_messages(r#"{"errorMessages":["bad jql"],"errors":{}}"#),
            "bad jql"
        );
        assert_eq!(jira_messages("<html>"), "no details");
    }

    #[test]
    fn snapshot_writes_atomically_and_dates_read_back() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("sub/snap.json");
        write_snapshot(
            &p,
            &json!({"capcat_snapshot": {"as_of": "2026-11-21"}, "issues": []}),
        )
        .unwrap();
        assert_eq!(snapshot_date(&p).unwrap(), "2026-11-21");
        assert_eq!(std::fs::read_dir(p.parent().unwrap()).unwrap().count(), 1);
        assert!(
            snapshot_date(&dir.path().join("none.json"))
                .unwrap_err()
                .hint
                .unwrap()
                .contains("capcat jira pull")
        );
    }
}
