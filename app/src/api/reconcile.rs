//! Reconciliation: a campaign's bank lines against its donations, for finance officers. The
//! statement files themselves come in over `POST /finance/campaigns/{id}/statements/…` (the
//! server's raw-body routes, so a large file shows its upload progress); these functions read
//! the result and change matches. Who may is checked in the service, on the server.

use crate::error::AppError;
use crate::model::statement::{
    ConfirmGroupInput, DeskQuery, GiftFromLineInput, GroupOutcome, Mapping, MatchInput,
    Reconciliation,
};
use crate::model::CampaignId;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::server::call_as;
#[cfg(feature = "ssr")]
use crate::server::service::statements;

/// The bank against the books for a campaign: imports, balances, matches and both unmatched
/// lists.
#[server(prefix = "/api", endpoint = "reconcile/overview")]
pub async fn reconciliation_of(
    campaign: CampaignId,
    query: DeskQuery,
) -> Result<Reconciliation, AppError> {
    call_as(
        |db, caller| async move { statements::overview_of(&db, &caller, campaign, &query).await },
    )
    .await
}

/// The column mapping saved for a campaign's bank account (the K-BIZ preset when none is).
#[server(prefix = "/api", endpoint = "reconcile/mapping")]
pub async fn statement_mapping(campaign: CampaignId) -> Result<Mapping, AppError> {
    call_as(|db, caller| async move { statements::mapping_for(&db, &caller, campaign).await }).await
}

/// Matches a credit to a donation by its reference; a pledge becomes received.
#[server(prefix = "/api", endpoint = "reconcile/match")]
pub async fn match_bank_line(input: MatchInput) -> Result<(), AppError> {
    call_as(|db, caller| async move { statements::match_line(&db, &caller, &input).await }).await
}

/// Takes a match back, with a reason.
#[server(prefix = "/api", endpoint = "reconcile/unmatch")]
/// Answers the reference of the donation the line was matched to (it stays received).
pub async fn unmatch_bank_line(line_id: i64, reason: String) -> Result<String, AppError> {
    call_as(|db, caller| async move { statements::unmatch(&db, &caller, line_id, &reason).await })
        .await
}

/// Records a credit that no pledge explains as a gift and matches it. Returns the reference.
#[server(prefix = "/api", endpoint = "reconcile/gift")]
pub async fn gift_from_bank_line(input: GiftFromLineInput) -> Result<String, AppError> {
    call_as(|db, caller| async move { statements::gift_from_line(&db, &caller, &input).await })
        .await
}

/// Confirms a group of suggested matches the officer has read; what was matched and not.
#[server(prefix = "/api", endpoint = "reconcile/confirm-group")]
pub async fn confirm_suggestions(input: ConfirmGroupInput) -> Result<GroupOutcome, AppError> {
    call_as(|db, caller| async move { statements::confirm_group(&db, &caller, &input).await }).await
}

/// Sets after how many days the campaign's unpaid pledges lapse.
#[server(prefix = "/api", endpoint = "reconcile/lapse-days")]
pub async fn set_lapse_days(campaign: CampaignId, days: String) -> Result<(), AppError> {
    call_as(
        |db, caller| async move { statements::set_lapse_days(&db, &caller, campaign, &days).await },
    )
    .await
}

/// Turns the satang tail on the campaign's new pledges on or off.
#[server(prefix = "/api", endpoint = "reconcile/pledge-tail")]
pub async fn set_pledge_tail(campaign: CampaignId, on: bool) -> Result<(), AppError> {
    call_as(
        |db, caller| async move { statements::set_pledge_tail(&db, &caller, campaign, on).await },
    )
    .await
}
