//! Donations: online pledges from donors, gifts recorded by finance officers, pledges confirmed
//! when the money arrives, voids, and what a reference code shows.
//!
//! Every money event writes its journal entry, its receipt and the campaign's aggregates in the
//! transaction that changes the donation, together with its audit row and, for creates, its
//! idempotency key. Nothing is updated away: a void is a reversing entry and a status.

use super::accounts::require;
use super::audit::{self, Actor, Event};
use super::db::donations::{self as rows, DonationRecord, ListOf};
use super::db::{time, Db, Tx};
use super::idempotency::{self, Claim};
use super::ledger::{self, ReceivedDonation};
use super::{receipts, reference_code};
use crate::error::AppError;
use crate::model::account::{Action, CurrentUser};
use crate::model::donation::{
    mask_promptpay_id, received_date, BankAccount, CampaignLive, DonationCreated, DonationInput,
    DonationView, DonorPrivate, FieldErrors, FinanceCampaign, MoneyTrail, NewDonation, NewPledge,
    PledgeInput, PromptPayPayment, ReceiptNumber, ReceiptView, RecipientView, MAX_NOTE,
};
use crate::model::promptpay::{self, PromptPayTarget};
use crate::model::status::{CampaignStatus, DonationChannel, DonationStatus};
use crate::model::thai_date::bangkok_date;
use crate::model::thai_id::NationalId;
use crate::model::{CampaignId, Localized, Money};
use chrono::Utc;

/// A campaign's status, or 404 for drafts and unknown ids (their existence is private).
pub async fn campaign_status(tx: &mut Tx, id: CampaignId) -> Result<CampaignStatus, AppError> {
    let row: Option<(String,)> =
        sqlx::query_as("select status from campaign where campaign_id = $1")
            .bind(id.get())
            .fetch_optional(&mut **tx)
            .await?;
    match row.and_then(|(s,)| CampaignStatus::from_code(&s)) {
        None | Some(CampaignStatus::Draft) => Err(AppError::NotFound),
        Some(status) => Ok(status),
    }
}

/// Refuses a gift to a campaign that is not open, naming the campaign field.
pub async fn require_open(tx: &mut Tx, id: CampaignId) -> Result<(), AppError> {
    if campaign_status(tx, id).await?.takes_donations() {
        Ok(())
    } else {
        Err(AppError::field(
            "campaign_id",
            "กองผ้าป่านี้ปิดรับบริจาคแล้ว",
            "This campaign is closed to donations.",
        ))
    }
}

fn caller_key(actor: Option<&CurrentUser>) -> String {
    actor.map_or_else(|| "public".to_owned(), |u| u.account_id.0.to_string())
}

async fn audit_event(
    tx: &mut Tx,
    actor: Option<&CurrentUser>,
    action: &str,
    reference: &str,
    detail: String,
) -> Result<(), AppError> {
    audit::record(
        tx,
        &Event {
            actor: actor.map_or(Actor::Anonymous, Actor::User),
            action,
            record_type: "donation",
            record_id: Some(reference.to_owned()),
            detail,
            client_address: None,
        },
    )
    .await?;
    Ok(())
}

/// A donor's online pledge: recorded as `pledged`, outside the fund until confirmed.
pub async fn pledge(db: &Db, input: &PledgeInput) -> Result<DonationCreated, AppError> {
    let pledge = NewPledge::parse(input).map_err(AppError::Validation)?;
    let key = idempotency::scoped("pledge", "public", &input.idempotency_key);
    let hash = idempotency::fingerprint(&pledge)?;
    let mut tx = db.begin().await?;
    if let Claim::Replay(answer) = idempotency::claim(&mut tx, &key, &hash).await? {
        return Ok(answer);
    }
    require_open(&mut tx, pledge.campaign_id).await?;
    let donor = rows::donor_for(&mut tx, &pledge.donor).await?;
    let reference = reference_code::generate();
    ledger::record_pledge(
        &mut tx,
        &ReceivedDonation {
            campaign_id: pledge.campaign_id,
            donor_id: donor,
            amount: pledge.amount,
            channel: DonationChannel::PromptPay,
            received_at: Utc::now(),
            reference_code: reference.clone(),
            note: None,
            batch: None,
            recorded_by: None,
        },
    )
    .await?;
    let answer = DonationCreated {
        reference: reference.clone(),
        receipt: None,
    };
    idempotency::store(&mut tx, &key, &answer).await?;
    let detail = format!(
        "pledge of {} to campaign {}",
        pledge.amount, pledge.campaign_id
    );
    audit_event(&mut tx, None, "donation_pledged", &reference, detail).await?;
    tx.commit().await?;
    Ok(answer)
}

/// A gift recorded by a finance officer: received at once, with its receipt.
pub async fn record(
    db: &Db,
    actor: Option<&CurrentUser>,
    input: &DonationInput,
) -> Result<DonationCreated, AppError> {
    require(actor, Action::RecordDonation)?;
    let gift = NewDonation::parse(input, super::today()).map_err(AppError::Validation)?;
    let key = idempotency::scoped("donation", &caller_key(actor), &input.idempotency_key);
    let hash = idempotency::fingerprint(&gift)?;
    let mut tx = db.begin().await?;
    if let Claim::Replay(answer) = idempotency::claim(&mut tx, &key, &hash).await? {
        return Ok(answer);
    }
    require_open(&mut tx, gift.campaign_id).await?;
    if let Some(line) = &gift.in_kind {
        let known: Option<(i64,)> =
            sqlx::query_as("select 1 from equipment_item where equipment_item_id = $1")
                .bind(line.item.get())
                .fetch_optional(&mut *tx)
                .await?;
        if known.is_none() {
            return Err(AppError::field(
                "item",
                "ไม่พบครุภัณฑ์นี้ในรายการ",
                "No such item in the catalog.",
            ));
        }
    }
    let donor = rows::donor_for(&mut tx, &gift.donor).await?;
    let reference = reference_code::generate();
    let received_at = time::received_instant(gift.received_on, Utc::now());
    let donation = ledger::record_received(
        &mut tx,
        &ReceivedDonation {
            campaign_id: gift.campaign_id,
            donor_id: donor,
            amount: gift.amount,
            channel: gift.channel,
            received_at,
            reference_code: reference.clone(),
            note: gift.note.clone(),
            batch: None,
            recorded_by: actor.map(|u| u.account_id),
        },
    )
    .await?;
    if let Some(line) = &gift.in_kind {
        sqlx::query(
            "insert into donation_item (donation_id, equipment_item_id, quantity, value_satang, created_at)
             values ($1, $2, $3, $4, $5)",
        )
        .bind(donation.get())
        .bind(line.item.get())
        .bind(line.quantity)
        .bind(gift.amount.satang())
        .bind(time::now())
        .execute(&mut *tx)
        .await?;
    }
    let receipt = receipts::issue(
        &mut tx,
        gift.campaign_id,
        donation,
        gift.amount,
        received_at,
        actor.map(|u| u.account_id),
    )
    .await?;
    let answer = DonationCreated {
        reference: reference.clone(),
        receipt: Some(receipt),
    };
    idempotency::store(&mut tx, &key, &answer).await?;
    let detail = format!(
        "{} {} to campaign {}, receipt {receipt}",
        gift.channel.code(),
        gift.amount,
        gift.campaign_id
    );
    audit_event(&mut tx, actor, "donation_recorded", &reference, detail).await?;
    tx.commit().await?;
    Ok(answer)
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

async fn find_for_update(tx: &mut Tx, reference: &str) -> Result<DonationRecord, AppError> {
    let reference = normalise_reference(reference).ok_or(AppError::NotFound)?;
    rows::by_reference_tx(tx, &reference)
        .await?
        .ok_or(AppError::NotFound)
}

/// Confirms that a pledge's money arrived on `received_on` (empty: today): the gift enters the
/// fund and gets its receipt.
pub async fn confirm(
    db: &Db,
    actor: Option<&CurrentUser>,
    reference: &str,
    received_on: &str,
    channel: &str,
) -> Result<ReceiptNumber, AppError> {
    require(actor, Action::RecordDonation)?;
    let mut e = FieldErrors::default();
    let day = received_date(&mut e, received_on, super::today());
    let arrived_by = match channel.trim() {
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
    e.into_result(()).map_err(AppError::Validation)?;
    let mut tx = db.begin().await?;
    let d = find_for_update(&mut tx, reference).await?;
    if d.status()? != DonationStatus::Pledged {
        return Err(AppError::state(
            "รายการนี้ไม่ได้อยู่ในสถานะรอรับเงิน (ยืนยันหรือยกเลิกไปแล้ว)",
            "This donation is not waiting for its money (it was already confirmed or voided).",
        ));
    }
    if campaign_status(&mut tx, d.campaign()).await? == CampaignStatus::Settled {
        return Err(AppError::state(
            "กองผ้าป่านี้ปิดบัญชีแล้ว แก้ไขรายการไม่ได้",
            "This campaign's books are settled; its gifts cannot change.",
        ));
    }
    let received_at = time::received_instant(day, Utc::now());
    let channel = arrived_by.unwrap_or(d.channel()?);
    let changed = sqlx::query(
        "update donation set status = 'received', received_at = $1, recorded_by = $2, channel = $4
         where donation_id = $3 and status = 'pledged' and voided_at is null",
    )
    .bind(time::instant(received_at))
    .bind(actor.map(|u| u.account_id.0))
    .bind(d.donation_id)
    .bind(channel.code())
    .execute(&mut *tx)
    .await?;
    if changed.rows_affected() != 1 {
        return Err(AppError::state(
            "รายการนี้เพิ่งถูกแก้ไขโดยผู้อื่น กรุณาโหลดหน้าใหม่",
            "Someone changed this donation meanwhile; reload the page.",
        ));
    }
    // Posting first keeps the lock order of every money event: campaign_donor, then
    // campaign_fund (then the receipt counter, then the audit head).
    ledger::post_received(
        &mut tx,
        d.campaign(),
        d.id(),
        d.donor(),
        d.amount(),
        channel,
    )
    .await?;
    sqlx::query(
        "update campaign_fund set pledged_count = pledged_count - 1 where campaign_id = $1",
    )
    .bind(d.campaign_id)
    .execute(&mut *tx)
    .await?;
    let receipt = receipts::issue(
        &mut tx,
        d.campaign(),
        d.id(),
        d.amount(),
        received_at,
        actor.map(|u| u.account_id),
    )
    .await?;
    let detail = format!(
        "pledge of {} received on {day}, receipt {receipt}",
        d.amount()
    );
    audit_event(
        &mut tx,
        actor,
        "donation_confirmed",
        &d.reference_code,
        detail,
    )
    .await?;
    tx.commit().await?;
    Ok(receipt)
}

/// Voids a pledge or a received gift with a written reason. A received gift's journal entry is
/// reversed and its receipt, which keeps its number, shows as void.
pub async fn void(
    db: &Db,
    actor: Option<&CurrentUser>,
    reference: &str,
    reason: &str,
) -> Result<(), AppError> {
    require(actor, Action::VoidReceipt)?;
    let mut e = FieldErrors::default();
    let reason = e.optional("reason", reason, MAX_NOTE).unwrap_or_default();
    if reason.chars().count() < 5 {
        e.add(
            "reason",
            "กรุณาระบุเหตุผลการยกเลิก (อย่างน้อย 5 ตัวอักษร)",
            "Write why this is voided (at least 5 characters).",
        );
    }
    e.into_result(()).map_err(AppError::Validation)?;
    let mut tx = db.begin().await?;
    let d = find_for_update(&mut tx, reference).await?;
    let status = d.status()?;
    if status == DonationStatus::Voided {
        return Err(AppError::state(
            "รายการนี้ถูกยกเลิกไปแล้ว",
            "This donation is already voided.",
        ));
    }
    if campaign_status(&mut tx, d.campaign()).await? == CampaignStatus::Settled {
        return Err(AppError::state(
            "กองผ้าป่านี้ปิดบัญชีแล้ว ยกเลิกรายการไม่ได้",
            "This campaign's books are settled; its gifts cannot be voided.",
        ));
    }
    let changed = sqlx::query(
        "update donation set status = case status when 'received' then 'voided' else status end,
           voided_at = $1, voided_by = $2, void_reason = $3
         where donation_id = $4 and status = $5 and voided_at is null",
    )
    .bind(time::now())
    .bind(actor.map(|u| u.account_id.0))
    .bind(reason.as_str())
    .bind(d.donation_id)
    .bind(d.status.as_str())
    .execute(&mut *tx)
    .await?;
    if changed.rows_affected() != 1 {
        return Err(AppError::state(
            "รายการนี้เพิ่งถูกแก้ไขโดยผู้อื่น กรุณาโหลดหน้าใหม่",
            "Someone changed this donation meanwhile; reload the page.",
        ));
    }
    if status == DonationStatus::Received {
        let channel = d.channel()?;
        ledger::post_void(
            &mut tx,
            d.campaign(),
            d.id(),
            d.donor(),
            d.amount(),
            channel,
            &reason,
        )
        .await?;
        if let Some(batch) = d.batch() {
            super::batches::take_out(&mut tx, batch, d.amount()).await?;
        }
    } else {
        sqlx::query(
            "update campaign_fund set pledged_count = pledged_count - 1 where campaign_id = $1",
        )
        .bind(d.campaign_id)
        .execute(&mut *tx)
        .await?;
    }
    let detail = format!("{} of {} voided: {reason}", status.code(), d.amount());
    audit_event(&mut tx, actor, "donation_voided", &d.reference_code, detail).await?;
    tx.commit().await?;
    Ok(())
}

#[derive(sqlx::FromRow)]
struct CampaignMoney {
    title_th: String,
    title_en: Option<String>,
    status: String,
    promptpay_id: Option<String>,
    bank_name: Option<String>,
    bank_account_no: Option<String>,
    bank_account_name: Option<String>,
    raised_satang: i64,
    recipient_name_th: Option<String>,
    recipient_name_en: Option<String>,
    recipient_tax_id: Option<String>,
    recipient_address: Option<String>,
}

async fn campaign_money(db: &Db, id: CampaignId) -> Result<CampaignMoney, AppError> {
    let row: Option<CampaignMoney> = sqlx::query_as(
        "select c.title_th, c.title_en, c.status, c.promptpay_id, c.bank_name, c.bank_account_no,
           c.bank_account_name, f.raised_satang, r.name_th as recipient_name_th,
           r.name_en as recipient_name_en, r.tax_id as recipient_tax_id, r.address_th as recipient_address
         from campaign c join campaign_fund f on f.campaign_id = c.campaign_id
         left join legal_recipient r on r.legal_recipient_id = c.legal_recipient_id
         where c.campaign_id = $1",
    )
    .bind(id.get())
    .fetch_optional(db.reader())
    .await?;
    row.ok_or(AppError::NotFound)
}

impl CampaignMoney {
    fn recipient(&self) -> Option<RecipientView> {
        let tax_id = self.recipient_tax_id.as_deref()?;
        Some(RecipientView {
            name: Localized::new(
                self.recipient_name_th.clone().unwrap_or_default(),
                self.recipient_name_en.clone().unwrap_or_default(),
            ),
            tax_id: NationalId::parse(tax_id).map_or_else(|_| tax_id.to_owned(), |i| i.formatted()),
            address: self.recipient_address.clone(),
        })
    }

    fn title(&self) -> Localized {
        Localized::new(
            self.title_th.clone(),
            self.title_en.clone().unwrap_or_default(),
        )
    }
}

/// What a reference code shows. Finance officers also see the donor's private details.
pub async fn view(
    db: &Db,
    actor: Option<&CurrentUser>,
    reference: &str,
) -> Result<DonationView, AppError> {
    let reference = normalise_reference(reference).ok_or(AppError::NotFound)?;
    let d = rows::by_reference(db, &reference)
        .await?
        .ok_or(AppError::NotFound)?;
    let c = campaign_money(db, d.campaign()).await?;
    let status = d.status()?;
    let finance = super::accounts::require(actor, Action::RecordDonation).is_ok();
    let national_id = d
        .national_id
        .as_deref()
        .and_then(|i| NationalId::parse(i).ok());
    let receipt = receipt_of(db, &d).await?;
    let promptpay = (status == DonationStatus::Pledged)
        .then(|| payment(&c, d.amount()))
        .flatten();
    let bank = match (&c.bank_name, &c.bank_account_no, &c.bank_account_name) {
        (Some(bank), Some(number), Some(name)) if status == DonationStatus::Pledged => {
            Some(BankAccount {
                bank: bank.clone(),
                number: number.clone(),
                name: name.clone(),
            })
        }
        _ => None,
    };
    let in_kind: Vec<(String, Option<String>, i64)> = sqlx::query_as(
        "select e.name_th, e.name_en, i.quantity from donation_item i
         join equipment_item e on e.equipment_item_id = i.equipment_item_id where i.donation_id = $1",
    )
    .bind(d.donation_id)
    .fetch_all(db.reader())
    .await?;
    Ok(DonationView {
        reference: d.reference_code.clone(),
        campaign_id: d.campaign(),
        campaign_title: c.title(),
        campaign_status: CampaignStatus::from_code(&c.status).unwrap_or(CampaignStatus::Closed),
        status,
        channel: d.channel()?,
        amount: d.amount(),
        donor_name: d.display_name.clone(),
        national_id: national_id
            .as_ref()
            .map(|i| if finance { i.formatted() } else { i.masked() }),
        created_at: time::parse_instant(&d.created_at)?,
        received_at: d
            .received_at
            .as_deref()
            .map(time::parse_instant)
            .transpose()?,
        voided_at: d
            .voided_at
            .as_deref()
            .map(time::parse_instant)
            .transpose()?,
        void_reason: d.void_reason.clone(),
        receipt,
        in_kind: in_kind
            .into_iter()
            .map(|(th, en, q)| (Localized::new(th, en.unwrap_or_default()), q))
            .collect(),
        promptpay,
        bank,
        trail: trail(db, d.campaign(), Money::from_satang(c.raised_satang)).await?,
        private: finance.then(|| DonorPrivate {
            national_id: national_id.as_ref().map(NationalId::formatted),
            phone: d.phone.clone(),
            email: d.email.clone(),
            note: d.note.clone(),
        }),
    })
}

async fn receipt_of(db: &Db, d: &DonationRecord) -> Result<Option<ReceiptView>, AppError> {
    type Row = (
        i64,
        i64,
        String,
        String,
        Option<String>,
        String,
        Option<String>,
    );
    // The receipt's own recipient, whatever the campaign names today.
    let row: Option<Row> = sqlx::query_as(
        "select r.fiscal_year, r.number, r.issued_at, l.name_th, l.name_en, l.tax_id, l.address_th
         from receipt r join legal_recipient l on l.legal_recipient_id = r.legal_recipient_id
         where r.donation_id = $1",
    )
    .bind(d.donation_id)
    .fetch_optional(db.reader())
    .await?;
    let Some((year, number, issued_at, name_th, name_en, tax_id, address)) = row else {
        return Ok(None);
    };
    let recipient = RecipientView {
        name: Localized::new(name_th, name_en.unwrap_or_default()),
        tax_id: NationalId::parse(&tax_id).map_or(tax_id, |i| i.formatted()),
        address,
    };
    let received_at = d
        .received_at
        .as_deref()
        .map(time::parse_instant)
        .transpose()?;
    Ok(Some(ReceiptView {
        number: ReceiptNumber {
            fiscal_year: i32::try_from(year).unwrap_or_default(),
            number,
        },
        recipient,
        received_on: received_at.map_or_else(super::today, bangkok_date),
        issued_at: time::parse_instant(&issued_at)?,
        voided: d.status == "voided",
    }))
}

fn payment(c: &CampaignMoney, amount: Money) -> Option<PromptPayPayment> {
    let id = c.promptpay_id.as_deref()?;
    let target = PromptPayTarget::from_id(id)?;
    let payload = promptpay::payload(&target, Some(amount));
    let qr = super::qr::svg(&payload)?;
    let payee = c
        .bank_account_name
        .clone()
        .or_else(|| c.recipient_name_th.clone())
        .unwrap_or_else(|| c.title_th.clone());
    Some(PromptPayPayment {
        payee,
        promptpay_id: mask_promptpay_id(id),
        payload,
        qr,
    })
}

/// The PromptPay payload of a pledge, for its PNG.
pub async fn pledge_payload(db: &Db, reference: &str) -> Result<String, AppError> {
    let reference = normalise_reference(reference).ok_or(AppError::NotFound)?;
    let d = rows::by_reference(db, &reference)
        .await?
        .ok_or(AppError::NotFound)?;
    let c = campaign_money(db, d.campaign()).await?;
    if d.status()? != DonationStatus::Pledged {
        return Err(AppError::NotFound);
    }
    payment(&c, d.amount())
        .map(|p| p.payload)
        .ok_or(AppError::NotFound)
}

/// Where the campaign's money went. Spending is the journal's `equipment_spent` account, which
/// purchases will post to; the purchase list arrives with them.
async fn trail(db: &Db, campaign: CampaignId, raised: Money) -> Result<MoneyTrail, AppError> {
    let (spent,): (i64,) = sqlx::query_as(
        "select cast(coalesce(sum(debit_satang) - sum(credit_satang), 0) as bigint) from journal_line
         where campaign_id = $1 and account = 'equipment_spent'",
    )
    .bind(campaign.get())
    .fetch_one(db.reader())
    .await?;
    Ok(MoneyTrail {
        raised,
        spent: Money::from_satang(spent),
        purchases: Vec::new(),
    })
}

/// The moving part of a public campaign page: totals from the fund aggregate and recent gifts.
pub async fn live(db: &Db, id: CampaignId) -> Result<CampaignLive, AppError> {
    let row: Option<(i64, i64, i64, i64)> = sqlx::query_as(
        "select c.goal_satang, f.raised_satang, f.donor_count, f.donation_count
         from campaign c join campaign_fund f on f.campaign_id = c.campaign_id
         where c.campaign_id = $1 and c.status <> 'draft'",
    )
    .bind(id.get())
    .fetch_optional(db.reader())
    .await?;
    let (goal, raised, donors, count) = row.ok_or(AppError::NotFound)?;
    Ok(CampaignLive {
        goal: Money::from_satang(goal),
        raised: Money::from_satang(raised),
        donor_count: donors,
        donation_count: count,
        recent: super::db::campaign::recent_donations(db, id).await?,
    })
}

/// A campaign's money page for finance officers.
pub async fn finance_campaign(
    db: &Db,
    actor: Option<&CurrentUser>,
    id: CampaignId,
) -> Result<FinanceCampaign, AppError> {
    require(actor, Action::RecordDonation)?;
    let c = campaign_money(db, id).await?;
    let status = CampaignStatus::from_code(&c.status).unwrap_or(CampaignStatus::Draft);
    if status == CampaignStatus::Draft {
        return Err(AppError::NotFound);
    }
    let (in_kind, donations, donors, pledged): (i64, i64, i64, i64) = sqlx::query_as(
        "select in_kind_satang, donation_count, donor_count, pledged_count from campaign_fund where campaign_id = $1",
    )
    .bind(id.get())
    .fetch_one(db.reader())
    .await?;
    Ok(FinanceCampaign {
        id,
        title: c.title(),
        status,
        raised: Money::from_satang(c.raised_satang),
        in_kind: Money::from_satang(in_kind),
        donation_count: donations,
        donor_count: donors,
        pledged_count: pledged,
        recipient: c.recipient(),
        pledges: rows::list(db, ListOf::Pledges(id)).await?,
        recent: rows::list(db, ListOf::Recent(id)).await?,
        batches: super::batches::of_campaign(db, id).await?,
        form_key: idempotency::form_key(),
    })
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
