//! `capcat jira pull`: fetches the configured search from the Jira REST API
//! and saves it as a JSON snapshot that builds read (docs/jira.md).
//!
//! Cloud uses `GET /rest/api/3/search/jql` (basic auth with email + API token,
//! `nextPageToken`/`isLast`); Data Center uses `GET /rest/api/2/search`
//! (bearer personal access token, `startAt`/`maxResults`/`total`). Requests
//! time out, and 429/503 (and network errors) are retried with exponential
//! backoff and jitter, honouring `Retry-After` up to a total wait. Every
//! response is read through a size limit, and paging that stops advancing,
//! or runs past the issue or page limit, is an error. The token is read from
//! the environment only and is never written to output, logs, errors or the
//! snapshot — neither raw nor inside the Basic or Bearer header.

use crate::config::{Config, JiraApiConfig, JiraFlavor};
use crate::diagnostics::Diagnostic;
use crate::net::{error_chain, redact};
use serde_json::{Map, Value, json};
use std::cell::Cell;
use std::collections::HashSet;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

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
    /// Called before each wait between retries with a one-line reason and
    /// duration (the caller prints it; `None` waits silently).
    pub on_wait: Option<fn(&str)>,
}

impl Default for PullOptions {
    fn default() -> Self {
        PullOptions {
            timeout: None,
            backoff_base: Duration::from_secs(1),
            page_size: 100,
            on_page: None,
            on_wait: None,
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
        let mut json = snapshot.into_json(api);
        secrets.redact_value(&mut json);
        write_snapshot(out, &json)?;
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

/// What replaces a secret in any text capcat shows or writes.
const REDACTED: &str = "[redacted]";

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

    /// The forms in which the credentials may come back from a server that
    /// echoes the request: the token (also inside `Bearer <token>`), and
    /// `base64(user:token)` of the Basic header, with and without padding,
    /// in the standard and the URL-safe alphabet. Longest first.
    fn patterns(&self) -> Vec<String> {
        let mut out = Vec::new();
        if let Some(user) = &self.user {
            let basic = base64(format!("{user}:{}", self.token).as_bytes());
            let url_safe = basic.replace('+', "-").replace('/', "_");
            for b in [basic, url_safe] {
                out.push(b.trim_end_matches('=').to_string());
                out.push(b);
            }
        }
        if self.token.len() >= 4 {
            out.push(self.token.clone());
        }
        out.sort_by_key(|p| std::cmp::Reverse(p.len()));
        out.dedup();
        out
    }

    fn redact(&self, text: &str) -> String {
        let mut text = text.to_string();
        for p in self.patterns() {
            if text.contains(&p) {
                text = text.replace(&p, REDACTED);
            }
        }
        text
    }

    /// Redacts every string and object key in `value`.
    fn redact_value(&self, value: &mut Value) {
        let patterns = self.patterns();
        let leaks = |s: &str| patterns.iter().any(|p| s.contains(p.as_str()));
        redact_strings(value, &leaks, &|s| self.redact(s));
    }
}

fn redact_strings(
    value: &mut Value,
    leaks: &dyn Fn(&str) -> bool,
    redact: &dyn Fn(&str) -> String,
) {
    match value {
        Value::String(s) if leaks(s) => *s = redact(s),
        Value::Array(items) => {
            for v in items {
                redact_strings(v, leaks, redact);
            }
        }
        Value::Object(map) => {
            if map.keys().any(|k| leaks(k)) {
                *map = std::mem::take(map)
                    .into_iter()
                    .map(|(k, v)| (if leaks(&k) { redact(&k) } else { k }, v))
                    .collect();
            }
            for v in map.values_mut() {
                redact_strings(v, leaks, redact);
            }
        }
        _ => {}
    }
}

/// Standard base64 with padding, as in an HTTP Basic header.
fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |acc, (i, b)| acc | u32::from(*b) << (16 - 8 * i));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ALPHABET[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

struct Client<'a> {
    http: reqwest::blocking::Client,
    base: String,
    flavor: JiraFlavor,
    secrets: &'a Secrets,
    max_retries: u32,
    backoff_base: Duration,
    timeout: Duration,
    limits: Limits,
    /// Time spent waiting between retries so far, across all requests.
    waited: Cell<Duration>,
    on_wait: Option<fn(&str)>,
}

/// The `[jira.api]` bounds on one pull.
struct Limits {
    max_issues: usize,
    max_pages: usize,
    max_page_bytes: u64,
    max_wait: Duration,
}

/// Everything fetched by one pull.
#[derive(Default)]
struct Snapshot {
    issues: Vec<Value>,
    /// Keys of `issues`, to drop repeats.
    keys: HashSet<String>,
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
                "url": redact(&api.url),
                "jql": api.jql,
                "issues": self.issues.len(),
            },
            "names": self.names,
            "issues": self.issues,
        })
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
                format!("[jira.api] url `{}` is not an http(s) URL", redact(&base)),
                "write it as https://your-site.atlassian.net (a path prefix such as /jira is allowed)",
            ));
        }
        if redact(&base) != base {
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
            limits: Limits {
                max_issues: api.max_issues,
                max_pages: api.max_pages,
                max_page_bytes: api.max_page_bytes,
                max_wait: Duration::from_secs(api.max_wait_secs),
            },
            waited: Cell::new(Duration::ZERO),
            on_wait: options.on_wait,
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

    fn check_page_budget(&self, snap: &Snapshot) -> Result<(), PullError> {
        if snap.pages < self.limits.max_pages {
            return Ok(());
        }
        Err(PullError::remote(
            format!(
                "stopped after {} pages, the limit set by [jira.api] max_pages, before the search ended",
                snap.pages
            ),
            "narrow the JQL, or raise [jira.api] max_pages if the search really is that long",
        ))
    }

    fn check_issue_budget(&self, snap: &Snapshot) -> Result<(), PullError> {
        if snap.issues.len() <= self.limits.max_issues {
            return Ok(());
        }
        Err(PullError::remote(
            format!(
                "the search returned more than {} issues, the limit set by [jira.api] max_issues",
                self.limits.max_issues
            ),
            "narrow the JQL, or raise [jira.api] max_issues if the project really holds that many issues",
        ))
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
        let mut tokens_seen = HashSet::new();
        loop {
            self.check_page_budget(&snap)?;
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
            let added = snap.absorb(&page, issues);
            report(options, &snap);
            self.check_issue_budget(&snap)?;
            let is_last = page.get("isLast").and_then(Value::as_bool).unwrap_or(false);
            let next = page
                .get("nextPageToken")
                .and_then(Value::as_str)
                .map(str::to_string);
            match next {
                Some(n) if !is_last => {
                    no_progress(added, &snap)?;
                    if !tokens_seen.insert(n.clone()) {
                        return Err(PullError::remote(
                            format!(
                                "page {} of the search gave a nextPageToken the server had already sent, so paging would go round in circles",
                                snap.pages
                            ),
                            NO_PROGRESS_HINT,
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
            self.check_page_budget(&snap)?;
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
            let added = snap.absorb(&page, issues);
            report(options, &snap);
            self.check_issue_budget(&snap)?;
            let total = page.get("total").map_or(0, |t| {
                t.as_u64()
                    .unwrap_or_else(|| t.as_f64().unwrap_or(0.0) as u64)
            });
            // The server may lower maxResults: advance by what it actually sent.
            start += got;
            if got == 0 || start >= total {
                break;
            }
            no_progress(added, &snap)?;
        }
        Ok(snap)
    }

    /// GET with retries; the body parsed as JSON.
    fn get_json(&self, url: &str, query: &[(&str, &str)]) -> Result<Value, Failure> {
        let mut attempt = 0;
        loop {
            match self.attempt(url, query) {
                Attempt::Done(v) => return Ok(v),
                Attempt::Fail(f) => return Err(f),
                Attempt::Retry { error, .. } if attempt >= self.max_retries => {
                    return Err(Failure::Error(error));
                }
                Attempt::Retry {
                    retry_after,
                    reason,
                    error,
                } => {
                    let wait = self.plan_wait(retry_after, attempt, &reason, error)?;
                    std::thread::sleep(wait);
                }
            }
            attempt += 1;
        }
    }

    /// How long to wait before retry `attempt + 1`: the server's
    /// `Retry-After`, else exponential backoff. Announces the wait, and fails
    /// instead when it would take this pull's waiting over `max_wait_secs`.
    fn plan_wait(
        &self,
        retry_after: Option<Duration>,
        attempt: u32,
        reason: &str,
        error: PullError,
    ) -> Result<Duration, Failure> {
        let cap = self.limits.max_wait;
        let wait = retry_after.unwrap_or_else(|| self.backoff(attempt));
        let total = self.waited.get() + wait;
        if total > cap {
            let hint = "Jira is rate limiting or busy: pull again later, or raise [jira.api] max_wait_secs";
            let message = match retry_after {
                Some(asked) if asked > cap => format!(
                    "{reason} and asks to wait {} s{} before retrying, longer than [jira.api] max_wait_secs ({} s)",
                    whole_secs(asked),
                    roughly(asked),
                    cap.as_secs()
                ),
                Some(asked) => format!(
                    "{reason} and asks to wait {} s more; with {} s waited already that is over [jira.api] max_wait_secs ({} s)",
                    whole_secs(asked),
                    whole_secs(self.waited.get()),
                    cap.as_secs()
                ),
                None => {
                    return Err(Failure::Error(PullError::remote(
                        format!(
                            "{reason}; stopped retrying after {} s of waiting, the limit set by [jira.api] max_wait_secs",
                            whole_secs(self.waited.get())
                        ),
                        error.hint,
                    )));
                }
            };
            return Err(Failure::Error(PullError::remote(message, hint)));
        }
        self.waited.set(total);
        if let Some(show) = self.on_wait {
            show(&self.secrets.redact(&format!(
                "  {reason}; waiting {} s before retry {} of {}",
                whole_secs(wait),
                attempt + 1,
                self.max_retries
            )));
        }
        Ok(wait)
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
            Err(e) => return self.network_retry(&e, &host),
        };
        let status = response.status().as_u16();
        let retry_after = response
            .headers()
            .get("retry-after")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| parse_retry_after(v, SystemTime::now()));
        let body = match self.read_body(response, &host) {
            Ok(b) => b,
            Err(outcome) => return outcome,
        };
        match status {
            200..=299 => match serde_json::from_slice(&body) {
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
            429 | 503 => {
                let what = if status == 429 {
                    "too many requests"
                } else {
                    "service unavailable"
                };
                Attempt::Retry {
                    retry_after,
                    reason: format!("{host} answered {status} ({what})"),
                    error: PullError::remote(
                        format!(
                            "{host} kept answering {status} ({what}) after {} retries",
                            self.max_retries
                        ),
                        "Jira is rate limiting or busy: wait a few minutes and pull again, or raise [jira.api] max_retries",
                    ),
                }
            }
            502 | 504 => Attempt::Retry {
                retry_after: None,
                reason: format!("{host} answered {status} (gateway error)"),
                error: PullError::remote(
                    format!(
                        "{host} answered {status} (gateway error) after {} retries",
                        self.max_retries
                    ),
                    "try again later",
                ),
            },
            // Redacted before the messages are shortened, so no cut-off
            // piece of a credential survives.
            _ => Attempt::Fail(Failure::Error(self.status_error(
                status,
                &self.secrets.redact(&String::from_utf8_lossy(&body)),
                &host,
            ))),
        }
    }

    /// The body, read through the `max_page_bytes` limit: a larger announced
    /// length is refused unread, a longer (e.g. chunked) body is cut off.
    fn read_body(
        &self,
        response: reqwest::blocking::Response,
        host: &str,
    ) -> Result<Vec<u8>, Attempt> {
        let limit = self.limits.max_page_bytes;
        let announced = response.content_length();
        if let Some(len) = announced.filter(|&len| len > limit) {
            return Err(Attempt::Fail(Failure::Error(
                self.too_large(host, Some(len)),
            )));
        }
        let mut body = Vec::with_capacity(announced.unwrap_or(0) as usize);
        if let Err(e) = response
            .take(limit.saturating_add(1))
            .read_to_end(&mut body)
        {
            return Err(
                match e.get_ref().and_then(|i| i.downcast_ref::<reqwest::Error>()) {
                    Some(re) => self.network_retry(re, host),
                    None => Attempt::Retry {
                        retry_after: None,
                        reason: format!("reading the answer of {host} failed"),
                        error: PullError::remote(
                            format!("reading the answer of {host} failed: {}", error_chain(&e)),
                            "check the network and try again",
                        ),
                    },
                },
            );
        }
        if body.len() as u64 > limit {
            return Err(Attempt::Fail(Failure::Error(self.too_large(host, None))));
        }
        Ok(body)
    }

    fn too_large(&self, host: &str, announced: Option<u64>) -> PullError {
        let limit = human_bytes(self.limits.max_page_bytes);
        let message = match announced {
            Some(len) => format!(
                "{host} announced a response of {}, over the {limit} limit set by [jira.api] max_page_bytes",
                human_bytes(len)
            ),
            None => format!(
                "{host} sent a response larger than the {limit} limit set by [jira.api] max_page_bytes; capcat stopped reading it"
            ),
        };
        PullError::remote(
            message,
            "a Jira search page is far smaller than that: check that [jira.api] url points at Jira; if its pages really are this large, raise [jira.api] max_page_bytes (in bytes)",
        )
    }

    fn network_retry(&self, e: &reqwest::Error, host: &str) -> Attempt {
        let reason = if e.is_timeout() {
            format!(
                "no answer from {host} within {} s",
                self.timeout.as_secs_f32()
            )
        } else if e.is_connect() {
            format!("cannot connect to {host}")
        } else {
            format!("the request to {host} failed")
        };
        Attempt::Retry {
            retry_after: None,
            reason,
            error: self.network_error(e, host),
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
        /// The server's `Retry-After`.
        retry_after: Option<Duration>,
        /// What happened, for the wait announcement.
        reason: String,
        /// The error if no retry is left.
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
    /// Adds the page's issues not seen on earlier pages; returns how many.
    fn absorb(&mut self, page: &Value, issues: Vec<Value>) -> usize {
        self.pages += 1;
        if let Some(names) = page.get("names").and_then(Value::as_object) {
            for (k, v) in names {
                self.names.insert(k.clone(), v.clone());
            }
        }
        let before = self.issues.len();
        for issue in issues {
            let key = issue.get("key").and_then(Value::as_str).unwrap_or("");
            if self.keys.insert(key.to_string()) {
                self.issues.push(issue);
            }
        }
        self.issues.len() - before
    }
}

const NO_PROGRESS_HINT: &str = "the server's paging is inconsistent (or something between capcat and Jira replays answers); run `capcat jira pull` again, and if it keeps happening order the JQL by key (`ORDER BY key`)";

/// A page that brought nothing new means the next one will not either.
fn no_progress(added: usize, snap: &Snapshot) -> Result<(), PullError> {
    if added > 0 {
        return Ok(());
    }
    Err(PullError::remote(
        format!(
            "page {} of the search brought no new issue, so paging is not advancing",
            snap.pages
        ),
        NO_PROGRESS_HINT,
    ))
}

/// A long wait in words (" (about 11.6 days)"); empty below two minutes.
fn roughly(d: Duration) -> String {
    let secs = d.as_secs_f64();
    match secs {
        s if s >= 86_400.0 => format!(" (about {:.1} days)", s / 86_400.0),
        s if s >= 3_600.0 => format!(" (about {:.1} hours)", s / 3_600.0),
        s if s >= 120.0 => format!(" (about {:.0} minutes)", s / 60.0),
        _ => String::new(),
    }
}

/// Whole seconds, rounded up, for messages.
fn whole_secs(d: Duration) -> u128 {
    d.as_millis().div_ceil(1000)
}

fn human_bytes(n: u64) -> String {
    const MIB: u64 = 1 << 20;
    if n >= MIB && n.is_multiple_of(MIB) {
        format!("{} MiB", n / MIB)
    } else if n >= MIB {
        format!("{:.1} MiB", n as f64 / MIB as f64)
    } else {
        format!("{n} bytes")
    }
}

/// `Retry-After` in seconds or as an HTTP date (IMF-fixdate or asctime),
/// as a wait from `now`.
fn parse_retry_after(value: &str, now: SystemTime) -> Option<Duration> {
    let value = value.trim();
    if let Ok(secs) = value.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    let imf = time::macros::format_description!(
        "[weekday repr:short], [day] [month repr:short] [year] [hour]:[minute]:[second] GMT"
    );
    let asctime = time::macros::format_description!(
        "[weekday repr:short] [month repr:short] [day padding:space] [hour]:[minute]:[second] [year]"
    );
    let date = time::PrimitiveDateTime::parse(value, &imf)
        .or_else(|_| time::PrimitiveDateTime::parse(value, &asctime))
        .ok()?;
    let when = SystemTime::from(date.assume_utc());
    Some(when.duration_since(now).unwrap_or(Duration::ZERO))
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
            redact("https://u:p@x.example/jira"),
            "https://x.example/jira"
        );
        assert_eq!(redact("https://x.example"), "https://x.example");
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
        assert_eq!(
            s.redact("Authorization: Bearer tok-ABCDEF"),
            "Authorization: Bearer [redacted]"
        );
    }

    #[test]
    fn redaction_hides_the_basic_header_in_every_form() {
        let s = Secrets {
            user: Some("me@x.example".into()),
            token: "t0k?>>".into(),
        };
        let basic = base64(b"me@x.example:t0k?>>");
        assert_eq!(basic, "bWVAeC5leGFtcGxlOnQwaz8+Pg==");
        let url_safe = basic.replace('+', "-").replace('/', "_");
        for form in [
            format!("Basic {basic}"),
            format!("Basic {}", basic.trim_end_matches('=')),
            format!("Basic {url_safe}"),
        ] {
            let out = s.redact(&format!("echo: {form}!"));
            assert_eq!(out, "echo: Basic [redacted]!", "{form}");
        }
        let mut v = json!({"names": {format!("k-{basic}"): "x"}, "issues": [{"summary": "t0k?>> and more"}]});
        s.redact_value(&mut v);
        assert_eq!(
            v,
            json!({"names": {"k-[redacted]": "x"}, "issues": [{"summary": "[redacted] and more"}]})
        );
    }

    #[test]
    fn retry_after_reads_seconds_and_http_dates() {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(784_111_770);
        assert_eq!(
            parse_retry_after(" 120 ", now),
            Some(Duration::from_secs(120))
        );
        // 784111777 is Sun, 06 Nov 1994 08:49:37 GMT.
        assert_eq!(
            parse_retry_after("Sun, 06 Nov 1994 08:49:37 GMT", now),
            Some(Duration::from_secs(7))
        );
        assert_eq!(
            parse_retry_after("Sun Nov  6 08:49:37 1994", now),
            Some(Duration::from_secs(7))
        );
        assert_eq!(
            parse_retry_after("Sun, 06 Nov 1994 08:49:00 GMT", now),
            Some(Duration::ZERO),
            "a date in the past means retry now"
        );
        assert_eq!(parse_retry_after("soon", now), None);
        assert_eq!(parse_retry_after("-5", now), None);
    }

    #[test]
    fn sizes_and_waits_read_well() {
        assert_eq!(human_bytes(64 << 20), "64 MiB");
        assert_eq!(human_bytes(1_500_000), "1.4 MiB");
        assert_eq!(human_bytes(1000), "1000 bytes");
        assert_eq!(whole_secs(Duration::from_millis(1001)), 2);
        assert_eq!(roughly(Duration::from_secs(999_999)), " (about 11.6 days)");
        assert_eq!(roughly(Duration::from_secs(30)), "");
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
