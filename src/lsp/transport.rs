//! Standard input and output as a [`Connection`], forgiving of malformed messages.
//!
//! `lsp_server`'s own stdio transport stops reading at the first message that is
//! not JSON, or not a JSON-RPC message, and with it the whole server. A client bug
//! (or a stray write to the server's input) must not end an editing session: here
//! such a message is answered with JSON-RPC's parse error for the `null` id, as
//! JSON-RPC 2.0 asks, and reading goes on with the next message. The messages'
//! types are still `lsp_server`'s.
//!
//! The framing is ours ([`read_frame`]), because `lsp_server`'s trusts its input:
//! it allocates the `Content-Length` it is told before reading anything (a claim
//! of 99 999 999 999 999 bytes aborted the server), and after a header it cannot
//! read it stops in the middle of the frame, so every later message was misread
//! and the server never answered again. Here a message may be at most
//! [`MAX_MESSAGE`] bytes, and its body grows only as its bytes arrive; a broken
//! header is answered with a parse error, and reading resumes at the next
//! `Content-Length` header. Header lines may end in LF alone.

use super::Error;
use lsp_server::{Connection, ErrorCode, Message};
use std::io::{self, BufRead, BufReader, Read, Write};
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
    pub fn join(self) -> Result<(), Error> {
        match self.writer.join() {
            Ok(Ok(())) => Ok(()),
            Ok(Err(e)) => Err(Error::Write(e)),
            Err(_) => Err(Error::WriterPanicked),
        }
    }
}

/// The server's end of a connection over standard input and output.
pub fn stdio() -> Result<(Connection, Transport), Error> {
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
        .map_err(|source| Error::Thread { name: "writer", source })?;
    let to_server = client.sender;
    std::thread::Builder::new()
        .name("journey-lsp-reader".to_owned())
        .spawn(move || {
            let mut input = BufReader::new(io::stdin().lock());
            let mut resync = false;
            loop {
                let problem = match read_frame(&mut input, resync) {
                    Frame::Body(body) => match serde_json::from_slice::<Message>(&body) {
                        Ok(message) => {
                            let exit =
                                matches!(&message, Message::Notification(n) if n.method == "exit");
                            if to_server.send(message).is_err() || exit {
                                return;
                            }
                            resync = false;
                            continue;
                        }
                        // The frame was read whole; only its content is wrong.
                        Err(e) => {
                            resync = false;
                            format!("malformed LSP payload: {e}")
                        }
                    },
                    Frame::Broken(why) => {
                        resync = true;
                        why
                    }
                    Frame::TooLarge(length) => {
                        // Where this message ends cannot be trusted, so neither can
                        // anything after it: say why on standard error, and stop.
                        let why = format!(
                            "a message of {length} bytes is larger than the limit of {MAX_MESSAGE} bytes"
                        );
                        let mut out = out.lock().unwrap_or_else(PoisonError::into_inner);
                        let _ = write_parse_error(&mut *out, &why);
                        eprintln!("journey lsp: {why}; stopping");
                        return;
                    }
                    Frame::End => return,
                };
                let mut out = out.lock().unwrap_or_else(PoisonError::into_inner);
                // Nothing to do if the client is gone: the next read ends too.
                let _ = write_parse_error(&mut *out, &problem);
            }
        })
        .map_err(|source| Error::Thread { name: "reader", source })?;
    Ok((server, Transport { writer }))
}

/// The largest message read, in bytes: ten times the largest file a test of
/// ours opens in an editor, and far less than the memory of any machine.
pub const MAX_MESSAGE: u64 = 256 * 1024 * 1024;

/// The longest header line read, in bytes.
const MAX_HEADER_LINE: u64 = 8 * 1024;

/// What one read of the input found.
#[derive(Debug, PartialEq, Eq)]
enum Frame {
    /// A message's bytes, read whole.
    Body(Vec<u8>),
    /// A header that cannot be read, and why; the frame's end is unknown.
    Broken(String),
    /// A `Content-Length` above [`MAX_MESSAGE`].
    TooLarge(u64),
    /// The end of the input.
    End,
}

/// Reads one frame: header lines (`Name: value`, ending in CRLF or LF) up to an
/// empty line, then `Content-Length` bytes. With `resync`, after a broken header,
/// the input is first skipped up to the next `Content-Length:`, wherever it is:
/// the broken frame's body, of unknown length, usually ends right before it.
fn read_frame(input: &mut impl BufRead, resync: bool) -> Frame {
    let mut length: Option<String> = None;
    if resync {
        match skip_to_content_length(input) {
            Ok(true) => match read_header_line(input) {
                Ok(Some(rest)) => length = Some(rest),
                Ok(None) => return Frame::End,
                Err(why) => return Frame::Broken(why),
            },
            Ok(false) | Err(_) => return Frame::End,
        }
    }
    loop {
        let line = match read_header_line(input) {
            Ok(Some(line)) => line,
            Ok(None) => return Frame::End,
            Err(why) => return Frame::Broken(why),
        };
        if line.is_empty() {
            break;
        }
        let Some((name, value)) = line.split_once(':') else {
            return Frame::Broken(format!("malformed header {:?}", short(&line)));
        };
        if name.trim().eq_ignore_ascii_case("content-length") {
            length = Some(value.to_owned());
        }
    }
    let Some(length) = length else {
        return Frame::Broken("a message without a `Content-Length` header".to_owned());
    };
    let Ok(length) = length.trim().parse::<u64>() else {
        return Frame::Broken(format!(
            "`Content-Length: {}` is not a number",
            short(length.trim())
        ));
    };
    if length > MAX_MESSAGE {
        return Frame::TooLarge(length);
    }
    // Read as the bytes arrive: the claim alone commits no memory.
    let mut body = Vec::new();
    match input.take(length).read_to_end(&mut body) {
        Ok(n) if n as u64 == length => Frame::Body(body),
        _ => Frame::End,
    }
}

/// One header line without its line break; `None` at the end of the input.
fn read_header_line(input: &mut impl BufRead) -> Result<Option<String>, String> {
    let mut line = Vec::new();
    match input.take(MAX_HEADER_LINE).read_until(b'\n', &mut line) {
        Ok(0) | Err(_) => return Ok(None),
        Ok(_) => {}
    }
    if line.last() != Some(&b'\n') {
        if line.len() as u64 == MAX_HEADER_LINE {
            return Err(format!("a header line longer than {MAX_HEADER_LINE} bytes"));
        }
        return Ok(None);
    }
    line.pop();
    if line.last() == Some(&b'\r') {
        line.pop();
    }
    String::from_utf8(line).map(Some).map_err(|_| "a header that is not UTF-8".to_owned())
}

/// Skips the input up to and including the next `Content-Length:` (in any case);
/// whether one was found before the end of the input.
fn skip_to_content_length(input: &mut impl BufRead) -> io::Result<bool> {
    const NAME: &[u8] = b"content-length:";
    // The name has no proper prefix that is also a suffix, so a mismatch restarts
    // the match at this byte.
    let mut matched = 0;
    loop {
        let buf = input.fill_buf()?;
        if buf.is_empty() {
            return Ok(false);
        }
        for (i, b) in buf.iter().map(u8::to_ascii_lowercase).enumerate() {
            matched = if b == NAME[matched] { matched + 1 } else { usize::from(b == NAME[0]) };
            if matched == NAME.len() {
                input.consume(i + 1);
                return Ok(true);
            }
        }
        let used = buf.len();
        input.consume(used);
    }
}

fn short(text: &str) -> String {
    text.chars().take(100).collect()
}

/// JSON-RPC's answer to a message it cannot read: a parse error for no id.
fn write_parse_error(out: &mut impl Write, message: &str) -> io::Result<()> {
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

#[cfg(test)]
mod tests {
    use super::*;

    fn frames(input: &str) -> Vec<Frame> {
        let mut input = input.as_bytes();
        let mut out = Vec::new();
        let mut resync = false;
        loop {
            let frame = read_frame(&mut input, resync);
            resync = matches!(frame, Frame::Broken(_));
            if frame == Frame::End || matches!(frame, Frame::TooLarge(_)) {
                out.push(frame);
                return out;
            }
            out.push(frame);
        }
    }

    fn body(text: &str) -> Frame {
        Frame::Body(text.as_bytes().to_vec())
    }

    #[test]
    fn frames_with_crlf_or_lf_headers_are_read() {
        assert_eq!(
            frames("Content-Length: 2\r\n\r\n{}content-length:3\n\n[1]"),
            [body("{}"), body("[1]"), Frame::End]
        );
    }

    #[test]
    fn after_a_broken_header_reading_resumes_at_the_next_content_length() {
        let broken = frames(concat!(
            "Content-Length: abc\r\n\r\n{\"x\":1}",
            "Content-Length: 2\r\n\r\n{}",
            "Content-Type: x\r\n\r\n{\"y\":2}",
            "Content-Length: 3\r\n\r\n[2]",
        ));
        assert!(matches!(&broken[0], Frame::Broken(why) if why.contains("not a number")));
        assert_eq!(broken[1], body("{}"));
        assert!(matches!(&broken[2], Frame::Broken(why) if why.contains("without")));
        assert_eq!(broken[3..], [body("[2]"), Frame::End]);
    }

    #[test]
    fn a_claim_above_the_limit_is_refused_before_reading() {
        assert_eq!(
            frames("Content-Length: 99999999999999\r\n\r\n{}"),
            [Frame::TooLarge(99_999_999_999_999)]
        );
        // A claim within the limit commits no memory before its bytes arrive.
        assert_eq!(
            frames("Content-Length: 1000000000\r\n\r\n{}")[0],
            Frame::TooLarge(1_000_000_000)
        );
        assert_eq!(frames("Content-Length: 100\r\n\r\n{}"), [Frame::End]);
    }
}
