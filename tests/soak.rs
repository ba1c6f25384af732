//! A bounded soak of the preview server, in process: many concurrent clients while pages are
//! edited, live-reload connections opened and dropped by the thousand, slow and oversized
//! requests. `scripts/soak` does the same at scale against the release binary with `wrk`.
//!
//! Every wait is bounded and generous for a loaded two-core machine; each test takes seconds.

mod common;

use common::{copy_dir, eventually};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use signpost::serve::{self, Handle, ServeOptions};

/// How long one HTTP exchange may take.
const IO_WAIT: Duration = Duration::from_secs(10);
/// How long an edit may take to show.
const CHANGE_WAIT: Duration = Duration::from_secs(10);

const SITE_YAML: &str =
    "title: Soak\ndescription: Soak test site.\nbase_url: https://example.gov/\nlanguage: en\n";
const HOME: &str = "---\ntitle: Soak\ndescription: Home.\n---\n\nSee [apply](apply.md).\n";

fn apply_page(marker: &str) -> String {
    format!("---\ntitle: Apply\ndescription: How to apply.\n---\n\nCurrent text: {marker}.\n")
}

/// A tiny site built from the default theme, served on a free port.
struct Site {
    dir: tempfile::TempDir,
    handle: Handle,
}

impl Site {
    fn new() -> Site {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        copy_dir(&Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default"), &root.join("themes/default"));
        std::fs::create_dir_all(root.join("content")).unwrap();
        std::fs::write(root.join("site.yaml"), SITE_YAML).unwrap();
        std::fs::write(root.join("content/_index.md"), HOME).unwrap();
        std::fs::write(root.join("content/apply.md"), apply_page("marker-0")).unwrap();
        let handle = serve::start(ServeOptions::new(root)).expect("the server starts");
        Site { dir, handle }
    }

    fn addr(&self) -> SocketAddr {
        self.handle.addr()
    }

    /// Save `content/apply.md` the way editors do: a temporary file renamed over it.
    fn edit_apply(&self, marker: &str) {
        let tmp = self.dir.path().join("content/apply.md.saving~");
        std::fs::write(&tmp, apply_page(marker)).unwrap();
        std::fs::rename(tmp, self.dir.path().join("content/apply.md")).unwrap();
    }
}

fn connect(addr: SocketAddr) -> std::io::Result<TcpStream> {
    let stream = TcpStream::connect_timeout(&addr, IO_WAIT)?;
    stream.set_read_timeout(Some(IO_WAIT))?;
    stream.set_write_timeout(Some(IO_WAIT))?;
    Ok(stream)
}

/// Send a keep-alive GET and read the response (status and body, by `Content-Length`).
fn get_on(reader: &mut BufReader<TcpStream>, path: &str) -> std::io::Result<(u16, Vec<u8>)> {
    let request = format!("GET {path} HTTP/1.1\r\nHost: soak\r\n\r\n");
    reader.get_mut().write_all(request.as_bytes())?;
    let mut status_line = String::new();
    if reader.read_line(&mut status_line)? == 0 {
        return Err(std::io::ErrorKind::UnexpectedEof.into());
    }
    let status: u16 = status_line
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| std::io::Error::other(format!("bad status line {status_line:?}")))?;
    let mut length = 0usize;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line)? == 0 {
            return Err(std::io::ErrorKind::UnexpectedEof.into());
        }
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some((name, value)) = line.split_once(':')
            && name.eq_ignore_ascii_case("content-length")
        {
            length = value.trim().parse().map_err(std::io::Error::other)?;
        }
    }
    let mut body = vec![0; length];
    reader.read_exact(&mut body)?;
    Ok((status, body))
}

/// One GET on a fresh connection.
fn get(addr: SocketAddr, path: &str) -> std::io::Result<(u16, String)> {
    let mut reader = BufReader::new(connect(addr)?);
    let (status, body) = get_on(&mut reader, path)?;
    Ok((status, String::from_utf8_lossy(&body).into_owned()))
}

#[test]
fn two_hundred_clients_while_a_page_is_edited_twenty_times() {
    const CLIENTS: usize = 200;
    const EDITS: usize = 20;
    let site = Site::new();
    let addr = site.addr();
    assert!(eventually(CHANGE_WAIT, || get(addr, "/apply/")
        .is_ok_and(|(s, b)| s == 200 && b.contains("marker-0"))));

    let stop = Arc::new(AtomicBool::new(false));
    let done = Arc::new(AtomicUsize::new(0));
    let failures = Arc::new(std::sync::Mutex::new(Vec::<String>::new()));
    let clients: Vec<_> = (0..CLIENTS)
        .map(|i| {
            let (stop, done, failures) = (stop.clone(), done.clone(), failures.clone());
            std::thread::Builder::new()
                .stack_size(256 * 1024)
                .spawn(move || {
                    let path = if i % 2 == 0 { "/apply/" } else { "/" };
                    let mut reader = match connect(addr) {
                        Ok(s) => BufReader::new(s),
                        Err(e) => return failures.lock().unwrap().push(format!("connect: {e}")),
                    };
                    let mut sent = 0;
                    // Every client completes a few requests even if the load is slow to start.
                    while sent < 3 || !stop.load(Ordering::Relaxed) {
                        match get_on(&mut reader, path) {
                            Ok((status, _)) if (200..400).contains(&status) => {
                                done.fetch_add(1, Ordering::Relaxed);
                            }
                            Ok((status, _)) => {
                                failures.lock().unwrap().push(format!("{path}: status {status}"))
                            }
                            Err(e) => return failures.lock().unwrap().push(format!("{path}: {e}")),
                        }
                        sent += 1;
                    }
                })
                .unwrap()
        })
        .collect();

    for n in 1..=EDITS {
        std::thread::sleep(Duration::from_millis(100));
        site.edit_apply(&format!("marker-{n}"));
    }
    let last = format!("marker-{EDITS}");
    let shown = eventually(CHANGE_WAIT, || get(addr, "/apply/").is_ok_and(|(_, b)| b.contains(&last)));
    stop.store(true, Ordering::Relaxed);
    for client in clients {
        client.join().unwrap();
    }
    let failures = failures.lock().unwrap();
    assert!(
        failures.is_empty(),
        "{} failed requests, e.g. {:?}",
        failures.len(),
        &failures[..failures.len().min(5)]
    );
    assert!(done.load(Ordering::Relaxed) >= CLIENTS * 3, "{} requests", done.load(Ordering::Relaxed));
    assert!(shown, "the last edit shows within {CHANGE_WAIT:?}");
    // And stays: no later request sees an older version.
    for _ in 0..10 {
        let (status, body) = get(addr, "/apply/").unwrap();
        assert_eq!(status, 200);
        assert!(body.contains(&last), "a stale page after the last edit");
    }
}

/// Open the live-reload stream and read up to its `hello` event.
fn open_events(addr: SocketAddr) -> std::io::Result<TcpStream> {
    let mut stream = connect(addr)?;
    stream
        .write_all(b"GET /__signpost/events HTTP/1.1\r\nHost: soak\r\nAccept: text/event-stream\r\n\r\n")?;
    let mut seen = Vec::new();
    let mut chunk = [0u8; 1024];
    while !String::from_utf8_lossy(&seen).contains("event: hello") {
        let n = stream.read(&mut chunk)?;
        if n == 0 {
            return Err(std::io::ErrorKind::UnexpectedEof.into());
        }
        seen.extend_from_slice(&chunk[..n]);
    }
    Ok(stream)
}

#[test]
fn live_reload_connections_are_released_after_thousands_of_reconnects() {
    const HELD: usize = 50;
    const CHURN: usize = 2_000;
    const THREADS: usize = 4;
    let site = Site::new();
    let addr = site.addr();

    // The counter sees open streams...
    let held: Vec<TcpStream> = (0..HELD).map(|_| open_events(addr).unwrap()).collect();
    assert!(eventually(Duration::from_secs(2), || site.handle.live_reload_connections() == HELD));
    drop(held);
    // ...and their closing.
    assert!(
        eventually(Duration::from_secs(2), || site.handle.live_reload_connections() == 0),
        "{} still open",
        site.handle.live_reload_connections()
    );

    let workers: Vec<_> = (0..THREADS)
        .map(|_| {
            std::thread::spawn(move || {
                for _ in 0..CHURN / THREADS {
                    drop(open_events(addr).expect("a live-reload connection opens"));
                }
            })
        })
        .collect();
    for worker in workers {
        worker.join().unwrap();
    }
    assert!(
        eventually(Duration::from_secs(2), || site.handle.live_reload_connections() == 0),
        "{} live-reload connections left after {CHURN} reconnects",
        site.handle.live_reload_connections()
    );
    let (status, _) = get(addr, "/").unwrap();
    assert_eq!(status, 200);
}

#[test]
fn a_slow_client_does_not_hold_up_others() {
    let site = Site::new();
    let addr = site.addr();
    let request = b"GET / HTTP/1.1\r\nHost: soak\r\nConnection: close\r\n\r\n";
    let mut slow = connect(addr).unwrap();
    let trickle = std::thread::spawn(move || {
        // One byte every 100 ms: about five seconds for the whole head.
        for byte in request {
            if slow.write_all(&[*byte]).is_err() {
                return None;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        let mut reply = Vec::new();
        let _ = slow.read_to_end(&mut reply);
        Some(reply)
    });
    std::thread::sleep(Duration::from_millis(300));
    for _ in 0..5 {
        let started = Instant::now();
        let (status, body) = get(addr, "/").unwrap();
        assert_eq!(status, 200);
        assert!(body.contains("Soak"));
        assert!(started.elapsed() < Duration::from_secs(3), "a request waited {:?}", started.elapsed());
        assert!(!trickle.is_finished(), "the slow client is still sending");
    }
    // Slow but within the header time limit: it is answered too.
    let reply = trickle.join().unwrap().expect("the slow client could send");
    assert!(reply.starts_with(b"HTTP/1.1 200"), "{}", String::from_utf8_lossy(&reply[..reply.len().min(80)]));
}

#[test]
fn an_oversized_request_head_is_refused() {
    let site = Site::new();
    let addr = site.addr();
    let mut stream = connect(addr).unwrap();
    let big = "a".repeat(100 * 1024);
    let head = format!("GET / HTTP/1.1\r\nHost: soak\r\nX-Big: {big}\r\nConnection: close\r\n\r\n");
    // The server may answer and close before it has read everything: a failed write is a refusal.
    let _ = stream.write_all(head.as_bytes());
    let mut reply = Vec::new();
    let _ = stream.read_to_end(&mut reply);
    assert!(
        reply.is_empty() || reply.starts_with(b"HTTP/1.1 431"),
        "{}",
        String::from_utf8_lossy(&reply[..reply.len().min(80)])
    );
    // A head just under the limit still works, and so does the server.
    let fine = "a".repeat(serve::MAX_REQUEST_HEAD / 2);
    let mut reader = BufReader::new(connect(addr).unwrap());
    let request = format!("GET / HTTP/1.1\r\nHost: soak\r\nX-Fine: {fine}\r\n\r\n");
    reader.get_mut().write_all(request.as_bytes()).unwrap();
    let mut status = String::new();
    reader.read_line(&mut status).unwrap();
    assert!(status.starts_with("HTTP/1.1 200"), "{status}");
    assert_eq!(get(addr, "/").unwrap().0, 200);
}
