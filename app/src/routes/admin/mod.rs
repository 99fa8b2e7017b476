//! Pages for administrators and finance officers.

pub mod accounts;
pub mod audit;
