//! Service: partners.
