//! `journey build`: check a workspace, then write its outputs.

use super::{Checked, Diagnostics, Format, Measurements, Paths, complain, plural, status};
use crate::{emit, output};
use std::path::PathBuf;

#[derive(clap::Args, Debug)]
pub struct BuildArgs {
    #[command(flatten)]
    pub paths: Paths,

    #[command(flatten)]
    pub measurements: Measurements,

    /// The folder to write `index.html`, one page per journey and `traceability.json`
    /// into; it is replaced as a whole, and only when the build succeeds
    #[arg(short, long, value_name = "DIR")]
    pub out: PathBuf,

    /// The title at the head of every page
    #[arg(long, value_name = "TEXT", default_value = emit::DEFAULT_TITLE)]
    pub title: String,

    #[command(flatten)]
    pub diagnostics: Diagnostics,
}

pub fn run(args: &BuildArgs) -> u8 {
    let checked = match super::check(&args.paths, &args.measurements, &args.diagnostics) {
        Ok(checked) => checked,
        Err(status) => return status,
    };
    let shown = crate::source::display_path(&args.out);
    let files = match super::publishable(
        &args.paths,
        &args.measurements,
        &checked,
        &format!("`{shown}`"),
    ) {
        Ok(files) => files,
        Err(status) => return status,
    };
    let Checked { sources, analysis, .. } = checked;
    let input = emit::Input { analysis: &analysis, sources: &sources, files: &files };
    // Each file is rendered straight into its place in the staging folder.
    let written =
        output::write_with(&args.out, &sources, |sink| emit::site_into(input, &args.title, sink));
    let written = match written {
        Ok(written) => written,
        Err(e) => {
            complain(&e.to_string());
            return status::USAGE;
        }
    };
    if args.diagnostics.format == Format::Human {
        eprintln!("wrote {} to `{shown}`", plural(written.len(), "file", "files"));
    }
    status::OK
}
