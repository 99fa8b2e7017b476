//! Purchases, stock and delivery: finance officers buy from a campaign's fund, receive, allocate
//! and dispatch; a hospital's staff confirm what reached them; anyone reads a unit's page and
//! where a donation's money went. Who may do what is checked in the services, on the server.

use crate::error::AppError;
use crate::model::equipment::{
    AllocateInput, ConditionInput, ConfirmInput, DispatchInput, DonationTrace, EventView,
    FundBalance, LabelSheet, PublicUnit, PurchaseInput, PurchaseView, ReceiveInput, ServedHospital,
    UnitView, WriteOffInput,
};
use crate::model::{CampaignId, HospitalId, Money, PurchaseId};
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::server::service::{purchases, stock, trace};
#[cfg(feature = "ssr")]
use crate::server::{call, call_as};

/// A campaign's money for the purchase desk (finance officers).
#[server(prefix = "/api", endpoint = "purchases/balance")]
pub async fn get_fund_balance(campaign: CampaignId) -> Result<FundBalance, AppError> {
    call_as(|db, caller| async move { purchases::balance(&db, &caller, campaign).await }).await
}

/// The total above which a campaign's purchases need a second finance officer.
#[server(prefix = "/api", endpoint = "purchases/threshold")]
pub async fn get_purchase_threshold(campaign: CampaignId) -> Result<Money, AppError> {
    call_as(|db, caller| async move { purchases::threshold(&db, &caller, campaign).await }).await
}

/// Sets that total (administrators).
#[server(prefix = "/api", endpoint = "purchases/set-threshold")]
pub async fn set_purchase_threshold(campaign: CampaignId, amount: String) -> Result<(), AppError> {
    call_as(
        |db, caller| async move { purchases::set_threshold(&db, &caller, campaign, &amount).await },
    )
    .await
}

/// Records a purchase from a campaign's fund (finance officers). Idempotent by the form's key.
#[server(prefix = "/api", endpoint = "purchases/record")]
pub async fn record_purchase(input: PurchaseInput) -> Result<PurchaseId, AppError> {
    call_as(|db, caller| async move { purchases::record(&db, &caller, &input).await }).await
}

/// The second approval of a purchase above the campaign's threshold (never its recorder).
#[server(prefix = "/api", endpoint = "purchases/approve")]
pub async fn approve_purchase(id: PurchaseId) -> Result<(), AppError> {
    call_as(|db, caller| async move { purchases::approve(&db, &caller, id).await }).await
}

/// Voids a purchase with a reason while none of its units has left stock.
#[server(prefix = "/api", endpoint = "purchases/void")]
pub async fn void_purchase(id: PurchaseId, reason: String) -> Result<(), AppError> {
    call_as(|db, caller| async move { purchases::void(&db, &caller, id, &reason).await }).await
}

/// Receives an approved purchase into stock as tagged units.
#[server(prefix = "/api", endpoint = "purchases/receive")]
pub async fn receive_purchase(input: ReceiveInput) -> Result<i64, AppError> {
    call_as(|db, caller| async move { purchases::receive(&db, &caller, &input).await }).await
}

/// A campaign's purchases (finance officers).
#[server(prefix = "/api", endpoint = "purchases/list")]
pub async fn list_purchases(campaign: CampaignId) -> Result<Vec<PurchaseView>, AppError> {
    call_as(|db, caller| async move { purchases::of_campaign(&db, &caller, campaign).await }).await
}

/// One purchase (finance officers).
#[server(prefix = "/api", endpoint = "purchases/get")]
pub async fn get_purchase(id: PurchaseId) -> Result<PurchaseView, AppError> {
    call_as(|db, caller| async move { purchases::detail(&db, &caller, id).await }).await
}

/// Puts a received gift in kind into stock (finance officers).
#[server(prefix = "/api", endpoint = "stock/gift")]
pub async fn stock_gift(reference: String) -> Result<i64, AppError> {
    call_as(|db, caller| async move { stock::stock_gift(&db, &caller, &reference).await }).await
}

/// A campaign's received gifts in kind not yet in stock (finance officers).
#[server(prefix = "/api", endpoint = "stock/gifts")]
pub async fn gifts_to_stock(campaign: CampaignId) -> Result<Vec<(String, Money)>, AppError> {
    call_as(|db, caller| async move { stock::gifts_to_stock(&db, &caller, campaign).await }).await
}

/// Allocates units from stock to a hospital (finance officers). Idempotent by the form's key.
#[server(prefix = "/api", endpoint = "stock/allocate")]
pub async fn allocate_units(input: AllocateInput) -> Result<Vec<String>, AppError> {
    call_as(|db, caller| async move { stock::allocate(&db, &caller, &input).await }).await
}

/// Marks a hospital's allocated units dispatched (finance officers).
#[server(prefix = "/api", endpoint = "stock/dispatch")]
pub async fn dispatch_units(input: DispatchInput) -> Result<i64, AppError> {
    call_as(|db, caller| async move { stock::dispatch(&db, &caller, &input).await }).await
}

/// A hospital accepts or rejects a delivered unit (its own staff only).
#[server(prefix = "/api", endpoint = "stock/confirm")]
/// Answers whether the unit was accepted (`true`) or sent back (`false`).
pub async fn confirm_unit(input: ConfirmInput) -> Result<bool, AppError> {
    call_as(|db, caller| async move { stock::confirm(&db, &caller, &input).await }).await
}

/// Sets a unit's functional status (finance officers, or the staff of the hospital holding it).
#[server(prefix = "/api", endpoint = "stock/condition")]
pub async fn set_unit_condition(input: ConditionInput) -> Result<(), AppError> {
    call_as(|db, caller| async move { stock::set_condition(&db, &caller, &input).await }).await
}

/// Writes a unit off for good, with a reason (finance officers).
#[server(prefix = "/api", endpoint = "stock/write-off")]
pub async fn write_off_unit(input: WriteOffInput) -> Result<(), AppError> {
    call_as(|db, caller| async move { stock::write_off(&db, &caller, &input).await }).await
}

/// A campaign's units (finance officers).
#[server(prefix = "/api", endpoint = "stock/of-campaign")]
pub async fn campaign_units(campaign: CampaignId) -> Result<Vec<UnitView>, AppError> {
    call_as(|db, caller| async move { stock::of_campaign(&db, &caller, campaign).await }).await
}

/// A hospital's units (its staff, finance officers, administrators).
#[server(prefix = "/api", endpoint = "stock/of-hospital")]
pub async fn hospital_units(hospital: HospitalId) -> Result<Vec<UnitView>, AppError> {
    call_as(|db, caller| async move { stock::of_hospital(&db, &caller, hospital).await }).await
}

/// A purchase's units, for its labels (finance officers).
#[server(prefix = "/api", endpoint = "stock/of-purchase")]
pub async fn purchase_units(purchase: PurchaseId) -> Result<Vec<UnitView>, AppError> {
    call_as(|db, caller| async move { stock::of_purchase(&db, &caller, purchase).await }).await
}

/// A purchase's printable labels with QR codes (finance officers).
#[server(prefix = "/api", endpoint = "stock/labels")]
pub async fn purchase_labels(purchase: PurchaseId) -> Result<LabelSheet, AppError> {
    call_as(|db, caller| async move {
        let (base, configured) = site_address();
        let labels = stock::labels(&db, &caller, purchase, &base).await?;
        Ok(LabelSheet {
            labels,
            base,
            configured,
        })
    })
    .await
}

/// The site's address for links printed on paper, and whether it was configured:
/// `PHAPA_PUBLIC_URL` when set, else the address this request came to.
#[cfg(feature = "ssr")]
fn site_address() -> (String, bool) {
    if let Some(url) = std::env::var("PHAPA_PUBLIC_URL")
        .ok()
        .filter(|u| !u.trim().is_empty())
    {
        return (url.trim().trim_end_matches('/').to_owned(), true);
    }
    let host = use_context::<http::request::Parts>()
        .and_then(|p| {
            p.headers
                .get("host")
                .and_then(|h| h.to_str().ok())
                .map(str::to_owned)
        })
        .unwrap_or_else(|| "localhost:3000".into());
    (format!("http://{host}"), false)
}

/// The hospitals a campaign serves, for the allocation form (finance officers).
#[server(prefix = "/api", endpoint = "stock/hospitals")]
pub async fn served_hospitals(campaign: CampaignId) -> Result<Vec<ServedHospital>, AppError> {
    call_as(|db, caller| async move { stock::served_hospitals(&db, &caller, campaign).await }).await
}

/// One unit with its history (finance officers, or staff of the hospital it is at).
#[server(prefix = "/api", endpoint = "stock/unit")]
pub async fn unit_detail(tag: String) -> Result<(UnitView, Vec<EventView>), AppError> {
    call_as(|db, caller| async move { stock::detail(&db, &caller, &tag).await }).await
}

/// A unit's public page.
#[server(prefix = "/api", endpoint = "units/get")]
pub async fn get_public_unit(tag: String) -> Result<PublicUnit, AppError> {
    call(|db, _| async move { trace::unit_page(&db, &tag).await }).await
}

/// Where a received donation's money went.
#[server(prefix = "/api", endpoint = "donations/trace")]
pub async fn get_donation_trace(reference: String) -> Result<DonationTrace, AppError> {
    // Guarded like the donation page: misses count against the caller's look-up limit, so the
    // trace cannot be used to probe references.
    call_as(|db, caller| async move {
        let limiter = use_context::<crate::server::lookup_limit::LookupLimiter>()
            .ok_or_else(|| crate::server::internal("no look-up limiter in the context"))?;
        let client = caller.address().map(str::to_owned);
        limiter
            .guarded(&db, client, trace::donation(&db, &reference))
            .await
    })
    .await
}
