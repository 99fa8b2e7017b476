//! Finance officers' equipment desks, all lazy islands (donors never download them):
//! `/finance/purchases?campaign={id}` to record, approve, void and receive purchases;
//! `/finance/stock?campaign={id}` to put gifts in kind into stock, allocate units to hospitals
//! and dispatch them; `/finance/purchases/{id}/labels` to print a purchase's asset labels. And
//! the hospital staff's own units, to confirm what reached them.

use crate::api::admin::{list_catalog, new_form_key};
use crate::api::equipment::{
    campaign_units, get_fund_balance, get_purchase_threshold, gifts_to_stock, hospital_units,
    list_purchases, purchase_labels, served_hospitals, AllocateUnits, ApprovePurchase, ConfirmUnit,
    DispatchUnits, ReceivePurchase, RecordPurchase, SetPurchaseThreshold, SetUnitCondition,
    StockGift, VoidPurchase, WriteOffUnit,
};
use crate::api::requests::request_queue;
use crate::components::guard::{FormErrors, Refused};
use crate::components::island::island_ready;
use crate::i18n::use_lang;
use crate::model::equipment::{FundBalance, PurchaseView, UnitView};
use crate::model::request::QueueFilter;
use crate::model::status::{PurchaseStatus, RequestStatus, UnitCondition, UnitStatus};
use crate::model::{CampaignId, HospitalId, Lang, PurchaseId};
use crate::routes::admin::reference::{FormKey, Outcome};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

/// Blank line rows on the purchase form; a row left empty is skipped.
const LINE_ROWS: usize = 5;

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

/// A purchase's status as a badge.
#[component]
fn PurchaseBadge(status: PurchaseStatus) -> impl IntoView {
    let lang = use_lang();
    view! { <span class=format!("badge purchase-{}", status.code())>{status.label(lang)}</span> }
}

/// `/finance/purchases?campaign={id}`.
#[component]
pub fn PurchasesPage() -> impl IntoView {
    let lang = use_lang();
    view! {
        <Title text=lang.pick("ซื้อครุภัณฑ์ · Phapa", "Purchases · Phapa") />
        {match campaign_from_query() {
            Some(campaign) => view! { <PurchaseDesk campaign /> }.into_any(),
            None => view! { <ChooseCampaign title=lang.pick("ซื้อครุภัณฑ์", "Purchases") /> }.into_any(),
        }}
    }
}

#[component]
fn BalanceCard(b: FundBalance) -> impl IntoView {
    let lang = use_lang();
    view! {
        <dl class="facts balance" data-available=b.available().satang()>
            <div><dt>{lang.pick("เงินสดที่ได้รับ", "Cash received")}</dt><dd>{format!("{}", b.received)}</dd></div>
            <div><dt>{lang.pick("ซื้อแล้ว", "Spent")}</dt><dd>{format!("{}", b.spent)}</dd></div>
            <div><dt>{lang.pick("กันไว้รออนุมัติ", "Held for approval")}</dt><dd>{format!("{}", b.committed)}</dd></div>
            <div><dt>{lang.pick("ใช้ได้อีก", "Available")}</dt><dd class="available">{format!("{}", b.available())}</dd></div>
            <div><dt>{lang.pick("ต้องมีผู้อนุมัติคนที่สองเมื่อเกิน", "Second approval above")}</dt><dd>{format!("{}", b.second_approval_above)}</dd></div>
        </dl>
    }
}

/// Record, approve, void and receive a campaign's purchases.
#[island(lazy)]
fn PurchaseDesk(campaign: CampaignId) -> impl IntoView {
    island_ready();
    let lang = use_lang();
    let record = ServerAction::<RecordPurchase>::new();
    let approve = ServerAction::<ApprovePurchase>::new();
    let void = ServerAction::<VoidPurchase>::new();
    let receive = ServerAction::<ReceivePurchase>::new();
    let stock = ServerAction::<StockGift>::new();
    let changed = move || {
        (
            record.version().get(),
            approve.version().get(),
            void.version().get(),
            receive.version().get(),
            stock.version().get(),
        )
    };
    let balance = Resource::new(changed, move |_| get_fund_balance(campaign));
    let purchases = Resource::new(changed, move |_| list_purchases(campaign));
    let gifts = Resource::new(changed, move |_| gifts_to_stock(campaign));
    let catalog = Resource::new(|| (), |_| list_catalog());
    let key = Resource::new(move || record.version().get(), |_| new_form_key());
    let form_ref = NodeRef::<leptos::html::Form>::new();
    Effect::new(move |_| {
        if matches!(record.value().get(), Some(Ok(_))) {
            if let Some(form) = form_ref.get() {
                form.reset();
            }
        }
    });
    let errors = move || {
        [
            approve.value().get().and_then(|r| r.err()),
            void.value().get().and_then(|r| r.err()),
            receive.value().get().and_then(|r| r.err()),
            stock.value().get().and_then(|r| r.err()),
        ]
        .into_iter()
        .flatten()
        .map(|error| view! { <FormErrors error /> })
        .collect_view()
    };
    view! {
        <section class="wrap purchase-desk">
            <p class="crumbs">
                <a href="/finance">{lang.pick("การเงิน", "Finance")}</a>
                " · "
                <a href=format!("/finance/stock?campaign={campaign}")>{lang.pick("คลังและการส่งมอบ", "Stock and delivery")}</a>
            </p>
            <h1>{lang.pick("ซื้อครุภัณฑ์จากเงินกองผ้าป่า", "Purchases from the fund")}</h1>
            <Transition fallback=|| view! { <p class="loading">"…"</p> }>
                {move || Suspend::new(async move {
                    match balance.await {
                        Ok(b) => view! { <BalanceCard b /> }.into_any(),
                        Err(error) => view! { <Refused error /> }.into_any(),
                    }
                })}
            </Transition>
            <h2>{lang.pick("บันทึกการซื้อ", "Record a purchase")}</h2>
            <Outcome result=record.value().into() />
            <ActionForm action=record node_ref=form_ref attr:class="stack card purchase-form">
                <FormKey key />
                <input type="hidden" name="input[campaign_id]" value=campaign.get() />
                <label for="pu-vendor">{lang.pick("ผู้ขาย", "Vendor")}</label>
                <input id="pu-vendor" name="input[vendor_name]" type="text" maxlength="300" required />
                <label for="pu-tax">{lang.pick("เลขประจำตัวผู้เสียภาษีของผู้ขาย (ถ้ามี)", "Vendor's tax ID (optional)")}</label>
                <input id="pu-tax" name="input[vendor_tax_id]" type="text" inputmode="numeric" maxlength="17" />
                <label for="pu-invoice">{lang.pick("เลขที่ใบแจ้งหนี้/ใบกำกับภาษี", "Invoice number")}</label>
                <input id="pu-invoice" name="input[invoice_no]" type="text" maxlength="100" required />
                <label for="pu-date">{lang.pick("วันที่ในใบแจ้งหนี้", "Invoice date")}</label>
                <input id="pu-date" name="input[invoice_date]" type="date" required />
                <fieldset class="lines">
                    <legend>{lang.pick("รายการ (เว้นว่างบรรทัดที่ไม่ใช้)", "Lines (leave unused rows empty)")}</legend>
                    <Suspense fallback=|| ()>
                        {move || Suspend::new(async move {
                            let items = catalog.await.unwrap_or_default();
                            (0..LINE_ROWS).map(|n| {
                                let options = items.iter().map(|i| view! {
                                    <option value=i.id.get()>{format!("{} ({} / {})", i.name.get(lang), i.reference_price, i.unit.get(lang))}</option>
                                }).collect_view();
                                view! {
                                    <div class="line-row">
                                        <label for=format!("pu-item-{n}")>{format!("{} {}", lang.pick("รายการที่", "Line"), n + 1)}</label>
                                        <select id=format!("pu-item-{n}") name=format!("input[lines][{n}][item]")>
                                            <option value="">"—"</option>
                                            {options}
                                        </select>
                                        <label for=format!("pu-qty-{n}")>{lang.pick("จำนวน", "Quantity")}</label>
                                        <input id=format!("pu-qty-{n}") name=format!("input[lines][{n}][quantity]") type="text" inputmode="numeric" />
                                        <label for=format!("pu-price-{n}")>{lang.pick("ราคาต่อหน่วย (บาท)", "Unit price (baht)")}</label>
                                        <input id=format!("pu-price-{n}") name=format!("input[lines][{n}][unit_price]") type="text" inputmode="decimal" />
                                        <label for=format!("pu-why-{n}")>{lang.pick("เหตุผล หากแพงกว่าราคากลางเกิน 20%", "Justification if over 20% above the reference price")}</label>
                                        <input id=format!("pu-why-{n}") name=format!("input[lines][{n}][justification]") type="text" maxlength="2000" />
                                    </div>
                                }
                            }).collect_view()
                        })}
                    </Suspense>
                </fieldset>
                <button type="submit" class="primary">{lang.pick("บันทึกการซื้อ", "Record the purchase")}</button>
            </ActionForm>
            {errors}
            <Transition fallback=|| ()>
                {move || Suspend::new(async move {
                    let gifts = gifts.await.unwrap_or_default();
                    (!gifts.is_empty()).then(|| view! {
                        <h2>{lang.pick("สิ่งของบริจาคที่ยังไม่เข้าคลัง", "Gifts in kind not yet in stock")}</h2>
                        <ul class="gifts">
                            {gifts.into_iter().map(|(reference, value)| view! {
                                <li>
                                    <a href=format!("/donations/{reference}")>{reference.clone()}</a>
                                    {format!(" · {value} ")}
                                    <ActionForm action=stock attr:class="inline">
                                        <input type="hidden" name="reference" value=reference.clone() />
                                        <button type="submit">{lang.pick("นำเข้าคลัง", "Put into stock")}</button>
                                    </ActionForm>
                                </li>
                            }).collect_view()}
                        </ul>
                    })
                })}
            </Transition>
            <h2>{lang.pick("รายการซื้อ", "Purchases")}</h2>
            <Transition fallback=|| view! { <p class="loading">"…"</p> }>
                {move || Suspend::new(async move {
                    match purchases.await {
                        Err(error) => view! { <Refused error /> }.into_any(),
                        Ok(list) if list.is_empty() => view! { <p class="empty">{lang.pick("ยังไม่มีการซื้อ", "No purchases yet.")}</p> }.into_any(),
                        Ok(list) => view! {
                            <ol class="purchases">
                                {list.into_iter().map(|p| view! { <PurchaseCard p approve void receive /> }).collect_view()}
                            </ol>
                        }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

#[component]
fn PurchaseCard(
    p: PurchaseView,
    approve: ServerAction<ApprovePurchase>,
    void: ServerAction<VoidPurchase>,
    receive: ServerAction<ReceivePurchase>,
) -> impl IntoView {
    let lang = use_lang();
    let id = p.id.get();
    let awaiting = p.status == PurchaseStatus::AwaitingApproval;
    let receivable = p.status == PurchaseStatus::Approved && p.received_at.is_none();
    let received = p.received_at.is_some() && p.status != PurchaseStatus::Voided;
    let voidable = p.status != PurchaseStatus::Voided && p.units_out == 0;
    let units: i64 = p.lines.iter().map(|l| l.quantity).sum();
    view! {
        <li class="card purchase" data-purchase=id data-status=p.status.code()>
            <h3>
                {format!("#{id} · {} · {} ", p.vendor_name, p.invoice_no)}
                <PurchaseBadge status=p.status />
                {received.then(|| view! { " " <span class="badge unit-received">{lang.pick("รับของแล้ว", "Received")}</span> })}
            </h3>
            <p class="small">
                {format!("{} {} · ", lang.pick("วันที่ใบแจ้งหนี้", "Invoice date"), p.invoice_date)}
                {p.vendor_tax_id.clone().map(|t| format!("{} {t} · ", lang.pick("เลขผู้เสียภาษี", "Tax ID")))}
                {format!("{} {}", lang.pick("บันทึกโดย", "Recorded by"), p.recorded_by)}
                {p.approved_by.clone().map(|a| format!(" · {} {a}", lang.pick("อนุมัติโดย", "approved by")))}
            </p>
            <table class="lines">
                <thead><tr>
                    <th>{lang.pick("รายการ", "Item")}</th>
                    <th class="num">{lang.pick("จำนวน", "Qty")}</th>
                    <th class="num">{lang.pick("ราคาต่อหน่วย", "Unit price")}</th>
                    <th class="num">{lang.pick("รวม", "Amount")}</th>
                </tr></thead>
                <tbody>
                    {p.lines.iter().map(|l| view! {
                        <tr>
                            <td>
                                {l.item.get(lang).to_owned()}
                                {l.over_reference().then(|| view! {
                                    <span class="warn">{format!(" ⚠ {} {}", lang.pick("เกินราคากลาง", "above reference"), l.reference_price)}</span>
                                })}
                                {l.justification.clone().map(|j| view! { <br /><span class="small">{j}</span> })}
                            </td>
                            <td class="num">{l.quantity}</td>
                            <td class="num">{format!("{}", l.unit_price)}</td>
                            <td class="num">{format!("{}", l.amount())}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
                <tfoot><tr><th colspan="3">{lang.pick("ยอดรวม", "Total")}</th><th class="num">{format!("{}", p.total)}</th></tr></tfoot>
            </table>
            {p.void_reason.clone().map(|r| view! { <p class="notice">{format!("{}: {r}", lang.pick("เหตุผลที่ยกเลิก", "Voided because"))}</p> })}
            <div class="actions">
                {(awaiting && p.may_approve).then(|| view! {
                    <ActionForm action=approve attr:class="inline">
                        <input type="hidden" name="id" value=id />
                        <button type="submit" class="primary">{lang.pick("อนุมัติ (ผู้อนุมัติคนที่สอง)", "Approve (second officer)")}</button>
                    </ActionForm>
                })}
                {(awaiting && !p.may_approve).then(|| view! {
                    <p class="small">{lang.pick("รอเจ้าหน้าที่การเงินอีกคนอนุมัติ ผู้บันทึกอนุมัติเองไม่ได้", "Waiting for another finance officer: whoever recorded it cannot approve it.")}</p>
                })}
                {receivable.then(|| view! {
                    <ActionForm action=receive attr:class="stack receive-form">
                        <input type="hidden" name="input[purchase_id]" value=id />
                        <label for=format!("serials-{id}")>{format!("{} ({units})", lang.pick("หมายเลขเครื่อง บรรทัดละหนึ่งชิ้น (ถ้ามี)", "Serial numbers, one per line (optional)"))}</label>
                        <textarea id=format!("serials-{id}") name="input[serials]" rows="2"></textarea>
                        <button type="submit" class="primary">{lang.pick("รับของเข้าคลัง", "Receive into stock")}</button>
                    </ActionForm>
                })}
                {received.then(|| view! {
                    <a class="button" href=format!("/finance/purchases/{id}/labels")>{lang.pick("พิมพ์ป้ายครุภัณฑ์", "Print asset labels")}</a>
                })}
                {voidable.then(|| view! {
                    <ActionForm action=void attr:class="stack void-form">
                        <input type="hidden" name="id" value=id />
                        <label for=format!("void-{id}")>{lang.pick("เหตุผลที่ยกเลิก", "Reason for voiding")}</label>
                        <input id=format!("void-{id}") name="reason" type="text" maxlength="2000" required />
                        <button type="submit">{lang.pick("ยกเลิกรายการซื้อ", "Void the purchase")}</button>
                    </ActionForm>
                })}
            </div>
        </li>
    }
}

/// `/finance/purchases/{id}/labels`: a printable sheet of a purchase's asset labels.
#[component]
pub fn LabelsPage() -> impl IntoView {
    let lang = use_lang();
    let params = use_params_map();
    let id = params
        .read_untracked()
        .get("id")
        .and_then(|id| id.parse::<PurchaseId>().ok())
        .unwrap_or_default();
    let labels = Resource::new(move || id, purchase_labels);
    view! {
        <Title text=lang.pick("ป้ายครุภัณฑ์ · Phapa", "Asset labels · Phapa") />
        <section class="wrap labels-page">
            <p class="crumbs no-print"><a href="/finance">{lang.pick("การเงิน", "Finance")}</a></p>
            <h1 class="no-print">{format!("{} #{id}", lang.pick("ป้ายครุภัณฑ์ของรายการซื้อ", "Asset labels of purchase"))}</h1>
            <p class="hint no-print">{lang.pick("พิมพ์จากเมนูของเบราว์เซอร์ แล้วติดป้ายที่ตัวเครื่อง สแกน QR เพื่อเปิดหน้าของครุภัณฑ์ชิ้นนั้น", "Print from the browser's menu and stick each label on its unit; the QR code opens the unit's public page.")}</p>
            <Suspense fallback=|| view! { <p class="loading">"…"</p> }>
                {move || Suspend::new(async move {
                    match labels.await {
                        Err(error) => view! { <Refused error /> }.into_any(),
                        Ok(list) if list.is_empty() => view! { <p class="empty">{lang.pick("รายการซื้อนี้ยังไม่ได้รับของ", "This purchase has not been received yet.")}</p> }.into_any(),
                        Ok(list) => view! {
                            <ul class="labels">
                                {list.into_iter().map(|l| {
                                    let view_box = format!("0 0 {0} {0}", l.qr.size);
                                    view! {
                                        <li class="label" data-tag=l.tag.clone()>
                                            <svg class="qr" viewBox=view_box width="112" height="112" role="img" shape-rendering="crispEdges" aria-label=l.url.clone()>
                                                <rect width=l.qr.size height=l.qr.size fill="#ffffff" />
                                                <path d=l.qr.path.clone() fill="#000000" />
                                            </svg>
                                            <div>
                                                <strong class="tag">{l.tag.clone()}</strong>
                                                <span>{l.item.get(lang).to_owned()}</span>
                                                {l.serial_no.clone().map(|s| view! { <span class="small">{format!("S/N {s}")}</span> })}
                                                <span class="small">"Phapa · ผ้าป่าประชารัฐ"</span>
                                            </div>
                                        </li>
                                    }
                                }).collect_view()}
                            </ul>
                        }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

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
    let key = Resource::new(move || allocate.version().get(), |_| new_form_key());
    view! {
        <section class="wrap stock-desk">
            <p class="crumbs">
                <a href="/finance">{lang.pick("การเงิน", "Finance")}</a>
                " · "
                <a href=format!("/finance/purchases?campaign={campaign}")>{lang.pick("ซื้อครุภัณฑ์", "Purchases")}</a>
            </p>
            <h1>{lang.pick("คลังและการส่งมอบ", "Stock and delivery")}</h1>
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
                    let waiting: Vec<_> = requests.iter().filter(|r| matches!(r.status, RequestStatus::Approved | RequestStatus::PartlyFulfilled)).cloned().collect();
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
                                    {waiting.into_iter().map(|r| {
                                        let outstanding = r.approved_quantity.unwrap_or(0) - r.fulfilled_quantity;
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

/// Units with their status, place and condition, and a form to change the condition.
#[component]
fn UnitTable(
    units: Vec<UnitView>,
    condition: ServerAction<SetUnitCondition>,
    /// Hospital staff report only on units their hospital holds; finance on any.
    #[prop(optional)]
    held_only: bool,
    /// Finance officers write off units in stock or received by a hospital.
    #[prop(optional, into)]
    write_off: Option<ServerAction<WriteOffUnit>>,
) -> impl IntoView {
    let lang = use_lang();
    if units.is_empty() {
        return view! { <p class="empty">{lang.pick("ยังไม่มีครุภัณฑ์", "No units yet.")}</p> }
            .into_any();
    }
    view! {
        <table class="units">
            <thead><tr>
                <th>{lang.pick("รหัส", "Tag")}</th>
                <th>{lang.pick("ครุภัณฑ์", "Item")}</th>
                <th>{lang.pick("สถานะ", "Status")}</th>
                <th>{lang.pick("อยู่ที่", "At")}</th>
                <th>{lang.pick("สภาพ", "Condition")}</th>
            </tr></thead>
            <tbody>
                {units.into_iter().map(|u| {
                    let live = !matches!(u.status, UnitStatus::Voided | UnitStatus::WrittenOff)
                        && (!held_only || u.status == UnitStatus::Received);
                    let tag = u.tag.clone();
                    let retire = write_off
                        .filter(|_| matches!(u.status, UnitStatus::InStock | UnitStatus::Received))
                        .map(|action| view! { <WriteOffForm tag=u.tag.clone() action /> });
                    view! {
                        <tr data-tag=u.tag.clone()>
                            <td><a href=format!("/units/{}", u.tag)>{u.tag.clone()}</a></td>
                            <td>{u.item.get(lang).to_owned()}</td>
                            <td><UnitBadge status=u.status /></td>
                            <td>{u.hospital.as_ref().map(|h| h.get(lang).to_owned())}</td>
                            <td>
                                {u.condition.label(lang)}
                                {u.condition_note.clone().map(|n| view! { <br /><span class="small">{n}</span> })}
                                {live.then(|| view! { <ConditionForm tag condition /> })}
                                {retire}
                            </td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
    }
    .into_any()
}

#[component]
fn ConditionForm(tag: String, condition: ServerAction<SetUnitCondition>) -> impl IntoView {
    let lang = use_lang();
    view! {
        <details class="condition">
            <summary>{lang.pick("แจ้งสภาพ", "Report condition")}</summary>
            <ActionForm action=condition attr:class="stack">
                <input type="hidden" name="input[tag]" value=tag.clone() />
                <label for=format!("cond-{tag}")>{lang.pick("สภาพ", "Condition")}</label>
                <select id=format!("cond-{tag}") name="input[condition]">
                    {UnitCondition::ALL.iter().map(|c| view! { <option value=c.code()>{c.label(lang)}</option> }).collect_view()}
                </select>
                <label for=format!("cond-note-{tag}")>{lang.pick("เหตุผล (ถ้าใช้งานไม่ได้)", "Reason (when not working)")}</label>
                <input id=format!("cond-note-{tag}") name="input[note]" type="text" maxlength="2000" />
                <button type="submit">{lang.pick("บันทึก", "Save")}</button>
            </ActionForm>
        </details>
    }
}

/// Takes a unit out of service for good, with a reason kept in its staff history.
#[component]
fn WriteOffForm(tag: String, action: ServerAction<WriteOffUnit>) -> impl IntoView {
    let lang = use_lang();
    view! {
        <details class="write-off">
            <summary>{lang.pick("ตัดจำหน่าย", "Write off")}</summary>
            <ActionForm action attr:class="stack">
                <input type="hidden" name="input[tag]" value=tag.clone() />
                <p class="small">{lang.pick(
                    "ใช้เมื่อชำรุดจนซ่อมไม่ได้ สูญหาย หรือถูกขโมย ยกเลิกไม่ได้ หน้าสาธารณะของครุภัณฑ์จะแสดงว่าตัดจำหน่ายแล้ว ส่วนเหตุผลอยู่ในประวัติสำหรับเจ้าหน้าที่",
                    "For a unit broken beyond repair, lost or stolen. It cannot be undone. The unit's public page will say it was written off; the reason stays in the staff history.",
                )}</p>
                <label for=format!("wo-{tag}")>{lang.pick("เหตุผลที่ตัดจำหน่าย", "Reason for writing off")}</label>
                <input id=format!("wo-{tag}") name="input[reason]" type="text" maxlength="2000" required />
                <button type="submit" class="danger">{format!("{} {tag}", lang.pick("ตัดจำหน่าย", "Write off"))}</button>
            </ActionForm>
        </details>
    }
}

/// A hospital's units: those on their way, which its own staff accept or reject one by one, and
/// those it has received.
#[island(lazy)]
pub fn HospitalUnits(hospital: HospitalId, may_confirm: bool) -> impl IntoView {
    island_ready();
    let lang = use_lang();
    let confirm = ServerAction::<ConfirmUnit>::new();
    let condition = ServerAction::<SetUnitCondition>::new();
    let units = Resource::new(
        move || (confirm.version().get(), condition.version().get()),
        move |_| hospital_units(hospital),
    );
    view! {
        <section class="hospital-units" aria-labelledby="units-heading">
            <h2 id="units-heading">{lang.pick("ครุภัณฑ์ของโรงพยาบาล", "This hospital's equipment")}</h2>
            {move || confirm.value().get().map(|r| match r {
                Ok(()) => view! { <p class="notice ok" role="status">{lang.pick("บันทึกการรับแล้ว", "Recorded.")}</p> }.into_any(),
                Err(error) => view! { <FormErrors error /> }.into_any(),
            })}
            {move || condition.value().get().and_then(|r| r.err()).map(|error| view! { <FormErrors error /> })}
            <Transition fallback=|| view! { <p class="loading">"…"</p> }>
                {move || Suspend::new(async move {
                    let units = match units.await {
                        Ok(u) => u,
                        Err(error) => return view! { <Refused error /> }.into_any(),
                    };
                    let (coming, rest): (Vec<_>, Vec<_>) = units.into_iter().partition(|u| u.status == UnitStatus::Dispatched);
                    view! {
                        <h3>{lang.pick("กำลังจัดส่งมา", "On the way")}</h3>
                        {if coming.is_empty() {
                            view! { <p class="empty">{lang.pick("ไม่มีครุภัณฑ์ที่กำลังส่งมา", "Nothing is on its way.")}</p> }.into_any()
                        } else {
                            view! {
                                <ul class="coming">
                                    {coming.into_iter().map(|u| {
                                        let tag = u.tag.clone();
                                        view! {
                                            <li class="card" data-tag=u.tag.clone()>
                                                <p>
                                                    <strong>{format!("{} · {}", u.tag, u.item.get(lang))}</strong>
                                                    {u.dispatched_on.clone().map(|d| format!(" · {} {d}", lang.pick("ส่งเมื่อ", "sent")))}
                                                    {u.carrier.clone().map(|c| format!(" · {c}"))}
                                                </p>
                                                {may_confirm.then(move || {
                                                    let (t1, t2, t3, t4) = (tag.clone(), tag.clone(), tag.clone(), tag.clone());
                                                    view! {
                                                    <div class="decide">
                                                        <ActionForm action=confirm attr:class="inline">
                                                            <input type="hidden" name="input[hospital_id]" value=hospital.get() />
                                                            <input type="hidden" name="input[tag]" value=t1 />
                                                            <input type="hidden" name="input[answer]" value="accept" />
                                                            <button type="submit" class="primary">{format!("{} {t2}", lang.pick("ได้รับแล้ว", "Accept"))}</button>
                                                        </ActionForm>
                                                        <ActionForm action=confirm attr:class="stack">
                                                            <input type="hidden" name="input[hospital_id]" value=hospital.get() />
                                                            <input type="hidden" name="input[tag]" value=t3 />
                                                            <input type="hidden" name="input[answer]" value="reject" />
                                                            <label for=format!("reject-{tag}")>{lang.pick("เหตุผลที่ไม่รับ", "Reason for rejecting")}</label>
                                                            <input id=format!("reject-{t4}") name="input[reason]" type="text" maxlength="2000" required />
                                                            <button type="submit">{format!("{} {tag}", lang.pick("ไม่รับ", "Reject"))}</button>
                                                        </ActionForm>
                                                    </div>
                                                    }
                                                })}
                                            </li>
                                        }
                                    }).collect_view()}
                                </ul>
                            }.into_any()
                        }}
                        <h3>{lang.pick("ได้รับแล้วและจัดสรรไว้", "Received and allocated")}</h3>
                        {if rest.is_empty() {
                            view! { <p class="empty">{lang.pick("ยังไม่มี", "None yet.")}</p> }.into_any()
                        } else if may_confirm {
                            view! { <UnitTable units=rest condition held_only=true /> }.into_any()
                        } else {
                            view! {
                                <ul>
                                    {rest.into_iter().map(|u| view! {
                                        <li><a href=format!("/units/{}", u.tag)>{u.tag.clone()}</a>{format!(" · {} · ", u.item.get(lang))}<UnitBadge status=u.status /></li>
                                    }).collect_view()}
                                </ul>
                            }.into_any()
                        }}
                    }.into_any()
                })}
            </Transition>
        </section>
    }
}

/// The two-person threshold of a campaign, on its administration page: administrators set it;
/// finance officers, whom it binds, only read it.
#[island(lazy)]
pub fn PurchaseThreshold(campaign: CampaignId) -> impl IntoView {
    island_ready();
    let lang = use_lang();
    let set = ServerAction::<SetPurchaseThreshold>::new();
    let current = Resource::new(
        move || set.version().get(),
        move |_| get_purchase_threshold(campaign),
    );
    view! {
        <section class="wrap threshold">
            <h2>{lang.pick("การอนุมัติสองคน", "Two-person rule")}</h2>
            <Transition fallback=|| ()>
                {move || Suspend::new(async move {
                    current.await.ok().map(|t| view! {
                        <p>{format!("{} {t} {}", lang.pick("การซื้อที่ยอดรวมเกิน", "A purchase above"), lang.pick("ต้องมีเจ้าหน้าที่การเงินคนที่สองอนุมัติ", "needs a second finance officer's approval."))}</p>
                    })
                })}
            </Transition>
            <Outcome result=set.value().into() />
            <ActionForm action=set attr:class="inline-form">
                <input type="hidden" name="campaign" value=campaign.get() />
                <label for="threshold-amount">{lang.pick("ยอดที่ต้องอนุมัติสองคน (บาท)", "Second approval above (baht)")}</label>
                <input id="threshold-amount" name="amount" type="text" inputmode="decimal" required />
                <button type="submit">{lang.pick("บันทึก", "Save")}</button>
            </ActionForm>
        </section>
    }
}
