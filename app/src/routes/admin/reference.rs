//! `/admin/hospitals`, `/admin/catalog`, `/admin/partners`: administrators keep the reference
//! data that campaigns and requests point at.

use crate::api::admin::{
    list_catalog, list_partners, new_form_key, ImportHospitalsCsv, SaveHospital, SaveItem,
    SavePartner,
};
use crate::api::hospitals::list_hospitals;
use crate::components::form_answer::stored_count;
use crate::components::guard::{FormErrors, Refused};
use crate::components::island::island_ready;
use crate::i18n::use_lang;
use crate::model::account::Action;
use crate::model::status::{HospitalKind, PartnerKind};
use leptos::prelude::*;
use leptos_meta::Title;

/// Shows "saved" or the errors of the last submission of a form.
#[component]
pub fn Outcome<T: Clone + Send + Sync + 'static>(
    result: Signal<Option<Result<T, crate::error::AppError>>>,
) -> impl IntoView {
    let lang = use_lang();
    move || {
        result.get().map(|r| match r {
            Ok(_) => {
                view! { <p class="notice ok" role="status">{lang.pick("บันทึกแล้ว", "Saved.")}</p> }
                    .into_any()
            }
            Err(error) => view! { <FormErrors error /> }.into_any(),
        })
    }
}

/// The hidden idempotency key of a create form (`input[idempotency_key]`), so a double submit
/// creates one thing. Give it a resource that fetches a new key after each submission; the
/// transition keeps the old key in the form while the next one loads.
#[component]
pub fn FormKey(key: Resource<Result<String, crate::error::AppError>>) -> impl IntoView {
    view! {
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                key.await.ok().map(|k| view! { <input type="hidden" name="input[idempotency_key]" value=k /> })
            })}
        </Transition>
    }
}

/// Hospitals: add or edit one, or import a CSV list.
#[island(lazy)]
pub fn AdminHospitalsPage() -> impl IntoView {
    island_ready();
    let lang = use_lang();
    let save = ServerAction::<SaveHospital>::new();
    let import = ServerAction::<ImportHospitalsCsv>::new();
    let stored = stored_count(save);
    let key = Resource::new(move || stored.get(), |_| new_form_key());
    let hospitals = Resource::new(
        move || (save.version().get(), import.version().get()),
        |_| list_hospitals(),
    );
    let me = Resource::new(|| (), |_| crate::api::accounts::current_account());
    view! {
        <Title text=lang.pick("จัดการโรงพยาบาล · Phapa", "Hospitals · Phapa") />
        <AdminOnly me action=Action::ManageHospitals>
            <section class="wrap">
                <h1>{lang.pick("จัดการโรงพยาบาล", "Manage hospitals")}</h1>
                <h2>{lang.pick("เพิ่มหรือแก้ไข", "Add or edit")}</h2>
                <Outcome result=save.value().into() />
                <ActionForm action=save attr:class="stack card">
                    <FormKey key />
                    <label for="h-code">{lang.pick("รหัสหน่วยบริการ (5 หลัก)", "Facility code (5 digits)")}</label>
                    <input id="h-code" name="input[facility_code]" inputmode="numeric" maxlength="5" required />
                    <label for="h-name-th">{lang.pick("ชื่อ (ไทย)", "Name (Thai)")}</label>
                    <input id="h-name-th" name="input[name_th]" required />
                    <label for="h-name-en">{lang.pick("ชื่อ (อังกฤษ)", "Name (English)")}</label>
                    <input id="h-name-en" name="input[name_en]" />
                    <label for="h-sub">{lang.pick("รหัสตำบล (6 หลัก)", "Sub-district code (6 digits)")}</label>
                    <input id="h-sub" name="input[subdistrict_code]" inputmode="numeric" maxlength="6" required />
                    <label for="h-kind">{lang.pick("ประเภท", "Kind")}</label>
                    <select id="h-kind" name="input[kind]">
                        {HospitalKind::ALL.iter().map(|k| view! { <option value=k.code()>{k.label(lang)}</option> }).collect_view()}
                    </select>
                    <label class="check"><input type="checkbox" name="update" value="true" />{lang.pick(" แก้ไขหน่วยบริการที่มีรหัสนี้อยู่แล้ว", " Edit the hospital that already has this code")}</label>
                    <button type="submit" class="primary">{lang.pick("บันทึก", "Save")}</button>
                </ActionForm>
                <h2>{lang.pick("นำเข้าจากไฟล์ CSV", "Import a CSV list")}</h2>
                <p class="hint">"facility_code,name_th,name_en,subdistrict_code,type"</p>
                {move || import.value().get().map(|r| match r {
                    Ok((added, updated)) => view! {
                        <p class="notice ok" role="status">{format!("{} {added} · {} {updated}", lang.pick("เพิ่ม", "Added"), lang.pick("แก้ไข", "updated"))}</p>
                    }.into_any(),
                    Err(error) => view! { <FormErrors error /> }.into_any(),
                })}
                <ActionForm action=import attr:class="stack card">
                    <label for="h-csv">{lang.pick("วางเนื้อหาไฟล์ CSV", "Paste the CSV")}</label>
                    <textarea id="h-csv" name="csv" rows="6" required></textarea>
                    <button type="submit" class="primary">{lang.pick("นำเข้า", "Import")}</button>
                </ActionForm>
                <h2>{lang.pick("โรงพยาบาลในระบบ", "Hospitals in Phapa")}</h2>
                <Suspense fallback=|| ()>
                    {move || Suspend::new(async move {
                        hospitals.await.map(|groups| view! {
                            <ul class="hospital-list">
                                {groups.into_iter().flat_map(|g| g.hospitals).map(|h| view! {
                                    <li>{format!("{} · {} · {}", h.facility_code, h.name.get(lang), h.district.get(lang))}</li>
                                }).collect_view()}
                            </ul>
                        })
                    })}
                </Suspense>
            </section>
        </AdminOnly>
    }
}

/// Renders the children only for callers allowed `action`; others get the refusal (and its status).
#[component]
pub fn AdminOnly(
    me: Resource<Result<Option<crate::model::account::CurrentUser>, crate::error::AppError>>,
    /// The permission the page needs.
    action: Action,
    children: ChildrenFn,
) -> impl IntoView {
    use crate::error::AppError;
    use crate::model::account::{authorize, Denied};
    let children = StoredValue::new(children);
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                let user = me.await.ok().flatten();
                match authorize(user.as_ref(), action) {
                    Ok(()) => children.read_value()().into_any(),
                    Err(denied) => {
                        let error = if denied == Denied::SignInRequired { AppError::Unauthorized } else { AppError::Forbidden };
                        #[cfg(feature = "ssr")]
                        if let Some(r) = use_context::<leptos_axum::ResponseOptions>() {
                            r.set_status(http::StatusCode::from_u16(error.status()).unwrap_or(http::StatusCode::FORBIDDEN));
                        }
                        view! { <Refused error /> }.into_any()
                    }
                }
            })}
        </Suspense>
    }
}

/// The equipment catalog: add items, change names, units and reference prices.
#[island(lazy)]
pub fn AdminCatalogPage() -> impl IntoView {
    island_ready();
    let lang = use_lang();
    let save = ServerAction::<SaveItem>::new();
    let items = Resource::new(move || save.version().get(), |_| list_catalog());
    let stored = stored_count(save);
    let key = Resource::new(move || stored.get(), |_| new_form_key());
    let me = Resource::new(|| (), |_| crate::api::accounts::current_account());
    view! {
        <Title text=lang.pick("รายการครุภัณฑ์ · Phapa", "Equipment catalog · Phapa") />
        <AdminOnly me action=Action::ManageCatalog>
            <section class="wrap">
                <h1>{lang.pick("รายการครุภัณฑ์การแพทย์", "Equipment catalog")}</h1>
                <Outcome result=save.value().into() />
                <Suspense fallback=|| ()>
                    {move || Suspend::new(async move {
                        items.await.map(|list| view! {
                            <div class="table-scroll">
                                <table class="data">
                                    <thead><tr>
                                        <th>{lang.pick("รหัส", "Code")}</th>
                                        <th>{lang.pick("ชื่อ", "Name")}</th>
                                        <th>{lang.pick("ราคาอ้างอิง", "Reference price")}</th>
                                        <th>{lang.pick("แก้ไข", "Edit")}</th>
                                    </tr></thead>
                                    <tbody>
                                        {list.into_iter().map(|i| view! {
                                            <tr>
                                                <td>{i.code.clone()}</td>
                                                <td>{format!("{} / {}", i.name.get(lang), i.unit.get(lang))}</td>
                                                <td>{i.reference_price.to_string()}</td>
                                                <td><ItemEditor item=i save /></td>
                                            </tr>
                                        }).collect_view()}
                                    </tbody>
                                </table>
                            </div>
                        })
                    })}
                </Suspense>
                <h2>{lang.pick("เพิ่มรายการ", "Add an item")}</h2>
                <ActionForm action=save attr:class="stack card">
                    <FormKey key />
                    <label for="i-code">{lang.pick("รหัส (a–z 0–9 _)", "Code (a–z 0–9 _)")}</label>
                    <input id="i-code" name="input[code]" required />
                    <label for="i-name-th">{lang.pick("ชื่อ (ไทย)", "Name (Thai)")}</label>
                    <input id="i-name-th" name="input[name_th]" required />
                    <label for="i-name-en">{lang.pick("ชื่อ (อังกฤษ)", "Name (English)")}</label>
                    <input id="i-name-en" name="input[name_en]" required />
                    <label for="i-unit-th">{lang.pick("หน่วยนับ (ไทย)", "Unit (Thai)")}</label>
                    <input id="i-unit-th" name="input[unit_th]" required />
                    <label for="i-unit-en">{lang.pick("หน่วยนับ (อังกฤษ)", "Unit (English)")}</label>
                    <input id="i-unit-en" name="input[unit_en]" required />
                    <label for="i-price">{lang.pick("ราคาอ้างอิงต่อหน่วย (บาท)", "Reference price per unit (baht)")}</label>
                    <input id="i-price" name="input[reference_price]" inputmode="decimal" required />
                    <button type="submit" class="primary">{lang.pick("บันทึก", "Save")}</button>
                </ActionForm>
            </section>
        </AdminOnly>
    }
}

/// Partners (ภาคีเครือข่าย).
#[island(lazy)]
pub fn AdminPartnersPage() -> impl IntoView {
    island_ready();
    let lang = use_lang();
    let save = ServerAction::<SavePartner>::new();
    let partners = Resource::new(move || save.version().get(), |_| list_partners());
    let stored = stored_count(save);
    let key = Resource::new(move || stored.get(), |_| new_form_key());
    let me = Resource::new(|| (), |_| crate::api::accounts::current_account());
    view! {
        <Title text=lang.pick("ภาคีเครือข่าย · Phapa", "Partners · Phapa") />
        <AdminOnly me action=Action::ManagePartners>
            <section class="wrap">
                <h1>{lang.pick("ภาคีเครือข่าย", "Partners")}</h1>
                <Outcome result=save.value().into() />
                <Suspense fallback=|| ()>
                    {move || Suspend::new(async move {
                        partners.await.map(|list| view! {
                            <ul>
                                {list.into_iter().map(|p| view! {
                                    <li>{format!("{} · {}", p.name.get(lang), p.kind.label(lang))} <PartnerEditor partner=p save /></li>
                                }).collect_view()}
                            </ul>
                        })
                    })}
                </Suspense>
                <h2>{lang.pick("เพิ่มภาคี", "Add a partner")}</h2>
                <ActionForm action=save attr:class="stack card">
                    <FormKey key />
                    <label for="p-name-th">{lang.pick("ชื่อ (ไทย)", "Name (Thai)")}</label>
                    <input id="p-name-th" name="input[name_th]" required />
                    <label for="p-name-en">{lang.pick("ชื่อ (อังกฤษ)", "Name (English)")}</label>
                    <input id="p-name-en" name="input[name_en]" />
                    <label for="p-kind">{lang.pick("ประเภท", "Kind")}</label>
                    <select id="p-kind" name="input[kind]">
                        {PartnerKind::ALL.iter().map(|k| view! { <option value=k.code()>{k.label(lang)}</option> }).collect_view()}
                    </select>
                    <button type="submit" class="primary">{lang.pick("บันทึก", "Save")}</button>
                </ActionForm>
            </section>
        </AdminOnly>
    }
}

/// An item's edit form, folded away until opened.
#[component]
fn ItemEditor(
    item: crate::model::admin::CatalogItem,
    save: ServerAction<SaveItem>,
) -> impl IntoView {
    let lang = use_lang();
    let id = item.id.0;
    let price = item.reference_price.to_decimal().to_string();
    view! {
        <details>
            <summary>{lang.pick("แก้ไข", "Edit")}<span class="visually-hidden">{format!(" {}", item.code)}</span></summary>
            <ActionForm action=save attr:class="stack">
                <input type="hidden" name="id" value=id />
                <input type="hidden" name="input[code]" value=item.code.clone() />
                <label for=format!("e-th-{id}")>{lang.pick("ชื่อ (ไทย)", "Name (Thai)")}</label>
                <input id=format!("e-th-{id}") name="input[name_th]" value=item.name.th.clone() required />
                <label for=format!("e-en-{id}")>{lang.pick("ชื่อ (อังกฤษ)", "Name (English)")}</label>
                <input id=format!("e-en-{id}") name="input[name_en]" value=item.name.en.clone().unwrap_or_default() required />
                <label for=format!("e-uth-{id}")>{lang.pick("หน่วยนับ (ไทย)", "Unit (Thai)")}</label>
                <input id=format!("e-uth-{id}") name="input[unit_th]" value=item.unit.th.clone() required />
                <label for=format!("e-uen-{id}")>{lang.pick("หน่วยนับ (อังกฤษ)", "Unit (English)")}</label>
                <input id=format!("e-uen-{id}") name="input[unit_en]" value=item.unit.en.clone().unwrap_or_default() required />
                <label for=format!("e-price-{id}")>{lang.pick("ราคาอ้างอิงต่อหน่วย (บาท)", "Reference price per unit (baht)")}</label>
                <input id=format!("e-price-{id}") name="input[reference_price]" value=price inputmode="decimal" required />
                <button type="submit">{lang.pick("บันทึก", "Save")}</button>
            </ActionForm>
        </details>
    }
}

/// A partner's edit form, folded away until opened.
#[component]
fn PartnerEditor(
    partner: crate::model::admin::Partner,
    save: ServerAction<SavePartner>,
) -> impl IntoView {
    let lang = use_lang();
    let id = partner.id.0;
    let current = partner.kind;
    view! {
        <details>
            <summary>{lang.pick("แก้ไข", "Edit")}</summary>
            <ActionForm action=save attr:class="stack">
                <input type="hidden" name="id" value=id />
                <label for=format!("pe-th-{id}")>{lang.pick("ชื่อ (ไทย)", "Name (Thai)")}</label>
                <input id=format!("pe-th-{id}") name="input[name_th]" value=partner.name.th.clone() required />
                <label for=format!("pe-en-{id}")>{lang.pick("ชื่อ (อังกฤษ)", "Name (English)")}</label>
                <input id=format!("pe-en-{id}") name="input[name_en]" value=partner.name.en.clone().unwrap_or_default() />
                <label for=format!("pe-kind-{id}")>{lang.pick("ประเภท", "Kind")}</label>
                <select id=format!("pe-kind-{id}") name="input[kind]">
                    {PartnerKind::ALL.iter().map(|k| view! { <option value=k.code() selected={ *k == current }>{k.label(lang)}</option> }).collect_view()}
                </select>
                <button type="submit">{lang.pick("บันทึก", "Save")}</button>
            </ActionForm>
        </details>
    }
}
