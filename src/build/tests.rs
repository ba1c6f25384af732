//! Tests of what the content stages keep for the stages after them.

use super::*;

/// The content stages' result for a small site with search on, given `options` and no memo.
fn prepared(options: BuildOptions) -> Content {
    let root = options.root.clone();
    std::fs::create_dir_all(root.join("content/guides")).unwrap();
    std::fs::write(root.join("site.yaml"), "title: Test\nbase_url: https://x.gov/\n").unwrap();
    std::fs::write(root.join("content/_index.md"), "---\ntitle: Home\n---\nWelcome.\n").unwrap();
    std::fs::write(
        root.join("content/guides/renew.md"),
        "---\ntitle: Renew\n---\n## Apply\n\nBring a photo.\n",
    )
    .unwrap();
    prepare(&options, None, &mut StageTimer::from_env()).unwrap_or_else(|_| panic!("the site prepares"))
}

#[test]
fn the_text_search_reads_is_recorded_only_for_a_build_that_makes_the_index() {
    let dir = tempfile::tempdir().unwrap();
    let options = BuildOptions { root: dir.path().to_path_buf(), ..BuildOptions::default() };
    let built = prepared(options.clone());
    let texts = |content: &Content| -> Vec<usize> {
        content.page_bodies.iter().map(|b| b.text_sections.len()).collect()
    };
    assert_eq!(texts(&built), [2], "the text before the heading and after it");
    // `check` and `report` build no index, and have no use for the text.
    let checked = prepared(BuildOptions { skip_search_index: true, ..options });
    assert_eq!(texts(&checked), [0]);
    assert_eq!(built.page_bodies[0].html, checked.page_bodies[0].html);
}
