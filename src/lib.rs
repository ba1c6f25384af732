//! Signpost: a static-site generator for public-service guidance sites.
//!
//! The pipeline runs in one direction, one module per stage:
//!
//! ```text
//! diagnostics → config → source → front_matter → content → markdown → links
//!   → templates → render → output → build → quick → cli
//! ```
//!
//! `quick` re-renders one page after an edit that changed nothing else (for `watch` and
//! `serve`), from the state the last full build kept.
//!
//! `yaml` is the only module that parses YAML; `markdown::highlight` the only syntect user.
//! Content problems travel as [`diagnostics::Diagnostic`]s and are reported together;
//! fatal problems are [`error::Error`]s.

pub mod build;
pub mod cache;
pub mod cli;
pub mod config;
pub mod content;
pub mod diagnostics;
pub mod error;
pub mod external;
pub mod front_matter;
pub mod guidance;
pub mod links;
pub mod markdown;
pub mod output;
pub mod quick;
pub mod related;
pub mod relative;
pub mod render;
pub mod schema;
pub mod search;
pub mod serve;
pub mod source;
pub mod templates;
pub mod text;
pub mod theme;
pub mod watch;
pub mod yaml;
