//! Partners (ภาคีเครือข่าย): the bodies that organise campaigns.

use super::time;
use crate::model::admin::Partner;
use crate::model::status::PartnerKind;
use crate::model::{Localized, PartnerId};
use sqlx::AnyConnection;

/// A partner to store, as validated by the partner service.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct NewPartner {
    pub name: Localized,
    pub kind: PartnerKind,
}

/// A partner row as selected: id, Thai name, English name, kind.
pub type PartnerRow = (i64, String, Option<String>, String);

/// A partner row as listed.
pub fn from_row((id, th, en, kind): PartnerRow) -> Partner {
    Partner {
        id: PartnerId(id),
        name: Localized::new(th, en.unwrap_or_default()),
        kind: PartnerKind::from_code(&kind).unwrap_or(PartnerKind::CivilSociety),
    }
}

/// Every partner, by Thai name.
pub async fn list(c: &mut AnyConnection) -> Result<Vec<Partner>, sqlx::Error> {
    let rows: Vec<PartnerRow> =
        sqlx::query_as("select partner_id, name_th, name_en, kind from partner order by name_th")
            .fetch_all(c)
            .await?;
    Ok(rows.into_iter().map(from_row).collect())
}

/// Adds a partner.
pub async fn insert(c: &mut AnyConnection, p: &NewPartner) -> Result<PartnerId, sqlx::Error> {
    let (id,): (i64,) = sqlx::query_as(
        "insert into partner (name_th, name_en, kind, created_at) values ($1, $2, $3, $4) returning partner_id",
    )
    .bind(p.name.th.as_str())
    .bind(p.name.en.as_deref())
    .bind(p.kind.code())
    .bind(time::now())
    .fetch_one(c)
    .await?;
    Ok(PartnerId(id))
}

/// Rewrites a partner; `false` when there is no such partner.
pub async fn update(
    c: &mut AnyConnection,
    id: PartnerId,
    p: &NewPartner,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "update partner set name_th = $1, name_en = $2, kind = $3 where partner_id = $4",
    )
    .bind(p.name.th.as_str())
    .bind(p.name.en.as_deref())
    .bind(p.kind.code())
    .bind(id.get())
    .execute(c)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Whether the partner exists (read in the transaction that is about to point at it).
pub async fn exists(c: &mut AnyConnection, id: PartnerId) -> Result<bool, sqlx::Error> {
    let row: Option<(i64,)> =
        sqlx::query_as("select partner_id from partner where partner_id = $1")
            .bind(id.get())
            .fetch_optional(c)
            .await?;
    Ok(row.is_some())
}
