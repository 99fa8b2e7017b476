//! Service: batches.
