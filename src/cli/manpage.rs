//! `journey manpage -o DIR`: the manual pages, one per subcommand (`journey.1`,
//! `journey-check.1`, `journey-import-mermaid.1` …), made by `clap_mangen` from the same
//! clap types that parse the command line.
//!
//! The folder is usually shared (`/usr/local/share/man/man1`), so it is not replaced
//! as a whole the way `build` replaces its folder: each page is written atomically
//! (`output::write_file`), and a page already there is replaced only if it starts
//! with [`MARK`], the first line of every page this command writes. If any page in
//! the way is not ours, nothing is written.

use super::{Cli, complain, status};
use crate::output;
use crate::source::display_path;
use crate::text::plural;
use clap::CommandFactory as _;
use std::io::{BufRead as _, BufReader, Read as _};
use std::path::{Path, PathBuf};

/// The first line of every page: a roff comment, which `man` does not show.
pub const MARK: &str =
    r#".\" Written by `journey manpage`, which replaces this page when run again"#;

#[derive(clap::Args, Debug)]
pub struct ManpageArgs {
    /// The folder to write the pages into, created when missing; a page already there
    /// is replaced only if `journey manpage` wrote it
    #[arg(short, long, value_name = "DIR")]
    pub out: PathBuf,
}

pub fn run(args: &ManpageArgs) -> u8 {
    let pages = match pages() {
        Ok(pages) => pages,
        Err(e) => {
            complain(&format!("cannot render the manual pages: {e}"));
            return status::USAGE;
        }
    };
    let dir = &args.out;
    if dir.exists() && !dir.is_dir() {
        complain(&format!("the output path `{}` exists and is not a folder", display_path(dir)));
        return status::USAGE;
    }
    // Every page is checked before any is written, so a refusal changes nothing.
    let foreign: Vec<String> = pages
        .iter()
        .map(|(name, _)| dir.join(name))
        .filter(|path| path.exists() && !ours(path))
        .map(|path| format!("`{}`", display_path(&path)))
        .collect();
    if !foreign.is_empty() {
        complain(&format!(
            "refusing to replace {}: not written by `journey manpage` (its first line is not `{MARK}`); move it or choose another folder",
            crate::text::join_list(&foreign, "and"),
        ));
        return status::USAGE;
    }
    if let Err(e) = std::fs::create_dir_all(dir) {
        complain(&format!("cannot create `{}`: {e}", display_path(dir)));
        return status::USAGE;
    }
    for (name, text) in &pages {
        if let Err(e) = output::write_file(&dir.join(name), text) {
            complain(&e.to_string());
            return status::USAGE;
        }
    }
    eprintln!("wrote {} to `{}`", plural(pages.len(), "page", "pages"), display_path(dir));
    status::OK
}

/// Every page, as (file name, text), the command's own first, then its subcommands'
/// depth first in the order `--help` lists them. clap's `help` subcommand has none.
fn pages() -> std::io::Result<Vec<(String, String)>> {
    fn walk(cmd: &clap::Command, pages: &mut Vec<(String, String)>) -> std::io::Result<()> {
        let man = clap_mangen::Man::new(cmd.clone());
        let mut text = format!("{MARK}\n").into_bytes();
        man.render(&mut text)?;
        let text = String::from_utf8(text).map_err(std::io::Error::other)?;
        pages.push((man.get_filename(), text));
        for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set()) {
            walk(sub, pages)?;
        }
        Ok(())
    }
    // Built once from the top, so that every subcommand's name is `journey-check`.
    let mut cmd = Cli::command().disable_help_subcommand(true);
    cmd.build();
    let mut pages = Vec::new();
    walk(&cmd, &mut pages)?;
    Ok(pages)
}

/// Whether a file is a page this command wrote: its first line is [`MARK`].
fn ours(path: &Path) -> bool {
    let Ok(file) = std::fs::File::open(path) else { return false };
    let mut first = String::new();
    // The first line only, and not much of it: the mark is short.
    if BufReader::new(file.take(MARK.len() as u64 + 2)).read_line(&mut first).is_err() {
        return false;
    }
    first.trim_end_matches(['\n', '\r']) == MARK
}
