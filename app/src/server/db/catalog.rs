//! The equipment catalog: what campaigns raise money for, with reference prices. An item's code
//! is unique in the table itself, so a taken code fails at the insert or update and is answered
//! as a field error there.

use super::time;
use crate::model::admin::CatalogItem;
use crate::model::{EquipmentItemId, Localized, Money};
use sqlx::AnyConnection;

/// An item to store, as validated by the catalog service.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct NewItem {
    /// Lowercase `a–z 0–9 _`.
    pub code: String,
    pub name: Localized,
    pub unit: Localized,
    pub reference_price: Money,
}

/// The equipment catalog, by Thai name.
pub async fn list(c: &mut AnyConnection) -> Result<Vec<CatalogItem>, sqlx::Error> {
    let rows: Vec<(i64, String, String, String, String, String, i64)> = sqlx::query_as(
        "select equipment_item_id, code, name_th, name_en, unit_th, unit_en, reference_price_satang
         from equipment_item order by name_th",
    )
    .fetch_all(c)
    .await?;
    Ok(rows
        .into_iter()
        .map(
            |(id, code, name_th, name_en, unit_th, unit_en, price)| CatalogItem {
                id: EquipmentItemId(id),
                code,
                name: Localized::new(name_th, name_en),
                unit: Localized::new(unit_th, unit_en),
                reference_price: Money::from_satang(price),
            },
        )
        .collect())
}

/// Adds an item; a taken code fails as a unique violation of `equipment_item (code)`.
pub async fn insert(c: &mut AnyConnection, item: &NewItem) -> Result<EquipmentItemId, sqlx::Error> {
    let (id,): (i64,) = sqlx::query_as(
        "insert into equipment_item (code, name_th, name_en, unit_th, unit_en, reference_price_satang,
           created_at, maintenance_days)
         values ($1, $2, $3, $4, $5, $6, $7, $8) returning equipment_item_id",
    )
    .bind(item.code.as_str())
    .bind(item.name.th.as_str())
    .bind(item.name.en.as_deref().unwrap_or_default())
    .bind(item.unit.th.as_str())
    .bind(item.unit.en.as_deref().unwrap_or_default())
    .bind(item.reference_price.satang())
    .bind(time::now())
    .bind(crate::model::loan::maintenance_days(item.code.as_str()))
    .fetch_one(c)
    .await?;
    Ok(EquipmentItemId(id))
}

/// Rewrites an item; `false` when there is no such item.
pub async fn update(
    c: &mut AnyConnection,
    id: EquipmentItemId,
    item: &NewItem,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "update equipment_item set code = $1, name_th = $2, name_en = $3, unit_th = $4, unit_en = $5,
           reference_price_satang = $6 where equipment_item_id = $7",
    )
    .bind(item.code.as_str())
    .bind(item.name.th.as_str())
    .bind(item.name.en.as_deref().unwrap_or_default())
    .bind(item.unit.th.as_str())
    .bind(item.unit.en.as_deref().unwrap_or_default())
    .bind(item.reference_price.satang())
    .bind(id.get())
    .execute(c)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Whether the item exists (read in the transaction that is about to point at it).
pub async fn exists(c: &mut AnyConnection, id: EquipmentItemId) -> Result<bool, sqlx::Error> {
    let row: Option<(i64,)> =
        sqlx::query_as("select equipment_item_id from equipment_item where equipment_item_id = $1")
            .bind(id.get())
            .fetch_optional(c)
            .await?;
    Ok(row.is_some())
}
