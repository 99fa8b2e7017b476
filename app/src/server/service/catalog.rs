//! The equipment catalog, kept by administrators: items added (idempotently) and edited. An
//! item's code is unique in the table, so a code taken even a moment ago is a field error.

use super::hospitals::create_key;
use super::Caller;
use crate::error::AppError;
use crate::model::account::Action;
use crate::model::admin::ItemInput;
use crate::model::form::FieldErrors;
use crate::model::{EquipmentItemId, Localized};
use crate::server::audit::{record, Event};
use crate::server::db::catalog::{self, NewItem};
use crate::server::db::{is_unique_violation, Db};
use crate::server::idempotency::{self, Claim};

/// A catalog item as typed, checked. Built only by [`ValidItem::parse`].
#[derive(Debug)]
pub struct ValidItem(NewItem);

impl ValidItem {
    /// Checks every field: a lowercase code of `a–z 0–9 _`, names and units in both languages,
    /// and a reference price.
    pub fn parse(input: &ItemInput) -> Result<Self, AppError> {
        let mut e = FieldErrors::default();
        let code = e.required("code", &input.code.to_ascii_lowercase(), 40);
        if !code
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        {
            e.add(
                "code",
                "รหัสใช้ได้เฉพาะ a–z 0–9 _",
                "The code may use only a–z 0–9 _.",
            );
        }
        let name_th = e.required("name_th", &input.name_th, 200);
        let name_en = e.required("name_en", &input.name_en, 200);
        let unit_th = e.required("unit_th", &input.unit_th, 40);
        let unit_en = e.required("unit_en", &input.unit_en, 40);
        let reference_price = e.amount("reference_price", &input.reference_price);
        e.finish()?;
        Ok(ValidItem(NewItem {
            code,
            name: Localized::new(name_th, name_en),
            unit: Localized::new(unit_th, unit_en),
            reference_price,
        }))
    }
}

fn code_taken() -> AppError {
    AppError::field("code", "มีรหัสนี้ในรายการแล้ว", "Another item has this code.")
}

/// Adds a catalog item (`id = None`, once per idempotency key) or edits one.
pub async fn save_item(
    db: &Db,
    caller: &Caller,
    id: Option<EquipmentItemId>,
    input: &ItemInput,
) -> Result<EquipmentItemId, AppError> {
    caller.require(Action::ManageCatalog)?;
    let key = match id {
        None => Some(create_key("item", caller, &input.idempotency_key)?),
        Some(_) => None,
    };
    let ValidItem(item) = ValidItem::parse(input)?;
    let hash = idempotency::fingerprint(&item)?;
    let mut tx = db.begin().await?;
    if let Some(key) = &key {
        if let Claim::Replay(answer) = idempotency::claim(&mut tx, key, &hash).await? {
            return Ok(answer);
        }
    }
    let saved = match id {
        None => catalog::insert(&mut tx, &item).await.map(Some),
        Some(id) => catalog::update(&mut tx, id, &item)
            .await
            .map(|found| found.then_some(id)),
    };
    let saved = match saved {
        Err(e) if is_unique_violation(&e, "equipment_item", "code") => return Err(code_taken()),
        other => other?.ok_or(AppError::NotFound)?,
    };
    let action = if id.is_some() {
        "item_updated"
    } else {
        "item_created"
    };
    let detail = format!(
        "{}: {}, {} / {}",
        item.code, item.name.th, item.reference_price, item.unit.th
    );
    record(
        &mut tx,
        &Event::by(caller, action, "equipment_item", saved.get(), detail),
    )
    .await?;
    if let Some(key) = &key {
        idempotency::store(&mut tx, key, &saved).await?;
    }
    tx.commit().await?;
    Ok(saved)
}
