//! `journey fmt`: rewrite files in the canonical layout, or check that they are.

use super::{Color, Paths, complain, plural, status};
use crate::fmt::{Unformattable, format};
use crate::source::{FileId, Sources};
use crate::{output, report, workspace};
use rayon::prelude::*;
use std::io::Read;

#[derive(clap::Args, Debug)]
pub struct FmtArgs {
    /// Files and folders to format; `-` reads standard input and writes standard output
    #[command(flatten)]
    pub paths: Paths,

    /// Change nothing: list the files that are not formatted, with a diff, and exit 1
    #[arg(long)]
    pub check: bool,

    /// When to use colour in syntax errors
    #[arg(long, value_enum, default_value_t = Color::Auto)]
    pub color: Color,
}

pub fn run(args: &FmtArgs) -> u8 {
    if args.paths.paths.len() == 1 && args.paths.paths[0].as_os_str() == "-" {
        return stdin(args);
    }
    let (sources, load_errors) = workspace::load(&args.paths.paths);
    super::report_load_errors(&load_errors);
    let load_failed = load_errors.iter().any(|e| !e.is_warning());
    let mut unformatted = 0;
    let mut failed = false;
    // A file that could not be written is an I/O problem (exit status 2), as for
    // every command; a file that does not parse is an error in it (1).
    let mut unwritten = false;
    // Files are independent, so they are formatted in parallel; the results are
    // handled in file order, so the output does not depend on scheduling.
    let results: Vec<_> = sources
        .iter()
        .collect::<Vec<_>>()
        .into_par_iter()
        .map(|(id, file)| (id, file, format(id, &file.text)))
        .collect();
    for (id, file, result) in results {
        match result {
            Ok(text) if text == file.text => {}
            Ok(text) if args.check => {
                unformatted += 1;
                print!("{}", diff(&file.display_path(), &file.text, &text));
            }
            Ok(text) => {
                if let Err(e) = output::write_file(&file.path, &text) {
                    complain(&e.to_string());
                    unwritten = true;
                    continue;
                }
                unformatted += 1;
            }
            Err(problem) => {
                failed = true;
                explain(args, &sources, id, problem);
            }
        }
    }
    if args.check {
        if unformatted > 0 {
            eprintln!(
                "{} not formatted; run `journey fmt` to fix",
                plural(unformatted, "file", "files")
            );
        }
    } else {
        eprintln!("formatted {} of {}", plural(unformatted, "file", "files"), sources.len());
    }
    if load_failed || unwritten {
        status::USAGE
    } else if failed || (args.check && unformatted > 0) {
        status::ERRORS
    } else {
        status::OK
    }
}

/// `journey fmt -`: for editors. The formatted text goes to standard output; on a
/// syntax error nothing does, so an editor never replaces a buffer with an error.
fn stdin(args: &FmtArgs) -> u8 {
    let mut bytes = Vec::new();
    if let Err(e) = std::io::stdin().read_to_end(&mut bytes) {
        complain(&format!("cannot read standard input: {e}"));
        return status::USAGE;
    }
    let text = match workspace::decode(bytes) {
        Ok(text) => text,
        Err(problem) => {
            let error = workspace::LoadError { path: "<stdin>".into(), problem };
            complain(&error.to_string());
            return status::USAGE;
        }
    };
    let mut sources = Sources::new();
    let Ok(id) = sources.add("<stdin>", text) else {
        complain("standard input is too large");
        return status::USAGE;
    };
    match format(id, &sources.get(id).text) {
        Ok(formatted) if args.check => {
            if formatted == sources.get(id).text {
                status::OK
            } else {
                print!("{}", diff("<stdin>", &sources.get(id).text, &formatted));
                status::ERRORS
            }
        }
        Ok(formatted) => super::write_stdout(formatted.as_bytes()),
        Err(problem) => {
            explain(args, &sources, id, problem);
            status::ERRORS
        }
    }
}

fn explain(args: &FmtArgs, sources: &Sources, id: FileId, problem: Unformattable) {
    let path = sources.get(id).display_path();
    match problem {
        Unformattable::Syntax(diagnostics) => {
            let style = report::Human { color: args.color.enabled(), width: 100 };
            eprint!("{}", report::human(sources, &diagnostics, style));
            complain(&format!("`{path}` was left unchanged: it does not parse"));
        }
        Unformattable::Internal(why) => complain(&format!(
            "`{path}` was left unchanged: {why}; this is a bug in `journey fmt`, please report it"
        )),
    }
}

/// A unified diff from the file as it is to the file as it would be, as a terminal
/// may show it: the lines' control characters as pictures, column for column (see
/// `crate::text::terminal`).
fn diff(path: &str, old: &str, new: &str) -> String {
    let path = crate::text::terminal::name(path);
    let diff = similar::TextDiff::from_lines(old, new)
        .unified_diff()
        .context_radius(3)
        .header(&path, &format!("{path} (formatted)"))
        .to_string();
    crate::text::terminal::excerpt(&diff).into_owned()
}
