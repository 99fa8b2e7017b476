//! Hospital rows.
