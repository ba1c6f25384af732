//! Shortcodes and snippets: reusable pieces that editors call from Markdown.
//!
//! `{{ fact(key="renewal.issuing_days") }}` is replaced by what the template
//! `templates/shortcodes/fact.html` (the site's, else the theme's) writes;
//! `{% details(summary="…") %}` … `{% end %}` hands its Markdown body to the template as
//! `body`; `{{ snippet(name="where-to-apply") }}` puts in the Markdown of
//! `snippets/where-to-apply.md`. Calls are expanded in the Markdown text before it is
//! rendered, and a map of where each piece of the expanded text came from keeps every
//! location right: a problem, and a link written in a body or a snippet, is reported at
//! the line it was written on.

mod defs;
mod expand;
mod syntax;

use std::collections::BTreeMap;
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::config::Config;
use crate::data::Data;
use crate::diagnostics::{Diagnostic, Location};
use crate::markdown::{self, RenderOptions, Rendered};
use crate::templates::{SHORTCODES, Templates};
use crate::theme::Theme;

pub use expand::Page;

/// The folder of snippets, under the site root.
pub const SNIPPETS_DIR: &str = "snippets";

/// The shortcode templates, snippets and data a site's pages may call on.
pub struct Shortcodes {
    /// The compiled shortcode templates (`None` when they failed to load).
    templates: Option<Templates>,
    /// Each shortcode by name: its declared arguments and the fingerprint of its template.
    defs: BTreeMap<String, Def>,
    /// Each snippet by name (`where-to-apply` for `snippets/where-to-apply.md`).
    snippets: BTreeMap<String, Arc<Snippet>>,
    data: Arc<Data>,
    /// Per language: the data with values picked for it, and the theme strings.
    data_values: Vec<tera::Value>,
    strings: Vec<tera::Value>,
    /// Language codes, in the site's order.
    languages: Vec<String>,
    content_dir: PathBuf,
    root: PathBuf,
}

/// One shortcode template.
struct Def {
    /// Its declared arguments (`None`: any are taken, unchecked).
    params: Option<Vec<defs::Param>>,
    fingerprint: u64,
    /// Its path relative to the site root (`None` for the built-in theme's).
    path: Option<String>,
}

/// One snippet: its Markdown and where it is.
#[derive(Debug)]
pub struct Snippet {
    /// Path relative to the site root, for messages (`snippets/where-to-apply.md`).
    pub display: PathBuf,
    /// Its folder relative to the site root, from which its links are resolved.
    pub dir: String,
    /// The Markdown.
    pub text: Arc<str>,
    fingerprint: u64,
}

fn fingerprint_of(text: &str) -> u64 {
    let mut h = crate::cache::hasher();
    text.hash(&mut h);
    h.finish()
}

impl Shortcodes {
    /// Load the shortcode templates of `theme` and the site, and the site's snippets.
    pub fn load(
        config: &Config,
        theme: &Theme,
        data: Arc<Data>,
        strings: &[BTreeMap<String, String>],
    ) -> (Shortcodes, Vec<Diagnostic>) {
        let root = &config.root;
        let mut problems = Vec::new();
        let site_templates = root.join("templates");
        let templates = match Templates::load_shortcodes(theme, &site_templates, root) {
            Ok(t) => Some(t),
            Err(found) => {
                problems.extend(found);
                None
            }
        };
        let defs = load_defs(theme, &site_templates, root, &mut problems);
        let snippets = load_snippets(root, &mut problems);
        let languages: Vec<String> = config.languages.iter().map(|l| l.code.clone()).collect();
        let codes: Vec<&str> = languages.iter().map(String::as_str).collect();
        let data_values = codes
            .iter()
            .map(|lang| {
                let picked =
                    crate::data::localize(&serde_json::Value::Object(data.value().clone()), lang, &codes);
                tera::Value::from_serializable(&picked)
            })
            .collect();
        let shortcodes = Shortcodes {
            templates,
            defs,
            snippets,
            data,
            data_values,
            strings: strings.iter().map(tera::Value::from_serializable).collect(),
            languages,
            content_dir: config.content_dir(),
            root: root.clone(),
        };
        (shortcodes, problems)
    }

    /// Render a page's body: its calls expanded, then its Markdown. Problems of the calls
    /// are in [`Rendered::problems`]; what the body read besides its text, with fingerprints,
    /// in [`Rendered::reads`].
    pub fn render(&self, page: &Page<'_>, options: RenderOptions<'_>) -> Rendered {
        let body = page.text.get(page.body_offset..).unwrap_or("");
        if !syntax::may_hold_calls(body) {
            return markdown::render(body, options);
        }
        expand::render(self, page, body, options)
    }

    /// Whether a body that read `reads` would read the same now (its data files, snippets
    /// and shortcode templates unchanged).
    pub fn still_current(&self, reads: &[(String, u64)]) -> bool {
        reads.iter().all(|(input, fingerprint)| self.fingerprint_now(input) == Some(*fingerprint))
    }

    /// The file behind one of [`Rendered::reads`], relative to the site root with `/`
    /// separators (as `crate::deps` names inputs); `None` for one built into Signpost.
    pub fn input_path(&self, input: &str) -> Option<String> {
        let (kind, name) = input.split_once(':')?;
        match kind {
            "data" => self.data.path_of(name).map(str::to_string),
            "snippet" => self.snippets.get(name).map(|s| site_path(&self.root.join(&s.display), &self.root)),
            "shortcode" => self.defs.get(name)?.path.clone(),
            "file" => Some(site_path(Path::new(name), &self.root)),
            _ => None,
        }
    }

    fn fingerprint_now(&self, input: &str) -> Option<u64> {
        let (kind, name) = input.split_once(':')?;
        match kind {
            "data" => self.data.file_fingerprint(name),
            "snippet" => self.snippets.get(name).map(|s| s.fingerprint),
            "shortcode" => self.defs.get(name).map(|d| d.fingerprint),
            "file" => Some(crate::media::stamp(Path::new(name))),
            _ => None,
        }
    }
}

/// `path` relative to `root`, with `/` separators.
fn site_path(path: &Path, root: &Path) -> String {
    let rel = path.strip_prefix(root).unwrap_or(path);
    rel.iter().map(|part| part.to_string_lossy()).collect::<Vec<_>>().join("/")
}

/// Read every shortcode template's argument declaration.
fn load_defs(
    theme: &Theme,
    site_templates: &Path,
    root: &Path,
    problems: &mut Vec<Diagnostic>,
) -> BTreeMap<String, Def> {
    let mut found = theme.files("templates");
    crate::theme::collect_dir(site_templates, root, &mut found);
    let mut defs = BTreeMap::new();
    for (name, file) in found {
        let Some(short) = name.strip_prefix(SHORTCODES).and_then(|n| n.strip_suffix(".html")) else {
            continue;
        };
        let Ok(text) = file.read() else { continue }; // reported by the template loader
        let params = defs::declared(&text).unwrap_or_else(|message| {
            let shown = match &file {
                crate::theme::ThemeFile::Disk(path) => crate::source::display_path(path, root),
                crate::theme::ThemeFile::Builtin(_) => theme.display(&format!("templates/{name}"), root),
            };
            problems.push(
                Diagnostic::error(format!("invalid shortcode arguments: {message}"))
                    .at(Location { file: shown, line: 1, column: 1, length: 1 })
                    .with_hint("declare them as `{# args: name, key@, office@offices, file:file, title? #}`"),
            );
            None
        });
        let path = match &file {
            crate::theme::ThemeFile::Disk(path) => Some(site_path(path, root)),
            crate::theme::ThemeFile::Builtin(_) => None,
        };
        defs.insert(short.to_string(), Def { params, fingerprint: fingerprint_of(&text), path });
    }
    defs
}

/// Read every snippet under `snippets/`.
fn load_snippets(root: &Path, problems: &mut Vec<Diagnostic>) -> BTreeMap<String, Arc<Snippet>> {
    let dir = root.join(SNIPPETS_DIR);
    let mut snippets = BTreeMap::new();
    if !dir.is_dir() {
        return snippets;
    }
    let walker = walkdir::WalkDir::new(&dir).sort_by_file_name().into_iter();
    for entry in walker.filter_map(|e| e.ok()).filter(|e| e.file_type().is_file()) {
        let path = entry.path();
        if path.extension().is_none_or(|e| e != "md") {
            continue;
        }
        let display = crate::source::display_path(path, root);
        let name =
            path.strip_prefix(&dir).unwrap_or(path).with_extension("").to_string_lossy().replace('\\', "/");
        match std::fs::read_to_string(path) {
            Ok(text) => {
                let dir =
                    display.parent().map(|d| d.to_string_lossy().replace('\\', "/")).unwrap_or_default();
                let fingerprint = fingerprint_of(&text);
                snippets.insert(name, Arc::new(Snippet { display, dir, text: text.into(), fingerprint }));
            }
            Err(e) => problems.push(
                Diagnostic::error(format!("cannot read snippet: {e}"))
                    .at(Location { file: display, line: 1, column: 1, length: 1 })
                    .with_hint("snippets must be UTF-8 Markdown"),
            ),
        }
    }
    snippets
}
