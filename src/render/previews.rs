//! Link-preview cards and PNG badges of a site (docs/images.md): one
//! 1200×630 card per capability page (`cards/<id>.png`, its `og:image`) and
//! `badges/<id>.png` beside the SVG badge.
//!
//! Cards are what a chat tool or slide deck shows for a pasted link, so their
//! URLs must be absolute: without `base_url` no card is made. Rendering a card
//! costs about 10 ms of CPU, so rendered cards are kept in a cache folder,
//! named by [`card_key`], and a card whose key is already there is read back
//! instead of rendered.

use super::OutputFile;
use super::files::status_color;
use super::images::{CardInput, Rgb, badge_png, card_key, preview_card};
use crate::view::{CapabilityView, SiteView};
use rayon::prelude::*;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The card of one capability: what it shows and its cache key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CardPlan {
    /// Capability id.
    pub id: String,
    /// Title.
    pub title: String,
    /// Status label.
    pub status_label: String,
    /// Status colour, `#rrggbb`.
    pub colour: &'static str,
    /// The audience's answer line.
    pub answer: String,
    /// Site title.
    pub site_name: String,
    /// Build date, ISO.
    pub as_of: String,
    /// [`card_key`] of the above.
    pub key: String,
}

impl CardPlan {
    /// The card of `c` in `view`; only what the view holds for its audience.
    pub fn of(view: &SiteView<'_>, c: &CapabilityView<'_>) -> CardPlan {
        let mut plan = CardPlan {
            id: c.id.to_string(),
            title: c.title.to_string(),
            status_label: c.status_label.to_string(),
            colour: status_color(c.status),
            answer: c.answer.clone(),
            site_name: view.site.title.clone(),
            as_of: crate::model::date::iso(view.date),
            key: String::new(),
        };
        plan.key = card_key(&plan.input());
        plan
    }

    fn input(&self) -> CardInput<'_> {
        CardInput {
            title: &self.title,
            status_label: &self.status_label,
            status_colour: Rgb::from_hex(self.colour).unwrap_or(Rgb::NEUTRAL),
            answer: &self.answer,
            site_name: &self.site_name,
            as_of: &self.as_of,
        }
    }

    /// Path of the card in the site.
    pub fn path(&self) -> String {
        card_path(&self.id)
    }

    /// The absolute URL of the card, with a short version from its key so
    /// that chat tools which cache previews by URL see a changed card.
    pub fn url(&self, base_url: &str) -> String {
        format!("{base_url}/{}?v={}", self.path(), &self.key[..12])
    }
}

/// `cards/<id>.png`
pub fn card_path(id: &str) -> String {
    format!("cards/{id}.png")
}

/// Plans the cards of every capability of `view`, by id; none without a base URL.
pub fn plan(view: &SiteView<'_>) -> BTreeMap<String, CardPlan> {
    if view.site.base_url.is_empty() {
        return BTreeMap::new();
    }
    view.capabilities
        .par_iter()
        .map(|c| (c.id.to_string(), CardPlan::of(view, c)))
        .collect()
}

/// What making the cards did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CardStats {
    /// Cards rendered in this build.
    pub rendered: usize,
    /// Cards read from the cache.
    pub cached: usize,
}

/// Renders the planned cards, reading each from `cache` (a folder, created
/// when missing) when its key is there and saving each new one. A cache that
/// cannot be read or written only costs time.
pub fn cards(
    plans: &BTreeMap<String, CardPlan>,
    cache: Option<&Path>,
) -> (Vec<OutputFile>, CardStats) {
    if let Some(dir) = cache {
        let _ = std::fs::create_dir_all(dir);
    }
    let made: Vec<(OutputFile, bool)> = plans
        .par_iter()
        .map(|(_, plan)| {
            let cached = cache.and_then(|dir| std::fs::read(cache_file(dir, &plan.key)).ok());
            let from_cache = cached.is_some();
            let bytes = cached.unwrap_or_else(|| {
                let png = preview_card(&plan.input());
                if let Some(dir) = cache {
                    save(dir, &plan.key, &png);
                }
                png
            });
            (
                OutputFile {
                    path: plan.path(),
                    bytes: bytes.into(),
                },
                from_cache,
            )
        })
        .collect();
    let cached = made.iter().filter(|(_, c)| *c).count();
    let stats = CardStats {
        rendered: made.len() - cached,
        cached,
    };
    (made.into_iter().map(|(f, _)| f).collect(), stats)
}

fn cache_file(dir: &Path, key: &str) -> PathBuf {
    dir.join(format!("{key}.png"))
}

/// Writes a cached card through a temporary file, so a build running at the
/// same time never reads half a card.
fn save(dir: &Path, key: &str, png: &[u8]) {
    let tmp = dir.join(format!(".{key}.{}.tmp", std::process::id()));
    if std::fs::write(&tmp, png).is_ok() && std::fs::rename(&tmp, cache_file(dir, key)).is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
}

/// `badges/<id>.png` for every capability: the PNG twin of the SVG badge,
/// with each file's SHA-256. Badges differ only by status, so each status is
/// drawn and hashed once.
pub fn badges(view: &SiteView<'_>) -> (Vec<OutputFile>, super::Digests) {
    let mut drawn: BTreeMap<&'static str, (bytes::Bytes, [u8; 32])> = BTreeMap::new();
    for c in &view.capabilities {
        drawn.entry(c.status_label).or_insert_with(|| {
            let png = badge_png(
                "capability",
                &c.status_label.to_lowercase(),
                status_color(c.status),
            );
            let digest = super::sha256(&png);
            (png.into(), digest)
        });
    }
    view.capabilities
        .iter()
        .map(|c| {
            let (png, digest) = &drawn[c.status_label];
            let path = badge_png_path(c.id);
            let file = OutputFile {
                path: path.clone(),
                bytes: png.clone(),
            };
            (file, (path, *digest))
        })
        .unzip()
}

/// `badges/<id>.png`
pub fn badge_png_path(id: &str) -> String {
    format!("badges/{id}.png")
}
