//! `journey diff`: what a change does to the journeys and to the operation.

use super::{Lints, complain, status, usage_error};
use crate::diff::git::{GitError, Repository};
use crate::diff::{self, FailOn, Snapshot, Version};
use clap::ValueEnum;
use std::path::{Path, PathBuf};

#[derive(clap::Args, Debug)]
#[command(after_help = "Examples:
  journey diff before/ after/
  journey diff --git origin/main -- workspace/
  journey diff --git main HEAD --format text --fail-on gap,overload -- workspace/")]
pub struct DiffArgs {
    /// The old and the new version, each a file or a folder; with `--git`, at most
    /// one revision, the new one (default: the working tree)
    #[arg(value_names = ["OLD", "NEW"], num_args = 0..=2)]
    pub versions: Vec<PathBuf>,

    /// Compare two git revisions: BASE, and the revision after it or the working tree
    #[arg(long, value_name = "BASE")]
    pub git: Option<String>,

    /// With `--git`, the files and folders to compare (default: the current folder)
    #[arg(last = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,

    /// Output format
    #[arg(long, value_enum, default_value_t = DiffFormat::Markdown)]
    pub format: DiffFormat,

    /// Exit with status 1 when the change introduces a diagnostic with one of these
    /// codes, such as `gap` or `journey::overload`; `errors` and `warnings` name every
    /// error, or every warning and error (repeatable, or comma-separated)
    #[arg(long, value_name = "CODE", value_delimiter = ',')]
    pub fail_on: Vec<String>,

    /// Lint levels, applied to both versions as `journey check` applies them
    #[command(flatten)]
    pub lints: Lints,
}

/// How the changes are printed, on standard output.
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum DiffFormat {
    /// A pull-request comment
    Markdown,
    /// Plain text for a terminal
    Text,
    /// One JSON document, `"schema": "journey-diff/1"`
    Json,
}

pub fn run(args: &DiffArgs) -> u8 {
    // The lint levels mean what they mean for `journey check`.
    let levels = match args.lints.levels() {
        Ok(levels) => levels,
        Err(e) => return usage_error(e),
    };
    let fail_on = match FailOn::parse(&args.fail_on) {
        Ok(fail_on) => fail_on,
        Err(message) => return usage_error(&message),
    };
    let (old, new) = match snapshots(args) {
        Ok(pair) => pair,
        Err(messages) => {
            for m in &messages {
                complain(m);
            }
            return status::USAGE;
        }
    };
    let old = Version::analyse(old, &levels);
    let new = Version::analyse(new, &levels);
    let changes = diff::compare(&old, &new);
    print!(
        "{}",
        match args.format {
            DiffFormat::Markdown => diff::markdown(&changes),
            DiffFormat::Text => diff::text(&changes),
            DiffFormat::Json => diff::json(&changes),
        }
    );
    if changes.failing(&fail_on).next().is_some() { status::ERRORS } else { status::OK }
}

/// Reads both versions, from paths or from git.
fn snapshots(args: &DiffArgs) -> Result<(Snapshot, Snapshot), Vec<String>> {
    let Some(base) = &args.git else {
        if !args.paths.is_empty() {
            return Err(vec![
                "paths after `--` select files of git revisions; they need `--git BASE`".into(),
            ]);
        }
        let [old, new] = args.versions.as_slice() else {
            return Err(vec![format!(
                "`journey diff` needs two versions, OLD and NEW, or `--git BASE`; {} given",
                args.versions.len()
            )]);
        };
        let (old, new) = (Snapshot::read(old), Snapshot::read(new));
        return match (old, new) {
            (Ok(old), Ok(new)) => Ok((old, new)),
            (old, new) => Err(old
                .err()
                .into_iter()
                .chain(new.err())
                .flatten()
                .map(|e| e.to_string())
                .collect()),
        };
    };
    let head = match args.versions.as_slice() {
        [] => None,
        [head] => Some(head.to_string_lossy().into_owned()),
        _ => {
            return Err(vec![
                "with `--git BASE`, give at most one more revision, HEAD; put paths after `--`"
                    .into(),
            ]);
        }
    };
    let failed = |e: GitError| vec![e.to_string()];
    let repository = Repository::open(Path::new(".")).map_err(failed)?;
    let old = repository.snapshot(Some(base), &args.paths).map_err(failed)?;
    let new = repository.snapshot(head.as_deref(), &args.paths).map_err(failed)?;
    if old.sources.is_empty() && new.sources.is_empty() {
        let paths: Vec<String> =
            args.paths.iter().map(|p| format!("`{}`", crate::source::display_path(p))).collect();
        let place =
            if paths.is_empty() { "the current folder".to_owned() } else { paths.join(", ") };
        let head = head.as_deref().map_or("the working tree".to_owned(), |h| format!("`{h}`"));
        return Err(vec![format!("no `.journey` files under {place} in `{base}` or in {head}")]);
    }
    Ok((old, new))
}
