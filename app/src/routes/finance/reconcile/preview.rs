//! A statement's preview before import: its totals, every row that does not read, and its first
//! lines.

use crate::i18n::use_lang;
use crate::model::statement::StatementPreview;
use crate::model::thai_date::stored_date;
use crate::model::Lang;
use leptos::prelude::*;

/// A preview: the file's totals, every row that does not parse, and its first lines.
#[component]
pub(super) fn PreviewView(p: StatementPreview) -> impl IntoView {
    let lang = use_lang();
    let period = match (&p.first_on, &p.last_on) {
        (Some(a), Some(b)) => format!("{} – {}", stored_date(a, lang), stored_date(b, lang)),
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
            {p.account.clone().map(|printed| view! {
                <p class="statement-account">{format!("{} {printed}", lang.pick("บัญชีตามไฟล์:", "Account in the file:"))}</p>
            })}
            {p.other_account_than.clone().map(|own| view! {
                <p class="notice error other-account" role="alert">{format!(
                    "{} {own}{}",
                    lang.pick("เลขที่บัญชีในไฟล์ไม่ตรงกับบัญชีของกองผ้าป่านี้", "The account number in the file cannot be this campaign's account,"),
                    lang.pick(" จึงนำเข้าไม่ได้ (เงินในบัญชีอื่นไม่ใช่เงินของกองผ้าป่านี้) กรุณาดาวน์โหลดรายการเดินบัญชีของบัญชีที่ถูกต้อง", ", so it cannot be imported (another account's money is not this campaign's): export the right account's statement."),
                )}</p>
            })}
            {p.read_as_kbiz.then(|| view! {
                <p class="notice read-as-kbiz" role="status">{lang.pick(
                    "ไฟล์นี้เป็นไฟล์ K-BIZ จึงอ่านตามหัวตารางของ K-BIZ ไม่ใช้คอลัมน์ที่กำหนดเอง (คอลัมน์ที่บันทึกไว้ไม่เปลี่ยน)",
                    "This is a K-BIZ export, so it is read by K-BIZ's header, not your own columns (your saved columns are unchanged).",
                )}</p>
            })}
            {if problems.is_empty() {
                view! { <p class="notice ok" role="status">{lang.pick("อ่านได้ทุกแถว กด \"นำเข้า\" เพื่อบันทึก", "Every row reads; press \"Import\" to store it.")}</p> }.into_any()
            } else {
                view! {
                    <p class="notice error" role="alert">{format!("{} {} {}", lang.pick("มี", "There are"), problems.len(), lang.pick("แถวที่อ่านไม่ได้ แก้ไฟล์หรือการจับคู่คอลัมน์ก่อนนำเข้า", "rows that do not read; fix the file or the columns before importing."))}</p>
                    <div class="table-scroll"><table class="data problems">
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
                    </table></div>
                }.into_any()
            }}
            {(p.skipped > 0).then(|| view! { <p class="small">{format!("{} {}", p.skipped, lang.pick("แถวสรุปหรือแถวว่างถูกข้าม", "summary or empty rows skipped"))}</p> })}
            <div class="scroll">
                <div class="table-scroll"><table class="data sample">
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
                                <td class="small">{format!("{} {}", stored_date(&l.date, lang), l.time.unwrap_or_default()).trim().to_owned()}</td>
                                <td class="num">{l.credit.then(|| l.amount.to_string())}</td>
                                <td class="num">{(!l.credit).then(|| l.amount.to_string())}</td>
                                <td class="num">{l.balance.map(|b| b.to_string())}</td>
                                <td class="small">{format!("{} {}", l.description, l.details).trim().to_owned()}{l.known.then(|| lang.pick(" (มีอยู่แล้ว)", " (stored already)"))}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table></div>
            </div>
        </section>
    }
}
