//! Partner rows.
