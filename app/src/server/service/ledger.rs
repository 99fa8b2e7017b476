//! Service: ledger.
