//! The server's settings: the lint levels of `journey check --allow/--warn/--deny`,
//! which an editor passes as `initializationOptions` and may change later with
//! `workspace/didChangeConfiguration`:
//!
//! ```json
//! { "lints": { "allow": ["waste"], "warn": [], "deny": ["gap", "warnings"] } }
//! ```
//!
//! The command line takes levels only as flags (there is no configuration file),
//! so these options are how an editor shows what a CI's `journey check --deny …`
//! reports. A code that is not a lint is reported to the user and skipped: a typo
//! in a setting must not stop the server, where it stops the command line.

use crate::check::{Level, Levels};
use serde_json::Value;

/// The levels an options object asks for, and the problems of the codes skipped.
/// The lists apply in the command line's order (allow, then warn, then deny), so
/// the strictest wins when a lint is named twice.
pub fn levels(options: &Value) -> (Levels, Vec<String>) {
    let mut levels = Levels::default();
    let mut problems = Vec::new();
    let lints = options.get("lints").unwrap_or(&Value::Null);
    for (key, level) in [("allow", Level::Allow), ("warn", Level::Warn), ("deny", Level::Deny)] {
        for text in codes(lints.get(key), key, &mut problems) {
            if let Err(problem) = levels.apply(&text, level) {
                problems.push(problem.to_string());
            }
        }
    }
    (levels, problems)
}

/// The options inside a `workspace/didChangeConfiguration` notification's
/// `settings`: under `journey` (how VS Code sends a section) or at the top. `None`
/// when the settings say nothing about this server (then nothing changes).
pub fn from_settings(settings: &Value) -> Option<&Value> {
    if let Some(section) = settings.get("journey") {
        return Some(section);
    }
    settings.get("lints").is_some().then_some(settings)
}

/// A list of codes: an array of strings, or one comma-separated string as the
/// command line accepts.
fn codes(value: Option<&Value>, key: &str, problems: &mut Vec<String>) -> Vec<String> {
    let split = |s: &str| -> Vec<String> {
        s.split(',').map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned).collect()
    };
    match value {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::String(s)) => split(s),
        Some(Value::Array(items)) => items
            .iter()
            .filter_map(|item| {
                let codes = item.as_str().map(split);
                if codes.is_none() {
                    problems.push(format!("`lints.{key}` holds {item}, not a code"));
                }
                codes
            })
            .flatten()
            .collect(),
        Some(other) => {
            problems.push(format!("`lints.{key}` is {other}, not a list of codes"));
            Vec::new()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn reads_the_lists_and_reports_what_it_skips() {
        let (read, problems) = levels(&json!({
            "lints": { "allow": ["waste", "journey::syntax"], "deny": "gap, warnings", "warn": [3] }
        }));
        assert!(read.deny_warnings);
        assert_eq!(problems.len(), 2, "{problems:?}");
        assert!(problems[0].contains("is an error"), "{problems:?}");
        let (_, problems) = levels(&json!({ "lints": { "deny": ["nonsense"] } }));
        assert!(problems[0].contains("`nonsense` is not a diagnostic code"));
        let (read, problems) = levels(&json!(null));
        assert!(!read.deny_warnings && problems.is_empty());
    }

    #[test]
    fn finds_the_options_in_settings() {
        let inner = json!({ "lints": {} });
        assert_eq!(from_settings(&json!({ "journey": inner })), Some(&inner));
        assert_eq!(from_settings(&inner), Some(&inner));
        assert_eq!(from_settings(&json!({ "other": 1 })), None);
        assert_eq!(from_settings(&json!(null)), None);
    }
}
