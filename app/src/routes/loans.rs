//! `/staff/loans`: a hospital's lending desk for its own staff: what is overdue, the waiting
//! list, the loans out, and every unit it holds with the next step for it (lend, clean, repair,
//! maintain, pass on). Every form is a plain post to `/staff/loans/{step}` (no script needed),
//! which brings the staff member back here to the section acted on. `/staff/loans/register` is
//! the printable register and `/staff/loans/summary` a month in counts for the district.

use crate::api::loans::{get_loan_desk, get_loan_register, get_loan_summary};
use crate::components::guard::Refused;
use crate::i18n::use_lang;
use crate::model::loan::{
    accessories, CareState, CareUnit, EndReason, Handover, LoanDesk, LoanRow, PatientGroup,
    Urgency, VisitOutcome, WaitingRow,
};
use crate::model::status::UnitCondition;
use crate::model::thai_date::stored_date;
use crate::model::Lang;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

/// The lending desk.
#[component]
pub fn LoansPage() -> impl IntoView {
    let desk = Resource::new(|| (), |_| get_loan_desk(String::new()));
    view! {
        <Suspense fallback=|| view! { <p class="wrap loading">"…"</p> }>
            {move || Suspend::new(async move {
                match desk.await {
                    Ok(desk) => view! { <Desk desk /> }.into_any(),
                    Err(error) => view! { <Refused error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

fn done_text(step: &str, lang: Lang) -> &'static str {
    match step {
        "waiting" => lang.pick("เพิ่มในรายการรอแล้ว", "Added to the waiting list."),
        "waiting-cancel" => lang.pick("ยกเลิกรายการรอแล้ว", "Waiting-list entry cancelled."),
        "lend" => lang.pick("บันทึกการให้ยืมแล้ว", "Loan recorded."),
        "renew" => lang.pick("ต่ออายุการยืมแล้ว", "Loan renewed."),
        "visit" => lang.pick("บันทึกการเยี่ยมบ้านแล้ว", "Home visit recorded."),
        "return" => lang.pick("บันทึกการรับคืนแล้ว", "Return recorded."),
        "cleaned" => lang.pick(
            "บันทึกว่าทำความสะอาดและตรวจแล้ว พร้อมให้ยืม",
            "Cleaned and checked: ready to lend.",
        ),
        "repair" => lang.pick("บันทึกการส่งซ่อมแล้ว", "Sent to repair."),
        "repaired" => lang.pick("บันทึกผลการซ่อมแล้ว", "Repair outcome recorded."),
        "maintained" => lang.pick("บันทึกการบำรุงรักษาแล้ว", "Maintenance recorded."),
        "pass" => lang.pick(
            "ส่งต่อแล้ว รอหน่วยบริการปลายทางยืนยัน",
            "Passed on; waiting for the receiving hospital.",
        ),
        "pass-answer" => lang.pick("บันทึกคำตอบแล้ว", "Answer recorded."),
        "days" => lang.pick("บันทึกระยะยืมแล้ว", "Loan length saved."),
        _ => lang.pick("บันทึกแล้ว", "Saved."),
    }
}

#[component]
fn Desk(desk: LoanDesk) -> impl IntoView {
    let lang = use_lang();
    let query = use_query_map();
    let done = query
        .read_untracked()
        .get("done")
        .map(|s| done_text(&s, lang));
    let name = desk.hospital.get(lang).to_owned();
    let overdue: Vec<LoanRow> = desk.overdue().cloned().collect();
    let today = desk.today.clone();
    view! {
        <Title text=format!("{} · {name} · Phapa", lang.pick("งานให้ยืม", "Lending")) />
        <section class="wrap loans-page">
            <p class="crumbs"><a href="/staff">{lang.pick("หน้าสำหรับเจ้าหน้าที่", "Staff page")}</a></p>
            <h1>{lang.pick("ให้ยืมครุภัณฑ์ไปใช้ที่บ้าน", "Lending to homes")}" · "{name}</h1>
            {done.map(|d| view! { <p class="notice ok" role="status">{d}</p> })}
            <p class="hint privacy">{lang.pick(
                "ระบบนี้ไม่เก็บข้อมูลผู้ป่วย: ใช้รหัสผู้ยืมที่ รพ.สต. กำหนดเอง ห้ามกรอกชื่อ เลขประจำตัวประชาชน ที่อยู่ หรือหมายเลขโทรศัพท์",
                "Phapa holds no patient data: use your hospital's own borrower code, never a name, national ID, address or phone number.",
            )}</p>
            <p class="no-print">
                <a href="/staff/loans/register">{lang.pick("ทะเบียนการยืม (พิมพ์ได้)", "Loan register (printable)")}</a>
                " · "<a href="/staff/loans/register.csv">{lang.pick("ดาวน์โหลด CSV", "Download CSV")}</a>
                " · "<a href="/staff/loans/summary">{lang.pick("สรุปรายเดือนสำหรับอำเภอ", "Monthly summary for the district")}</a>
            </p>
            <section id="overdue">
                <h2>{lang.pick("เกินกำหนดคืน", "Overdue")}" ("{overdue.len()}")"</h2>
                {if overdue.is_empty() {
                    view! { <p class="empty">{lang.pick("ไม่มี", "None.")}</p> }.into_any()
                } else {
                    view! {
                        <ul class="overdue-list">
                            {overdue.into_iter().map(|l| view! {
                                <li><a href=format!("#loan-{}", l.id)>{l.tag.clone()}</a>" · "{l.item.get(lang).to_owned()}" · "
                                <span class="code">{l.borrower_code.clone()}</span>" · "
                                {format!("{} {} {}", lang.pick("เกิน", "overdue by"), l.overdue_days, lang.pick("วัน", "days"))}</li>
                            }).collect_view()}
                        </ul>
                    }.into_any()
                }}
            </section>
            <Waiting rows=desk.waiting.clone() items=desk.items.clone() form_key=desk.form_key.clone() today=today.clone() />
            <Loans rows=desk.loans.clone() today=today.clone() />
            <Units desk=desk.clone() today=today.clone() />
            <section id="settings" class="card">
                <h2>{lang.pick("ระยะยืมตั้งต้น", "Default loan length")}</h2>
                <form method="post" action="/staff/loans/days" class="inline-form">
                    <label for="loan-days">{lang.pick("จำนวนวัน", "Days")}</label>
                    <input id="loan-days" name="days" type="number" min="7" max="365" value=desk.loan_days required />
                    <button type="submit">{lang.pick("บันทึก", "Save")}</button>
                </form>
            </section>
        </section>
    }
}

fn options<T: Copy + 'static>(
    all: &'static [T],
    code: fn(T) -> &'static str,
    label: fn(T, Lang) -> &'static str,
    lang: Lang,
) -> impl IntoView {
    all.iter()
        .map(|v| view! { <option value=code(*v)>{label(*v, lang)}</option> })
        .collect_view()
}

/// The checklist of what goes with a unit of `item_code`, as checkboxes named `accessories`.
#[component]
fn Checklist(item_code: String, id: String) -> impl IntoView {
    let lang = use_lang();
    view! {
        <fieldset class="checklist">
            <legend>{lang.pick("อุปกรณ์ประกอบ", "Accessories")}</legend>
            {accessories(&item_code).iter().map(|(code, th, en)| {
                let input_id = format!("{id}-{code}");
                view! {
                    <label><input id=input_id type="checkbox" name="accessories" value=*code checked=true />" "{lang.pick(th, en)}</label>
                }
            }).collect_view()}
        </fieldset>
    }
}

#[component]
fn Waiting(
    rows: Vec<WaitingRow>,
    items: Vec<(i64, crate::model::Localized)>,
    form_key: String,
    today: String,
) -> impl IntoView {
    let lang = use_lang();
    view! {
        <section id="waiting">
            <h2>{lang.pick("รายการรอยืม", "Waiting list")}" ("{rows.len()}")"</h2>
            <p class="hint">{lang.pick("เรียงตามความเร่งด่วน แล้วกลุ่มผู้ป่วย แล้ววันที่ลงชื่อ", "In order of urgency, then patient group, then the date listed.")}</p>
            {rows.into_iter().map(|w| {
                let id = w.id;
                let item_code = w.item_code.clone();
                view! {
                    <article class="card waiting-entry" id=format!("waiting-{id}")>
                        <p>
                            <strong>{w.item.get(lang).to_owned()}</strong>" · "
                            <span class="code">{w.borrower_code.clone()}</span>" · "
                            <span class="badge">{w.urgency.label(lang)}</span>" "
                            <span class="badge">{w.group.label(lang)}</span>" · "
                            {format!("{} {} · {} {}", lang.pick("ลงชื่อ", "listed"), stored_date(&w.listed_on, lang), w.days_waiting, lang.pick("วัน", "days"))}
                        </p>
                        {w.note.clone().map(|n| view! { <p class="small">{n}</p> })}
                        {if w.ready.is_empty() {
                            view! { <p class="small">{lang.pick("ยังไม่มีเครื่องพร้อมให้ยืม", "No unit of this item is ready to lend yet.")}</p> }.into_any()
                        } else {
                            let ready = w.ready.clone();
                            let today = today.clone();
                            view! {
                                <form method="post" action="/staff/loans/lend" class="stack lend-form">
                                    <input type="hidden" name="waiting" value=id.to_string() />
                                    <label>{lang.pick("เครื่องที่ให้ยืม", "Unit")}
                                        <select name="tag">{ready.into_iter().map(|t| { let label = t.clone(); view! { <option value=t>{label}</option> } }).collect_view()}</select>
                                    </label>
                                    <label>{lang.pick("วันที่ยืม", "Lent on")}<input type="date" name="out_on" value=today.clone() max=today required /></label>
                                    <label>{lang.pick("ครบกำหนดคืน (เว้นว่าง = ตามระยะตั้งต้น)", "Due (empty: the default length)")}<input type="date" name="due_on" /></label>
                                    <label>{lang.pick("สภาพตอนส่งมอบ", "Handed over")}
                                        <select name="handover">{options(Handover::ALL, Handover::code, Handover::label, lang)}</select>
                                    </label>
                                    <Checklist item_code=item_code.clone() id=format!("w{id}") />
                                    <button type="submit">{lang.pick("ให้ยืม", "Lend")}</button>
                                </form>
                            }.into_any()
                        }}
                        <details>
                            <summary>{lang.pick("ยกเลิกรายการนี้", "Cancel this entry")}</summary>
                            <form method="post" action="/staff/loans/waiting-cancel" class="inline-form">
                                <input type="hidden" name="waiting" value=id.to_string() />
                                <label>{lang.pick("เหตุผล", "Reason")}<input name="reason" required minlength="5" maxlength="500" /></label>
                                <button type="submit">{lang.pick("ยกเลิก", "Cancel entry")}</button>
                            </form>
                        </details>
                    </article>
                }
            }).collect_view()}
            <form method="post" action="/staff/loans/waiting" class="stack card add-waiting">
                <h3>{lang.pick("เพิ่มในรายการรอ", "Add to the waiting list")}</h3>
                <input type="hidden" name="idempotency_key" value=form_key />
                <label>{lang.pick("ครุภัณฑ์", "Item")}
                    <select name="item" required>{items.into_iter().map(|(id, name)| view! { <option value=id.to_string()>{name.get(lang).to_owned()}</option> }).collect_view()}</select>
                </label>
                <label>{lang.pick("กลุ่มผู้ป่วย", "Patient group")}
                    <select name="group">{options(PatientGroup::ALL, PatientGroup::code, PatientGroup::label, lang)}</select>
                </label>
                <label>{lang.pick("ความเร่งด่วน", "Urgency")}
                    <select name="urgency">{options(Urgency::ALL, Urgency::code, Urgency::label, lang)}</select>
                </label>
                <label>{lang.pick("รหัสผู้ยืม (ของ รพ.สต.)", "Borrower code (your hospital's)")}<input name="borrower_code" required maxlength="40" autocomplete="off" /></label>
                <label>{lang.pick("หมายเหตุสั้น ๆ (ไม่ใส่ข้อมูลส่วนบุคคล)", "Short note (no personal data)")}<input name="note" maxlength="500" autocomplete="off" /></label>
                <label>{lang.pick("วันที่ลงชื่อ (เว้นว่าง = วันนี้)", "Listed on (empty: today)")}<input type="date" name="listed_on" max=today /></label>
                <button type="submit">{lang.pick("เพิ่ม", "Add")}</button>
            </form>
        </section>
    }
}

#[component]
fn Loans(rows: Vec<LoanRow>, today: String) -> impl IntoView {
    let lang = use_lang();
    view! {
        <section id="loans">
            <h2>{lang.pick("ให้ยืมอยู่", "Loans out")}" ("{rows.len()}")"</h2>
            {rows.into_iter().map(|l| {
                let id = l.id.to_string();
                let today = today.clone();
                let overdue = l.overdue_days > 0;
                view! {
                    <article class="card loan" class:overdue=overdue id=format!("loan-{id}")>
                        <p>
                            <a href=format!("/units/{}", l.tag)>{l.tag.clone()}</a>" · "<strong>{l.item.get(lang).to_owned()}</strong>" · "
                            <span class="code">{l.borrower_code.clone()}</span>" · "
                            {format!("{} {} · {} {}", lang.pick("ยืม", "out"), stored_date(&l.out_on, lang), lang.pick("ครบกำหนด", "due"), stored_date(&l.due_on, lang))}
                            {(l.renewals > 0).then(|| format!(" · {} {}", lang.pick("ต่ออายุ", "renewed"), l.renewals))}
                            {overdue.then(|| view! { " " <span class="badge warn">{format!("{} {} {}", lang.pick("เกิน", "overdue"), l.overdue_days, lang.pick("วัน", "days"))}</span> })}
                        </p>
                        {l.last_visit.clone().map(|(on, o)| view! { <p class="small">{lang.pick("เยี่ยมล่าสุด ", "Last visit ")}{stored_date(&on, lang)}" · "{o.label(lang)}</p> })}
                        <details>
                            <summary>{lang.pick("บันทึกการเยี่ยมบ้าน", "Record a home visit")}</summary>
                            <form method="post" action="/staff/loans/visit" class="stack visit-form">
                                <input type="hidden" name="loan" value=id.clone() />
                                <label>{lang.pick("วันที่เยี่ยม", "Visited on")}<input type="date" name="on" value=today.clone() max=today.clone() required /></label>
                                <label>{lang.pick("ผล", "Found")}<select name="outcome">{options(VisitOutcome::ALL, VisitOutcome::code, VisitOutcome::label, lang)}</select></label>
                                <label>{lang.pick("หมายเหตุ", "Note")}<input name="note" maxlength="500" autocomplete="off" /></label>
                                <button type="submit">{lang.pick("บันทึกการเยี่ยม", "Save visit")}</button>
                            </form>
                        </details>
                        <details>
                            <summary>{lang.pick("ต่ออายุการยืม", "Renew")}</summary>
                            <form method="post" action="/staff/loans/renew" class="stack renew-form">
                                <input type="hidden" name="loan" value=id.clone() />
                                <label>{lang.pick("ครบกำหนดใหม่", "New due date")}<input type="date" name="due_on" required /></label>
                                <label>{lang.pick("เหตุผล", "Reason")}<input name="reason" required minlength="5" maxlength="500" /></label>
                                <button type="submit">{lang.pick("ต่ออายุ", "Renew")}</button>
                            </form>
                        </details>
                        <details>
                            <summary>{lang.pick("รับคืน", "Take it back")}</summary>
                            <form method="post" action="/staff/loans/return" class="stack return-form">
                                <input type="hidden" name="loan" value=id.clone() />
                                <label>{lang.pick("วันที่รับคืน", "Returned on")}<input type="date" name="on" value=today.clone() max=today required /></label>
                                <label>{lang.pick("สภาพตอนรับคืน", "Condition")}<select name="condition">{options(UnitCondition::ALL, UnitCondition::code, UnitCondition::label, lang)}</select></label>
                                <Checklist item_code=l.item_code.clone() id=format!("r{id}") />
                                <label>{lang.pick("เหตุที่สิ้นสุดการยืม (ไม่เปิดเผยต่อสาธารณะ)", "Why it ended (never public)")}<select name="end_reason">{options(EndReason::ALL, EndReason::code, EndReason::label, lang)}</select></label>
                                <label>{lang.pick("หมายเหตุ", "Note")}<input name="note" maxlength="500" autocomplete="off" /></label>
                                <button type="submit">{lang.pick("รับคืน", "Record return")}</button>
                            </form>
                        </details>
                    </article>
                }
            }).collect_view()}
        </section>
    }
}

#[component]
fn Units(desk: LoanDesk, today: String) -> impl IntoView {
    let lang = use_lang();
    let targets = desk.targets.clone();
    view! {
        <section id="units">
            <h2>{lang.pick("ครุภัณฑ์ที่ รพ.สต. ดูแล", "Units this hospital holds")}" ("{desk.units.len()}")"</h2>
            <div class="table-scroll"><table class="data care-units">
                <thead><tr>
                    <th>{lang.pick("รหัส", "Tag")}</th>
                    <th>{lang.pick("ครุภัณฑ์", "Item")}</th>
                    <th>{lang.pick("ตอนนี้", "Now")}</th>
                    <th>{lang.pick("สภาพ", "Condition")}</th>
                    <th>{lang.pick("บ้านที่ได้ใช้", "Homes")}</th>
                    <th>{lang.pick("บำรุงรักษาครั้งถัดไป", "Maintenance due")}</th>
                    <th>{lang.pick("ขั้นต่อไป", "Next step")}</th>
                </tr></thead>
                <tbody>
                    {desk.units.into_iter().map(|u| {
                        let to = targets.iter().find(|(t, _)| *t == u.tag).map(|(_, h)| h.clone()).unwrap_or_default();
                        let due = u.maintenance_due_by(&today);
                        view! {
                            <tr id=format!("unit-{}", u.tag) class=format!("care-{}", u.care.code())>
                                <td><a href=format!("/units/{}", u.tag)>{u.tag.clone()}</a></td>
                                <td>{u.item.get(lang).to_owned()}</td>
                                <td>{u.care.label(lang)}{u.other_hospital.clone().map(|h| format!(" → {}", h.get(lang)))}</td>
                                <td>{u.condition.label(lang)}</td>
                                <td class="num">{u.homes_served}</td>
                                <td class:warn=due>{u.maintenance_due.clone().map(|d| stored_date(&d, lang)).unwrap_or_else(|| "—".into())}</td>
                                <td><NextSteps unit=u.clone() targets=to today=today.clone() /></td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table></div>
            {(!desk.incoming.is_empty()).then(|| view! {
                <h3 id="incoming">{lang.pick("ครุภัณฑ์ที่หน่วยบริการอื่นส่งต่อมา", "Units passed to this hospital")}</h3>
                <ul class="incoming">
                    {desk.incoming.into_iter().map(|u| view! {
                        <li>
                            {u.tag.clone()}" · "{u.item.get(lang).to_owned()}" · "{lang.pick("จาก ", "from ")}{u.other_hospital.map(|h| h.get(lang).to_owned())}
                            <form method="post" action="/staff/loans/pass-answer" class="inline-form">
                                <input type="hidden" name="tag" value=u.tag.clone() />
                                <button type="submit" name="answer" value="accept">{lang.pick("รับ", "Accept")}</button>
                                <button type="submit" name="answer" value="refuse" class="secondary">{lang.pick("ไม่รับ", "Refuse")}</button>
                            </form>
                        </li>
                    }).collect_view()}
                </ul>
            })}
        </section>
    }
}

/// The forms for what can be done next with one unit.
#[component]
fn NextSteps(
    unit: CareUnit,
    targets: Vec<crate::model::loan::PassTarget>,
    today: String,
) -> impl IntoView {
    let lang = use_lang();
    let tag = unit.tag.clone();
    let hidden = move || view! { <input type="hidden" name="tag" value=tag.clone() /> };
    let date = {
        let today = today.clone();
        move |label: &'static str| view! { <label>{label}<input type="date" name="on" value=today.clone() max=today.clone() required /></label> }
    };
    let ready = unit.care == CareState::Ready && unit.condition == UnitCondition::Working;
    let repair_form = view! {
        <details>
            <summary>{lang.pick("ส่งซ่อม", "Send to repair")}</summary>
            <form method="post" action="/staff/loans/repair" class="stack">
                {hidden()}
                {date(lang.pick("วันที่ส่ง", "Sent on"))}
                <label>{lang.pick("ร้าน/ที่ซ่อม", "Repairer")}<input name="place" required maxlength="300" /></label>
                <label>{lang.pick("ค่าซ่อมโดยประมาณ (บาท)", "Expected cost (baht)")}<input name="cost" inputmode="decimal" /></label>
                <label>{lang.pick("อาการ", "Fault")}<input name="note" maxlength="500" /></label>
                <button type="submit">{lang.pick("ส่งซ่อม", "Send")}</button>
            </form>
        </details>
    };
    match unit.care {
        CareState::OnLoan => view! { <a href="#loans">{lang.pick("ดูการยืม", "See the loan")}</a> }.into_any(),
        CareState::Passing => view! { <span>{lang.pick("รอปลายทางยืนยัน", "Waiting for the receiving hospital")}</span> }.into_any(),
        CareState::Cleaning => view! {
            <form method="post" action="/staff/loans/cleaned" class="inline-form clean-form">
                {hidden()}
                {date(lang.pick("ทำความสะอาดและตรวจเมื่อ", "Cleaned and checked on"))}
                <button type="submit">{lang.pick("ทำความสะอาดและตรวจแล้ว", "Cleaned and checked")}</button>
            </form>
            {repair_form}
        }.into_any(),
        CareState::Repair => view! {
            <form method="post" action="/staff/loans/repaired" class="stack repaired-form">
                {hidden()}
                {date(lang.pick("วันที่ได้คืนจากร้าน", "Back on"))}
                <label>{lang.pick("ผล", "Outcome")}<select name="outcome">
                    <option value="working">{lang.pick("ซ่อมเสร็จ ใช้งานได้", "Repaired, working")}</option>
                    <option value="unrepairable">{lang.pick("ซ่อมไม่ได้ (แจ้งการเงินตัดจำหน่าย)", "Beyond repair (finance writes it off)")}</option>
                </select></label>
                <label>{lang.pick("ค่าซ่อม (บาท)", "Cost (baht)")}<input name="cost" inputmode="decimal" /></label>
                <button type="submit">{lang.pick("บันทึก", "Save")}</button>
            </form>
            {repair_form}
        }.into_any(),
        CareState::Ready => view! {
            {ready.then(|| view! {
                <details>
                    <summary>{lang.pick("ให้ยืมโดยตรง", "Lend directly")}</summary>
                    <form method="post" action="/staff/loans/lend" class="stack lend-form">
                        {hidden()}
                        <label>{lang.pick("รหัสผู้ยืม", "Borrower code")}<input name="borrower_code" required maxlength="40" autocomplete="off" /></label>
                        <label>{lang.pick("วันที่ยืม", "Lent on")}<input type="date" name="out_on" value=today.clone() max=today.clone() required /></label>
                        <label>{lang.pick("ครบกำหนดคืน", "Due")}<input type="date" name="due_on" /></label>
                        <label>{lang.pick("สภาพตอนส่งมอบ", "Handed over")}<select name="handover">{options(Handover::ALL, Handover::code, Handover::label, lang)}</select></label>
                        <Checklist item_code=unit.item_code.clone() id=format!("d{}", unit.tag) />
                        <button type="submit">{lang.pick("ให้ยืม", "Lend")}</button>
                    </form>
                </details>
            })}
            {unit.maintenance_due.is_some().then(|| view! {
                <details>
                    <summary>{lang.pick("บันทึกการบำรุงรักษา", "Record maintenance")}</summary>
                    <form method="post" action="/staff/loans/maintained" class="stack">
                        {hidden()}
                        {date(lang.pick("วันที่", "Done on"))}
                        <label>{lang.pick("ผู้ทำ/ที่ทำ", "Done by")}<input name="place" required maxlength="300" /></label>
                        <label>{lang.pick("ค่าใช้จ่าย (บาท)", "Cost (baht)")}<input name="cost" inputmode="decimal" /></label>
                        <button type="submit">{lang.pick("บันทึก", "Save")}</button>
                    </form>
                </details>
            })}
            {(ready && !targets.is_empty()).then(|| view! {
                <details>
                    <summary>{lang.pick("ส่งต่อให้หน่วยบริการอื่น", "Pass to another hospital")}</summary>
                    <form method="post" action="/staff/loans/pass" class="stack pass-form">
                        {hidden()}
                        <label>{lang.pick("ปลายทาง", "To")}<select name="to">
                            {targets.into_iter().map(|t| view! { <option value=t.facility_code.clone()>{t.name.get(lang).to_owned()}</option> }).collect_view()}
                        </select></label>
                        {date(lang.pick("วันที่ส่ง", "Sent on"))}
                        <button type="submit">{lang.pick("ส่งต่อ", "Pass on")}</button>
                    </form>
                </details>
            })}
            {repair_form}
        }.into_any(),
    }
}

/// The printable register of every loan, with the hospital's borrower codes.
#[component]
pub fn LoanRegisterPage() -> impl IntoView {
    let register = Resource::new(|| (), |_| get_loan_register(String::new()));
    let lang = use_lang();
    view! {
        <Suspense fallback=|| view! { <p class="wrap loading">"…"</p> }>
            {move || Suspend::new(async move {
                match register.await {
                    Ok((name, rows)) => view! {
                        <Title text=format!("{} · {} · Phapa", lang.pick("ทะเบียนการยืม", "Loan register"), name.get(lang)) />
                        <section class="wrap register-page">
                            <p class="crumbs no-print"><a href="/staff/loans">{lang.pick("งานให้ยืม", "Lending desk")}</a></p>
                            <h1>{lang.pick("ทะเบียนการยืมครุภัณฑ์", "Loan register")}" · "{name.get(lang).to_owned()}</h1>
                            <div class="table-scroll"><table class="data register">
                                <thead><tr>
                                    <th>"#"</th><th>{lang.pick("รหัสครุภัณฑ์", "Tag")}</th><th>{lang.pick("ครุภัณฑ์", "Item")}</th>
                                    <th>{lang.pick("รหัสผู้ยืม", "Borrower")}</th><th>{lang.pick("ยืม", "Out")}</th><th>{lang.pick("ครบกำหนด", "Due")}</th>
                                    <th>{lang.pick("คืน", "Returned")}</th><th>{lang.pick("วัน", "Days")}</th><th>{lang.pick("เหตุสิ้นสุด", "Ended")}</th>
                                </tr></thead>
                                <tbody>
                                    {rows.into_iter().map(|r| view! {
                                        <tr>
                                            <td>{r.id.to_string()}</td><td>{r.tag}</td><td>{r.item.get(lang).to_owned()}</td>
                                            <td class="code">{r.borrower_code}</td><td>{stored_date(&r.out_on, lang)}</td><td>{stored_date(&r.due_on, lang)}</td>
                                            <td>{r.returned_on.map(|d| stored_date(&d, lang)).unwrap_or_default()}</td>
                                            <td class="num">{r.days.map(|d| d.to_string()).unwrap_or_default()}</td>
                                            <td>{r.end_reason.map(|e| e.label(lang)).unwrap_or_default()}</td>
                                        </tr>
                                    }).collect_view()}
                                </tbody>
                            </table></div>
                        </section>
                    }.into_any(),
                    Err(error) => view! { <Refused error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// A month in counts, to send to the district.
#[component]
pub fn LoanSummaryPage() -> impl IntoView {
    let query = use_query_map();
    let summary = Resource::new(
        move || query.read().get("month").unwrap_or_default(),
        |month| get_loan_summary(String::new(), month),
    );
    let lang = use_lang();
    view! {
        <Suspense fallback=|| view! { <p class="wrap loading">"…"</p> }>
            {move || Suspend::new(async move {
                match summary.await {
                    Ok((name, s)) => {
                        let rows = [
                            (lang.pick("ให้ยืมใหม่", "New loans"), s.lent),
                            (lang.pick("รับคืน", "Returned"), s.returned),
                            (lang.pick("ครัวเรือนที่ใช้ในเดือน", "Homes using equipment"), s.homes),
                            (lang.pick("ให้ยืมอยู่ ณ สิ้นเดือน", "Out at month's end"), s.out_at_end),
                            (lang.pick("เกินกำหนด ณ สิ้นเดือน", "Overdue at month's end"), s.overdue_at_end),
                            (lang.pick("ลงชื่อรอใหม่", "Added to the waiting list"), s.listed),
                            (lang.pick("ได้รับจากรายการรอ", "Served from the list"), s.served_from_list),
                            (lang.pick("ยังรอ ณ สิ้นเดือน", "Still waiting at month's end"), s.waiting_at_end),
                            (lang.pick("เยี่ยมบ้าน", "Home visits"), s.visits),
                            (lang.pick("ทำความสะอาดและตรวจ", "Cleaned and checked"), s.cleaned),
                            (lang.pick("ส่งซ่อม", "Sent to repair"), s.repairs),
                            (lang.pick("บำรุงรักษา", "Maintained"), s.maintained),
                        ];
                        view! {
                            <Title text=format!("{} {} · Phapa", lang.pick("สรุปการให้ยืม", "Lending summary"), s.month) />
                            <section class="wrap summary-page">
                                <p class="crumbs no-print"><a href="/staff/loans">{lang.pick("งานให้ยืม", "Lending desk")}</a></p>
                                <h1>{lang.pick("สรุปการให้ยืมครุภัณฑ์ประจำเดือน", "Monthly lending summary")}" "{s.month.clone()}</h1>
                                <p>{name.get(lang).to_owned()}" · "{lang.pick("จำนวนเท่านั้น ไม่มีข้อมูลผู้ป่วย", "Counts only, no patient data")}</p>
                                <form method="get" class="inline-form no-print">
                                    <label for="month">{lang.pick("เดือน", "Month")}</label>
                                    <input id="month" name="month" type="month" value=s.month.clone() />
                                    <button type="submit">{lang.pick("แสดง", "Show")}</button>
                                </form>
                                <dl class="facts card month-summary">
                                    {rows.into_iter().map(|(label, n)| view! { <div><dt>{label}</dt><dd>{n}</dd></div> }).collect_view()}
                                </dl>
                                <div class="table-scroll"><table class="data">
                                    <thead><tr><th>{lang.pick("ครุภัณฑ์", "Item")}</th><th>{lang.pick("ให้ยืมใหม่", "New loans")}</th><th>{lang.pick("รับคืน", "Returned")}</th><th>{lang.pick("ให้ยืมอยู่", "Out")}</th></tr></thead>
                                    <tbody>{s.items.into_iter().map(|(item, lent, back, out)| view! {
                                        <tr><td>{item.get(lang).to_owned()}</td><td class="num">{lent}</td><td class="num">{back}</td><td class="num">{out}</td></tr>
                                    }).collect_view()}</tbody>
                                </table></div>
                                </section>
                        }.into_any()
                    }
                    Err(error) => view! { <Refused error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}
