//! The traceability matrix as CSV (not implemented yet).
