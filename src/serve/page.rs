//! The pages only the server shows: the errors of a broken build, and "no such
//! page". They look like the generated pages (the same stylesheet, masthead and
//! policy) and, like them, hold no script until [`super::live`] adds the reload
//! script to the served copy.
//!
//! Everything they show from the workspace (messages, file names, the source lines
//! of the reports) is escaped here, and direction controls are shown as `\u{202e}`,
//! as compilers do, so a broken file cannot reverse the page's text either.

use super::site::{Broken, Problem};
use base64::Engine as _;
use sha2::Digest as _;
use std::fmt::Write as _;

/// The generated pages' stylesheet, so that the server's pages look the same.
const CSS: &str = include_str!("../emit/templates/style.css");

/// What the server's pages add to it: the reports' source snippets.
const EXTRA_CSS: &str = "\
.findings .message { margin: 0.3rem 0 0; font-weight: 600; }
.report { margin: 0.5rem 0 0; padding: 0.5rem 0.75rem; overflow-x: auto; background: var(--bg); \
border-radius: var(--radius); font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; \
font-size: 0.78rem; line-height: 1.35; }
";

/// Problems shown on the error page at most; the rest are counted.
const MAX_SHOWN: usize = 200;

/// The page every HTML route shows while the workspace has errors.
pub fn broken(title: &str, broken: &Broken) -> String {
    let errors = broken.problems.len();
    let mut main = format!(
        "<h1>The workspace has {}</h1>\n<p class=\"lede\">Nothing is published until {} fixed. \
         Save the fix: this page reloads by itself and the blueprint comes back.</p>\n\
         <ol class=\"findings\">\n",
        escape(&crate::text::plural(errors, "error", "errors")),
        if errors == 1 { "it is" } else { "they are" },
    );
    for problem in broken.problems.iter().take(MAX_SHOWN) {
        write_problem(&mut main, problem);
    }
    main.push_str("</ol>\n");
    if errors > MAX_SHOWN {
        let _ = writeln!(
            main,
            "<p class=\"explain\">And {} more; `journey check` lists them all.</p>",
            errors - MAX_SHOWN
        );
    }
    document(title, &format!("{} · {title}", crate::text::plural(errors, "error", "errors")), &main)
}

/// The page of a path the site does not have.
pub fn not_found(title: &str) -> String {
    let main = "<h1>No such page</h1>\n<p class=\"lede\">The site has no page here, or not yet: \
                this page reloads by itself when the workspace changes. \
                <a href=\"/\">The overview</a> links to every journey.</p>\n";
    document(title, &format!("No such page · {title}"), main)
}

fn write_problem(out: &mut String, problem: &Problem) {
    let _ = write!(out, "<li class=\"sev-error\"><span class=\"sev\">error</span>");
    if let Some(code) = problem.code {
        let _ = write!(out, " <code>{}</code>", escape(code));
    }
    if !problem.place.is_empty() {
        let _ = write!(out, "<span class=\"src\">{}</span>", escape(&problem.place));
    }
    let _ = writeln!(out, "\n<p class=\"message\">{}</p>", escape(&problem.message));
    // The report ends with the help, if any.
    if !problem.report.is_empty() {
        let _ = writeln!(out, "<pre class=\"report\">{}</pre>", escape(&problem.report));
    } else if let Some(help) = &problem.help {
        let _ = writeln!(out, "<p class=\"help\">help: {}</p>", escape(help));
    }
    out.push_str("</li>\n");
}

/// A whole page around `main` (markup), in the generated pages' frame.
fn document(site: &str, heading: &str, main: &str) -> String {
    let hash = |css: &str| {
        base64::engine::general_purpose::STANDARD.encode(sha2::Sha256::digest(css.as_bytes()))
    };
    let csp = format!(
        "default-src 'none'; style-src 'sha256-{}' 'sha256-{}'; base-uri 'none'; form-action 'none'",
        hash(CSS),
        hash(EXTRA_CSS)
    );
    format!(
        "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta http-equiv=\"Content-Security-Policy\" content=\"{csp}\">\n\
         <meta name=\"referrer\" content=\"no-referrer\">\n\
         <meta name=\"color-scheme\" content=\"light dark\">\n\
         <title>{heading}</title>\n<style>{CSS}</style>\n<style>{EXTRA_CSS}</style>\n</head>\n<body>\n\
         <a class=\"skip\" href=\"#main\">Skip to content</a>\n\
         <header class=\"masthead\">\n<p class=\"site-title\"><a href=\"/\">{site}</a></p>\n</header>\n\
         <main id=\"main\">\n{main}</main>\n<footer class=\"colophon\">\n\
         <p>Served by journey serve {version}.</p>\n</footer>\n</body>\n</html>\n",
        csp = escape(&csp),
        heading = escape(heading),
        site = escape(site),
        version = env!("CARGO_PKG_VERSION"),
    )
}

/// Text for HTML text and quoted attribute values: `& < > " '` as character
/// references, and direction controls made visible.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c if crate::text::is_direction_control(c) => {
                let _ = write!(out, "\\u{{{:x}}}", c as u32);
            }
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_quotes_and_direction_controls() {
        assert_eq!(
            escape("<script>\"a\" & 'b'</script> \u{202e}x"),
            "&lt;script&gt;&quot;a&quot; &amp; &#39;b&#39;&lt;/script&gt; \\u{202e}x"
        );
    }

    #[test]
    fn the_error_page_escapes_everything_it_shows() {
        let hostile = "<script>alert(1)</script>";
        let page = broken(
            hostile,
            &Broken {
                problems: vec![Problem {
                    code: Some("journey::syntax"),
                    place: format!("{hostile}.journey:1:2"),
                    message: format!("found {hostile}"),
                    help: Some(hostile.to_owned()),
                    report: format!("1 │ touchpoint t \"{hostile}\""),
                }],
                json: String::new(),
            },
        );
        assert!(!page.contains("<script"), "{page}");
        assert!(page.contains("found &lt;script&gt;alert(1)&lt;/script&gt;"));
        assert!(page.contains("<h1>The workspace has 1 error</h1>"));
        assert!(page.contains("<code>journey::syntax</code>"));
    }

    #[test]
    fn the_pages_allow_their_own_stylesheets_by_hash() {
        let page = not_found("Title");
        for css in [CSS, EXTRA_CSS] {
            let hash = base64::engine::general_purpose::STANDARD
                .encode(sha2::Sha256::digest(css.as_bytes()));
            assert!(page.contains(&format!("&#39;sha256-{hash}&#39;")));
            assert!(page.contains(&format!("<style>{css}</style>")));
        }
    }
}
