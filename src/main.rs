//! The `signpost` binary: parse the command line, run it, exit with its code.

use clap::Parser;

/// Rendering allocates many short-lived strings on several threads; mimalloc handles that
/// pattern markedly better than the system allocator.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    disable_transparent_huge_pages();
    let cli = signpost::cli::Cli::parse();
    std::process::ExitCode::from(signpost::cli::run(cli).code())
}

/// mimalloc asks the kernel for transparent huge pages, so each first touch of its heap
/// zeroes 2 MiB at once. A build's heap is short-lived and sparse: on a 10,000-page site
/// huge pages added about 45 MiB of peak memory and the time to zero it, and saved nothing.
#[cfg(target_os = "linux")]
fn disable_transparent_huge_pages() {
    // SAFETY: PR_SET_THP_DISABLE takes plain integers and touches no memory of ours.
    // Failure (an old kernel) only leaves the default in place.
    unsafe {
        libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0);
    }
}

#[cfg(not(target_os = "linux"))]
fn disable_transparent_huge_pages() {}
