//! `journey serve`: build the site in memory, serve it on this machine and rebuild
//! it on every save.

use super::{Color, Lints, Measurements, Paths, status, terminal_width, usage_error};
use crate::{emit, report, serve};

#[derive(clap::Args, Debug)]
pub struct ServeArgs {
    #[command(flatten)]
    pub paths: Paths,

    #[command(flatten)]
    pub measurements: Measurements,

    /// The port to listen on; 0 (the default) picks a free one. The address is printed
    #[arg(long, value_name = "N", default_value_t = 0)]
    pub port: u16,

    /// The address to listen on. Only this machine can reach the default; any other
    /// address, such as `0.0.0.0`, makes the site readable on the network
    #[arg(long, value_name = "H", default_value = "127.0.0.1")]
    pub host: String,

    /// The title at the head of every page
    #[arg(long, value_name = "TEXT", default_value = emit::DEFAULT_TITLE)]
    pub title: String,

    /// When to use colour in the reports on standard error
    #[arg(long, value_enum, default_value_t = Color::Auto)]
    pub color: Color,

    #[command(flatten)]
    pub lints: Lints,
}

pub fn run(args: &ServeArgs) -> u8 {
    let levels = match args.lints.levels() {
        Ok(levels) => levels,
        Err(message) => return usage_error(&message),
    };
    let options = serve::Options {
        paths: args.paths.paths.clone(),
        measurements: args.measurements.files.clone(),
        host: args.host.clone(),
        port: args.port,
        title: args.title.clone(),
        levels,
        style: report::Human { color: args.color.enabled(), width: terminal_width() },
    };
    match serve::start(&options) {
        Ok(server) => {
            server.wait();
            status::OK
        }
        Err(error) => usage_error(&error),
    }
}
