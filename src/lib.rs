//! Signpost: a static-site generator for public-service guidance sites.
//!
//! The modules form layers; each imports only from the layers below it (no import circles):
//!
//! ```text
//! cli                      the commands (build, check, serve, watch, init, new, schema)
//! serve, watch             the preview server; the file watcher
//! report                   the content-status report (`signpost report`, `/_signpost/status`)
//! session (plan)           the state kept between builds, and the choice of a some-pages,
//!                          templates-only or full rebuild from the changed paths and the
//!                          last build's dependency index
//! quick                    re-render some pages from the last build
//! build                    run the stages in order, each with its own memo; gather what each
//!                          page read into the dependency index (build::index)
//! summary                  the closing table of a build, counted from the loaded site
//! ── the pipeline, one module per stage, data flowing one way ──
//! config → source → front_matter → content → [shortcodes →] markdown → links → templates
//!        → render → output
//! (data files beside config, read by shortcodes and templates; guidance, related, search,
//!  media: what the stages ask about guidance kinds, related pages, the index, files)
//! ── below every stage ──
//! cache (fingerprints, output memo), deps (what each page reads), diagnostics, error, text, yaml
//! ```
//!
//! Data only flows forward: `markdown` records beside the HTML what later stages need (headings,
//! links, FAQ answers, where law articles end, the plain text search indexes, the first
//! paragraph), so no stage reads HTML back. `front_matter` holds one table of fields from which
//! parsing, the known-key hints and `schema` derive. `render` has one submodule per kind of
//! output (pages, sections and taxonomies, search, sitemap and feeds, aliases). Each stage
//! defines its own memo (`content::FrontMatterMemo`, `markdown::BodyMemo`, `cache::OutputMemo`);
//! `build::Memos` gathers them and `session::Session` keeps them between the builds of `watch`
//! and `serve`. A stage that reads an input for a page keeps it in its per-page result, and the
//! build declares it in the [`deps::DependencyIndex`].
//!
//! `yaml` is the only module that parses YAML; `markdown::highlight` the only syntect user.
//! Content problems travel as [`diagnostics::Diagnostic`]s and are reported together;
//! fatal problems are [`error::Error`]s.

pub mod build;
pub mod cache;
pub mod cli;
pub mod config;
pub mod content;
pub mod data;
pub mod deps;
pub mod diagnostics;
pub mod error;
pub mod external;
pub mod front_matter;
pub mod guidance;
pub mod links;
pub mod markdown;
pub mod media;
pub mod messages;
pub mod output;
pub mod progress;
pub mod quick;
pub mod related;
pub mod relative;
pub mod render;
pub mod report;
pub mod schema;
pub mod search;
pub mod serve;
pub mod session;
pub mod shortcodes;
pub mod source;
pub mod summary;
pub mod templates;
pub mod text;
pub mod theme;
pub mod watch;
pub mod yaml;
