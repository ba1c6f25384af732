//! `signpost check --external` against a tiny HTTP server on 127.0.0.1 (started per test on
//! port 0): outcomes of each kind, HEAD-then-GET, redirects, timeouts, the result cache,
//! the per-host limit, and the command line. No traffic leaves the loopback interface.

mod common;

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

use signpost::diagnostics::{Location, Severity};
use signpost::external::{self, ExternalOptions, LinkStatus};
use signpost::links::ExternalLink;

// ---------------------------------------------------------------------------------------
// Test scaffolding: a hand-written HTTP/1.1 responder, one thread per connection.

/// How long `/slow` keeps the client waiting (well past the 1 s timeout used with it).
const SLOW: Duration = Duration::from_millis(2500);
/// How long `/hold` keeps a request in flight, so that overlapping requests show.
const HOLD: Duration = Duration::from_millis(150);

/// What the server saw.
#[derive(Default)]
struct Stats {
    /// `(method, path)` of every request, in arrival order.
    requests: Mutex<Vec<(String, String)>>,
    in_flight: AtomicUsize,
    max_in_flight: AtomicUsize,
}

/// A local HTTP server that stops when dropped.
struct Server {
    addr: SocketAddr,
    stats: Arc<Stats>,
    stop: Arc<AtomicBool>,
    accept: Option<JoinHandle<()>>,
}

impl Server {
    fn start() -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind a local port");
        let addr = listener.local_addr().unwrap();
        let stats = Arc::new(Stats::default());
        let stop = Arc::new(AtomicBool::new(false));
        let (s, st) = (Arc::clone(&stats), Arc::clone(&stop));
        let accept = std::thread::spawn(move || {
            for stream in listener.incoming() {
                if st.load(Ordering::SeqCst) {
                    break;
                }
                let Ok(stream) = stream else { continue };
                let s = Arc::clone(&s);
                std::thread::spawn(move || handle(stream, &s));
            }
        });
        Server { addr, stats, stop, accept: Some(accept) }
    }

    fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    /// Requests seen so far.
    fn requests(&self) -> Vec<(String, String)> {
        self.stats.requests.lock().unwrap().clone()
    }

    /// Requests seen so far for `path` (query ignored).
    fn count(&self, path: &str) -> usize {
        self.requests().iter().filter(|(_, p)| route(p) == path).count()
    }

    fn max_in_flight(&self) -> usize {
        self.stats.max_in_flight.load(Ordering::SeqCst)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        // Wake the accept loop so it sees the flag.
        let _ = TcpStream::connect_timeout(&self.addr, Duration::from_secs(1));
        if let Some(accept) = self.accept.take() {
            let _ = accept.join();
        }
    }
}

/// The path without its query.
fn route(path: &str) -> &str {
    path.split('?').next().unwrap_or(path)
}

/// Read one request head (bounded), record it, answer it, close.
fn handle(mut stream: TcpStream, stats: &Stats) {
    let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
    let Some((method, path)) = read_request_line(&mut stream) else { return };
    stats.requests.lock().unwrap().push((method.clone(), path.clone()));
    let now = stats.in_flight.fetch_add(1, Ordering::SeqCst) + 1;
    stats.max_in_flight.fetch_max(now, Ordering::SeqCst);
    let (status, extra) = answer(&method, route(&path));
    // Leave "in flight" before answering: the client cannot start its next request to
    // this host before it has the answer, so overlaps seen here are real.
    stats.in_flight.fetch_sub(1, Ordering::SeqCst);
    let body = if method == "HEAD" { "" } else { "ok" };
    let response =
        format!("HTTP/1.1 {status}\r\nContent-Length: 2\r\nConnection: close\r\n{extra}\r\n{body}");
    let _ = stream.write_all(response.as_bytes());
}

/// `(method, path)` from the request head, reading at most 16 KiB.
fn read_request_line(stream: &mut TcpStream) -> Option<(String, String)> {
    let mut head = Vec::new();
    let mut buf = [0u8; 1024];
    while !head.windows(4).any(|w| w == b"\r\n\r\n") && head.len() < 16 * 1024 {
        let n = stream.read(&mut buf).ok().filter(|&n| n > 0)?;
        head.extend_from_slice(&buf[..n]);
    }
    let text = String::from_utf8_lossy(&head);
    let mut parts = text.lines().next()?.split_whitespace();
    Some((parts.next()?.to_string(), parts.next()?.to_string()))
}

/// Status line and extra headers for each route (sleeping where the route says so).
fn answer(method: &str, path: &str) -> (&'static str, &'static str) {
    match (method, path) {
        (_, "/ok") => ("200 OK", ""),
        (_, "/missing") => ("404 Not Found", ""),
        ("HEAD", "/nohead") => ("405 Method Not Allowed", "Allow: GET\r\n"),
        (_, "/nohead") => ("200 OK", ""),
        (_, "/redirect") => ("301 Moved Permanently", "Location: /ok\r\n"),
        (_, "/ratelimited") => ("429 Too Many Requests", "Retry-After: 60\r\n"),
        (_, "/slow") => {
            std::thread::sleep(SLOW);
            ("200 OK", "")
        }
        (_, "/hold") => {
            std::thread::sleep(HOLD);
            ("200 OK", "")
        }
        _ => ("404 Not Found", ""),
    }
}

// ---------------------------------------------------------------------------------------
// Helpers

fn link(url: &str, file: &str, line: usize) -> ExternalLink {
    ExternalLink {
        url: url.to_string(),
        location: Location { file: file.into(), line, column: 5, length: 10 },
    }
}

/// Options with a cache file in `dir` and a generous timeout (the machine may be loaded).
fn options(dir: &Path) -> ExternalOptions {
    ExternalOptions {
        cache_path: Some(dir.join("external-links.json")),
        timeout: Duration::from_secs(20),
        ..ExternalOptions::default()
    }
}

// ---------------------------------------------------------------------------------------
// Library tests

#[test]
fn each_kind_of_answer_is_classified() {
    let server = Server::start();
    let dir = tempfile::tempdir().unwrap();
    let links = [
        link(&server.url("/ok"), "content/a.md", 1),
        link(&server.url("/missing"), "content/a.md", 2),
        link(&server.url("/nohead"), "content/a.md", 3),
        link(&server.url("/redirect"), "content/b.md", 1),
        link(&server.url("/ratelimited"), "content/b.md", 2),
        link(&server.url("/missing#section"), "content/b.md", 3),
    ];
    let report = external::check_links(&links, &options(dir.path()));

    let status = |path: &str| report.results.get(&server.url(path)).cloned();
    assert_eq!(status("/ok"), Some(LinkStatus::Http(200)));
    assert_eq!(status("/missing"), Some(LinkStatus::Http(404)));
    assert_eq!(status("/nohead"), Some(LinkStatus::Http(200)));
    assert_eq!(status("/redirect"), Some(LinkStatus::Http(200)));
    assert_eq!(status("/ratelimited"), Some(LinkStatus::Http(429)));
    assert_eq!((report.checked, report.from_cache, report.broken), (5, 0, 1));

    let seen: Vec<(Severity, String, String)> = report
        .diagnostics
        .iter()
        .map(|d| {
            let loc = d.location.as_ref().unwrap();
            (d.severity, d.message.clone(), format!("{}:{}", loc.file.display(), loc.line))
        })
        .collect();
    let missing = server.url("/missing");
    assert_eq!(
        seen,
        [
            (
                Severity::Error,
                format!("broken external link `{missing}`: 404 Not Found"),
                "content/a.md:2".into()
            ),
            (
                Severity::Warning,
                format!(
                    "external link `{}` could not be checked: 429 Too Many Requests (rate limited)",
                    server.url("/ratelimited")
                ),
                "content/b.md:2".into()
            ),
            (
                Severity::Error,
                format!("broken external link `{missing}#section`: 404 Not Found"),
                "content/b.md:3".into()
            ),
        ]
    );
    assert!(report.diagnostics.iter().all(|d| !d.hints.is_empty()), "every diagnostic has a hint");
    assert!(report.has_errors());
    let pages: Vec<_> = report.broken_by_page.iter().map(|(p, n)| (p.clone(), *n)).collect();
    assert_eq!(pages, [(PathBuf::from("content/a.md"), 1), (PathBuf::from("content/b.md"), 1)]);

    // Deduplicated: one HEAD for /missing although it is written twice.
    assert_eq!(server.count("/missing"), 1, "{:?}", server.requests());
    // HEAD refused, so GET; redirect followed to /ok.
    let methods = |path: &str| -> Vec<String> {
        server.requests().into_iter().filter(|(_, p)| p == path).map(|(m, _)| m).collect()
    };
    assert_eq!(methods("/nohead"), ["HEAD", "GET"]);
    assert_eq!(methods("/redirect"), ["HEAD"]);
    assert_eq!(methods("/ok"), ["HEAD", "HEAD"], "once directly, once through the redirect");
}

#[test]
fn slow_server_times_out() {
    let server = Server::start();
    let dir = tempfile::tempdir().unwrap();
    let url = server.url("/slow");
    let opts = ExternalOptions { timeout: Duration::from_secs(1), ..options(dir.path()) };
    let report = external::check_links(&[link(&url, "content/a.md", 9)], &opts);
    assert_eq!(report.results.get(&url), Some(&LinkStatus::Timeout));
    let d = report.diagnostics.iter().next().expect("one diagnostic");
    assert!(d.is_error());
    assert_eq!(d.message, format!("broken external link `{url}`: timed out after 1 s"));
    assert!(d.hints[0].contains("--timeout"), "{:?}", d.hints);
    // Timeouts are not cached: a rerun asks again.
    let before = server.count("/slow");
    let again = external::check_links(&[link(&url, "content/a.md", 9)], &opts);
    assert_eq!(again.from_cache, 0);
    assert_eq!(server.count("/slow"), before + 1);
}

#[test]
fn second_run_is_answered_from_the_cache() {
    let server = Server::start();
    let dir = tempfile::tempdir().unwrap();
    let links = [
        link(&server.url("/ok"), "content/a.md", 1),
        link(&server.url("/nohead"), "content/a.md", 2),
        link(&server.url("/missing"), "content/a.md", 3),
    ];
    let first = external::check_links(&links, &options(dir.path()));
    assert_eq!((first.checked, first.from_cache, first.broken), (3, 0, 1));
    assert!(dir.path().join("external-links.json").is_file());
    let requests_after_first = server.requests().len();
    assert_eq!(requests_after_first, 4, "{:?}", server.requests());

    let second = external::check_links(&links, &options(dir.path()));
    assert_eq!(server.requests().len(), requests_after_first, "no request on the second run");
    assert_eq!((second.checked, second.from_cache, second.broken), (3, 3, 1));
    assert_eq!(second.results, first.results);
    let messages =
        |r: &external::ExternalReport| r.diagnostics.iter().map(|d| d.message.clone()).collect::<Vec<_>>();
    assert_eq!(messages(&second), messages(&first), "cached failures are still reported");

    // Without the cache the server is asked again.
    let uncached = ExternalOptions { use_cache: false, ..options(dir.path()) };
    external::check_links(&links, &uncached);
    assert!(server.requests().len() > requests_after_first);
}

#[test]
fn at_most_two_requests_in_flight_per_host() {
    let server = Server::start();
    let dir = tempfile::tempdir().unwrap();
    let links: Vec<ExternalLink> =
        (0..12).map(|i| link(&server.url(&format!("/hold?n={i}")), "content/a.md", i + 1)).collect();
    let opts = ExternalOptions { concurrency: 8, host_delay: Duration::ZERO, ..options(dir.path()) };
    let report = external::check_links(&links, &opts);
    assert_eq!(report.checked, 12);
    assert!(report.results.values().all(|s| *s == LinkStatus::Http(200)), "{:?}", report.results);
    assert_eq!(server.count("/hold"), 12);
    let max = server.max_in_flight();
    assert!((1..=2).contains(&max), "max in flight to one host was {max}");
}

// ---------------------------------------------------------------------------------------
// Command line

#[test]
fn cli_reports_broken_link_with_location_and_fails() {
    let server = Server::start();
    let site = common::Site::bare();
    site.write("site.yaml", "title: External Test\nbase_url: https://example.gov/\nlanguage: en\n");
    common::link_themes(&site.root);
    let missing = server.url("/missing");
    let ok = server.url("/ok");
    site.write(
        "content/_index.md",
        &format!(
            "---\ntitle: Home\n---\n\nFirst [a good link]({ok}).\n\nThen [a dead one]({missing}) here.\n"
        ),
    );
    let cache = site.scratch("cache");
    let cache_env = [("SIGNPOST_CACHE_DIR", common::s(&cache))];
    let args = ["check", "--root", common::s(&site.root), "--external", "--timeout", "20"];
    let run = common::run_with(&site.scratch(""), &args, &cache_env, common::TIMEOUT);

    run.assert_code(1);
    let expected = common::Diag::error(&format!("broken external link `{missing}`: 404 Not Found"))
        .at("content/_index.md:7:6")
        .hint("the page is gone or has moved: find its new address, or remove the link");
    assert_eq!(run.diags(), [expected], "{}", run.describe());
    assert!(run.stdout.contains("Checked 2 external links (0 from cache): 1 broken"), "{}", run.describe());
    assert!(run.stdout.contains("  content/_index.md: 1 broken"), "{}", run.describe());
    assert!(cache.join("external-links.json").is_file(), "the cache went to SIGNPOST_CACHE_DIR");
    assert!(!run.stderr.contains("\r"), "no progress line when stderr is not a terminal");

    // JSON lines, answered from the cache this time.
    let before = server.requests().len();
    let json_args = ["check", "--root", common::s(&site.root), "--external", "--format", "json"];
    let run = common::run_with(&site.scratch(""), &json_args, &cache_env, common::TIMEOUT);
    run.assert_code(1);
    let lines = run.json_lines();
    assert_eq!(lines.len(), 1, "{}", run.describe());
    assert_eq!(lines[0]["file"], "content/_index.md");
    assert_eq!(lines[0]["line"], 7);
    assert_eq!(server.requests().len(), before, "second run used the cache");
}
