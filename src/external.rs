//! `signpost check --external`: checks every `http(s)` link of the published pages
//! against the real web.
//!
//! Each distinct URL (without its `#fragment`) is requested once and its outcome reported
//! at every place it is written. Requests run on a small pool of threads with a bounded
//! total concurrency; a [`Scheduler`] keeps at most `per_host` requests in flight per host
//! and spaces requests to the same host by `host_delay`. Each URL gets a `HEAD` request,
//! then a `GET` when the server refuses `HEAD` (405, 501, or 403 from servers hostile to
//! `HEAD`). Up to five redirects are followed. A final 2xx is fine, 429 is a warning
//! (rate limited), anything else is an error.
//!
//! HTTP outcomes are cached in a JSON file ([`default_cache_path`]): successes for 24 hours,
//! failures for one hour. Timeouts and connection failures are not cached, so a rerun
//! (perhaps with a longer `--timeout`) tries them again.

use std::collections::{BTreeMap, HashMap, VecDeque};
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Condvar, Mutex, MutexGuard};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};

use crate::diagnostics::{Diagnostic, Diagnostics, Severity};
use crate::links::ExternalLink;

/// How long a successful result stays fresh in the cache.
pub const OK_TTL: Duration = Duration::from_secs(24 * 60 * 60);
/// How long a failed HTTP result stays fresh in the cache.
pub const FAILURE_TTL: Duration = Duration::from_secs(60 * 60);
/// Environment variable naming the folder of the cache file (overrides the XDG location).
pub const CACHE_DIR_ENV: &str = "SIGNPOST_CACHE_DIR";
/// Name of the cache file inside the cache folder.
pub const CACHE_FILE: &str = "external-links.json";
/// Version of the cache file format; files of another version are ignored.
const CACHE_VERSION: u32 = 1;
/// The `User-Agent` sent with every request.
const USER_AGENT: &str = concat!("signpost-link-checker/", env!("CARGO_PKG_VERSION"));

/// Settings of an external link check.
#[derive(Debug, Clone)]
pub struct ExternalOptions {
    /// Most requests in flight at once, over all hosts (at least 1).
    pub concurrency: usize,
    /// Most requests in flight at once to one host (at least 1).
    pub per_host: usize,
    /// Least time between the starts of two requests to the same host.
    pub host_delay: Duration,
    /// Time limit of one request, redirects included.
    pub timeout: Duration,
    /// Most redirects followed for one request.
    pub max_redirects: u32,
    /// Whether to read and write the result cache.
    pub use_cache: bool,
    /// Cache file to use instead of [`default_cache_path`].
    pub cache_path: Option<PathBuf>,
    /// Whether to draw a progress line on stderr (only sensible on a terminal).
    pub progress: bool,
}

impl Default for ExternalOptions {
    fn default() -> Self {
        ExternalOptions {
            concurrency: 8,
            per_host: 2,
            host_delay: Duration::from_millis(100),
            timeout: Duration::from_secs(10),
            max_redirects: 5,
            use_cache: true,
            cache_path: None,
            progress: false,
        }
    }
}

impl ExternalOptions {
    /// The cache file in use, if any.
    pub fn cache_file(&self) -> Option<PathBuf> {
        if !self.use_cache {
            return None;
        }
        self.cache_path.clone().or_else(default_cache_path)
    }
}

/// The default cache file: `$SIGNPOST_CACHE_DIR/external-links.json`, else
/// `$XDG_CACHE_HOME/signpost/external-links.json`, else `$HOME/.cache/signpost/...`.
pub fn default_cache_path() -> Option<PathBuf> {
    crate::cache::cache_dir().map(|dir| dir.join(CACHE_FILE))
}

/// A failure to get any HTTP status for a URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Transport {
    /// The host name did not resolve.
    HostNotFound,
    /// The connection was refused or broke.
    Connection(String),
    /// Too many redirects, or a redirect that could not be followed.
    Redirects,
    /// The URL is not a valid HTTP address.
    InvalidUrl,
    /// The TLS handshake or certificate failed.
    Tls(String),
    /// Anything else.
    Other(String),
}

/// The outcome of checking one URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LinkStatus {
    /// The final HTTP status code (after redirects).
    Http(u16),
    /// No answer within the timeout.
    Timeout,
    /// No HTTP answer at all.
    Transport(Transport),
}

impl LinkStatus {
    /// `None` when the link is fine; else how serious the problem is (429 is a warning).
    pub fn severity(&self) -> Option<Severity> {
        match self {
            LinkStatus::Http(code) if (200..300).contains(code) => None,
            LinkStatus::Http(429) => Some(Severity::Warning),
            _ => Some(Severity::Error),
        }
    }

    /// Short description, e.g. `404 Not Found` or `timed out after 10 s`.
    pub fn describe(&self, options: &ExternalOptions) -> String {
        match self {
            LinkStatus::Http(code) => status_text(*code),
            LinkStatus::Timeout => format!("timed out after {}", seconds(options.timeout)),
            LinkStatus::Transport(Transport::HostNotFound) => "host not found".to_string(),
            LinkStatus::Transport(Transport::Connection(e)) => format!("could not connect ({e})"),
            LinkStatus::Transport(Transport::Redirects) => {
                format!("more than {} redirects, or a broken redirect", options.max_redirects)
            }
            LinkStatus::Transport(Transport::InvalidUrl) => "not a valid URL".to_string(),
            LinkStatus::Transport(Transport::Tls(e)) => format!("secure connection failed ({e})"),
            LinkStatus::Transport(Transport::Other(e)) => format!("request failed ({e})"),
        }
    }

    /// Advice for the editor.
    pub fn hint(&self, options: &ExternalOptions) -> String {
        let text = match self {
            LinkStatus::Http(404 | 410) => {
                "the page is gone or has moved: find its new address, or remove the link"
            }
            LinkStatus::Http(401 | 403) => {
                "the server refused access: open the link in a browser; it may need a login"
            }
            LinkStatus::Http(429) => "the server asked for fewer requests: check again later",
            LinkStatus::Http(code) if *code >= 500 => {
                "the server failed: it may be down for now; check again later"
            }
            LinkStatus::Http(code) if *code < 400 => {
                "the server's answer is not a page: open the link in a browser"
            }
            LinkStatus::Http(_) => "the server rejected the request: open the link in a browser",
            LinkStatus::Timeout => {
                return format!(
                    "the server did not answer within {}; it may be slow or down (raise the limit with `--timeout`)",
                    seconds(options.timeout)
                );
            }
            LinkStatus::Transport(Transport::HostNotFound) => "check the spelling of the host name",
            LinkStatus::Transport(Transport::Connection(_)) => "the server may be down; check again later",
            LinkStatus::Transport(Transport::Redirects) => "link to the final address instead",
            LinkStatus::Transport(Transport::InvalidUrl) => "check the address for typos",
            LinkStatus::Transport(Transport::Tls(_)) => "the site's certificate may be invalid or expired",
            LinkStatus::Transport(Transport::Other(_)) => "open the link in a browser to see what is wrong",
        };
        text.to_string()
    }

    /// Whether this outcome may be cached (only HTTP answers are).
    fn cacheable(&self) -> Option<u16> {
        match self {
            LinkStatus::Http(code) => Some(*code),
            _ => None,
        }
    }
}

/// `404 Not Found`, `429 Too Many Requests (rate limited)`, or just the code.
fn status_text(code: u16) -> String {
    let reason = ureq::http::StatusCode::from_u16(code).ok().and_then(|s| s.canonical_reason());
    let base = reason.map_or_else(|| code.to_string(), |r| format!("{code} {r}"));
    if code == 429 { format!("{base} (rate limited)") } else { base }
}

/// `10 s`, `1.5 s`.
fn seconds(d: Duration) -> String {
    let s = d.as_secs_f64();
    if s.fract() == 0.0 { format!("{s:.0} s") } else { format!("{s} s") }
}

/// What an external check found.
#[derive(Debug, Default)]
pub struct ExternalReport {
    /// One diagnostic per failing link occurrence, sorted by location.
    pub diagnostics: Diagnostics,
    /// The outcome of each distinct URL (as requested: fragment removed).
    pub results: BTreeMap<String, LinkStatus>,
    /// Distinct URLs checked.
    pub checked: usize,
    /// Of those, how many were answered from the cache.
    pub from_cache: usize,
    /// Distinct URLs that are broken (errors; rate-limited ones are not counted).
    pub broken: usize,
    /// Broken link occurrences per page (source path relative to the site root).
    pub broken_by_page: BTreeMap<PathBuf, usize>,
}

impl ExternalReport {
    /// Whether any link is broken.
    pub fn has_errors(&self) -> bool {
        self.diagnostics.has_errors()
    }

    /// `Checked N external links (M from cache): K broken`, then one line per page with broken links.
    pub fn summary_lines(&self) -> Vec<String> {
        let noun = if self.checked == 1 { "link" } else { "links" };
        let mut lines = vec![format!(
            "Checked {} external {noun} ({} from cache): {} broken",
            self.checked, self.from_cache, self.broken
        )];
        for (page, count) in &self.broken_by_page {
            lines.push(format!("  {}: {count} broken", page.to_string_lossy().replace('\\', "/")));
        }
        lines
    }
}

/// Check `links` on the web (or in the cache) and report every failing one at its location.
pub fn check_links(links: &[ExternalLink], options: &ExternalOptions) -> ExternalReport {
    let groups = group_by_url(links);
    let now = unix_now();
    let cache_file = options.cache_file();
    let mut cache = cache_file.as_deref().map(Cache::load).unwrap_or_default();

    let mut results: BTreeMap<String, LinkStatus> = BTreeMap::new();
    let mut to_fetch = Vec::new();
    for url in groups.keys() {
        match cache.fresh(url, now) {
            Some(code) => {
                results.insert(url.clone(), LinkStatus::Http(code));
            }
            None => to_fetch.push(url.clone()),
        }
    }
    let from_cache = results.len();
    let fetched = fetch_all(&to_fetch, options);
    let mut diagnostics = Diagnostics::new();
    if let Some(path) = &cache_file {
        let changed = fetched.iter().any(|(_, status)| status.cacheable().is_some());
        for (url, status) in &fetched {
            if let Some(code) = status.cacheable() {
                cache.record(url, code, now);
            }
        }
        if changed && let Err(err) = cache.save(path, now) {
            diagnostics.push(Diagnostic::warning(format!(
                "could not write the link cache `{}`: {err}",
                path.display()
            )));
        }
    }
    results.extend(fetched);
    build_report(links, &groups, results, from_cache, options, diagnostics)
}

/// Distinct request URLs, each with the indexes of the links written with it.
fn group_by_url(links: &[ExternalLink]) -> BTreeMap<String, Vec<usize>> {
    let mut groups: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (i, link) in links.iter().enumerate() {
        groups.entry(request_url(&link.url)).or_default().push(i);
    }
    groups
}

/// The URL to request: without its `#fragment`, with spaces and non-ASCII bytes percent-encoded.
pub fn request_url(url: &str) -> String {
    let without_fragment = url.split_once('#').map_or(url, |(before, _)| before).trim();
    let mut out = String::with_capacity(without_fragment.len());
    for &byte in without_fragment.as_bytes() {
        let unsafe_ascii = matches!(byte, b'"' | b'<' | b'>' | b'\\' | b'^' | b'`' | b'{' | b'|' | b'}');
        if byte <= b' ' || byte >= 0x7f || unsafe_ascii {
            out.push_str(&format!("%{byte:02X}"));
        } else {
            out.push(byte as char);
        }
    }
    out
}

/// Turn per-URL results into diagnostics and counts.
fn build_report(
    links: &[ExternalLink],
    groups: &BTreeMap<String, Vec<usize>>,
    results: BTreeMap<String, LinkStatus>,
    from_cache: usize,
    options: &ExternalOptions,
    mut diagnostics: Diagnostics,
) -> ExternalReport {
    let mut report = ExternalReport { checked: groups.len(), from_cache, ..ExternalReport::default() };
    for (url, indexes) in groups {
        let Some(status) = results.get(url) else { continue };
        let Some(severity) = status.severity() else { continue };
        if severity == Severity::Error {
            report.broken += 1;
        }
        for &i in indexes {
            let link = &links[i];
            diagnostics.push(link_diagnostic(link, status, severity, options));
            if severity == Severity::Error {
                *report.broken_by_page.entry(link.location.file.clone()).or_default() += 1;
            }
        }
    }
    diagnostics.sort();
    report.diagnostics = diagnostics;
    report.results = results;
    report
}

/// The diagnostic for one failing link occurrence.
fn link_diagnostic(
    link: &ExternalLink,
    status: &LinkStatus,
    severity: Severity,
    options: &ExternalOptions,
) -> Diagnostic {
    let message = match severity {
        Severity::Error => format!("broken external link `{}`: {}", link.url, status.describe(options)),
        Severity::Warning => {
            format!("external link `{}` could not be checked: {}", link.url, status.describe(options))
        }
    };
    let base = match severity {
        Severity::Error => Diagnostic::error(message),
        Severity::Warning => Diagnostic::warning(message),
    };
    base.at(link.location.clone()).with_hint(status.hint(options))
}

/// Seconds since the Unix epoch.
fn unix_now() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs())
}

// ---------------------------------------------------------------------------------------
// Cache

/// One cached result.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct CacheEntry {
    /// The final HTTP status code.
    pub status: u16,
    /// When it was checked, in Unix seconds.
    pub checked_at: u64,
}

impl CacheEntry {
    /// Whether the entry is still fresh at `now` (2xx for [`OK_TTL`], others for [`FAILURE_TTL`]).
    pub fn is_fresh(&self, now: u64) -> bool {
        let ttl = if (200..300).contains(&self.status) { OK_TTL } else { FAILURE_TTL };
        now >= self.checked_at && now - self.checked_at < ttl.as_secs()
    }
}

/// The cache file's contents.
#[derive(Debug, Default, Serialize, Deserialize)]
pub struct Cache {
    /// Format version.
    version: u32,
    /// One entry per URL.
    entries: BTreeMap<String, CacheEntry>,
}

impl Cache {
    /// Read the cache at `path`; a missing, unreadable or outdated file gives an empty cache.
    pub fn load(path: &Path) -> Cache {
        let text = std::fs::read_to_string(path).unwrap_or_default();
        match serde_json::from_str::<Cache>(&text) {
            Ok(cache) if cache.version == CACHE_VERSION => cache,
            _ => Cache::default(),
        }
    }

    /// Every entry by URL, fresh or not (the content-status report lists them with their age).
    pub fn entries(&self) -> &BTreeMap<String, CacheEntry> {
        &self.entries
    }

    /// The cached status of `url`, if fresh at `now`.
    pub fn fresh(&self, url: &str, now: u64) -> Option<u16> {
        self.entries.get(url).filter(|e| e.is_fresh(now)).map(|e| e.status)
    }

    /// Remember `status` for `url`, checked at `now`.
    pub fn record(&mut self, url: &str, status: u16, now: u64) {
        self.entries.insert(url.to_string(), CacheEntry { status, checked_at: now });
    }

    /// Drop stale entries and write the cache to `path` atomically (creating its folder).
    pub fn save(&mut self, path: &Path, now: u64) -> std::io::Result<()> {
        self.entries.retain(|_, e| e.is_fresh(now));
        self.version = CACHE_VERSION;
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        let tmp = path.with_extension(format!("json.{}.tmp", std::process::id()));
        let text = serde_json::to_string_pretty(self).map_err(std::io::Error::other)?;
        std::fs::write(&tmp, text)?;
        std::fs::rename(&tmp, path).inspect_err(|_| {
            let _ = std::fs::remove_file(&tmp);
        })
    }
}

// ---------------------------------------------------------------------------------------
// Fetching

/// Request every URL in `urls` (each once) and return their outcomes.
fn fetch_all(urls: &[String], options: &ExternalOptions) -> Vec<(String, LinkStatus)> {
    if urls.is_empty() {
        return Vec::new();
    }
    let agent = make_agent(options);
    let scheduler = Scheduler::new(urls, options.per_host, options.host_delay);
    let progress = Progress::new(options.progress, urls.len());
    let results: Mutex<Vec<(String, LinkStatus)>> = Mutex::new(Vec::with_capacity(urls.len()));
    let workers = options.concurrency.max(1).min(urls.len());
    std::thread::scope(|scope| {
        for _ in 0..workers {
            scope.spawn(|| {
                while let Some(job) = scheduler.next() {
                    progress.start(&job.url);
                    let status = probe(&agent, &job.url);
                    scheduler.finish(&job.host);
                    progress.finish_one();
                    lock(&results).push((job.url, status));
                }
            });
        }
    });
    progress.clear();
    results.into_inner().unwrap_or_else(|e| e.into_inner())
}

/// Lock a mutex, ignoring poisoning (the data stays consistent: every update is one step).
fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// The HTTP client for one run.
fn make_agent(options: &ExternalOptions) -> ureq::Agent {
    ureq::Agent::config_builder()
        .timeout_global(Some(options.timeout))
        .max_redirects(options.max_redirects)
        .max_redirects_will_error(true)
        .http_status_as_error(false)
        .user_agent(USER_AGENT)
        .build()
        .new_agent()
}

/// `HEAD`, then `GET` when the server will not answer `HEAD` properly.
fn probe(agent: &ureq::Agent, url: &str) -> LinkStatus {
    match send(agent.head(url)) {
        LinkStatus::Http(403 | 405 | 501) => send(agent.get(url)),
        other => other,
    }
}

/// Send one request and classify the answer (the body is never read).
fn send(request: ureq::RequestBuilder<ureq::typestate::WithoutBody>) -> LinkStatus {
    match request.call() {
        Ok(response) => LinkStatus::Http(response.status().as_u16()),
        Err(err) => classify(err),
    }
}

/// Map a client error to a [`LinkStatus`].
fn classify(err: ureq::Error) -> LinkStatus {
    use ureq::Error as E;
    let transport = match err {
        E::Timeout(_) => return LinkStatus::Timeout,
        E::Io(e) if e.kind() == std::io::ErrorKind::TimedOut => return LinkStatus::Timeout,
        E::StatusCode(code) => return LinkStatus::Http(code),
        E::HostNotFound => Transport::HostNotFound,
        E::ConnectionFailed => Transport::Connection("connection failed".to_string()),
        E::Io(e) => Transport::Connection(e.kind().to_string()),
        E::TooManyRedirects | E::RedirectFailed => Transport::Redirects,
        E::BadUri(_) | E::Http(_) => Transport::InvalidUrl,
        e @ (E::Tls(_) | E::Rustls(_) | E::TlsRequired) => Transport::Tls(e.to_string()),
        other => Transport::Other(other.to_string()),
    };
    LinkStatus::Transport(transport)
}

/// The host of a URL (lowercase), used to group requests for politeness.
fn host_of(url: &str) -> String {
    url.parse::<ureq::http::Uri>()
        .ok()
        .and_then(|uri| uri.host().map(str::to_ascii_lowercase))
        .unwrap_or_else(|| url.to_string())
}

/// A URL handed to a worker.
struct Job {
    url: String,
    host: String,
}

/// Requests in flight to one host.
#[derive(Default)]
struct HostState {
    in_flight: usize,
    last_start: Option<Instant>,
}

/// What the scheduler guards.
struct SchedulerState {
    pending: VecDeque<Job>,
    hosts: HashMap<String, HostState>,
}

/// Hands URLs to workers so that each host has at most `per_host` requests in flight and
/// its requests start at least `delay` apart; other hosts' URLs go ahead meanwhile.
struct Scheduler {
    state: Mutex<SchedulerState>,
    changed: Condvar,
    per_host: usize,
    delay: Duration,
}

impl Scheduler {
    fn new(urls: &[String], per_host: usize, delay: Duration) -> Scheduler {
        let pending = urls.iter().map(|url| Job { url: url.clone(), host: host_of(url) }).collect();
        Scheduler {
            state: Mutex::new(SchedulerState { pending, hosts: HashMap::new() }),
            changed: Condvar::new(),
            per_host: per_host.max(1),
            delay,
        }
    }

    /// The next URL to request, waiting until its host allows it; `None` when none is left.
    fn next(&self) -> Option<Job> {
        let mut state = lock(&self.state);
        loop {
            if state.pending.is_empty() {
                return None;
            }
            let now = Instant::now();
            match self.pick(&mut state, now) {
                Ok(job) => return Some(job),
                Err(wait) => {
                    state = self.changed.wait_timeout(state, wait).unwrap_or_else(|e| e.into_inner()).0;
                }
            }
        }
    }

    /// Take the first pending job whose host is ready, or say how long to wait at most.
    fn pick(&self, state: &mut SchedulerState, now: Instant) -> Result<Job, Duration> {
        // When every pending host is full, wait for a `finish` (re-checking now and then).
        let mut wait = Duration::from_millis(250);
        let mut ready = None;
        for (i, job) in state.pending.iter().enumerate() {
            let host = state.hosts.get(&job.host);
            if host.is_some_and(|h| h.in_flight >= self.per_host) {
                continue;
            }
            let next_start = host.and_then(|h| h.last_start).map(|t| t + self.delay);
            match next_start {
                Some(t) if t > now => wait = wait.min(t - now),
                _ => {
                    ready = Some(i);
                    break;
                }
            }
        }
        let job = ready.and_then(|i| state.pending.remove(i)).ok_or(wait)?;
        let host = state.hosts.entry(job.host.clone()).or_default();
        host.in_flight += 1;
        host.last_start = Some(now);
        Ok(job)
    }

    /// A request to `host` has ended.
    fn finish(&self, host: &str) {
        if let Some(h) = lock(&self.state).hosts.get_mut(host) {
            h.in_flight = h.in_flight.saturating_sub(1);
        }
        self.changed.notify_all();
    }
}

/// The `[ 12/40] checking …` line on stderr.
struct Progress {
    enabled: bool,
    total: usize,
    done: AtomicUsize,
    out: Mutex<()>,
}

impl Progress {
    fn new(enabled: bool, total: usize) -> Progress {
        Progress { enabled, total, done: AtomicUsize::new(0), out: Mutex::new(()) }
    }

    /// Show that `url` is being requested.
    fn start(&self, url: &str) {
        if !self.enabled {
            return;
        }
        let _guard = lock(&self.out);
        let done = self.done.load(Ordering::Relaxed);
        let width = self.total.to_string().len();
        let shown = shorten(url, 60);
        let mut err = std::io::stderr().lock();
        let _ = write!(err, "\r\x1b[K[{done:>width$}/{}] checking {shown}", self.total);
        let _ = err.flush();
    }

    /// One request has ended.
    fn finish_one(&self) {
        self.done.fetch_add(1, Ordering::Relaxed);
    }

    /// Erase the progress line.
    fn clear(&self) {
        if self.enabled {
            let _guard = lock(&self.out);
            eprint!("\r\x1b[K");
        }
    }
}

/// `text` cut to at most `max` chars, with `…` when cut.
fn shorten(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let mut out: String = text.chars().take(max.saturating_sub(1)).collect();
    out.push('…');
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostics::Location;

    fn link(url: &str, file: &str, line: usize) -> ExternalLink {
        ExternalLink {
            url: url.to_string(),
            location: Location { file: file.into(), line, column: 3, length: 5 },
        }
    }

    #[test]
    fn request_url_strips_fragment_and_encodes() {
        assert_eq!(request_url("https://a.example/x#frag"), "https://a.example/x");
        assert_eq!(request_url("https://a.example/a b"), "https://a.example/a%20b");
        assert_eq!(request_url("https://zh.example/身"), "https://zh.example/%E8%BA%AB");
        assert_eq!(request_url("https://a.example/?q={x}"), "https://a.example/?q=%7Bx%7D");
        assert_eq!(request_url("https://a.example/ok?a=1&b=2"), "https://a.example/ok?a=1&b=2");
    }

    #[test]
    fn grouping_dedups_by_request_url() {
        let links = [link("https://a.example/x#one", "a.md", 1), link("https://a.example/x#two", "b.md", 2)];
        let groups = group_by_url(&links);
        assert_eq!(groups.len(), 1);
        assert_eq!(groups["https://a.example/x"], vec![0, 1]);
    }

    #[test]
    fn severity_and_text() {
        let o = ExternalOptions::default();
        assert_eq!(LinkStatus::Http(200).severity(), None);
        assert_eq!(LinkStatus::Http(204).severity(), None);
        assert_eq!(LinkStatus::Http(429).severity(), Some(Severity::Warning));
        assert_eq!(LinkStatus::Http(404).severity(), Some(Severity::Error));
        assert_eq!(LinkStatus::Http(301).severity(), Some(Severity::Error));
        assert_eq!(LinkStatus::Timeout.severity(), Some(Severity::Error));
        assert_eq!(LinkStatus::Http(404).describe(&o), "404 Not Found");
        assert_eq!(LinkStatus::Http(429).describe(&o), "429 Too Many Requests (rate limited)");
        assert_eq!(LinkStatus::Http(599).describe(&o), "599");
        assert_eq!(LinkStatus::Timeout.describe(&o), "timed out after 10 s");
        let short = ExternalOptions { timeout: Duration::from_millis(1500), ..o };
        assert!(LinkStatus::Timeout.hint(&short).contains("within 1.5 s"));
    }

    #[test]
    fn cache_freshness() {
        let ok = CacheEntry { status: 200, checked_at: 1000 };
        assert!(ok.is_fresh(1000));
        assert!(ok.is_fresh(1000 + OK_TTL.as_secs() - 1));
        assert!(!ok.is_fresh(1000 + OK_TTL.as_secs()));
        assert!(!ok.is_fresh(999), "a clock that went back makes entries stale");
        let bad = CacheEntry { status: 404, checked_at: 1000 };
        assert!(bad.is_fresh(1000 + FAILURE_TTL.as_secs() - 1));
        assert!(!bad.is_fresh(1000 + FAILURE_TTL.as_secs()));
    }

    #[test]
    fn cache_round_trip_and_pruning() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sub").join(CACHE_FILE);
        let now = 10_000_000;
        let mut cache = Cache::load(&path);
        cache.record("https://a.example/ok", 200, now);
        cache.record("https://a.example/gone", 404, now - FAILURE_TTL.as_secs());
        cache.save(&path, now).unwrap();
        let loaded = Cache::load(&path);
        assert_eq!(loaded.fresh("https://a.example/ok", now + 5), Some(200));
        assert_eq!(loaded.fresh("https://a.example/gone", now), None);
        assert!(!loaded.entries.contains_key("https://a.example/gone"), "stale entries pruned");
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.contains("\"checked_at\": 10000000"), "{text}");
        std::fs::write(&path, "not json").unwrap();
        assert!(Cache::load(&path).entries.is_empty());
    }

    #[test]
    fn cached_results_need_no_requests() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(CACHE_FILE);
        let mut cache = Cache::default();
        // Nothing listens on port 9: a request would fail, so success proves the cache answered.
        cache.record("http://127.0.0.1:9/ok", 200, unix_now());
        cache.record("http://127.0.0.1:9/gone", 404, unix_now());
        cache.save(&path, unix_now()).unwrap();
        let links = [
            link("http://127.0.0.1:9/ok", "content/a.md", 4),
            link("http://127.0.0.1:9/gone", "content/a.md", 7),
            link("http://127.0.0.1:9/gone#x", "content/b.md", 2),
        ];
        let options = ExternalOptions { cache_path: Some(path), ..ExternalOptions::default() };
        let report = check_links(&links, &options);
        assert_eq!((report.checked, report.from_cache, report.broken), (2, 2, 1));
        let messages: Vec<_> = report.diagnostics.iter().map(|d| d.message.as_str()).collect();
        assert_eq!(
            messages,
            [
                "broken external link `http://127.0.0.1:9/gone`: 404 Not Found",
                "broken external link `http://127.0.0.1:9/gone#x`: 404 Not Found"
            ]
        );
        assert_eq!(
            report.summary_lines(),
            [
                "Checked 2 external links (2 from cache): 1 broken",
                "  content/a.md: 1 broken",
                "  content/b.md: 1 broken"
            ]
        );
    }

    #[test]
    fn scheduler_limits_per_host_and_spaces_starts() {
        let urls: Vec<String> =
            ["http://a.example/1", "http://a.example/2", "http://a.example/3", "http://b.example/1"]
                .map(String::from)
                .to_vec();
        let s = Scheduler::new(&urls, 2, Duration::from_secs(60));
        let mut state = lock(&s.state);
        let t0 = Instant::now();
        assert_eq!(s.pick(&mut state, t0).unwrap().url, "http://a.example/1");
        // a.example must wait for the delay; b.example goes ahead.
        assert_eq!(s.pick(&mut state, t0).unwrap().url, "http://b.example/1");
        assert!(s.pick(&mut state, t0).is_err());
        let later = t0 + Duration::from_secs(61);
        assert_eq!(s.pick(&mut state, later).unwrap().url, "http://a.example/2");
        // Two in flight to a.example: the third waits even after the delay.
        let much_later = later + Duration::from_secs(61);
        assert!(s.pick(&mut state, much_later).is_err());
        drop(state);
        s.finish("a.example");
        let mut state = lock(&s.state);
        assert_eq!(s.pick(&mut state, much_later).unwrap().url, "http://a.example/3");
        assert!(state.pending.is_empty());
    }

    #[test]
    fn shorten_marks_cuts() {
        assert_eq!(shorten("abc", 5), "abc");
        assert_eq!(shorten("abcdef", 4), "abc…");
    }

    #[test]
    fn default_options() {
        let o = ExternalOptions::default();
        assert_eq!((o.concurrency, o.per_host, o.max_redirects), (8, 2, 5));
        assert_eq!(o.timeout, Duration::from_secs(10));
        assert!(ExternalOptions { use_cache: false, ..o }.cache_file().is_none());
    }
}
