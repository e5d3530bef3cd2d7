//! One rebuild: the workspace read and analysed, ready to be rendered into memory a
//! page at a time exactly as `journey build` would publish it, or the errors that
//! stop it from being published. Nothing is written anywhere.
//!
//! The analysis is incremental (`analysis::Incremental`): a save parses again only
//! the files whose text changed. Resolution and the checks run on the whole
//! workspace every time, since a trace in one file changes figures in another.

use crate::Analysis;
use crate::analysis::Incremental;
use crate::check::Levels;
use crate::diagnostic::{Diagnostic, Severity};
use crate::emit::Pages;
use crate::report;
use crate::source::Sources;
use std::path::PathBuf;
use std::sync::Arc;
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
    /// The workspace as read, with the paths as given, for reports on standard error
    /// and to tell whether the next build changes anything.
    pub sources: Arc<Sources>,
    /// The diagnostics of a broken workspace; a site keeps them in its analysis
    /// ([`Build::diagnostics`] has both).
    diagnostics: Vec<Diagnostic>,
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

/// What the site shows after a rebuild.
#[derive(Debug)]
pub enum Outcome {
    /// Every file was read and there is no error: the site `journey build` writes,
    /// rendered a page at a time when asked for.
    Site(Arc<Pages>),
    /// What stops the site from being published.
    Broken(Broken),
}

impl Outcome {
    /// Whether this build serves what `last`, made from `last_sources`, serves, so
    /// that a save that changes nothing (the same text saved again) reloads no page.
    ///
    /// A site is a deterministic function of the files' names, kinds and texts (the
    /// levels and the title are the server's, fixed), so two sites are compared by
    /// their inputs, byte for byte, which takes milliseconds where rendering them
    /// all took seconds. Two broken workspaces are compared by the errors they show.
    pub fn serves_the_same(
        &self,
        sources: &Sources,
        last: &Outcome,
        last_sources: &Sources,
    ) -> bool {
        match (self, last) {
            (Outcome::Site(_), Outcome::Site(_)) => same_inputs(sources, last_sources),
            (Outcome::Broken(now), Outcome::Broken(then)) => now == then,
            _ => false,
        }
    }
}

/// Whether two workspaces have the same files, of the same kinds, with the same texts.
fn same_inputs(a: &Sources, b: &Sources) -> bool {
    a.len() == b.len()
        && a.iter()
            .zip(b.iter())
            .all(|((_, a), (_, b))| a.path == b.path && a.kind == b.kind && a.text == b.text)
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

    /// Every diagnostic of the analysis, sorted by place.
    pub fn diagnostics(&self) -> &[Diagnostic] {
        match &self.outcome {
            Outcome::Site(pages) => &pages.analysis().diagnostics,
            Outcome::Broken(_) => &self.diagnostics,
        }
    }
}

/// Reads and analyses the workspace, parsing again only the files whose text
/// `incremental` has not seen; the pages are rendered when they are asked for.
pub fn build(settings: &Settings, incremental: &mut Incremental) -> Build {
    let started = Instant::now();
    let (mut sources, mut load_errors) = crate::workspace::load(&settings.paths);
    load_errors.extend(crate::workspace::load_measurements(&mut sources, &settings.measurements));
    // A warning (a dangling link) leaves the rest of the workspace to build.
    let unreadable: Vec<String> =
        load_errors.iter().filter(|e| !e.is_warning()).map(ToString::to_string).collect();
    // The pages' qualified names are made on the other core while the checks run
    // on this one, so that the first page asked for does not wait for them.
    let (analysis, names) =
        incremental.analyze_sources_beside(&sources, &settings.levels, crate::model::Names::of);
    let given: Vec<PathBuf> =
        settings.paths.iter().chain(&settings.measurements).cloned().collect();
    let root = crate::workspace::root(&given).unwrap_or_else(|| PathBuf::from("."));
    let files = crate::workspace::relative_names(&root, &sources);
    let summary = Summary {
        files: sources.len(),
        errors: analysis.count(Severity::Error) + unreadable.len(),
        warnings: analysis.count(Severity::Warning),
        notes: analysis.count(Severity::Note),
        broken: !unreadable.is_empty() || analysis.has_errors(),
        unreadable,
        elapsed: Duration::ZERO,
    };
    let sources = Arc::new(sources);
    let (outcome, diagnostics) = if summary.broken {
        let broken = broken(&sources, &files, &summary.unreadable, &analysis);
        (Outcome::Broken(broken), analysis.diagnostics)
    } else {
        // The pages read the diagnostics (the overview lists the warnings); the
        // report on standard error shows only errors, and there are none.
        let pages = Pages::new(Arc::new(analysis), Arc::clone(&sources), files, &settings.title)
            .with_names(names);
        (Outcome::Site(Arc::new(pages)), Vec::new())
    };
    let summary = Summary { elapsed: started.elapsed(), ..summary };
    Build { outcome, sources, diagnostics, summary }
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
            help: d.help.as_deref().map(str::to_owned),
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
        let Outcome::Broken(broken) = build(&settings, &mut Incremental::new()).outcome else {
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
        // One analysis kept across the builds, as the server keeps it.
        let mut incremental = Incremental::new();
        let Outcome::Site(site) = build(&settings, &mut incremental).outcome else {
            panic!("no error")
        };
        let json = site.render("traceability.json").unwrap().unwrap();
        assert!(json.contains("\"72%\"") && !json.contains("\"85%\""), "{json}");
        std::fs::write(&csv, "kpi,value\ns.a.n,72%\n").unwrap();
        let Outcome::Broken(broken) = build(&settings, &mut incremental).outcome else {
            panic!("an error")
        };
        assert!(broken.problems[0].place.ends_with("kpis.csv:2:1"), "{:?}", broken.problems[0]);
    }
}
