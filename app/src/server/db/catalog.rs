//! Equipment catalog rows.
