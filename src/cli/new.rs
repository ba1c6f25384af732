//! `signpost new`: create a page with front matter filled in.

use std::path::PathBuf;

use crate::error::{Error, Result};
use crate::front_matter::Kind;

use super::Outcome;

/// Arguments of `signpost new`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The page to create, such as `content/faq/lost-card.md`.
    pub path: PathBuf,
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

fn body_for(kind: Kind) -> &'static str {
    match kind {
        Kind::Guide => "Write the guidance here.\n",
        Kind::Steps => "## First step\n\nWhat to do first.\n\n## Second step\n\nWhat to do next.\n",
        Kind::Faq => "## A question people ask?\n\nThe answer.\n",
        Kind::Law => "## Chapter 1\n\n### Article 1\n\nThe article's text.\n",
    }
}

/// The full text of a new page.
pub fn page_text(title: &str, kind: Kind, today: &str) -> String {
    let mut fm =
        format!("---\ntitle: {}\ndescription: \"\"\ndate: {today}\ndraft: true\n", yaml_string(title));
    if kind != Kind::Guide {
        fm.push_str(&format!("kind: {}\n", kind.as_str()));
    }
    if kind == Kind::Faq {
        fm.push_str("owner: \"\"\n");
    }
    format!("{fm}---\n\n{}", body_for(kind))
}

fn yaml_string(s: &str) -> String {
    format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
}

/// Run `signpost new`.
pub fn run(args: Args) -> Result<Outcome> {
    let path = &args.path;
    if path.extension().and_then(|e| e.to_str()) != Some("md") {
        return Err(Error::Usage(format!("`{}` must end in `.md`", path.display())));
    }
    if path.exists() {
        return Err(Error::Usage(format!("`{}` already exists; choose another name", path.display())));
    }
    let stem = path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
    let stem = if stem == "index" {
        path.parent().and_then(|p| p.file_name()).map(|s| s.to_string_lossy().into_owned()).unwrap_or(stem)
    } else {
        stem
    };
    let today = chrono::Local::now().format("%Y-%m-%d").to_string();
    let text = page_text(&title_from_file_name(&stem), args.kind.into(), &today);
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent).map_err(|e| Error::io("create folder", parent, e))?;
    }
    std::fs::write(path, text).map_err(|e| Error::io("write", path, e))?;
    println!("Created `{}` (a draft: set `draft: false` to publish it)", path.display());
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
        let text = page_text("Say \"hi\"", Kind::Faq, "2026-11-29");
        let split = crate::front_matter::split(&text).unwrap();
        let parsed = crate::front_matter::parse(std::path::Path::new("x.md"), &split, &[], false);
        let fm = parsed.front_matter.expect("valid front matter");
        assert_eq!(fm.title, "Say \"hi\"");
        assert!(fm.draft);
        assert_eq!(fm.kind, Kind::Faq);
    }
}
