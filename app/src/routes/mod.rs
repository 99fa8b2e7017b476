//! One module per page.

pub mod admin;
pub mod campaign;
pub mod donation;
pub mod equipment;
pub mod finance;
pub mod home;
pub mod hospital;
pub mod hospitals;
pub mod loans;
pub mod login;
pub mod not_found;
pub mod report;
pub mod report_charts;
pub mod requests;
pub mod staff;
pub mod unit;
