//! Donor rows.
