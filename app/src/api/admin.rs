//! Administration: hospitals, the equipment catalog, partners and campaigns, and the requests
//! that change a published campaign's receiving account.

use crate::error::AppError;
use crate::model::admin::{
    CampaignAdmin, CampaignInput, CampaignListing, CatalogItem, HospitalInput, ItemInput, Partner,
    PartnerInput, PayeeChange, PayeeInput,
};
use crate::model::status::CampaignStatus;
use crate::model::{CampaignId, EquipmentItemId, PartnerId};
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::server::service::{campaigns, catalog, hospitals, partners};
#[cfg(feature = "ssr")]
use crate::server::{call, call_as, db};

/// The equipment catalog with reference prices (public: prices are part of the open books).
#[server(prefix = "/api", endpoint = "catalog/list")]
pub async fn list_catalog() -> Result<Vec<CatalogItem>, AppError> {
    call(|db, _| async move { Ok(db::catalog::list(&mut *db.reader().acquire().await?).await?) })
        .await
}

/// Every partner (public).
#[server(prefix = "/api", endpoint = "partners/list")]
pub async fn list_partners() -> Result<Vec<Partner>, AppError> {
    call(|db, _| async move { Ok(db::partner::list(&mut *db.reader().acquire().await?).await?) })
        .await
}

/// A fresh idempotency key for a create form, so a double submit creates one thing. Signed-in
/// callers only (it is worthless without the right to create, but nobody else needs one).
#[server(prefix = "/api", endpoint = "admin/form-key")]
pub async fn new_form_key() -> Result<String, AppError> {
    call_as(|_, caller| async move {
        caller.user().ok_or(AppError::Unauthorized)?;
        Ok(crate::server::idempotency::form_key())
    })
    .await
}

/// Every campaign including drafts, for those who may open or close campaigns.
#[server(prefix = "/api", endpoint = "admin/campaigns/list")]
pub async fn admin_campaigns() -> Result<Vec<CampaignListing>, AppError> {
    use crate::model::account::Action;
    call_as(|db, caller| async move {
        caller.require(Action::CloseCampaign)?;
        Ok(db::campaign::admin::list(&mut *db.reader().acquire().await?).await?)
    })
    .await
}

/// One campaign's edit page data.
#[server(prefix = "/api", endpoint = "admin/campaigns/get")]
pub async fn admin_campaign(id: CampaignId) -> Result<CampaignAdmin, AppError> {
    use crate::model::account::Action;
    call_as(|db, caller| async move {
        caller.require(Action::CloseCampaign)?;
        db::campaign::admin::get(&mut *db.reader().acquire().await?, id)
            .await?
            .ok_or(AppError::NotFound)
    })
    .await
}

/// Adds a hospital, or edits the one with the same facility code when `update` is true.
#[server(prefix = "/api", endpoint = "admin/hospitals/save")]
pub async fn save_hospital(
    input: HospitalInput,
    #[server(default)] update: bool,
) -> Result<(), AppError> {
    call_as(
        |db, caller| async move { hospitals::save_hospital(&db, &caller, &input, update).await },
    )
    .await
}

/// Imports a hospital list in CSV; bad rows come back by line as a 422 and nothing is stored.
#[server(prefix = "/api", endpoint = "admin/hospitals/import")]
pub async fn import_hospitals_csv(csv: String) -> Result<(usize, usize), AppError> {
    call_as(|db, caller| async move { hospitals::import_hospitals(&db, &caller, &csv).await }).await
}

/// Adds (no `id`) or edits a catalog item.
#[server(prefix = "/api", endpoint = "admin/catalog/save")]
pub async fn save_item(
    id: Option<EquipmentItemId>,
    input: ItemInput,
) -> Result<EquipmentItemId, AppError> {
    call_as(|db, caller| async move { catalog::save_item(&db, &caller, id, &input).await }).await
}

/// Adds (no `id`) or edits a partner.
#[server(prefix = "/api", endpoint = "admin/partners/save")]
pub async fn save_partner(
    id: Option<PartnerId>,
    input: PartnerInput,
) -> Result<PartnerId, AppError> {
    call_as(|db, caller| async move { partners::save_partner(&db, &caller, id, &input).await })
        .await
}

/// Creates a draft campaign.
#[server(prefix = "/api", endpoint = "admin/campaigns/create")]
pub async fn create_campaign(input: CampaignInput) -> Result<CampaignId, AppError> {
    call_as(|db, caller| async move { campaigns::create_campaign(&db, &caller, &input).await })
        .await
}

/// Edits a campaign's fields (a published campaign's receiving account excepted).
#[server(prefix = "/api", endpoint = "admin/campaigns/update")]
pub async fn update_campaign(id: CampaignId, input: CampaignInput) -> Result<(), AppError> {
    call_as(|db, caller| async move { campaigns::update_campaign(&db, &caller, id, &input).await })
        .await
}

/// Opens a draft or closes an open campaign.
#[server(prefix = "/api", endpoint = "admin/campaigns/status")]
pub async fn set_campaign_status(id: CampaignId, status: CampaignStatus) -> Result<(), AppError> {
    call_as(
        |db, caller| async move { campaigns::set_campaign_status(&db, &caller, id, status).await },
    )
    .await
}

/// Sets a wishlist line's quantity (0 removes it).
#[server(prefix = "/api", endpoint = "admin/campaigns/wishlist")]
pub async fn set_wishlist_quantity(
    id: CampaignId,
    item: EquipmentItemId,
    quantity: i64,
) -> Result<(), AppError> {
    call_as(
        |db, caller| async move { campaigns::set_wishlist(&db, &caller, id, item, quantity).await },
    )
    .await
}

/// Adds or removes a hospital the campaign serves.
#[server(prefix = "/api", endpoint = "admin/campaigns/hospital")]
pub async fn set_campaign_hospital(
    id: CampaignId,
    facility_code: String,
    #[server(default)] served: bool,
) -> Result<(), AppError> {
    call_as(|db, caller| async move {
        campaigns::set_campaign_hospital(&db, &caller, id, &facility_code, served).await
    })
    .await
}

/// Adds or removes an organising partner.
#[server(prefix = "/api", endpoint = "admin/campaigns/partner")]
pub async fn set_campaign_partner(
    id: CampaignId,
    partner: PartnerId,
    #[server(default)] organiser: bool,
) -> Result<(), AppError> {
    call_as(|db, caller| async move {
        campaigns::set_campaign_partner(&db, &caller, id, partner, organiser).await
    })
    .await
}

/// Asks for a new receiving account on a published campaign (a finance officer decides).
#[server(prefix = "/api", endpoint = "admin/campaigns/payee-change")]
pub async fn request_payee_change(id: CampaignId, input: PayeeInput) -> Result<i64, AppError> {
    call_as(|db, caller| async move {
        campaigns::payee::request_change(&db, &caller, id, &input).await
    })
    .await
}

/// The receiving-account changes waiting for a finance officer's decision.
#[server(prefix = "/api", endpoint = "finance/payee-changes")]
pub async fn pending_payee_changes() -> Result<Vec<PayeeChange>, AppError> {
    call_as(|db, caller| async move { campaigns::payee::pending(&db, &caller).await }).await
}

/// Approves (and applies) or rejects (with a reason) a receiving-account change.
#[server(prefix = "/api", endpoint = "finance/payee-changes/decide")]
pub async fn decide_payee_change(
    request: i64,
    #[server(default)] approve: bool,
    #[server(default)] reason: String,
) -> Result<(), AppError> {
    call_as(|db, caller| async move {
        campaigns::payee::decide(&db, &caller, request, approve, &reason).await
    })
    .await
}
