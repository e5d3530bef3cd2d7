//! The live-reloading site server (not implemented yet).
