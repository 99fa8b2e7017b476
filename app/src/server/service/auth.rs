//! Service: auth.
