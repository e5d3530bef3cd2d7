//! Mermaid diagrams (not implemented yet).
