//! `/admin/audit`: the audit log, newest first, filtered by actor, action or record type.

use crate::api::audit::audit_log;
use crate::components::guard::Refused;
use crate::i18n::use_lang;
use crate::model::audit::{AuditEntry, AuditFilter};
use crate::model::thai_date::format_instant;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

/// The audit log page. The filter is a GET form, so filtered views can be linked and bookmarked.
#[component]
pub fn AuditPage() -> impl IntoView {
    let lang = use_lang();
    let query = use_query_map();
    let filter = move || {
        let q = query.read();
        AuditFilter {
            actor: q.get("actor"),
            action: q.get("action"),
            record_type: q.get("record_type"),
            before_seq: q.get("before").and_then(|b| b.parse().ok()),
            limit: 50,
        }
    };
    let entries = Resource::new(filter, audit_log);
    let value = move |key: &str| query.read_untracked().get(key).unwrap_or_default();
    view! {
        <Title text=lang.pick("บันทึกการตรวจสอบ · Phapa", "Audit log · Phapa") />
        <section class="wrap">
            <h1>{lang.pick("บันทึกการตรวจสอบ", "Audit log")}</h1>
            <form class="filter filter-grid" method="get" action="/admin/audit">
                <label>{lang.pick("ผู้กระทำ", "Actor")}<input name="actor" value=value("actor") /></label>
                <label>{lang.pick("การกระทำ", "Action")}<input name="action" value=value("action") /></label>
                <label>{lang.pick("ประเภทรายการ", "Record type")}<input name="record_type" value=value("record_type") /></label>
                <button type="submit">{lang.pick("กรอง", "Filter")}</button>
            </form>
            <Suspense fallback=|| view! { <p class="loading">"…"</p> }>
                {move || Suspend::new(async move {
                    match entries.await {
                        Err(error) => view! { <Refused error /> }.into_any(),
                        Ok(list) => view! { <AuditTable list /> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn AuditTable(list: Vec<AuditEntry>) -> impl IntoView {
    let lang = use_lang();
    if list.is_empty() {
        return view! { <p class="empty">{lang.pick("ไม่มีรายการ", "No entries.")}</p> }.into_any();
    }
    let oldest = list.last().map(|e| e.seq);
    view! {
        <div class="table-scroll">
            <table class="data audit">
                <thead>
                    <tr>
                        <th>"#"</th>
                        <th>{lang.pick("เวลา", "When")}</th>
                        <th>{lang.pick("ผู้กระทำ", "Actor")}</th>
                        <th>{lang.pick("การกระทำ", "Action")}</th>
                        <th>{lang.pick("รายการ", "Record")}</th>
                        <th>{lang.pick("รายละเอียด", "Detail")}</th>
                    </tr>
                </thead>
                <tbody>
                    {list.into_iter().map(|e| view! {
                        <tr>
                            <td>{e.seq}</td>
                            <td>{format_instant(e.occurred_at, lang)}</td>
                            <td>{e.actor.clone()}</td>
                            <td>{e.action.clone()}</td>
                            <td>{format!("{} {}", e.record_type, e.record_id.clone().unwrap_or_default())}</td>
                            <td>{e.detail.clone()}<span class="hash small" title=e.hash.clone()>{format!(" {}…", &e.hash[..10])}</span></td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
        {oldest.filter(|&s| s > 1).map(|s| view! {
            <p><a href=format!("/admin/audit?before={s}")>{lang.pick("รายการก่อนหน้า", "Older entries")}</a></p>
        })}
    }
    .into_any()
}
