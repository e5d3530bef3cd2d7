//! The pages only the server shows: the errors of a broken build, and "no such
//! page". They are rendered through the generated pages' templates (`served.html`
//! extends `base.html`), so they have the same head, stylesheet and policy
//! (`emit::html::csp`) and, like the generated pages, hold no script until
//! [`super::live`] adds the reload script to the served copy.
//!
//! Everything they show from the workspace is escaped by the templates' escaper.
//! Messages, file names and help are shown as prose first (`text::message`), so
//! that direction controls read `\u{202e}`, as compilers show them, and a broken
//! file cannot reverse the page's text; the reports' source lines come from the
//! human report, which shows control characters as pictures.

use super::site::{Broken, Problem};
use crate::emit::html::Page;
use crate::text;
use askama::Template;

/// Problems shown on the error page at most; the rest are counted.
const MAX_SHOWN: usize = 200;

/// The page every HTML route shows while the workspace has errors.
pub fn broken(title: &str, broken: &Broken) -> String {
    let errors = text::plural(broken.problems.len(), "error", "errors");
    render(&BrokenPage {
        page: Page::served(title, errors.clone()),
        errors,
        they_are: if broken.problems.len() == 1 { "it is" } else { "they are" },
        problems: broken.problems.iter().take(MAX_SHOWN).map(Shown::of).collect(),
        more: broken.problems.len().saturating_sub(MAX_SHOWN),
    })
}

/// The page of a path the site does not have.
pub fn not_found(title: &str) -> String {
    render(&NotFoundPage { page: Page::served(title, "No such page".to_owned()) })
}

/// Renders a page into a string, which cannot fail but for a bug in a template.
fn render(page: &impl Template) -> String {
    page.render().unwrap_or_else(|e| format!("journey serve cannot render this page: {e}"))
}

#[derive(Template)]
#[template(path = "broken.html", config = "src/emit/askama.toml")]
struct BrokenPage<'a> {
    page: Page<'a>,
    /// `3 errors`.
    errors: String,
    /// `it is` or `they are`, as in "until they are fixed".
    they_are: &'static str,
    problems: Vec<Shown<'a>>,
    /// Problems not shown.
    more: usize,
}

#[derive(Template)]
#[template(path = "not_found.html", config = "src/emit/askama.toml")]
struct NotFoundPage<'a> {
    page: Page<'a>,
}

/// One problem as the error page shows it.
struct Shown<'a> {
    code: Option<&'static str>,
    place: String,
    message: String,
    help: Option<String>,
    /// The human report from its source lines on; it ends with the help, if any.
    report: &'a str,
}

impl<'a> Shown<'a> {
    fn of(problem: &'a Problem) -> Shown<'a> {
        Shown {
            code: problem.code,
            place: text::message(&problem.place).into_owned(),
            message: text::message(&problem.message).into_owned(),
            help: problem.help.as_deref().map(|h| text::message(h).into_owned()),
            report: &problem.report,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn broken_by(problem: Problem) -> Broken {
        Broken { problems: vec![problem], json: String::new() }
    }

    #[test]
    fn the_error_page_escapes_everything_it_shows() {
        let hostile = "<script>alert(1)</script>";
        let page = broken(
            hostile,
            &broken_by(Problem {
                code: Some("journey::syntax"),
                place: format!("{hostile}.journey:1:2"),
                message: format!("found {hostile}"),
                help: Some(hostile.to_owned()),
                report: format!("1 │ touchpoint t \"{hostile}\""),
            }),
        );
        assert!(!page.contains("<script"), "{page}");
        assert!(page.contains("found &#60;script&#62;alert(1)&#60;/script&#62;"), "{page}");
        assert!(page.contains("<h1>The workspace has 1 error</h1>"), "{page}");
        assert!(page.contains("until it is fixed"), "{page}");
        assert!(page.contains("<code>journey::syntax</code>"), "{page}");
        assert!(page.contains("<title>1 error · &#60;script&#62;"), "{page}");
    }

    /// Issue 21, item 6, and issue 16: the error page is drawn by the same templates
    /// as the site, under the one policy: raw control characters from a broken file
    /// never reach it, and direction controls in messages are shown, not obeyed.
    #[test]
    fn the_error_page_shows_control_and_direction_characters() {
        let page = broken(
            "Site",
            &broken_by(Problem {
                code: None,
                place: "a\u{1b}.journey:1:1".to_owned(),
                message: "found `\u{202e}x\u{0}`".to_owned(),
                help: Some("rename \u{7}it".to_owned()),
                report: String::new(),
            }),
        );
        assert!(!page.chars().any(|c| c.is_control() && c != '\n'), "{page:?}");
        assert!(!page.contains('\u{202e}'), "{page}");
        assert!(page.contains("a\\u{1b}.journey:1:1"), "{page}");
        assert!(page.contains("found `\\u{202e}x\\u{0}`"), "{page}");
        assert!(page.contains("help: rename \\u{7}it"), "{page}");
    }

    #[test]
    fn the_pages_have_the_sites_frame_and_policy() {
        for page in [not_found("Title"), broken("Title", &broken_by(problem()))] {
            let policy = text::html::escape(crate::emit::html::csp());
            assert!(page.contains(&format!("content=\"{policy}\"")), "{page}");
            assert_eq!(page.matches("<style>").count(), 1, "one stylesheet, the site's");
            assert!(page.contains("<a href=\"/\">Title</a>"), "{page}");
            assert!(page.contains("Served by journey serve"), "{page}");
            assert!(!page.contains("<script"), "{page}");
        }
        let more = Broken {
            problems: (0..MAX_SHOWN + 3).map(|_| problem()).collect(),
            json: String::new(),
        };
        let page = broken("Title", &more);
        assert_eq!(page.matches("<li class=\"sev-error\">").count(), MAX_SHOWN);
        assert!(page.contains("And 3 more"), "{page}");
        assert!(page.contains("until they are fixed"), "{page}");
    }

    fn problem() -> Problem {
        Problem {
            code: Some("journey::syntax"),
            place: "a.journey:1:1".to_owned(),
            message: "expected `}`".to_owned(),
            help: None,
            report: String::new(),
        }
    }
}
