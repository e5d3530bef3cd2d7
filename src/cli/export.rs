//! `journey export`: Export a workspace to Mermaid, CSV or Markdown (not implemented yet).

#[derive(clap::Args, Debug)]
pub struct ExportArgs {}

pub fn run(_args: &ExportArgs) -> u8 {
    super::usage_error("`journey export` is not implemented yet")
}
