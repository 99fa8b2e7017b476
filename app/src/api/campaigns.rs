//! Public campaign reads.

use crate::error::AppError;
use crate::model::campaign::{CampaignDetail, CampaignSummary};
use crate::model::CampaignId;
use leptos::prelude::*;

/// Every public campaign with its progress, for the front page.
#[server(prefix = "/api", endpoint = "campaigns/list")]
pub async fn list_campaigns() -> Result<Vec<CampaignSummary>, AppError> {
    use crate::server;
    server::finish(
        async {
            let db = server::db_from_context()?;
            Ok(server::db::campaigns::list_public(&db, server::today()).await?)
        }
        .await,
    )
}

/// One public campaign's page; `NotFound` (404) for drafts and unknown ids.
#[server(prefix = "/api", endpoint = "campaigns/get")]
pub async fn get_campaign(id: CampaignId) -> Result<CampaignDetail, AppError> {
    use crate::server;
    server::finish(
        async {
            let db = server::db_from_context()?;
            server::db::campaigns::detail(&db, id, server::today())
                .await?
                .ok_or(AppError::NotFound)
        }
        .await,
    )
}
