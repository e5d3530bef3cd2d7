//! Live reload: the served copy of a page, with one script added.
//!
//! The pages `journey build` writes run no script, and their policy says so. The
//! copies `journey serve` hands out differ in exactly two places, both in the
//! `<head>`: the policy also allows scripts and connections from the server's own
//! origin (`script-src 'self'; connect-src 'self'`), and a `<script>` tag loads
//! [`SCRIPT`] from [`SCRIPT_PATH`]. Nothing from the sources is added: the tag
//! carries only the build's version, which the server made up.

/// Where the reload script is served.
pub const SCRIPT_PATH: &str = "/__journey/reload.js";

/// Where the script asks for the current version.
pub const VERSION_PATH: &str = "/__journey/version";

/// The reload script: asks [`VERSION_PATH`] for the version after the one its
/// page was served with, and reloads the page when it differs.
pub const SCRIPT: &str = include_str!("reload.js");

/// The query by which the script says which version its page shows, so that the
/// answer waits for another: `/__journey/version?since=V`.
const SINCE: &str = "since=";

/// The version a request for the next one names: `V` of `/__journey/version?since=V`
/// (versions are the server's own, letters, digits and dots, never escaped).
pub fn shown_version(url: &str) -> Option<&str> {
    let query = url.strip_prefix(VERSION_PATH)?.strip_prefix('?')?;
    query.split('&').find_map(|pair| pair.strip_prefix(SINCE))
}

/// What the served copy's policy adds to the page's own.
const ALLOW_LIVE: &str = "script-src 'self'; connect-src 'self'";

/// The start of the policy's `<meta>` in every page's `<head>`.
const CSP_META: &str = "<meta http-equiv=\"Content-Security-Policy\" content=\"";

/// A page as served: its text and its Content-Security-Policy, which is also sent
/// as a header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Served {
    pub html: String,
    pub csp: String,
}

/// The served copy of a generated page: its policy extended to allow the reload
/// script, and the script's tag at the end of the `<head>`. `None` if the page has
/// no `<head>` with a policy `<meta>`, which the emitter always writes.
pub fn serve_copy(html: &str, version: &str) -> Option<Served> {
    // Only the `<head>` is searched. Source text in it (the title) is escaped, so
    // the first `</head>` is the real one, and nothing in the body can pass for it.
    let head_end = html.find("</head>")?;
    let head = &html[..head_end];
    let value_start = head.find(CSP_META)? + CSP_META.len();
    let value_end = value_start + head[value_start..].find('"')?;
    let csp = format!("{}; {ALLOW_LIVE}", unescape(&head[value_start..value_end])?);
    let tag = format!(
        "<script src=\"{SCRIPT_PATH}\" data-version=\"{}\" defer></script>\n",
        crate::text::html::escape(version)
    );
    let mut out = String::with_capacity(html.len() + tag.len() + ALLOW_LIVE.len() + 2);
    out.push_str(&html[..value_start]);
    out.push_str(&crate::text::html::escape(&csp));
    out.push_str(&html[value_end..head_end]);
    out.push_str(&tag);
    out.push_str(&html[head_end..]);
    Some(Served { html: out, csp })
}

/// An attribute value as askama's escaper wrote it, back to text; `None` on any
/// other character reference, which the emitter never writes.
fn unescape(value: &str) -> Option<String> {
    let mut out = String::with_capacity(value.len());
    let mut rest = value;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        let (entity, c) =
            [("&amp;", '&'), ("&lt;", '<'), ("&gt;", '>'), ("&quot;", '"'), ("&#39;", '\'')]
                .into_iter()
                .find(|(entity, _)| rest.starts_with(entity))?;
        out.push(c);
        rest = &rest[entity.len()..];
    }
    out.push_str(rest);
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    const PAGE: &str = "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
        <meta http-equiv=\"Content-Security-Policy\" content=\"default-src &#39;none&#39;; style-src &#39;sha256-abc=&#39;\">\n\
        <title>&lt;/head&gt;</title>\n</head>\n<body><p>x</p></body>\n</html>\n";

    #[test]
    fn extends_the_policy_and_adds_the_script_to_the_head() {
        let served = serve_copy(PAGE, "v.1").unwrap();
        assert_eq!(
            served.csp,
            "default-src 'none'; style-src 'sha256-abc='; script-src 'self'; connect-src 'self'"
        );
        assert!(served.html.contains(
            "content=\"default-src &#39;none&#39;; style-src &#39;sha256-abc=&#39;; \
             script-src &#39;self&#39;; connect-src &#39;self&#39;\">"
        ));
        assert!(served.html.contains(
            "<script src=\"/__journey/reload.js\" data-version=\"v.1\" defer></script>\n</head>"
        ));
        assert!(served.html.ends_with("<body><p>x</p></body>\n</html>\n"));
        assert_eq!(served.html.matches("<script").count(), 1);
    }

    #[test]
    fn refuses_a_page_without_a_policy() {
        assert_eq!(serve_copy("<html><head></head><body></body></html>", "1"), None);
        assert_eq!(serve_copy("<html><body>no head</body></html>", "1"), None);
        let policy_in_body = "<head></head><body><meta http-equiv=\"Content-Security-Policy\" \
             content=\"x\"></body>";
        assert_eq!(serve_copy(policy_in_body, "1"), None);
        let unknown_entity = "<head><meta http-equiv=\"Content-Security-Policy\" \
             content=\"a &#x27;b\"></head>";
        assert_eq!(serve_copy(unknown_entity, "1"), None);
    }

    #[test]
    fn a_request_for_the_next_version_names_the_version_shown() {
        assert_eq!(shown_version("/__journey/version?since=1f.2"), Some("1f.2"));
        assert_eq!(shown_version("/__journey/version?x=1&since=3.4"), Some("3.4"));
        assert_eq!(shown_version("/__journey/version?since="), Some(""));
        for plain in ["/__journey/version", "/__journey/version?x=1", "/__journey/versions?since=1"]
        {
            assert_eq!(shown_version(plain), None, "{plain}");
        }
        assert_eq!(shown_version("/index.html?since=1"), None);
    }

    /// The script tells an answer the server held until its time ran out from one
    /// it answered at once, by how long it took: well under the hold, well over a
    /// round trip on this machine.
    #[test]
    fn the_script_tells_a_held_answer_from_one_not_held() {
        let held = SCRIPT.split("var HELD_MS = ").nth(1).and_then(|rest| rest.split(';').next());
        let held = held.and_then(|n| n.parse::<u64>().ok()).expect("reload.js sets HELD_MS");
        let held = std::time::Duration::from_millis(held);
        assert!(held <= super::super::current::HOLD / 10, "{held:?}");
        assert!(held >= std::time::Duration::from_millis(500), "{held:?}");
        assert!(SCRIPT.contains("\"?since=\" + encodeURIComponent(shown)"));
    }

    #[test]
    fn the_script_asks_the_version_path_and_never_evaluates_text() {
        assert!(SCRIPT.contains(&format!("fetch(\"{VERSION_PATH}\"")));
        for forbidden in ["eval(", "innerHTML", "document.write", "Function("] {
            assert!(!SCRIPT.contains(forbidden), "reload.js uses {forbidden}");
        }
    }
}
