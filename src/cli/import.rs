//! `journey import`: Turn maps from other tools into a workspace (not implemented yet).

#[derive(clap::Args, Debug)]
pub struct ImportArgs {}

pub fn run(_args: &ImportArgs) -> u8 {
    super::usage_error("`journey import` is not implemented yet")
}
