//! The per-page dependency index: which pages read which inputs besides their own source, and
//! which outputs are copies of an input. `watch` and `serve` use it (through
//! `crate::session::plan`) to re-render only the pages that read a changed input.
//!
//! # Declaring what a page reads
//!
//! Inputs and pages are both named by their path relative to the site root, with `/`
//! separators, as the watcher reports changes: `content/guides/renew.md` for a page,
//! `content/guides/map.png`, `data/fees.yaml`, `snippets/where-to-apply.md` or
//! `templates/shortcodes/fact.html` for what it reads.
//!
//! A stage that makes a page's output from an input keeps that fact with its own per-page
//! result (as `links::Resolved::files` lists the files each page links to or shows), and the
//! build declares it here, in `build::dependency_index`, with [`DependencyIndex::declare`]:
//!
//! ```
//! # use signpost::deps::DependencyIndex;
//! let mut index = DependencyIndex::default();
//! index.declare("content/guides/renew.md", "snippets/where-to-apply.md");
//! let readers = index.readers("snippets/where-to-apply.md").unwrap();
//! assert!(readers.contains("content/guides/renew.md"));
//! ```
//!
//! After an edit of a declared input, a rebuild renders again the pages reading it (and
//! nothing else, when what other outputs see of those pages stayed as it was); an input no page
//! declared, and that is no copied file, gets a full rebuild. Declaring too much costs time,
//! never correctness; declaring too little leaves a page stale, so a stage that cannot tell
//! what it read should declare nothing and let its inputs fall to the full rebuild.
//!
//! This module sits below every stage and imports none of them.

use std::collections::{BTreeMap, BTreeSet};

/// What the pages of one build read, and which of its outputs are copies of an input.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DependencyIndex {
    /// Input path → the pages (source paths) reading it.
    readers: BTreeMap<String, BTreeSet<String>>,
    /// Input path → the output path it is copied to.
    copies: BTreeMap<String, String>,
}

impl DependencyIndex {
    /// Declare that the page made from source `page` reads `input` (both relative to the
    /// site root, such as `content/guides/renew.md` and `content/guides/map.png`).
    pub fn declare(&mut self, page: &str, input: &str) {
        self.readers.entry(input.to_string()).or_default().insert(page.to_string());
    }

    /// Declare that output `output` (such as `guides/map.png`) is a copy of `input`.
    pub fn declare_copy(&mut self, input: &str, output: &str) {
        self.copies.insert(input.to_string(), output.to_string());
    }

    /// The pages reading `input`, if any page declared it.
    pub fn readers(&self, input: &str) -> Option<&BTreeSet<String>> {
        self.readers.get(input)
    }

    /// The output `input` is copied to, if it is copied.
    pub fn copy_of(&self, input: &str) -> Option<&str> {
        self.copies.get(input).map(String::as_str)
    }

    /// Whether the index knows `input`: some page reads it, or it is copied.
    pub fn knows(&self, input: &str) -> bool {
        self.readers.contains_key(input) || self.copies.contains_key(input)
    }
}

/// Pages to render again and files to copy again after an edit, all named by their path
/// relative to the site root.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Pages {
    /// Sources of the pages to render again (`content/faq.md`).
    pub pages: BTreeSet<String>,
    /// Inputs copied to the output as they are (`static/logo.png`).
    pub copies: BTreeSet<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn readers_and_copies_are_found_by_input() {
        let mut index = DependencyIndex::default();
        index.declare("content/a.md", "content/map.png");
        index.declare("content/b.md", "content/map.png");
        index.declare("content/a.md", "content/map.png");
        index.declare_copy("content/map.png", "map.png");
        let readers: Vec<_> = index.readers("content/map.png").into_iter().flatten().collect();
        assert_eq!(readers, ["content/a.md", "content/b.md"]);
        assert_eq!(index.copy_of("content/map.png"), Some("map.png"));
        assert!(index.knows("content/map.png"));
        assert!(!index.knows("content/other.png") && index.readers("content/other.png").is_none());
    }
}
