//! The index as script files, so the site works from `file://` and from any
//! base path (no `fetch`): `search-index.js` sets `window.CAPCAT_SEARCH_INDEX`;
//! for a large catalog, postings and documents are split into shards under
//! `search-index/` that call `window.CAPCAT_SEARCH_SHARD(name, data)` and
//! are loaded only when a query needs them. Shard names carry a content
//! hash so a browser never mixes shards of two builds.
//!
//! The semantic layer adds the documents' vectors (shard `v`) and the word
//! table (`search-index/words-<hash>.js`, the same file for every catalog
//! and build, so a browser keeps it cached), both loaded after the first
//! lexical results.

use super::OutputFile;
use crate::model::Status;
use crate::search::index::{Doc, Index};
use crate::search::semantic;
use rayon::prelude::*;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use std::fmt::Write as _;

/// Format version, bumped on any incompatible change.
pub const VERSION: u32 = 3;
/// Catalogs with at most this many posting entries and documents per chunk
/// are written as one file.
const INLINE_MAX_POSTINGS: usize = 30_000;
/// Posting entries per shard (a single term's list is never split).
const SHARD_POSTINGS: usize = 6_000;
/// Documents per document chunk.
pub const CHUNK_DOCS: usize = 256;

/// Serializes `index` into its files.
pub fn write(index: &Index) -> Vec<OutputFile> {
    let total: usize = index.postings.iter().map(Vec::len).sum();
    let inline = total <= INLINE_MAX_POSTINGS && index.docs.len() <= CHUNK_DOCS;
    let shard_starts = if inline { vec![0] } else { shard_starts(index) };
    let ranges: Vec<(usize, usize)> = shard_starts
        .iter()
        .enumerate()
        .map(|(s, &start)| {
            let end = shard_starts
                .get(s + 1)
                .copied()
                .unwrap_or(index.terms.len());
            (start, end)
        })
        .collect();
    // Each shard's JSON (script-safe), written in parallel.
    let mut shards: Vec<(String, String)> = ranges
        .par_iter()
        .enumerate()
        .map(|(s, &(start, end))| (format!("p{s}"), postings_shard(index, start, end)))
        .collect();
    let docs: Vec<(String, String)> = index
        .docs
        .par_chunks(CHUNK_DOCS)
        .enumerate()
        .map(|(c, chunk)| (format!("d{c}"), doc_chunk(chunk)))
        .collect();
    shards.extend(docs);
    if !index.vectors.is_empty() {
        let flat: Vec<u8> = index.vectors.iter().flatten().map(|&b| b as u8).collect();
        shards.push(("v".to_string(), format!("\"{}\"", base64(&flat))));
    }
    let table = (!index.vectors.is_empty()).then(|| words_file().clone());
    if inline {
        let names: Vec<(&str, &str)> = table.iter().map(|t| ("w", t.path.as_str())).collect();
        let main = main_file(&main_object(index, &shard_starts, &names, &shards));
        return std::iter::once(main).chain(table).collect();
    }
    let mut files: Vec<OutputFile> = shards
        .into_par_iter()
        .map(|(key, data)| {
            let body = format!("window.CAPCAT_SEARCH_SHARD(\"{key}\",{data});\n");
            let path = format!("search-index/{key}-{}.js", short_hash(body.as_bytes()));
            OutputFile::text(path, body)
        })
        .collect();
    let names: Vec<(&str, &str)> = files
        .iter()
        .map(|f| (shard_key(&f.path), f.path.as_str()))
        .chain(table.iter().map(|t| ("w", t.path.as_str())))
        .collect();
    let main = main_file(&main_object(index, &shard_starts, &names, &[]));
    files.extend(table);
    files.insert(0, main);
    files
}

/// `search-index/p0-1a2b3c4d.js` → `p0`.
fn shard_key(path: &str) -> &str {
    let name = path.rsplit('/').next().unwrap_or(path);
    name.rsplit_once('-').map_or(name, |(key, _)| key)
}

fn main_file(main: &str) -> OutputFile {
    OutputFile::text(
        "search-index.js",
        format!("window.CAPCAT_SEARCH_INDEX={main};\n"),
    )
}

/// First term of each shard, cutting after about [`SHARD_POSTINGS`] entries.
fn shard_starts(index: &Index) -> Vec<usize> {
    let mut starts = vec![0];
    let mut size = 0;
    for (i, p) in index.postings.iter().enumerate() {
        if size > 0 && size + p.len() > SHARD_POSTINGS {
            starts.push(i);
            size = 0;
        }
        size += p.len();
    }
    starts
}

/// `{"idf": [...], "post": [[doc delta, weight, ...], ...]}` for terms
/// `start..end`; document numbers are delta-encoded for compression. Only
/// numbers: written directly, without a JSON tree.
fn postings_shard(index: &Index, start: usize, end: usize) -> String {
    let entries: usize = index.postings[start..end].iter().map(Vec::len).sum();
    let mut out = String::with_capacity(16 + 8 * (end - start) + 12 * entries);
    out.push_str("{\"idf\":[");
    for (i, &idf) in index.idf[start..end].iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        push_u32(&mut out, idf);
    }
    out.push_str("],\"post\":[");
    for (i, p) in index.postings[start..end].iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push('[');
        let mut prev = 0;
        for (j, &(d, w)) in p.iter().enumerate() {
            if j > 0 {
                out.push(',');
            }
            push_u32(&mut out, d - prev);
            out.push(',');
            push_u32(&mut out, w);
            prev = d;
        }
        out.push(']');
    }
    out.push_str("]}");
    out
}

/// Appends `n` in decimal, as JSON writes it.
fn push_u32(out: &mut String, n: u32) {
    let mut digits = [0u8; 10];
    let mut i = digits.len();
    let mut n = n;
    loop {
        i -= 1;
        digits[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    for &d in &digits[i..] {
        out.push(char::from(d));
    }
}

/// The semantic word table as a shard script: `{"dims", "stems" (one
/// string, space-separated), "weights", "rarity", "vectors"}`, the last
/// three base64 bytes (vectors signed).
fn words_file() -> &'static OutputFile {
    // The same for every catalog: made once per process.
    static FILE: std::sync::OnceLock<OutputFile> = std::sync::OnceLock::new();
    FILE.get_or_init(make_words_file)
}

/// Makes the semantic word table and its script file now rather than when
/// the index is first written: both are the same for every build, and a
/// build calls this where a core would otherwise wait.
pub fn prepare() {
    words_file();
}

fn make_words_file() -> OutputFile {
    let t = semantic::table();
    let vectors: Vec<u8> = t.vectors.iter().map(|&b| b as u8).collect();
    let data = json!({
        "dims": semantic::DIMS,
        "stems": t.stems.join(" "),
        "weights": base64(&t.weights),
        "rarity": base64(&t.rarity),
        "vectors": base64(&vectors),
    });
    let body = format!(
        "window.CAPCAT_SEARCH_SHARD(\"w\",{});\n",
        script_json(&data)
    );
    let path = format!("search-index/words-{}.js", short_hash(body.as_bytes()));
    OutputFile::text(path, body)
}

/// Standard base64 with padding.
fn base64(bytes: &[u8]) -> String {
    const ABC: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let digit = |n: u32, shift: u32| ABC[(n >> shift) as usize & 63];
    let mut out = Vec::with_capacity(bytes.len().div_ceil(3) * 4);
    let mut chunks = bytes.chunks_exact(3);
    for c in &mut chunks {
        let n = (u32::from(c[0]) << 16) | (u32::from(c[1]) << 8) | u32::from(c[2]);
        out.extend_from_slice(&[digit(n, 18), digit(n, 12), digit(n, 6), digit(n, 0)]);
    }
    if let [first, more @ ..] = chunks.remainder() {
        let second = more.first().copied().unwrap_or(0);
        let n = (u32::from(*first) << 16) | (u32::from(second) << 8);
        let third = if more.is_empty() { b'=' } else { digit(n, 6) };
        out.extend_from_slice(&[digit(n, 18), digit(n, 12), third, b'=']);
    }
    String::from_utf8(out).expect("base64 digits are ASCII")
}

/// `[[id, title, answer, summary], ...]`.
fn doc_chunk(docs: &[Doc]) -> String {
    let mut out = String::from("[");
    for (i, d) in docs.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str(&script_text(&[&d.id, &d.title, &d.answer, &d.summary]));
    }
    out.push(']');
    out
}

/// The main object's JSON (script-safe): everything a first query needs,
/// the shards' file `names` and the `inline` shards of a small catalog
/// (their JSON, already script-safe).
fn main_object(
    index: &Index,
    shard_starts: &[usize],
    names: &[(&str, &str)],
    inline: &[(String, String)],
) -> String {
    let statuses: Vec<(&str, &str)> = Status::ALL
        .iter()
        .filter(|s| index.docs.iter().any(|d| d.status == **s))
        .map(|s| (s.as_str(), s.label()))
        .collect();
    let categories = distinct(index.docs.iter().map(|d| d.category.as_str()));
    let plans = distinct(
        index
            .docs
            .iter()
            .flat_map(|d| d.plans.iter().map(String::as_str)),
    );
    let doc_status: Vec<usize> = index
        .docs
        .iter()
        .map(|d| {
            statuses
                .iter()
                .position(|s| s.0 == d.status.as_str())
                .unwrap_or(0)
        })
        .collect();
    let doc_category: Vec<usize> = index
        .docs
        .iter()
        .map(|d| {
            categories
                .iter()
                .position(|c| *c == d.category)
                .unwrap_or(0)
        })
        .collect();
    let doc_plans: Vec<Vec<usize>> = index
        .docs
        .iter()
        .map(|d| {
            d.plans
                .iter()
                .filter_map(|p| plans.iter().position(|x| x == p))
                .collect()
        })
        .collect();
    let statuses: Vec<[&str; 2]> = statuses.iter().map(|&(s, l)| [s, l]).collect();
    let names: Vec<(&str, String)> = names.iter().map(|&(k, p)| (k, script_text(p))).collect();
    let mut out = String::from("{");
    member(&mut out, "v", &script_text(&VERSION));
    member(&mut out, "n", &script_text(&index.docs.len()));
    member(&mut out, "stop", &script_text(&index.stop));
    member(&mut out, "thesaurus", &script_text(&index.thesaurus));
    member(&mut out, "statuses", &script_text(&statuses));
    member(&mut out, "categories", &script_text(&categories));
    member(&mut out, "plans", &script_text(&plans));
    member(&mut out, "docStatus", &script_text(&doc_status));
    member(&mut out, "docCategory", &script_text(&doc_category));
    member(&mut out, "docPlans", &script_text(&doc_plans));
    member(&mut out, "byTitle", &script_text(&by_title(index)));
    member(&mut out, "chunkDocs", &script_text(&CHUNK_DOCS));
    member(&mut out, "idfAbsent", &script_text(&index.idf_absent()));
    member(&mut out, "terms", &script_text(&index.terms));
    member(&mut out, "shardStarts", &script_text(&shard_starts));
    member(&mut out, "files", &object(&names));
    member(&mut out, "inline", &object(inline));
    out.push('}');
    out
}

/// Appends `"key":json` to an object being written.
fn member(out: &mut String, key: &str, json: &str) {
    if !out.ends_with('{') {
        out.push(',');
    }
    out.push_str(&script_text(key));
    out.push(':');
    out.push_str(json);
}

/// `{"key":json,...}` of members already written as JSON.
fn object<K: AsRef<str>, V: AsRef<str>>(members: &[(K, V)]) -> String {
    let mut out = String::from("{");
    for (k, v) in members {
        member(&mut out, k.as_ref(), v.as_ref());
    }
    out.push('}');
    out
}

/// Document numbers by title (case-insensitive), then id: the order of the
/// full listing, known before any document chunk is loaded.
fn by_title(index: &Index) -> Vec<usize> {
    let mut order: Vec<(String, &str, usize)> = index
        .docs
        .iter()
        .enumerate()
        .map(|(i, d)| (d.title.to_lowercase(), d.id.as_str(), i))
        .collect();
    order.sort();
    order.into_iter().map(|(_, _, i)| i).collect()
}

/// Sorted values without repeats.
fn distinct<T: PartialEq + Ord + Copy>(items: impl Iterator<Item = T>) -> Vec<T> {
    let mut v: Vec<T> = items.collect();
    v.sort();
    v.dedup();
    v
}

/// JSON safe to place anywhere a script may end up, even inlined in HTML:
/// `<`, `>` and `&` (which can only occur inside strings) and the JavaScript
/// line separators are written as `\u` escapes, so no catalog text such as
/// `</script>` ever appears literally. The value is unchanged.
fn script_json(value: &Value) -> String {
    script_safe(value.to_string())
}

/// [`script_json`] of a value serialized directly, without a JSON tree.
fn script_text<T: serde::Serialize + ?Sized>(value: &T) -> String {
    script_safe(serde_json::to_string(value).unwrap_or_default())
}

/// Where the next byte at or after `from` is one [`script_safe`] may have
/// to escape: `<`, `>`, `&`, or the first byte of U+2028 or U+2029.
fn next_special(bytes: &[u8], from: usize) -> Option<usize> {
    let rest = bytes.get(from..)?;
    let markup = memchr::memchr3(b'<', b'>', b'&', rest);
    let wide = memchr::memchr(0xE2, &rest[..markup.unwrap_or(rest.len())]);
    wide.or(markup).map(|at| from + at)
}

/// `json` with the characters [`script_json`] escapes escaped; most text
/// has none and is returned as it is. The text between them is copied in
/// runs, found by `memchr`: the semantic word table alone is over a
/// megabyte.
fn script_safe(json: String) -> String {
    let bytes = json.as_bytes();
    let mut out: Option<String> = None;
    let (mut i, mut copied) = (0, 0);
    while let Some(at) = next_special(bytes, i) {
        i = at;
        // U+2028 and U+2029 are E2 80 A8 and E2 80 A9.
        let escaped = match bytes[i] {
            b @ (b'<' | b'>' | b'&') => Some((u32::from(b), 1)),
            0xE2 if bytes.get(i + 1) == Some(&0x80) => match bytes.get(i + 2) {
                Some(0xA8) => Some((0x2028, 3)),
                Some(0xA9) => Some((0x2029, 3)),
                _ => None,
            },
            _ => None,
        };
        let Some((code, len)) = escaped else {
            i += 1;
            continue;
        };
        let o = out.get_or_insert_with(|| String::with_capacity(json.len() + 64));
        o.push_str(&json[copied..i]);
        let _ = write!(o, "\\u{code:04x}");
        i += len;
        copied = i;
    }
    match out {
        None => json,
        Some(mut o) => {
            o.push_str(&json[copied..]);
            o
        }
    }
}

fn short_hash(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .take(4)
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{Value, json};

    fn index_with_postings(lens: &[usize]) -> Index {
        Index {
            docs: vec![],
            terms: (0..lens.len()).map(|i| format!("t{i:03}")).collect(),
            idf: vec![50; lens.len()],
            postings: lens
                .iter()
                .map(|&n| (0..n as u32).map(|d| (d, 1)).collect())
                .collect(),
            thesaurus: vec![],
            stop: vec![],
            vectors: vec![],
        }
    }

    #[test]
    fn base64_pads() {
        assert_eq!(base64(b""), "");
        assert_eq!(base64(b"f"), "Zg==");
        assert_eq!(base64(b"fo"), "Zm8=");
        assert_eq!(base64(b"foo"), "Zm9v");
        assert_eq!(base64(&[0xfb, 0xff]), "+/8=");
        assert_eq!(base64(b"fooba"), "Zm9vYmE=");
        assert_eq!(base64(b"foobar"), "Zm9vYmFy");
        assert_eq!(base64(b"foob"), "Zm9vYg==");
    }

    #[test]
    fn shards_cut_between_terms_near_the_size() {
        let ix = index_with_postings(&[4000, 1500, 1000, 7000, 10]);
        assert_eq!(shard_starts(&ix), [0, 2, 3, 4]);
    }

    #[test]
    fn small_index_is_one_file() {
        let files = write(&index_with_postings(&[3, 2]));
        assert_eq!(files.len(), 1);
        assert_eq!(files[0].path, "search-index.js");
    }

    #[test]
    fn markup_is_escaped_but_the_value_is_kept() {
        let v = json!({"t": "</script><img src=x onerror=alert(1)> & \u{2028}"});
        let text = script_json(&v);
        assert!(
            !text.contains('<') && !text.contains('>') && !text.contains('&'),
            "{text}"
        );
        assert_eq!(serde_json::from_str::<Value>(&text).unwrap(), v);
    }

    #[test]
    fn escaping_in_runs_escapes_each_character_as_before() {
        let reference = |json: &str| -> String {
            json.chars()
                .map(|c| match c {
                    '<' | '>' | '&' | '\u{2028}' | '\u{2029}' => format!("\\u{:04x}", c as u32),
                    _ => c.to_string(),
                })
                .collect()
        };
        let pieces = [
            "a", "<", ">", "&", "\u{2028}", "\u{2029}", "€", "–", "東京", "\"", " ",
        ];
        let mut seed = 3u64;
        for _ in 0..2000 {
            let mut text = String::new();
            for _ in 0..(seed % 9) {
                seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
                text.push_str(pieces[(seed >> 33) as usize % pieces.len()]);
            }
            seed = seed.wrapping_add(7);
            assert_eq!(script_safe(text.clone()), reference(&text), "{text:?}");
        }
    }

    #[test]
    fn text_written_directly_is_the_json_tree_text() {
        let all_ascii: String = (0u8..128).map(char::from).collect();
        for t in [
            all_ascii.as_str(),
            "</script> & \u{2028}\u{2029} é — 東京",
            "",
        ] {
            assert_eq!(script_text(t), script_json(&json!(t)));
            assert_eq!(script_text(&[t, t]), script_json(&json!([t, t])));
        }
        for n in [0, 7, 10, 99, 1_000, 4_294_967_295] {
            let mut out = String::new();
            push_u32(&mut out, n);
            assert_eq!(out, n.to_string());
        }
        let ix = index_with_postings(&[3, 2]);
        let tree = json!({"idf": [50, 50], "post": [[0, 1, 1, 1, 1, 1], [0, 1, 1, 1]]});
        assert_eq!(postings_shard(&ix, 0, 2), tree.to_string());
    }
}
