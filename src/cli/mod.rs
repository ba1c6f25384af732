//! The command line: one `Args` struct and one `run` per command; no pipeline logic here.

mod build;
mod check;
mod init;
mod new;
mod report;
mod schema;
mod serve;
mod watch;

use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use clap::{Parser, Subcommand};

use crate::build::BuildOptions;
use crate::content::Inclusion;
use crate::diagnostics::{self, Diagnostics, Format};
use crate::error::Error;
use crate::messages;

/// Signpost: a static-site generator for public-service guidance.
#[derive(Debug, Parser)]
#[command(name = "signpost", version, about, long_about = None)]
pub struct Cli {
    /// The command to run.
    #[command(subcommand)]
    pub command: Command,
    /// Print at most N problems of each kind, then how many more there were (0: all).
    #[arg(long, global = true, value_name = "N", default_value_t = diagnostics::DEFAULT_MAX_PER_KIND)]
    pub max_diagnostics: usize,
}

/// How many problems of each kind to print (`--max-diagnostics`), set once by [`run`].
static MAX_PER_KIND: std::sync::OnceLock<usize> = std::sync::OnceLock::new();

/// Signpost's commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Build the site into the output folder.
    Build(build::Args),
    /// Run the whole pipeline without writing anything and report every problem.
    Check(check::Args),
    /// Create a new site that builds at once.
    Init(init::Args),
    /// Create a new page with its front matter filled in.
    New(new::Args),
    /// Write the content-status report (reviews, owners, translations, links…) as HTML or JSON.
    Report(report::Args),
    /// Write the JSON Schema of front matter (for editors' YAML language servers).
    Schema(schema::Args),
    /// Build, then rebuild into the output folder whenever a source changes.
    Watch(watch::Args),
    /// Preview the site over HTTP with live reload (built in memory; writes nothing to disk).
    Serve(serve::Args),
}

/// How a command ended, mapped to the exit code by `main`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Exit 0.
    Success,
    /// Exit 1: the content has errors.
    ContentErrors,
    /// Exit 2: usage or fatal error.
    Fatal,
}

impl Outcome {
    /// The process exit code.
    pub fn code(self) -> u8 {
        match self {
            Outcome::Success => 0,
            Outcome::ContentErrors => 1,
            Outcome::Fatal => 2,
        }
    }
}

/// Run a parsed command line.
pub fn run(cli: Cli) -> Outcome {
    let _ = MAX_PER_KIND.set(cli.max_diagnostics);
    let result = match cli.command {
        Command::Build(args) => build::run(args),
        Command::Check(args) => check::run(args),
        Command::Init(args) => init::run(args),
        Command::New(args) => new::run(args),
        Command::Report(args) => report::run(args),
        Command::Schema(args) => schema::run(args),
        Command::Watch(args) => watch::run(args),
        Command::Serve(args) => serve::run(args),
    };
    match result {
        Ok(outcome) => outcome,
        Err(err) => report_error(err, Format::Human, None),
    }
}

/// Whether to colour stderr.
pub(crate) fn use_color() -> bool {
    std::env::var_os("NO_COLOR").is_none() && std::io::stderr().is_terminal()
}

/// Print diagnostics to stderr (or JSON lines to stdout), reading sources under `root`. The
/// human format speaks the site's language (see [`crate::messages`]); JSON, read by programs,
/// stays in English.
pub(crate) fn print_diagnostics(diags: &Diagnostics, format: Format, root: &Path) {
    // A file too large to be a page (a 50 MB data export) is not read again to be quoted.
    let read = |file: &Path| {
        let path = root.join(file);
        let size = std::fs::metadata(&path).ok()?.len();
        if size > crate::data::MAX_BYTES { None } else { std::fs::read_to_string(path).ok() }
    };
    let result = match format {
        Format::Json => diagnostics::report(diags, &mut std::io::stdout().lock(), format, false, &read),
        Format::Human => {
            let max = MAX_PER_KIND.get().copied().unwrap_or(diagnostics::DEFAULT_MAX_PER_KIND);
            let lang = site_lang(root);
            diagnostics::report_capped(
                diags,
                &mut std::io::stderr().lock(),
                format,
                use_color(),
                &read,
                (max, lang),
            )
        }
    };
    let _ = result;
}

/// The message catalogue of the site at `root`: its default language's, English when
/// `site.yaml` cannot be read (its own errors are then the ones printed).
fn site_lang(root: &Path) -> messages::Lang {
    crate::config::Config::load(root)
        .map_or(messages::Lang::En, |config| messages::Lang::for_code(&config.language))
}

/// Report a failed command and choose its outcome.
pub(crate) fn report_error(err: Error, format: Format, root: Option<&Path>) -> Outcome {
    match err {
        Error::Content(diags) => {
            print_diagnostics(&diags, format, root.unwrap_or(Path::new(".")));
            Outcome::ContentErrors
        }
        other => {
            let prefix = if use_color() { "\x1b[1;31merror\x1b[0m" } else { "error" };
            eprintln!("{prefix}: {other}");
            Outcome::Fatal
        }
    }
}

/// The flags of every command that builds a site: where the site is, its base URL and which
/// unpublished pages it includes. Each command flattens this one struct into its arguments,
/// so the commands cannot drift apart.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct SiteArgs {
    /// The site root (holds site.yaml and content/).
    #[arg(long)]
    pub root: Option<PathBuf>,
    /// Override base_url from site.yaml.
    #[arg(long)]
    pub base_url: Option<String>,
    /// Include draft pages.
    #[arg(long)]
    pub drafts: bool,
    /// Include pages whose publish_at is in the future.
    #[arg(long)]
    pub future: bool,
    /// Include pages whose expire_at has passed.
    #[arg(long)]
    pub expired: bool,
}

impl SiteArgs {
    /// The site root (default: the current folder).
    pub fn root(&self) -> PathBuf {
        root_or_current(self.root.clone())
    }

    /// Build options for this site; the command sets the rest.
    pub fn build_options(&self) -> BuildOptions {
        BuildOptions {
            root: self.root(),
            base_url: self.base_url.clone(),
            include: Inclusion { drafts: self.drafts, future: self.future, expired: self.expired },
            ..BuildOptions::default()
        }
    }
}

/// Resolve `--root` (default: the current folder).
pub(crate) fn root_or_current(root: Option<PathBuf>) -> PathBuf {
    root.unwrap_or_else(|| PathBuf::from("."))
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn cli_definition_is_valid() {
        Cli::command().debug_assert();
    }

    /// The site flags of `command`, parsed from a command line that gives all of them.
    fn site_flags(command: &str) -> BuildOptions {
        let cli = Cli::try_parse_from([
            "signpost",
            command,
            "--root",
            "site",
            "--base-url",
            "https://x.gov/",
            "--drafts",
            "--future",
            "--expired",
        ])
        .unwrap_or_else(|e| panic!("`{command}` refused the site flags: {e}"));
        let site = match cli.command {
            Command::Build(args) => args.site,
            Command::Check(args) => args.site,
            Command::Watch(args) => args.site,
            Command::Serve(args) => args.site,
            Command::Report(args) => args.site,
            _ => panic!("not a site command"),
        };
        site.build_options()
    }

    #[test]
    fn every_site_command_takes_the_same_content_flags() {
        for command in ["build", "check", "watch", "serve", "report"] {
            let options = site_flags(command);
            assert_eq!(options.root, PathBuf::from("site"), "{command}");
            assert_eq!(options.base_url.as_deref(), Some("https://x.gov/"), "{command}");
            let Inclusion { drafts, future, expired } = options.include;
            assert!(drafts && future && expired, "{command}");
        }
    }
}
