//! What a protected page shows when the server refuses it.

use crate::error::AppError;
use crate::i18n::use_lang;
use crate::routes::not_found::NotFound;
use leptos::prelude::*;

/// 401 → a sign-in link; 403 → "not allowed"; 404 → the 404 page; otherwise the message.
#[component]
pub fn Refused(error: AppError) -> impl IntoView {
    let lang = use_lang();
    match error {
        AppError::Unauthorized => view! {
            <section class="wrap">
                <p class="notice error" role="alert">{lang.pick("กรุณาเข้าสู่ระบบก่อน", "Please sign in first.")}</p>
                <p><a href="/login">{lang.pick("เข้าสู่ระบบ", "Sign in")}</a></p>
            </section>
        }
        .into_any(),
        AppError::Forbidden => view! {
            <section class="wrap">
                <h1>{lang.pick("ไม่มีสิทธิ์เข้าถึง", "Not allowed")}</h1>
                <p class="notice error" role="alert">{error.message(lang)}</p>
            </section>
        }
        .into_any(),
        AppError::NotFound => view! { <NotFound /> }.into_any(),
        other => view! { <section class="wrap"><p class="notice error" role="alert">{other.message(lang)}</p></section> }.into_any(),
    }
}

/// Field errors of a failed form, or its general message.
#[component]
pub fn FormErrors(error: AppError) -> impl IntoView {
    let lang = use_lang();
    match error {
        AppError::Validation(fields) => view! {
            <ul class="notice error" role="alert">
                {fields.into_iter().map(|f| view! { <li data-field=f.field.clone()>{f.message(lang).to_owned()}</li> }).collect_view()}
            </ul>
        }
        .into_any(),
        other => view! { <p class="notice error" role="alert">{other.message(lang)}</p> }.into_any(),
    }
}
