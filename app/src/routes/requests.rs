//! Equipment requests in the browser: a hospital's own list and request form (on its staff
//! page), and the finance officers' review queue at `/finance/requests?campaign={id}`. Both are
//! lazy islands: donors never download them.

use crate::api::admin::{list_catalog, new_form_key};
use crate::api::requests::{
    hospital_requests, request_queue, DecideRequest, SubmitRequest, WithdrawRequest,
};
use crate::components::form_answer::stored_count;
use crate::components::form_answer::{AnswerDock, FormAnswer};
use crate::components::guard::{FormErrors, Refused};
use crate::components::island::{announced, island_ready};
use crate::i18n::use_lang;
use crate::model::hospital::CampaignLink;
use crate::model::request::{QueueFilter, RequestView};
use crate::model::status::{Priority, RequestStatus};
use crate::model::{CampaignId, EquipmentItemId, HospitalId, Lang};
use crate::routes::admin::reference::{FormKey, Outcome};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

/// A request's status as a badge.
#[component]
pub fn RequestBadge(status: RequestStatus) -> impl IntoView {
    let lang = use_lang();
    view! { <span class=format!("badge request-{}", status.code())>{status.label(lang)}</span> }
}

/// "3 (ขอ 4)": the approved quantity beside what was asked, or just what was asked.
fn quantity_text(lang: Lang, r: &RequestView) -> String {
    match r.approved_quantity {
        Some(q) if q != r.quantity => format!("{q} ({} {})", lang.pick("ขอ", "asked"), r.quantity),
        Some(q) => q.to_string(),
        None => r.quantity.to_string(),
    }
}

/// "ติดบ้าน 6 · ติดเตียง 5 · ระยะท้าย 1 · มีอยู่ 2".
fn need_text(lang: Lang, r: &RequestView) -> String {
    let n = r.need;
    format!(
        "{} {} · {} {} · {} {} · {} {}",
        lang.pick("ติดบ้าน", "Home-bound"),
        n.homebound,
        lang.pick("ติดเตียง", "bed-bound"),
        n.bedbound,
        lang.pick("ระยะท้าย", "end of life"),
        n.end_of_life,
        lang.pick("มีอยู่", "held"),
        n.units_held
    )
}

/// A hospital's requests and, for its own staff, the form to ask for more.
#[component]
pub fn HospitalRequests(
    hospital: HospitalId,
    campaigns: Vec<CampaignLink>,
    may_request: bool,
) -> impl IntoView {
    let lang = use_lang();
    let submit = ServerAction::<SubmitRequest>::new();
    let withdraw = ServerAction::<WithdrawRequest>::new();
    let units_changed = announced("units");
    let list = Resource::new(
        move || {
            (
                submit.version().get(),
                withdraw.version().get(),
                units_changed.get(),
            )
        },
        move |_| hospital_requests(hospital),
    );
    let catalog = Resource::new(|| (), |_| list_catalog());
    let stored = stored_count(submit);
    let key = Resource::new(move || stored.get(), |_| new_form_key());
    let form = (may_request && !campaigns.is_empty()).then(|| {
        view! {
            <h3>{lang.pick("ขอครุภัณฑ์", "Ask for equipment")}</h3>
            <ActionForm action=submit attr:class="stack card request-form">
                <FormKey key />
                <input type="hidden" name="input[hospital_id]" value=hospital.get() />
                <label for="rq-campaign">{lang.pick("กองผ้าป่า", "Campaign")}</label>
                <select id="rq-campaign" name="input[campaign_id]">
                    {campaigns.iter().map(|c| view! { <option value=c.id.get()>{c.title.get(lang).to_owned()}</option> }).collect_view()}
                </select>
                <label for="rq-item">{lang.pick("ครุภัณฑ์", "Item")}</label>
                <Suspense fallback=|| view! { <select id="rq-item" name="input[item]"></select> }>
                    {move || Suspend::new(async move {
                        let items = catalog.await.unwrap_or_default();
                        view! {
                            <select id="rq-item" name="input[item]">
                                {items.into_iter().map(|i| view! {
                                    <option value=i.id.get()>{format!("{} ({})", i.name.get(lang), i.unit.get(lang))}</option>
                                }).collect_view()}
                            </select>
                        }
                    })}
                </Suspense>
                <label for="rq-quantity">{lang.pick("จำนวนที่ขอ", "Quantity")}</label>
                <input id="rq-quantity" name="input[quantity]" type="text" inputmode="numeric" required />
                <fieldset class="need">
                    <legend>{lang.pick("ความจำเป็น (จำนวนเท่านั้น ไม่ระบุตัวผู้ป่วย)", "The need (counts only, no patient details)")}</legend>
                    <label for="rq-home">{lang.pick("ผู้ป่วยติดบ้าน", "Home-bound patients")}</label>
                    <input id="rq-home" name="input[patients_homebound]" type="text" inputmode="numeric" />
                    <label for="rq-bed">{lang.pick("ผู้ป่วยติดเตียง", "Bed-bound patients")}</label>
                    <input id="rq-bed" name="input[patients_bedbound]" type="text" inputmode="numeric" />
                    <label for="rq-eol">{lang.pick("ผู้ป่วยระยะท้าย", "End-of-life patients")}</label>
                    <input id="rq-eol" name="input[patients_end_of_life]" type="text" inputmode="numeric" />
                    <label for="rq-held">{lang.pick("จำนวนที่มีอยู่แล้ว", "Units already held")}</label>
                    <input id="rq-held" name="input[units_held]" type="text" inputmode="numeric" />
                </fieldset>
                <label for="rq-reason">{lang.pick("เหตุผล", "Reason")}</label>
                <textarea id="rq-reason" name="input[reason]" rows="3" maxlength="2000" required></textarea>
                <label for="rq-priority">{lang.pick("ความเร่งด่วน", "Priority")}</label>
                <select id="rq-priority" name="input[priority]">
                    {[Priority::Normal, Priority::Urgent].into_iter().map(|p| view! { <option value=p.code()>{p.label(lang)}</option> }).collect_view()}
                </select>
                <FormAnswer action=submit ok=move |id: crate::model::RequestId| view! {
                    {lang.pick("ส่งคำขอแล้ว เลขที่ ", "Sent: request ")}{format!("#{id}")}
                }.into_any() />
                <button type="submit" class="primary">{lang.pick("ส่งคำขอ", "Send the request")}</button>
            </ActionForm>
        }
    });
    view! {
        <section class="requests" aria-labelledby="requests-heading">
            <h2 id="requests-heading">{lang.pick("คำขอครุภัณฑ์", "Equipment requests")}</h2>
            {form}
            <AnswerDock fresh=Signal::derive(move || withdraw.version().get())>
                {move || withdraw.value().get().and_then(|r| r.err()).map(|error| view! { <FormErrors error /> })}
            </AnswerDock>
            <Transition fallback=|| view! { <p class="loading">"…"</p> }>
                {move || Suspend::new(async move {
                    match list.await {
                        Err(error) => view! { <Refused error /> }.into_any(),
                        Ok(list) if list.is_empty() => view! { <p class="empty">{lang.pick("ยังไม่มีคำขอ", "No requests yet.")}</p> }.into_any(),
                        Ok(list) => view! { <HospitalRequestTable list may_request withdraw /> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

#[component]
fn HospitalRequestTable(
    list: Vec<RequestView>,
    may_request: bool,
    withdraw: ServerAction<WithdrawRequest>,
) -> impl IntoView {
    let lang = use_lang();
    view! {
        <div class="table-scroll">
            <table class="data requests-table">
                <thead><tr>
                    <th scope="col">{lang.pick("ครุภัณฑ์", "Item")}</th>
                    <th scope="col">{lang.pick("จำนวน", "Quantity")}</th>
                    <th scope="col">{lang.pick("กองผ้าป่า", "Campaign")}</th>
                    <th scope="col">{lang.pick("สถานะ", "Status")}</th>
                    <th scope="col">{lang.pick("ความเห็นผู้พิจารณา", "Decision note")}</th>
                    <th scope="col"><span class="visually-hidden">{lang.pick("การดำเนินการ", "Actions")}</span></th>
                </tr></thead>
                <tbody>
                    {list.into_iter().map(|r| {
                        let withdrawable = may_request && r.status == RequestStatus::Submitted;
                        view! {
                            <tr data-request=r.id.get()>
                                <td>{r.item.get(lang).to_owned()}{(r.priority == Priority::Urgent).then(|| view! { " " <span class="badge urgent">{Priority::Urgent.label(lang)}</span> })}</td>
                                <td>{quantity_text(lang, &r)}</td>
                                <td>{r.campaign_title.get(lang).to_owned()}</td>
                                <td><RequestBadge status=r.status /></td>
                                <td>{r.decision_note.clone().unwrap_or_default()}</td>
                                <td>{withdrawable.then(|| view! {
                                    <ActionForm action=withdraw attr:class="inline">
                                        <input type="hidden" name="id" value=r.id.get() />
                                        <button type="submit" aria-label=format!("{} {}", lang.pick("ถอนคำขอ", "Withdraw the request for"), r.item.get(lang))>
                                            {lang.pick("ถอนคำขอ", "Withdraw")}
                                        </button>
                                    </ActionForm>
                                })}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

/// `/finance/requests?campaign={id}&district=&item=&sort=need`: a campaign's open requests.
#[component]
pub fn RequestQueuePage() -> impl IntoView {
    let lang = use_lang();
    let query = use_query_map();
    let q = query.read_untracked();
    let number = |name: &str| q.get(name).and_then(|v| v.trim().parse::<i64>().ok());
    let filter = number("campaign").map(|campaign| QueueFilter {
        campaign_id: CampaignId(campaign),
        district_code: number("district"),
        item_id: number("item").map(EquipmentItemId),
        sort: q.get("sort").filter(|s| s == "need"),
    });
    view! {
        <Title text=lang.pick("คำขอครุภัณฑ์ · Phapa", "Equipment requests · Phapa") />
        {match filter {
            Some(filter) => view! { <RequestQueue filter /> }.into_any(),
            None => view! {
                <section class="wrap">
                    <h1>{lang.pick("คำขอครุภัณฑ์", "Equipment requests")}</h1>
                    <p><a href="/finance">{lang.pick("เลือกกองผ้าป่าจากหน้าการเงิน", "Choose a campaign on the finance page")}</a></p>
                </section>
            }.into_any(),
        }}
    }
}

/// The review queue: filter, then approve (possibly fewer) or reject each submitted request.
#[island(lazy)]
fn RequestQueue(filter: QueueFilter) -> impl IntoView {
    island_ready();
    let lang = use_lang();
    let decide = ServerAction::<DecideRequest>::new();
    // The whole queue, so the filter's choices are the districts and items it holds.
    let everything = QueueFilter {
        district_code: None,
        item_id: None,
        ..filter.clone()
    };
    let queue = Resource::new(
        move || decide.version().get(),
        move |_| request_queue(everything.clone()),
    );
    let filter = StoredValue::new(filter);
    view! {
        <section class="wrap queue-page">
            <p class="crumbs"><a href="/finance">{lang.pick("การเงิน", "Finance")}</a></p>
            <h1>{lang.pick("คำขอครุภัณฑ์ที่รอพิจารณา", "Equipment requests to review")}</h1>
            <AnswerDock fresh=Signal::derive(move || decide.version().get())>
                <Outcome result=decide.value().into() />
            </AnswerDock>
            <Transition fallback=|| view! { <p class="loading">"…"</p> }>
                {move || Suspend::new(async move {
                    match queue.await {
                        Err(error) => view! { <Refused error /> }.into_any(),
                        Ok(all) => view! { <QueueBody all filter=filter.get_value() decide /> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

#[component]
fn QueueBody(
    all: Vec<RequestView>,
    filter: QueueFilter,
    decide: ServerAction<DecideRequest>,
) -> impl IntoView {
    let lang = use_lang();
    let mut districts: Vec<(i64, String)> = Vec::new();
    let mut items: Vec<(i64, String)> = Vec::new();
    for r in &all {
        if !districts.iter().any(|(d, _)| *d == r.district_code) {
            districts.push((r.district_code, r.district.get(lang).to_owned()));
        }
        if !items.iter().any(|(i, _)| *i == r.item_id.get()) {
            items.push((r.item_id.get(), r.item.get(lang).to_owned()));
        }
    }
    let shown: Vec<RequestView> = all
        .into_iter()
        .filter(|r| {
            filter.district_code.is_none_or(|d| r.district_code == d)
                && filter.item_id.is_none_or(|i| r.item_id == i)
        })
        .collect();
    let by_need = filter.sort.as_deref() == Some("need");
    view! {
        <form class="filter filter-grid" method="get" action="/finance/requests">
            <input type="hidden" name="campaign" value=filter.campaign_id.get() />
            <label>{lang.pick("อำเภอ", "District")}
                <select name="district">
                    <option value="">{lang.pick("ทุกอำเภอ", "All districts")}</option>
                    {districts.into_iter().map(|(code, name)| view! {
                        <option value=code selected=filter.district_code == Some(code)>{name}</option>
                    }).collect_view()}
                </select>
            </label>
            <label>{lang.pick("ครุภัณฑ์", "Item")}
                <select name="item">
                    <option value="">{lang.pick("ทุกรายการ", "All items")}</option>
                    {items.into_iter().map(|(id, name)| view! {
                        <option value=id selected=filter.item_id.map(|i| i.get()) == Some(id)>{name}</option>
                    }).collect_view()}
                </select>
            </label>
            <label>{lang.pick("เรียงตาม", "Sort by")}
                <select name="sort">
                    <option value="">{lang.pick("ความเร่งด่วน", "Priority")}</option>
                    <option value="need" selected=by_need>{lang.pick("ความจำเป็น (ผู้ป่วยต่อเครื่องที่มี)", "Need (patients per unit held)")}</option>
                </select>
            </label>
            <button type="submit">{lang.pick("แสดง", "Show")}</button>
        </form>
        {if shown.is_empty() {
            view! { <p class="empty">{lang.pick("ไม่มีคำขอที่รอ", "No open requests.")}</p> }.into_any()
        } else {
            view! {
                <ol class="queue">
                    {shown.into_iter().map(|r| view! { <QueueItem r decide /> }).collect_view()}
                </ol>
            }.into_any()
        }}
    }
}

#[component]
fn QueueItem(r: RequestView, decide: ServerAction<DecideRequest>) -> impl IntoView {
    let lang = use_lang();
    let id = r.id.get();
    let submitted = r.status == RequestStatus::Submitted;
    let per_unit = r.need.per_unit_held_x100();
    let (seen, seen_too) = (r.version.clone(), r.version.clone());
    view! {
        <li class="card queue-item" data-request=id>
            <h2>
                {format!("{} × {} {}", r.item.get(lang), quantity_text(lang, &r), r.unit.get(lang))}
                " "
                <RequestBadge status=r.status />
                {(r.priority == Priority::Urgent).then(|| view! { " " <span class="badge urgent">{Priority::Urgent.label(lang)}</span> })}
            </h2>
            <p>
                <a href=format!("/staff/hospitals/{}", r.facility_code)>{r.hospital.get(lang).to_owned()}</a>
                {format!(" · {} {}", lang.pick("อ.", "District"), r.district.get(lang))}
            </p>
            <p class="small">
                {need_text(lang, &r)}
                {format!(" · {} {}.{:02}", lang.pick("ผู้ป่วยต่อเครื่อง", "patients per unit"), per_unit / 100, per_unit % 100)}
            </p>
            <p>{r.reason.clone()}</p>
            {submitted.then(|| view! {
                <div class="decide">
                    <ActionForm action=decide attr:class="stack decide-form">
                        <input type="hidden" name="input[request_id]" value=id />
                        <input type="hidden" name="input[seen]" value=seen.clone() />
                        <input type="hidden" name="input[approve]" value="true" />
                        <label for=format!("approve-qty-{id}")>{lang.pick("จำนวนที่อนุมัติ", "Quantity to approve")}</label>
                        <input id=format!("approve-qty-{id}") name="input[quantity]" type="text" inputmode="numeric" value=r.quantity />
                        <label for=format!("approve-reason-{id}")>{lang.pick("เหตุผล", "Reason")}</label>
                        <input id=format!("approve-reason-{id}") name="input[reason]" type="text" maxlength="2000" required />
                        <button type="submit" class="primary">{lang.pick("อนุมัติ", "Approve")}</button>
                    </ActionForm>
                    <ActionForm action=decide attr:class="stack decide-form">
                        <input type="hidden" name="input[request_id]" value=id />
                        <input type="hidden" name="input[seen]" value=seen_too.clone() />
                        <label for=format!("reject-reason-{id}")>{lang.pick("เหตุผลที่ไม่อนุมัติ", "Reason for rejecting")}</label>
                        <input id=format!("reject-reason-{id}") name="input[reason]" type="text" maxlength="2000" required />
                        <button type="submit">{lang.pick("ไม่อนุมัติ", "Reject")}</button>
                    </ActionForm>
                </div>
            })}
        </li>
    }
}
