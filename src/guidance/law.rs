//! Checks of law pages as written: an article number may appear once in a law.
//!
//! A repeated `### 第七条` silently took another article's id (a citation of Article 7-1 then
//! landed on the second Article 7), so it is an error naming both headings.

use std::collections::HashMap;

use crate::content::Site;
use crate::diagnostics::{Diagnostic, Location};
use crate::front_matter::Kind;
use crate::guidance::numerals;

/// An error for every article heading of a law page whose number an earlier heading has.
pub fn repeated_articles(site: &Site) -> Vec<Diagnostic> {
    let mut found = Vec::new();
    for page in site.pages.iter().filter(|p| p.meta.kind == Kind::Law) {
        let text = page.source.text_for_messages();
        let mut first_line: HashMap<String, usize> = HashMap::new();
        for (line, title) in article_headings(&text) {
            let Some(id) = numerals::article_id(&title) else { continue };
            match first_line.get(&id) {
                None => {
                    first_line.insert(id, line);
                }
                Some(&first) => found.push(
                    Diagnostic::error(format!("article `{title}` appears twice in this law"))
                        .at(Location {
                            file: page.source.display.clone(),
                            line,
                            column: 1,
                            length: title.chars().count().max(1),
                        })
                        .with_hint(format!(
                            "its first heading is at {}:{first}; an article added later is numbered like `第七条之一`",
                            page.source.display.display()
                        )),
                ),
            }
        }
    }
    found
}

/// The (line number, text) of each ATX heading of `text`, outside fenced code blocks.
fn article_headings(text: &str) -> impl Iterator<Item = (usize, String)> + '_ {
    let mut fence: Option<&str> = None;
    text.lines().enumerate().filter_map(move |(i, line)| {
        let trimmed = line.trim_start();
        for marker in ["```", "~~~"] {
            if trimmed.starts_with(marker) {
                match fence {
                    Some(open) if open == marker => fence = None,
                    None => fence = Some(marker),
                    Some(_) => {}
                }
                return None;
            }
        }
        if fence.is_some() {
            return None;
        }
        let hashes = trimmed.chars().take_while(|&c| c == '#').count();
        let rest = trimmed.get(hashes..)?;
        if !(1..=6).contains(&hashes) || !(rest.starts_with(' ') || rest.starts_with('\t')) {
            return None;
        }
        let title = rest.split(" {#").next().unwrap_or(rest).trim().trim_end_matches('#').trim();
        Some((i + 1, title.to_string()))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headings_are_found_outside_code() {
        let text = "---\ntitle: x\n---\n### 第七条\n\n```\n### 第八条\n```\n## Article 9 {#a9}\n#nope\n";
        let got: Vec<_> = article_headings(text).collect();
        assert_eq!(got, [(4, "第七条".to_string()), (9, "Article 9".to_string())]);
    }
}
