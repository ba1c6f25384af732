//! `signpost init`: scaffold a site that builds at once, with the default theme.

use std::path::{Path, PathBuf};

use include_dir::Dir;

use crate::error::{Error, Result};

use super::Outcome;

/// Arguments of `signpost init`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The folder to create the site in (created if missing; must be empty).
    pub dir: PathBuf,
}

const SITE_YAML: &str = "\
title: My guidance site
description: Guidance for citizens on getting things done.
base_url: https://example.gov/
language: en
taxonomies: [tags]
organization:
  name: Example Public Body
";

const HOME: &str = "\
---
title: My guidance site
description: Guidance for citizens on getting things done.
---

Start with [how to apply](guides/apply.md).
";

const GUIDES: &str = "\
---
title: Guides
description: Step-by-step guidance.
sort_by: weight
---
";

const APPLY: &str = "\
---
title: Apply for a permit
description: How to apply for a permit online.
date: 2026-01-01
kind: steps
weight: 10
tags: [permits]
time_required: About 20 minutes
you_need: [Your identity card]
---

## Check you can apply

You can apply if you live in the area.

## Fill in the form

Give your name and address.

> [!NOTE]
> Keep your reference number.
";

/// Run `signpost init`.
pub fn run(args: Args) -> Result<Outcome> {
    let dir = &args.dir;
    if dir.exists() && std::fs::read_dir(dir).map_err(|e| Error::io("read folder", dir, e))?.next().is_some()
    {
        return Err(Error::Usage(format!("`{}` is not empty; give a new or empty folder", dir.display())));
    }
    write(&dir.join("site.yaml"), SITE_YAML)?;
    write(&dir.join("content/_index.md"), HOME)?;
    write(&dir.join("content/guides/_index.md"), GUIDES)?;
    write(&dir.join("content/guides/apply.md"), APPLY)?;
    write(&dir.join(".gitignore"), "/public\n")?;
    extract(&crate::theme::BUILTIN, &dir.join("themes/default"))?;
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

fn extract(dir: &Dir<'_>, to: &Path) -> Result<()> {
    for file in dir.files() {
        write_bytes(&to.join(file.path().strip_prefix(dir.path()).unwrap_or(file.path())), file.contents())?;
    }
    for sub in dir.dirs() {
        extract(sub, &to.join(sub.path().strip_prefix(dir.path()).unwrap_or(sub.path())))?;
    }
    Ok(())
}
