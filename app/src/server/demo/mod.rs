//! Demo data, loaded only when asked (`PHAPA_DEMO=1`) into a database that has no campaigns.
//!
//! Everything here is fictional and marked as such: hospital names end in "(ตัวอย่าง)" with
//! facility codes 99001–99020 (a range not used for real facilities), partners and campaigns
//! carry the demo flag, and every donation goes through the real ledger path, so the demo's
//! totals are checked by the same invariants as real ones. Dates are relative to today so the
//! demo always has an open campaign.
//!
//! This file loads the demo in order. The fictional data has a file of its own (`data`), so
//! nothing fictional leaks elsewhere; the reference rows (`seed`), the campaigns and their
//! gifts (`gifts`), and equipment, requests, a bank statement and a settlement each have theirs.

mod data;
mod equipment;
mod gifts;
mod loans;
mod requests;
mod seed;
mod settlement;
mod statement;

pub use data::{CATALOG, DEMO_PROMPTPAY};
pub use loans::DEMO_UNIT_IN_A_HOME;
pub use seed::DEMO_PASSWORD;

use data::{closed_campaign, met_goal_campaign, open_campaign};
use gifts::{campaign, give, name_one_gift, serve, wishlist, Dice};
use seed::{insert_accounts, insert_catalog, insert_hospitals, insert_partners, CLOSED_HOSPITALS};

use super::db::{time, Db};
use chrono::{Duration, NaiveDate};

/// Loads the demo into a database without campaigns. Returns whether it loaded anything.
pub async fn load_if_empty(db: &Db, today: NaiveDate) -> Result<bool, sqlx::Error> {
    let (campaigns,): (i64,) = sqlx::query_as("select count(*) from campaign")
        .fetch_one(db.reader())
        .await?;
    if campaigns > 0 {
        return Ok(false);
    }
    let mut tx = db.begin().await?;
    let now = time::now();
    let items = insert_catalog(&mut tx, &now).await?;
    let partners = insert_partners(&mut tx, &now).await?;
    let hospitals = insert_hospitals(&mut tx, &now).await?;
    insert_accounts(&mut tx, &hospitals, &now).await?;
    let mut dice = Dice(0x5EED_F00D_CAFE_u64);

    let open = campaign(&mut tx, open_campaign(today), &partners[..], &[0, 1, 4, 3]).await?;
    wishlist(
        &mut tx,
        open,
        &items,
        &[(0, 10), (1, 20), (2, 6), (3, 5), (4, 15), (6, 10), (8, 20)],
        &now,
    )
    .await?;
    serve(&mut tx, open, &hospitals[..8], &now).await?;
    requests::load(&mut tx, open, &items).await?;
    give(
        &mut tx,
        &mut dice,
        open,
        320,
        today - Duration::days(40),
        today,
        &[],
    )
    .await?;
    name_one_gift(&mut tx, open).await?;

    let met = campaign(&mut tx, met_goal_campaign(today), &partners[..], &[5, 2, 3]).await?;
    wishlist(
        &mut tx,
        met,
        &items,
        &[(2, 6), (3, 4), (7, 10), (8, 10)],
        &now,
    )
    .await?;
    serve(&mut tx, met, &hospitals[8..14], &now).await?;
    let big = [
        ("บริษัท อีสานเวชภัณฑ์ จำกัด (ตัวอย่าง)", 10_000_000),
        ("วัดป่าศรีสว่าง (ตัวอย่าง)", 5_000_000),
        ("คณะกรรมการพัฒนาคุณภาพชีวิตระดับอำเภอน้ำพอง (ตัวอย่าง)", 3_000_000),
        ("ร้านวัสดุก่อสร้างน้ำพองพาณิชย์ (ตัวอย่าง)", 2_500_000),
    ];
    give(
        &mut tx,
        &mut dice,
        met,
        90,
        today - Duration::days(60),
        today,
        &big,
    )
    .await?;

    let closed = campaign(&mut tx, closed_campaign(today), &partners[..], &[0, 4]).await?;
    wishlist(&mut tx, closed, &items, &[(0, 8), (4, 20), (5, 20)], &now).await?;
    serve(&mut tx, closed, &hospitals[CLOSED_HOSPITALS..], &now).await?;
    let end = today - Duration::days(300);
    give(
        &mut tx,
        &mut dice,
        closed,
        60,
        end - Duration::days(90),
        end,
        &[("เทศบาลตำบลชุมแพ (ตัวอย่าง)", 8_000_000)],
    )
    .await?;

    tx.commit().await?;
    equipment::load(db, open, &items, &hospitals[..8], today)
        .await
        .map_err(|e| sqlx::Error::Protocol(format!("demo equipment: {e:?}")))?;
    statement::load(db, open, today)
        .await
        .map_err(|e| sqlx::Error::Protocol(format!("demo statement: {e:?}")))?;
    settlement::load(
        db,
        closed,
        open,
        &items,
        &hospitals[CLOSED_HOSPITALS..],
        today,
    )
    .await
    .map_err(|e| sqlx::Error::Protocol(format!("demo settlement: {e:?}")))?;
    loans::load(
        db,
        (closed, open),
        &items,
        &hospitals[CLOSED_HOSPITALS..],
        &hospitals[..8],
        today,
    )
    .await
    .map_err(|e| sqlx::Error::Protocol(format!("demo loans: {e:?}")))?;
    Ok(true)
}

/// The reference of a demo gift to the open campaign whose money reached hospitals (named in
/// the README, so a newcomer can follow it from the donation page to a bedside unit).
pub const DEMO_TRACE_REFERENCE: &str = "PP-DEMQ-GAVE-BEDS-2626";

/// Grows the demo's open campaign by `count` more fictional gifts, for measuring pages at
/// province scale: each goes through the real ledger path (donor, donation, journal, kept
/// totals, receipt), in transactions of 5,000, received over the last year. Refuses a
/// database whose open campaign is not a demo one. Answers the campaign.
pub async fn grow(
    db: &Db,
    count: usize,
    today: NaiveDate,
) -> Result<crate::model::CampaignId, sqlx::Error> {
    const PER_TRANSACTION: usize = 5_000;
    let open: Option<(i64,)> = sqlx::query_as(
        "select campaign_id from campaign where status = 'open' and is_demo = 1
         order by campaign_id limit 1",
    )
    .fetch_optional(db.reader())
    .await?;
    let Some((id,)) = open else {
        return Err(sqlx::Error::Protocol(
            "no open demo campaign: grow adds fictional gifts only to a demo database".into(),
        ));
    };
    let campaign = crate::model::CampaignId(id);
    let mut dice = Dice(0x6120_3E5D_u64 ^ u64::try_from(count).unwrap_or(0));
    let mut left = count;
    while left > 0 {
        let n = left.min(PER_TRANSACTION);
        let mut tx = db.begin().await?;
        give(
            &mut tx,
            &mut dice,
            campaign,
            n,
            today - Duration::days(365),
            today,
            &[],
        )
        .await?;
        tx.commit().await?;
        left -= n;
    }
    Ok(campaign)
}
