//! The exporters and the importer agree: every example's Mermaid export, read back
//! by `journey import mermaid`, gives the same journeys, stages, touchpoints,
//! personas and scores; and the imported workspace formats and checks.

use crate::support;

use assert_cmd::Command;
use journey::import::mermaid;
use journey::model::Emotion;

#[test]
fn the_mermaid_export_of_every_example_imports_back() {
    for example in ["insurance-claims", "hospital-onboarding", "b2b-order"] {
        let dir = support::root().join("examples").join(example);
        let out = Command::cargo_bin("journey")
            .unwrap()
            .args(["export", "--format", "mermaid"])
            .arg(&dir)
            .output()
            .unwrap();
        assert!(out.status.success(), "{example}: {}", String::from_utf8_lossy(&out.stderr));
        let exported = String::from_utf8(out.stdout).unwrap();

        let imported = mermaid(&exported, "export.md")
            .unwrap_or_else(|e| panic!("{example}: the export does not import: {e:?}"));
        let analysis = support::analyze_default(&support::load(&format!("examples/{example}")));
        let model = &analysis.model;
        assert_eq!(imported.journeys.len(), model.journeys.len(), "{example}");
        for (journey, original) in imported.journeys.iter().zip(&model.journeys) {
            assert_eq!(journey.label.as_deref(), Some(original.meta.label.as_str()), "{example}");
            let personas: Vec<&str> =
                journey.personas.iter().map(|&p| imported.personas[p].label.as_str()).collect();
            let expected: Vec<&str> =
                original.personas.iter().map(|p| model[p.target].meta.label.as_str()).collect();
            assert_eq!(personas, expected, "{example}: the actors are the personas");
            assert_eq!(journey.stages.len(), original.stages.len(), "{example}");
            for (stage, &s) in journey.stages.iter().zip(&original.stages) {
                assert_eq!(stage.label.as_deref(), Some(model[s].meta.label.as_str()));
                let touchpoints = &model[s].touchpoints;
                assert_eq!(stage.touchpoints.len(), touchpoints.len(), "{example}");
                for (t, &id) in stage.touchpoints.iter().zip(touchpoints) {
                    let original = &model[id];
                    assert_eq!(t.label, original.meta.label, "{example}");
                    // The score survives: exporting the imported emotion gives the
                    // score the original exported to.
                    let score = journey::emit::mermaid::score(original.emotion);
                    assert_eq!(
                        journey::emit::mermaid::score(Emotion::new(t.emotion)),
                        score,
                        "{example}: `{}`",
                        t.label
                    );
                }
            }
        }

        // What the importer writes is a workspace `journey` reads without errors
        // (the traces are left for people to add, so gaps are expected), and it is
        // already formatted.
        let text = imported.text();
        let sources = support::single(&text);
        let analysis = support::analyze_default(&sources);
        assert!(!analysis.has_errors(), "{example}: {:?}", analysis.diagnostics);
        let formatted = journey::fmt::format(journey::source::FileId(0), &text)
            .unwrap_or_else(|e| panic!("{example}: the imported text does not format: {e:?}"));
        assert_eq!(
            formatted, text,
            "{example}: the importer's output is not in the canonical layout"
        );
    }
}
