//! The catalog's memory on the site (docs/history.md): the changes page
//! and its Atom feed, each capability's timeline, and the re-engage list
//! (page and CSV, for the audiences allowed to see it).

use super::{OutputFile, Renderer};
use crate::diagnostics::Diagnostic;
use crate::history::timeline::{Timeline, timeline};
use crate::history::words::sentence;
use crate::model::date::iso;
use crate::model::{Change, ChangeKind};
use crate::view::{CapabilityView, SiteView};
use serde::Serialize;
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use tera::Context;

/// The changes page and, when the audience may see it, the re-engage page.
pub fn pages(
    r: &Renderer,
    view: &SiteView<'_>,
    base: &Context,
) -> Result<Vec<OutputFile>, Diagnostic> {
    let mut ctx = base.clone();
    ctx.insert("meta_title", "Changes");
    ctx.insert("days", &days(view));
    ctx.insert("kinds", &kind_counts(&view.history));
    ctx.insert("total", &view.history.len());
    let mut out = vec![r.render("changes.html", "changes/index.html", &mut ctx)?];
    if view.rules.re_engage_page {
        let mut ctx = base.clone();
        ctx.insert("meta_title", "Re-engage");
        ctx.insert("rows", &re_engage(view));
        out.push(r.render("re-engage.html", "re-engage/index.html", &mut ctx)?);
    }
    Ok(out)
}

/// `changes.xml` and, when the audience may see it, `re-engage.csv`.
pub fn files(view: &SiteView<'_>) -> Vec<OutputFile> {
    let mut out = vec![OutputFile::text("changes.xml", feed(view))];
    if view.rules.re_engage_page {
        out.push(OutputFile {
            path: "re-engage.csv".into(),
            bytes: re_engage_csv(&re_engage(view)).into(),
        });
    }
    out
}

/// One change as pages show it.
#[derive(Debug, Clone, Serialize)]
pub struct ChangeRow<'a> {
    /// Anchor on the changes page, stable across builds (`change-3f9a…`).
    pub anchor: String,
    /// Build date that noticed it.
    pub date: String,
    /// Kind name (`target-slipped`).
    pub kind: &'a str,
    /// Kind in words.
    pub kind_label: &'a str,
    /// Id at the time.
    pub id: &'a str,
    /// Title of the capability now, or the id when it is gone.
    pub title: &'a str,
    /// Page of the capability from the site root, when it has one.
    pub page: Option<String>,
    /// What happened, in one sentence.
    pub text: String,
}

/// The changes of one build date.
#[derive(Debug, Clone, Serialize)]
pub struct Day<'a> {
    /// `YYYY-MM-DD`.
    pub date: String,
    /// Its changes.
    pub entries: Vec<ChangeRow<'a>>,
}

/// A kind with how many changes of it the history holds, for the filter.
#[derive(Debug, Clone, Serialize)]
pub struct KindCount<'a> {
    /// Kind name.
    pub kind: &'a str,
    /// In words.
    pub label: &'a str,
    /// How many.
    pub count: usize,
}

/// The capability a history id belongs to now: by id, or by a former id.
fn owner<'v, 'a>(view: &'v SiteView<'a>, id: &str) -> Option<&'v CapabilityView<'a>> {
    view.capability(id).or_else(|| {
        view.capabilities
            .iter()
            .find(|c| c.redirect_from.iter().any(|old| old == id))
    })
}

fn row<'a>(view: &'a SiteView<'_>, c: &'a Change) -> ChangeRow<'a> {
    let cap = owner(view, &c.id);
    ChangeRow {
        anchor: format!("change-{}", &digest(view, c)[..12]),
        date: iso(c.date),
        kind: c.kind.as_str(),
        kind_label: c.kind.label(),
        id: &c.id,
        title: cap.map_or(c.id.as_str(), |cap| cap.title),
        page: cap.map(|cap| format!("capabilities/{}/index.html", cap.id)),
        text: sentence(c),
    }
}

fn days<'a>(view: &'a SiteView<'_>) -> Vec<Day<'a>> {
    let mut days: Vec<Day<'a>> = Vec::new();
    for c in &view.history {
        let r = row(view, c);
        match days.last_mut() {
            Some(day) if day.date == r.date => day.entries.push(r),
            _ => days.push(Day {
                date: r.date.clone(),
                entries: vec![r],
            }),
        }
    }
    days
}

fn kind_counts(history: &[Change]) -> Vec<KindCount<'_>> {
    let mut counts: BTreeMap<&ChangeKind, usize> = BTreeMap::new();
    for c in history {
        *counts.entry(&c.kind).or_default() += 1;
    }
    counts
        .into_iter()
        .map(|(k, count)| KindCount {
            kind: k.as_str(),
            label: k.label(),
            count,
        })
        .collect()
}

/// A capability page's history section.
#[derive(Debug, Clone, Serialize)]
pub struct TimelineContext<'a> {
    /// `Available since 2026-11-30`.
    pub since: Option<String>,
    /// `Target: 2026-Q3 → 2026-Q4 → 2027-Q1, slipped twice`.
    pub target: Option<String>,
    /// Its changes, newest first.
    pub entries: Vec<ChangeRow<'a>>,
}

fn timeline_of<'h>(view: &'h SiteView<'_>, c: &CapabilityView<'_>) -> Timeline<'h> {
    timeline(
        &view.history,
        |id| id == c.id || c.redirect_from.iter().any(|old| old == id),
        c.status,
    )
}

/// The timeline of capability `c`.
pub fn timeline_context<'a>(view: &'a SiteView<'_>, c: &CapabilityView<'_>) -> TimelineContext<'a> {
    let t = timeline_of(view, c);
    TimelineContext {
        since: t.since_line(c.status),
        target: t.target_line(c.status),
        entries: t.entries.iter().map(|e| row(view, e)).collect(),
    }
}

/// An account to call back now that what it asked for shipped.
#[derive(Debug, Clone, Serialize)]
pub struct ReEngageRow<'a> {
    /// The requesting account.
    pub account: &'a str,
    /// Money at stake.
    pub amount: Option<f64>,
    /// Why the deal was lost, as the rep stated it.
    pub lost_reason: Option<&'a str>,
    /// The sales engineer's diagnosis of the same request.
    pub truth: Option<&'a str>,
    /// The request's key.
    pub key: &'a str,
    /// Link to the request.
    pub request_url: Option<&'a str>,
    /// Capability id.
    pub id: &'a str,
    /// Capability title.
    pub title: &'a str,
    /// Status name (`available`, `beta`).
    pub status: &'static str,
    /// Status in words.
    pub status_label: &'static str,
    /// The capability's permalink to send (absolute when `base_url` is set).
    pub url: String,
    /// The date the history saw it ship, if it did.
    pub shipped: Option<String>,
}

/// Every request with an account on an available or beta capability,
/// newest ship first (ships the history did not see last), then by title,
/// account and key. Empty for an audience that may not see demand.
pub fn re_engage<'a>(view: &'a SiteView<'_>) -> Vec<ReEngageRow<'a>> {
    let mut rows: Vec<ReEngageRow<'a>> = view
        .capabilities
        .iter()
        .flat_map(|c| rows_of(view, c))
        .collect();
    rows.sort_by(|a, b| {
        (b.shipped.is_some(), &b.shipped)
            .cmp(&(a.shipped.is_some(), &a.shipped))
            .then_with(|| (a.title, a.account, a.key).cmp(&(b.title, b.account, b.key)))
    });
    rows
}

/// The re-engage rows of capability `c`, by account, on its own page.
pub fn re_engage_of<'a>(view: &'a SiteView<'_>, c: &'a CapabilityView<'_>) -> Vec<ReEngageRow<'a>> {
    if !view.rules.re_engage_page {
        return Vec::new();
    }
    let mut rows = rows_of(view, c);
    rows.sort_by(|a, b| (a.account, a.key).cmp(&(b.account, b.key)));
    rows
}

/// The requests with an account of `c`, if it is available or beta.
fn rows_of<'a>(view: &'a SiteView<'_>, c: &'a CapabilityView<'_>) -> Vec<ReEngageRow<'a>> {
    let Some(demand) = c.demand.filter(|_| c.status.is_shipped()) else {
        return Vec::new();
    };
    let shipped = timeline_of(view, c).since.map(iso);
    let url = view.absolute(c.url);
    demand
        .requests
        .iter()
        .filter_map(|r| {
            Some(ReEngageRow {
                account: r.account.as_deref()?,
                amount: r.amount,
                lost_reason: r.lost_reason.as_deref(),
                truth: r.truth.as_deref(),
                key: &r.key,
                request_url: r.url.as_deref(),
                id: c.id,
                title: c.title,
                status: c.status.as_str(),
                status_label: c.status_label,
                url: url.clone(),
                shipped: shipped.clone(),
            })
        })
        .collect()
}

/// `re-engage.csv`, for import into a CRM.
fn re_engage_csv(rows: &[ReEngageRow<'_>]) -> Vec<u8> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let header = [
        "account",
        "amount",
        "capability",
        "url",
        "shipped",
        "request key",
        "lost reason",
        "technical truth",
    ];
    w.write_record(header).expect("writing to memory");
    for r in rows {
        let amount = r.amount.map(|a| format!("{a:.0}")).unwrap_or_default();
        w.write_record([
            inert(r.account).as_str(),
            &amount,
            &inert(r.title),
            &r.url,
            r.shipped.as_deref().unwrap_or(""),
            &inert(r.key),
            &inert(r.lost_reason.unwrap_or("")),
            &inert(r.truth.unwrap_or("")),
        ])
        .expect("writing to memory");
    }
    w.into_inner().expect("writing to memory")
}

/// A cell a spreadsheet will not run as a formula: text starting with
/// `=`, `+`, `-`, `@` or a control character gets a leading `'`.
fn inert(s: &str) -> String {
    if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{s}")
    } else {
        s.to_string()
    }
}

/// A stable digest of one change in one catalog: the same change always
/// gets the same feed id and anchor, so feed readers never repeat it.
fn digest(view: &SiteView<'_>, c: &Change) -> String {
    let mut h = Sha256::new();
    for part in [
        view.site.base_url.as_str(),
        view.audience.as_str(),
        &iso(c.date),
        &c.id,
        c.kind.as_str(),
        c.from.as_deref().unwrap_or("\u{0}"),
        c.to.as_deref().unwrap_or("\u{0}"),
        c.detail.as_deref().unwrap_or("\u{0}"),
    ] {
        h.update(part.as_bytes());
        h.update([0x1f]);
    }
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

/// A `urn:uuid:` made from a hex digest (version 8, name-based).
fn urn_uuid(hex: &str) -> String {
    let mut b: Vec<u8> = (0..16)
        .map(|i| u8::from_str_radix(&hex[2 * i..2 * i + 2], 16).expect("hex digest"))
        .collect();
    b[6] = (b[6] & 0x0f) | 0x80;
    b[8] = (b[8] & 0x3f) | 0x80;
    let h: String = b.iter().map(|x| format!("{x:02x}")).collect();
    format!(
        "urn:uuid:{}-{}-{}-{}-{}",
        &h[0..8],
        &h[8..12],
        &h[12..16],
        &h[16..20],
        &h[20..32]
    )
}

fn xml_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn timestamp(date: time::Date) -> String {
    format!("{}T00:00:00Z", iso(date))
}

/// `changes.xml`: an Atom 1.0 feed of the history. Links are absolute when
/// `base_url` is set, else relative to the feed.
fn feed(view: &SiteView<'_>) -> String {
    let link = |path: &str| {
        if view.site.base_url.is_empty() {
            path.trim_start_matches('/').to_string()
        } else {
            view.absolute(path)
        }
    };
    let feed_id = if view.site.base_url.is_empty() {
        let mut h = Sha256::new();
        h.update(format!(
            "capcat changes\u{1f}{}\u{1f}{}",
            view.site.title,
            view.audience.as_str()
        ));
        let hex: String = h.finalize().iter().map(|b| format!("{b:02x}")).collect();
        urn_uuid(&hex)
    } else {
        view.absolute("/changes.xml")
    };
    let updated = view.history.first().map_or(view.date, |c| c.date);
    let title = format!("{} — changes", view.site.title);
    let mut x = String::from("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
    x.push_str("<feed xmlns=\"http://www.w3.org/2005/Atom\">\n");
    x.push_str(&format!("  <id>{}</id>\n", xml_escape(&feed_id)));
    x.push_str(&format!("  <title>{}</title>\n", xml_escape(&title)));
    x.push_str(&format!("  <updated>{}</updated>\n", timestamp(updated)));
    x.push_str(&format!(
        "  <link rel=\"self\" type=\"application/atom+xml\" href=\"{}\"/>\n",
        xml_escape(&link("/changes.xml"))
    ));
    x.push_str(&format!(
        "  <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n",
        xml_escape(&link("/changes/"))
    ));
    x.push_str(&format!(
        "  <author><name>{}</name></author>\n",
        xml_escape(&view.site.title)
    ));
    x.push_str("  <generator>capcat</generator>\n");
    for c in &view.history {
        let r = row(view, c);
        let href = match &r.page {
            Some(_) => link(&format!(
                "/capabilities/{}/",
                owner(view, &c.id).map_or(r.id, |o| o.id)
            )),
            None => format!("{}#{}", link("/changes/"), r.anchor),
        };
        x.push_str("  <entry>\n");
        x.push_str(&format!("    <id>{}</id>\n", urn_uuid(&digest(view, c))));
        x.push_str(&format!(
            "    <title>{}</title>\n",
            xml_escape(&format!("{}: {}", r.title, r.kind_label.to_lowercase()))
        ));
        x.push_str(&format!("    <updated>{}</updated>\n", timestamp(c.date)));
        x.push_str(&format!(
            "    <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n",
            xml_escape(&href)
        ));
        x.push_str(&format!(
            "    <category term=\"{}\" label=\"{}\"/>\n",
            xml_escape(r.kind),
            xml_escape(r.kind_label)
        ));
        x.push_str(&format!("    <summary>{}</summary>\n", xml_escape(&r.text)));
        x.push_str("  </entry>\n");
    }
    x.push_str("</feed>\n");
    x
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uuids_are_well_formed() {
        let u = urn_uuid(&"ab".repeat(32));
        assert_eq!(u, "urn:uuid:abababab-abab-8bab-abab-abababababab");
    }

    #[test]
    fn spreadsheet_formulas_are_made_inert() {
        assert_eq!(inert("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(inert("Initech"), "Initech");
    }
}
