//! Service: audit.
