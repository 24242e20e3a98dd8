/* capcat search: query understanding and ranking (the same as `capcat ask`,
 * mirrored from src/search/text.rs and src/search/rank.rs — the search_parity
 * test runs both and compares), plus the search box and the results page.
 * Works from file:// and any base path: the index is a script that sets
 * window.CAPCAT_SEARCH_INDEX; large catalogs add shard scripts loaded on demand.
 * Data is only ever put into the page as text nodes, never as markup. */
(function (global) {
  "use strict";

  // ---------- text (src/search/text.rs) ----------
  var WORD = /[\p{Alphabetic}\p{N}]+/gu;
  var MARKS = /\p{M}/gu;
  var LATIN = /^[a-z]+$/;

  function fold(s) {
    return s.normalize("NFKD").replace(MARKS, "").toLowerCase();
  }

  function words(folded) {
    return folded.match(WORD) || [];
  }

  function stem(word) {
    if (Array.from(word).length < 4 || !LATIN.test(word)) return word;
    var w = word;
    var ends = function (suffix) {
      return w.slice(-suffix.length) === suffix;
    };
    if (ends("ies") && w.length > 4) w = w.slice(0, -3) + "y";
    else if (ends("sses")) w = w.slice(0, -2);
    else if (ends("s") && !ends("ss") && !ends("us") && !ends("is")) w = w.slice(0, -1);
    var cut = false;
    if (ends("ing") && w.length > 5) {
      w = w.slice(0, -3);
      cut = true;
    } else if (ends("ed") && w.length > 4) {
      w = w.slice(0, -2);
      cut = true;
    } else if (ends("ation") && w.length > 7) {
      w = w.slice(0, -3);
    } else if (ends("ly") && w.length > 6) {
      w = w.slice(0, -2);
    }
    if (cut) {
      var n = w.length;
      if (n >= 3 && w[n - 1] === w[n - 2] && "lsz".indexOf(w[n - 1]) < 0) w = w.slice(0, -1);
    }
    if (ends("e") && w.length > 3) w = w.slice(0, -1);
    return w;
  }

  function tokens(text) {
    return words(fold(text)).map(stem);
  }

  function sameFrom(a, b, i, j) {
    if (a.length - i !== b.length - j) return false;
    for (; i < a.length; i++, j++) if (a[i] !== b[j]) return false;
    return true;
  }

  function withinOneEdit(x, y) {
    var a = Array.from(x);
    var b = Array.from(y);
    var la = a.length;
    var lb = b.length;
    if (Math.abs(la - lb) > 1) return false;
    var p = 0;
    while (p < la && p < lb && a[p] === b[p]) p++;
    if (p === la && p === lb) return true;
    if (la === lb) {
      return (
        sameFrom(a, b, p + 1, p + 1) ||
        (p + 1 < la && a[p] === b[p + 1] && a[p + 1] === b[p] && sameFrom(a, b, p + 2, p + 2))
      );
    }
    return la > lb ? sameFrom(a, b, p + 1, p) : sameFrom(a, b, p, p + 1);
  }

  // ---------- ranking (src/search/rank.rs, src/search/semantic.rs) ----------
  var EXACT = 0;
  var SYNONYM = 1;
  var PREFIX = 2;
  var TYPO = 3;
  var QUALITY = [100, 80, 70, 60];
  var TYPO_MIN_CHARS = 5;
  var MAX_COMPLETIONS = 20;
  var SEMANTIC_FLOOR = 350;
  var SEMANTIC_WEIGHT = 30;
  var RARITY_BASE = 128;
  var SYNONYM_STRENGTH = 60;
  // confidence (src/search/confidence.rs)
  var CONFIDENT_COVERAGE = 650;
  var CONFIDENT_ALONE = 900;
  var CONFIDENT_MARGIN = 140;
  var WEAK_FIELD_SUPPORT = 80;
  var SYNONYM_SUPPORT = 60;
  var COMMON_WORD_WEIGHT = 600;
  var ABSENT_COMMON_WORD_WEIGHT = 500;
  var NAME_BOOST = 150;
  var PROXIMITY_BONUS = 100;
  var FIELD_FACET = 3;
  var FIELD_NOT_INCLUDED = 7;

  /* An Engine wraps the index object: vocabulary, thesaurus, stop words,
   * postings as they are loaded ({idf, post} per term index; a posting is
   * doc delta, then (weight * 8 + field) * 256 + passages), and once loaded the semantic word
   * table and the documents' vectors. */
  function Engine(index) {
    this.ix = index;
    this.termId = new Map();
    for (var i = 0; i < index.terms.length; i++) this.termId.set(index.terms[i], i);
    this.stop = new Set(index.stop);
    this.idf = new Array(index.terms.length);
    this.post = new Array(index.terms.length);
    this.docs = [];
    this.loaded = new Set();
    this.table = null;
    this.vectors = null;
  }

  /* True once the word table and the documents' vectors are loaded. */
  Engine.prototype.semanticReady = function () {
    return !!(this.table && this.vectors);
  };

  /* Whether this index has a semantic layer at all. */
  Engine.prototype.hasSemantic = function () {
    return !!((this.ix.files && this.ix.files.w) || (this.ix.inline && this.ix.inline.w));
  };

  /* Length of each term in code points, for the typo search. */
  Engine.prototype.termLengths = function () {
    if (!this.lens) {
      this.lens = new Int32Array(this.ix.terms.length);
      for (var i = 0; i < this.lens.length; i++) this.lens[i] = Array.from(this.ix.terms[i]).length;
    }
    return this.lens;
  };

  Engine.prototype.isStop = function (t) {
    return this.stop.has(t);
  };

  Engine.prototype.parse = function (query) {
    var folded = fold(query);
    var chars = Array.from(folded);
    var last = chars.length ? chars[chars.length - 1] : "";
    var complete = last === "" || !/^[\p{Alphabetic}\p{N}]$/u.test(last);
    var raw = words(folded);
    var stems = raw.map(stem);
    var capitals = capitalised(query, raw.length);
    var units = [];
    var semanticStems = [];
    var i = 0;
    while (i < stems.length) {
      var typing = !complete && i + 1 === stems.length;
      var found = this.longestPhrase(stems, i);
      var unit = null;
      if (found.len > 0) unit = this.synonymUnit(stems.slice(i, i + found.len), raw.slice(i, i + found.len), found.groups);
      else if (!this.isStop(stems[i])) unit = this.wordUnit(raw[i], stems[i], typing);
      if (unit) {
        var step = Math.max(found.len, 1);
        for (var c = i; c < i + step; c++) if (capitals[c]) unit.boost = NAME_BOOST;
        if (!typing) {
          for (var k = 0; k < unit.tokens.length; k++) if (!this.isStop(unit.tokens[k])) semanticStems.push(unit.tokens[k]);
        }
        units.push(unit);
      }
      i += Math.max(found.len, 1);
    }
    return { units: units, semanticStems: semanticStems };
  };

  /* For each word of the question: capitalised where it does not start
   * the question, or in capitals ("ARM"); all false when folding changed
   * the number of words. */
  function capitalised(query, n) {
    var ws = query.match(WORD) || [];
    var out = [];
    for (var i = 0; i < n; i++) {
      if (ws.length !== n) {
        out.push(false);
        continue;
      }
      var chars = Array.from(ws[i]);
      var upper = chars.filter(function (ch) {
        return /^\p{Uppercase}$/u.test(ch);
      }).length;
      var letters = chars.filter(function (ch) {
        return /^\p{Alphabetic}$/u.test(ch);
      }).length;
      out.push((i > 0 && upper > 0) || (letters >= 2 && upper === letters));
    }
    return out;
  }

  Engine.prototype.longestPhrase = function (stems, from) {
    var best = { len: 0, groups: [] };
    var th = this.ix.thesaurus;
    for (var g = 0; g < th.length; g++) {
      for (var p = 0; p < th[g].length; p++) {
        var phrase = th[g][p];
        var len = phrase.length;
        if (len > stems.length - from || !sameSeq(phrase, stems, from)) continue;
        if (len > best.len) best = { len: len, groups: [g] };
        else if (len === best.len && best.groups[best.groups.length - 1] !== g) best.groups.push(g);
      }
    }
    return best;
  };

  function sameSeq(phrase, stems, from) {
    for (var k = 0; k < phrase.length; k++) if (phrase[k] !== stems[from + k]) return false;
    return true;
  }

  Engine.prototype.synonymUnit = function (toks, raw, groups) {
    var alts = [];
    var self = this;
    groups.forEach(function (g) {
      self.ix.thesaurus[g].forEach(function (phrase) {
        var terms = phrase.filter(function (t) {
          return !self.isStop(t);
        });
        var kind = phrase.join(" ") === toks.join(" ") && phrase.length === toks.length ? EXACT : SYNONYM;
        var known = terms.every(function (t) {
          return self.termId.has(t);
        });
        if (known) pushAlternative(alts, terms, kind);
      });
    });
    return { tokens: toks, words: raw, alternatives: alts, importance: 0, boost: 100 };
  };

  Engine.prototype.wordUnit = function (raw, st, typing) {
    var alts = [];
    var singular = raw.slice(-1) === "s" ? stem(raw.slice(0, -1)) : null;
    if (this.termId.has(st)) {
      pushAlternative(alts, [st], EXACT);
    } else if (singular !== null && this.termId.has(singular)) {
      pushAlternative(alts, [singular], EXACT);
    } else if (Array.from(raw).length >= TYPO_MIN_CHARS && !this.isEnglish(st)) {
      var terms = this.ix.terms;
      var lens = this.termLengths();
      var len = Array.from(st).length;
      for (var i = 0; i < terms.length; i++) {
        if (Math.abs(lens[i] - len) <= 1 && withinOneEdit(st, terms[i])) pushAlternative(alts, [terms[i]], TYPO);
      }
    }
    if (typing) {
      this.completions(raw).forEach(function (t) {
        pushAlternative(alts, [t], PREFIX);
      });
    }
    return { tokens: [st], words: [raw], alternatives: alts, importance: 0, boost: 100, prefix: typing ? raw : null };
  };

  /* True when the word table is loaded and holds `st`: such a word is
   * taken as spelled and gets no typo alternatives (rank.rs). */
  Engine.prototype.isEnglish = function (st) {
    return this.semanticReady() && this.table.rows.has(st);
  };

  /* The sum of the inverse document frequencies of the unit's stems; a
   * stem the catalog lacks weighs by its rarity in English. */
  Engine.prototype.importance = function (unit) {
    var absent = this.ix.idfAbsent;
    var sum = 0;
    for (var k = 0; k < unit.tokens.length; k++) {
      var t = unit.tokens[k];
      if (this.isStop(t)) continue;
      var id = this.termId.get(t);
      var w;
      if (id !== undefined) w = this.idf[id];
      else w = Math.floor((absent * this.specificity(t)) / 1000);
      sum += w;
    }
    return sum;
  };

  /* How specific a stem is in English, in thousandths (index.rs). */
  Engine.prototype.specificity = function (t) {
    if (!this.semanticReady()) return 1000;
    var rarity;
    if (/[0-9]/.test(t)) rarity = 0;
    else {
      var row = this.table.rows.get(t);
      rarity = row === undefined ? 255 : this.table.rarity[row];
    }
    return Math.floor((1000 * (RARITY_BASE + rarity)) / (RARITY_BASE + 255));
  };

  Engine.prototype.completions = function (prefix) {
    var found = this.ix.terms.filter(function (t) {
      return t.startsWith(prefix);
    });
    found.sort(function (a, b) {
      var la = Array.from(a).length;
      var lb = Array.from(b).length;
      if (la !== lb) return la - lb;
      return a < b ? -1 : a > b ? 1 : 0;
    });
    return found.slice(0, MAX_COMPLETIONS);
  };

  function pushAlternative(alts, terms, kind) {
    if (!terms.length) return;
    var key = terms.join(" ");
    for (var i = 0; i < alts.length; i++) {
      if (alts[i].terms.join(" ") === key && alts[i].terms.length === terms.length) {
        alts[i].kind = Math.min(alts[i].kind, kind);
        return;
      }
    }
    alts.push({ terms: terms, kind: kind });
  }

  /* Index terms the units need postings (and idf) for. */
  Engine.prototype.neededTerms = function (query) {
    var ids = [];
    var self = this;
    query.units.forEach(function (u) {
      u.tokens.forEach(function (t) {
        var id = self.termId.get(t);
        if (id !== undefined) ids.push(id);
      });
      u.alternatives.forEach(function (a) {
        a.terms.forEach(function (t) {
          var id = self.termId.get(t);
          if (id !== undefined) ids.push(id);
        });
      });
    });
    return ids;
  };

  /* Scratch arrays indexed by document, reused across queries so a
   * keystroke allocates nothing proportional to the catalog. Stamps say
   * which entries are current, instead of clearing the arrays. */
  Engine.prototype.scratch = function () {
    var n = this.ix.n;
    if (!this.buf) {
      this.buf = {
        sum: new Float64Array(n),
        covered: new Float64Array(n),
        touched: new Int32Array(n),
        best: new Float64Array(n),
        acc: new Float64Array(n),
        accField: new Int32Array(n),
        accPassages: new Int32Array(n),
        passages: new Int32Array(n),
        pairStamp: new Int32Array(n),
        pairScore: new Float64Array(n),
        pairPassages: new Int32Array(n),
        strong: new Float64Array(n),
        bestStrength: new Int32Array(n),
        seen: new Int32Array(n),
        stamp: new Int32Array(n),
        clock: 0,
      };
    }
    return this.buf;
  };

  /* Ranks every document: {hits, confident}. */
  Engine.prototype.score = function (query) {
    var B = this.scratch();
    var self = this;
    var units = query.units;
    units.forEach(function (u) {
      u.importance = Math.floor((self.importance(u) * u.boost) / 100);
    });
    var hitDocs = [];
    var total = 0;
    var totalAll = 0;
    units.forEach(function (u) {
      totalAll += u.importance;
      if (u.alternatives.length) total += u.importance;
    });
    var docStamp = ++B.clock;
    var touch = function (d) {
      if (B.touched[d] !== docStamp) {
        B.touched[d] = docStamp;
        B.sum[d] = 0;
        B.covered[d] = 0;
        B.strong[d] = 0;
        hitDocs.push(d);
      }
    };
    // Stamp of the previous unit, for the bonus of two neighbouring units
    // found in the same passage of a document.
    var prevStamp = -1;
    units.forEach(function (unit) {
      var unitStamp = ++B.clock;
      var seenDocs = [];
      unit.alternatives.forEach(function (alt) {
        var q = QUALITY[alt.kind];
        self.eachAlternativeScore(alt, unit.importance, function (doc, c, field, passages) {
          var s = Math.floor((Math.floor((q * c) / 1000) * unit.boost) / 100);
          var st = strength(field, alt.kind);
          if (B.seen[doc] !== unitStamp) {
            B.seen[doc] = unitStamp;
            B.best[doc] = s;
            B.bestStrength[doc] = st;
            B.passages[doc] = passages;
            seenDocs.push(doc);
          } else {
            if (B.best[doc] < s) B.best[doc] = s;
            if (B.bestStrength[doc] < st) B.bestStrength[doc] = st;
            B.passages[doc] |= passages;
          }
        });
      });
      for (var i = 0; i < seenDocs.length; i++) {
        var d = seenDocs[i];
        if (B.best[d] <= 0) continue;
        touch(d);
        B.sum[d] += B.best[d];
        if (B.pairStamp[d] === prevStamp && (B.pairPassages[d] & B.passages[d]) !== 0) {
          B.sum[d] += Math.floor((Math.min(B.pairScore[d], B.best[d]) * PROXIMITY_BONUS) / 100);
        }
        B.pairStamp[d] = unitStamp;
        B.pairScore[d] = B.best[d];
        B.pairPassages[d] = B.passages[d];
        B.covered[d] += unit.importance;
        B.strong[d] += Math.floor((unit.importance * B.bestStrength[d]) / 1000);
      }
      prevStamp = unitStamp;
    });
    var scores = new Map();
    var denom = Math.max(total, 1);
    var bestCoverage = 0;
    for (var i = 0; i < hitDocs.length; i++) {
      var d = hitDocs[i];
      scores.set(d, Math.floor((B.sum[d] * B.covered[d]) / denom));
      var cov = totalAll === 0 ? 0 : Math.floor((B.strong[d] * 1000) / totalAll);
      if (cov > bestCoverage) bestCoverage = cov;
    }
    var qv = this.semanticReady() ? this.queryVector(query.semanticStems) : null;
    if (qv) {
      var damp = 1000 - Math.min(bestCoverage, 1000);
      var dims = this.table.dims;
      var qq = 0;
      for (var k = 0; k < dims; k++) qq += qv[k] * qv[k];
      for (var doc = 0; doc < this.ix.n; doc++) {
        var above = cosine(qv, qq, this.vectors, doc * dims, dims) - SEMANTIC_FLOOR;
        if (above > 0) scores.set(doc, (scores.get(doc) || 0) + Math.floor((above * SEMANTIC_WEIGHT * damp) / 1000));
      }
    }
    var hits = [];
    scores.forEach(function (score, doc) {
      if (score > 0) hits.push({ doc: doc, score: score });
    });
    hits.sort(function (a, b) {
      return b.score - a.score || a.doc - b.doc;
    });
    var confident = hits.length > 0 && isConfident(this.confidenceCoverage(query, hits[0].doc), hits);
    return { hits: hits, confident: confident };
  };

  /* Cosine in thousandths, rounded down: exact integer sums, then one
   * product, square root and division, as semantic::cosine in Rust. */
  function cosine(q, qq, vecs, off, dims) {
    var dot = 0;
    var dd = 0;
    for (var k = 0; k < dims; k++) {
      var d = vecs[off + k];
      dot += q[k] * d;
      dd += d * d;
    }
    if (qq === 0 || dd === 0) return 0;
    return Math.floor((1000 * dot) / Math.sqrt(qq * dd));
  }

  Engine.prototype.queryVector = function (stems) {
    var t = this.table;
    var v = new Array(t.dims).fill(0);
    var any = false;
    for (var i = 0; i < stems.length; i++) {
      var row = t.rows.get(stems[i]);
      if (row === undefined) continue;
      var w = t.weights[row];
      var off = row * t.dims;
      for (var k = 0; k < t.dims; k++) v[k] += w * t.vectors[off + k];
      any = true;
    }
    return any ? v : null;
  };

  /* How one unit matched `doc`: {field, kind, score, strength, support},
   * or null. */
  Engine.prototype.unitMatch = function (unit, doc) {
    var best = null;
    var self = this;
    unit.alternatives.forEach(function (alt) {
      var q = QUALITY[alt.kind];
      self.eachAlternativeScore(alt, unit.importance, function (d, c, field) {
        if (d !== doc) return;
        var s = Math.floor((Math.floor((q * c) / 1000) * unit.boost) / 100);
        var st = strength(field, alt.kind);
        var su = support(field, alt.kind);
        if (!best) best = { field: field, kind: alt.kind, score: s, strength: st, support: su };
        else {
          var st2 = Math.max(best.strength, st);
          var su2 = Math.max(best.support, su);
          if (s > best.score) best = { field: field, kind: alt.kind, score: s, strength: st2, support: su2 };
          else {
            best.strength = st2;
            best.support = su2;
          }
        }
      });
    });
    return best && best.score > 0 ? best : null;
  };

  /* The share of the question `doc` covers, in thousandths, for confidence
   * (confidence.rs): each unit weighs its importance scaled by how rare its
   * word is in English, and counts by how it matched. */
  Engine.prototype.confidenceCoverage = function (query, doc) {
    var total = 0;
    var covered = 0;
    var self = this;
    query.units.forEach(function (u) {
      var w = self.confidenceWeight(u);
      total += w;
      var m = self.unitMatch(u, doc);
      if (m) covered += Math.floor((w * m.support) / 1000);
    });
    return total === 0 ? 0 : Math.floor((covered * 1000) / total);
  };

  /* The weight of a unit in the covered share (confidence::weight). */
  Engine.prototype.confidenceWeight = function (u) {
    var r = this.unitRarity(u);
    var w = Math.floor((u.importance * rarityScale(COMMON_WORD_WEIGHT, r)) / 1000);
    var known = u.alternatives.some(function (a) {
      return a.kind === EXACT;
    });
    return known ? w : Math.floor((w * rarityScale(ABSENT_COMMON_WORD_WEIGHT, r)) / 1000);
  };

  function rarityScale(common, r) {
    return Math.floor((common * 255 + (1000 - common) * r) / 255);
  }

  /* How rare the rarest word of a unit is in English, 0-255 (rank::rarity). */
  Engine.prototype.unitRarity = function (u) {
    if (!this.semanticReady()) return 255;
    var best = -1;
    for (var k = 0; k < u.tokens.length; k++) {
      var t = u.tokens[k];
      if (this.isStop(t)) continue;
      var r;
      if (/[0-9]/.test(t)) r = 0;
      else {
        var row = this.table.rows.get(t);
        r = row === undefined ? 255 : this.table.rarity[row];
      }
      if (r > best) best = r;
    }
    return best < 0 ? 255 : best;
  };

  function isConfident(coverage, hits) {
    var standsOut = hits.length < 2 || hits[0].score * 100 >= hits[1].score * CONFIDENT_MARGIN;
    return coverage >= CONFIDENT_COVERAGE && (coverage >= CONFIDENT_ALONE || standsOut);
  }

  function strength(field, kind) {
    var q = (kind === SYNONYM ? SYNONYM_STRENGTH : QUALITY[kind]) * 10;
    if (field <= FIELD_FACET) return q;
    if (field === FIELD_NOT_INCLUDED) return 0;
    return q / 2;
  }

  function support(field, kind) {
    var q = kind === SYNONYM || kind === TYPO ? SYNONYM_SUPPORT : QUALITY[kind];
    if (field === FIELD_NOT_INCLUDED) return 0;
    if (field <= FIELD_FACET) return q * 10;
    return Math.floor((q * WEAK_FIELD_SUPPORT) / 10);
  }

  /* The words of the question that `doc` does not cover in what it is
   * about, as typed. */
  Engine.prototype.missingWords = function (query, doc, typed) {
    var out = [];
    var self = this;
    var typedWords = typed.match(WORD) || [];
    query.units.forEach(function (u) {
      var m = self.unitMatch(u, doc);
      if (m && m.field <= FIELD_FACET) return;
      var shown = u.words
        .map(function (w) {
          var t = typedWords.find(function (x) {
            return fold(x) === w;
          });
          return t || w;
        })
        .join(" ");
      if (out[out.length - 1] !== shown) out.push(shown);
    });
    return out;
  };

  /* Calls fn(doc, c, field, passages) for each document holding every term
   * of `alt`, with c the smallest weight x idf (idf at most `cap`, the
   * unit's importance) among its terms, field the field of that term and
   * passages the passages holding every term. A posting packs
   * (weight * 8 + field) * 256 + passages. */
  Engine.prototype.eachAlternativeScore = function (alt, cap, fn) {
    var B = this.scratch();
    var K = alt.terms.length;
    var ids = [];
    for (var k = 0; k < K; k++) {
      var id = this.termId.get(alt.terms[k]);
      if (id === undefined || !this.post[id]) return;
      ids.push(id);
    }
    var base = B.clock + 1;
    B.clock += K;
    for (k = 0; k < K; k++) {
      var idf = Math.min(this.idf[ids[k]], cap);
      var flat = this.post[ids[k]];
      var doc = 0;
      for (var i = 0; i < flat.length; i += 2) {
        doc += flat[i];
        var packed = flat[i + 1];
        var passages = packed % 256;
        var wf = (packed - passages) / 256;
        var field = wf % 8;
        var c = ((wf - field) / 8) * idf;
        if (k === 0) {
          B.stamp[doc] = base;
          B.acc[doc] = c;
          B.accField[doc] = field;
          B.accPassages[doc] = passages;
        } else if (B.stamp[doc] === base + k - 1) {
          B.stamp[doc] = base + k;
          if (c < B.acc[doc]) {
            B.acc[doc] = c;
            B.accField[doc] = field;
          }
          B.accPassages[doc] &= passages;
        }
      }
    }
    var last = this.post[ids[K - 1]];
    var d = 0;
    for (var j = 0; j < last.length; j += 2) {
      d += last[j];
      if (B.stamp[d] === base + K - 1) fn(d, B.acc[d], B.accField[d], B.accPassages[d]);
    }
  };

  Engine.prototype.search = function (query) {
    return this.score(this.parse(query));
  };

  /* Stores a loaded shard: postings ("p<N>"), documents ("d<N>"), the
   * documents' vectors ("v") or the semantic word table ("w"). */
  Engine.prototype.addShard = function (name, data) {
    if (this.loaded.has(name)) return;
    this.loaded.add(name);
    if (name === "w") {
      this.table = decodeTable(data);
      return;
    }
    if (name === "v") {
      this.vectors = new Int8Array(decodeBase64(data).buffer);
      return;
    }
    var n = Number(name.slice(1));
    if (name[0] === "p") {
      var start = this.ix.shardStarts[n];
      for (var i = 0; i < data.post.length; i++) {
        this.idf[start + i] = data.idf[i];
        this.post[start + i] = data.post[i];
      }
    } else {
      var first = n * this.ix.chunkDocs;
      for (var j = 0; j < data.length; j++) this.docs[first + j] = data[j];
    }
  };

  function decodeBase64(s) {
    var bin = atob(s);
    var out = new Uint8Array(bin.length);
    for (var i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
    return out;
  }

  function decodeTable(data) {
    var stems = data.stems ? data.stems.split(" ") : [];
    var rows = new Map();
    for (var i = 0; i < stems.length; i++) rows.set(stems[i], i);
    return {
      dims: data.dims,
      rows: rows,
      weights: decodeBase64(data.weights),
      rarity: decodeBase64(data.rarity),
      vectors: new Int8Array(decodeBase64(data.vectors).buffer),
    };
  }

  Engine.prototype.shardOfTerm = function (id) {
    var starts = this.ix.shardStarts;
    var lo = 0;
    var hi = starts.length - 1;
    while (lo < hi) {
      var mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= id) lo = mid;
      else hi = mid - 1;
    }
    return "p" + lo;
  };

  Engine.prototype.chunkOfDoc = function (doc) {
    return "d" + Math.floor(doc / this.ix.chunkDocs);
  };

  /* Shard names still missing for these terms and documents. */
  Engine.prototype.missing = function (termIds, docs) {
    var want = new Set();
    var self = this;
    termIds.forEach(function (id) {
      want.add(self.shardOfTerm(id));
    });
    docs.forEach(function (d) {
      want.add(self.chunkOfDoc(d));
    });
    return Array.from(want).filter(function (s) {
      return !self.loaded.has(s);
    });
  };

  Engine.prototype.loadInline = function () {
    var inline = this.ix.inline || {};
    var self = this;
    Object.keys(inline)
      .sort()
      .forEach(function (k) {
        self.addShard(k, inline[k]);
      });
  };

  var core = {
    fold: fold,
    words: words,
    stem: stem,
    tokens: tokens,
    withinOneEdit: withinOneEdit,
    Engine: Engine,
  };

  if (typeof module !== "undefined" && module.exports) {
    module.exports = core;
    return;
  }
  global.capcatSearch = { core: core, stats: { renders: 0, lastRenderMs: 0, lastKeystrokeMs: 0 } };
  if (typeof document === "undefined") return;

  // ---------- loading (script tags: work from file://) ----------
  var root = "";
  var engine = null;
  var waiting = {};
  var ready = null;

  /* Settles everyone waiting for shard `name`. */
  function settle(name, err) {
    var ws = waiting[name] || [];
    delete waiting[name];
    ws.forEach(function (w) {
      if (err) w.reject(err);
      else w.resolve();
    });
  }

  global.CAPCAT_SEARCH_SHARD = function (name, data) {
    if (engine) engine.addShard(name, data);
    settle(name, null);
  };

  function loadScript(src, onload, onerror) {
    var s = document.createElement("script");
    s.src = src;
    s.async = true;
    s.onload = onload;
    s.onerror = onerror;
    document.head.appendChild(s);
  }

  function loadIndex() {
    if (ready) return ready;
    ready = new Promise(function (resolve, reject) {
      var done = function () {
        if (!global.CAPCAT_SEARCH_INDEX) return reject(new Error("search index missing"));
        engine = new Engine(global.CAPCAT_SEARCH_INDEX);
        engine.loadInline();
        resolve(engine);
      };
      if (global.CAPCAT_SEARCH_INDEX) done();
      else loadScript(root + "search-index.js", done, function () {
        reject(new Error("cannot load " + root + "search-index.js"));
      });
    });
    return ready;
  }

  function loadShards(names) {
    return Promise.all(
      names.map(function (name) {
        return new Promise(function (resolve, reject) {
          (waiting[name] = waiting[name] || []).push({ resolve: resolve, reject: reject });
          if (waiting[name].length === 1) {
            loadScript(root + engine.ix.files[name], null, function () {
              settle(name, new Error("cannot load search shard " + name));
            });
          }
        });
      })
    );
  }

  var semantic = null;

  /* Loads the semantic word table and the documents' vectors, once; the
   * table's file name never changes between builds, so the browser keeps
   * it cached. Resolves to true when the layer is ready. */
  function loadSemantic() {
    if (semantic) return semantic;
    semantic = loadIndex().then(function (eng) {
      if (!eng.hasSemantic()) return false;
      var names = ["w", "v"].filter(function (n) {
        return !eng.loaded.has(n) && eng.ix.files[n];
      });
      return loadShards(names).then(function () {
        return eng.semanticReady();
      });
    });
    semantic.catch(function () {});
    return semantic;
  }

  /* Runs a query: loads the postings it needs and the documents of the best
   * `shown` hits, then calls render(result) synchronously;
   * result = {units, hits, confident, settled, missing, query}. `settled`
   * is false while the semantic layer is still loading: the results are
   * then lexical only and their confidence is not yet known. */
  function runQuery(query, shown, render) {
    return loadIndex().then(function (eng) {
      var t0 = performance.now();
      var parsed = eng.parse(query);
      var need = eng.missing(eng.neededTerms(parsed), []);
      var parseMs = performance.now() - t0;
      return loadShards(need).then(function () {
        var t1 = performance.now();
        var ranked = eng.score(parsed);
        var hits = ranked.hits;
        var settled = eng.semanticReady() || !eng.hasSemantic();
        var missing = !ranked.confident && hits.length ? eng.missingWords(parsed, hits[0].doc, query) : [];
        var workMs = parseMs + performance.now() - t1;
        var docs = hits.slice(0, shown).map(function (h) {
          return h.doc;
        });
        return loadShards(eng.missing([], docs)).then(function () {
          return {
            units: parsed.units,
            hits: hits,
            confident: ranked.confident,
            settled: settled,
            missing: missing,
            query: query,
            workMs: workMs,
          };
        });
      });
    }).then(render);
  }

  /* Calls again() once the semantic layer has loaded, if it was not ready
   * for `res`: lexical results show at once, and are refined. */
  function refineLater(res, again) {
    if (res.settled) return;
    loadSemantic().then(function (ok) {
      if (ok) again();
    });
  }

  // ---------- rendering helpers (text nodes only) ----------
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.appendChild(document.createTextNode(String(text)));
    return e;
  }

  function docUrl(id) {
    return root + "capabilities/" + encodeURIComponent(id) + "/index.html";
  }

  function highlightSet(units) {
    var terms = new Set();
    var prefixes = [];
    units.forEach(function (u) {
      u.alternatives.forEach(function (a) {
        a.terms.forEach(function (t) {
          terms.add(t);
        });
      });
      if (u.prefix) prefixes.push(u.prefix);
    });
    return { terms: terms, prefixes: prefixes };
  }

  /* Appends `text` to `parent`, wrapping matched words in <mark>. */
  function appendHighlighted(parent, text, hl) {
    var re = /[\p{Alphabetic}\p{N}\p{M}]+/gu;
    var last = 0;
    var m;
    while ((m = re.exec(text)) !== null) {
      var f = fold(m[0]);
      var hit = hl.terms.has(stem(f)) || hl.prefixes.some(function (p) {
        return f.startsWith(p);
      });
      if (!hit) continue;
      if (m.index > last) parent.appendChild(document.createTextNode(text.slice(last, m.index)));
      parent.appendChild(el("mark", null, m[0]));
      last = m.index + m[0].length;
    }
    if (last < text.length) parent.appendChild(document.createTextNode(text.slice(last)));
  }

  function statusOf(doc) {
    return engine.ix.statuses[engine.ix.docStatus[doc]];
  }

  function badge(doc) {
    var s = statusOf(doc);
    return el("span", "badge badge--" + s[0], s[1]);
  }

  function hitElement(hit, hl, withSummary) {
    var d = engine.docs[hit.doc];
    var a = el("a", "search-hit");
    a.href = docUrl(d[0]);
    a.setAttribute("role", "option");
    a.setAttribute("data-id", d[0]);
    var head = el("span", "search-hit-head");
    var title = el("span", "search-hit-title");
    appendHighlighted(title, d[1], hl);
    head.appendChild(title);
    head.appendChild(document.createTextNode(" "));
    head.appendChild(badge(hit.doc));
    a.appendChild(head);
    var answer = el("span", "search-hit-answer");
    appendHighlighted(answer, d[2], hl);
    a.appendChild(answer);
    if (withSummary && d[3]) {
      var sum = el("span", "search-hit-summary");
      appendHighlighted(sum, d[3], hl);
      a.appendChild(sum);
    }
    return a;
  }

  function clear(node) {
    while (node.firstChild) node.removeChild(node.firstChild);
  }

  var contact = "";

  /* "No capability in the catalog matches “HIPAA”. Closest matches:" and
   * the way to ask, when the first result is not a confident answer;
   * null otherwise (or while that is not known yet). */
  function noAnswerNotice(res) {
    if (res.confident || (!res.settled && res.hits.length)) return null;
    var box = el("div", "search-no-answer");
    box.setAttribute("role", "status");
    var what = res.missing.length ? res.missing.join(" ") : res.query.trim();
    var text = "No capability in the catalog matches “" + what + "”.";
    text += res.hits.length ? " Closest matches:" : " Try other words, e.g. the feature's name.";
    box.appendChild(el("p", "search-no-answer-text", text));
    if (contact) {
      var a = el("a", "search-contact", "Ask us about it");
      a.href = contact;
      box.appendChild(a);
    }
    return box;
  }

  function searchPageUrl(q) {
    return root + "search/index.html?q=" + encodeURIComponent(q);
  }

  // ---------- the search box on every page ----------
  var MAX_DROPDOWN = 8;

  function setupBox(input, list) {
    var active = -1;
    var seq = 0;
    var options = function () {
      return list.querySelectorAll(".search-hit");
    };
    var setActive = function (i) {
      var opts = options();
      if (!opts.length) return;
      active = (i + opts.length) % opts.length;
      opts.forEach(function (o, k) {
        o.setAttribute("aria-selected", k === active ? "true" : "false");
        o.classList.toggle("active", k === active);
      });
      input.setAttribute("aria-activedescendant", "search-opt-" + active);
      opts[active].scrollIntoView({ block: "nearest" });
    };
    var close = function () {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      active = -1;
    };
    var update = function () {
      var q = input.value;
      var mine = ++seq;
      var tIn = performance.now();
      if (!q.trim()) {
        clear(list);
        close();
        return;
      }
      runQuery(q, MAX_DROPDOWN, function (res) {
        if (mine !== seq) return;
        var t0 = performance.now();
        renderDropdown(list, res);
        active = -1;
        list.hidden = false;
        input.setAttribute("aria-expanded", "true");
        recordRender(t0, tIn, res.workMs);
        refineLater(res, function () {
          if (mine === seq) update();
        });
      }).catch(showError(list));
    };
    input.addEventListener("input", update);
    input.addEventListener("focus", function () {
      loadSemantic();
      if (input.value.trim() && list.firstChild) list.hidden = false;
    });
    input.addEventListener("keydown", function (e) {
      var opts = options();
      if (e.key === "ArrowDown") {
        e.preventDefault();
        if (list.hidden && input.value.trim()) update();
        setActive(active + 1);
      } else if (e.key === "ArrowUp") {
        e.preventDefault();
        setActive(active - 1);
      } else if (e.key === "Enter") {
        if (!input.value.trim()) return;
        e.preventDefault();
        var target = opts[active >= 0 ? active : 0];
        global.location.href = target ? target.href : searchPageUrl(input.value);
      } else if (e.key === "Escape") {
        close();
      }
    });
    document.addEventListener("click", function (e) {
      if (!list.contains(e.target) && e.target !== input) close();
    });
  }

  function renderDropdown(list, res) {
    clear(list);
    var hl = highlightSet(res.units);
    var notice = noAnswerNotice(res);
    if (notice) list.appendChild(notice);
    if (!res.hits.length) return;
    res.hits.slice(0, MAX_DROPDOWN).forEach(function (h, k) {
      var a = hitElement(h, hl, false);
      a.id = "search-opt-" + k;
      list.appendChild(a);
    });
    var more = el("a", "search-more", "All " + res.hits.length + " results for “" + res.query + "”");
    more.href = searchPageUrl(res.query);
    list.appendChild(more);
  }

  function showError(node) {
    return function (err) {
      clear(node);
      node.hidden = false;
      node.appendChild(el("p", "search-empty", "Search is unavailable: " + err.message));
    };
  }

  /* For the browser test's bench: time spent rendering; parsing, scoring and
   * rendering together (lastWorkMs, no waiting for shards); and time from
   * the keystroke to results on screen (lastKeystrokeMs, including loads). */
  function recordRender(t0, tIn, workMs) {
    var stats = global.capcatSearch.stats;
    var now = performance.now();
    stats.lastRenderMs = now - t0;
    stats.lastKeystrokeMs = now - tIn;
    stats.lastWorkMs = (workMs || 0) + stats.lastRenderMs;
    stats.renders += 1;
  }

  // ---------- the results page ----------
  var FACETS = ["status", "category", "plan"];
  var PAGE_SIZE = 50;

  function setupPage(page) {
    var input = page.querySelector("#search-page-input");
    var results = page.querySelector("#search-page-results");
    var facetsBox = page.querySelector("#search-facets");
    var count = page.querySelector("#search-count");
    var params = new URLSearchParams(global.location.search);
    var state = { q: params.get("q") || "", sel: {}, limit: PAGE_SIZE };
    FACETS.forEach(function (f) {
      state.sel[f] = new Set(params.getAll(f));
    });
    input.value = state.q;
    page.classList.add("search-live");
    var seq = 0;
    var render = function () {
      var mine = ++seq;
      var tIn = performance.now();
      writeUrl(state);
      var run = state.q.trim()
        ? runQuery(state.q, state.limit, function (r) {
            return r;
          })
        : allDocs(state.limit);
      run.then(function (res) {
        if (mine !== seq) return;
        var t0 = performance.now();
        if (renderPage(res, state, results, facetsBox, count, render)) recordRender(t0, tIn, res.workMs);
        refineLater(res, function () {
          if (mine === seq) render();
        });
      }).catch(function (err) {
        // Without an index, fall back to the full listing the page was built with.
        page.classList.remove("search-live");
        showError(count)(err);
      });
    };
    input.addEventListener("input", function () {
      state.q = input.value;
      state.limit = PAGE_SIZE;
      render();
    });
    input.addEventListener("keydown", function (e) {
      var first = results.querySelector(".search-hit");
      if (e.key === "Enter") {
        e.preventDefault();
        if (first) global.location.href = first.href;
      } else if (e.key === "ArrowDown" && first) {
        e.preventDefault();
        first.focus();
      }
    });
    results.addEventListener("keydown", function (e) {
      var hits = Array.prototype.slice.call(results.querySelectorAll(".search-hit"));
      var i = hits.indexOf(document.activeElement);
      if (i < 0) return;
      if (e.key === "ArrowDown" && i + 1 < hits.length) {
        e.preventDefault();
        hits[i + 1].focus();
      } else if (e.key === "ArrowUp") {
        e.preventDefault();
        (i > 0 ? hits[i - 1] : input).focus();
      }
    });
    render();
  }

  /* Every capability, by title, for an empty query. */
  function allDocs(shown) {
    return loadIndex().then(function (eng) {
      var hits = [];
      var order = eng.ix.byTitle;
      for (var d = 0; d < eng.ix.n; d++) hits.push({ doc: order ? order[d] : d, score: 0 });
      return loadShards(eng.missing([], hits.slice(0, shown).map(function (h) {
        return h.doc;
      }))).then(function () {
        return { units: [], hits: hits, query: "", confident: true, settled: true, missing: [] };
      });
    });
  }

  function writeUrl(state) {
    var p = new URLSearchParams();
    if (state.q) p.set("q", state.q);
    FACETS.forEach(function (f) {
      Array.from(state.sel[f]).sort().forEach(function (v) {
        p.append(f, v);
      });
    });
    var qs = p.toString();
    try {
      global.history.replaceState(null, "", global.location.pathname + (qs ? "?" + qs : ""));
    } catch (e) {
      /* some browsers refuse replaceState on file:// — the page still works */
    }
  }

  function facetValues(doc, facet) {
    var ix = engine.ix;
    if (facet === "status") return [ix.statuses[ix.docStatus[doc]][0]];
    if (facet === "category") return [ix.categories[ix.docCategory[doc]]];
    return ix.docPlans[doc].map(function (p) {
      return ix.plans[p];
    });
  }

  function passes(doc, state, except) {
    return FACETS.every(function (f) {
      if (f === except || !state.sel[f].size) return true;
      return facetValues(doc, f).some(function (v) {
        return state.sel[f].has(v);
      });
    });
  }

  function facetLabel(facet, value) {
    if (facet !== "status") return value;
    var s = engine.ix.statuses.find(function (x) {
      return x[0] === value;
    });
    return s ? s[1] : value;
  }

  function facetOptions(facet) {
    var ix = engine.ix;
    if (facet === "status") return ix.statuses.map(function (s) {
      return s[0];
    });
    return facet === "category" ? ix.categories : ix.plans;
  }

  function renderPage(res, state, results, facetsBox, count, rerender) {
    var shown = res.hits.filter(function (h) {
      return passes(h.doc, state, null);
    });
    var hl = highlightSet(res.units);
    clear(results);
    var page = shown.slice(0, state.limit);
    var missingDocs = engine.missing([], page.map(function (h) {
      return h.doc;
    }));
    if (missingDocs.length) {
      loadShards(missingDocs).then(rerender);
      return false;
    }
    page.forEach(function (h) {
      var li = el("li");
      li.appendChild(hitElement(h, hl, true));
      results.appendChild(li);
    });
    if (shown.length > page.length) {
      var more = el("button", "search-show-more", "Show " + Math.min(PAGE_SIZE, shown.length - page.length) + " more");
      more.type = "button";
      more.addEventListener("click", function () {
        state.limit += PAGE_SIZE;
        rerender();
      });
      var li = el("li");
      li.appendChild(more);
      results.appendChild(li);
    }
    clear(count);
    var previous = document.getElementById("search-notice");
    if (previous) previous.parentNode.removeChild(previous);
    var notice = state.q.trim() ? noAnswerNotice(res) : null;
    if (notice) {
      notice.id = "search-notice";
      count.parentNode.insertBefore(notice, count);
    }
    count.appendChild(document.createTextNode(countText(shown.length, state.q)));
    setHeading(state);
    renderFacets(res, state, facetsBox, rerender);
    return true;
  }

  function countText(n, q) {
    if (!q.trim()) return n === 1 ? "1 capability" : n + " capabilities";
    return (n === 1 ? "1 capability matches" : n + " capabilities match") + " “" + q + "”";
  }

  /* The page heading says what is listed: everything, a search, or a filter. */
  function setHeading(state) {
    var heading = document.getElementById("search-title");
    if (!heading) return;
    var filtered = FACETS.some(function (f) {
      return state.sel[f].size > 0;
    });
    var text = "All capabilities";
    if (state.q.trim()) text = "Search: “" + state.q.trim() + "”";
    else if (filtered) text = "Capabilities, filtered";
    if (heading.textContent !== text) heading.textContent = text;
  }

  function renderFacets(res, state, box, rerender) {
    clear(box);
    FACETS.forEach(function (facet) {
      var opts = facetOptions(facet);
      if (!opts.length) return;
      var counts = new Map();
      res.hits.forEach(function (h) {
        if (!passes(h.doc, state, facet)) return;
        facetValues(h.doc, facet).forEach(function (v) {
          counts.set(v, (counts.get(v) || 0) + 1);
        });
      });
      var fs = el("fieldset", "search-facet");
      fs.setAttribute("data-facet", facet);
      fs.appendChild(el("legend", null, facet === "plan" ? "Plan" : facet[0].toUpperCase() + facet.slice(1)));
      opts.forEach(function (v) {
        var n = counts.get(v) || 0;
        if (!n && !state.sel[facet].has(v)) return;
        var label = el("label", "search-facet-option");
        var cb = el("input");
        cb.type = "checkbox";
        cb.value = v;
        cb.checked = state.sel[facet].has(v);
        cb.addEventListener("change", function () {
          if (cb.checked) state.sel[facet].add(v);
          else state.sel[facet].delete(v);
          rerender();
        });
        label.appendChild(cb);
        label.appendChild(document.createTextNode(" " + facetLabel(facet, v) + " "));
        label.appendChild(el("span", "search-facet-count", n));
        fs.appendChild(label);
      });
      box.appendChild(fs);
    });
  }

  // ---------- start ----------
  function start() {
    root = (document.body && document.body.getAttribute("data-root")) || "";
    var input = document.getElementById("search-input");
    var list = document.getElementById("search-results");
    contact = (list && list.getAttribute("data-contact")) || "";
    if (input && list) setupBox(input, list);
    var page = document.getElementById("search-page");
    if (page) setupPage(page);
    document.addEventListener("keydown", function (e) {
      if (e.key !== "/" || e.ctrlKey || e.metaKey || e.altKey) return;
      var t = e.target;
      var tag = t && t.tagName ? t.tagName.toLowerCase() : "";
      if (tag === "input" || tag === "textarea" || tag === "select" || (t && t.isContentEditable)) return;
      var target = document.getElementById("search-page-input") || input;
      if (!target) return;
      e.preventDefault();
      target.focus();
      target.select();
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})(typeof window !== "undefined" ? window : this);
