//! Units from stock to bedside: gifts in kind put into stock, allocation to a hospital (against
//! an approved request or with a written reason), dispatch, and the hospital's own confirmation,
//! unit by unit. A rejected unit goes back to stock. Finance officers move stock; only a
//! hospital's staff confirm what reached it.
//!
//! One file per step of a unit's way, re-exported here so callers keep writing `stock::…`; this
//! file keeps what every step shares (the audit row and the settled-books guard).

mod allocate;
mod condition;
mod deliver;
mod gift;
mod reads;

pub use allocate::allocate;
pub use condition::{set_condition, write_off};
pub use deliver::{confirm, dispatch};
pub use gift::{gifts_to_stock, stock_gift};
pub use reads::{detail, labels, of_campaign, of_hospital, of_purchase, served_hospitals};

use super::Caller;
use crate::error::AppError;
use crate::model::CampaignId;
use crate::server::audit::{self, Event};
use crate::server::db::Tx;

async fn audit_unit(
    tx: &mut Tx,
    caller: &Caller,
    action: &str,
    tag: &str,
    detail: String,
) -> Result<(), AppError> {
    audit::record(
        tx,
        &Event::by(caller, action, "equipment_unit", tag, detail),
    )
    .await?;
    Ok(())
}

/// Stock moves change a campaign's books (what was bought and where it went): refused once
/// they are settled.
async fn not_settled(tx: &mut Tx, campaign: CampaignId) -> Result<(), AppError> {
    super::ledger::books_open(tx, campaign).await.map(|_| ())
}
