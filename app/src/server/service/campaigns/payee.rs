//! Changing a published campaign's receiving account takes two people: an administrator asks,
//! and a finance officer who is not the one who asked approves (which applies the change in the
//! same transaction as its audit row) or rejects it with a reason. Requests are kept for good.

use super::parse::{payee_changes, payee_of, read_payee};
use crate::error::AppError;
use crate::model::account::Action;
use crate::model::admin::{PayeeChange, PayeeChangeStatus, PayeeInput};
use crate::model::form::FieldErrors;
use crate::model::status::CampaignStatus;
use crate::model::CampaignId;
use crate::server::audit::{record, Event};
use crate::server::db::campaign::{admin, payee_change};
use crate::server::db::{is_unique_violation, Db};
use crate::server::Caller;

/// Who decides on a request: those who handle the campaigns' money (finance officers).
const DECIDE: Action = Action::RecordDonation;

/// Asks for a new receiving account on a published campaign; the request's id.
pub async fn request_change(
    db: &Db,
    caller: &Caller,
    id: CampaignId,
    input: &PayeeInput,
) -> Result<i64, AppError> {
    let user = caller.require(Action::ManageCampaigns)?;
    let mut e = FieldErrors::default();
    let requested = read_payee(
        &mut e,
        [
            &input.promptpay_id,
            &input.bank_name,
            &input.bank_account_no,
            &input.bank_account_name,
        ],
    );
    let note = e.optional("note", &input.note, 500);
    e.finish()?;
    let mut tx = db.begin().await?;
    let campaign = admin::lock(&mut tx, id).await?.ok_or(AppError::NotFound)?;
    if campaign.status == CampaignStatus::Draft {
        return Err(AppError::state(
            "กองผ้าป่าฉบับร่างแก้บัญชีรับเงินได้โดยตรงในส่วนรายละเอียด",
            "A draft's receiving account is edited directly in its details.",
        ));
    }
    if campaign.status == CampaignStatus::Settled {
        return Err(crate::server::ledger::settled());
    }
    let current = payee_of(&campaign);
    if requested == current {
        return Err(AppError::field(
            "promptpay_id",
            "บัญชีที่ขอเหมือนบัญชีปัจจุบัน",
            "The requested account is the same as the current one.",
        ));
    }
    let request = match payee_change::insert(
        &mut tx,
        id,
        &requested,
        note.as_deref(),
        user.account_id,
    )
    .await
    {
        Err(e) if is_unique_violation(&e, "campaign_payee_change", "campaign_id") => {
            return Err(AppError::state(
                "มีคำขอเปลี่ยนบัญชีรับเงินของกองผ้าป่านี้รออนุมัติอยู่แล้ว",
                "A change of this campaign's receiving account is already waiting for approval.",
            ))
        }
        other => other?,
    };
    let detail = format!("request {request}: {}", payee_changes(&current, &requested));
    let event = Event::by(
        caller,
        "payee_change_requested",
        "campaign",
        id.get(),
        detail,
    );
    record(&mut tx, &event).await?;
    tx.commit().await?;
    Ok(request)
}

/// Every request waiting for a decision, for finance officers.
pub async fn pending(db: &Db, caller: &Caller) -> Result<Vec<PayeeChange>, AppError> {
    caller.require(DECIDE)?;
    Ok(payee_change::pending(&mut *db.reader().acquire().await?).await?)
}

/// Approves (applying the new account) or rejects (with a reason) a waiting request. The one who
/// asked can never decide.
pub async fn decide(
    db: &Db,
    caller: &Caller,
    request: i64,
    approve: bool,
    reason: &str,
) -> Result<(), AppError> {
    let user = caller.require(DECIDE)?;
    let mut e = FieldErrors::default();
    let reason = if approve {
        e.optional("reason", reason, 500)
    } else {
        Some(e.required("reason", reason, 500))
    };
    e.finish()?;
    let mut tx = db.begin().await?;
    // Campaign first, then the request: the order every writer of both takes, so two of them
    // can never wait on each other.
    let campaign_id = payee_change::campaign_of(&mut tx, request)
        .await?
        .ok_or(AppError::NotFound)?;
    let campaign = admin::lock(&mut tx, campaign_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let waiting = payee_change::lock(&mut tx, request)
        .await?
        .ok_or(AppError::NotFound)?;
    if approve && campaign.status == CampaignStatus::Settled {
        // A settled campaign's receiving account stays as it was settled; a waiting request
        // can still be rejected.
        return Err(crate::server::ledger::settled());
    }
    if waiting.status != PayeeChangeStatus::Pending {
        return Err(AppError::state(
            "คำขอนี้ได้รับการพิจารณาแล้ว",
            "This request has already been decided.",
        ));
    }
    if waiting.requested_by == user.account_id {
        return Err(AppError::state(
            "ผู้ยื่นคำขอพิจารณาคำขอของตนเองไม่ได้ ต้องให้เจ้าหน้าที่การเงินอีกคนพิจารณา",
            "Whoever asked for a change cannot decide it; another finance officer must.",
        ));
    }
    let to = if approve {
        PayeeChangeStatus::Approved
    } else {
        PayeeChangeStatus::Rejected
    };
    if !payee_change::decide(&mut tx, request, to, user.account_id, reason.as_deref()).await? {
        return Err(AppError::state(
            "คำขอนี้ได้รับการพิจารณาแล้ว",
            "This request has already been decided.",
        ));
    }
    let (action, detail) = if approve {
        payee_change::apply(&mut tx, campaign_id, &waiting.requested).await?;
        let changes = payee_changes(&payee_of(&campaign), &waiting.requested);
        (
            "payee_change_approved",
            format!("request {request}: {changes}"),
        )
    } else {
        let reason = reason.unwrap_or_default();
        (
            "payee_change_rejected",
            format!("request {request}: {reason}"),
        )
    };
    let event = Event::by(caller, action, "campaign", campaign_id.get(), detail);
    record(&mut tx, &event).await?;
    tx.commit().await?;
    Ok(())
}
