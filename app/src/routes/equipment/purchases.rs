//! `/finance/purchases?campaign={id}`: the purchase desk (record, approve, void, receive) and
//! each purchase's card, with the two-person threshold island the campaign's admin page shows.

use super::{campaign_from_query, ChooseCampaign};
use crate::api::admin::{list_catalog, new_form_key};
use crate::api::equipment::{
    get_fund_balance, get_purchase_threshold, gifts_to_stock, list_purchases, ApprovePurchase,
    ReceivePurchase, RecordPurchase, SetPurchaseThreshold, StockGift, VoidPurchase,
};
use crate::components::form_answer::stored_count;
use crate::components::form_answer::FormAnswer;
use crate::components::guard::{FormErrors, Refused};
use crate::components::island::island_ready;
use crate::i18n::use_lang;
use crate::model::equipment::{FundBalance, PurchaseView};
use crate::model::status::PurchaseStatus;
use crate::model::{CampaignId, PurchaseId};
use crate::routes::admin::reference::{FormKey, Outcome};
use leptos::prelude::*;
use leptos_meta::Title;

/// Blank line rows on the purchase form; a row left empty is skipped.
const LINE_ROWS: usize = 5;

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
    let stored = stored_count(record);
    let key = Resource::new(move || stored.get(), |_| new_form_key());
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
            <ActionForm action=record attr:class="stack card purchase-form">
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
                <FormAnswer action=record ok=move |id: PurchaseId| view! {
                    {lang.pick("บันทึกการซื้อแล้ว ", "Recorded: purchase ")}{format!("#{id}")}
                }.into_any() />
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
            <div class="table-scroll"><table class="lines">
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
            </table></div>
            {p.void_reason.clone().map(|r| view! { <p class="notice">{format!("{}: {r}", lang.pick("เหตุผลที่ยกเลิก", "Voided because"))}</p> })}
            {p.vendor_window.filter(|_| awaiting).map(|total| view! {
                <p class="notice vendor-window">{match lang {
                    crate::model::Lang::Th => format!("รอผู้อนุมัติคนที่สอง เพราะยอดซื้อจาก {} ในกองผ้าป่านี้ภายใน 30 วัน รวมรายการนี้ {total} เกินเกณฑ์ (ห้ามแบ่งซื้อเพื่อให้ต่ำกว่าเกณฑ์)", p.vendor_name),
                    crate::model::Lang::En => format!("Waits for a second officer: purchases from {} in this campaign within 30 days, this one included, come to {total}, above the threshold (a purchase may not be split to stay under it).", p.vendor_name),
                }}</p>
            })}
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

/// The two-person threshold of a campaign, on its administration page: administrators set it;
/// finance officers, whom it binds, only read it.
#[component]
pub fn PurchaseThreshold(campaign: CampaignId) -> impl IntoView {
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
