//! Service: accounts.
