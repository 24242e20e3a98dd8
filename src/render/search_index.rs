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
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

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
    let mut shards: Vec<(String, Value)> = Vec::new();
    for (s, &start) in shard_starts.iter().enumerate() {
        let end = shard_starts
            .get(s + 1)
            .copied()
            .unwrap_or(index.terms.len());
        shards.push((format!("p{s}"), postings_shard(index, start, end)));
    }
    for (c, chunk) in index.docs.chunks(CHUNK_DOCS).enumerate() {
        shards.push((format!("d{c}"), doc_chunk(chunk)));
    }
    if !index.vectors.is_empty() {
        let flat: Vec<u8> = index.vectors.iter().flatten().map(|&b| b as u8).collect();
        shards.push(("v".to_string(), Value::String(base64(&flat))));
    }
    let mut files = Vec::new();
    let mut names = serde_json::Map::new();
    let mut inline_data = serde_json::Map::new();
    for (key, data) in shards {
        if inline {
            inline_data.insert(key, data);
            continue;
        }
        let body = format!(
            "window.CAPCAT_SEARCH_SHARD({},{});\n",
            script_json(&Value::String(key.clone())),
            script_json(&data)
        );
        let path = format!("search-index/{key}-{}.js", short_hash(body.as_bytes()));
        names.insert(key, Value::String(path.clone()));
        files.push(OutputFile::text(path, body));
    }
    if !index.vectors.is_empty() {
        let table = words_file();
        names.insert("w".to_string(), Value::String(table.path.clone()));
        files.push(table);
    }
    let main = main_object(index, &shard_starts, names, inline_data);
    files.insert(
        0,
        OutputFile::text(
            "search-index.js",
            format!("window.CAPCAT_SEARCH_INDEX={};\n", script_json(&main)),
        ),
    );
    files
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
/// `start..end`; document numbers are delta-encoded for compression.
fn postings_shard(index: &Index, start: usize, end: usize) -> Value {
    let post: Vec<Value> = index.postings[start..end]
        .iter()
        .map(|p| {
            let mut flat = Vec::with_capacity(p.len() * 2);
            let mut prev = 0;
            for &(d, w) in p {
                flat.push(d - prev);
                flat.push(w);
                prev = d;
            }
            json!(flat)
        })
        .collect();
    json!({"idf": &index.idf[start..end], "post": post})
}

/// The semantic word table as a shard script: `{"dims", "stems" (one
/// string, space-separated), "weights", "rarity", "vectors"}`, the last
/// three base64 bytes (vectors signed).
fn words_file() -> OutputFile {
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
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ABC[(n >> (18 - 6 * i)) as usize & 63] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// `[[id, title, answer, summary], ...]`.
fn doc_chunk(docs: &[Doc]) -> Value {
    docs.iter()
        .map(|d| json!([d.id, d.title, d.answer, d.summary]))
        .collect()
}

fn main_object(
    index: &Index,
    shard_starts: &[usize],
    names: serde_json::Map<String, Value>,
    inline: serde_json::Map<String, Value>,
) -> Value {
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
    json!({
        "v": VERSION,
        "n": index.docs.len(),
        "stop": index.stop,
        "thesaurus": index.thesaurus,
        "statuses": statuses.iter().map(|(s, l)| json!([s, l])).collect::<Vec<_>>(),
        "categories": categories,
        "plans": plans,
        "docStatus": doc_status,
        "docCategory": doc_category,
        "docPlans": doc_plans,
        "byTitle": by_title(index),
        "chunkDocs": CHUNK_DOCS,
        "idfAbsent": index.idf_absent(),
        "terms": index.terms,
        "shardStarts": shard_starts,
        "files": names,
        "inline": inline,
    })
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
    let json = value.to_string();
    let mut out = String::with_capacity(json.len());
    for c in json.chars() {
        match c {
            '<' | '>' | '&' | '\u{2028}' | '\u{2029}' => {
                out.push_str(&format!("\\u{:04x}", c as u32))
            }
            _ => out.push(c),
        }
    }
    out
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
}
