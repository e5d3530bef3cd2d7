//! `--format github`: GitHub Actions workflow commands, which show as annotations
//! on the pull request's changed lines.

use crate::diagnostic::{Diagnostic, Severity};
use crate::source::Sources;
use std::fmt::Write as _;

/// One `::warning file=F,line=L,col=C,endLine=…,endColumn=…,title=CODE::message`
/// line per diagnostic.
pub fn github(sources: &Sources, diagnostics: &[Diagnostic]) -> String {
    let mut out = String::new();
    for d in diagnostics {
        let f = sources.get(d.primary.span.file);
        let (from, to) = (f.line_col(d.primary.span.start), f.line_col(d.primary.span.end));
        let command = match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Note => "notice",
        };
        let mut message = d.message.clone();
        if let Some(help) = &d.help {
            let _ = write!(message, "\nhelp: {help}");
        }
        let _ = writeln!(
            out,
            "::{command} file={},line={},col={},endLine={},endColumn={},title={}::{}",
            property(&f.display_path()),
            from.line,
            from.column,
            to.line,
            to.column,
            property(d.code.as_str()),
            data(&message),
        );
    }
    out
}

/// Escapes a workflow command's message, as the runner unescapes it.
fn data(s: &str) -> String {
    s.replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A")
}

/// Escapes a workflow command's property value, where `:` and `,` are separators.
fn property(s: &str) -> String {
    data(s).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_separators() {
        assert_eq!(data("50%\nnext"), "50%25%0Anext");
        assert_eq!(property("a:b,c"), "a%3Ab%2Cc");
    }
}
