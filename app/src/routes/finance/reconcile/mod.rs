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
    reconciliation_of, statement_mapping, ConfirmSuggestions, GiftFromBankLine, MatchBankLine,
    SetPledgeTail, UnmatchBankLine,
};
use crate::components::form_answer::AnswerDock;
use crate::components::guard::{FormErrors, Refused};
use crate::components::island::island_ready;
use crate::i18n::use_lang;
use crate::model::statement::DeskQuery;
use crate::model::{CampaignId, Money};
use crate::routes::equipment::{campaign_from_query, ChooseCampaign};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

/// The page: its address names the campaign.
#[component]
pub fn ReconcilePage() -> impl IntoView {
    let lang = use_lang();
    view! {
        <Title text=lang.pick("กระทบยอดธนาคาร · Phapa", "Bank reconciliation · Phapa") />
        {match campaign_from_query() {
            Some(campaign) => view! { <ReconcileDesk campaign query=desk_query() /> }.into_any(),
            None => view! { <ChooseCampaign title=lang.pick("กระทบยอดธนาคาร", "Bank reconciliation") /> }.into_any(),
        }}
    }
}

/// The desk's filters and page from the address (read on the server: islands have no router).
fn desk_query() -> DeskQuery {
    let q = use_query_map().read_untracked();
    let text = |name: &str| q.get(name).unwrap_or_default();
    DeskQuery {
        from: text("from"),
        to: text("to"),
        min: text("min"),
        max: text("max"),
        page: text("page").parse().unwrap_or(1),
    }
}

/// Everything that acts (a lazy island: this code loads only here). The lists reload after
/// every import and every change of a match.
#[island(lazy)]
fn ReconcileDesk(campaign: CampaignId, query: DeskQuery) -> impl IntoView {
    island_ready();
    let lang = use_lang();
    let matcher = ServerAction::<MatchBankLine>::new();
    let unmatcher = ServerAction::<UnmatchBankLine>::new();
    let gift = ServerAction::<GiftFromBankLine>::new();
    let tail = ServerAction::<SetPledgeTail>::new();
    let group = ServerAction::<ConfirmSuggestions>::new();
    let imports = RwSignal::new(0_u32);
    let changed = move || {
        (
            matcher.version().get(),
            unmatcher.version().get(),
            gift.version().get(),
            tail.version().get(),
            group.version().get(),
            imports.get(),
        )
    };
    let overview = Resource::new(changed, move |_| reconciliation_of(campaign, query.clone()));
    let mapping = Resource::new(|| (), move |_| statement_mapping(campaign));
    view! {
        <section class="wrap reconcile">
            <p class="crumbs">
                <a href="/finance">{lang.pick("การเงิน", "Finance")}</a>
                " · "
                <a href=format!("/finance/campaigns/{campaign}")>{lang.pick("เงินบริจาคของกอง", "Campaign money")}</a>
            </p>
            <h1>{lang.pick("กระทบยอดธนาคาร", "Bank reconciliation")}</h1>
            // Answers stay in view at the bottom of the window, beside whatever line was acted
            // on, however far down the desk it is.
            <AnswerDock fresh=Signal::derive(move || {
                matcher.version().get() + unmatcher.version().get() + gift.version().get() + tail.version().get()
            })>
            {move || matcher.value().get().map(|r| match r {
                Ok(()) => view! { <p class="notice ok" role="status">{lang.pick("จับคู่แล้ว", "Matched.")}</p> }.into_any(),
                Err(error) => view! { <FormErrors error /> }.into_any(),
            })}
            {move || unmatcher.value().get().map(|r| match r {
                // The donation keeps its receipt: say so, and offer the two honest ways on.
                Ok(reference) => view! {
                    <div class="notice ok unmatched-next" role="status">
                        <p>
                            {lang.pick("ยกเลิกการจับคู่แล้ว รายการบริจาค ", "Unmatched. Donation ")}
                            <a href=format!("/donations/{reference}")>{reference.clone()}</a>
                            {lang.pick(
                                " ยังเป็น \"ได้รับแล้ว\" พร้อมใบเสร็จเดิม จากนี้ทำได้สองทาง:",
                                " is still received, with its receipt. Two ways on:",
                            )}
                        </p>
                        <ul>
                            <li>{lang.pick(
                                "ถ้าเงินเข้ามาจริงในรายการอื่น: จับคู่กับรายการเดินบัญชีนั้น (รายการบริจาคนี้จะอยู่ในตัวเลือกของเงินเข้าที่ยอดเท่ากัน)",
                                "If its money came in another line: match it to that line (it is offered with the credits of its amount).",
                            )}</li>
                            <li>
                                {lang.pick("ถ้าไม่มีเงินเข้าจริง: ", "If its money never came: ")}
                                <a href=format!("/donations/{reference}")>{lang.pick("ยกเลิกรายการบริจาคพร้อมเหตุผล (ใบเสร็จจะแสดงว่ายกเลิก)", "void the donation with a reason (its receipt shows VOID)")}</a>
                            </li>
                        </ul>
                    </div>
                }.into_any(),
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
            </AnswerDock>
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
                        Ok(r) => view! { <Books r matcher unmatcher gift tail group /> }.into_any(),
                        // A filter typed wrong: say which, and offer the desk without filters.
                        Err(error @ crate::error::AppError::Validation(_)) => view! {
                            <FormErrors error />
                            <p><a href=format!("/finance/reconcile?campaign={}", campaign.get())>{lang.pick("ล้างตัวกรองและแสดงทุกรายการ", "Clear the filters and show every credit")}</a></p>
                        }.into_any(),
                        Err(error) => view! { <Refused error /> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

/// A signed satang difference: `+฿12.00` or `−฿12.00`.
fn signed(satang: i64) -> String {
    let sign = if satang < 0 { "−" } else { "+" };
    format!("{sign}{}", Money::from_satang(satang.abs()))
}
