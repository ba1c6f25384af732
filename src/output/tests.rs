//! Tests of staging, committing and stamps.

use super::*;

/// Begin a build of `o`, keeping stamps beside it rather than in the user's cache.
fn begin(o: &Path) -> Staging {
    Staging::begin_with_stamps(o, Some(o.with_file_name("stamps.txt"))).unwrap()
}

fn out(path: &str, text: &str) -> Output {
    Output { path: path.into(), body: Body::Bytes(text.as_bytes().to_vec()) }
}

/// An index file named by a hash of its bytes (the name stays `1a2b` whatever `text` is).
fn named(text: &str) -> Output {
    Output { path: "s/1a2b.js".into(), body: Body::Named(text.as_bytes().to_vec()) }
}

#[test]
fn staging_commits_or_leaves_everything_as_it_was() {
    let dir = tempfile::tempdir().unwrap();
    let o = dir.path().join("public");
    let staging = begin(&o);
    staging.stage(&out("a/index.html", "A")).unwrap();
    staging.stage(&out("b/index.html", "B")).unwrap();
    assert!(!o.join("a/index.html").exists(), "nothing is in place before commit");
    assert_eq!(staging.commit().unwrap(), WriteStats { written: 2, unchanged: 0, removed: 0 });
    let staging = begin(&o);
    staging.stage(&out("a/index.html", "A changed")).unwrap();
    staging.stage(&out("c/index.html", "C")).unwrap();
    assert!(o.join(STAGING_DIR).is_dir(), "changed files wait in the staging folder");
    staging.abort();
    assert!(!o.join(STAGING_DIR).exists());
    assert_eq!(std::fs::read_to_string(o.join("a/index.html")).unwrap(), "A");
    assert!(!o.join("c").exists(), "an aborted build leaves no new folders");
    let staging = begin(&o);
    staging.stage(&out("a/index.html", "A")).unwrap();
    assert_eq!(staging.commit().unwrap(), WriteStats { written: 0, unchanged: 1, removed: 1 });
    assert!(!o.join("b").exists());
}

#[test]
fn a_first_build_is_written_as_a_tree_and_moved_in_whole() {
    let dir = tempfile::tempdir().unwrap();
    let o = dir.path().join("public");
    let staging = begin(&o);
    staging.stage(&out("a/b/index.html", "AB")).unwrap();
    staging.stage(&out("index.html", "home")).unwrap();
    assert!(o.join(STAGING_DIR).join("tree/a/b/index.html").is_file(), "written in its final layout");
    assert!(!o.join("a").exists(), "nothing is in place before commit");
    staging.abort();
    assert!(!o.exists(), "an aborted first build leaves no trace");

    let staging = begin(&o);
    staging.stage(&out("a/b/index.html", "AB")).unwrap();
    staging.stage(&out("index.html", "home")).unwrap();
    assert_eq!(staging.commit().unwrap(), WriteStats { written: 2, unchanged: 0, removed: 0 });
    assert_eq!(std::fs::read_to_string(o.join("a/b/index.html")).unwrap(), "AB");
    assert!(!o.join(STAGING_DIR).exists());
    let mut listed = previous_files(&o);
    assert_eq!(listed.len(), 2, "the marker lists the files");
    add_stamps(&mut listed, &o.with_file_name("stamps.txt"));
    assert!(listed.values().all(Option::is_some), "and the stamps file stamps them");
}

#[test]
fn a_file_named_by_its_bytes_is_known_by_its_stamp_until_it_is_edited() {
    let dir = tempfile::tempdir().unwrap();
    let o = dir.path().join("public");
    let staging = begin(&o);
    staging.stage(&named("ABCD")).unwrap();
    staging.commit().unwrap();
    // Other bytes under the same name cannot happen; were they given, the file holding
    // the name's bytes would not even be read.
    let staging = begin(&o);
    staging.stage(&named("ABCE")).unwrap();
    assert_eq!(staging.commit().unwrap(), WriteStats { written: 0, unchanged: 1, removed: 0 });
    assert_eq!(std::fs::read_to_string(o.join("s/1a2b.js")).unwrap(), "ABCD");
    // Edited behind signpost's back: the stamp no longer holds, and the bytes are compared.
    std::thread::sleep(std::time::Duration::from_millis(30));
    std::fs::write(o.join("s/1a2b.js"), "XXXX").unwrap();
    let staging = begin(&o);
    staging.stage(&named("ABCD")).unwrap();
    assert_eq!(staging.commit().unwrap(), WriteStats { written: 1, unchanged: 0, removed: 0 });
    assert_eq!(std::fs::read_to_string(o.join("s/1a2b.js")).unwrap(), "ABCD");
}

#[test]
fn a_file_named_by_its_bytes_is_stamped_without_hashing_them() {
    let dir = tempfile::tempdir().unwrap();
    let o = dir.path().join("public");
    let staging = begin(&o);
    staging.stage(&named("ABCD")).unwrap();
    staging.stage(&out("a/index.html", "A")).unwrap();
    staging.commit().unwrap();
    let stamps = || {
        let mut listed = previous_files(&o);
        add_stamps(&mut listed, &o.with_file_name("stamps.txt"));
        listed
    };
    assert_eq!(stamps()["s/1a2b.js"].unwrap().hash, None);
    assert_eq!(stamps()["a/index.html"].unwrap().hash, Some(xxhash_rust::xxh3::xxh3_128(b"A")));
    // Should the path ever hold bytes it does not name, its stamp vouches for none of them.
    let staging = begin(&o);
    staging.stage(&out("s/1a2b.js", "WXYZ")).unwrap();
    staging.stage(&out("a/index.html", "A")).unwrap();
    assert_eq!(staging.commit().unwrap(), WriteStats { written: 1, unchanged: 1, removed: 0 });
    assert_eq!(std::fs::read_to_string(o.join("s/1a2b.js")).unwrap(), "WXYZ");
    // In a series of builds (which swap files in place), a named file holding other bytes is
    // put back too.
    for round in 0..2 {
        let staging = Staging::begin_reusing(&o, false).unwrap();
        staging.stage(&named("ABCD")).unwrap();
        staging.stage(&out("a/index.html", "A")).unwrap();
        let written = if round == 0 { 1 } else { 0 };
        assert_eq!(staging.commit().unwrap(), WriteStats { written, unchanged: 2 - written, removed: 0 });
        assert_eq!(std::fs::read_to_string(o.join("s/1a2b.js")).unwrap(), "ABCD");
    }
    remove_staging(&o);
}

#[test]
fn stamps_spare_reading_unchanged_files_but_never_hide_changed_ones() {
    let dir = tempfile::tempdir().unwrap();
    let o = dir.path().join("public");
    let staging = begin(&o);
    staging.stage(&out("a/index.html", "AAAA")).unwrap();
    staging.stage(&out("b/index.html", "BBBB")).unwrap();
    staging.commit().unwrap();
    let mut listed = previous_files(&o);
    add_stamps(&mut listed, &o.with_file_name("stamps.txt"));
    let stamp = listed["a/index.html"].unwrap();
    assert!(stamp.vouches_for(&o.join("a/index.html"), xxhash_rust::xxh3::xxh3_128(b"AAAA")));
    assert!(!stamp.vouches_for(&o.join("a/index.html"), xxhash_rust::xxh3::xxh3_128(b"AAAB")), "other bytes");
    // Someone edits a published file behind signpost's back, keeping its length.
    std::thread::sleep(std::time::Duration::from_millis(30));
    std::fs::write(o.join("a/index.html"), "XXXX").unwrap();
    assert!(
        !stamp.vouches_for(&o.join("a/index.html"), xxhash_rust::xxh3::xxh3_128(b"AAAA")),
        "the file's time moved"
    );
    let staging = begin(&o);
    staging.stage(&out("a/index.html", "AAAA")).unwrap();
    staging.stage(&out("b/index.html", "BBBB")).unwrap();
    assert_eq!(staging.commit().unwrap(), WriteStats { written: 1, unchanged: 1, removed: 0 });
    assert_eq!(std::fs::read_to_string(o.join("a/index.html")).unwrap(), "AAAA");
}

#[test]
fn stamps_are_written_again_only_when_they_changed() {
    let dir = tempfile::tempdir().unwrap();
    let o = dir.path().join("public");
    let stamps = o.with_file_name("stamps.txt");
    let build = |text: &str| {
        let staging = begin(&o);
        staging.stage(&out("a/index.html", text)).unwrap();
        staging.stage(&Output { path: "s/1a2b.js".into(), body: Body::Named(b"ABCD".to_vec()) }).unwrap();
        staging.commit().unwrap();
    };
    build("A");
    let first = std::fs::read_to_string(&stamps).unwrap();
    // Marked, so that writing the file again would show.
    std::fs::write(&stamps, format!("{first}# kept\n")).unwrap();
    build("A");
    assert_eq!(std::fs::read_to_string(&stamps).unwrap(), format!("{first}# kept\n"), "left as it was");
    build("B");
    let third = std::fs::read_to_string(&stamps).unwrap();
    assert!(!third.contains("# kept") && third != first, "written again: {third}");
}

#[test]
fn stamps_are_matched_to_the_listed_files_in_one_pass() {
    let dir = tempfile::tempdir().unwrap();
    let stamps = dir.path().join("stamps.txt");
    let line = |path: &str, n: u8| format!("{path}\t{:032x}\t{n}\t{n}\n", n);
    // `c` is out of order: passed over. `x` is not listed.
    let text = [line("a", 1), line("b/x", 2), line("x", 3), line("c", 4), line("z", 5)].concat();
    std::fs::write(&stamps, text).unwrap();
    let mut listed: Manifest = ["a", "b/x", "c", "d", "z"].iter().map(|p| (p.to_string(), None)).collect();
    add_stamps(&mut listed, &stamps);
    let lens: Vec<Option<u64>> = listed.values().map(|s| s.map(|s| s.len)).collect();
    assert_eq!(lens, [Some(1), Some(2), None, None, Some(5)]);
}

#[test]
fn stamp_lines_parse_or_give_no_stamp() {
    assert_eq!(parse_stamp_line("a/index.html"), ("a/index.html", None));
    assert_eq!(parse_stamp_line("odd\tname.html"), ("odd\tname.html", None));
    assert_eq!(parse_stamp_line("a.html\tzz\t4\t99"), ("a.html\tzz\t4\t99", None));
    let (path, stamp) = parse_stamp_line("x y/index.html\t0000000000000000000000000000002a\t4\t99");
    assert_eq!(path, "x y/index.html");
    assert_eq!(stamp, Some(Stamp { hash: Some(42), len: 4, modified_ns: 99 }));
    let (_, stamp) = parse_stamp_line("b.html\tf0e1d2c3b4a5968778695a4b3c2d1e0f\t4\t99");
    assert_eq!(stamp.unwrap().hash, Some(0xf0e1d2c3b4a5968778695a4b3c2d1e0f));
    for bad in ["2a", "+000000000000000000000000000002a", "0000000000000000+000000000000002a"] {
        assert_eq!(parse_stamp_line(&format!("c.html\t{bad}\t4\t99")).1, None, "{bad}");
    }
    let (path, stamp) = parse_stamp_line("odd\tname.js\t-\t4\t99");
    assert_eq!(path, "odd\tname.js");
    assert_eq!(stamp, Some(Stamp { hash: None, len: 4, modified_ns: 99 }));
}

#[test]
fn a_series_of_builds_reuses_its_staged_files() {
    let dir = tempfile::tempdir().unwrap();
    let o = dir.path().join("public");
    let reusing = |o: &Path| Staging::begin_reusing(o, false).unwrap();
    let staging = reusing(&o);
    staging.stage(&out("a/index.html", "A1")).unwrap();
    staging.stage(&out("b/index.html", "B1")).unwrap();
    staging.commit().unwrap();
    let pool = pool_dir(&o).unwrap();
    for round in 2..5 {
        let staging = reusing(&o);
        staging.stage(&out("a/index.html", &format!("A{round} longer"))).unwrap();
        staging.stage(&out("b/index.html", "B1")).unwrap();
        staging.stage(&out("c/index.html", "C2")).unwrap();
        let stats = staging.commit().unwrap();
        let expected = if round == 2 { (2, 1) } else { (1, 2) };
        assert_eq!((stats.written, stats.unchanged), expected, "round {round}");
        assert_eq!(std::fs::read_to_string(o.join("a/index.html")).unwrap(), format!("A{round} longer"));
        assert_eq!(std::fs::read_to_string(o.join("c/index.html")).unwrap(), "C2");
        if cfg!(all(target_os = "linux", target_env = "gnu")) {
            let kept: Vec<_> = std::fs::read_dir(&pool).unwrap().flatten().collect();
            assert_eq!(kept.len(), 1, "the replaced file is kept, once, in round {round}");
            // Named after its output, it holds the output's old bytes: the next round
            // writes the output's new bytes into it.
            let named = pool.join(format!("{:032x}", xxhash_rust::xxh3::xxh3_128(b"a/index.html")));
            let old = if round == 2 { "A1".to_string() } else { format!("A{} longer", round - 1) };
            assert_eq!(std::fs::read_to_string(named).unwrap(), old, "round {round}");
        }
    }
    // A failed build of the series leaves the output as it was.
    let staging = reusing(&o);
    staging.stage(&out("a/index.html", "never")).unwrap();
    staging.abort();
    assert_eq!(std::fs::read_to_string(o.join("a/index.html")).unwrap(), "A4 longer");
    // Stage C as it is to keep it; the stale-file pass would remove it otherwise.
    let staging = reusing(&o);
    staging.stage(&out("a/index.html", "A5")).unwrap();
    staging.stage(&out("b/index.html", "B1")).unwrap();
    staging.stage(&out("c/index.html", "C2")).unwrap();
    staging.commit().unwrap();
    assert_eq!(
        std::fs::read_to_string(o.join("a/index.html")).unwrap(),
        "A5",
        "a shorter text is cut to size"
    );
    remove_staging(&o);
    assert!(!o.join(STAGING_DIR).exists());
    assert!(!pool.exists());
    // A plain build clears what a series left.
    std::fs::create_dir_all(&pool).unwrap();
    std::fs::write(pool.join("left"), "old").unwrap();
    begin(&o).commit().unwrap();
    assert!(!o.join(STAGING_DIR).exists());
    assert!(!pool.exists());
}

#[test]
fn a_folder_with_other_files_is_not_written_as_a_fresh_tree() {
    let dir = tempfile::tempdir().unwrap();
    let o = dir.path().join("public");
    std::fs::create_dir_all(&o).unwrap();
    std::fs::write(o.join("keep.txt"), "theirs").unwrap();
    let staging = begin(&o);
    staging.stage(&out("a/index.html", "A")).unwrap();
    assert!(!o.join(STAGING_DIR).join("tree").exists());
    staging.commit().unwrap();
    assert_eq!(std::fs::read_to_string(o.join("keep.txt")).unwrap(), "theirs");
    assert_eq!(std::fs::read_to_string(o.join("a/index.html")).unwrap(), "A");
}

#[test]
fn an_interrupted_first_build_does_not_lock_the_folder() {
    let dir = tempfile::tempdir().unwrap();
    let o = dir.path().join("public");
    let mut staging = begin(&o);
    staging.stage(&out("a/index.html", "A")).unwrap();
    // As if the process were killed here: the system drops its lock, nothing else happens.
    drop(staging._lock.take());
    std::mem::forget(staging);
    assert!(check_destination(&o, dir.path(), false).is_ok());
    let staging = begin(&o);
    assert!(!o.join(STAGING_DIR).exists(), "leftovers are cleared");
    staging.stage(&out("a/index.html", "A")).unwrap();
    assert_eq!(staging.commit().unwrap().written, 1);
}

#[test]
fn refuses_dangerous_destinations() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::create_dir_all(root.join("content")).unwrap();
    assert!(check_destination(root, root, false).is_err());
    assert!(check_destination(&root.join("content"), root, false).is_err());
    assert!(check_destination(&root.join("content/x"), root, false).is_err());
    assert!(check_destination(Path::new("/"), root, true).is_err());
    assert!(check_destination(&root.join("public"), root, false).is_ok());
    std::fs::create_dir_all(root.join("other")).unwrap();
    std::fs::write(root.join("other/keep.txt"), "x").unwrap();
    assert!(check_destination(&root.join("other"), root, false).is_err());
    assert!(check_destination(&root.join("other"), root, true).is_ok());
}

#[test]
fn unsafe_relative_paths() {
    assert!(is_safe_relative("a/b.html"));
    for bad in ["", "/etc/passwd", "../x", "a/../../x", "a\\b", "c:x", "a//b"] {
        assert!(!is_safe_relative(bad), "{bad}");
    }
}
