//! Header (with the language toggle) and footer.

use crate::components::account::AccountArea;
use crate::i18n::use_lang;
use crate::model::Lang;
use leptos::prelude::*;
use leptos_router::hooks::use_location;

/// The site header: name, navigation, language toggle.
#[component]
pub fn Header() -> impl IntoView {
    let lang = use_lang();
    view! {
        <header class="site-header">
            <div class="wrap header-row">
                <a class="brand" href="/">
                    <span class="brand-name">"Phapa"</span>
                    <span class="brand-tag">
                        {lang.pick("ผ้าป่าประชารัฐ เพื่อผู้ป่วยติดบ้าน ติดเตียง", "Civil-state merit drives for home-bound patients")}
                    </span>
                </a>
                <nav class="site-nav" aria-label=lang.pick("เมนูหลัก", "Main menu")>
                    <a href="/">{lang.pick("กองผ้าป่า", "Campaigns")}</a>
                    <a href="/hospitals">{lang.pick("โรงพยาบาล", "Hospitals")}</a>
                    <a href="/donations">{lang.pick("ค้นหาการบริจาค", "Find my donation")}</a>
                </nav>
                <LangToggle />
            </div>
            <div class="wrap account-row">
                <AccountArea />
            </div>
        </header>
    }
}

/// A plain form that posts the other language to `/lang`, which sets the cookie and sends the
/// reader back to the same page. It works with and without JavaScript.
#[component]
pub fn LangToggle() -> impl IntoView {
    let lang = use_lang();
    let other = lang.other();
    let location = use_location();
    let next = move || next_path(&location.pathname.get(), &location.search.get());
    let label = match other {
        Lang::En => "English",
        Lang::Th => "ภาษาไทย",
    };
    view! {
        <form class="lang-toggle" method="post" action="/lang">
            <input type="hidden" name="lang" value=other.code() />
            <input type="hidden" name="next" value=next />
            <button type="submit" lang=other.code()>
                {label}
            </button>
        </form>
    }
}

/// The path to return to after switching language, without any `lang=` in its query.
pub fn next_path(pathname: &str, search: &str) -> String {
    let query: Vec<&str> = search
        .trim_start_matches('?')
        .split('&')
        .filter(|p| !p.is_empty() && !p.starts_with("lang="))
        .collect();
    if query.is_empty() {
        pathname.to_owned()
    } else {
        format!("{pathname}?{}", query.join("&"))
    }
}

/// The site footer.
#[component]
pub fn Footer() -> impl IntoView {
    let lang = use_lang();
    view! {
        <footer class="site-footer">
            <div class="wrap">
                <p>
                    {lang.pick(
                        "ทุกบาทที่บริจาคติดตามได้: กองผ้าป่า → การจัดซื้อ → ครุภัณฑ์ → โรงพยาบาล",
                        "Every baht can be followed: campaign → purchase → equipment → hospital.",
                    )}
                </p>
                <p class="small">
                    {lang.pick(
                        "ข้อมูลเขตการปกครองจาก thai-province-data (สัญญาอนุญาต MIT)",
                        "Administrative areas from thai-province-data (MIT licence).",
                    )}
                </p>
            </div>
        </footer>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_return_path_drops_only_the_language() {
        assert_eq!(
            next_path("/hospitals", "?q=บ้าน&lang=en"),
            "/hospitals?q=บ้าน"
        );
        assert_eq!(next_path("/", ""), "/");
        assert_eq!(next_path("/campaigns/1", "?lang=th"), "/campaigns/1");
    }
}
