//! Idempotency key rows.
