//! capcat builds a capability catalog: a static, searchable site saying what a
//! product supports today and what is coming, grounded in its code and its Jira.
//!
//! The build is a pipeline with plain data between stages; each stage imports
//! only from the stages before it (docs/architecture.md):
//! [`model`], [`diagnostics`] and [`cache_log`] → [`config`] → [`content`] + [`scan`] +
//! [`jira`] → [`catalog`] (+ [`history`], which compares catalog.json files) → [`view`] → [`search`] → [`render`] → [`output`].
//! [`pipeline`] runs them; [`serve`] reruns them on every edit; the `capcat`
//! binary's commands call the pipeline.

#![warn(missing_docs)]

pub mod cache_log;
pub mod catalog;
pub mod config;
pub mod content;
pub mod diagnostics;
pub mod history;
pub mod jira;
pub mod model;
pub mod net;
pub mod output;
pub mod pipeline;
pub mod render;
pub mod scan;
pub mod search;
pub mod serve;
pub mod view;
