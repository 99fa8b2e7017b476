//! Error and status notices.

use crate::error::AppError;
use crate::i18n::use_lang;
use crate::model::status::CampaignStatus;
use crate::routes::not_found::NotFound;
use leptos::prelude::*;

/// Shows an error from a server function: the 404 page for `NotFound`, a message otherwise.
#[component]
pub fn ErrorNotice(error: AppError) -> impl IntoView {
    let lang = use_lang();
    if error == AppError::NotFound {
        return view! { <NotFound /> }.into_any();
    }
    view! {
        <div class="wrap">
            <p class="notice error" role="alert">
                {error.message(lang)}
            </p>
        </div>
    }
    .into_any()
}

/// A campaign's status as a badge.
#[component]
pub fn StatusBadge(status: CampaignStatus) -> impl IntoView {
    let lang = use_lang();
    view! { <span class=format!("badge status-{}", status.code())>{status.label(lang)}</span> }
}

/// Marks sample data so nobody mistakes it for a real record.
#[component]
pub fn DemoBadge(is_demo: bool) -> impl IntoView {
    let lang = use_lang();
    is_demo
        .then(|| view! { <span class="badge demo">{lang.pick("ข้อมูลตัวอย่าง", "Demo data")}</span> })
}
