//! `signpost init`: scaffold a site that builds at once, with the default theme.

use std::path::{Path, PathBuf};

use include_dir::{Dir, include_dir};

use crate::error::{Error, Result};

use super::Outcome;

/// Arguments of `signpost init`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The folder to create the site in (created if missing; must be empty).
    pub dir: PathBuf,
    /// The site's languages, the default first: `zh-CN`, `en`, `zh-CN,en` or `en,zh-CN`.
    #[arg(long, default_value = "zh-CN")]
    pub lang: String,
}

/// The starter pages of every language (a steps page, an FAQ page and a law page).
static STARTERS: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/starters");

/// What `site.yaml` says in one starter language.
struct Starter {
    code: &'static str,
    title: &'static str,
    description: &'static str,
    organization: &'static str,
    /// The display name of the starter's one tag, `residence-permit`.
    term: &'static str,
}

const LANGUAGES: [Starter; 2] = [
    Starter {
        code: "zh-CN",
        title: "居住证服务",
        description: "居住证申领指南、常见问题解答及相关规定。",
        organization: "示例市公安局户籍管理科",
        term: "居住证",
    },
    Starter {
        code: "en",
        title: "Residence permit services",
        description: "How to apply for a residence permit, answers to common questions, and the rules behind them.",
        organization: "Example City Household Registration Office",
        term: "Residence permits",
    },
];

/// The starters named by `--lang`, in its order, or a usage error naming the choices.
fn starters(lang: &str) -> Result<Vec<&'static Starter>> {
    let mut chosen: Vec<&'static Starter> = Vec::new();
    for code in lang.split(',').map(str::trim) {
        let starter = LANGUAGES.iter().find(|s| s.code.eq_ignore_ascii_case(code)).ok_or_else(|| {
            Error::Usage(format!(
                "there is no starter in `{code}`; choose `zh-CN`, `en`, `zh-CN,en` or `en,zh-CN`"
            ))
        })?;
        if chosen.iter().any(|c| c.code == starter.code) {
            return Err(Error::Usage(format!("`{code}` is given twice in `--lang {lang}`")));
        }
        chosen.push(starter);
    }
    Ok(chosen)
}

fn quoted(text: &str) -> String {
    format!("\"{}\"", text.replace('\\', "\\\\").replace('"', "\\\""))
}

/// `site.yaml` for the chosen languages, the first one the default.
fn site_yaml(langs: &[&Starter]) -> String {
    let first = langs[0];
    let mut yaml = format!(
        "title: {}\ndescription: {}\nbase_url: https://example.gov/\n",
        quoted(first.title),
        quoted(first.description)
    );
    if let [only] = langs {
        yaml.push_str(&format!("language: {}\n", only.code));
    } else {
        yaml.push_str("languages:\n");
        for l in langs {
            yaml.push_str(&format!(
                "  - code: {}\n    title: {}\n    description: {}\n",
                l.code,
                quoted(l.title),
                quoted(l.description)
            ));
        }
    }
    let names: Vec<String> = langs.iter().map(|l| format!("{}: {}", l.code, quoted(l.term))).collect();
    yaml.push_str("taxonomies: [tags]\n");
    yaml.push_str(&format!("terms:\n  residence-permit: {{{}}}\n", names.join(", ")));
    yaml.push_str(&format!("organization:\n  name: {}\n", quoted(first.organization)));
    yaml
}

/// `apply.md` → `apply.en.md` for every language but the default.
fn translated(path: &Path, code: Option<&str>) -> PathBuf {
    match (code, path.file_stem().and_then(|s| s.to_str())) {
        (Some(code), Some(stem)) => path.with_file_name(format!("{stem}.{code}.md")),
        _ => path.to_path_buf(),
    }
}

/// Run `signpost init`.
pub fn run(args: Args) -> Result<Outcome> {
    let dir = &args.dir;
    let langs = starters(&args.lang)?;
    if dir.exists() && std::fs::read_dir(dir).map_err(|e| Error::io("read folder", dir, e))?.next().is_some()
    {
        return Err(Error::Usage(format!("`{}` is not empty; give a new or empty folder", dir.display())));
    }
    write(&dir.join("site.yaml"), &site_yaml(&langs))?;
    for (i, lang) in langs.iter().enumerate() {
        let Some(content) = STARTERS.get_dir(format!("{}/content", lang.code)) else { continue };
        let suffix = (i > 0).then_some(lang.code);
        extract(content, &dir.join("content"), &|p| translated(p, suffix))?;
    }
    write(&dir.join(".gitignore"), "/public\n")?;
    extract(&crate::theme::BUILTIN, &dir.join("themes/default"), &|p| p.to_path_buf())?;
    println!(
        "Created a new site in `{}`. Build it with: signpost build --root {}",
        dir.display(),
        dir.display()
    );
    Ok(Outcome::Success)
}

fn write(path: &Path, text: &str) -> Result<()> {
    write_bytes(path, text.as_bytes())
}

fn write_bytes(path: &Path, bytes: &[u8]) -> Result<()> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(|e| Error::io("create folder", parent, e))?;
    }
    std::fs::write(path, bytes).map_err(|e| Error::io("write", path, e))
}

/// Write the files under `dir` into `to`, each path passed through `rename`.
fn extract(dir: &Dir<'_>, to: &Path, rename: &dyn Fn(&Path) -> PathBuf) -> Result<()> {
    for file in dir.files() {
        let rel = file.path().strip_prefix(dir.path()).unwrap_or(file.path());
        write_bytes(&to.join(rename(rel)), file.contents())?;
    }
    for sub in dir.dirs() {
        extract(sub, &to.join(sub.path().strip_prefix(dir.path()).unwrap_or(sub.path())), rename)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_language_has_the_same_starter_pages() {
        let names = |code: &str| {
            let mut names = Vec::new();
            let mut dirs = vec![STARTERS.get_dir(format!("{code}/content")).expect("starter")];
            while let Some(dir) = dirs.pop() {
                names.extend(
                    dir.files().map(|f| f.path().strip_prefix(code).unwrap_or(f.path()).to_path_buf()),
                );
                dirs.extend(dir.dirs());
            }
            names.sort();
            names
        };
        assert_eq!(names("zh-CN"), names("en"));
        assert_eq!(names("en").len(), 6);
    }

    #[test]
    fn site_yaml_parses_for_every_choice() {
        for lang in ["zh-CN", "en", "zh-CN,en", "en,zh-CN"] {
            let yaml = site_yaml(&starters(lang).unwrap());
            let config = crate::config::Config::parse(Path::new("."), &yaml).expect(lang);
            assert_eq!(config.language, lang.split(',').next().unwrap());
            assert_eq!(config.term_name(0, "residence-permit"), starters(lang).unwrap()[0].term);
        }
        assert!(starters("fr").is_err());
        assert!(starters("en,en").is_err());
    }
}
