//! `signpost serve`: build into memory, watch, and preview over HTTP with live reload.

use std::net::IpAddr;
use std::path::PathBuf;

use crate::build::BuildOptions;
use crate::content::Inclusion;
use crate::error::Result;
use crate::serve::{self, PORT_TRIES, ServeOptions};

use super::{Outcome, root_or_current};

/// Arguments of `signpost serve`.
#[derive(Debug, clap::Args)]
#[command(
    long_about = "Build the site into memory, watch its sources and serve it over HTTP with live reload.\n\n\
                  The preview is built in memory only: nothing is written to the output folder \
                  (run `signpost build` for that). Links use the preview's address as base URL."
)]
pub struct Args {
    /// The site root (holds site.yaml and content/).
    #[arg(long)]
    pub root: Option<PathBuf>,
    /// The address to listen on (anything but loopback exposes the preview to the network).
    #[arg(long, default_value = "127.0.0.1")]
    pub bind: IpAddr,
    /// The port to listen on; when taken, the next 10 are tried.
    #[arg(long, default_value_t = 1111)]
    pub port: u16,
    /// Open the preview in the default browser.
    #[arg(long)]
    pub open: bool,
    /// Include draft pages.
    #[arg(long)]
    pub drafts: bool,
    /// Scan for changes every 500 ms instead of using file-system events
    /// (for network drives and containers).
    #[arg(long)]
    pub poll: bool,
}

/// Run `signpost serve` until Ctrl-C.
pub fn run(args: Args) -> Result<Outcome> {
    let root = root_or_current(args.root);
    if !args.bind.is_loopback() {
        eprintln!(
            "warning: listening on {}, so other machines on the network can see this preview",
            args.bind
        );
    }
    let options = ServeOptions {
        build: BuildOptions {
            root,
            skip_search_index: false,
            include: Inclusion { drafts: args.drafts, ..Inclusion::default() },
            ..BuildOptions::default()
        },
        bind: args.bind,
        port: args.port,
        port_tries: PORT_TRIES,
        poll: args.poll,
        log: true,
    };
    let mut handle = serve::start(options)?;
    let url = handle.url();
    if handle.addr().port() != args.port {
        println!("Port {} is taken; using {} instead.", args.port, handle.addr().port());
    }
    println!(
        "Serving the site at {url} (built in memory; nothing is written to disk). Press Ctrl-C to stop."
    );
    if args.open && serve::open_browser(&url).is_err() {
        eprintln!("warning: could not open a browser; visit {url}");
    }
    handle.wait_for_ctrl_c();
    println!("Stopping…");
    handle.shutdown();
    Ok(Outcome::Success)
}
