//! `/finance/stock?campaign={id}`: the stock desk that puts gifts in kind into stock, allocates
//! units to hospitals and dispatches them.

use super::units::UnitTable;
use super::{campaign_from_query, ChooseCampaign};
use crate::api::admin::{list_catalog, new_form_key};
use crate::api::equipment::{
    campaign_units, served_hospitals, AllocateUnits, DispatchUnits, SetUnitCondition, WriteOffUnit,
};
use crate::api::requests::request_queue;
use crate::components::form_answer::stored_count;
use crate::components::form_answer::AnswerDock;
use crate::components::guard::{FormErrors, Refused};
use crate::components::island::island_ready;
use crate::i18n::use_lang;
use crate::model::equipment::UnitView;
use crate::model::request::{QueueFilter, RequestView};
use crate::model::status::{RequestStatus, UnitStatus};
use crate::model::{CampaignId, HospitalId, Lang};
use crate::routes::admin::reference::{FormKey, Outcome};
use leptos::prelude::*;
use leptos_meta::Title;

/// `/finance/stock?campaign={id}`.
#[component]
pub fn StockPage() -> impl IntoView {
    let lang = use_lang();
    view! {
        <Title text=lang.pick("คลังและการส่งมอบ · Phapa", "Stock and delivery · Phapa") />
        {match campaign_from_query() {
            Some(campaign) => view! { <StockDesk campaign /> }.into_any(),
            None => view! { <ChooseCampaign title=lang.pick("คลังและการส่งมอบ", "Stock and delivery") /> }.into_any(),
        }}
    }
}

/// "3 × เตียง": units grouped by item.
fn count_by_item(lang: Lang, units: &[&UnitView]) -> String {
    let mut counts: Vec<(String, i64)> = Vec::new();
    for u in units {
        let name = u.item.get(lang).to_owned();
        match counts.iter_mut().find(|(n, _)| *n == name) {
            Some((_, c)) => *c += 1,
            None => counts.push((name, 1)),
        }
    }
    counts
        .into_iter()
        .map(|(n, c)| format!("{c} × {n}"))
        .collect::<Vec<_>>()
        .join(" · ")
}

/// Allocate units to hospitals and dispatch them.
#[island(lazy)]
fn StockDesk(campaign: CampaignId) -> impl IntoView {
    island_ready();
    let lang = use_lang();
    let allocate = ServerAction::<AllocateUnits>::new();
    let dispatch = ServerAction::<DispatchUnits>::new();
    let condition = ServerAction::<SetUnitCondition>::new();
    let write_off = ServerAction::<WriteOffUnit>::new();
    let changed = move || {
        (
            allocate.version().get(),
            dispatch.version().get(),
            condition.version().get(),
            write_off.version().get(),
        )
    };
    let units = Resource::new(changed, move |_| campaign_units(campaign));
    let requests = Resource::new(changed, move |_| {
        request_queue(QueueFilter {
            campaign_id: campaign,
            ..Default::default()
        })
    });
    let hospitals = Resource::new(|| (), move |_| served_hospitals(campaign));
    let catalog = Resource::new(|| (), |_| list_catalog());
    let stored = stored_count(allocate);
    let key = Resource::new(move || stored.get(), |_| new_form_key());
    view! {
        <section class="wrap stock-desk">
            <p class="crumbs">
                <a href="/finance">{lang.pick("การเงิน", "Finance")}</a>
                " · "
                <a href=format!("/finance/purchases?campaign={campaign}")>{lang.pick("ซื้อครุภัณฑ์", "Purchases")}</a>
            </p>
            <h1>{lang.pick("คลังและการส่งมอบ", "Stock and delivery")}</h1>
            <AnswerDock fresh=Signal::derive(move || {
                allocate.version().get() + dispatch.version().get() + condition.version().get() + write_off.version().get()
            })>
            <Outcome result=allocate.value().into() />
            {move || dispatch.value().get().map(|r| match r {
                Ok(n) => view! { <p class="notice ok" role="status">{format!("{} {n} {}", lang.pick("บันทึกการจัดส่งแล้ว", "Dispatched"), lang.pick("ชิ้น", "units"))}</p> }.into_any(),
                Err(error) => view! { <FormErrors error /> }.into_any(),
            })}
            {move || condition.value().get().and_then(|r| r.err()).map(|error| view! { <FormErrors error /> })}
            {move || write_off.value().get().map(|r| match r {
                Ok(()) => view! { <p class="notice ok" role="status">{lang.pick("ตัดจำหน่ายแล้ว", "Written off.")}</p> }.into_any(),
                Err(error) => view! { <FormErrors error /> }.into_any(),
            })}
            </AnswerDock>
            <Transition fallback=|| view! { <p class="loading">"…"</p> }>
                {move || Suspend::new(async move {
                    let units = match units.await {
                        Ok(u) => u,
                        Err(error) => return view! { <Refused error /> }.into_any(),
                    };
                    let requests = requests.await.unwrap_or_default();
                    let hospitals = hospitals.await.unwrap_or_default();
                    let items = catalog.await.unwrap_or_default();
                    let in_stock: Vec<&UnitView> = units.iter().filter(|u| u.status == UnitStatus::InStock).collect();
                    // What a request still lacks: approved, less units received and units already
                    // allocated or on their way to it. A request with nothing left is not offered.
                    let on_the_way = |r: &RequestView| units.iter().filter(|u| u.request_id == Some(r.id) && matches!(u.status, UnitStatus::Allocated | UnitStatus::Dispatched)).count() as i64;
                    let waiting: Vec<(RequestView, i64)> = requests
                        .iter()
                        .filter(|r| matches!(r.status, RequestStatus::Approved | RequestStatus::PartlyFulfilled))
                        .map(|r| (r.clone(), r.approved_quantity.unwrap_or(0) - r.fulfilled_quantity - on_the_way(r)))
                        .filter(|(_, lacking)| *lacking > 0)
                        .collect();
                    // Hospitals with units allocated and not yet dispatched.
                    let mut to_dispatch: Vec<(HospitalId, String, Vec<String>)> = Vec::new();
                    for u in units.iter().filter(|u| u.status == UnitStatus::Allocated) {
                        let (Some(h), Some(name)) = (u.hospital_id, u.hospital.as_ref()) else { continue };
                        match to_dispatch.iter_mut().find(|(id, _, _)| *id == h) {
                            Some((_, _, tags)) => tags.push(u.tag.clone()),
                            None => to_dispatch.push((h, name.get(lang).to_owned(), vec![u.tag.clone()])),
                        }
                    }
                    view! {
                        <p class="summary">{format!("{}: {}", lang.pick("ในคลัง", "In stock"), if in_stock.is_empty() { lang.pick("ไม่มี", "none").to_owned() } else { count_by_item(lang, &in_stock) })}</p>
                        <h2>{lang.pick("จัดสรรตามคำขอที่อนุมัติแล้ว", "Allocate to approved requests")}</h2>
                        {if waiting.is_empty() {
                            view! { <p class="empty">{lang.pick("ไม่มีคำขอที่รอครุภัณฑ์", "No approved request is waiting for units.")}</p> }.into_any()
                        } else {
                            view! {
                                <ul class="allocations">
                                    {waiting.into_iter().map(|(r, outstanding)| {
                                        view! {
                                            <li class="card" data-request=r.id.get()>
                                                <p>
                                                    <strong>{format!("{} × {} ", r.item.get(lang), outstanding)}</strong>
                                                    {format!("{} {} ", lang.pick("ให้", "for"), r.hospital.get(lang))}
                                                    <span class="small">{format!("({} {} {})", lang.pick("อนุมัติ", "approved"), r.approved_quantity.unwrap_or(0), lang.pick("ชิ้น", "units"))}</span>
                                                </p>
                                                <ActionForm action=allocate attr:class="inline-form">
                                                    <FormKey key />
                                                    <input type="hidden" name="input[campaign_id]" value=campaign.get() />
                                                    <input type="hidden" name="input[request_id]" value=r.id.get() />
                                                    <label for=format!("al-q-{}", r.id)>{lang.pick("จำนวน", "Quantity")}</label>
                                                    <input id=format!("al-q-{}", r.id) name="input[quantity]" type="text" inputmode="numeric" value=outstanding.max(0) />
                                                    <button type="submit" class="primary">{lang.pick("จัดสรร", "Allocate")}</button>
                                                </ActionForm>
                                            </li>
                                        }
                                    }).collect_view()}
                                </ul>
                            }.into_any()
                        }}
                        <h2>{lang.pick("จัดสรรโดยไม่มีคำขอ (ต้องระบุเหตุผล)", "Allocate without a request (with a reason)")}</h2>
                        <ActionForm action=allocate attr:class="stack card allocate-form">
                            <FormKey key />
                            <input type="hidden" name="input[campaign_id]" value=campaign.get() />
                            <label for="al-hospital">{lang.pick("โรงพยาบาล", "Hospital")}</label>
                            <select id="al-hospital" name="input[hospital_id]">
                                {hospitals.into_iter().map(|h| view! { <option value=h.id.get()>{format!("{} {}", h.facility_code, h.name.get(lang))}</option> }).collect_view()}
                            </select>
                            <label for="al-item">{lang.pick("ครุภัณฑ์", "Item")}</label>
                            <select id="al-item" name="input[item]">
                                {items.into_iter().map(|i| view! { <option value=i.id.get()>{i.name.get(lang).to_owned()}</option> }).collect_view()}
                            </select>
                            <label for="al-qty">{lang.pick("จำนวน", "Quantity")}</label>
                            <input id="al-qty" name="input[quantity]" type="text" inputmode="numeric" />
                            <label for="al-tags">{lang.pick("หรือระบุรหัสครุภัณฑ์ (คั่นด้วยช่องว่าง)", "Or name the asset tags (space-separated)")}</label>
                            <input id="al-tags" name="input[tags]" type="text" />
                            <label for="al-reason">{lang.pick("เหตุผล", "Reason")}</label>
                            <input id="al-reason" name="input[reason]" type="text" maxlength="2000" required />
                            <button type="submit" class="primary">{lang.pick("จัดสรร", "Allocate")}</button>
                        </ActionForm>
                        <h2>{lang.pick("รอจัดส่ง", "Waiting to go")}</h2>
                        {if to_dispatch.is_empty() {
                            view! { <p class="empty">{lang.pick("ไม่มีครุภัณฑ์ที่รอจัดส่ง", "Nothing is waiting to go.")}</p> }.into_any()
                        } else {
                            view! {
                                <ul class="dispatches">
                                    {to_dispatch.into_iter().map(|(h, name, tags)| view! {
                                        <li class="card" data-hospital=h.get()>
                                            <p><strong>{name}</strong>{format!(" · {}", tags.join(" "))}</p>
                                            <ActionForm action=dispatch attr:class="inline-form">
                                                <input type="hidden" name="input[campaign_id]" value=campaign.get() />
                                                <input type="hidden" name="input[hospital_id]" value=h.get() />
                                                <label for=format!("dp-date-{h}")>{lang.pick("วันที่ส่ง", "Date")}</label>
                                                <input id=format!("dp-date-{h}") name="input[dispatched_on]" type="date" required />
                                                <label for=format!("dp-carrier-{h}")>{lang.pick("ผู้นำส่ง", "Carried by")}</label>
                                                <input id=format!("dp-carrier-{h}") name="input[carrier]" type="text" maxlength="300" required />
                                                <button type="submit" class="primary">{lang.pick("บันทึกการจัดส่ง", "Mark dispatched")}</button>
                                            </ActionForm>
                                        </li>
                                    }).collect_view()}
                                </ul>
                            }.into_any()
                        }}
                        <h2>{lang.pick("ครุภัณฑ์ทุกชิ้น", "Every unit")}</h2>
                        <UnitTable units condition write_off />
                    }.into_any()
                })}
            </Transition>
        </section>
    }
}
