//! `/hospitals/{facility code}`: one hospital, what it still asks for (item, quantity and
//! priority; never the need's patient counts), the campaigns that serve it and what it has
//! received (filled in once equipment is allocated).

use crate::api::hospitals::get_hospital;
use crate::components::notice::{DemoBadge, ErrorNotice};
use crate::i18n::use_lang;
use crate::model::hospital::HospitalDetail;
use crate::model::status::Priority;
use crate::routes::requests::RequestBadge;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

/// The hospital page.
#[component]
pub fn HospitalPage() -> impl IntoView {
    let params = use_params_map();
    let hospital = Resource::new(
        move || params.read().get("code").unwrap_or_default(),
        get_hospital,
    );
    view! {
        <Suspense fallback=|| view! { <p class="wrap loading">"…"</p> }>
            {move || Suspend::new(async move {
                match hospital.await {
                    Ok(detail) => view! { <HospitalView detail /> }.into_any(),
                    Err(error) => view! { <ErrorNotice error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn HospitalView(detail: HospitalDetail) -> impl IntoView {
    let lang = use_lang();
    let h = detail.hospital;
    let name = h.name.get(lang).to_owned();
    view! {
        <Title text=format!("{name} · Phapa") />
        <article class="wrap hospital-page">
            <p class="crumbs"><a href="/hospitals">{lang.pick("โรงพยาบาลทั้งหมด", "All hospitals")}</a></p>
            <h1>{name}</h1>
            <p>
                <DemoBadge is_demo=h.is_demo />
                " "
                <span class="badge">{h.kind.label(lang)}</span>
            </p>
            <dl class="facts">
                <div><dt>{lang.pick("รหัสหน่วยบริการ", "Facility code")}</dt><dd>{h.facility_code.clone()}</dd></div>
                <div><dt>{lang.pick("ตำบล", "Sub-district")}</dt><dd>{h.subdistrict.get(lang).to_owned()}</dd></div>
                <div><dt>{lang.pick("อำเภอ", "District")}</dt><dd>{h.district.get(lang).to_owned()}</dd></div>
                <div><dt>{lang.pick("จังหวัด", "Province")}</dt><dd>{h.province.get(lang).to_owned()}</dd></div>
            </dl>
            <section>
                <h2>{lang.pick("ครุภัณฑ์ที่ได้รับ", "Equipment received")}</h2>
                <p class="empty">{lang.pick("ยังไม่มีครุภัณฑ์ที่ส่งมอบให้โรงพยาบาลนี้", "No equipment has been delivered to this hospital yet.")}</p>
            </section>
            <section class="open-requests">
                <h2>{lang.pick("ครุภัณฑ์ที่ยังต้องการ", "Equipment still needed")}</h2>
                {if detail.open_requests.is_empty() {
                    view! { <p class="empty">{lang.pick("ไม่มีคำขอที่รออยู่", "No open requests.")}</p> }.into_any()
                } else {
                    view! {
                        <ul>
                            {detail.open_requests.into_iter().map(|r| view! {
                                <li>
                                    {format!("{} × {} {} ", r.item.get(lang), r.quantity, r.unit.get(lang))}
                                    <RequestBadge status=r.status />
                                    {(r.priority == Priority::Urgent).then(|| view! { " " <span class="badge urgent">{Priority::Urgent.label(lang)}</span> })}
                                </li>
                            }).collect_view()}
                        </ul>
                    }.into_any()
                }}
            </section>
            <section>
                <h2>{lang.pick("กองผ้าป่าที่สนับสนุน", "Campaigns serving this hospital")}</h2>
                {if detail.campaigns.is_empty() {
                    view! { <p class="empty">{lang.pick("ยังไม่มี", "None yet.")}</p> }.into_any()
                } else {
                    view! {
                        <ul>
                            {detail.campaigns.into_iter().map(|c| view! {
                                <li><a href=format!("/campaigns/{}", c.id)>{c.title.get(lang).to_owned()}</a></li>
                            }).collect_view()}
                        </ul>
                    }.into_any()
                }}
            </section>
        </article>
    }
}
