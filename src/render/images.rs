//! Images made for decks: a 1200×630 PNG link-preview card per capability and
//! PNG status badges (slide tools such as Google Slides take no SVG).
//!
//! Both are SVG templates rendered with resvg, using only the DejaVu Sans fonts
//! embedded in the binary, so no image depends on the machine's fonts and the
//! same input gives the same bytes. See `docs/images.md`.

use resvg::{tiny_skia, usvg};
use sha2::{Digest, Sha256};
use skrifa::charmap::Charmap;
use skrifa::instance::{LocationRef, Size};
use skrifa::metrics::GlyphMetrics;
use skrifa::{FontRef, MetadataProvider};
use std::fmt::Write as _;
use std::sync::{Arc, OnceLock};

/// Width of a preview card, in pixels.
pub const CARD_WIDTH: u32 = 1200;
/// Height of a preview card, in pixels.
pub const CARD_HEIGHT: u32 = 630;
/// Height of a badge in CSS pixels; the PNG has [`BADGE_SCALE`] times as many.
pub const BADGE_HEIGHT: u32 = 20;
/// Pixels per CSS pixel in a PNG badge: 2 keeps it sharp on high-density screens
/// and projectors when shown at its CSS size.
pub const BADGE_SCALE: u32 = 2;
/// Part of every [`card_key`]. Raise it when cards change without their SVG
/// changing: another font, a resvg upgrade, other PNG settings.
pub const CARD_VERSION: u32 = 1;

const REGULAR_TTF: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans.ttf");
const BOLD_TTF: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans-Bold.ttf");
const FAMILY: &str = "DejaVu Sans";
const ELLIPSIS: char = '…';

/// An sRGB colour, written `#rrggbb` in the SVG.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Rgb {
    /// Red.
    pub r: u8,
    /// Green.
    pub g: u8,
    /// Blue.
    pub b: u8,
}

impl Rgb {
    /// The colour of an unknown status (the badge colour of `fn badge` in `files.rs`).
    pub const NEUTRAL: Rgb = Rgb::new(0x6e, 0x77, 0x81);

    /// A colour from its three channels.
    pub const fn new(r: u8, g: u8, b: u8) -> Rgb {
        Rgb { r, g, b }
    }

    /// Parses `#rrggbb` or `#rgb` (case-insensitive); anything else is `None`.
    pub fn from_hex(text: &str) -> Option<Rgb> {
        let hex = text.strip_prefix('#')?;
        if !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
            return None;
        }
        let channel = |s: &str| u8::from_str_radix(s, 16).ok();
        match hex.len() {
            6 => Some(Rgb::new(
                channel(&hex[0..2])?,
                channel(&hex[2..4])?,
                channel(&hex[4..6])?,
            )),
            3 => {
                let twice = |i: usize| channel(&hex[i..=i]).map(|v| v * 17);
                Some(Rgb::new(twice(0)?, twice(1)?, twice(2)?))
            }
            _ => None,
        }
    }

    fn hex(self) -> String {
        format!("#{:02x}{:02x}{:02x}", self.r, self.g, self.b)
    }
}

/// What a preview card shows. All text is plain (not HTML); it is cleaned and
/// XML-escaped here.
#[derive(Debug, Clone, Copy)]
pub struct CardInput<'a> {
    /// Capability title, wrapped to at most three lines.
    pub title: &'a str,
    /// Status name in the pill, e.g. `Available`.
    pub status_label: &'a str,
    /// Pill and accent colour of the status.
    pub status_colour: Rgb,
    /// Answer line, e.g. `Yes — available.` or `Not yet — planned for 2027-Q2.`
    pub answer: &'a str,
    /// Product or site name shown above the title.
    pub site_name: &'a str,
    /// Date the catalog describes, shown as `as of <date>`; empty leaves the line out.
    pub as_of: &'a str,
}

/// Renders a capability's 1200×630 preview card as PNG bytes.
pub fn preview_card(card: &CardInput) -> Vec<u8> {
    render_png(&card_svg(card), 1.0)
}

/// Renders a shields-style badge (`label | value`) as PNG bytes: dark label,
/// value on `colour` (`#rrggbb` or `#rgb`; anything else gives [`Rgb::NEUTRAL`]).
///
/// The PNG is [`BADGE_SCALE`]× its CSS size: [`BADGE_HEIGHT`] × 2 = 40 px high,
/// and 2 × (20 + the width of both texts at 11 px) wide, rounded up to whole CSS px.
pub fn badge_png(label: &str, value: &str, colour: &str) -> Vec<u8> {
    let colour = Rgb::from_hex(colour).unwrap_or(Rgb::NEUTRAL);
    render_png(&badge_svg(label, value, colour), BADGE_SCALE as f32)
}

/// A cache key for a card: the SHA-256 (lowercase hex) of [`CARD_VERSION`] and
/// the card's SVG, so a card whose key is unchanged need not be rendered again.
/// Hashing the SVG rather than the fields also catches template changes.
pub fn card_key(card: &CardInput) -> String {
    let mut hash = Sha256::new();
    hash.update(b"capcat card\0");
    hash.update(CARD_VERSION.to_be_bytes());
    hash.update(card_svg(card).as_bytes());
    hash.finalize()
        .iter()
        .fold(String::with_capacity(64), |mut hex, byte| {
            let _ = write!(hex, "{byte:02x}");
            hex
        })
}

// ---------------------------------------------------------------- card layout

const MARGIN: f32 = 80.0;
const CONTENT_WIDTH: f32 = CARD_WIDTH as f32 - 2.0 * MARGIN;
const TITLE_TOP: f32 = 150.0;
const TITLE_SIZES: [f32; 3] = [64.0, 56.0, 48.0];
const TITLE_MAX_LINES: usize = 3;
const PILL_TOP: f32 = 430.0;
const PILL_HEIGHT: f32 = 60.0;
const PILL_TEXT: f32 = 28.0;
const PILL_PAD: f32 = 28.0;
const PILL_MAX_TEXT: f32 = 360.0;
const ANSWER_TEXT: f32 = 34.0;
const INK: &str = "#1f2328";
const MUTED: &str = "#57606a";

/// The card as SVG text; every piece of text in it is measured, cut to fit and escaped.
fn card_svg(card: &CardInput) -> String {
    let fonts = fonts();
    let colour = card.status_colour.hex();
    let mut svg = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{CARD_WIDTH}\" height=\"{CARD_HEIGHT}\" \
         viewBox=\"0 0 {CARD_WIDTH} {CARD_HEIGHT}\" font-family=\"{FAMILY}\">\
         <rect width=\"{CARD_WIDTH}\" height=\"{CARD_HEIGHT}\" fill=\"#ffffff\"/>\
         <rect width=\"16\" height=\"{CARD_HEIGHT}\" fill=\"{colour}\"/>"
    );

    let site = fit_line(&clean(card.site_name), &fonts.bold, 30.0, CONTENT_WIDTH);
    push_text(&mut svg, MARGIN, 110.0, 30.0, true, MUTED, &site);

    let (size, lines) = title_lines(&clean(card.title), &fonts.bold);
    for (i, line) in lines.iter().enumerate() {
        let baseline = TITLE_TOP + size + i as f32 * size * 1.2;
        push_text(&mut svg, MARGIN, baseline, size, true, INK, line);
    }

    let label = fit_line(
        &clean(card.status_label),
        &fonts.bold,
        PILL_TEXT,
        PILL_MAX_TEXT,
    );
    let pill_width = (fonts.bold.width(&label, PILL_TEXT) + 2.0 * PILL_PAD).ceil();
    let radius = PILL_HEIGHT / 2.0;
    let _ = write!(
        svg,
        "<rect x=\"{MARGIN}\" y=\"{PILL_TOP}\" width=\"{pill_width}\" height=\"{PILL_HEIGHT}\" \
         rx=\"{radius}\" fill=\"{colour}\"/>"
    );
    let row_baseline = |size: f32| PILL_TOP + radius + cap_height_half(size);
    push_text(
        &mut svg,
        MARGIN + PILL_PAD,
        row_baseline(PILL_TEXT),
        PILL_TEXT,
        true,
        "#ffffff",
        &label,
    );

    let answer_x = MARGIN + pill_width + 28.0;
    let answer_width = CARD_WIDTH as f32 - MARGIN - answer_x;
    let answer = fit_line(
        &clean(card.answer),
        &fonts.regular,
        ANSWER_TEXT,
        answer_width,
    );
    push_text(
        &mut svg,
        answer_x,
        row_baseline(ANSWER_TEXT),
        ANSWER_TEXT,
        false,
        INK,
        &answer,
    );

    let as_of = clean(card.as_of);
    if !as_of.is_empty() {
        let line = fit_line(
            &format!("as of {as_of}"),
            &fonts.regular,
            26.0,
            CONTENT_WIDTH,
        );
        push_text(&mut svg, MARGIN, 570.0, 26.0, false, MUTED, &line);
    }
    svg.push_str("</svg>");
    svg
}

/// The largest title size at which the whole title fits in three lines, or the
/// smallest size with the title cut by an ellipsis.
fn title_lines(title: &str, face: &Face) -> (f32, Vec<String>) {
    let lines_at = |size| wrap(title, face, size, CONTENT_WIDTH, TITLE_MAX_LINES);
    TITLE_SIZES
        .iter()
        .find_map(|&size| match lines_at(size) {
            (lines, false) => Some((size, lines)),
            (_, true) => None,
        })
        .unwrap_or_else(|| {
            let smallest = TITLE_SIZES[TITLE_SIZES.len() - 1];
            (smallest, lines_at(smallest).0)
        })
}

/// Half the cap height of DejaVu Sans (0.729 em): the baseline offset that centres
/// capitals vertically on a line.
fn cap_height_half(size: f32) -> f32 {
    size * 0.729 / 2.0
}

fn push_text(svg: &mut String, x: f32, y: f32, size: f32, bold: bool, fill: &str, text: &str) {
    if text.is_empty() {
        return;
    }
    let weight = if bold { " font-weight=\"700\"" } else { "" };
    let _ = write!(
        svg,
        "<text x=\"{x}\" y=\"{y}\" font-size=\"{size}\"{weight} fill=\"{fill}\">{}</text>",
        escape(text)
    );
}

// ---------------------------------------------------------------- badge

const BADGE_TEXT: f32 = 11.0;
const BADGE_PAD: f32 = 5.0;
const BADGE_MAX_TEXT: f32 = 300.0;

/// The same look as the SVG badge of `files.rs`, with widths from the font's metrics.
fn badge_svg(label: &str, value: &str, colour: Rgb) -> String {
    let face = &fonts().regular;
    let label = fit_line(&clean(label), face, BADGE_TEXT, BADGE_MAX_TEXT);
    let value = fit_line(&clean(value), face, BADGE_TEXT, BADGE_MAX_TEXT);
    let part = |text: &str| (face.width(text, BADGE_TEXT) + 2.0 * BADGE_PAD).ceil();
    let (lw, vw) = (part(&label), part(&value));
    let w = lw + vw;
    let colour = colour.hex();
    format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{w}\" height=\"{BADGE_HEIGHT}\" \
         viewBox=\"0 0 {w} {BADGE_HEIGHT}\">\
         <rect width=\"{lw}\" height=\"{BADGE_HEIGHT}\" fill=\"#24292f\"/>\
         <rect x=\"{lw}\" width=\"{vw}\" height=\"{BADGE_HEIGHT}\" fill=\"{colour}\"/>\
         <g fill=\"#fff\" font-family=\"{FAMILY}\" font-size=\"{BADGE_TEXT}\">\
         <text x=\"{BADGE_PAD}\" y=\"14\">{}</text><text x=\"{}\" y=\"14\">{}</text></g></svg>",
        escape(&label),
        lw + BADGE_PAD,
        escape(&value),
    )
}

// ---------------------------------------------------------------- text

/// Text as one line: control characters, line and paragraph separators (U+2028,
/// U+2029) and bidi overrides become spaces, runs of whitespace become one space,
/// and characters XML forbids (U+FFFE, U+FFFF) are dropped.
fn clean(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut pending_space = false;
    for c in text.chars() {
        if matches!(c, '\u{FFFE}' | '\u{FFFF}') {
            continue;
        }
        let blank = c.is_whitespace()
            || c.is_control()
            || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}');
        if blank {
            pending_space = !out.is_empty();
            continue;
        }
        if pending_space {
            out.push(' ');
            pending_space = false;
        }
        out.push(c);
    }
    out
}

/// Escapes the five XML special characters (text of [`clean`] has no others to fear).
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            _ => out.push(c),
        }
    }
    out
}

/// Greedy word wrap into lines no wider than `width` px at `size` px. A word wider
/// than a line is broken between characters. With more than `max_lines` lines the
/// rest is dropped and the last line ends with "…"; the flag says whether that happened.
fn wrap(text: &str, face: &Face, size: f32, width: f32, max_lines: usize) -> (Vec<String>, bool) {
    let fits = |s: &str| face.width(s, size) <= width;
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    for word in text.split(' ').filter(|w| !w.is_empty()) {
        if lines.len() > max_lines {
            break;
        }
        let joined = if line.is_empty() {
            word.to_string()
        } else {
            format!("{line} {word}")
        };
        if fits(&joined) {
            line = joined;
            continue;
        }
        if !line.is_empty() {
            lines.push(std::mem::take(&mut line));
        }
        let mut rest = word;
        while !fits(rest) && lines.len() <= max_lines {
            let split = longest_fitting_prefix(rest, &fits);
            lines.push(rest[..split].to_string());
            rest = &rest[split..];
        }
        line = rest.to_string();
    }
    if !line.is_empty() {
        lines.push(line);
    }
    if lines.len() <= max_lines {
        return (lines, false);
    }
    lines.truncate(max_lines);
    let last = lines.pop().unwrap_or_default();
    lines.push(with_ellipsis(&last, &fits));
    (lines, true)
}

/// Byte length of the longest prefix of `word` that fits (at least one character,
/// so wrapping always makes progress).
fn longest_fitting_prefix(word: &str, fits: &impl Fn(&str) -> bool) -> usize {
    let mut ends = word.char_indices().map(|(i, c)| i + c.len_utf8());
    let first = ends.next().unwrap_or(word.len());
    ends.take_while(|&end| fits(&word[..end]))
        .last()
        .unwrap_or(first)
}

/// `line` shortened until it fits with "…" after it.
fn with_ellipsis(line: &str, fits: &impl Fn(&str) -> bool) -> String {
    let mut kept = line.trim_end().to_string();
    loop {
        let candidate = format!("{kept}{ELLIPSIS}");
        if fits(&candidate) || kept.is_empty() {
            return candidate;
        }
        kept.pop();
        kept.truncate(kept.trim_end().len());
    }
}

/// `text` on one line of `width` px, ending with "…" when it had to be cut.
fn fit_line(text: &str, face: &Face, size: f32, width: f32) -> String {
    let fits = |s: &str| face.width(s, size) <= width;
    if fits(text) {
        text.to_string()
    } else {
        with_ellipsis(text, &fits)
    }
}

// ---------------------------------------------------------------- fonts

/// Advance widths of one embedded font (kerning is left out, so a measured
/// width is at most slightly wider than the shaped text).
struct Face {
    charmap: Charmap<'static>,
    glyphs: GlyphMetrics<'static>,
    missing: f32,
}

impl Face {
    fn new(data: &'static [u8]) -> Face {
        let font = FontRef::new(data).expect("the embedded font is a valid TrueType file");
        let glyphs = font.glyph_metrics(Size::new(1.0), LocationRef::default());
        let missing = glyphs.advance_width(Default::default()).unwrap_or(0.6);
        Face {
            charmap: font.charmap(),
            glyphs,
            missing,
        }
    }

    /// Width in px of `text` at `size` px.
    fn width(&self, text: &str, size: f32) -> f32 {
        text.chars().map(|c| self.advance(c)).sum::<f32>() * size
    }

    /// Advance of `c` in ems; a character the font lacks is drawn as its
    /// missing-glyph box.
    fn advance(&self, c: char) -> f32 {
        self.charmap
            .map(c)
            .and_then(|glyph| self.glyphs.advance_width(glyph))
            .unwrap_or(self.missing)
    }
}

struct Fonts {
    database: Arc<usvg::fontdb::Database>,
    regular: Face,
    bold: Face,
}

/// The embedded fonts, loaded once. No system font is ever loaded.
fn fonts() -> &'static Fonts {
    static FONTS: OnceLock<Fonts> = OnceLock::new();
    FONTS.get_or_init(|| {
        let mut database = usvg::fontdb::Database::new();
        for data in [REGULAR_TTF, BOLD_TTF] {
            database.load_font_source(usvg::fontdb::Source::Binary(Arc::new(data)));
        }
        database.set_sans_serif_family(FAMILY);
        Fonts {
            database: Arc::new(database),
            regular: Face::new(REGULAR_TTF),
            bold: Face::new(BOLD_TTF),
        }
    })
}

// ---------------------------------------------------------------- rendering

/// Renders our own SVG at `scale` onto white and encodes it as an RGB PNG.
fn render_png(svg: &str, scale: f32) -> Vec<u8> {
    let options = usvg::Options {
        font_family: FAMILY.to_string(),
        fontdb: Arc::clone(&fonts().database),
        ..usvg::Options::default()
    };
    let tree = usvg::Tree::from_str(svg, &options)
        .expect("image templates are valid SVG: all text in them is cleaned and escaped");
    let size = tree
        .size()
        .to_int_size()
        .scale_by(scale)
        .expect("a non-empty image");
    let mut pixmap =
        tiny_skia::Pixmap::new(size.width(), size.height()).expect("a non-empty image");
    pixmap.fill(tiny_skia::Color::WHITE);
    resvg::render(
        &tree,
        tiny_skia::Transform::from_scale(scale, scale),
        &mut pixmap.as_mut(),
    );
    encode_rgb_png(&pixmap)
}

/// PNG with fixed settings and no time or text chunks, so equal pixels give equal
/// bytes. The pixmap is opaque, so its premultiplied RGBA drops to plain RGB.
/// `Fast` (fdeflate) encodes a card about 4× faster than `Balanced` (zlib level 6)
/// for about twice the bytes (50–85 KB instead of 25–40 KB), see `docs/images.md`.
fn encode_rgb_png(pixmap: &tiny_skia::Pixmap) -> Vec<u8> {
    // A plain copy loop: an iterator chain here is ~10× slower in the debug
    // builds tests run.
    let mut rgb = vec![0u8; pixmap.data().len() / 4 * 3];
    for (to, from) in rgb.chunks_exact_mut(3).zip(pixmap.data().chunks_exact(4)) {
        to.copy_from_slice(&from[..3]);
    }
    let mut out = Vec::new();
    let mut encoder = png::Encoder::new(&mut out, pixmap.width(), pixmap.height());
    encoder.set_color(png::ColorType::Rgb);
    encoder.set_depth(png::BitDepth::Eight);
    encoder.set_compression(png::Compression::Fast);
    let mut writer = encoder
        .write_header()
        .expect("writing a PNG header to memory cannot fail");
    writer
        .write_image_data(&rgb)
        .expect("the buffer holds exactly width × height RGB pixels");
    writer
        .finish()
        .expect("finishing a PNG in memory cannot fail");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const GREEN: Rgb = Rgb::new(0x1a, 0x7f, 0x37);
    const PURPLE: Rgb = Rgb::new(0x82, 0x50, 0xdf);

    fn available() -> CardInput<'static> {
        CardInput {
            title: "Single sign-on with SAML 2.0",
            status_label: "Available",
            status_colour: GREEN,
            answer: "Yes — available.",
            site_name: "Acme Shop",
            as_of: "2026-11-21",
        }
    }

    /// (width, height) from the PNG signature and IHDR chunk.
    fn png_size(png: &[u8]) -> (u32, u32) {
        assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n", "PNG signature");
        assert_eq!(&png[8..16], b"\0\0\0\x0dIHDR", "IHDR is the first chunk");
        let be = |at: usize| u32::from_be_bytes(png[at..at + 4].try_into().unwrap());
        (be(16), be(20))
    }

    /// Right edge of every text run of `svg` as laid out by usvg itself.
    fn text_right_edges(svg: &str) -> Vec<f32> {
        let options = usvg::Options {
            fontdb: Arc::clone(&fonts().database),
            ..usvg::Options::default()
        };
        let tree = usvg::Tree::from_str(svg, &options).unwrap();
        tree.root()
            .children()
            .iter()
            .filter_map(|node| match node {
                usvg::Node::Text(text) => Some(text.abs_bounding_box().right()),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn only_the_embedded_fonts_are_loaded() {
        let families: Vec<String> = fonts()
            .database
            .faces()
            .map(|f| format!("{} {:?}", f.families[0].0, f.weight))
            .collect();
        assert_eq!(
            families,
            ["DejaVu Sans Weight(400)", "DejaVu Sans Weight(700)"]
        );
    }

    #[test]
    fn card_is_a_1200_by_630_png() {
        let png = preview_card(&available());
        assert_eq!(png_size(&png), (1200, 630));
    }

    #[test]
    fn same_input_gives_identical_bytes() {
        let card = available();
        let first = preview_card(&card);
        let second = std::thread::spawn(move || preview_card(&card))
            .join()
            .unwrap();
        assert!(first == second, "two renders of one card differ");
    }

    #[test]
    fn cards_of_different_status_differ() {
        let planned = CardInput {
            status_label: "Planned",
            status_colour: PURPLE,
            answer: "Not yet — planned for 2027-Q2.",
            ..available()
        };
        assert!(preview_card(&available()) != preview_card(&planned));
    }

    #[test]
    fn card_shows_every_field() {
        let svg = card_svg(&available());
        for text in [
            ">Single sign-on with SAML<",
            ">2.0<",
            ">Available<",
            ">Yes — available.<",
            ">Acme Shop<",
            ">as of 2026-11-21<",
            "fill=\"#1a7f37\"",
        ] {
            assert!(svg.contains(text), "{text} missing from {svg}");
        }
    }

    #[test]
    fn hostile_text_is_escaped_and_renders() {
        let hostile = "<script>alert('x')</script> & \"quotes\" \u{2028}next\u{2029}\u{0}\u{1b}[31m\u{FFFF}\u{202E}evil]]>";
        let card = CardInput {
            title: hostile,
            status_label: hostile,
            answer: hostile,
            site_name: hostile,
            as_of: hostile,
            ..available()
        };
        let svg = card_svg(&card);
        assert!(!svg.contains("<script"), "{svg}");
        assert!(!svg.contains("]]>"), "{svg}");
        assert!(svg.contains(
            "&lt;script&gt;alert(&apos;x&apos;)&lt;/script&gt; &amp; &quot;quotes&quot;"
        ));
        for bad in [
            '\u{2028}', '\u{2029}', '\u{0}', '\u{1b}', '\u{FFFF}', '\u{202E}',
        ] {
            assert!(!svg.contains(bad), "{bad:?} left in the SVG");
        }
        assert_eq!(png_size(&preview_card(&card)), (1200, 630));
        assert_eq!(png_size(&badge_png(hostile, hostile, "\"><script>")).1, 40);
    }

    #[test]
    fn clean_makes_one_line_of_single_spaces() {
        assert_eq!(clean("  a\u{2028}b \t\r\n c\u{0}d\u{85} "), "a b c d");
        assert_eq!(clean("\u{FFFE}x\u{FFFF}"), "x");
        assert_eq!(clean(""), "");
    }

    #[test]
    fn long_title_wraps_to_three_lines_and_ends_with_an_ellipsis() {
        let title = "Export every report, dashboard and saved search to CSV, Excel and PDF \
                     on a schedule, with per-recipient filters, retries and an audit trail";
        let (size, lines) = title_lines(title, &fonts().bold);
        assert_eq!(size, 48.0, "the smallest title size is used before cutting");
        assert_eq!(lines.len(), 3, "{lines:?}");
        assert!(lines[2].ends_with('…'), "{lines:?}");
        assert!(title.starts_with(&lines[0]), "{lines:?}");
        for line in &lines {
            assert!(fonts().bold.width(line, size) <= CONTENT_WIDTH, "{line}");
        }
    }

    #[test]
    fn title_that_fits_is_neither_shrunk_nor_cut() {
        let (size, lines) = title_lines("SAML single sign-on", &fonts().bold);
        assert_eq!((size, lines), (64.0, vec!["SAML single sign-on".into()]));
        let (size, lines) = title_lines(
            "Export reports to CSV and Excel on a schedule, with filters per recipient",
            &fonts().bold,
        );
        assert_eq!(size, 64.0);
        assert!(
            lines.len() > 1 && lines.iter().all(|l| !l.ends_with('…')),
            "{lines:?}"
        );
    }

    #[test]
    fn long_words_are_broken_and_stay_inside_the_card() {
        let word = "Donaudampfschifffahrtsgesellschaftskapitänsmützenabzeichen".repeat(3);
        let long_label = "W".repeat(80);
        let card = CardInput {
            title: &word,
            site_name: &word,
            status_label: &long_label,
            answer: &word,
            ..available()
        };
        let svg = card_svg(&card);
        let edges = text_right_edges(&svg);
        assert!(edges.len() >= 6, "{svg}");
        for right in edges {
            assert!(
                right <= CARD_WIDTH as f32 - MARGIN + 0.5,
                "text ends at x={right}"
            );
        }
        let (_, lines) = title_lines(&word, &fonts().bold);
        assert_eq!(lines.len(), 3);
        assert!(lines[2].ends_with('…'));
    }

    #[test]
    fn wrap_breaks_between_words_when_it_can() {
        let face = &fonts().regular;
        let width = face.width("gamma delta", 10.0);
        let (lines, cut) = wrap("alpha beta gamma delta", face, 10.0, width, 5);
        assert_eq!(lines, ["alpha beta", "gamma delta"]);
        assert!(!cut);
        let (lines, cut) = wrap("alpha beta gamma delta epsilon", face, 10.0, width, 2);
        assert_eq!(lines.len(), 2);
        assert!(cut && lines[1].ends_with('…'), "{lines:?}");
    }

    #[test]
    fn widths_come_from_the_font() {
        let face = &fonts().regular;
        assert!(face.width("WWWW", 10.0) > 1.5 * face.width("iiii", 10.0));
        assert!(fonts().bold.width("Catalog", 20.0) > face.width("Catalog", 20.0));
        assert!(
            face.width("\u{10FFFD}", 10.0) > 0.0,
            "a missing glyph still has a width"
        );
    }

    #[test]
    fn badge_is_twice_its_css_size_and_grows_with_its_text() {
        let svg = badge_svg("capability", "available", GREEN);
        let css_width: u32 = svg
            .split("width=\"")
            .nth(1)
            .and_then(|s| s.split('"').next())
            .and_then(|w| w.parse().ok())
            .unwrap();
        let (w, h) = png_size(&badge_png("capability", "available", "#1a7f37"));
        assert_eq!((w, h), (2 * css_width, 2 * BADGE_HEIGHT));
        assert!((100..200).contains(&css_width), "{css_width}");
        let (wider, _) = png_size(&badge_png("capability", "in progress", "#9a6700"));
        assert!(wider > w);
    }

    #[test]
    fn badge_colour_falls_back_to_neutral() {
        assert!(
            badge_svg("a", "b", Rgb::from_hex("nope").unwrap_or(Rgb::NEUTRAL))
                .contains("fill=\"#6e7781\"")
        );
        assert_eq!(badge_png("a", "b", "nope"), badge_png("a", "b", "#6e7781"));
        assert!(badge_png("a", "b", "#1a7f37") != badge_png("a", "b", "#6e7781"));
    }

    #[test]
    fn hex_colours_parse() {
        assert_eq!(Rgb::from_hex("#1a7f37"), Some(GREEN));
        assert_eq!(Rgb::from_hex("#1A7F37"), Some(GREEN));
        assert_eq!(Rgb::from_hex("#fff"), Some(Rgb::new(255, 255, 255)));
        for bad in ["1a7f37", "#1a7f3", "#gggggg", "#+1+1+1", "", "#"] {
            assert_eq!(Rgb::from_hex(bad), None, "{bad}");
        }
    }

    #[test]
    fn card_key_follows_what_the_card_shows() {
        let key = card_key(&available());
        assert_eq!(key.len(), 64);
        assert!(
            key.bytes()
                .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase())
        );
        assert_eq!(key, card_key(&available()));
        let changed = [
            CardInput {
                title: "Other",
                ..available()
            },
            CardInput {
                status_label: "Beta",
                ..available()
            },
            CardInput {
                status_colour: PURPLE,
                ..available()
            },
            CardInput {
                answer: "Yes — in beta.",
                ..available()
            },
            CardInput {
                site_name: "Other",
                ..available()
            },
            CardInput {
                as_of: "2026-11-22",
                ..available()
            },
        ];
        for card in changed {
            assert_ne!(card_key(&card), key, "{card:?}");
        }
    }

    /// Writes sample cards and badges to the folder in `CAPCAT_IMAGES_OUT` to look at:
    /// `CAPCAT_IMAGES_OUT=/tmp/cards cargo test --lib render::images::tests::samples -- --ignored`.
    #[test]
    #[ignore = "writes files for a visual check"]
    fn samples() {
        let Some(dir) = std::env::var_os("CAPCAT_IMAGES_OUT") else {
            eprintln!("skipping: set CAPCAT_IMAGES_OUT to a folder");
            return;
        };
        let dir = std::path::PathBuf::from(dir);
        std::fs::create_dir_all(&dir).unwrap();
        let long = "Export every report, dashboard and saved search to CSV, Excel and PDF \
                    on a schedule, with per-recipient filters, retries and an audit trail";
        let cards = [
            ("available", available()),
            (
                "planned",
                CardInput {
                    title: "Audit log export to SIEM",
                    status_label: "Planned",
                    status_colour: PURPLE,
                    answer: "Not yet — planned for 2027-Q2.",
                    ..available()
                },
            ),
            (
                "long",
                CardInput {
                    title: long,
                    ..available()
                },
            ),
            (
                "hostile",
                CardInput {
                    title: "<script>alert('x')</script> & \"quotes\"\u{2028}Donaudampfschifffahrtsgesellschaftskapitänsmützenabzeichen",
                    ..available()
                },
            ),
        ];
        for (name, card) in cards {
            std::fs::write(dir.join(format!("card-{name}.png")), preview_card(&card)).unwrap();
        }
        for (value, colour) in [("available", "#1a7f37"), ("in progress", "#9a6700")] {
            let name = format!("badge-{}.png", value.replace(' ', "-"));
            std::fs::write(dir.join(name), badge_png("capability", value, colour)).unwrap();
        }
    }

    /// Throughput in release:
    /// `cargo test --release --lib render::images::tests::cards_per_second -- --ignored --nocapture`.
    #[test]
    #[ignore = "timing, run by hand in release"]
    fn cards_per_second() {
        const CARDS: usize = 5_000;
        let titles: Vec<String> = (0..CARDS)
            .map(|i| format!("Capability number {i} with a title of ordinary length"))
            .collect();
        let start = std::time::Instant::now();
        let mut bytes = 0;
        for title in &titles {
            bytes += preview_card(&CardInput {
                title,
                ..available()
            })
            .len();
        }
        let seconds = start.elapsed().as_secs_f64();
        println!(
            "{CARDS} cards in {seconds:.2} s on one thread: {:.0} cards/s, {:.2} ms/card, {} KiB/card",
            CARDS as f64 / seconds,
            1000.0 * seconds / CARDS as f64,
            bytes / CARDS / 1024
        );
    }
}
