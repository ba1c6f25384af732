//! `signpost schema`: write the JSON Schema of front matter for editors.

use std::path::PathBuf;

use crate::config::Config;
use crate::error::{Error, Result};
use crate::schema::front_matter_schema;

use super::{Outcome, root_or_current};

/// Arguments of `signpost schema`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The site root (its taxonomies become schema properties).
    #[arg(long)]
    pub root: Option<PathBuf>,
    /// Write to this file instead of standard output.
    #[arg(long, short)]
    pub output: Option<PathBuf>,
}

/// Run `signpost schema`.
pub fn run(args: Args) -> Result<Outcome> {
    let root = root_or_current(args.root);
    let config = Config::load(&root).map_err(|d| Error::Content(d.into_iter().collect()))?;
    let schema = front_matter_schema(&config.taxonomies);
    let text = serde_json::to_string_pretty(&schema).unwrap_or_default() + "\n";
    match args.output {
        Some(path) => std::fs::write(&path, text).map_err(|e| Error::io("write", &path, e))?,
        None => print!("{text}"),
    }
    Ok(Outcome::Success)
}
