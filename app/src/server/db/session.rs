//! Session rows.
