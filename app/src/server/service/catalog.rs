//! Service: catalog.
