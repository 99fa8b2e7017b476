//! The statement upload form: the file, its column mapping, and the browser's upload with its
//! progress, answered by a preview or an import.

use super::preview::PreviewView;
use crate::components::guard::FormErrors;
use crate::error::AppError;
use crate::i18n::use_lang;
use crate::model::statement::mapping::COLUMN_LABELS;
use crate::model::statement::{Encoding, Era, ImportOutcome, Mapping, Preset, StatementPreview};
use crate::model::{CampaignId, Lang};
use leptos::prelude::*;

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
pub(super) fn StatementUpload(
    campaign: CampaignId,
    saved: Mapping,
    imports: RwSignal<u32>,
) -> impl IntoView {
    let lang = use_lang();
    // The custom columns live beside the K-BIZ preset: switching back and forth loses neither,
    // and an account with no saved columns starts from none, not from K-BIZ's numbers.
    let custom_columns = RwSignal::new(if saved.preset == Preset::Custom {
        saved.clone()
    } else {
        Mapping::blank()
    });
    let mapping = RwSignal::new(saved);
    let file = NodeRef::<leptos::html::Input>::new();
    let progress = RwSignal::new(None::<u32>);
    let answer = RwSignal::new(None::<Answer>);
    // Rows that repeat their neighbour are stored only when the officer says they are real.
    let keep_repeats = RwSignal::new(false);
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
            (mapping.get_untracked(), keep_repeats.get_untracked()),
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
                let to_custom = ev.target().value() == "custom";
                let now = mapping.get_untracked();
                let base = if to_custom {
                    custom_columns.get_untracked()
                } else {
                    if now.preset == Preset::Custom {
                        custom_columns.set(now.clone());
                    }
                    Mapping::kbiz()
                };
                mapping.set(Mapping { era: now.era, encoding: now.encoding, ..base });
            }>
                <option value="kbiz" selected=move || !custom()>{lang.pick("K-BIZ ธนาคารกสิกรไทย (CSV)", "KBank K-BIZ (CSV)")}</option>
                <option value="custom" selected=custom>{lang.pick("กำหนดคอลัมน์เอง (ธนาคารอื่น)", "My own columns (other banks)")}</option>
            </select>
            <div class="mapping" class:hidden=move || !custom()>
                <p class="hint">{lang.pick(
                    "ระบุเลขคอลัมน์ นับคอลัมน์แรกเป็น 1 เว้นว่างถ้าไม่มี ใช้คอลัมน์ถอนและฝาก หรือคอลัมน์จำนวนเงินคอลัมน์เดียว (บวก = เงินเข้า)",
                    "Give column numbers, counting the first as 1; leave empty if absent. Use withdrawal and deposit columns, or one signed amount column (positive = money in).",
                )}</p>
                {COLUMN_LABELS.iter().map(|(field, th, en)| view! { <ColumnInput field label=lang.pick(th, en) mapping /> }).collect_view()}
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
                    Lang::Th => format!("นำเข้าแล้ว {} รายการ: ใหม่ {} ซ้ำกับที่มีอยู่ {} จับคู่อัตโนมัติ {} ไม่นำเข้าแถวที่คัดลอกซ้ำ {} ({} มิลลิวินาที)", o.line_count, o.new_lines, o.known_lines, o.auto_matched, o.skipped_repeats, o.millis),
                    Lang::En => format!("Imported {} lines: {} new, {} already stored, {} matched automatically, {} repeated rows left out ({} ms).", o.line_count, o.new_lines, o.known_lines, o.auto_matched, o.skipped_repeats, o.millis),
                }}</p>
            }.into_any(),
            Answer::Preview(p) => {
                let repeated = p.repeated.clone();
                view! {
                    {(!repeated.is_empty()).then(|| view! {
                        <div class="notice repeated-rows" role="status">
                            <p>{match lang {
                                Lang::Th => format!("แถวที่ {} ซ้ำกับแถวก่อนหน้า (วันเวลา ยอด และยอดคงเหลือเดียวกัน) ธนาคารไม่เคยพิมพ์ยอดคงเหลือซ้ำหลังเงินเข้า จึงน่าจะเป็นแถวที่คัดลอกซ้ำ จะไม่นำเข้า เว้นแต่ยืนยันว่าเป็นรายการจริง", join_rows(&repeated)),
                                Lang::En => format!("Row {} repeats the row before it (same date, time, amount and balance). A bank never repeats a balance after a deposit, so it is likely a copied row: it is left out unless you say it is real.", join_rows(&repeated)),
                            }}</p>
                            <label class="check">
                                <input type="checkbox" prop:checked=move || keep_repeats.get() on:change:target=move |ev| keep_repeats.set(ev.target().checked()) />
                                {lang.pick(" เป็นรายการจริง นำเข้าด้วย", " They are real: import them too")}
                            </label>
                        </div>
                    })}
                    <PreviewView p=*p />
                }.into_any()
            }
        })}
    }
}

/// Row numbers as a list: `4, 9, 12`.
fn join_rows(rows: &[usize]) -> String {
    rows.iter()
        .map(|r| r.to_string())
        .collect::<Vec<_>>()
        .join(", ")
}

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
            "date" => m.date = column,
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

/// Sends the chosen file to `/finance/campaigns/{id}/statements/{kind}` with the mapping,
/// reporting the upload's progress in percent, then the answer.
#[cfg(feature = "hydrate")]
fn upload(
    campaign: CampaignId,
    kind: &'static str,
    file: NodeRef<leptos::html::Input>,
    (mapping, keep_repeats): (Mapping, bool),
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
        "/finance/campaigns/{campaign}/statements/{kind}?name={}&mapping={}{}",
        encode_uri_component(&chosen.name()),
        encode_uri_component(&mapping),
        if keep_repeats { "&repeats=keep" } else { "" },
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
    _mapping: (Mapping, bool),
    _progress: RwSignal<Option<u32>>,
    _done: impl Fn(Answer) + Clone + 'static,
) {
}
