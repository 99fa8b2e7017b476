//! The HTML shell, the root component and the router.

use crate::components::layout::{Footer, Header};
use crate::i18n::request_lang;
use crate::routes::admin::campaigns::{AdminCampaignPage, AdminCampaignsPage};
use crate::routes::admin::reference::{AdminCatalogPage, AdminHospitalsPage, AdminPartnersPage};
use crate::routes::admin::{accounts::AccountsPage, audit::AuditPage};
use crate::routes::donation::{DonationPage, LookupPage, ReceiptPage};
use crate::routes::finance::{
    batch::BatchPage, campaign::FinanceCampaignPage, home::FinanceHomePage,
};
use crate::routes::{
    campaign::CampaignPage, home::HomePage, hospital::HospitalPage, hospitals::HospitalsPage,
    login::LoginPage, not_found::NotFound, staff::StaffHomePage, staff::StaffHospitalPage,
};
use leptos::prelude::*;
use leptos_meta::{provide_meta_context, MetaTags};
use leptos_router::components::{Route, Router, Routes};
use leptos_router::{lazy_route, path, Lazy, LazyRoute, SsrMode};

/// The whole document, rendered on the server. `<html lang>` carries the request's language.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    let lang = request_lang();
    view! {
        <!DOCTYPE html>
        <html lang=lang.code()>
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <meta name="theme-color" content="#0e5a45" />
                <AutoReload options=options.clone() />
                <HydrationScripts options />
                <link rel="stylesheet" id="leptos" href="/pkg/phapa.css" />
                <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
                <MetaTags />
            </head>
            <body>
                <App />
            </body>
        </html>
    }
}

/// A staff page whose code is a separate WASM chunk (`cargo leptos build --split`): the browser
/// fetches it when someone opens the page, so a donor never downloads the finance, admin or
/// ceremony-night code. The server renders it like any other page. Public pages stay in the main
/// module: as lazy routes they were 13% fewer bytes but about 190 small files, which cost more
/// than they save on a phone (README, "Donor pages: size").
macro_rules! lazy_page {
    ($($route:ident => $page:ident),* $(,)?) => {$(
        struct $route;

        #[lazy_route]
        impl LazyRoute for $route {
            fn data() -> Self {
                $route
            }

            fn view(_this: Self) -> AnyView {
                mark_hydrated();
                view! { <$page /> }.into_any()
            }
        }
    )*};
}

lazy_page! {
    AccountsRoute => AccountsPage,
    AuditRoute => AuditPage,
    AdminHospitalsRoute => AdminHospitalsPage,
    AdminCatalogRoute => AdminCatalogPage,
    AdminPartnersRoute => AdminPartnersPage,
    AdminCampaignsRoute => AdminCampaignsPage,
    AdminCampaignRoute => AdminCampaignPage,
    FinanceHomeRoute => FinanceHomePage,
    FinanceCampaignRoute => FinanceCampaignPage,
    BatchRoute => BatchPage,
    StaffHomeRoute => StaffHomePage,
    StaffHospitalRoute => StaffHospitalPage,
}

/// Marks `<body data-hydrated>` once the page's own view is live in the browser, for people's
/// tools and the browser tests. A page's chunk arrives after the main module, so the mark is set
/// by the page, not by the app root: buttons answer once it is there.
fn mark_hydrated() {
    #[cfg(feature = "hydrate")]
    Effect::new(|| {
        if let Some(body) = document().body() {
            let _ = body.set_attribute("data-hydrated", "true");
        }
    });
}

/// A public page, in the main module.
fn public<V: IntoView>(page: fn() -> V) -> V {
    mark_hydrated();
    page()
}

/// The application: header, the page for the current route, footer.
///
/// Data pages render with `SsrMode::Async`: the server waits for their data and sends complete
/// HTML, so totals are in the page for readers without JavaScript and a 404 status can be set.
#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    let lang = request_lang();
    provide_context(lang);
    view! {
        <Router>
            <a class="skip-link" href="#main">
                {lang.pick("ข้ามไปยังเนื้อหา", "Skip to content")}
            </a>
            <Header />
            <main id="main">
                <Routes fallback=|| {
                    mark_hydrated();
                    view! { <NotFound /> }
                }>
                    <Route path=path!("/") view=|| public(HomePage) ssr=SsrMode::Async />
                    <Route path=path!("/campaigns/:id") view=|| public(CampaignPage) ssr=SsrMode::Async />
                    <Route path=path!("/hospitals") view=|| public(HospitalsPage) ssr=SsrMode::Async />
                    <Route path=path!("/hospitals/:code") view=|| public(HospitalPage) ssr=SsrMode::Async />
                    <Route path=path!("/login") view=|| public(LoginPage) ssr=SsrMode::Async />
                    <Route path=path!("/admin/accounts") view={Lazy::<AccountsRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/admin/audit") view={Lazy::<AuditRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/admin/hospitals") view={Lazy::<AdminHospitalsRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/admin/catalog") view={Lazy::<AdminCatalogRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/admin/partners") view={Lazy::<AdminPartnersRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/admin/campaigns") view={Lazy::<AdminCampaignsRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/admin/campaigns/:id") view={Lazy::<AdminCampaignRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/donations") view=|| public(LookupPage) ssr=SsrMode::Async />
                    <Route path=path!("/donations/:reference") view=|| public(DonationPage) ssr=SsrMode::Async />
                    <Route path=path!("/donations/:reference/receipt") view=|| public(ReceiptPage) ssr=SsrMode::Async />
                    <Route path=path!("/finance") view={Lazy::<FinanceHomeRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/finance/campaigns/:id") view={Lazy::<FinanceCampaignRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/finance/batches/:id") view={Lazy::<BatchRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/staff") view={Lazy::<StaffHomeRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/staff/hospitals/:code") view={Lazy::<StaffHospitalRoute>::new()} ssr=SsrMode::Async />
                </Routes>
            </main>
            <Footer />
        </Router>
    }
}
