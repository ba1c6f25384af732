//! Inputs found by (or written for) the fuzz targets in `fuzz/`, replayed through the same
//! code: `fuzz/drivers.rs` is the body of each target and is included here as is.
//!
//! Each folder `tests/fuzz_regressions/<target>/` holds minimized crash inputs (named after
//! what they broke) and a few hostile seeds; every file must go through its target without a
//! panic. The drivers assert the results make sense too (diagnostics inside the file, every
//! link placeholder filled, ids well formed), so a regression of either kind fails here.

#[path = "../fuzz/drivers.rs"]
mod drivers;

use std::path::{Path, PathBuf};

fn inputs(target: &str) -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fuzz_regressions").join(target);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| entry.unwrap().path())
        .filter(|p| p.is_file())
        .collect();
    files.sort();
    assert!(!files.is_empty(), "{} holds regression inputs", dir.display());
    files
}

/// Run every input of `target`, naming each one that panics.
fn replay(target: &str, run: fn(&[u8])) {
    let mut failed = Vec::new();
    for path in inputs(target) {
        let data = std::fs::read(&path).unwrap();
        if std::panic::catch_unwind(|| run(&data)).is_err() {
            failed.push(path.file_name().unwrap().to_string_lossy().into_owned());
        }
    }
    assert!(failed.is_empty(), "{target}: these inputs panic: {failed:?}");
}

#[test]
fn front_matter_inputs() {
    replay("front_matter", drivers::front_matter);
}

#[test]
fn markdown_links_inputs() {
    replay("markdown_links", drivers::markdown_links);
}

#[test]
fn numerals_inputs() {
    replay("numerals", drivers::numerals);
}

/// Hostile inputs built in code (too big or too binary to keep as files) go through all
/// three targets.
#[test]
fn generated_hostile_inputs() {
    let nested_quotes = ">".repeat(10_000) + " deep\n";
    let nested_lists: String = (0..2_000).map(|i| format!("{}- item\n", "  ".repeat(i))).collect();
    let brackets = "[".repeat(5_000) + &"]".repeat(5_000) + "(a.md)\n";
    let yaml_nesting = format!("---\ntitle: {}x{}\n---\n", "[".repeat(5_000), "]".repeat(5_000));
    let billion_laughs = "---\na: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n\
        b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\n\
        d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\n\
        f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]\ng: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]\n\
        title: [*g,*g,*g,*g,*g,*g,*g,*g,*g]\n---\n";
    let inputs: Vec<Vec<u8>> = vec![
        Vec::new(),
        b"\0\0\0---\0\n".to_vec(),
        b"---".to_vec(),
        b"---\n".to_vec(),
        b"---\n---".to_vec(),
        b"\xef\xbb\xbf---\r\ntitle: BOM\r\n---\r\nbody".to_vec(),
        b"---\rtitle: lone CR\r---\r".to_vec(),
        b"---\ntitle: \xff\xfe invalid\n---\n\xc3(".to_vec(),
        "\u{FDD0}0\u{FDD1} [a](b.md) \u{FDD0}".as_bytes().to_vec(),
        nested_quotes.into_bytes(),
        nested_lists.into_bytes(),
        brackets.into_bytes(),
        yaml_nesting.into_bytes(),
        billion_laughs.as_bytes().to_vec(),
    ];
    for (i, data) in inputs.iter().enumerate() {
        for (name, run) in [
            ("front_matter", drivers::front_matter as fn(&[u8])),
            ("markdown_links", drivers::markdown_links),
            ("numerals", drivers::numerals),
        ] {
            let started = std::time::Instant::now();
            assert!(std::panic::catch_unwind(|| run(data)).is_ok(), "{name} panics on generated input {i}");
            assert!(started.elapsed().as_secs() < 30, "{name} takes too long on generated input {i}");
        }
    }
}
