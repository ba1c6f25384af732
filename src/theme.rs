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
