//! `journey check`: report every problem in a workspace.

use super::{Color, Format, Paths, complain, status};
use crate::check::{Level, Levels};
use crate::diagnostic::{Code, Severity};
use crate::report;
use crate::{analyze, workspace};

#[derive(clap::Args, Debug)]
pub struct CheckArgs {
    #[command(flatten)]
    pub paths: Paths,

    /// Output format
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,

    /// When to use colour in the human format
    #[arg(long, value_enum, default_value_t = Color::Auto)]
    pub color: Color,

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

pub fn run(args: &CheckArgs) -> u8 {
    let levels = match levels(args) {
        Ok(levels) => levels,
        Err(message) => {
            complain(&message);
            return status::USAGE;
        }
    };
    let (sources, load_errors) = workspace::load(&args.paths.paths);
    for e in &load_errors {
        complain(&e.to_string());
    }
    let analysis = analyze(&sources, &levels);
    match args.format {
        Format::Human => {
            let width = terminal_width();
            let style = report::Human { color: args.color.enabled(), width };
            eprint!("{}", report::human(&sources, &analysis.diagnostics, style));
            eprintln!("{}", summary(&analysis, sources.len()));
        }
        Format::Json => print!("{}", report::json(&sources, &analysis.diagnostics)),
        Format::Github => print!("{}", report::github(&sources, &analysis.diagnostics)),
    }
    if !load_errors.is_empty() {
        status::USAGE
    } else if analysis.has_errors() {
        status::ERRORS
    } else {
        status::OK
    }
}

/// Applies `--allow`, then `--warn`, then `--deny`, so the strictest wins when a
/// lint is named twice.
fn levels(args: &CheckArgs) -> Result<Levels, String> {
    let mut levels = Levels::default();
    for (codes, level) in
        [(&args.allow, Level::Allow), (&args.warn, Level::Warn), (&args.deny, Level::Deny)]
    {
        for text in codes {
            if text == "warnings" && level == Level::Deny {
                levels.deny_warnings = true;
                continue;
            }
            let code = Code::parse(text).ok_or_else(|| {
                format!("`{text}` is not a diagnostic code; see `docs/diagnostics.md`")
            })?;
            let lint = code
                .lint()
                .ok_or_else(|| format!("`{code}` is an error; its level cannot be changed"))?;
            levels.set(lint, level);
        }
    }
    Ok(levels)
}

fn summary(analysis: &crate::Analysis, files: usize) -> String {
    let count = |severity, word: &str| {
        let n = analysis.count(severity);
        format!("{n} {word}{}", if n == 1 { "" } else { "s" })
    };
    format!(
        "checked {files} file{}: {}, {}, {}",
        if files == 1 { "" } else { "s" },
        count(Severity::Error, "error"),
        count(Severity::Warning, "warning"),
        count(Severity::Note, "note"),
    )
}

/// The width to wrap reports at: `COLUMNS` if set, else 100, so that output in CI
/// logs and tests does not depend on a terminal.
fn terminal_width() -> usize {
    std::env::var("COLUMNS").ok().and_then(|c| c.parse().ok()).filter(|&w| w >= 40).unwrap_or(100)
}
