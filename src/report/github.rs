//! `--format github`: GitHub Actions workflow commands, which show as annotations
//! on the pull request's changed lines.

use crate::diagnostic::{Diagnostic, Severity};
use crate::source::Sources;
use crate::text::github;
use std::fmt::Write as _;
use std::io;

/// One `::warning file=F,line=L,col=C,endLine=…,endColumn=…,title=CODE::message`
/// line per diagnostic.
pub fn github(sources: &Sources, diagnostics: &[Diagnostic]) -> String {
    super::written(|out| github_to(out, sources, diagnostics))
}

/// [`github`], written to `out` a line at a time.
pub fn github_to<W: io::Write + ?Sized>(
    out: &mut W,
    sources: &Sources,
    diagnostics: &[Diagnostic],
) -> io::Result<()> {
    for d in diagnostics {
        let f = sources.get(d.primary.span.file);
        let (from, to) = (f.line_col(d.primary.span.start), f.line_col(d.primary.span.end));
        let command = match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Note => "notice",
        };
        // Source text in the message and the file name is shown as prose (see
        // `crate::text::github`); the help goes on a line of its own.
        let mut message = github::message(&d.message);
        if let Some(help) = &d.help {
            let _ = write!(message, "{}help: {}", github::NEWLINE, github::message(help));
        }
        writeln!(
            out,
            "::{command} file={},line={},col={},endLine={},endColumn={},title={}::{}",
            github::property(&f.display_path()),
            from.line,
            from.column,
            to.line,
            to.column,
            github::property(d.code.as_str()),
            message,
        )?;
    }
    Ok(())
}
