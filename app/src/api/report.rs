//! A campaign's report: live for finance officers, and as settled for everyone. Acknowledging
//! a discrepancy and settling are plain form posts to the server's
//! `/finance/campaigns/{id}/report/acknowledge` and `/finance/campaigns/{id}/settle` (they work
//! without JavaScript); who may is checked in the service, on the server.

use crate::error::AppError;
use crate::model::report::{CampaignReport, FinanceReport};
use crate::model::CampaignId;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::server::call_as;
#[cfg(feature = "ssr")]
use crate::server::service::{exports, settlement};

/// The live report and the campaigns its balance may go to (finance officers).
#[server(prefix = "/api", endpoint = "finance/report")]
pub async fn report_for_finance(campaign: CampaignId) -> Result<FinanceReport, AppError> {
    call_as(|db, caller| async move {
        let report = settlement::report(&db, &caller, campaign).await?;
        let carry_targets = settlement::carry_targets(&db, &caller, campaign).await?;
        let fiscal_years = exports::fiscal_years(&db, &caller, campaign).await?;
        Ok(FinanceReport {
            report,
            carry_targets,
            fiscal_years,
        })
    })
    .await
}

/// The report a campaign published when it was settled; 404 before.
#[server(prefix = "/api", endpoint = "campaigns/report")]
pub async fn settled_report(campaign: CampaignId) -> Result<CampaignReport, AppError> {
    call_as(|db, _caller| async move { settlement::public_report(&db, campaign).await }).await
}
