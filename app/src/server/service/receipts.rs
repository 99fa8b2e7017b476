//! Service: receipts.
