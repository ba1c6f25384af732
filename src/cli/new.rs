//! `signpost new`: create a page with front matter filled in.

use std::path::{Component, Path, PathBuf};

use crate::config::{CONFIG_FILE, Config};
use crate::error::{Error, Result};
use crate::front_matter::Kind;
use crate::guidance::lifecycle;

use super::{Outcome, root_or_current};

/// Arguments of `signpost new`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The page to create under the site root, such as `content/faq/lost-card.md`.
    pub path: PathBuf,
    /// The site root (holds site.yaml and content/).
    #[arg(long)]
    pub root: Option<PathBuf>,
    /// The guidance kind.
    #[arg(long, value_enum, default_value = "guide")]
    pub kind: KindArg,
}

/// `--kind` values.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum KindArg {
    /// Ordinary guidance.
    Guide,
    /// Step-by-step task.
    Steps,
    /// Questions and answers.
    Faq,
    /// An act with articles.
    Law,
}

impl From<KindArg> for Kind {
    fn from(k: KindArg) -> Kind {
        match k {
            KindArg::Guide => Kind::Guide,
            KindArg::Steps => Kind::Steps,
            KindArg::Faq => Kind::Faq,
            KindArg::Law => Kind::Law,
        }
    }
}

/// "lost-card" → "Lost card".
pub fn title_from_file_name(stem: &str) -> String {
    let words = stem.replace(['-', '_'], " ");
    let mut chars = words.trim().chars();
    match chars.next() {
        Some(first) => first.to_uppercase().collect::<String>() + chars.as_str(),
        None => "Untitled".to_string(),
    }
}

/// Words of a new page in its language: Chinese for `zh*` pages, English otherwise.
struct Words {
    description: &'static str,
    owner: &'static str,
    guide: &'static str,
    steps: &'static str,
    faq: &'static str,
    law: &'static str,
}

const ENGLISH: Words = Words {
    description: lifecycle::PLACEHOLDER_DESCRIPTION_EN,
    owner: lifecycle::PLACEHOLDER_OWNER_EN,
    guide: "Write the guidance here.\n",
    steps: "## First step\n\nWhat to do first.\n\n## Second step\n\nWhat to do next.\n",
    faq: "## A question people ask?\n\nThe answer.\n",
    law: "## Chapter 1\n\n### Article 1\n\nThe article's text.\n",
};

const CHINESE: Words = Words {
    description: lifecycle::PLACEHOLDER_DESCRIPTION_ZH,
    owner: lifecycle::PLACEHOLDER_OWNER_ZH,
    guide: "在这里写办事指南。\n",
    steps: "## 第一步\n\n先做什么。\n\n## 第二步\n\n接下来做什么。\n",
    faq: "## 群众常问的问题？\n\n回答。\n",
    law: "## 第一章 总则\n\n### 第一条\n\n条文。\n",
};

fn words_for(lang: &str) -> &'static Words {
    if lang.starts_with("zh") { &CHINESE } else { &ENGLISH }
}

/// The full text of a new page in language `lang`, with placeholders that `check` reports
/// until they are replaced.
pub fn page_text(title: &str, kind: Kind, today: &str, lang: &str) -> String {
    let words = words_for(lang);
    let mut fm = format!(
        "---\ntitle: {}\ndescription: {}\ndate: {today}\ndraft: true\n",
        yaml_string(title),
        yaml_string(words.description)
    );
    if kind != Kind::Guide {
        fm.push_str(&format!("kind: {}\n", kind.as_str()));
    }
    if kind == Kind::Faq {
        fm.push_str(&format!("owner: {}\n", yaml_string(words.owner)));
    }
    let body = match kind {
        // A service guide's elements go in its front matter; its body is ordinary guidance.
        Kind::Guide | Kind::Service => words.guide,
        Kind::Steps => words.steps,
        Kind::Faq => words.faq,
        Kind::Law => words.law,
    };
    format!("{fm}---\n\n{body}")
}

fn yaml_string(s: &str) -> String {
    format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
}

/// Refuse a root that is not a site, and a page that would not be built.
fn check_place(root: &Path, path: &Path) -> Result<PathBuf> {
    if !root.join(CONFIG_FILE).is_file() && !root.join("content").is_dir() {
        return Err(Error::Usage(format!(
            "`{}` is not a site (it has no `site.yaml` and no `content/` folder); \
             run `signpost new` in a site, give `--root`, or create one with `signpost init`",
            root.display()
        )));
    }
    if path.extension().and_then(|e| e.to_str()) != Some("md") {
        return Err(Error::Usage(format!("`{}` must end in `.md`", path.display())));
    }
    let inside = path.strip_prefix("content").ok().filter(|rest| {
        !rest.as_os_str().is_empty() && rest.components().all(|c| matches!(c, Component::Normal(_)))
    });
    match inside {
        Some(_) => Ok(root.join(path)),
        None => Err(Error::Usage(format!(
            "`{}` is not inside `content/`, so it would never be built; give a path like `content/{}`",
            path.display(),
            path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default()
        ))),
    }
}

/// The language code of the page at `rel` (under `content/`) in the site at `root`.
fn page_language(root: &Path, rel: &Path) -> String {
    let Ok(config) = Config::load(root) else { return String::new() };
    let rel = rel.to_string_lossy().replace('\\', "/");
    let (_, lang) = crate::content::split_language(&config, &rel);
    config.languages.get(lang).map(|l| l.code.clone()).unwrap_or_default()
}

/// Run `signpost new`.
pub fn run(args: Args) -> Result<Outcome> {
    let root = root_or_current(args.root);
    let path = check_place(&root, &args.path)?;
    if path.exists() {
        return Err(Error::Usage(format!("`{}` already exists; choose another name", path.display())));
    }
    let stem = path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
    let stem = if stem == "index" {
        path.parent().and_then(|p| p.file_name()).map(|s| s.to_string_lossy().into_owned()).unwrap_or(stem)
    } else {
        stem
    };
    let lang = page_language(&root, args.path.strip_prefix("content").unwrap_or(&args.path));
    let stem =
        stem.rsplit_once('.').filter(|(_, code)| *code == lang).map_or(stem.as_str(), |(base, _)| base);
    let today = chrono::Local::now().format("%Y-%m-%d").to_string();
    let text = page_text(&title_from_file_name(stem), args.kind.into(), &today, &lang);
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent).map_err(|e| Error::io("create folder", parent, e))?;
    }
    std::fs::write(&path, text).map_err(|e| Error::io("write", &path, e))?;
    println!(
        "Created `{}` (a draft: fill in the placeholders, then set `draft: false` to publish it)",
        path.display()
    );
    Ok(Outcome::Success)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_from_file_names() {
        assert_eq!(title_from_file_name("lost-card"), "Lost card");
        assert_eq!(title_from_file_name("身份证"), "身份证");
        assert_eq!(title_from_file_name(""), "Untitled");
    }

    #[test]
    fn new_page_parses_as_front_matter() {
        let text = page_text("Say \"hi\"", Kind::Faq, "2026-11-29", "en");
        let split = crate::front_matter::split(&text).unwrap();
        let parsed = crate::front_matter::parse(std::path::Path::new("x.md"), &split, &[], false);
        let fm = parsed.front_matter.expect("valid front matter");
        assert_eq!(fm.title, "Say \"hi\"");
        assert!(fm.draft);
        assert_eq!(fm.kind, Kind::Faq);
    }
}
