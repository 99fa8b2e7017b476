//! `/donations` (look a gift up by its reference), `/donations/{reference}` (status, PromptPay QR
//! while pledged, receipt, and where the money went; finance officers also confirm and void
//! here) and `/donations/{reference}/receipt` (the printable receipt, A5 or A4).
//!
//! Longer than most files: one donation's pages (lookup, status with where its money went, the
//! finance panel and the receipt), kept together because they share the loader, the badges and the
//! receipt view.

use crate::api::donations::{get_donation, ConfirmPledge, VoidDonation};
use crate::api::equipment::get_donation_trace;
use crate::components::guard::FormErrors;
use crate::components::island::island_ready;
use crate::components::notice::ErrorNotice;
use crate::error::AppError;
use crate::i18n::use_lang;
use crate::model::baht_text::baht_text;
use crate::model::donation::{
    by_hand_hint, lapsed_hint, tail_hint, DonationView, MoneyTrail, PromptPayPayment, ReceiptView,
};
use crate::model::equipment::{DonationTrace, TracePurchase, TraceUnit};
use crate::model::status::{DonationChannel, DonationStatus};
use crate::model::thai_date::stored_date;
use crate::model::thai_date::{format_date, format_instant};
use crate::model::{Lang, Money};
use crate::routes::campaign::HomesOf;
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

/// A donation, and for a received one where its money went (`None` for pledges and voided
/// gifts, which bought nothing).
type Looked = (DonationView, Option<Result<DonationTrace, AppError>>);

async fn look_up(reference: String) -> Result<Looked, AppError> {
    let d = get_donation(reference).await?;
    let trace = if d.status == DonationStatus::Received {
        Some(get_donation_trace(d.reference.clone()).await)
    } else {
        None
    };
    Ok((d, trace))
}

#[component]
fn DonationLoader(reference: String) -> impl IntoView {
    let donation = Resource::new(|| (), move |_| look_up(reference.clone()));
    view! {
        <Suspense fallback=|| view! { <p class="wrap loading">"…"</p> }>
            {move || Suspend::new(async move {
                match donation.await {
                    Ok((d, trace)) => view! { <DonationDetails d trace /> }.into_any(),
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
fn DonationDetails(
    d: DonationView,
    trace: Option<Result<DonationTrace, AppError>>,
) -> impl IntoView {
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
            {d.promptpay.clone().map(|p| view! { <PayByPromptPay p reference=d.reference.clone() amount=d.amount.to_string() tail=d.tail /> })}
            {d.by_hand.then(|| view! { <p class="notice by-hand-hint">{by_hand_hint(lang, &d.reference)}</p> })}
            {d.lapsed_after_days.map(|days| view! { <p class="notice lapsed-hint">{lapsed_hint(lang, days)}</p> })}
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
                    // Without a QR card above, the exact amount and its tail are said here.
                    {d.promptpay.is_none().then_some(d.tail).flatten().map(|tail| view! {
                        <p class="pay-amount">
                            <span class="small">{lang.pick("จำนวนเงิน ", "Amount ")}</span>
                            <strong class="amount">{d.amount.to_string()}</strong>
                        </p>
                        <p class="small tail-hint">{tail_hint(lang, tail)}</p>
                    })}
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
            {match trace {
                Some(Ok(trace)) => Some(view! { <MoneyWent trace /> }.into_any()),
                // Voided since it was read: it bought nothing.
                Some(Err(AppError::NotFound)) | None => None,
                Some(Err(error)) => Some(view! { <p class="notice error" role="alert">{error.message(lang)}</p> }.into_any()),
            }}
            <Fund trail=d.trail.clone() />
            {d.private.clone().map(|p| view! {
                <FinancePanel reference=d.reference.clone() status=d.status pledged_on=crate::model::thai_date::bangkok_date(d.created_at).to_string() private=p />
            })}
        </article>
    }
}

/// The PromptPay card. In the page's order the amount, the code and the save button come first
/// (after why the amount has satang, when it carries a tail); on a wide screen the code sits to
/// the left of the rest.
#[component]
fn PayByPromptPay(
    p: PromptPayPayment,
    reference: String,
    amount: String,
    tail: Option<Money>,
) -> impl IntoView {
    let lang = use_lang();
    let view_box = format!("0 0 {0} {0}", p.qr.size);
    let account = match p.biller_id.clone() {
        Some(biller) => view! { <div><dt>"Biller ID"</dt><dd>{biller}</dd></div> }.into_any(),
        None => view! { <div><dt>{lang.pick("พร้อมเพย์", "PromptPay")}</dt><dd>{p.promptpay_id.clone()}</dd></div> }.into_any(),
    };
    view! {
        <section class="promptpay card" aria-labelledby="pay-heading">
            <h2 id="pay-heading">{lang.pick("ชำระด้วยพร้อมเพย์", "Pay by PromptPay")}</h2>
            // Above the grid, whose wide layout has a place for each of its own parts only.
            {tail.map(|tail| view! { <p class="tail-hint">{tail_hint(lang, tail)}</p> })}
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
                    {account}
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

/// The campaign's fund as a whole, as a sum a donor can check: given (+ carried in) =
/// received; − spent − held for purchases awaiting approval = left.
#[component]
fn Fund(trail: MoneyTrail) -> impl IntoView {
    let lang = use_lang();
    let carried = trail.carried.satang();
    let carried_line = (carried != 0).then(|| {
        let (label, shown) = if carried > 0 {
            (
                lang.pick(
                    "+ ยอดยกมาจากกองที่ปิดบัญชี",
                    "+ Carried in from settled campaigns",
                ),
                trail.carried,
            )
        } else {
            (
                lang.pick("− ยอดยกไปกองอื่น", "− Carried out to other campaigns"),
                Money::from_satang(-carried),
            )
        };
        view! { <div><dt>{label}</dt><dd class="carried">{shown.to_string()}</dd></div> }
    });
    let held = (trail.held != Money::ZERO).then(|| view! {
        <div><dt>{lang.pick("− กันไว้สำหรับการจัดซื้อที่รออนุมัติ", "− Held for purchases awaiting approval")}</dt><dd class="held">{trail.held.to_string()}</dd></div>
    });
    view! {
        <section class="fund">
            <h2>{lang.pick("กองทุนของกองผ้าป่านี้", "This campaign's fund")}</h2>
            <dl class="figures fund-sum">
                <div><dt>{lang.pick("เงินบริจาคเข้ากองทุน", "Given to the fund")}</dt><dd class="raised">{trail.raised.to_string()}</dd></div>
                {carried_line}
                <div><dt>{lang.pick("= เงินสดที่กองทุนได้รับ", "= Cash the fund received")}</dt><dd class="received">{trail.received().to_string()}</dd></div>
                <div><dt>{lang.pick("− จัดซื้อครุภัณฑ์แล้ว", "− Spent on equipment")}</dt><dd class="spent">{trail.spent.to_string()}</dd></div>
                {held}
                <div><dt>{lang.pick("= คงเหลือในกองทุน", "= Left in the fund")}</dt><dd class="left">{trail.balance().to_string()}</dd></div>
            </dl>
        </section>
    }
}

/// Where a received gift went: its share of each purchase and the units bought, each linked to
/// its page and its hospital; or, for a gift in kind, the gift's own units.
#[component]
fn MoneyWent(trace: DonationTrace) -> impl IntoView {
    let lang = use_lang();
    let homes = trace.homes();
    let lead = (
        "ครุภัณฑ์เหล่านี้ได้ให้ผู้ป่วยยืมใช้ที่บ้านแล้ว ",
        "These units have been lent to ",
    );
    let homes = (homes.homes_served > 0).then(|| view! { <HomesOf homes lead /> });
    let heading = if trace.in_kind {
        lang.pick("สิ่งของที่คุณบริจาคไปที่ไหน", "Where your gift went")
    } else {
        lang.pick("เงินของคุณไปที่ไหน", "Where your money went")
    };
    let body = if trace.in_kind {
        let intro = if trace.units.is_empty() {
            lang.pick(
                "สิ่งของที่คุณบริจาคยังไม่ได้รับเข้าคลัง เมื่อรับเข้าแล้ว แต่ละชิ้นและโรงพยาบาลที่ได้รับจะแสดงที่นี่",
                "Your gift has not been taken into stock yet. Once it is, each unit and the hospital that holds it will show here.",
            )
        } else {
            lang.pick(
                "สิ่งของที่คุณบริจาครับเข้าคลังเป็นรายชิ้น แต่ละชิ้นอยู่ที่นี่",
                "Your gift in kind was taken into stock unit by unit; here is where each one is.",
            )
        };
        view! {
            <p>{intro}</p>
            <Units units=trace.units />
        }
        .into_any()
    } else {
        let method = match lang {
            Lang::Th => format!(
                "ส่วนของคุณในการจัดซื้อแต่ละครั้ง = ยอดจัดซื้อ × เงินบริจาคของคุณ ({}) ÷ เงินสดที่กองผ้าป่าได้รับทั้งหมด ({}) ปัดเศษลงเป็นสตางค์",
                trace.amount, trace.campaign_received
            ),
            Lang::En => format!(
                "Your share of each purchase = the purchase's total × your gift ({}) ÷ the cash the campaign has received ({}), rounded down to the satang.",
                trace.amount, trace.campaign_received
            ),
        };
        if trace.purchases.is_empty() {
            view! {
                <p class="method">{method}</p>
                <p class="empty">
                    {lang.pick(
                        "ยังไม่มีการจัดซื้อจากกองทุนนี้ เงินของคุณยังอยู่ในกองทุน เมื่อจัดซื้อแล้ว ส่วนของคุณ ครุภัณฑ์ และโรงพยาบาลที่ได้รับจะแสดงที่นี่",
                        "Nothing has been bought from this fund yet, so your money is still in it. Once something is, your share, the units and the hospitals that hold them will show here.",
                    )}
                </p>
            }
            .into_any()
        } else {
            let total = trace.total_share();
            view! {
                <p class="method">{method}</p>
                <Purchases purchases=trace.purchases total />
                <h3>{lang.pick("ครุภัณฑ์ที่ซื้อ และอยู่ที่ไหน", "What was bought, and where it is")}</h3>
                <Units units=trace.units />
                {homes}
            }
            .into_any()
        }
    };
    view! {
        <section class="trace" aria-labelledby="trace-heading">
            <h2 id="trace-heading">{heading}</h2>
            {body}
        </section>
    }
}

#[component]
fn Purchases(purchases: Vec<TracePurchase>, total: crate::model::Money) -> impl IntoView {
    let lang = use_lang();
    view! {
        <div class="table-scroll">
            <table class="data trace-purchases">
                <thead>
                    <tr>
                        <th scope="col">{lang.pick("วันที่ใบกำกับ", "Invoice date")}</th>
                        <th scope="col">{lang.pick("รายการ", "Items")}</th>
                        <th scope="col" class="num">{lang.pick("ยอดจัดซื้อ", "Purchase total")}</th>
                        <th scope="col" class="num">{lang.pick("ส่วนของคุณ", "Your share")}</th>
                    </tr>
                </thead>
                <tbody>
                    {purchases.into_iter().map(|p| {
                        let items = p.items.iter()
                            .map(|(item, q)| format!("{} × {q}", item.get(lang)))
                            .collect::<Vec<_>>()
                            .join(", ");
                        view! {
                            <tr>
                                <td class="nowrap">{stored_date(&p.invoice_date, lang)}</td>
                                <td>{items}</td>
                                <td class="num">{p.total.to_string()}</td>
                                <td class="num share">{p.share.to_string()}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
                <tfoot>
                    <tr>
                        <th scope="row" colspan="3">{lang.pick("รวมส่วนของคุณ", "Your shares in all")}</th>
                        <td class="num total-share">{total.to_string()}</td>
                    </tr>
                </tfoot>
            </table>
        </div>
    }
}

/// Units with links to their pages and to the hospitals that hold them.
#[component]
fn Units(units: Vec<TraceUnit>) -> impl IntoView {
    let lang = use_lang();
    (!units.is_empty()).then(|| view! {
        <div class="table-scroll">
            <table class="data trace-units">
                <thead>
                    <tr>
                        <th scope="col">{lang.pick("รหัสครุภัณฑ์", "Asset tag")}</th>
                        <th scope="col">{lang.pick("ครุภัณฑ์", "Item")}</th>
                        <th scope="col">{lang.pick("อยู่ที่", "Where")}</th>
                    </tr>
                </thead>
                <tbody>
                    {units.into_iter().map(|u| {
                        let place = match (u.hospital, u.facility_code) {
                            (Some(h), Some(code)) => view! {
                                <a href=format!("/hospitals/{code}")>{h.get(lang).to_owned()}</a>
                            }.into_any(),
                            _ => u.status.label(lang).into_any(),
                        };
                        view! {
                            <tr>
                                <td><a class="asset-tag" href=format!("/units/{}", u.tag)>{u.tag.clone()}</a></td>
                                <td>{u.item.get(lang).to_owned()}</td>
                                <td>{place}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    })
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
