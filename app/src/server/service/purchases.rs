//! Purchases from a campaign's fund: finance officers record them, a second finance officer
//! approves those above the campaign's threshold, and a mistake is voided with a reversing entry
//! while none of the purchase's units has left stock. Receiving a purchase turns its lines into
//! tagged units.
//!
//! The money rule: a purchase never spends more than the campaign's available balance (cash
//! received − spent − held for purchases awaiting approval). The check and the spending are one
//! conditional update of `campaign_fund` inside the purchase's transaction
//! (`campaign_fund::spend`), so racing purchases can never both take the same baht on either
//! engine. A purchase cannot be split under the second approver either: an invoice is recorded
//! once per campaign and vendor, and the threshold applies to the vendor's 30-day total
//! (`model::procurement`).
//!
//! Longer than most files: a purchase's whole life (record, approve, void, receive) around one
//! money rule, kept together so every path that spends or gives back a campaign's money reads in
//! one place.

use super::donations::caller_key;
use super::ledger::{self, Spending, Take};
use super::Caller;
use crate::error::AppError;
use crate::model::account::Action;
use crate::model::equipment::{
    over_reference, reason, FundBalance, NewPurchase, PurchaseInput, PurchaseView, ReceiveInput,
};
use crate::model::form::FieldErrors;
use crate::model::procurement::{needs_second_approval, SPLIT_WINDOW_DAYS};
use crate::model::status::{PurchaseStatus, UnitStatus};
use crate::model::{CampaignId, Money, PurchaseId};
use crate::server::audit::{self, Event};
use crate::server::db::purchase::{self, PurchaseRow};
use crate::server::db::unit::{self, Source};
use crate::server::db::{campaign_fund, Db, Tx};
use crate::server::idempotency::{self, Claim};
use sqlx::AnyConnection;

async fn audit_purchase(
    tx: &mut Tx,
    caller: &Caller,
    action: &str,
    id: PurchaseId,
    detail: String,
) -> Result<(), AppError> {
    audit::record(tx, &Event::by(caller, action, "purchase", id, detail)).await?;
    Ok(())
}

async fn load(tx: &mut Tx, id: PurchaseId) -> Result<PurchaseRow, AppError> {
    purchase::by_id(tx, id).await?.ok_or(AppError::NotFound)
}

/// A campaign whose books are open (open or closed, not settled). An unknown campaign is a
/// field error on the form.
async fn spending_campaign(tx: &mut Tx, id: CampaignId) -> Result<(), AppError> {
    match ledger::books_open(tx, id).await {
        Ok(_) => Ok(()),
        Err(AppError::NotFound) => Err(AppError::field(
            "campaign_id",
            "ไม่พบกองผ้าป่านี้",
            "There is no such campaign.",
        )),
        Err(e) => Err(e),
    }
}

/// The books' view of a purchase's money.
fn spending<'a>(p: &PurchaseRow, memo: &'a str) -> Spending<'a> {
    Spending {
        campaign: p.campaign(),
        purchase: p.id(),
        amount: p.total(),
        memo,
    }
}

fn memo(p: &PurchaseRow) -> String {
    format!("{} {}", p.vendor_name, p.invoice_no)
}

/// A campaign's money for the purchase desk (finance officers).
pub async fn balance(
    db: &Db,
    caller: &Caller,
    campaign: CampaignId,
) -> Result<FundBalance, AppError> {
    caller.require(Action::Purchase)?;
    let (received, spent, committed, threshold) =
        campaign_fund::balance(&mut *db.reader().acquire().await?, campaign)
            .await?
            .ok_or(AppError::NotFound)?;
    Ok(FundBalance {
        received: Money::from_satang(received),
        spent: Money::from_satang(spent),
        committed: Money::from_satang(committed),
        second_approval_above: Money::from_satang(threshold),
    })
}

/// A campaign's two-person threshold: administrators (who set it) and finance officers.
pub async fn threshold(db: &Db, caller: &Caller, campaign: CampaignId) -> Result<Money, AppError> {
    if caller.require(Action::Purchase).is_err() {
        caller.require(Action::ManageCampaigns)?;
    }
    let (_, _, _, threshold) = campaign_fund::balance(&mut *db.reader().acquire().await?, campaign)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(Money::from_satang(threshold))
}

/// Sets the total above which a campaign's purchases need a second finance officer
/// (administrators only, so the people it binds do not set it). Audited with before and after.
pub async fn set_threshold(
    db: &Db,
    caller: &Caller,
    campaign: CampaignId,
    amount: &str,
) -> Result<(), AppError> {
    caller.require(Action::ManageCampaigns)?;
    let amount = Money::parse_non_negative(amount).map_err(|e| {
        AppError::field(
            "amount",
            e.message(crate::model::Lang::Th),
            e.message(crate::model::Lang::En),
        )
    })?;
    let mut tx = db.begin().await?;
    let before = campaign_fund::threshold(&mut tx, campaign)
        .await?
        .ok_or(AppError::NotFound)?;
    // Drafts (which the guard hides as not found) may be set; settled books may not.
    match ledger::books_open(&mut tx, campaign).await {
        Ok(_) | Err(AppError::NotFound) => {}
        Err(e) => return Err(e),
    }
    campaign_fund::set_threshold(&mut tx, campaign, amount).await?;
    let detail = format!(
        "second approval above: {} → {amount}",
        Money::from_satang(before)
    );
    audit::record(
        &mut tx,
        &Event::by(
            caller,
            "purchase_threshold_changed",
            "campaign",
            campaign,
            detail,
        ),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Records a purchase. At or below the campaign's threshold it takes effect at once (its money
/// is spent and posted); above it, its total is held until a second finance officer approves.
/// Idempotent by the form's key.
pub async fn record(
    db: &Db,
    caller: &Caller,
    input: &PurchaseInput,
) -> Result<PurchaseId, AppError> {
    let user = caller.require(Action::Purchase)?;
    let new = NewPurchase::parse(input).map_err(AppError::Validation)?;
    let mut e = FieldErrors::default();
    if new.invoice_date > crate::server::today() {
        e.add(
            "invoice_date",
            "วันที่ในใบแจ้งหนี้ต้องไม่เป็นวันในอนาคต",
            "The invoice date cannot be in the future.",
        );
    } else if new.invoice_date < chrono::NaiveDate::from_ymd_opt(2000, 1, 1).unwrap_or_default() {
        e.add(
            "invoice_date",
            "วันที่ในใบแจ้งหนี้เก่าเกินไป ตรวจสอบปี (ค.ศ. หรือ พ.ศ.)",
            "The invoice date is too far back; check the year.",
        );
    }
    let key = idempotency::scoped("purchase", &caller_key(caller), &input.idempotency_key);
    let hash = idempotency::fingerprint(&new)?;
    let mut tx = db.begin().await?;
    if let Claim::Replay(answer) = idempotency::claim(&mut tx, &key, &hash).await? {
        return Ok(answer);
    }
    spending_campaign(&mut tx, new.campaign).await?;
    let items: Vec<_> = new.lines.iter().map(|l| l.item).collect();
    let prices = purchase::reference_prices(&mut tx, &items).await?;
    for line in &new.lines {
        match prices.iter().find(|(item, _)| *item == line.item) {
            None => e.add(
                &line.field("item"),
                "ไม่พบครุภัณฑ์นี้ในรายการ",
                "This item is not in the catalog.",
            ),
            Some((_, reference)) if over_reference(line.unit_price, *reference) => {
                let written = line.justification.as_deref().unwrap_or("");
                if written.chars().count() < crate::model::equipment::MIN_REASON {
                    e.add(
                        &line.field("justification"),
                        format!(
                            "ราคาต่อหน่วยสูงกว่าราคากลาง ({}) เกิน 20% กรุณาเขียนเหตุผล",
                            reference
                        ),
                        format!(
                            "The unit price is more than 20% above the reference price ({reference}); write why."
                        ),
                    );
                }
            }
            Some(_) => {}
        }
    }
    let tax_id = new.vendor_tax_id.as_deref();
    if purchase::with_invoice(
        &mut tx,
        new.campaign,
        &new.vendor_name,
        tax_id,
        &new.invoice_no,
    )
    .await?
    .is_some()
    {
        e.add(
            "invoice_no",
            "ใบแจ้งหนี้เลขนี้ของผู้ขายรายนี้บันทึกในกองผ้าป่านี้แล้ว ถ้าเป็นการซื้อเดียวกัน อย่าบันทึกซ้ำ ถ้าบันทึกผิด ให้ยกเลิกรายการเดิมก่อน",
            "This vendor's invoice with this number is already recorded in this campaign. If it is the same purchase, do not record it twice; if the first was wrong, void it first.",
        );
    }
    e.finish()?;
    // One purchase at a time per campaign from here: the vendor's total read below then
    // includes any purchase that committed just before.
    campaign_fund::lock(&mut tx, new.campaign).await?;
    let threshold = campaign_fund::threshold(&mut tx, new.campaign)
        .await?
        .ok_or(AppError::NotFound)?;
    let since = chrono::Utc::now() - chrono::Duration::days(SPLIT_WINDOW_DAYS);
    let earlier = purchase::vendor_total(
        &mut tx,
        new.campaign,
        &new.vendor_name,
        tax_id,
        since,
        new.invoice_date,
    )
    .await?;
    let vendor_total = Money::from_satang(earlier.satang() + new.total.satang());
    let hold = needs_second_approval(vendor_total, Money::from_satang(threshold));
    // Said on the purchase when the vendor's total, not this purchase alone, made it wait.
    let vendor_window = (hold && earlier != Money::ZERO).then_some(vendor_total);
    let take = if hold { Take::Hold } else { Take::Spend };
    if !ledger::take(&mut tx, new.campaign, new.total, take).await? {
        let available = campaign_fund::available(&mut tx, new.campaign).await?;
        return Err(AppError::field(
            "total",
            &format!(
                "ยอดซื้อ {} เกินยอดเงินที่ใช้ได้ของกองผ้าป่านี้ ({})",
                new.total, available
            ),
            &format!(
                "The purchase's total {} is more than the campaign's available balance ({available}).",
                new.total
            ),
        ));
    }
    let status = if hold {
        PurchaseStatus::AwaitingApproval
    } else {
        PurchaseStatus::Approved
    };
    let id = match purchase::insert(&mut tx, &new, status, user.account_id, vendor_window).await {
        Ok(id) => id,
        Err(e)
            if crate::server::db::is_unique_violation(&e, "purchase", "invoice")
                || crate::server::db::is_unique_violation(&e, "purchase", "tax_invoice") =>
        {
            return Err(AppError::field(
                "invoice_no",
                "ใบแจ้งหนี้เลขนี้ของผู้ขายรายนี้เพิ่งถูกบันทึกในกองผ้าป่านี้",
                "This vendor's invoice with this number was just recorded in this campaign.",
            ));
        }
        Err(e) => return Err(e.into()),
    };
    if status == PurchaseStatus::Approved {
        let row = load(&mut tx, id).await?;
        ledger::post_spending(&mut tx, spending(&row, &memo(&row))).await?;
    }
    idempotency::store(&mut tx, &key, &id).await?;
    let detail = format!(
        "{} from {} ({}), {} lines, {}",
        new.total,
        new.vendor_name,
        new.invoice_no,
        new.lines.len(),
        status.code()
    );
    audit_purchase(&mut tx, caller, "purchase_recorded", id, detail).await?;
    tx.commit().await?;
    Ok(id)
}

/// The second approval of a purchase above the threshold: a finance officer who did not record
/// it. Its held total becomes spent and is posted.
pub async fn approve(db: &Db, caller: &Caller, id: PurchaseId) -> Result<(), AppError> {
    let user = caller.require(Action::Purchase)?;
    let mut tx = db.begin().await?;
    let row = load(&mut tx, id).await?;
    if row.recorded_by == user.account_id.0 {
        return Err(AppError::Forbidden);
    }
    if row.status()? != PurchaseStatus::AwaitingApproval {
        return Err(AppError::state(
            "รายการซื้อนี้ไม่ได้รออนุมัติแล้ว",
            "This purchase is no longer awaiting approval.",
        ));
    }
    spending_campaign(&mut tx, row.campaign()).await?;
    if !purchase::approve(&mut tx, id, user.account_id).await? {
        return Err(AppError::state(
            "รายการซื้อนี้ถูกอนุมัติหรือยกเลิกไปแล้ว",
            "This purchase was approved or voided meanwhile.",
        ));
    }
    ledger::spend_held(&mut tx, spending(&row, &memo(&row))).await?;
    purchase::event(
        &mut tx,
        id,
        "approved",
        PurchaseStatus::Approved,
        None,
        user.account_id,
    )
    .await?;
    audit_purchase(
        &mut tx,
        caller,
        "purchase_approved",
        id,
        format!("{}", row.total()),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Voids a purchase with a written reason: allowed only while none of its units has left
/// stock. Spent money is given back by a visible reversing entry; held money is released.
pub async fn void(db: &Db, caller: &Caller, id: PurchaseId, why: &str) -> Result<(), AppError> {
    let user = caller.require(Action::Purchase)?;
    let mut e = FieldErrors::default();
    let why = reason(&mut e, "reason", why);
    e.finish()?;
    let mut tx = db.begin().await?;
    let row = load(&mut tx, id).await?;
    spending_campaign(&mut tx, row.campaign()).await?;
    let from = row.status()?;
    if from == PurchaseStatus::Voided {
        return Err(AppError::state(
            "รายการซื้อนี้ถูกยกเลิกไปแล้ว",
            "This purchase is already voided.",
        ));
    }
    // The purchase's row first: a receipt of it racing this void then either committed before
    // (and its units are seen below) or waits for this transaction.
    if !purchase::void(&mut tx, id, from, user.account_id, &why).await? {
        return Err(AppError::state(
            "รายการซื้อนี้เปลี่ยนสถานะไปแล้ว กรุณาโหลดหน้าใหม่",
            "This purchase changed meanwhile; reload the page.",
        ));
    }
    let Some(units) = unit::void_of_purchase(&mut tx, id).await? else {
        return Err(AppError::state(
            "ยกเลิกไม่ได้ เพราะครุภัณฑ์จากรายการซื้อนี้ออกจากคลังไปแล้ว",
            "This purchase cannot be voided: some of its units have left stock.",
        ));
    };
    let was = if from == PurchaseStatus::AwaitingApproval {
        Take::Hold
    } else {
        Take::Spend
    };
    ledger::void_spending(&mut tx, spending(&row, &why), was, &why).await?;
    for u in &units {
        unit::event(
            &mut tx,
            *u,
            "voided",
            UnitStatus::Voided,
            None,
            None,
            Some(&why),
            user.account_id,
        )
        .await?;
    }
    purchase::event(
        &mut tx,
        id,
        "voided",
        PurchaseStatus::Voided,
        Some(&why),
        user.account_id,
    )
    .await?;
    let detail = format!("{} voided ({} units): {why}", row.total(), units.len());
    audit_purchase(&mut tx, caller, "purchase_voided", id, detail).await?;
    tx.commit().await?;
    Ok(())
}

/// Receives an approved purchase: each line becomes that many units in stock, each with its
/// own asset tag, and the serial numbers typed (one per line of text, in unit order) are kept.
/// Answers the number of units.
pub async fn receive(db: &Db, caller: &Caller, input: &ReceiveInput) -> Result<i64, AppError> {
    let user = caller.require(Action::ManageStock)?;
    let serials: Vec<Option<String>> = input
        .serials
        .lines()
        .map(|s| {
            let s = s.trim();
            (!s.is_empty()).then(|| s.to_owned())
        })
        .collect();
    let mut e = FieldErrors::default();
    if serials.iter().flatten().any(|s| s.chars().count() > 100) {
        e.add(
            "serials",
            "หมายเลขเครื่องยาวได้ไม่เกิน 100 ตัวอักษร",
            "A serial number is at most 100 characters.",
        );
    }
    e.finish()?;
    let mut tx = db.begin().await?;
    let row = load(&mut tx, input.purchase_id).await?;
    spending_campaign(&mut tx, row.campaign()).await?;
    if row.status()? != PurchaseStatus::Approved || row.received_at.is_some() {
        return Err(AppError::state(
            "รับของได้เฉพาะรายการซื้อที่อนุมัติแล้วและยังไม่ได้รับ",
            "Only an approved purchase not yet received can be received.",
        ));
    }
    let lines = purchase::lines(&mut tx, row.id()).await?;
    let count: i64 = lines.iter().map(|l| l.quantity).sum();
    if serials.len() as i64 > count {
        return Err(AppError::field(
            "serials",
            &format!("มีหมายเลขเครื่องมากกว่าจำนวนชิ้น ({count})"),
            &format!("More serial numbers than units ({count})."),
        ));
    }
    if !purchase::receive(&mut tx, row.id(), user.account_id).await? {
        return Err(AppError::state(
            "รายการซื้อนี้ถูกรับของไปแล้ว",
            "This purchase was received meanwhile.",
        ));
    }
    let mut next = campaign_fund::next_tags(&mut tx, row.campaign(), count).await?;
    let mut serial_at = 0usize;
    for line in &lines {
        let n = line.quantity as usize;
        let costs = vec![line.unit_price; n];
        let end = (serial_at + n).min(serials.len());
        let these = serials.get(serial_at..end).unwrap_or(&[]);
        let source = Source::Purchase {
            purchase: row.id(),
            line_no: line.line_no,
        };
        unit::stock(
            &mut tx,
            row.campaign(),
            line.item_id,
            source,
            &costs,
            these,
            next,
            user.account_id,
        )
        .await?;
        serial_at += n;
        next += line.quantity;
    }
    purchase::event(
        &mut tx,
        row.id(),
        "received",
        PurchaseStatus::Approved,
        None,
        user.account_id,
    )
    .await?;
    audit_purchase(
        &mut tx,
        caller,
        "purchase_received",
        row.id(),
        format!("{count} units"),
    )
    .await?;
    tx.commit().await?;
    Ok(count)
}

async fn view(
    c: &mut AnyConnection,
    caller: &Caller,
    row: PurchaseRow,
) -> Result<PurchaseView, AppError> {
    let me = caller.user().map(|u| u.account_id.0);
    let status = row.status()?;
    let lines = purchase::lines(c, row.id()).await?;
    let events = purchase::events(c, row.id()).await?;
    Ok(PurchaseView {
        id: row.id(),
        campaign_id: row.campaign(),
        total: row.total(),
        status,
        may_approve: status == PurchaseStatus::AwaitingApproval && me != Some(row.recorded_by),
        vendor_window: row.vendor_window_satang.map(Money::from_satang),
        vendor_name: row.vendor_name,
        vendor_tax_id: row.vendor_tax_id,
        invoice_no: row.invoice_no,
        invoice_date: row.invoice_date,
        recorded_by: row.recorded_by_name,
        approved_by: row.approved_by_name,
        received_at: row.received_at,
        void_reason: row.void_reason,
        units_out: row.units_out,
        lines,
        events,
    })
}

/// A campaign's purchases, newest first (finance officers).
pub async fn of_campaign(
    db: &Db,
    caller: &Caller,
    campaign: CampaignId,
) -> Result<Vec<PurchaseView>, AppError> {
    caller.require(Action::Purchase)?;
    let mut c = db.reader().acquire().await?;
    let mut out = Vec::new();
    for row in purchase::of_campaign(&mut c, campaign).await? {
        out.push(view(&mut c, caller, row).await?);
    }
    Ok(out)
}

/// One purchase (finance officers).
pub async fn detail(db: &Db, caller: &Caller, id: PurchaseId) -> Result<PurchaseView, AppError> {
    caller.require(Action::Purchase)?;
    let mut c = db.reader().acquire().await?;
    let row = purchase::by_id(&mut c, id)
        .await?
        .ok_or(AppError::NotFound)?;
    view(&mut c, caller, row).await
}
