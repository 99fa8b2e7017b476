//! A campaign's report, printable on A4: `/finance/campaigns/{id}/report` (live, with the
//! acknowledgement and settlement forms) and `/campaigns/{id}/report` (as settled, for
//! everyone). Both are rendered on the server only: no island, no script, so the donor bundle
//! carries none of this and the forms work without JavaScript.
//!
//! Longer than most files: one report's sections, kept together because the finance and the public
//! page are the same view, with and without its forms.

use crate::api::report::{report_for_finance, settled_report};
use crate::components::guard::Refused;
use crate::components::notice::ErrorNotice;
use crate::error::AppError;
use crate::i18n::use_lang;
use crate::model::report::{CampaignReport, Carry, Discrepancy, FinanceReport, MoneyLine};
use crate::model::thai_date::{stored_date, stored_instant};
use crate::model::{CampaignId, Lang, Money};
use crate::routes::report_charts::{DistrictChart, HospitalMap, MoneyInChart, SpentChart};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

fn campaign_param() -> Option<CampaignId> {
    use_params_map()
        .read_untracked()
        .get("id")
        .and_then(|id| id.parse().ok())
}

/// `/finance/campaigns/{id}/report`.
#[component]
pub fn FinanceReportPage() -> impl IntoView {
    let id = campaign_param();
    let done = use_query_map().read_untracked().get("done");
    let report = Resource::new(
        move || id,
        |id| async move {
            match id {
                Some(id) => report_for_finance(id).await,
                None => Err(AppError::NotFound),
            }
        },
    );
    view! {
        <Suspense fallback=|| view! { <p class="wrap loading">"…"</p> }>
            {move || {
                let done = done.clone();
                Suspend::new(async move {
                    match report.await {
                        Ok(f) => view! { <FinanceReportView f done /> }.into_any(),
                        Err(error) => view! { <Refused error /> }.into_any(),
                    }
                })
            }}
        </Suspense>
    }
}

/// `/campaigns/{id}/report`: the report a settled campaign published.
#[component]
pub fn PublicReportPage() -> impl IntoView {
    let id = campaign_param();
    let report = Resource::new(
        move || id,
        |id| async move {
            match id {
                Some(id) => settled_report(id).await,
                None => Err(AppError::NotFound),
            }
        },
    );
    view! {
        <Suspense fallback=|| view! { <p class="wrap loading">"…"</p> }>
            {move || Suspend::new(async move {
                match report.await {
                    Ok(r) => view! { <ReportView r finance=false /> }.into_any(),
                    Err(error) => view! { <ErrorNotice error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn FinanceReportView(f: FinanceReport, done: Option<String>) -> impl IntoView {
    let lang = use_lang();
    let id = f.report.campaign;
    let settled = f.report.settled.is_some();
    let notice = done.and_then(|d| match d.as_str() {
        "acknowledged" => Some(lang.pick("บันทึกคำชี้แจงแล้ว", "The acknowledgement is recorded.")),
        "settled" => Some(lang.pick(
            "ปิดบัญชีแล้ว รายงานนี้เผยแพร่ต่อสาธารณะแล้ว",
            "Settled: this report is now public.",
        )),
        _ => None,
    });
    view! {
        <section class="wrap report-page">
            <p class="crumbs no-print">
                <a href="/finance">{lang.pick("การเงิน", "Finance")}</a>" › "
                <a href=format!("/finance/campaigns/{id}")>{f.report.title.get(lang).to_owned()}</a>
            </p>
            {notice.map(|n| view! { <p class="notice ok" role="status">{n}</p> })}
            {settled.then(|| view! {
                <p class="no-print">
                    <a href=format!("/campaigns/{id}/report")>{lang.pick("รายงานฉบับสาธารณะ", "The public report")}</a>
                </p>
            })}
        </section>
        <ReportView r=f.report.clone() finance=true />
        <ExportsSection id years=f.fiscal_years />
        {(!settled).then(|| view! { <SettleForm r=f.report targets=f.carry_targets /> })}
    }
}

/// The campaign's CSV files, for the whole campaign or one fiscal year: a plain GET form whose
/// buttons each name their file, so it works without JavaScript.
#[component]
fn ExportsSection(id: CampaignId, years: Vec<i32>) -> impl IntoView {
    let lang = use_lang();
    let files = [
        ("donations.csv", lang.pick("เงินบริจาค", "Donations")),
        ("receipts.csv", lang.pick("ใบเสร็จ", "Receipts")),
        ("purchases.csv", lang.pick("การจัดซื้อ", "Purchases")),
        (
            "units.csv",
            lang.pick("ครุภัณฑ์และการจัดสรร", "Units and allocations"),
        ),
    ];
    view! {
        <section class="wrap report-part exports no-print">
            <h2>{lang.pick("ส่งออกข้อมูล (CSV และ Excel)", "Exports (CSV and Excel)")}</h2>
            <form method="get" action=format!("/finance/campaigns/{id}/export/donations.csv") class="card">
                <div class="stack">
                    <label for="fiscal-year">{lang.pick("ปีงบประมาณ", "Fiscal year")}</label>
                    <select id="fiscal-year" name="fiscal_year">
                        <option value="">{lang.pick("ทุกปี", "Every year")}</option>
                        {years.into_iter().map(|y| {
                            let label = match lang {
                                Lang::Th => format!("{y} (1 ต.ค. {} – 30 ก.ย. {y})", y - 1),
                                Lang::En => format!("{y} (1 Oct {} – 30 Sep {})", y - 544, y - 543),
                            };
                            view! { <option value=y>{label}</option> }
                        }).collect_view()}
                    </select>
                </div>
                <div class="downloads">
                    {files.into_iter().map(|(file, name)| {
                        let book = file.replace(".csv", ".xlsx");
                        view! {
                            <button type="submit" formaction=format!("/finance/campaigns/{id}/export/{file}")>
                                {name}" (.csv)"
                            </button>
                            <button type="submit" formaction=format!("/finance/campaigns/{id}/export/{book}")>
                                {name}" (Excel .xlsx)"
                            </button>
                        }
                    }).collect_view()}
                </div>
            </form>
            <p class="small">{lang.pick(
                "ไฟล์ CSV (UTF-8) และ Excel พร้อมหัวตารางภาษาไทยและอังกฤษ ใน Excel จำนวนเงินเป็นตัวเลขและวันที่เป็นวันที่ ข้อความที่ขึ้นต้นเหมือนสูตรจะไม่ถูกคำนวณ",
                "CSV (UTF-8) and Excel files with Thai and English headers; in the Excel files amounts are numbers and dates are dates. Text that looks like a formula is never run.",
            )}</p>
        </section>
    }
}

/// The report itself, for both pages. `finance` adds links to records and the forms that
/// acknowledge discrepancies.
#[component]
fn ReportView(r: CampaignReport, finance: bool) -> impl IntoView {
    let lang = use_lang();
    let title = r.title.get(lang).to_owned();
    let id = r.campaign;
    let open_forms = finance && r.settled.is_none();
    view! {
        <Title text=format!("{} · {title}", lang.pick("รายงานการเงิน", "Financial report")) />
        <article class="wrap report">
            <header>
                <p class="small">{lang.pick("รายงานการเงินและครุภัณฑ์", "Money and equipment report")}</p>
                <h1>{title}</h1>
                {match &r.settled {
                    Some(s) => view! {
                        <p class="settled-note">
                            {lang.pick("ปิดบัญชีเมื่อ ", "Settled on ")}{stored_instant(&s.at, lang)}
                            {(!s.by.is_empty()).then(|| format!("{}{}", lang.pick(" โดย ", " by "), s.by))}
                        </p>
                    }.into_any(),
                    None => view! {
                        <p class="small">{lang.pick("รายงาน ณ ขณะนี้ (ยังไม่ปิดบัญชี)", "As the books stand now (not settled)")}</p>
                    }.into_any(),
                }}
                {(!finance).then(|| view! {
                    <p class="no-print"><a href=format!("/campaigns/{id}")>{lang.pick("กลับไปหน้ากองผ้าป่า", "Back to the campaign")}</a></p>
                })}
            </header>
            <MoneySection r=r.clone() />
            <section class="report-part charts">
                <h2>{lang.pick("เงินเข้าและเงินออกในแผนภูมิ", "The money in charts")}</h2>
                <MoneyInChart r=r.clone() />
                <SpentChart r=r.clone() />
            </section>
            <BankSection r=r.clone() />
            <UnitsSection r=r.clone() />
            <HospitalsSection r=r.clone() />
            <section class="report-part charts">
                <h2>{lang.pick("ครุภัณฑ์ตามพื้นที่", "Equipment by area")}</h2>
                <DistrictChart r=r.clone() />
                <HospitalMap r=r.clone() />
            </section>
            <DiscrepancySection r open_forms finance />
        </article>
    }
}

fn money_rows(lines: &[MoneyLine], lang: Lang) -> impl IntoView {
    lines
        .iter()
        .map(|l| {
            view! {
                <tr>
                    <td>{l.label.get(lang).to_owned()}</td>
                    <td class="num">{l.count}</td>
                    <td class="num">{l.amount.to_string()}</td>
                </tr>
            }
        })
        .collect_view()
}

fn carry_rows(carries: &[Carry], lang: Lang) -> impl IntoView {
    carries
        .iter()
        .map(|c| {
            let what = if c.incoming {
                lang.pick("ยกมาจาก ", "Carried in from ")
            } else {
                lang.pick("ยกไปยัง ", "Carried to ")
            };
            view! {
                <tr class="carry">
                    <td>
                        {what}<a href=format!("/campaigns/{}", c.campaign)>{c.title.get(lang).to_owned()}</a>
                        <span class="small">{format!(" · {}", stored_instant(&c.at, lang))}</span>
                    </td>
                    <td class="num">"1"</td>
                    <td class="num">{c.amount.to_string()}</td>
                </tr>
            }
        })
        .collect_view()
}

#[component]
fn MoneySection(r: CampaignReport) -> impl IntoView {
    let lang = use_lang();
    let balances = r.balances();
    view! {
        <section class="report-part">
            <h2>{lang.pick("เงินเข้า เงินออก และยอดคงเหลือ", "Money in, money out, and the balance")}</h2>
            <div class="table-scroll"><table class="figures-table">
                <caption>{lang.pick("เงินเข้าตามช่องทาง", "Money in by channel")}</caption>
                <thead><tr>
                    <th scope="col">{lang.pick("ช่องทาง", "Channel")}</th>
                    <th scope="col" class="num">{lang.pick("รายการ", "Records")}</th>
                    <th scope="col" class="num">{lang.pick("จำนวนเงิน", "Amount")}</th>
                </tr></thead>
                <tbody>
                    {money_rows(&r.money_in, lang)}
                    {carry_rows(&r.carried_in, lang)}
                </tbody>
                <tfoot><tr>
                    <th scope="row" colspan="2">{lang.pick("รวมเงินเข้า", "Total in")}</th>
                    <td class="num total-in">{r.total_in().to_string()}</td>
                </tr></tfoot>
            </table></div>
            <div class="table-scroll"><table class="figures-table">
                <caption>{lang.pick("เงินออก: การจัดซื้อตามผู้ขาย", "Money out: purchases by vendor")}</caption>
                <thead><tr>
                    <th scope="col">{lang.pick("ผู้ขาย", "Vendor")}</th>
                    <th scope="col" class="num">{lang.pick("รายการ", "Purchases")}</th>
                    <th scope="col" class="num">{lang.pick("จำนวนเงิน", "Amount")}</th>
                </tr></thead>
                <tbody>
                    {money_rows(&r.spent, lang)}
                    {carry_rows(&r.carried_out, lang)}
                </tbody>
                <tfoot><tr>
                    <th scope="row" colspan="2">{lang.pick("รวมเงินออก", "Total out")}</th>
                    <td class="num total-out">{r.total_out().to_string()}</td>
                </tr></tfoot>
            </table></div>
            <dl class="figures card balance-check">
                <div><dt>{lang.pick("คงเหลือ (เข้า − ออก)", "Balance (in − out)")}</dt><dd class="balance">{r.balance().to_string()}</dd></div>
                <div><dt>{lang.pick("เงินสดตามสมุดบัญชี", "Cash in the journal")}</dt><dd class="journal-cash">{r.journal_cash.to_string()}</dd></div>
            </dl>
            {if balances {
                view! { <p class="notice ok balances">{lang.pick("✓ เงินเข้า = เงินออก + คงเหลือ = สมุดบัญชี ตรงกันทุกสตางค์", "✓ Money in = money out + balance = the journal, to the satang.")}</p> }.into_any()
            } else {
                view! { <p class="notice error">{lang.pick("✗ ยอดไม่ตรงกับสมุดบัญชี", "✗ The figures do not agree with the journal.")}</p> }.into_any()
            }}
            {(r.held != Money::ZERO).then(|| view! {
                <p class="small">{lang.pick("ในยอดคงเหลือ มีเงินที่กันไว้สำหรับการจัดซื้อที่รออนุมัติ ", "Of the balance, held for purchases awaiting approval: ")}{r.held.to_string()}</p>
            })}
            <p class="small">
                {lang.pick("สิ่งของที่ได้รับบริจาค (ไม่ใช่เงินสด): ", "Gifts in kind (not cash): ")}
                {format!("{} {} · {}", r.in_kind.count, lang.pick("รายการ", "gifts"), r.in_kind.amount)}
            </p>
        </section>
    }
}

#[component]
fn BankSection(r: CampaignReport) -> impl IntoView {
    let lang = use_lang();
    view! {
        <section class="report-part">
            <h2>{lang.pick("ยอดธนาคารเทียบกับบัญชี", "The bank against the books")}</h2>
            {match r.bank.clone() {
                Some((bank, on)) => {
                    let diff = Money::from_satang(bank.satang() - r.journal_cash.satang());
                    view! {
                        <dl class="figures card">
                            <div><dt>{lang.pick("ยอดคงเหลือตามรายการเดินบัญชี ณ ", "Statement balance on ")}{stored_date(&on, lang)}</dt><dd class="bank-balance">{bank.to_string()}</dd></div>
                            <div><dt>{lang.pick("เงินสดตามบัญชี", "Cash in the books")}</dt><dd>{r.journal_cash.to_string()}</dd></div>
                            <div><dt>{lang.pick("ผลต่าง", "Difference")}</dt><dd class="bank-difference">{diff.to_string()}</dd></div>
                        </dl>
                    }.into_any()
                }
                None => view! { <p>{lang.pick("ยังไม่ได้นำเข้ารายการเดินบัญชีของบัญชีรับเงิน", "No statement of the receiving account has been imported.")}</p> }.into_any(),
            }}
        </section>
    }
}

#[component]
fn UnitsSection(r: CampaignReport) -> impl IntoView {
    let lang = use_lang();
    let u = r.units;
    let rows = [
        (lang.pick("อยู่ในคลัง", "In stock"), u.in_stock),
        (
            lang.pick("จัดสรรแล้ว รอส่ง", "Allocated, not yet sent"),
            u.allocated,
        ),
        (lang.pick("กำลังส่ง", "On the way"), u.dispatched),
        (
            lang.pick("รพ.สต. ได้รับแล้ว", "Received by hospitals"),
            u.received,
        ),
        (lang.pick("ตัดจำหน่าย", "Written off"), u.written_off),
    ];
    view! {
        <section class="report-part">
            <h2>{lang.pick("ครุภัณฑ์", "Equipment")}</h2>
            <div class="table-scroll"><table class="figures-table units-table">
                <caption>{lang.pick("ครุภัณฑ์ที่ซื้อและได้รับบริจาค แยกตามสถานะ", "Units bought and given, by where they are")}</caption>
                <tbody>
                    {rows.into_iter().map(|(label, n)| view! {
                        <tr><td>{label}</td><td class="num">{n}</td></tr>
                    }).collect_view()}
                </tbody>
                <tfoot><tr>
                    <th scope="row">{lang.pick("รวมทั้งหมด", "All units")}</th>
                    <td class="num units-total">{u.total()}</td>
                </tr></tfoot>
            </table></div>
        </section>
    }
}

#[component]
fn HospitalsSection(r: CampaignReport) -> impl IntoView {
    let lang = use_lang();
    let units: i64 = r.hospitals.iter().map(|h| h.units).sum();
    let value = Money::from_satang(r.hospitals.iter().map(|h| h.value.satang()).sum());
    view! {
        <section class="report-part">
            <h2>{lang.pick("ครุภัณฑ์ที่ รพ.สต. ได้รับ", "What each hospital received")}</h2>
            <div class="table-scroll"><table class="figures-table hospitals-table">
                <thead><tr>
                    <th scope="col">{lang.pick("โรงพยาบาล", "Hospital")}</th>
                    <th scope="col">{lang.pick("อำเภอ", "District")}</th>
                    <th scope="col" class="num">{lang.pick("ชิ้น", "Units")}</th>
                    <th scope="col" class="num">{lang.pick("มูลค่า", "Value")}</th>
                </tr></thead>
                <tbody>
                    {r.hospitals.iter().map(|h| view! {
                        <tr>
                            <td><a href=format!("/hospitals/{}", h.facility_code)>{h.name.get(lang).to_owned()}</a></td>
                            <td>{h.district.get(lang).to_owned()}</td>
                            <td class="num">{h.units}</td>
                            <td class="num">{h.value.to_string()}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
                <tfoot><tr>
                    <th scope="row" colspan="2">{lang.pick("รวม", "Total")}</th>
                    <td class="num">{units}</td>
                    <td class="num">{value.to_string()}</td>
                </tr></tfoot>
            </table></div>
        </section>
    }
}

#[component]
fn DiscrepancySection(r: CampaignReport, open_forms: bool, finance: bool) -> impl IntoView {
    let lang = use_lang();
    let id = r.campaign;
    let open = r.open_discrepancies();
    let more = r.more_discrepancies;
    view! {
        <section class="report-part discrepancies">
            <h2>{lang.pick("รายการผิดปกติ", "Discrepancies")}</h2>
            {if r.discrepancies.is_empty() {
                view! { <p class="notice ok clean">{lang.pick("ไม่มีรายการผิดปกติ", "None: the report is clean.")}</p> }.into_any()
            } else {
                view! {
                    <p class="small">
                        {match lang {
                            Lang::Th => format!("ทั้งหมด {} รายการ · ยังไม่ได้ชี้แจง {open} รายการ", r.discrepancies.len() as i64 + more),
                            Lang::En => format!("{} in all · {open} not acknowledged", r.discrepancies.len() as i64 + more),
                        }}
                    </p>
                    <ol class="discrepancy-list">
                        {r.discrepancies.iter().enumerate().map(|(i, d)| view! {
                            <DiscrepancyItem d=d.clone() n=i campaign=id open_forms finance />
                        }).collect_view()}
                    </ol>
                    {(more > 0).then(|| view! {
                        <p class="small">{match lang {
                            Lang::Th => format!("และอีก {more} รายการที่ไม่ได้แสดง ดูได้ที่หน้ากระทบยอดธนาคาร"),
                            Lang::En => format!("and {more} more not shown here; see the bank reconciliation page."),
                        }}</p>
                    })}
                }.into_any()
            }}
        </section>
    }
}

#[component]
fn DiscrepancyItem(
    d: Discrepancy,
    n: usize,
    campaign: CampaignId,
    open_forms: bool,
    finance: bool,
) -> impl IntoView {
    let lang = use_lang();
    let field = format!("ack-{n}");
    let link = d.problem.link(campaign);
    let anchor = d.anchor();
    let just_done =
        finance && use_query_map().read_untracked().get("ack").as_deref() == Some(anchor.as_str());
    view! {
        <li class="discrepancy" id=anchor class:acknowledged=d.acknowledged.is_some() data-key=d.key.clone()>
            {just_done.then(|| view! {
                <p class="notice ok no-print" role="status">{lang.pick("บันทึกคำชี้แจงแล้ว", "The acknowledgement is recorded.")}</p>
            })}
            <p>
                <strong>{d.problem.kind_label(lang)}</strong>
                " · "{d.problem.detail(lang)}
                {finance.then(|| view! { " · "<a class="no-print" href=link>{lang.pick("ดูรายการ", "Open")}</a> })}
            </p>
            {match d.acknowledged.clone() {
                Some(a) => view! {
                    <p class="ack">
                        {lang.pick("ชี้แจงแล้ว: ", "Acknowledged: ")}
                        {if a.reason.is_empty() {
                            lang.pick("(ไม่เผยแพร่เหตุผล)", "(the reason is not published)").to_owned()
                        } else {
                            a.reason.clone()
                        }}
                        {(finance && a.publishable).then(|| lang.pick(" · เผยแพร่เหตุผลได้", " · may be published"))}
                        <span class="small">{format!(" · {}{}", if a.by.is_empty() { String::new() } else { format!("{} · ", a.by) }, stored_instant(&a.at, lang))}</span>
                    </p>
                }.into_any(),
                None if open_forms => view! {
                    <form method="post" action=format!("/finance/campaigns/{campaign}/report/acknowledge") class="ack-form no-print">
                        <input type="hidden" name="key" value=d.key.clone() />
                        <label for=field.clone()>{lang.pick("เหตุผลที่ยอมรับรายการนี้", "Why this is accepted")}</label>
                        <textarea id=field name="reason" required minlength="5" maxlength="2000" rows="2"></textarea>
                        <label class="check">
                            <input type="checkbox" name="publish" value="yes" />
                            {lang.pick(
                                " เผยแพร่เหตุผลนี้ในรายงานสาธารณะได้ (อย่าใส่ชื่อหรือข้อมูลส่วนบุคคล)",
                                " This reason may appear on the public report (name no one)",
                            )}
                        </label>
                        <button type="submit">{lang.pick("บันทึกคำชี้แจง", "Acknowledge")}</button>
                    </form>
                }.into_any(),
                None => view! { <p class="small">{lang.pick("ยังไม่ได้ชี้แจง", "Not acknowledged")}</p> }.into_any(),
            }}
        </li>
    }
}

#[component]
fn SettleForm(
    r: CampaignReport,
    targets: Vec<(CampaignId, crate::model::Localized)>,
) -> impl IntoView {
    let lang = use_lang();
    let id = r.campaign;
    let balance = r.balance();
    let ready = r.settleable() && r.held == Money::ZERO;
    let blockers = r.blockers.clone();
    let still_open = blockers.contains(&crate::model::settlement::Blocker::StillOpen);
    view! {
        <section class="wrap report-part settle no-print">
            <h2>{lang.pick("ปิดบัญชี", "Settle the campaign")}</h2>
            <p>{lang.pick(
                "เมื่อปิดบัญชีแล้ว กองผ้าป่านี้จะแก้ไขไม่ได้อีก และรายงานนี้ (ไม่มีข้อมูลส่วนบุคคล) จะแสดงต่อสาธารณะพร้อมวันที่และชื่อผู้ปิดบัญชี",
                "Once settled, the campaign is read-only, and this report (without personal data) is public with the date and who settled it.",
            )}</p>
            {if ready {
                view! {
                    <form method="post" action=format!("/finance/campaigns/{id}/settle") class="stack card settle-form">
                        <label for="carry-to">{lang.pick("ยกยอดคงเหลือ ", "Carry the balance of ")}{balance.to_string()}{lang.pick(" ไปยัง", " to")}</label>
                        <select id="carry-to" name="carry_to">
                            <option value="">{lang.pick("ไม่ยกยอด (คงไว้ในกองนี้)", "Nowhere (it stays in this campaign)")}</option>
                            {targets.into_iter().map(|(cid, t)| view! {
                                <option value=cid.get()>{t.get(lang).to_owned()}</option>
                            }).collect_view()}
                        </select>
                        <label class="check">
                            <input type="checkbox" name="confirm" value="yes" required />
                            {lang.pick(" ข้าพเจ้าตรวจรายงานนี้แล้ว และขอปิดบัญชี", " I have checked this report and settle the campaign")}
                        </label>
                        <button type="submit" class="primary">{lang.pick("ปิดบัญชี", "Settle")}</button>
                    </form>
                }.into_any()
            } else {
                view! {
                    <p class="notice error not-ready">{lang.pick(
                        "ยังปิดบัญชีไม่ได้: ยอดต้องตรงกับสมุดบัญชี ทุกรายการผิดปกติต้องได้รับการชี้แจง และต้องไม่มีการจัดซื้อที่รออนุมัติ",
                        "Not yet: the report must agree with the journal, every discrepancy must be acknowledged, and no purchase may await approval.",
                    )}</p>
                    {(!blockers.is_empty()).then(|| view! {
                        <p>{lang.pick("ต้องทำให้เสร็จก่อน:", "To finish first:")}</p>
                        <ul class="blockers">
                            {blockers.iter().map(|b| view! {
                                <li><a href=b.link(id)>{b.describe(lang)}</a></li>
                            }).collect_view()}
                        </ul>
                    })}
                    {still_open.then(|| view! {
                        <form id="close" method="post" action="/api/admin/campaigns/status" class="inline-form close-campaign">
                            <input type="hidden" name="id" value=id.get() />
                            <input type="hidden" name="status" value="closed" />
                            <button type="submit">{lang.pick("ปิดรับบริจาค", "Close to gifts")}</button>
                        </form>
                    })}
                }.into_any()
            }}
        </section>
    }
}
