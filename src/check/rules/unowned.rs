//! `journey::unowned`: an activity with no `owner`.
//!
//! Work nobody owns is work nobody improves, and the blueprint cannot show who the
//! customer depends on (docs/diagnostics.md, `journey::unowned`).

use super::Context;
use crate::check::Finding;
use crate::diagnostic::{Diagnostic, Label, Lint};
use crate::model::ActivityId;

pub(super) fn check(cx: &Context<'_>, out: &mut Vec<Finding>) {
    let model = cx.model;
    for (i, a) in model.activities.iter().enumerate() {
        // An owner that failed to resolve is an error already reported.
        if a.owner.is_some()
            || model.damage.activities_with_lost_owner.contains(&ActivityId(i as u32))
        {
            continue;
        }
        out.push(Finding::new(
            a.meta.allow,
            Diagnostic::lint(
                Lint::Unowned,
                format!("activity `{}` has no owner", a.meta.id),
                Label::new(a.meta.id_span, "no team owns this activity"),
            )
            .with_help("add `owner TEAM` naming the team that performs it"),
        ));
    }
}
