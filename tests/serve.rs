//! `signpost serve` end to end, in process: a small site in a temporary folder, a server on a
//! free port, and raw HTTP/1 requests (raw, so that paths reach the server exactly as written).
//!
//! Every wait is bounded; the limits are generous for a loaded two-core machine.

mod common;

use common::{copy_dir, eventually};
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use signpost::serve::{self, Handle, STATUS_PATH, ServeOptions};

/// How long a change may take to show.
const CHANGE_WAIT: Duration = Duration::from_secs(5);
/// How long one HTTP exchange may take.
const IO_WAIT: Duration = Duration::from_secs(10);

const SITE_YAML: &str = "\
title: Test guidance
description: Guidance used by the serve tests.
base_url: https://example.gov/guides/
language: en
";

const HOME: &str =
    "---\ntitle: Test guidance\ndescription: Home of the tests.\n---\n\nSee [apply](apply.md).\n";
const APPLY: &str =
    "---\ntitle: Apply for a permit\ndescription: How to apply.\n---\n\nOriginal apply text.\n";
const ABOUT: &str = "---\ntitle: About us\ndescription: Who we are.\n---\n\nAbout text.\n";

/// A small site built from the default theme, served on a free port.
struct Site {
    dir: tempfile::TempDir,
    handle: Option<Handle>,
}

impl Site {
    fn new() -> Site {
        Site::with_options(|_| {})
    }

    fn with_options(adjust: impl FnOnce(&mut ServeOptions)) -> Site {
        let dir = tempfile::tempdir().unwrap();
        write_site(dir.path());
        let mut options = ServeOptions::new(dir.path());
        adjust(&mut options);
        let handle = serve::start(options).expect("the server starts");
        Site { dir, handle: Some(handle) }
    }

    fn addr(&self) -> SocketAddr {
        self.handle.as_ref().unwrap().addr()
    }

    fn path(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }

    fn write(&self, rel: &str, text: &str) {
        std::fs::write(self.path(rel), text).unwrap();
    }

    /// Replace a file the way editors save: a temporary file renamed over it.
    fn save(&self, rel: &str, text: &str) {
        let tmp = self.path(&format!("{rel}.saving~"));
        std::fs::write(&tmp, text).unwrap();
        std::fs::rename(tmp, self.path(rel)).unwrap();
    }

    fn get(&self, path: &str) -> Reply {
        request(self.addr(), "GET", path, "")
    }

    fn events(&self) -> Events {
        Events::connect(self.addr())
    }

    /// Poll `path` until its body contains `text`.
    fn wait_for_text(&self, path: &str, text: &str) -> Reply {
        let deadline = Instant::now() + CHANGE_WAIT;
        loop {
            let reply = self.get(path);
            if reply.text().contains(text) || Instant::now() > deadline {
                return reply;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

fn write_site(root: &Path) {
    copy_dir(&Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default"), &root.join("themes/default"));
    std::fs::create_dir_all(root.join("content")).unwrap();
    std::fs::write(root.join("site.yaml"), SITE_YAML).unwrap();
    std::fs::write(root.join("content/_index.md"), HOME).unwrap();
    std::fs::write(root.join("content/apply.md"), APPLY).unwrap();
    std::fs::write(root.join("content/about.md"), ABOUT).unwrap();
    std::fs::write(root.join("secret.txt"), "TOP-SECRET-FILE").unwrap();
}

/// A parsed HTTP response.
#[derive(Debug)]
struct Reply {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Reply {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }

    fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

/// Send one raw HTTP/1.1 request (`Connection: close`) and read the whole response.
fn request(addr: SocketAddr, method: &str, path: &str, extra_headers: &str) -> Reply {
    let mut stream = TcpStream::connect_timeout(&addr, IO_WAIT).unwrap();
    stream.set_read_timeout(Some(IO_WAIT)).unwrap();
    let head =
        format!("{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n{extra_headers}\r\n");
    stream.write_all(head.as_bytes()).unwrap();
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).unwrap();
    parse_reply(&raw)
}

fn parse_reply(raw: &[u8]) -> Reply {
    let end = raw.windows(4).position(|w| w == b"\r\n\r\n").expect("a complete response head");
    let head = String::from_utf8_lossy(&raw[..end]).into_owned();
    let mut lines = head.split("\r\n");
    let status = lines.next().unwrap().split(' ').nth(1).unwrap().parse().unwrap();
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_string(), v.trim().to_string()))
        .collect();
    let mut reply = Reply { status, headers, body: raw[end + 4..].to_vec() };
    if reply.header("transfer-encoding").is_some_and(|v| v.eq_ignore_ascii_case("chunked")) {
        reply.body = dechunk(&reply.body);
    }
    reply
}

fn dechunk(mut data: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    while let Some(line_end) = data.windows(2).position(|w| w == b"\r\n") {
        let size_text = String::from_utf8_lossy(&data[..line_end]);
        let size = usize::from_str_radix(size_text.split(';').next().unwrap().trim(), 16).unwrap();
        if size == 0 {
            break;
        }
        let start = line_end + 2;
        out.extend_from_slice(&data[start..start + size]);
        data = &data[start + size + 2..];
    }
    out
}

/// A live-reload event stream, read over HTTP/1.0 so the body is not chunked.
struct Events {
    stream: TcpStream,
    buffer: String,
    closed: bool,
}

/// One server-sent event.
#[derive(Debug)]
struct SseEvent {
    name: String,
    data: String,
}

impl Events {
    fn connect(addr: SocketAddr) -> Events {
        let mut stream = TcpStream::connect_timeout(&addr, IO_WAIT).unwrap();
        stream.set_read_timeout(Some(Duration::from_millis(100))).unwrap();
        let head =
            format!("GET /__signpost/events HTTP/1.0\r\nHost: {addr}\r\nAccept: text/event-stream\r\n\r\n");
        stream.write_all(head.as_bytes()).unwrap();
        let mut events = Events { stream, buffer: String::new(), closed: false };
        let hello = events.next_named("hello", CHANGE_WAIT);
        assert!(hello.is_some(), "the stream starts with a hello");
        events
    }

    /// The next complete event within `wait`, if any.
    fn next(&mut self, wait: Duration) -> Option<SseEvent> {
        let deadline = Instant::now() + wait;
        loop {
            if let Some(event) = self.take_event() {
                return Some(event);
            }
            if self.closed || Instant::now() > deadline {
                return None;
            }
            let mut chunk = [0u8; 4096];
            match self.stream.read(&mut chunk) {
                Ok(0) => self.closed = true,
                Ok(n) => self.buffer.push_str(&String::from_utf8_lossy(&chunk[..n])),
                Err(e)
                    if matches!(e.kind(), std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut) => {}
                Err(_) => self.closed = true,
            }
        }
    }

    /// Skip events until one called `name` arrives (within `wait`).
    fn next_named(&mut self, name: &str, wait: Duration) -> Option<SseEvent> {
        let deadline = Instant::now() + wait;
        while let Some(event) = self.next(deadline.saturating_duration_since(Instant::now())) {
            if event.name == name {
                return Some(event);
            }
        }
        None
    }

    /// Cut the first complete event (blank-line terminated) out of the buffer.
    fn take_event(&mut self) -> Option<SseEvent> {
        if let Some(head_end) = self.buffer.find("\r\n\r\n")
            && self.buffer.starts_with("HTTP/")
        {
            self.buffer.drain(..head_end + 4);
        }
        if self.buffer.starts_with("HTTP/") {
            return None;
        }
        let end = self.buffer.find("\n\n")?;
        let block: String = self.buffer.drain(..end + 2).collect();
        let mut event = SseEvent { name: "message".into(), data: String::new() };
        let mut data = Vec::new();
        for line in block.lines() {
            if let Some(name) = line.strip_prefix("event:") {
                event.name = name.trim().to_string();
            } else if let Some(d) = line.strip_prefix("data:") {
                data.push(d.strip_prefix(' ').unwrap_or(d).to_string());
            }
        }
        if data.is_empty() && event.name == "message" {
            return self.take_event(); // a keep-alive comment
        }
        event.data = data.join("\n");
        Some(event)
    }
}

#[test]
fn serves_pages_with_the_reload_script_and_right_types() {
    let site = Site::new();
    let home = site.get("/");
    assert_eq!(home.status, 200);
    assert_eq!(home.header("content-type"), Some("text/html; charset=utf-8"));
    assert_eq!(home.header("cache-control"), Some("no-cache"));
    let text = home.text();
    assert!(text.contains("/__signpost/events"), "the reload script is injected");
    let script_at = text.find("/__signpost/events").unwrap();
    assert!(script_at < text.rfind("</body>").unwrap(), "the script comes before </body>");
    let base = format!("http://{}/", site.addr());
    assert!(text.contains(&base), "links use the preview's base URL {base}");
    assert!(!text.contains("example.gov"), "no link leaves the preview");

    let css = site.get("/style.css");
    assert_eq!(css.status, 200);
    assert_eq!(css.header("content-type"), Some("text/css; charset=utf-8"));
    assert!(!css.text().contains("__signpost"));
    assert_eq!(site.get("/favicon.svg").header("content-type"), Some("image/svg+xml"));

    let page = site.get("/apply/");
    assert_eq!(page.status, 200);
    assert!(page.text().contains("Original apply text."));
    let redirect = site.get("/apply?x=1");
    assert_eq!(redirect.status, 301);
    assert_eq!(redirect.header("location"), Some("/apply/?x=1"));
    assert!(!site.path("public").exists(), "serve writes nothing to disk");
}

#[test]
fn etags_revalidate_unchanged_files() {
    let site = Site::new();
    let first = site.get("/apply/");
    let etag = first.header("etag").expect("an ETag").to_string();
    let again = request(site.addr(), "GET", "/apply/", &format!("If-None-Match: {etag}\r\n"));
    assert_eq!(again.status, 304);
    assert!(again.body.is_empty());
    site.write("content/apply.md", &APPLY.replace("Original", "Changed"));
    let changed = site.wait_for_text("/apply/", "Changed apply text.");
    assert_ne!(changed.header("etag"), Some(etag.as_str()), "a changed page gets a new ETag");
    let stale = request(site.addr(), "GET", "/apply/", &format!("If-None-Match: {etag}\r\n"));
    assert_eq!(stale.status, 200, "an old ETag never gets a 304");
}

#[test]
fn unknown_paths_get_the_sites_404_page() {
    let site = Site::new();
    let reply = site.get("/no/such/page/");
    assert_eq!(reply.status, 404);
    assert_eq!(reply.header("content-type"), Some("text/html; charset=utf-8"));
    assert!(reply.text().contains("Page not found"), "{}", reply.text());
    assert!(reply.text().contains("/__signpost/events"));
    assert_eq!(site.get("/missing.css").status, 404);
}

#[test]
fn head_requests_send_headers_only() {
    let site = Site::new();
    let get = site.get("/apply/");
    let head = request(site.addr(), "HEAD", "/apply/", "");
    assert_eq!(head.status, 200);
    assert!(head.body.is_empty(), "HEAD has no body");
    assert_eq!(head.header("content-type"), get.header("content-type"));
    assert_eq!(head.header("content-length"), Some(get.body.len().to_string().as_str()));
    assert_eq!(head.header("etag"), get.header("etag"));
    assert_eq!(request(site.addr(), "HEAD", "/nope", "").status, 404);
    assert_eq!(request(site.addr(), "POST", "/apply/", "Content-Length: 0\r\n").status, 405);
}

#[test]
fn traversal_attempts_never_reach_files() {
    let site = Site::new();
    for path in [
        "/../Cargo.toml",
        "/../secret.txt",
        "/../../../../etc/passwd",
        "/%2e%2e/secret.txt",
        "/%2E%2E/%2e%2e/etc/passwd",
        "/apply/..%2f..%2fsecret.txt",
        "/a%2fb",
        "/a%2Fb",
        "/a%5csecret.txt",
        "/a\\b",
        "/..\\secret.txt",
        "/%00",
        "/index.html%00.txt",
        "/%ff%fe",
        "/%zz",
        "/./apply/",
        "//secret.txt",
        "/secret.txt",
        "/site.yaml",
        "/content/apply.md",
    ] {
        let reply = site.get(path);
        assert!(matches!(reply.status, 400 | 404), "{path}: {}", reply.status);
        let text = reply.text();
        for leaked in ["TOP-SECRET-FILE", "[package]", "root:", "Original apply text", "base_url"] {
            assert!(!text.contains(leaked), "{path} leaked {leaked}");
        }
    }
    assert_eq!(site.get("/../Cargo.toml").status, 400);
    assert_eq!(site.get("/%2e%2e/x").status, 400);
    assert_eq!(site.get("/a%2fb").status, 400);
    assert_eq!(site.get("/%00").status, 400);
}

#[test]
fn editing_markdown_updates_the_served_page_and_reloads() {
    let site = Site::new();
    let mut events = site.events();
    site.write("content/apply.md", &APPLY.replace("Original apply text.", "Freshly edited text."));
    let page = site.wait_for_text("/apply/", "Freshly edited text.");
    assert!(page.text().contains("Freshly edited text."), "the edit shows within {CHANGE_WAIT:?}");
    assert!(events.next_named("reload", CHANGE_WAIT).is_some(), "open pages are told to reload");
}

#[test]
fn atomic_saves_new_pages_and_deletions_show() {
    let site = Site::new();
    // An editor's atomic save: write a temporary file, rename it over the page.
    site.write("content/.apply.md.tmp", &APPLY.replace("Original", "Atomically saved"));
    std::fs::rename(site.path("content/.apply.md.tmp"), site.path("content/apply.md")).unwrap();
    assert!(
        site.wait_for_text("/apply/", "Atomically saved apply text.").text().contains("Atomically saved")
    );

    site.write("content/new-page.md", "---\ntitle: A new page\ndescription: New.\n---\n\nBrand new text.\n");
    assert!(site.wait_for_text("/new-page/", "Brand new text.").text().contains("Brand new text."));

    std::fs::remove_file(site.path("content/about.md")).unwrap();
    let deadline = Instant::now() + CHANGE_WAIT;
    while site.get("/about/").status != 404 && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(50));
    }
    assert_eq!(site.get("/about/").status, 404, "a deleted page goes away");

    // A folder moved into the content.
    let outside = site.path("moved-in");
    std::fs::create_dir_all(&outside).unwrap();
    std::fs::write(outside.join("page.md"), "---\ntitle: Moved\ndescription: M.\n---\n\nMoved in text.\n")
        .unwrap();
    std::fs::rename(&outside, site.path("content/moved")).unwrap();
    assert!(site.wait_for_text("/moved/page/", "Moved in text.").text().contains("Moved in text."));
}

#[test]
fn broken_link_shows_an_error_and_keeps_the_last_good_site() {
    let site = Site::new();
    let mut events = site.events();
    site.save("content/apply.md", &format!("{APPLY}\nSee [x](missing.md).\n"));
    let error = events.next_named("error", CHANGE_WAIT).expect("an error event");
    assert!(error.data.contains("missing.md"), "{}", error.data);
    assert!(error.data.contains("content/apply.md:"), "the location is given: {}", error.data);
    assert!(!error.data.contains('\x1b'), "no colour codes");

    let page = site.get("/apply/");
    assert_eq!(page.status, 200);
    assert!(page.text().contains("Original apply text."), "the last good page is still served");

    let mut late = site.events();
    let late_error = late.next_named("error", CHANGE_WAIT).expect("a late browser sees the error at once");
    assert_eq!(late_error.data, error.data);

    site.save("content/apply.md", &APPLY.replace("Original", "Fixed"));
    assert!(events.next_named("reload", CHANGE_WAIT).is_some(), "a good build reloads");
    assert!(late.next_named("reload", CHANGE_WAIT).is_some());
    assert!(site.wait_for_text("/apply/", "Fixed apply text.").text().contains("Fixed apply text."));
    let mut after = site.events();
    assert!(after.next(Duration::from_millis(300)).is_none(), "no error once fixed");
}

#[test]
fn stylesheet_only_changes_swap_css() {
    let site = Site::new();
    let mut events = site.events();
    let css = site.path("themes/default/static/style.css");
    let mut text = std::fs::read_to_string(&css).unwrap();
    text.push_str("\n.signpost-test-rule { color: red; }\n");
    std::fs::write(&css, text).unwrap();
    let event = events.next(CHANGE_WAIT).expect("an event");
    assert_eq!(event.name, "css");
    assert!(site.get("/style.css").text().contains("signpost-test-rule"));
}

#[test]
fn a_failed_first_build_recovers() {
    let dir = tempfile::tempdir().unwrap();
    write_site(dir.path());
    std::fs::write(dir.path().join("content/apply.md"), format!("{APPLY}\n[x](missing.md)\n")).unwrap();
    let handle = serve::start(ServeOptions::new(dir.path())).unwrap();
    let site = Site { dir, handle: Some(handle) };
    let reply = site.get("/");
    assert_eq!(reply.status, 503);
    assert!(reply.text().contains("/__signpost/events"));
    let mut events = Events::connect(site.addr());
    assert!(events.next_named("error", CHANGE_WAIT).is_some());
    site.write("content/apply.md", APPLY);
    assert!(events.next_named("reload", CHANGE_WAIT).is_some());
    assert_eq!(site.get("/").status, 200);
}

#[test]
fn polling_picks_up_edits() {
    let site = Site::with_options(|o| o.poll = true);
    site.write("content/about.md", &ABOUT.replace("About text.", "Polled text."));
    assert!(site.wait_for_text("/about/", "Polled text.").text().contains("Polled text."));
}

#[test]
fn a_taken_port_moves_to_the_next() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port();
    if port > u16::MAX - 10 {
        return;
    }
    let site = Site::with_options(|o| {
        o.port = port;
        o.port_tries = 10;
    });
    let used = site.addr().port();
    assert!(used > port && used <= port + 10, "{used}");
    assert_eq!(site.get("/").status, 200);
}

#[test]
fn shutdown_closes_live_reload_connections() {
    let mut site = Site::new();
    let mut events = site.events();
    let started = Instant::now();
    site.handle.take().unwrap().shutdown();
    assert!(started.elapsed() < Duration::from_secs(3), "shut down in {:?}", started.elapsed());
    assert!(events.next(Duration::from_secs(2)).is_none());
    assert!(events.closed, "the event stream ends");
}

/// Read a child's pipe into a shared string on a thread of its own.
fn collect(mut pipe: impl Read + Send + 'static) -> std::sync::Arc<std::sync::Mutex<String>> {
    let text = std::sync::Arc::new(std::sync::Mutex::new(String::new()));
    let sink = text.clone();
    std::thread::spawn(move || {
        let mut chunk = [0u8; 4096];
        while let Ok(n) = pipe.read(&mut chunk) {
            if n == 0 {
                break;
            }
            sink.lock().unwrap().push_str(&String::from_utf8_lossy(&chunk[..n]));
        }
    });
    text
}

#[test]
fn watch_command_rebuilds_the_output_folder() {
    let dir = tempfile::tempdir().unwrap();
    write_site(dir.path());
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_signpost"))
        .args(["watch", "--root"])
        .arg(dir.path())
        .env("SIGNPOST_CACHE_DIR", dir.path().join(".cache"))
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let stdout = collect(child.stdout.take().unwrap());
    let stderr = collect(child.stderr.take().unwrap());
    let page = dir.path().join("public/apply/index.html");
    let read = || std::fs::read_to_string(&page).unwrap_or_default();
    let site = |rel: &str| dir.path().join(rel);
    assert!(eventually(Duration::from_secs(20), || read().contains("Original apply text.")));
    assert!(!read().contains("__signpost"), "watch output has no reload script");

    std::fs::write(site("content/.apply.md.tmp"), APPLY.replace("Original", "Watched")).unwrap();
    std::fs::rename(site("content/.apply.md.tmp"), site("content/apply.md")).unwrap();
    assert!(eventually(CHANGE_WAIT, || read().contains("Watched apply text.")));

    std::fs::write(site("content/apply.md"), format!("{APPLY}\n[x](missing.md)\n")).unwrap();
    let reported = || stderr.lock().unwrap().contains("missing.md");
    assert!(eventually(CHANGE_WAIT, reported), "the failure is reported");
    assert!(read().contains("Watched apply text."), "a failed rebuild leaves the output alone");

    std::fs::remove_file(site("content/about.md")).unwrap();
    std::fs::write(site("content/apply.md"), APPLY.replace("Original", "Recovered")).unwrap();
    assert!(eventually(CHANGE_WAIT, || read().contains("Recovered apply text.")));
    assert!(eventually(CHANGE_WAIT, || !site("public/about/index.html").exists()), "stale pages go");

    // Ctrl-C stops it cleanly.
    let interrupted = std::process::Command::new("kill").args(["-INT", &child.id().to_string()]).status();
    if interrupted.is_err() {
        let _ = child.kill();
    }
    assert!(eventually(Duration::from_secs(10), || child.try_wait().unwrap().is_some()), "watch stops");
    let status = child.wait().unwrap();
    let said = |text: &str| eventually(CHANGE_WAIT, || stdout.lock().unwrap().contains(text));
    assert!(said("content/apply.md"), "each rebuild says what changed");
    if interrupted.is_ok_and(|s| s.success()) {
        assert!(status.success(), "{status:?}");
        assert!(said("Stopped watching."), "{}", stdout.lock().unwrap());
    }
}

/// The generation a served page names (from its live-reload script).
fn page_generation(text: &str) -> String {
    let start =
        text.find("var generation = \"").expect("the script names its build") + "var generation = \"".len();
    text[start..].split('"').next().unwrap().to_string()
}

#[test]
fn pages_name_the_build_they_come_from_so_a_missed_rebuild_still_reloads() {
    let site = Site::new();
    let first = site.get("/");
    let generation = page_generation(&first.text());
    assert!(generation.parse::<u64>().is_ok(), "a number, not the placeholder: {generation}");
    site.write("content/apply.md", &APPLY.replace("Original apply text.", "Another edit."));
    site.wait_for_text("/apply/", "Another edit.");
    let again = site.get("/");
    assert_ne!(page_generation(&again.text()), generation, "an unchanged page names the new build");
    assert_ne!(again.header("etag"), first.header("etag"), "so its ETag changes too");
}

#[test]
fn every_rebuild_is_reported_to_the_callback() {
    use signpost::serve::{Rebuilt, Report};
    use std::sync::{Arc, Mutex};
    let seen: Arc<Mutex<Vec<String>>> = Arc::default();
    let record = seen.clone();
    let site = Site::with_options(|o| {
        o.report = Some(Report(Arc::new(move |rebuilt| {
            let line = match rebuilt {
                Rebuilt::Built { what, changed, files, .. } => format!("built {what}: {changed} of {files}"),
                Rebuilt::Failed { what, error } => format!("failed {what}: {error}"),
            };
            record.lock().unwrap().push(line);
        })))
    });
    let lines = || seen.lock().unwrap().clone();
    assert!(lines()[0].starts_with("built initial build: "), "{:?}", lines());
    site.save("content/apply.md", &format!("{APPLY}\nSee [x](missing.md).\n"));
    assert!(eventually(CHANGE_WAIT, || lines().len() == 2), "{:?}", lines());
    assert!(lines()[1].starts_with("failed "), "{:?}", lines());
    site.save("content/apply.md", &APPLY.replace("Original", "Fixed"));
    assert!(eventually(CHANGE_WAIT, || lines().len() == 3), "{:?}", lines());
    assert!(lines()[2].starts_with("built "), "{:?}", lines());
}

#[test]
fn a_given_base_url_replaces_the_preview_address_in_permalinks() {
    let site = Site::with_options(|o| o.build.base_url = Some("http://preview.example:8080/".into()));
    let page = site.get("/apply/").text();
    assert!(page.contains("<link rel=\"canonical\" href=\"http://preview.example:8080/apply/\">"), "{page}");
}

#[test]
fn the_status_report_is_made_on_the_first_request_after_a_rebuild() {
    let site = Site::new();
    let handle = site.handle.as_ref().unwrap();
    assert!(!handle.snapshot().files.contains_key(STATUS_PATH), "the build made the report");
    let first = site.get("/_signpost/status/");
    assert_eq!(first.status, 200);
    assert!(first.text().contains("· 2 published pages ·"), "{}", first.text());
    assert!(first.text().contains("<script>"), "the live page reloads with the site");
    assert_eq!(site.get("/_signpost/status").status, 301);

    site.save("content/apply.md", &APPLY.replace("Original apply text.", "Edited apply text."));
    site.wait_for_text("/apply/", "Edited apply text.");
    assert!(!handle.snapshot().files.contains_key(STATUS_PATH), "the one-page rebuild made the report");
    let extra = "---\ntitle: Extra\ndescription: One more page.\n---\n\nMore.\n";
    site.save("content/extra.md", extra);
    let after = site.wait_for_text("/_signpost/status/", "· 3 published pages ·");
    assert!(after.text().contains("· 3 published pages ·"), "not made again after the rebuild");
    assert_ne!(after.header("etag"), first.header("etag"));
}

#[test]
fn an_edit_to_a_data_file_or_a_snippet_reaches_the_pages_that_show_it() {
    let site = Site::with_options(|options| {
        let root = &options.build.root;
        std::fs::create_dir_all(root.join("data")).unwrap();
        std::fs::create_dir_all(root.join("snippets")).unwrap();
        std::fs::write(root.join("data/renewal.yaml"), "issuing_days: 60 days\n").unwrap();
        std::fs::write(root.join("snippets/where.md"), "Apply at the service hall.\n").unwrap();
        let page = "---\ntitle: Renew\ndescription: How to renew.\n---\n\n\
                    Issued within {{ fact(key=\"renewal.issuing_days\") }}.\n\n{{ snippet(name=\"where\") }}\n";
        std::fs::write(root.join("content/renew.md"), page).unwrap();
    });
    let first = site.wait_for_text("/renew/", "Issued within 60 days.");
    assert!(first.text().contains("Apply at the service hall."), "{}", first.text());

    site.save("data/renewal.yaml", "issuing_days: 45 days\n");
    let reply = site.wait_for_text("/renew/", "Issued within 45 days.");
    assert!(reply.text().contains("Issued within 45 days."), "the data edit never reached the page");

    site.save("snippets/where.md", "Apply online or at the service hall.\n");
    let reply = site.wait_for_text("/renew/", "Apply online or at the service hall.");
    assert!(
        reply.text().contains("Apply online or at the service hall."),
        "the snippet edit never reached the page"
    );
}
