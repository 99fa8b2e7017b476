//! The HTML shell, the root component and the router.

use crate::components::layout::{Footer, Header};
use crate::i18n::request_lang;
use crate::routes::admin::campaigns::{AdminCampaignPage, AdminCampaignsPage};
use crate::routes::admin::reference::{AdminCatalogPage, AdminHospitalsPage, AdminPartnersPage};
use crate::routes::admin::{accounts::AccountsPage, audit::AuditPage};
use crate::routes::donation::{DonationPage, LookupPage, ReceiptPage};
use crate::routes::equipment::{LabelsPage, PurchasesPage, StockPage};
use crate::routes::finance::{
    batch::BatchPage, campaign::FinanceCampaignPage, home::FinanceHomePage,
    reconcile::ReconcilePage,
};
use crate::routes::loans::{LoanRegisterPage, LoanSummaryPage, LoansPage};
use crate::routes::report::{FinanceReportPage, PublicReportPage};
use crate::routes::requests::RequestQueuePage;
use crate::routes::unit::UnitPage;
use crate::routes::{
    campaign::CampaignPage, home::HomePage, hospital::HospitalPage, hospitals::HospitalsPage,
    login::LoginPage, not_found::NotFound, staff::StaffHomePage, staff::StaffHospitalPage,
};
use leptos::prelude::*;
use leptos_meta::{provide_meta_context, MetaTags};
use leptos_router::components::{Route, Router, Routes};
use leptos_router::{path, SsrMode};

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
                <HydrationScripts options islands=true />
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

/// The application: header, the page for the current route, footer. It runs on the server
/// only: the browser hydrates just the islands inside it (see [`crate::hydrate`]).
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
                <Routes fallback=|| view! { <NotFound /> }>
                    <Route path=path!("/") view=HomePage ssr=SsrMode::Async />
                    <Route path=path!("/campaigns/:id") view=CampaignPage ssr=SsrMode::Async />
                    <Route path=path!("/campaigns/:id/report") view=PublicReportPage ssr=SsrMode::Async />
                    <Route path=path!("/hospitals") view=HospitalsPage ssr=SsrMode::Async />
                    <Route path=path!("/hospitals/:code") view=HospitalPage ssr=SsrMode::Async />
                    <Route path=path!("/login") view=LoginPage ssr=SsrMode::Async />
                    <Route path=path!("/admin/accounts") view=AccountsPage ssr=SsrMode::Async />
                    <Route path=path!("/admin/audit") view=AuditPage ssr=SsrMode::Async />
                    <Route path=path!("/admin/hospitals") view=AdminHospitalsPage ssr=SsrMode::Async />
                    <Route path=path!("/admin/catalog") view=AdminCatalogPage ssr=SsrMode::Async />
                    <Route path=path!("/admin/partners") view=AdminPartnersPage ssr=SsrMode::Async />
                    <Route path=path!("/admin/campaigns") view=AdminCampaignsPage ssr=SsrMode::Async />
                    <Route path=path!("/admin/campaigns/:id") view=AdminCampaignPage ssr=SsrMode::Async />
                    <Route path=path!("/donations") view=LookupPage ssr=SsrMode::Async />
                    <Route path=path!("/donations/:reference") view=DonationPage ssr=SsrMode::Async />
                    <Route path=path!("/donations/:reference/receipt") view=ReceiptPage ssr=SsrMode::Async />
                    <Route path=path!("/finance") view=FinanceHomePage ssr=SsrMode::Async />
                    <Route path=path!("/finance/campaigns/:id") view=FinanceCampaignPage ssr=SsrMode::Async />
                    <Route path=path!("/finance/campaigns/:id/report") view=FinanceReportPage ssr=SsrMode::Async />
                    <Route path=path!("/finance/batches/:id") view=BatchPage ssr=SsrMode::Async />
                    <Route path=path!("/finance/requests") view=RequestQueuePage ssr=SsrMode::Async />
                    <Route path=path!("/finance/purchases") view=PurchasesPage ssr=SsrMode::Async />
                    <Route path=path!("/finance/purchases/:id/labels") view=LabelsPage ssr=SsrMode::Async />
                    <Route path=path!("/finance/stock") view=StockPage ssr=SsrMode::Async />
                    <Route path=path!("/finance/reconcile") view=ReconcilePage ssr=SsrMode::Async />
                    <Route path=path!("/units/:tag") view=UnitPage ssr=SsrMode::Async />
                    <Route path=path!("/staff") view=StaffHomePage ssr=SsrMode::Async />
                    <Route path=path!("/staff/loans") view=LoansPage ssr=SsrMode::Async />
                    <Route path=path!("/staff/loans/register") view=LoanRegisterPage ssr=SsrMode::Async />
                    <Route path=path!("/staff/loans/summary") view=LoanSummaryPage ssr=SsrMode::Async />
                    <Route path=path!("/staff/hospitals/:code") view=StaffHospitalPage ssr=SsrMode::Async />
                </Routes>
            </main>
            <Footer />
        </Router>
    }
}
