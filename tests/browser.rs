//! Browser tests in headless Chromium: axe-core over every page of the bundled site (with the
//! theme's reading mode off and on), the live reload of `signpost serve` (issue 5), search and
//! navigation both over HTTP and, in a `--relative-urls` build, straight from disk over
//! file:// (issue 6), and the reading mode itself (issue 19). Behind the `browser`
//! feature because they need Node and Chromium:
//!
//! ```sh
//! npm ci --prefix tests/browser && cargo test --features browser --test browser
//! ```
//!
//! The Node side lives in `tests/browser/` (`axe.mjs`, `live.mjs`, `fileurl.mjs`, `search.mjs`,
//! `header.mjs`, `reading.mjs`, pinned by its `package-lock.json`); Chromium is `/usr/bin/chromium` (or `CHROME_PATH`).

#![cfg(feature = "browser")]

mod common;

use common::copy_dir;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use signpost::serve::{self, ServeOptions};

/// The binary under test.
const BIN: &str = env!("CARGO_BIN_EXE_signpost");
/// Limit for axe over the whole bundled site (~1 s a page on two cores).
const AXE_TIMEOUT: Duration = Duration::from_secs(15 * 60);
/// Limit for the live-reload scenario (each of its waits is at most 10 s).
const LIVE_TIMEOUT: Duration = Duration::from_secs(3 * 60);
/// Limit for each of the search scenarios, over file:// and over HTTP (each wait is at most 10 s;
/// both take a few seconds).
const SEARCH_TIMEOUT: Duration = Duration::from_secs(60);
/// Limit for the reading-mode scenario (about forty page loads; each wait is at most 10 s).
const READING_TIMEOUT: Duration = Duration::from_secs(3 * 60);
/// Limit for one `signpost build` and for the static server to start.
const START_TIMEOUT: Duration = Duration::from_secs(60);

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// `tests/browser/`, after checking that `npm ci` was run there.
fn browser_dir() -> PathBuf {
    let dir = repo().join("tests/browser");
    let modules = dir.join("node_modules");
    if !modules.join("playwright-core").is_dir() || !modules.join("@axe-core/playwright").is_dir() {
        panic!(
            "{} is missing: run npm ci in tests/browser \
             (PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --prefix tests/browser)",
            modules.display()
        );
    }
    dir
}

/// What a child process did.
struct Finished {
    status: Option<ExitStatus>,
    stdout: String,
    stderr: String,
    timed_out: bool,
    elapsed: Duration,
}

impl Finished {
    fn success(&self) -> bool {
        !self.timed_out && self.status.is_some_and(|s| s.success())
    }

    fn describe(&self) -> String {
        format!(
            "exit: {}{} after {:.1} s\n--- stdout ---\n{}\n--- stderr ---\n{}",
            self.status.map_or("none".to_string(), |s| s.to_string()),
            if self.timed_out { " (killed: timed out)" } else { "" },
            self.elapsed.as_secs_f64(),
            self.stdout,
            self.stderr
        )
    }
}

/// Run `command` to the end (killed after `timeout`), collecting its output.
fn run(mut command: Command, timeout: Duration) -> Finished {
    let started = Instant::now();
    let mut child = command
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("could not start {command:?}: {e}"));
    let stdout = drain(child.stdout.take().expect("piped stdout"));
    let stderr = drain(child.stderr.take().expect("piped stderr"));
    let mut timed_out = false;
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait for the child") {
            break Some(status);
        }
        if started.elapsed() > timeout {
            timed_out = true;
            let _ = child.kill();
            let _ = child.wait();
            break None;
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    Finished {
        status,
        stdout: stdout.join().unwrap_or_default(),
        stderr: stderr.join().unwrap_or_default(),
        timed_out,
        elapsed: started.elapsed(),
    }
}

/// Read a pipe to the end on a thread (so that neither pipe can fill up and block the child).
fn drain(mut pipe: impl Read + Send + 'static) -> std::thread::JoinHandle<String> {
    std::thread::spawn(move || {
        let mut bytes = Vec::new();
        let _ = pipe.read_to_end(&mut bytes);
        String::from_utf8_lossy(&bytes).into_owned()
    })
}

/// `node tests/browser/SCRIPT ARGS...`, run from the repository root.
fn node(script: &str, args: &[String], timeout: Duration) -> Finished {
    let dir = browser_dir();
    let mut command = Command::new(std::env::var_os("NODE").unwrap_or_else(|| "node".into()));
    command.arg(dir.join(script)).args(args).current_dir(repo());
    command.env("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1");
    run(command, timeout)
}

/// Python's `http.server` serving a folder on 127.0.0.1 (any free port); killed on drop.
///
/// A plain static server on purpose: `signpost serve` injects its live-reload script, and the
/// accessibility checks are about the pages as built.
struct StaticServer {
    child: Child,
    url: String,
}

impl StaticServer {
    fn start(dir: &Path) -> StaticServer {
        let python = std::env::var_os("PYTHON").unwrap_or_else(|| "python3".into());
        let mut child = Command::new(python)
            .args(["-u", "-m", "http.server", "0", "--bind", "127.0.0.1", "--directory"])
            .arg(dir)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("could not start python3 -m http.server: {e}"));
        // It prints "Serving HTTP on 127.0.0.1 port 43123 (http://127.0.0.1:43123/) ...".
        let stdout = child.stdout.take().expect("piped stdout");
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                let _ = tx.send(line);
            }
        });
        let mut server = StaticServer { child, url: String::new() };
        let line = rx.recv_timeout(START_TIMEOUT).expect("python3 -m http.server says where it serves");
        let port = line
            .split_whitespace()
            .skip_while(|w| *w != "port")
            .nth(1)
            .and_then(|p| p.parse::<u16>().ok())
            .unwrap_or_else(|| panic!("no port in the http.server line {line:?}"));
        server.url = format!("http://127.0.0.1:{port}/");
        server
    }
}

impl Drop for StaticServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// URL paths of the built pages: every `index.html` (as its folder, `/faq/`) except alias
/// redirect pages, plus the 404 page.
fn page_paths(out: &Path) -> Vec<String> {
    fn walk(dir: &Path, out: &Path, found: &mut Vec<String>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(&path, out, found);
                continue;
            }
            let name = path.file_name().unwrap().to_string_lossy();
            let rel = path.strip_prefix(out).unwrap().to_string_lossy().replace('\\', "/");
            let html = std::fs::read_to_string(&path).unwrap_or_default();
            if name == "index.html" && !html.contains("http-equiv=\"refresh\"") {
                found.push(format!("/{}", rel.trim_end_matches("index.html")));
            } else if rel == "404.html" {
                found.push("/404.html".to_string());
            }
        }
    }
    let mut found = Vec::new();
    walk(out, out, &mut found);
    found.sort();
    found
}

/// `signpost build` of the bundled site into `out`, with `extra` arguments.
fn build_bundled_site(out: &Path, extra: &[&str]) {
    let mut build = Command::new(BIN);
    build.arg("build").arg("--root").arg(repo()).arg("--output").arg(out).arg("--force").args(extra);
    let built = run(build, START_TIMEOUT);
    assert!(built.success(), "signpost build {extra:?} failed\n{}", built.describe());
}

/// Copy a folder tree.

#[test]
fn axe_has_no_violations_on_any_page_of_the_bundled_site() {
    axe_over_the_bundled_site(&[]);
}

/// The same with the theme's reading mode on (larger text, more line spacing, high contrast).
#[test]
fn axe_has_no_violations_on_any_page_in_the_reading_mode() {
    axe_over_the_bundled_site(&["--reading", "on"]);
}

/// `axe.mjs` over every page of a build of the bundled site, with `extra` arguments.
fn axe_over_the_bundled_site(extra: &[&str]) {
    browser_dir();
    let out = tempfile::tempdir().unwrap();
    build_bundled_site(out.path(), &[]);

    let paths = page_paths(out.path());
    assert!(paths.len() > 10 && paths.contains(&"/".to_string()), "too few pages found: {paths:?}");
    let server = StaticServer::start(out.path());
    let list = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(list.path(), paths.join("\n")).unwrap();
    let mut args = vec![
        "--base-url".to_string(),
        server.url.clone(),
        "--paths-file".to_string(),
        list.path().display().to_string(),
    ];
    args.extend(extra.iter().map(|a| a.to_string()));
    let axe = node("axe.mjs", &args, AXE_TIMEOUT);
    drop(server);

    // One JSON line per page; show only the pages with something to fix.
    let failing: Vec<&str> = axe
        .stdout
        .lines()
        .filter(|l| !l.contains("\"violations\":[]") || !l.contains("\"problems\":[]"))
        .collect();
    let checked = axe.stdout.lines().filter(|l| l.starts_with('{')).count();
    assert!(
        axe.success() && checked == paths.len(),
        "axe {extra:?} found problems on {} of {} pages (checked {checked}):\n{}\n\n{}",
        failing.len(),
        paths.len(),
        failing.join("\n"),
        axe.describe()
    );
    eprintln!("axe {extra:?}: {checked} pages without violations in {:.1} s", axe.elapsed.as_secs_f64());
}

#[test]
fn live_reload_and_error_overlay() {
    browser_dir();
    let site = tempfile::tempdir().unwrap();
    std::fs::copy(repo().join("site.yaml"), site.path().join("site.yaml")).unwrap();
    for dir in ["content", "data", "snippets", "themes", "static", "templates"] {
        if repo().join(dir).is_dir() {
            copy_dir(&repo().join(dir), &site.path().join(dir));
        }
    }
    let markdown = site.path().join("content/faq/lost-card.en.md");
    assert!(markdown.is_file(), "the bundled site has no {}", markdown.display());
    // The site's own stylesheet override if it has one, else the theme's.
    let stylesheet =
        [site.path().join("static/style.css"), site.path().join("themes/default/static/style.css")]
            .into_iter()
            .find(|p| p.is_file())
            .expect("a style.css in static/ or themes/default/static/");

    let handle = serve::start(ServeOptions::new(site.path())).expect("the preview server starts");
    let page_url = format!("{}en/faq/lost-card/", handle.url());
    let args: Vec<String> = vec![
        "--page-url".into(),
        page_url,
        "--markdown".into(),
        markdown.display().to_string(),
        "--stylesheet".into(),
        stylesheet.display().to_string(),
        "--new-text".into(),
        "Signpost live reload check one".into(),
        "--fixed-text".into(),
        "Signpost live reload check two".into(),
    ];
    let live = node("live.mjs", &args, LIVE_TIMEOUT);
    handle.shutdown();
    assert_scenario_passed(&live, "live-reload");
}

/// Fail with the scenario's output unless it passed; show what it printed either way.
fn assert_scenario_passed(run: &Finished, what: &str) {
    assert!(run.success(), "the {what} scenario failed\n{}", run.describe());
    eprintln!("{}", run.stdout.trim_end());
}

#[test]
fn file_urls_work_for_navigation_and_search() {
    browser_dir();
    let out = tempfile::tempdir().unwrap();
    build_bundled_site(out.path(), &["--relative-urls"]);
    for file in ["index.html", "search/manifest.js", "en/search/manifest.js"] {
        assert!(out.path().join(file).is_file(), "the relative build has no {file}");
    }
    let args = vec!["--out".to_string(), out.path().display().to_string()];
    let fileurl = node("fileurl.mjs", &args, SEARCH_TIMEOUT);
    assert_scenario_passed(&fileurl, "file://");
}

#[test]
fn search_page_finds_pages_over_http() {
    browser_dir();
    let out = tempfile::tempdir().unwrap();
    build_bundled_site(out.path(), &[]);
    let server = StaticServer::start(out.path());
    let args = vec!["--base-url".to_string(), server.url.clone()];
    let search = node("search.mjs", &args, SEARCH_TIMEOUT);
    drop(server);
    assert_scenario_passed(&search, "search");
}

#[test]
fn the_header_fits_phones_and_keeps_search_on_the_title_row() {
    browser_dir();
    let out = tempfile::tempdir().unwrap();
    build_bundled_site(out.path(), &[]);
    let shots = tempfile::tempdir().unwrap();
    let server = StaticServer::start(out.path());
    let args = vec![
        "--base-url".to_string(),
        server.url.clone(),
        "--out".to_string(),
        shots.path().display().to_string(),
    ];
    let header = node("header.mjs", &args, SEARCH_TIMEOUT);
    drop(server);
    assert_scenario_passed(&header, "header");
}

/// The reading mode (issue 19): hidden without JavaScript, `prefers-contrast` without it,
/// toggled by keyboard with aria-pressed, remembered across pages before the first paint,
/// larger text and spacing, clean print, and no sideways scrolling at 320 and 360 px with
/// the browser's text size doubled, off and on.
#[test]
fn the_reading_mode_works_by_keyboard_is_remembered_and_reflows() {
    browser_dir();
    let out = tempfile::tempdir().unwrap();
    build_bundled_site(out.path(), &[]);
    let server = StaticServer::start(out.path());
    let args = vec!["--base-url".to_string(), server.url.clone()];
    let reading = node("reading.mjs", &args, READING_TIMEOUT);
    drop(server);
    assert_scenario_passed(&reading, "reading-mode");
}

/// Words of the generated site's pages: none is within two typos of `lost` or `card`.
const WORDS: &[&str] = &[
    "permit",
    "office",
    "apply",
    "renew",
    "fee",
    "form",
    "tax",
    "benefit",
    "pension",
    "school",
    "housing",
    "parking",
    "licence",
    "passport",
    "visa",
    "vehicle",
    "business",
    "register",
    "payment",
    "appeal",
    "council",
    "health",
    "energy",
    "water",
    "transport",
    "library",
    "museum",
    "garden",
    "market",
    "street",
];

/// A site of `pages` generated pages in 20 sections, plus two planted pages that the queries of
/// the scale test must find first.
fn generate_site(root: &Path, pages: usize) {
    let write = |rel: &str, text: &str| {
        let path = root.join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    };
    write("site.yaml", "title: Generated\nbase_url: https://example.org/\nlanguage: en\n");
    write("content/_index.md", "---\ntitle: Home\n---\nGenerated guidance.\n");
    let mut seed: u64 = 0x5ca1e;
    let mut next = |n: usize| {
        seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        ((seed >> 33) as usize) % n
    };
    for s in 0..20 {
        write(&format!("content/topic-{s:02}/_index.md"), &format!("---\ntitle: Topic {s}\n---\n"));
    }
    for p in 0..pages {
        let mut words = |n: usize| (0..n).map(|_| WORDS[next(WORDS.len())]).collect::<Vec<_>>().join(" ");
        let title = words(4);
        let body = format!(
            "{}.\n\n## {}\n\n{}.\n\n## {}\n\n{}.\n",
            words(30),
            words(2),
            words(40),
            words(2),
            words(40)
        );
        write(
            &format!("content/topic-{:02}/page-{p:05}.md", p % 20),
            &format!("---\ntitle: {title}\n---\n{body}"),
        );
    }
    write("content/faq/_index.md", "---\ntitle: Questions\n---\n");
    write(
        "content/faq/lost-card.md",
        "---\ntitle: What to do if you lose your identity card\n---\nReport a lost card at once.\n\n## Report it\n\nCall the police about the lost card.\n",
    );
    write("content/faq/guashi.md", "---\ntitle: 身份证挂失\n---\n居民身份证丢失后，请尽快办理挂失。\n");
}

#[test]
fn search_scales_to_a_generated_site_over_a_slow_connection() {
    browser_dir();
    let site = tempfile::tempdir().unwrap();
    generate_site(site.path(), 10_000);
    let out = tempfile::tempdir().unwrap();
    let mut build = Command::new(BIN);
    build.arg("build").arg("--root").arg(site.path()).arg("--output").arg(out.path()).arg("--force");
    let built = run(build, Duration::from_secs(10 * 60));
    assert!(built.success(), "building the generated site failed\n{}", built.describe());
    // What each query must show, from the same files in Rust.
    let dir = out.path().join("search");
    let read = |path: &str| std::fs::read_to_string(dir.join(path)).ok();
    let mut lines = String::new();
    for (query, want) in
        [("lost crad", Some("/faq/lost-card/")), ("身分证", Some("/faq/guashi/")), ("permit tax", None)]
    {
        let found = signpost::search::search(
            &read,
            &signpost::search::SearchQuery { text: query, limit: 10, ..Default::default() },
        );
        let first =
            found.hits.first().map(|h| h.url.split('#').next().unwrap_or("").to_string()).unwrap_or_default();
        if let Some(want) = want {
            assert_eq!(first, want, "the index puts {first} first for {query:?}");
        }
        assert!(found.total > 0, "{query:?} finds nothing");
        lines.push_str(&format!("{query}\t{}\t{first}\n", found.total));
    }
    let expect = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(expect.path(), lines).unwrap();
    let server = StaticServer::start(out.path());
    let args = vec![
        "--base-url".to_string(),
        server.url.clone(),
        "--expect".to_string(),
        expect.path().display().to_string(),
    ];
    let scale = node("search-scale.mjs", &args, Duration::from_secs(3 * 60));
    drop(server);
    assert_scenario_passed(&scale, "search at scale");
}

#[test]
fn axe_has_no_violations_on_the_content_status_report() {
    browser_dir();
    let out = tempfile::tempdir().unwrap();
    let sites = [("bundled", repo().to_path_buf()), ("status", repo().join("tests/fixtures/status"))];
    for (name, root) in &sites {
        let folder = out.path().join(name);
        std::fs::create_dir_all(&folder).unwrap();
        let mut report = Command::new(BIN);
        report.arg("report").arg("--root").arg(root).arg("--today").arg("2026-06-15");
        report.arg("--output").arg(folder.join("index.html"));
        let made = run(report, START_TIMEOUT);
        assert!(made.success(), "signpost report of {name} failed\n{}", made.describe());
    }
    let server = StaticServer::start(out.path());
    let args =
        vec!["--base-url".to_string(), server.url.clone(), "/bundled/".to_string(), "/status/".to_string()];
    let axe = node("axe.mjs", &args, AXE_TIMEOUT);
    drop(server);
    assert!(axe.success(), "axe found problems in the report:\n{}", axe.describe());
}
