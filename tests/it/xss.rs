//! No script from a source reaches a page. Over a hundred XSS payloads are
//! placed in every field a user controls — catalog.toml, front matter,
//! Markdown bodies, page names, Jira CSV fields, marker comments, route and
//! flag strings in code, code file names, link templates — both audiences
//! are built, and every page is loaded in headless Chromium with `alert`,
//! `confirm` and `prompt` hooked before any page script runs. Each page must
//! end with no hooked call, no link whose scheme is not http(s), mailto or
//! relative (any such link is clicked, to be sure), no inline event
//! handler, no frame, object or embed, and no element that content made
//! `position: fixed`.
//!
//! CI runs every fourth payload; `CAPCAT_XSS_FULL=1 cargo test --test it xss
//! -- --nocapture` runs them all (docs/output.md, "Guarantees").

use crate::util::browser::{Browser, browser_available};
use crate::util::http::Server;
use crate::util::{capability, capcat, read_tree, text, write};
use serde_json::Value;
use std::path::Path;

/// `{N}` is replaced by the payload's number, so a call names its payload.
const PAYLOADS: &[&str] = &[
    "<script>alert({N})</script>",
    "<SCRIPT>alert({N})</SCRIPT>",
    "<script src=data:,alert({N})></script>",
    "<img src=x onerror=alert({N})>",
    "<img src=x onerror=\"alert({N})\">",
    "<svg onload=alert({N})>",
    "<svg><script>alert({N})</script></svg>",
    "<body onload=alert({N})>",
    "<iframe src=\"javascript:alert({N})\"></iframe>",
    "<iframe srcdoc=\"<script>alert({N})</script>\"></iframe>",
    "<a href=\"javascript:alert({N})\">x</a>",
    "<a href=\"JaVaScRiPt:alert({N})\">x</a>",
    "<a href=\"java&#115;cript:alert({N})\">x</a>",
    "<a href=\"&#x6A;avascript:alert({N})\">x</a>",
    "<a href=\"data:text/html,<script>alert({N})</script>\">x</a>",
    "<a href=\"vbscript:msgbox({N})\">x</a>",
    "[x](javascript:alert({N}))",
    "[x](JAVASCRIPT:alert({N}))",
    "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "<javascript:alert({N})>",
    "![x](javascript:alert({N}))",
    "[x][r{N}]\n\n[r{N}]: javascript:alert({N})",
    "\"><script>alert({N})</script>",
    "'><script>alert({N})</script>",
    "\" onmouseover=\"alert({N})",
    "' onfocus='alert({N})' autofocus='",
    "\" autofocus onfocus=\"alert({N})",
    "</title><script>alert({N})</script>",
    "</textarea><script>alert({N})</script>",
    "</script><script>alert({N})</script>",
    "</style><script>alert({N})</script>",
    "<!--<script>alert({N})</script>-->",
    "{{ alert({N}) }}",
    "{% raw %}<script>alert({N})</script>{% endraw %}",
    "${alert({N})}",
    "<input autofocus onfocus=alert({N})>",
    "<details open ontoggle=alert({N})>",
    "<marquee onstart=alert({N})>x</marquee>",
    "<video><source onerror=alert({N})></video>",
    "<audio src=x onerror=alert({N})>",
    "<object data=\"javascript:alert({N})\"></object>",
    "<embed src=\"javascript:alert({N})\">",
    "<form action=\"javascript:alert({N})\"><button>x</button></form>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert({N})>",
    "<svg><a xlink:href=\"javascript:alert({N})\"><text y=\"20\">x</text></a></svg>",
    "<meta http-equiv=\"refresh\" content=\"0;url=javascript:alert({N})\">",
    "<base href=\"javascript:alert({N})//\">",
    "<link rel=import href=\"data:text/html,<script>alert({N})</script>\">",
    "<div style=\"position:fixed;top:0;left:0;width:100%;height:100%;background:red\">session expired {N}</div>",
    "<table><tr><td style=\"position:fixed;inset:0\">x{N}</td></tr></table>",
    "| a |\n|---|\n| <span style=\"position:fixed\">{N}</span> |",
    "<div style=\"background:url(javascript:alert({N}))\">x</div>",
    "<style>*{position:fixed}</style>{N}",
    "<p style=\"x:expression(alert({N}))\">x</p>",
    "\u{2028}alert({N})\u{2029}",
    "</script>\u{2028}<script>alert({N})",
    "&lt;script&gt;alert({N})&lt;/script&gt;",
    "&#60;script&#62;alert({N})&#60;/script&#62;",
    "<scr<script>ipt>alert({N})</scr</script>ipt>",
    "<img \"\"\"><script>alert({N})</script>\">",
    "<img src=`x` onerror=alert({N})>",
    "<img/src/onerror=alert({N})>",
    "<svg/onload=alert({N})>",
    "<body/onload=alert({N})>",
    "<a href=\" javascript:alert({N})\">x</a>",
    "<a href=\"java\tscript:alert({N})\">x</a>",
    "<a href=\"java\nscript:alert({N})\">x</a>",
    "<a href=\"&#0000106avascript:alert({N})\">x</a>",
    "<a href=\"javascript&colon;alert({N})\">x</a>",
    "<isindex action=javascript:alert({N}) type=image>",
    "<select onfocus=alert({N}) autofocus>",
    "<textarea onfocus=alert({N}) autofocus>",
    "<keygen onfocus=alert({N}) autofocus>",
    "<button onclick=alert({N})>x</button>",
    "<div onpointerover=alert({N})>x</div>",
    "<a href=# onclick=alert({N})>x</a>",
    "<img src=x:alert({N}) onerror=eval(src)>",
    "<script>window['al'+'ert']({N})</script>",
    "<script>confirm({N})</script>",
    "<script>prompt({N})</script>",
    "<img src=x onerror=confirm({N})>",
    "<img src=x onerror=prompt({N})>",
    "<svg><animate onbegin=alert({N}) attributeName=x dur=1s>",
    "<svg><set attributeName=onload to=alert({N})>",
    "<noscript><p title=\"</noscript><img src=x onerror=alert({N})>\">",
    "<template><img src=x onerror=alert({N})></template>",
    "<xmp><img src=x onerror=alert({N})></xmp>",
    "<plaintext><img src=x onerror=alert({N})>",
    "<frameset onload=alert({N})>",
    "<table background=\"javascript:alert({N})\">",
    "<img dynsrc=\"javascript:alert({N})\">",
    "<svg><foreignObject><iframe srcdoc=\"&lt;script&gt;alert({N})&lt;/script&gt;\"></foreignObject></svg>",
    "\"-alert({N})-\"",
    "'-alert({N})-'",
    "\\\";alert({N});//",
    "</script><svg onload=alert({N})>",
    "{\"x\":\"</script><script>alert({N})</script>\"}",
    "<img src=x onerror=alert&#40;{N}&#41;>",
    "<a href=\"jav&#x09;ascript:alert({N})\">x</a>",
    "<a href=\"&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert({N})\">x</a>",
    "<a href=\"data:image/svg+xml,<svg onload=alert({N})>\">x</a>",
    "[x](vbscript:msgbox({N}))",
    "[x](  javascript:alert({N})  )",
    "[x](<javascript:alert({N})>)",
    "<https://x.example/\"><script>alert({N})</script>>",
    "<iframe src=\"data:text/html,<script>alert({N})</script>\">",
    "<object type=\"text/html\" data=\"data:text/html,<script>alert({N})</script>\">",
    "<div style=\"position:absolute;top:0;left:0;width:100vw;height:100vh;z-index:9999\">overlay {N}</div>",
    "<img src=x onerror=alert({N})//",
    "<svg><use href=\"data:image/svg+xml,<svg id='x' xmlns='http://www.w3.org/2000/svg'><image href='x' onerror='alert({N})'/></svg>#x\">",
];

fn payload(n: usize) -> String {
    PAYLOADS[n].replace("{N}", &n.to_string())
}

/// Which payloads run: all with `CAPCAT_XSS_FULL`, else every fourth.
fn chosen() -> Vec<usize> {
    let step = if std::env::var_os("CAPCAT_XSS_FULL").is_some() {
        1
    } else {
        4
    };
    (0..PAYLOADS.len()).step_by(step).collect()
}

/// A YAML double-quoted scalar holding `s` exactly.
fn yaml(s: &str) -> String {
    serde_json::to_string(s).unwrap()
}

/// A TOML basic string holding `s` exactly.
fn toml(s: &str) -> String {
    serde_json::to_string(s).unwrap()
}

/// A CSV cell holding `s` exactly.
fn cell(s: &str) -> String {
    format!("\"{}\"", s.replace('"', "\"\""))
}

/// A Python string literal holding `s`.
fn python(s: &str) -> String {
    format!(
        "\"{}\"",
        s.replace('\\', "\\\\")
            .replace('"', "\\\"")
            .replace('\n', "\\n")
    )
}

/// The first `n` characters of `s` (category and plan names have a length limit).
fn short(s: &str, n: usize) -> &str {
    s.char_indices().nth(n).map_or(s, |(i, _)| &s[..i])
}

/// A file name carrying `s` as far as the file system allows.
fn file_name(n: usize, s: &str) -> String {
    let safe: String = s
        .chars()
        .filter(|c| *c != '/' && *c != '\0' && !c.is_control())
        .take(60)
        .collect();
    format!("p{n} {safe}.py")
}

/// A catalog with payload `n` in every field of capability `cap-n`.
fn write_catalog(dir: &Path, chosen: &[usize]) {
    let first = payload(chosen[0]);
    write(
        dir,
        "catalog.toml",
        &format!(
            "[site]\ntitle = {}\ndescription = {}\nbase_url = \"https://xss.example\"\ncontact = {}\n\
             [code]\nroots = [\"code\"]\nlink = {}\nflag_functions = [\"feature_enabled\"]\n\
             [jira]\nsources = [\"jira.csv\"]\nbrowse_url = {}\nrequest_types = [\"Feature Request\"]\n\
             account_field = \"Customer\"\namount_field = \"Deal Amount\"\nlost_field = \"Lost Reason\"\n\
             truth_field = \"Technical Truth\"\n",
            toml(&format!("Catalog {first}")),
            toml(&first),
            toml("mailto:sales@xss.example"),
            toml(&format!(
                "https://git.xss.example/{first}/{{path}}#L{{line}}"
            )),
            toml(&format!("https://jira.xss.example/{first}/{{key}}")),
        ),
    );
    write(
        dir,
        "content/_index.md",
        &capability("title: Home\npublic: true", &first),
    );
    let mut csv = String::from(
        "Summary,Issue key,Issue id,Issue Type,Status,Fix versions,Labels,Custom field (Customer),Custom field (Deal Amount),Custom field (Lost Reason),Custom field (Technical Truth),Status Category\n",
    );
    for &n in chosen {
        let p = payload(n);
        let id = format!("cap-{n}");
        write(
            dir,
            &format!("content/capabilities/{id}.md"),
            &capability(
                &format!(
                    "title: {}\nsummary: {}\ncategory: {}\naliases: [{}]\nplans: [{}]\npublic: true\nevidence:\n  routes: [{}]\n  flags: [{}]\njira: [XSS-{n}]",
                    yaml(&format!("T{n} {p}")),
                    yaml(&p),
                    yaml(&format!("Cat {n} {}", short(&p, 60))),
                    yaml(short(&p, 95)),
                    yaml(short(&p, 55)),
                    yaml(&format!("/r{n}/*")),
                    yaml(&format!("flag{n}{p}")),
                ),
                &format!("{p}\n\n## {p}\n\n- {p}\n\n> {p}\n\n`{p}`\n"),
            ),
        );
        write(
            dir,
            &format!("content/page-{n}.md"),
            &capability(
                &format!(
                    "title: {}\ndescription: {}\npublic: true",
                    yaml(&p),
                    yaml(&p)
                ),
                &p,
            ),
        );
        write(
            dir,
            &format!("code/{}", file_name(n, &p)),
            &format!(
                "# capability: {id}\n@app.route({})\ndef handler_{n}():\n    return feature_enabled({})\n",
                python(&format!("/r{n}/{p}")),
                python(&format!("flag{n}{p}")),
            ),
        );
        csv.push_str(&format!(
            "{},XSS-{n},{},Epic,{},{},cap:{id},,,,,In Progress\n",
            cell(&p),
            10_000 + n,
            cell(&format!("Status {p}")),
            cell(&p),
        ));
        csv.push_str(&format!(
            "{},XSS-{},{},Feature Request,To Do,,cap:{id},{},5000,{},{},To Do\n",
            cell(&p),
            n + 1000,
            20_000 + n,
            cell(&format!("Acct {n} {p}")),
            cell(&p),
            cell(&p),
        ));
    }
    write(dir, "jira.csv", &csv);
}

/// Runs before every page script: records `alert`, `confirm` and `prompt`
/// calls (of any frame) in the top window.
const HOOK: &str = r#"
(function () {
  var log = function (kind) { return function (m) {
    try { (window.top.__xss = window.top.__xss || []).push(kind + ':' + m); } catch (e) {}
    try { (window.__xss = window.__xss || []).push(kind + ':' + m); } catch (e) {}
  }; };
  window.alert = log('alert'); window.confirm = log('confirm'); window.prompt = log('prompt');
})();
"#;

/// What a loaded page shows of a payload that got through, if anything.
const INSPECT: &str = r#"
var bad = [];
var calls = window.__xss || [];
calls.forEach(function (c) { bad.push('script ran: ' + c); });
document.querySelectorAll('a[href], area[href]').forEach(function (a) {
  if (!/^(https?:|mailto:)$/.test(a.protocol)) {
    bad.push('link with scheme ' + a.protocol + ': ' + a.getAttribute('href'));
    try { a.click(); } catch (e) {}
  }
});
document.querySelectorAll('iframe, frame, frameset, object, embed, base').forEach(function (e) {
  bad.push('element <' + e.tagName.toLowerCase() + '>');
});
document.querySelectorAll('form').forEach(function (f) {
  if (!/^https?:$/.test(new URL(f.action, location.href).protocol)) bad.push('form to ' + f.getAttribute('action'));
});
document.querySelectorAll('meta[http-equiv]').forEach(function (m) {
  var c = (m.getAttribute('content') || '').toLowerCase();
  if (/url=\s*(javascript|data|vbscript):/.test(c)) bad.push('meta refresh ' + c);
});
document.querySelectorAll('*').forEach(function (e) {
  for (var i = 0; i < e.attributes.length; i++) {
    if (/^on/i.test(e.attributes[i].name)) bad.push('handler ' + e.attributes[i].name + ' on <' + e.tagName.toLowerCase() + '>');
  }
  if (getComputedStyle(e).position === 'fixed') bad.push('position:fixed <' + e.tagName.toLowerCase() + '>');
});
(window.__xss || []).slice(calls.length).forEach(function (c) { bad.push('script ran on click: ' + c); });
return bad;
"#;

#[test]
fn no_payload_runs_in_any_field() {
    if !browser_available() {
        return;
    }
    let chosen = chosen();
    let dir = tempfile::tempdir().unwrap();
    write_catalog(dir.path(), &chosen);
    let mut pages = Vec::new();
    for audience in ["internal", "public"] {
        let out = dir.path().join(format!("site-{audience}"));
        let o = capcat(
            dir.path(),
            &[
                "build",
                "--offline",
                "--audience",
                audience,
                "--out",
                out.to_str().unwrap(),
            ],
        );
        assert!(o.status.success(), "{}", text(&o));
        for path in read_tree(&out).into_keys().filter(|p| p.ends_with(".html")) {
            pages.push((audience, path));
        }
    }
    let server = Server::files(dir.path(), "/");
    let b = Browser::start();
    b.before_every_page(HOOK);
    let mut problems = Vec::new();
    for (audience, path) in &pages {
        b.goto(&format!("{}/site-{audience}/{path}", server.url));
        b.wait_for(
            "return document.readyState === 'complete'",
            &format!("{audience} {path}"),
        );
        if let Value::Array(bad) = b.js(INSPECT) {
            problems.extend(bad.iter().map(|p| format!("{audience} /{path}: {p}")));
        }
    }
    eprintln!(
        "xss: {} payloads × every field, {} pages loaded, {} problems",
        chosen.len(),
        pages.len(),
        problems.len()
    );
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
