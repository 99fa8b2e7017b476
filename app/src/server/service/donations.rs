//! Donations: online pledges from donors, gifts recorded by finance officers, pledges confirmed
//! when the money arrives, and voids.
//!
//! Every money event writes its journal entry, its receipt and the campaign's aggregates in the
//! transaction that changes the donation, together with its audit row (with the caller's
//! address) and, for creates, its idempotency key. Nothing is updated away: a void is a
//! reversing entry and a status.
//!
//! Longer than most files: every money event of a donation, sharing the audit, reference and lock
//! helpers; kept together so every path that moves a donation's money reads in one place.

use super::ledger::{self, Gift};
use super::{receipts, Caller};
use crate::error::AppError;
use crate::model::account::{AccountId, Action};
use crate::model::donation::{
    backdate_reason, received_date, DonationCreated, DonationInput, NewDonation, NewPledge,
    PledgeInput, ReceiptNumber, MAX_NOTE,
};
use crate::model::form::FieldErrors;
use crate::model::statement::tail::{amount_to_pay, PledgeAmount, MAX_TAIL_SATANG};
use crate::model::status::{DonationChannel, DonationStatus, UnitStatus};
use crate::model::thai_date::bangkok_date;
use crate::model::{CampaignId, Money};
use crate::server::audit::{self, Event};
use crate::server::db::donation::{self, NewRow};
use crate::server::db::donation_record::{self, DonationRecord};
use crate::server::db::{batch, campaign_fund, donor, time, unit, Db, Tx};
use crate::server::idempotency::{self, Claim};
use crate::server::reference_code;
use chrono::{NaiveDate, Utc};

/// The idempotency scope of a caller: one officer's keys never replay another's answers.
pub fn caller_key(caller: &Caller) -> String {
    caller
        .user()
        .map_or_else(|| "public".to_owned(), |u| u.account_id.0.to_string())
}

async fn audit_donation(
    tx: &mut Tx,
    caller: &Caller,
    action: &str,
    reference: &str,
    detail: String,
) -> Result<(), AppError> {
    audit::record(
        tx,
        &Event::by(caller, action, "donation", reference, detail),
    )
    .await?;
    Ok(())
}

fn changed_meanwhile() -> AppError {
    AppError::state(
        "รายการนี้เพิ่งถูกแก้ไขโดยผู้อื่น กรุณาโหลดหน้าใหม่",
        "Someone changed this donation meanwhile; reload the page.",
    )
}

/// A donor's online pledge: recorded as `pledged`, outside the fund until confirmed. It keeps
/// the payee it is shown, whatever the campaign's receiving account becomes later. The amount
/// stored, shown and put in the QR code may carry a satang tail ([`amount_to_pay`]); a replay
/// answers the same reference, whose amount is the one stored the first time.
///
/// The campaign page is the same for every visitor and carries no key; the browser makes one
/// when the page hydrates. A pledge sent without a key (no JavaScript, or before hydration)
/// gets a fresh one here: it is then not protected from a double submit, but it can never
/// replay another donor's pledge, as a key shared through a cached page would.
pub async fn pledge(
    db: &Db,
    caller: &Caller,
    input: &PledgeInput,
) -> Result<DonationCreated, AppError> {
    let own_key;
    let input = if input.idempotency_key.trim().is_empty() {
        own_key = PledgeInput {
            idempotency_key: idempotency::form_key(),
            ..input.clone()
        };
        &own_key
    } else {
        input
    };
    let pledge = NewPledge::parse(input).map_err(AppError::Validation)?;
    let key = idempotency::scoped("pledge", "public", &input.idempotency_key);
    let hash = idempotency::fingerprint(&pledge)?;
    let mut tx = db.begin().await?;
    if let Claim::Replay(answer) = idempotency::claim(&mut tx, &key, &hash).await? {
        return Ok(answer);
    }
    let campaign = pledge.campaign_id();
    ledger::taking_gifts(&mut tx, campaign).await?;
    // Counted first: the update locks the campaign's fund row until commit (PostgreSQL; SQLite
    // has one writer), so two pledges to one campaign never read the same free satang tails.
    campaign_fund::move_pledges(&mut tx, campaign, 1).await?;
    let (to_pay, tail_on) = pledge_amount(&mut tx, campaign, pledge.amount()).await?;
    let amount = to_pay.amount();
    let donor_id = donor::donor_for(&mut tx, pledge.donor()).await?;
    let reference = reference_code::generate();
    let payee = donation::current_payee(&mut tx, campaign).await?;
    let row = NewRow {
        campaign_id: campaign,
        donor_id,
        amount,
        channel: DonationChannel::PromptPay,
        status: DonationStatus::Pledged,
        received_at: None,
        reference_code: reference.clone(),
        note: None,
        batch: None,
        recorded_by: None,
        payee: Some(payee),
        backdate_reason: None,
        match_by_hand: to_pay.by_hand(),
        tail_unique: tail_on && !to_pay.by_hand(),
    };
    donation::insert(&mut tx, &row).await?;
    let answer = DonationCreated {
        reference: reference.clone(),
        receipt: None,
    };
    idempotency::store(&mut tx, &key, &answer).await?;
    let mut detail = format!("pledge of {amount} to campaign {campaign}");
    if amount != pledge.amount() {
        detail.push_str(&format!(" ({} and a satang tail)", pledge.amount()));
    }
    if to_pay.by_hand() {
        detail.push_str("; another open pledge holds this amount: to be matched by hand");
    }
    audit_donation(&mut tx, caller, "donation_pledged", &reference, detail).await?;
    tx.commit().await?;
    Ok(answer)
}

/// What a pledge of `typed` asks the donor to transfer (see [`amount_to_pay`]): with the
/// campaign's satang tail on, an amount no other open pledge of the campaign holds, so the
/// credit on the bank statement can only be this pledge; when none is free (or the tail is off
/// and another pledge holds the amount), the typed amount, to be matched by hand.
async fn pledge_amount(
    tx: &mut Tx,
    campaign: CampaignId,
    typed: Money,
) -> Result<(PledgeAmount, bool), AppError> {
    let tail_on = donation::pledge_matching(tx, campaign).await?.tail;
    let last = Money::from_satang(typed.satang() + MAX_TAIL_SATANG);
    let taken = donation::open_pledge_amounts(tx, campaign, typed, last).await?;
    Ok((amount_to_pay(typed, tail_on, &taken), tail_on))
}

/// A gift recorded by a finance officer: received at once, with its receipt.
pub async fn record(
    db: &Db,
    caller: &Caller,
    input: &DonationInput,
) -> Result<DonationCreated, AppError> {
    let officer = caller.require(Action::RecordDonation)?;
    let gift = NewDonation::parse(input, crate::server::today()).map_err(AppError::Validation)?;
    let key = idempotency::scoped("donation", &caller_key(caller), &input.idempotency_key);
    let hash = idempotency::fingerprint(&gift)?;
    let mut tx = db.begin().await?;
    if let Claim::Replay(answer) = idempotency::claim(&mut tx, &key, &hash).await? {
        return Ok(answer);
    }
    let answer = record_in(&mut tx, caller, officer.account_id, &gift).await?;
    idempotency::store(&mut tx, &key, &answer).await?;
    tx.commit().await?;
    Ok(answer)
}

/// Records `gift` as received inside `tx`, with its journal entry and receipt. Shared by
/// [`record`] and the bank statement's "a gift from this credit", which matches it in the same
/// transaction.
pub(crate) async fn record_in(
    tx: &mut Tx,
    caller: &Caller,
    officer: AccountId,
    gift: &NewDonation,
) -> Result<DonationCreated, AppError> {
    let campaign = gift.campaign_id();
    ledger::taking_gifts(tx, campaign).await?;
    if let Some(line) = gift.in_kind() {
        if !donation::item_exists(tx, line.item).await? {
            return Err(AppError::field(
                "item",
                "ไม่พบครุภัณฑ์นี้ในรายการ",
                "No such item in the catalog.",
            ));
        }
    }
    let donor_id = donor::donor_for(tx, gift.donor()).await?;
    let reference = reference_code::generate();
    let received_at = time::received_instant(gift.received_on(), Utc::now());
    let row = NewRow {
        campaign_id: campaign,
        donor_id,
        amount: gift.amount(),
        channel: gift.channel(),
        status: DonationStatus::Received,
        received_at: Some(received_at),
        reference_code: reference.clone(),
        note: gift.note().map(str::to_owned),
        batch: None,
        recorded_by: Some(officer),
        payee: None,
        backdate_reason: gift.backdate_reason().map(str::to_owned),
        match_by_hand: false,
        tail_unique: false,
    };
    let donation_id = donation::insert(tx, &row).await?;
    let money = Gift {
        campaign,
        donation: donation_id,
        donor: donor_id,
        amount: gift.amount(),
        channel: gift.channel(),
    };
    ledger::receive(tx, money).await?;
    if let Some(line) = gift.in_kind() {
        donation::insert_item(tx, donation_id, line.item, line.quantity, gift.amount()).await?;
    }
    let receipt = receipts::issue(
        tx,
        campaign,
        donation_id,
        gift.amount(),
        received_at,
        Some(officer),
    )
    .await?;
    let mut detail = format!(
        "{} {} to campaign {campaign}, received {}, receipt {receipt}",
        gift.channel().code(),
        gift.amount(),
        gift.received_on()
    );
    if let Some(reason) = gift.backdate_reason() {
        detail.push_str(&format!("; dated in an earlier fiscal year: {reason}"));
    }
    audit_donation(tx, caller, "donation_recorded", &reference, detail).await?;
    Ok(DonationCreated {
        reference,
        receipt: Some(receipt),
    })
}

/// Normalises a typed reference code (any case, with or without dashes and spaces) to its
/// stored form `PP-XXXX-XXXX-XXXX-XXXX`, or `None` when it cannot be one.
pub fn normalise_reference(text: &str) -> Option<String> {
    let plain: String = text
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .collect::<String>()
        .to_ascii_uppercase();
    let body = plain.strip_prefix("PP")?;
    if body.len() != 16 || !body.chars().all(|c| c.is_ascii_alphanumeric()) {
        return None;
    }
    let groups: Vec<&str> = (0..4).map(|i| &body[i * 4..i * 4 + 4]).collect();
    Some(format!("PP-{}", groups.join("-")))
}

pub(super) async fn find_for_update(
    tx: &mut Tx,
    reference: &str,
) -> Result<DonationRecord, AppError> {
    let reference = normalise_reference(reference).ok_or(AppError::NotFound)?;
    donation_record::by_reference(tx, &reference)
        .await?
        .ok_or(AppError::NotFound)
}

/// What a finance officer typed to confirm a pledge.
#[derive(Clone, Debug, Default)]
pub struct Confirmation<'a> {
    /// `YYYY-MM-DD`; empty is today.
    pub received_on: &'a str,
    /// How the money arrived; empty is as pledged.
    pub channel: &'a str,
    /// Needed when the date falls in an earlier fiscal year.
    pub backdate_reason: &'a str,
}

/// Confirms that a pledge's money arrived: the gift enters the fund and gets its receipt. The
/// date received cannot be before the pledge was made, and a date in an earlier fiscal year
/// needs a written reason.
pub async fn confirm(
    db: &Db,
    caller: &Caller,
    reference: &str,
    typed: &Confirmation<'_>,
) -> Result<ReceiptNumber, AppError> {
    let officer = caller.require(Action::RecordDonation)?;
    let today = crate::server::today();
    let mut e = FieldErrors::default();
    let day = received_date(&mut e, typed.received_on, today);
    let reason = backdate_reason(&mut e, day, today, typed.backdate_reason);
    let arrived_by = match typed.channel.trim() {
        "" => None,
        code => match DonationChannel::from_code(code) {
            Some(c) if c != DonationChannel::InKind => Some(c),
            _ => {
                e.add(
                    "channel",
                    "กรุณาเลือกช่องทางที่เงินเข้ามา",
                    "Choose how the money arrived.",
                );
                None
            }
        },
    };
    e.finish()?;
    let mut tx = db.begin().await?;
    let d = find_for_update(&mut tx, reference).await?;
    if d.status()? != DonationStatus::Pledged {
        return Err(AppError::state(
            "รายการนี้ไม่ได้อยู่ในสถานะรอรับเงิน (ยืนยันหรือยกเลิกไปแล้ว)",
            "This donation is not waiting for its money (it was already confirmed or voided).",
        ));
    }
    let channel = arrived_by.unwrap_or(d.channel()?);
    let receipt = receive_pledge(
        &mut tx,
        caller,
        officer.account_id,
        &d,
        day,
        channel,
        reason.as_deref(),
    )
    .await?;
    tx.commit().await?;
    Ok(receipt)
}

/// The money of pledge `d` arrived on `day` by `channel`: inside `tx`, the gift enters the fund
/// and gets its receipt. Shared by [`confirm`] and the bank statement's matching, which calls it
/// in the same transaction as the match.
pub(crate) async fn receive_pledge(
    tx: &mut Tx,
    caller: &Caller,
    officer: AccountId,
    d: &DonationRecord,
    day: NaiveDate,
    channel: DonationChannel,
    reason: Option<&str>,
) -> Result<ReceiptNumber, AppError> {
    let pledged_on = bangkok_date(time::parse_instant(&d.created_at)?);
    if day < pledged_on {
        return Err(AppError::field(
            "received_on",
            &format!("วันที่รับเงินต้องไม่ก่อนวันที่ให้คำมั่น ({pledged_on})"),
            &format!("The money cannot have arrived before the pledge was made ({pledged_on})."),
        ));
    }
    ledger::books_open(tx, d.campaign()).await?;
    let received_at = time::received_instant(day, Utc::now());
    let by = Some(officer);
    if !donation::mark_received(tx, d.id(), received_at, by, channel, reason).await? {
        return Err(changed_meanwhile());
    }
    let money = Gift {
        campaign: d.campaign(),
        donation: d.id(),
        donor: d.donor(),
        amount: d.amount(),
        channel,
    };
    ledger::receive(tx, money).await?;
    campaign_fund::move_pledges(tx, d.campaign(), -1).await?;
    let receipt = receipts::issue(tx, d.campaign(), d.id(), d.amount(), received_at, by).await?;
    let mut detail = format!(
        "pledge of {} received on {day}, receipt {receipt}",
        d.amount()
    );
    if let Some(reason) = reason {
        detail.push_str(&format!("; dated in an earlier fiscal year: {reason}"));
    }
    audit_donation(tx, caller, "donation_confirmed", &d.reference_code, detail).await?;
    Ok(receipt)
}

/// Voids a pledge or a received gift with a written reason. A received gift's journal entry is
/// reversed and its receipt, which keeps its number, shows as void.
pub async fn void(db: &Db, caller: &Caller, reference: &str, reason: &str) -> Result<(), AppError> {
    let officer = caller.require(Action::VoidReceipt)?;
    let mut e = FieldErrors::default();
    let reason = e.optional("reason", reason, MAX_NOTE).unwrap_or_default();
    if reason.chars().count() < 5 {
        e.add(
            "reason",
            "กรุณาระบุเหตุผลการยกเลิก (อย่างน้อย 5 ตัวอักษร)",
            "Write why this is voided (at least 5 characters).",
        );
    }
    e.finish()?;
    let mut tx = db.begin().await?;
    let d = find_for_update(&mut tx, reference).await?;
    let status = d.status()?;
    if status == DonationStatus::Voided {
        return Err(AppError::state(
            "รายการนี้ถูกยกเลิกไปแล้ว",
            "This donation is already voided.",
        ));
    }
    ledger::books_open(&mut tx, d.campaign()).await?;
    if crate::server::db::bank::is_matched(&mut tx, d.id()).await? {
        return Err(AppError::state(
            "รายการนี้จับคู่กับรายการเดินบัญชีธนาคารอยู่ ยกเลิกการจับคู่ที่หน้ากระทบยอดธนาคารก่อน",
            "A bank statement line is matched to this donation; unmatch it on the reconciliation page first.",
        ));
    }
    if !donation::mark_voided(
        &mut tx,
        d.id(),
        &d.status,
        Some(officer.account_id),
        &reason,
    )
    .await?
    {
        return Err(changed_meanwhile());
    }
    if status == DonationStatus::Received && d.channel()? == DonationChannel::InKind {
        let Some(units) = unit::void_of_gift(&mut tx, d.id()).await? else {
            return Err(AppError::state(
                "ยกเลิกไม่ได้ เพราะครุภัณฑ์จากการบริจาคนี้ออกจากคลังไปแล้ว",
                "This gift cannot be voided: some of its units have left stock.",
            ));
        };
        for u in units {
            unit::event(
                &mut tx,
                u,
                "voided",
                UnitStatus::Voided,
                None,
                None,
                Some(&reason),
                officer.account_id,
            )
            .await?;
        }
    }
    if status == DonationStatus::Received {
        let money = Gift {
            campaign: d.campaign(),
            donation: d.id(),
            donor: d.donor(),
            amount: d.amount(),
            channel: d.channel()?,
        };
        if !ledger::reverse(&mut tx, money, &reason).await? {
            return Err(AppError::state(
                "ยกเลิกไม่ได้ เพราะเงินของกองผ้าป่านี้ถูกใช้ซื้อครุภัณฑ์ไปแล้ว ยอดคงเหลือไม่พอคืนยอดนี้",
                "This gift cannot be voided: the campaign has already spent its money on equipment, and the balance left is less than this gift.",
            ));
        }
        if let Some(id) = d.batch() {
            batch::take_out(&mut tx, id, d.amount()).await?;
        }
    } else {
        campaign_fund::move_pledges(&mut tx, d.campaign(), -1).await?;
    }
    let detail = format!("{} of {} voided: {reason}", status.code(), d.amount());
    audit_donation(
        &mut tx,
        caller,
        "donation_voided",
        &d.reference_code,
        detail,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_are_read_in_any_case_with_or_without_dashes() {
        let want = Some("PP-7K3M-9QX2-HT4W-RB8C".to_owned());
        assert_eq!(normalise_reference("PP-7K3M-9QX2-HT4W-RB8C"), want);
        assert_eq!(normalise_reference(" pp7k3m 9qx2ht4wrb8c "), want);
        assert_eq!(normalise_reference("PP-7K3M"), None);
        assert_eq!(normalise_reference("XX-7K3M-9QX2-HT4W-RB8C"), None);
        assert_eq!(normalise_reference("PP-7K3M-9QX2-HT4W-RB8<"), None);
    }
}
