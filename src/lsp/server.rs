//! The message loop: the handshake, then notifications and requests in order.
//!
//! Edits only mark the state stale. When no message is waiting (a burst of
//! keystrokes is over) the text goes to the analysis thread, and the loop goes on
//! answering: completion and formatting at once, requests that need positions to
//! match the text (hover, definition, …) once the analysis of that text is back.
//! Every handler runs under `catch_unwind`: whatever the text, a failure becomes an
//! error answer and the server keeps answering.

use super::convert::{Encoding, path_of};
use super::features::{
    completion, diagnostics, formatting, hover, navigation, rename, semantic_tokens, symbols,
};
use super::state::{Done, Job, State};
use super::{Error, config};
use lsp_server::{Connection, ErrorCode, Message, Notification, Request, RequestId, Response};
use lsp_types::{
    CompletionOptions, CompletionResponse, DidChangeTextDocumentParams,
    DidChangeWatchedFilesParams, DidChangeWatchedFilesRegistrationOptions,
    DidChangeWorkspaceFoldersParams, DidCloseTextDocumentParams, DidOpenTextDocumentParams,
    DocumentFormattingParams, DocumentSymbolParams, DocumentSymbolResponse, FileChangeType,
    FileSystemWatcher, GlobPattern, GotoDefinitionParams, GotoDefinitionResponse, HoverParams,
    HoverProviderCapability, InitializeParams, MessageType, OneOf, PositionEncodingKind,
    ReferenceParams, Registration, RegistrationParams, RenameOptions, RenameParams, SemanticTokens,
    SemanticTokensFullOptions, SemanticTokensOptions, SemanticTokensParams, SemanticTokensResult,
    SemanticTokensServerCapabilities, ServerCapabilities, TextDocumentPositionParams,
    TextDocumentSyncCapability, TextDocumentSyncKind, TextDocumentSyncOptions,
    WorkspaceFoldersServerCapabilities, WorkspaceServerCapabilities, WorkspaceSymbolParams,
    WorkspaceSymbolResponse,
};
use serde::de::DeserializeOwned;
use serde_json::Value;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::PathBuf;
use std::sync::mpsc::{self, Receiver, Sender, TryRecvError};
use std::time::Instant;

/// Runs the protocol on a connection: the handshake, then the loop until `exit`.
pub fn serve(connection: &Connection) -> Result<(), Error> {
    let (id, params) = connection.initialize_start().map_err(|e| Error::Protocol(e.to_string()))?;
    let params: InitializeParams = serde_json::from_value(params).unwrap_or_default();
    let encoding = negotiate(&params);
    let capabilities = capabilities(&params, encoding);
    let result = serde_json::json!({
        "capabilities": capabilities,
        "serverInfo": { "name": "journey", "version": env!("CARGO_PKG_VERSION") },
    });
    connection.initialize_finish(id, result).map_err(|e| Error::Protocol(e.to_string()))?;

    // One queue for the loop: client messages (forwarded from the connection) and
    // analyses finished on the analysis thread.
    let (to_loop, events) = mpsc::channel();
    let client = connection.receiver.clone();
    let forward = to_loop.clone();
    std::thread::Builder::new()
        .name("journey-lsp-messages".to_owned())
        .spawn(move || {
            for message in client {
                if forward.send(Event::Client(message)).is_err() {
                    return;
                }
            }
            let _ = forward.send(Event::Closed);
        })
        .map_err(|source| Error::Thread { name: "messages", source })?;
    let (jobs, queue) = mpsc::channel::<Job>();
    let analysed = to_loop;
    let jobs = std::thread::Builder::new()
        .name("journey-lsp-analysis".to_owned())
        .spawn(move || {
            for job in queue {
                if analysed.send(Event::Analysed(Box::new(job.run()))).is_err() {
                    return;
                }
            }
        })
        .ok()
        .map(|_| jobs);

    let options = params.initialization_options.clone().unwrap_or_default();
    let (levels, problems) = config::levels(&options);
    let mut server = Server {
        connection,
        state: State::new(encoding, levels),
        related: params
            .capabilities
            .text_document
            .as_ref()
            .and_then(|t| t.publish_diagnostics.as_ref())
            .and_then(|p| p.related_information)
            .unwrap_or(false),
        shutdown: false,
        log: std::env::var_os("JOURNEY_LSP_LOG").is_some(),
        events,
        jobs,
        started: None,
        waiting: Vec::new(),
        lints: options.get("lints").cloned().unwrap_or_default(),
    };
    server.state.folders = folders(&params);
    server.watch(&params);
    server.settings_problems(&problems);
    server.guarded("loading the workspace", |s| {
        let problems = s.state.load_folders();
        for problem in problems {
            s.log_message(MessageType::WARNING, problem);
        }
    });
    server.run()
}

/// UTF-8 if the client offers it (no conversion on our side), else UTF-16.
fn negotiate(params: &InitializeParams) -> Encoding {
    let offered = params.capabilities.general.as_ref().and_then(|g| g.position_encodings.as_ref());
    if offered.is_some_and(|list| list.contains(&PositionEncodingKind::UTF8)) {
        Encoding::Utf8
    } else {
        Encoding::Utf16
    }
}

fn capabilities(params: &InitializeParams, encoding: Encoding) -> ServerCapabilities {
    let prepare_rename = params
        .capabilities
        .text_document
        .as_ref()
        .and_then(|t| t.rename.as_ref())
        .and_then(|r| r.prepare_support)
        .unwrap_or(false);
    ServerCapabilities {
        position_encoding: Some(match encoding {
            Encoding::Utf8 => PositionEncodingKind::UTF8,
            Encoding::Utf16 => PositionEncodingKind::UTF16,
        }),
        text_document_sync: Some(TextDocumentSyncCapability::Options(TextDocumentSyncOptions {
            open_close: Some(true),
            change: Some(TextDocumentSyncKind::FULL),
            ..TextDocumentSyncOptions::default()
        })),
        hover_provider: Some(HoverProviderCapability::Simple(true)),
        completion_provider: Some(CompletionOptions {
            trigger_characters: Some(vec![".".to_owned(), " ".to_owned()]),
            ..CompletionOptions::default()
        }),
        definition_provider: Some(OneOf::Left(true)),
        references_provider: Some(OneOf::Left(true)),
        document_symbol_provider: Some(OneOf::Left(true)),
        workspace_symbol_provider: Some(OneOf::Left(true)),
        document_formatting_provider: Some(OneOf::Left(true)),
        rename_provider: Some(if prepare_rename {
            OneOf::Right(RenameOptions {
                prepare_provider: Some(true),
                work_done_progress_options: lsp_types::WorkDoneProgressOptions::default(),
            })
        } else {
            OneOf::Left(true)
        }),
        semantic_tokens_provider: Some(SemanticTokensServerCapabilities::SemanticTokensOptions(
            SemanticTokensOptions {
                legend: semantic_tokens::legend(),
                full: Some(SemanticTokensFullOptions::Bool(true)),
                ..SemanticTokensOptions::default()
            },
        )),
        workspace: Some(WorkspaceServerCapabilities {
            workspace_folders: Some(WorkspaceFoldersServerCapabilities {
                supported: Some(true),
                change_notifications: Some(OneOf::Left(true)),
            }),
            file_operations: None,
        }),
        ..ServerCapabilities::default()
    }
}

/// The workspace folders, or the (deprecated) root of older clients.
fn folders(params: &InitializeParams) -> Vec<PathBuf> {
    if let Some(folders) = &params.workspace_folders {
        return folders.iter().filter_map(|f| path_of(&f.uri)).collect();
    }
    #[allow(deprecated)]
    let root = params
        .root_uri
        .as_ref()
        .and_then(path_of)
        .or_else(|| params.root_path.as_ref().map(PathBuf::from));
    root.into_iter().collect()
}

/// A request that failed: the error code and message of the answer.
struct Failure {
    code: ErrorCode,
    message: String,
}

impl Failure {
    fn new(code: ErrorCode, message: impl Into<String>) -> Failure {
        Failure { code, message: message.into() }
    }
}

type Answer = Result<Value, Failure>;

struct Server<'c> {
    connection: &'c Connection,
    state: State,
    /// Whether the client shows related information of diagnostics.
    related: bool,
    /// `shutdown` was received: only `exit` is expected now.
    shutdown: bool,
    /// `JOURNEY_LSP_LOG` is set: timings go to standard error.
    log: bool,
    /// Client messages and finished analyses, in arrival order.
    events: Receiver<Event>,
    /// The analysis thread; `None` if it could not be started (then analyses run
    /// on the loop's thread).
    jobs: Option<Sender<Job>>,
    /// When the running analysis started.
    started: Option<Instant>,
    /// Requests that need an analysis of the current text, until it is done.
    waiting: Vec<Request>,
    /// The lint settings in force, as the client wrote them.
    lints: Value,
}

/// What the loop waits for.
enum Event {
    Client(Message),
    Analysed(Box<Done>),
    /// The client closed the connection.
    Closed,
}

impl Server<'_> {
    fn run(&mut self) -> Result<(), Error> {
        loop {
            let event = match self.events.try_recv() {
                Ok(event) => event,
                Err(TryRecvError::Empty) => {
                    // Nothing waiting: the burst of edits is over, analyse it.
                    if self.state.stale {
                        self.start_analysis();
                    }
                    match self.events.recv() {
                        Ok(event) => event,
                        Err(_) => return Ok(()),
                    }
                }
                Err(TryRecvError::Disconnected) => return Ok(()),
            };
            match event {
                Event::Client(Message::Request(request)) => self.request(request),
                Event::Client(Message::Notification(n)) if n.method == "exit" => {
                    return if self.shutdown { Ok(()) } else { Err(Error::ExitWithoutShutdown) };
                }
                Event::Client(Message::Notification(n)) => self.notification(n),
                Event::Client(Message::Response(_)) => {}
                Event::Analysed(done) => self.finish(*done),
                // The client went away without `exit`: nothing more to do.
                Event::Closed => return Ok(()),
            }
        }
    }

    /// Hands the current text to the analysis thread (or, without one, analyses it
    /// here).
    fn start_analysis(&mut self) {
        let Some(job) = self.state.start() else { return };
        self.started = Some(Instant::now());
        let job = match &self.jobs {
            Some(jobs) => match jobs.send(job) {
                Ok(()) => return,
                Err(returned) => returned.0,
            },
            None => job,
        };
        self.jobs = None;
        let done = job.run();
        self.finish(done);
    }

    /// Installs a finished analysis, publishes what changed, and answers the
    /// requests that waited for it.
    fn finish(&mut self, done: Done) {
        let took = self.started.take().map(|t| t.elapsed()).unwrap_or_default();
        let started = Instant::now();
        let related = self.related;
        let mut published = 0;
        self.guarded("publishing diagnostics", |s| match s.state.finish(done) {
            Ok(files) => {
                for file in files {
                    let params = diagnostics::publish(&s.state, file, related);
                    published += 1;
                    s.send(Notification::new("textDocument/publishDiagnostics".to_owned(), params));
                }
            }
            Err(failed) => s.log_message(MessageType::ERROR, failed.to_string()),
        });
        if self.log {
            let steps: Vec<String> =
                self.state.timings.iter().map(|(what, t)| format!("{what} {t:.1?}")).collect();
            eprintln!(
                "journey lsp: analysed {} files in {took:.1?} ({}), published {published} in {:.1?}",
                self.state.docs.len(),
                steps.join(", "),
                started.elapsed()
            );
        }
        if self.state.fresh() {
            for request in std::mem::take(&mut self.waiting) {
                self.answer_now(request);
            }
        }
    }

    fn send(&self, message: impl Into<Message>) {
        // A closed connection ends the loop at the next receive.
        let _ = self.connection.sender.send(message.into());
    }

    fn log_message(&self, typ: MessageType, message: String) {
        let params = lsp_types::LogMessageParams { typ, message };
        self.send(Notification::new("window/logMessage".to_owned(), params));
    }

    /// Shows the user what was wrong in the settings: a lint level they asked for
    /// that does not apply would otherwise go unnoticed.
    fn settings_problems(&self, problems: &[String]) {
        if problems.is_empty() {
            return;
        }
        let message = format!("journey: lint settings ignored: {}", problems.join("; "));
        let params = lsp_types::ShowMessageParams { typ: MessageType::WARNING, message };
        self.send(Notification::new("window/showMessage".to_owned(), params));
    }

    /// Runs `f`, reporting a panic instead of dying of it.
    fn guarded(&mut self, what: &str, f: impl FnOnce(&mut Self)) {
        if let Err(panic) = catch_unwind(AssertUnwindSafe(|| f(self))) {
            self.log_message(
                MessageType::ERROR,
                format!("failed while {what}: {}", describe(&*panic)),
            );
        }
    }

    fn notification(&mut self, n: Notification) {
        let method = n.method.clone();
        self.guarded(&format!("handling `{method}`"), |s| s.notify(n));
    }

    fn notify(&mut self, n: Notification) {
        match n.method.as_str() {
            "textDocument/didOpen" => {
                if let Some(p) = parse::<DidOpenTextDocumentParams>(n.params) {
                    let doc = p.text_document;
                    self.state.open(doc.uri, doc.text, doc.version);
                }
            }
            "textDocument/didChange" => {
                if let Some(p) = parse::<DidChangeTextDocumentParams>(n.params) {
                    let uri = p.text_document.uri;
                    let mut text = self
                        .state
                        .file(&uri)
                        .map(|f| self.state.doc(f).text.to_string())
                        .unwrap_or_default();
                    for change in p.content_changes {
                        match change.range {
                            // Clients may send ranged changes anyway: apply them.
                            Some(range) => {
                                let lines = super::convert::LineIndex::new(&text);
                                let start = lines.offset(&text, range.start, self.state.encoding);
                                let end = lines.offset(&text, range.end, self.state.encoding);
                                text.replace_range(start..end.max(start), &change.text);
                            }
                            None => text = change.text,
                        }
                    }
                    self.state.change(&uri, text, p.text_document.version);
                }
            }
            "textDocument/didClose" => {
                if let Some(p) = parse::<DidCloseTextDocumentParams>(n.params) {
                    self.state.close(&p.text_document.uri);
                }
            }
            "workspace/didChangeWatchedFiles" => {
                if let Some(p) = parse::<DidChangeWatchedFilesParams>(n.params) {
                    for change in p.changes {
                        self.state.disk_changed(&change.uri, change.typ == FileChangeType::DELETED);
                    }
                }
            }
            "$/cancelRequest" => {
                // Only a request still waiting for an analysis can be cancelled; the
                // others are answered as soon as they arrive.
                let id = n.params.get("id").cloned();
                let id: Option<RequestId> = id.and_then(|id| serde_json::from_value(id).ok());
                if let Some(at) = self.waiting.iter().position(|r| Some(&r.id) == id.as_ref()) {
                    let request = self.waiting.remove(at);
                    let code = ErrorCode::RequestCanceled as i32;
                    self.send(Response::new_err(request.id, code, "cancelled".to_owned()));
                }
            }
            "workspace/didChangeConfiguration" => {
                let settings = n.params.get("settings").unwrap_or(&Value::Null);
                // Clients also send the settings they started with: checking the
                // whole workspace again for nothing costs a second on a large one.
                let options = config::from_settings(settings);
                let lints = options.and_then(|o| o.get("lints")).cloned().unwrap_or_default();
                if let Some(options) = options.filter(|_| lints != self.lints) {
                    let (levels, problems) = config::levels(options);
                    self.state.set_levels(levels);
                    self.settings_problems(&problems);
                    self.lints = lints;
                }
            }
            "workspace/didChangeWorkspaceFolders" => {
                if let Some(p) = parse::<DidChangeWorkspaceFoldersParams>(n.params) {
                    let removed: Vec<PathBuf> =
                        p.event.removed.iter().filter_map(|f| path_of(&f.uri)).collect();
                    self.state.folders.retain(|f| !removed.contains(f));
                    self.state.folders.extend(p.event.added.iter().filter_map(|f| path_of(&f.uri)));
                    self.state.forget_outside_folders();
                    for problem in self.state.load_folders() {
                        self.log_message(MessageType::WARNING, problem);
                    }
                }
            }
            _ => {}
        }
    }

    fn request(&mut self, request: Request) {
        let id = request.id.clone();
        if self.shutdown {
            let message = "the server is shutting down";
            self.send(Response::new_err(id, ErrorCode::InvalidRequest as i32, message.to_owned()));
            return;
        }
        if request.method == "shutdown" {
            self.shutdown = true;
            self.send(Response::new_ok(id, ()));
            return;
        }
        // Completion reads the text and only the names of an analysis, which need
        // not be the latest; formatting reads only the text. Everything else needs
        // the positions of an analysis of the current text, and waits for it.
        let fresh = match request.method.as_str() {
            "textDocument/completion" => self.state.generation == 0,
            "textDocument/formatting" => false,
            _ => true,
        };
        if fresh && !self.state.fresh() {
            self.waiting.push(request);
            // Someone is waiting: do not wait for a quiet moment to start.
            if self.state.stale {
                self.start_analysis();
            }
            return;
        }
        self.answer_now(request);
    }

    fn answer_now(&mut self, request: Request) {
        let id = request.id.clone();
        let started = Instant::now();
        let method = request.method.clone();
        let answer = catch_unwind(AssertUnwindSafe(|| self.answer(request)));
        let response = match answer {
            Ok(Ok(value)) => Response::new_ok(id, value),
            Ok(Err(failure)) => Response::new_err(id, failure.code as i32, failure.message),
            Err(panic) => {
                let message = format!("`{method}` failed: {}", describe(&*panic));
                self.log_message(MessageType::ERROR, message.clone());
                Response::new_err(id, ErrorCode::InternalError as i32, message)
            }
        };
        if self.log {
            eprintln!("journey lsp: `{method}` answered in {:.2?}", started.elapsed());
        }
        self.send(response);
    }

    fn answer(&mut self, request: Request) -> Answer {
        let state = &self.state;
        match request.method.as_str() {
            "textDocument/definition" => {
                let p: GotoDefinitionParams = params(request.params)?;
                let at = p.text_document_position_params;
                let found = navigation::definition(state, &at.text_document.uri, at.position);
                json(found.map(GotoDefinitionResponse::Scalar))
            }
            "textDocument/references" => {
                let p: ReferenceParams = params(request.params)?;
                let at = p.text_document_position;
                let declaration = p.context.include_declaration;
                json(navigation::references(state, &at.text_document.uri, at.position, declaration))
            }
            "textDocument/hover" => {
                let p: HoverParams = params(request.params)?;
                let at = p.text_document_position_params;
                json(hover::hover(state, &at.text_document.uri, at.position))
            }
            "textDocument/completion" => {
                let p: lsp_types::CompletionParams = params(request.params)?;
                let at = p.text_document_position;
                let trigger = p.context.as_ref().and_then(|c| c.trigger_character.as_deref());
                let Some(file) = state.file(&at.text_document.uri) else { return Ok(Value::Null) };
                let list = completion::complete(state, file, at.position, trigger);
                json(list.map(CompletionResponse::List))
            }
            "textDocument/documentSymbol" => {
                let p: DocumentSymbolParams = params(request.params)?;
                let Some(file) = state.file(&p.text_document.uri) else { return Ok(Value::Null) };
                json(DocumentSymbolResponse::Nested(symbols::document(state, file)))
            }
            "workspace/symbol" => {
                let p: WorkspaceSymbolParams = params(request.params)?;
                json(WorkspaceSymbolResponse::Flat(symbols::workspace(state, &p.query)))
            }
            "textDocument/prepareRename" => {
                let p: TextDocumentPositionParams = params(request.params)?;
                json(rename::prepare(state, &p.text_document.uri, p.position))
            }
            "textDocument/rename" => {
                let p: RenameParams = params(request.params)?;
                let at = p.text_document_position;
                rename::rename(state, &at.text_document.uri, at.position, &p.new_name)
                    .map_err(|refused| Failure::new(ErrorCode::RequestFailed, refused.to_string()))
                    .and_then(json)
            }
            "textDocument/formatting" => {
                let p: DocumentFormattingParams = params(request.params)?;
                let Some(file) = state.file(&p.text_document.uri) else { return Ok(Value::Null) };
                formatting::format(state, file)
                    .map_err(|failed| Failure::new(ErrorCode::RequestFailed, failed.to_string()))
                    .and_then(json)
            }
            "textDocument/semanticTokens/full" => {
                let p: SemanticTokensParams = params(request.params)?;
                let Some(file) = state.file(&p.text_document.uri) else { return Ok(Value::Null) };
                let data = semantic_tokens::tokens(state, file);
                json(SemanticTokensResult::Tokens(SemanticTokens { result_id: None, data }))
            }
            other => {
                Err(Failure::new(ErrorCode::MethodNotFound, format!("`{other}` is not supported")))
            }
        }
    }

    /// Asks the client to report changes to `.journey` files on disk, when it can.
    fn watch(&self, params: &InitializeParams) {
        let dynamic = params
            .capabilities
            .workspace
            .as_ref()
            .and_then(|w| w.did_change_watched_files.as_ref())
            .and_then(|d| d.dynamic_registration)
            .unwrap_or(false);
        if !dynamic {
            return;
        }
        let options = DidChangeWatchedFilesRegistrationOptions {
            watchers: vec![FileSystemWatcher {
                glob_pattern: GlobPattern::String("**/*.journey".to_owned()),
                kind: None,
            }],
        };
        let registration = Registration {
            id: "journey-watch".to_owned(),
            method: "workspace/didChangeWatchedFiles".to_owned(),
            register_options: serde_json::to_value(options).ok(),
        };
        let params = RegistrationParams { registrations: vec![registration] };
        let id = RequestId::from("journey-watch".to_owned());
        self.send(Request::new(id, "client/registerCapability".to_owned(), params));
    }
}

fn parse<P: DeserializeOwned>(value: Value) -> Option<P> {
    serde_json::from_value(value).ok()
}

fn params<P: DeserializeOwned>(value: Value) -> Result<P, Failure> {
    serde_json::from_value(value)
        .map_err(|e| Failure::new(ErrorCode::InvalidParams, format!("invalid parameters: {e}")))
}

fn json(value: impl serde::Serialize) -> Answer {
    serde_json::to_value(value).map_err(|e| Failure::new(ErrorCode::InternalError, e.to_string()))
}

/// The message of a panic's payload.
fn describe(panic: &(dyn std::any::Any + Send)) -> String {
    panic
        .downcast_ref::<&str>()
        .map(|s| (*s).to_owned())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "an internal error".to_owned())
}
