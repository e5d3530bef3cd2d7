//! `journey check`: report every problem in a workspace.

use super::{Diagnostics, Paths, status};
use crate::{analyze, workspace};

#[derive(clap::Args, Debug)]
pub struct CheckArgs {
    #[command(flatten)]
    pub paths: Paths,

    #[command(flatten)]
    pub diagnostics: Diagnostics,
}

pub fn run(args: &CheckArgs) -> u8 {
    let levels = match args.diagnostics.levels() {
        Ok(levels) => levels,
        Err(message) => return super::usage_error(&message),
    };
    let (sources, load_errors) = workspace::load(&args.paths.paths);
    super::report_load_errors(&load_errors);
    let analysis = analyze(&sources, &levels);
    args.diagnostics.report(&sources, &analysis);
    if !load_errors.is_empty() {
        status::USAGE
    } else if analysis.has_errors() {
        status::ERRORS
    } else {
        status::OK
    }
}
