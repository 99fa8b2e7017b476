//! Pages for administrators and finance officers.

pub mod accounts;
pub mod audit;
pub mod campaigns;
pub mod payee;
pub mod reference;
