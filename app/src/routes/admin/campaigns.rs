//! `/admin/campaigns` and `/admin/campaigns/{id}`: create a draft, edit it, set its wishlist,
//! partners and hospitals, open it to donations and close it.

use crate::api::admin::{
    admin_campaign, admin_campaigns, list_catalog, list_partners, new_form_key, CreateCampaign,
    RequestPayeeChange, SetCampaignHospital, SetCampaignPartner, SetCampaignStatus,
    SetWishlistQuantity, UpdateCampaign,
};
use crate::components::form_answer::stored_count;
use crate::components::guard::Refused;
use crate::components::island::island_ready;
use crate::components::notice::StatusBadge;
use crate::error::AppError;
use crate::i18n::use_lang;
use crate::model::admin::{CampaignAdmin, CampaignInput, CatalogItem, Partner, Payee};
use crate::model::status::CampaignStatus;
use crate::model::CampaignId;
use crate::routes::admin::payee::PayeeRequests;
use crate::routes::admin::reference::{FormKey, Outcome};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

/// The list of campaigns, drafts included, and the form for a new one.
#[island(lazy)]
pub fn AdminCampaignsPage() -> impl IntoView {
    island_ready();
    let lang = use_lang();
    let create = ServerAction::<CreateCampaign>::new();
    let list = Resource::new(move || create.version().get(), |_| admin_campaigns());
    let stored = stored_count(create);
    let key = Resource::new(move || stored.get(), |_| new_form_key());
    view! {
        <Title text=lang.pick("จัดการกองผ้าป่า · Phapa", "Campaigns · Phapa") />
        <Suspense fallback=|| view! { <p class="wrap loading">"…"</p> }>
            {move || Suspend::new(async move {
                match list.await {
                    Err(error) => view! { <Refused error /> }.into_any(),
                    Ok(list) => view! {
                        <section class="wrap">
                            <h1>{lang.pick("จัดการกองผ้าป่า", "Manage campaigns")}</h1>
                            <ul class="admin-campaigns">
                                {list.into_iter().map(|c| view! {
                                    <li>
                                        <StatusBadge status=c.status />
                                        " "
                                        <a href=format!("/admin/campaigns/{}", c.id)>{c.title.get(lang).to_owned()}</a>
                                        <span class="small">{format!(" · {} / {}", c.raised, c.goal)}</span>
                                    </li>
                                }).collect_view()}
                            </ul>
                            <h2>{lang.pick("สร้างกองผ้าป่าใหม่ (ฉบับร่าง)", "New campaign (draft)")}</h2>
                            {move || create.value().get().map(|r| match r {
                                Ok(id) => view! {
                                    <p class="notice ok" role="status">
                                        {lang.pick("สร้างแล้ว: ", "Created: ")}
                                        <a href=format!("/admin/campaigns/{id}")>{lang.pick("แก้ไขต่อ", "continue editing")}</a>
                                    </p>
                                }.into_any(),
                                Err(error) => view! { <crate::components::guard::FormErrors error /> }.into_any(),
                            })}
                            <ActionForm action=create attr:class="stack card">
                                <FormKey key />
                                <CampaignFields input=CampaignInput::default() payee_locked=false />
                                <button type="submit" class="primary">{lang.pick("สร้างฉบับร่าง", "Create draft")}</button>
                            </ActionForm>
                        </section>
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// The inputs of a campaign's fields, filled with `input`. A published campaign's receiving
/// account is shown read-only (it changes by request, below the form), and so is its Biller ID
/// (set while a draft only).
#[component]
fn CampaignFields(input: CampaignInput, payee_locked: bool) -> impl IntoView {
    let lang = use_lang();
    let payee = [
        "bank_name",
        "bank_account_no",
        "bank_account_name",
        "promptpay_id",
        "biller_id",
    ];
    let field = move |name: &'static str,
                      th: &'static str,
                      en: &'static str,
                      value: String,
                      kind: &'static str,
                      required: bool| {
        let id = format!("c-{name}");
        view! {
            <label for=id.clone()>{lang.pick(th, en)}</label>
            <input id=id name=format!("input[{name}]") type=kind value=value required=required
                readonly=payee_locked && payee.contains(&name) />
        }
    };
    view! {
        {field("title_th", "ชื่อกองผ้าป่า (ไทย)", "Title (Thai)", input.title_th, "text", true)}
        {field("title_en", "ชื่อกองผ้าป่า (อังกฤษ)", "Title (English)", input.title_en, "text", false)}
        <label for="c-story_th">{lang.pick("ที่มา (ไทย)", "Story (Thai)")}</label>
        <textarea id="c-story_th" name="input[story_th]" rows="4">{input.story_th}</textarea>
        <label for="c-story_en">{lang.pick("ที่มา (อังกฤษ)", "Story (English)")}</label>
        <textarea id="c-story_en" name="input[story_en]" rows="4">{input.story_en}</textarea>
        {field("goal", "เป้าหมาย (บาท)", "Goal (baht)", input.goal, "text", true)}
        {field("starts_on", "วันเริ่มรับบริจาค", "Giving starts", input.starts_on, "date", true)}
        {field("ends_on", "วันสิ้นสุด", "Giving ends", input.ends_on, "date", true)}
        {field("ceremony_on", "วันทอดผ้าป่า", "Ceremony date", input.ceremony_on, "date", false)}
        {field("ceremony_place_th", "สถานที่ทอดผ้าป่า (ไทย)", "Ceremony place (Thai)", input.ceremony_place_th, "text", false)}
        {field("ceremony_place_en", "สถานที่ทอดผ้าป่า (อังกฤษ)", "Ceremony place (English)", input.ceremony_place_en, "text", false)}
        {field("bank_name", "ธนาคาร", "Bank", input.bank_name, "text", false)}
        {field("bank_account_no", "เลขที่บัญชี", "Account number", input.bank_account_no, "text", false)}
        {field("bank_account_name", "ชื่อบัญชี", "Account name", input.bank_account_name, "text", false)}
        {field("promptpay_id", "พร้อมเพย์ (มือถือหรือเลข 13 หลัก)", "PromptPay (mobile or 13-digit ID)", input.promptpay_id, "text", false)}
        {field("biller_id", "Biller ID สำหรับคิวอาร์ชำระบิล (15 หลัก ไม่บังคับ)", "Biller ID for bill-payment QR codes (15 digits, optional)", input.biller_id, "text", false)}
        {field("recipient_name_th", "ผู้รับบริจาคตามกฎหมาย (ชื่อภาษาไทย)", "Legal recipient (Thai name)", input.recipient_name_th, "text", false)}
        {field("recipient_name_en", "ผู้รับบริจาคตามกฎหมาย (ชื่อภาษาอังกฤษ)", "Legal recipient (English name)", input.recipient_name_en, "text", false)}
        {field("recipient_tax_id", "เลขประจำตัวผู้เสียภาษีของผู้รับบริจาค", "Legal recipient's tax ID", input.recipient_tax_id, "text", false)}
        {field("recipient_address", "ที่อยู่ผู้รับบริจาค (พิมพ์บนใบเสร็จ)", "Legal recipient's address (printed on receipts)", input.recipient_address, "text", false)}
    }
}

/// One campaign's administration page.
#[component]
pub fn AdminCampaignPage() -> impl IntoView {
    let id = use_params_map()
        .read_untracked()
        .get("id")
        .and_then(|id| id.parse().ok());
    view! { <CampaignAdministration id /> }
}

/// The editor, with every form on it; reloads the campaign after each change.
#[island(lazy)]
fn CampaignAdministration(id: Option<CampaignId>) -> impl IntoView {
    island_ready();
    let update = ServerAction::<UpdateCampaign>::new();
    let status = ServerAction::<SetCampaignStatus>::new();
    let wishlist = ServerAction::<SetWishlistQuantity>::new();
    let hospital = ServerAction::<SetCampaignHospital>::new();
    let partner = ServerAction::<SetCampaignPartner>::new();
    let payee = ServerAction::<RequestPayeeChange>::new();
    let campaign = Resource::new(
        move || {
            (
                id,
                update.version().get(),
                status.version().get(),
                wishlist.version().get(),
                hospital.version().get(),
                partner.version().get(),
                payee.version().get(),
            )
        },
        |(id, ..)| async move {
            match id {
                Some(id) => admin_campaign(id).await,
                None => Err(crate::error::AppError::NotFound),
            }
        },
    );
    // Made in the island's body, so the server puts their data into the page for hydration.
    let lists = Lists {
        catalog: Resource::new(|| (), |_| list_catalog()),
        partners: Resource::new(|| (), |_| list_partners()),
    };
    let actions = Actions {
        update,
        status,
        wishlist,
        hospital,
        partner,
        payee,
    };
    view! {
        <Suspense fallback=|| view! { <p class="wrap loading">"…"</p> }>
            {move || Suspend::new(async move {
                match campaign.await {
                    Err(error) => view! { <Refused error /> }.into_any(),
                    Ok(c) => view! { <CampaignEditor c actions lists /> }.into_any(),
                }
            })}
        </Suspense>
        // Inside this island, not an island of its own: see `routes::staff::HospitalDesk`.
        {id.map(|campaign| view! { <crate::routes::equipment::PurchaseThreshold campaign /> })}
    }
}

/// The catalog and the partners, offered by the editor's wishlist and partner forms.
#[derive(Clone, Copy)]
struct Lists {
    catalog: Resource<Result<Vec<CatalogItem>, AppError>>,
    partners: Resource<Result<Vec<Partner>, AppError>>,
}

#[derive(Clone, Copy)]
struct Actions {
    update: ServerAction<UpdateCampaign>,
    status: ServerAction<SetCampaignStatus>,
    wishlist: ServerAction<SetWishlistQuantity>,
    hospital: ServerAction<SetCampaignHospital>,
    partner: ServerAction<SetCampaignPartner>,
    payee: ServerAction<RequestPayeeChange>,
}

#[component]
fn CampaignEditor(c: CampaignAdmin, actions: Actions, lists: Lists) -> impl IntoView {
    let lang = use_lang();
    let id = c.id.0;
    let published = c.status != CampaignStatus::Draft;
    let text = |v: &str| (!v.is_empty()).then(|| v.to_owned());
    let payee = Payee {
        promptpay_id: text(&c.input.promptpay_id),
        bank_name: text(&c.input.bank_name),
        bank_account_no: text(&c.input.bank_account_no),
        bank_account_name: text(&c.input.bank_account_name),
    };
    let next = match c.status {
        CampaignStatus::Draft => Some((
            CampaignStatus::Open,
            lang.pick("เปิดรับบริจาค", "Open to donations"),
        )),
        CampaignStatus::Open => Some((
            CampaignStatus::Closed,
            lang.pick("ปิดรับบริจาค", "Close to donations"),
        )),
        _ => None,
    };
    let Lists { catalog, partners } = lists;
    view! {
        <Title text=format!("{} · Phapa", c.input.title_th) />
        <section class="wrap">
            <p class="crumbs"><a href="/admin/campaigns">{lang.pick("กองผ้าป่าทั้งหมด", "All campaigns")}</a></p>
            <h1>{c.input.title_th.clone()}</h1>
            <p>
                <StatusBadge status=c.status />
                " "
                <a href=format!("/campaigns/{id}")>{lang.pick("หน้าสาธารณะ", "Public page")}</a>
            </p>
            <Outcome result=actions.status.value().into() />
            {next.map(|(to, label)| view! {
                <ActionForm action=actions.status>
                    <input type="hidden" name="id" value=id />
                    <input type="hidden" name="status" value=to.code() />
                    <button type="submit" class="primary">{label}</button>
                </ActionForm>
            })}

            <h2>{lang.pick("ครุภัณฑ์ที่ต้องการ", "Wishlist")}</h2>
            <Outcome result=actions.wishlist.value().into() />
            <ul class="wishlist-admin">
                {c.wishlist.into_iter().map(|w| {
                    let label = w.item.get(lang).to_owned();
                    let input_id = format!("w-{}", w.item_id.0);
                    view! {
                        <li>
                            <ActionForm action=actions.wishlist attr:class="inline">
                                <input type="hidden" name="id" value=id />
                                <input type="hidden" name="item" value=w.item_id.0 />
                                <label for=input_id.clone()>{label}</label>
                                <input id=input_id name="quantity" type="number" min="0" max="10000" value=w.quantity />
                                <button type="submit">{lang.pick("บันทึกจำนวน", "Set quantity")}</button>
                            </ActionForm>
                        </li>
                    }
                }).collect_view()}
            </ul>
            <ActionForm action=actions.wishlist attr:class="inline card">
                <input type="hidden" name="id" value=id />
                <label for="w-new">{lang.pick("เพิ่มรายการ", "Add item")}</label>
                // The suspense wraps the whole select: a browser's parser drops the markers a
                // suspense leaves inside a <select>, and hydration would not find them.
                <Suspense fallback=|| view! { <select id="w-new" name="item" disabled></select> }>
                    {move || Suspend::new(async move {
                        let items = catalog.await.unwrap_or_default();
                        view! {
                            <select id="w-new" name="item">
                                {items.into_iter().map(|i| view! {
                                    <option value=i.id.0>{format!("{} ({})", i.name.get(lang), i.reference_price)}</option>
                                }).collect_view()}
                            </select>
                        }
                    })}
                </Suspense>
                <label for="w-qty">{lang.pick("จำนวน", "Quantity")}</label>
                <input id="w-qty" name="quantity" type="number" min="1" max="10000" value="1" />
                <button type="submit">{lang.pick("เพิ่ม", "Add")}</button>
            </ActionForm>

            <h2>{lang.pick("ภาคีผู้จัด", "Organising partners")}</h2>
            <Outcome result=actions.partner.value().into() />
            <ul>
                {c.partners.into_iter().map(|p| view! {
                    <li>
                        <ActionForm action=actions.partner attr:class="inline">
                            <input type="hidden" name="id" value=id />
                            <input type="hidden" name="partner" value=p.id.0 />
                            {p.name.get(lang).to_owned()}
                            <button type="submit">{lang.pick("นำออก", "Remove")}</button>
                        </ActionForm>
                    </li>
                }).collect_view()}
            </ul>
            <ActionForm action=actions.partner attr:class="inline card">
                <input type="hidden" name="id" value=id />
                <input type="hidden" name="organiser" value="true" />
                <label for="p-new">{lang.pick("เพิ่มภาคี", "Add partner")}</label>
                <Suspense fallback=|| view! { <select id="p-new" name="partner" disabled></select> }>
                    {move || Suspend::new(async move {
                        let all = partners.await.unwrap_or_default();
                        view! {
                            <select id="p-new" name="partner">
                                {all.into_iter().map(|p| view! {
                                    <option value=p.id.0>{p.name.get(lang).to_owned()}</option>
                                }).collect_view()}
                            </select>
                        }
                    })}
                </Suspense>
                <button type="submit">{lang.pick("เพิ่ม", "Add")}</button>
            </ActionForm>

            <h2>{lang.pick("โรงพยาบาลที่ได้รับประโยชน์", "Hospitals served")}</h2>
            <Outcome result=actions.hospital.value().into() />
            <ul>
                {c.hospitals.into_iter().map(|(code, name)| view! {
                    <li>
                        <ActionForm action=actions.hospital attr:class="inline">
                            <input type="hidden" name="id" value=id />
                            <input type="hidden" name="facility_code" value=code.clone() />
                            {format!("{code} · {}", name.get(lang))}
                            <button type="submit">{lang.pick("นำออก", "Remove")}</button>
                        </ActionForm>
                    </li>
                }).collect_view()}
            </ul>
            <ActionForm action=actions.hospital attr:class="inline card">
                <input type="hidden" name="id" value=id />
                <input type="hidden" name="served" value="true" />
                <label for="h-new">{lang.pick("รหัสหน่วยบริการ", "Facility code")}</label>
                <input id="h-new" name="facility_code" inputmode="numeric" maxlength="5" required />
                <button type="submit">{lang.pick("เพิ่ม", "Add")}</button>
            </ActionForm>

            <h2>{lang.pick("รายละเอียด", "Details")}</h2>
            <Outcome result=actions.update.value().into() />
            <ActionForm action=actions.update attr:class="stack card">
                <input type="hidden" name="id" value=id />
                <CampaignFields input=c.input payee_locked=published />
                <button type="submit" class="primary">{lang.pick("บันทึก", "Save")}</button>
            </ActionForm>
            {published.then(|| view! { <PayeeRequests campaign=id current=payee changes=c.payee_changes request=actions.payee /> })}
        </section>
    }
}
