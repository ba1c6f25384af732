//! Fatal errors: problems that stop a command before or after the content pipeline runs.
//!
//! Content problems are [`crate::diagnostics::Diagnostic`]s instead, collected and reported
//! together; these are for things such as an unreadable site root or an output folder that
//! must not be written.

use std::path::PathBuf;

use crate::diagnostics::Diagnostics;

/// A fatal error, reported at the edge by the CLI.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Reading or writing a file failed.
    #[error("could not {action} `{path}`: {source}")]
    Io {
        /// What we were doing ("read", "write", "create folder", ...).
        action: &'static str,
        /// The file involved.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
    /// The site cannot be built; the diagnostics say why.
    #[error("the site has {} error(s)", .0.error_count())]
    Content(Diagnostics),
    /// The output folder is unsafe to write to.
    #[error("refusing to write to `{path}`: {reason}")]
    UnsafeOutput {
        /// The output folder asked for.
        path: PathBuf,
        /// Why it is refused, with what to do instead.
        reason: String,
    },
    /// Another build holds the output folder's lock, and `--no-wait` was given.
    #[error(
        "another signpost build is writing `{path}`; run again when it has finished, or without `--no-wait` to wait for it"
    )]
    Locked {
        /// The output folder.
        path: PathBuf,
    },
    /// A command-line value is wrong.
    #[error("{0}")]
    Usage(String),
}

/// Shorthand for results with [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    /// Wrap an I/O error with the action and path it concerns.
    pub fn io(action: &'static str, path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Error::Io { action, path: path.into(), source }
    }
}
