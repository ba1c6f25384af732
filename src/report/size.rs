//! The Size section: each page's weight, its HTML plus the images it shows (every `<img src>`
//! of the built page that is a file of the site, the theme's included), against a budget.

use std::collections::{BTreeSet, HashMap};

use crate::config::Config;
use crate::content::Site;
use crate::render::{Body, Output};

use super::model::{Band, PageWeight, Size};
use super::pages::page_ref;

/// Number of bands of the weight chart: the budget is split into `BANDS - 1` bands, and the
/// last band holds every page over it.
const BANDS: u64 = 8;

/// A built file as the report reads it: its bytes when they are in memory, else its size.
#[derive(Debug, Clone, Copy)]
pub enum File<'a> {
    /// The bytes.
    Bytes(&'a [u8]),
    /// Only the size, in bytes (a file copied from disk).
    Size(u64),
}

impl File<'_> {
    fn len(&self) -> u64 {
        match self {
            File::Bytes(b) => b.len() as u64,
            File::Size(n) => *n,
        }
    }
}

/// The site's built files by output path (`faq/lost-card/index.html`).
#[derive(Debug, Default)]
pub struct Files<'a> {
    files: HashMap<&'a str, File<'a>>,
    /// Bytes to leave out of each HTML file's size (the preview's reload script).
    html_extra: u64,
}

impl<'a> Files<'a> {
    /// The outputs of a rendering (copied files are measured on disk).
    pub fn from_outputs(outputs: &'a [Output]) -> Files<'a> {
        let files = outputs
            .iter()
            .map(|o| {
                let file = match &o.body {
                    Body::Copy(path) => File::Size(std::fs::metadata(path).map(|m| m.len()).unwrap_or(0)),
                    Body::Parts(parts) => File::Size(parts.len() as u64),
                    other => File::Bytes(other.in_memory().unwrap_or_default()),
                };
                (o.path.as_str(), file)
            })
            .collect();
        Files { files, html_extra: 0 }
    }

    /// Files given as (path, bytes); `html_extra` bytes are not counted in each HTML file.
    pub fn from_bytes(files: impl IntoIterator<Item = (&'a str, &'a [u8])>, html_extra: u64) -> Files<'a> {
        Files { files: files.into_iter().map(|(p, b)| (p, File::Bytes(b))).collect(), html_extra }
    }
}

/// Every page's weight, the bands of the distribution and the pages over `budget` bytes.
pub(super) fn size(config: &Config, site: &Site, files: &Files<'_>, budget: u64) -> Size {
    let mut pages: Vec<PageWeight> = site
        .pages
        .iter()
        .filter_map(|page| {
            let html = files.files.get(page.output.as_str())?;
            let html_bytes = html.len().saturating_sub(files.html_extra);
            let image_bytes = match html {
                File::Bytes(bytes) => image_sources(bytes)
                    .iter()
                    .filter_map(|src| output_path(config, &page.url, src))
                    .collect::<BTreeSet<String>>()
                    .iter()
                    .filter_map(|path| files.files.get(path.as_str()).map(File::len))
                    .sum(),
                File::Size(_) => 0,
            };
            Some(PageWeight {
                page: page_ref(page),
                html_bytes,
                image_bytes,
                total_bytes: html_bytes + image_bytes,
            })
        })
        .collect();
    pages.sort_by(|a, b| b.total_bytes.cmp(&a.total_bytes).then_with(|| a.page.cmp(&b.page)));
    let median_bytes = pages.get(pages.len() / 2).map_or(0, |p| p.total_bytes);
    Size {
        budget_bytes: budget,
        over_budget: pages.iter().filter(|p| p.total_bytes > budget).count(),
        median_bytes,
        distribution: bands(&pages, budget),
        pages,
    }
}

/// Counts of pages per band: `BANDS - 1` equal bands up to the budget (the budget itself
/// included), then one for the pages over it.
fn bands(pages: &[PageWeight], budget: u64) -> Vec<Band> {
    let step = (budget / (BANDS - 1)).max(1);
    let over = budget + 1;
    let mut bands: Vec<Band> = (0..BANDS)
        .map(|i| Band {
            from_bytes: if i + 1 == BANDS { over } else { i * step },
            to_bytes: match i + 1 {
                n if n == BANDS => None,
                n if n + 1 == BANDS => Some(over),
                n => Some(n * step),
            },
            count: 0,
        })
        .collect();
    for page in pages {
        let band = bands.iter_mut().rev().find(|b| page.total_bytes >= b.from_bytes);
        if let Some(band) = band {
            band.count += 1;
        }
    }
    bands
}

/// The `src` of every `<img>` of a page, unescaped.
fn image_sources(html: &[u8]) -> Vec<String> {
    let text = String::from_utf8_lossy(html);
    let mut found = Vec::new();
    for (start, _) in text.match_indices("<img") {
        let tag = &text[start..];
        let tag = &tag[..tag.find('>').unwrap_or(tag.len())];
        let Some(at) = tag.find(" src=\"") else { continue };
        let value = &tag[at + 6..];
        if let Some(end) = value.find('"') {
            found.push(crate::text::unescape_html(&value[..end]));
        }
    }
    found
}

/// The output path an image `src` of the page at `page_url` names, when it is one of the
/// site's (not another host's, nor a `data:` URL).
fn output_path(config: &Config, page_url: &str, src: &str) -> Option<String> {
    let src = src.split(['?', '#']).next().unwrap_or("");
    let absolute = config.base_url.trim_end_matches('/');
    let path = if let Some(rest) = src.strip_prefix(absolute).filter(|_| absolute.contains("://")) {
        rest.to_string()
    } else if src.contains(':') || src.starts_with("//") {
        return None;
    } else if src.starts_with('/') {
        src.to_string()
    } else {
        let dir = &page_url[..page_url.rfind('/').map_or(0, |i| i + 1)];
        format!("{dir}{src}")
    };
    let base = config.base_path.trim_end_matches('/');
    let path = path.strip_prefix(base).unwrap_or(&path);
    let path = crate::links::percent_decode(path.trim_start_matches('/'));
    Some(normalise(&path))
}

/// `a/./b/../c` → `a/c`.
fn normalise(path: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            other => parts.push(other),
        }
    }
    parts.join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_image_sources() {
        let html = br#"<p><img src="map.png" alt=""> <img alt="x" src="/a&amp;b.png"><img src='x'></p>"#;
        assert_eq!(image_sources(html), ["map.png", "/a&b.png"]);
    }

    #[test]
    fn bands_cover_every_weight() {
        let page = |n| PageWeight {
            page: crate::report::model::PageRef { path: String::new(), title: String::new() },
            html_bytes: n,
            image_bytes: 0,
            total_bytes: n,
        };
        let found = bands(&[page(0), page(699), page(700), page(701), page(5000)], 700);
        assert_eq!(found.iter().map(|b| b.count).collect::<Vec<_>>(), [1, 0, 0, 0, 0, 0, 2, 2]);
        assert_eq!(found[6].to_bytes, Some(701));
        assert_eq!(found[7].from_bytes, 701);
    }

    #[test]
    fn normalises_relative_paths() {
        assert_eq!(normalise("guide/./img/../map.png"), "guide/map.png");
    }
}
