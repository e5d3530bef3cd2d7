//! The canonical layout of `.journey` files (not implemented yet).
