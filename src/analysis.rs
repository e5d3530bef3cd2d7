//! The front end as one call: sources in, model, figures and diagnostics out.

use crate::check::{self, Levels};
use crate::diagnostic::{self, Diagnostic, Severity};
use crate::model::{self, Figures, Model};
use crate::source::{FileId, PARALLEL_FROM_BYTES, Sources};
use crate::syntax::{self, ast};
use rayon::prelude::*;
use std::collections::BTreeMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, mpsc};

/// The result of analysing a workspace. Never partial: every file was parsed as far
/// as it could be, and every problem is in `diagnostics`, sorted by place.
///
/// The syntax trees are not kept: the model holds everything later phases read, and
/// dropping the trees as soon as it is built lowers peak memory by their size.
#[derive(Debug)]
pub struct Analysis {
    pub model: Model,
    pub figures: Figures,
    pub diagnostics: Vec<Diagnostic>,
}

impl Analysis {
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(|d| d.severity == Severity::Error)
    }

    /// How many diagnostics there are of a severity.
    pub fn count(&self, severity: Severity) -> usize {
        self.diagnostics.iter().filter(|d| d.severity == severity).count()
    }
}

/// Parses, resolves and checks a workspace. Its measurements files (spec §5c; see
/// `workspace::load_measurements`) replace the kpi values written in the source
/// before the checks run.
pub fn analyze(sources: &Sources, levels: &Levels) -> Analysis {
    analyze_from(sources, levels, PARALLEL_FROM_BYTES)
}

/// [`analyze`], parsing in parallel from `parallel_from` bytes of source.
fn analyze_from(sources: &Sources, levels: &Levels, parallel_from: usize) -> Analysis {
    // A measurements file keeps its place (its `FileId`) as an empty text: it is
    // read by `model::measurements`, never parsed as a `.journey` file.
    let texts: Vec<&str> =
        sources.iter().map(|(_, f)| if f.is_journey() { f.text.as_str() } else { "" }).collect();
    let bytes: usize = texts.iter().map(|t| t.len()).sum();
    let mut diagnostics = Vec::new();
    let mut builder = model::Builder::for_texts(&texts);
    // Each tree is read into the model and freed as soon as it is parsed: a large
    // workspace is never held as trees and model at once.
    parse_each(&texts, bytes >= parallel_from, |file, syntax| {
        builder.add(&file);
        diagnostics.extend(syntax);
    });
    let (mut model, model_diagnostics) = builder.finish();
    diagnostics.extend(model_diagnostics);
    // Measured values replace the written ones before the checks judge them.
    diagnostics.extend(model::measurements::apply(&mut model, sources));
    let (figures, mut lints) = checked(&model, levels);
    // The lints are most of the findings (tens of thousands on a large workspace):
    // the few others join their list, which is then not copied whole.
    lints.append(&mut diagnostics);
    diagnostic::sort(&mut lints);
    Analysis { model, figures, diagnostics: lints }
}

/// An analysis that keeps each file's syntax tree for the next one, for the
/// editor: a change parses again only the files whose text changed. Resolution
/// and the checks are workspace-wide by nature (a trace in one file changes the
/// waste of an activity in another), so they run every time, on the kept trees.
///
/// The answers are [`analyze`]'s, whatever the history of changes.
#[derive(Debug, Default)]
pub struct Incremental {
    /// The text each tree was parsed from: shared with the caller, so a file
    /// whose text is the same allocation is known unchanged without a comparison.
    texts: Vec<Arc<String>>,
    trees: Vec<ast::File>,
    syntax: Vec<Vec<Diagnostic>>,
}

impl Incremental {
    pub fn new() -> Incremental {
        Incremental::default()
    }

    /// Analyses the workspace whose files have these texts (a file keeps its index,
    /// its `FileId`, from one call to the next; an empty text stands for a file that
    /// was removed). Files are parsed in parallel, whatever their size: the editor
    /// runs this off its message loop.
    pub fn analyze(&mut self, texts: &[Arc<String>], levels: &Levels) -> Analysis {
        self.analyze_beside(texts, levels, |_| ()).0
    }

    /// [`Incremental::analyze`], running `beside` on the resolved model while the
    /// checks run: the editor builds its index of the model there, so that an edit's
    /// diagnostics wait for the longer of the two rather than for both.
    pub fn analyze_beside<T: Send>(
        &mut self,
        texts: &[Arc<String>],
        levels: &Levels,
        beside: impl FnOnce(&Model) -> T + Send,
    ) -> (Analysis, T) {
        self.texts.truncate(texts.len());
        let changed: Vec<usize> = (0..texts.len())
            .filter(|&i| {
                self.texts.get(i).is_none_or(|old| !Arc::ptr_eq(old, &texts[i]) && old != &texts[i])
            })
            .collect();
        let all: Vec<&str> = texts.iter().map(|t| t.as_str()).collect();
        self.parse(&all, changed);
        self.texts = texts.to_vec();
        self.resolve(levels, |_| Vec::new(), beside)
    }

    /// [`analyze`] of a workspace read from disk: the same answers, measurements
    /// files included, parsing again only the files whose text differs from the
    /// last call's (compared byte by byte, which takes milliseconds where parsing
    /// takes seconds). `journey serve` keeps one across its rebuilds.
    pub fn analyze_sources(&mut self, sources: &Sources, levels: &Levels) -> Analysis {
        self.analyze_sources_beside(sources, levels, |_| ()).0
    }

    /// [`Incremental::analyze_sources`], running `beside` on the resolved model
    /// while the checks run (`journey serve` makes the pages' qualified names there).
    pub fn analyze_sources_beside<T: Send>(
        &mut self,
        sources: &Sources,
        levels: &Levels,
        beside: impl FnOnce(&Model) -> T + Send,
    ) -> (Analysis, T) {
        // As in `analyze`, a measurements file keeps its place as an empty text.
        let all: Vec<&str> = sources
            .iter()
            .map(|(_, f)| if f.is_journey() { f.text.as_str() } else { "" })
            .collect();
        self.texts.truncate(all.len());
        let changed: Vec<usize> = (0..all.len())
            .filter(|&i| self.texts.get(i).is_none_or(|old| old.as_str() != all[i]))
            .collect();
        self.parse(&all, changed.clone());
        // Only the changed texts are copied: the kept ones are the same bytes.
        for i in changed {
            let text = Arc::new(all[i].to_owned());
            if i < self.texts.len() {
                self.texts[i] = text;
            } else {
                self.texts.push(text);
            }
        }
        let measure = |model: &mut Model| model::measurements::apply(model, sources);
        self.resolve(levels, measure, beside)
    }

    /// Parses again the files at `changed` (indexes into `texts`) and keeps their
    /// trees and syntax errors; files past the end of `texts` are forgotten. A file
    /// whose last text is known is re-parsed from that text's tree
    /// ([`syntax::reparse`]): only the declarations an edit touched are parsed.
    fn parse(&mut self, texts: &[&str], changed: Vec<usize>) {
        self.trees.resize_with(texts.len(), ast::File::default);
        self.syntax.resize_with(texts.len(), Vec::new);
        let jobs: Vec<(usize, Option<Before>)> = changed
            .into_iter()
            .map(|i| {
                let before = self.texts.get(i).map(|text| {
                    let tree = std::mem::take(&mut self.trees[i]);
                    (Arc::clone(text), tree, !self.syntax[i].is_empty())
                });
                (i, before)
            })
            .collect();
        let parse = |(i, before): (usize, Option<Before>)| {
            let file = FileId(i as u32);
            let (tree, diagnostics) = match before {
                Some((text, tree, had_diagnostics)) => {
                    syntax::reparse(file, &text, tree, had_diagnostics, texts[i])
                }
                None => syntax::parse(file, texts[i]),
            };
            (i, tree, diagnostics)
        };
        let parsed: Vec<_> = jobs.into_par_iter().map(parse).collect();
        for (i, tree, diagnostics) in parsed {
            self.trees[i] = tree;
            self.syntax[i] = diagnostics;
        }
    }

    /// Resolves the kept trees, has `measure` replace measured values in the
    /// model (as `analyze` does, before the checks), then checks the model while
    /// `beside` runs on it.
    fn resolve<T: Send>(
        &self,
        levels: &Levels,
        measure: impl FnOnce(&mut Model) -> Vec<Diagnostic>,
        beside: impl FnOnce(&Model) -> T + Send,
    ) -> (Analysis, T) {
        let texts: Vec<&str> = self.texts.iter().map(|t| t.as_str()).collect();
        let (mut model, mut diagnostics) = model::build(&texts, &self.trees);
        diagnostics.extend(measure(&mut model));
        let ((figures, lints), aside) = rayon::join(|| checked(&model, levels), || beside(&model));
        diagnostics.extend(lints);
        diagnostics.extend(self.syntax.iter().flatten().cloned());
        diagnostic::sort(&mut diagnostics);
        (Analysis { model, figures, diagnostics }, aside)
    }
}

/// What a file was before a change: its text, its tree, and whether parsing it
/// reported anything.
type Before = (Arc<String>, ast::File, bool);

/// Parses every file and hands each tree, with its syntax errors, to `take` in
/// `FileId` order. Files are independent until resolution, so a large workspace
/// is parsed on every thread of rayon's pool, which take the files in order: a
/// tree waits only for those before it, so few are alive at once. A small
/// workspace is parsed on this thread, since starting the pool costs more than
/// it saves there, and an example is checked in a few milliseconds.
///
/// The parsers are the pool's threads, which outlive the parse: the trees they
/// allocated and `take` frees are then reused by the checks that follow, where
/// threads of our own would leave that memory resident after they ended. `take`
/// runs on this thread, which waits for the parsers: from inside the pool, that
/// could leave no thread to run them, so there the files are parsed here.
fn parse_each(texts: &[&str], parallel: bool, mut take: impl FnMut(ast::File, Vec<Diagnostic>)) {
    let parse = |i: usize| syntax::parse(FileId(i as u32), texts[i]);
    let workers = rayon::current_num_threads().min(texts.len());
    if !parallel || rayon::current_thread_index().is_some() {
        for i in 0..texts.len() {
            let (tree, syntax) = parse(i);
            take(tree, syntax);
        }
        return;
    }
    let next = AtomicUsize::new(0);
    // Bounded, so that parsers ahead of a slow `take` wait rather than pile up trees.
    let (send, parsed) = mpsc::sync_channel(workers);
    rayon::in_place_scope(|scope| {
        for _ in 0..workers {
            let (send, next, parse) = (send.clone(), &next, &parse);
            scope.spawn(move |_| {
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    // The receiver outlives the workers, so a send fails only if
                    // `take` panicked, and then the work is moot.
                    if i >= texts.len() || send.send((i, parse(i))).is_err() {
                        break;
                    }
                }
            });
        }
        drop(send);
        let mut early = BTreeMap::new();
        let mut due = 0;
        for (i, tree) in parsed {
            early.insert(i, tree);
            while let Some((tree, syntax)) = early.remove(&due) {
                take(tree, syntax);
                due += 1;
            }
        }
    });
}

/// The derived figures and the lints of a resolved model.
fn checked(model: &Model, levels: &Levels) -> (Figures, Vec<Diagnostic>) {
    let figures = Figures::of(model);
    let lints = check::check(model, &figures, levels);
    (figures, lints)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fmt::Write as _;

    #[test]
    fn parsing_on_one_thread_or_many_gives_the_same_analysis() {
        let mut sources = Sources::new();
        let mut streams = String::from("team ops\nvalue stream s {\n  stage a {\n");
        for i in 0..40 {
            writeln!(streams, "    activity act{i} {{ owner ops }}").unwrap();
        }
        streams.push_str("  }\n}\n");
        sources.add("streams.journey", streams).unwrap();
        for f in 0..6 {
            let mut text = format!("journey j{f} {{\n");
            for st in 0..10 {
                writeln!(text, "  stage st{st} {{\n    maps to s.a").unwrap();
                for t in 0..50 {
                    // Some trace to nothing, so there are errors to order too.
                    let target = if t % 7 == 0 { "missing".to_owned() } else { format!("act{t}") };
                    writeln!(text, "    touchpoint t{t} \"T\" {{ traces to s.{target} }}").unwrap();
                }
                text.push_str("  }\n");
            }
            text.push_str("}\n");
            sources.add(format!("j{f}.journey"), text).unwrap();
        }
        let levels = Levels::default();
        let one = analyze_from(&sources, &levels, usize::MAX);
        let many = analyze_from(&sources, &levels, 0);
        assert!(one.has_errors());
        assert_eq!(shown(&one), shown(&many));
    }

    /// Everything an analysis says but `model.damage`, whose hash sets print in no
    /// fixed order.
    fn shown(a: &Analysis) -> String {
        let m = &a.model;
        format!(
            "{:?}{:?}{:?}{:?}{:?}{:?}",
            a.diagnostics, a.figures, m.touchpoints, m.traces, m.activities, m.vs_stages
        )
    }

    /// Versions of each file of a small workspace, all of one length per file (so
    /// that a change is never told by the length alone): declarations that move
    /// between files, duplicates, references to what another version removes,
    /// syntax errors and blank (removed) files.
    const VERSIONS: [[&str; 4]; 3] = [
        [
            "team ops\nvalue stream s { stage a { activity x { owner ops } activity y } }\n",
            "team ops\nvalue stream s { stage a { activity x { owner ops } } }           \n",
            "                                                                           \n",
            "team ops\nvalue stream s { stage a { activity x {                           \n",
        ],
        [
            "journey j { stage t { touchpoint p { traces to s.x } } }             \n",
            "journey j { stage t { touchpoint p { traces to s.y } touchpoint q } }\n",
            "journey j { stage t { touchpoint p { traces to nowhere } } }         \n",
            "                                                                     \n",
        ],
        [
            "                                                     \n",
            "team ops                                             \n",
            "persona buyer\njourney k { persona buyer }            \n",
            "journey j                                            \n",
        ],
    ];

    /// Versions of a file whose stage has a kpi that the measurements files name, or
    /// no longer name, of one length as in `VERSIONS`.
    const MEASURED: [&str; 4] = [
        "value stream v { stage b { metric m \"M\" { target >= 80% current 85% } } }\n",
        "value stream v { stage b { metric n \"N\" { target >= 80% current 85% } } }\n",
        "value stream v { stage b { } }                                           \n",
        "value stream v { stage b { metric m \"M\" { target >= 80% current 85% }    \n",
    ];

    /// Versions of a measurements file: a row that replaces the written value, one
    /// that names an unknown kpi, two undated rows, no rows, a value that is not one.
    const MEASUREMENTS: [&str; 5] = [
        "kpi,value,date\nv.b.m,72%,2026-03-31\n",
        "kpi,value\nv.b.n,72%\n",
        "kpi,value\nv.b.m,90%\nv.b.m,60%\n",
        "kpi,value\n",
        "kpi,value\nv.b.m,lots\n",
    ];

    proptest::proptest! {
        /// However the files change from one analysis to the next, the incremental
        /// analysis says what a fresh one says: from the editor's texts, and from a
        /// workspace read from disk with a measurements file (`journey serve`).
        #[test]
        fn incremental_analysis_is_a_fresh_analysis(
            edits in proptest::collection::vec((0..5usize, 0..5usize, proptest::bool::ANY), 1..12)
        ) {
            for versions in VERSIONS {
                proptest::prop_assert!(versions.iter().all(|v| v.len() == versions[0].len()));
            }
            proptest::prop_assert!(MEASURED.iter().all(|v| v.len() == MEASURED[0].len()));
            let levels = Levels::default();
            let mut incremental = Incremental::new();
            let mut from_disk = Incremental::new();
            let mut texts: Vec<Arc<String>> = (0..3)
                .map(|f| Arc::new(VERSIONS[f][0].to_owned()))
                .chain([Arc::new(MEASURED[0].to_owned())])
                .collect();
            let mut measurements = MEASUREMENTS[0];
            for (file, version, copy) in edits {
                if file == 4 {
                    measurements = MEASUREMENTS[version];
                } else {
                    let text =
                        if file == 3 { MEASURED[version % 4] } else { VERSIONS[file][version % 4] };
                    let text = text.to_owned();
                    // A new allocation of the same text is unchanged too.
                    texts[file] = if copy || *texts[file] != text {
                        Arc::new(text)
                    } else {
                        Arc::clone(&texts[file])
                    };
                }
                let mut sources = Sources::new();
                for (i, t) in texts.iter().enumerate() {
                    sources.add(format!("f{i}.journey"), t.to_string()).unwrap();
                }
                let fresh = analyze(&sources, &levels);
                let kept = incremental.analyze(&texts, &levels);
                proptest::prop_assert_eq!(shown(&kept), shown(&fresh));
                let csv = crate::source::SourceFile::new("kpis.csv".into(), measurements.to_owned())
                    .of_kind(crate::source::FileKind::Measurements);
                sources.push(csv).unwrap();
                let fresh = analyze(&sources, &levels);
                let kept = from_disk.analyze_sources(&sources, &levels);
                proptest::prop_assert_eq!(shown(&kept), shown(&fresh));
            }
        }
    }
}
