//! `journey lsp`: a Language Server Protocol server over standard input and output.
//!
//! The server sits on the same library as the command line: it reads the workspace
//! folders with [`workspace`](crate::workspace), keeps the text of open documents in
//! their place, and runs the compiler's phases on them, so its diagnostics are
//! those of `journey check`, its formatting that of `journey fmt`.
//!
//! - [`server`] — the message loop: handshake, dispatch, one analysis per burst of
//!   edits on an analysis thread, answers that survive any input (a failing handler
//!   answers with an error; the loop goes on).
//! - [`state`] — documents, incremental re-analysis (as a job for that thread),
//!   what to publish.
//! - [`index`] — every element's declaration and references, for navigation.
//! - [`config`] — the lint levels an editor asks for, as `journey check` takes them.
//! - [`convert`] — byte offsets ↔ protocol positions (UTF-16 or UTF-8), URIs ↔ paths.
//! - [`features`] — one file per protocol feature.
//! - [`transport`] — standard input and output, surviving malformed messages.

pub mod config;
pub mod convert;
pub mod features;
pub mod index;
pub mod server;
pub mod state;
pub mod transport;

/// Why the language server stopped with a failure (`journey lsp` exits 1).
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The client broke the protocol's start (`initialize`).
    #[error("the client broke the protocol: {0}")]
    Protocol(String),
    /// The client sent `exit` without `shutdown` first, which the protocol makes a
    /// failure.
    #[error("the client asked to exit without shutting down first")]
    ExitWithoutShutdown,
    /// A thread of the server could not be started.
    #[error("cannot start a thread ({name}): {source}")]
    Thread { name: &'static str, source: std::io::Error },
    /// Standard output failed.
    #[error("cannot write to the client: {0}")]
    Write(std::io::Error),
    /// The writer thread panicked.
    #[error("the thread writing to the client failed")]
    WriterPanicked,
}

/// Runs the server on standard input and output until the client says `exit`.
/// `Err` carries a protocol failure, or an `exit` without `shutdown` first.
pub fn run() -> Result<(), Error> {
    let (connection, transport) = transport::stdio()?;
    let result = server::serve(&connection);
    // Dropping the connection ends the writer once everything sent is written.
    drop(connection);
    let written = transport.join();
    result?;
    written
}
