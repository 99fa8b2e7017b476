//! A published campaign's receiving account changes by request: the administrator's request
//! form and history (on the campaign's admin page), and the finance officers' queue where a
//! request is approved or rejected with a reason (on `/finance`).

use crate::api::admin::{pending_payee_changes, DecidePayeeChange, RequestPayeeChange};
use crate::components::guard::FormErrors;
use crate::components::island::island_ready;
use crate::i18n::use_lang;
use crate::model::admin::{Payee, PayeeChange, PayeeChangeStatus};
use crate::model::thai_date::format_instant;
use crate::routes::admin::reference::Outcome;
use leptos::prelude::*;

/// The current and requested account side by side, field by field.
#[component]
fn PayeeTable(current: Payee, requested: Payee) -> impl IntoView {
    let lang = use_lang();
    let rows: Vec<_> = current
        .fields()
        .into_iter()
        .zip(requested.fields())
        .map(|((_, th, en, now), (_, _, _, asked))| {
            let changed = now != asked;
            view! {
                <tr class:changed=changed>
                    <th scope="row">{lang.pick(th, en)}</th>
                    <td>{now.unwrap_or("—").to_owned()}</td>
                    <td>{asked.unwrap_or("—").to_owned()}</td>
                </tr>
            }
        })
        .collect();
    view! {
        <div class="table-scroll"><table class="data">
            <thead><tr>
                <th>{lang.pick("ช่อง", "Field")}</th>
                <th>{lang.pick("ปัจจุบัน", "Now")}</th>
                <th>{lang.pick("ที่ขอ", "Requested")}</th>
            </tr></thead>
            <tbody>{rows}</tbody>
        </table></div>
    }
}

/// Who asked and when, and the decision if there is one.
#[component]
fn RequestFacts(change: PayeeChange) -> impl IntoView {
    let lang = use_lang();
    let decided = change.decided_by.clone().map(|by| {
        let at = change
            .decided_at
            .map(|at| format_instant(at, lang))
            .unwrap_or_default();
        let reason = change.decision_reason.clone().unwrap_or_default();
        format!("{} {by} · {at} {reason}", change.status.label(lang))
    });
    view! {
        <p class="small">
            {format!("{} {} · {}", lang.pick("ขอโดย", "Asked by"), change.requested_by, format_instant(change.requested_at, lang))}
            {change.note.clone().map(|n| format!(" · {n}"))}
        </p>
        {decided.map(|d| view! { <p class="small">{d}</p> })}
    }
}

/// The receiving-account section of a published campaign's admin page: its requests, and the
/// form to ask for a change when none is waiting (filled with the account as it is: a request
/// names the whole new account).
#[component]
pub fn PayeeRequests(
    campaign: i64,
    current: Payee,
    changes: Vec<PayeeChange>,
    request: ServerAction<RequestPayeeChange>,
) -> impl IntoView {
    let lang = use_lang();
    let waiting = changes
        .iter()
        .any(|c| c.status == PayeeChangeStatus::Pending);
    view! {
        <h2>{lang.pick("เปลี่ยนบัญชีรับเงิน", "Change the receiving account")}</h2>
        <p class="hint">{lang.pick(
            "กองผ้าป่าที่เผยแพร่แล้วเปลี่ยนบัญชีรับเงินได้เมื่อเจ้าหน้าที่การเงินอีกคนอนุมัติคำขอเท่านั้น",
            "A published campaign's receiving account changes only when another person, a finance officer, approves the request.",
        )}</p>
        <Outcome result=request.value().into() />
        <ul class="payee-changes">
            {changes.into_iter().map(|c| view! {
                <li class="card">
                    <p><strong>{c.status.label(lang)}</strong></p>
                    <PayeeTable current=c.current.clone() requested=c.requested.clone() />
                    <RequestFacts change=c />
                </li>
            }).collect_view()}
        </ul>
        {(!waiting).then(|| view! {
            <ActionForm action=request attr:class="stack card">
                <input type="hidden" name="id" value=campaign />
                {current.fields().into_iter().map(|(name, th, en, value)| {
                    let id = format!("pc-{name}");
                    view! {
                        <label for=id.clone()>{lang.pick(th, en)}</label>
                        <input id=id name=format!("input[{name}]") type="text" value=value.unwrap_or_default().to_owned() />
                    }
                }).collect_view()}
                <label for="pc-note">{lang.pick("เหตุผลที่เปลี่ยน", "Why it changes")}</label>
                <input id="pc-note" name="input[note]" type="text" maxlength="500" />
                <button type="submit">{lang.pick("ยื่นคำขอเปลี่ยนบัญชี", "Request the change")}</button>
            </ActionForm>
        })}
    }
}

/// The finance officers' queue of receiving-account changes, each with approve and reject.
/// Renders nothing for other callers and when the queue is empty.
#[island(lazy)]
pub fn PayeeApprovals() -> impl IntoView {
    island_ready();
    let lang = use_lang();
    let decide = ServerAction::<DecidePayeeChange>::new();
    let queue = Resource::new(move || decide.version().get(), |_| pending_payee_changes());
    view! {
        {move || decide.value().get().map(|r| match r {
            Ok(()) => view! { <p class="notice ok" role="status">{lang.pick("บันทึกการพิจารณาแล้ว", "Decision recorded.")}</p> }.into_any(),
            Err(error) => view! { <FormErrors error /> }.into_any(),
        })}
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                let queue = queue.await.unwrap_or_default();
                (!queue.is_empty()).then(|| view! {
                    <h2 id="payee-approvals">{lang.pick("คำขอเปลี่ยนบัญชีรับเงินที่รออนุมัติ", "Receiving-account changes waiting for approval")}</h2>
                    <ul class="payee-changes">
                        {queue.into_iter().map(|c| {
                            let id = c.id;
                            let reason_id = format!("reject-{id}");
                            view! {
                                <li class="card">
                                    <h3><a href=format!("/finance/campaigns/{}", c.campaign_id)>{c.campaign_title.get(lang).to_owned()}</a></h3>
                                    <PayeeTable current=c.current.clone() requested=c.requested.clone() />
                                    <RequestFacts change=c />
                                    <ActionForm action=decide attr:class="inline">
                                        <input type="hidden" name="request" value=id />
                                        <input type="hidden" name="approve" value="true" />
                                        <button type="submit" class="primary">{lang.pick("อนุมัติและใช้บัญชีใหม่", "Approve and apply")}</button>
                                    </ActionForm>
                                    <ActionForm action=decide attr:class="inline">
                                        <input type="hidden" name="request" value=id />
                                        <label for=reason_id.clone()>{lang.pick("เหตุผลที่ไม่อนุมัติ", "Reason for rejecting")}</label>
                                        <input id=reason_id name="reason" type="text" required maxlength="500" />
                                        <button type="submit">{lang.pick("ไม่อนุมัติ", "Reject")}</button>
                                    </ActionForm>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                })
            })}
        </Transition>
    }
}
