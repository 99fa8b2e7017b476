//! The demo's campaigns with their organisers, wishlists and hospitals, and their gifts: drawn
//! by a small deterministic generator, each recorded through the real ledger path.

use super::data::{FAMILY_NAMES, GIVEN_NAMES, SMALL_GIFTS_SATANG};
use super::DEMO_TRACE_REFERENCE;
use crate::model::status::{DonationChannel, DonationStatus};
use crate::model::{CampaignId, Money};
use crate::server::db::campaign::{self as campaigns, NewCampaign};
use crate::server::db::donation::{self, NewRow};
use crate::server::db::donor::{self as donors, NewDonor};
use crate::server::db::{time, Tx};
use crate::server::service::ledger::{self, Gift};
use crate::server::service::receipts;
use chrono::{Duration, NaiveDate, NaiveTime, TimeZone, Utc};

/// A small deterministic generator (xorshift64*), so the demo is the same on every machine.
pub(super) struct Dice(pub(super) u64);

impl Dice {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        usize::try_from(self.next() % (n as u64)).unwrap_or(0)
    }
}

pub(super) async fn campaign(
    tx: &mut Tx,
    c: NewCampaign,
    partners: &[i64],
    organisers: &[usize],
) -> Result<CampaignId, sqlx::Error> {
    let id = campaigns::insert(tx, &c).await?;
    for (position, &p) in organisers.iter().enumerate() {
        sqlx::query("insert into campaign_partner (campaign_id, partner_id, position, created_at) values ($1, $2, $3, $4)")
            .bind(id.get())
            .bind(partners[p])
            .bind(i64::try_from(position).unwrap_or(0))
            .bind(time::now())
            .execute(&mut **tx)
            .await?;
    }
    Ok(id)
}

pub(super) async fn wishlist(
    tx: &mut Tx,
    campaign: CampaignId,
    items: &[i64],
    lines: &[(usize, i64)],
    now: &str,
) -> Result<(), sqlx::Error> {
    for (position, &(item, quantity)) in lines.iter().enumerate() {
        sqlx::query(
            "insert into campaign_wishlist_item (campaign_id, equipment_item_id, quantity, position, created_at)
             values ($1, $2, $3, $4, $5)",
        )
        .bind(campaign.get())
        .bind(items[item])
        .bind(quantity)
        .bind(i64::try_from(position).unwrap_or(0))
        .bind(now)
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}

pub(super) async fn serve(
    tx: &mut Tx,
    campaign: CampaignId,
    hospitals: &[i64],
    now: &str,
) -> Result<(), sqlx::Error> {
    for &h in hospitals {
        sqlx::query("insert into campaign_hospital (campaign_id, hospital_id, created_at) values ($1, $2, $3)")
            .bind(campaign.get())
            .bind(h)
            .bind(now)
            .execute(&mut **tx)
            .await?;
    }
    Ok(())
}

/// Records `count` gifts spread over `from..=to`: the `big` organisational gifts first, then
/// envelopes and transfers from people, about a third of whom chose to stay anonymous.
pub(super) async fn give(
    tx: &mut Tx,
    dice: &mut Dice,
    campaign: CampaignId,
    count: usize,
    from: NaiveDate,
    to: NaiveDate,
    big: &[(&str, i64)],
) -> Result<(), sqlx::Error> {
    let span = (to - from).num_days().max(1);
    let mut gifts = Vec::with_capacity(count);
    for i in 0..count {
        let (name, show, satang) = match big.get(i) {
            Some((name, satang)) => (Some((*name).to_owned()), true, *satang),
            None => {
                let name = format!(
                    "คุณ{} {}",
                    GIVEN_NAMES[dice.below(GIVEN_NAMES.len())],
                    FAMILY_NAMES[dice.below(FAMILY_NAMES.len())]
                );
                let show = dice.below(3) != 0;
                (
                    Some(name).filter(|_| show || dice.below(2) == 0),
                    show,
                    SMALL_GIFTS_SATANG[dice.below(SMALL_GIFTS_SATANG.len())],
                )
            }
        };
        let day =
            from + Duration::days(i64::try_from(dice.next() % span.unsigned_abs()).unwrap_or(0));
        let minutes = u32::try_from(dice.next() % (12 * 60)).unwrap_or(0);
        let local = day.and_time(NaiveTime::from_hms_opt(8, 0, 0).unwrap_or_default())
            + Duration::minutes(i64::from(minutes));
        let received_at = crate::model::thai_date::bangkok()
            .from_local_datetime(&local)
            .single()
            .map(|t| t.with_timezone(&Utc))
            .unwrap_or_else(Utc::now);
        let channel = [
            DonationChannel::Cash,
            DonationChannel::PromptPay,
            DonationChannel::BankTransfer,
        ][dice.below(3)];
        gifts.push((received_at, name, show, satang, channel));
    }
    // Receipts are numbered in the order money arrived, as they would have been.
    gifts.sort_by_key(|g| g.0);
    let recipient = receipts::recipient_of(tx, campaign)
        .await
        .map_err(|e| sqlx::Error::Protocol(format!("demo campaign without recipient: {e}")))?;
    for (received_at, name, show, satang, channel) in gifts {
        let donor = donors::insert(
            tx,
            &NewDonor {
                display_name: name,
                show_name: show,
                ..NewDonor::default()
            },
        )
        .await?;
        let amount = Money::from_satang(satang);
        let row = NewRow {
            campaign_id: campaign,
            donor_id: donor,
            amount,
            channel,
            status: DonationStatus::Received,
            received_at: Some(received_at),
            reference_code: crate::server::reference_code::generate(),
            note: None,
            batch: None,
            recorded_by: None,
            payee: None,
            backdate_reason: None,
            match_by_hand: false,
            tail_unique: false,
        };
        let donation = donation::insert(tx, &row).await?;
        let gift = Gift {
            campaign,
            donation,
            donor,
            amount,
            channel,
        };
        ledger::receive(tx, gift).await?;
        receipts::issue_for(tx, &recipient, donation, amount, received_at, None).await?;
    }
    Ok(())
}

/// Gives the open campaign's first gift the fixed reference the README names. Its row was
/// inserted a moment ago in this transaction, before anything refers to its reference.
pub(super) async fn name_one_gift(tx: &mut Tx, campaign: CampaignId) -> Result<(), sqlx::Error> {
    sqlx::query(
        "update donation set reference_code = $1 where donation_id =
           (select min(donation_id) from donation where campaign_id = $2 and channel <> 'in_kind')",
    )
    .bind(DEMO_TRACE_REFERENCE)
    .bind(campaign.get())
    .execute(&mut **tx)
    .await?;
    Ok(())
}
