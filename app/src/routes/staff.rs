//! `/staff` (the signed-in staff member's hospital) and `/staff/hospitals/{code}` (any hospital's
//! internal page, for its own staff, finance officers and administrators).

use crate::api::staff::{get_hospital_internals, staff_home};
use crate::components::guard::Refused;
use crate::components::island::island_ready;
use crate::i18n::use_lang;
use crate::model::hospital::CampaignLink;
use crate::model::hospital::HospitalInternals;
use crate::model::HospitalId;
use crate::routes::equipment::HospitalUnits;
use crate::routes::requests::HospitalRequests;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

/// The staff member's own hospital.
#[component]
pub fn StaffHomePage() -> impl IntoView {
    let internals = Resource::new(|| (), |_| staff_home());
    view! {
        <Suspense fallback=|| view! { <p class="wrap loading">"…"</p> }>
            {move || Suspend::new(async move {
                match internals.await {
                    Ok(internals) => view! { <Internals internals /> }.into_any(),
                    Err(error) => view! { <Refused error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// One hospital's internal page.
#[component]
pub fn StaffHospitalPage() -> impl IntoView {
    let params = use_params_map();
    let internals = Resource::new(
        move || params.read().get("code").unwrap_or_default(),
        get_hospital_internals,
    );
    view! {
        <Suspense fallback=|| view! { <p class="wrap loading">"…"</p> }>
            {move || Suspend::new(async move {
                match internals.await {
                    Ok(internals) => view! { <Internals internals /> }.into_any(),
                    Err(error) => view! { <Refused error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Internals(internals: HospitalInternals) -> impl IntoView {
    let lang = use_lang();
    let h = internals.hospital;
    let name = h.name.get(lang).to_owned();
    view! {
        <Title text=format!("{name} · Phapa") />
        <section class="wrap staff-page">
            <p class="crumbs">{lang.pick("หน้าสำหรับเจ้าหน้าที่", "Staff page")}</p>
            <h1>{name}</h1>
            <p>
                <a href=format!("/hospitals/{}", h.facility_code)>{lang.pick("หน้าสาธารณะของโรงพยาบาลนี้", "This hospital's public page")}</a>
            </p>
            {internals.lending.map(|counts| view! { <LendingCounts counts staff=internals.may_request /> })}
            <h2>{lang.pick("เจ้าหน้าที่ที่มีบัญชี", "Staff with accounts")}</h2>
            <ul>{internals.staff.into_iter().map(|s| view! { <li>{s}</li> }).collect_view()}</ul>
            <HospitalDesk
                hospital=internals.id
                campaigns=internals.campaigns
                may_request=internals.may_request
            />
        </section>
    }
}

/// The hospital's lending in counts (what finance and administrators see too), and for its own
/// staff the way to the lending desk.
#[component]
fn LendingCounts(counts: crate::model::loan::LoanCounts, staff: bool) -> impl IntoView {
    let lang = use_lang();
    let rows = [
        (
            lang.pick("ให้ยืมอยู่", "Loans out"),
            counts.loans_out,
            "loans-out",
        ),
        (
            lang.pick("เกินกำหนดคืน", "Overdue"),
            counts.overdue,
            "overdue",
        ),
        (lang.pick("รอยืม", "Waiting list"), counts.waiting, "waiting"),
        (
            lang.pick("รอทำความสะอาด", "Awaiting cleaning"),
            counts.cleaning,
            "cleaning",
        ),
        (lang.pick("ซ่อม", "In repair"), counts.repair, "repair"),
    ];
    view! {
        <section class="lending-counts">
            <h2>{lang.pick("การให้ยืมครุภัณฑ์ไปใช้ที่บ้าน", "Equipment lent to homes")}</h2>
            <dl class="facts card">
                {rows.into_iter().map(|(label, n, class)| view! {
                    <div><dt>{label}</dt><dd class=class>{n}</dd></div>
                }).collect_view()}
                <div>
                    <dt>{format!("{} {}", lang.pick("ครัวเรือนที่ได้ใช้ ปีงบประมาณ", "Homes served, fiscal year"), counts.fiscal_year)}</dt>
                    <dd class="homes">{counts.homes_this_year}</dd>
                </div>
            </dl>
            {staff.then(|| view! {
                <p><a class="button" href="/staff/loans">{lang.pick("ไปที่งานให้ยืม (รายการรอ ยืม คืน ทำความสะอาด ซ่อม)", "Open the lending desk (waiting list, loans, returns, cleaning, repair)")}</a></p>
            })}
        </section>
    }
}

/// The hospital's units and requests, in one island. A page holds one lazy island at most:
/// islands share one counter of resource ids in the browser, and lazy ones hydrate in the order
/// their code arrives, so two could each read the other's data and break their hydration.
#[island(lazy)]
fn HospitalDesk(
    hospital: HospitalId,
    campaigns: Vec<CampaignLink>,
    may_request: bool,
) -> impl IntoView {
    island_ready();
    view! {
        <HospitalUnits hospital may_confirm=may_request />
        <HospitalRequests hospital campaigns may_request />
    }
}
