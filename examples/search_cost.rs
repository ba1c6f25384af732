//! What search costs a reader: the bytes a browser fetches for a series of queries over a
//! built site, the way `search.js` loads them (each file once; later queries reuse what is
//! loaded). Sizes are raw and gzip-equivalent (`gzip -6`, needs `gzip` on PATH).
//!
//! `cargo run --release --example search_cost -- public/search "first query" "second" …`
//!
//! Prints one line per query, then a summary line:
//! `summary index_raw=… index_gzip=… files=… first_gzip=… later_gzip_median=…`, where the
//! first query includes `search.js` (found beside the search folder, at the site root).

use std::collections::HashSet;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use signpost::search::{SearchQuery, search};

fn gzip_len(bytes: &[u8]) -> usize {
    let Ok(mut child) = Command::new("gzip").arg("-6c").stdin(Stdio::piped()).stdout(Stdio::piped()).spawn()
    else {
        return 0;
    };
    if let Some(mut stdin) = child.stdin.take() {
        let _ = stdin.write_all(bytes);
    }
    child.wait_with_output().map(|o| o.stdout.len()).unwrap_or(0)
}

fn files_below(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = entry.path();
        if path.is_dir() {
            out.extend(files_below(&path));
        } else {
            out.push(path);
        }
    }
    out
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some((dir, queries)) = args.split_first() else {
        eprintln!("usage: search_cost SEARCH_DIR QUERY…");
        std::process::exit(2);
    };
    let dir = PathBuf::from(dir);
    let script_path = dir.parent().map(|p| p.join("search.js")).unwrap_or_default();
    let script = std::fs::read(&script_path).unwrap_or_default();
    let all: Vec<Vec<u8>> = files_below(&dir)
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "js"))
        .filter_map(|p| std::fs::read(p).ok())
        .collect();
    let index_raw: usize = all.iter().map(Vec::len).sum();
    let index_gzip: usize = all.iter().map(|b| gzip_len(b)).sum();
    let read = |path: &str| std::fs::read_to_string(dir.join(path)).ok();
    let mut seen: HashSet<String> = HashSet::new();
    let mut first_gzip = 0;
    let mut later: Vec<usize> = Vec::new();
    for (i, q) in queries.iter().enumerate() {
        let found = search(&read, &SearchQuery { text: q, limit: 10, ..Default::default() });
        let (mut raw, mut gz) = (0, 0);
        if i == 0 {
            raw += script.len();
            gz += gzip_len(&script);
        }
        for path in found.loaded.iter().filter(|p| seen.insert(p.to_string())) {
            let bytes = std::fs::read(dir.join(path)).unwrap_or_default();
            raw += bytes.len();
            gz += gzip_len(&bytes);
        }
        println!("query {q:?} results={} files={} raw={raw} gzip={gz}", found.total, found.loaded.len());
        if i == 0 {
            first_gzip = gz;
        } else {
            later.push(gz);
        }
    }
    later.sort_unstable();
    let median = later.get(later.len() / 2).copied().unwrap_or(0);
    println!(
        "summary index_raw={index_raw} index_gzip={index_gzip} files={} first_gzip={first_gzip} later_gzip_median={median}",
        all.len()
    );
}
