//! `journey init`: Start a workspace with a small, commented example (not implemented yet).

#[derive(clap::Args, Debug)]
pub struct InitArgs {}

pub fn run(_args: &InitArgs) -> u8 {
    super::usage_error("`journey init` is not implemented yet")
}
