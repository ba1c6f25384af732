//! Guidance kinds beyond plain Markdown: Chinese numerals for law articles, lifecycle
//! rules (reviews, owners, citations of amended law) and the JSON-LD graph of each page.

pub mod editorial;
pub mod freshness;
pub mod gov;
pub mod jsonld;
pub mod law;
pub mod lifecycle;
pub mod numerals;
pub mod service;
