//! Donation rows.
