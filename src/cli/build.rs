//! `journey build`: check a workspace, then write its outputs.

use super::{Checked, Diagnostics, Format, Paths, complain, plural, status};
use crate::{emit, output, workspace};
use std::path::PathBuf;

#[derive(clap::Args, Debug)]
pub struct BuildArgs {
    #[command(flatten)]
    pub paths: Paths,

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
    let Checked { sources, unreadable, analysis } =
        match super::check(&args.paths, &args.diagnostics) {
            Ok(checked) => checked,
            Err(status) => return status,
        };
    let shown = crate::source::display_path(&args.out);
    // A partial workspace or one with errors would publish wrong figures.
    if unreadable {
        complain(&format!("not writing `{shown}`: some paths could not be read"));
        return status::USAGE;
    }
    if analysis.has_errors() {
        let errors = analysis.count(crate::diagnostic::Severity::Error);
        complain(&format!("not writing `{shown}`: the workspace has {}", plural(errors, "error")));
        return status::ERRORS;
    }
    let root = workspace::root(&args.paths.paths).unwrap_or_else(|| PathBuf::from("."));
    let files = workspace::relative_names(&root, &sources);
    let input = emit::Input { analysis: &analysis, sources: &sources, files: &files };
    let site = match emit::site(input, &args.title) {
        Ok(site) => site,
        Err(e) => {
            complain(&format!("cannot render the pages: {e}"));
            return status::USAGE;
        }
    };
    if let Err(e) = output::write(&args.out, &site, &sources) {
        complain(&e.to_string());
        return status::USAGE;
    }
    if args.diagnostics.format == Format::Human {
        eprintln!("wrote {} to `{shown}`", plural(site.files.len(), "file"));
    }
    status::OK
}
