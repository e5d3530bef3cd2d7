//! Importers: maps from other tools turned into `.journey` text (not implemented yet).
