//! `--relative-urls` / `relative_urls: true`: the output works opened from disk.

mod common;

use common::Site;

/// Every `href`/`src` value of an HTML file.
fn urls(html: &str) -> Vec<String> {
    let mut found = Vec::new();
    for attr in ["href=\"", "src=\""] {
        for part in html.split(attr).skip(1) {
            found.push(part.split('"').next().unwrap_or("").to_string());
        }
    }
    found
}

#[test]
fn relative_urls_resolve_to_files_from_every_page() {
    let site = Site::fixture("basic");
    site.build(&["--relative-urls"]).assert_success();
    let public = site.public();
    let mut checked = 0;
    for entry in walkdir::WalkDir::new(&public).into_iter().flatten() {
        if entry.path().extension().and_then(|e| e.to_str()) != Some("html") {
            continue;
        }
        let html = std::fs::read_to_string(entry.path()).unwrap();
        let dir = entry.path().parent().unwrap();
        for url in urls(&html) {
            if url.starts_with("http") || url.starts_with('#') || url.starts_with("mailto:") || url.is_empty()
            {
                continue;
            }
            assert!(!url.starts_with('/'), "{}: root-relative `{url}` left", entry.path().display());
            let path = url.split(['#', '?']).next().unwrap();
            let target = dir.join(path);
            assert!(target.is_file(), "{}: `{url}` does not resolve to a file", entry.path().display());
            checked += 1;
        }
    }
    assert!(checked > 50, "checked {checked} links");
}

#[test]
fn redirect_pages_stay_on_disk_in_relative_builds() {
    let site = Site::fixture("basic");
    let page = std::fs::read_to_string(site.path("content/guides/notes.md")).unwrap();
    site.write("content/guides/notes.md", &page.replacen("---\n", "---\naliases: [/old/notes/]\n", 1));
    site.build(&["--relative-urls"]).assert_success();
    let redirect = site.output("old/notes/index.html");
    assert!(redirect.contains("content=\"0; url=../../guides/notes/index.html\""), "{redirect}");
}
