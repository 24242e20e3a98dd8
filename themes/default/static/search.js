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

  // ---------- ranking (src/search/rank.rs) ----------
  var Q_EXACT = 100;
  var Q_SYNONYM = 80;
  var Q_PREFIX = 70;
  var Q_TYPO = 60;
  var TYPO_MIN_CHARS = 5;
  var MAX_COMPLETIONS = 20;

  /* An Engine wraps the index object: vocabulary, thesaurus, stop words,
   * and postings as they are loaded ({idf, post} per term index). */
  function Engine(index) {
    this.ix = index;
    this.termId = new Map();
    for (var i = 0; i < index.terms.length; i++) this.termId.set(index.terms[i], i);
    this.stop = new Set(index.stop);
    this.idf = new Array(index.terms.length);
    this.post = new Array(index.terms.length);
    this.docs = [];
    this.loaded = new Set();
  }

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
    var units = [];
    var i = 0;
    while (i < stems.length) {
      var found = this.longestPhrase(stems, i);
      if (found.len > 0) {
        units.push(this.synonymUnit(stems.slice(i, i + found.len), found.groups));
        i += found.len;
        continue;
      }
      if (!this.isStop(stems[i])) {
        var typing = !complete && i + 1 === stems.length;
        units.push(this.wordUnit(raw[i], stems[i], typing));
      }
      i += 1;
    }
    return units.filter(function (u) {
      return u.alternatives.length > 0;
    });
  };

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

  Engine.prototype.synonymUnit = function (toks, groups) {
    var alts = [];
    var self = this;
    groups.forEach(function (g) {
      self.ix.thesaurus[g].forEach(function (phrase) {
        var terms = phrase.filter(function (t) {
          return !self.isStop(t);
        });
        var quality = phrase.join(" ") === toks.join(" ") && phrase.length === toks.length ? Q_EXACT : Q_SYNONYM;
        pushAlternative(alts, terms, quality);
      });
    });
    return { tokens: toks, alternatives: alts };
  };

  Engine.prototype.wordUnit = function (raw, st, typing) {
    var alts = [];
    if (this.termId.has(st)) {
      pushAlternative(alts, [st], Q_EXACT);
    } else if (Array.from(raw).length >= TYPO_MIN_CHARS) {
      var terms = this.ix.terms;
      var lens = this.termLengths();
      var len = Array.from(st).length;
      for (var i = 0; i < terms.length; i++) {
        if (Math.abs(lens[i] - len) <= 1 && withinOneEdit(st, terms[i])) pushAlternative(alts, [terms[i]], Q_TYPO);
      }
    }
    if (typing) {
      this.completions(raw).forEach(function (t) {
        pushAlternative(alts, [t], Q_PREFIX);
      });
    }
    return { tokens: [st], alternatives: alts, prefix: typing ? raw : null };
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

  function pushAlternative(alts, terms, quality) {
    if (!terms.length) return;
    var key = terms.join(" ");
    for (var i = 0; i < alts.length; i++) {
      if (alts[i].terms.join(" ") === key && alts[i].terms.length === terms.length) {
        alts[i].quality = Math.max(alts[i].quality, quality);
        return;
      }
    }
    alts.push({ terms: terms, quality: quality });
  }

  /* Index terms the units need postings for. */
  Engine.prototype.neededTerms = function (units) {
    var ids = [];
    var self = this;
    units.forEach(function (u) {
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
        matched: new Int32Array(n),
        best: new Float64Array(n),
        acc: new Float64Array(n),
        seen: new Int32Array(n),
        stamp: new Int32Array(n),
        clock: 0,
      };
    }
    return this.buf;
  };

  Engine.prototype.score = function (units) {
    var B = this.scratch();
    var self = this;
    var hitDocs = [];
    units.forEach(function (unit) {
      var unitStamp = ++B.clock;
      var touched = [];
      unit.alternatives.forEach(function (alt) {
        self.eachAlternativeScore(alt, function (doc, c) {
          var s = Math.floor((alt.quality * c) / 100);
          if (B.seen[doc] !== unitStamp) {
            B.seen[doc] = unitStamp;
            B.best[doc] = s;
            touched.push(doc);
          } else if (B.best[doc] < s) {
            B.best[doc] = s;
          }
        });
      });
      for (var i = 0; i < touched.length; i++) {
        var d = touched[i];
        if (B.best[d] <= 0) continue;
        if (B.matched[d] === 0) hitDocs.push(d);
        B.sum[d] += B.best[d];
        B.matched[d] += 1;
      }
    });
    var n = units.length;
    var hits = [];
    for (var i = 0; i < hitDocs.length; i++) {
      var d = hitDocs[i];
      var score = Math.floor((B.sum[d] * B.matched[d]) / n);
      if (score > 0) hits.push({ doc: d, score: score });
      B.sum[d] = 0;
      B.matched[d] = 0;
    }
    hits.sort(function (a, b) {
      return b.score - a.score || a.doc - b.doc;
    });
    return hits;
  };

  /* Calls fn(doc, c) for each document holding every term of `alt`, with c
   * the smallest weight x idf among its terms. */
  Engine.prototype.eachAlternativeScore = function (alt, fn) {
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
      var idf = this.idf[ids[k]];
      var flat = this.post[ids[k]];
      var doc = 0;
      for (var i = 0; i < flat.length; i += 2) {
        doc += flat[i];
        var c = flat[i + 1] * idf;
        if (k === 0) {
          B.stamp[doc] = base;
          B.acc[doc] = c;
        } else if (B.stamp[doc] === base + k - 1) {
          B.stamp[doc] = base + k;
          if (c < B.acc[doc]) B.acc[doc] = c;
        }
      }
    }
    var last = this.post[ids[K - 1]];
    var d = 0;
    for (var j = 0; j < last.length; j += 2) {
      d += last[j];
      if (B.stamp[d] === base + K - 1) fn(d, B.acc[d]);
    }
  };

  Engine.prototype.search = function (query) {
    return this.score(this.parse(query));
  };

  /* Stores a loaded shard: postings ("p<N>") or documents ("d<N>"). */
  Engine.prototype.addShard = function (name, data) {
    if (this.loaded.has(name)) return;
    this.loaded.add(name);
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

  /* Runs a query: loads the postings it needs and the documents of the best
   * `shown` hits, then calls render(result) synchronously;
   * result = {units, hits, query}. */
  function runQuery(query, shown, render) {
    return loadIndex().then(function (eng) {
      var t0 = performance.now();
      var units = eng.parse(query);
      var need = eng.missing(eng.neededTerms(units), []);
      var parseMs = performance.now() - t0;
      return loadShards(need).then(function () {
        var t1 = performance.now();
        var hits = eng.score(units);
        var workMs = parseMs + performance.now() - t1;
        var docs = hits.slice(0, shown).map(function (h) {
          return h.doc;
        });
        return loadShards(eng.missing([], docs)).then(function () {
          return { units: units, hits: hits, query: query, workMs: workMs };
        });
      });
    }).then(render);
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
      }).catch(showError(list));
    };
    input.addEventListener("input", update);
    input.addEventListener("focus", function () {
      loadIndex().catch(function () {});
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
    if (!res.hits.length) {
      list.appendChild(el("p", "search-empty", "No capability matches. Try the feature's name."));
      return;
    }
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

  /* Every capability, in index order, for an empty query. */
  function allDocs(shown) {
    return loadIndex().then(function (eng) {
      var hits = [];
      for (var d = 0; d < eng.ix.n; d++) hits.push({ doc: d, score: 0 });
      return loadShards(eng.missing([], hits.slice(0, shown).map(function (h) {
        return h.doc;
      }))).then(function () {
        return { units: [], hits: hits, query: "" };
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
    count.appendChild(document.createTextNode(countText(shown.length, state.q)));
    renderFacets(res, state, facetsBox, rerender);
    return true;
  }

  function countText(n, q) {
    var what = n === 1 ? "1 capability" : n + " capabilities";
    return q.trim() ? what + " match “" + q + "”" : what;
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
