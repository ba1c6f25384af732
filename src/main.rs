//! The `signpost` binary: parse the command line, run it, exit with its code.

use clap::Parser;

/// Rendering allocates many short-lived strings on several threads; mimalloc handles that
/// pattern markedly better than the system allocator.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    disable_transparent_huge_pages();
    signpost::markdown::on_large_bodies(purge_at_once_while_large);
    let cli = signpost::cli::Cli::parse();
    std::process::ExitCode::from(signpost::cli::run(cli).code())
}

unsafe extern "C" {
    fn mi_option_get(option: std::ffi::c_int) -> std::ffi::c_long;
    fn mi_option_set(option: std::ffi::c_int, value: std::ffi::c_long);
}

/// `mi_option_purge_delay` in mimalloc's `mi_option_t` (the same in its versions 2 and 3):
/// how long freed memory is kept before it is given back to the system, in milliseconds.
const MI_OPTION_PURGE_DELAY: std::ffi::c_int = 15;

/// While a large page's body renders, mimalloc gives freed memory back at once rather than
/// 10 ms later: the body's passes free and allocate again all the time, and what was kept
/// added about a tenth to a 20 MB page's peak memory (93 MiB against 83). Ordinary builds
/// have no large page and keep the delay, which saves them time.
fn purge_at_once_while_large(starting: bool) {
    // How many large bodies are rendering, and the delay from before the first one.
    static LARGE: std::sync::Mutex<(usize, std::ffi::c_long)> = std::sync::Mutex::new((0, 0));
    let mut large = LARGE.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    // SAFETY: mimalloc's options are plain integers it reads on each use; setting one touches
    // no memory of ours.
    unsafe {
        match (starting, large.0) {
            (true, 0) => {
                large.1 = mi_option_get(MI_OPTION_PURGE_DELAY);
                mi_option_set(MI_OPTION_PURGE_DELAY, 0);
            }
            (false, 1) => mi_option_set(MI_OPTION_PURGE_DELAY, large.1),
            _ => {}
        }
    }
    large.0 = if starting { large.0 + 1 } else { large.0.saturating_sub(1) };
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
