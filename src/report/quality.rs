//! The Quality section: the build's warnings (the editorial checks' and the others `check`
//! prints) grouped by kind and counted per section.

use std::collections::{BTreeMap, HashMap};

use crate::diagnostics::{self, Diagnostics};

use super::model::{Quality, QualityKind};

/// How many places each kind lists, to start from.
const EXAMPLES: usize = 3;

/// The section label of warnings outside any page (`site.yaml`, templates).
pub const SITE_WIDE: &str = "(site)";

/// Group the warnings of `diags` by kind; `section_of` maps a diagnostic's file to its section.
pub(super) fn quality(diags: &Diagnostics, section_of: &HashMap<String, String>) -> Quality {
    let mut kinds: BTreeMap<String, QualityKind> = BTreeMap::new();
    let mut total = 0;
    for d in diags.iter().filter(|d| !d.is_error()) {
        total += 1;
        let kind = kind_label(&diagnostics::kind_of(d).1);
        let entry = kinds.entry(kind.clone()).or_insert_with(|| QualityKind {
            kind,
            count: 0,
            by_section: BTreeMap::new(),
            examples: Vec::new(),
        });
        entry.count += 1;
        let file = d.location.as_ref().map(|l| l.file.display().to_string());
        let section = file.as_ref().and_then(|f| section_of.get(f)).map_or(SITE_WIDE, String::as_str);
        *entry.by_section.entry(section.to_string()).or_default() += 1;
        if let (Some(l), true) = (&d.location, entry.examples.len() < EXAMPLES) {
            entry.examples.push(format!("{}:{}", l.file.display(), l.line));
        }
    }
    let mut kinds: Vec<QualityKind> = kinds.into_values().collect();
    kinds.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.kind.cmp(&b.kind)));
    Quality { total, kinds }
}

/// A kind as a label: its figures (dates, day counts) left out too, so that "review overdue
/// since 2026-01-05 (12 days)" and "… since 2025-11-30 (48 days)" are one kind.
fn kind_label(kind: &str) -> String {
    let mut out = String::with_capacity(kind.len());
    let mut chars = kind.chars().peekable();
    while let Some(c) = chars.next() {
        if !c.is_ascii_digit() {
            out.push(c);
            continue;
        }
        while chars.peek().is_some_and(|n| n.is_ascii_digit() || matches!(n, '-' | ':' | '.')) {
            chars.next();
        }
        out.push('…');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn figures_are_left_out_of_kinds() {
        assert_eq!(
            kind_label("review overdue since 2026-01-05 (12 days)"),
            "review overdue since … (… days)"
        );
        assert_eq!(kind_label("image `…` has no alt text"), "image `…` has no alt text");
    }
}
