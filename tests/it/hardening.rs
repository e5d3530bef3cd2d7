//! Issue 21, "Hardening, second round": long lines, files and folders that are not
//! ours, slow clients and the language server's framing. One test (or a few) per
//! item, each named in `docs/reliability.md`.

use crate::support;
use assert_cmd::Command;
use journey::report::{Human, human};
use std::time::Duration;

/// `journey` run with a clean environment for colour and width.
fn journey() -> Command {
    let mut cmd = Command::cargo_bin("journey").expect("the binary is built");
    cmd.env_remove("NO_COLOR")
        .env_remove("CLICOLOR_FORCE")
        .env_remove("COLUMNS")
        .timeout(Duration::from_secs(60));
    cmd
}

const STYLE: Human = Human { color: false, width: 80 };

// ------------------------------------------------------------------ long lines

/// A second `persona a` past column 65 535 of one line: miette's graphical report
/// pads to the column with a format width, which panics past `u16::MAX`.
fn far_duplicate() -> String {
    format!("persona a{}persona a \"far\"\n", " ".repeat(70_000))
}

/// Item 1: a diagnostic past column 65 535 is reported, not a panic, and its label
/// still points at the text it names.
#[test]
fn a_diagnostic_past_column_65535_is_reported() {
    let sources = support::single(&far_duplicate());
    let analysis = support::analyze_default(&sources);
    assert_eq!(analysis.diagnostics.len(), 1, "{:?}", analysis.diagnostics);
    let report = human(&sources, &analysis.diagnostics, STYLE);
    assert!(report.contains("[test.journey:1:70018]"), "{report}");
    // The line is shown as a window around each label, with an ellipsis where text
    // is left out; each underline stands under its `a`.
    let line = report.lines().find(|l| l.contains("persona a \"far\"")).expect(&report);
    assert!(line.contains('…'), "{line}");
    let unders: Vec<&str> = report.lines().filter(|l| l.contains('┬')).collect();
    assert_eq!(unders.len(), 1, "{report}");
    let column = |text: &str, at: usize| text[..at].chars().count();
    let marks: Vec<usize> = unders[0]
        .char_indices()
        .filter(|(_, c)| *c == '┬')
        .map(|(i, _)| column(unders[0], i))
        .collect();
    let names: Vec<usize> =
        line.match_indices("persona a").map(|(i, _)| column(line, i) + 8).collect();
    assert_eq!(marks, names, "{report}");
}

/// Item 1 through the binary: `check`, `build` and `export` report it and exit 1.
#[test]
fn check_build_and_export_report_a_diagnostic_past_column_65535() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("c.journey");
    std::fs::write(&file, far_duplicate()).unwrap();
    let out = dir.path().join("site");
    for args in [
        vec!["check".as_ref(), file.as_os_str()],
        vec!["build".as_ref(), file.as_os_str(), "-o".as_ref(), out.as_os_str()],
        vec!["export".as_ref(), "--format".as_ref(), "mermaid".as_ref(), file.as_os_str()],
    ] {
        let output = journey().args(&args).output().unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(1), "{args:?}: {stderr}");
        assert!(stderr.contains("declared twice"), "{args:?}: {stderr}");
    }
}

/// Item 2: a report on a long line shows a window of it, whatever the line's
/// length, and the JSON report's columns count characters on it as on any line.
/// (The human report was 5 MB for this 28 kB line: the whole line per finding.)
#[test]
fn reports_on_one_long_line_show_a_bounded_window() {
    let text = "persona p \"é\" ".repeat(2_000);
    let sources = support::single(&text);
    let analysis = support::analyze_default(&sources);
    assert_eq!(analysis.diagnostics.len(), 1_999);
    let report = human(&sources, &analysis.diagnostics, STYLE);
    let longest = report.lines().map(|l| l.chars().count()).max().unwrap();
    assert!(longest <= 200, "a line of {longest} characters");
    assert!(report.len() < 1_999 * 1_200, "{} bytes", report.len());
    let json: serde_json::Value =
        serde_json::from_str(&journey::report::json(&sources, &analysis.diagnostics)).unwrap();
    let last = &json["diagnostics"][1_998];
    // The 2 000th declaration's id, after 1 999 declarations of 14 characters (15 bytes).
    assert_eq!((&last["line"], &last["column"]), (&1.into(), &(1_999 * 14 + 9).into()), "{last}");
}

// ------------------------------------------------------------------ files that are not ours

#[cfg(unix)]
mod files {
    use super::journey;
    use std::fs;
    use std::os::unix::fs::{MetadataExt, PermissionsExt, symlink};
    use std::path::Path;

    const UNFORMATTED: &str = "persona   p \"P\"\n";
    const FORMATTED: &str = "persona p \"P\"\n";

    fn status(args: &[&std::ffi::OsStr]) -> (Option<i32>, String) {
        let out = journey().args(args).output().unwrap();
        (out.status.code(), String::from_utf8_lossy(&out.stderr).into_owned())
    }

    fn fmt(path: &Path) -> (Option<i32>, String) {
        status(&["fmt".as_ref(), path.as_os_str()])
    }

    /// Item 3: `journey fmt` formats a symbolic link's target, once, and leaves the
    /// link a link; the workspace then checks and is formatted.
    #[test]
    fn fmt_formats_the_target_of_a_symbolic_link_and_keeps_the_link() {
        let dir = tempfile::tempdir().unwrap();
        let sl = dir.path().join("sl");
        fs::create_dir(&sl).unwrap();
        fs::write(sl.join("z.journey"), UNFORMATTED).unwrap();
        symlink("z.journey", sl.join("a.journey")).unwrap();
        let (code, stderr) = fmt(&sl);
        assert_eq!(code, Some(0), "{stderr}");
        assert!(fs::symlink_metadata(sl.join("a.journey")).unwrap().file_type().is_symlink());
        assert_eq!(fs::read_to_string(sl.join("z.journey")).unwrap(), FORMATTED);
        let (code, stderr) = status(&["fmt".as_ref(), "--check".as_ref(), sl.as_os_str()]);
        assert_eq!(code, Some(0), "{stderr}");
        let (code, stderr) = status(&["check".as_ref(), sl.as_os_str()]);
        assert_eq!(code, Some(0), "{stderr}");
    }

    /// Item 3: a file with another hard link is formatted in place, so both names
    /// see the new text; its mode is kept.
    #[test]
    fn fmt_keeps_hard_links_and_the_mode() {
        let dir = tempfile::tempdir().unwrap();
        let (file, other) = (dir.path().join("a.journey"), dir.path().join("linked.txt"));
        fs::write(&file, UNFORMATTED).unwrap();
        fs::hard_link(&file, &other).unwrap();
        fs::set_permissions(&file, fs::Permissions::from_mode(0o640)).unwrap();
        let inode = fs::metadata(&file).unwrap().ino();
        let (code, stderr) = fmt(&file);
        assert_eq!(code, Some(0), "{stderr}");
        assert_eq!(fs::read_to_string(&other).unwrap(), FORMATTED);
        let meta = fs::metadata(&file).unwrap();
        assert_eq!((meta.ino(), meta.nlink(), meta.mode() & 0o777), (inode, 2, 0o640));
        // A file of one link is replaced, and keeps its mode too.
        let single = dir.path().join("b.journey");
        fs::write(&single, UNFORMATTED).unwrap();
        fs::set_permissions(&single, fs::Permissions::from_mode(0o600)).unwrap();
        assert_eq!(fmt(&single).0, Some(0));
        assert_eq!(fs::metadata(&single).unwrap().mode() & 0o777, 0o600);
        assert_eq!(fs::read_to_string(&single).unwrap(), FORMATTED);
    }

    /// Item 3: a read-only file is refused with a clear message and exit status 2.
    #[test]
    fn fmt_refuses_a_read_only_file() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("a.journey");
        fs::write(&file, UNFORMATTED).unwrap();
        fs::set_permissions(&file, fs::Permissions::from_mode(0o444)).unwrap();
        let (code, stderr) = fmt(&file);
        assert_eq!(code, Some(2), "{stderr}");
        assert!(stderr.contains("read-only"), "{stderr}");
        assert_eq!(fs::read_to_string(&file).unwrap(), UNFORMATTED);
    }

    /// Item 3: `export -o LINK` writes the link's target and keeps the link.
    #[test]
    fn export_writes_through_a_symbolic_link() {
        let dir = tempfile::tempdir().unwrap();
        let source = dir.path().join("a.journey");
        fs::write(&source, FORMATTED).unwrap();
        let (target, link) = (dir.path().join("real.md"), dir.path().join("link.md"));
        fs::write(&target, "old").unwrap();
        symlink("real.md", &link).unwrap();
        let (code, stderr) = status(&[
            "export".as_ref(),
            "--format".as_ref(),
            "markdown".as_ref(),
            source.as_os_str(),
            "-o".as_ref(),
            link.as_os_str(),
        ]);
        assert_eq!(code, Some(0), "{stderr}");
        assert!(fs::symlink_metadata(&link).unwrap().file_type().is_symlink());
        assert_ne!(fs::read_to_string(&target).unwrap(), "old");
    }
}
