//! The header's account area: who is signed in, their role's pages, sign-in and sign-out.

use crate::api::accounts::current_account;
use crate::i18n::use_lang;
use crate::model::account::{CurrentUser, Role};
use leptos::prelude::*;

/// Links for the signed-in role, or a sign-in link.
#[component]
pub fn AccountArea() -> impl IntoView {
    let lang = use_lang();
    let me = Resource::new(|| (), |_| current_account());
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match me.await {
                    Ok(Some(user)) => view! { <SignedIn user /> }.into_any(),
                    _ => view! { <a class="sign-in" href="/login">{lang.pick("เข้าสู่ระบบ", "Sign in")}</a> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn SignedIn(user: CurrentUser) -> impl IntoView {
    let lang = use_lang();
    let links: Vec<(&str, &str)> = match user.role {
        Role::Administrator => vec![
            (
                "/admin/campaigns",
                lang.pick("จัดการกองผ้าป่า", "Manage campaigns"),
            ),
            (
                "/admin/hospitals",
                lang.pick("จัดการโรงพยาบาล", "Manage hospitals"),
            ),
            ("/admin/catalog", lang.pick("ครุภัณฑ์", "Catalog")),
            ("/admin/partners", lang.pick("ภาคี", "Partners")),
            ("/admin/accounts", lang.pick("บัญชีผู้ใช้", "Accounts")),
            ("/admin/audit", lang.pick("บันทึกการตรวจสอบ", "Audit log")),
        ],
        Role::FinanceOfficer => vec![
            (
                "/finance",
                lang.pick("การเงินและการบริจาค", "Donations and receipts"),
            ),
            (
                "/admin/campaigns",
                lang.pick("จัดการกองผ้าป่า", "Manage campaigns"),
            ),
            ("/admin/audit", lang.pick("บันทึกการตรวจสอบ", "Audit log")),
        ],
        Role::HospitalStaff { .. } => vec![("/staff", lang.pick("โรงพยาบาลของฉัน", "My hospital"))],
    };
    view! {
        <nav class="role-nav" aria-label=lang.pick("เมนูสำหรับเจ้าหน้าที่", "Staff menu")>
            {links.into_iter().map(|(href, label)| view! { <a href=href>{label}</a> }).collect_view()}
        </nav>
        <span class="whoami">
            {user.display_name.clone()}
            <span class="small">{format!(" · {}", user.role.label(lang))}</span>
        </span>
        <form class="sign-out" method="post" action="/logout">
            <button type="submit">{lang.pick("ออกจากระบบ", "Sign out")}</button>
        </form>
    }
}
