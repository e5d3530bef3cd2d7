//! The command line: argument parsing and one file per subcommand, each a thin
//! layer over the library.

mod check;

use clap::{Parser, Subcommand, ValueEnum};
use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

/// Exit statuses, the same for every subcommand.
pub mod status {
    /// No errors.
    pub const OK: u8 = 0;
    /// The sources have errors (or warnings that were denied).
    pub const ERRORS: u8 = 1;
    /// The command line is wrong, or a path could not be read.
    pub const USAGE: u8 = 2;
}

/// Customer journeys and value streams as text: check them, link them, publish them.
#[derive(Parser, Debug)]
#[command(name = "journey", version, about, long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Check a workspace and report every problem
    Check(check::CheckArgs),
}

/// How diagnostics are printed.
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// Readable reports with source snippets, on standard error
    Human,
    /// One JSON document, `{"diagnostics": [...]}`, on standard output
    Json,
    /// GitHub Actions workflow commands (annotations), on standard output
    Github,
}

/// When to colour the human format.
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Color {
    /// When standard error is a terminal and `NO_COLOR` is not set
    Auto,
    Always,
    Never,
}

impl Color {
    fn enabled(self) -> bool {
        match self {
            Color::Always => true,
            Color::Never => false,
            Color::Auto => {
                std::io::stderr().is_terminal()
                    && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
            }
        }
    }
}

/// Runs the command line and returns the process's exit status.
pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            // clap prints help and version to stdout with status 0, and usage
            // errors to stderr with status 2.
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { status::USAGE } else { status::OK });
        }
    };
    ExitCode::from(match cli.command {
        Command::Check(args) => check::run(&args),
    })
}

/// Prints a usage or I/O problem the way every subcommand does.
fn complain(message: &str) {
    eprintln!("error: {message}");
}

/// The paths of a workspace, as given on the command line.
#[derive(clap::Args, Debug)]
pub struct Paths {
    /// Files and folders to read; a folder means every `*.journey` file below it
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,
}
