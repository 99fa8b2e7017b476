//! The one guard for a campaign's books. A settled campaign's money and scope are frozen: every
//! write that could move money, a receipt, a match, a unit's allocation, a request or the
//! campaign's goal, wishlist, hospitals or partners calls [`books_open`] in its transaction, and
//! is refused with the same words. (A unit's condition and its loans to homes are not books and
//! stay possible after settlement.)

use crate::error::AppError;
use crate::model::status::CampaignStatus;
use crate::model::CampaignId;
use crate::server::db::campaign;
use sqlx::AnyConnection;

/// A campaign's status, or 404 for drafts and unknown ids (their existence is private).
///
/// On PostgreSQL the row is read `for share`: a settlement (which updates the row) waits for
/// the transactions that have read the status, and those that read it later wait for the
/// settlement and see it, so nothing changes a campaign's books once it is settled.
pub async fn campaign_status(
    c: &mut AnyConnection,
    id: CampaignId,
) -> Result<CampaignStatus, AppError> {
    match campaign::status_for_share(c, id).await? {
        None | Some(CampaignStatus::Draft) => Err(AppError::NotFound),
        Some(status) => Ok(status),
    }
}

/// The refusal of any change to a settled campaign's books.
pub fn settled() -> AppError {
    AppError::state(
        "กองผ้าป่านี้ปิดบัญชีแล้ว เงิน ใบเสร็จ การจัดซื้อ การจัดสรร คำขอ และขอบเขตของกองเปลี่ยนแปลงไม่ได้อีก",
        "This campaign's books are settled: its money, receipts, purchases, allocations, requests and scope can no longer change.",
    )
}

/// The campaign's status when its books may still change (open or closed); 404 for drafts
/// and unknown campaigns, 409 for a settled one.
pub async fn books_open(c: &mut AnyConnection, id: CampaignId) -> Result<CampaignStatus, AppError> {
    match campaign_status(c, id).await? {
        CampaignStatus::Settled => Err(settled()),
        status => Ok(status),
    }
}

/// Refuses a gift to a campaign that is not open (closed or settled), naming the campaign
/// field: what a donor on a stale page needs to read.
pub async fn taking_gifts(c: &mut AnyConnection, id: CampaignId) -> Result<(), AppError> {
    if campaign_status(c, id).await?.takes_donations() {
        Ok(())
    } else {
        Err(AppError::field(
            "campaign_id",
            "กองผ้าป่านี้ปิดรับบริจาคแล้ว",
            "This campaign is closed to donations.",
        ))
    }
}
