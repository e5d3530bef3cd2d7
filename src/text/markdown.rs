//! Markdown, for two readers: documents that a wiki or an editor renders (the
//! `journey export` report, the Mermaid export's headings, hover text), and the
//! pull-request comment of `journey diff`, which GitHub renders with its own
//! references and mentions. Source text only ever lands inside a line (a table
//! cell, a heading, after other words), so only inline syntax needs escaping.

/// A relative path as a link's destination (`![alt](DESTINATION)`): every byte but
/// the unreserved characters of a URL and `/` percent-encoded, so that a space, a
/// parenthesis or a `#` in a folder's name can neither end the link nor become a
/// fragment, and every Markdown renderer reads the same path.
pub fn destination(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/".contains(&b) {
            out.push(char::from(b));
        } else {
            let _ = std::fmt::Write::write_fmt(&mut out, format_args!("%{b:02X}"));
        }
    }
    out
}

/// Text from the sources as inline Markdown that shows exactly that text, for a
/// document: it cannot start a link, an image, emphasis, code, HTML, a table cell,
/// math, an e-mail or `www.` autolink or a wiki's attribute list.
///
/// - The ASCII punctuation that `CommonMark`, GitHub-flavoured Markdown and common wiki
///   extensions give a meaning, ``! # $ & * + : < = > @ [ \ ] ^ _ ` { | } ~``, gets
///   a backslash (any ASCII punctuation may be escaped so in `CommonMark`, and `\|`
///   is how a table cell holds a `|`). A `.` right after `www` gets one too.
/// - Line breaks and tabs become spaces, so a text stays in its table cell or
///   heading; other control characters are shown as `\u{1b}` (see [`crate::text`]).
/// - A text with explicit direction controls is wrapped in an isolate
///   (U+2068 … U+2069), so it cannot reverse the text around it.
pub fn document(text: &str) -> String {
    let shown = super::escape_controls(text);
    let mut out = String::with_capacity(shown.len() + 8);
    let isolate = super::needs_isolation(&shown);
    if isolate {
        out.push('\u{2068}');
    }
    for c in shown.chars() {
        match c {
            '!' | '#' | '$' | '&' | '*' | '+' | ':' | '<' | '=' | '>' | '@' | '[' | '\\' | ']'
            | '^' | '_' | '`' | '{' | '|' | '}' | '~' => {
                out.push('\\');
                out.push(c);
            }
            '.' if ends_with_www(&out) => out.push_str("\\."),
            '\t' | '\n' | '\r' => out.push(' '),
            c => out.push(c),
        }
    }
    if isolate {
        out.push('\u{2069}');
    }
    out
}

/// Text of several lines (a description) for a document: each line as [`document`]
/// writes it, joined by hard line breaks.
pub fn document_lines(text: &str) -> String {
    let lines: Vec<String> = text.lines().map(document).collect();
    lines.join("  \n")
}

/// Text from the sources as inline Markdown in a GitHub comment, showing exactly
/// that text:
///
/// - HTML and entities (`<`, `>`, `&`) as entities; emphasis, code, links, tables,
///   strike-through and maths (`\`, `` ` ``, `*`, `_`, `[`, `]`, `|`, `~`, `$`) with
///   a backslash; autolinks: a `:` before a non-space, and a `.` right after `www`,
///   with a backslash too;
/// - GitHub's references: `@` and `#` are followed by a zero-width space, and `GH`
///   before `-` and a digit gets one, so that a label mentions nobody and links no
///   issue (`GH-3` is GitHub's other way of writing `#3`);
/// - line breaks, control characters and direction controls are shown as escapes
///   (`\u{a}`), so a label can neither break a table nor reverse the text after it.
pub fn comment(text: &str) -> String {
    let s = super::visible(text);
    let mut out = String::with_capacity(s.len());
    let mut chars = s.char_indices().peekable();
    while let Some((at, c)) = chars.next() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '@' | '#' => {
                out.push(c);
                out.push_str(ZERO_WIDTH_SPACE);
            }
            'g' | 'G' if is_gh_reference(&s, at) => {
                out.push(c);
                // The `H`: ASCII, one byte.
                if let Some((_, h)) = chars.next() {
                    out.push(h);
                }
                out.push_str(ZERO_WIDTH_SPACE);
            }
            ':' if chars.peek().is_some_and(|(_, n)| !n.is_whitespace()) => out.push_str("\\:"),
            '.' if ends_with_www(&out) => out.push_str("\\."),
            '\\' | '`' | '*' | '_' | '[' | ']' | '|' | '~' | '$' => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
    }
    out
}

/// Whether a code span can hold `text` in a GitHub comment's table: nothing in it
/// could end the span or the cell, and nothing is invisible.
pub fn fits_code_span(text: &str) -> bool {
    !text.is_empty()
        && !text.starts_with(' ')
        && !text.ends_with(' ')
        && text
            .chars()
            .all(|c| !c.is_control() && !super::is_direction_control(c) && !"|`".contains(c))
}

/// A zero-width space as a character reference: it shows as nothing, and breaks a
/// mention or a reference in two.
const ZERO_WIDTH_SPACE: &str = "&#8203;";

/// Whether `text` holds `GH-` and a digit at `at`, in any case: GitHub links that to
/// an issue, as it does `#3`.
fn is_gh_reference(text: &str, at: usize) -> bool {
    let rest = text.as_bytes().get(at..).unwrap_or_default();
    rest.len() >= 4
        && rest[..2].eq_ignore_ascii_case(b"gh")
        && rest[2] == b'-'
        && rest[3].is_ascii_digit()
}

/// Whether the text written so far ends with `www`, in any case, which a `.` would
/// turn into a link.
fn ends_with_www(out: &str) -> bool {
    out.len() >= 3 && out.as_bytes()[out.len() - 3..].eq_ignore_ascii_case(b"www")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn document_text_leaves_no_markup() {
        assert_eq!(document("a | b"), "a \\| b");
        assert_eq!(document("<script>alert(1)</script>"), "\\<script\\>alert(1)\\</script\\>");
        assert_eq!(document("[x](javascript:alert(1))"), "\\[x\\](javascript\\:alert(1))");
        assert_eq!(document("*bold* _it_ `code`"), "\\*bold\\* \\_it\\_ \\`code\\`");
        assert_eq!(document("two\nlines\tand tab"), "two lines and tab");
        assert_eq!(document("see www.example.com"), "see www\\.example.com");
        assert_eq!(document("Dr. Who, e-mail"), "Dr. Who, e-mail");
        assert_eq!(document("a\u{202e}b"), "\u{2068}a\u{202e}b\u{2069}");
        assert_eq!(document_lines("one: 1\ntwo"), "one\\: 1  \ntwo");
    }

    /// Issue 21: control characters in a label are shown, not passed on.
    #[test]
    fn document_text_shows_control_characters() {
        assert_eq!(document("a\u{1b}[2Jb\u{0}"), "a\\\\u\\{1b\\}\\[2Jb\\\\u\\{0\\}");
        assert!(!document("\u{1b}\u{7}\u{9b}").chars().any(char::is_control));
    }

    #[test]
    fn comment_text_cannot_add_markup() {
        assert_eq!(comment("<b>x</b>"), "&lt;b&gt;x&lt;/b&gt;");
        assert_eq!(comment("a | b"), "a \\| b");
        assert_eq!(comment("@team #12"), "@&#8203;team #&#8203;12");
        assert_eq!(comment("*x* [l](u)"), "\\*x\\* \\[l\\](u)");
        assert_eq!(comment("see https://x.org: now"), "see https\\://x.org: now");
        assert_eq!(comment("a\nb"), "a\\\\u{a}b");
    }

    /// Issue 21: `GH-3` in a label linked issue 3 in the pull-request comment.
    #[test]
    fn comment_text_links_no_issue_written_as_gh_dash_number() {
        assert_eq!(comment("fixes GH-3"), "fixes GH&#8203;-3");
        assert_eq!(comment("gh-12 and Gh-7"), "gh&#8203;-12 and Gh&#8203;-7");
        assert_eq!(comment("GH-x, GH 3, GH-"), "GH-x, GH 3, GH-");
        assert_eq!(comment("see www.example.com"), "see www\\.example.com");
    }

    #[test]
    fn code_spans_hold_only_what_cannot_end_them() {
        assert!(fits_code_span("a.b"));
        for text in ["", " a", "a ", "a|b", "a`b", "a\u{1b}", "a\u{202e}"] {
            assert!(!fits_code_span(text), "{text:?}");
        }
    }

    #[test]
    fn destinations_are_percent_encoded() {
        assert_eq!(destination("report/motor_claim.svg"), "report/motor_claim.svg");
        assert_eq!(destination("my report (v2)#1/a b.svg"), "my%20report%20%28v2%29%231/a%20b.svg");
        assert_eq!(destination("é"), "%C3%A9");
    }
}
