//! Finance officers' pages: campaigns' money, recording gifts, ceremony-night batches, and the
//! e-Donation export.

pub mod batch;
pub mod campaign;
pub mod home;
pub mod reconcile;
