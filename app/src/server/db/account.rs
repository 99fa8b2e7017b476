//! Account rows.
