//! `/admin/accounts`: administrators create accounts, disable or enable them, reset passwords
//! and change roles.

use crate::api::accounts::{
    list_accounts, CreateAccount, ResetAccountPassword, SetAccountDisabled, SetAccountRole,
};
use crate::components::guard::{FormErrors, Refused};
use crate::components::island::island_ready;
use crate::i18n::use_lang;
use crate::model::account::AccountView;
use leptos::prelude::*;
use leptos_meta::Title;

/// The account administration page (a lazy island: its code loads only here).
#[island(lazy)]
pub fn AccountsPage() -> impl IntoView {
    island_ready();
    let lang = use_lang();
    let create = ServerAction::<CreateAccount>::new();
    let disable = ServerAction::<SetAccountDisabled>::new();
    let reset = ServerAction::<ResetAccountPassword>::new();
    let role = ServerAction::<SetAccountRole>::new();
    let accounts = Resource::new(
        move || {
            (
                create.version().get(),
                disable.version().get(),
                reset.version().get(),
                role.version().get(),
            )
        },
        |_| list_accounts(),
    );
    view! {
        <Title text=lang.pick("บัญชีผู้ใช้ · Phapa", "Accounts · Phapa") />
        <Suspense fallback=|| view! { <p class="wrap loading">"…"</p> }>
            {move || Suspend::new(async move {
                match accounts.await {
                    Err(error) => view! { <Refused error /> }.into_any(),
                    Ok(page) => view! {
                        <section class="wrap">
                            <h1>{lang.pick("บัญชีผู้ใช้", "Accounts")}</h1>
                            <AccountTable list=page.accounts disable reset role />
                            <NewAccountForm create key=page.form_key />
                        </section>
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn AccountTable(
    list: Vec<AccountView>,
    disable: ServerAction<SetAccountDisabled>,
    reset: ServerAction<ResetAccountPassword>,
    role: ServerAction<SetAccountRole>,
) -> impl IntoView {
    let lang = use_lang();
    view! {
        {move || disable.value().get().and_then(Result::err).map(|error| view! { <FormErrors error /> })}
        {move || reset.value().get().and_then(Result::err).map(|error| view! { <FormErrors error /> })}
        {move || role.value().get().and_then(Result::err).map(|error| view! { <FormErrors error /> })}
        <div class="table-scroll">
            <table class="data">
                <thead>
                    <tr>
                        <th>{lang.pick("ชื่อผู้ใช้", "Username")}</th>
                        <th>{lang.pick("ชื่อ", "Name")}</th>
                        <th>{lang.pick("บทบาท", "Role")}</th>
                        <th>{lang.pick("สถานะ", "Status")}</th>
                        <th>{lang.pick("จัดการ", "Actions")}</th>
                    </tr>
                </thead>
                <tbody>
                    {list.into_iter().map(|a| {
                        let hospital = a.hospital.as_ref().map(|(code, name)| format!(" · {} ({code})", name.get(lang)));
                        let id = a.id.0;
                        let who = format!(" {}", a.username);
                        let pw_label = format!("{} {}", lang.pick("รหัสผ่านใหม่ของ", "New password for"), a.username);
                        let pw_id = format!("pw-{id}");
                        let role_id = format!("role-{id}");
                        let role_label = format!("{} {}", lang.pick("บทบาทของ", "Role of"), a.username);
                        let current_role = a.role.code();
                        let current_code = a.hospital.as_ref().map(|(c, _)| c.clone()).unwrap_or_default();
                        view! {
                            <tr>
                                <td>{a.username.clone()}</td>
                                <td>{a.display_name.clone()}</td>
                                <td>{a.role.label(lang)}{hospital}</td>
                                <td>{if a.disabled { lang.pick("ปิดใช้งาน", "Disabled") } else { lang.pick("ใช้งาน", "Active") }}</td>
                                <td class="actions">
                                    <ActionForm action=disable>
                                        <input type="hidden" name="id" value=id />
                                        <input type="hidden" name="disabled" value=(!a.disabled).to_string() />
                                        <button type="submit">
                                            {if a.disabled { lang.pick("เปิดใช้งาน", "Enable") } else { lang.pick("ปิดใช้งาน", "Disable") }}
                                            <span class="visually-hidden">{who}</span>
                                        </button>
                                    </ActionForm>
                                    <ActionForm action=reset>
                                        <input type="hidden" name="id" value=id />
                                        <label class="visually-hidden" for=pw_id.clone()>{pw_label}</label>
                                        <input id=pw_id name="password" type="password" autocomplete="new-password" minlength="12" maxlength="128" required placeholder=lang.pick("รหัสผ่านใหม่", "New password") />
                                        <button type="submit">{lang.pick("ตั้งรหัสผ่านใหม่", "Reset password")}</button>
                                    </ActionForm>
                                    <ActionForm action=role>
                                        <input type="hidden" name="id" value=id />
                                        <label class="visually-hidden" for=role_id.clone()>{role_label}</label>
                                        <select id=role_id name="role">
                                            <option value="hospital_staff" selected={ current_role == "hospital_staff" }>{lang.pick("เจ้าหน้าที่โรงพยาบาล", "Hospital staff")}</option>
                                            <option value="finance_officer" selected={ current_role == "finance_officer" }>{lang.pick("เจ้าหน้าที่การเงิน", "Finance officer")}</option>
                                            <option value="administrator" selected={ current_role == "administrator" }>{lang.pick("ผู้ดูแลระบบ", "Administrator")}</option>
                                        </select>
                                        <input name="hospital_code" value=current_code inputmode="numeric" maxlength="5" placeholder=lang.pick("รหัสหน่วยบริการ", "Facility code") aria-label=lang.pick("รหัสหน่วยบริการ", "Facility code") />
                                        <button type="submit">{lang.pick("เปลี่ยนบทบาท", "Change role")}</button>
                                    </ActionForm>
                                </td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

#[component]
fn NewAccountForm(create: ServerAction<CreateAccount>, key: String) -> impl IntoView {
    let lang = use_lang();
    view! {
        <h2>{lang.pick("สร้างบัญชีใหม่", "New account")}</h2>
        {move || create.value().get().map(|result| match result {
            Ok(_) => view! { <p class="notice ok" role="status">{lang.pick("สร้างบัญชีแล้ว", "Account created.")}</p> }.into_any(),
            Err(error) => view! { <FormErrors error /> }.into_any(),
        })}
        <ActionForm action=create attr:class="stack card">
            // The key changes only when the list reloads after a success, so a double submit
            // or a retry of the same form creates one account.
            <input type="hidden" name="input[idempotency_key]" value=key />
            <label for="new-username">{lang.pick("ชื่อผู้ใช้", "Username")}</label>
            <input id="new-username" name="input[username]" required />
            <label for="new-display">{lang.pick("ชื่อที่แสดง", "Display name")}</label>
            <input id="new-display" name="input[display_name]" required />
            <label for="new-password">{lang.pick("รหัสผ่าน (12–128 ตัวอักษร)", "Password (12–128 characters)")}</label>
            <input id="new-password" name="input[password]" type="password" autocomplete="new-password" required />
            <label for="new-role">{lang.pick("บทบาท", "Role")}</label>
            <select id="new-role" name="input[role]">
                <option value="hospital_staff">{lang.pick("เจ้าหน้าที่โรงพยาบาล", "Hospital staff")}</option>
                <option value="finance_officer">{lang.pick("เจ้าหน้าที่การเงิน", "Finance officer")}</option>
                <option value="administrator">{lang.pick("ผู้ดูแลระบบ", "Administrator")}</option>
            </select>
            <label for="new-hospital">{lang.pick("รหัสหน่วยบริการ (เฉพาะเจ้าหน้าที่โรงพยาบาล)", "Facility code (hospital staff only)")}</label>
            <input id="new-hospital" name="input[hospital_code]" inputmode="numeric" maxlength="5" />
            <button type="submit" class="primary">{lang.pick("สร้างบัญชี", "Create account")}</button>
        </ActionForm>
    }
}
