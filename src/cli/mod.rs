//! The command line: argument parsing and one file per subcommand, each a thin
//! layer over the library.

mod build;
mod check;
mod completions;
mod diff;
mod export;
mod fmt;
mod import;
mod init;
mod lsp;
mod manpage;
mod serve;

use crate::Analysis;
use crate::check::{Level, LevelError, Levels};
use crate::diagnostic::Severity;
use crate::report;
use crate::source::Sources;
use crate::text::{self, plural};
use clap::{Parser, Subcommand, ValueEnum};
use std::io::{IsTerminal, Write as _};
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
    /// Check a workspace, then write the service blueprints and the traceability matrix
    Build(build::BuildArgs),
    /// Format files into the one canonical layout
    Fmt(fmt::FmtArgs),
    /// Compare two versions of a workspace: what changed for the customer and the operation
    Diff(diff::DiffArgs),
    /// Export a workspace to Mermaid, CSV, Markdown or SVG pictures
    Export(export::ExportArgs),
    /// Turn maps from other tools into a workspace
    Import(import::ImportArgs),
    /// Start a workspace with a small, commented example
    Init(init::InitArgs),
    /// Speak the Language Server Protocol on standard input and output, for editors
    Lsp(lsp::LspArgs),
    /// Build the site, serve it on this machine and rebuild it on every save
    Serve(serve::ServeArgs),
    /// Print a shell's completion script for `journey`
    Completions(completions::CompletionsArgs),
    /// Write the manual pages, one per subcommand
    Manpage(manpage::ManpageArgs),
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
    /// A SARIF 2.1.0 log, for GitHub code scanning and other SARIF viewers, on standard output
    Sarif,
    /// A GitLab Code Quality report (a JSON array), on standard output
    Gitlab,
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
        Command::Build(args) => build::run(&args),
        Command::Fmt(args) => fmt::run(&args),
        Command::Diff(args) => diff::run(&args),
        Command::Export(args) => export::run(&args),
        Command::Import(args) => import::run(&args),
        Command::Init(args) => init::run(&args),
        Command::Lsp(args) => lsp::run(&args),
        Command::Serve(args) => serve::run(&args),
        Command::Completions(args) => completions::run(&args),
        Command::Manpage(args) => manpage::run(&args),
    })
}

/// Prints a usage or I/O problem the way every subcommand does. Messages name
/// files and quote what was given, so they are shown as prose (see `crate::text`):
/// a file name cannot drive the terminal.
fn complain(message: &str) {
    eprintln!("error: {}", text::visible(message));
}

/// Writes `bytes` to standard output. A reader that stops early (`| head`) is not an
/// error: it has what it wanted. Any other failure (a full disk) is, with exit
/// status 2, so that nothing half-written passes for a result.
fn write_stdout(bytes: &[u8]) -> u8 {
    stream_stdout(|out| out.write_all(bytes))
}

/// [`write_stdout`] of what `write` writes, as it writes it, through a buffer.
fn stream_stdout(write: impl FnOnce(&mut dyn std::io::Write) -> std::io::Result<()>) -> u8 {
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    match write(&mut out).and_then(|()| out.flush()) {
        Ok(()) => status::OK,
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => status::OK,
        Err(e) => {
            complain(&format!("cannot write to standard output: {e}"));
            status::USAGE
        }
    }
}

/// Prints the problems of reading a workspace: errors, and warnings that do not
/// make the command fail.
fn report_load_errors(errors: &[crate::workspace::LoadError]) {
    for e in errors {
        if e.is_warning() {
            eprintln!("warning: {}", text::visible(&e.to_string()));
        } else {
            complain(&e.to_string());
        }
    }
}

/// Prints a usage problem and returns the status for it.
fn usage_error(message: impl std::fmt::Display) -> u8 {
    complain(&message.to_string());
    status::USAGE
}

/// The workspace-relative names of a checked workspace's files, when it may be
/// published: every path was read and there is no error, since a partial workspace
/// or one with errors would give wrong figures. Otherwise says why nothing is
/// written to `target` and returns the exit status.
fn publishable(
    paths: &Paths,
    measurements: &Measurements,
    checked: &Checked,
    target: &str,
) -> Result<Vec<String>, u8> {
    if checked.unreadable {
        complain(&format!("not writing {target}: some paths could not be read"));
        return Err(status::USAGE);
    }
    if checked.analysis.has_errors() {
        let errors = checked.analysis.count(Severity::Error);
        complain(&format!(
            "not writing {target}: the workspace has {}",
            plural(errors, "error", "errors")
        ));
        return Err(status::ERRORS);
    }
    // The measurements files are named in the outputs too, relative to the same root.
    let given: Vec<PathBuf> = paths.paths.iter().chain(&measurements.files).cloned().collect();
    let root = crate::workspace::root(&given).unwrap_or_else(|| PathBuf::from("."));
    Ok(crate::workspace::relative_names(&root, &checked.sources))
}

/// A workspace read, analysed and reported, as every analysing subcommand starts.
struct Checked {
    sources: Sources,
    /// Some path could not be read (and was reported).
    unreadable: bool,
    analysis: Analysis,
}

/// Reads the workspace, analyses it with the command line's lint levels and prints
/// the diagnostics; `Err` holds the exit status of a usage error.
fn check(
    paths: &Paths,
    measurements: &Measurements,
    diagnostics: &Diagnostics,
) -> Result<Checked, u8> {
    let levels = diagnostics.lints.levels().map_err(|message| usage_error(&message))?;
    let (mut sources, mut load_errors) = crate::workspace::load(&paths.paths);
    load_errors.extend(crate::workspace::load_measurements(&mut sources, &measurements.files));
    report_load_errors(&load_errors);
    let analysis = crate::analyze(&sources, &levels);
    diagnostics.report(&sources, &analysis)?;
    let unreadable = load_errors.iter().any(|e| !e.is_warning());
    Ok(Checked { sources, unreadable, analysis })
}

/// The paths of a workspace, as given on the command line.
#[derive(clap::Args, Debug)]
pub struct Paths {
    /// Files and folders to read; a folder means every `*.journey` file below it
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,
}

/// Measured kpi values, shared by every subcommand that analyses a workspace and
/// publishes or checks its kpis (spec §5c; `docs/measurements.md`).
#[derive(clap::Args, Debug, Default)]
pub struct Measurements {
    /// A CSV file of measured kpi values (columns `kpi`, `value` and optionally `date`)
    /// that replace the `current` values written in the source (repeatable)
    #[arg(long = "measurements", value_name = "FILE")]
    pub files: Vec<PathBuf>,
}

/// How diagnostics are reported and which lints are raised: shared by every
/// subcommand that analyses a workspace.
#[derive(clap::Args, Debug)]
pub struct Diagnostics {
    /// Output format
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,

    /// When to use colour in the human format
    #[arg(long, value_enum, default_value_t = Color::Auto)]
    pub color: Color,

    #[command(flatten)]
    pub lints: Lints,
}

/// Which lints are raised, and how: the same options wherever a workspace is
/// analysed.
#[derive(clap::Args, Debug, Default)]
pub struct Lints {
    /// Silence a lint, such as `journey::waste` or `waste` (repeatable, or comma-separated)
    #[arg(long, value_name = "CODE", value_delimiter = ',')]
    pub allow: Vec<String>,

    /// Report a lint as a warning
    #[arg(long, value_name = "CODE", value_delimiter = ',')]
    pub warn: Vec<String>,

    /// Report a lint as an error; `--deny warnings` makes every warning an error
    #[arg(long, value_name = "CODE", value_delimiter = ',')]
    pub deny: Vec<String>,
}

impl Lints {
    /// Applies `--allow`, then `--warn`, then `--deny`, so the strictest wins when a
    /// lint is named twice.
    fn levels(&self) -> Result<Levels, LevelError> {
        let mut levels = Levels::default();
        for (codes, level) in
            [(&self.allow, Level::Allow), (&self.warn, Level::Warn), (&self.deny, Level::Deny)]
        {
            for text in codes {
                levels.apply(text, level)?;
            }
        }
        Ok(levels)
    }
}

impl Diagnostics {
    /// Prints the diagnostics in the chosen format; the human format ends with a
    /// summary line. `Err` holds the exit status of a failed write to standard
    /// output, where the formats for tools go.
    fn report(&self, sources: &Sources, analysis: &Analysis) -> Result<(), u8> {
        let diagnostics = &analysis.diagnostics;
        // Every format is streamed: a large workspace's report can be hundreds of
        // megabytes.
        let written = match self.format {
            Format::Human => {
                let style = report::Human { color: self.color.enabled(), width: terminal_width() };
                // A closed standard error is not worth a panic.
                let mut stderr = std::io::stderr().lock();
                let _ = report::human_to(&mut stderr, sources, diagnostics, style);
                let _ = writeln!(stderr, "{}", summary(analysis, sources.len()));
                return Ok(());
            }
            Format::Json => stream_stdout(|out| report::json_to(out, sources, diagnostics)),
            Format::Github => stream_stdout(|out| report::github_to(out, sources, diagnostics)),
            Format::Sarif => stream_stdout(|out| report::sarif_to(out, sources, diagnostics)),
            Format::Gitlab => stream_stdout(|out| report::gitlab_to(out, sources, diagnostics)),
        };
        if written == status::OK { Ok(()) } else { Err(written) }
    }
}

fn summary(analysis: &Analysis, files: usize) -> String {
    format!(
        "checked {}: {}, {}, {}",
        plural(files, "file", "files"),
        plural(analysis.count(Severity::Error), "error", "errors"),
        plural(analysis.count(Severity::Warning), "warning", "warnings"),
        plural(analysis.count(Severity::Note), "note", "notes"),
    )
}

/// The width to wrap reports at: `COLUMNS` if set, else 100, so that output in CI
/// logs and tests does not depend on a terminal.
fn terminal_width() -> usize {
    std::env::var("COLUMNS").ok().and_then(|c| c.parse().ok()).filter(|&w| w >= 40).unwrap_or(100)
}
