//! The bank against the books, and the lines that need an officer: unmatched credits to match or
//! record as gifts, and matched lines whose match can be taken back.

use super::{day, instant, signed};
use crate::api::reconcile::{GiftFromBankLine, MatchBankLine, SetPledgeTail, UnmatchBankLine};
use crate::i18n::use_lang;
use crate::model::statement::{BankLineView, MatchHow, Reconciliation, MATCH_WINDOW_DAYS};
use leptos::prelude::*;

/// The bank against the books, then the lines that need an officer.
#[component]
pub(super) fn Books(
    r: Reconciliation,
    matcher: ServerAction<MatchBankLine>,
    unmatcher: ServerAction<UnmatchBankLine>,
    gift: ServerAction<GiftFromBankLine>,
    tail: ServerAction<SetPledgeTail>,
) -> impl IntoView {
    let lang = use_lang();
    let balance = match (&r.bank_balance, &r.bank_balance_on) {
        (Some(b), Some(on)) => format!("{b} ({})", day(lang, on)),
        (Some(b), None) => b.to_string(),
        _ => lang.pick("ยังไม่มี", "none yet").to_owned(),
    };
    let difference = match r.difference {
        None => view! { <p class="notice" role="status">{lang.pick(
            "ยังไม่มียอดคงเหลือจากรายการเดินบัญชี นำเข้ารายการเดินบัญชีเพื่อเทียบกับบัญชี",
            "No statement balance yet: import a statement to compare the bank with the books.",
        )}</p> }.into_any(),
        Some(0) => view! { <p class="notice ok balanced" role="status">{lang.pick(
            "ยอดธนาคารตรงกับบัญชี",
            "The bank's balance equals the books.",
        )}</p> }.into_any(),
        Some(d) => view! { <p class="notice error discrepancy" role="alert">{format!(
            "{} {}",
            lang.pick("ยอดธนาคารต่างจากบัญชี (ธนาคาร − บัญชี):", "The bank differs from the books (bank − books):"),
            signed(d),
        )}</p> }.into_any(),
    };
    let campaign = r.campaign_id;
    let key = r.form_key.clone();
    view! {
        <h2>{lang.pick("ธนาคารเทียบกับบัญชี", "Bank against the books")}</h2>
        <dl class="figures card">
            <div><dt>{lang.pick("ยอดคงเหลือตามธนาคาร", "Bank balance")}</dt><dd class="bank-balance">{balance}</dd></div>
            <div><dt>{lang.pick("เงินสดตามบัญชี", "Cash in the books")}</dt><dd class="books-cash">{r.books_cash.to_string()}</dd></div>
            <div><dt>{lang.pick("จับคู่แล้ว", "Matched")}</dt><dd class="matched">{format!("{} · {}", r.matched_count, r.matched_total)}</dd></div>
            <div><dt>{lang.pick("เงินโอนที่ยังไม่พบในธนาคาร", "Transfers not yet on a statement")}</dt><dd>{r.unconfirmed_gifts}</dd></div>
        </dl>
        {difference}
        <ActionForm action=tail attr:class="inline-form pledge-tail">
            <input type="hidden" name="campaign" value=campaign.get() />
            <input type="hidden" name="on" value=(!r.pledge_tail).to_string() />
            <span>{if r.pledge_tail {
                lang.pick("ยอดคำมั่นใหม่มีเศษสตางค์เฉพาะตัว (เปิดอยู่)", "New pledges carry a unique satang tail (on).")
            } else {
                lang.pick("ยอดคำมั่นใหม่ไม่มีเศษสตางค์ (ปิดอยู่)", "New pledges carry no satang tail (off).")
            }}</span>
            " "
            <button type="submit">{if r.pledge_tail { lang.pick("ปิด", "Turn off") } else { lang.pick("เปิด", "Turn on") }}</button>
        </ActionForm>
        <form method="post" action="/api/reconcile/lapse-days" class="inline-form lapse-days">
            <input type="hidden" name="campaign" value=campaign.get() />
            <label for="lapse-days">{lang.pick("คำมั่นที่ไม่ได้โอนหมดอายุหลัง (วัน)", "Unpaid pledges lapse after (days)")}</label>
            <input id="lapse-days" name="days" type="number" min="1" max="365" value=r.lapse_days required />
            <button type="submit">{lang.pick("บันทึก", "Save")}</button>
        </form>
        <h2>{lang.pick("เงินเข้าที่ยังไม่ได้จับคู่", "Credits not matched")}" ("{r.unmatched_credits.len()}")"</h2>
        {if r.unmatched_credits.is_empty() {
            view! { <p class="empty">{lang.pick("ไม่มี", "None.")}</p> }.into_any()
        } else {
            view! {
                <ul class="bank-lines unmatched">
                    {r.unmatched_credits.into_iter().map(|line| {
                        let key = format!("{key}-{}", line.id);
                        view! { <UnmatchedCredit line matcher gift key /> }
                    }).collect_view()}
                </ul>
            }.into_any()
        }}
        <h2>{lang.pick("คำมั่นที่ยังไม่พบเงินเข้า", "Pledges with no credit")}" ("{r.stale_pledges.len()}")"</h2>
        <p class="hint">{format!("{} {MATCH_WINDOW_DAYS} {}", lang.pick("คำมั่นที่เกิน", "Pledges older than"), lang.pick("วัน และยังไม่พบเงินเข้าในรายการเดินบัญชี", "days that no statement line pays."))}</p>
        {if r.stale_pledges.is_empty() {
            view! { <p class="empty">{lang.pick("ไม่มี", "None.")}</p> }.into_any()
        } else {
            view! {
                <table class="data stale-pledges">
                    <thead><tr>
                        <th>{lang.pick("รหัสอ้างอิง", "Reference")}</th>
                        <th>{lang.pick("ผู้บริจาค", "Donor")}</th>
                        <th class="num">{lang.pick("จำนวนเงิน", "Amount")}</th>
                        <th>{lang.pick("เวลาที่ให้คำมั่น", "Pledged")}</th>
                    </tr></thead>
                    <tbody>
                        {r.stale_pledges.into_iter().map(|p| view! {
                            <tr>
                                <td><a href=format!("/donations/{}", p.reference)>{p.reference.clone()}</a></td>
                                <td>{p.donor.unwrap_or_else(|| lang.pick("ไม่ประสงค์ออกนาม", "Anonymous").to_owned())}</td>
                                <td class="num">{p.amount.to_string()}</td>
                                <td class="small">{instant(lang, &p.pledged_at)}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            }.into_any()
        }}
        <h2>{lang.pick("จับคู่แล้วล่าสุด", "Latest matches")}</h2>
        {if r.matched_lines.is_empty() {
            view! { <p class="empty">{lang.pick("ยังไม่มี", "None yet.")}</p> }.into_any()
        } else {
            view! {
                <ul class="bank-lines matched">
                    {r.matched_lines.into_iter().map(|line| view! { <MatchedLine line unmatcher /> }).collect_view()}
                </ul>
            }.into_any()
        }}
        <h2>{lang.pick("ประวัติการนำเข้า", "Imports")}</h2>
        {if r.imports.is_empty() {
            view! { <p class="empty">{lang.pick("ยังไม่เคยนำเข้า", "No statement imported yet.")}</p> }.into_any()
        } else {
            view! {
                <table class="data imports">
                    <thead><tr>
                        <th>{lang.pick("ไฟล์", "File")}</th>
                        <th>{lang.pick("ช่วงวันที่", "Period")}</th>
                        <th class="num">{lang.pick("รายการ (ใหม่)", "Lines (new)")}</th>
                        <th class="num">{lang.pick("ยอดปิด", "Closing balance")}</th>
                        <th>{lang.pick("โดย", "By")}</th>
                    </tr></thead>
                    <tbody>
                        {r.imports.into_iter().map(|i| view! {
                            <tr>
                                <td>{i.file_name.clone()}</td>
                                <td class="small">{format!("{} – {}", i.first_on.as_deref().map(|d| day(lang, d)).unwrap_or_default(), i.last_on.as_deref().map(|d| day(lang, d)).unwrap_or_default())}</td>
                                <td class="num">{format!("{} ({})", i.line_count, i.new_lines)}</td>
                                <td class="num">{i.closing_balance.map(|b| b.to_string()).unwrap_or_default()}</td>
                                <td class="small">{format!("{} · {}", i.by.unwrap_or_default(), instant(lang, &i.at))}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            }.into_any()
        }}
    }
}

/// A line's date, amount and texts.
#[component]
fn LineHead(line: BankLineView) -> impl IntoView {
    let lang = use_lang();
    let when = match &line.posted_time {
        Some(t) => format!("{} {t}", day(lang, &line.posted_on)),
        None => day(lang, &line.posted_on),
    };
    view! {
        <p class="line-head">
            <strong class="amount">{line.amount.to_string()}</strong>
            " · "<span class="small">{when}</span>
        </p>
        <p class="small line-text">{format!("{} {}", line.description, line.details).trim().to_owned()}</p>
    }
}

/// A credit with no donation: its candidates, a match by reference, or a gift.
#[component]
fn UnmatchedCredit(
    line: BankLineView,
    matcher: ServerAction<MatchBankLine>,
    gift: ServerAction<GiftFromBankLine>,
    key: String,
) -> impl IntoView {
    let lang = use_lang();
    let id = line.id;
    let candidates = line.candidates.clone();
    view! {
        <li class="bank-line card" data-line=id>
            <LineHead line />
            {if candidates.is_empty() {
                view! { <p class="small">{lang.pick("ไม่มีรายการบริจาคที่ยอดตรงกัน", "No open donation has this amount.")}</p> }.into_any()
            } else {
                view! {
                    <p class="small">{lang.pick("อาจเป็นรายการเหล่านี้:", "It may be:")}</p>
                    <ul class="candidates">
                        {candidates.into_iter().map(|c| {
                            let reference = c.reference.clone();
                            view! {
                                <li>
                                    <a href=format!("/donations/{}", c.reference)>{c.reference.clone()}</a>
                                    {format!(" · {} · {} · {}", c.donor.unwrap_or_else(|| lang.pick("ไม่ประสงค์ออกนาม", "Anonymous").to_owned()), c.amount, instant(lang, &c.at))}
                                    " "<span class="badge evidence" data-evidence=format!("{:?}", c.evidence)>{c.evidence.label(lang)}</span>
                                    " "
                                    <ActionForm action=matcher attr:class="inline">
                                        <input type="hidden" name="input[line_id]" value=id />
                                        <input type="hidden" name="input[reference]" value=reference />
                                        <button type="submit" class="primary">{lang.pick("จับคู่", "Match")}</button>
                                    </ActionForm>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
            <ActionForm action=matcher attr:class="inline-form by-reference">
                <input type="hidden" name="input[line_id]" value=id />
                <label for=format!("ref-{id}")>{lang.pick("จับคู่ด้วยรหัสอ้างอิง", "Match by reference")}</label>
                <input id=format!("ref-{id}") name="input[reference]" type="text" placeholder="PP-…" required />
                <button type="submit">{lang.pick("จับคู่", "Match")}</button>
            </ActionForm>
            <details class="gift-from-line">
                <summary>{lang.pick("บันทึกเป็นเงินบริจาคใหม่ (ไม่มีคำมั่น)", "Record as a new gift (no pledge)")}</summary>
                <ActionForm action=gift attr:class="stack">
                    <input type="hidden" name="input[line_id]" value=id />
                    <input type="hidden" name="input[idempotency_key]" value=key />
                    <label for=format!("gift-name-{id}")>{lang.pick("ชื่อผู้บริจาค (เว้นว่างถ้าไม่ทราบ)", "Donor's name (empty if unknown)")}</label>
                    <input id=format!("gift-name-{id}") name="input[donor_name]" type="text" maxlength="200" />
                    <label class="check"><input type="checkbox" name="input[show_name]" value="true" />{lang.pick(" ยินยอมให้แสดงชื่อต่อสาธารณะ", " May show the name publicly")}</label>
                    <button type="submit" class="primary">{lang.pick("บันทึกและออกใบเสร็จ", "Record and issue the receipt")}</button>
                </ActionForm>
            </details>
        </li>
    }
}

/// A matched line, with the form that takes the match back.
#[component]
fn MatchedLine(line: BankLineView, unmatcher: ServerAction<UnmatchBankLine>) -> impl IntoView {
    let lang = use_lang();
    let id = line.id;
    let reference = line.matched.clone().unwrap_or_default();
    let how = match line.how {
        Some(MatchHow::Auto) => lang.pick("อัตโนมัติ", "automatic"),
        Some(MatchHow::Gift) => lang.pick("บันทึกเป็นเงินบริจาค", "recorded as a gift"),
        _ => lang.pick("จับคู่เอง", "by hand"),
    };
    view! {
        <li class="bank-line card" data-line=id>
            <LineHead line />
            <p class="small">
                {lang.pick("จับคู่กับ ", "Matched to ")}
                <a href=format!("/donations/{reference}")>{reference.clone()}</a>
                {format!(" ({how})")}
            </p>
            <details class="unmatch">
                <summary>{lang.pick("ยกเลิกการจับคู่", "Unmatch")}</summary>
                <ActionForm action=unmatcher attr:class="stack">
                    <input type="hidden" name="line_id" value=id />
                    <label for=format!("why-{id}")>{lang.pick("เหตุผล", "Reason")}</label>
                    <input id=format!("why-{id}") name="reason" type="text" required minlength="5" maxlength="500" />
                    <button type="submit" class="danger">{lang.pick("ยกเลิกการจับคู่", "Unmatch")}</button>
                </ActionForm>
            </details>
        </li>
    }
}
