//! Equipment requests: hospital staff ask, on a campaign that serves their hospital, and may edit
//! or withdraw while the request is submitted; finance officers approve (possibly fewer units)
//! or reject, always with a reason the hospital sees. Nobody decides a request they made.
//!
//! Every function authorizes first, then reads the form, then works in one transaction with its
//! audit entry.

use super::donations::caller_key;
use super::ledger;
use super::Caller;
use crate::error::AppError;
use crate::model::account::Action;
use crate::model::request::{
    Decision, DecisionInput, NewRequest, PublicRequest, QueueFilter, RequestInput, RequestTerms,
    RequestView,
};
use crate::model::status::{Priority, RequestStatus};
use crate::model::{CampaignId, HospitalId, RequestId};
use crate::server::audit::{self, Event};
use crate::server::db::request::{self, RequestRow};
use crate::server::db::{Db, Tx};
use crate::server::idempotency::{self, Claim};

async fn audit_request(
    tx: &mut Tx,
    caller: &Caller,
    action: &str,
    id: RequestId,
    detail: String,
) -> Result<(), AppError> {
    audit::record(
        tx,
        &Event::by(caller, action, "equipment_request", id, detail),
    )
    .await?;
    Ok(())
}

fn signed_in(caller: &Caller) -> Result<(), AppError> {
    caller.user().map(|_| ()).ok_or(AppError::Unauthorized)
}

fn no_longer_submitted() -> AppError {
    AppError::state(
        "คำขอนี้ได้รับการพิจารณาหรือถอนแล้ว จึงเปลี่ยนแปลงไม่ได้",
        "This request has been decided or withdrawn, so it can no longer change.",
    )
}

fn changed_meanwhile() -> AppError {
    AppError::state(
        "คำขอนี้ถูกแก้ไขหรือพิจารณาไปแล้วหลังจากที่คุณเปิดหน้านี้ กรุณาโหลดหน้าใหม่แล้วพิจารณาอีกครั้ง",
        "This request changed or was decided after you opened the page; reload it and decide again.",
    )
}

async fn load(tx: &mut Tx, id: RequestId) -> Result<RequestRow, AppError> {
    request::by_id(tx, id).await?.ok_or(AppError::NotFound)
}

/// A hospital's request. Idempotent by the form's key: a double submit records one request.
pub async fn submit(db: &Db, caller: &Caller, input: &RequestInput) -> Result<RequestId, AppError> {
    let user = caller.require(Action::RequestEquipment(input.hospital_id))?;
    let new = NewRequest::parse(input).map_err(AppError::Validation)?;
    let key = idempotency::scoped("request", &caller_key(caller), &input.idempotency_key);
    let hash = idempotency::fingerprint(&new)?;
    let mut tx = db.begin().await?;
    if let Claim::Replay(answer) = idempotency::claim(&mut tx, &key, &hash).await? {
        return Ok(answer);
    }
    match ledger::books_open(&mut tx, new.campaign()).await {
        Ok(_) => {}
        Err(AppError::NotFound) => {
            return Err(AppError::field(
                "campaign_id",
                "ไม่พบกองผ้าป่านี้",
                "There is no such campaign.",
            ))
        }
        Err(e) => return Err(e),
    }
    if !request::campaign_serves(&mut tx, new.campaign(), new.hospital()).await? {
        return Err(AppError::field(
            "campaign_id",
            "กองผ้าป่านี้ไม่ได้ดูแลโรงพยาบาลของคุณ",
            "This campaign does not serve your hospital.",
        ));
    }
    if !request::item_exists(&mut tx, new.item()).await? {
        return Err(AppError::field(
            "item",
            "ไม่พบครุภัณฑ์นี้ในรายการ",
            "This item is not in the catalog.",
        ));
    }
    let id = request::insert(&mut tx, &new, user.account_id).await?;
    idempotency::store(&mut tx, &key, &id).await?;
    let t = new.terms();
    let detail = format!(
        "{} × item {} for hospital {} on campaign {} ({})",
        t.quantity(),
        new.item(),
        new.hospital(),
        new.campaign(),
        t.priority().code()
    );
    audit_request(&mut tx, caller, "request_submitted", id, detail).await?;
    tx.commit().await?;
    Ok(id)
}

/// Refuses (409) to change a request of a settled campaign: its books are closed.
async fn campaign_not_settled(tx: &mut Tx, campaign_id: i64) -> Result<(), AppError> {
    ledger::books_open(tx, CampaignId(campaign_id))
        .await
        .map(|_| ())
}

/// Changes a submitted request's quantity, need, reason or priority.
pub async fn edit(
    db: &Db,
    caller: &Caller,
    id: RequestId,
    input: &RequestInput,
) -> Result<(), AppError> {
    caller.require(Action::RequestEquipment(input.hospital_id))?;
    let terms = RequestTerms::parse(input).map_err(AppError::Validation)?;
    let mut tx = db.begin().await?;
    let row = load(&mut tx, id).await?;
    let user = caller.require(Action::RequestEquipment(row.hospital()))?;
    campaign_not_settled(&mut tx, row.campaign_id).await?;
    if !request::edit(&mut tx, id, &terms, user.account_id).await? {
        return Err(no_longer_submitted());
    }
    let detail = format!("quantity {}", terms.quantity());
    audit_request(&mut tx, caller, "request_edited", id, detail).await?;
    tx.commit().await?;
    Ok(())
}

/// Withdraws a submitted request; its hospital's staff only.
pub async fn withdraw(db: &Db, caller: &Caller, id: RequestId) -> Result<(), AppError> {
    signed_in(caller)?;
    let mut tx = db.begin().await?;
    let row = load(&mut tx, id).await?;
    let user = caller.require(Action::RequestEquipment(row.hospital()))?;
    campaign_not_settled(&mut tx, row.campaign_id).await?;
    let withdrawn = request::settle(
        &mut tx,
        id,
        &row.updated_at,
        RequestStatus::Withdrawn,
        None,
        "",
        user.account_id,
    )
    .await?;
    if !withdrawn {
        return Err(no_longer_submitted());
    }
    audit_request(&mut tx, caller, "request_withdrawn", id, String::new()).await?;
    tx.commit().await?;
    Ok(())
}

/// A finance officer approves (up to the quantity asked) or rejects a submitted request.
pub async fn decide(db: &Db, caller: &Caller, input: &DecisionInput) -> Result<(), AppError> {
    let user = caller.require(Action::DecideRequest)?;
    let decision = Decision::parse(input).map_err(AppError::Validation)?;
    let mut tx = db.begin().await?;
    let row = load(&mut tx, input.request_id).await?;
    if row.requested_by == user.account_id.0 {
        return Err(AppError::Forbidden);
    }
    campaign_not_settled(&mut tx, row.campaign_id).await?;
    if row.status()? != RequestStatus::Submitted {
        return Err(no_longer_submitted());
    }
    if input.seen != row.updated_at {
        return Err(changed_meanwhile());
    }
    let (to, quantity, reason) = match &decision {
        Decision::Approve { quantity, reason } => {
            let quantity = quantity.unwrap_or(row.quantity);
            if quantity > row.quantity {
                return Err(AppError::field(
                    "quantity",
                    &format!("อนุมัติได้ไม่เกินจำนวนที่ขอ ({})", row.quantity),
                    &format!("At most the quantity asked for ({}).", row.quantity),
                ));
            }
            (RequestStatus::Approved, Some(quantity), reason)
        }
        Decision::Reject { reason } => (RequestStatus::Rejected, None, reason),
    };
    let id = row.id();
    let seen = row.updated_at.clone();
    if !request::settle(&mut tx, id, &seen, to, quantity, reason, user.account_id).await? {
        return Err(changed_meanwhile());
    }
    let detail = match quantity {
        Some(q) => format!("approved {q} of {}: {reason}", row.quantity),
        None => format!("rejected: {reason}"),
    };
    let action = if quantity.is_some() {
        "request_approved"
    } else {
        "request_rejected"
    };
    audit_request(&mut tx, caller, action, id, detail).await?;
    tx.commit().await?;
    Ok(())
}

/// A hospital's requests, newest first: for its staff, finance officers and administrators.
pub async fn of_hospital(
    db: &Db,
    caller: &Caller,
    hospital: HospitalId,
) -> Result<Vec<RequestView>, AppError> {
    caller.require(Action::ViewHospitalInternals(hospital))?;
    let rows = request::of_hospital(&mut *db.reader().acquire().await?, hospital).await?;
    Ok(rows
        .into_iter()
        .map(RequestRow::view)
        .collect::<Result<_, _>>()?)
}

/// One request with its history, for the same people.
pub async fn detail(db: &Db, caller: &Caller, id: RequestId) -> Result<RequestView, AppError> {
    signed_in(caller)?;
    let mut c = db.reader().acquire().await?;
    let row = request::by_id(&mut c, id)
        .await?
        .ok_or(AppError::NotFound)?;
    caller.require(Action::ViewHospitalInternals(row.hospital()))?;
    let mut view = row.view()?;
    view.events = request::events(&mut c, id).await?;
    Ok(view)
}

/// A campaign's open requests for finance officers: by priority then age, or by need (patients
/// per unit already held, highest first); narrowed to a district or an item.
pub async fn queue(
    db: &Db,
    caller: &Caller,
    filter: &QueueFilter,
) -> Result<Vec<RequestView>, AppError> {
    caller.require(Action::DecideRequest)?;
    let rows =
        request::open_of_campaign(&mut *db.reader().acquire().await?, filter.campaign_id).await?;
    let mut views = rows
        .into_iter()
        .map(RequestRow::view)
        .collect::<Result<Vec<_>, _>>()?;
    views.retain(|r| {
        filter.district_code.is_none_or(|d| r.district_code == d)
            && filter.item_id.is_none_or(|i| r.item_id == i)
    });
    sort_queue(&mut views, filter.sort.as_deref() == Some("need"));
    Ok(views)
}

/// Waiting decisions first; then by need or by priority, oldest first within a tie.
pub fn sort_queue(views: &mut [RequestView], by_need: bool) {
    views.sort_by_key(|r| {
        let decided = r.status != RequestStatus::Submitted;
        let need = -r.need.per_unit_held_x100();
        let not_urgent = i64::from(r.priority != Priority::Urgent);
        if by_need {
            (decided, need, not_urgent, r.id.get())
        } else {
            (decided, not_urgent, need, r.id.get())
        }
    });
}

/// A hospital's open requests as the public sees them (no need details).
pub async fn public_open(db: &Db, hospital: HospitalId) -> Result<Vec<PublicRequest>, AppError> {
    let rows = request::of_hospital(&mut *db.reader().acquire().await?, hospital).await?;
    let mut open = Vec::new();
    for row in rows {
        let view = row.view()?;
        if view.status.is_open() {
            open.push(PublicRequest::from(&view));
        }
    }
    Ok(open)
}
