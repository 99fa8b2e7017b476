//! Partners (ภาคีเครือข่าย), kept by administrators: added (idempotently) and edited.

use super::hospitals::create_key;
use super::Caller;
use crate::error::AppError;
use crate::model::account::Action;
use crate::model::admin::PartnerInput;
use crate::model::form::FieldErrors;
use crate::model::status::PartnerKind;
use crate::model::{Localized, PartnerId};
use crate::server::audit::{record, Event};
use crate::server::db::partner::{self, NewPartner};
use crate::server::db::Db;
use crate::server::idempotency::{self, Claim};

/// A partner as typed, checked. Built only by [`ValidPartner::parse`].
#[derive(Debug)]
pub struct ValidPartner(NewPartner);

impl ValidPartner {
    /// Checks the names and the kind.
    pub fn parse(input: &PartnerInput) -> Result<Self, AppError> {
        let mut e = FieldErrors::default();
        let name_th = e.required("name_th", &input.name_th, 200);
        let name_en = e.optional("name_en", &input.name_en, 200);
        let kind = PartnerKind::from_code(input.kind.trim());
        if kind.is_none() {
            e.add("kind", "กรุณาเลือกประเภทภาคี", "Choose the kind of partner.");
        }
        e.finish()?;
        let kind = kind.ok_or_else(|| AppError::BadRequest("unchecked partner".into()))?;
        Ok(ValidPartner(NewPartner {
            name: Localized::new(name_th, name_en.unwrap_or_default()),
            kind,
        }))
    }
}

/// Adds a partner (`id = None`, once per idempotency key) or edits one.
pub async fn save_partner(
    db: &Db,
    caller: &Caller,
    id: Option<PartnerId>,
    input: &PartnerInput,
) -> Result<PartnerId, AppError> {
    caller.require(Action::ManagePartners)?;
    let key = match id {
        None => Some(create_key("partner", caller, &input.idempotency_key)?),
        Some(_) => None,
    };
    let ValidPartner(p) = ValidPartner::parse(input)?;
    let hash = idempotency::fingerprint(&p)?;
    let mut tx = db.begin().await?;
    if let Some(key) = &key {
        if let Claim::Replay(answer) = idempotency::claim(&mut tx, key, &hash).await? {
            return Ok(answer);
        }
    }
    let saved = match id {
        None => partner::insert(&mut tx, &p).await?,
        Some(id) if partner::update(&mut tx, id, &p).await? => id,
        Some(_) => return Err(AppError::NotFound),
    };
    let action = if id.is_some() {
        "partner_updated"
    } else {
        "partner_created"
    };
    let detail = format!("{} ({})", p.name.th, p.kind.code());
    record(
        &mut tx,
        &Event::by(caller, action, "partner", saved.get(), detail),
    )
    .await?;
    if let Some(key) = &key {
        idempotency::store(&mut tx, key, &saved).await?;
    }
    tx.commit().await?;
    Ok(saved)
}
