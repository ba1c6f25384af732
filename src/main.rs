//! The `signpost` binary: parse the command line, run it, exit with its code.

use clap::Parser;

fn main() -> std::process::ExitCode {
    let cli = signpost::cli::Cli::parse();
    std::process::ExitCode::from(signpost::cli::run(cli).code())
}
