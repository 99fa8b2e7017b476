//! Public campaign reads.

use crate::error::AppError;
use crate::model::campaign::{CampaignDetail, CampaignSummary};
use crate::model::CampaignId;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::server::{call, db::campaign as campaigns, today};

/// Every public campaign with its progress, for the front page.
#[server(prefix = "/api", endpoint = "campaigns/list")]
pub async fn list_campaigns() -> Result<Vec<CampaignSummary>, AppError> {
    call(|db, _| async move {
        Ok(campaigns::list_public(&mut *db.reader().acquire().await?, today()).await?)
    })
    .await
}

/// One public campaign's page; `NotFound` (404) for drafts and unknown ids. It holds nothing
/// per visitor (the pledge form's key is made in the browser), so the page may be cached.
#[server(prefix = "/api", endpoint = "campaigns/get")]
pub async fn get_campaign(id: CampaignId) -> Result<CampaignDetail, AppError> {
    call(|db, _| async move {
        campaigns::detail(&mut *db.reader().acquire().await?, id, today())
            .await?
            .ok_or(AppError::NotFound)
    })
    .await
}
