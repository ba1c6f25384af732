//! Never lose or leak: what reaches the output folder (and what sits in it while `watch`
//! runs) is exactly the published site; nothing outside the site is followed into it.

mod common;

use std::path::Path;

use common::{Site, tree};
use signpost::build::{self, BuildOptions};
use signpost::session::Session;

/// Every file below `dir`, hidden ones included, with its bytes.
fn everything_below(dir: &Path) -> Vec<(String, Vec<u8>)> {
    walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
        .map(|e| (e.path().display().to_string(), std::fs::read(e.path()).unwrap()))
        .collect()
}

#[cfg(unix)]
#[test]
fn symlinks_out_of_the_site_are_refused_in_every_folder_the_build_reads() {
    let site = Site::fixture("basic");
    let outside = site.scratch("outside");
    std::fs::create_dir_all(&outside).unwrap();
    std::fs::write(outside.join("shadow"), "root:secret-hash:").unwrap();
    std::fs::create_dir_all(site.path("static")).unwrap();
    std::fs::create_dir_all(site.path("templates")).unwrap();
    std::os::unix::fs::symlink(&outside, site.path("static/etcdir")).unwrap();
    std::os::unix::fs::symlink(outside.join("shadow"), site.path("static/shadow.txt")).unwrap();
    std::os::unix::fs::symlink(&outside, site.path("content/guides/linked")).unwrap();
    std::os::unix::fs::symlink(&outside, site.path("themes/default/static/theme-link")).unwrap();
    std::os::unix::fs::symlink(outside.join("shadow"), site.path("templates/x.html")).unwrap();
    let run = site.build(&[]);
    run.assert_code(1);
    for link in [
        "static/etcdir",
        "static/shadow.txt",
        "content/guides/linked",
        "themes/default/static/theme-link",
        "templates/x.html",
    ] {
        let named = run.diags().iter().any(|d| d.severity == "error" && d.message.contains(link));
        assert!(named, "no error naming {link}\n{}", run.describe());
    }
    // `--force`-free folder, and nothing of the outside anywhere.
    let public = site.public();
    assert!(!public.exists() || everything_below(&public).iter().all(|(_, b)| !b.starts_with(b"root:")));

    // A link that stays inside the site is fine.
    for link in ["static/etcdir", "static/shadow.txt", "content/guides/linked"] {
        std::fs::remove_file(site.path(link)).unwrap();
    }
    std::fs::remove_file(site.path("themes/default/static/theme-link")).unwrap();
    std::fs::remove_file(site.path("templates/x.html")).unwrap();
    std::os::unix::fs::symlink(site.path("content/files"), site.path("static/files-again")).unwrap();
    site.build(&[]).assert_success();
    assert!(site.public().join("files-again/form.pdf").is_file());
}

#[cfg(unix)]
#[test]
fn copies_never_grant_more_than_their_source() {
    use std::os::unix::fs::PermissionsExt as _;
    let site = Site::fixture("basic");
    site.write("static/private.txt", "owner only");
    site.write("static/public.txt", "anyone");
    let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    std::fs::set_permissions(site.path("static/private.txt"), std::fs::Permissions::from_mode(0o600))
        .unwrap();
    std::fs::set_permissions(site.path("content/files/form.pdf"), std::fs::Permissions::from_mode(0o640))
        .unwrap();
    site.build(&[]).assert_success();
    assert_eq!(mode(&site.public().join("private.txt")), 0o600);
    assert_eq!(mode(&site.public().join("files/form.pdf")), 0o640 & mode(&site.public().join("public.txt")));
    // Also when the file is staged over an earlier build's.
    site.write("static/private.txt", "owner only, changed");
    std::fs::set_permissions(site.path("static/private.txt"), std::fs::Permissions::from_mode(0o600))
        .unwrap();
    site.build(&[]).assert_success();
    assert_eq!(mode(&site.public().join("private.txt")), 0o600);
}

#[test]
fn a_bundle_s_files_follow_its_page() {
    let site = Site::fixture("basic");
    let fronts = [
        ("draft", "draft: true"),
        ("future", "publish_at: 2999-01-01"),
        ("expired", "expire_at: 2001-01-01"),
        ("gone", "status: gone"),
        ("live", "status: published"),
    ];
    for (name, line) in fronts {
        site.write(
            &format!("content/{name}/index.md"),
            &format!("---\ntitle: {name}\n{line}\n---\n\nText.\n"),
        );
        site.write(&format!("content/{name}/form.pdf"), &format!("%PDF {name}"));
        site.write(&format!("content/{name}/sub/deeper.txt"), name);
    }
    site.build(&[]).assert_success();
    let public = site.public();
    for (name, _) in fronts {
        let published = name == "live";
        assert_eq!(public.join(format!("{name}/form.pdf")).exists(), published, "{name}");
        assert_eq!(public.join(format!("{name}/sub/deeper.txt")).exists(), published, "{name}");
    }
    site.build(&["--drafts"]).assert_success();
    assert!(public.join("draft/form.pdf").is_file(), "drafts included, their files too");
}

/// Keep the caches of library builds in a folder of this test binary, not the user's.
fn keep_caches_apart() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        // Cargo's scratch folder for integration tests: one folder, reused, never left in /tmp.
        let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("safety-cache");
        // SAFETY: set once, before this binary's first library build reads the environment.
        unsafe { std::env::set_var("SIGNPOST_CACHE_DIR", dir) };
    });
}

/// A site for series of builds through the library, as `watch` runs them.
struct Series {
    _dir: tempfile::TempDir,
    root: std::path::PathBuf,
    output: std::path::PathBuf,
    session: Session,
}

impl Series {
    fn new(pages: &[(&str, &str)]) -> Series {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("site");
        let write = |rel: &str, text: &str| {
            let path = root.join(rel);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        };
        write("site.yaml", "title: Test\nbase_url: https://x.gov/\n");
        write("content/_index.md", "---\ntitle: Home\n---\nWelcome.\n");
        for (rel, text) in pages {
            write(rel, text);
        }
        let output = dir.path().join("public");
        let mut series = Series { _dir: dir, root, output, session: Session::default() };
        series.rebuild(None).unwrap();
        series
    }

    fn options(&self) -> BuildOptions {
        BuildOptions { root: self.root.clone(), output: Some(self.output.clone()), ..BuildOptions::default() }
    }

    fn write(&self, rel: &str, text: &str) {
        std::fs::write(self.root.join(rel), text).unwrap();
    }

    fn rebuild(&mut self, changed: Option<&[String]>) -> signpost::error::Result<build::BuildReport> {
        let options = self.options();
        self.session.build(&options, changed)
    }

    fn clean_build(&self) -> std::collections::BTreeMap<String, Vec<u8>> {
        let out = self._dir.path().join("clean");
        let _ = std::fs::remove_dir_all(&out);
        build::build(&BuildOptions { output: Some(out.clone()), ..self.options() }).unwrap();
        tree(&out)
    }
}

#[test]
fn old_bytes_kept_by_a_series_of_builds_never_sit_in_the_output() {
    keep_caches_apart();
    let mut series =
        Series::new(&[("content/secret.md", "---\ntitle: Plan\n---\n\nVersion one of the plan.\n")]);
    series.write("content/secret.md", "---\ntitle: Plan\n---\n\nVersion two of the plan.\n");
    series.rebuild(Some(&["content/secret.md".to_string()])).unwrap();
    series.write("content/secret.md", "---\ntitle: Plan\ndraft: true\n---\n\nVersion three, a draft.\n");
    series.rebuild(Some(&["content/secret.md".to_string()])).unwrap();
    for (path, bytes) in everything_below(&series.output) {
        let text = String::from_utf8_lossy(&bytes);
        assert!(!text.contains("Version"), "{path} holds a replaced or draft page's text");
    }
    signpost::output::remove_staging(&series.output);
    let pool = signpost::output::pool_dir(&series.output).unwrap();
    assert!(!pool.exists(), "the kept files go when the series ends");
}

#[test]
fn quick_and_template_rebuilds_notice_a_passed_publishing_gate() {
    keep_caches_apart();
    let soon = |secs: i64| (chrono::Utc::now() + chrono::Duration::seconds(secs)).to_rfc3339();
    let (expire, publish) = (soon(2), soon(2));
    let mut series = Series::new(&[
        ("content/other.md", "---\ntitle: Other\n---\n\nBody one.\n"),
        ("content/ending.md", &format!("---\ntitle: Ending\nexpire_at: {expire}\n---\n\nSoon gone.\n")),
        ("content/coming.md", &format!("---\ntitle: Coming\npublish_at: {publish}\n---\n\nSoon here.\n")),
        ("templates/.keep", ""),
    ]);
    assert!(series.output.join("ending/index.html").is_file());
    assert!(!series.output.join("coming/index.html").exists());
    std::thread::sleep(std::time::Duration::from_millis(2500));
    series.write("content/other.md", "---\ntitle: Other\n---\n\nBody two.\n");
    let report = series.rebuild(Some(&["content/other.md".to_string()])).unwrap();
    assert!(!report.quick, "a gate passed: a full rebuild");
    assert!(!series.output.join("ending/index.html").exists(), "expired");
    assert!(series.output.join("coming/index.html").is_file(), "published");
    assert_eq!(tree(&series.output), series.clean_build());
    let sitemap = std::fs::read_to_string(series.output.join("sitemap.xml")).unwrap();
    assert!(!sitemap.contains("/ending/"), "{sitemap}");
}

#[test]
fn a_template_edit_after_a_gate_passed_rebuilds_in_full() {
    keep_caches_apart();
    let expire = (chrono::Utc::now() + chrono::Duration::seconds(2)).to_rfc3339();
    let mut series = Series::new(&[(
        "content/ending.md",
        &format!("---\ntitle: Ending\nexpire_at: {expire}\n---\n\nSoon gone.\n"),
    )]);
    std::thread::sleep(std::time::Duration::from_millis(2500));
    std::fs::create_dir_all(series.root.join("templates")).unwrap();
    let theirs = Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default/templates/404.html");
    let edited = std::fs::read_to_string(theirs).unwrap() + "\n{# edited #}\n";
    series.write("templates/404.html", &edited);
    let report = series.rebuild(Some(&["templates/404.html".to_string()])).unwrap();
    assert!(!report.content_reused, "a gate passed: the content stages run again");
    assert!(!series.output.join("ending/index.html").exists(), "expired");
    assert_eq!(tree(&series.output), series.clean_build());
}

/// The published tree of `dir`: every file and folder but the staging area of a build.
fn published(dir: &Path) -> std::collections::BTreeMap<String, Vec<u8>> {
    if !dir.exists() {
        return Default::default();
    }
    tree(dir).into_iter().filter(|(rel, _)| !rel.starts_with(signpost::output::STAGING_DIR)).collect()
}

/// Stop a build of `site` into `output` after each rename or removal of its commit in turn,
/// let the next build's recovery run, and count the outcomes: (old tree, new tree, mixed).
fn kill_at_every_rename(site: &Site, before: Option<&Path>, what: &str) -> (usize, usize, usize) {
    let old = before.map(published).unwrap_or_default();
    let fresh = site.scratch(&format!("{what}-new"));
    site.build(&["--output", common::s(&fresh)]).assert_success();
    let new = published(&fresh);
    let (mut kept_old, mut got_new, mut mixed) = (0, 0, 0);
    for n in 1.. {
        let out = site.scratch(&format!("{what}-{n}"));
        if let Some(before) = before {
            common::copy_dir(before, &out);
        }
        let n_text = n.to_string();
        let run = site.build_env(&["--output", common::s(&out)], &[("SIGNPOST_STOP_AFTER_RENAMES", &n_text)]);
        let finished = run.code == Some(0);
        signpost::output::recover(&out).unwrap();
        let now = published(&out);
        if now == old {
            kept_old += 1;
        } else if now == new {
            got_new += 1;
        } else {
            mixed += 1;
        }
        if finished {
            break;
        }
        assert!(n < 500, "the commit of a small build has fewer steps");
    }
    eprintln!("{what}: old {kept_old}, new {got_new}, mixed {mixed}");
    (kept_old, got_new, mixed)
}

#[test]
fn a_kill_at_any_rename_leaves_the_old_tree_or_the_new_one() {
    if !cfg!(debug_assertions) {
        return; // the stop-after-renames hook is compiled into debug builds only
    }
    let site = Site::fixture("basic");
    let (_, _, mixed) = kill_at_every_rename(&site, None, "first-build");
    assert_eq!(mixed, 0, "an interrupted first build leaves nothing, or all of it");
    let v1 = site.scratch("v1");
    site.build(&["--output", common::s(&v1)]).assert_success();
    site.write("content/guides/apply.md", "---\ntitle: Apply, changed\n---\n\n## Pay the fee\n\nNew text.\n");
    site.write("content/guides/added.md", "---\ntitle: Added\n---\n\nA new page.\n");
    site.remove("content/guides/notes.md");
    site.write("content/files/form.pdf", "%PDF changed");
    let (old, new, mixed) = kill_at_every_rename(&site, Some(&v1), "rebuild");
    assert_eq!(mixed, 0, "old {old}, new {new}: an interrupted commit is rolled forward or back whole");
    assert!(new > 1, "the probe stopped the commit at several steps");
}

#[test]
fn an_interrupted_first_build_is_finished_by_the_next_without_force() {
    if !cfg!(debug_assertions) {
        return; // the stop-after-renames hook is compiled into debug builds only
    }
    let site = Site::fixture("basic");
    let run = site.build_env(&[], &[("SIGNPOST_STOP_AFTER_RENAMES", "3")]);
    assert_eq!(run.code, None, "stopped mid-commit\n{}", run.describe());
    assert!(site.public().join(signpost::output::STAGING_DIR).is_dir());
    site.build(&[]).assert_success();
    let fresh = site.scratch("fresh");
    site.build(&["--output", common::s(&fresh)]).assert_success();
    assert_eq!(published(&site.public()), published(&fresh));
}

#[cfg(unix)]
#[test]
fn an_unchanged_rebuild_leaves_the_marker_alone() {
    use std::os::unix::fs::MetadataExt as _;
    let site = Site::fixture("basic");
    site.build(&[]).assert_success();
    let marker = site.public().join(signpost::output::MARKER);
    let before = std::fs::metadata(&marker).unwrap();
    site.build(&[]).assert_success();
    let after = std::fs::metadata(&marker).unwrap();
    assert_eq!(
        (before.ino(), before.mtime_nsec()),
        (after.ino(), after.mtime_nsec()),
        "the marker was rewritten"
    );
}

#[test]
fn a_second_build_waits_for_the_lock_or_fails_at_once() {
    let site = Site::fixture("basic");
    site.build(&[]).assert_success();
    let held = signpost::output::lock(&site.public(), true).unwrap();
    let run = site.build(&["--no-wait"]);
    run.assert_code(2).assert_stderr_contains("another signpost build is writing");
    let waiting = {
        let root = site.root.clone();
        let cwd = site.scratch("");
        std::thread::spawn(move || common::run_in(&cwd, &["build", "--root", common::s(&root)]))
    };
    std::thread::sleep(std::time::Duration::from_millis(500));
    drop(held);
    let run = waiting.join().unwrap();
    run.assert_success().assert_stderr_contains("waiting for another signpost build");
}

#[cfg(all(target_os = "linux", target_env = "gnu"))]
#[test]
fn a_failed_write_while_staging_is_an_io_error() {
    keep_caches_apart();
    let mut series = Series::new(&[("content/page.md", "---\ntitle: Page\n---\n\nOne.\n")]);
    series.write("content/page.md", "---\ntitle: Page\n---\n\nTwo.\n");
    series.rebuild(None).unwrap();
    // The kept file the next write of this page goes into is on a full disk.
    let pool = signpost::output::pool_dir(&series.output).unwrap();
    let kept = pool.join(format!("{:032x}", xxhash_rust::xxh3::xxh3_128(b"page/index.html")));
    assert!(kept.exists(), "the replaced page is kept to be written into");
    std::fs::remove_file(&kept).unwrap();
    std::os::unix::fs::symlink("/dev/full", &kept).unwrap();
    series.write("content/page.md", "---\ntitle: Page changed\n---\n\nThree.\n");
    let result = series.rebuild(None);
    assert!(
        matches!(result, Err(signpost::error::Error::Io { .. })),
        "a full disk is an I/O error (exit 2), not a content error: {result:?}"
    );
}
