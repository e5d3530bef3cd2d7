//! `journey init`: start a workspace with a small, commented example.

use super::{complain, status};
use crate::source::display_path;
use std::path::PathBuf;

#[derive(clap::Args, Debug)]
pub struct InitArgs {
    /// The folder to write the starter workspace into; created when missing. Nothing
    /// is written if any of its files already exists there
    #[arg(value_name = "DIR", default_value = ".")]
    pub dir: PathBuf,
}

pub fn run(args: &InitArgs) -> u8 {
    match crate::init::write(&args.dir) {
        Ok(written) => {
            for path in &written {
                eprintln!("wrote `{}`", display_path(path));
            }
            let dir = shell_word(&display_path(&args.dir));
            eprintln!("next, read the files in the order above, then run:");
            eprintln!("  journey check {dir}");
            eprintln!("  journey build {dir} -o site");
            status::OK
        }
        Err(e) => {
            complain(&e.to_string());
            status::USAGE
        }
    }
}

/// A path as it can be pasted into a shell: quoted when it has anything but
/// letters, digits and `_ . / - + , : @ =`.
fn shell_word(text: &str) -> String {
    let plain = !text.is_empty()
        && text.chars().all(|c| c.is_ascii_alphanumeric() || "_./-+,:@=".contains(c));
    if plain { text.to_owned() } else { format!("'{}'", text.replace('\'', r"'\''")) }
}
