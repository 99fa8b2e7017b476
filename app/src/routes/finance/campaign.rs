//! `/finance/campaigns/{id}`: one campaign's money. Record a gift (received at once, with its
//! receipt), see pledges waiting for their money, open a ceremony-night batch, and the latest
//! gifts with their receipt numbers.

use crate::api::admin::list_catalog;
use crate::api::donations::{finance_campaign_page, OpenBatch, RecordDonation};
use crate::components::form_answer::stored_count;
use crate::components::form_answer::FormAnswer;
use crate::components::guard::Refused;
use crate::components::island::island_ready;
use crate::components::notice::StatusBadge;
use crate::i18n::use_lang;
use crate::model::admin::CatalogItem;
use crate::model::donation::{DonationCreated, DonationRow, FinanceCampaign};
use crate::model::status::DonationChannel;
use crate::model::thai_date::format_instant;
use crate::model::{BatchId, CampaignId, Lang};
use crate::routes::donation::DonationBadge;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

/// The page: its address names the campaign and, when paging back, where each list starts.
#[component]
pub fn FinanceCampaignPage() -> impl IntoView {
    let id = use_params_map()
        .read_untracked()
        .get("id")
        .and_then(|id| id.parse().ok());
    let query = use_query_map();
    let page = |name: &str| {
        query
            .read_untracked()
            .get(name)
            .and_then(|v| v.parse::<i64>().ok())
    };
    let (pledges_before, recent_before) = (page("pledges_before"), page("recent_before"));
    view! { <CampaignMoneyDesk id pledges_before recent_before /> }
}

/// Everything on the page that acts (a lazy island: finance code loads only here); the lists
/// reload after each recorded gift.
#[island(lazy)]
fn CampaignMoneyDesk(
    id: Option<CampaignId>,
    pledges_before: Option<i64>,
    recent_before: Option<i64>,
) -> impl IntoView {
    island_ready();
    let record = ServerAction::<RecordDonation>::new();
    let batch = ServerAction::<OpenBatch>::new();
    let paged = (pledges_before.is_some(), recent_before.is_some());
    // Made in the island's body, so the server puts its data into the page for hydration.
    let catalog = Resource::new(|| (), |_| list_catalog());
    // The page (with its forms' keys) reloads after a gift or a batch is stored, never after a
    // refusal or a lost answer: a form sent again after a lost answer keeps its key, so the
    // server answers with what it stored the first time instead of storing it twice.
    let (gifts, batches) = (stored_count(record), stored_count(batch));
    let campaign = Resource::new(
        move || {
            (
                id,
                (pledges_before, recent_before),
                (gifts.get(), batches.get()),
            )
        },
        |(id, (pledges, recent), _)| async move {
            match id {
                Some(id) => finance_campaign_page(id, pledges, recent).await,
                None => Err(crate::error::AppError::NotFound),
            }
        },
    );
    view! {
        <Suspense fallback=|| view! { <p class="wrap loading">"…"</p> }>
            {move || Suspend::new(async move {
                match campaign.await {
                    Err(error) => view! { <Refused error /> }.into_any(),
                    Ok(c) => view! { <CampaignMoney c record batch paged catalog /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn CampaignMoney(
    c: FinanceCampaign,
    record: ServerAction<RecordDonation>,
    batch: ServerAction<OpenBatch>,
    /// Whether each list (pledges, recent gifts) starts further back than the newest.
    paged: (bool, bool),
    catalog: Catalog,
) -> impl IntoView {
    let lang = use_lang();
    let title = c.title.get(lang).to_owned();
    let open = c.status.takes_donations();
    view! {
        <Title text=format!("{title} · {}", lang.pick("การเงิน", "Finance")) />
        <section class="wrap">
            <p class="crumbs"><a href="/finance">{lang.pick("การเงิน", "Finance")}</a></p>
            <h1>{title}</h1>
            <p><StatusBadge status=c.status />" "<a href=format!("/campaigns/{}", c.id)>{lang.pick("หน้าสาธารณะ", "Public page")}</a></p>
            // Every desk of the campaign's work, one click away.
            <nav class="campaign-desks" aria-label=lang.pick("งานของกองผ้าป่านี้", "This campaign's desks")>
                <a href=format!("/finance/purchases?campaign={}", c.id)>{lang.pick("จัดซื้อ", "Purchases")}</a>
                " · "<a href=format!("/finance/stock?campaign={}", c.id)>{lang.pick("คลังและการส่งมอบ", "Stock and delivery")}</a>
                " · "<a href=format!("/finance/requests?campaign={}", c.id)>{lang.pick("คำขอครุภัณฑ์", "Requests")}</a>
                " · "<a href=format!("/finance/reconcile?campaign={}", c.id)>{lang.pick("กระทบยอดธนาคาร", "Bank reconciliation")}</a>
                " · "<a href=format!("/finance/campaigns/{}/report", c.id)>{lang.pick("รายงานและปิดบัญชี", "Report and settlement")}</a>
            </nav>
            <dl class="figures card">
                <div><dt>{lang.pick("เงินบริจาค", "Money raised")}</dt><dd class="raised">{c.raised.to_string()}</dd></div>
                <div><dt>{lang.pick("สิ่งของ (มูลค่า)", "In kind (value)")}</dt><dd>{c.in_kind.to_string()}</dd></div>
                <div><dt>{lang.pick("รายการ", "Gifts")}</dt><dd>{c.donation_count}</dd></div>
                <div><dt>{lang.pick("ผู้บริจาค", "Donors")}</dt><dd>{c.donor_count}</dd></div>
                <div><dt>{lang.pick("รอรับเงิน", "Pledges waiting")}</dt><dd>{c.pledged_count}</dd></div>
            </dl>
            {match &c.recipient {
                Some(r) => view! { <p class="small">{lang.pick("ผู้รับบริจาคตามกฎหมาย: ", "Legal recipient: ")}{format!("{} · {}", r.name.get(lang), r.tax_id)}</p> }.into_any(),
                None => view! { <p class="notice error">{lang.pick("ยังไม่ได้ระบุผู้รับบริจาคตามกฎหมาย จึงออกใบเสร็จไม่ได้", "No legal recipient is set, so no receipt can be issued.")}</p> }.into_any(),
            }}
            {open.then(|| view! { <RecordForm campaign=c.id.get() key=c.form_key.clone() record catalog /> })}
            <h2>{lang.pick("รอยืนยันยอดเงินเข้า", "Pledges waiting for their money")}</h2>
            <DonationTable rows=c.pledges.clone() />
            <OlderLink param="pledges_before" older=c.pledges_older paged=paged.0 />
            <h2>{lang.pick("ชุดบันทึกซองผ้าป่า", "Ceremony-night batches")}</h2>
            <ul class="batches">
                {c.batches.iter().map(|b| view! {
                    <li>
                        <a href=format!("/finance/batches/{}", b.id)>{b.label.clone()}</a>
                        <span class="small">{format!(" · {}/{} · {} / {} · {}", b.entered_count, b.expected_count, b.entered_total, b.expected_total,
                            if b.open { lang.pick("เปิดอยู่", "open") } else { lang.pick("ปิดแล้ว", "closed") })}</span>
                    </li>
                }).collect_view()}
            </ul>
            {open.then(|| view! {
                <ActionForm action=batch attr:class="stack card">
                    <input type="hidden" name="input[campaign_id]" value=c.id.get() />
                    <input type="hidden" name="input[idempotency_key]" value=c.batch_key.clone() />
                    <label for="batch-label">{lang.pick("ชื่อชุด", "Batch name")}</label>
                    <input id="batch-label" name="input[label]" type="text" required maxlength="100" />
                    <label for="batch-count">{lang.pick("จำนวนซองที่นับได้", "Envelopes counted")}</label>
                    <input id="batch-count" name="input[expected_count]" type="text" inputmode="numeric" required />
                    <label for="batch-total">{lang.pick("ยอดเงินสดที่นับได้ (บาท)", "Cash counted (baht)")}</label>
                    <input id="batch-total" name="input[expected_total]" type="text" inputmode="decimal" required />
                    <FormAnswer action=batch ok=move |id: BatchId| view! {
                        {lang.pick("เปิดชุดแล้ว ", "Opened: ")}
                        <a href=format!("/finance/batches/{id}")>{lang.pick("ไปบันทึกซอง", "type its envelopes")}</a>
                    }.into_any() />
                    <button type="submit" class="primary">{lang.pick("เปิดชุดบันทึก", "Open the batch")}</button>
                </ActionForm>
            })}
            <h2>{lang.pick("รายการล่าสุด", "Latest gifts")}</h2>
            <DonationTable rows=c.recent.clone() />
            <OlderLink param="recent_before" older=c.recent_older paged=paged.1 />
        </section>
    }
}

/// The equipment catalog, for gifts in kind.
type Catalog = Resource<Result<Vec<CatalogItem>, crate::error::AppError>>;

#[component]
fn RecordForm(
    campaign: i64,
    key: String,
    record: ServerAction<RecordDonation>,
    catalog: Catalog,
) -> impl IntoView {
    let lang = use_lang();
    let channel = RwSignal::new("cash".to_owned());
    view! {
        <h2>{lang.pick("บันทึกการบริจาค", "Record a gift")}</h2>
        <ActionForm action=record attr:class="stack card record-form">
            <input type="hidden" name="input[campaign_id]" value=campaign />
            <input type="hidden" name="input[idempotency_key]" value=key />
            <label for="rec-channel">{lang.pick("ช่องทาง", "Channel")}</label>
            <select id="rec-channel" name="input[channel]" on:change:target=move |ev| channel.set(ev.target().value())>
                {DonationChannel::ALL.iter().map(|c| view! { <option value=c.code()>{c.label(lang)}</option> }).collect_view()}
            </select>
            <label for="rec-amount">{lang.pick("จำนวนเงิน หรือมูลค่าสิ่งของ (บาท)", "Amount, or value of the goods (baht)")}</label>
            <input id="rec-amount" name="input[amount]" type="text" inputmode="decimal" required />
            <div class="in-kind-fields" class:hidden=move || channel.get() != "in_kind">
                <label for="rec-item">{lang.pick("ครุภัณฑ์ (สำหรับสิ่งของ)", "Item (for gifts in kind)")}</label>
                <Suspense fallback=|| view! { <select id="rec-item" name="input[item]"></select> }>
                    {move || Suspend::new(async move {
                        let items = catalog.await.unwrap_or_default();
                        view! {
                            <select id="rec-item" name="input[item]">
                                <option value="">"—"</option>
                                {items.into_iter().map(|i| view! {
                                    <option value=i.id.get()>{i.name.get(lang).to_owned()}</option>
                                }).collect_view()}
                            </select>
                        }
                    })}
                </Suspense>
                <label for="rec-qty">{lang.pick("จำนวน", "Quantity")}</label>
                <input id="rec-qty" name="input[quantity]" type="text" inputmode="numeric" />
            </div>
            <label for="rec-name">{lang.pick("ชื่อผู้บริจาค (เว้นว่างถ้าไม่ประสงค์ออกนาม)", "Donor's name (empty for anonymous)")}</label>
            <input id="rec-name" name="input[donor_name]" type="text" maxlength="200" />
            <label class="check"><input type="checkbox" name="input[show_name]" value="true" />{lang.pick(" ยินยอมให้แสดงชื่อต่อสาธารณะ", " May show the name publicly")}</label>
            <label for="rec-id">{lang.pick("เลขประจำตัวประชาชน/ผู้เสียภาษี", "National or tax ID")}</label>
            <input id="rec-id" name="input[national_id]" type="text" inputmode="numeric" />
            <label for="rec-phone">{lang.pick("โทรศัพท์", "Phone")}</label>
            <input id="rec-phone" name="input[phone]" type="tel" />
            <label for="rec-email">{lang.pick("อีเมล", "E-mail")}</label>
            <input id="rec-email" name="input[email]" type="email" />
            <label for="rec-date">{lang.pick("วันที่ได้รับ (เว้นว่าง = วันนี้)", "Date received (empty = today)")}</label>
            <input id="rec-date" name="input[received_on]" type="date" />
            <label for="rec-backdate">{lang.pick("เหตุผล หากวันที่ได้รับอยู่ในปีงบประมาณที่ผ่านไปแล้ว", "Reason, if the date received falls in a fiscal year that has ended")}</label>
            <input id="rec-backdate" name="input[backdate_reason]" type="text" maxlength="500" />
            <label for="rec-note">{lang.pick("หมายเหตุ", "Note")}</label>
            <input id="rec-note" name="input[note]" type="text" maxlength="500" />
            // The answer where the officer clicked; a success empties the form, so a second
            // click cannot record the same gift again.
            <FormAnswer action=record ok=move |created: DonationCreated| view! {
                {lang.pick("บันทึกแล้ว ใบเสร็จเลขที่ ", "Recorded; receipt no. ")}
                {created.receipt.map(|n| n.to_string()).unwrap_or_default()}
                " · "
                <a href=format!("/donations/{}/receipt", created.reference)>{lang.pick("พิมพ์ใบเสร็จ", "Print the receipt")}</a>
            }.into_any() />
            <button type="submit" class="primary">{lang.pick("บันทึกและออกใบเสร็จ", "Record and issue receipt")}</button>
        </ActionForm>
    }
}

/// Links to the next (older) page of a list, and back to the newest (when `paged`, the list
/// does not start at the newest); `param` names the query parameter the page reads.
#[component]
pub fn OlderLink(param: &'static str, older: Option<i64>, paged: bool) -> impl IntoView {
    let lang = use_lang();
    view! {
        <p class="pager">
            {paged.then(|| view! { <a href="?">{lang.pick("« รายการล่าสุด", "« Newest")}</a>" " })}
            {older.map(|id| view! {
                <a href=format!("?{param}={id}")>{lang.pick("รายการก่อนหน้า »", "Older »")}</a>
            })}
        </p>
    }
}

/// Donations in a table with links to each one's page.
#[component]
pub fn DonationTable(rows: Vec<DonationRow>) -> impl IntoView {
    let lang = use_lang();
    if rows.is_empty() {
        return view! { <p class="empty">{lang.pick("ไม่มีรายการ", "None.")}</p> }.into_any();
    }
    view! {
        <div class="table-scroll"><table class="data donations">
            <thead><tr>
                <th>{lang.pick("รหัสอ้างอิง", "Reference")}</th>
                <th>{lang.pick("ผู้บริจาค", "Donor")}</th>
                <th class="num">{lang.pick("จำนวนเงิน", "Amount")}</th>
                <th>{lang.pick("สถานะ", "Status")}</th>
                <th>{lang.pick("ใบเสร็จ", "Receipt")}</th>
                <th>{lang.pick("เวลา", "Time")}</th>
            </tr></thead>
            <tbody>
                {rows.into_iter().map(|r| row(lang, r)).collect_view()}
            </tbody>
        </table></div>
    }
    .into_any()
}

fn row(lang: Lang, r: DonationRow) -> impl IntoView {
    let when = format_instant(r.received_at.unwrap_or(r.created_at), lang);
    view! {
        <tr>
            <td><a href=format!("/donations/{}", r.reference)>{r.reference.clone()}</a></td>
            <td>{r.donor_name.clone().unwrap_or_else(|| lang.pick("ไม่ประสงค์ออกนาม", "Anonymous").to_owned())}</td>
            <td class="num">{r.amount.to_string()}</td>
            <td><DonationBadge status=r.status /></td>
            <td>{r.receipt.map(|n| n.to_string()).unwrap_or_default()}</td>
            <td class="small">{when}</td>
        </tr>
    }
}
