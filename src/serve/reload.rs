//! What `serve` adds to the HTML pages it serves — never to `build` output:
//! a script that reloads the page when a rebuild is published, and, while
//! the latest rebuild failed, an overlay listing its errors over the last
//! good page.

use crate::diagnostics::{Diagnostic, Severity};

/// Where pages listen for rebuilds (server-sent events).
pub const EVENTS_PATH: &str = "/__capcat/events";

/// Where the reload script is served from (a file, so a theme's
/// Content-Security-Policy of `script-src 'self'` still allows it).
pub const SCRIPT_PATH: &str = "/__capcat/reload.js";

/// The reload script. It tells the server which build the page came from,
/// so a rebuild published between the page load and the connection still
/// reloads it; after a lost connection (the server restarted) it reloads once
/// the server answers again.
pub const SCRIPT: &str = r#"(() => {
  const me = document.currentScript;
  const generation = me ? me.dataset.generation : "";
  const source = new EventSource("/__capcat/events?since=" + encodeURIComponent(generation));
  let lost = false;
  source.addEventListener("reload", () => location.reload());
  source.addEventListener("ready", () => { if (lost) location.reload(); });
  source.onerror = () => { lost = true; };
  const close = document.getElementById("capcat-overlay-close");
  if (close) close.addEventListener("click", () => document.getElementById("capcat-overlay").remove());
})();
"#;

/// `page` with the reload script, and the overlay when `errors` is not
/// empty, inserted before its last `</body>` (or at its end).
pub fn inject(page: &[u8], generation: u64, errors: &[Diagnostic]) -> Vec<u8> {
    let mut extra = String::new();
    if !errors.is_empty() {
        extra.push_str(&overlay(errors));
    }
    extra.push_str(&format!(
        "<script src=\"{SCRIPT_PATH}\" data-generation=\"{generation}\"></script>\n"
    ));
    let at = rfind_ascii_case_insensitive(page, b"</body>").unwrap_or(page.len());
    let mut out = Vec::with_capacity(page.len() + extra.len());
    out.extend_from_slice(&page[..at]);
    out.extend_from_slice(extra.as_bytes());
    out.extend_from_slice(&page[at..]);
    out
}

/// A page of its own for when no build has succeeded yet: the overlay and
/// the reload script only.
pub fn error_page(generation: u64, errors: &[Diagnostic]) -> Vec<u8> {
    let page = "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
                <title>capcat serve: the build failed</title></head><body></body></html>\n";
    inject(page.as_bytes(), generation, errors)
}

/// The overlay: every error with its `file:line:col` and hint, escaped.
pub fn overlay(errors: &[Diagnostic]) -> String {
    let items: String = errors.iter().map(overlay_item).collect();
    let count = errors.len();
    let title = if count == 1 {
        "The build failed: 1 error".to_string()
    } else {
        format!("The build failed: {count} errors")
    };
    format!(
        "<div id=\"capcat-overlay\" role=\"alert\" style=\"position:fixed;inset:0 0 auto 0;z-index:2147483647;\
max-height:70vh;overflow:auto;margin:0;padding:16px 20px;background:#2b0b0e;color:#fde8e8;\
font:14px/1.5 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;box-shadow:0 4px 24px rgba(0,0,0,.5);\
border-bottom:4px solid #e5484d;text-align:left\">\
<button id=\"capcat-overlay-close\" type=\"button\" aria-label=\"Hide\" style=\"float:right;background:none;\
border:1px solid #fde8e8;color:#fde8e8;border-radius:4px;cursor:pointer;font:inherit\">×</button>\
<p style=\"margin:0 0 8px;font-weight:bold\">{title}</p>\
<p style=\"margin:0 0 12px;color:#f3b5b8\">capcat serve keeps serving the last good site under this \
overlay; it goes away when the next rebuild succeeds.</p>\
<ol style=\"margin:0;padding-left:24px\">{items}</ol></div>\n"
    )
}

fn overlay_item(d: &Diagnostic) -> String {
    let location = d.location();
    let location = if location.is_empty() {
        String::new()
    } else {
        format!(
            "<code class=\"capcat-location\" style=\"color:#ffd479;background:none;padding:0;font:inherit\">{}</code> ",
            escape(&location)
        )
    };
    let severity = match d.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Notice => "notice",
    };
    let hint = d.hint.as_deref().map_or(String::new(), |h| {
        format!(
            "<br><span style=\"color:#9fd3a8\">hint: {}</span>",
            escape(h)
        )
    });
    format!(
        "<li style=\"margin:0 0 8px\">{location}{severity}: {}{hint}</li>",
        escape(&d.message)
    )
}

/// HTML-escapes text for an element's content or a quoted attribute.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

fn rfind_ascii_case_insensitive(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    (0..=haystack.len().checked_sub(needle.len())?)
        .rev()
        .find(|&i| haystack[i..i + needle.len()].eq_ignore_ascii_case(needle))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    #[test]
    fn the_script_goes_before_the_last_body_end() {
        let page = b"<html><body><p>x</p></BODY></html>";
        let out = String::from_utf8(inject(page, 7, &[])).unwrap();
        assert_eq!(
            out,
            "<html><body><p>x</p><script src=\"/__capcat/reload.js\" data-generation=\"7\"></script>\n</BODY></html>"
        );
        let bare = String::from_utf8(inject(b"no body", 1, &[])).unwrap();
        assert!(bare.starts_with("no body<script"));
    }

    #[test]
    fn the_overlay_escapes_what_it_shows() {
        let d = Diagnostic::error(
            PathBuf::from("content/<b>.md"),
            "unknown field `<img src=x onerror=alert(1)>`",
        )
        .at(3, 1)
        .with_hint("use \"title\" & friends");
        let html = overlay(&[d]);
        assert!(html.contains("content/&lt;b&gt;.md:3:1"), "{html}");
        assert!(
            html.contains("`&lt;img src=x onerror=alert(1)&gt;`"),
            "{html}"
        );
        assert!(
            html.contains("use &quot;title&quot; &amp; friends"),
            "{html}"
        );
        assert!(!html.contains("<img"), "{html}");
    }
}
