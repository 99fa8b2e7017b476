//! The bank against the books, and the lines that need an officer: unmatched credits to match or
//! record as gifts, and matched lines whose match can be taken back.

use super::signed;
use crate::api::reconcile::{
    ConfirmSuggestions, GiftFromBankLine, MatchBankLine, SetPledgeTail, UnmatchBankLine,
};
use crate::i18n::use_lang;
use crate::model::statement::{
    BankLineView, DeskQuery, Evidence, MatchHow, Reconciliation, DESK_PAGE, MATCH_WINDOW_DAYS,
};
use crate::model::thai_date::{stored_date, stored_instant};
use crate::model::{CampaignId, Lang};
use leptos::prelude::*;

/// The bank against the books, then the lines that need an officer.
#[component]
pub(super) fn Books(
    r: Reconciliation,
    matcher: ServerAction<MatchBankLine>,
    unmatcher: ServerAction<UnmatchBankLine>,
    gift: ServerAction<GiftFromBankLine>,
    tail: ServerAction<SetPledgeTail>,
    group: ServerAction<ConfirmSuggestions>,
) -> impl IntoView {
    let lang = use_lang();
    let suggested: Vec<BankLineView> = r
        .unmatched_credits
        .iter()
        .filter(|l| l.suggested.is_some())
        .cloned()
        .collect();
    let balance = match (&r.bank_balance, &r.bank_balance_on) {
        (Some(b), Some(on)) => format!("{b} ({})", stored_date(on, lang)),
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
            <div><dt>{if r.bank_accounts.len() > 1 {
                lang.pick("ยอดคงเหลือตามธนาคาร (รวมทุกบัญชี)", "Bank balance (all accounts)")
            } else {
                lang.pick("ยอดคงเหลือตามธนาคาร", "Bank balance")
            }}</dt><dd class="bank-balance">{balance}</dd></div>
            <div><dt>{lang.pick("เงินสดตามบัญชี", "Cash in the books")}</dt><dd class="books-cash">{r.books_cash.to_string()}</dd></div>
            <div><dt>{lang.pick("จับคู่แล้ว", "Matched")}</dt><dd class="matched">{format!("{} · {}", r.matched_count, r.matched_total)}</dd></div>
            <div><dt>{lang.pick("เงินโอนที่ยังไม่พบในธนาคาร", "Transfers not yet on a statement")}</dt><dd>{r.unconfirmed_gifts}</dd></div>
        </dl>
        {(r.bank_accounts.len() > 1).then(|| view! {
            <div class="table-scroll">
                <table class="data bank-accounts">
                    <caption>{lang.pick("ยอดคงเหลือแยกตามบัญชี", "Balance by account")}</caption>
                    <thead><tr>
                        <th scope="col">{lang.pick("บัญชี", "Account")}</th>
                        <th scope="col">{lang.pick("ยอดคงเหลือ", "Balance")}</th>
                        <th scope="col">{lang.pick("ณ วันที่", "As of")}</th>
                    </tr></thead>
                    <tbody>
                        {r.bank_accounts.iter().map(|a| view! {
                            <tr>
                                <td>{a.account.clone().unwrap_or_else(|| lang.pick("ไม่ระบุในไฟล์", "not named in the file").to_owned())}</td>
                                <td class="num">{a.balance.to_string()}</td>
                                <td>{stored_date(&a.on, lang)}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        })}
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
        <DeskFilter campaign query=r.query.clone() waiting=r.waiting_count />
        <Suggestions lines=suggested campaign group />
        <h2>{lang.pick("เงินเข้าที่ยังไม่ได้จับคู่", "Credits not matched")}" ("{r.waiting_count}")"</h2>
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
        <Pages campaign query=r.query.clone() waiting=r.waiting_count />
        <h2>{lang.pick("คำมั่นที่ยังไม่พบเงินเข้า", "Pledges with no credit")}" ("{r.stale_pledges.len()}")"</h2>
        <p class="hint">{format!("{} {MATCH_WINDOW_DAYS} {}", lang.pick("คำมั่นที่เกิน", "Pledges older than"), lang.pick("วัน และยังไม่พบเงินเข้าในรายการเดินบัญชี", "days that no statement line pays."))}</p>
        {if r.stale_pledges.is_empty() {
            view! { <p class="empty">{lang.pick("ไม่มี", "None.")}</p> }.into_any()
        } else {
            view! {
                <div class="table-scroll"><table class="data stale-pledges">
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
                                <td class="small">{stored_instant(&p.pledged_at, lang)}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table></div>
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
                <div class="table-scroll"><table class="data imports">
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
                                <td class="small">{format!("{} – {}", i.first_on.as_deref().map(|d| stored_date(d, lang)).unwrap_or_default(), i.last_on.as_deref().map(|d| stored_date(d, lang)).unwrap_or_default())}</td>
                                <td class="num">{format!("{} ({})", i.line_count, i.new_lines)}</td>
                                <td class="num">{i.closing_balance.map(|b| b.to_string()).unwrap_or_default()}</td>
                                <td class="small">{format!("{} · {}", i.by.unwrap_or_default(), stored_instant(&i.at, lang))}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table></div>
            }.into_any()
        }}
    }
}

/// A line's date, amount and texts.
#[component]
fn LineHead(line: BankLineView) -> impl IntoView {
    let lang = use_lang();
    let when = match &line.posted_time {
        Some(t) => format!("{} {t}", stored_date(&line.posted_on, lang)),
        None => stored_date(&line.posted_on, lang),
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
                                    {format!(" · {} · {} · {}", c.donor.unwrap_or_else(|| lang.pick("ไม่ประสงค์ออกนาม", "Anonymous").to_owned()), c.amount, stored_instant(&c.at, lang))}
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
                    <label for=format!("gift-id-{id}")>{lang.pick("เลขประจำตัวประชาชน/ผู้เสียภาษี 13 หลัก (ถ้าผู้บริจาคขอใบเสร็จลดหย่อนภาษี)", "13-digit national or tax ID (if the donor asked for a tax receipt)")}</label>
                    <input id=format!("gift-id-{id}") name="input[national_id]" type="text" inputmode="numeric" autocomplete="off" maxlength="20" />
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

/// The waiting credits whose one suggestion stands out, grouped by how strong it is; each group
/// confirmed at once after reading it (or each pair alone, by its line below).
#[component]
fn Suggestions(
    lines: Vec<BankLineView>,
    campaign: crate::model::CampaignId,
    group: ServerAction<ConfirmSuggestions>,
) -> impl IntoView {
    let lang = use_lang();
    if lines.is_empty() {
        // What the last confirmation did stays in view when it emptied the suggestions.
        return view! { <GroupAnswer group /> }.into_any();
    }
    let groups = [
        Evidence::Reference,
        Evidence::UniqueAmount,
        Evidence::AmountAndName,
    ]
    .into_iter()
    .filter_map(|evidence| {
        let of: Vec<BankLineView> = lines
            .iter()
            .filter(|l| l.suggested.as_ref().is_some_and(|s| s.evidence == evidence))
            .cloned()
            .collect();
        (!of.is_empty()).then_some((evidence, of))
    })
    .collect::<Vec<_>>();
    view! {
        <section class="suggestions" aria-labelledby="suggestions-heading">
            <h2 id="suggestions-heading">{lang.pick("คู่ที่ระบบแนะนำ", "Suggested matches")}</h2>
            <p class="hint">{lang.pick(
                "ตรวจแต่ละคู่ แล้วยืนยันทั้งกลุ่ม หรือยืนยันทีละรายการที่รายการเงินเข้าด้านล่าง",
                "Read each pair, then confirm a whole group, or one at a time at its credit below.",
            )}</p>
            <GroupAnswer group />
            {groups.into_iter().map(|(evidence, of)| {
                let count = of.len();
                view! {
                    <div class="suggestion-group card" data-evidence=format!("{evidence:?}")>
                        <h3>{format!("{} ({count})", evidence.label(lang))}</h3>
                        <ActionForm action=group attr:class="stack">
                            <input type="hidden" name="input[campaign_id]" value=campaign.get() />
                            <div class="table-scroll"><table class="data">
                                <thead><tr>
                                    <th>{lang.pick("เงินเข้า", "Credit")}</th>
                                    <th class="num">{lang.pick("จำนวนเงิน", "Amount")}</th>
                                    <th>{lang.pick("รายการบริจาค", "Donation")}</th>
                                </tr></thead>
                                <tbody>
                                    {of.into_iter().filter_map(|l| l.suggested.clone().map(|s| (l, s))).enumerate().map(|(n, (l, s))| {
                                        view! {
                                            <tr data-line=l.id>
                                                <td>
                                                    {format!("{} {} · {}", stored_date(&l.posted_on, lang), l.posted_time.clone().unwrap_or_default(), l.details)}
                                                    <input type="hidden" name=format!("input[pairs][{n}][line_id]") value=l.id />
                                                    <input type="hidden" name=format!("input[pairs][{n}][reference]") value=s.reference.clone() />
                                                </td>
                                                <td class="num">{l.amount.to_string()}</td>
                                                <td>
                                                    <a href=format!("/donations/{}", s.reference)>{s.reference.clone()}</a>
                                                    {format!(" · {}", s.donor.clone().unwrap_or_else(|| lang.pick("ไม่ประสงค์ออกนาม", "Anonymous").to_owned()))}
                                                </td>
                                            </tr>
                                        }
                                    }).collect_view()}
                                </tbody>
                            </table></div>
                            <button type="submit" class="primary">{format!("{} ({count})", lang.pick("ยืนยันทั้งกลุ่ม", "Confirm the whole group"))}</button>
                        </ActionForm>
                    </div>
                }
            }).collect_view()}
        </section>
    }
    .into_any()
}

/// What the last group confirmation did, at the top of the suggestions.
#[component]
fn GroupAnswer(group: ServerAction<ConfirmSuggestions>) -> impl IntoView {
    let lang = use_lang();
    move || {
        group.value().get().map(|answer| match answer {
            Ok(o) => view! {
                <div class="notice ok group-outcome" role="status">
                    <p>{match lang {
                        crate::model::Lang::Th => format!("จับคู่แล้ว {} รายการ", o.matched),
                        crate::model::Lang::En => format!("{} matched.", o.matched),
                    }}</p>
                    {(!o.refused.is_empty()).then(|| view! {
                        <ul>
                            {o.refused.iter().map(|(line, th, en)| view! {
                                <li>{format!("{} {line}: {}", lang.pick("รายการเดินบัญชี", "Bank line"), lang.pick(th, en))}</li>
                            }).collect_view()}
                        </ul>
                    })}
                </div>
            }.into_any(),
            Err(error) => view! { <crate::components::guard::FormErrors error /> }.into_any(),
        })
    }
}

/// The desk's filters: a plain GET form, so a filtered desk has an address to come back to.
#[component]
fn DeskFilter(campaign: CampaignId, query: DeskQuery, waiting: i64) -> impl IntoView {
    let lang = use_lang();
    let filtered = query.filters();
    view! {
        <form method="get" action="/finance/reconcile" class="filter-grid desk-filter card" role="search">
            <input type="hidden" name="campaign" value=campaign.get() />
            <label>{lang.pick("เงินเข้าตั้งแต่วันที่", "Credits from")}<input name="from" type="date" value=query.from.clone() /></label>
            <label>{lang.pick("ถึงวันที่", "to")}<input name="to" type="date" value=query.to.clone() /></label>
            <label>{lang.pick("ยอดตั้งแต่ (บาท)", "Amount from (baht)")}<input name="min" type="text" inputmode="decimal" value=query.min.clone() /></label>
            <label>{lang.pick("ถึง (บาท)", "to (baht)")}<input name="max" type="text" inputmode="decimal" value=query.max.clone() /></label>
            <button type="submit">{lang.pick("กรอง", "Filter")}</button>
            {filtered.then(|| view! {
                <a href=format!("/finance/reconcile?campaign={campaign}")>{lang.pick("ล้างตัวกรอง", "Clear the filters")}</a>
            })}
        </form>
        {filtered.then(|| view! {
            <p class="small filtered">{match lang {
                Lang::Th => format!("แสดงเฉพาะเงินเข้าตามตัวกรอง: {waiting} รายการ"),
                Lang::En => format!("Showing only credits within the filters: {waiting}."),
            }}</p>
        })}
    }
}

/// Links to the other pages of waiting credits, keeping the filters.
#[component]
fn Pages(campaign: CampaignId, query: DeskQuery, waiting: i64) -> impl IntoView {
    let lang = use_lang();
    let pages = (waiting + DESK_PAGE - 1) / DESK_PAGE;
    let page = i64::from(query.page());
    let href = move |n: i64| {
        let mut url = format!("/finance/reconcile?campaign={campaign}");
        for (name, value) in [
            ("from", &query.from),
            ("to", &query.to),
            ("min", &query.min),
            ("max", &query.max),
        ] {
            if !value.trim().is_empty() {
                url.push_str(&format!("&{name}={}", encode(value.trim())));
            }
        }
        format!("{url}&page={n}")
    };
    (pages > 1).then(|| view! {
        <nav class="pages" aria-label=lang.pick("หน้าของรายการ", "Pages of credits")>
            {(page > 1).then(|| view! { <a rel="prev" href=href(page - 1)>{lang.pick("← ก่อนหน้า", "← Previous")}</a> })}
            <span>{match lang {
                Lang::Th => format!(" หน้า {page} จาก {pages} "),
                Lang::En => format!(" Page {page} of {pages} "),
            }}</span>
            {(page < pages).then(|| view! { <a rel="next" href=href(page + 1)>{lang.pick("ถัดไป →", "Next →")}</a> })}
        </nav>
    })
}

/// A filter value made safe for a query string (dates, digits, dots and commas need no more;
/// anything else is percent-encoded byte by byte).
fn encode(value: &str) -> String {
    value
        .bytes()
        .map(|b| match b {
            b'0'..=b'9' | b'a'..=b'z' | b'A'..=b'Z' | b'-' | b'.' | b'_' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}
