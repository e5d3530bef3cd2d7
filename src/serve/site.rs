//! One rebuild: the workspace read, analysed and emitted into memory, exactly as
//! `journey build` would publish it, or the errors that stop it from being
//! published. Nothing is written anywhere.

use crate::Analysis;
use crate::check::Levels;
use crate::diagnostic::{Diagnostic, Severity};
use crate::emit::{self, Site};
use crate::report;
use crate::source::Sources;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// What a rebuild needs: the same inputs as `journey build`, minus the folder.
#[derive(Debug, Clone)]
pub struct Settings {
    pub paths: Vec<PathBuf>,
    pub measurements: Vec<PathBuf>,
    pub levels: Levels,
    pub title: String,
}

/// The result of one rebuild.
pub struct Build {
    pub outcome: Outcome,
    /// The workspace as read, with the paths as given, for reports on standard error.
    pub sources: Sources,
    pub diagnostics: Vec<Diagnostic>,
    pub summary: Summary,
}

/// What the one line printed after a build says.
#[derive(Debug, Clone)]
pub struct Summary {
    pub files: usize,
    /// Unreadable paths count as errors.
    pub errors: usize,
    pub warnings: usize,
    pub notes: usize,
    /// Paths that could not be read, as sentences.
    pub unreadable: Vec<String>,
    pub broken: bool,
    pub elapsed: Duration,
}

/// What the site shows after a rebuild. Two equal outcomes serve the same bytes, so
/// a save that changes nothing published (the same text saved again, say) reloads
/// no page.
#[derive(Debug, PartialEq, Eq)]
pub enum Outcome {
    /// Every file was read and there is no error: the site `journey build` writes.
    Site(Site),
    /// What stops the site from being published.
    Broken(Broken),
}

/// A workspace that cannot be published, as the error page shows it.
#[derive(Debug, PartialEq, Eq)]
pub struct Broken {
    /// Unreadable paths first, then the errors in source order.
    pub problems: Vec<Problem>,
    /// The diagnostics as `--format json` prints them, served in place of
    /// `traceability.json`.
    pub json: String,
}

/// One error, in words; the page escapes every field.
#[derive(Debug, PartialEq, Eq)]
pub struct Problem {
    pub code: Option<&'static str>,
    /// `file:line:column`, the file relative to the workspace root.
    pub place: String,
    pub message: String,
    pub help: Option<String>,
    /// The human report without colour, from the source lines on (the page shows
    /// the code and the message above it); empty if there is none.
    pub report: String,
}

impl Build {
    pub fn is_broken(&self) -> bool {
        self.summary.broken
    }
}

/// Reads, analyses and emits the workspace.
pub fn build(settings: &Settings) -> Build {
    let started = Instant::now();
    let (mut sources, mut load_errors) = crate::workspace::load(&settings.paths);
    load_errors.extend(crate::workspace::load_measurements(&mut sources, &settings.measurements));
    // A warning (a dangling link) leaves the rest of the workspace to build.
    let unreadable: Vec<String> =
        load_errors.iter().filter(|e| !e.is_warning()).map(ToString::to_string).collect();
    let analysis = crate::analyze(&sources, &settings.levels);
    let given: Vec<PathBuf> =
        settings.paths.iter().chain(&settings.measurements).cloned().collect();
    let root = crate::workspace::root(&given).unwrap_or_else(|| PathBuf::from("."));
    let files = crate::workspace::relative_names(&root, &sources);
    let outcome = if unreadable.is_empty() && !analysis.has_errors() {
        let input = emit::Input { analysis: &analysis, sources: &sources, files: &files };
        match emit::site(input, &settings.title) {
            Ok(site) => Outcome::Site(site),
            Err(e) => Outcome::Broken(Broken {
                problems: vec![Problem {
                    code: None,
                    place: display(&root),
                    message: format!("cannot render the pages: {e}"),
                    help: None,
                    report: String::new(),
                }],
                json: report::json(&sources, &[]),
            }),
        }
    } else {
        Outcome::Broken(broken(&sources, &files, &unreadable, &analysis))
    };
    let summary = Summary {
        files: sources.len(),
        errors: analysis.count(Severity::Error) + unreadable.len(),
        warnings: analysis.count(Severity::Warning),
        notes: analysis.count(Severity::Note),
        unreadable,
        broken: matches!(outcome, Outcome::Broken(_)),
        elapsed: started.elapsed(),
    };
    Build { outcome, sources, diagnostics: analysis.diagnostics, summary }
}

/// The errors of a workspace that cannot be published, named relative to its root
/// as the pages name files.
fn broken(
    sources: &Sources,
    files: &[String],
    unreadable: &[String],
    analysis: &Analysis,
) -> Broken {
    let mut named = Sources::new();
    for ((_, file), name) in sources.iter().zip(files) {
        // The files were added to `sources` under the same size limit.
        let _ = named.add(name.as_str(), file.text.clone());
    }
    let errors: Vec<Diagnostic> =
        analysis.diagnostics.iter().filter(|d| d.severity == Severity::Error).cloned().collect();
    let style = report::Human { color: false, width: 100 };
    let mut problems: Vec<Problem> = unreadable
        .iter()
        .map(|message| Problem {
            code: None,
            place: String::new(),
            message: message.clone(),
            help: None,
            report: String::new(),
        })
        .collect();
    // The reports are drawn one at a time from the workspace as a terminal may show
    // it, made once (`text::terminal`): each report would otherwise copy a file that
    // holds control characters again.
    let shown = crate::text::terminal::Shown::of(&named, &errors);
    problems.extend(errors.iter().zip(shown.diagnostics.iter()).map(|(d, drawn)| {
        let file = named.get(d.primary.span.file);
        let at = file.line_col(d.primary.span.start);
        Problem {
            code: Some(d.code.as_str()),
            place: format!("{}:{}:{}", file.display_path(), at.line, at.column),
            message: d.message.clone(),
            help: d.help.clone(),
            report: snippet(&report::human(&shown.sources, std::slice::from_ref(drawn), style)),
        }
    }));
    Broken { problems, json: report::json(&named, &errors) }
}

/// A human report from its first source snippet on: its head repeats the code and
/// the message. Without a snippet, the whole report.
fn snippet(report: &str) -> String {
    let start =
        report.find('\u{256d}').map_or(0, |at| report[..at].rfind('\n').map_or(0, |line| line + 1));
    report[start..].trim_end().to_owned()
}

fn display(path: &Path) -> String {
    crate::source::display_path(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Issue 21, item 6: the error page's reports show a broken file's control
    /// characters as pictures, their labels under the right columns.
    #[test]
    fn the_reports_of_a_broken_workspace_show_control_characters() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("a.journey");
        std::fs::write(&file, "persona a \"\u{1b}[2J\" persona a \"b\"\n").unwrap();
        let settings = Settings {
            paths: vec![file],
            measurements: Vec::new(),
            levels: Levels::default(),
            title: "T".to_owned(),
        };
        let Outcome::Broken(broken) = build(&settings).outcome else {
            panic!("the workspace has an error")
        };
        let report = &broken.problems[0].report;
        assert!(!report.chars().any(|c| c.is_control() && c != '\n'), "{report:?}");
        let line = report.lines().find(|l| l.contains("persona a \"␛[2J\"")).unwrap();
        let under = report.lines().skip_while(|l| *l != line).nth(1).unwrap();
        let column = |text: &str, at: usize| text[..at].chars().count();
        let second_a = line.rfind("persona a").unwrap() + "persona ".len();
        assert_eq!(column(under, under.rfind('┬').unwrap()), column(line, second_a), "{report}");
    }

    /// `journey serve --measurements`: the served site shows the measured value, and
    /// an error in the CSV breaks the site, pointing into the file.
    #[test]
    fn measurements_reach_the_site_and_its_errors() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("a.journey");
        let csv = dir.path().join("kpis.csv");
        std::fs::write(
            &file,
            "value stream s { stage a { metric m \"M\" { target >= 80% current 85% } } }\n",
        )
        .unwrap();
        std::fs::write(&csv, "kpi,value,date\ns.a.m,72%,2026-03-31\n").unwrap();
        let settings = Settings {
            paths: vec![file],
            measurements: vec![csv.clone()],
            levels: Levels::default(),
            title: "T".to_owned(),
        };
        let Outcome::Site(site) = build(&settings).outcome else { panic!("no error") };
        let json = &site.files.iter().find(|(name, _)| name == "traceability.json").unwrap().1;
        assert!(json.contains("\"72%\"") && !json.contains("\"85%\""), "{json}");
        std::fs::write(&csv, "kpi,value\ns.a.n,72%\n").unwrap();
        let Outcome::Broken(broken) = build(&settings).outcome else { panic!("an error") };
        assert!(broken.problems[0].place.ends_with("kpis.csv:2:1"), "{:?}", broken.problems[0]);
    }
}
