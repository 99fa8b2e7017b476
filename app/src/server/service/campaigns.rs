//! Campaigns, managed by administrators: drafts created (idempotently) and edited, opened and
//! closed, their wishlist, partners and hospitals. Every edit is audited with each changed
//! field's value before and after.
//!
//! A campaign's receiving account (PromptPay ID and bank account) is edited freely only while it
//! is a draft. Once donors can see it, it changes only through a request that a finance officer
//! approves ([`payee`]), so a payee can never be swapped quietly under waiting pledges. Its
//! bill-payment Biller ID decides where pledges' QR codes pay too, and pledges do not keep it, so
//! it is set while the campaign is a draft and then stays.

mod parse;
pub mod payee;

pub use parse::ValidCampaign;

use super::hospitals::create_key;
use super::{ledger, Caller};
use crate::error::{AppError, FieldError};
use crate::model::account::Action;
use crate::model::admin::{can_move, CampaignInput};
use crate::model::status::CampaignStatus;
use crate::model::{CampaignId, EquipmentItemId, PartnerId};
use crate::server::audit::{record, Event};
use crate::server::db::campaign::{self, admin};
use crate::server::db::{catalog, hospital, partner, Db};
use crate::server::idempotency::{self, Claim};
use parse::{campaign_changes, changed_payee_fields, payee_of};

/// Creates a campaign as a draft, once per idempotency key.
pub async fn create_campaign(
    db: &Db,
    caller: &Caller,
    input: &CampaignInput,
) -> Result<CampaignId, AppError> {
    caller.require(Action::ManageCampaigns)?;
    let key = create_key("campaign", caller, &input.idempotency_key)?;
    let valid = ValidCampaign::parse(input)?;
    let c = valid.as_new();
    let hash = idempotency::fingerprint(&(c, valid.biller_id()))?;
    let mut tx = db.begin().await?;
    if let Claim::Replay(answer) = idempotency::claim(&mut tx, &key, &hash).await? {
        return Ok(answer);
    }
    let id = campaign::insert(&mut tx, c).await?;
    if let Some(biller) = valid.biller_id() {
        admin::set_biller_id(&mut tx, id, Some(biller)).await?;
    }
    if c.promptpay_id.is_some() {
        // PromptPay pledges get a unique satang tail by default (see the README).
        campaign::set_pledge_tail(&mut tx, id, true).await?;
    }
    let detail = format!("{} (draft), goal {}", c.title.th, c.goal);
    let event = Event::by(caller, "campaign_created", "campaign", id.get(), detail);
    record(&mut tx, &event).await?;
    idempotency::store(&mut tx, &key, &id).await?;
    tx.commit().await?;
    Ok(id)
}

/// Edits a campaign's fields (its status changes separately). A public campaign's receiving
/// account is refused here (it changes by approved request), and so is a new legal recipient
/// once receipts exist in the old one's name.
pub async fn update_campaign(
    db: &Db,
    caller: &Caller,
    id: CampaignId,
    input: &CampaignInput,
) -> Result<(), AppError> {
    caller.require(Action::ManageCampaigns)?;
    let valid = ValidCampaign::parse(input)?;
    let after = valid.as_new();
    let mut tx = db.begin().await?;
    // The campaign row stays locked until commit (PostgreSQL), so a receipt issued meanwhile
    // (which reads the row `for share`) either committed before the count below or waits.
    let before = admin::lock(&mut tx, id).await?.ok_or(AppError::NotFound)?;
    let before_biller = admin::biller_id(&mut tx, id).await?;
    if before.status != CampaignStatus::Draft {
        let mut refused: Vec<FieldError> =
            changed_payee_fields(&payee_of(&before), &payee_of(after))
                .into_iter()
                .map(payee_needs_request)
                .collect();
        if before_biller.as_deref() != valid.biller_id() {
            refused.push(biller_stays());
        }
        if !refused.is_empty() {
            return Err(AppError::Validation(refused));
        }
    }
    let settled = before.status == CampaignStatus::Settled;
    if settled && !only_texts_differ(&before, after) {
        // Its money and scope are as they were settled; its words may still be corrected.
        return Err(ledger::settled());
    }
    let tax_id = |c: &campaign::NewCampaign| c.recipient.as_ref().map(|r| r.tax_id.clone());
    if tax_id(&before) != tax_id(after) && admin::receipt_count(&mut tx, id).await? > 0 {
        return Err(AppError::field(
            "recipient_tax_id",
            "กองผ้าป่านี้ออกใบเสร็จในนามผู้รับบริจาครายนี้แล้ว จึงเปลี่ยนผู้รับบริจาคไม่ได้",
            "Receipts have been issued in this recipient's name, so the recipient cannot change.",
        ));
    }
    admin::update(&mut tx, id, after).await?;
    admin::set_biller_id(&mut tx, id, valid.biller_id()).await?;
    if before.status == CampaignStatus::Draft
        && before.promptpay_id.is_none()
        && after.promptpay_id.is_some()
    {
        // A draft that gains its PromptPay ID gets the satang tail, as a new one would.
        campaign::set_pledge_tail(&mut tx, id, true).await?;
    }
    if settled && comparable(&before) != comparable(after) {
        admin::mark_edited_after_settlement(&mut tx, id).await?;
    }
    let detail = campaign_changes(&before, before_biller.as_deref(), &valid);
    let event = Event::by(caller, "campaign_updated", "campaign", id.get(), detail);
    record(&mut tx, &event).await?;
    tx.commit().await?;
    Ok(())
}

/// Whether two versions of a campaign differ only in its words (titles, story, the ceremony's
/// date and place): what may still be corrected once its books are settled.
fn only_texts_differ(before: &campaign::NewCampaign, after: &campaign::NewCampaign) -> bool {
    let scope = |c: &campaign::NewCampaign| campaign::NewCampaign {
        title: Default::default(),
        story: Default::default(),
        ceremony_on: None,
        ceremony_place: None,
        ..comparable(c)
    };
    scope(before) == scope(after)
}

/// A campaign's stored fields an edit can change (its status and demo mark change otherwise).
fn comparable(c: &campaign::NewCampaign) -> campaign::NewCampaign {
    campaign::NewCampaign {
        status: CampaignStatus::Draft,
        is_demo: false,
        ..c.clone()
    }
}

/// Refuses a change to a settled campaign's scope (wishlist, hospitals, partners); drafts and
/// unknown campaigns pass to the caller's own checks.
async fn scope_open(tx: &mut crate::server::db::Tx, id: CampaignId) -> Result<(), AppError> {
    match ledger::books_open(tx, id).await {
        Ok(_) | Err(AppError::NotFound) => Ok(()),
        Err(e) => Err(e),
    }
}

fn payee_needs_request(field: &str) -> FieldError {
    FieldError::new(
        field,
        "กองผ้าป่าที่เผยแพร่แล้วเปลี่ยนบัญชีรับเงินได้โดยยื่นคำขอเปลี่ยนบัญชี ซึ่งเจ้าหน้าที่การเงินต้องอนุมัติ",
        "A published campaign's receiving account changes only through a change request that a finance officer approves.",
    )
}

fn biller_stays() -> FieldError {
    FieldError::new(
        "biller_id",
        "Biller ID กำหนดได้เฉพาะขณะเป็นฉบับร่าง เมื่อเผยแพร่แล้วเปลี่ยนไม่ได้ เพราะคิวอาร์โค้ดของผู้ที่แจ้งบริจาคไว้จะชำระไปยัง Biller ID ใหม่",
        "A Biller ID is set only while the campaign is a draft: once published it cannot change, since waiting pledges' QR codes would pay the new one.",
    )
}

/// Opens a draft (administrators) or closes an open campaign (administrators, finance officers).
pub async fn set_campaign_status(
    db: &Db,
    caller: &Caller,
    id: CampaignId,
    to: CampaignStatus,
) -> Result<(), AppError> {
    caller.require(if to == CampaignStatus::Closed {
        Action::CloseCampaign
    } else {
        Action::ManageCampaigns
    })?;
    let mut tx = db.begin().await?;
    let current = admin::lock(&mut tx, id).await?.ok_or(AppError::NotFound)?;
    let from = current.status;
    if !can_move(from, to) {
        return Err(AppError::Conflict(format!(
            "a {} campaign cannot become {}",
            from.code(),
            to.code()
        )));
    }
    if to == CampaignStatus::Open && current.recipient.is_none() {
        return Err(AppError::field(
            "recipient_tax_id",
            "กรุณาระบุผู้รับบริจาคตามกฎหมาย (ชื่อและเลขประจำตัวผู้เสียภาษี) ก่อนเปิดรับบริจาค เพื่อออกใบเสร็จได้",
            "Set the legal recipient (name and tax ID) before opening, so receipts can be issued.",
        ));
    }
    if !admin::move_status(&mut tx, id, from, to).await? {
        return Err(AppError::Conflict(
            "the campaign changed meanwhile; reload and try again".into(),
        ));
    }
    let detail = format!("{} → {}", from.code(), to.code());
    let event = Event::by(caller, "campaign_status", "campaign", id.get(), detail);
    record(&mut tx, &event).await?;
    tx.commit().await?;
    Ok(())
}

/// Sets how many of an item the campaign raises money for; 0 takes the line off the wishlist.
pub async fn set_wishlist(
    db: &Db,
    caller: &Caller,
    id: CampaignId,
    item: EquipmentItemId,
    quantity: i64,
) -> Result<(), AppError> {
    caller.require(Action::ManageCampaigns)?;
    if !(0..=10_000).contains(&quantity) {
        return Err(AppError::field(
            "quantity",
            "จำนวนต้องอยู่ระหว่าง 0 ถึง 10,000",
            "The quantity must be 0 to 10,000.",
        ));
    }
    let mut tx = db.begin().await?;
    scope_open(&mut tx, id).await?;
    if !admin::exists(&mut tx, id).await? || !catalog::exists(&mut tx, item).await? {
        return Err(AppError::NotFound);
    }
    let before = admin::wishlist_quantity(&mut tx, id, item).await?;
    admin::set_wishlist(&mut tx, id, item, quantity).await?;
    let detail = format!("item {}: {} → {quantity}", item.get(), before.unwrap_or(0));
    let event = Event::by(caller, "wishlist_changed", "campaign", id.get(), detail);
    record(&mut tx, &event).await?;
    tx.commit().await?;
    Ok(())
}

/// Adds or removes a hospital the campaign serves.
pub async fn set_campaign_hospital(
    db: &Db,
    caller: &Caller,
    id: CampaignId,
    facility_code: &str,
    served: bool,
) -> Result<(), AppError> {
    caller.require(Action::ManageCampaigns)?;
    let code = facility_code.trim();
    let mut tx = db.begin().await?;
    scope_open(&mut tx, id).await?;
    let Some(hospital) = hospital::id_of(&mut *db.reader().acquire().await?, code).await? else {
        return Err(AppError::field(
            "facility_code",
            "ไม่พบหน่วยบริการรหัสนี้",
            "No hospital has this facility code.",
        ));
    };
    if !admin::exists(&mut tx, id).await? {
        return Err(AppError::NotFound);
    }
    admin::set_hospital(&mut tx, id, hospital, served).await?;
    let detail = format!(
        "hospital {code}: {}",
        if served { "added" } else { "removed" }
    );
    let event = Event::by(caller, "campaign_hospitals", "campaign", id.get(), detail);
    record(&mut tx, &event).await?;
    tx.commit().await?;
    Ok(())
}

/// Adds or removes an organising partner.
pub async fn set_campaign_partner(
    db: &Db,
    caller: &Caller,
    id: CampaignId,
    partner_id: PartnerId,
    organiser: bool,
) -> Result<(), AppError> {
    caller.require(Action::ManageCampaigns)?;
    let mut tx = db.begin().await?;
    scope_open(&mut tx, id).await?;
    if !admin::exists(&mut tx, id).await? || !partner::exists(&mut tx, partner_id).await? {
        return Err(AppError::NotFound);
    }
    admin::set_partner(&mut tx, id, partner_id, organiser).await?;
    let detail = format!(
        "partner {}: {}",
        partner_id.get(),
        if organiser { "added" } else { "removed" }
    );
    let event = Event::by(caller, "campaign_partners", "campaign", id.get(), detail);
    record(&mut tx, &event).await?;
    tx.commit().await?;
    Ok(())
}
