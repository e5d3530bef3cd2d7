//! `journey diff`: Compare two versions of a workspace: what changed for the customer and the operation (not implemented yet).

#[derive(clap::Args, Debug)]
pub struct DiffArgs {}

pub fn run(_args: &DiffArgs) -> u8 {
    super::usage_error("`journey diff` is not implemented yet")
}
