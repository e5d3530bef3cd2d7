//! `journey import`: turn maps drawn in other tools into a workspace.

use super::{complain, plural, status};
use crate::import;
use crate::source::display_path;
use crate::workspace::{self, LoadError, Problem};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

#[derive(clap::Args, Debug)]
pub struct ImportArgs {
    #[command(subcommand)]
    pub from: From,
}

/// The tools maps can be imported from.
#[derive(clap::Subcommand, Debug)]
pub enum From {
    /// A Mermaid user-journey diagram (`journey`, `title`, `section`, `Task: 5: Me`),
    /// or every such diagram in the `mermaid` code blocks of a Markdown file
    Mermaid(MermaidArgs),
}

#[derive(clap::Args, Debug)]
pub struct MermaidArgs {
    /// The diagram or Markdown file to read; `-` reads standard input
    #[arg(value_name = "FILE")]
    pub file: PathBuf,

    /// Write `DIR/<journey-id>.journey` per journey and `DIR/personas.journey`
    /// instead of printing one text; existing files are never replaced
    #[arg(short, long, value_name = "DIR")]
    pub out: Option<PathBuf>,
}

/// The most errors printed for one input.
const MAX_SHOWN: usize = 100;

pub fn run(args: &ImportArgs) -> u8 {
    match &args.from {
        From::Mermaid(args) => mermaid(args),
    }
}

fn mermaid(args: &MermaidArgs) -> u8 {
    let stdin = args.file.as_os_str() == "-";
    let (shown, origin) = if stdin {
        ("<stdin>".to_owned(), "standard input".to_owned())
    } else {
        let shown = display_path(&args.file);
        (shown.clone(), shown)
    };
    let text = match read(&args.file, stdin) {
        Ok(text) => text,
        Err(problem) => {
            let path = if stdin { PathBuf::from("<stdin>") } else { args.file.clone() };
            complain(&LoadError { path, problem }.to_string());
            return status::USAGE;
        }
    };
    let imported = match import::mermaid(&text, &origin) {
        Ok(imported) => imported,
        Err(errors) => {
            // Past a hundred, more of the same would only scroll the first ones away.
            for e in errors.iter().take(MAX_SHOWN) {
                eprint!("{}", e.render(&shown));
            }
            let hidden = errors.len().saturating_sub(MAX_SHOWN);
            complain(&format!(
                "nothing imported: `{shown}` has {}{}",
                plural(errors.len(), "error", "errors"),
                if hidden > 0 { format!(" ({hidden} not shown)") } else { String::new() }
            ));
            return status::ERRORS;
        }
    };
    let Some(dir) = &args.out else {
        let mut out = std::io::stdout().lock();
        if let Err(e) = out.write_all(imported.text().as_bytes()).and_then(|()| out.flush()) {
            complain(&format!("cannot write to standard output: {e}"));
            return status::USAGE;
        }
        return status::OK;
    };
    match import::write_new_files(dir, &imported.files()) {
        Ok(written) => {
            for path in &written {
                eprintln!("wrote `{}`", display_path(path));
            }
            eprintln!(
                "next: run `journey check {}` to list the gaps, and add `traces to` to the touchpoints to close them",
                display_path(dir)
            );
            status::OK
        }
        Err(e) => {
            complain(&e.to_string());
            status::USAGE
        }
    }
}

/// The input as UTF-8 text, from the file or from standard input.
fn read(file: &Path, stdin: bool) -> Result<String, Problem> {
    if !stdin {
        return workspace::read(file);
    }
    let mut bytes = Vec::new();
    std::io::stdin().lock().read_to_end(&mut bytes).map_err(Problem::Io)?;
    workspace::decode(bytes)
}
