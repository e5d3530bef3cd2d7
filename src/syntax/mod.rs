//! Phase 1: text to typed syntax tree.
//!
//! [`parse`] never fails: it returns the declarations it could read and a
//! diagnostic for everything it could not. pest's types stay inside this module.

pub mod ast;
mod escape;
mod expected;
mod kind;
pub mod lex;
mod lower;
mod parse;
mod shift;
pub mod typed;
pub mod vocabulary;

pub use kind::Kind;
pub use parse::{parse, reparse};
