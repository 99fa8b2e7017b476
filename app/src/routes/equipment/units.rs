//! Tables of units with their condition and write-off forms, shared by the stock desk and a
//! hospital's own units (which its staff accept or reject as they arrive).

use super::UnitBadge;
use crate::api::equipment::{hospital_units, ConfirmUnit, SetUnitCondition, WriteOffUnit};
use crate::components::form_answer::AnswerDock;
use crate::components::guard::{FormErrors, Refused};
use crate::components::island::announce;
use crate::i18n::use_lang;
use crate::model::equipment::UnitView;
use crate::model::status::{UnitCondition, UnitStatus};
use crate::model::thai_date::stored_date;
use crate::model::HospitalId;
use leptos::prelude::*;

/// Units with their status, place and condition, and a form to change the condition.
#[component]
pub(super) fn UnitTable(
    units: Vec<UnitView>,
    condition: ServerAction<SetUnitCondition>,
    /// Hospital staff report only on units their hospital holds; finance on any.
    #[prop(optional)]
    held_only: bool,
    /// Finance officers write off units in stock or received by a hospital.
    #[prop(optional, into)]
    write_off: Option<ServerAction<WriteOffUnit>>,
) -> impl IntoView {
    let lang = use_lang();
    if units.is_empty() {
        return view! { <p class="empty">{lang.pick("ยังไม่มีครุภัณฑ์", "No units yet.")}</p> }
            .into_any();
    }
    view! {
        <div class="table-scroll">
            <table class="units">
                <thead><tr>
                    <th>{lang.pick("รหัส", "Tag")}</th>
                    <th>{lang.pick("ครุภัณฑ์", "Item")}</th>
                    <th>{lang.pick("สถานะ", "Status")}</th>
                    <th>{lang.pick("อยู่ที่", "At")}</th>
                    <th>{lang.pick("สภาพ", "Condition")}</th>
                </tr></thead>
                <tbody>
                    {units.into_iter().map(|u| {
                        let live = !matches!(u.status, UnitStatus::Voided | UnitStatus::WrittenOff)
                            && (!held_only || u.status == UnitStatus::Received);
                        let tag = u.tag.clone();
                        let retire = write_off
                            .filter(|_| matches!(u.status, UnitStatus::InStock | UnitStatus::Received))
                            .map(|action| view! { <WriteOffForm tag=u.tag.clone() action /> });
                        view! {
                            <tr data-tag=u.tag.clone()>
                                <td><a href=format!("/units/{}", u.tag)>{u.tag.clone()}</a></td>
                                <td>{u.item.get(lang).to_owned()}</td>
                                <td><UnitBadge status=u.status /></td>
                                <td>{u.hospital.as_ref().map(|h| h.get(lang).to_owned())}</td>
                                <td>
                                    {u.condition.label(lang)}
                                    {u.condition_note.clone().map(|n| view! { <br /><span class="small">{n}</span> })}
                                    {live.then(|| view! { <ConditionForm tag condition /> })}
                                    {retire}
                                </td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}

#[component]
fn ConditionForm(tag: String, condition: ServerAction<SetUnitCondition>) -> impl IntoView {
    let lang = use_lang();
    view! {
        <details class="condition">
            <summary>{lang.pick("แจ้งสภาพ", "Report condition")}</summary>
            <ActionForm action=condition attr:class="stack">
                <input type="hidden" name="input[tag]" value=tag.clone() />
                <label for=format!("cond-{tag}")>{lang.pick("สภาพ", "Condition")}</label>
                <select id=format!("cond-{tag}") name="input[condition]">
                    {UnitCondition::ALL.iter().map(|c| view! { <option value=c.code()>{c.label(lang)}</option> }).collect_view()}
                </select>
                <label for=format!("cond-note-{tag}")>{lang.pick("เหตุผล (ถ้าใช้งานไม่ได้)", "Reason (when not working)")}</label>
                <input id=format!("cond-note-{tag}") name="input[note]" type="text" maxlength="2000" />
                <button type="submit">{lang.pick("บันทึก", "Save")}</button>
            </ActionForm>
        </details>
    }
}

/// Takes a unit out of service for good, with a reason kept in its staff history.
#[component]
fn WriteOffForm(tag: String, action: ServerAction<WriteOffUnit>) -> impl IntoView {
    let lang = use_lang();
    view! {
        <details class="write-off">
            <summary>{lang.pick("ตัดจำหน่าย", "Write off")}</summary>
            <ActionForm action attr:class="stack">
                <input type="hidden" name="input[tag]" value=tag.clone() />
                <p class="small">{lang.pick(
                    "ใช้เมื่อชำรุดจนซ่อมไม่ได้ สูญหาย หรือถูกขโมย ยกเลิกไม่ได้ หน้าสาธารณะของครุภัณฑ์จะแสดงว่าตัดจำหน่ายแล้ว ส่วนเหตุผลอยู่ในประวัติสำหรับเจ้าหน้าที่",
                    "For a unit broken beyond repair, lost or stolen. It cannot be undone. The unit's public page will say it was written off; the reason stays in the staff history.",
                )}</p>
                <label for=format!("wo-{tag}")>{lang.pick("เหตุผลที่ตัดจำหน่าย", "Reason for writing off")}</label>
                <input id=format!("wo-{tag}") name="input[reason]" type="text" maxlength="2000" required />
                <button type="submit" class="danger">{format!("{} {tag}", lang.pick("ตัดจำหน่าย", "Write off"))}</button>
            </ActionForm>
        </details>
    }
}

/// A hospital's units: those on their way, which its own staff accept or reject one by one, and
/// those it has received.
#[component]
pub fn HospitalUnits(hospital: HospitalId, may_confirm: bool) -> impl IntoView {
    let lang = use_lang();
    let confirm = ServerAction::<ConfirmUnit>::new();
    let condition = ServerAction::<SetUnitCondition>::new();
    let units = Resource::new(
        move || (confirm.version().get(), condition.version().get()),
        move |_| hospital_units(hospital),
    );
    // An accepted unit moves its request on: the requests island on this page reloads.
    Effect::new(move |_| {
        if matches!(confirm.value().get(), Some(Ok(_))) {
            announce("units");
        }
    });
    view! {
        <section class="hospital-units" aria-labelledby="units-heading">
            <h2 id="units-heading">{lang.pick("ครุภัณฑ์ของโรงพยาบาล", "This hospital's equipment")}</h2>
            <AnswerDock fresh=Signal::derive(move || confirm.version().get() + condition.version().get())>
            {move || confirm.value().get().map(|r| match r {
                Ok(true) => view! { <p class="notice ok" role="status">{lang.pick("บันทึกการรับแล้ว", "Accepted.")}</p> }.into_any(),
                Ok(false) => view! { <p class="notice ok" role="status">{lang.pick("บันทึกการไม่รับแล้ว ครุภัณฑ์กลับเข้าคลัง", "Rejected: the unit goes back to stock.")}</p> }.into_any(),
                Err(error) => view! { <FormErrors error /> }.into_any(),
            })}
            {move || condition.value().get().and_then(|r| r.err()).map(|error| view! { <FormErrors error /> })}
            </AnswerDock>
            <Transition fallback=|| view! { <p class="loading">"…"</p> }>
                {move || Suspend::new(async move {
                    let units = match units.await {
                        Ok(u) => u,
                        Err(error) => return view! { <Refused error /> }.into_any(),
                    };
                    let (coming, rest): (Vec<_>, Vec<_>) = units.into_iter().partition(|u| u.status == UnitStatus::Dispatched);
                    view! {
                        <h3>{lang.pick("กำลังจัดส่งมา", "On the way")}</h3>
                        {if coming.is_empty() {
                            view! { <p class="empty">{lang.pick("ไม่มีครุภัณฑ์ที่กำลังส่งมา", "Nothing is on its way.")}</p> }.into_any()
                        } else {
                            view! {
                                <ul class="coming">
                                    {coming.into_iter().map(|u| {
                                        let tag = u.tag.clone();
                                        view! {
                                            <li class="card" data-tag=u.tag.clone()>
                                                <p>
                                                    <strong>{format!("{} · {}", u.tag, u.item.get(lang))}</strong>
                                                    {u.dispatched_on.clone().map(|d| format!(" · {} {}", lang.pick("ส่งเมื่อ", "sent"), stored_date(&d, lang)))}
                                                    {u.carrier.clone().map(|c| format!(" · {c}"))}
                                                </p>
                                                {may_confirm.then(move || {
                                                    let (t1, t2, t3, t4) = (tag.clone(), tag.clone(), tag.clone(), tag.clone());
                                                    view! {
                                                    <div class="decide">
                                                        <ActionForm action=confirm attr:class="inline">
                                                            <input type="hidden" name="input[hospital_id]" value=hospital.get() />
                                                            <input type="hidden" name="input[tag]" value=t1 />
                                                            <input type="hidden" name="input[answer]" value="accept" />
                                                            <button type="submit" class="primary">{format!("{} {t2}", lang.pick("ได้รับแล้ว", "Accept"))}</button>
                                                        </ActionForm>
                                                        <ActionForm action=confirm attr:class="stack">
                                                            <input type="hidden" name="input[hospital_id]" value=hospital.get() />
                                                            <input type="hidden" name="input[tag]" value=t3 />
                                                            <input type="hidden" name="input[answer]" value="reject" />
                                                            <label for=format!("reject-{tag}")>{lang.pick("เหตุผลที่ไม่รับ", "Reason for rejecting")}</label>
                                                            <input id=format!("reject-{t4}") name="input[reason]" type="text" maxlength="2000" required />
                                                            <label for=format!("found-{tag}")>{lang.pick("สภาพที่ได้รับ", "Condition it arrived in")}</label>
                                                            <select id=format!("found-{tag}") name="input[condition]" required>
                                                                <option value="">"—"</option>
                                                                {UnitCondition::ALL.iter().map(|c| view! { <option value=c.code()>{c.label(lang)}</option> }).collect_view()}
                                                            </select>
                                                            <button type="submit">{format!("{} {tag}", lang.pick("ไม่รับ", "Reject"))}</button>
                                                        </ActionForm>
                                                    </div>
                                                    }
                                                })}
                                            </li>
                                        }
                                    }).collect_view()}
                                </ul>
                            }.into_any()
                        }}
                        <h3>{lang.pick("ได้รับแล้วและจัดสรรไว้", "Received and allocated")}</h3>
                        {if rest.is_empty() {
                            view! { <p class="empty">{lang.pick("ยังไม่มี", "None yet.")}</p> }.into_any()
                        } else if may_confirm {
                            view! { <UnitTable units=rest condition held_only=true /> }.into_any()
                        } else {
                            view! {
                                <ul>
                                    {rest.into_iter().map(|u| view! {
                                        <li><a href=format!("/units/{}", u.tag)>{u.tag.clone()}</a>{format!(" · {} · ", u.item.get(lang))}<UnitBadge status=u.status /></li>
                                    }).collect_view()}
                                </ul>
                            }.into_any()
                        }}
                    }.into_any()
                })}
            </Transition>
        </section>
    }
}
