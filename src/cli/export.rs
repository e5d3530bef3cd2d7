//! `journey export`: check a workspace, then write one export of it (Mermaid
//! diagrams, the traceability matrix as CSV, or a Markdown report) to standard
//! output or to a file.

use super::{Checked, Diagnostics, Format, Measurements, Paths, complain, status, usage_error};
use crate::{emit, output};
use clap::ValueEnum as _;
use std::path::{Path, PathBuf};

/// What `journey export` writes.
#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExportFormat {
    /// A Markdown document with a Mermaid `journey` diagram per journey and a
    /// flowchart of the trace links
    Mermaid,
    /// The traceability matrix: a row per touchpoint, a column per activity
    Csv,
    /// A report of coverage, gaps, waste, hand-offs, capability load and warnings
    Markdown,
}

// The shared diagnostics options call their format `--format`, which here names the
// export; renaming that one flag keeps every other option shared with `check`.
#[derive(clap::Args, Debug)]
#[command(mut_arg("format", |arg| arg
    .long("diagnostics")
    .value_name("FORMAT")
    .help("How diagnostics are printed; every format but `human` goes to standard output, so it needs `-o`")))]
pub struct ExportArgs {
    #[command(flatten)]
    pub paths: Paths,

    #[command(flatten)]
    pub measurements: Measurements,

    /// What to export
    #[arg(long = "format", value_enum, value_name = "EXPORT")]
    pub export: ExportFormat,

    /// The file to write; it is replaced atomically, and only when the workspace has
    /// no errors. Without it the export goes to standard output
    #[arg(short, long, value_name = "FILE")]
    pub out: Option<PathBuf>,

    #[command(flatten)]
    pub diagnostics: Diagnostics,
}

pub fn run(args: &ExportArgs) -> u8 {
    // Machine-readable diagnostics are printed on standard output: mixed with an
    // export there, neither could be read.
    if args.out.is_none() && args.diagnostics.format != Format::Human {
        let name = args.diagnostics.format.to_possible_value().map(|v| v.get_name().to_owned());
        return usage_error(format!(
            "`--diagnostics {}` prints to standard output, where the export goes without `-o`; write the export with `-o FILE`",
            name.unwrap_or_default()
        ));
    }
    let checked = match super::check(&args.paths, &args.measurements, &args.diagnostics) {
        Ok(checked) => checked,
        Err(status) => return status,
    };
    let target = args.out.as_deref().map_or_else(
        || "standard output".to_owned(),
        |p| format!("`{}`", crate::source::display_path(p)),
    );
    let files = match super::publishable(&args.paths, &args.measurements, &checked, &target) {
        Ok(files) => files,
        Err(status) => return status,
    };
    let Checked { sources, analysis, .. } = checked;
    let input = emit::Input { analysis: &analysis, sources: &sources, files: &files };
    let text = match args.export {
        ExportFormat::Mermaid => emit::mermaid::document(input),
        ExportFormat::Csv => emit::csv::matrix(input),
        ExportFormat::Markdown => emit::markdown::report(input),
    };
    match &args.out {
        None => super::write_stdout(text.as_bytes()),
        Some(path) => {
            if let Some(source) = overwrites_source(path, &sources) {
                complain(&format!(
                    "refusing to write {target}: it is the source `{source}`; choose another file"
                ));
                return status::USAGE;
            }
            if path.is_dir() {
                complain(&format!("cannot write {target}: it is a folder"));
                return status::USAGE;
            }
            if let Err(e) = output::write_file(path, &text) {
                complain(&e.to_string());
                return status::USAGE;
            }
            if args.diagnostics.format == Format::Human {
                eprintln!("wrote {target}");
            }
            status::OK
        }
    }
}

/// The source file that `path` names, if it names one: an export must never
/// replace the text it was made from.
fn overwrites_source(path: &Path, sources: &crate::source::Sources) -> Option<String> {
    let target = std::fs::canonicalize(path).ok()?;
    sources
        .iter()
        .find(|(_, file)| std::fs::canonicalize(&file.path).is_ok_and(|p| p == target))
        .map(|(_, file)| file.display_path())
}
