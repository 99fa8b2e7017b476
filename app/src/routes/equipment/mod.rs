//! Finance officers' equipment desks, all lazy islands (donors never download them):
//! `/finance/purchases?campaign={id}` to record, approve, void and receive purchases;
//! `/finance/stock?campaign={id}` to put gifts in kind into stock, allocate units to hospitals
//! and dispatch them; `/finance/purchases/{id}/labels` to print a purchase's asset labels. And
//! the hospital staff's own units, to confirm what reached them.
//!
//! One file per page (purchases, labels, stock) and one for the unit tables the stock desk and
//! the hospital's units share; this file keeps what they all use and re-exports the pages.

mod labels;
mod purchases;
mod stock;
mod units;

pub use labels::LabelsPage;
pub use purchases::{PurchaseThreshold, PurchasesPage};
pub use stock::StockPage;
pub use units::HospitalUnits;

use crate::i18n::use_lang;
use crate::model::status::UnitStatus;
use crate::model::CampaignId;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

pub(crate) fn campaign_from_query() -> Option<CampaignId> {
    use_query_map()
        .read_untracked()
        .get("campaign")
        .and_then(|c| c.parse::<CampaignId>().ok())
}

#[component]
pub(crate) fn ChooseCampaign(title: &'static str) -> impl IntoView {
    let lang = use_lang();
    view! {
        <section class="wrap">
            <h1>{title}</h1>
            <p><a href="/finance">{lang.pick("เลือกกองผ้าป่าจากหน้าการเงิน", "Choose a campaign on the finance page")}</a></p>
        </section>
    }
}

/// A unit's status as a badge.
#[component]
pub fn UnitBadge(status: UnitStatus) -> impl IntoView {
    let lang = use_lang();
    view! { <span class=format!("badge unit-{}", status.code())>{status.label(lang)}</span> }
}
