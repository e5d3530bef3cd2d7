//! String escapes: `\" \\ \n \t \u{…}`.

use crate::diagnostic::{Code, Diagnostic, Label};
use crate::source::{FileId, Span};

const HELP: &str = "a string may use the escapes `\\\"`, `\\\\`, `\\n`, `\\t` and `\\u{…}`; \
                    write `\\\\` for a backslash";

/// Resolves the escapes of a string literal's contents (`raw`, which starts at byte
/// `start` of the file). A bad escape is reported and kept as written, so the rest of
/// the string still reads sensibly in later diagnostics.
pub(super) fn unescape(raw: &str, file: FileId, start: usize, out: &mut Vec<Diagnostic>) -> String {
    if !raw.contains('\\') {
        return raw.to_owned();
    }
    let mut value = String::with_capacity(raw.len());
    let mut rest = raw;
    while let Some(i) = rest.find('\\') {
        value.push_str(&rest[..i]);
        let esc = &rest[i..];
        let at = start + (raw.len() - rest.len()) + i;
        let len = escape_len(esc);
        let text = &esc[..len];
        match decode(text) {
            Ok(c) => value.push(c),
            Err(problem) => {
                let span = Span::new(file, at, at + len);
                out.push(
                    Diagnostic::error(
                        Code::Syntax,
                        format!("invalid escape `{text}` in a string"),
                        Label::new(span, problem),
                    )
                    .with_help(HELP),
                );
                value.push_str(text);
            }
        }
        rest = &esc[len..];
    }
    value.push_str(rest);
    value
}

/// How many bytes the escape at the start of `esc` (which starts with `\`) spans.
fn escape_len(esc: &str) -> usize {
    let mut chars = esc.char_indices().skip(1);
    match chars.next() {
        None => 1,
        Some((_, 'u')) if esc[2..].starts_with('{') => {
            // A code point runs to the closing brace, if only letters and digits come
            // before it; otherwise only `\u` is the (bad) escape.
            let body = &esc[3..];
            let end = body.find(|c: char| !c.is_ascii_alphanumeric()).unwrap_or(body.len());
            if body[end..].starts_with('}') { 3 + end + 1 } else { 2 }
        }
        Some((i, c)) => i + c.len_utf8(),
    }
}

fn decode(text: &str) -> Result<char, &'static str> {
    match text {
        "\\\"" => Ok('"'),
        "\\\\" => Ok('\\'),
        "\\n" => Ok('\n'),
        "\\t" => Ok('\t'),
        _ => {
            let Some(hex) = text.strip_prefix("\\u{").and_then(|t| t.strip_suffix('}')) else {
                return Err(if text.starts_with("\\u") {
                    "`\\u` needs a code point in braces, such as `\\u{e9}`"
                } else {
                    "unknown escape"
                });
            };
            if hex.is_empty() || hex.len() > 6 || !hex.chars().all(|c| c.is_ascii_hexdigit()) {
                return Err("a code point is one to six hexadecimal digits");
            }
            let code = u32::from_str_radix(hex, 16).map_err(|_| "not a hexadecimal number")?;
            char::from_u32(code).ok_or(if (0xD800..=0xDFFF).contains(&code) {
                "a surrogate is not a character"
            } else {
                "beyond the last Unicode code point, U+10FFFF"
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(raw: &str) -> (String, Vec<String>) {
        let mut diags = Vec::new();
        let value = unescape(raw, FileId(0), 10, &mut diags);
        (
            value,
            diags
                .into_iter()
                .map(|d| {
                    format!(
                        "{}..{} {}",
                        d.primary.span.start, d.primary.span.end, d.primary.message
                    )
                })
                .collect(),
        )
    }

    #[test]
    fn resolves_every_escape() {
        assert_eq!(run(r#"a\"b\\c\nd\te\u{e9}"#), ("a\"b\\c\nd\te\u{e9}".to_owned(), vec![]));
    }

    #[test]
    fn reports_bad_escapes_with_exact_spans() {
        let (value, diags) = run(r"x\qy\u{d800}\u{110000}\u{}\u12");
        assert_eq!(value, r"x\qy\u{d800}\u{110000}\u{}\u12");
        assert_eq!(
            diags,
            vec![
                "11..13 unknown escape",
                "14..22 a surrogate is not a character",
                "22..32 beyond the last Unicode code point, U+10FFFF",
                "32..36 a code point is one to six hexadecimal digits",
                "36..38 `\\u` needs a code point in braces, such as `\\u{e9}`",
            ]
        );
    }

    #[test]
    fn unclosed_code_point_stops_at_the_u() {
        let (_, diags) = run(r"\u{41");
        assert_eq!(diags, vec!["10..12 `\\u` needs a code point in braces, such as `\\u{e9}`"]);
    }
}
