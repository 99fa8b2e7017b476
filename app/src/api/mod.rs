//! Server functions, grouped by aggregate. Each checks its caller on the server (public reads
//! need no account) and returns [`crate::error::AppError`] with the right HTTP status.

pub mod accounts;
pub mod admin;
pub mod audit;
pub mod campaigns;
pub mod donations;
pub mod equipment;
pub mod hospitals;
pub mod loans;
pub mod reconcile;
pub mod report;
pub mod requests;
pub mod staff;
