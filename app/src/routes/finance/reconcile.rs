//! `/finance/reconcile?campaign={id}`: a finance officer's reconciliation desk. Import a bank
//! statement (preview first, with every bad row named; the upload shows its progress), see the
//! bank's balance against the books, match the credits that were not matched automatically,
//! take a wrong match back, and record a credit no pledge explains as a gift.

use crate::api::reconcile::{
    reconciliation_of, statement_mapping, GiftFromBankLine, MatchBankLine, SetPledgeTail,
    UnmatchBankLine,
};
use crate::components::guard::{FormErrors, Refused};
use crate::components::island::island_ready;
use crate::error::AppError;
use crate::i18n::use_lang;
use crate::model::statement::{
    BankLineView, Encoding, Era, ImportOutcome, Mapping, Preset, Reconciliation, StatementPreview,
    MATCH_WINDOW_DAYS,
};
use crate::model::thai_date::{format_date, format_instant};
use crate::model::{CampaignId, Lang, Money};
use crate::routes::equipment::{campaign_from_query, ChooseCampaign};
use leptos::prelude::*;
use leptos_meta::Title;

/// The page: its address names the campaign.
#[component]
pub fn ReconcilePage() -> impl IntoView {
    let lang = use_lang();
    view! {
        <Title text=lang.pick("กระทบยอดธนาคาร · Phapa", "Bank reconciliation · Phapa") />
        {match campaign_from_query() {
            Some(campaign) => view! { <ReconcileDesk campaign /> }.into_any(),
            None => view! { <ChooseCampaign title=lang.pick("กระทบยอดธนาคาร", "Bank reconciliation") /> }.into_any(),
        }}
    }
}

/// Everything that acts (a lazy island: this code loads only here). The lists reload after
/// every import and every change of a match.
#[island(lazy)]
fn ReconcileDesk(campaign: CampaignId) -> impl IntoView {
    island_ready();
    let lang = use_lang();
    let matcher = ServerAction::<MatchBankLine>::new();
    let unmatcher = ServerAction::<UnmatchBankLine>::new();
    let gift = ServerAction::<GiftFromBankLine>::new();
    let tail = ServerAction::<SetPledgeTail>::new();
    let imports = RwSignal::new(0_u32);
    let changed = move || {
        (
            matcher.version().get(),
            unmatcher.version().get(),
            gift.version().get(),
            tail.version().get(),
            imports.get(),
        )
    };
    let overview = Resource::new(changed, move |_| reconciliation_of(campaign));
    let mapping = Resource::new(|| (), move |_| statement_mapping(campaign));
    view! {
        <section class="wrap reconcile">
            <p class="crumbs">
                <a href="/finance">{lang.pick("การเงิน", "Finance")}</a>
                " · "
                <a href=format!("/finance/campaigns/{campaign}")>{lang.pick("เงินบริจาคของกอง", "Campaign money")}</a>
            </p>
            <h1>{lang.pick("กระทบยอดธนาคาร", "Bank reconciliation")}</h1>
            {move || matcher.value().get().map(|r| match r {
                Ok(()) => view! { <p class="notice ok" role="status">{lang.pick("จับคู่แล้ว", "Matched.")}</p> }.into_any(),
                Err(error) => view! { <FormErrors error /> }.into_any(),
            })}
            {move || unmatcher.value().get().map(|r| match r {
                Ok(()) => view! { <p class="notice ok" role="status">{lang.pick("ยกเลิกการจับคู่แล้ว", "Unmatched.")}</p> }.into_any(),
                Err(error) => view! { <FormErrors error /> }.into_any(),
            })}
            {move || gift.value().get().map(|r| match r {
                Ok(reference) => view! {
                    <p class="notice ok" role="status">
                        {lang.pick("บันทึกเป็นเงินบริจาคแล้ว ", "Recorded as a gift: ")}
                        <a href=format!("/donations/{reference}")>{reference.clone()}</a>
                    </p>
                }.into_any(),
                Err(error) => view! { <FormErrors error /> }.into_any(),
            })}
            {move || tail.value().get().and_then(|r| r.err()).map(|error| view! { <FormErrors error /> })}
            <Suspense fallback=|| view! { <p class="loading">"…"</p> }>
                {move || Suspend::new(async move {
                    match mapping.await {
                        Ok(saved) => view! { <StatementUpload campaign saved imports /> }.into_any(),
                        Err(error) => view! { <Refused error /> }.into_any(),
                    }
                })}
            </Suspense>
            <Transition fallback=|| view! { <p class="loading">"…"</p> }>
                {move || Suspend::new(async move {
                    match overview.await {
                        Ok(r) => view! { <Books r matcher unmatcher gift tail /> }.into_any(),
                        Err(error) => view! { <Refused error /> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

/// `2026-11-24` as `24 พ.ย. 2569`.
fn day(lang: Lang, iso: &str) -> String {
    chrono::NaiveDate::parse_from_str(iso, "%Y-%m-%d")
        .map(|d| format_date(d, lang))
        .unwrap_or_else(|_| iso.to_owned())
}

/// An RFC 3339 instant in Bangkok time.
fn instant(lang: Lang, at: &str) -> String {
    chrono::DateTime::parse_from_rfc3339(at)
        .map(|t| format_instant(t.to_utc(), lang))
        .unwrap_or_else(|_| at.to_owned())
}

/// A signed satang difference: `+฿12.00` or `−฿12.00`.
fn signed(satang: i64) -> String {
    let sign = if satang < 0 { "−" } else { "+" };
    format!("{sign}{}", Money::from_satang(satang.abs()))
}

/// The bank against the books, then the lines that need an officer.
#[component]
fn Books(
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
    let how = match line.how.as_deref() {
        Some("auto") => lang.pick("อัตโนมัติ", "automatic"),
        Some("gift") => lang.pick("บันทึกเป็นเงินบริจาค", "recorded as a gift"),
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

/// What an upload answered (only the browser uploads).
#[derive(Clone)]
#[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
enum Answer {
    Preview(Box<StatementPreview>),
    Imported(ImportOutcome),
    Refused(AppError),
}

/// The file, its column mapping, the preview and the import.
#[component]
fn StatementUpload(campaign: CampaignId, saved: Mapping, imports: RwSignal<u32>) -> impl IntoView {
    let lang = use_lang();
    let mapping = RwSignal::new(saved);
    let file = NodeRef::<leptos::html::Input>::new();
    let progress = RwSignal::new(None::<u32>);
    let answer = RwSignal::new(None::<Answer>);
    let send = move |kind: &'static str| {
        answer.set(None);
        progress.set(Some(0));
        let done = move |a: Answer| {
            progress.set(None);
            if matches!(a, Answer::Imported(_)) {
                imports.update(|n| *n += 1);
            }
            answer.set(Some(a));
        };
        upload(
            campaign,
            kind,
            file,
            mapping.get_untracked(),
            progress,
            done,
        );
    };
    let custom = move || mapping.with(|m| m.preset == Preset::Custom);
    view! {
        <h2>{lang.pick("นำเข้ารายการเดินบัญชี", "Import a bank statement")}</h2>
        <form class="stack card statement-form" on:submit=move |ev| { ev.prevent_default(); send("preview"); }>
            <label for="statement-file">{lang.pick("ไฟล์รายการเดินบัญชี (CSV)", "Statement file (CSV)")}</label>
            <input id="statement-file" node_ref=file type="file" accept=".csv,text/csv" required />
            <label for="statement-preset">{lang.pick("รูปแบบไฟล์", "Layout")}</label>
            <select id="statement-preset" on:change:target=move |ev| {
                let custom = ev.target().value() == "custom";
                mapping.update(|m| m.preset = if custom { Preset::Custom } else { Preset::Kbiz });
            }>
                <option value="kbiz" selected=move || !custom()>{lang.pick("K-BIZ ธนาคารกสิกรไทย (CSV)", "KBank K-BIZ (CSV)")}</option>
                <option value="custom" selected=custom>{lang.pick("กำหนดคอลัมน์เอง (ธนาคารอื่น)", "My own columns (other banks)")}</option>
            </select>
            <div class="mapping" class:hidden=move || !custom()>
                <p class="hint">{lang.pick(
                    "ระบุเลขคอลัมน์ นับคอลัมน์แรกเป็น 1 เว้นว่างถ้าไม่มี ใช้คอลัมน์ถอนและฝาก หรือคอลัมน์จำนวนเงินคอลัมน์เดียว (บวก = เงินเข้า)",
                    "Give column numbers, counting the first as 1; leave empty if absent. Use withdrawal and deposit columns, or one signed amount column (positive = money in).",
                )}</p>
                {COLUMNS.iter().map(|(field, th, en)| view! { <ColumnInput field label=lang.pick(th, en) mapping /> }).collect_view()}
                <label for="map-header">{lang.pick("แถวหัวตาราง (เว้นว่าง = หาเอง)", "Header row (empty = find it)")}</label>
                <input id="map-header" type="text" inputmode="numeric"
                    prop:value=move || mapping.with(|m| m.header_row.map(|r| r.to_string()).unwrap_or_default())
                    on:change:target=move |ev| mapping.update(|m| m.header_row = ev.target().value().trim().parse().ok()) />
            </div>
            <label for="statement-era">{lang.pick("ปีในวันที่", "Years in dates")}</label>
            <select id="statement-era" on:change:target=move |ev| {
                let era = match ev.target().value().as_str() { "buddhist" => Era::Buddhist, "christian" => Era::Christian, _ => Era::Auto };
                mapping.update(|m| m.era = era);
            }>
                <option value="auto" selected=move || mapping.with(|m| m.era == Era::Auto)>{lang.pick("หาเอง (พ.ศ. หรือ ค.ศ.)", "Detect (BE or CE)")}</option>
                <option value="buddhist" selected=move || mapping.with(|m| m.era == Era::Buddhist)>{lang.pick("พุทธศักราช", "Buddhist Era")}</option>
                <option value="christian" selected=move || mapping.with(|m| m.era == Era::Christian)>{lang.pick("คริสต์ศักราช", "Christian Era")}</option>
            </select>
            <label for="statement-encoding">{lang.pick("การเข้ารหัสตัวอักษร", "Text encoding")}</label>
            <select id="statement-encoding" on:change:target=move |ev| {
                let e = match ev.target().value().as_str() { "utf8" => Encoding::Utf8, "tis620" => Encoding::Tis620, _ => Encoding::Auto };
                mapping.update(|m| m.encoding = e);
            }>
                <option value="auto" selected=move || mapping.with(|m| m.encoding == Encoding::Auto)>{lang.pick("หาเอง", "Detect")}</option>
                <option value="utf8" selected=move || mapping.with(|m| m.encoding == Encoding::Utf8)>"UTF-8"</option>
                <option value="tis620" selected=move || mapping.with(|m| m.encoding == Encoding::Tis620)>"TIS-620 / Windows-874"</option>
            </select>
            <div class="actions">
                <button type="submit" disabled=move || progress.get().is_some()>{lang.pick("ตรวจไฟล์ก่อนนำเข้า", "Preview")}</button>
                " "
                <button type="button" class="primary" disabled=move || progress.get().is_some() on:click=move |_| send("import")>{lang.pick("นำเข้า", "Import")}</button>
            </div>
            {move || progress.get().map(|p| view! {
                <label for="upload-progress">{lang.pick("กำลังส่งไฟล์", "Uploading")}</label>
                <progress id="upload-progress" max="100" value=p>{format!("{p}%")}</progress>
            })}
        </form>
        {move || answer.get().map(|a| match a {
            Answer::Refused(error) => view! { <FormErrors error /> }.into_any(),
            Answer::Imported(o) => view! {
                <p class="notice ok import-outcome" role="status">{match lang {
                    Lang::Th => format!("นำเข้าแล้ว {} รายการ: ใหม่ {} ซ้ำกับที่มีอยู่ {} จับคู่อัตโนมัติ {} ({} มิลลิวินาที)", o.line_count, o.new_lines, o.known_lines, o.auto_matched, o.millis),
                    Lang::En => format!("Imported {} lines: {} new, {} already stored, {} matched automatically ({} ms).", o.line_count, o.new_lines, o.known_lines, o.auto_matched, o.millis),
                }}</p>
            }.into_any(),
            Answer::Preview(p) => view! { <PreviewView p=*p /> }.into_any(),
        })}
    }
}

/// The mapping's column fields, with their labels.
const COLUMNS: [(&str, &str, &str); 9] = [
    ("date", "วันที่", "Date"),
    ("time", "เวลา", "Time"),
    ("description", "รายการ", "Description"),
    ("withdrawal", "ถอนเงิน", "Withdrawal"),
    ("deposit", "ฝากเงิน", "Deposit"),
    ("amount", "จำนวนเงิน (มีเครื่องหมาย)", "Signed amount"),
    ("balance", "ยอดคงเหลือ", "Balance"),
    ("channel", "ช่องทาง", "Channel"),
    ("details", "รายละเอียด", "Details"),
];

/// One column number of the mapping, shown counting from 1.
#[component]
fn ColumnInput(
    field: &'static str,
    label: &'static str,
    mapping: RwSignal<Mapping>,
) -> impl IntoView {
    let id = format!("map-{field}");
    let shown = move || {
        mapping.with(|m| {
            m.columns()
                .iter()
                .find(|(f, _)| *f == field)
                .and_then(|(_, c)| *c)
                .map(|c| (c + 1).to_string())
                .unwrap_or_default()
        })
    };
    let set = move |text: String| {
        let column = text
            .trim()
            .parse::<usize>()
            .ok()
            .filter(|n| *n >= 1)
            .map(|n| n - 1);
        mapping.update(|m| match field {
            "date" => m.date = column.unwrap_or(m.date),
            "time" => m.time = column,
            "description" => m.description = column,
            "withdrawal" => m.withdrawal = column,
            "deposit" => m.deposit = column,
            "amount" => m.amount = column,
            "balance" => m.balance = column,
            "channel" => m.channel = column,
            _ => m.details = column,
        });
    };
    view! {
        <label for=id.clone()>{label}</label>
        <input id=id type="text" inputmode="numeric" data-field=field prop:value=shown on:change:target=move |ev| set(ev.target().value()) />
    }
}

/// A preview: the file's totals, every row that does not parse, and its first lines.
#[component]
fn PreviewView(p: StatementPreview) -> impl IntoView {
    let lang = use_lang();
    let period = match (&p.first_on, &p.last_on) {
        (Some(a), Some(b)) => format!("{} – {}", day(lang, a), day(lang, b)),
        _ => "—".to_owned(),
    };
    let problems = p.problems.clone();
    view! {
        <section class="statement-preview card">
            <h3>{format!("{} · {} · {} {}", p.file_name, p.encoding, lang.pick("หัวตารางแถวที่", "header on line"), p.header_row)}</h3>
            <dl class="figures">
                <div><dt>{lang.pick("รายการ", "Lines")}</dt><dd class="line-count">{p.line_count}</dd></div>
                <div><dt>{lang.pick("มีอยู่แล้ว", "Already stored")}</dt><dd class="known-count">{p.known_count}</dd></div>
                <div><dt>{lang.pick("เงินเข้า", "Money in")}</dt><dd class="credits">{format!("{} · {}", p.credit_count, p.credits)}</dd></div>
                <div><dt>{lang.pick("เงินออก", "Money out")}</dt><dd>{format!("{} · {}", p.debit_count, p.debits)}</dd></div>
                <div><dt>{lang.pick("ช่วงวันที่", "Period")}</dt><dd>{period}</dd></div>
                <div><dt>{lang.pick("ยอดยกมา / ยอดคงเหลือ", "Opening / closing balance")}</dt><dd>{format!(
                    "{} / {}",
                    p.opening_balance.map(|b| b.to_string()).unwrap_or_else(|| "—".into()),
                    p.closing_balance.map(|b| b.to_string()).unwrap_or_else(|| "—".into()),
                )}</dd></div>
            </dl>
            {if problems.is_empty() {
                view! { <p class="notice ok" role="status">{lang.pick("อ่านได้ทุกแถว กด \"นำเข้า\" เพื่อบันทึก", "Every row reads; press \"Import\" to store it.")}</p> }.into_any()
            } else {
                view! {
                    <p class="notice error" role="alert">{format!("{} {} {}", lang.pick("มี", "There are"), problems.len(), lang.pick("แถวที่อ่านไม่ได้ แก้ไฟล์หรือการจับคู่คอลัมน์ก่อนนำเข้า", "rows that do not read; fix the file or the columns before importing."))}</p>
                    <table class="data problems">
                        <thead><tr>
                            <th class="num">{lang.pick("แถว", "Row")}</th>
                            <th>{lang.pick("คอลัมน์", "Column")}</th>
                            <th>{lang.pick("ปัญหา", "Problem")}</th>
                        </tr></thead>
                        <tbody>
                            {problems.into_iter().map(|e| view! {
                                <tr>
                                    <td class="num">{e.row}</td>
                                    <td>{e.column.unwrap_or_default()}</td>
                                    <td>{match lang { Lang::Th => e.th, Lang::En => e.en }}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                }.into_any()
            }}
            {(p.skipped > 0).then(|| view! { <p class="small">{format!("{} {}", p.skipped, lang.pick("แถวสรุปหรือแถวว่างถูกข้าม", "summary or empty rows skipped"))}</p> })}
            <div class="scroll">
                <table class="data sample">
                    <thead><tr>
                        <th class="num">{lang.pick("แถว", "Row")}</th>
                        <th>{lang.pick("วันที่", "Date")}</th>
                        <th class="num">{lang.pick("เข้า", "In")}</th>
                        <th class="num">{lang.pick("ออก", "Out")}</th>
                        <th class="num">{lang.pick("คงเหลือ", "Balance")}</th>
                        <th>{lang.pick("รายละเอียด", "Details")}</th>
                    </tr></thead>
                    <tbody>
                        {p.sample.into_iter().map(|l| view! {
                            <tr class:known=l.known>
                                <td class="num">{l.row}</td>
                                <td class="small">{format!("{} {}", day(lang, &l.date), l.time.unwrap_or_default()).trim().to_owned()}</td>
                                <td class="num">{l.credit.then(|| l.amount.to_string())}</td>
                                <td class="num">{(!l.credit).then(|| l.amount.to_string())}</td>
                                <td class="num">{l.balance.map(|b| b.to_string())}</td>
                                <td class="small">{format!("{} {}", l.description, l.details).trim().to_owned()}{l.known.then(|| lang.pick(" (มีอยู่แล้ว)", " (stored already)"))}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        </section>
    }
}

/// Sends the chosen file to `/finance/campaigns/{id}/statements/{kind}` with the mapping,
/// reporting the upload's progress in percent, then the answer.
#[cfg(feature = "hydrate")]
fn upload(
    campaign: CampaignId,
    kind: &'static str,
    file: NodeRef<leptos::html::Input>,
    mapping: Mapping,
    progress: RwSignal<Option<u32>>,
    done: impl Fn(Answer) + Clone + 'static,
) {
    use leptos::wasm_bindgen::{closure::Closure, JsCast};
    use web_sys::js_sys::encode_uri_component;
    let refuse = |th: &str, en: &str| AppError::field("file", th, en);
    let chosen = file
        .get_untracked()
        .and_then(|input| input.files())
        .and_then(|files| files.get(0));
    let Some(chosen) = chosen else {
        done(Answer::Refused(refuse("กรุณาเลือกไฟล์", "Choose a file.")));
        return;
    };
    let mapping = serde_json::to_string(&mapping).unwrap_or_default();
    let url = format!(
        "/finance/campaigns/{campaign}/statements/{kind}?name={}&mapping={}",
        encode_uri_component(&chosen.name()),
        encode_uri_component(&mapping),
    );
    let Ok(xhr) = web_sys::XmlHttpRequest::new() else {
        return;
    };
    let on_progress =
        Closure::<dyn FnMut(web_sys::ProgressEvent)>::new(move |e: web_sys::ProgressEvent| {
            // Byte counts arrive as JavaScript numbers; whole bytes are exact in them.
            let (loaded, total) = (e.loaded() as u64, e.total() as u64);
            if e.length_computable() && total > 0 {
                progress.set(Some(
                    u32::try_from(loaded.min(total) * 100 / total).unwrap_or(100),
                ));
            }
        });
    if let Ok(target) = xhr.upload() {
        target.set_onprogress(Some(on_progress.as_ref().unchecked_ref()));
    }
    on_progress.forget();
    let answered = xhr.clone();
    let failed = done.clone();
    let on_end = Closure::<dyn FnMut()>::new(move || {
        let status = answered.status().unwrap_or(0);
        let body = answered.response_text().ok().flatten().unwrap_or_default();
        let answer = match (status, kind) {
            (0, _) => Answer::Refused(AppError::Unreachable("upload".into())),
            (200, "import") => serde_json::from_str(&body)
                .map(Answer::Imported)
                .unwrap_or_else(|e| Answer::Refused(AppError::BadRequest(e.to_string()))),
            (200, _) => serde_json::from_str(&body)
                .map(Answer::Preview)
                .unwrap_or_else(|e| Answer::Refused(AppError::BadRequest(e.to_string()))),
            (413, _) => Answer::Refused(
                serde_json::from_str(&body)
                    .unwrap_or_else(|_| refuse("ไฟล์ใหญ่เกินไป", "The file is too large.")),
            ),
            _ => Answer::Refused(serde_json::from_str(&body).unwrap_or(AppError::BadRequest(body))),
        };
        done(answer);
    });
    xhr.set_onloadend(Some(on_end.as_ref().unchecked_ref()));
    on_end.forget();
    let sent = xhr
        .open("POST", &url)
        .and_then(|()| xhr.set_request_header("content-type", "application/octet-stream"))
        .and_then(|()| xhr.send_with_opt_blob(Some(&chosen)));
    if sent.is_err() {
        failed(Answer::Refused(AppError::Unreachable("upload".into())));
    }
}

/// On the server the page only renders; uploads start in the browser.
#[cfg(not(feature = "hydrate"))]
fn upload(
    _campaign: CampaignId,
    _kind: &'static str,
    _file: NodeRef<leptos::html::Input>,
    _mapping: Mapping,
    _progress: RwSignal<Option<u32>>,
    _done: impl Fn(Answer) + Clone + 'static,
) {
}
