//! The HTTP side of `serve`: the site from memory, the reload script, and
//! the server-sent events that tell open pages to reload.

use super::reload::{self, EVENTS_PATH, SCRIPT_PATH};
use super::site::{Lookup, Site, content_type};
use crate::diagnostics::Diagnostic;
use axum::Router;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use futures_util::stream::Stream;
use std::convert::Infallible;
use std::sync::{Arc, RwLock};
use std::time::Duration;
use tokio::sync::{broadcast, watch};

/// What is being served right now; swapped by each rebuild.
#[derive(Debug, Default, Clone)]
pub struct Served {
    /// The last site that built.
    pub site: Option<Arc<Site>>,
    /// The errors of the latest rebuild, when it failed.
    pub errors: Arc<Vec<Diagnostic>>,
    /// Counts published rebuilds, good or bad.
    pub generation: u64,
}

/// State shared by the request handlers, the rebuild thread and shutdown.
#[derive(Clone)]
pub struct Shared {
    /// What is served.
    pub served: Arc<RwLock<Served>>,
    /// Each published rebuild's generation.
    pub reloads: broadcast::Sender<u64>,
    /// Becomes true when the server stops (ends the event streams).
    pub stopping: watch::Receiver<bool>,
}

impl Shared {
    /// Publishes a rebuild: its site (or its errors over the last good
    /// site) is what requests see from now on, and open pages reload.
    pub fn publish(&self, result: Result<Arc<Site>, Vec<Diagnostic>>) -> u64 {
        let generation = {
            let mut s = self.served.write().unwrap_or_else(|e| e.into_inner());
            s.generation += 1;
            match result {
                Ok(site) => {
                    s.site = Some(site);
                    s.errors = Arc::new(Vec::new());
                }
                Err(errors) => s.errors = Arc::new(errors),
            }
            s.generation
        };
        let _ = self.reloads.send(generation);
        generation
    }

    /// True while the latest rebuild's errors are shown.
    pub fn showing_errors(&self) -> bool {
        !self.snapshot().errors.is_empty()
    }

    fn snapshot(&self) -> Served {
        self.served
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }
}

/// The routes: events, the reload script, and every file of the site.
pub fn router(shared: Shared) -> Router {
    Router::new()
        .route(EVENTS_PATH, get(events))
        .route(SCRIPT_PATH, get(script))
        .fallback(page)
        .with_state(shared)
}

async fn script() -> Response {
    respond(
        StatusCode::OK,
        "text/javascript; charset=utf-8",
        Body::from(reload::SCRIPT),
    )
}

async fn page(State(shared): State<Shared>, request: Request) -> Response {
    let served = shared.snapshot();
    let Some(site) = &served.site else {
        let body = reload::error_page(served.generation, &served.errors);
        return respond(
            StatusCode::SERVICE_UNAVAILABLE,
            "text/html; charset=utf-8",
            Body::from(body),
        );
    };
    match site.lookup(request.uri().path()) {
        Lookup::File { path, bytes } => {
            let kind = content_type(&path);
            let body = if kind.starts_with("text/html") {
                Body::from(reload::inject(&bytes, served.generation, &served.errors))
            } else {
                Body::from(bytes)
            };
            respond(StatusCode::OK, kind, body)
        }
        Lookup::Redirect(to) => {
            let mut r = respond(StatusCode::MOVED_PERMANENTLY, "text/plain", Body::empty());
            if let Ok(v) = HeaderValue::from_str(&to) {
                r.headers_mut().insert(header::LOCATION, v);
            }
            r
        }
        Lookup::NotFound => {
            let body = match site.file("404.html") {
                Some(page) => reload::inject(page, served.generation, &served.errors),
                None => b"not found\n".to_vec(),
            };
            respond(
                StatusCode::NOT_FOUND,
                "text/html; charset=utf-8",
                Body::from(body),
            )
        }
    }
}

/// Nothing served here is cached: the next rebuild may change it.
fn respond(status: StatusCode, kind: &'static str, body: Body) -> Response {
    let mut r = (status, body).into_response();
    let h = r.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(kind));
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    r
}

/// `event: ready` at once, then `event: reload` for each published rebuild
/// (at once, too, if the page's `since` generation is already stale).
async fn events(
    State(shared): State<Shared>,
    request: Request,
) -> Sse<impl Stream<Item = Result<Event, Infallible>>> {
    let since = request
        .uri()
        .query()
        .and_then(|q| q.split('&').find_map(|kv| kv.strip_prefix("since=")))
        .and_then(|v| v.parse::<u64>().ok());
    let rx = shared.reloads.subscribe();
    let current = shared.snapshot().generation;
    let stale = since.is_some_and(|s| s != current);
    let first = if stale {
        Event::default().event("reload").data(current.to_string())
    } else {
        Event::default().event("ready").data(current.to_string())
    };
    let state = (Some(first), rx, shared.stopping.clone());
    let stream = futures_util::stream::unfold(state, |(first, mut rx, mut stopping)| async move {
        if let Some(event) = first {
            return Some((Ok(event), (None, rx, stopping)));
        }
        loop {
            if *stopping.borrow() {
                return None;
            }
            tokio::select! {
                got = rx.recv() => match got {
                    Ok(generation) => {
                        let event = Event::default().event("reload").data(generation.to_string());
                        return Some((Ok(event), (None, rx, stopping)));
                    }
                    Err(broadcast::error::RecvError::Lagged(_)) => continue,
                    Err(broadcast::error::RecvError::Closed) => return None,
                },
                changed = stopping.changed() => if changed.is_err() { return None },
            }
        }
    });
    Sse::new(stream).keep_alive(KeepAlive::new().interval(Duration::from_secs(15)))
}
