//! Semantic differences between two versions of a workspace (not implemented yet).
