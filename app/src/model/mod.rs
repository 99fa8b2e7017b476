//! Typed models shared by the server and the browser: pure Rust, no storage or web types.
//!
//! Everything here is unit-tested where it lives; pages and services only combine these types.

pub mod account;
pub mod admin;
pub mod area;
pub mod audit;
pub mod baht_text;
pub mod campaign;
pub mod chart;
pub mod donation;
pub mod equipment;
pub mod form;
pub mod hospital;
pub mod ids;
pub mod lang;
pub mod ledger;
pub mod loan;
pub mod money;
pub mod procurement;
pub mod promptpay;
pub mod report;
pub mod request;
pub mod settlement;
pub mod statement;
pub mod status;
pub mod thai_date;
pub mod thai_id;
pub mod worklist;

pub use ids::*;
pub use lang::{Lang, Localized};
pub use money::{Money, MoneyError};
