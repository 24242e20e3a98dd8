//! A small HTTP/1.1 test server on 127.0.0.1: each connection gets one
//! request and one scripted reply. Used to replay Jira, to misbehave like a
//! broken Jira, and to serve a built site to Chromium.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// One request as the server saw it.
#[derive(Debug, Clone)]
pub struct Request {
    /// `GET`, `POST`…
    pub method: String,
    /// The path, without the query.
    pub path: String,
    /// Decoded query parameters, in order.
    pub query: Vec<(String, String)>,
    /// Headers, in order.
    pub headers: Vec<(String, String)>,
}

impl Request {
    /// The first query parameter `name`.
    pub fn param(&self, name: &str) -> Option<&str> {
        self.query
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// The first header `name` (any case).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// True for a Jira search request.
    pub fn is_search(&self) -> bool {
        self.path.contains("/search")
    }
}

/// What the server does with a request.
pub enum Reply {
    /// A JSON body with a status and extra headers.
    Json(u16, Vec<(&'static str, String)>, String),
    /// Any body with a status and a content type.
    Body(u16, &'static str, Vec<u8>),
    /// Accept and never answer.
    Hang,
    /// A 200 JSON body of `total` bytes, with a Content-Length or chunked.
    Huge {
        /// Body size.
        total: u64,
        /// Chunked transfer encoding instead of a Content-Length.
        chunked: bool,
    },
}

/// A 200 JSON reply.
pub fn ok(body: &serde_json::Value) -> Reply {
    Reply::Json(200, vec![], body.to_string())
}

/// Maps (request, its number from 0) to a reply.
pub type Handler = Box<dyn Fn(&Request, usize) -> Reply + Send + Sync>;

/// The server, running in background threads as long as the test.
pub struct Server {
    /// `http://127.0.0.1:<port>`
    pub url: String,
    seen: Arc<Mutex<Vec<Request>>>,
    huge_sent: Arc<AtomicU64>,
}

impl Server {
    /// Starts serving on an ephemeral port.
    pub fn start(handler: Handler) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let seen = Arc::new(Mutex::new(Vec::new()));
        let huge_sent = Arc::new(AtomicU64::new(0));
        let (log, sent) = (Arc::clone(&seen), Arc::clone(&huge_sent));
        let handler = Arc::new(handler);
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let (log, sent, handler) =
                    (Arc::clone(&log), Arc::clone(&sent), Arc::clone(&handler));
                std::thread::spawn(move || serve_one(stream, &handler, &log, &sent));
            }
        });
        Server {
            url,
            seen,
            huge_sent,
        }
    }

    /// Serves the files below `root` under the URL path `base` (`/docs/`),
    /// `index.html` for folders, 404 for anything else.
    pub fn files(root: &Path, base: &'static str) -> Server {
        let root = root.to_path_buf();
        Server::start(Box::new(move |req, _| static_file(&root, base, &req.path)))
    }

    /// Every request so far, in arrival order.
    pub fn requests(&self) -> Vec<Request> {
        self.seen.lock().unwrap().clone()
    }

    /// The Jira search requests so far.
    pub fn searches(&self) -> Vec<Request> {
        self.requests()
            .into_iter()
            .filter(|r| r.is_search())
            .collect()
    }

    /// Body bytes a [`Reply::Huge`] wrote before the client stopped reading.
    pub fn huge_sent(&self) -> u64 {
        self.huge_sent.load(Ordering::SeqCst)
    }

    /// The port.
    pub fn port(&self) -> u16 {
        self.url.rsplit(':').next().unwrap().parse().unwrap()
    }
}

fn serve_one(stream: TcpStream, handler: &Handler, log: &Mutex<Vec<Request>>, sent: &AtomicU64) {
    let Some(req) = read_request(&stream) else {
        return;
    };
    let n = {
        let mut l = log.lock().unwrap();
        l.push(req.clone());
        l.len() - 1
    };
    match handler(&req, n) {
        Reply::Json(status, headers, body) => write_response(
            stream,
            status,
            "application/json",
            &headers,
            body.as_bytes(),
        ),
        Reply::Body(status, content_type, body) => {
            write_response(stream, status, content_type, &[], &body)
        }
        Reply::Hang => {
            std::thread::sleep(Duration::from_secs(30));
            drop(stream);
        }
        Reply::Huge { total, chunked } => {
            sent.store(write_huge(stream, total, chunked), Ordering::SeqCst)
        }
    }
}

fn read_request(stream: &TcpStream) -> Option<Request> {
    let mut reader = BufReader::new(stream);
    let mut line = String::new();
    reader.read_line(&mut line).ok()?;
    let mut words = line.split_whitespace();
    let method = words.next()?.to_string();
    let target = words.next()?.to_string();
    let mut headers = Vec::new();
    loop {
        let mut h = String::new();
        if reader.read_line(&mut h).ok()? == 0 {
            break;
        }
        let h = h.trim_end();
        if h.is_empty() {
            break;
        }
        if let Some((k, v)) = h.split_once(':') {
            headers.push((k.trim().to_string(), v.trim().to_string()));
        }
    }
    let target = target.split('#').next().unwrap_or_default();
    let (path, q) = target.split_once('?').unwrap_or((target, ""));
    let query = q
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            (decode(k), decode(v))
        })
        .collect();
    Some(Request {
        method,
        path: path.to_string(),
        query,
        headers,
    })
}

/// Percent-decoding, `+` as a space.
pub fn decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let hex = (bytes[i] == b'%' && i + 2 < bytes.len())
            .then(|| u8::from_str_radix(std::str::from_utf8(&bytes[i + 1..i + 3]).ok()?, 16).ok())
            .flatten();
        match (bytes[i], hex) {
            (b'%', Some(b)) => {
                out.push(b);
                i += 2;
            }
            (b'+', _) => out.push(b' '),
            (b, _) => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn write_response(
    mut stream: TcpStream,
    status: u16,
    content_type: &str,
    headers: &[(&str, String)],
    body: &[u8],
) {
    let mut head = format!(
        "HTTP/1.1 {status} X\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\nCache-Control: no-store\r\nConnection: close\r\n",
        body.len()
    );
    for (k, v) in headers {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    head.push_str("\r\n");
    let _ = stream.write_all(head.as_bytes());
    let _ = stream.write_all(body);
    let _ = stream.flush();
    // Let the client read everything before the socket closes.
    let mut sink = [0u8; 64];
    let _ = stream.set_read_timeout(Some(Duration::from_millis(50)));
    let _ = stream.read(&mut sink);
}

/// Streams a valid JSON page padded to `total` bytes until done or the
/// client hangs up; returns the body bytes written.
fn write_huge(mut stream: TcpStream, total: u64, chunked: bool) -> u64 {
    let framing = if chunked {
        "Transfer-Encoding: chunked".to_string()
    } else {
        format!("Content-Length: {total}")
    };
    let head = format!(
        "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n{framing}\r\nConnection: close\r\n\r\n"
    );
    if stream.write_all(head.as_bytes()).is_err() {
        return 0;
    }
    let (open, close) = (br#"{"isLast":true,"total":0,"issues":[],"pad":""#, br#""}"#);
    let mut sent = 0u64;
    let block = vec![b'x'; 64 * 1024];
    while sent < total {
        let left = total - sent;
        let piece: Vec<u8> = if sent == 0 {
            open.to_vec()
        } else if left <= close.len() as u64 {
            close[close.len() - left as usize..].to_vec()
        } else {
            block[..(left - close.len() as u64).min(block.len() as u64) as usize].to_vec()
        };
        let written = if chunked {
            stream
                .write_all(format!("{:x}\r\n", piece.len()).as_bytes())
                .and_then(|()| stream.write_all(&piece))
                .and_then(|()| stream.write_all(b"\r\n"))
        } else {
            stream.write_all(&piece)
        };
        if written.is_err() {
            return sent;
        }
        sent += piece.len() as u64;
    }
    if chunked {
        let _ = stream.write_all(b"0\r\n\r\n");
    }
    sent
}

fn static_file(root: &Path, base: &str, path: &str) -> Reply {
    let file = decode_path(path)
        .strip_prefix(base)
        .filter(|rel| !rel.split('/').any(|part| part == ".."))
        .map(|rel| {
            let p = root.join(rel);
            if p.is_dir() { p.join("index.html") } else { p }
        });
    match file.and_then(|f| std::fs::read(&f).ok().map(|b| (f, b))) {
        Some((f, body)) => Reply::Body(200, content_type(&f), body),
        None => Reply::Body(404, "text/plain", b"not found".to_vec()),
    }
}

/// Percent-decoding of a path (`+` stays a plus).
fn decode_path(path: &str) -> String {
    decode(&path.replace('+', "%2B"))
}

fn content_type(p: &Path) -> &'static str {
    match p.extension().and_then(|e| e.to_str()).unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "js" => "text/javascript; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "json" => "application/json",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "xml" => "application/xml",
        _ => "application/octet-stream",
    }
}

/// Standard Base64 with padding, as in a basic-auth header.
pub fn base64(input: &str) -> String {
    const T: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let b = input.as_bytes();
    let mut out = String::new();
    for chunk in b.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |acc, (i, x)| acc | (*x as u32) << (16 - 8 * i));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(T[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}
