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
        let dir = std::env::temp_dir().join(format!("signpost-safety-cache-{}", std::process::id()));
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
