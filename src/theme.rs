//! Where a theme's files come from: a folder under `themes/`, or the default theme built
//! into the binary, so that a site with only `content/` and `site.yaml` builds as it is.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use include_dir::{Dir, include_dir};

use crate::config::Config;
use crate::source::is_ignored_name;

/// The default theme, compiled into the binary.
pub static BUILTIN: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/themes/default");

/// A theme's files.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Theme {
    /// `ROOT/themes/<name>/`.
    Folder(PathBuf),
    /// The built-in default theme (used when `themes/default/` does not exist).
    Builtin,
}

/// One file of a theme: its path for messages and where its bytes are.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ThemeFile {
    /// A file on disk.
    Disk(PathBuf),
    /// A file of the built-in theme.
    Builtin(&'static [u8]),
}

impl ThemeFile {
    /// The file's text (lossy for invalid UTF-8, which the caller reports).
    pub fn read(&self) -> std::io::Result<String> {
        match self {
            ThemeFile::Disk(path) => std::fs::read_to_string(path),
            ThemeFile::Builtin(bytes) => Ok(String::from_utf8_lossy(bytes).into_owned()),
        }
    }
}

impl Theme {
    /// The theme a site uses.
    pub fn locate(config: &Config) -> Theme {
        let dir = config.theme_dir();
        if !dir.is_dir() && config.theme == "default" { Theme::Builtin } else { Theme::Folder(dir) }
    }

    /// How a theme path is shown in messages (`themes/default/templates/page.html`).
    pub fn display(&self, sub: &str, root: &Path) -> PathBuf {
        match self {
            Theme::Folder(dir) => crate::source::display_path(&dir.join(sub), root),
            Theme::Builtin => PathBuf::from(format!("<built-in theme>/{sub}")),
        }
    }

    /// Every file below `sub` (`templates`, `static`, `i18n`), by `/`-separated relative path.
    pub fn files(&self, sub: &str) -> BTreeMap<String, ThemeFile> {
        let mut files = BTreeMap::new();
        match self {
            // A theme folder is `ROOT/themes/<name>` (see `Config::theme_dir`).
            Theme::Folder(dir) => {
                let root = dir.parent().and_then(Path::parent).unwrap_or(dir);
                collect_dir(&dir.join(sub), root, &mut files)
            }
            Theme::Builtin => {
                if let Some(folder) = BUILTIN.get_dir(sub) {
                    collect_builtin(folder, sub, &mut files);
                }
            }
        }
        files
    }
}

/// What to publish for `rel`, a static file of the theme in `theme_dir` (a site's own
/// `static/` files are published as they are): a script, compacted ([`compact_script`]).
/// `None` for any other file, and for a script that cannot be read or compacted (published as
/// it is; a file that cannot be read then fails as a copy, with the usual message).
pub fn published_script(rel: &str, file: &ThemeFile, theme_dir: &Path) -> Option<String> {
    let theme_own = match file {
        ThemeFile::Disk(path) => path.starts_with(theme_dir),
        ThemeFile::Builtin(_) => true,
    };
    if !theme_own || !rel.ends_with(".js") {
        return None;
    }
    compact_script(&file.read().ok()?)
}

/// A theme's script as it is published: without its comments, blank lines and indentation,
/// which are a fifth of `search.js`, the first thing every search downloads. Each line stays a
/// line, so the code means the same. `None` (publish it as written) when a line of code holds
/// a template literal or is continued with `\\`: there a line's leading spaces may belong to a
/// string.
pub fn compact_script(text: &str) -> Option<String> {
    let blank = |c: char| c == ' ' || c == '\t' || c == '\r';
    let mut out = String::with_capacity(text.len());
    let mut in_comment = false;
    for line in text.lines() {
        let mut line = line.trim_matches(blank);
        // A block comment is dropped only when it starts a line; one after code stays.
        if in_comment || line.starts_with("/*") {
            let from = if in_comment { 0 } else { 2 };
            match line[from..].split_once("*/") {
                Some((_, rest)) => {
                    in_comment = false;
                    line = rest.trim_matches(blank);
                }
                None => {
                    in_comment = true;
                    continue;
                }
            }
        }
        if line.is_empty() || line.starts_with("//") {
            continue;
        }
        // Only code lines can open such a string, or a comment that goes on to the next line.
        let opens_comment = line.rfind("/*").is_some_and(|at| !line[at..].contains("*/"));
        if line.contains('`') || line.ends_with('\\') || opens_comment {
            return None;
        }
        out.push_str(line);
        out.push('\n');
    }
    Some(out)
}

fn collect_builtin(dir: &'static Dir<'static>, sub: &str, into: &mut BTreeMap<String, ThemeFile>) {
    for file in dir.files() {
        let rel = file.path().strip_prefix(sub).unwrap_or(file.path());
        let key = rel.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/");
        into.insert(key, ThemeFile::Builtin(file.contents()));
    }
    for child in dir.dirs() {
        collect_builtin(child, sub, into);
    }
}

/// Files below `dir` (hidden and editor files skipped), by `/`-separated relative path.
///
/// Symlinks that lead out of the site (`site_root`) are skipped with what lies below them:
/// [`crate::source::links_out_of_site`] reports them.
pub fn collect_dir(dir: &Path, site_root: &Path, into: &mut BTreeMap<String, ThemeFile>) {
    if !dir.is_dir() {
        return;
    }
    let canonical_root = site_root.canonicalize().unwrap_or_else(|_| site_root.to_path_buf());
    let mut walker = walkdir::WalkDir::new(dir).follow_links(true).sort_by_file_name().into_iter();
    while let Some(entry) = walker.next() {
        let Ok(entry) = entry else { continue };
        if crate::source::link_out_of_site(&entry, &canonical_root).is_some() {
            if entry.file_type().is_dir() {
                walker.skip_current_dir();
            }
            continue;
        }
        if !entry.file_type().is_file() || is_ignored_name(&entry.file_name().to_string_lossy()) {
            continue;
        }
        if let Ok(rel) = entry.path().strip_prefix(dir) {
            let key = rel.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/");
            into.insert(key, ThemeFile::Disk(entry.path().to_path_buf()));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_theme_has_templates_static_files_and_strings() {
        let templates = Theme::Builtin.files("templates");
        for name in crate::templates::REQUIRED {
            assert!(templates.contains_key(*name), "{name}");
        }
        assert!(templates.contains_key("partials/toc.html"));
        assert!(Theme::Builtin.files("static").contains_key("style.css"));
        let strings = Theme::Builtin.files("i18n");
        assert!(strings["en.yaml"].read().unwrap().contains("skip_to_content"));
    }

    #[test]
    fn scripts_lose_comments_and_indentation_but_keep_their_lines() {
        let script = "/* Header\n   more */\n(function () {\n  // why\n  var a = '/* not */ x'; // tail\n\n  /* one */ var b = 1;\n  return a / 2 / b;\n})();\n";
        assert_eq!(
            compact_script(script).unwrap(),
            "(function () {\nvar a = '/* not */ x'; // tail\nvar b = 1;\nreturn a / 2 / b;\n})();\n"
        );
        assert_eq!(compact_script("var s = `a\n  b`;\n"), None);
        assert_eq!(compact_script("// `quoted` in a comment\nvar s = 1;\n").unwrap(), "var s = 1;\n");
        assert_eq!(compact_script("var s = 'a\\\n  b';\n"), None);
        assert_eq!(compact_script("var a = 1; /* opens\n/* inner\nends */ var b;\n"), None);
    }

    #[test]
    fn the_default_theme_scripts_are_compacted() {
        for name in ["search.js", "reading.js"] {
            let text = Theme::Builtin.files("static")[name].read().unwrap();
            let compact = compact_script(&text).unwrap();
            assert!(compact.len() * 10 < text.len() * 9, "{name}: {} of {} bytes", compact.len(), text.len());
        }
    }

    #[test]
    fn a_theme_folder_wins_over_the_builtin() {
        let dir = tempfile::tempdir().unwrap();
        let mut config = Config::defaults(dir.path());
        assert_eq!(Theme::locate(&config), Theme::Builtin);
        std::fs::create_dir_all(dir.path().join("themes/default")).unwrap();
        assert!(matches!(Theme::locate(&config), Theme::Folder(_)));
        config.theme = "other".into();
        assert!(matches!(Theme::locate(&config), Theme::Folder(_)));
    }
}
