//! capcat builds a capability catalog: a static, searchable site saying what a
//! product supports today and what is coming, grounded in its code and its Jira.
//!
//! The build is a pipeline with plain data between stages:
//! [`config`] → [`content`] + [`scan`] + [`jira`] → [`catalog`] → [`view`] →
//! [`render`] → [`output`]. [`build`] runs it.

#![warn(missing_docs)]

pub mod build;
pub mod catalog;
pub mod config;
pub mod content;
pub mod dates;
pub mod diagnostics;
pub mod init;
pub mod jira;
pub mod output;
pub mod render;
pub mod scan;
pub mod search;
pub mod view;
