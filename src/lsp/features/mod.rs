//! One file per protocol feature. Each reads the [`State`](super::state::State)
//! and returns protocol types; none of them touches the connection.

pub mod completion;
pub mod diagnostics;
pub mod formatting;
pub mod hover;
pub mod navigation;
pub mod rename;
pub mod semantic_tokens;
pub mod symbols;
