//! `/finance/reconcile?campaign={id}`: a finance officer's reconciliation desk. Import a bank
//! statement (preview first, with every bad row named; the upload shows its progress), see the
//! bank's balance against the books, match the credits that were not matched automatically,
//! take a wrong match back, and record a credit no pledge explains as a gift.
//!
//! The page and its island are here; the books, the upload form and the preview each have a file.

mod books;
mod preview;
mod upload;

use books::Books;
use upload::StatementUpload;

use crate::api::reconcile::{
    reconciliation_of, statement_mapping, GiftFromBankLine, MatchBankLine, SetPledgeTail,
    UnmatchBankLine,
};
use crate::components::guard::{FormErrors, Refused};
use crate::components::island::island_ready;
use crate::i18n::use_lang;
use crate::model::thai_date::{format_date, format_instant};
use crate::model::{CampaignId, Lang, Money};
use crate::routes::equipment::{campaign_from_query, ChooseCampaign};
use leptos::prelude::*;
use leptos_meta::Title;

/// The page: its address names the campaign.
#[component]
pub fn ReconcilePage() -> impl IntoView {
    let lang = use_lang();
    view! {
        <Title text=lang.pick("กระทบยอดธนาคาร · Phapa", "Bank reconciliation · Phapa") />
        {match campaign_from_query() {
            Some(campaign) => view! { <ReconcileDesk campaign /> }.into_any(),
            None => view! { <ChooseCampaign title=lang.pick("กระทบยอดธนาคาร", "Bank reconciliation") /> }.into_any(),
        }}
    }
}

/// Everything that acts (a lazy island: this code loads only here). The lists reload after
/// every import and every change of a match.
#[island(lazy)]
fn ReconcileDesk(campaign: CampaignId) -> impl IntoView {
    island_ready();
    let lang = use_lang();
    let matcher = ServerAction::<MatchBankLine>::new();
    let unmatcher = ServerAction::<UnmatchBankLine>::new();
    let gift = ServerAction::<GiftFromBankLine>::new();
    let tail = ServerAction::<SetPledgeTail>::new();
    let imports = RwSignal::new(0_u32);
    let changed = move || {
        (
            matcher.version().get(),
            unmatcher.version().get(),
            gift.version().get(),
            tail.version().get(),
            imports.get(),
        )
    };
    let overview = Resource::new(changed, move |_| reconciliation_of(campaign));
    let mapping = Resource::new(|| (), move |_| statement_mapping(campaign));
    view! {
        <section class="wrap reconcile">
            <p class="crumbs">
                <a href="/finance">{lang.pick("การเงิน", "Finance")}</a>
                " · "
                <a href=format!("/finance/campaigns/{campaign}")>{lang.pick("เงินบริจาคของกอง", "Campaign money")}</a>
            </p>
            <h1>{lang.pick("กระทบยอดธนาคาร", "Bank reconciliation")}</h1>
            {move || matcher.value().get().map(|r| match r {
                Ok(()) => view! { <p class="notice ok" role="status">{lang.pick("จับคู่แล้ว", "Matched.")}</p> }.into_any(),
                Err(error) => view! { <FormErrors error /> }.into_any(),
            })}
            {move || unmatcher.value().get().map(|r| match r {
                Ok(()) => view! { <p class="notice ok" role="status">{lang.pick("ยกเลิกการจับคู่แล้ว", "Unmatched.")}</p> }.into_any(),
                Err(error) => view! { <FormErrors error /> }.into_any(),
            })}
            {move || gift.value().get().map(|r| match r {
                Ok(reference) => view! {
                    <p class="notice ok" role="status">
                        {lang.pick("บันทึกเป็นเงินบริจาคแล้ว ", "Recorded as a gift: ")}
                        <a href=format!("/donations/{reference}")>{reference.clone()}</a>
                    </p>
                }.into_any(),
                Err(error) => view! { <FormErrors error /> }.into_any(),
            })}
            {move || tail.value().get().and_then(|r| r.err()).map(|error| view! { <FormErrors error /> })}
            <Suspense fallback=|| view! { <p class="loading">"…"</p> }>
                {move || Suspend::new(async move {
                    match mapping.await {
                        Ok(saved) => view! { <StatementUpload campaign saved imports /> }.into_any(),
                        Err(error) => view! { <Refused error /> }.into_any(),
                    }
                })}
            </Suspense>
            <Transition fallback=|| view! { <p class="loading">"…"</p> }>
                {move || Suspend::new(async move {
                    match overview.await {
                        Ok(r) => view! { <Books r matcher unmatcher gift tail /> }.into_any(),
                        Err(error) => view! { <Refused error /> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

/// `2026-11-24` as `24 พ.ย. 2569`.
fn day(lang: Lang, iso: &str) -> String {
    chrono::NaiveDate::parse_from_str(iso, "%Y-%m-%d")
        .map(|d| format_date(d, lang))
        .unwrap_or_else(|_| iso.to_owned())
}

/// An RFC 3339 instant in Bangkok time.
fn instant(lang: Lang, at: &str) -> String {
    chrono::DateTime::parse_from_rfc3339(at)
        .map(|t| format_instant(t.to_utc(), lang))
        .unwrap_or_else(|_| at.to_owned())
}

/// A signed satang difference: `+฿12.00` or `−฿12.00`.
fn signed(satang: i64) -> String {
    let sign = if satang < 0 { "−" } else { "+" };
    format!("{sign}{}", Money::from_satang(satang.abs()))
}
