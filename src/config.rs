//! `site.yaml`: raw YAML → validated [`Config`] with defaults and resolved paths.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::diagnostics::{Diagnostic, Location};
use crate::guidance::gov::{Element, Gov};
use crate::text::did_you_mean;
use crate::yaml;

/// The synonym sets used when `site.yaml` gives none: spellings of government terms that
/// readers mix up, each set of words that find each other.
pub const DEFAULT_SYNONYMS: &[&[&str]] = &[
    &["身份证", "身分证"],
    &["补办", "补领"],
    &["挂失", "报失"],
    &["户口簿", "户口本"],
    &["赣服通", "赣服同"],
    &["licence", "license"],
];

/// The name of the site configuration file in the site root.
pub const CONFIG_FILE: &str = "site.yaml";

/// Markdown extensions; all on by default.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct MarkdownOptions {
    /// Curly quotes, dashes and ellipses.
    pub smart_punctuation: bool,
    /// `[^1]` footnotes.
    pub footnotes: bool,
    /// GitHub-style tables.
    pub tables: bool,
    /// `~~struck~~` text.
    pub strikethrough: bool,
    /// `- [ ]` task lists.
    pub task_lists: bool,
    /// `## Heading {#id .class}` attributes.
    pub heading_attributes: bool,
    /// Which classes highlighted code carries: not a `markdown:` key, but taken from
    /// `highlight:` when the configuration is read, so that it reaches the renderer (and the
    /// fingerprint of rendered bodies) with the Markdown settings.
    #[serde(skip)]
    pub highlight_classes: HighlightClasses,
}

/// Which CSS classes highlighted code carries (`highlight.classes` in `site.yaml`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum HighlightClasses {
    /// Only the top-level scopes a stylesheet of one-class rules colours (`sp-hl-comment`,
    /// `sp-hl-keyword`, … see `markdown::highlight::STYLED`); spans with none are left out.
    /// The default theme's `highlight.css` is such a stylesheet, and the output is about half
    /// the size.
    #[default]
    Styled,
    /// Every scope atom syntect gives (`sp-hl-entity sp-hl-name sp-hl-function sp-hl-js`), for
    /// stylesheets with compound rules, such as those generated from `highlight.theme`.
    Full,
}

impl Default for MarkdownOptions {
    fn default() -> Self {
        MarkdownOptions {
            smart_punctuation: true,
            footnotes: true,
            tables: true,
            strikethrough: true,
            task_lists: true,
            heading_attributes: true,
            highlight_classes: HighlightClasses::Styled,
        }
    }
}

/// Code highlighting settings.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct HighlightOptions {
    /// Highlight fenced code blocks with CSS classes.
    pub enabled: bool,
    /// A syntect theme name; when set, `highlight.css` is generated from it
    /// instead of using the theme's own stylesheet.
    pub theme: Option<String>,
    /// Which classes code carries: `styled` by default, `full` with a `theme`.
    pub classes: Option<HighlightClasses>,
}

impl Default for HighlightOptions {
    fn default() -> Self {
        HighlightOptions { enabled: true, theme: None, classes: None }
    }
}

impl HighlightOptions {
    /// The classes chosen, or the default for the stylesheet in use.
    pub fn classes(&self) -> HighlightClasses {
        let default = if self.theme.is_some() { HighlightClasses::Full } else { HighlightClasses::Styled };
        self.classes.unwrap_or(default)
    }
}

/// The publishing body, shown in the footer and in structured data.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct Organization {
    /// The body's name.
    pub name: String,
    /// Its home page.
    #[serde(default)]
    pub url: Option<String>,
}

/// One language of a multilingual site.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct Language {
    /// BCP 47 code, such as `zh-CN` or `en`.
    pub code: String,
    /// The site title in this language (defaults to `title`).
    #[serde(default)]
    pub title: Option<String>,
    /// The site description in this language (defaults to `description`).
    #[serde(default)]
    pub description: Option<String>,
}

/// What the accessibility statement page says (`accessibility:` in `site.yaml`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct Accessibility {
    /// `full`, `partial` or `non-compliant`.
    pub status: ConformanceStatus,
    /// The standard measured against.
    #[serde(default = "default_standard")]
    pub standard: String,
    /// Known problems, in plain words.
    #[serde(default)]
    pub known_issues: Vec<String>,
    /// How to report a problem or ask for another format (e-mail, phone or URL).
    pub contact: String,
    /// When the statement was last reviewed (YYYY-MM-DD).
    pub last_reviewed: String,
}

/// Conformance with the accessibility standard.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ConformanceStatus {
    /// Fully conforms.
    Full,
    /// Partially conforms (the known issues say where not).
    Partial,
    /// Does not conform.
    NonCompliant,
}

fn default_standard() -> String {
    "WCAG 2.2 AA".to_string()
}

#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    title: Option<String>,
    description: Option<String>,
    base_url: Option<String>,
    language: Option<String>,
    languages: Option<Vec<Language>>,
    theme: Option<String>,
    taxonomies: Option<Vec<String>>,
    paginate_by: Option<usize>,
    highlight: Option<HighlightOptions>,
    markdown: Option<MarkdownOptions>,
    organization: Option<Organization>,
    relative_urls: Option<bool>,
    feedback_url: Option<String>,
    accessibility: Option<Accessibility>,
    search: Option<bool>,
    search_synonyms: Option<Vec<Vec<String>>>,
    allow_keys: Option<Vec<String>>,
    terms: Option<BTreeMap<String, BTreeMap<String, String>>>,
    gov: Option<Gov>,
    service_required: Option<Vec<Element>>,
    extra: Option<yaml::Value>,
}

/// The validated site configuration with resolved paths.
#[derive(Debug, Clone)]
pub struct Config {
    /// The site root (holds `site.yaml`, `content/`, `themes/`).
    pub root: PathBuf,
    /// Site title.
    pub title: String,
    /// One-sentence description of the site.
    pub description: String,
    /// Absolute base URL, always ending in `/`.
    pub base_url: String,
    /// The path part of `base_url` without the trailing slash (`""` or `/guides`).
    pub base_path: String,
    /// Language code of the default language (`en`, `zh-CN`).
    pub language: String,
    /// Every language, the default first; titles and descriptions filled in.
    pub languages: Vec<Language>,
    /// Theme folder name under `themes/`.
    pub theme: String,
    /// Taxonomy names (front matter keys holding term lists).
    pub taxonomies: Vec<String>,
    /// Items per taxonomy term page; 0 means no pagination.
    pub paginate_by: usize,
    /// Highlighting options.
    pub highlight: HighlightOptions,
    /// Markdown options.
    pub markdown: MarkdownOptions,
    /// The publishing body.
    pub organization: Option<Organization>,
    /// Write links relative to each page, so the output works from `file://` or any folder.
    pub relative_urls: bool,
    /// Where the "Is this page useful?" form posts; no form without it.
    pub feedback_url: Option<String>,
    /// The accessibility statement; a statement page is published when set.
    pub accessibility: Option<Accessibility>,
    /// Publish a search page and a search index per language (default on).
    pub search: bool,
    /// Sets of words search treats as one (`[身份证, 身分证]`); default
    /// [`DEFAULT_SYNONYMS`].
    pub search_synonyms: Vec<Vec<String>>,
    /// Front matter keys pages may carry besides Signpost's own (`allow_keys: [page-type]`):
    /// no warning is given for them (an imported site printed 37,309 such warnings).
    pub allow_keys: Vec<String>,
    /// Display names of taxonomy terms: term slug → language code → name (`terms:`).
    pub terms: BTreeMap<String, BTreeMap<String, String>>,
    /// The government site's identification, filings and sponsor (`gov:`): turns on the
    /// government meta tags, footer and column freshness checks.
    pub gov: Option<Gov>,
    /// The elements every service guide must give (`service_required:`; default: all ten).
    pub service_required: Vec<Element>,
    /// Free data for templates.
    pub extra: serde_json::Value,
}

impl Config {
    /// Defaults for a site without `site.yaml`.
    pub fn defaults(root: &Path) -> Self {
        Self::from_raw(root, RawConfig::default())
    }

    fn from_raw(root: &Path, raw: RawConfig) -> Self {
        let base_url = normalise_base_url(raw.base_url.as_deref().unwrap_or("/"));
        let base_path = base_path_of(&base_url);
        let title = raw.title.unwrap_or_else(|| "Signpost site".to_string());
        let description = raw.description.unwrap_or_default();
        let mut languages = raw.languages.unwrap_or_default();
        if languages.is_empty() {
            let code = raw.language.clone().unwrap_or_else(|| "en".to_string());
            languages.push(Language { code, title: None, description: None });
        }
        for language in &mut languages {
            language.title.get_or_insert_with(|| title.clone());
            language.description.get_or_insert_with(|| description.clone());
        }
        Config {
            root: root.to_path_buf(),
            title,
            description,
            base_url,
            base_path,
            language: languages[0].code.clone(),
            languages,
            theme: raw.theme.unwrap_or_else(|| "default".to_string()),
            // Like Hugo, sites get a `tags` taxonomy unless they say otherwise.
            taxonomies: raw.taxonomies.unwrap_or_else(|| vec!["tags".to_string()]),
            paginate_by: raw.paginate_by.unwrap_or(0),
            markdown: MarkdownOptions {
                highlight_classes: raw.highlight.as_ref().map(HighlightOptions::classes).unwrap_or_default(),
                ..raw.markdown.unwrap_or_default()
            },
            highlight: raw.highlight.unwrap_or_default(),
            organization: raw.organization,
            relative_urls: raw.relative_urls.unwrap_or(false),
            feedback_url: raw.feedback_url,
            accessibility: raw.accessibility,
            search: raw.search.unwrap_or(true),
            search_synonyms: raw.search_synonyms.unwrap_or_else(|| {
                DEFAULT_SYNONYMS.iter().map(|set| set.iter().map(|w| w.to_string()).collect()).collect()
            }),
            allow_keys: raw.allow_keys.unwrap_or_default(),
            terms: raw
                .terms
                .unwrap_or_default()
                .into_iter()
                .map(|(term, names)| (crate::text::slugify(&term), names))
                .collect(),
            gov: raw.gov,
            service_required: raw.service_required.unwrap_or_else(|| Element::ALL.to_vec()),
            extra: raw.extra.as_ref().map(yaml::to_json).unwrap_or(serde_json::Value::Null),
        }
    }

    /// Load `ROOT/site.yaml` (defaults when it is missing).
    ///
    /// Problems come back as diagnostics pointing into `site.yaml`.
    pub fn load(root: &Path) -> Result<Config, Vec<Diagnostic>> {
        let path = root.join(CONFIG_FILE);
        let text = match std::fs::read(&path) {
            Ok(bytes) => match String::from_utf8(bytes) {
                Ok(text) => text,
                Err(_) => {
                    return Err(vec![
                        Diagnostic::error("`site.yaml` is not valid UTF-8")
                            .at(location(1, 1, 1))
                            .with_hint("save the file as UTF-8"),
                    ]);
                }
            },
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Self::defaults(root)),
            Err(e) => {
                return Err(vec![Diagnostic::error(format!("could not read `site.yaml`: {e}"))]);
            }
        };
        Self::parse(root, text.trim_start_matches('\u{feff}'))
    }

    /// Parse and validate the text of `site.yaml`.
    pub fn parse(root: &Path, text: &str) -> Result<Config, Vec<Diagnostic>> {
        let slips = yaml::scan_slips(text).slips;
        if !slips.is_empty() {
            return Err(slips.iter().map(slip_error).collect());
        }
        let raw: RawConfig = yaml::from_str(text).map_err(|e| vec![config_error(&e)])?;
        let mut problems = Vec::new();
        let keys = yaml::top_level_keys(text);
        let value_at = |key: &str| {
            keys.iter()
                .find(|k| k.key == key)
                .map(|k| location(k.line, k.value_column, 1))
                .unwrap_or_else(|| location(1, 1, 1))
        };
        if let Some(url) = &raw.base_url
            && !(url.starts_with("http://") || url.starts_with("https://") || url.starts_with('/'))
        {
            problems.push(
                Diagnostic::error(format!("`base_url` must be an absolute URL or a path, not `{url}`"))
                    .at(value_at("base_url"))
                    .with_hint("write it like `https://example.gov.cn/` or `/guides/`"),
            );
        }
        if let (Some(language), Some(languages)) = (&raw.language, &raw.languages)
            && languages.first().is_some_and(|l| &l.code != language)
        {
            problems.push(
                Diagnostic::error("`language` and the first of `languages` disagree")
                    .at(value_at("language"))
                    .with_hint("the first entry of `languages` is the default language; remove `language`"),
            );
        }
        if let Some(languages) = &raw.languages {
            let mut seen = std::collections::HashSet::new();
            for language in languages {
                if !is_language_code(&language.code) || !seen.insert(language.code.to_lowercase()) {
                    problems.push(
                        Diagnostic::error(format!("`{}` is not a usable language code here", language.code))
                            .at(value_at("languages"))
                            .with_hint("use distinct codes like `zh-CN` and `en`"),
                    );
                }
            }
        }
        if let Some(statement) = &raw.accessibility
            && crate::front_matter::DateValue::parse(&statement.last_reviewed).is_none()
        {
            problems.push(
                Diagnostic::error(format!(
                    "`last_reviewed` is not a valid date: `{}`",
                    statement.last_reviewed
                ))
                .at(value_at("accessibility"))
                .with_hint("write it as YYYY-MM-DD"),
            );
        }
        if let Some(taxonomies) = &raw.taxonomies {
            for name in taxonomies {
                if crate::text::slugify(name) != *name || name.is_empty() {
                    problems.push(
                        Diagnostic::error(format!("taxonomy name `{name}` is not a plain lowercase word"))
                            .at(value_at("taxonomies"))
                            .with_hint("use names like `tags` or `topics`"),
                    );
                }
            }
        }
        let config = Self::from_raw(root, raw);
        problems.extend(config.unknown_term_languages(value_at("terms")));
        if problems.is_empty() { Ok(config) } else { Err(problems) }
    }

    /// A display name under `terms:` in a language the site does not have is a mistake.
    fn unknown_term_languages(&self, at: Location) -> Vec<Diagnostic> {
        let codes: Vec<&str> = self.languages.iter().map(|l| l.code.as_str()).collect();
        let mut problems = Vec::new();
        for (term, names) in &self.terms {
            for code in names.keys().filter(|code| self.language_index(code).is_none()) {
                let d = Diagnostic::error(format!(
                    "`terms` names `{term}` in `{code}`, which is not a language of the site"
                ))
                .at(at.clone());
                problems.push(match did_you_mean(code, codes.iter().copied()) {
                    Some(close) => d.with_hint(format!("did you mean `{close}`?")),
                    None => d.with_hint(format!("the site's languages are {}", codes.join(", "))),
                });
            }
        }
        problems
    }

    /// The name a taxonomy term shows in language `lang`: its display name from `terms:`,
    /// else the term as written in front matter.
    pub fn term_name<'a>(&'a self, lang: usize, term: &'a str) -> &'a str {
        let code = self.languages.get(lang).map(|l| l.code.as_str()).unwrap_or_default();
        self.terms
            .get(&crate::text::slugify(term))
            .and_then(|names| names.iter().find(|(c, _)| c.eq_ignore_ascii_case(code)))
            .map_or(term, |(_, name)| name.as_str())
    }

    /// `ROOT/content`.
    pub fn content_dir(&self) -> PathBuf {
        self.root.join("content")
    }

    /// `ROOT/themes/<theme>`.
    pub fn theme_dir(&self) -> PathBuf {
        self.root.join("themes").join(&self.theme)
    }

    /// An absolute URL for a root-relative path such as `/faq/` (already carrying the base path).
    pub fn permalink(&self, url_path: &str) -> String {
        let origin_end = self
            .base_url
            .find("://")
            .and_then(|scheme| self.base_url[scheme + 3..].find('/').map(|p| scheme + 3 + p))
            .unwrap_or(0);
        if origin_end == 0 {
            return url_path.to_string();
        }
        format!("{}{}", &self.base_url[..origin_end], url_path)
    }

    /// The URL path of a site-relative path (`faq/` → `/guides/faq/`).
    pub fn url_for(&self, relative: &str) -> String {
        format!("{}/{}", self.base_path, relative.trim_start_matches('/'))
    }

    /// The index of the language whose code is `code`.
    pub fn language_index(&self, code: &str) -> Option<usize> {
        self.languages.iter().position(|l| l.code.eq_ignore_ascii_case(code))
    }

    /// The URL prefix of a language: `""` for the default, `en/` for the others.
    pub fn language_prefix(&self, lang: usize) -> String {
        if lang == 0 { String::new() } else { format!("{}/", self.languages[lang].code.to_lowercase()) }
    }

    /// Whether the site has more than one language.
    pub fn is_multilingual(&self) -> bool {
        self.languages.len() > 1
    }

    /// Override `base_url` (from `--base-url`).
    pub fn set_base_url(&mut self, url: &str) {
        self.base_url = normalise_base_url(url);
        self.base_path = base_path_of(&self.base_url);
    }
}

/// Letters, digits and `-` only, starting with a letter: what a file suffix and URL segment can hold.
fn is_language_code(code: &str) -> bool {
    code.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
        && code.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
}

fn normalise_base_url(url: &str) -> String {
    if url.ends_with('/') { url.to_string() } else { format!("{url}/") }
}

fn base_path_of(base_url: &str) -> String {
    let path = match base_url.find("://") {
        Some(scheme) => match base_url[scheme + 3..].find('/') {
            Some(p) => &base_url[scheme + 3 + p..],
            None => "/",
        },
        None => base_url,
    };
    path.trim_end_matches('/').to_string()
}

fn location(line: usize, column: usize, length: usize) -> Location {
    Location { file: PathBuf::from(CONFIG_FILE), line, column, length }
}

fn config_error(err: &yaml::YamlError) -> Diagnostic {
    let line = err.line.unwrap_or(1);
    let column = err.column.unwrap_or(1);
    if let Some((unknown, expected)) = yaml::unknown_field(&err.message) {
        let diagnostic = Diagnostic::error(format!("unknown key `{unknown}` in `site.yaml`")).at(location(
            line,
            column,
            unknown.chars().count(),
        ));
        let hint = match did_you_mean(unknown, expected.iter().copied()) {
            Some(close) => format!("did you mean `{close}`?"),
            None => format!("known keys here are: {}", expected.join(", ")),
        };
        return diagnostic.with_hint(hint);
    }
    if let Some(mismatch) = yaml::mismatch(&err.message)
        && let Some(field) = &mismatch.field
    {
        let (message, hint) = mismatch.describe(field);
        return Diagnostic::error(format!("{message} in `site.yaml`"))
            .at(location(line, column, mismatch.length()))
            .with_hint(hint);
    }
    let (message, hint) = yaml::plain_syntax(&err.message);
    let message = message.replace("front matter", "`site.yaml`");
    Diagnostic::error(message).at(location(line, column, 1)).with_hint(hint)
}

/// A full-width colon, tab or unquoted `: ` in `site.yaml`, in the editor's words.
fn slip_error(slip: &yaml::Slip) -> Diagnostic {
    let d = Diagnostic::error(format!("{} in `site.yaml`", slip.message())).at(location(
        slip.line,
        slip.column,
        slip.length,
    ));
    slip.hints().into_iter().fold(d, Diagnostic::with_hint)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_without_a_file() {
        let config = Config::parse(Path::new("/site"), "").unwrap();
        assert_eq!(config.language, "en");
        assert_eq!(config.theme, "default");
        assert_eq!(config.base_url, "/");
        assert_eq!(config.base_path, "");
        assert!(config.markdown.tables);
    }

    #[test]
    fn highlight_classes_follow_the_stylesheet() {
        let classes = |yaml: &str| Config::parse(Path::new("."), yaml).unwrap().markdown.highlight_classes;
        assert_eq!(classes(""), HighlightClasses::Styled);
        assert_eq!(classes("highlight: {theme: InspiredGitHub}"), HighlightClasses::Full);
        assert_eq!(classes("highlight: {classes: full}"), HighlightClasses::Full);
        assert_eq!(classes("highlight: {theme: InspiredGitHub, classes: styled}"), HighlightClasses::Styled);
    }

    #[test]
    fn base_url_with_a_sub_path() {
        let config = Config::parse(Path::new("."), "base_url: https://example.gov.cn/guides").unwrap();
        assert_eq!(config.base_url, "https://example.gov.cn/guides/");
        assert_eq!(config.base_path, "/guides");
        assert_eq!(config.url_for("faq/"), "/guides/faq/");
        assert_eq!(config.permalink("/guides/faq/"), "https://example.gov.cn/guides/faq/");
    }

    #[test]
    fn unknown_key_gets_a_hint_and_position() {
        let errors = Config::parse(Path::new("."), "title: A\ntitel: B\n").unwrap_err();
        let d = &errors[0];
        assert_eq!(d.message, "unknown key `titel` in `site.yaml`");
        let loc = d.location.as_ref().unwrap();
        assert_eq!((loc.line, loc.column), (2, 1));
        assert_eq!(d.hints, ["did you mean `title`?"]);
    }

    #[test]
    fn wrong_type_names_line_and_column() {
        let errors = Config::parse(Path::new("."), "title: A\npaginate_by: many\n").unwrap_err();
        let loc = errors[0].location.as_ref().unwrap();
        assert_eq!((loc.line, loc.column), (2, 14));
        assert_eq!(errors[0].message, "`paginate_by` must be a whole number, not `many` in `site.yaml`");
    }

    #[test]
    fn nested_unknown_key_is_reported() {
        let errors = Config::parse(Path::new("."), "markdown:\n  tabels: false\n").unwrap_err();
        assert_eq!(errors[0].message, "unknown key `tabels` in `site.yaml`");
        assert_eq!(errors[0].location.as_ref().unwrap().line, 2);
    }

    #[test]
    fn languages_default_first_with_titles() {
        let text = "title: T\nlanguages:\n  - code: zh-CN\n    title: 中文\n  - code: en\n";
        let config = Config::parse(Path::new("."), text).unwrap();
        assert_eq!(config.language, "zh-CN");
        assert_eq!(config.languages[0].title.as_deref(), Some("中文"));
        assert_eq!(config.languages[1].title.as_deref(), Some("T"));
        assert_eq!(config.language_prefix(1), "en/");
        assert_eq!(config.language_index("EN"), Some(1));
        assert!(Config::parse(Path::new("."), "languages:\n  - code: en\n  - code: en\n").is_err());
        assert!(Config::parse(Path::new("."), "languages:\n  - code: ../x\n").is_err());
    }

    #[test]
    fn bad_base_url_is_an_error() {
        let errors = Config::parse(Path::new("."), "base_url: example.gov.cn\n").unwrap_err();
        assert!(errors[0].message.contains("base_url"));
        assert_eq!(errors[0].location.as_ref().unwrap().column, 11);
    }
}
