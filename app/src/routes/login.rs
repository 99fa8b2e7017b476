//! `/login`: a plain HTML form posted to the server, so it works without JavaScript.

use crate::i18n::use_lang;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

/// The sign-in page. `?error=invalid` shows the one message for any failed attempt, which never
/// says whether the username exists.
#[component]
pub fn LoginPage() -> impl IntoView {
    let lang = use_lang();
    let query = use_query_map();
    let failed = query.read_untracked().get("error").as_deref() == Some("invalid");
    let next = query.read_untracked().get("next").unwrap_or_default();
    view! {
        <Title text=lang.pick("เข้าสู่ระบบ · Phapa", "Sign in · Phapa") />
        <section class="wrap narrow">
            <h1>{lang.pick("เข้าสู่ระบบสำหรับเจ้าหน้าที่", "Staff sign-in")}</h1>
            <p class="hint">
                {lang.pick(
                    "ผู้บริจาคไม่ต้องมีบัญชี: ดูกองผ้าป่าและบริจาคได้ทันที",
                    "Donors need no account: campaigns and giving are open to everyone.",
                )}
            </p>
            {failed.then(|| view! {
                <p class="notice error" role="alert">
                    {lang.pick("ชื่อผู้ใช้หรือรหัสผ่านไม่ถูกต้อง", "Wrong username or password.")}
                </p>
            })}
            <form class="stack card" method="post" action="/login">
                <input type="hidden" name="next" value=next />
                <label for="username">{lang.pick("ชื่อผู้ใช้", "Username")}</label>
                <input id="username" name="username" type="text" autocomplete="username" required autocapitalize="none" />
                <label for="password">{lang.pick("รหัสผ่าน", "Password")}</label>
                <input id="password" name="password" type="password" autocomplete="current-password" required />
                <button type="submit" class="primary">{lang.pick("เข้าสู่ระบบ", "Sign in")}</button>
            </form>
        </section>
    }
}
