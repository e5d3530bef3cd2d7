//! A Markdown report (not implemented yet).
