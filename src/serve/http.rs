//! The little HTTP/1.1 that `journey serve` speaks: one request per connection,
//! answered from memory, on a thread of its own, with time limits.
//!
//! `tiny_http` answered from a fixed pool of threads and set no time limit on a
//! socket, so four clients that asked for a page and never read it held every
//! thread, blocked in a write, and the server answered nobody else. Here each
//! connection has its own thread, up to [`MAX_CONNECTIONS`] at a time; reading the
//! request and writing the answer each have a deadline ([`TIMEOUT`]), after which the
//! connection is dropped. Past the limit of connections a client is told to come
//! back (503), on the accepting thread, with a short deadline of its own.

use std::fmt::Write as _;
use std::io::{self, BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

/// How long reading a request, or writing an answer, may take. A page is written
/// from memory, so only a client that does not read needs more than a moment.
pub const TIMEOUT: Duration = Duration::from_secs(10);

/// Connections answered at once; each is a thread.
pub const MAX_CONNECTIONS: usize = 64;

/// The longest request head read (request line and headers).
const MAX_HEAD: u64 = 16 * 1024;

/// A request as read from the connection.
pub struct Request {
    pub method: String,
    pub url: String,
    pub host: Option<String>,
}

/// An answer: status, headers, body. `HEAD` is answered without the body.
pub struct Response {
    pub status: u16,
    pub headers: Vec<(&'static str, String)>,
    pub body: Vec<u8>,
}

/// Accepts connections until the listener fails, answering each with `answer`.
pub fn run(listener: &TcpListener, answer: &Arc<dyn Fn(&Request) -> Response + Send + Sync>) {
    let open = Arc::new(AtomicUsize::new(0));
    for stream in listener.incoming() {
        let Ok(stream) = stream else {
            // Out of file descriptors, say: wait for connections to close rather
            // than spin on the error.
            std::thread::sleep(Duration::from_millis(50));
            continue;
        };
        if open.fetch_add(1, Ordering::SeqCst) >= MAX_CONNECTIONS {
            open.fetch_sub(1, Ordering::SeqCst);
            // A small answer fits in the socket's buffer: this write does not wait.
            let _ = stream.set_write_timeout(Some(Duration::from_millis(100)));
            let _ = write_response(&stream, false, &busy());
            continue;
        }
        let answer = Arc::clone(answer);
        let spawned = std::thread::Builder::new().name("journey-http".to_owned()).spawn({
            let open = Arc::clone(&open);
            move || {
                let _ = connection(&stream, &*answer);
                open.fetch_sub(1, Ordering::SeqCst);
            }
        });
        if spawned.is_err() {
            open.fetch_sub(1, Ordering::SeqCst);
        }
    }
}

/// Reads one request and writes its answer, within the time limits.
fn connection(stream: &TcpStream, answer: &dyn Fn(&Request) -> Response) -> io::Result<()> {
    stream.set_read_timeout(Some(TIMEOUT))?;
    stream.set_write_timeout(Some(TIMEOUT))?;
    let response = match read_request(stream) {
        Ok(Some(request)) => {
            let head = request.method == "HEAD";
            let response = answer(&request);
            return write_response(stream, head, &response);
        }
        Ok(None) => return Ok(()),
        Err(why) => text(400, why),
    };
    write_response(stream, false, &response)
}

/// The request line and headers; `Ok(None)` if the client closed without asking.
fn read_request(stream: &TcpStream) -> Result<Option<Request>, &'static str> {
    let mut reader = BufReader::new(stream.take(MAX_HEAD));
    let mut line = String::new();
    match reader.read_line(&mut line) {
        Ok(0) => return Ok(None),
        Ok(_) if line.ends_with('\n') => {}
        _ => return Err("the request line could not be read"),
    }
    let mut parts = line.split_whitespace();
    let (Some(method), Some(url), Some(version), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err("the request line is not `METHOD PATH HTTP/1.1`");
    };
    if !version.starts_with("HTTP/1.") {
        return Err("only HTTP/1.x is spoken here");
    }
    let mut request = Request { method: method.to_owned(), url: url.to_owned(), host: None };
    loop {
        let mut header = String::new();
        match reader.read_line(&mut header) {
            Ok(n) if n > 0 && header.ends_with('\n') => {}
            _ => return Err("the request's headers could not be read"),
        }
        let header = header.trim_end_matches(['\r', '\n']);
        if header.is_empty() {
            return Ok(Some(request));
        }
        let Some((name, value)) = header.split_once(':') else {
            return Err("a header is not `Name: value`");
        };
        if name.trim().eq_ignore_ascii_case("host") {
            if request.host.is_some() {
                return Err("two `Host` headers");
            }
            request.host = Some(value.trim().to_owned());
        }
    }
}

fn write_response(mut stream: &TcpStream, head_only: bool, response: &Response) -> io::Result<()> {
    let mut head = format!("HTTP/1.1 {} {}\r\n", response.status, reason(response.status));
    for (name, value) in &response.headers {
        // A value from a header we set never holds a line break; be sure anyway.
        if !value.contains(['\r', '\n']) {
            let _ = write!(head, "{name}: {value}\r\n");
        }
    }
    let _ = write!(head, "Content-Length: {}\r\nConnection: close\r\n\r\n", response.body.len());
    stream.write_all(head.as_bytes())?;
    if !head_only {
        stream.write_all(&response.body)?;
    }
    stream.flush()
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        400 => "Bad Request",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        503 => "Service Unavailable",
        _ => "",
    }
}

fn text(status: u16, body: &str) -> Response {
    Response {
        status,
        headers: vec![("Content-Type", "text/plain; charset=utf-8".to_owned())],
        body: format!("{body}\n").into_bytes(),
    }
}

fn busy() -> Response {
    let mut response = text(503, "too many connections at once; try again");
    response.headers.push(("Retry-After", "1".to_owned()));
    response
}
