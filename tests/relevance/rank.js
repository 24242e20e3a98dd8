// Runs the browser's ranking (themes/default/static/search.js) under node on
// a built index, for the Rust tests that compare it with `capcat ask`.
// Usage: node rank.js SEARCH_JS SITE_DIR REQUEST_JSON
// REQUEST_JSON: {"words": [...], "queries": [...]}
// Prints {"tokens": [[...], ...], "results": [[[id, score], ...], ...],
// "confident": [bool, ...]}, with the semantic layer loaded when the index
// has one.
"use strict";
const fs = require("fs");
const path = require("path");
const vm = require("vm");

const [searchJs, siteDir, requestFile] = process.argv.slice(2);
const core = require(path.resolve(searchJs));
const request = JSON.parse(fs.readFileSync(requestFile, "utf8"));

const sandbox = { window: {} };
vm.createContext(sandbox);
vm.runInContext(fs.readFileSync(path.join(siteDir, "search-index.js"), "utf8"), sandbox);
const index = sandbox.window.CAPCAT_SEARCH_INDEX;
const engine = new core.Engine(index);
engine.loadInline();
sandbox.window.CAPCAT_SEARCH_SHARD = (name, data) => engine.addShard(name, data);
for (const file of Object.values(index.files).sort()) {
  vm.runInContext(fs.readFileSync(path.join(siteDir, file), "utf8"), sandbox);
}

const ranked = (request.queries || []).map((q) => engine.search(q));
const out = {
  tokens: (request.words || []).map((w) => core.tokens(w)),
  results: ranked.map((r) => r.hits.map((h) => [engine.docs[h.doc][0], h.score])),
  confident: ranked.map((r) => r.confident),
};
process.stdout.write(JSON.stringify(out));
