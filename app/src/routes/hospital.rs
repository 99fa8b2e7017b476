//! `/hospitals/{facility code}`: one hospital, what it has received (by campaign and item, each
//! unit linked to its page), what it still asks for (item, quantity, what is still missing and
//! priority; never the need's patient counts) and the campaigns that serve it.

use crate::api::hospitals::get_hospital;
use crate::components::notice::{DemoBadge, ErrorNotice};
use crate::i18n::use_lang;
use crate::model::equipment::UnitsHeld;
use crate::model::hospital::HospitalDetail;
use crate::model::request::PublicRequest;
use crate::model::status::Priority;
use crate::model::Lang;
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
            <Received held=detail.received />
            {detail.lending.filter(|l| l.states_hidden || l.ready + l.cleaning + l.repair + l.passing > 0 || l.on_loan.0 != Some(0) || !l.waiting.is_empty()).map(|lending| view! { <Lending lending /> })}
            <OpenRequests requests=detail.open_requests />
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

/// The hospital's lending to patients' homes: units by where they are, homes served this fiscal
/// year, loans out and the waiting list per item, with counts from 1 to 4 shown as "fewer than 5".
#[component]
fn Lending(lending: crate::model::loan::PublicLending) -> impl IntoView {
    use crate::model::loan::CareState;
    let lang = use_lang();
    let fy = lending.fiscal_year;
    let states = [
        (CareState::Ready, lending.ready.to_string()),
        (CareState::OnLoan, lending.on_loan.show(lang)),
        (CareState::Cleaning, lending.cleaning.to_string()),
        (CareState::Repair, lending.repair.to_string()),
        (CareState::Passing, lending.passing.to_string()),
    ];
    view! {
        <section class="lending">
            <h2>{lang.pick("การให้ยืมครุภัณฑ์ไปใช้ที่บ้านผู้ป่วย", "Equipment lent to patients' homes")}</h2>
            <dl class="facts card">
                <div>
                    <dt>{format!("{} {fy}", lang.pick("ครัวเรือนที่ได้ใช้ในปีงบประมาณ", "Homes served in fiscal year"))}</dt>
                    <dd class="homes-this-year">{lending.homes_this_year.show(lang)}</dd>
                </div>
                {if lending.states_hidden {
                    view! {
                        <div><dt>{lang.pick("ครุภัณฑ์ตามสถานะ", "Units by state")}</dt><dd class="care-hidden">{lang.pick("ไม่แสดงขณะที่ให้ยืมอยู่น้อยกว่า 5 ชิ้น", "Not shown while fewer than 5 are in homes")}</dd></div>
                    }.into_any()
                } else {
                    states.into_iter().map(|(care, n)| view! {
                        <div><dt>{care.label(lang)}</dt><dd class=format!("care-count care-{}", care.code())>{n}</dd></div>
                    }).collect_view().into_any()
                }}
            </dl>
            {(!lending.waiting.is_empty()).then(|| view! {
                <div class="table-scroll"><table class="data waiting-public">
                    <thead><tr>
                        <th>{lang.pick("ครุภัณฑ์", "Item")}</th>
                        <th>{lang.pick("รอยืม", "Waiting")}</th>
                        <th>{lang.pick("รอนานกลาง ๆ (วัน)", "Median wait (days)")}</th>
                    </tr></thead>
                    <tbody>
                        {lending.waiting.into_iter().map(|w| view! {
                            <tr>
                                <td>{w.item.get(lang).to_owned()}</td>
                                <td class="num">{w.waiting.show(lang)}</td>
                                <td class="num">{w.median_wait_days.map_or_else(|| "—".to_owned(), |d| d.to_string())}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table></div>
            })}
            <p class="hint">{lang.pick(
                "ตัวเลขเกี่ยวกับผู้ป่วยที่น้อยกว่า 5 จะไม่แสดง เพื่อไม่ให้ระบุตัวครัวเรือนได้ ไม่มีข้อมูลผู้ป่วยในระบบนี้",
                "Counts about patients below 5 are not shown, so no household can be singled out. Phapa holds no patient data.",
            )}</p>
        </section>
    }
}

/// What the hospital has confirmed receiving, by campaign and item, each unit linked by its tag.
#[component]
fn Received(held: Vec<UnitsHeld>) -> impl IntoView {
    let lang = use_lang();
    view! {
        <section class="received">
            <h2>{lang.pick("ครุภัณฑ์ที่ได้รับ", "Equipment received")}</h2>
            {if held.is_empty() {
                view! { <p class="empty">{lang.pick("ยังไม่มีครุภัณฑ์ที่ส่งมอบให้โรงพยาบาลนี้", "No equipment has been delivered to this hospital yet.")}</p> }.into_any()
            } else {
                view! {
                    <ul class="held-list">
                        {held.into_iter().map(|h| view! {
                            <li>
                                <strong>{format!("{} × {} {}", h.item.get(lang), h.count, h.unit.get(lang))}</strong>
                                <span class="small">
                                    {lang.pick(" · จาก ", " · from ")}
                                    <a href=format!("/campaigns/{}", h.campaign_id)>{h.campaign_title.get(lang).to_owned()}</a>
                                </span>
                                <TagLinks tags=h.tags />
                            </li>
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
        </section>
    }
}

/// Asset tags, each a link to its unit's page.
#[component]
fn TagLinks(tags: Vec<String>) -> impl IntoView {
    let lang = use_lang();
    (!tags.is_empty()).then(|| {
        view! {
            <ul class="tag-links" aria-label=lang.pick("รหัสครุภัณฑ์", "Asset tags")>
                {tags.into_iter().map(|tag| view! {
                    <li><a class="asset-tag" href=format!("/units/{tag}")>{tag.clone()}</a></li>
                }).collect_view()}
            </ul>
        }
    })
}

#[component]
fn OpenRequests(requests: Vec<PublicRequest>) -> impl IntoView {
    let lang = use_lang();
    view! {
        <section class="open-requests">
            <h2>{lang.pick("ครุภัณฑ์ที่ยังต้องการ", "Equipment still needed")}</h2>
            {if requests.is_empty() {
                view! { <p class="empty">{lang.pick("ไม่มีคำขอที่รออยู่", "No open requests.")}</p> }.into_any()
            } else {
                view! {
                    <ul>
                        {requests.into_iter().map(|r| view! {
                            <li>
                                {format!("{} × {} {} ", r.item.get(lang), r.quantity, r.unit.get(lang))}
                                <RequestBadge status=r.status />
                                {(r.priority == Priority::Urgent).then(|| view! { " " <span class="badge urgent">{Priority::Urgent.label(lang)}</span> })}
                                <span class="small missing">{missing_text(lang, &r)}</span>
                            </li>
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
        </section>
    }
}

/// " · ยังขาดอีก 2 เตียง" or " · 2 still to arrive"; " · ได้รับครบแล้ว" when nothing is missing.
fn missing_text(lang: Lang, r: &PublicRequest) -> String {
    match (lang, r.missing) {
        (Lang::Th, 0) => " · ได้รับครบแล้ว".to_owned(),
        (Lang::En, 0) => " · all received".to_owned(),
        (Lang::Th, n) => format!(" · ยังขาดอีก {n} {}", r.unit.get(lang)),
        (Lang::En, n) => format!(" · {n} still to arrive"),
    }
}
