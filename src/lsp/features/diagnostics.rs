//! `textDocument/publishDiagnostics`: the diagnostics of `journey check`, with the
//! same codes, messages and spans, as protocol ranges.

use crate::diagnostic::{Diagnostic, Severity};
use crate::lsp::state::State;
use crate::source::{FileId, Span};
use lsp_types::{
    DiagnosticRelatedInformation, DiagnosticSeverity, Location, NumberOrString,
    PublishDiagnosticsParams, Range,
};

/// The notification's parameters for one file.
pub fn publish(state: &State, file: FileId, related: bool) -> PublishDiagnosticsParams {
    let doc = state.doc(file);
    let list = state.snapshot.diagnostics.get(file.0 as usize).map_or(&[][..], Vec::as_slice);
    PublishDiagnosticsParams {
        uri: doc.uri.clone(),
        diagnostics: list.iter().map(|d| convert(state, d, related)).collect(),
        version: doc.version,
    }
}

/// One diagnostic. Secondary labels become related information, and so does the
/// help (at the primary span) when the client shows related information; when it
/// does not, the help ends the message, so that it is never lost.
pub fn convert(state: &State, d: &Diagnostic, related: bool) -> lsp_types::Diagnostic {
    let mut message = d.message.clone();
    let mut information = Vec::new();
    for label in &d.secondary {
        if let Some(location) = location(state, label.span) {
            information.push(DiagnosticRelatedInformation {
                location,
                message: label.message.to_string(),
            });
        }
    }
    if let Some(help) = &d.help {
        match location(state, d.primary.span) {
            Some(location) if related => information
                .push(DiagnosticRelatedInformation { location, message: format!("help: {help}") }),
            _ => message = format!("{message}\nhelp: {help}"),
        }
    }
    lsp_types::Diagnostic {
        range: range(state, d.primary.span),
        severity: Some(match d.severity {
            Severity::Error => DiagnosticSeverity::ERROR,
            Severity::Warning => DiagnosticSeverity::WARNING,
            Severity::Note => DiagnosticSeverity::INFORMATION,
        }),
        code: Some(NumberOrString::String(d.code.as_str().to_owned())),
        code_description: None,
        source: Some("journey".to_owned()),
        message,
        related_information: (related && !information.is_empty()).then_some(information),
        tags: None,
        data: None,
    }
}

/// The protocol range of a span.
pub fn range(state: &State, span: Span) -> Range {
    let doc = state.doc(span.file);
    doc.lines.range(&doc.text, span.start as usize, span.end as usize, state.encoding)
}

/// The protocol location of a span.
pub fn location(state: &State, span: Span) -> Option<Location> {
    let doc = state.docs.get(span.file.0 as usize)?;
    Some(Location::new(doc.uri.clone(), range(state, span)))
}
