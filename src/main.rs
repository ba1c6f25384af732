//! The `signpost` binary: parse the command line, run it, exit with its code.

use clap::Parser;

/// Rendering allocates many short-lived strings on several threads; mimalloc handles that
/// pattern markedly better than the system allocator.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    let cli = signpost::cli::Cli::parse();
    std::process::ExitCode::from(signpost::cli::run(cli).code())
}
