//! Server-only code: storage, rules that touch storage, and the request context. Compiled only
//! with the `ssr` feature; nothing here reaches the WASM bundle.

pub mod context;
pub mod db;
pub mod demo;
pub mod failure;
pub mod import;
pub mod live_figures;
pub mod lookup_limit;
pub mod qr;
pub mod reference_code;
pub mod service;
pub mod statement;

pub use context::{
    call, call_as, client_address, current_user, db_from_context, finish, ClientAddress,
};
pub use db::{Db, Engine};
pub use failure::{internal, request_id};
pub use service::Caller;
// Short paths for the services that other rooms and the binary call.
pub use service::{accounts, audit, auth, batches, donations, idempotency, ledger, receipts};

/// Today's date in Bangkok.
pub fn today() -> chrono::NaiveDate {
    crate::model::thai_date::bangkok_date(chrono::Utc::now())
}
