//! Server-only code: storage, rules that touch storage, and the request context. Compiled only
//! with the `ssr` feature; nothing here reaches the WASM bundle.

pub mod accounts;
pub mod audit;
pub mod auth;
pub mod batches;
pub mod context;
pub mod db;
pub mod demo;
pub mod donations;
pub mod idempotency;
pub mod import;
pub mod ledger;
pub mod lookup_limit;
pub mod qr;
pub mod receipts;
pub mod reference;
pub mod reference_code;
pub mod service;

pub use context::{
    call, call_as, client_address, current_user, db_from_context, finish, internal, request_id,
    ClientAddress,
};
pub use db::{Db, Engine};
pub use service::Caller;

/// Today's date in Bangkok.
pub fn today() -> chrono::NaiveDate {
    crate::model::thai_date::bangkok_date(chrono::Utc::now())
}
