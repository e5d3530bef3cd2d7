//! Words around figures, as messages and reports write them.

/// A count and its noun: `1 file`, `3 touchpoints`, `2 activities`. Both forms are
/// given: English plurals are not all an added `s`.
pub fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// A noun with its indefinite article: `a team`, `an activity`. The element kinds
/// and words this is used for start with a vowel letter exactly when they start with
/// a vowel sound.
pub fn article(what: &str) -> String {
    let an = what.starts_with(['a', 'e', 'i', 'o', 'u']);
    format!("{} {what}", if an { "an" } else { "a" })
}

/// Joins items as a message reads them: `a`, `a or b`, `a, b and c` (`word` is the
/// last joiner).
pub fn join_list(items: &[impl AsRef<str>], word: &str) -> String {
    match items {
        [] => String::new(),
        [one] => one.as_ref().to_owned(),
        [init @ .., last] => {
            let init: Vec<&str> = init.iter().map(AsRef::as_ref).collect();
            format!("{} {word} {}", init.join(", "), last.as_ref())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_take_the_right_form() {
        assert_eq!(plural(0, "file", "files"), "0 files");
        assert_eq!(plural(1, "file", "files"), "1 file");
        assert_eq!(plural(2, "activity", "activities"), "2 activities");
    }

    #[test]
    fn articles_follow_the_first_letter() {
        assert_eq!(article("team"), "a team");
        assert_eq!(article("activity"), "an activity");
        assert_eq!(article("value stream"), "a value stream");
    }

    #[test]
    fn lists_read_as_prose() {
        let none: [&str; 0] = [];
        assert_eq!(join_list(&none, "or"), "");
        assert_eq!(join_list(&["a"], "or"), "a");
        assert_eq!(join_list(&["a", "b"], "or"), "a or b");
        assert_eq!(join_list(&["a".to_owned(), "b".into(), "c".into()], "and"), "a, b and c");
    }
}
