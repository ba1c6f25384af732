//! The `signpost` binary: parse the command line, run it, exit with its code.

use clap::Parser;

/// Rendering allocates many short-lived strings on several threads; mimalloc handles that
/// pattern markedly better than the system allocator.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    disable_transparent_huge_pages();
    signpost::markdown::on_large_bodies(purge_at_once_from_a_large_body);
    let cli = signpost::cli::Cli::parse();
    if matches!(cli.command, signpost::cli::Command::Build(_)) {
        keep_freed_memory();
    }
    std::process::ExitCode::from(signpost::cli::run(cli).code())
}

unsafe extern "C" {
    fn mi_option_set(option: std::ffi::c_int, value: std::ffi::c_long);
}

/// `mi_option_purge_delay` in mimalloc's `mi_option_t` (the same in its versions 2 and 3):
/// how long freed memory is kept before it is given back to the system, in milliseconds.
const MI_OPTION_PURGE_DELAY: std::ffi::c_int = 15;

/// From the first large page's body on, mimalloc gives freed memory back at once rather than
/// 10 ms later, for the rest of the process: the body's passes free and allocate again all the
/// time, and the stages after them free its text while they allocate its links' URLs and write
/// its output. What was kept added about a ninth to a 20 MB page's peak memory (92 MiB
/// against 83). Builds without a large page keep the delay, which saves them time.
fn purge_at_once_from_a_large_body(starting: bool) {
    if starting {
        // SAFETY: mimalloc's options are plain integers it reads on each use; setting one
        // touches no memory of ours.
        unsafe { mi_option_set(MI_OPTION_PURGE_DELAY, 0) };
    }
}

/// A `build` keeps the memory it frees for itself rather than giving it back to the system
/// 10 ms later: the process ends with the build, and memory given back costs a page fault for
/// each of its pages when it is used again. The render stage frees the pages' search text as
/// the index reads it, and page after page of HTML, while it makes more: at 100,000 pages the
/// delay cost about 50,000 faults (some 0.2 s), against about 60 MB of peak memory.
/// A large page's body still sets the delay to nothing (see above), which lowers its peak.
fn keep_freed_memory() {
    // SAFETY: as above; a negative delay keeps freed memory.
    unsafe { mi_option_set(MI_OPTION_PURGE_DELAY, -1) };
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
