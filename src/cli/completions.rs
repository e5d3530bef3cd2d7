//! `journey completions SHELL`: a completion script for a shell, made by `clap_complete`
//! from the same clap types that parse the command line, so it never lags behind.

use super::Cli;
use clap::CommandFactory as _;
use clap_complete::Shell;

#[derive(clap::Args, Debug)]
pub struct CompletionsArgs {
    /// The shell to complete in; `docs/ci.md` says where each one loads scripts from
    #[arg(value_enum, value_name = "SHELL")]
    pub shell: Shell,
}

pub fn run(args: &CompletionsArgs) -> u8 {
    let mut script = Vec::new();
    clap_complete::generate(args.shell, &mut Cli::command(), "journey", &mut script);
    super::write_stdout(&script)
}
