//! The command line: one `Args` struct and one `run` per command; no pipeline logic here.

mod build;
mod check;
mod init;
mod new;
mod schema;
mod serve;
mod watch;

use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use clap::{Parser, Subcommand};

use crate::diagnostics::{self, Diagnostics, Format};
use crate::error::Error;

/// Signpost: a static-site generator for public-service guidance.
#[derive(Debug, Parser)]
#[command(name = "signpost", version, about, long_about = None)]
pub struct Cli {
    /// The command to run.
    #[command(subcommand)]
    pub command: Command,
}

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
    let result = match cli.command {
        Command::Build(args) => build::run(args),
        Command::Check(args) => check::run(args),
        Command::Init(args) => init::run(args),
        Command::New(args) => new::run(args),
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

/// Print diagnostics to stderr (or JSON lines to stdout), reading sources under `root`.
pub(crate) fn print_diagnostics(diags: &Diagnostics, format: Format, root: &Path) {
    let read = |file: &Path| std::fs::read_to_string(root.join(file)).ok();
    let result = match format {
        Format::Json => diagnostics::report(diags, &mut std::io::stdout().lock(), format, false, &read),
        Format::Human => {
            diagnostics::report(diags, &mut std::io::stderr().lock(), format, use_color(), &read)
        }
    };
    let _ = result;
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
}
