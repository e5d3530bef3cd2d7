//! The `journey` command: everything lives in the library's `cli` module.

/// mimalloc instead of the system allocator: the front end makes millions of small
/// allocations from several threads, and glibc's per-thread arenas spent a quarter
/// of `journey check`'s time growing and faulting in memory (see docs/performance.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    journey::cli::main()
}
