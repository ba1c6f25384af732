//! Incremental rebuilds equal clean builds: after each scripted edit, a build that reuses
//! the cache of the previous builds must write exactly the bytes a clean build writes.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use signpost::build::{self, BuildOptions};
use signpost::session::Session;

/// Every file below `dir` (except the output marker) with its bytes.
fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
        .filter(|e| e.file_name() != signpost::output::MARKER)
        .map(|e| {
            let rel = e.path().strip_prefix(dir).unwrap().to_string_lossy().into_owned();
            (rel, std::fs::read(e.path()).unwrap())
        })
        // Files a series of builds keeps to write into again (removed when `watch` stops).
        .filter(|(rel, _)| !rel.starts_with(signpost::output::STAGING_DIR))
        .collect()
}

fn write(root: &Path, rel: &str, text: &str) {
    let path = root.join(rel);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

/// The bytes of a small PNG, one for each `drawing` (pages' images are read for their size).
fn png(drawing: u8) -> Vec<u8> {
    let mut bytes = std::io::Cursor::new(Vec::new());
    image::RgbImage::from_pixel(3, 2, image::Rgb([drawing, 0, 0]))
        .write_to(&mut bytes, image::ImageFormat::Png)
        .unwrap();
    bytes.into_inner()
}

fn write_png(root: &Path, rel: &str, drawing: u8) {
    std::fs::write(root.join(rel), png(drawing)).unwrap();
}

struct Bench {
    _dir: tempfile::TempDir,
    root: PathBuf,
    incremental_out: PathBuf,
    session: Session,
    step: usize,
}

impl Bench {
    fn new() -> Bench {
        let dir = tempfile::tempdir().unwrap();
        // SAFETY: this binary's only test sets it first, before any other thread reads the
        // environment. The builds then keep their caches here, not in the user's cache.
        unsafe { std::env::set_var("SIGNPOST_CACHE_DIR", dir.path().join("cache")) };
        let root = dir.path().join("site");
        write(&root, "site.yaml", "title: Test\nbase_url: https://x.gov/\ntaxonomies: [tags]\n");
        write(&root, "content/_index.md", "---\ntitle: Home\n---\nWelcome. See [renew](guides/renew.md).\n");
        write(&root, "content/guides/_index.md", "---\ntitle: Guides\nsort_by: weight\n---\n");
        write(
            &root,
            "content/guides/renew.md",
            "---\ntitle: Renew\nweight: 1\ntags: [cards]\n---\n## Before you start\n\nRead [the law](../law.md#article-7).\n",
        );
        write(
            &root,
            "content/guides/lost.md",
            "---\ntitle: Lost card\nweight: 2\ntags: [cards]\nkind: faq\nowner: Team\n---\n## Can I report it online?\n\nNo. See [renewing](renew.md#before-you-start).\n",
        );
        write(
            &root,
            "content/law.md",
            "---\ntitle: The act\nkind: law\n---\n## Chapter 2\n\n### Article 7\n\nApply at 16.\n",
        );
        let incremental_out = dir.path().join("incremental");
        let mut bench = Bench { _dir: dir, root, incremental_out, session: Session::default(), step: 0 };
        bench.check("first build");
        bench
    }

    fn options(&self, output: &Path) -> BuildOptions {
        BuildOptions {
            root: self.root.clone(),
            output: Some(output.to_path_buf()),
            ..BuildOptions::default()
        }
    }

    /// Build incrementally and from scratch; both must succeed and agree byte for byte.
    fn check(&mut self, what: &str) {
        self.check_edit(what, None, false);
    }

    /// [`Bench::check`] after `edited` alone was written, as `watch` reports it; `quick` says
    /// whether the edit must be handled by re-rendering that page alone.
    fn check_edit(&mut self, what: &str, edited: Option<&str>, quick: bool) {
        let changed: Option<Vec<String>> = edited.map(|path| vec![path.to_string()]);
        let report = self.check_changed(what, changed.as_deref());
        assert_eq!(report.quick, quick, "{what}: a quick rebuild or not");
    }

    /// [`Bench::check`] after the paths in `changed` changed, as `watch` reports them.
    fn check_changed(&mut self, what: &str, changed: Option<&[String]>) -> build::BuildReport {
        self.step += 1;
        let incremental = self.session.build(&self.options(&self.incremental_out), changed);
        assert!(incremental.is_ok(), "{what}: incremental build failed: {:?}", incremental.err());
        let report = incremental.unwrap();
        let clean_out = self._dir.path().join(format!("clean-{}", self.step));
        build::build(&self.options(&clean_out)).expect("clean build");
        let (a, b) = (tree(&self.incremental_out), tree(&clean_out));
        let names_a: Vec<_> = a.keys().collect();
        let names_b: Vec<_> = b.keys().collect();
        assert_eq!(names_a, names_b, "{what}: the same files");
        for (name, bytes) in &a {
            assert!(bytes == &b[name], "{what}: `{name}` differs from a clean build");
        }
        report
    }

    /// An edit that must fail the build and leave the incremental output as it was.
    fn check_fails(&mut self, what: &str, edited: &str) {
        let before = tree(&self.incremental_out);
        let changed = [edited.to_string()];
        let result = self.session.build(&self.options(&self.incremental_out), Some(&changed));
        assert!(result.is_err(), "{what}: the build should fail");
        assert_eq!(tree(&self.incremental_out), before, "{what}: output untouched");
    }
}

#[test]
fn every_kind_of_edit_matches_a_clean_build() {
    let mut b = Bench::new();
    let renew = "content/guides/renew.md";

    write(
        &b.root,
        renew,
        "---\ntitle: Renew\nweight: 1\ntags: [cards]\n---\n## Before you start\n\nRead [the law](../law.md#article-7) first.\n",
    );
    b.check_edit("body edit", Some(renew), true);

    write(
        &b.root,
        renew,
        "---\ntitle: Renew\nweight: 1\ntags: [cards]\n---\n## Before you start\n\nRead [the law](../law.md#article-7) first.\n\nAnother paragraph, with **bold** words and [the FAQ](lost.md).\n",
    );
    b.check_edit("new link (backlinks of the FAQ change)", Some(renew), false);

    write(
        &b.root,
        renew,
        "---\ntitle: Renew\nweight: 1\ntags: [cards]\n---\n## Before you start\n\nRead [the law](../law.md#article-7) first.\n\nAnother paragraph, with *bold* words and [the FAQ](lost.md).\n",
    );
    b.check_edit("body edit beside links", Some(renew), true);

    // Quick edits that add terms no page had, then take them away again: the search files of
    // both (named by their bytes) must be those of a clean build, and no stale one may stay.
    let shards = |b: &Bench| tree(&b.incremental_out).keys().filter(|p| p.starts_with("search/")).count();
    let before = shards(&b);
    write(
        &b.root,
        renew,
        "---\ntitle: Renew\nweight: 1\ntags: [cards]\n---\n## Before you start\n\nRead [the law](../law.md#article-7) first. Zyxwvut 挂失补领.\n\nAnother paragraph, with *bold* words and [the FAQ](lost.md).\n",
    );
    b.check_edit("body edit adding terms", Some(renew), true);
    let index = std::fs::read_to_string(b.incremental_out.join("search/manifest.js")).unwrap();
    assert!(index.starts_with("signpostSearch("));
    write(
        &b.root,
        renew,
        "---\ntitle: Renew\nweight: 1\ntags: [cards]\n---\n## Before you start\n\nRead [the law](../law.md#article-7) first.\n\nAnother paragraph, with *bold* words and [the FAQ](lost.md).\n",
    );
    b.check_edit("body edit removing those terms", Some(renew), true);
    assert_eq!(shards(&b), before, "the index has as many files as before");

    write(
        &b.root,
        renew,
        "---\ntitle: Renew\nweight: 1\ntags: [cards]\n---\n## Before you start\n\nRead [the law](../law.md#article-7) first.\n\n## Fees\n\nAnother paragraph, with *bold* words and [the FAQ](lost.md).\n",
    );
    b.check_edit("new heading (a new anchor)", Some(renew), false);

    write(
        &b.root,
        "content/guides/lost.md",
        "---\ntitle: Lost card\nweight: 2\ntags: [cards]\nkind: faq\nowner: Team\n---\n## Can I report it online?\n\nNo. Visit the office. See [renewing](renew.md#before-you-start).\n",
    );
    b.check_edit("FAQ answer edit", Some("content/guides/lost.md"), true);

    write(
        &b.root,
        renew,
        "---\ntitle: Renew your card\nweight: 1\ntags: [cards]\n---\n## Before you start\n\nRead [the law](../law.md#article-7) first.\n",
    );
    b.check("title edit (listings, backlinks, related pages change)");

    write(
        &b.root,
        "content/guides/appointment.md",
        "---\ntitle: Book\nweight: 3\ntags: [cards, booking]\n---\nBook online.\n",
    );
    b.check("new page");

    std::fs::rename(b.root.join("content/guides/appointment.md"), b.root.join("content/guides/book.md"))
        .unwrap();
    b.check("rename");

    std::fs::remove_file(b.root.join("content/guides/book.md")).unwrap();
    b.check("delete page");

    write(
        &b.root,
        renew,
        "---\ntitle: Renew your card\nweight: 1\ntags: [cards]\n---\n## Before you start\n\nRead [the law](../law.md#article-9) first.\n",
    );
    b.check_fails("broken anchor", renew);

    write(
        &b.root,
        renew,
        "---\ntitle: Renew your card\nweight: 1\ntags: [cards]\n---\n## Before you start\n\nRead [the law](../law.md#article-7) now.\n",
    );
    b.check_edit("broken link fixed", Some(renew), false);

    write(
        &b.root,
        renew,
        "---\ntitle: Renew your card\nweight: 1\ntags: [cards]\n---\n## Before you start\n\nRead [the law](../law.md#article-7) today.\n",
    );
    b.check_edit("body edit after a failed build", Some(renew), true);

    write(
        &b.root,
        "templates/page.html",
        "{% extends \"base.html\" %}{% block content %}<h1>{{ page.title }}</h1>{{ page.content | safe }}<p>custom</p>{% endblock content %}",
    );
    let template_edit = b.check_changed("template edit", Some(&["templates/page.html".to_string()]));
    assert!(template_edit.content_reused, "a template edit reuses the content stages");

    write(
        &b.root,
        "templates/page.html",
        "{% extends \"base.html\" %}{% block content %}<h1>{{ page.title }}</h1>{{ page.content | safe }}<p>custom again</p>{% endblock content %}",
    );
    write(
        &b.root,
        renew,
        "---\ntitle: Renew your card\nweight: 2\ntags: [cards]\n---\n## Before you start\n\nRead [the law](../law.md#article-7) today.\n",
    );
    let both = b.check_changed(
        "template and front matter edits together",
        Some(&["content/guides/renew.md".to_string(), "templates/page.html".to_string()]),
    );
    assert!(!both.content_reused && !both.quick, "a content change with it rebuilds the content");

    std::fs::remove_file(b.root.join("templates/page.html")).unwrap();
    let removed = b.check_changed("template removed", Some(&["templates/page.html".to_string()]));
    assert!(removed.content_reused);

    // Word counts are made only while a template shows them.
    let counting = "{% extends \"base.html\" %}{% block content %}<h1>{{ page.title }}</h1>{{ page.content | safe }}<p>{{ page.word_count }} words</p>{% endblock content %}";
    write(&b.root, "templates/page.html", counting);
    let shown =
        b.check_changed("a template starts showing word counts", Some(&["templates/page.html".to_string()]));
    assert!(!shown.content_reused, "the bodies are rendered again, with their words counted");
    let renew_page = std::fs::read_to_string(b.incremental_out.join("guides/renew/index.html")).unwrap();
    assert!(renew_page.contains("<p>7 words</p>"), "{renew_page}");
    write(&b.root, "templates/page.html", &counting.replace(" words</p>", " words.</p>"));
    let again = b.check_changed("another edit of that template", Some(&["templates/page.html".to_string()]));
    assert!(again.content_reused);
    std::fs::remove_file(b.root.join("templates/page.html")).unwrap();
    b.check_changed("word counts no longer shown", Some(&["templates/page.html".to_string()]));

    write(&b.root, "site.yaml", "title: Test site\nbase_url: https://x.gov/sub/\ntaxonomies: [tags]\n");
    b.check_edit("config edit", Some("site.yaml"), false);

    write(
        &b.root,
        "content/law.md",
        "---\ntitle: The act\nkind: law\n---\n## Chapter 2\n\n### Article 7\n\nApply within three months of turning 16.\n",
    );
    b.check_edit("cited law body edit", Some("content/law.md"), true);

    write(&b.root, "content/_index.md", "---\ntitle: Home\n---\nWelcome! See [renew](guides/renew.md).\n");
    b.check_edit("section body edit (sections always rebuild in full)", Some("content/_index.md"), false);

    files_and_the_pages_reading_them(&mut b);
    reusable_content_edits(&mut b);

    let (outputs, bodies) = b.session.len();
    assert!(outputs > 0 && bodies > 0, "the cache is in use");
}

/// Edits of files that pages show, of static files and of several pages at once: each page
/// reading an edited file is rendered again alone (the dependency index), the others are not.
fn files_and_the_pages_reading_them(b: &mut Bench) {
    write_png(&b.root, "content/guides/map.png", 1);
    write(&b.root, "static/logo.svg", "<svg></svg>");
    write(
        &b.root,
        "content/law.md",
        "---\ntitle: The act\nkind: law\n---\n## Chapter 2\n\n### Article 7\n\nApply within three months of turning 16.\n\n![Where to apply](guides/map.png)\n",
    );
    b.check("a page shows a new file");

    write_png(&b.root, "content/guides/map.png", 2);
    let map = b.check_changed("a file a page shows", Some(&["content/guides/map.png".to_string()]));
    assert!(map.quick, "the page showing it is rendered again alone");
    assert_eq!(std::fs::read(b.incremental_out.join("guides/map.png")).unwrap(), png(2));

    write(&b.root, "static/logo.svg", "<svg><g/></svg>");
    b.check_edit("a static file no page reads", Some("static/logo.svg"), true);

    let law = "content/law.md";
    let lost = "content/guides/lost.md";
    write(&b.root, law, &std::fs::read_to_string(b.root.join(law)).unwrap().replace("16.", "sixteen."));
    write(&b.root, lost, &std::fs::read_to_string(b.root.join(lost)).unwrap().replace("Visit", "Go to"));
    let both = b.check_changed("two body edits at once", Some(&[law.to_string(), lost.to_string()]));
    assert!(both.quick, "both pages are rendered again alone");

    std::fs::remove_file(b.root.join("content/guides/map.png")).unwrap();
    b.check_fails("a file a page shows is removed", "content/guides/map.png");
    write_png(&b.root, "content/guides/map.png", 3);
    b.check_edit("the file is back", Some("content/guides/map.png"), false);

    write(
        &b.root,
        "content/_index.md",
        "---\ntitle: Home\n---\nWelcome! See [renew](guides/renew.md) and ![the map](guides/map.png).\n",
    );
    b.check("a section shows the file");
    write_png(&b.root, "content/guides/map.png", 4);
    b.check_edit(
        "a file a section shows (sections always rebuild in full)",
        Some("content/guides/map.png"),
        false,
    );
}

/// Edits of a data file, a snippet and a shortcode template reach the pages that use them.
fn reusable_content_edits(b: &mut Bench) {
    let lost = "content/guides/lost.md";
    write(&b.root, "data/renewal.yaml", "issuing_days: 60\n");
    write(&b.root, "snippets/apply.md", "Apply at the hall.\n");
    write(&b.root, "templates/shortcodes/note.html", "<p class=\"note\">{{ text }}</p>");
    write(
        &b.root,
        lost,
        "---\ntitle: Lost card\nweight: 2\ntags: [cards]\nkind: faq\nowner: Team\n---\n## Can I report it online?\n\nNo. See [renewing](renew.md#before-you-start). Cards come within {{ fact(key=\"renewal.issuing_days\") }} days.\n\n{{ snippet(name=\"apply\") }}\n\n{{ note(text=\"Bring your old card.\") }}\n",
    );
    let all =
        ["data/renewal.yaml", "snippets/apply.md", "templates/shortcodes/note.html", lost].map(String::from);
    b.check_changed("a page starts using data, a snippet and a shortcode", Some(&all));
    let out = b.incremental_out.join("guides/lost/index.html");
    let page = || std::fs::read_to_string(&out).unwrap();
    assert!(page().contains("within 60 days"), "{}", page());

    write(&b.root, "data/renewal.yaml", "issuing_days: 45\n");
    b.check_edit("data file edit", Some("data/renewal.yaml"), true);
    assert!(page().contains("within 45 days"), "{}", page());

    // A data file more pages read than are worth rendering one by one: the full build.
    let many = signpost::session::plan::MAX_PAGES;
    for i in 0..many {
        write(
            &b.root,
            &format!("content/many/p{i:03}.md"),
            &format!(
                "---\ntitle: Page {i}\n---\nWithin {{{{ fact(key=\"renewal.issuing_days\") }}}} days.\n"
            ),
        );
    }
    b.check("many pages read the data file");
    write(&b.root, "data/renewal.yaml", "issuing_days: 30\n");
    b.check_edit("data file edit read by many pages", Some("data/renewal.yaml"), false);
    assert!(page().contains("within 30 days"), "{}", page());
    let last = b.incremental_out.join(format!("many/p{:03}/index.html", many - 1));
    assert!(std::fs::read_to_string(last).unwrap().contains("Within 30 days"));
    for i in 0..many {
        std::fs::remove_file(b.root.join(format!("content/many/p{i:03}.md"))).unwrap();
    }
    b.check("the many pages are gone");

    write(&b.root, "snippets/apply.md", "Apply at any hall.\n");
    b.check_edit("snippet edit", Some("snippets/apply.md"), true);
    assert!(page().contains("Apply at any hall."), "{}", page());

    write(&b.root, "templates/shortcodes/note.html", "<p class=\"sp-note\">{{ text }}</p>");
    b.check_edit("shortcode template edit", Some("templates/shortcodes/note.html"), true);
    assert!(page().contains("<p class=\"sp-note\">Bring your old card.</p>"), "{}", page());
}
