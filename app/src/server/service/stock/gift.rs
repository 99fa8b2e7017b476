//! A received gift in kind put into stock, one unit per piece, and the gifts still waiting for
//! it: the way units enter stock without a purchase.

use super::super::donations::find_for_update;
use super::{audit_unit, not_settled};
use crate::error::AppError;
use crate::model::account::Action;
use crate::model::status::{DonationChannel, DonationStatus};
use crate::model::{CampaignId, Money};
use crate::server::db::unit::{self, Source};
use crate::server::db::{campaign_fund, donation, Db};
use crate::server::service::Caller;

/// Puts a received gift in kind into stock: one unit per piece, each valued at an equal share of
/// the gift's line (the shares add up to the line exactly). Answers the number of units.
pub async fn stock_gift(db: &Db, caller: &Caller, reference: &str) -> Result<i64, AppError> {
    let user = caller.require(Action::ManageStock)?;
    let mut tx = db.begin().await?;
    let d = find_for_update(&mut tx, reference).await?;
    if d.channel()? != DonationChannel::InKind || d.status()? != DonationStatus::Received {
        return Err(AppError::state(
            "นำเข้าคลังได้เฉพาะการบริจาคสิ่งของที่ได้รับแล้ว",
            "Only a received gift in kind can go into stock.",
        ));
    }
    not_settled(&mut tx, d.campaign()).await?;
    // Lock the gift's row while it is still received: a void racing this either committed
    // before (and this stops) or waits, then finds the units and voids them with the gift.
    if !donation::lock_received(&mut tx, d.id()).await? {
        return Err(AppError::state(
            "การบริจาคนี้ถูกยกเลิกไปแล้ว",
            "This gift has been voided.",
        ));
    }
    let lines = donation::item_lines(&mut tx, d.id()).await?;
    let count: i64 = lines.iter().map(|(_, q, _)| q).sum();
    // Reserving the tags locks the campaign's fund row first, so a second stocking of the same
    // gift waits here and then sees the first one's units.
    let mut next = campaign_fund::next_tags(&mut tx, d.campaign(), count).await?;
    if unit::gift_stocked(&mut tx, d.id()).await? {
        return Err(AppError::state(
            "สิ่งของจากการบริจาคนี้อยู่ในคลังแล้ว",
            "This gift's items are already in stock.",
        ));
    }
    if count == 0 {
        return Err(AppError::state(
            "การบริจาคนี้ไม่มีรายการสิ่งของ",
            "This gift lists no items.",
        ));
    }
    for (item, quantity, value) in &lines {
        let costs = value
            .split_by(&vec![1; *quantity as usize])
            .ok_or_else(|| AppError::BadRequest("gift value".into()))?;
        unit::stock(
            &mut tx,
            d.campaign(),
            *item,
            Source::Gift(d.id()),
            &costs,
            &[],
            next,
            user.account_id,
        )
        .await?;
        next += quantity;
    }
    audit_unit(
        &mut tx,
        caller,
        "gift_stocked",
        &d.reference_code,
        format!("{count} units"),
    )
    .await?;
    tx.commit().await?;
    Ok(count)
}

/// Gifts in kind of a campaign that are received and not yet in stock:
/// (reference, amount, items).
pub async fn gifts_to_stock(
    db: &Db,
    caller: &Caller,
    campaign: CampaignId,
) -> Result<Vec<(String, Money)>, AppError> {
    caller.require(Action::ManageStock)?;
    Ok(donation::unstocked_gifts(&mut *db.reader().acquire().await?, campaign).await?)
}
