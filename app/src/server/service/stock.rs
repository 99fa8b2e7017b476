//! Units from stock to bedside: gifts in kind put into stock, allocation to a hospital (against
//! an approved request or with a written reason), dispatch, and the hospital's own confirmation,
//! unit by unit. A rejected unit goes back to stock. Finance officers move stock; only a
//! hospital's staff confirm what reached it.

use super::donations::{caller_key, find_for_update};
use super::Caller;
use crate::error::AppError;
use crate::model::account::Action;
use crate::model::equipment::{
    reason, split_tags, AllocateInput, ConditionInput, ConfirmInput, DispatchInput, EventView,
    Label, ServedHospital, UnitView, WriteOffInput, MAX_ALLOCATION, MAX_NOTE,
};
use crate::model::form::FieldErrors;
use crate::model::status::{
    CampaignStatus, DonationChannel, DonationStatus, RequestStatus, UnitCondition, UnitStatus,
};
use crate::model::{
    CampaignId, EquipmentItemId, HospitalId, Localized, Money, PurchaseId, RequestId,
};
use crate::server::audit::{self, Event};
use crate::server::db::unit::{self, Source, UnitRow};
use crate::server::db::{campaign_fund, donation, request, Db, Tx};
use crate::server::idempotency::{self, Claim};

async fn audit_unit(
    tx: &mut Tx,
    caller: &Caller,
    action: &str,
    tag: &str,
    detail: String,
) -> Result<(), AppError> {
    audit::record(
        tx,
        &Event::by(caller, action, "equipment_unit", tag, detail),
    )
    .await?;
    Ok(())
}

async fn not_settled(tx: &mut Tx, campaign: CampaignId) -> Result<(), AppError> {
    if super::donations::campaign_status(tx, campaign).await? == CampaignStatus::Settled {
        return Err(AppError::state(
            "กองผ้าป่านี้ปิดบัญชีแล้ว",
            "This campaign's books are settled.",
        ));
    }
    Ok(())
}

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

fn id_field(
    e: &mut FieldErrors,
    field: &str,
    text: &str,
    required: bool,
    what: (&str, &str),
) -> Option<i64> {
    let text = text.trim();
    if text.is_empty() {
        if required {
            e.add(
                field,
                format!("กรุณาเลือก{}", what.0),
                format!("Choose {}.", what.1),
            );
        }
        return None;
    }
    match text.parse::<i64>() {
        Ok(n) if n > 0 => Some(n),
        _ => {
            e.add(
                field,
                format!("ไม่พบ{}นี้", what.0),
                format!("There is no such {}.", what.1),
            );
            None
        }
    }
}

/// Allocates units from a campaign's stock to a hospital, against an approved request (up to
/// what it still lacks) or with a written reason. Units are named by tag or taken oldest first.
/// Idempotent by the form's key. Answers the tags allocated.
pub async fn allocate(
    db: &Db,
    caller: &Caller,
    input: &AllocateInput,
) -> Result<Vec<String>, AppError> {
    let user = caller.require(Action::ManageStock)?;
    let mut e = FieldErrors::default();
    let request_id = id_field(
        &mut e,
        "request_id",
        &input.request_id,
        false,
        ("คำขอ", "request"),
    )
    .map(RequestId);
    let mut hospital = id_field(
        &mut e,
        "hospital_id",
        &input.hospital_id,
        input.request_id.trim().is_empty(),
        ("โรงพยาบาล", "a hospital"),
    )
    .map(HospitalId);
    let tags = split_tags(&input.tags);
    let mut item: Option<EquipmentItemId> = None;
    let mut quantity = tags.len() as i64;
    if tags.is_empty() {
        if request_id.is_none() {
            item = id_field(&mut e, "item", &input.item, true, ("ครุภัณฑ์", "an item"))
                .map(EquipmentItemId);
        }
        quantity = e
            .whole_number(
                "quantity",
                &input.quantity,
                MAX_ALLOCATION,
                ("จำนวน", "The quantity"),
            )
            .unwrap_or(0);
    } else if tags.len() as i64 > MAX_ALLOCATION {
        e.add(
            "tags",
            format!("จัดสรรได้ครั้งละไม่เกิน {MAX_ALLOCATION} ชิ้น"),
            format!("At most {MAX_ALLOCATION} units at a time."),
        );
    }
    let why = if request_id.is_none() {
        Some(reason(&mut e, "reason", &input.reason))
    } else {
        e.optional("reason", &input.reason, MAX_NOTE)
    };
    e.idempotency_key(&input.idempotency_key);
    e.finish()?;
    let key = idempotency::scoped("allocate", &caller_key(caller), &input.idempotency_key);
    let hash = idempotency::fingerprint(input)?;
    let mut tx = db.begin().await?;
    if let Claim::Replay(answer) = idempotency::claim(&mut tx, &key, &hash).await? {
        return Ok(answer);
    }
    let campaign = input.campaign_id;
    not_settled(&mut tx, campaign).await.map_err(|e| match e {
        AppError::NotFound => {
            AppError::field("campaign_id", "ไม่พบกองผ้าป่านี้", "There is no such campaign.")
        }
        e => e,
    })?;
    if let Some(id) = request_id {
        // Two allocations to one request wait for each other here, so together they never
        // exceed what it lacks.
        request::lock(&mut tx, id).await?;
        let r = request::by_id_tx(&mut tx, id).await?;
        let Some(r) = r.filter(|r| r.campaign_id == campaign.get()) else {
            return Err(AppError::field(
                "request_id",
                "ไม่พบคำขอนี้ในกองผ้าป่านี้",
                "There is no such request in this campaign.",
            ));
        };
        if !matches!(
            r.status()?,
            RequestStatus::Approved | RequestStatus::PartlyFulfilled
        ) {
            return Err(AppError::field(
                "request_id",
                "จัดสรรได้เฉพาะคำขอที่อนุมัติแล้วและยังได้รับไม่ครบ",
                "Only an approved request still waiting for units can be allocated to.",
            ));
        }
        if hospital.is_some_and(|h| h != r.hospital()) {
            return Err(AppError::field(
                "hospital_id",
                "โรงพยาบาลไม่ตรงกับคำขอ",
                "The hospital is not the request's.",
            ));
        }
        let outstanding = r.approved_quantity.unwrap_or(0)
            - r.fulfilled_quantity
            - unit::on_the_way_for(&mut tx, id).await?;
        if quantity > outstanding {
            return Err(AppError::field(
                if tags.is_empty() { "quantity" } else { "tags" },
                &format!("คำขอนี้ยังขาดอีก {} ชิ้นเท่านั้น", outstanding.max(0)),
                &format!(
                    "This request still lacks only {} units.",
                    outstanding.max(0)
                ),
            ));
        }
        hospital = Some(r.hospital());
        item = Some(EquipmentItemId(r.equipment_item_id));
    }
    let hospital = hospital.ok_or(AppError::BadRequest("hospital".into()))?;
    if !request::campaign_serves(&mut tx, campaign, hospital).await? {
        return Err(AppError::field(
            "hospital_id",
            "กองผ้าป่านี้ไม่ได้ดูแลโรงพยาบาลนี้",
            "This campaign does not serve this hospital.",
        ));
    }
    let units: Vec<UnitRow> = if tags.is_empty() {
        let item = item.ok_or(AppError::BadRequest("item".into()))?;
        let found = unit::in_stock(&mut tx, campaign, item, quantity).await?;
        if (found.len() as i64) < quantity {
            return Err(AppError::field(
                "quantity",
                &format!("มีในคลังที่ใช้งานได้เพียง {} ชิ้น", found.len()),
                &format!("Only {} working units are in stock.", found.len()),
            ));
        }
        found
    } else {
        let mut found = Vec::new();
        for tag in &tags {
            let u = unit::by_tag_tx(&mut tx, tag)
                .await?
                .filter(|u| u.campaign_id == campaign.get());
            let Some(u) = u else {
                return Err(AppError::field(
                    "tags",
                    &format!("ไม่พบครุภัณฑ์รหัส {tag} ในกองผ้าป่านี้"),
                    &format!("No unit tagged {tag} in this campaign."),
                ));
            };
            if u.status()? != UnitStatus::InStock
                || u.condition()? != UnitCondition::Working
                || found.iter().any(|f: &UnitRow| f.asset_tag == u.asset_tag)
            {
                return Err(AppError::field(
                    "tags",
                    &format!("{tag} ไม่ได้อยู่ในคลัง (จัดสรรไปแล้วหรือไม่พร้อมใช้)"),
                    &format!("{tag} is not in stock: it is already allocated or out of use."),
                ));
            }
            if item.is_some_and(|i| i.get() != u.equipment_item_id) {
                return Err(AppError::field(
                    "tags",
                    &format!("{tag} ไม่ใช่ครุภัณฑ์ตามคำขอ"),
                    &format!("{tag} is not the item the request asks for."),
                ));
            }
            found.push(u);
        }
        found
    };
    let mut moved = Vec::with_capacity(units.len());
    for u in &units {
        if !unit::allocate(&mut tx, u.id(), hospital, request_id, why.as_deref()).await? {
            return Err(AppError::field(
                "tags",
                &format!("{} ถูกจัดสรรไปแล้ว", u.asset_tag),
                &format!("{} was allocated meanwhile.", u.asset_tag),
            ));
        }
        unit::event(
            &mut tx,
            u.id(),
            "allocated",
            UnitStatus::Allocated,
            Some(hospital),
            request_id,
            why.as_deref(),
            user.account_id,
        )
        .await?;
        moved.push(u.asset_tag.clone());
    }
    idempotency::store(&mut tx, &key, &moved).await?;
    let detail = format!(
        "{} units to hospital {hospital}{}",
        moved.len(),
        request_id
            .map(|r| format!(" for request {r}"))
            .unwrap_or_default()
    );
    audit_unit(
        &mut tx,
        caller,
        "units_allocated",
        moved.first().map_or("", String::as_str),
        detail,
    )
    .await?;
    tx.commit().await?;
    Ok(moved)
}

/// Marks allocated units dispatched to their hospital: those tagged, or all the campaign has
/// allocated to it. Answers how many.
pub async fn dispatch(db: &Db, caller: &Caller, input: &DispatchInput) -> Result<i64, AppError> {
    let user = caller.require(Action::ManageStock)?;
    let mut e = FieldErrors::default();
    let on = e.date("dispatched_on", &input.dispatched_on, true);
    let carrier = e.required("carrier", &input.carrier, 300);
    e.finish()?;
    let on = crate::server::db::time::date(on.unwrap_or_default());
    let tags = split_tags(&input.tags);
    let mut tx = db.begin().await?;
    not_settled(&mut tx, input.campaign_id).await?;
    let units = if tags.is_empty() {
        unit::allocated_to(&mut tx, input.campaign_id, input.hospital_id).await?
    } else {
        let mut found = Vec::new();
        for tag in &tags {
            match unit::by_tag_tx(&mut tx, tag).await? {
                Some(u)
                    if u.campaign_id == input.campaign_id.get()
                        && u.hospital_id == Some(input.hospital_id.get())
                        && u.status == "allocated" =>
                {
                    found.push(u)
                }
                _ => {
                    return Err(AppError::field(
                        "tags",
                        &format!("{tag} ไม่ได้ถูกจัดสรรให้โรงพยาบาลนี้และรอส่ง"),
                        &format!("{tag} is not allocated to this hospital and waiting to go."),
                    ))
                }
            }
        }
        found
    };
    if units.is_empty() {
        return Err(AppError::field(
            "tags",
            "ไม่มีครุภัณฑ์ที่จัดสรรแล้วรอส่งให้โรงพยาบาลนี้",
            "No allocated units are waiting to go to this hospital.",
        ));
    }
    for u in &units {
        if !unit::dispatch(&mut tx, u.id(), input.hospital_id, &on, &carrier).await? {
            return Err(AppError::state(
                "ครุภัณฑ์บางชิ้นเปลี่ยนสถานะไปแล้ว กรุณาโหลดหน้าใหม่",
                "Some units changed meanwhile; reload the page.",
            ));
        }
        let note = format!("{on} · {carrier}");
        unit::event(
            &mut tx,
            u.id(),
            "dispatched",
            UnitStatus::Dispatched,
            Some(input.hospital_id),
            u.request(),
            Some(&note),
            user.account_id,
        )
        .await?;
    }
    let detail = format!(
        "{} units to hospital {} on {on} by {carrier}",
        units.len(),
        input.hospital_id
    );
    audit_unit(
        &mut tx,
        caller,
        "units_dispatched",
        &units[0].asset_tag,
        detail,
    )
    .await?;
    tx.commit().await?;
    Ok(units.len() as i64)
}

/// A hospital's staff accept a unit that reached them, or reject it with a reason (it goes back
/// to stock). Nobody else can answer for a hospital.
pub async fn confirm(db: &Db, caller: &Caller, input: &ConfirmInput) -> Result<(), AppError> {
    let user = caller.require(Action::ConfirmDelivery(input.hospital_id))?;
    let accept = match input.answer.as_str() {
        "accept" => true,
        "reject" => false,
        _ => {
            return Err(AppError::field(
                "answer",
                "กรุณาเลือก รับ หรือ ปฏิเสธ",
                "Choose accept or reject.",
            ))
        }
    };
    let mut e = FieldErrors::default();
    let why = if accept {
        e.optional("reason", &input.reason, MAX_NOTE)
    } else {
        Some(reason(&mut e, "reason", &input.reason))
    };
    e.finish()?;
    let tag = input.tag.trim().to_ascii_uppercase();
    let mut tx = db.begin().await?;
    let u = unit::by_tag_tx(&mut tx, &tag)
        .await?
        .filter(|u| u.hospital_id == Some(input.hospital_id.get()))
        .ok_or(AppError::NotFound)?;
    not_settled(&mut tx, u.campaign()).await?;
    if u.status()? != UnitStatus::Dispatched {
        return Err(AppError::state(
            "ครุภัณฑ์ชิ้นนี้ไม่ได้อยู่ระหว่างจัดส่งมาที่โรงพยาบาลนี้แล้ว",
            "This unit is no longer on its way to this hospital.",
        ));
    }
    let h = input.hospital_id;
    let changed = if accept {
        unit::accept(&mut tx, u.id(), h).await?
    } else {
        unit::send_back(&mut tx, u.id(), h).await?
    };
    if !changed {
        return Err(AppError::state(
            "ครุภัณฑ์ชิ้นนี้ถูกยืนยันไปแล้ว",
            "This unit was confirmed meanwhile.",
        ));
    }
    let (kind, status) = if accept {
        ("accepted", UnitStatus::Received)
    } else {
        ("rejected", UnitStatus::InStock)
    };
    unit::event(
        &mut tx,
        u.id(),
        kind,
        status,
        Some(h),
        u.request(),
        why.as_deref(),
        user.account_id,
    )
    .await?;
    if accept {
        if let Some(r) = u.request() {
            unit::fulfil(&mut tx, r).await?;
        }
    }
    let detail = format!(
        "{kind} at hospital {h}{}",
        why.map(|w| format!(": {w}")).unwrap_or_default()
    );
    audit_unit(&mut tx, caller, "unit_confirmed", &tag, detail).await?;
    tx.commit().await?;
    Ok(())
}

/// Sets a unit's functional status: finance officers for any unit, a hospital's staff for the
/// units it holds. Not working needs a reason.
pub async fn set_condition(
    db: &Db,
    caller: &Caller,
    input: &ConditionInput,
) -> Result<(), AppError> {
    let user = caller.user().ok_or(AppError::Unauthorized)?;
    let mut e = FieldErrors::default();
    let condition = UnitCondition::from_code(input.condition.trim());
    if condition.is_none() {
        e.add(
            "condition",
            "สถานะต้องเป็น ใช้งานได้ รอซ่อม หรือ ใช้งานไม่ได้",
            "The condition must be working, awaiting repair or unusable.",
        );
    }
    // The event keeps the condition's code before the note, within the same 2,000 characters.
    let note = if condition == Some(UnitCondition::Working) {
        e.optional("note", &input.note, MAX_NOTE - 20)
    } else {
        let r = reason(&mut e, "note", &input.note);
        if r.chars().count() > MAX_NOTE - 20 {
            e.add(
                "note",
                format!("ยาวได้ไม่เกิน {} ตัวอักษร", MAX_NOTE - 20),
                format!("At most {} characters.", MAX_NOTE - 20),
            );
        }
        Some(r)
    };
    e.finish()?;
    let condition = condition.unwrap_or(UnitCondition::Working);
    let tag = input.tag.trim().to_ascii_uppercase();
    let mut tx = db.begin().await?;
    let u = unit::by_tag_tx(&mut tx, &tag)
        .await?
        .ok_or(AppError::NotFound)?;
    let holder = u
        .hospital()
        .filter(|_| u.status == "received")
        .map(Action::ConfirmDelivery);
    let allowed = caller.require(Action::ManageStock).is_ok()
        || holder.is_some_and(|a| caller.require(a).is_ok());
    if !allowed {
        return Err(AppError::Forbidden);
    }
    if matches!(u.status()?, UnitStatus::Voided | UnitStatus::WrittenOff) {
        return Err(AppError::state(
            "ครุภัณฑ์ชิ้นนี้เลิกใช้แล้ว",
            "This unit is out of service for good.",
        ));
    }
    unit::set_condition(&mut tx, u.id(), condition, note.as_deref()).await?;
    let status = u.status()?;
    unit::event(
        &mut tx,
        u.id(),
        "condition",
        status,
        u.hospital(),
        None,
        Some(&format!(
            "{}{}",
            condition.code(),
            note.as_ref().map(|n| format!(": {n}")).unwrap_or_default()
        )),
        user.account_id,
    )
    .await?;
    audit_unit(
        &mut tx,
        caller,
        "unit_condition",
        &tag,
        condition.code().to_owned(),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Writes a unit off (finance officers): broken beyond repair, lost or stolen, with a reason.
/// Only a unit in stock or received by a hospital; one allocated or on its way is first sent
/// back. Its money stays spent: the purchase happened, and the unit's history says where it
/// ended.
pub async fn write_off(db: &Db, caller: &Caller, input: &WriteOffInput) -> Result<(), AppError> {
    let user = caller.require(Action::ManageStock)?;
    let mut e = FieldErrors::default();
    let why = reason(&mut e, "reason", &input.reason);
    e.finish()?;
    let tag = input.tag.trim().to_ascii_uppercase();
    let mut tx = db.begin().await?;
    let u = unit::by_tag_tx(&mut tx, &tag)
        .await?
        .ok_or(AppError::NotFound)?;
    not_settled(&mut tx, u.campaign()).await?;
    let from = u.status()?;
    match from {
        UnitStatus::InStock | UnitStatus::Received => {}
        UnitStatus::Allocated | UnitStatus::Dispatched => {
            return Err(AppError::state(
                "ครุภัณฑ์ชิ้นนี้จัดสรรหรือกำลังส่งอยู่ ต้องให้กลับเข้าคลังก่อนจึงตัดจำหน่ายได้",
                "This unit is allocated or on its way; it must come back to stock before it is written off.",
            ))
        }
        UnitStatus::WrittenOff | UnitStatus::Voided => {
            return Err(AppError::state(
                "ครุภัณฑ์ชิ้นนี้เลิกใช้แล้ว",
                "This unit is out of service for good.",
            ))
        }
    }
    if !unit::write_off(&mut tx, u.id(), from).await? {
        return Err(AppError::state(
            "ครุภัณฑ์ชิ้นนี้เพิ่งถูกเปลี่ยนสถานะ กรุณาโหลดหน้าใหม่",
            "This unit changed meanwhile; reload the page.",
        ));
    }
    unit::event(
        &mut tx,
        u.id(),
        "written_off",
        UnitStatus::WrittenOff,
        u.hospital(),
        u.request(),
        Some(&why),
        user.account_id,
    )
    .await?;
    let at = u
        .hospital()
        .map(|h| format!(" at hospital {h}"))
        .unwrap_or_default();
    audit_unit(
        &mut tx,
        caller,
        "unit_written_off",
        &tag,
        format!("{}{at}: {why}", from.code()),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

fn views(rows: Vec<UnitRow>) -> Result<Vec<UnitView>, AppError> {
    rows.into_iter()
        .map(|r| r.view().map_err(AppError::from))
        .collect()
}

/// A campaign's units (finance officers).
pub async fn of_campaign(
    db: &Db,
    caller: &Caller,
    campaign: CampaignId,
) -> Result<Vec<UnitView>, AppError> {
    caller.require(Action::ManageStock)?;
    views(unit::of_campaign(db, campaign).await?)
}

/// A hospital's units: allocated, on the way, received (its staff, finance, administrators).
pub async fn of_hospital(
    db: &Db,
    caller: &Caller,
    hospital: HospitalId,
) -> Result<Vec<UnitView>, AppError> {
    caller.require(Action::ViewHospitalInternals(hospital))?;
    views(unit::of_hospital(db, hospital).await?)
}

/// A purchase's units, for its label sheet (finance officers).
pub async fn of_purchase(
    db: &Db,
    caller: &Caller,
    purchase: PurchaseId,
) -> Result<Vec<UnitView>, AppError> {
    caller.require(Action::ManageStock)?;
    views(unit::of_purchase(db, purchase).await?)
}

/// One unit with its whole history: finance officers, or staff of the hospital it is at.
pub async fn detail(
    db: &Db,
    caller: &Caller,
    tag: &str,
) -> Result<(UnitView, Vec<EventView>), AppError> {
    caller.user().ok_or(AppError::Unauthorized)?;
    let tag = tag.trim().to_ascii_uppercase();
    let u = unit::by_tag(db, &tag).await?.ok_or(AppError::NotFound)?;
    let allowed = caller.require(Action::ManageStock).is_ok()
        || u.hospital()
            .is_some_and(|h| caller.require(Action::ViewHospitalInternals(h)).is_ok());
    if !allowed {
        return Err(AppError::NotFound);
    }
    let id = u.id();
    let own = u.hospital();
    let view = u.view()?;
    let mut events = unit::history(db, id).await?;
    if caller.require(Action::ManageStock).is_err() {
        // Hospital staff read their own hospital's part of a unit's history, without names:
        // where it went before (another hospital's rejection and its reason) is not theirs.
        events.retain(|e| e.hospital_id.is_none() || e.hospital_id == own);
        for e in &mut events {
            e.by = None;
            if e.hospital_id.is_none() {
                e.note = None;
            }
        }
    }
    Ok((view, events))
}

/// A purchase's labels: each unit's tag, and a QR code of its public page under `base` (the
/// site's address, e.g. `https://phapa.example`).
pub async fn labels(
    db: &Db,
    caller: &Caller,
    purchase: PurchaseId,
    base: &str,
) -> Result<Vec<Label>, AppError> {
    caller.require(Action::ManageStock)?;
    let base = base.trim_end_matches('/');
    let mut out = Vec::new();
    for u in unit::of_purchase(db, purchase).await? {
        if u.status == "voided" {
            continue;
        }
        let url = format!("{base}/units/{}", u.asset_tag);
        let qr = crate::server::qr::svg(&url).ok_or_else(|| AppError::BadRequest("qr".into()))?;
        out.push(Label {
            item: Localized::new(u.item_th, u.item_en),
            serial_no: u.serial_no,
            tag: u.asset_tag,
            url,
            qr,
        });
    }
    Ok(out)
}

/// The hospitals a campaign serves, for the allocation form (finance officers).
pub async fn served_hospitals(
    db: &Db,
    caller: &Caller,
    campaign: CampaignId,
) -> Result<Vec<ServedHospital>, AppError> {
    caller.require(Action::ManageStock)?;
    let rows: Vec<(i64, String, String, Option<String>)> = sqlx::query_as(
        "select h.hospital_id, h.facility_code, h.name_th, h.name_en from campaign_hospital ch
         join hospital h on h.hospital_id = ch.hospital_id where ch.campaign_id = $1
         order by h.facility_code",
    )
    .bind(campaign.get())
    .fetch_all(db.reader())
    .await
    .map_err(AppError::from)?;
    Ok(rows
        .into_iter()
        .map(|(id, facility_code, th, en)| ServedHospital {
            id: HospitalId(id),
            facility_code,
            name: Localized { th, en },
        })
        .collect())
}

/// Gifts in kind of a campaign that are received and not yet in stock:
/// (reference, amount, items).
pub async fn gifts_to_stock(
    db: &Db,
    caller: &Caller,
    campaign: CampaignId,
) -> Result<Vec<(String, Money)>, AppError> {
    caller.require(Action::ManageStock)?;
    Ok(donation::unstocked_gifts(db, campaign).await?)
}
