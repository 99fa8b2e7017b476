//! Donations, receipts and ceremony-night batches. Donors pledge and look up without an
//! account; everything else is for finance officers, checked in the services.

use crate::error::AppError;
use crate::model::donation::{
    BatchInput, BatchRowInput, BatchView, DonationCreated, DonationInput, DonationView,
    FinanceCampaign, FinanceHome, LiveShown, PledgeInput, ReceiptNumber,
};
use crate::model::{BatchId, CampaignId, Lang};
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::server::service::{batches, donation_view, donations, receipts};
#[cfg(feature = "ssr")]
use crate::server::{call, call_as};

/// A donor's pledge on an open campaign. The browser is sent on to `/donations/{reference}`,
/// with or without JavaScript.
#[server(prefix = "/api", endpoint = "donations/pledge")]
pub async fn pledge(input: PledgeInput) -> Result<DonationCreated, AppError> {
    call_as(|db, caller| async move {
        let limiter = use_context::<crate::server::lookup_limit::PledgeLimiter>()
            .ok_or_else(|| crate::server::internal("no pledge limiter in the context"))?;
        let client = caller.address().unwrap_or("unknown").to_owned();
        limiter.0.take(&db, &client).await?;
        let created = donations::pledge(&db, &caller, &input).await?;
        leptos_axum::redirect(&format!("/donations/{}", created.reference));
        Ok(created)
    })
    .await
}

/// A gift recorded by a finance officer, received at once with its receipt.
#[server(prefix = "/api", endpoint = "donations/record")]
pub async fn record_donation(input: DonationInput) -> Result<DonationCreated, AppError> {
    call_as(|db, caller| async move { donations::record(&db, &caller, &input).await }).await
}

/// A donation by its reference code. Look-ups of codes that do not exist are rate-limited per
/// client address.
#[server(prefix = "/api", endpoint = "donations/get")]
pub async fn get_donation(reference: String) -> Result<DonationView, AppError> {
    call_as(|db, caller| async move {
        let limiter = use_context::<crate::server::lookup_limit::LookupLimiter>()
            .ok_or_else(|| crate::server::internal("no look-up limiter in the context"))?;
        let client = caller.address().map(str::to_owned);
        limiter
            .guarded(&db, client, donation_view::view(&db, &caller, &reference))
            .await
    })
    .await
}

/// Confirms that a pledge's money arrived (`received_on` empty: today), and how (`channel`
/// empty: as pledged). A date in an earlier fiscal year needs `backdate_reason`.
#[server(prefix = "/api", endpoint = "donations/confirm")]
pub async fn confirm_pledge(
    reference: String,
    #[server(default)] received_on: String,
    #[server(default)] channel: String,
    #[server(default)] backdate_reason: String,
) -> Result<ReceiptNumber, AppError> {
    call_as(|db, caller| async move {
        let typed = donations::Confirmation {
            received_on: &received_on,
            channel: &channel,
            backdate_reason: &backdate_reason,
        };
        donations::confirm(&db, &caller, &reference, &typed).await
    })
    .await
}

/// Voids a pledge or a received gift, with a written reason.
#[server(prefix = "/api", endpoint = "donations/void")]
pub async fn void_donation(
    reference: String,
    #[server(default)] reason: String,
) -> Result<(), AppError> {
    call_as(|db, caller| async move { donations::void(&db, &caller, &reference, &reason).await })
        .await
}

/// A public campaign's moving figures in the page's language, polled by its page: kept between
/// changes (see `server::live_figures`), so a crowd polling one campaign costs no queries.
#[server(prefix = "/api", endpoint = "campaigns/live")]
pub async fn live_figures(id: CampaignId, lang: Lang) -> Result<LiveShown, AppError> {
    call(|db, _| async move {
        let live = match use_context::<crate::server::live_figures::LiveFigures>() {
            Some(kept) => kept.get(&db, id).await?,
            None => donation_view::live(&db, id).await?,
        };
        Ok(LiveShown::of(&live, lang))
    })
    .await
}

/// A campaign's money page for finance officers; `pledges_before` and `recent_before` page back
/// through its lists (from the previous page's `pledges_older` / `recent_older`).
#[server(prefix = "/api", endpoint = "finance/campaign")]
pub async fn finance_campaign_page(
    id: CampaignId,
    #[server(default)] pledges_before: Option<i64>,
    #[server(default)] recent_before: Option<i64>,
) -> Result<FinanceCampaign, AppError> {
    call_as(|db, caller| async move {
        let pages = donation_view::Pages {
            pledges_before,
            recent_before,
        };
        donation_view::finance_campaign(&db, &caller, id, pages).await
    })
    .await
}

/// The finance home page: legal recipients for the e-Donation export, and today's date.
#[server(prefix = "/api", endpoint = "finance/home")]
pub async fn finance_home_page() -> Result<FinanceHome, AppError> {
    call_as(|db, caller| async move {
        Ok(FinanceHome {
            recipients: receipts::recipients(&db, &caller).await?,
            today: crate::server::today(),
            waiting: crate::server::service::worklist::waiting(&db, &caller).await?,
        })
    })
    .await
}

/// Opens a ceremony-night batch; the browser goes on to its page.
#[server(prefix = "/api", endpoint = "batches/open")]
pub async fn open_batch(input: BatchInput) -> Result<BatchId, AppError> {
    call_as(|db, caller| async move {
        let id = batches::open(&db, &caller, &input).await?;
        leptos_axum::redirect(&format!("/finance/batches/{id}"));
        Ok(id)
    })
    .await
}

/// A batch with one page of its envelopes, newest first (`before`: the previous page's
/// `older`).
#[server(prefix = "/api", endpoint = "batches/get")]
pub async fn get_batch(
    id: BatchId,
    #[server(default)] before: Option<i64>,
) -> Result<BatchView, AppError> {
    call_as(|db, caller| async move { batches::view(&db, &caller, id, before).await }).await
}

/// One envelope typed into a batch (idempotent by its key).
#[server(prefix = "/api", endpoint = "batches/add")]
pub async fn add_batch_row(input: BatchRowInput) -> Result<DonationCreated, AppError> {
    call_as(|db, caller| async move { batches::add_row(&db, &caller, &input).await }).await
}

/// Closes a batch: it must balance, or carry a written reason. Answers how many receipts it
/// issued.
#[server(prefix = "/api", endpoint = "batches/close")]
pub async fn close_batch(
    id: BatchId,
    #[server(default)] reason: String,
) -> Result<usize, AppError> {
    call_as(|db, caller| async move { batches::close(&db, &caller, id, &reason).await }).await
}
