//! The local preview server of `signpost serve`: build into memory, watch, serve, live reload.
//!
//! Each successful build becomes an immutable [`Snapshot`] (output path → bytes, content type,
//! ETag) that replaces the previous one in a single pointer swap, so a request sees either the
//! old site or the new one, never a half-written tree. Nothing is written to disk.
//!
//! HTML pages get a small live-reload script before `</body>`. It listens to
//! `/__signpost/events` (server-sent events): `reload` reloads the page and keeps its scroll
//! position, `css` swaps the stylesheets, `error` shows the build's diagnostics in an overlay
//! (the last good site keeps being served) and the next good build clears it.

use std::collections::HashMap;
use std::convert::Infallible;
use std::net::{IpAddr, SocketAddr, TcpListener};
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant};

use axum::Router;
use axum::body::{Body as HttpBody, Bytes};
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, Uri, header};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use futures_util::stream::{self, Stream, StreamExt};
use rayon::prelude::*;
use tokio::sync::{broadcast, oneshot};

use crate::build::BuildOptions;
use crate::diagnostics::{self, Diagnostics};
use crate::error::{Error, Result};
use crate::render::{Body, Output};
use crate::session::Changed;
use crate::watch::{self, Refresh};

mod status;

use status::LiveStatus;
pub use status::STATUS_PATH;

/// Where browsers listen for rebuilds.
pub const EVENTS_PATH: &str = "/__signpost/events";
/// The live-reload script injected into served HTML (never into `build` output).
pub const RELOAD_SCRIPT: &str = r#"
(function () {
  "use strict";
  var KEY = "signpost-scroll:" + location.pathname;
  var saved = sessionStorage.getItem(KEY);
  if (saved !== null) {
    sessionStorage.removeItem(KEY);
    var restore = function () { window.scrollTo(0, Number(saved) || 0); };
    if (document.readyState === "complete") { restore(); } else { window.addEventListener("load", restore); }
  }
  var overlay = null;
  function clearOverlay() {
    if (overlay) { overlay.remove(); overlay = null; }
  }
  function showOverlay(text) {
    clearOverlay();
    overlay = document.createElement("div");
    overlay.id = "signpost-error-overlay";
    overlay.setAttribute("role", "alert");
    overlay.style.cssText = "position:fixed;inset:0;z-index:2147483647;overflow:auto;margin:0;padding:1.5rem;" +
      "background:rgba(20,20,20,.94);color:#fff;font:14px/1.5 ui-monospace,Menlo,Consolas,monospace";
    var close = document.createElement("button");
    close.type = "button";
    close.textContent = "Dismiss";
    close.style.cssText = "float:right;font:inherit;padding:.25rem .75rem;cursor:pointer;" +
      "background:#fff;color:#141414;border:1px solid #fff";
    close.addEventListener("click", clearOverlay);
    var title = document.createElement("p");
    title.textContent = "Signpost could not rebuild the site; the last good version is shown.";
    title.style.cssText = "margin:0 0 1rem;font-weight:bold;color:#ff8a80";
    var pre = document.createElement("pre");
    pre.textContent = text;
    // Every property the theme sets on `pre` is set here too: its light code background
    // under the overlay's white text made the errors unreadable.
    pre.style.cssText = "margin:0;padding:0;border:0;background:transparent;color:#fff;" +
      "font:inherit;white-space:pre-wrap;overflow:visible;max-width:none";
    overlay.append(close, title, pre);
    document.body.appendChild(overlay);
  }
  function swapStylesheets() {
    var links = document.querySelectorAll('link[rel~="stylesheet"]');
    Array.prototype.forEach.call(links, function (link) {
      var url = new URL(link.href, location.href);
      if (url.origin !== location.origin) { return; }
      url.searchParams.set("signpost-reload", String(Date.now()));
      var fresh = link.cloneNode();
      fresh.href = url.href;
      fresh.addEventListener("load", function () { link.remove(); });
      fresh.addEventListener("error", function () { link.remove(); });
      link.after(fresh);
    });
  }
  // The build this page came from, filled in when it is served: a rebuild that finished
  // between the page loading and this connection opening must still reload it.
  var generation = "__SIGNPOST_GENERATION__";
  var events = new EventSource("/__signpost/events");
  events.addEventListener("hello", function (e) {
    if (generation !== e.data) { location.reload(); }
    generation = e.data;
  });
  events.addEventListener("reload", function () {
    sessionStorage.setItem(KEY, String(window.scrollY));
    location.reload();
  });
  events.addEventListener("css", function () { clearOverlay(); swapStylesheets(); });
  events.addEventListener("error", function (e) {
    if (typeof e.data === "string") { showOverlay(e.data); }
  });
})();
"#;
/// How many ports after the asked one the CLI tries when it is taken.
pub const PORT_TRIES: u16 = 10;

/// What to serve and how.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// The site to build (`output` is ignored; without a `base_url`, the preview's address is
    /// the base URL).
    pub build: BuildOptions,
    /// The address to listen on.
    pub bind: IpAddr,
    /// The first port to try (0: any free port).
    pub port: u16,
    /// How many following ports to try when `port` is taken.
    pub port_tries: u16,
    /// Poll the file system instead of using its events.
    pub poll: bool,
    /// Told the outcome of every rebuild (the command line prints it); `None` stays quiet.
    pub report: Option<Report>,
}

/// What one rebuild of the preview came to, for whoever shows it.
#[derive(Debug)]
pub enum Rebuilt<'a> {
    /// The new site is being served.
    Built {
        /// Why the site was built (`initial build`, `content/faq.md changed`).
        what: &'a str,
        /// From the change to the new site being served.
        elapsed: Duration,
        /// Files whose content changed.
        changed: usize,
        /// Files served in all.
        files: usize,
        /// Warnings the previous build did not have (each is shown once).
        fresh: &'a Diagnostics,
        /// Warnings in all.
        warnings: usize,
    },
    /// The build failed; the last good site is still served and browsers show the errors.
    Failed {
        /// Why the site was built.
        what: &'a str,
        /// What went wrong.
        error: Error,
    },
}

/// Receives the outcome of each rebuild, on the watcher's thread. The server itself prints
/// nothing, so it can run inside tests and other programs.
#[derive(Clone)]
pub struct Report(pub Arc<dyn Fn(Rebuilt<'_>) + Send + Sync>);

impl std::fmt::Debug for Report {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Report")
    }
}

impl ServeOptions {
    /// Serve `root` on 127.0.0.1, any free port, quietly (for tests and embedding).
    pub fn new(root: impl Into<std::path::PathBuf>) -> ServeOptions {
        ServeOptions {
            build: BuildOptions { root: root.into(), ..BuildOptions::default() },
            bind: IpAddr::from([127, 0, 0, 1]),
            port: 0,
            port_tries: 0,
            poll: false,
            report: None,
        }
    }
}

/// One served file.
#[derive(Debug, Clone)]
pub struct File {
    /// The bytes (HTML with the reload script already injected).
    pub bytes: Bytes,
    /// The `Content-Type`.
    pub content_type: &'static str,
    /// The `ETag`, which changes whenever the bytes do.
    pub etag: HeaderValue,
}

/// One complete build, as served.
#[derive(Debug, Default)]
pub struct Snapshot {
    /// Files by output path (`faq/index.html`).
    pub files: HashMap<String, File>,
    /// Counts builds that changed something; tells a reconnecting browser it is stale.
    pub generation: u64,
}

impl Snapshot {
    /// Turn build outputs into a snapshot, reusing `previous` files (and ETags) whose bytes
    /// did not change; returns the snapshot and the output paths that changed.
    pub fn from_outputs(outputs: Vec<Output>, previous: &Snapshot) -> Result<(Snapshot, Vec<String>)> {
        let generation = previous.generation + 1;
        let loaded: Vec<(String, Bytes)> =
            outputs.into_par_iter().map(load_output).collect::<Result<Vec<_>>>()?;
        let mut changed = Vec::new();
        let mut files = HashMap::with_capacity(loaded.len());
        for (path, bytes) in loaded {
            let file = match previous.files.get(&path) {
                Some(old) if old.bytes == bytes => old.clone(),
                _ => {
                    changed.push(path.clone());
                    new_file(&path, bytes, generation)
                }
            };
            files.insert(path, file);
        }
        changed.extend(previous.files.keys().filter(|p| !files.contains_key(*p)).cloned());
        changed.sort();
        let generation = if changed.is_empty() { previous.generation } else { generation };
        Ok((Snapshot { files, generation }, changed))
    }
}

impl Snapshot {
    /// `previous` with some of its files replaced by `outputs` (a quick rebuild's); returns
    /// the snapshot and the output paths that changed.
    pub fn with_outputs(
        outputs: Vec<Output>,
        removed: &[String],
        previous: &Snapshot,
    ) -> Result<(Snapshot, Vec<String>)> {
        let generation = previous.generation + 1;
        let mut files = previous.files.clone();
        let mut changed = Vec::new();
        for path in removed {
            if files.remove(path).is_some() {
                changed.push(path.clone());
            }
        }
        for output in outputs {
            let (path, bytes) = load_output(output)?;
            if files.get(&path).is_none_or(|old| old.bytes != bytes) {
                files.insert(path.clone(), new_file(&path, bytes, generation));
                changed.push(path);
            }
        }
        changed.sort();
        changed.dedup();
        let generation = if changed.is_empty() { previous.generation } else { generation };
        Ok((Snapshot { files, generation }, changed))
    }
}

/// Read an output's bytes, injecting the reload script into HTML.
fn load_output(o: Output) -> Result<(String, Bytes)> {
    let bytes = match o.body {
        Body::Bytes(b) | Body::Named(b) => b,
        Body::Copy(source) => std::fs::read(&source).map_err(|e| Error::io("read", &source, e))?,
        Body::Static(bytes) => bytes.to_vec(),
        Body::Reused(text) | Body::Shared(text) => text.as_bytes().to_vec(),
        Body::Parts(parts) => parts.to_vec().map_err(|e| Error::io("read the body of", &o.path, e))?,
    };
    let bytes = if is_html(&o.path) { inject_reload_script(&bytes) } else { bytes };
    Ok((o.path, Bytes::from(bytes)))
}

fn new_file(path: &str, bytes: Bytes, generation: u64) -> File {
    let etag = format!("\"{generation:x}-{:x}\"", bytes.len());
    File {
        bytes,
        content_type: content_type(path),
        etag: HeaderValue::from_str(&etag).expect("hex digits and quotes are a valid header"),
    }
}

fn is_html(path: &str) -> bool {
    let lower = path.to_ascii_lowercase();
    lower.ends_with(".html") || lower.ends_with(".htm")
}

/// Put the live-reload script just before the last `</body>` (or at the end).
pub fn inject_reload_script(html: &[u8]) -> Vec<u8> {
    let tag = format!("<script>{RELOAD_SCRIPT}</script>\n");
    let at = html.windows(7).rposition(|w| w.eq_ignore_ascii_case(b"</body>")).unwrap_or(html.len());
    let mut out = Vec::with_capacity(html.len() + tag.len());
    out.extend_from_slice(&html[..at]);
    out.extend_from_slice(tag.as_bytes());
    out.extend_from_slice(&html[at..]);
    out
}

/// The `Content-Type` of an output path, by extension.
pub fn content_type(path: &str) -> &'static str {
    let ext = path.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase()).unwrap_or_default();
    match ext.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" | "map" => "application/json",
        "jsonld" => "application/ld+json",
        "xml" => "application/xml",
        "rss" => "application/rss+xml",
        "atom" => "application/atom+xml",
        "txt" | "md" => "text/plain; charset=utf-8",
        "csv" => "text/csv; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "avif" => "image/avif",
        "ico" => "image/x-icon",
        "pdf" => "application/pdf",
        "woff2" => "font/woff2",
        "woff" => "font/woff",
        "ttf" => "font/ttf",
        "otf" => "font/otf",
        "wasm" => "application/wasm",
        "webmanifest" => "application/manifest+json",
        "mp4" => "video/mp4",
        "webm" => "video/webm",
        "mp3" => "audio/mpeg",
        "zip" => "application/zip",
        _ => "application/octet-stream",
    }
}

/// Why a request path was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BadPath {
    /// Malformed or dangerous: answer 400.
    Rejected,
}

/// Decode a request path (once) into the output-relative path it names (`faq/` → `faq/`).
///
/// Refuses `..` and `.` segments, backslashes, NUL, encoded slashes and backslashes, bad
/// escapes and text that is not UTF-8. The result has no leading `/`; a trailing `/` is kept.
pub fn decode_path(raw: &str) -> std::result::Result<String, BadPath> {
    let lower = raw.to_ascii_lowercase();
    if !raw.starts_with('/') || raw.contains('\\') || lower.contains("%2f") || lower.contains("%5c") {
        return Err(BadPath::Rejected);
    }
    let bytes = percent_decode(raw.as_bytes()).ok_or(BadPath::Rejected)?;
    let text = String::from_utf8(bytes).map_err(|_| BadPath::Rejected)?;
    if text.contains('\0') || text.contains('\\') {
        return Err(BadPath::Rejected);
    }
    let rel = &text[1..];
    if rel.split('/').any(|s| s == ".." || s == ".") {
        return Err(BadPath::Rejected);
    }
    Ok(rel.to_string())
}

fn percent_decode(input: &[u8]) -> Option<Vec<u8>> {
    let hex = |b: u8| (b as char).to_digit(16).map(|d| d as u8);
    let mut out = Vec::with_capacity(input.len());
    let mut i = 0;
    while i < input.len() {
        if input[i] == b'%' {
            let high = hex(*input.get(i + 1)?)?;
            let low = hex(*input.get(i + 2)?)?;
            out.push(high << 4 | low);
            i += 3;
        } else {
            out.push(input[i]);
            i += 1;
        }
    }
    Some(out)
}

/// A message to open browsers.
#[derive(Debug, Clone)]
enum Message {
    Reload,
    Css,
    Error(Arc<str>),
    Shutdown,
}

/// What the server shares between the HTTP side and the rebuild thread.
struct Shared {
    snapshot: RwLock<Arc<Snapshot>>,
    error: Mutex<Option<Arc<str>>>,
    events: broadcast::Sender<Message>,
    /// The rebuild session and the live content-status report made from it.
    status: LiveStatus,
}

impl Shared {
    fn new(generation: u64) -> Shared {
        let snapshot = Snapshot { files: HashMap::new(), generation };
        Shared {
            snapshot: RwLock::new(Arc::new(snapshot)),
            error: Mutex::new(None),
            events: broadcast::channel(16).0,
            status: LiveStatus::default(),
        }
    }

    fn snapshot(&self) -> Arc<Snapshot> {
        self.snapshot.read().unwrap_or_else(|e| e.into_inner()).clone()
    }

    fn error(&self) -> Option<Arc<str>> {
        self.error.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// Install a good build (the swap happens before browsers are told) and notify them.
    fn install(&self, snapshot: Snapshot, changed: &[String]) {
        *self.snapshot.write().unwrap_or_else(|e| e.into_inner()) = Arc::new(snapshot);
        let was_broken = self.error.lock().unwrap_or_else(|e| e.into_inner()).take().is_some();
        let message = match watch::refresh_for(changed) {
            _ if was_broken => Some(Message::Reload),
            Refresh::Nothing => None,
            Refresh::Stylesheets => Some(Message::Css),
            Refresh::Page => Some(Message::Reload),
        };
        if let Some(m) = message {
            let _ = self.events.send(m);
        }
    }

    /// Record a failed build and show it in open browsers.
    fn fail(&self, text: String) {
        let text: Arc<str> = Arc::from(text);
        *self.error.lock().unwrap_or_else(|e| e.into_inner()) = Some(text.clone());
        let _ = self.events.send(Message::Error(text));
    }
}

/// A running preview server; dropping it stops the server.
pub struct Handle {
    addr: SocketAddr,
    shared: Arc<Shared>,
    runtime: Option<tokio::runtime::Runtime>,
    server: Option<tokio::task::JoinHandle<()>>,
    shutdown: Option<oneshot::Sender<()>>,
    stop: Arc<AtomicBool>,
    watcher: Option<std::thread::JoinHandle<()>>,
}

impl Handle {
    /// The address the server listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The preview's base URL (`http://127.0.0.1:1111/`).
    pub fn url(&self) -> String {
        preview_url(self.addr)
    }

    /// The snapshot being served now.
    pub fn snapshot(&self) -> Arc<Snapshot> {
        self.shared.snapshot()
    }

    /// The live content-status report as served now (made if a rebuild came since it was
    /// last made); `None` before the first successful build.
    pub fn status_page(&self) -> Option<Bytes> {
        self.shared.status.page(|| self.shared.snapshot()).map(|file| file.bytes)
    }

    /// How many live-reload connections are open (closed ones are gone within moments).
    pub fn live_reload_connections(&self) -> usize {
        self.shared.events.receiver_count()
    }

    /// Block until Ctrl-C (SIGINT) or until the server stops by itself.
    pub fn wait_for_ctrl_c(&mut self) {
        let (Some(runtime), Some(server)) = (&self.runtime, &mut self.server) else { return };
        runtime.block_on(async {
            let ctrl_c = std::pin::pin!(tokio::signal::ctrl_c());
            futures_util::future::select(ctrl_c, server).await;
        });
    }

    /// Stop serving and watching, closing open live-reload connections.
    pub fn shutdown(mut self) {
        self.stop_all();
    }

    fn stop_all(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        let _ = self.shared.events.send(Message::Shutdown);
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(runtime) = self.runtime.take() {
            if let Some(server) = self.server.take() {
                let _ = runtime
                    .block_on(async move { tokio::time::timeout(Duration::from_secs(3), server).await });
            }
            runtime.shutdown_timeout(Duration::from_secs(1));
        }
        if let Some(watcher) = self.watcher.take() {
            let _ = watcher.join();
        }
    }
}

impl Drop for Handle {
    fn drop(&mut self) {
        self.stop_all();
    }
}

/// Bind, build into memory, start watching and serving; returns at once with a [`Handle`].
///
/// A failed first build still starts the server: browsers see the errors until a good build.
pub fn start(options: ServeOptions) -> Result<Handle> {
    let listener = bind(options.bind, options.port, options.port_tries)?;
    let addr = listener.local_addr().map_err(|e| Error::io("bind", "socket", e))?;
    let mut build_options = options.build.clone();
    // A base URL given is where browsers reach the preview (through a proxy, or this machine's
    // name on the network); otherwise it is the address bound.
    build_options.base_url.get_or_insert_with(|| preview_url(addr));
    let output_dir = build_options.output_dir();
    build_options.output = None;

    let mut watcher = watch::Watcher::new(&build_options.root, &[output_dir], options.poll)?;
    let shared = Arc::new(Shared::new(generation_seed()));
    let mut builder = Rebuilder {
        shared: shared.clone(),
        options: build_options,
        report: options.report,
        seen: Default::default(),
    };
    builder.run("initial build", None);

    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .thread_name("signpost-serve")
        .enable_all()
        .build()
        .map_err(|e| Error::io("start", "the server runtime", e))?;
    let (shutdown, shutdown_rx) = oneshot::channel();
    let server = runtime.spawn(serve_http(listener, shared.clone(), shutdown_rx));

    let stop = Arc::new(AtomicBool::new(false));
    let watcher_thread = {
        let stop = stop.clone();
        std::thread::Builder::new()
            .name("signpost-watch".into())
            .spawn(move || {
                while let Some(batch) = watcher.next_batch(&stop) {
                    builder.run(&batch.describe(), batch.paths().as_deref());
                }
            })
            .map_err(|e| Error::io("start", "the watcher thread", e))?
    };
    Ok(Handle {
        addr,
        shared,
        runtime: Some(runtime),
        server: Some(server),
        shutdown: Some(shutdown),
        stop,
        watcher: Some(watcher_thread),
    })
}

/// The URL of the preview at `addr` (an unspecified address is shown as loopback).
fn preview_url(addr: SocketAddr) -> String {
    let ip = if addr.ip().is_unspecified() { IpAddr::from([127, 0, 0, 1]) } else { addr.ip() };
    format!("http://{}/", SocketAddr::new(ip, addr.port()))
}

/// A start value for generations that differs between server runs.
fn generation_seed() -> u64 {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos() as u64)
        .unwrap_or(0);
    nanos & 0xffff_ffff_ffff
}

/// Bind `port`, or the next of `tries` ports when it is taken.
fn bind(ip: IpAddr, port: u16, tries: u16) -> Result<TcpListener> {
    let mut last = None;
    for offset in 0..=tries {
        let Some(p) = port.checked_add(offset) else { break };
        match TcpListener::bind((ip, p)) {
            Ok(listener) => {
                listener.set_nonblocking(true).map_err(|e| Error::io("bind", "socket", e))?;
                return Ok(listener);
            }
            Err(e) if e.kind() == std::io::ErrorKind::AddrInUse && port != 0 => last = Some(e),
            Err(e) => return Err(Error::io("bind", SocketAddr::new(ip, p).to_string(), e)),
        }
    }
    let e = last.unwrap_or_else(|| std::io::Error::from(std::io::ErrorKind::AddrInUse));
    let last_port = port.saturating_add(tries);
    Err(Error::Usage(format!(
        "ports {port} to {last_port} on {ip} are all in use ({e}); pass `--port` to choose another"
    )))
}

/// Rebuilds the site into memory for the server.
struct Rebuilder {
    shared: Arc<Shared>,
    options: BuildOptions,
    report: Option<Report>,
    seen: watch::SeenWarnings,
}

impl Rebuilder {
    /// Build into memory and install the result, or record the failure; `what` says why and
    /// `changed` what changed (the session decides how little that may redo).
    fn run(&mut self, what: &str, changed: Changed<'_>) {
        let started = Instant::now();
        // Held until the new snapshot is served: the status page is made from the same build.
        let mut session = self.shared.status.session();
        let previous = self.shared.snapshot();
        let result = session.render(&self.options, changed).and_then(|r| {
            let (snapshot, changed) = match r.partial {
                true => Snapshot::with_outputs(r.outputs, &r.removed, &previous)?,
                false => Snapshot::from_outputs(r.outputs, &previous)?,
            };
            Ok((snapshot, changed, r.report.diagnostics))
        });
        match result {
            Ok((snapshot, changed, warnings)) => {
                let count = snapshot.files.len();
                self.shared.status.rebuilt();
                self.shared.install(snapshot, &changed);
                drop(session);
                if let Some(Report(report)) = &self.report {
                    report(Rebuilt::Built {
                        what,
                        elapsed: started.elapsed(),
                        changed: changed.len(),
                        files: count,
                        fresh: &self.seen.fresh(&warnings),
                        warnings: warnings.warning_count(),
                    });
                }
            }
            Err(error) => {
                drop(session);
                self.shared.fail(plain_error(&error, &self.options.root));
                if let Some(Report(report)) = &self.report {
                    report(Rebuilt::Failed { what, error });
                }
            }
        }
    }
}

/// An error as plain text (no colour) for the browser overlay.
fn plain_error(err: &Error, root: &Path) -> String {
    match err {
        Error::Content(diags) => plain_diagnostics(diags, root),
        other => format!("error: {other}\n"),
    }
}

fn plain_diagnostics(diags: &Diagnostics, root: &Path) -> String {
    diags
        .iter()
        .filter(|d| d.is_error())
        .map(|d| {
            let source = d.location.as_ref().and_then(|l| std::fs::read_to_string(root.join(&l.file)).ok());
            diagnostics::render_human(d, source.as_deref(), false)
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Longest a client may take to send a request head; a slower one is disconnected (it never
/// holds up other requests: each connection is its own task).
pub const HEADER_READ_TIMEOUT: Duration = Duration::from_secs(10);
/// Largest request head (request line and headers) accepted; a larger one gets 431.
pub const MAX_REQUEST_HEAD: usize = 64 * 1024;

async fn serve_http(listener: TcpListener, shared: Arc<Shared>, mut shutdown: oneshot::Receiver<()>) {
    let listener = match tokio::net::TcpListener::from_std(listener) {
        Ok(l) => l,
        Err(e) => {
            eprintln!("error: could not serve: {e}");
            return;
        }
    };
    let app = Router::new().route(EVENTS_PATH, get(events)).fallback(serve_file).with_state(shared);
    // `axum::serve` cannot set hyper's limits, so connections are served here.
    let (closing, closing_rx) = tokio::sync::watch::channel(());
    let mut connections = tokio::task::JoinSet::new();
    loop {
        let stream = tokio::select! {
            _ = &mut shutdown => break,
            Some(_) = connections.join_next(), if !connections.is_empty() => continue,
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => stream,
                Err(_) => {
                    // Out of file descriptors and the like: wait rather than spin.
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
        };
        let _ = stream.set_nodelay(true);
        let service = hyper_util::service::TowerToHyperService::new(app.clone());
        let mut closing = closing_rx.clone();
        connections.spawn(async move {
            let mut http = hyper::server::conn::http1::Builder::new();
            http.timer(hyper_util::rt::TokioTimer::new())
                .header_read_timeout(HEADER_READ_TIMEOUT)
                .max_header_size(MAX_REQUEST_HEAD);
            let connection = http.serve_connection(hyper_util::rt::TokioIo::new(stream), service);
            let mut connection = std::pin::pin!(connection);
            tokio::select! {
                _ = connection.as_mut() => {}
                _ = closing.changed() => {
                    connection.as_mut().graceful_shutdown();
                    let _ = connection.await;
                }
            }
        });
    }
    drop(listener);
    drop(closing);
    while connections.join_next().await.is_some() {}
}

/// The live-reload event stream: a `hello`, the current error if any, then every message.
async fn events(State(shared): State<Arc<Shared>>) -> Sse<impl Stream<Item = Result<Event, Infallible>>> {
    let rx = shared.events.subscribe();
    let mut first = vec![Event::default().event("hello").data(shared.snapshot().generation.to_string())];
    if let Some(text) = shared.error() {
        first.push(Event::default().event("error").data(&*text));
    }
    let rest = stream::unfold(rx, |mut rx| async move {
        let event = match rx.recv().await {
            // A browser that fell behind reloads, and then sees the current state.
            Ok(Message::Reload) | Err(broadcast::error::RecvError::Lagged(_)) => {
                Event::default().event("reload").data("reload")
            }
            Ok(Message::Css) => Event::default().event("css").data("css"),
            Ok(Message::Error(text)) => Event::default().event("error").data(&*text),
            Ok(Message::Shutdown) | Err(broadcast::error::RecvError::Closed) => return None,
        };
        Some((Ok(event), rx))
    });
    let all = stream::iter(first.into_iter().map(Ok)).chain(rest);
    Sse::new(all).keep_alive(KeepAlive::new().interval(Duration::from_secs(15)))
}

/// Serve a file of the current snapshot.
async fn serve_file(
    State(shared): State<Arc<Shared>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
) -> Response {
    if method != Method::GET && method != Method::HEAD {
        let mut r = plain(StatusCode::METHOD_NOT_ALLOWED, "method not allowed\n");
        r.headers_mut().insert(header::ALLOW, HeaderValue::from_static("GET, HEAD"));
        return r;
    }
    let Ok(rel) = decode_path(uri.path()) else {
        return plain(StatusCode::BAD_REQUEST, "bad request path\n");
    };
    let head = method == Method::HEAD;
    let key = if rel.is_empty() || rel.ends_with('/') { format!("{rel}index.html") } else { rel.clone() };
    if key == STATUS_PATH {
        let made = shared.clone();
        let page = tokio::task::spawn_blocking(move || made.status.page(|| made.snapshot())).await;
        if let Ok(Some(file)) = page {
            return file_response(&file, shared.snapshot().generation, StatusCode::OK, &headers, head);
        }
    } else if format!("{rel}/index.html") == STATUS_PATH {
        return redirect_to_folder(&uri);
    }
    let snapshot = shared.snapshot();
    if let Some(file) = snapshot.files.get(&key) {
        return file_response(file, snapshot.generation, StatusCode::OK, &headers, head);
    }
    if !rel.is_empty() && !rel.ends_with('/') && snapshot.files.contains_key(&format!("{rel}/index.html")) {
        return redirect_to_folder(&uri);
    }
    not_found(&shared, &snapshot, head)
}

/// The placeholder in the live-reload script that names the serving build's generation.
const GENERATION_PLACEHOLDER: &[u8] = b"__SIGNPOST_GENERATION__";

/// A page's bytes with the current build generation filled into its live-reload script,
/// and an ETag that changes with it (so a browser never keeps a page naming an old build).
fn stamped(file: &File, generation: u64) -> (Bytes, HeaderValue) {
    let Some(at) = file.bytes.windows(GENERATION_PLACEHOLDER.len()).position(|w| w == GENERATION_PLACEHOLDER)
    else {
        return (file.bytes.clone(), file.etag.clone());
    };
    let mut bytes = Vec::with_capacity(file.bytes.len());
    bytes.extend_from_slice(&file.bytes[..at]);
    bytes.extend_from_slice(generation.to_string().as_bytes());
    bytes.extend_from_slice(&file.bytes[at + GENERATION_PLACEHOLDER.len()..]);
    let etag = file.etag.to_str().unwrap_or("\"\"").trim_end_matches('"').to_string();
    let etag =
        HeaderValue::from_str(&format!("{etag}-g{generation:x}\"")).unwrap_or_else(|_| file.etag.clone());
    (Bytes::from(bytes), etag)
}

fn file_response(
    file: &File,
    generation: u64,
    status: StatusCode,
    request: &HeaderMap,
    head: bool,
) -> Response {
    let (bytes, etag) = stamped(file, generation);
    let fresh = status == StatusCode::OK
        && request.get(header::IF_NONE_MATCH).is_some_and(|v| {
            v.to_str().is_ok_and(|s| s.split(',').any(|t| t.trim() == etag || t.trim() == "*"))
        });
    let length = bytes.len();
    let (status, body) = match (fresh, head) {
        (true, _) => (StatusCode::NOT_MODIFIED, HttpBody::empty()),
        (false, true) => (status, HttpBody::empty()),
        (false, false) => (status, HttpBody::from(bytes)),
    };
    let mut builder = Response::builder()
        .status(status)
        .header(header::CACHE_CONTROL, "no-cache")
        .header(header::ETAG, etag)
        .header(header::X_CONTENT_TYPE_OPTIONS, "nosniff");
    if status != StatusCode::NOT_MODIFIED {
        builder =
            builder.header(header::CONTENT_TYPE, file.content_type).header(header::CONTENT_LENGTH, length);
    }
    builder.body(body).unwrap_or_else(|_| plain(StatusCode::INTERNAL_SERVER_ERROR, "response error\n"))
}

fn redirect_to_folder(uri: &Uri) -> Response {
    let mut location = format!("{}/", uri.path());
    if let Some(q) = uri.query() {
        location.push('?');
        location.push_str(q);
    }
    match HeaderValue::from_str(&location) {
        Ok(value) => {
            let mut r = (StatusCode::MOVED_PERMANENTLY, "").into_response();
            r.headers_mut().insert(header::LOCATION, value);
            r.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
            r
        }
        Err(_) => plain(StatusCode::BAD_REQUEST, "bad request path\n"),
    }
}

/// The site's `404.html` with status 404; while no build has succeeded, a page that shows the errors.
fn not_found(shared: &Shared, snapshot: &Snapshot, head: bool) -> Response {
    if let Some(file) = snapshot.files.get("404.html") {
        return file_response(file, snapshot.generation, StatusCode::NOT_FOUND, &HeaderMap::new(), head);
    }
    if snapshot.files.is_empty() && shared.error().is_some() {
        let page = inject_reload_script(
            b"<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Build failed</title></head>\
              <body><h1>The site could not be built</h1><p>Fix the errors and this page reloads.</p></body></html>",
        );
        let file = new_file("index.html", Bytes::from(page), 0);
        return file_response(
            &file,
            snapshot.generation,
            StatusCode::SERVICE_UNAVAILABLE,
            &HeaderMap::new(),
            head,
        );
    }
    plain(StatusCode::NOT_FOUND, "not found\n")
}

fn plain(status: StatusCode, text: &'static str) -> Response {
    let mut r = (status, text).into_response();
    r.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    r
}

/// Open `url` in the desktop's browser (best effort).
pub fn open_browser(url: &str) -> std::io::Result<()> {
    let mut command = if cfg!(target_os = "macos") {
        std::process::Command::new("open")
    } else if cfg!(windows) {
        let mut c = std::process::Command::new("cmd");
        c.args(["/C", "start", ""]);
        c
    } else {
        std::process::Command::new("xdg-open")
    };
    command
        .arg(url)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .map(|_| ())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_safe_paths() {
        assert_eq!(decode_path("/").unwrap(), "");
        assert_eq!(decode_path("/faq/").unwrap(), "faq/");
        assert_eq!(decode_path("/caf%C3%A9/a%20b.html").unwrap(), "café/a b.html");
        assert_eq!(decode_path("/a%252e%252e/").unwrap(), "a%2e%2e/", "decoded once only");
    }

    #[test]
    fn rejects_dangerous_paths() {
        for bad in [
            "/../Cargo.toml",
            "/a/../../x",
            "/%2e%2e/x",
            "/%2E%2E/x",
            "/.%2e/x",
            "/a%2fb",
            "/a%2F..%2Fb",
            "/a%5cb",
            "/a\\b",
            "/%00",
            "/a%00.html",
            "/%ff",
            "/%zz",
            "/%",
            "/./x",
            "relative",
        ] {
            assert_eq!(decode_path(bad), Err(BadPath::Rejected), "{bad}");
        }
    }

    #[test]
    fn content_types() {
        assert_eq!(content_type("a/index.html"), "text/html; charset=utf-8");
        assert_eq!(content_type("style.CSS"), "text/css; charset=utf-8");
        assert_eq!(content_type("sitemap.xml"), "application/xml");
        assert_eq!(content_type("font.woff2"), "font/woff2");
        assert_eq!(content_type("README"), "application/octet-stream");
    }

    #[test]
    fn injects_before_the_last_body_end() {
        let out = String::from_utf8(inject_reload_script(b"<body><p>x</p></BODY></html>")).unwrap();
        assert!(out.starts_with("<body><p>x</p><script>"), "{out}");
        assert!(out.ends_with("</script>\n</BODY></html>"));
        let out = String::from_utf8(inject_reload_script(b"<p>fragment</p>")).unwrap();
        assert!(out.starts_with("<p>fragment</p><script>"));
    }

    fn bytes(path: &str, text: &str) -> Output {
        Output { path: path.into(), body: Body::Bytes(text.as_bytes().to_vec()) }
    }

    #[test]
    fn snapshots_reuse_unchanged_files_and_list_changes() {
        let (first, changed) = Snapshot::from_outputs(
            vec![bytes("index.html", "A"), bytes("style.css", "x")],
            &Snapshot::default(),
        )
        .unwrap();
        assert_eq!(changed, ["index.html", "style.css"]);
        let (second, changed) =
            Snapshot::from_outputs(vec![bytes("index.html", "A"), bytes("style.css", "y")], &first).unwrap();
        assert_eq!(changed, ["style.css"]);
        assert_eq!(second.files["index.html"].etag, first.files["index.html"].etag);
        assert_ne!(second.files["style.css"].etag, first.files["style.css"].etag);
        let (third, changed) = Snapshot::from_outputs(vec![bytes("index.html", "A")], &second).unwrap();
        assert_eq!(changed, ["style.css"], "a removed file counts as changed");
        assert_eq!(third.generation, second.generation + 1);
        let (fourth, changed) = Snapshot::from_outputs(vec![bytes("index.html", "A")], &third).unwrap();
        assert!(changed.is_empty());
        assert_eq!(fourth.generation, third.generation);
    }
}
