//! The Markdown stage's memo: rendered bodies kept between the builds of `watch` and `serve`,
//! so that a rebuild renders again only the bodies whose text or settings changed.

use std::collections::HashMap;
use std::sync::Arc;

use super::Rendered;
use crate::front_matter::Kind;

/// Rendered bodies by source path (`_index.md#section` for sections).
#[derive(Default)]
pub struct BodyMemo {
    bodies: HashMap<String, Remembered>,
}

/// A rendered body, valid while its text, kind and the Markdown settings are unchanged.
struct Remembered {
    /// Fingerprint of the Markdown settings of its language.
    settings: u64,
    kind: Kind,
    /// The source text and where the body starts in it.
    text: Arc<String>,
    offset: usize,
    rendered: Arc<Rendered>,
}

impl BodyMemo {
    /// The body of `path` if the body at `offset` of `text` was last rendered with the same
    /// settings and kind (the same shared text is taken as unchanged without comparing it).
    pub fn get(
        &self,
        path: &str,
        settings: u64,
        kind: Kind,
        text: &Arc<String>,
        offset: usize,
    ) -> Option<Arc<Rendered>> {
        let same_body = |r: &Remembered| {
            (Arc::ptr_eq(&r.text, text) && r.offset == offset) || r.text.get(r.offset..) == text.get(offset..)
        };
        self.bodies
            .get(path)
            .filter(|r| r.settings == settings && r.kind == kind && same_body(r))
            .map(|r| Arc::clone(&r.rendered))
    }

    /// Remember `rendered` as the body of `path`, made from `text` from `offset` on.
    pub fn insert(
        &mut self,
        path: String,
        settings: u64,
        kind: Kind,
        text: &Arc<String>,
        offset: usize,
        rendered: &Arc<Rendered>,
    ) {
        let remembered =
            Remembered { settings, kind, text: Arc::clone(text), offset, rendered: Arc::clone(rendered) };
        self.bodies.insert(path, remembered);
    }

    /// Forget every body (a full build remembers the ones it still has).
    pub fn clear(&mut self) {
        self.bodies.clear();
    }

    /// How many bodies are remembered.
    pub fn len(&self) -> usize {
        self.bodies.len()
    }

    /// Whether no body is remembered.
    pub fn is_empty(&self) -> bool {
        self.bodies.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn body(text: &str) -> Arc<Rendered> {
        let strings = std::collections::BTreeMap::new();
        let markdown = crate::config::MarkdownOptions::default();
        let options = super::super::RenderOptions {
            highlight: false,
            count_words: false,
            ..super::super::RenderOptions::for_tests(&markdown, &strings, Kind::Guide)
        };
        Arc::new(super::super::render(text, options))
    }

    #[test]
    fn a_body_is_reused_only_for_the_same_text_settings_and_kind() {
        let mut memo = BodyMemo::default();
        let text = Arc::new("---\ntitle: A\n---\nHello.\n".to_string());
        let rendered = body("Hello.\n");
        memo.insert("a.md".into(), 1, Kind::Guide, &text, 17, &rendered);
        let same_body = Arc::new("---\ntitle: B\n---\nHello.\n".to_string());
        assert!(memo.get("a.md", 1, Kind::Guide, &text, 17).is_some());
        assert!(memo.get("a.md", 1, Kind::Guide, &same_body, 17).is_some(), "front matter aside");
        assert!(memo.get("a.md", 2, Kind::Guide, &text, 17).is_none(), "other settings");
        assert!(memo.get("a.md", 1, Kind::Faq, &text, 17).is_none(), "another kind");
        let edited = Arc::new("---\ntitle: A\n---\nHello!\n".to_string());
        assert!(memo.get("a.md", 1, Kind::Guide, &edited, 17).is_none(), "an edited body");
        assert!(memo.get("b.md", 1, Kind::Guide, &text, 17).is_none());
    }
}
