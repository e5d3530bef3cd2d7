//! `journey lsp`: Speak the Language Server Protocol on standard input and output, for editors (not implemented yet).

#[derive(clap::Args, Debug)]
pub struct LspArgs {}

pub fn run(_args: &LspArgs) -> u8 {
    super::usage_error("`journey lsp` is not implemented yet")
}
