//! HTML text and attribute values: the escaper of every template (`askama.toml`
//! names [`HtmlText`]) and of the few values written outside one.

use std::fmt;

/// askama's HTML escaper (`&`, `<`, `>`, `"`, `'` as character references), under
/// the text policy (see [`crate::text`]): control characters are shown as `\u{1b}`,
/// so no raw `NUL` or `ESC` reaches a page, and a value holding direction controls
/// (a right-to-left override, say) is wrapped in FIRST STRONG ISOLATE … POP
/// DIRECTIONAL ISOLATE, which closes whatever the value opened, so that it can never
/// reverse the page's own text after it. Other values are only escaped, so
/// attributes and numbers are untouched.
#[derive(Clone, Copy, Default)]
pub struct HtmlText;

impl askama::filters::Escaper for HtmlText {
    fn write_escaped_str<W: fmt::Write>(&self, mut dest: W, text: &str) -> fmt::Result {
        let (controls, directions) = scan(text);
        if directions {
            dest.write_char('\u{2068}')?;
        }
        if controls {
            askama::filters::Html.write_escaped_str(&mut dest, &super::escape_controls(text))?;
        } else {
            askama::filters::Html.write_escaped_str(&mut dest, text)?;
        }
        if directions {
            dest.write_char('\u{2069}')?;
        }
        Ok(())
    }
}

/// Text for HTML text or a quoted attribute value, as the templates write it.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    // Writing into a String cannot fail.
    let _ = askama::filters::Escaper::write_escaped_str(&HtmlText, &mut out, text);
    out
}

/// Whether a text holds control characters, and whether it holds direction
/// controls.
fn scan(text: &str) -> (bool, bool) {
    let (mut controls, mut directions) = (false, false);
    for (_, special) in super::specials(text) {
        match special {
            super::Special::Control => controls = true,
            super::Special::Direction => directions = true,
            super::Special::LoneCr => {}
        }
    }
    (controls, directions)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_isolates_direction_controls() {
        assert_eq!(
            escape("<a href=\"x\">'&'</a>"),
            "&#60;a href=&#34;x&#34;&#62;&#39;&#38;&#39;&#60;/a&#62;"
        );
        assert_eq!(escape("a\u{202e}b"), "\u{2068}a\u{202e}b\u{2069}");
        assert_eq!(escape("tab\tand\nline"), "tab\tand\nline");
    }

    /// Issue 21: raw `NUL` and `ESC` bytes from a label reached the pages.
    #[test]
    fn control_characters_are_shown_not_written() {
        assert_eq!(escape("\u{1b}[2J\u{0}x\u{7f}\u{9b}"), "\\u{1b}[2J\\u{0}x\\u{7f}\\u{9b}");
        let mixed = escape("\u{202e}\u{1b}<");
        assert_eq!(mixed, "\u{2068}\u{202e}\\u{1b}&#60;\u{2069}");
    }

    #[test]
    fn the_scan_finds_what_the_policy_names() {
        for (text, expected) in [
            ("plain — “quoted” → é", (false, false)),
            ("\u{85}", (true, false)),
            ("\u{a0}", (false, false)),
            ("\u{2067}", (false, true)),
            ("\u{2028}", (false, false)),
        ] {
            assert_eq!(scan(text), expected, "{text:?}");
        }
    }
}
