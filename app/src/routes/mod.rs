//! One module per page.

pub mod campaign;
pub mod home;
pub mod hospital;
pub mod hospitals;
pub mod not_found;
