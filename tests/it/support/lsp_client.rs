//! A language client for `journey lsp`: it spawns the real binary and speaks
//! Content-Length framed JSON-RPC to it over stdio, as an editor would, with a
//! deadline on every wait. Shared by the protocol tests (`lsp.rs`) and by the
//! measurements on a large workspace (`benches/lsp.rs`, which includes this file).

#![allow(dead_code)]

use serde_json::{Value, json};
use std::fmt::Write as _;
use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Child, ChildStdin, Command, ExitStatus, Stdio};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::time::{Duration, Instant};

/// How long any one answer may take before the test fails.
pub const PATIENCE: Duration = Duration::from_secs(10);

/// A language client driving one server process.
pub struct Client {
    child: Child,
    pub stdin: ChildStdin,
    incoming: Receiver<Value>,
    /// Notifications received while waiting for something else.
    pub notifications: Vec<Value>,
    next_id: i64,
    /// The answer to `initialize`.
    pub initialized: Value,
}

impl Client {
    /// Starts `journey lsp` on a workspace folder, with default capabilities plus
    /// whatever `capabilities` adds.
    pub fn start(folder: &Path, capabilities: Value) -> Client {
        Client::start_with(folder, capabilities, &Value::Null)
    }

    /// Starts `journey lsp` with `initializationOptions` too.
    pub fn start_with(folder: &Path, capabilities: Value, options: &Value) -> Client {
        let mut child = Command::new(env!("CARGO_BIN_EXE_journey"))
            .arg("lsp")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            // `JOURNEY_LSP_LOG=1` makes the server log its timings on standard error.
            .stderr(if std::env::var_os("JOURNEY_LSP_LOG").is_some() {
                Stdio::inherit()
            } else {
                Stdio::null()
            })
            .spawn()
            .expect("the binary starts");
        let stdin = child.stdin.take().unwrap();
        let stdout = child.stdout.take().unwrap();
        let (tx, incoming) = channel();
        std::thread::spawn(move || {
            let mut reader = BufReader::new(stdout);
            while let Some(message) = read_message(&mut reader) {
                if tx.send(message).is_err() {
                    break;
                }
            }
        });
        let mut client = Client {
            child,
            stdin,
            incoming,
            notifications: Vec::new(),
            next_id: 0,
            initialized: Value::Null,
        };
        let mut caps = json!({
            "textDocument": {
                "publishDiagnostics": { "relatedInformation": true },
                "rename": { "prepareSupport": true },
            },
        });
        merge(&mut caps, capabilities);
        let uri = uri(folder);
        client.initialized = client.result(
            "initialize",
            json!({
                "processId": null,
                "rootUri": uri,
                "capabilities": caps,
                "workspaceFolders": [{ "uri": uri, "name": "test" }],
                "initializationOptions": options,
            }),
        );
        client.notify("initialized", json!({}));
        client
    }

    pub fn send(&mut self, message: &Value) {
        let body = message.to_string();
        write!(self.stdin, "Content-Length: {}\r\n\r\n{body}", body.len()).unwrap();
        self.stdin.flush().unwrap();
    }

    pub fn notify(&mut self, method: &str, params: Value) {
        let mut message = json!({ "jsonrpc": "2.0", "method": method });
        message["params"] = params;
        self.send(&message);
    }

    /// The next message, answering the server's own requests on the way.
    pub fn next(&mut self, deadline: Instant) -> Value {
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            let message = match self.incoming.recv_timeout(left) {
                Ok(message) => message,
                Err(RecvTimeoutError::Timeout) => panic!("the server did not answer in time"),
                Err(RecvTimeoutError::Disconnected) => panic!("the server closed its output"),
            };
            if message.get("method").is_some() && message.get("id").is_some() {
                let id = message["id"].clone();
                self.send(&json!({ "jsonrpc": "2.0", "id": id, "result": null }));
                continue;
            }
            return message;
        }
    }

    /// The next response to any request, keeping the notifications that come
    /// before it (the server publishes diagnostics whenever its analysis ends).
    pub fn next_response(&mut self) -> Value {
        let deadline = Instant::now() + PATIENCE;
        loop {
            let message = self.next(deadline);
            if message.get("method").is_none() {
                return message;
            }
            self.notifications.push(message);
        }
    }

    /// Sends a request and returns the whole response (`result` or `error`).
    pub fn request(&mut self, method: &str, params: Value) -> Value {
        let id = self.send_request(method, params);
        self.response(id)
    }

    /// Sends a request without waiting for its answer; returns its id.
    pub fn send_request(&mut self, method: &str, params: Value) -> i64 {
        self.next_id += 1;
        let id = self.next_id;
        let mut message = json!({ "jsonrpc": "2.0", "id": id, "method": method });
        message["params"] = params;
        self.send(&message);
        id
    }

    /// Waits for the response to a request sent earlier.
    pub fn response(&mut self, id: i64) -> Value {
        let deadline = Instant::now() + PATIENCE;
        loop {
            let message = self.next(deadline);
            if message.get("id") == Some(&json!(id)) {
                return message;
            }
            self.notifications.push(message);
        }
    }

    /// Sends a request and returns its result, failing on an error.
    pub fn result(&mut self, method: &str, params: Value) -> Value {
        let response = self.request(method, params);
        assert!(response.get("error").is_none(), "`{method}` failed: {response}");
        response["result"].clone()
    }

    /// Waits for diagnostics of a document that satisfy `accept`, and returns them.
    /// Earlier publications for the document that do not are consumed on the way.
    pub fn diagnostics(&mut self, uri: &str, accept: impl Fn(&[Value]) -> bool) -> Vec<Value> {
        let deadline = Instant::now() + PATIENCE;
        let mut latest: Option<Vec<Value>> = None;
        let mut i = 0;
        loop {
            while i < self.notifications.len() {
                let message = &self.notifications[i];
                if message["method"] == "textDocument/publishDiagnostics"
                    && message["params"]["uri"] == uri
                {
                    let message = self.notifications.remove(i);
                    let list =
                        message["params"]["diagnostics"].as_array().cloned().unwrap_or_default();
                    if accept(&list) {
                        return list;
                    }
                    latest = Some(list);
                } else {
                    i += 1;
                }
            }
            assert!(Instant::now() < deadline, "no matching diagnostics; latest: {latest:?}");
            let message = self.next(deadline);
            self.notifications.push(message);
        }
    }

    pub fn open(&mut self, uri: &str, text: &str) {
        let document = json!({ "uri": uri, "languageId": "journey", "version": 1, "text": text });
        self.notify("textDocument/didOpen", json!({ "textDocument": document }));
    }

    pub fn change(&mut self, uri: &str, version: i64, text: &str) {
        self.notify(
            "textDocument/didChange",
            json!({
                "textDocument": { "uri": uri, "version": version },
                "contentChanges": [{ "text": text }],
            }),
        );
    }

    /// `shutdown`, then `exit`: the process's exit status.
    pub fn shutdown(mut self) -> ExitStatus {
        let answer = self.request("shutdown", Value::Null);
        assert!(answer.get("error").is_none(), "shutdown failed: {answer}");
        self.notify("exit", Value::Null);
        self.wait()
    }

    pub fn wait(&mut self) -> ExitStatus {
        let deadline = Instant::now() + PATIENCE;
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status;
            }
            assert!(Instant::now() < deadline, "the server did not exit");
            std::thread::sleep(Duration::from_millis(10));
        }
    }
}

impl Drop for Client {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub fn read_message(reader: &mut impl BufRead) -> Option<Value> {
    let mut length = None;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).ok()? == 0 {
            return None;
        }
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some(n) = line.strip_prefix("Content-Length: ") {
            length = n.parse::<usize>().ok();
        }
    }
    let mut body = vec![0; length?];
    reader.read_exact(&mut body).ok()?;
    serde_json::from_slice(&body).ok()
}

/// Adds `extra`'s fields to `base`, recursively.
pub fn merge(base: &mut Value, extra: Value) {
    match (base, extra) {
        (Value::Object(base), Value::Object(extra)) => {
            for (k, v) in extra {
                merge(base.entry(k).or_insert(Value::Null), v);
            }
        }
        (base, extra) => *base = extra,
    }
}

pub fn uri(path: &Path) -> String {
    let mut out = String::from("file://");
    let shown = path.to_string_lossy().replace('\\', "/");
    if !shown.starts_with('/') {
        out.push('/');
    }
    for b in shown.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/".contains(&b) {
            out.push(char::from(b));
        } else {
            write!(out, "%{b:02X}").unwrap();
        }
    }
    out
}

/// The protocol position (UTF-16) of the `nth` byte after the start of `needle`.
pub fn pos(text: &str, needle: &str, nth: usize) -> Value {
    let at = text.find(needle).unwrap_or_else(|| panic!("`{needle}` is not in the text")) + nth;
    let before = &text[..at];
    let line = before.matches('\n').count();
    let start = before.rfind('\n').map_or(0, |i| i + 1);
    let character: usize = before[start..].chars().map(char::len_utf16).sum();
    json!({ "line": line, "character": character })
}

pub fn at(uri: &str, position: Value) -> Value {
    let mut params = json!({ "textDocument": { "uri": uri } });
    params["position"] = position;
    params
}

pub fn has_code(list: &[Value], code: &str) -> bool {
    list.iter().any(|d| d["code"] == code)
}

/// A tiny deterministic generator, so that failures reproduce.
pub struct Random(pub u64);

impl Random {
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    pub fn below(&mut self, n: usize) -> usize {
        usize::try_from(self.next() % n.max(1) as u64).unwrap()
    }
}
