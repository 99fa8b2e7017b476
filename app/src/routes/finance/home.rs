//! `/finance`: the campaigns whose money a finance officer handles, a reference look-up, and the
//! e-Donation export of a recipient's receipts.

use crate::api::campaigns::list_campaigns;
use crate::api::donations::finance_home_page;
use crate::components::guard::Refused;
use crate::components::notice::StatusBadge;
use crate::i18n::use_lang;
use crate::model::donation::{fiscal_year, fiscal_year_days};
use crate::model::worklist::Waiting;
use leptos::prelude::*;
use leptos_meta::Title;

/// The finance home page.
#[component]
pub fn FinanceHomePage() -> impl IntoView {
    let lang = use_lang();
    let home = Resource::new(|| (), |_| finance_home_page());
    let campaigns = Resource::new(|| (), |_| list_campaigns());
    view! {
        <Title text=lang.pick("การเงิน · Phapa", "Finance · Phapa") />
        <Suspense fallback=|| view! { <p class="wrap loading">"…"</p> }>
            {move || Suspend::new(async move {
                let (recipients, today, waiting) = match home.await {
                    Ok(h) => (h.recipients, h.today, h.waiting),
                    Err(error) => return view! { <Refused error /> }.into_any(),
                };
                let campaigns = campaigns.await.unwrap_or_default();
                let (from, _) = fiscal_year_days(fiscal_year(today)).unwrap_or((today, today));
                view! {
                    <section class="wrap">
                        <h1>{lang.pick("การเงินและการบริจาค", "Donations and receipts")}</h1>
                        <WaitingForYou waiting />
                        <crate::routes::admin::payee::PayeeApprovals />
                        <h2>{lang.pick("กองผ้าป่า", "Campaigns")}</h2>
                        <ul class="admin-campaigns">
                            {campaigns.into_iter().map(|c| view! {
                                <li>
                                    <StatusBadge status=c.status />
                                    " "
                                    <a href=format!("/finance/campaigns/{}", c.id)>{c.title.get(lang).to_owned()}</a>
                                    <span class="small">{format!(" · {} · {} {}", c.raised, c.donation_count, lang.pick("รายการ", "gifts"))}</span>
                                    " · "
                                    <a href=format!("/finance/requests?campaign={}", c.id)>{lang.pick("คำขอครุภัณฑ์", "Equipment requests")}</a>
                                    " · "
                                    <a href=format!("/finance/purchases?campaign={}", c.id)>{lang.pick("ซื้อครุภัณฑ์", "Purchases")}</a>
                                    " · "
                                    <a href=format!("/finance/stock?campaign={}", c.id)>{lang.pick("คลังและการส่งมอบ", "Stock and delivery")}</a>
                                    " · "
                                    <a href=format!("/finance/reconcile?campaign={}", c.id)>{lang.pick("กระทบยอดธนาคาร", "Bank reconciliation")}</a>
                                </li>
                            }).collect_view()}
                        </ul>
                        <h2>{lang.pick("ค้นหาด้วยรหัสอ้างอิง", "Find by reference")}</h2>
                        <form class="inline-form" method="get" action="/donations">
                            <label for="find-ref">{lang.pick("รหัสอ้างอิง", "Reference")}</label>
                            <input id="find-ref" name="reference" type="text" required placeholder="PP-…" />
                            <button type="submit">{lang.pick("ค้นหา", "Find")}</button>
                        </form>
                        <h2>{lang.pick("ส่งออกข้อมูล e-Donation", "e-Donation export")}</h2>
                        <p class="hint">{lang.pick(
                            "ไฟล์ CSV ของใบเสร็จตามผู้รับบริจาคและช่วงวันที่ สำหรับยื่นต่อกรมสรรพากร (ใบเสร็จที่ยกเลิกแสดงสถานะ void)",
                            "A CSV of one recipient's receipts over a period, for the Revenue Department (voided receipts are listed as void).",
                        )}</p>
                        <form class="stack card" method="get" action="/finance/e-donation.csv">
                            <label for="export-recipient">{lang.pick("ผู้รับบริจาค", "Recipient")}</label>
                            <select id="export-recipient" name="recipient" required>
                                {recipients.into_iter().map(|(id, r)| view! {
                                    <option value=id.get()>{format!("{} ({})", r.name.get(lang), r.tax_id)}</option>
                                }).collect_view()}
                            </select>
                            <label for="export-from">{lang.pick("ตั้งแต่วันที่", "From")}</label>
                            <input id="export-from" name="from" type="date" required value=from.format("%Y-%m-%d").to_string() />
                            <label for="export-to">{lang.pick("ถึงวันที่", "To")}</label>
                            <input id="export-to" name="to" type="date" required value=today.format("%Y-%m-%d").to_string() />
                            <div class="downloads">
                                <button type="submit" class="primary">{lang.pick("ดาวน์โหลด CSV", "Download CSV")}</button>
                                <button type="submit" formaction="/finance/e-donation.xlsx">{lang.pick("ดาวน์โหลด Excel (.xlsx)", "Download Excel (.xlsx)")}</button>
                            </div>
                        </form>
                    </section>
                }.into_any()
            })}
        </Suspense>
    }
}

/// What waits for this officer, with a link to each place it is done.
#[component]
fn WaitingForYou(waiting: Vec<Waiting>) -> impl IntoView {
    let lang = use_lang();
    view! {
        <section class="waiting-for-you card">
            <h2>{lang.pick("รอคุณดำเนินการ", "Waiting for you")}</h2>
            {if waiting.is_empty() {
                view! { <p class="empty">{lang.pick("ไม่มีงานค้าง", "Nothing is waiting.")}</p> }.into_any()
            } else {
                view! {
                    <ul class="waiting">
                        {waiting.into_iter().map(|w| {
                            let id = w.campaign;
                            let kinds = [
                                (w.approvals, format!("/finance/purchases?campaign={id}"), lang.pick("การจัดซื้อรอคุณอนุมัติ", "purchases await your approval")),
                                (w.payee_changes, "/finance#payee-approvals".to_owned(), lang.pick("คำขอเปลี่ยนบัญชีรับเงิน", "receiving-account changes")),
                                (w.requests, format!("/finance/requests?campaign={id}"), lang.pick("คำขอครุภัณฑ์รอพิจารณา", "equipment requests to decide")),
                                (w.credits, format!("/finance/reconcile?campaign={id}"), lang.pick("เงินเข้าที่ยังไม่จับคู่", "bank credits not matched")),
                                (w.discrepancies, format!("/finance/campaigns/{id}/report"), lang.pick("รายการผิดปกติที่ยังไม่ชี้แจง", "discrepancies not acknowledged")),
                            ];
                            view! {
                                <li data-campaign=id.get()>
                                    <strong>{w.title.get(lang).to_owned()}</strong>
                                    <ul class="waiting-kinds">
                                        {kinds.into_iter().filter(|(n, _, _)| *n > 0).map(|(n, href, what)| view! {
                                            <li><a href=href><span class="count">{n}</span>" "{what}</a></li>
                                        }).collect_view()}
                                    </ul>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
        </section>
    }
}
