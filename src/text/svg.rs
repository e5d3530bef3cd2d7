//! SVG text and attribute values: the escaper of the SVG pictures (`emit::svg`).
//!
//! SVG is XML, which is stricter than HTML: a character that XML does not allow
//! (the C0 controls but tab and line breaks, U+FFFE, U+FFFF) makes the whole file
//! unreadable, even as a character reference. The policy of [`crate::text`] shows
//! every control character as its escape (`\u{1b}`) anyway; the two
//! noncharacters XML forbids are shown the same way. A value holding direction
//! controls is drawn as a document's text, so it is wrapped in FIRST STRONG
//! ISOLATE … POP DIRECTIONAL ISOLATE, as on the pages.

use std::borrow::Cow;

/// Text for an SVG `<text>`, `<tspan>`, `<title>` or `<desc>`, or a double-quoted
/// attribute value: `&`, `<`, `>`, `"` and `'` as entities, control characters
/// and the characters XML forbids shown as `\u{…}` escapes, direction controls
/// isolated. Layout (line breaks, tabs) is the caller's: a picture wraps its
/// labels itself, so it hands this one line at a time.
pub fn escape(text: &str) -> String {
    let shown = shown(text);
    let mut out = String::with_capacity(shown.len() + 8);
    let isolate = super::needs_isolation(&shown);
    if isolate {
        out.push('\u{2068}');
    }
    for c in shown.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            _ => out.push(c),
        }
    }
    if isolate {
        out.push('\u{2069}');
    }
    out
}

/// Text with what XML cannot hold shown as escapes: the policy's control
/// characters, and U+FFFE and U+FFFF. Pictures measure and wrap this form, since
/// it is what they draw. Tabs and line breaks are kept: they are layout.
pub fn shown(text: &str) -> Cow<'_, str> {
    super::escaped(text, |c| super::is_control(c) || matches!(c, '\u{fffe}' | '\u{ffff}'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_isolates_direction_controls() {
        assert_eq!(
            escape("<a href=\"x\">'&'</a>"),
            "&lt;a href=&quot;x&quot;&gt;&apos;&amp;&apos;&lt;/a&gt;"
        );
        assert_eq!(escape("a\u{202e}b"), "\u{2068}a\u{202e}b\u{2069}");
        assert_eq!(escape("plain — “quoted” → é"), "plain — “quoted” → é");
    }

    #[test]
    fn what_xml_forbids_is_shown_not_written() {
        assert_eq!(escape("\u{1b}[2J\u{0}x\u{7f}\u{9b}"), "\\u{1b}[2J\\u{0}x\\u{7f}\\u{9b}");
        assert_eq!(escape("a\u{fffe}b\u{ffff}"), "a\\u{fffe}b\\u{ffff}");
        assert_eq!(shown("tab\tand\nline"), "tab\tand\nline");
        assert!(matches!(shown("plain"), Cow::Borrowed(_)));
    }
}
