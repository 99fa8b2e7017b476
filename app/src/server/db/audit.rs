//! Audit log rows.
