//! `journey serve`: Build the site, serve it on this machine and rebuild it on every save (not implemented yet).

#[derive(clap::Args, Debug)]
pub struct ServeArgs {}

pub fn run(_args: &ServeArgs) -> u8 {
    super::usage_error("`journey serve` is not implemented yet")
}
