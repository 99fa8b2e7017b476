//! Administration: hospitals, the equipment catalog, partners and campaigns.

use crate::error::AppError;
use crate::model::admin::{
    CampaignAdmin, CampaignInput, CampaignListing, CatalogItem, HospitalInput, ItemInput, Partner,
    PartnerInput,
};
use crate::model::status::CampaignStatus;
use crate::model::{CampaignId, EquipmentItemId, PartnerId};
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::server::{admin, call};

/// The equipment catalog with reference prices (public: prices are part of the open books).
#[server(prefix = "/api", endpoint = "catalog/list")]
pub async fn list_catalog() -> Result<Vec<CatalogItem>, AppError> {
    call(|db, _| async move { Ok(crate::server::db::admin::catalog(&db).await?) }).await
}

/// Every partner (public).
#[server(prefix = "/api", endpoint = "partners/list")]
pub async fn list_partners() -> Result<Vec<Partner>, AppError> {
    call(|db, _| async move { Ok(crate::server::db::admin::partners(&db).await?) }).await
}

/// Every campaign including drafts, for those who may open or close campaigns.
#[server(prefix = "/api", endpoint = "admin/campaigns/list")]
pub async fn admin_campaigns() -> Result<Vec<CampaignListing>, AppError> {
    use crate::model::account::Action;
    call(|db, user| async move {
        crate::server::accounts::require(user.as_ref(), Action::CloseCampaign)?;
        Ok(crate::server::db::admin::campaigns(&db).await?)
    })
    .await
}

/// One campaign's edit page data.
#[server(prefix = "/api", endpoint = "admin/campaigns/get")]
pub async fn admin_campaign(id: CampaignId) -> Result<CampaignAdmin, AppError> {
    use crate::model::account::Action;
    call(|db, user| async move {
        crate::server::accounts::require(user.as_ref(), Action::CloseCampaign)?;
        crate::server::db::admin::campaign(&db, id)
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
    call(|db, user| async move { admin::save_hospital(&db, user.as_ref(), &input, update).await })
        .await
}

/// Imports a hospital list in CSV; bad rows come back by line as a 422 and nothing is stored.
#[server(prefix = "/api", endpoint = "admin/hospitals/import")]
pub async fn import_hospitals_csv(csv: String) -> Result<(usize, usize), AppError> {
    call(|db, user| async move { admin::import_hospitals(&db, user.as_ref(), &csv).await }).await
}

/// Adds (no `id`) or edits a catalog item.
#[server(prefix = "/api", endpoint = "admin/catalog/save")]
pub async fn save_item(
    id: Option<EquipmentItemId>,
    input: ItemInput,
) -> Result<EquipmentItemId, AppError> {
    call(|db, user| async move { admin::save_item(&db, user.as_ref(), id, &input).await }).await
}

/// Adds (no `id`) or edits a partner.
#[server(prefix = "/api", endpoint = "admin/partners/save")]
pub async fn save_partner(
    id: Option<PartnerId>,
    input: PartnerInput,
) -> Result<PartnerId, AppError> {
    call(|db, user| async move { admin::save_partner(&db, user.as_ref(), id, &input).await }).await
}

/// Creates a draft campaign.
#[server(prefix = "/api", endpoint = "admin/campaigns/create")]
pub async fn create_campaign(input: CampaignInput) -> Result<CampaignId, AppError> {
    call(|db, user| async move { admin::create_campaign(&db, user.as_ref(), &input).await }).await
}

/// Edits a campaign's fields.
#[server(prefix = "/api", endpoint = "admin/campaigns/update")]
pub async fn update_campaign(id: CampaignId, input: CampaignInput) -> Result<(), AppError> {
    call(|db, user| async move { admin::update_campaign(&db, user.as_ref(), id, &input).await })
        .await
}

/// Opens a draft or closes an open campaign.
#[server(prefix = "/api", endpoint = "admin/campaigns/status")]
pub async fn set_campaign_status(id: CampaignId, status: CampaignStatus) -> Result<(), AppError> {
    call(|db, user| async move { admin::set_campaign_status(&db, user.as_ref(), id, status).await })
        .await
}

/// Sets a wishlist line's quantity (0 removes it).
#[server(prefix = "/api", endpoint = "admin/campaigns/wishlist")]
pub async fn set_wishlist_quantity(
    id: CampaignId,
    item: EquipmentItemId,
    quantity: i64,
) -> Result<(), AppError> {
    call(
        |db, user| async move { admin::set_wishlist(&db, user.as_ref(), id, item, quantity).await },
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
    call(|db, user| async move {
        admin::set_campaign_hospital(&db, user.as_ref(), id, &facility_code, served).await
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
    call(|db, user| async move {
        admin::set_campaign_partner(&db, user.as_ref(), id, partner, organiser).await
    })
    .await
}
