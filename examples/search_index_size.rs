//! Index size over a generated corpus: crude Markdown → sections → `build_index`, then raw and
//! gzip sizes (needs `gzip` on PATH):
//! `cargo run --release --example search_index_size -- s1k/content [index.json]`
//! (make the corpus with `python3 ../shared/bench/gencorpus.py --pages 1000 --out s1k`).
//! Sections are split crudely at `##`/`###` lines; drafts are skipped.

use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Instant;

use signpost::search::{SearchDoc, build_index, query};

/// Crude inline Markdown → text: drop emphasis/code marks, keep link text.
fn strip_inline(line: &str) -> String {
    let mut out = String::new();
    let mut rest = line;
    while let Some(open) = rest.find('[') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        match (after.find("]("), after.find(')')) {
            (Some(close), Some(end)) if close < end => {
                out.push_str(&after[..close]);
                rest = &after[end + 1..];
            }
            _ => {
                out.push('[');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out.replace("**", "").replace(['*', '`', '|'], " ")
}

fn slug(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() {
            out.push(c);
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    out.trim_matches('-').to_string()
}

fn page_docs(rel: &str, source: &str, docs: &mut Vec<SearchDoc>) {
    let Some(body) = source.strip_prefix("---\n") else { return };
    let Some((front, body)) = body.split_once("\n---\n") else { return };
    if front.lines().any(|l| l.trim() == "draft: true") {
        return;
    }
    let title = front
        .lines()
        .find_map(|l| l.strip_prefix("title:"))
        .map(|t| t.trim().trim_matches('"').to_string())
        .unwrap_or_default();
    let url = format!("/{}/", rel.trim_end_matches(".md").trim_end_matches("_index").trim_end_matches('/'));
    let (mut heading, mut text, mut in_code) = (None::<String>, String::new(), false);
    let mut flush = |heading: &Option<String>, text: &mut String| {
        let url = match heading {
            Some(h) => format!("{url}#{}", slug(h)),
            None => url.clone(),
        };
        docs.push(SearchDoc {
            url,
            title: title.clone(),
            heading: heading.clone(),
            text: std::mem::take(text),
        });
    };
    for line in body.lines() {
        if line.starts_with("```") {
            in_code = !in_code;
            continue;
        }
        let trimmed =
            line.trim_start_matches(['>', ' ', '-', '#']).trim_start_matches(|c: char| c.is_ascii_digit());
        if !in_code && (line.starts_with("## ") || line.starts_with("### ")) {
            flush(&heading, &mut text);
            heading = Some(strip_inline(line.trim_start_matches('#').trim()));
            continue;
        }
        text.push_str(&strip_inline(trimmed.trim_start_matches(". ")));
        text.push(' ');
    }
    flush(&heading, &mut text);
}

fn gzip_len(data: &[u8]) -> usize {
    let mut child =
        Command::new("gzip").arg("-9").stdin(Stdio::piped()).stdout(Stdio::piped()).spawn().unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let data = data.to_vec();
    let writer = std::thread::spawn(move || stdin.write_all(&data).unwrap());
    let out = child.wait_with_output().unwrap().stdout.len();
    writer.join().unwrap();
    out
}

fn main() {
    let root = std::env::args().nth(1).unwrap_or_else(|| "s1k/content".into());
    let mut files: Vec<_> = walk(Path::new(&root));
    files.sort();
    let mut docs = Vec::new();
    let mut pages = 0;
    for path in &files {
        let rel = path.strip_prefix(&root).unwrap().to_string_lossy().to_string();
        let before = docs.len();
        page_docs(&rel, &std::fs::read_to_string(path).unwrap(), &mut docs);
        pages += usize::from(docs.len() > before);
    }
    let text_bytes: usize = docs.iter().map(|d| d.text.len()).sum();
    let start = Instant::now();
    let index = build_index("en", &docs);
    if let Some(out) = std::env::args().nth(2) {
        std::fs::write(out, &index).unwrap();
    }
    let built = start.elapsed();
    let value: serde_json::Value = serde_json::from_str(&index).unwrap();
    let terms = value["terms"].as_object().unwrap();
    let terms_bytes = serde_json::to_string(&value["terms"]).unwrap().len();
    let docs_bytes = serde_json::to_string(&value["docs"]).unwrap().len();
    let pages_bytes = serde_json::to_string(&value["pages"]).unwrap().len();
    let gz = gzip_len(index.as_bytes());
    println!("pages {pages}, docs (sections) {}, plain text {:.1} MB", docs.len(), text_bytes as f64 / 1e6);
    println!(
        "index raw {:.0} KB, gzip -9 {:.0} KB; build {built:?}",
        index.len() as f64 / 1e3,
        gz as f64 / 1e3
    );
    println!(
        "  terms {} keys, {:.0} KB (gzip {:.0} KB); docs+excerpts {:.0} KB (gzip {:.0} KB); pages {:.0} KB",
        terms.len(),
        terms_bytes as f64 / 1e3,
        gzip_len(serde_json::to_string(&value["terms"]).unwrap().as_bytes()) as f64 / 1e3,
        docs_bytes as f64 / 1e3,
        gzip_len(serde_json::to_string(&value["docs"]).unwrap().as_bytes()) as f64 / 1e3,
        pages_bytes as f64 / 1e3
    );
    println!(
        "per 1,000 pages: raw {:.0} KB, gzip {:.0} KB",
        index.len() as f64 / pages as f64,
        gz as f64 / pages as f64
    );
    for q in [
        "passport",
        "identity card",
        "unemployment support",
        "renew dog licence",
        "identi",
        "身份证",
        "证",
        "xyzzy",
    ] {
        let start = Instant::now();
        let hits = query(&index, q, 10);
        println!(
            "  {q:?}: {} hits in {:?}, first {:?}",
            hits.len(),
            start.elapsed(),
            hits.first().map(|h| &h.url)
        );
    }
}

fn walk(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            out.extend(walk(&path));
        } else if path.extension().is_some_and(|e| e == "md") {
            out.push(path);
        }
    }
    out
}
