//! `/donations` (look a gift up by its reference), `/donations/{reference}` (status, PromptPay QR
//! while pledged, receipt, and where the money went; finance officers also confirm and void
//! here) and `/donations/{reference}/receipt` (the printable receipt, A5 or A4).

use crate::api::donations::{get_donation, ConfirmPledge, VoidDonation};
use crate::components::guard::FormErrors;
use crate::components::island::island_ready;
use crate::components::notice::ErrorNotice;
use crate::error::AppError;
use crate::i18n::use_lang;
use crate::model::baht_text::baht_text;
use crate::model::donation::{DonationView, MoneyTrail, PromptPayPayment, ReceiptView};
use crate::model::status::{DonationChannel, DonationStatus};
use crate::model::thai_date::{format_date, format_instant};
use crate::model::Lang;
use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::hooks::{use_params_map, use_query_map};

/// The look-up form; with `?reference=` it shows that donation.
#[component]
pub fn LookupPage() -> impl IntoView {
    let lang = use_lang();
    let query = use_query_map();
    let reference = query.read_untracked().get("reference").unwrap_or_default();
    let asked = !reference.trim().is_empty();
    view! {
        <Title text=lang.pick("ค้นหาการบริจาค · Phapa", "Find a donation · Phapa") />
        <section class="wrap narrow">
            <h1>{lang.pick("ค้นหาการบริจาคของคุณ", "Find your donation")}</h1>
            <p class="hint">
                {lang.pick(
                    "กรอกรหัสอ้างอิงที่ได้รับเมื่อบริจาค (ขึ้นต้นด้วย PP-) เพื่อดูสถานะ ใบเสร็จ และเงินของคุณไปซื้ออะไรให้ใคร",
                    "Type the reference you were given when you gave (it starts with PP-) to see its status, its receipt and what your money bought.",
                )}
            </p>
            <form class="stack card" method="get" action="/donations">
                <label for="reference">{lang.pick("รหัสอ้างอิง", "Reference")}</label>
                <input id="reference" name="reference" type="text" required value=reference.clone()
                    autocapitalize="characters" autocomplete="off" placeholder="PP-XXXX-XXXX-XXXX-XXXX" />
                <button type="submit" class="primary">{lang.pick("ค้นหา", "Find")}</button>
            </form>
        </section>
        {asked.then(|| view! { <DonationLoader reference /> })}
    }
}

/// `/donations/{reference}`.
#[component]
pub fn DonationPage() -> impl IntoView {
    let params = use_params_map();
    let reference = params.read_untracked().get("reference").unwrap_or_default();
    view! { <DonationLoader reference /> }
}

#[component]
fn DonationLoader(reference: String) -> impl IntoView {
    let donation = Resource::new(|| (), move |_| get_donation(reference.clone()));
    view! {
        <Suspense fallback=|| view! { <p class="wrap loading">"…"</p> }>
            {move || Suspend::new(async move {
                match donation.await {
                    Ok(d) => view! { <DonationDetails d /> }.into_any(),
                    Err(error) => view! { <ErrorNotice error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// The status as a badge.
#[component]
pub fn DonationBadge(status: DonationStatus) -> impl IntoView {
    let lang = use_lang();
    view! { <span class=format!("badge donation-{}", status.code())>{status.label(lang)}</span> }
}

fn donor_label(lang: Lang, name: &Option<String>) -> String {
    name.clone()
        .unwrap_or_else(|| lang.pick("ผู้ไม่ประสงค์ออกนาม", "Anonymous").to_owned())
}

#[component]
fn DonationDetails(d: DonationView) -> impl IntoView {
    let lang = use_lang();
    let title = d.campaign_title.get(lang).to_owned();
    let when = d.received_at.map_or_else(
        || format_instant(d.created_at, lang),
        |t| format_instant(t, lang),
    );
    let pledged = d.status == DonationStatus::Pledged;
    // Paying is what a donor with a waiting pledge came for: the QR code, the amount and the save
    // button come straight after the reference, the details after them (a phone shows the QR
    // without scrolling).
    view! {
        <Title text=format!("{} · Phapa", d.reference) />
        <Meta
            name="description"
            content=lang.pick(
                "การบริจาคผ้าป่าประชารัฐ: สถานะ คิวอาร์โค้ดพร้อมเพย์ และใบเสร็จ",
                "A gift to a merit drive: its status, PromptPay QR code and receipt.",
            )
        />
        <article class="wrap donation-page">
            <p class="crumbs"><a href=format!("/campaigns/{}", d.campaign_id)>{title.clone()}</a></p>
            <h1>{lang.pick("การบริจาคของคุณ", "Your donation")}</h1>
            <p class="reference-line">
                {lang.pick("รหัสอ้างอิง ", "Reference ")}
                <strong class="reference" data-testid="reference">{d.reference.clone()}</strong>
                " "
                <DonationBadge status=d.status />
            </p>
            {d.voided_at.map(|at| view! {
                <p class="notice error" role="status">
                    {lang.pick("ยกเลิกแล้วเมื่อ ", "Voided on ")}{format_instant(at, lang)}
                    {d.void_reason.clone().map(|r| format!(" · {r}"))}
                </p>
            })}
            {d.promptpay.clone().map(|p| view! { <PayByPromptPay p reference=d.reference.clone() amount=d.amount.to_string() /> })}
            {pledged.then(|| view! {
                <p class="notice" role="status">
                    {lang.pick(
                        "รอรับเงิน: สถานะจะเปลี่ยนเป็น \"ได้รับแล้ว\" และออกใบเสร็จเมื่อเจ้าหน้าที่การเงินตรวจพบยอดเงินเข้าบัญชี",
                        "Waiting for the money: the status becomes \"Received\" and a receipt is issued once a finance officer sees it arrive.",
                    )}
                </p>
            })}
            {d.bank.clone().map(|b| view! {
                <section class="bank card">
                    <h2>{lang.pick("หรือโอนเข้าบัญชี", "Or transfer to")}</h2>
                    <p>{format!("{} · {} · {}", b.bank, b.number, b.name)}</p>
                    <p class="small">{lang.pick("ระบุรหัสอ้างอิงในบันทึกช่วยจำของการโอน", "Put the reference in the transfer's memo.")}</p>
                </section>
            })}
            {d.receipt.clone().map(|r| view! { <ReceiptLink r reference=d.reference.clone() /> })}
            <section class="details" aria-labelledby="details-heading">
                <h2 id="details-heading">{lang.pick("รายละเอียด", "Details")}</h2>
                <p class="hint">{lang.pick("เก็บรหัสอ้างอิงไว้เพื่อติดตามการบริจาคและใบเสร็จ", "Keep the reference to follow your gift and find its receipt.")}</p>
                <dl class="facts card">
                    <div><dt>{lang.pick("จำนวนเงิน", "Amount")}</dt><dd class="amount">{d.amount.to_string()}</dd></div>
                    <div><dt>{lang.pick("กองผ้าป่า", "Campaign")}</dt><dd>{title}</dd></div>
                    <div><dt>{lang.pick("ช่องทาง", "Channel")}</dt><dd>{d.channel.label(lang)}</dd></div>
                    <div><dt>{if d.received_at.is_some() { lang.pick("วันที่ได้รับ", "Received") } else { lang.pick("วันที่แจ้งบริจาค", "Pledged") }}</dt><dd>{when}</dd></div>
                    <div><dt>{lang.pick("ผู้บริจาค", "Donor")}</dt><dd>{donor_label(lang, &d.donor_name)}</dd></div>
                    {d.national_id.clone().map(|id| view! { <div><dt>{lang.pick("เลขประจำตัว", "ID")}</dt><dd>{id}</dd></div> })}
                </dl>
                {(!d.in_kind.is_empty()).then(|| view! {
                    <ul class="in-kind">
                        {d.in_kind.iter().map(|(item, q)| view! { <li>{format!("{} × {q}", item.get(lang))}</li> }).collect_view()}
                    </ul>
                })}
            </section>
            <Trail trail=d.trail.clone() />
            {d.private.clone().map(|p| view! {
                <FinancePanel reference=d.reference.clone() status=d.status pledged_on=crate::model::thai_date::bangkok_date(d.created_at).to_string() private=p />
            })}
        </article>
    }
}

/// The PromptPay card. In the page's order the amount, the code and the save button come first;
/// on a wide screen the code sits to the left of the rest.
#[component]
fn PayByPromptPay(p: PromptPayPayment, reference: String, amount: String) -> impl IntoView {
    let lang = use_lang();
    let view_box = format!("0 0 {0} {0}", p.qr.size);
    view! {
        <section class="promptpay card" aria-labelledby="pay-heading">
            <h2 id="pay-heading">{lang.pick("ชำระด้วยพร้อมเพย์", "Pay by PromptPay")}</h2>
            <div class="pay-grid">
                <p class="pay-amount">
                    <span class="small">{lang.pick("จำนวนเงิน ", "Amount ")}</span>
                    <strong class="amount">{amount}</strong>
                </p>
                <svg class="qr" viewBox=view_box width="240" height="240" role="img" shape-rendering="crispEdges"
                    aria-label=lang.pick("คิวอาร์โค้ดพร้อมเพย์", "PromptPay QR code") data-payload=p.payload.clone()>
                    <rect width=p.qr.size height=p.qr.size fill="#ffffff" />
                    <path d=p.qr.path.clone() fill="#000000" />
                </svg>
                <a class="button primary save-qr" href=format!("/donations/{reference}/qr.png") download=format!("phapa-{reference}.png")>
                    {lang.pick("บันทึกรูป QR", "Save the QR image")}
                </a>
                <p class="small scan-hint">{lang.pick("สแกนด้วยแอปธนาคาร หรือบันทึกรูปแล้วเปิดในแอป", "Scan it with your banking app, or save the image and open it there.")}</p>
                <dl class="pay-facts">
                    <div><dt>{lang.pick("ชื่อบัญชี", "Payee")}</dt><dd class="payee">{p.payee.clone()}</dd></div>
                    <div><dt>{lang.pick("พร้อมเพย์", "PromptPay")}</dt><dd>{p.promptpay_id.clone()}</dd></div>
                    <div><dt>{lang.pick("รหัสอ้างอิง", "Reference")}</dt><dd>{reference.clone()}</dd></div>
                </dl>
            </div>
        </section>
    }
}

#[component]
fn ReceiptLink(r: ReceiptView, reference: String) -> impl IntoView {
    let lang = use_lang();
    view! {
        <section class="receipt-box card">
            <h2>{lang.pick("ใบเสร็จรับเงิน", "Receipt")}</h2>
            <p>
                {lang.pick("เลขที่ ", "No. ")}<strong class="receipt-no">{r.number.to_string()}</strong>
                {r.voided.then(|| view! { " " <span class="badge donation-voided">{lang.pick("ยกเลิก", "Void")}</span> })}
            </p>
            <p class="small">{format!("{} · {}", r.recipient.name.get(lang), r.recipient.tax_id)}</p>
            <a class="button" href=format!("/donations/{reference}/receipt")>{lang.pick("ดูและพิมพ์ใบเสร็จ", "View and print the receipt")}</a>
        </section>
    }
}

#[component]
fn Trail(trail: MoneyTrail) -> impl IntoView {
    let lang = use_lang();
    view! {
        <section class="trail">
            <h2>{lang.pick("เงินของคุณไปที่ไหน", "Where the money went")}</h2>
            <dl class="figures">
                <div><dt>{lang.pick("เงินบริจาคเข้ากองทุน", "Given to the fund")}</dt><dd>{trail.raised.to_string()}</dd></div>
                <div><dt>{lang.pick("จัดซื้อครุภัณฑ์แล้ว", "Spent on equipment")}</dt><dd>{trail.spent.to_string()}</dd></div>
                <div><dt>{lang.pick("คงเหลือในกองทุน", "Left in the fund")}</dt><dd>{trail.balance().to_string()}</dd></div>
            </dl>
            {if trail.purchases.is_empty() {
                view! {
                    <p class="empty">
                        {lang.pick(
                            "ยังไม่มีการจัดซื้อจากกองทุนนี้ เมื่อจัดซื้อแล้ว รายการครุภัณฑ์และโรงพยาบาลที่ได้รับจะแสดงที่นี่",
                            "Nothing has been bought from this fund yet. Once it is, each purchase and the hospitals that received it will show here.",
                        )}
                    </p>
                }.into_any()
            } else {
                view! {
                    <ul class="trail-list">
                        {trail.purchases.into_iter().map(|p| view! {
                            <li>
                                {format!("{} · {} × {} · {}", format_date(p.purchased_on, lang), p.item.get(lang), p.quantity, p.total)}
                                <span class="small">{p.hospitals.iter().map(|h| h.get(lang).to_owned()).collect::<Vec<_>>().join(", ")}</span>
                            </li>
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
        </section>
    }
}

/// What finance officers see and do on a donation's page. Its code is a chunk of its own that
/// only their browsers fetch; after a confirmation or a void the page reloads with the result.
#[island(lazy)]
fn FinancePanel(
    reference: String,
    status: DonationStatus,
    /// The day the pledge was made in Bangkok (`YYYY-MM-DD`): the money cannot arrive before it.
    pledged_on: String,
    private: crate::model::donation::DonorPrivate,
) -> impl IntoView {
    island_ready();
    let lang = use_lang();
    let confirm = ServerAction::<ConfirmPledge>::new();
    let void = ServerAction::<VoidDonation>::new();
    reload_after(confirm);
    reload_after(void);
    let none = || "—".to_owned();
    let void_reference = reference.clone();
    let outcome = move |r: Option<Result<(), AppError>>| {
        r.and_then(|r| r.err())
            .map(|error| view! { <FormErrors error /> })
    };
    view! {
        <section class="finance-panel card" aria-labelledby="finance-heading">
            <h2 id="finance-heading">{lang.pick("สำหรับเจ้าหน้าที่การเงิน", "For finance officers")}</h2>
            <dl class="facts">
                <div><dt>{lang.pick("เลขประจำตัว (เต็ม)", "Full ID")}</dt><dd>{private.national_id.unwrap_or_else(none)}</dd></div>
                <div><dt>{lang.pick("โทรศัพท์", "Phone")}</dt><dd>{private.phone.unwrap_or_else(none)}</dd></div>
                <div><dt>{lang.pick("อีเมล", "E-mail")}</dt><dd>{private.email.unwrap_or_else(none)}</dd></div>
                <div><dt>{lang.pick("หมายเหตุ", "Note")}</dt><dd>{private.note.unwrap_or_else(none)}</dd></div>
            </dl>
            {(status == DonationStatus::Pledged).then(|| view! {
                {move || outcome(confirm.value().get().map(|r| r.map(|_| ())))}
                <ActionForm action=confirm attr:class="stack">
                    <input type="hidden" name="reference" value=reference.clone() />
                    <label for="received_on">{lang.pick("วันที่เงินเข้าบัญชี", "Date the money arrived")}</label>
                    <input id="received_on" name="received_on" type="date" min=pledged_on />
                    <label for="backdate_reason">{lang.pick("เหตุผล หากวันที่เงินเข้าอยู่ในปีงบประมาณที่ผ่านไปแล้ว", "Reason, if the date falls in a fiscal year that has ended")}</label>
                    <input id="backdate_reason" name="backdate_reason" type="text" maxlength="500" />
                    <label for="arrived_by">{lang.pick("ช่องทางที่เงินเข้า", "How the money arrived")}</label>
                    <select id="arrived_by" name="channel">
                        {[DonationChannel::PromptPay, DonationChannel::BankTransfer, DonationChannel::Cash, DonationChannel::Cheque]
                            .into_iter()
                            .map(|c| view! { <option value=c.code()>{c.label(lang)}</option> })
                            .collect_view()}
                    </select>
                    <button type="submit" class="primary">{lang.pick("ยืนยันได้รับเงินและออกใบเสร็จ", "Confirm received and issue receipt")}</button>
                </ActionForm>
            })}
            {(status != DonationStatus::Voided).then(|| view! {
                {move || outcome(void.value().get())}
                <ActionForm action=void attr:class="stack void-form">
                    <input type="hidden" name="reference" value=void_reference.clone() />
                    <label for="void-reason">{lang.pick("เหตุผลการยกเลิก", "Reason for voiding")}</label>
                    <input id="void-reason" name="reason" type="text" maxlength="500" />
                    <button type="submit" class="danger">{lang.pick("ยกเลิกรายการนี้", "Void this donation")}</button>
                </ActionForm>
            })}
        </section>
    }
}

/// `/donations/{reference}/receipt`: the receipt on its own, styled for A5 (or `?paper=a4`).
#[component]
pub fn ReceiptPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let reference = params.read_untracked().get("reference").unwrap_or_default();
    let a4 = query.read_untracked().get("paper").as_deref() == Some("a4");
    let donation = Resource::new(|| (), move |_| get_donation(reference.clone()));
    view! {
        <Suspense fallback=|| view! { <p class="wrap loading">"…"</p> }>
            {move || Suspend::new(async move {
                match donation.await {
                    Ok(d) => match d.receipt.clone() {
                        Some(r) => view! { <PrintableReceipt d r a4 /> }.into_any(),
                        None => view! { <ErrorNotice error=AppError::NotFound /> }.into_any(),
                    },
                    Err(error) => view! { <ErrorNotice error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn PrintableReceipt(d: DonationView, r: ReceiptView, a4: bool) -> impl IntoView {
    let lang = use_lang();
    let paper = if a4 { "A4" } else { "A5" };
    let page_css = format!("@page {{ size: {paper}; margin: 12mm; }}");
    let purpose = d.campaign_title.get(lang).to_owned();
    view! {
        <Title text=format!("{} {} · Phapa", lang.pick("ใบเสร็จ", "Receipt"), r.number) />
        <style>{page_css}</style>
        <div class="wrap no-print print-bar">
            <a href=format!("/donations/{}", d.reference)>{lang.pick("กลับ", "Back")}</a>
            <a href="?paper=a5" class:current=!a4>"A5"</a>
            <a href="?paper=a4" class:current=a4>"A4"</a>
            <button type="button" class="primary" onclick="window.print()">{lang.pick("พิมพ์", "Print")}</button>
        </div>
        <article class=format!("receipt paper-{}", paper.to_lowercase()) aria-label=lang.pick("ใบเสร็จรับเงิน", "Receipt")>
            {r.voided.then(|| view! { <p class="void-mark" role="status">{lang.pick("ยกเลิก · VOID", "VOID · ยกเลิก")}</p> })}
            <header class="receipt-head">
                <p class="recipient">{r.recipient.name.get(lang).to_owned()}</p>
                <p class="small">{lang.pick("เลขประจำตัวผู้เสียภาษี ", "Tax ID ")}{r.recipient.tax_id.clone()}</p>
                {r.recipient.address.clone().map(|a| view! { <p class="small">{a}</p> })}
            </header>
            <h1>{lang.pick("ใบเสร็จรับเงินบริจาค", "Donation receipt")}</h1>
            <dl class="receipt-lines">
                <div><dt>{lang.pick("เลขที่", "No.")}</dt><dd class="receipt-no">{r.number.to_string()}</dd></div>
                <div><dt>{lang.pick("วันที่", "Date")}</dt><dd>{format_date(r.received_on, lang)}</dd></div>
                <div><dt>{lang.pick("ได้รับเงินจาก", "Received from")}</dt><dd>{donor_label(lang, &d.donor_name)}</dd></div>
                <div><dt>{lang.pick("เลขประจำตัวผู้บริจาค", "Donor's ID")}</dt><dd>{d.national_id.clone().unwrap_or_else(|| "—".into())}</dd></div>
                <div><dt>{lang.pick("จำนวนเงิน", "Amount")}</dt><dd class="amount">{d.amount.to_string()}</dd></div>
                <div><dt>{lang.pick("ตัวอักษร", "In words")}</dt><dd class="words">{format!("({})", baht_text(d.amount))}</dd></div>
                <div><dt>{lang.pick("ช่องทาง", "Channel")}</dt><dd>{d.channel.label(lang)}</dd></div>
                <div><dt>{lang.pick("วัตถุประสงค์", "Purpose")}</dt><dd>{lang.pick("สมทบทุน ", "Towards ")}{purpose}</dd></div>
            </dl>
            <p class="small">
                {lang.pick("ตรวจสอบได้ที่ /donations/", "Check it at /donations/")}{d.reference.clone()}
                {lang.pick(" · ออกเมื่อ ", " · issued ")}{format_instant(r.issued_at, lang)}
            </p>
        </article>
    }
}

/// Reloads the page once `action` has succeeded, so it shows the server's new state.
fn reload_after<A>(action: ServerAction<A>)
where
    A: leptos::server_fn::ServerFn + Clone + Send + Sync + 'static,
    A::Output: Send + Sync + 'static,
    A::Error: Send + Sync + 'static,
{
    #[cfg(feature = "hydrate")]
    Effect::new(move || {
        if action.value().read().as_ref().is_some_and(Result::is_ok) {
            let _ = window().location().reload();
        }
    });
    #[cfg(not(feature = "hydrate"))]
    let _ = action;
}
