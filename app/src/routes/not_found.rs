//! The 404 page.

use crate::i18n::use_lang;
use leptos::prelude::*;
use leptos_meta::Title;

/// Shown for unknown paths and unknown records; answers with HTTP 404.
#[component]
pub fn NotFound() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(http::StatusCode::NOT_FOUND);
    }
    let lang = use_lang();
    view! {
        <Title text=lang.pick("ไม่พบหน้านี้ · Phapa", "Page not found · Phapa") />
        <section class="wrap not-found">
            <h1>{lang.pick("ไม่พบหน้านี้", "Page not found")}</h1>
            <p>
                {lang.pick(
                    "หน้าที่คุณเปิดไม่มีอยู่ หรืออาจถูกย้ายไปแล้ว",
                    "The page you opened does not exist or has moved.",
                )}
            </p>
            <p>
                <a href="/">{lang.pick("กลับไปหน้ากองผ้าป่า", "Back to the campaigns")}</a>
            </p>
        </section>
    }
}
