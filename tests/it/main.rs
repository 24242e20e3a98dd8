//! capcat's integration tests, as one binary: end-to-end runs of the real
//! `capcat` binary on fixtures (asserting on the files it writes) and tests
//! of the library's stages on real inputs. Unit tests live beside the code.
//! Shared helpers are in [`util`].

mod util;

mod architecture;
mod audience;
mod baseline_url;
mod browser;
mod build;
mod build_memo;
mod catalog_json;
mod decks;
mod drift;
mod fuzz;
mod history;
mod honesty;
mod hostile;
mod jira_faults;
mod jira_load;
mod jira_pull;
mod jira_samples;
mod output_safety;
mod page_size;
mod permalinks;
mod re_engage;
mod relevance;
mod scan_cache;
mod scan_cli;
mod scan_demo;
mod scan_django;
mod scan_garbage;
mod scan_languages;
mod scan_routes;
mod scan_strawberry;
mod search_ask;
mod search_parity;
mod search_public;
mod serve;
mod views;
mod xss;
