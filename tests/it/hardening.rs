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

/// Item 1 in `serve`: the build (first and after a save) reports the diagnostic
/// past column 65 535 in the error page, instead of the rebuild thread dying.
#[test]
fn serve_shows_a_diagnostic_past_column_65535() {
    use std::io::{BufRead, BufReader, Read, Write};
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("c.journey");
    std::fs::write(&file, far_duplicate()).unwrap();
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_journey"))
        .args(["serve", "--port", "0"])
        .arg(dir.path())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut stderr = BufReader::new(child.stderr.take().unwrap());
    let _child = Kill(child);
    let mut seen = String::new();
    let address = loop {
        let mut line = String::new();
        assert!(stderr.read_line(&mut line).unwrap() > 0, "serve ended: {seen}");
        seen.push_str(&line);
        if let Some(rest) = line.strip_prefix("serving http://") {
            break rest.split('/').next().unwrap().to_owned();
        }
    };
    std::thread::spawn(move || std::io::copy(&mut stderr, &mut std::io::sink()));
    assert!(!seen.contains("bug"), "{seen}");
    let mut stream = std::net::TcpStream::connect(&address).unwrap();
    stream.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    write!(stream, "GET / HTTP/1.1\r\nHost: {address}\r\n\r\n").unwrap();
    let mut page = String::new();
    stream.read_to_string(&mut page).unwrap();
    assert!(page.contains("declared twice"), "{page}");
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

// ------------------------------------------------------------------ smaller items

/// A smaller item: doc comments that document nothing (before a `}`, a `;` or the
/// end of the file) were syntax errors, although plain comments are fine there. They
/// are read and dropped, the descriptions around them are unchanged, and `fmt` keeps
/// them.
#[test]
fn doc_comments_that_document_nothing_are_ignored() {
    let text = "persona p \"P\" {\n  description \"Kept.\"\n  /// before the brace\n}\n\
        value stream v {\n  stage s {\n    metric m { target \"x\" }\n    \
        activity a { enabling /// before the semicolon\n ; }\n    /// in a stage\n  }\n  \
        /// in a stream\n}\n/// Documents the journey.\njourney j {\n  stage s {\n    \
        touchpoint t { traces to v.a }\n    /// in a journey stage\n  }\n}\n/// at the end\n";
    let sources = support::single(text);
    let analysis = support::analyze_default(&sources);
    let errors: Vec<_> = analysis.diagnostics.iter().map(|d| &d.message).collect();
    assert!(!analysis.has_errors(), "{errors:#?}");
    let model = &analysis.model;
    assert_eq!(model.personas[0].meta.description.as_deref(), Some("Kept."));
    assert_eq!(model.journeys[0].meta.description.as_deref(), Some("Documents the journey."));
    assert!(model.activities[0].meta.description.is_none());
    assert!(model.touchpoints[0].meta.description.is_none());
    let formatted = journey::fmt::format(journey::source::FileId(0), text).unwrap();
    for stray in ["before the brace", "before the semicolon", "in a stage", "in a stream"] {
        assert!(formatted.contains(&format!("/// {stray}\n")), "{stray}:\n{formatted}");
    }
    assert!(formatted.ends_with("/// at the end\n"), "{formatted}");
    // A block that holds nothing but such a comment keeps its braces, so the comment
    // stays inside and documents nothing after formatting too (a fuzzing finding:
    // `tests/fuzz/findings/stray-doc-before-close-in-a-block.bin`).
    let empty = "team t {\n\n  /// nothing\n}\nteam u\n";
    let formatted = journey::fmt::format(journey::source::FileId(0), empty).unwrap();
    assert_eq!(formatted, "team t {\n  /// nothing\n}\nteam u\n");
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

    /// Item 3: the owner is kept. Giving a file to another user takes root, so
    /// elsewhere the test only checks that the owner did not change.
    #[test]
    fn fmt_keeps_the_owner() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("a.journey");
        fs::write(&file, UNFORMATTED).unwrap();
        let root = fs::metadata(&file).unwrap().uid() == 0;
        if root {
            std::os::unix::fs::chown(&file, Some(4321), Some(4321)).unwrap();
        }
        let before = fs::metadata(&file).unwrap();
        let (code, stderr) = fmt(&file);
        assert_eq!(code, Some(0), "{stderr}");
        let after = fs::metadata(&file).unwrap();
        assert_eq!((after.uid(), after.gid()), (before.uid(), before.gid()));
        assert_eq!(fs::read_to_string(&file).unwrap(), FORMATTED);
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

/// Items 4 and 5: `journey build -o` replaces only what a build wrote.
mod folders {
    use super::journey;
    use std::fs;
    use std::path::Path;

    const SOURCE: &str = "persona p \"P\"\n";

    fn build(source: &Path, out: &Path) -> (Option<i32>, String) {
        let output = journey().arg("build").arg(source).arg("-o").arg(out).output().unwrap();
        (output.status.code(), String::from_utf8_lossy(&output.stderr).into_owned())
    }

    fn workspace() -> (tempfile::TempDir, std::path::PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let source = dir.path().join("ws");
        fs::create_dir(&source).unwrap();
        fs::write(source.join("a.journey"), SOURCE).unwrap();
        (dir, source)
    }

    /// Item 4: a folder holding a genuine `traceability.json` beside files of the
    /// user's is refused, naming the first of them, and nothing in it changes.
    #[test]
    fn build_refuses_a_folder_with_files_no_build_wrote() {
        let (dir, source) = workspace();
        let out = dir.path().join("site");
        assert_eq!(build(&source, &out).0, Some(0));
        fs::write(out.join("notes.txt"), "mine").unwrap();
        fs::create_dir(out.join("src")).unwrap();
        fs::write(out.join("src/main.rs"), "fn main() {}").unwrap();
        let (code, stderr) = build(&source, &out);
        assert_eq!(code, Some(2), "{stderr}");
        assert!(stderr.contains("notes.txt"), "{stderr}");
        assert!(!stderr.contains("it has no `traceability.json`"), "{stderr}");
        assert_eq!(fs::read_to_string(out.join("notes.txt")).unwrap(), "mine");
        assert!(out.join("src/main.rs").exists());
        // Without the manifest, the same: a `traceability.json` is not enough.
        fs::remove_file(out.join(".journey-build")).unwrap();
        let (code, stderr) = build(&source, &out);
        assert_eq!(code, Some(2), "{stderr}");
        assert!(stderr.contains("notes.txt"), "{stderr}");
        // The build's own files only: replaced, again and again.
        fs::remove_file(out.join("notes.txt")).unwrap();
        fs::remove_dir_all(out.join("src")).unwrap();
        assert_eq!(build(&source, &out).0, Some(0));
        assert_eq!(build(&source, &out).0, Some(0));
        assert!(out.join(".journey-build").exists());
    }

    /// Item 4: `-o LINK/`, a symbolic link to the workspace with a trailing slash,
    /// is refused before anything is written.
    #[cfg(unix)]
    #[test]
    fn build_refuses_a_symbolic_link_given_with_a_trailing_slash() {
        let (dir, source) = workspace();
        let link = dir.path().join("link");
        std::os::unix::fs::symlink(&source, &link).unwrap();
        let out = format!("{}/", link.display());
        let (code, stderr) = build(&source, Path::new(&out));
        assert_eq!(code, Some(2), "{stderr}");
        // Refused as a link, not stopped by the kernel's refusal to rename.
        assert!(stderr.contains("is not a folder"), "{stderr}");
        assert_eq!(fs::read_to_string(source.join("a.journey")).unwrap(), SOURCE);
        let names: Vec<_> =
            fs::read_dir(dir.path()).unwrap().flatten().map(|e| e.file_name()).collect();
        assert_eq!(names.len(), 2, "{names:?}");
    }

    /// Item 5: the temporary folders an interrupted build (`.DIR.new-*`) or a failed
    /// deletion (`.DIR.old-*`, read-only) left behind are deleted by the next build;
    /// those of other names, and those of a build still running, are not.
    #[cfg(unix)]
    #[test]
    fn build_deletes_the_leftovers_of_earlier_builds() {
        use std::os::unix::fs::PermissionsExt;
        let (dir, source) = workspace();
        let out = dir.path().join("site");
        // No process has this id (Linux's limit is 2^22).
        let new = dir.path().join(".site.new-4999999-AbCdEf");
        let old = dir.path().join(".site.old-4999999-GhIjKl");
        let running = dir.path().join(format!(".site.new-{}-MnOpQr", std::process::id()));
        let other = dir.path().join(".other.new-4999999-StUvWx");
        for d in [&new, &old, &running, &other] {
            fs::create_dir_all(d.join("pages")).unwrap();
            fs::write(d.join("pages/index.html"), "x").unwrap();
        }
        fs::set_permissions(old.join("pages"), fs::Permissions::from_mode(0o555)).unwrap();
        fs::set_permissions(&old, fs::Permissions::from_mode(0o555)).unwrap();
        let (code, stderr) = build(&source, &out);
        assert_eq!(code, Some(0), "{stderr}");
        assert!(!new.exists() && !old.exists(), "leftovers remain");
        assert!(running.exists() && other.exists(), "a folder not left over was deleted");
    }
}

// ------------------------------------------------------------------ servers

/// Item 9: the language server's framing never hangs: a header it cannot read is
/// answered with a parse error (-32700) and reading resumes at the next message;
/// LF-only headers are read; a claim past the limit ends the server with a message,
/// without allocating it.
mod lsp_framing {
    use crate::support::lsp_client::Client;
    use serde_json::{Value, json};
    use std::io::Write;

    fn folder() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("a.journey"), "persona p \"P\"\n").unwrap();
        dir
    }

    #[test]
    fn a_broken_header_is_answered_and_the_server_goes_on() {
        let dir = folder();
        let mut client = Client::start(dir.path(), json!({}));
        let request = |id: u32| format!("{{\"jsonrpc\":\"2.0\",\"id\":{id},\"method\":\"x/y\"}}");
        for (id, broken) in [
            "Content-Length: abc\r\n\r\n{}",
            "Content-Type: text\r\n\r\n{}",
            "garbage\r\n\r\n{}",
            "Content-Length: 2\r\nX\r\n\r\n{}",
        ]
        .into_iter()
        .enumerate()
        {
            client.stdin.write_all(broken.as_bytes()).unwrap();
            client.stdin.flush().unwrap();
            let answer = client.next_response();
            assert_eq!(answer["id"], Value::Null, "{broken:?}: {answer}");
            assert_eq!(answer["error"]["code"], -32700, "{broken:?}: {answer}");
            // The next message, right after the broken frame's body, with LF-only
            // headers every other time, is read and answered.
            let ok = request(900 + id as u32);
            let end = if id % 2 == 0 { "\n" } else { "\r\n" };
            write!(client.stdin, "Content-Length: {}{end}{end}{ok}", ok.len()).unwrap();
            client.stdin.flush().unwrap();
            let answer = client.next_response();
            assert_eq!(answer["id"], 900 + id, "{broken:?}: {answer}");
        }
        assert!(client.shutdown().success());
    }

    #[test]
    fn a_claim_past_the_limit_ends_the_server_without_allocating_it() {
        let dir = folder();
        for claim in ["99999999999999", "1000000000"] {
            let mut client = Client::start(dir.path(), json!({}));
            write!(client.stdin, "Content-Length: {claim}\r\n\r\n{{}}").unwrap();
            client.stdin.flush().unwrap();
            let answer = client.next_response();
            assert_eq!(answer["error"]["code"], -32700, "{answer}");
            let message = answer["error"]["message"].as_str().unwrap();
            assert!(message.contains("larger than the limit"), "{message}");
            // Its input still open, the server stops by itself.
            assert!(client.wait().code().is_some());
        }
    }
}

/// A child process, killed when the test ends, however it ends.
struct Kill(std::process::Child);

impl Drop for Kill {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Item 8: clients that ask for a large page and never read it do not hold the
/// server: another client is answered at once, and the server lets the stalled
/// ones go after its write deadline.
#[test]
fn serve_answers_while_clients_that_never_read_wait() {
    use std::fmt::Write as _;
    use std::io::{BufRead, BufReader, Read, Write};
    use std::net::TcpStream;
    use std::time::Instant;
    let dir = tempfile::tempdir().unwrap();
    // 5 000 touchpoints that trace to nothing: an index page of about 5 MB, more
    // than a socket's buffers hold for a client that does not read.
    let mut stages = String::new();
    for s in 0..50 {
        let _ = writeln!(stages, "  stage s{s} \"S\" {{");
        for t in 0..100 {
            let _ = writeln!(stages, "    touchpoint t{s}_{t} \"T\" {{ channel email }}");
        }
        stages.push_str("  }\n");
    }
    let text = format!("journey j \"J\" {{\n{stages}}}\n");
    std::fs::write(dir.path().join("a.journey"), text).unwrap();
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_journey"))
        .args(["serve", "--port", "0"])
        .arg(dir.path())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut stderr = BufReader::new(child.stderr.take().unwrap());
    let _child = Kill(child);
    let address = loop {
        let mut line = String::new();
        assert!(stderr.read_line(&mut line).unwrap() > 0, "serve ended");
        if let Some(rest) = line.strip_prefix("serving http://") {
            break rest.split('/').next().unwrap().to_owned();
        }
    };
    // Keep draining stderr, so the server never blocks on it.
    std::thread::spawn(move || std::io::copy(&mut stderr, &mut std::io::sink()));
    let ask = |path: &str| {
        let mut stream = TcpStream::connect(&address).unwrap();
        write!(stream, "GET {path} HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\n\r\n")
            .unwrap();
        stream
    };
    // More stalled clients than `journey serve` once had threads.
    let stalled: Vec<TcpStream> = (0..8).map(|_| ask("/index.html")).collect();
    std::thread::sleep(Duration::from_millis(500));
    let started = Instant::now();
    let mut other = ask("/no-such-page.html");
    other.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    let mut answer = String::new();
    other.read_to_string(&mut answer).expect("another client is answered");
    assert!(answer.starts_with("HTTP/1.1 404"), "{answer}");
    assert!(started.elapsed() < Duration::from_secs(5), "{:?}", started.elapsed());
    drop(stalled);
}

// ------------------------------------------------------------------ smaller items

/// A dangling symbolic link in a folder is a warning naming the link; the rest of
/// the folder is checked, formatted and built.
#[cfg(unix)]
#[test]
fn a_dangling_link_in_a_folder_is_a_warning() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.journey"), "persona p \"P\"\n").unwrap();
    std::os::unix::fs::symlink("gone.journey", dir.path().join("b.journey")).unwrap();
    for command in ["check", "fmt"] {
        let out = journey().arg(command).arg(dir.path()).output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(0), "{command}: {stderr}");
        assert!(stderr.contains("warning: skipped") && stderr.contains("b.journey"), "{stderr}");
    }
}

/// `fmt -` names the first bad byte of standard input, as for a file, instead of
/// printing a debug structure.
#[test]
fn fmt_of_standard_input_that_is_not_utf8_names_the_byte() {
    let out = journey().args(["fmt", "-"]).write_stdin(b"persona p \"\xff\"\n".to_vec()).output();
    let out = out.unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("byte 0xff at offset 11 (line 1, column 12)"), "{stderr}");
    assert!(!stderr.contains("NotUtf8"), "{stderr}");
}

/// A write that fails (a full disk: `/dev/full`) is an error with exit status 2, for
/// `fmt -` as for `export` and `completions`: an editor must not take a half-written
/// buffer for the formatted text.
#[cfg(target_os = "linux")]
#[test]
fn a_failed_write_to_standard_output_is_an_error() {
    let workspace = crate::support::root().join("examples/insurance-claims");
    let workspace = workspace.to_str().unwrap();
    let runs: [(&[&str], Option<&[u8]>); 7] = [
        (&["fmt", "-"], Some(b"persona   p \"P\"\n")),
        (&["export", "--format", "csv", workspace], None),
        (&["completions", "bash"], None),
        // The reports for tools go to standard output as they are made.
        (&["check", "--format", "json", workspace], None),
        (&["check", "--format", "sarif", workspace], None),
        (&["check", "--format", "github", workspace], None),
        (&["check", "--format", "gitlab", workspace], None),
    ];
    for (args, stdin) in runs {
        use std::io::Write as _;
        use std::process::Stdio;
        let full = std::fs::OpenOptions::new().write(true).open("/dev/full").unwrap();
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_journey"))
            .args(args)
            .stdin(Stdio::piped())
            .stdout(full)
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut input = child.stdin.take().unwrap();
        input.write_all(stdin.unwrap_or_default()).unwrap();
        drop(input);
        let out = child.wait_with_output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(stderr.contains("cannot write to standard output"), "{args:?}: {stderr}");
    }
}

/// `--host [::1]` (as in a URL) and `--host ::ffff:127.0.0.1` (IPv4-mapped) listen
/// on loopback, without the warning for an address other machines can reach.
#[test]
fn serve_counts_bracketed_and_mapped_loopback_addresses_as_loopback() {
    use std::io::{BufRead, BufReader};
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.journey"), "persona p \"P\"\n").unwrap();
    for host in ["[::1]", "::ffff:127.0.0.1"] {
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_journey"))
            .args(["serve", "--port", "0", "--host", host])
            .arg(dir.path())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        let mut stderr = BufReader::new(child.stderr.take().unwrap());
        let _child = Kill(child);
        let mut seen = String::new();
        loop {
            let mut line = String::new();
            assert!(stderr.read_line(&mut line).unwrap() > 0, "{host}: serve ended: {seen}");
            seen.push_str(&line);
            if line.starts_with("serving ") {
                break;
            }
        }
        assert!(!seen.contains("warning:"), "{host}: {seen}");
    }
}
