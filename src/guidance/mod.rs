//! Guidance kinds beyond plain Markdown: Chinese numerals for law articles and the
//! schema.org JSON-LD graph each page carries.

pub mod jsonld;
pub mod numerals;
