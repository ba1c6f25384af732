//! Shared helpers for the end-to-end tests: copy a fixture site into a temporary folder
//! (with the repository's theme linked in), run the real `signpost` binary on it with a
//! timeout, and read what it printed and wrote.

#![allow(dead_code)]

use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// The binary under test (cargo builds it once for all test targets).
pub const BIN: &str = env!("CARGO_BIN_EXE_signpost");

/// No single run of the binary may take longer than this.
pub const TIMEOUT: Duration = Duration::from_secs(60);

/// The repository's `tests/fixtures/` folder.
pub fn fixtures_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests").join("fixtures")
}

/// The repository's `themes/` folder.
pub fn themes_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("themes")
}

/// What one run of the binary did.
#[derive(Debug)]
pub struct Run {
    /// The command line, for failure messages.
    pub args: Vec<String>,
    /// Exit code (`None` when killed by a signal or by the timeout).
    pub code: Option<i32>,
    /// Everything printed on stdout.
    pub stdout: String,
    /// Everything printed on stderr.
    pub stderr: String,
    /// Whether the run was killed for taking longer than its timeout.
    pub timed_out: bool,
    /// Wall time.
    pub elapsed: Duration,
}

impl Run {
    /// A description for assertion messages.
    pub fn describe(&self) -> String {
        format!(
            "signpost {}\n  exit code: {:?}{}\n--- stdout ---\n{}\n--- stderr ---\n{}",
            self.args.join(" "),
            self.code,
            if self.timed_out { " (timed out)" } else { "" },
            self.stdout,
            self.stderr
        )
    }

    /// Assert the exit code (and that nothing panicked).
    #[track_caller]
    pub fn assert_code(&self, code: i32) -> &Self {
        self.assert_no_panic();
        assert_eq!(self.code, Some(code), "unexpected exit code\n{}", self.describe());
        self
    }

    /// Assert exit code 0.
    #[track_caller]
    pub fn assert_success(&self) -> &Self {
        self.assert_code(0)
    }

    /// Assert the process ended by itself (no timeout, no signal, no panic, no stack overflow).
    #[track_caller]
    pub fn assert_no_panic(&self) -> &Self {
        assert!(!self.timed_out, "signpost did not finish within its timeout\n{}", self.describe());
        assert!(self.code.is_some(), "signpost was killed by a signal\n{}", self.describe());
        assert!(!self.stderr.contains("panicked"), "signpost panicked\n{}", self.describe());
        assert!(!self.stderr.contains("overflowed its stack"), "stack overflow\n{}", self.describe());
        self
    }

    /// Assert stderr contains `needle`.
    #[track_caller]
    pub fn assert_stderr_contains(&self, needle: &str) -> &Self {
        assert!(self.stderr.contains(needle), "stderr does not contain {needle:?}\n{}", self.describe());
        self
    }

    /// The diagnostics printed on stderr in the human format (summary lines left out).
    pub fn diags(&self) -> Vec<Diag> {
        parse_human(&self.stderr)
    }

    /// The JSON lines printed on stdout.
    #[track_caller]
    pub fn json_lines(&self) -> Vec<serde_json::Value> {
        self.stdout
            .lines()
            .filter(|l| !l.trim().is_empty())
            .map(|l| {
                serde_json::from_str(l).unwrap_or_else(|e| {
                    panic!("stdout line is not one JSON object ({e}): {l:?}\n{}", self.describe())
                })
            })
            .collect()
    }
}

/// One diagnostic as printed in the human format.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diag {
    /// `error` or `warning`.
    pub severity: String,
    /// The text after `error: `.
    pub message: String,
    /// The text after `--> `, e.g. `content/a.md:3:7`.
    pub location: Option<String>,
    /// The texts after `hint: `.
    pub hints: Vec<String>,
}

impl Diag {
    /// An expected error.
    pub fn error(message: &str) -> Diag {
        Diag { severity: "error".into(), message: message.into(), location: None, hints: Vec::new() }
    }

    /// An expected warning.
    pub fn warning(message: &str) -> Diag {
        Diag { severity: "warning".into(), message: message.into(), location: None, hints: Vec::new() }
    }

    /// With `--> location`.
    pub fn at(mut self, location: &str) -> Diag {
        self.location = Some(location.into());
        self
    }

    /// With a `hint:` line.
    pub fn hint(mut self, hint: &str) -> Diag {
        self.hints.push(hint.into());
        self
    }
}

fn is_summary(severity: &str, message: &str) -> bool {
    if severity == "error"
        && (message.starts_with("the site has ")
            || message.starts_with("站点有 ")
            || message.starts_with("could not build the site:"))
    {
        return true;
    }
    if severity == "warning" {
        let mut words = message.split_whitespace();
        let number = words.next().is_some_and(|w| w.chars().all(|c| c.is_ascii_digit()));
        // `2 warnings`, or on a Chinese site `2 个警告`.
        let word = words.next().is_some_and(|w| w == "warning" || w == "warnings" || w == "个警告");
        return number && word && words.next().is_none();
    }
    false
}

/// Parse rustc-style diagnostics: `error: msg`, `  --> file:L:C`, snippet lines, `hint: ...`.
pub fn parse_human(stderr: &str) -> Vec<Diag> {
    let mut out: Vec<Diag> = Vec::new();
    for line in stderr.lines() {
        let header = ["error", "warning"]
            .iter()
            .find_map(|sev| line.strip_prefix(&format!("{sev}: ")).map(|msg| (*sev, msg)));
        if let Some((severity, message)) = header {
            if is_summary(severity, message) {
                continue;
            }
            out.push(Diag {
                severity: severity.to_string(),
                message: message.to_string(),
                location: None,
                hints: Vec::new(),
            });
            continue;
        }
        let Some(current) = out.last_mut() else { continue };
        if let Some(loc) = line.trim_start().strip_prefix("--> ") {
            if current.location.is_none() {
                current.location = Some(loc.trim_end().to_string());
            }
        } else if let Some(hint) = line.strip_prefix("hint: ") {
            current.hints.push(hint.to_string());
        }
    }
    out
}

/// Run the binary in `cwd` with `args`, extra environment, and a timeout.
pub fn run_with(cwd: &Path, args: &[&str], env: &[(&str, &str)], timeout: Duration) -> Run {
    let mut cmd = Command::new(BIN);
    cmd.args(args)
        .current_dir(cwd)
        .env("NO_COLOR", "1")
        // Caches go beside the test site, not into the user's cache.
        .env("SIGNPOST_CACHE_DIR", cwd.join(".signpost-test-cache"))
        .env_remove("RAYON_NUM_THREADS")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for (k, v) in env {
        cmd.env(k, v);
    }
    let started = Instant::now();
    let mut child = cmd.spawn().expect("the signpost binary starts");
    let mut stdout = child.stdout.take().expect("piped stdout");
    let mut stderr = child.stderr.take().expect("piped stderr");
    let out_reader = std::thread::spawn(move || {
        let mut buf = Vec::new();
        let _ = stdout.read_to_end(&mut buf);
        buf
    });
    let err_reader = std::thread::spawn(move || {
        let mut buf = Vec::new();
        let _ = stderr.read_to_end(&mut buf);
        buf
    });
    let mut timed_out = false;
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait for signpost") {
            break status;
        }
        if started.elapsed() > timeout {
            timed_out = true;
            let _ = child.kill();
            break child.wait().expect("wait for killed signpost");
        }
        std::thread::sleep(Duration::from_millis(5));
    };
    let elapsed = started.elapsed();
    let stdout = String::from_utf8_lossy(&out_reader.join().unwrap_or_default()).into_owned();
    let stderr = String::from_utf8_lossy(&err_reader.join().unwrap_or_default()).into_owned();
    Run {
        args: args.iter().map(|s| s.to_string()).collect(),
        code: if timed_out { None } else { status.code() },
        stdout,
        stderr,
        timed_out,
        elapsed,
    }
}

/// Run the binary in `cwd` with the default timeout.
pub fn run_in(cwd: &Path, args: &[&str]) -> Run {
    run_with(cwd, args, &[], TIMEOUT)
}

/// A path as `&str` (temporary folders have UTF-8 paths).
pub fn s(path: &Path) -> &str {
    path.to_str().expect("UTF-8 temporary path")
}

/// Copy a folder tree.
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// Make the repository's themes available under `root/themes`: copied, since the build
/// refuses symlinks that lead out of the site.
pub fn link_themes(root: &Path) {
    copy_dir(&themes_dir(), &root.join("themes"));
}

/// A site in a temporary folder: `<tmp>/site` is the root; `<tmp>` holds scratch folders.
pub struct Site {
    dir: tempfile::TempDir,
    /// The site root.
    pub root: PathBuf,
}

impl Site {
    /// Copy `tests/fixtures/<name>` into a new temporary folder and link the theme in.
    pub fn fixture(name: &str) -> Site {
        let site = Site::bare();
        let from = fixtures_dir().join(name);
        assert!(from.join("site.yaml").is_file(), "fixture {name} has a site.yaml");
        copy_dir(&from, &site.root);
        link_themes(&site.root);
        site
    }

    /// An empty temporary folder with no site in it yet (`root` does not exist).
    pub fn bare() -> Site {
        let dir = tempfile::tempdir().expect("temporary folder");
        let base = dir.path().canonicalize().expect("canonical temporary folder");
        Site { dir, root: base.join("site") }
    }

    /// A path beside the site root, inside the temporary folder.
    pub fn scratch(&self, name: &str) -> PathBuf {
        self.dir.path().canonicalize().unwrap().join(name)
    }

    /// A path inside the site root.
    pub fn path(&self, rel: &str) -> PathBuf {
        self.root.join(rel)
    }

    /// Write a text file inside the site (creating folders).
    pub fn write(&self, rel: &str, text: &str) {
        self.write_bytes(rel, text.as_bytes());
    }

    /// Write bytes inside the site (creating folders).
    pub fn write_bytes(&self, rel: &str, bytes: &[u8]) {
        let path = self.path(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, bytes).unwrap();
    }

    /// Delete a file inside the site.
    pub fn remove(&self, rel: &str) {
        std::fs::remove_file(self.path(rel)).unwrap();
    }

    /// Run `signpost <args>` with the site root as the current folder.
    pub fn run(&self, args: &[&str]) -> Run {
        run_in(&self.root, args)
    }

    /// `signpost build --root ROOT <extra>` (from the temporary folder).
    pub fn build(&self, extra: &[&str]) -> Run {
        self.build_env(extra, &[])
    }

    /// `signpost build --root ROOT <extra>` with extra environment variables.
    pub fn build_env(&self, extra: &[&str], env: &[(&str, &str)]) -> Run {
        let mut args = vec!["build", "--root", s(&self.root)];
        args.extend_from_slice(extra);
        run_with(&self.scratch(""), &args, env, TIMEOUT)
    }

    /// `signpost check --root ROOT <extra>`.
    pub fn check(&self, extra: &[&str]) -> Run {
        let mut args = vec!["check", "--root", s(&self.root)];
        args.extend_from_slice(extra);
        run_in(&self.scratch(""), &args)
    }

    /// The default output folder.
    pub fn public(&self) -> PathBuf {
        self.root.join("public")
    }

    /// Read a file of the default output folder as text.
    #[track_caller]
    pub fn output(&self, rel: &str) -> String {
        read(&self.public().join(rel))
    }
}

/// Read a text file, with a clear message when it is missing.
#[track_caller]
pub fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}

/// Every file (with its bytes) and folder (as `dir/` with no bytes) under `dir`.
pub fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    for entry in walkdir::WalkDir::new(dir).sort_by_file_name().min_depth(1) {
        let entry = entry.expect("walk output folder");
        let rel = entry.path().strip_prefix(dir).unwrap();
        let rel = rel.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/");
        if entry.file_type().is_dir() {
            out.insert(format!("{rel}/"), Vec::new());
        } else {
            out.insert(rel, std::fs::read(entry.path()).unwrap());
        }
    }
    out
}

/// Assert two trees are identical, naming the first difference.
#[track_caller]
pub fn assert_same_tree(a: &BTreeMap<String, Vec<u8>>, b: &BTreeMap<String, Vec<u8>>, what: &str) {
    let only_a: Vec<&String> = a.keys().filter(|k| !b.contains_key(*k)).collect();
    let only_b: Vec<&String> = b.keys().filter(|k| !a.contains_key(*k)).collect();
    assert!(
        only_a.is_empty() && only_b.is_empty(),
        "{what}: files differ: only in first {only_a:?}, only in second {only_b:?}"
    );
    for (path, bytes) in a {
        if &b[path] != bytes {
            let first = bytes
                .iter()
                .zip(&b[path])
                .position(|(x, y)| x != y)
                .unwrap_or(bytes.len().min(b[path].len()));
            let ctx = |v: &[u8]| {
                String::from_utf8_lossy(&v[first.saturating_sub(60)..(first + 60).min(v.len())]).into_owned()
            };
            panic!(
                "{what}: `{path}` differs at byte {first}\n first: {:?}\nsecond: {:?}",
                ctx(bytes),
                ctx(&b[path])
            );
        }
    }
}

/// Files (not folders) of a tree whose text contains `needle`.
pub fn files_containing(tree: &BTreeMap<String, Vec<u8>>, needle: &str) -> Vec<String> {
    tree.iter()
        .filter(|(_, bytes)| String::from_utf8_lossy(bytes).contains(needle))
        .map(|(path, _)| path.clone())
        .collect()
}

/// All `href="..."` values in an HTML text.
pub fn hrefs(html: &str) -> Vec<String> {
    attr_values(html, "href")
}

/// All values of `name="..."` in an HTML text.
pub fn attr_values(html: &str, name: &str) -> Vec<String> {
    let pattern = format!(" {name}=\"");
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(i) = rest.find(&pattern) {
        rest = &rest[i + pattern.len()..];
        if let Some(end) = rest.find('"') {
            out.push(rest[..end].to_string());
            rest = &rest[end..];
        }
    }
    out
}

/// The text from the first occurrence of `start` up to the next `end` (inclusive).
#[track_caller]
pub fn between<'a>(text: &'a str, start: &str, end: &str) -> &'a str {
    let i = text.find(start).unwrap_or_else(|| panic!("{start:?} not found"));
    let j = text[i..].find(end).map(|j| i + j + end.len()).unwrap_or(text.len());
    &text[i..j]
}

/// Poll until `check` holds, for at most `wait`.
pub fn eventually(wait: Duration, mut check: impl FnMut() -> bool) -> bool {
    let deadline = Instant::now() + wait;
    loop {
        if check() {
            return true;
        }
        if Instant::now() > deadline {
            return false;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}
