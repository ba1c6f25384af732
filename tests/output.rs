//! End-to-end tests of what `build` does to the output folder: deterministic bytes,
//! incremental writing, stale-file removal, refusing foreign folders, and leaving the
//! previous output untouched when a build fails.

mod common;

use common::{Site, assert_same_tree, s, tree};

/// Add enough cross-linked, tagged pages that parallel stages have real work to reorder.
fn grow(site: &Site) {
    for i in 0..40 {
        let tags = match i % 3 {
            0 => "[permits, online]",
            1 => "[waters]",
            _ => "[permits, law, extra-term]",
        };
        site.write(
            &format!("content/guides/gen-{i:02}.md"),
            &format!(
                "---\ntitle: Generated page {i}\ndescription: Page {i}.\ndate: 2026-02-{day:02}\nweight: {w}\ntags: {tags}\n---\n\n\
                 See [Article {a}](../law/permit-act.md#article-{a}) and [the next page](gen-{n:02}.md).\n\n\
                 ## Part one of {i}\n\nText.\n\n## Part two\n\n```rust\nfn main() {{ println!(\"{i}\"); }}\n```\n",
                day = i % 28 + 1,
                w = 100 + i % 7,
                a = 7 + i % 2,
                n = (i + 1) % 40,
            ),
        );
    }
}

#[test]
fn two_builds_in_fresh_folders_are_byte_identical() {
    let a = Site::fixture("basic");
    let b = Site::fixture("basic");
    grow(&a);
    grow(&b);
    a.build(&[]).assert_success();
    b.build(&[]).assert_success();
    let ta = tree(&a.public());
    assert!(ta.len() > 60, "a sizeable site was built: {} entries", ta.len());
    assert_same_tree(&ta, &tree(&b.public()), "two builds of the same input");
}

#[test]
fn thread_count_does_not_change_the_output() {
    let site = Site::fixture("basic");
    grow(&site);
    let one = site.scratch("one-thread");
    let default = site.scratch("default-threads");
    let many = site.scratch("eight-threads");
    site.build_env(&["--output", s(&one)], &[("RAYON_NUM_THREADS", "1")]).assert_success();
    site.build(&["--output", s(&default)]).assert_success();
    site.build_env(&["--output", s(&many)], &[("RAYON_NUM_THREADS", "8")]).assert_success();
    let t1 = tree(&one);
    assert_same_tree(&t1, &tree(&default), "RAYON_NUM_THREADS=1 vs default");
    assert_same_tree(&t1, &tree(&many), "RAYON_NUM_THREADS=1 vs 8");
}

#[test]
fn rebuild_writes_nothing_new() {
    let site = Site::fixture("basic");
    site.build(&[]).assert_success();
    let before = tree(&site.public());
    let run = site.build(&[]);
    run.assert_success();
    assert!(run.stdout.contains("(0 files written,"), "second build: {}", run.describe());
    assert_same_tree(&before, &tree(&site.public()), "unchanged rebuild");
}

#[test]
fn rebuild_writes_only_what_changed() {
    let site = Site::fixture("basic");
    site.build(&[]).assert_success();
    let text = common::read(&site.path("content/guides/bundle/index.md"));
    site.write(
        "content/guides/bundle/index.md",
        &text.replace("A page bundle with an image.", "A changed description."),
    );
    let run = site.build(&[]);
    run.assert_success();
    assert!(!run.stdout.contains("(0 files written,"), "a change is written: {}", run.describe());
    assert!(site.output("guides/bundle/index.html").contains("A changed description."));
}

#[test]
fn deleted_page_output_is_removed() {
    let site = Site::fixture("basic");
    site.build(&[]).assert_success();
    assert!(site.public().join("guides/notes/index.html").is_file());
    assert!(site.public().join("tags/waters/index.html").is_file());
    site.remove("content/guides/notes.md");
    let run = site.build(&[]);
    run.assert_success();
    assert!(!site.public().join("guides/notes").exists(), "folder of the deleted page is gone");
    assert!(!site.public().join("tags/waters").exists(), "term only the deleted page used is gone");
    assert!(!site.output("sitemap.xml").contains("/guides/notes/"));
    assert!(!run.stdout.contains(" 0 removed)"), "{}", run.describe());
    // A deleted bundle takes its image with it.
    std::fs::remove_dir_all(site.path("content/guides/bundle")).unwrap();
    site.build(&[]).assert_success();
    assert!(!site.public().join("guides/bundle").exists(), "bundle folder and image removed");
}

#[test]
fn foreign_output_folder_is_refused_without_force() {
    let site = Site::fixture("basic");
    let foreign = site.scratch("foreign");
    std::fs::create_dir_all(&foreign).unwrap();
    std::fs::write(foreign.join("keep.txt"), "not signpost's").unwrap();
    let run = site.build(&["--output", s(&foreign)]);
    run.assert_code(2);
    run.assert_stderr_contains("error:");
    run.assert_stderr_contains("--force");
    assert_eq!(std::fs::read_dir(&foreign).unwrap().count(), 1, "nothing written into the foreign folder");

    site.build(&["--output", s(&foreign), "--force"]).assert_success();
    assert!(foreign.join("index.html").is_file());
    assert_eq!(common::read(&foreign.join("keep.txt")), "not signpost's", "--force keeps unknown files");
    // Now the folder is signpost's: a later build needs no --force.
    site.build(&["--output", s(&foreign)]).assert_success();
}

#[test]
fn files_signpost_did_not_write_survive_a_rebuild() {
    let site = Site::fixture("basic");
    site.build(&[]).assert_success();
    std::fs::write(site.public().join("CNAME"), "example.gov\n").unwrap();
    site.remove("content/guides/notes.md");
    site.build(&[]).assert_success();
    assert_eq!(common::read(&site.public().join("CNAME")), "example.gov\n");
}

#[test]
fn failed_build_leaves_previous_output_intact() {
    let site = Site::fixture("basic");
    site.build(&[]).assert_success();
    let before = tree(&site.public());
    // Break one page's front matter and change another, so a partial write would show.
    site.write(
        "content/guides/questions.md",
        "---\ntitle: Fishing permit questions\ndraft: perhaps\n---\n\nBody.\n",
    );
    let notes = common::read(&site.path("content/guides/notes.md"));
    site.write("content/guides/notes.md", &notes.replace("Closed in spring.", "Closed in winter."));
    site.remove("content/guides/apply.md");
    let run = site.build(&[]);
    run.assert_code(1);
    run.assert_stderr_contains("--> content/guides/questions.md:3:8");
    assert_same_tree(&before, &tree(&site.public()), "output after a failed build");
}

/// A guide and a law page each over a mebibyte, the law's articles cited by the guide.
fn write_large_pages(site: &Site) {
    let paragraph = "Text with **bold** words, [a link](apply.md), [Article 3](../law/large-act.md#article-3) \
                     and [an outside page](https://example.org/x) in it.\n\n";
    let body = paragraph.repeat(1_200_000 / paragraph.len());
    site.write("content/guides/large.md", &format!("---\ntitle: Large\n---\n\n## Start\n\n{body}"));
    let article =
        "A person may apply for a permit under this article, as [the guide](../guides/apply.md) says.\n\n"
            .repeat(100);
    let articles: String = (1..=150).map(|n| format!("### Article {n}\n\n{article}")).collect();
    site.write(
        "content/law/large-act.md",
        &format!(
            "---\ntitle: Large Act\ndescription: A long act.\nkind: law\n---\n\n## Chapter 1\n\n{articles}"
        ),
    );
}

#[test]
fn a_large_page_written_in_parts_is_the_page_written_whole() {
    use signpost::build::{BuildOptions, Memos, Scope, build, build_with_memos};
    let site = Site::fixture("basic");
    write_large_pages(&site);
    let options = |output: &str| BuildOptions {
        root: site.path(""),
        output: Some(site.scratch(output)),
        ..BuildOptions::default()
    };
    // A build kept for the next one (as `watch` does) makes each page whole; a one-off build
    // writes a large page's parts one after the other.
    build_with_memos(&options("whole"), &mut Memos::default(), Scope::Everything).unwrap();
    let first = build(&options("parts")).unwrap();
    let parts = tree(&site.scratch("parts"));
    assert_same_tree(&tree(&site.scratch("whole")), &parts, "whole against parts");
    let law = String::from_utf8_lossy(&parts["law/large-act/index.html"]).into_owned();
    assert!(law.len() > 1 << 20 && law.contains("sp-cited-by"), "the citing guide is listed");
    let guide = String::from_utf8_lossy(&parts["guides/large/index.html"]).into_owned();
    assert!(guide.contains("href=\"/law/large-act/#article-3\"") && guide.ends_with("</html>\n"));
    assert!(!guide.contains(['\u{FDD0}', '\u{FDD2}']), "no placeholder or marker is left");
    // Built again, the parts are found in place.
    let again = build(&options("parts")).unwrap();
    assert_eq!((again.written.written, again.written.unchanged), (0, first.written.written));
}
