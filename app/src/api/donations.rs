//! Donations, receipts and ceremony-night batches. Donors pledge and look up without an
//! account; everything else is for finance officers, checked in the services.

use crate::error::AppError;
use crate::model::donation::{
    BatchInput, BatchRowInput, BatchView, CampaignLive, DonationCreated, DonationInput,
    DonationView, FinanceCampaign, FinanceHome, PledgeInput, ReceiptNumber,
};
use crate::model::{BatchId, CampaignId};
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::server::{batches, call, donations};

/// A donor's pledge on an open campaign. The browser is sent on to `/donations/{reference}`,
/// with or without JavaScript.
#[server(prefix = "/api", endpoint = "donations/pledge")]
pub async fn pledge(input: PledgeInput) -> Result<DonationCreated, AppError> {
    call(|db, _| async move {
        let limiter = use_context::<crate::server::lookup_limit::PledgeLimiter>()
            .ok_or_else(|| crate::server::internal("no pledge limiter in the context"))?;
        let client = crate::server::client_address().unwrap_or_else(|| "unknown".into());
        limiter.0.check(&client)?;
        let created = donations::pledge(&db, &input).await?;
        limiter.0.record_miss(&client);
        leptos_axum::redirect(&format!("/donations/{}", created.reference));
        Ok(created)
    })
    .await
}

/// A gift recorded by a finance officer, received at once with its receipt.
#[server(prefix = "/api", endpoint = "donations/record")]
pub async fn record_donation(input: DonationInput) -> Result<DonationCreated, AppError> {
    call(|db, user| async move { donations::record(&db, user.as_ref(), &input).await }).await
}

/// A donation by its reference code. Look-ups of codes that do not exist are rate-limited per
/// client address.
#[server(prefix = "/api", endpoint = "donations/get")]
pub async fn get_donation(reference: String) -> Result<DonationView, AppError> {
    call(|db, user| async move {
        let limiter = use_context::<crate::server::lookup_limit::LookupLimiter>()
            .ok_or_else(|| crate::server::internal("no look-up limiter in the context"))?;
        let client = crate::server::client_address();
        limiter
            .guarded(client, donations::view(&db, user.as_ref(), &reference))
            .await
    })
    .await
}

/// Confirms that a pledge's money arrived (`received_on` empty: today), and how (`channel`
/// empty: as pledged).
#[server(prefix = "/api", endpoint = "donations/confirm")]
pub async fn confirm_pledge(
    reference: String,
    #[server(default)] received_on: String,
    #[server(default)] channel: String,
) -> Result<ReceiptNumber, AppError> {
    call(|db, user| async move {
        donations::confirm(&db, user.as_ref(), &reference, &received_on, &channel).await
    })
    .await
}

/// Voids a pledge or a received gift, with a written reason.
#[server(prefix = "/api", endpoint = "donations/void")]
pub async fn void_donation(
    reference: String,
    #[server(default)] reason: String,
) -> Result<(), AppError> {
    call(|db, user| async move { donations::void(&db, user.as_ref(), &reference, &reason).await })
        .await
}

/// A public campaign's moving figures, polled by its page.
#[server(prefix = "/api", endpoint = "campaigns/live")]
pub async fn live_figures(id: CampaignId) -> Result<CampaignLive, AppError> {
    call(|db, _| async move { donations::live(&db, id).await }).await
}

/// A campaign's money page for finance officers.
#[server(prefix = "/api", endpoint = "finance/campaign")]
pub async fn finance_campaign_page(id: CampaignId) -> Result<FinanceCampaign, AppError> {
    call(|db, user| async move { donations::finance_campaign(&db, user.as_ref(), id).await }).await
}

/// The finance home page: legal recipients for the e-Donation export, and today's date.
#[server(prefix = "/api", endpoint = "finance/home")]
pub async fn finance_home_page() -> Result<FinanceHome, AppError> {
    call(|db, user| async move {
        Ok(FinanceHome {
            recipients: crate::server::receipts::recipients(&db, user.as_ref()).await?,
            today: crate::server::today(),
        })
    })
    .await
}

/// Opens a ceremony-night batch; the browser goes on to its page.
#[server(prefix = "/api", endpoint = "batches/open")]
pub async fn open_batch(input: BatchInput) -> Result<BatchId, AppError> {
    call(|db, user| async move {
        let id = batches::open(&db, user.as_ref(), &input).await?;
        leptos_axum::redirect(&format!("/finance/batches/{id}"));
        Ok(id)
    })
    .await
}

/// A batch with its envelopes.
#[server(prefix = "/api", endpoint = "batches/get")]
pub async fn get_batch(id: BatchId) -> Result<BatchView, AppError> {
    call(|db, user| async move { batches::view(&db, user.as_ref(), id).await }).await
}

/// One envelope typed into a batch (idempotent by its key).
#[server(prefix = "/api", endpoint = "batches/add")]
pub async fn add_batch_row(input: BatchRowInput) -> Result<DonationCreated, AppError> {
    call(|db, user| async move { batches::add_row(&db, user.as_ref(), &input).await }).await
}

/// Closes a batch: it must balance, or carry a written reason. Answers how many receipts it
/// issued.
#[server(prefix = "/api", endpoint = "batches/close")]
pub async fn close_batch(
    id: BatchId,
    #[server(default)] reason: String,
) -> Result<usize, AppError> {
    call(|db, user| async move { batches::close(&db, user.as_ref(), id, &reason).await }).await
}
