//! `journey fmt`: Format files into the one canonical layout (not implemented yet).

#[derive(clap::Args, Debug)]
pub struct FmtArgs {}

pub fn run(_args: &FmtArgs) -> u8 {
    super::usage_error("`journey fmt` is not implemented yet")
}
