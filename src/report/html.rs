//! The report as one self-contained HTML page: inline CSS and SVG, no script, no request to
//! anywhere, printable. Each chart has a table with the same figures beside it.
//!
//! Long lists stop after [`MAX_ROWS`] rows with a note of how many more there are (the JSON
//! lists them all), so a 10,000-page site still gives a page a browser opens at once.

use std::fmt::Write as _;

use crate::text::escape_html as esc;

mod freshness;

use super::charts::{self, Chart, Direction, PALETTE, Series};
use super::model::{Report, Review};

/// Most rows one list shows.
pub const MAX_ROWS: usize = 200;

/// The page's style: plain, high-contrast, and fit for print.
const STYLE: &str = "\
:root{color:#0b0c0c;background:#fff;font-family:system-ui,-apple-system,\"Segoe UI\",\"Noto Sans CJK SC\",\"PingFang SC\",sans-serif;line-height:1.5}
body{margin:0 auto;max-width:64rem;padding:1rem 1.25rem 3rem}
a{color:#1d70b8}a:focus{outline:3px solid #ffdd00;background:#ffdd00;color:#0b0c0c}
h1{font-size:2rem;margin:.5rem 0}h2{font-size:1.5rem;margin:2.5rem 0 .5rem;border-top:2px solid #0b0c0c;padding-top:.75rem}
h3{font-size:1.15rem;margin:1.5rem 0 .5rem}
nav ul{display:flex;flex-wrap:wrap;gap:.25rem 1rem;list-style:none;padding:0}
.figures{display:flex;flex-wrap:wrap;gap:.5rem 2rem;list-style:none;padding:0;margin:.5rem 0}
.figures strong{font-size:1.5rem;display:block}
.warn strong{color:#d4351c}
figure{margin:1rem 0}svg.chart{max-width:100%;height:auto;display:block}
.legend{list-style:none;padding:0;margin:.25rem 0;display:flex;gap:1.25rem;flex-wrap:wrap}
.swatch{display:inline-block;width:.9rem;height:.9rem;margin-right:.35rem;vertical-align:-.1rem;border:1px solid #0b0c0c}
.scroll{overflow-x:auto;margin:.5rem 0 1rem}.scroll:focus{outline:3px solid #ffdd00}
table{border-collapse:collapse;width:100%;font-size:.95rem}
caption{text-align:left;font-weight:700;padding:.25rem 0}
th,td{text-align:left;padding:.3rem .5rem;border-bottom:1px solid #b1b4b6;vertical-align:top}
th{background:#f3f2f1}td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}.d{white-space:nowrap}
.flag{color:#d4351c;font-weight:700}
code{font-size:.9em;overflow-wrap:anywhere}
footer{margin-top:3rem;color:#505a5f;font-size:.9rem}
@media print{nav{display:none}h2{break-after:avoid}figure,tr{break-inside:avoid}a{color:inherit}}
";

/// The whole page.
pub fn page(report: &Report) -> String {
    let mut out = String::with_capacity(64 * 1024);
    let title = format!("Content status: {}", report.site);
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{}</title>\n<style>\n{STYLE}</style>\n</head>\n<body>\n<header>\n<h1>{}</h1>\n\
         <p>As of {} · {} published pages · languages: {}</p>\n{}</header>\n<main>\n",
        esc(&title),
        esc(&title),
        esc(&report.today),
        report.pages,
        esc(&report.languages.join(", ")),
        NAV
    );
    for section in [reviews, ownership, translations, freshness::section, links, citations, quality, size] {
        out.push_str(&section(report));
    }
    let _ = write!(
        out,
        "</main>\n<footer><p>Made by Signpost {} from the site's sources. \
         <code>signpost report --format json</code> gives the same figures as JSON.</p></footer>\n</body>\n</html>\n",
        env!("CARGO_PKG_VERSION")
    );
    out
}

/// The table of contents.
const NAV: &str = "<nav aria-label=\"Report sections\"><ul>\
<li><a href=\"#reviews\">Reviews</a></li><li><a href=\"#ownership\">Ownership</a></li>\
<li><a href=\"#translations\">Translations</a></li><li><a href=\"#freshness\">Freshness</a></li>\
<li><a href=\"#links\">Links</a></li><li><a href=\"#citations\">Citations</a></li>\
<li><a href=\"#quality\">Quality</a></li><li><a href=\"#size\">Size</a></li></ul></nav>\n";

/// `<section>` with its heading.
fn open(id: &str, heading: &str) -> String {
    format!("<section id=\"{id}\" aria-labelledby=\"{id}-h\">\n<h2 id=\"{id}-h\">{heading}</h2>\n")
}

/// The key figures of a section; a figure flagged `true` and above zero is shown as a problem.
fn figures(items: &[(usize, &str, bool)]) -> String {
    let mut out = String::from("<ul class=\"figures\">");
    for (n, label, bad) in items {
        let class = if *bad && *n > 0 { " class=\"warn\"" } else { "" };
        let _ = write!(out, "<li{class}><strong>{n}</strong> {}</li>", esc(label));
    }
    out.push_str("</ul>\n");
    out
}

/// A chart with its legend (for stacked series), or a note when it could not be drawn;
/// nothing when every value is zero.
fn figure(chart: &Chart) -> String {
    if chart.series.iter().all(|s| s.values.iter().all(|&v| v == 0)) {
        // Nothing to draw (no bar, or none above zero): the table beside it says so.
        return String::new();
    }
    let drawn = charts::svg(chart).unwrap_or_else(|e| format!("<p>{}</p>", esc(&e.to_string())));
    let mut out = format!("<figure>\n{drawn}\n");
    if chart.series.len() > 1 {
        out.push_str("<ul class=\"legend\">");
        for s in &chart.series {
            let colour = PALETTE[s.colour % PALETTE.len()];
            let _ = write!(
                out,
                "<li><span class=\"swatch\" style=\"background:{colour}\"></span>{}</li>",
                esc(&s.name)
            );
        }
        out.push_str("</ul>\n");
    }
    if chart.categories.len() > charts::MAX_BARS {
        let _ = writeln!(
            out,
            "<figcaption>The chart shows the first {} bars; the table lists all {}.</figcaption>",
            charts::MAX_BARS,
            chart.categories.len()
        );
    }
    out.push_str("</figure>\n");
    out
}

/// A table: `head` cells (a leading `#` marks a number column), rows of escaped cells, and a
/// note when `total` rows exist but only the first [`MAX_ROWS`] are given.
fn table(caption: &str, head: &[&str], rows: Vec<Vec<String>>, total: usize) -> String {
    if total == 0 {
        return format!("<p>{}: none.</p>\n", esc(caption));
    }
    // `#` marks a number column, right-aligned; `@` a date column, never wrapped.
    let classes: Vec<&str> = head
        .iter()
        .map(|h| match h.chars().next() {
            Some('#') => " class=\"n\"",
            Some('@') => " class=\"d\"",
            _ => "",
        })
        .collect();
    // A wide table scrolls in its own box (named, and reachable by keyboard to scroll it), so
    // the page itself reflows at 320 px.
    let mut out = format!(
        "<div class=\"scroll\" role=\"region\" tabindex=\"0\" aria-label=\"{0}\">\n<table>\n<caption>{0}</caption>\n<thead><tr>",
        esc(caption)
    );
    for (h, class) in head.iter().zip(&classes) {
        let _ = write!(out, "<th scope=\"col\"{class}>{}</th>", esc(h.trim_start_matches(['#', '@'])));
    }
    out.push_str("</tr></thead>\n<tbody>\n");
    for row in rows.into_iter().take(MAX_ROWS) {
        out.push_str("<tr>");
        for (cell, class) in row.iter().zip(classes.iter().chain(std::iter::repeat(&""))) {
            let _ = write!(out, "<td{class}>{cell}</td>");
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody>\n</table>\n</div>\n");
    if total > MAX_ROWS {
        let _ = writeln!(out, "<p>… and {} more (the JSON report lists all of them).</p>", total - MAX_ROWS);
    }
    out
}

/// A page cell: its title and content path.
fn page_cell(title: &str, path: &str) -> String {
    format!("{}<br><code>content/{}</code>", esc(title), esc(path))
}

/// A flag cell: `text` shown as a problem when `on`.
fn flag(on: bool, text: &str) -> String {
    if on { format!("<span class=\"flag\">{}</span>", esc(text)) } else { String::new() }
}

/// One series of values, for a chart.
fn series(name: &str, colour: usize, values: Vec<u64>) -> Series {
    Series { name: name.to_string(), colour, values }
}

fn reviews(report: &Report) -> String {
    let r = &report.reviews;
    let mut out = open("reviews", "Reviews");
    let due: usize = r.by_month.iter().map(|m| m.count).sum();
    out.push_str(&figures(&[
        (r.overdue, "overdue", true),
        (due, "due in the next 12 months", false),
        (r.later, "due later", false),
        (r.without_date, "pages without a review date", false),
    ]));
    let mut categories = vec!["overdue".to_string()];
    categories.extend(r.by_month.iter().map(|m| m.month.clone()));
    let mut overdue = vec![r.overdue as u64];
    overdue.extend(r.by_month.iter().map(|_| 0));
    let mut coming = vec![0];
    coming.extend(r.by_month.iter().map(|m| m.count as u64));
    out.push_str(&figure(&Chart {
        id: "chart-reviews".into(),
        title: "Reviews due by month".into(),
        desc: format!(
            "Bar chart: {} reviews overdue, then reviews due in each of the next 12 months, from {} to {}; the table below gives the same figures.",
            r.overdue,
            r.by_month.first().map_or("", |m| m.month.as_str()),
            r.by_month.last().map_or("", |m| m.month.as_str())
        ),
        categories,
        series: vec![series("overdue", 1, overdue), series("due", 0, coming)],
        direction: Direction::Vertical,
        unit: "pages".into(),
    }));
    let mut rows = vec![vec!["overdue".to_string(), r.overdue.to_string()]];
    rows.extend(r.by_month.iter().map(|m| vec![esc(&m.month), m.count.to_string()]));
    out.push_str(&table("Reviews due by month", &["Month", "#Reviews"], rows, 13));
    out.push_str("<h3>Reviews by owner</h3>\n");
    out.push_str(&review_list(&r.items));
    out.push_str("</section>\n");
    out
}

/// Every review, grouped by owner (owners in order of their most urgent review).
fn review_list(items: &[Review]) -> String {
    let mut sorted: Vec<&Review> = items.iter().collect();
    let first_due =
        |owner: &Option<String>| items.iter().find(|r| &r.owner == owner).map_or(i64::MAX, |r| r.days);
    sorted.sort_by(|a, b| {
        first_due(&a.owner)
            .cmp(&first_due(&b.owner))
            .then_with(|| a.owner.cmp(&b.owner))
            .then_with(|| a.days.cmp(&b.days))
            .then_with(|| a.page.cmp(&b.page))
    });
    let rows = sorted
        .iter()
        .map(|r| {
            let when = if r.days < 0 {
                format!("overdue by {} days", -r.days)
            } else {
                format!("in {} days", r.days)
            };
            vec![
                esc(r.owner.as_deref().unwrap_or("(no owner)")),
                page_cell(&r.page.title, &r.page.path),
                esc(&r.review_by),
                if r.days < 0 { flag(true, &when) } else { esc(&when) },
            ]
        })
        .collect();
    table("Pages with a review date, by owner", &["Owner", "Page", "Review by", "When"], rows, items.len())
}

fn ownership(report: &Report) -> String {
    let o = &report.ownership;
    let mut out = open("ownership", "Ownership");
    out.push_str(&figures(&[
        (o.owners.len(), "owners", false),
        (o.unowned.len(), "pages without an owner", true),
    ]));
    let mut categories: Vec<String> = o.owners.iter().map(|c| c.owner.clone()).collect();
    let mut values: Vec<u64> = o.owners.iter().map(|c| c.pages as u64).collect();
    categories.truncate(charts::MAX_BARS - 1);
    values.truncate(charts::MAX_BARS - 1);
    let mut none = vec![0; categories.len()];
    categories.push("(no owner)".into());
    values.push(0);
    none.push(o.unowned.len() as u64);
    out.push_str(&figure(&Chart {
        id: "chart-owners".into(),
        title: "Pages per owner".into(),
        desc: format!(
            "Bar chart of published pages per owner, {} owners, most pages first, and {} pages without an owner; the table below gives the same figures.",
            o.owners.len(),
            o.unowned.len()
        ),
        categories,
        series: vec![series("owned", 0, values), series("no owner", 1, none)],
        direction: Direction::Horizontal,
        unit: "pages".into(),
    }));
    let rows =
        o.owners.iter().map(|c| vec![esc(&c.owner), c.pages.to_string(), c.overdue.to_string()]).collect();
    out.push_str(&table("Pages per owner", &["Owner", "#Pages", "#Reviews overdue"], rows, o.owners.len()));
    let rows = o.unowned.iter().map(|p| vec![page_cell(&p.title, &p.path)]).collect();
    out.push_str(&table("Pages without an owner", &["Page"], rows, o.unowned.len()));
    out.push_str("</section>\n");
    out
}

fn translations(report: &Report) -> String {
    let t = &report.translations;
    let mut out = open("translations", "Translations");
    if report.languages.len() < 2 {
        out.push_str("<p>The site has one language.</p>\n</section>\n");
        return out;
    }
    out.push_str(&figures(&[
        (t.missing.len(), "missing translations", true),
        (t.outdated.len(), "outdated translations", true),
    ]));
    let categories = t.coverage.iter().map(|c| format!("{} · {}", c.section, c.lang)).collect();
    let pick = |f: fn(&super::model::Coverage) -> usize| t.coverage.iter().map(|c| f(c) as u64).collect();
    out.push_str(&figure(&Chart {
        id: "chart-translations".into(),
        title: "Translation coverage per section and language".into(),
        desc: format!(
            "Stacked bar chart: for each section and language, the pages of the default language translated and current, translated but outdated, and missing; {} missing and {} outdated in all. The table below gives the same figures.",
            t.missing.len(),
            t.outdated.len()
        ),
        categories,
        series: vec![series("current", 3, pick(|c| c.current)), series("outdated", 2, pick(|c| c.outdated)), series("missing", 1, pick(|c| c.missing))],
        direction: Direction::Horizontal,
        unit: "pages".into(),
    }));
    let rows = t
        .coverage
        .iter()
        .map(|c| {
            vec![
                esc(&c.section),
                esc(&c.lang),
                c.current.to_string(),
                c.outdated.to_string(),
                c.missing.to_string(),
            ]
        })
        .collect();
    out.push_str(&table(
        "Coverage per section and language",
        &["Section", "Language", "#Current", "#Outdated", "#Missing"],
        rows,
        t.coverage.len(),
    ));
    out.push_str(&translation_lists(t));
    out.push_str("</section>\n");
    out
}

/// The missing and the outdated translations, listed.
fn translation_lists(t: &super::model::Translations) -> String {
    let mut out = String::new();
    let rows = t
        .missing
        .iter()
        .map(|m| {
            vec![
                page_cell(&m.page.title, &m.page.path),
                esc(&m.lang),
                format!("<code>content/{}</code>", esc(&m.expected)),
            ]
        })
        .collect();
    out.push_str(&table(
        "Missing translations",
        &["Original", "Language", "Expected file"],
        rows,
        t.missing.len(),
    ));
    let rows = t
        .outdated
        .iter()
        .map(|o| {
            vec![
                page_cell(&o.page.title, &o.page.path),
                esc(&o.lang),
                esc(&o.translated),
                format!("{} (<code>content/{}</code>)", esc(&o.original_updated), esc(&o.original)),
            ]
        })
        .collect();
    out.push_str(&table(
        "Outdated translations",
        &["Translation", "Language", "Updated", "Original updated"],
        rows,
        t.outdated.len(),
    ));
    out
}

fn links(report: &Report) -> String {
    let l = &report.links;
    let mut out = open("links", "Links");
    let broken = l.external.iter().filter(|e| e.broken).count();
    out.push_str(&figures(&[
        (l.internal.len(), "internal link warnings", true),
        (l.external_total, "external URLs linked", false),
        (l.external.len(), "checked (in the cache)", false),
        (broken, "broken external links", true),
    ]));
    let rows = l
        .internal
        .iter()
        .map(|p| vec![format!("<code>{}:{}</code>", esc(&p.file), p.line), esc(&p.message)])
        .collect();
    out.push_str(&table(
        "Internal link warnings (broken internal links stop the build)",
        &["Where", "Warning"],
        rows,
        l.internal.len(),
    ));
    let _ = writeln!(
        out,
        "<p>External results come from the cache of <code>signpost check --external</code>{}; run it to refresh them.</p>",
        l.cache.as_deref().map(|c| format!(" (<code>{}</code>)", esc(c))).unwrap_or_default()
    );
    let rows = l
        .external
        .iter()
        .map(|e| {
            let pages = e
                .pages
                .iter()
                .map(|p| format!("<code>content/{}</code>", esc(p)))
                .collect::<Vec<_>>()
                .join("<br>");
            let status = if e.broken { flag(true, &e.status.to_string()) } else { e.status.to_string() };
            vec![
                format!("<code>{}</code>", esc(&e.url)),
                status,
                esc(&e.checked),
                e.age_days.to_string(),
                pages,
            ]
        })
        .collect();
    out.push_str(&table(
        "External links with a checked result",
        &["URL", "Status", "Checked", "#Days ago", "Linked from"],
        rows,
        l.external.len(),
    ));
    out.push_str("</section>\n");
    out
}

fn citations(report: &Report) -> String {
    let c = &report.citations;
    let mut out = open("citations", "Citations");
    out.push_str(&figures(&[
        (c.articles.len(), "law articles cited", false),
        (c.outdated, "citing pages older than the law's amendment", true),
    ]));
    let rows = c
        .articles
        .iter()
        .map(|a| {
            let cited = a
                .cited_by
                .iter()
                .map(|p| {
                    let when = p.updated.as_deref().unwrap_or("undated");
                    let note = flag(p.outdated, " updated before the amendment");
                    format!("{} ({}){note}", page_cell(&p.page.title, &p.page.path), esc(when))
                })
                .collect::<Vec<_>>()
                .join("<br>");
            vec![
                page_cell(&a.law.title, &a.law.path),
                format!("<code>#{}</code>", esc(&a.article)),
                esc(a.amended.as_deref().unwrap_or("")),
                cited,
            ]
        })
        .collect();
    out.push_str(&table(
        "Law articles and the guidance citing them",
        &["Law", "Article", "Amended", "Cited by (last updated)"],
        rows,
        c.articles.len(),
    ));
    out.push_str("</section>\n");
    out
}

fn quality(report: &Report) -> String {
    let q = &report.quality;
    let mut out = open("quality", "Quality");
    out.push_str(&figures(&[(q.total, "warnings", true), (q.kinds.len(), "kinds", false)]));
    out.push_str(&figure(&Chart {
        id: "chart-quality".into(),
        title: "Warnings by kind".into(),
        desc: format!(
            "Bar chart of {} warnings in {} kinds, most frequent first; the table below gives the counts per section.",
            q.total,
            q.kinds.len()
        ),
        categories: q.kinds.iter().map(|k| k.kind.clone()).collect(),
        series: vec![series("warnings", 0, q.kinds.iter().map(|k| k.count as u64).collect())],
        direction: Direction::Horizontal,
        unit: "warnings".into(),
    }));
    let rows = q
        .kinds
        .iter()
        .map(|k| {
            let sections =
                k.by_section.iter().map(|(s, n)| format!("{}: {n}", esc(s))).collect::<Vec<_>>().join("<br>");
            let places = k
                .examples
                .iter()
                .map(|e| format!("<code>{}</code>", esc(e)))
                .collect::<Vec<_>>()
                .join("<br>");
            vec![esc(&k.kind), k.count.to_string(), sections, places]
        })
        .collect();
    out.push_str(&table(
        "Warnings by kind and section",
        &["Kind", "#Count", "Per section", "First places"],
        rows,
        q.kinds.len(),
    ));
    out.push_str("</section>\n");
    out
}

/// A band's label under its bar: its upper bound, rounded to a whole KB (`< 143 KB`).
fn axis_label(band: &super::model::Band, budget: u64) -> String {
    match band.to_bytes {
        Some(to) => format!("< {} KB", (to + 512) / 1024),
        None => format!("> {} KB", (budget + 512) / 1024),
    }
}

/// `123.4 KB`.
fn kb(bytes: u64) -> String {
    format!("{:.1} KB", bytes as f64 / 1024.0)
}

fn size(report: &Report) -> String {
    let s = &report.size;
    let mut out = open("size", "Size");
    out.push_str(&figures(&[(s.over_budget, "pages over the budget", true)]));
    let _ = writeln!(
        out,
        "<p>Page weight is the page's HTML plus the images it shows. Budget: {}; median page: {}.</p>",
        kb(s.budget_bytes),
        kb(s.median_bytes)
    );
    let label = |b: &super::model::Band| match b.to_bytes {
        Some(to) => format!("{}–{}", kb(b.from_bytes), kb(to)),
        None => format!("over {}", kb(s.budget_bytes)),
    };
    let within =
        s.distribution.iter().map(|b| if b.to_bytes.is_some() { b.count as u64 } else { 0 }).collect();
    let over = s.distribution.iter().map(|b| if b.to_bytes.is_none() { b.count as u64 } else { 0 }).collect();
    out.push_str(&figure(&Chart {
        id: "chart-size".into(),
        title: "Pages by weight".into(),
        desc: format!(
            "Bar chart of how many pages fall in each band of weight (HTML plus images), up to the budget of {} and over it; {} pages are over. The table below gives the same figures.",
            kb(s.budget_bytes),
            s.over_budget
        ),
        // The axis has room for short labels only; the table gives each band whole.
        categories: s.distribution.iter().map(|b| axis_label(b, s.budget_bytes)).collect(),
        series: vec![series("within the budget", 0, within), series("over the budget", 1, over)],
        direction: Direction::Vertical,
        unit: "pages".into(),
    }));
    let rows = s.distribution.iter().map(|b| vec![esc(&label(b)), b.count.to_string()]).collect();
    out.push_str(&table("Pages by weight", &["Weight", "#Pages"], rows, s.distribution.len()));
    let heaviest = s.pages.iter().take(20.max(s.over_budget));
    let rows = heaviest
        .map(|p| {
            vec![
                page_cell(&p.page.title, &p.page.path),
                kb(p.html_bytes),
                kb(p.image_bytes),
                format!("{}{}", kb(p.total_bytes), flag(p.total_bytes > s.budget_bytes, " over")),
            ]
        })
        .collect();
    let shown = s.pages.len().min(20.max(s.over_budget));
    out.push_str(&table("Heaviest pages", &["Page", "#HTML", "#Images", "#Total"], rows, shown));
    out.push_str("</section>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_chart_with_nothing_above_zero_is_left_out() {
        let chart = |values: Vec<u64>| Chart {
            id: "c".into(),
            title: "t".into(),
            desc: "d".into(),
            categories: vec!["a".into(), "b".into()],
            series: vec![series("s", 0, values)],
            direction: Direction::Vertical,
            unit: "pages".into(),
        };
        assert_eq!(figure(&chart(vec![0, 0])), "");
        assert!(figure(&chart(vec![0, 3])).starts_with("<figure>\n<svg class=\"chart\""));
    }
}
