//! Equipment bought from a campaign's fund and the units it became: purchase forms read into
//! valid values, the views finance officers, hospital staff and donors see, and the arithmetic
//! that answers "where did my money go". Rules that need storage (the balance, who may act, which
//! units are in stock) are in the equipment services.
//!
//! Purchases, units in the staff's hands and the public trace each have a file, re-exported here
//! so every type keeps its `model::equipment::…` path; the limits, the written-reason rule and
//! the history event they share stay in this file, with the tests.

mod purchase;
mod trace;
mod unit;

pub use purchase::*;
pub use trace::*;
pub use unit::*;

use super::form::FieldErrors;
use super::HospitalId;
use serde::{Deserialize, Serialize};

/// The most lines one purchase may have.
pub const MAX_LINES: usize = 50;
/// The most units one purchase line may buy.
pub const MAX_LINE_QUANTITY: i64 = 1_000;
/// The most units one allocation may move.
pub const MAX_ALLOCATION: i64 = 1_000;
/// The longest note, reason or justification.
pub const MAX_NOTE: usize = 2_000;
/// The shortest written reason or justification.
pub const MIN_REASON: usize = 5;

/// A written reason of at least [`MIN_REASON`] characters, or an error on `field`.
pub fn reason(e: &mut FieldErrors, field: &str, text: &str) -> String {
    let r = e.optional(field, text, MAX_NOTE).unwrap_or_default();
    if r.chars().count() < MIN_REASON {
        e.add(
            field,
            format!("กรุณาเขียนเหตุผล (อย่างน้อย {MIN_REASON} ตัวอักษร)"),
            format!("Write a reason (at least {MIN_REASON} characters)."),
        );
    }
    r
}

/// One event in a purchase's or a unit's history.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventView {
    pub kind: String,
    /// The hospital the event happened for, if any.
    pub hospital_id: Option<HospitalId>,
    pub note: Option<String>,
    pub by: Option<String>,
    /// RFC 3339.
    pub at: String,
}

#[cfg(test)]
mod tests;
