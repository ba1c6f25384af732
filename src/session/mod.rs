//! A rebuild session: the state `watch` and `serve` keep between builds, and the one place
//! that decides how little each rebuild redoes.
//!
//! The session sits above the pipeline and owns its memos ([`build::Memos`]: each stage's own,
//! and the last successful build). From the changed paths and the dependency index
//! ([`plan`]) it chooses a rebuild of some pages alone (`crate::quick`), a templates-only rebuild or a full
//! one, trying the pages alone first and falling back to a full build when the edit
//! reached further. No stage imports this module.

pub mod plan;

use std::time::Instant;

use crate::build::{self, BuildOptions, BuildReport, Memos, Scope};
use crate::error::Result;
use crate::quick::{self, QuickRebuild};
use crate::render::Output;

pub use plan::Changed;

/// The state kept between the builds of one `watch` or `serve`. Create one with
/// `Session::default()` and use it for every rebuild of the same site and options.
#[derive(Default)]
pub struct Session {
    memos: Memos,
}

/// A rebuild made in memory (for `serve`).
pub struct Rebuild {
    /// The outputs: every one of the site, or only those that changed when `partial`.
    pub outputs: Vec<Output>,
    /// Counts and warnings.
    pub report: BuildReport,
    /// Whether `outputs` holds only the changed outputs (some pages rebuilt alone), the others being
    /// the last build's.
    pub partial: bool,
    /// When some pages were rebuilt alone, the last build's outputs that are gone (replaced search files).
    pub removed: Vec<String>,
}

impl Session {
    /// Build the site into its output folder after `changed` (`None`: unknown, as for the
    /// first build), doing as little as the change allows.
    pub fn build(&mut self, options: &BuildOptions, changed: Changed<'_>) -> Result<BuildReport> {
        let started = Instant::now();
        self.rebuild(
            options,
            changed,
            |quick| {
                let mut report = quick.report;
                report.written =
                    quick::write(&options.output_dir(), &quick.outputs, &quick.removed, options.no_wait)?;
                report.elapsed = started.elapsed();
                Ok(report)
            },
            |memos, scope| build::build_with_memos(options, memos, scope),
        )
    }

    /// Render the site into memory after `changed`, doing as little as the change allows.
    pub fn render(&mut self, options: &BuildOptions, changed: Changed<'_>) -> Result<Rebuild> {
        self.rebuild(
            options,
            changed,
            |quick| {
                Ok(Rebuild {
                    outputs: quick.outputs,
                    removed: quick.removed,
                    report: quick.report,
                    partial: true,
                })
            },
            |memos, scope| {
                let rendering = build::render_with_memos(options, memos, scope)?;
                Ok(Rebuild {
                    outputs: rendering.outputs,
                    removed: Vec::new(),
                    report: rendering.report,
                    partial: false,
                })
            },
        )
    }

    /// The last successful build, whole (the live content-status report reads it).
    pub(crate) fn last_build(&self) -> Option<&build::LastBuild> {
        self.memos.last.as_ref()
    }

    /// How many outputs and bodies the session remembers (for tests and logs).
    pub fn len(&self) -> (usize, usize) {
        self.memos.len()
    }

    /// Whether the session remembers nothing yet.
    pub fn is_empty(&self) -> bool {
        self.memos.is_empty()
    }

    /// Try rendering some pages alone when the plan allows it, else run the pipeline: the choice
    /// `build` and `render` share, made here alone.
    fn rebuild<T>(
        &mut self,
        options: &BuildOptions,
        changed: Changed<'_>,
        one_page: impl FnOnce(QuickRebuild) -> Result<T>,
        pipeline: impl FnOnce(&mut Memos, Scope) -> Result<T>,
    ) -> Result<T> {
        let index = self.memos.last.as_ref().map(|last| &last.dependencies);
        let scope = match plan::plan(changed, index) {
            plan::Plan::Pages(pages) => match quick::rebuild_pages(options, &mut self.memos, &pages) {
                Some(rebuilt) => return one_page(rebuilt),
                None => Scope::Everything,
            },
            plan::Plan::Build(scope) => scope,
        };
        pipeline(&mut self.memos, scope)
    }
}
