//! `signpost serve`: build into memory, watch, and preview over HTTP with live reload.

use std::net::IpAddr;
use std::path::Path;
use std::sync::Arc;

use crate::diagnostics::Format;
use crate::error::Result;
use crate::serve::{self, PORT_TRIES, Rebuilt, Report, ServeOptions};

use super::{Outcome, SiteArgs, print_diagnostics, report_error};

/// Arguments of `signpost serve`.
#[derive(Debug, clap::Args)]
#[command(
    long_about = "Build the site into memory, watch its sources and serve it over HTTP with live reload.\n\n\
                  The preview is built in memory only: nothing is written to the output folder \
                  (run `signpost build` for that). Links use the preview's address as base URL."
)]
pub struct Args {
    /// The site, the pages it includes, and its base URL: by default the preview's address;
    /// give the address browsers reach the preview at when that differs (a proxy, another machine).
    #[command(flatten)]
    pub site: SiteArgs,
    /// The address to listen on (anything but loopback exposes the preview to the network).
    #[arg(long, default_value = "127.0.0.1")]
    pub bind: IpAddr,
    /// The port to listen on; when taken, the next 10 are tried.
    #[arg(long, default_value_t = 1111)]
    pub port: u16,
    /// Open the preview in the default browser.
    #[arg(long)]
    pub open: bool,
    /// Scan for changes every 500 ms instead of using file-system events
    /// (for network drives and containers).
    #[arg(long)]
    pub poll: bool,
}

/// Run `signpost serve` until Ctrl-C.
pub fn run(args: Args) -> Result<Outcome> {
    let build = args.site.build_options();
    if !args.bind.is_loopback() {
        eprintln!(
            "warning: listening on {}, so other machines on the network can see this preview",
            args.bind
        );
    }
    let options = ServeOptions {
        report: Some(Report(Arc::new({
            let root = build.root.clone();
            move |rebuilt| print_rebuilt(rebuilt, &root)
        }))),
        build,
        bind: args.bind,
        port: args.port,
        port_tries: PORT_TRIES,
        poll: args.poll,
    };
    let mut handle = serve::start(options)?;
    let url = handle.url();
    if handle.addr().port() != args.port {
        println!("Port {} is taken; using {} instead.", args.port, handle.addr().port());
    }
    println!(
        "Serving the site at {url} (built in memory; nothing is written to disk). Press Ctrl-C to stop."
    );
    println!("Content status report: {url}{}", serve::STATUS_PATH.trim_end_matches("index.html"));
    if args.open && serve::open_browser(&url).is_err() {
        eprintln!("warning: could not open a browser; visit {url}");
    }
    handle.wait_for_ctrl_c();
    println!("Stopping…");
    handle.shutdown();
    Ok(Outcome::Success)
}

/// The new warnings and one line per successful rebuild; the errors of a failed one.
fn print_rebuilt(rebuilt: Rebuilt<'_>, root: &Path) {
    match rebuilt {
        Rebuilt::Built { what, elapsed, changed, files, fresh, warnings } => {
            print_diagnostics(fresh, Format::Human, root);
            let warned = match warnings {
                0 => String::new(),
                n => format!(", {n} warnings"),
            };
            println!(
                "{what}: built in {} ms, {changed} of {files} files changed{warned}",
                elapsed.as_millis()
            );
        }
        Rebuilt::Failed { what, error } => {
            report_error(error, Format::Human, Some(root));
            eprintln!("{what}: the build failed; still serving the last good site");
        }
    }
}
