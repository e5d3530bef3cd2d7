//! `journey lsp`: speak the Language Server Protocol on standard input and output,
//! for editors. The server is `crate::lsp`; see `docs/editors.md`.

use super::status;

#[derive(clap::Args, Debug)]
pub struct LspArgs {
    /// Use standard input and output (the only transport; accepted because some
    /// clients pass it)
    #[arg(long)]
    pub stdio: bool,
}

pub fn run(_args: &LspArgs) -> u8 {
    match crate::lsp::run() {
        Ok(()) => status::OK,
        Err(error) => {
            super::complain(&error.to_string());
            status::ERRORS
        }
    }
}
