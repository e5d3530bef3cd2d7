//! The language server (not implemented yet).
