//! `journey check`: report every problem in a workspace.

use super::{Checked, Diagnostics, Measurements, Paths, status};

#[derive(clap::Args, Debug)]
pub struct CheckArgs {
    #[command(flatten)]
    pub paths: Paths,

    #[command(flatten)]
    pub measurements: Measurements,

    #[command(flatten)]
    pub diagnostics: Diagnostics,
}

pub fn run(args: &CheckArgs) -> u8 {
    match super::check(&args.paths, &args.measurements, &args.diagnostics) {
        Err(status) => status,
        Ok(Checked { unreadable: true, .. }) => status::USAGE,
        Ok(Checked { analysis, .. }) if analysis.has_errors() => status::ERRORS,
        Ok(_) => status::OK,
    }
}
