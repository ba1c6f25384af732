//! The closing summary of a build: a short table, as Hugo prints one, of what each language
//! published and left out, with the site-wide figures (static files, warnings) and the time.
//!
//! The counts are taken from the loaded site by [`by_language`] when the build reports; the
//! table is drawn by [`table`] when the command prints.

use std::fmt::Write as _;

use crate::config::Config;
use crate::content::{Excluded, Site, split_language};

/// What one language of the site published and left out.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LanguageCounts {
    /// BCP 47 code (`zh-CN`, `en`).
    pub code: String,
    /// Published pages.
    pub pages: usize,
    /// Sections, the language's home included.
    pub sections: usize,
    /// Sources left out as drafts.
    pub drafts: usize,
    /// Sources left out by a publishing gate: `publish_at` still to come or `expire_at` passed.
    pub gated: usize,
    /// Redirect pages written for old URLs (`aliases:`).
    pub aliases: usize,
}

/// The counts of each language of `site`, in the order of `config.languages`.
pub fn by_language(config: &Config, site: &Site) -> Vec<LanguageCounts> {
    let mut counts: Vec<LanguageCounts> = config
        .languages
        .iter()
        .map(|l| LanguageCounts { code: l.code.clone(), ..Default::default() })
        .collect();
    // `get_mut`: an index out of range is skipped rather than a panic.
    for page in &site.pages {
        if let Some(c) = counts.get_mut(page.lang) {
            c.pages += 1;
            c.aliases += page.meta.aliases.len();
        }
    }
    for section in &site.sections {
        if let Some(c) = counts.get_mut(section.lang) {
            c.sections += 1;
            c.aliases += section.meta.aliases.len();
        }
    }
    for (path, why) in &site.excluded {
        let (_, lang) = split_language(config, path);
        if let Some(c) = counts.get_mut(lang) {
            match why {
                Excluded::Draft => c.drafts += 1,
                Excluded::Future | Excluded::Expired => c.gated += 1,
            }
        }
    }
    counts
}

/// The site-wide figures of the table, beside the per-language ones.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Totals {
    /// Static and content files copied.
    pub static_files: usize,
    /// Warnings reported.
    pub warnings: usize,
    /// Wall time in milliseconds.
    pub millis: u128,
}

/// The table, one row per figure and one column per language (and an `all` column when
/// there are several), then the time:
///
/// ```text
///                     | zh-CN | en | all
/// --------------------+-------+----+-----
///   Pages             |     5 |  3 |   8
///   …
///   Static files      |       |    |   4
///
/// Total in 48 ms
/// ```
pub fn table(languages: &[LanguageCounts], totals: Totals) -> String {
    type Figure = fn(&LanguageCounts) -> usize;
    let per_language: [(&str, Figure); 5] = [
        ("Pages", |c| c.pages),
        ("Sections", |c| c.sections),
        ("Left out: drafts", |c| c.drafts),
        ("Left out: by date", |c| c.gated),
        ("Aliases", |c| c.aliases),
    ];
    let site_wide = [("Static files", totals.static_files), ("Warnings", totals.warnings)];
    let mut headers: Vec<String> = languages.iter().map(|c| c.code.clone()).collect();
    let several = languages.len() > 1;
    if several {
        headers.push("all".to_string());
    }
    // Each row: its label and one cell per column (empty where the figure is not per language).
    let mut rows: Vec<(&str, Vec<String>)> = Vec::new();
    for (label, figure) in per_language {
        let mut cells: Vec<String> = languages.iter().map(|c| figure(c).to_string()).collect();
        if several {
            cells.push(languages.iter().map(figure).sum::<usize>().to_string());
        }
        rows.push((label, cells));
    }
    for (label, value) in site_wide {
        let mut cells = vec![String::new(); headers.len()];
        if let Some(last) = cells.last_mut() {
            *last = value.to_string();
        }
        rows.push((label, cells));
    }
    draw(&headers, &rows, totals.millis)
}

/// Lay out `rows` under `headers`, right-aligned, with Hugo's `|` and `-+-` rules.
fn draw(headers: &[String], rows: &[(&str, Vec<String>)], millis: u128) -> String {
    let label_width = rows.iter().map(|(label, _)| label.len()).max().unwrap_or(0) + 2;
    let widths: Vec<usize> = headers
        .iter()
        .enumerate()
        .map(|(i, h)| {
            rows.iter().map(|(_, cells)| cells[i].len()).chain([h.chars().count()]).max().unwrap_or(0)
        })
        .collect();
    let mut out = String::new();
    let _ = write!(out, "{:label_width$} ", "");
    for (header, width) in headers.iter().zip(&widths) {
        let _ = write!(out, "| {header:>width$} ");
    }
    out = out.trim_end().to_string();
    out.push('\n');
    out.push_str(&"-".repeat(label_width + 1));
    for width in &widths {
        let _ = write!(out, "+{}", "-".repeat(width + 2));
    }
    out.push('\n');
    for (label, cells) in rows {
        let mut line = format!("  {label:<w$} ", w = label_width - 2);
        for (cell, width) in cells.iter().zip(&widths) {
            let _ = write!(line, "| {cell:>width$} ");
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    let _ = write!(out, "\nTotal in {millis} ms\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn counts(code: &str, pages: usize, drafts: usize) -> LanguageCounts {
        LanguageCounts { code: code.to_string(), pages, sections: 2, drafts, gated: 1, aliases: 0 }
    }

    #[test]
    fn one_column_per_language_and_one_for_all() {
        let table = table(
            &[counts("zh-CN", 5, 1), counts("en", 3, 0)],
            Totals { static_files: 4, warnings: 1, millis: 48 },
        );
        assert_eq!(
            table,
            "                    | zh-CN | en | all\n\
             --------------------+-------+----+-----\n  \
             Pages             |     5 |  3 |   8\n  \
             Sections          |     2 |  2 |   4\n  \
             Left out: drafts  |     1 |  0 |   1\n  \
             Left out: by date |     1 |  1 |   2\n  \
             Aliases           |     0 |  0 |   0\n  \
             Static files      |       |    |   4\n  \
             Warnings          |       |    |   1\n\
             \n\
             Total in 48 ms\n"
        );
    }

    #[test]
    fn a_single_language_has_a_single_column() {
        let table = table(&[counts("en", 12, 0)], Totals { static_files: 120, warnings: 0, millis: 7 });
        let lines: Vec<&str> = table.lines().collect();
        assert_eq!(lines[0], "                    |  en");
        assert_eq!(lines[1], "--------------------+-----");
        assert_eq!(lines[2], "  Pages             |  12");
        assert_eq!(lines[7], "  Static files      | 120");
    }
}
