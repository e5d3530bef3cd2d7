//! `journey init`: the starter workspace (not implemented yet).
