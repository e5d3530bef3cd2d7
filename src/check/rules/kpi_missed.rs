//! `journey::kpi-missed`: a kpi or metric whose current value, written in the
//! source or measured (spec §5c), does not meet its typed target (§5b).
//!
//! This is what lets a pull request, or a nightly build fed with measured data,
//! fail when the experience gets worse (docs/diagnostics.md, `journey::kpi-missed`).

use super::Context;
use crate::check::Finding;
use crate::diagnostic::{Diagnostic, Label, Lint};
use crate::model::Metric;

pub(super) fn check(cx: &Context<'_>, out: &mut Vec<Finding>) {
    let model = cx.model;
    let stages = model.vs_stages.iter().map(|s| (&s.meta, &s.metrics[..]));
    let touchpoints = model.touchpoints.iter().map(|t| (&t.meta, &t.metrics[..]));
    for (owner, metrics) in stages.chain(touchpoints) {
        for metric in metrics {
            if let Some(diagnostic) = missed(&owner.id, metric) {
                out.push(Finding::new(metric.allow, diagnostic));
            }
        }
    }
}

/// The diagnostic for `metric` of the element `owner`, if it misses its target.
fn missed(owner: &str, metric: &Metric) -> Option<Diagnostic> {
    let (Some(target), Some(current)) = (&metric.target, &metric.current) else { return None };
    if target.met_by(current) != Some(false) {
        return None;
    }
    let when = current.when();
    let diagnostic = Diagnostic::lint(
        Lint::KpiMissed,
        format!(
            "\"{}\" of `{owner}` is {}{when}, which misses its target of {}",
            metric.label, current.written, target.written
        ),
        Label::new(target.span, format!("target {}", target.written)),
    )
    .with_label(Label::new(current.span, format!("{}{when}: misses the target", current.written)))
    .with_help(
        "improve the experience until the current value meets the target, or revise the \
         target if it no longer holds",
    );
    Some(diagnostic)
}
