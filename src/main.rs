//! The `journey` command: everything lives in the library's `cli` module.

fn main() -> std::process::ExitCode {
    journey::cli::main()
}
