//! Standard input and output as a [`Connection`], forgiving of malformed messages.
//!
//! `lsp_server`'s own stdio transport stops reading at the first message that is
//! not JSON, or not a JSON-RPC message, and with it the whole server. A client bug
//! (or a stray write to the server's input) must not end an editing session: here
//! such a message is answered with JSON-RPC's parse error for the `null` id, as
//! JSON-RPC 2.0 asks, and reading goes on with the next message. Framing and the
//! messages' types are still `lsp_server`'s.

use lsp_server::{Connection, ErrorCode, Message};
use std::io::{self, BufReader, Write};
use std::sync::{Arc, Mutex, PoisonError};
use std::thread::JoinHandle;

/// The threads moving messages; [`Transport::join`] waits for what was sent to be
/// written.
pub struct Transport {
    writer: JoinHandle<io::Result<()>>,
}

impl Transport {
    /// Waits until every message the server sent is written. Call it after dropping
    /// the connection. The reader is not waited for: after an `exit` it has stopped,
    /// and otherwise it may be blocked on an input nobody writes to any more.
    pub fn join(self) -> Result<(), String> {
        match self.writer.join() {
            Ok(Ok(())) => Ok(()),
            Ok(Err(e)) => Err(format!("cannot write to the client: {e}")),
            Err(_) => Err("the writer failed".to_owned()),
        }
    }
}

/// The server's end of a connection over standard input and output.
pub fn stdio() -> Result<(Connection, Transport), String> {
    let (server, client) = Connection::memory();
    // Both threads write: the writer the server's messages, the reader its answers
    // to malformed ones. A message is written whole under the lock.
    let out = Arc::new(Mutex::new(io::stdout()));
    let to_client = client.receiver;
    let writer_out = Arc::clone(&out);
    let writer = std::thread::Builder::new()
        .name("journey-lsp-writer".to_owned())
        .spawn(move || {
            for message in to_client {
                let mut out = writer_out.lock().unwrap_or_else(PoisonError::into_inner);
                message.write(&mut *out)?;
            }
            Ok(())
        })
        .map_err(|e| format!("cannot start a thread: {e}"))?;
    let to_server = client.sender;
    std::thread::Builder::new()
        .name("journey-lsp-reader".to_owned())
        .spawn(move || {
            let mut input = BufReader::new(io::stdin().lock());
            loop {
                match Message::read(&mut input) {
                    Ok(Some(message)) => {
                        let exit =
                            matches!(&message, Message::Notification(n) if n.method == "exit");
                        if to_server.send(message).is_err() || exit {
                            return;
                        }
                    }
                    // Not a message. Usually the frame was read whole and only its
                    // content is wrong; after a broken header, reading on is a best
                    // effort that finds the next `Content-Length` header.
                    Err(e) if e.kind() == io::ErrorKind::InvalidData => {
                        let mut out = out.lock().unwrap_or_else(PoisonError::into_inner);
                        // Nothing to do if the client is gone: the next read ends too.
                        let _ = write_parse_error(&mut *out, &e);
                    }
                    // The end of the input, or a frame that cannot be read: stop.
                    Ok(None) | Err(_) => return,
                }
            }
        })
        .map_err(|e| format!("cannot start a thread: {e}"))?;
    Ok((server, Transport { writer }))
}

/// JSON-RPC's answer to a message it cannot read: a parse error for no id.
fn write_parse_error(out: &mut impl Write, error: &io::Error) -> io::Result<()> {
    let message = error.to_string();
    // The error quotes the payload; a garbage megabyte need not be sent back.
    let short: String = message.chars().take(200).collect();
    let body = serde_json::json!({
        "jsonrpc": "2.0",
        "id": null,
        "error": { "code": ErrorCode::ParseError as i32, "message": short },
    })
    .to_string();
    write!(out, "Content-Length: {}\r\n\r\n{body}", body.len())?;
    out.flush()
}
