//! `journey export`: check a workspace, then write one export of it (Mermaid
//! diagrams, the traceability matrix as CSV, or a Markdown report) to standard
//! output or to a file, or its pictures (SVG) to a folder.

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
    /// A report of coverage, gaps, waste, hand-offs, capability load and warnings;
    /// with `-o FILE`, with its pictures in a folder beside it
    Markdown,
    /// Pictures: each journey's service blueprint and emotion curve, and the
    /// capability map, as SVG files in the folder `-o DIR`
    Svg,
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

    /// The file to write (for `svg`, the folder); it is replaced atomically, and
    /// only when the workspace has no errors. Without it the export goes to standard
    /// output (`svg` needs it)
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
    // Pictures are files of their own: they cannot go to standard output.
    if args.export == ExportFormat::Svg && args.out.is_none() {
        return usage_error("`--format svg` writes a folder of pictures; name it with `-o DIR`");
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
    // A report written to a file has its pictures in a folder beside it.
    let folder = match (args.export, &args.out) {
        (ExportFormat::Markdown, Some(path)) => Some(pictures_folder(path)),
        _ => None,
    };
    let text = match args.export {
        ExportFormat::Mermaid => emit::mermaid::document(input),
        ExportFormat::Csv => emit::csv::matrix(input),
        ExportFormat::Markdown => match &folder {
            Some((_, name)) => emit::markdown::report_with_pictures(input, name),
            None => emit::markdown::report(input),
        },
        // `-o DIR` was required above, before the workspace was read.
        ExportFormat::Svg => {
            return args
                .out
                .as_deref()
                .map_or(status::USAGE, |dir| pictures(dir, input, &args.diagnostics));
        }
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
            let written = match &folder {
                Some((dir, _)) => {
                    let pictures = emit::svg::pictures(input);
                    output::write_folder_and_file(dir, path, &text, &sources, |sink| {
                        write_pictures(sink, &pictures)
                    })
                    .map(|n| {
                        format!(
                            " and {} to `{}`",
                            super::plural(n, "picture", "pictures"),
                            crate::source::display_path(dir)
                        )
                    })
                }
                None => output::write_file(path, &text).map(|()| String::new()),
            };
            match written {
                Ok(pictures) => {
                    if args.diagnostics.format == Format::Human {
                        eprintln!("wrote {target}{pictures}");
                    }
                    status::OK
                }
                Err(e) => {
                    complain(&e.to_string());
                    status::USAGE
                }
            }
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

/// Writes the pictures into the folder `dir`, replacing it atomically.
fn pictures(dir: &Path, input: emit::Input<'_>, diagnostics: &Diagnostics) -> u8 {
    let pictures = emit::svg::pictures(input);
    match output::write_with(dir, input.sources, |sink| write_pictures(sink, &pictures)) {
        Ok(n) => {
            if diagnostics.format == Format::Human {
                eprintln!(
                    "wrote {} to `{}`",
                    super::plural(n, "picture", "pictures"),
                    crate::source::display_path(dir)
                );
            }
            status::OK
        }
        Err(e) => {
            complain(&e.to_string());
            status::USAGE
        }
    }
}

fn write_pictures(
    sink: &dyn emit::Sink,
    pictures: &[emit::svg::Picture],
) -> std::io::Result<usize> {
    for (name, text) in pictures {
        sink.file(name, &|out| out.write_all(text.as_bytes()))?;
    }
    Ok(pictures.len())
}

/// Where a report written to `path` keeps its pictures: the folder beside it named
/// after the file without its extension (`report.md` → `report/`), or, for a file
/// without one, its name and `-pictures` (`REPORT` → `REPORT-pictures/`). Returns
/// the folder and its name, which the report's links start with.
fn pictures_folder(path: &Path) -> (PathBuf, String) {
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let stem = path.file_stem().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let folder = if stem.is_empty() || stem == name { format!("{name}-pictures") } else { stem };
    (path.with_file_name(&folder), folder)
}
