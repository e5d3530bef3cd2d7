//! `journey::unmeasured`: moments of truth and value-stream stages without a measure.
//!
//! A moment of truth decides how the customer judges the journey, and a value-stream
//! stage exists to produce an outcome: neither can be managed without a measure
//! (docs/diagnostics.md, `journey::unmeasured`).

use super::Context;
use crate::check::Finding;
use crate::diagnostic::{Diagnostic, Label, Lint};

pub(super) fn check(cx: &Context<'_>, out: &mut Vec<Finding>) {
    let model = cx.model;
    for t in &model.touchpoints {
        let Some(span) = t.moment_of_truth else { continue };
        if t.metrics.is_empty() {
            out.push(Finding::new(
                t.meta.allow,
                Diagnostic::lint(
                    Lint::Unmeasured,
                    format!("moment of truth `{}` has no `kpi`", t.meta.id),
                    Label::new(span, "a moment of truth without a measure"),
                )
                .with_help(format!(
                    "add a KPI to `{}` for what the customer judges this moment by: \
                     `kpi ID \"WHAT IS MEASURED\" {{ target TARGET }}`",
                    t.meta.id
                )),
            ));
        }
    }
    for stage in &model.vs_stages {
        if stage.metrics.is_empty() {
            out.push(Finding::new(stage.meta.allow,
                Diagnostic::lint(
                    Lint::Unmeasured,
                    format!("value-stream stage `{}` has no `metric`", stage.meta.id),
                    Label::new(stage.meta.id_span, "a stage without a measure"),
                )
                .with_help("add a customer-outcome metric, such as `metric lead_time \"Lead time\" { target \"<= 10 days\" }`"),
            ));
        }
    }
}
