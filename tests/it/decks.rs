//! Made for decks and phones: link-preview cards and PNG badges, the
//! sentence to paste, the one-page print, and every page of the demo (both
//! audiences) looked at in headless Chromium at 390 px and 1280 px.
//!
//! The browser test needs Debian's `chromium` and `chromium-driver`
//! (`scripts/install-test-deps.sh`); without them it is skipped, or fails
//! when `CI` is set.

use crate::util::browser::{Browser, browser_available};
use crate::util::{capcat, read_tree, repo, small_catalog, text};
use serde_json::{Value, json};
use std::path::Path;

/// Builds the demo for `audience` into `out`.
fn build_demo(out: &Path, audience: &str) {
    let config = repo().join("catalog.toml");
    let o = capcat(
        &repo(),
        &[
            "build",
            "--config",
            config.to_str().unwrap(),
            "--audience",
            audience,
            "--out",
            out.to_str().unwrap(),
            "--quiet",
        ],
    );
    assert!(o.status.success(), "{}", text(&o));
}

/// Width and height from a PNG's header.
fn png_size(bytes: &[u8]) -> (u32, u32) {
    assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n", "a PNG");
    let be = |at: usize| u32::from_be_bytes(bytes[at..at + 4].try_into().unwrap());
    (be(16), be(20))
}

/// The `content` of `<meta property|name="{key}" content="…">` in `html`.
fn meta(html: &str, key: &str) -> Option<String> {
    let at = html.find(&format!("\"{key}\" content=\""))?;
    let rest = &html[at + key.len() + 12..];
    Some(rest[..rest.find('"')?].to_string())
}

/// Pages of a built site worth looking at: every HTML page but redirects.
fn pages(site: &Path) -> Vec<String> {
    read_tree(site)
        .into_iter()
        .filter(|(path, bytes)| {
            path.ends_with(".html")
                && !String::from_utf8_lossy(bytes).contains("http-equiv=\"refresh\"")
        })
        .map(|(path, _)| path)
        .collect()
}

#[test]
fn every_capability_page_has_a_preview_card_of_its_own() {
    let dir = tempfile::tempdir().unwrap();
    for audience in ["internal", "public"] {
        let site = dir.path().join(audience);
        build_demo(&site, audience);
        let json: Value =
            serde_json::from_slice(&std::fs::read(site.join("catalog.json")).unwrap()).unwrap();
        let mut cards = std::collections::BTreeMap::new();
        for cap in json["capabilities"].as_array().unwrap() {
            let id = cap["id"].as_str().unwrap();
            let html = std::fs::read_to_string(site.join(format!("capabilities/{id}/index.html")))
                .unwrap();
            let image = meta(&html, "og:image").unwrap_or_else(|| panic!("{id}: no og:image"));
            assert_eq!(
                meta(&html, "twitter:image").as_deref(),
                Some(image.as_str())
            );
            assert_eq!(
                meta(&html, "twitter:card").as_deref(),
                Some("summary_large_image")
            );
            let path = image
                .strip_prefix("https://catalog.harbor.example/")
                .and_then(|p| p.split('?').next())
                .unwrap_or_else(|| panic!("{id}: og:image is not absolute: {image}"));
            let png = std::fs::read(site.join(path)).unwrap_or_else(|e| panic!("{path}: {e}"));
            assert_eq!(png_size(&png), (1200, 630), "{path}");
            let badge = std::fs::read(site.join(format!("badges/{id}.png"))).unwrap();
            assert_eq!(png_size(&badge).1, 40, "badges/{id}.png");
            cards.insert(cap["status"].as_str().unwrap().to_string(), png);
        }
        assert!(cards.len() >= 2, "{audience}: several statuses");
        let first = cards.values().next().unwrap();
        assert!(
            cards.values().skip(1).all(|other| other != first),
            "{audience}: cards of different statuses differ"
        );
    }
    let internal =
        std::fs::read_to_string(dir.path().join("internal/capabilities/sso-saml/index.html"))
            .unwrap();
    assert!(
        internal.contains(
            "[![Single sign-on (SAML 2.0): available](https://catalog.harbor.example/badges/sso-saml.png)](https://catalog.harbor.example/capabilities/sso-saml/)"
        ),
        "the Markdown embed snippet"
    );
    let public =
        std::fs::read_to_string(dir.path().join("public/capabilities/sso-saml/index.html"))
            .unwrap();
    assert!(
        !public.contains("Embed the status badge"),
        "snippets are internal"
    );
}

#[test]
fn an_unchanged_capability_is_not_rendered_again() {
    let tmp = tempfile::tempdir().unwrap();
    small_catalog(tmp.path());
    let o = capcat(tmp.path(), &["build", "-v"]);
    assert!(o.status.success(), "{}", text(&o));
    assert!(
        text(&o).contains("cards: 3 rendered, 0 from cache"),
        "{}",
        text(&o)
    );
    let first = read_tree(&tmp.path().join("public"));
    // Without the site, the build renders again, with every card cached.
    std::fs::remove_dir_all(tmp.path().join("public")).unwrap();
    let o = capcat(tmp.path(), &["build", "-v"]);
    assert!(
        text(&o).contains("cards: 0 rendered, 3 from cache"),
        "{}",
        text(&o)
    );
    assert_eq!(first, read_tree(&tmp.path().join("public")), "same bytes");

    // A changed capability gets a new card; the others come from the cache.
    let alpha = tmp.path().join("content/capabilities/alpha.md");
    let changed = std::fs::read_to_string(&alpha)
        .unwrap()
        .replace("Alpha export", "Alpha export to CSV");
    std::fs::write(&alpha, changed).unwrap();
    let o = capcat(tmp.path(), &["build", "-v"]);
    assert!(
        text(&o).contains("cards: 1 rendered, 2 from cache"),
        "{}",
        text(&o)
    );
}

#[test]
fn without_a_base_url_there_are_no_cards_and_a_notice_says_why() {
    let tmp = tempfile::tempdir().unwrap();
    small_catalog(tmp.path());
    crate::util::write(tmp.path(), "catalog.toml", "[site]\ntitle = \"Small\"\n");
    let o = capcat(tmp.path(), &["build"]);
    assert!(o.status.success(), "{}", text(&o));
    let said = text(&o);
    assert_eq!(said.matches("no link-preview cards").count(), 1, "{said}");
    assert!(said.contains("base_url"), "{said}");
    let site = tmp.path().join("public");
    assert!(!site.join("cards").exists());
    let html = std::fs::read_to_string(site.join("capabilities/alpha/index.html")).unwrap();
    assert!(!html.contains("og:image"));
    assert!(
        site.join("badges/alpha.png").is_file(),
        "PNG badges all the same"
    );
}

/// Lists `(page, problem)` for each page where `check` (a script returning a
/// string or null) finds one.
fn look_at_pages(b: &Browser, site: &Path, pages: &[String], check: &str) -> Vec<String> {
    let mut problems = Vec::new();
    for page in pages {
        b.goto(&format!("file://{}/{page}", site.display()));
        b.wait_for("return document.readyState === 'complete'", page);
        let v = b.js(check);
        if let Some(problem) = v.as_str() {
            problems.push(format!("{page}: {problem}"));
        }
    }
    problems
}

fn viewport(b: &Browser, width: u32, height: u32, mobile: bool) {
    b.post(
        "/goog/cdp/execute",
        json!({"cmd": "Emulation.setDeviceMetricsOverride", "params": {
            "width": width, "height": height, "deviceScaleFactor": 1, "mobile": mobile}}),
    );
}

const NOT_WIDER: &str = "var w = document.documentElement.scrollWidth; \
     return w <= innerWidth ? null : 'scrollWidth ' + w + ' > ' + innerWidth + ' px';";

/// Card titles whose words break across lines, from the rendered line boxes
/// of each character.
const TITLES_KEEP_WORDS: &str = r#"
var bad = [];
document.querySelectorAll('.card-title').forEach(function (el) {
  var t = el.firstChild; if (!t || t.nodeType !== 3) return;
  var s = t.textContent, r = document.createRange(), re = /\S+/g, m;
  while ((m = re.exec(s))) {
    var tops = {};
    for (var i = m.index; i < m.index + m[0].length; i++) {
      r.setStart(t, i); r.setEnd(t, i + 1);
      var box = r.getClientRects()[0];
      if (box) tops[Math.round(box.top)] = 1;
    }
    if (Object.keys(tops).length > 1) bad.push(m[0]);
  }
});
return bad.length ? 'words broken in card titles: ' + bad.join(', ') : null;"#;

#[test]
fn decks_and_phones_in_chromium() {
    if !browser_available() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let (internal, public) = (dir.path().join("internal"), dir.path().join("public"));
    build_demo(&internal, "internal");
    build_demo(&public, "public");

    // No customer reads a sales instruction.
    for (path, bytes) in read_tree(&public) {
        let text = String::from_utf8_lossy(&bytes).to_lowercase();
        assert!(!text.contains("do not promise"), "public {path}");
    }

    let b = Browser::start();
    let mut problems = Vec::new();
    viewport(&b, 390, 844, true);
    for site in [&internal, &public] {
        problems.extend(look_at_pages(&b, site, &pages(site), NOT_WIDER));
    }

    // On a phone the first result is on screen after typing a query.
    b.goto(&format!("file://{}/search/index.html", internal.display()));
    b.wait_for(
        "return document.querySelector('#search-page-results .search-hit')",
        "the listing",
    );
    b.type_into("#search-page-input", "export");
    let seen = b.wait_for(
        "var h = document.querySelector('#search-page-results .search-hit'); \
         var q = new URLSearchParams(location.search).get('q'); \
         if (!h || q !== 'export') return null; \
         var r = h.getBoundingClientRect(); return [r.top, r.bottom, innerHeight, scrollY];",
        "results for `export`",
    );
    let (bottom, height) = (seen[1].as_f64().unwrap(), seen[2].as_f64().unwrap());
    assert!(
        bottom <= height && seen[3] == json!(0),
        "first result off screen: {seen}"
    );

    viewport(&b, 1280, 900, false);
    for site in [&internal, &public] {
        problems.extend(look_at_pages(&b, site, &pages(site), TITLES_KEEP_WORDS));
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));

    search_listing_is_by_title_and_says_what_it_shows(&b, &internal);
    copy_answer_copies_the_sentence(&b, &internal);
    a_capability_prints_on_one_page(&b, &internal);
    not_found_is_styled_from_file(&b, &internal);
}

fn search_listing_is_by_title_and_says_what_it_shows(b: &Browser, site: &Path) {
    b.goto(&format!("file://{}/search/index.html", site.display()));
    let titles = b.wait_for(
        "var t = Array.from(document.querySelectorAll('#search-page-results .search-hit-title')).map(e => e.textContent); \
         return t.length ? t : null;",
        "the full listing",
    );
    let titles: Vec<String> = titles
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t.as_str().unwrap().to_lowercase())
        .collect();
    let mut sorted = titles.clone();
    sorted.sort();
    assert_eq!(titles, sorted, "the listing is by title");
    let heading = "return document.getElementById('search-title').textContent";
    assert_eq!(b.js(heading), json!("All capabilities"));
    b.type_into("#search-page-input", "soap");
    let count = b.wait_for(
        "var c = document.getElementById('search-count').textContent; return c.includes('soap') ? c : null;",
        "the count for `soap`",
    );
    let count = count.as_str().unwrap();
    assert!(
        count.starts_with("1 capability matches “") || count.contains(" capabilities match “"),
        "{count}"
    );
    assert_eq!(b.js(heading), json!("Search: “soap”"));
}

fn copy_answer_copies_the_sentence(b: &Browser, site: &Path) {
    b.goto(&format!(
        "file://{}/capabilities/sso-saml/index.html",
        site.display()
    ));
    let expected = "Single sign-on (SAML 2.0): Yes — available on enterprise. https://catalog.harbor.example/capabilities/sso-saml/";
    assert_eq!(
        b.js("return document.getElementById('answer-sentence').textContent"),
        json!(expected),
        "the sentence is on the page without JavaScript"
    );
    b.wait_for(
        "return !document.querySelector('[data-copy]').hidden",
        "the Copy answer button",
    );
    b.js("window.copied = null; navigator.clipboard.writeText = function (t) { window.copied = t; return Promise.resolve(); };");
    b.click("[data-copy]");
    let copied = b.wait_for("return window.copied", "the copied text");
    assert_eq!(copied, json!(expected));
    assert_eq!(
        b.js("return document.querySelector('[data-copy]').getAttribute('data-copied')"),
        json!("yes")
    );
}

fn a_capability_prints_on_one_page(b: &Browser, site: &Path) {
    for id in ["scim-provisioning", "sso-saml", "usage-based-pricing"] {
        b.goto(&format!(
            "file://{}/capabilities/{id}/index.html",
            site.display()
        ));
        b.wait_for("return document.readyState === 'complete'", id);
        let pdf = b.post(
            "/print",
            json!({"page": {"width": 21.0, "height": 29.7}, "background": true}),
        );
        let pdf = base64_decode(pdf.as_str().unwrap());
        let text = String::from_utf8_lossy(&pdf);
        let pages = text.matches("/Type /Page\n").count()
            + text.matches("/Type /Page ").count()
            + text.matches("/Type /Page>").count()
            + text.matches("/Type /Page/").count();
        assert_eq!(pages, 1, "{id} prints on one A4 page");
    }
}

fn not_found_is_styled_from_file(b: &Browser, site: &Path) {
    b.goto(&format!("file://{}/404.html", site.display()));
    let background = b.wait_for(
        "var h = document.querySelector('.site-header'); return h && getComputedStyle(h).backgroundColor;",
        "the 404 header",
    );
    assert_eq!(background, json!("rgb(13, 27, 62)"), "404.html is styled");
}

fn base64_decode(text: &str) -> Vec<u8> {
    const ABC: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = Vec::with_capacity(text.len() / 4 * 3);
    let (mut acc, mut bits) = (0u32, 0);
    for c in text
        .bytes()
        .filter(|c| *c != b'=' && !c.is_ascii_whitespace())
    {
        acc = (acc << 6) | ABC.iter().position(|&a| a == c).unwrap() as u32;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
        }
    }
    out
}
