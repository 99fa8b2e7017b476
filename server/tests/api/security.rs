//! Accounts and security over HTTP, on SQLite and PostgreSQL: the full permission matrix,
//! sessions, throttling, cross-site refusal, cookies and the audit chain.

use crate::common;

use app::model::account::NewAccountInput;
use app::server::audit::{self, ChainCheck};
use app::server::demo::DEMO_PASSWORD;
use common::{get_as, hospital_id, post_as, sign_in, TestApp};
use std::collections::BTreeSet;

/// A second hospital's staff member, created by an administrator.
async fn staff_of_second_hospital(app: &TestApp, admin: &str) -> String {
    let body = "input[username]=staff-b&input[display_name]=B&input[password]=another-long-password&input[role]=hospital_staff&input[hospital_code]=99002&input[idempotency_key]=create-staff-b";
    assert_eq!(
        post_as(app, Some(admin), "/api/accounts/create", body)
            .await
            .status(),
        200
    );
    sign_in(app, "staff-b", "another-long-password").await
}

const ANON: usize = 0;

struct Fixtures {
    awaiting: i64,
    to_receive: i64,
    to_void_purchase: i64,
    received_purchase: i64,
    dispatched_tag: String,
    stock_tag: String,
    spare_tag: String,
}

/// Purchases and units in the states the matrix needs, made through the services.
async fn equipment_fixtures(app: &TestApp, hospital_a: i64) -> Fixtures {
    use app::model::account::Role;
    use app::model::equipment::{
        AllocateInput, DispatchInput, PurchaseInput, PurchaseLineInput, ReceiveInput,
    };
    use app::server::service::{purchases, stock};
    let db = &app.db;
    let other = common::account_with_role(db, "matrix-finance", Role::FinanceOfficer).await;
    let other = app::server::Caller::signed_in(&other);
    let purchase = |key: &str, quantity: &str, price: &str| PurchaseInput {
        campaign_id: app::model::CampaignId(1),
        vendor_name: format!("matrix {key}"),
        invoice_no: key.into(),
        invoice_date: "2026-11-20".into(),
        lines: vec![PurchaseLineInput {
            item: "1".into(),
            quantity: quantity.into(),
            unit_price: price.into(),
            justification: "matrix test".into(),
        }],
        idempotency_key: format!("matrix-fixture-{key}"),
        ..Default::default()
    };
    let record = |input: PurchaseInput| {
        let other = other.clone();
        async move { purchases::record(db, &other, &input).await.unwrap() }
    };
    let awaiting = record(purchase("awaiting", "3", "18000")).await;
    let to_receive = record(purchase("receive", "1", "100")).await;
    let to_void = record(purchase("void", "1", "100")).await;
    let received = record(purchase("received", "3", "100")).await;
    let input = ReceiveInput {
        purchase_id: received,
        serials: String::new(),
    };
    purchases::receive(db, &other, &input).await.unwrap();
    let units = stock::of_purchase(db, &other, received).await.unwrap();
    let allocate = AllocateInput {
        campaign_id: app::model::CampaignId(1),
        hospital_id: hospital_a.to_string(),
        tags: units[0].tag.clone(),
        reason: "matrix fixture".into(),
        idempotency_key: "matrix-fixture-allocate".into(),
        ..Default::default()
    };
    stock::allocate(db, &other, &allocate).await.unwrap();
    let dispatch = DispatchInput {
        campaign_id: app::model::CampaignId(1),
        hospital_id: app::model::HospitalId(hospital_a),
        tags: units[0].tag.clone(),
        dispatched_on: "2026-11-20".into(),
        carrier: "matrix".into(),
    };
    stock::dispatch(db, &other, &dispatch).await.unwrap();
    Fixtures {
        awaiting: awaiting.get(),
        to_receive: to_receive.get(),
        to_void_purchase: to_void.get(),
        received_purchase: received.get(),
        dispatched_tag: units[0].tag.clone(),
        stock_tag: units[1].tag.clone(),
        spare_tag: units[2].tag.clone(),
    }
}

/// A statement for campaign 1 with two credits: one that two open pledges of the same amount
/// fit (so it waits for an officer), one that no pledge explains. Returns the two lines' ids
/// and the reference of one of the two pledges.
async fn statement_fixtures(app: &TestApp) -> (i64, String, i64) {
    use app::model::statement::{Mapping, Preset};
    use app::server::service::statements;
    let db = &app.db;
    let mut references = Vec::new();
    for key in ["matrix-twin-1", "matrix-twin-2"] {
        let input = app::model::donation::PledgeInput {
            campaign_id: app::model::CampaignId(1),
            amount: "4321".into(),
            idempotency_key: key.into(),
            ..Default::default()
        };
        let created = app::server::donations::pledge(db, &app::server::Caller::anonymous(), &input)
            .await
            .unwrap();
        references.push(created.reference);
    }
    let today = app::server::today().format("%d/%m/%Y");
    let csv = format!(
        "date,description,amount,balance\n{today},TRANSFER,4321.00,4321.00\n{today},TRANSFER,777.00,5098.00\n"
    );
    let mapping = Mapping {
        preset: Preset::Custom,
        date: Some(0),
        time: None,
        description: Some(1),
        withdrawal: None,
        deposit: None,
        amount: Some(2),
        balance: Some(3),
        channel: None,
        details: None,
        ..Mapping::kbiz()
    };
    let finance = common::account_with_role(
        db,
        "matrix-reconciler",
        app::model::account::Role::FinanceOfficer,
    )
    .await;
    let finance = app::server::Caller::signed_in(&finance);
    let campaign = app::model::CampaignId(1);
    let outcome = statements::import(
        db,
        &finance,
        campaign,
        "matrix.csv",
        csv.as_bytes(),
        &mapping,
    )
    .await
    .unwrap();
    assert_eq!((outcome.new_lines, outcome.auto_matched), (2, 0));
    let line = |amount: i64| async move {
        let (id,): (i64,) = sqlx::query_as(
            "select bank_line_id from bank_line where campaign_id = 1 and amount_satang = $1",
        )
        .bind(amount)
        .fetch_one(db.reader())
        .await
        .unwrap();
        id
    };
    (
        line(432_100).await,
        references.remove(0),
        line(77_700).await,
    )
}

http_test!(
    every_server_function_and_protected_page_allows_exactly_its_roles,
    |app| {
        let admin = sign_in(&app, "demo-admin", DEMO_PASSWORD).await;
        let finance = sign_in(&app, "demo-finance", DEMO_PASSWORD).await;
        let staff_a = sign_in(&app, "demo-staff", DEMO_PASSWORD).await;
        let staff_b = staff_of_second_hospital(&app, &admin).await;
        let callers: [Option<&str>; 5] = [
            None,
            Some(&staff_a),
            Some(&staff_b),
            Some(&finance),
            Some(&admin),
        ];
        let names = ["anonymous", "staff A", "staff B", "finance", "admin"];
        let (_, throwaway_id): (i64, i64) = (0, {
            let db = &app.db;
            let id = app::server::accounts::create_first_admin(
                db,
                "throwaway",
                "T",
                "throwaway-password",
            )
            .await
            .unwrap();
            id.0
        });
        let (some_reference,): (String,) =
            sqlx::query_as("select reference_code from donation order by donation_id limit 1")
                .fetch_one(app.db.reader())
                .await
                .unwrap();
        let pledge = |key: &'static str| {
            let db = app.db.clone();
            async move {
                let input = app::model::donation::PledgeInput {
                    campaign_id: app::model::CampaignId(1),
                    amount: "100".into(),
                    idempotency_key: key.into(),
                    ..Default::default()
                };
                app::server::donations::pledge(&db, &app::server::Caller::anonymous(), &input)
                    .await
                    .unwrap()
                    .reference
            }
        };
        let to_confirm = pledge("matrix-pledge-to-confirm").await;
        let to_void = pledge("matrix-pledge-to-void").await;
        let open_batch = || async {
            post_as(
                &app,
                Some(&finance),
                "/api/batches/open",
                &format!("input[campaign_id]=1&input[label]=m&input[expected_count]=1&input[expected_total]=100&input[idempotency_key]={:032x}", rand::random::<u128>()),
            )
            .await
            .json::<i64>()
            .await
            .unwrap()
        };
        let batch = open_batch().await;
        let batch_to_close = open_batch().await;
        // A draft with a legal recipient, which only an administrator may open.
        let draft: i64 = post_as(
            &app,
            Some(&admin),
            "/api/admin/campaigns/create",
            "input[title_th]=ร่าง&input[goal]=1000&input[starts_on]=2026-12-01&input[ends_on]=2026-12-31&input[recipient_name_th]=x&input[recipient_tax_id]=0000000000001&input[idempotency_key]=matrix-draft",
        )
        .await
        .json()
        .await
        .unwrap();
        // A receiving-account change waiting for a finance officer.
        let payee_request: i64 = post_as(
            &app,
            Some(&admin),
            "/api/admin/campaigns/payee-change",
            "id=2&input[promptpay_id]=0812345678",
        )
        .await
        .json()
        .await
        .unwrap();
        // Requests by hospital A's staff on campaign 1 (which serves hospitals A and B): one to
        // read and edit, one to withdraw, one for a finance officer to decide.
        let hospital_a = hospital_id(&app, "99001").await;
        let request = |key: &'static str| {
            let staff_a = staff_a.clone();
            let app = &app;
            async move {
                let body = format!("input[campaign_id]=1&input[hospital_id]={hospital_a}&input[item]=1&input[quantity]=2&input[reason]=matrix&input[idempotency_key]={key}");
                let response = post_as(app, Some(&staff_a), "/api/requests/submit", &body).await;
                assert_eq!(response.status(), 200, "{key}");
                response.json::<i64>().await.unwrap()
            }
        };
        let to_read = request("matrix-request-read").await;
        let to_withdraw = request("matrix-request-withdraw").await;
        let to_decide = request("matrix-request-decide").await;
        let decide_seen = common::seen(&app.db, to_decide).await;
        // Equipment: a second finance officer's purchase awaiting approval (so the demo finance
        // officer may approve it), purchases to receive and to void, a unit on its way to
        // hospital A, and a received gift in kind not yet in stock (from the demo).
        let fixtures = equipment_fixtures(&app, hospital_a).await;
        let Fixtures {
            awaiting,
            to_receive,
            to_void_purchase,
            received_purchase,
            dispatched_tag,
            stock_tag,
            spare_tag,
        } = &fixtures;
        let (unstocked_gift,): (String,) = sqlx::query_as(
            "select d.reference_code from donation d where d.channel = 'in_kind' and d.status = 'received'
             and not exists (select 1 from equipment_unit u where u.donation_id = d.donation_id) limit 1",
        )
        .fetch_one(app.db.reader())
        .await
        .unwrap();
        let trace_reference = app::server::demo::DEMO_TRACE_REFERENCE;
        let (twin_line, twin_reference, gift_line) = statement_fixtures(&app).await;
        // Campaign 2 (open) as stored, so its edit leaves the receiving account alone. (The
        // demo's campaign 3 is settled: its goal and dates no longer change.)
        let payee_as_stored = campaign_payee(&app, 2).await;
        // Columns: anonymous, staff of hospital A, staff of hospital B, finance officer, administrator.
        let server_functions: Vec<(&str, String, [u16; 5])> = vec![
        ("/api/campaigns/list", String::new(), [200; 5]),
        ("/api/campaigns/get", "id=1".into(), [200; 5]),
        ("/api/hospitals/list", String::new(), [200; 5]),
        ("/api/hospitals/get", "facility_code=99001".into(), [200; 5]),
        ("/api/session/current", String::new(), [200; 5]),
        ("/api/accounts/list", String::new(), [401, 403, 403, 403, 200]),
        (
            "/api/accounts/create",
            "input[username]=new-{role}&input[display_name]=N&input[password]=a-long-enough-password&input[role]=finance_officer&input[idempotency_key]=new-{role}-key".into(),
            [401, 403, 403, 403, 200],
        ),
        ("/api/accounts/set-disabled", format!("id={throwaway_id}&disabled=false"), [401, 403, 403, 403, 200]),
        (
            "/api/accounts/reset-password",
            format!("id={throwaway_id}&password=yet-another-password"),
            [401, 403, 403, 403, 200],
        ),
        (
            "/api/accounts/set-role",
            format!("id={throwaway_id}&role=finance_officer"),
            [401, 403, 403, 403, 200],
        ),
        ("/api/audit/list", "filter[limit]=5".into(), [401, 403, 403, 200, 200]),
        ("/api/hospitals/internals", "facility_code=99001".into(), [401, 200, 403, 200, 200]),
        ("/api/staff/home", String::new(), [401, 200, 200, 403, 403]),
        ("/api/catalog/list", String::new(), [200; 5]),
        ("/api/partners/list", String::new(), [200; 5]),
        ("/api/admin/campaigns/list", String::new(), [401, 403, 403, 200, 200]),
        ("/api/admin/campaigns/get", "id=1".into(), [401, 403, 403, 200, 200]),
        (
            "/api/admin/hospitals/save",
            "input[facility_code]=9810{role}&input[name_th]=x&input[subdistrict_code]=400101&input[kind]=other&input[idempotency_key]=matrix-hospital-{role}".into(),
            [401, 403, 403, 403, 200],
        ),
        (
            "/api/admin/hospitals/import",
            "csv=facility_code%2Cname_th%2Csubdistrict_code%2Ctype%0A9820{role}%2Cx%2C400101%2Cother%0A".into(),
            [401, 403, 403, 403, 200],
        ),
        (
            "/api/admin/catalog/save",
            "input[code]=item_{role}&input[name_th]=x&input[name_en]=x&input[unit_th]=x&input[unit_en]=x&input[reference_price]=100&input[idempotency_key]=matrix-item-{role}".into(),
            [401, 403, 403, 403, 200],
        ),
        ("/api/admin/partners/save", "input[name_th]=x&input[kind]=temple&input[idempotency_key]=matrix-partner-{role}".into(), [401, 403, 403, 403, 200]),
        ("/api/admin/form-key", String::new(), [401, 200, 200, 200, 200]),
        ("/api/admin/campaigns/create", "input[title_th]=ทดสอบ&input[goal]=1000&input[starts_on]=2026-12-01&input[ends_on]=2026-12-31&input[idempotency_key]=matrix-campaign-{role}".into(), [401, 403, 403, 403, 200]),
        ("/api/admin/campaigns/update", format!("id=2&input[title_th]=ทดสอบ&input[goal]=1000&input[starts_on]=2026-12-01&input[ends_on]=2026-12-31&input[recipient_name_th]=x&input[recipient_tax_id]=0000000000001{payee_as_stored}"), [401, 403, 403, 403, 200]),
        ("/api/admin/campaigns/payee-change", "id=1&input[promptpay_id]=0812345678".into(), [401, 403, 403, 403, 200]),
        ("/api/finance/payee-changes", String::new(), [401, 403, 403, 200, 403]),
        ("/api/finance/payee-changes/decide", format!("request={payee_request}&approve=true"), [401, 403, 403, 200, 403]),
        ("/api/admin/campaigns/wishlist", "id=1&item=1&quantity=3".into(), [401, 403, 403, 403, 200]),
        ("/api/admin/campaigns/hospital", "id=1&facility_code=99010&served=true".into(), [401, 403, 403, 403, 200]),
        ("/api/admin/campaigns/partner", "id=1&partner=2&organiser=true".into(), [401, 403, 403, 403, 200]),
        ("/api/donations/pledge", "input[campaign_id]=1&input[amount]=100&input[idempotency_key]=matrix-pledge-{role}".into(), [200; 5]),
        ("/api/donations/get", format!("reference={some_reference}"), [200; 5]),
        ("/api/campaigns/live", "id=1&lang=th".into(), [200; 5]),
        (
            "/api/donations/record",
            "input[campaign_id]=1&input[channel]=cash&input[amount]=100&input[idempotency_key]=matrix-record-{role}".into(),
            [401, 403, 403, 200, 403],
        ),
        ("/api/donations/confirm", format!("reference={to_confirm}"), [401, 403, 403, 200, 403]),
        ("/api/donations/void", format!("reference={to_void}&reason=matrix+test"), [401, 403, 403, 200, 403]),
        ("/api/finance/home", String::new(), [401, 403, 403, 200, 403]),
        ("/api/finance/campaign", "id=1".into(), [401, 403, 403, 200, 403]),
        (
            "/api/batches/open",
            "input[campaign_id]=1&input[label]=x&input[expected_count]=1&input[expected_total]=100&input[idempotency_key]=matrix-batch-key".into(),
            [401, 403, 403, 200, 403],
        ),
        ("/api/batches/get", format!("id={batch}"), [401, 403, 403, 200, 403]),
        (
            "/api/batches/add",
            format!("input[batch_id]={batch}&input[amount]=100&input[idempotency_key]=matrix-row-{{role}}"),
            [401, 403, 403, 200, 403],
        ),
        ("/api/batches/close", format!("id={batch_to_close}&reason=matrix+test"), [401, 403, 403, 200, 403]),
        (
            "/api/requests/submit",
            format!("input[campaign_id]=1&input[hospital_id]={hospital_a}&input[item]=1&input[quantity]=1&input[reason]=x&input[idempotency_key]=matrix-request-{{role}}"),
            [401, 200, 403, 403, 403],
        ),
        ("/api/requests/of-hospital", format!("hospital={hospital_a}"), [401, 200, 403, 200, 200]),
        ("/api/requests/detail", format!("id={to_read}"), [401, 200, 403, 200, 200]),
        (
            "/api/requests/edit",
            format!("id={to_read}&input[campaign_id]=1&input[hospital_id]={hospital_a}&input[quantity]=3&input[reason]=y"),
            [401, 200, 403, 403, 403],
        ),
        ("/api/requests/withdraw", format!("id={to_withdraw}"), [401, 200, 403, 403, 403]),
        (
            "/api/requests/decide",
            format!("input[request_id]={to_decide}&input[approve]=true&input[reason]=ok{decide_seen}"),
            [401, 403, 403, 200, 403],
        ),
        ("/api/requests/queue", "filter[campaign_id]=1".into(), [401, 403, 403, 200, 403]),
        ("/api/purchases/balance", "campaign=1".into(), [401, 403, 403, 200, 403]),
        ("/api/purchases/threshold", "campaign=1".into(), [401, 403, 403, 200, 200]),
        ("/api/purchases/set-threshold", "campaign=2&amount=50000".into(), [401, 403, 403, 403, 200]),
        (
            "/api/purchases/record",
            "input[campaign_id]=1&input[vendor_name]=v&input[invoice_no]=m{role}&input[invoice_date]=2026-11-20&input[lines][0][item]=1&input[lines][0][quantity]=1&input[lines][0][unit_price]=100&input[idempotency_key]=matrix-purchase-{role}".into(),
            [401, 403, 403, 200, 403],
        ),
        ("/api/purchases/approve", format!("id={awaiting}"), [401, 403, 403, 200, 403]),
        ("/api/purchases/void", format!("id={to_void_purchase}&reason=matrix+test"), [401, 403, 403, 200, 403]),
        ("/api/purchases/receive", format!("input[purchase_id]={to_receive}"), [401, 403, 403, 200, 403]),
        ("/api/purchases/list", "campaign=1".into(), [401, 403, 403, 200, 403]),
        ("/api/purchases/get", format!("id={received_purchase}"), [401, 403, 403, 200, 403]),
        ("/api/stock/gift", format!("reference={unstocked_gift}"), [401, 403, 403, 200, 403]),
        ("/api/stock/gifts", "campaign=1".into(), [401, 403, 403, 200, 403]),
        (
            "/api/stock/allocate",
            format!("input[campaign_id]=1&input[hospital_id]={hospital_a}&input[tags]={stock_tag}&input[reason]=matrix+test&input[idempotency_key]=matrix-allocate-{{role}}"),
            [401, 403, 403, 200, 403],
        ),
        (
            "/api/stock/dispatch",
            format!("input[campaign_id]=1&input[hospital_id]={hospital_a}&input[tags]={stock_tag}&input[dispatched_on]=2026-11-20&input[carrier]=x"),
            [401, 403, 403, 200, 403],
        ),
        // Staff A may see a unit on its way to A; to others it does not exist.
        ("/api/stock/unit", format!("tag={dispatched_tag}"), [401, 200, 404, 200, 200]),
        (
            "/api/stock/confirm",
            format!("input[hospital_id]={hospital_a}&input[tag]={dispatched_tag}&input[answer]=accept"),
            [401, 200, 403, 403, 403],
        ),
        // Staff hold the unit once they accepted it; B's staff and administrators never touch it.
        ("/api/stock/condition", format!("input[tag]={dispatched_tag}&input[condition]=working"), [401, 200, 403, 200, 403]),
        // Only finance officers write a unit off; the spare unit is still in stock.
        ("/api/stock/write-off", format!("input[tag]={spare_tag}&input[reason]=matrix+test"), [401, 403, 403, 200, 403]),
        ("/api/stock/of-campaign", "campaign=1".into(), [401, 403, 403, 200, 403]),
        // Reconciliation is the finance officer's alone. The credit is matched, then unmatched.
        ("/api/reconcile/overview", "campaign=1&query[page]=1".into(), [401, 403, 403, 200, 403]),
        ("/api/reconcile/mapping", "campaign=1".into(), [401, 403, 403, 200, 403]),
        ("/api/reconcile/match", format!("input[line_id]={twin_line}&input[reference]={twin_reference}"), [401, 403, 403, 200, 403]),
        ("/api/reconcile/unmatch", format!("line_id={twin_line}&reason=matrix+test"), [401, 403, 403, 200, 403]),
        ("/api/reconcile/gift", format!("input[line_id]={gift_line}&input[idempotency_key]=matrix-gift-{{role}}"), [401, 403, 403, 200, 403]),
        ("/api/reconcile/pledge-tail", "campaign=1&on=false".into(), [401, 403, 403, 200, 403]),
        ("/api/reconcile/lapse-days", "campaign=1&days=14".into(), [401, 403, 403, 200, 403]),
        ("/api/reconcile/confirm-group", "input[campaign_id]=1".into(), [401, 403, 403, 200, 403]),
        // The live report is the finance officer's; a settled campaign's report is everyone's.
        ("/api/finance/report", "campaign=1".into(), [401, 403, 403, 200, 403]),
        ("/api/campaigns/report", "campaign=3".into(), [200; 5]),
        ("/api/stock/of-hospital", format!("hospital={hospital_a}"), [401, 200, 403, 200, 200]),
        // Lending: the desk, register and summary name borrowers by the hospital's codes (its
        // own staff only); the counts are for finance and administrators too.
        ("/api/loans/desk", "facility_code=99001".into(), [401, 200, 403, 403, 403]),
        ("/api/loans/register", "facility_code=99001".into(), [401, 200, 403, 403, 403]),
        ("/api/loans/summary", "facility_code=99001&month=".into(), [401, 200, 403, 403, 403]),
        ("/api/loans/counts", format!("hospital={hospital_a}"), [401, 200, 403, 200, 200]),
        ("/api/stock/of-purchase", format!("purchase={received_purchase}"), [401, 403, 403, 200, 403]),
        ("/api/stock/labels", format!("purchase={received_purchase}"), [401, 403, 403, 200, 403]),
        ("/api/stock/hospitals", "campaign=1".into(), [401, 403, 403, 200, 403]),
        ("/api/units/get", format!("tag={dispatched_tag}"), [200; 5]),
        ("/api/donations/trace", format!("reference={trace_reference}"), [200; 5]),
        // Finance closes campaign 2 first; the administrator's second close is then a conflict.
        ("/api/admin/campaigns/status", "id=2&status=closed".into(), [401, 403, 403, 200, 409]),
        // Finance officers close campaigns but never open them; administrators open drafts.
        ("/api/admin/campaigns/status", format!("id={draft}&status=open"), [401, 403, 403, 403, 200]),
    ];
        let registered: BTreeSet<&str> = leptos::server_fn::axum::server_fn_paths()
            .map(|(path, _)| path)
            .collect();
        let listed: BTreeSet<&str> = server_functions.iter().map(|(path, _, _)| *path).collect();
        assert_eq!(
            registered, listed,
            "every server function must be listed in this matrix"
        );

        for (path, body, expected) in &server_functions {
            for (i, caller) in callers.iter().enumerate() {
                let body = body.replace("{role}", &i.to_string());
                let status = post_as(&app, *caller, path, &body).await.status().as_u16();
                assert_eq!(status, expected[i], "{path} as {}", names[i]);
            }
        }
        let finance_batch = format!("/finance/batches/{batch}");
        let labels = format!("/finance/purchases/{received_purchase}/labels");
        let unit_page = format!("/units/{dispatched_tag}");
        let pages: [(&str, [u16; 5]); 28] = [
            ("/finance", [401, 403, 403, 200, 403]),
            ("/finance/campaigns/1/report", [401, 403, 403, 200, 403]),
            // A campaign's exports name donors: finance officers only.
            (
                "/finance/campaigns/1/export/donations.csv",
                [401, 403, 403, 200, 403],
            ),
            (
                "/finance/campaigns/1/export/receipts.csv",
                [401, 403, 403, 200, 403],
            ),
            (
                "/finance/campaigns/3/export/purchases.csv?fiscal_year=2569",
                [401, 403, 403, 200, 403],
            ),
            (
                "/finance/campaigns/3/export/units.csv",
                [401, 403, 403, 200, 403],
            ),
            ("/campaigns/3/report", [200; 5]),
            ("/finance/reconcile?campaign=1", [401, 403, 403, 200, 403]),
            ("/finance/purchases?campaign=1", [401, 403, 403, 200, 403]),
            ("/finance/stock?campaign=1", [401, 403, 403, 200, 403]),
            (labels.as_str(), [401, 403, 403, 200, 403]),
            (unit_page.as_str(), [200; 5]),
            ("/finance/requests?campaign=1", [401, 403, 403, 200, 403]),
            ("/finance/campaigns/1", [401, 403, 403, 200, 403]),
            (finance_batch.as_str(), [401, 403, 403, 200, 403]),
            ("/admin/hospitals", [401, 403, 403, 403, 200]),
            ("/admin/catalog", [401, 403, 403, 403, 200]),
            ("/admin/partners", [401, 403, 403, 403, 200]),
            ("/admin/campaigns", [401, 403, 403, 200, 200]),
            ("/admin/campaigns/1", [401, 403, 403, 200, 200]),
            ("/admin/accounts", [401, 403, 403, 403, 200]),
            ("/admin/audit", [401, 403, 403, 200, 200]),
            ("/staff", [401, 200, 200, 403, 403]),
            ("/staff/hospitals/99001", [401, 200, 403, 200, 200]),
            // Each staff member's own hospital's desk; no desk for roles without a hospital.
            ("/staff/loans", [401, 200, 200, 403, 403]),
            ("/staff/loans/register", [401, 200, 200, 403, 403]),
            ("/staff/loans/register.csv", [401, 200, 200, 403, 403]),
            ("/staff/loans/summary", [401, 200, 200, 403, 403]),
        ];
        for (path, expected) in pages {
            for (i, caller) in callers.iter().enumerate() {
                let status = get_as(&app, *caller, path).await.status().as_u16();
                assert_eq!(status, expected[i], "page {path} as {}", names[i]);
            }
        }
        assert_eq!(callers[ANON], None);
    }
);

http_test!(
    sign_in_sets_a_fresh_http_only_session_and_sign_out_ends_it,
    |app| {
        let response = app
            .post_form(
                "/login",
                &format!("username=demo-finance&password={DEMO_PASSWORD}"),
            )
            .await;
        assert_eq!(response.status(), 303);
        assert_eq!(response.headers()["location"], "/finance");
        let set_cookie = response.headers()["set-cookie"]
            .to_str()
            .unwrap()
            .to_owned();
        assert!(
            set_cookie.contains("; HttpOnly; SameSite=Lax"),
            "{set_cookie}"
        );
        assert!(!set_cookie.contains("Secure"), "plain HTTP in tests");
        let first = set_cookie.split(';').next().unwrap().to_owned();

        // Signing in again from the same browser replaces the session.
        let again = app
            .client
            .post(format!("{}/login", app.base))
            .header("content-type", "application/x-www-form-urlencoded")
            .header("cookie", &first)
            .body(format!("username=demo-finance&password={DEMO_PASSWORD}"))
            .send()
            .await
            .unwrap();
        let second = again.headers()["set-cookie"]
            .to_str()
            .unwrap()
            .split(';')
            .next()
            .unwrap()
            .to_owned();
        assert_ne!(first, second, "a new session id at sign-in");
        let who = |cookie: String| {
            let app = &app;
            async move {
                post_as(app, Some(&cookie), "/api/session/current", "")
                    .await
                    .json::<serde_json::Value>()
                    .await
                    .unwrap()
            }
        };
        assert!(who(first.clone()).await.is_null(), "the old session ended");
        assert_eq!(who(second.clone()).await["username"], "demo-finance");

        let out = post_as(&app, Some(&second), "/logout", "").await;
        assert_eq!(out.status(), 303);
        assert!(out.headers()["set-cookie"]
            .to_str()
            .unwrap()
            .contains("Max-Age=0"));
        assert!(who(second).await.is_null(), "signed out");
    }
);

http_test!(
    failures_say_the_same_thing_and_are_throttled_with_retry_after,
    |app| {
        let unknown = app
            .post_form("/login", "username=nobody-here&password=whatever-long")
            .await;
        let wrong = app
            .post_form("/login", "username=demo-staff&password=wrong-password-1")
            .await;
        assert_eq!(unknown.status(), 303);
        assert_eq!(
            unknown.headers()["location"],
            wrong.headers()["location"],
            "no hint whether the username exists"
        );
        for _ in 0..3 {
            app.post_form("/login", "username=demo-staff&password=wrong-password-1")
                .await;
        }
        let throttled = app
            .post_form(
                "/login",
                &format!("username=demo-staff&password={DEMO_PASSWORD}"),
            )
            .await;
        assert_eq!(throttled.status(), 429);
        let retry: i64 = throttled.headers()["retry-after"]
            .to_str()
            .unwrap()
            .parse()
            .unwrap();
        assert!((1..=60).contains(&retry), "{retry}");
        // Another account is not blocked by demo-staff's failures.
        assert_eq!(
            app.post_form(
                "/login",
                &format!("username=demo-admin&password={DEMO_PASSWORD}")
            )
            .await
            .status(),
            303
        );
    }
);

http_test!(idle_expired_and_disabled_sessions_end_at_once, |app| {
    let staff = sign_in(&app, "demo-staff", DEMO_PASSWORD).await;
    let admin = sign_in(&app, "demo-admin", DEMO_PASSWORD).await;
    let current = |cookie: String| {
        let app = &app;
        async move {
            post_as(app, Some(&cookie), "/api/session/current", "")
                .await
                .json::<serde_json::Value>()
                .await
                .unwrap()
        }
    };
    assert_eq!(current(staff.clone()).await["username"], "demo-staff");

    // Idle for 31 minutes: the session is over.
    let finance = sign_in(&app, "demo-finance", DEMO_PASSWORD).await;
    let idle = app::server::db::time::instant(chrono::Utc::now() - chrono::Duration::minutes(31));
    sqlx::query("update session set last_seen_at = $1 where account_id = (select account_id from account where username = 'demo-finance')")
        .bind(idle)
        .execute(app.db.reader())
        .await
        .unwrap();
    assert!(current(finance).await.is_null());

    // Past the 12-hour limit, however active.
    let finance = sign_in(&app, "demo-finance", DEMO_PASSWORD).await;
    let past = app::server::db::time::instant(chrono::Utc::now() - chrono::Duration::seconds(1));
    sqlx::query("update session set expires_at = $1 where ended_at is null and account_id = (select account_id from account where username = 'demo-finance')")
        .bind(past)
        .execute(app.db.reader())
        .await
        .unwrap();
    assert!(current(finance).await.is_null());

    // Disabling an account ends its live session immediately.
    let (staff_id,): (i64,) =
        sqlx::query_as("select account_id from account where username = 'demo-staff'")
            .fetch_one(app.db.reader())
            .await
            .unwrap();
    let disable = post_as(
        &app,
        Some(&admin),
        "/api/accounts/set-disabled",
        &format!("id={staff_id}&disabled=true"),
    )
    .await;
    assert_eq!(disable.status(), 200);
    assert!(current(staff).await.is_null());
    let again = app
        .post_form(
            "/login",
            &format!("username=demo-staff&password={DEMO_PASSWORD}"),
        )
        .await;
    assert_eq!(
        again.headers()["location"],
        "/login?error=invalid",
        "a disabled account cannot sign in"
    );
});

http_test!(cross_site_changes_are_refused_with_403, |app| {
    let admin = sign_in(&app, "demo-admin", DEMO_PASSWORD).await;
    let evil = app
        .client
        .post(format!("{}/api/accounts/create", app.base))
        .header("cookie", &admin)
        .header("origin", "https://evil.example")
        .header("content-type", "application/x-www-form-urlencoded")
        .body("input[username]=evil-one&input[display_name]=E&input[password]=a-long-enough-password&input[role]=administrator")
        .send()
        .await
        .unwrap();
    assert_eq!(evil.status(), 403);
    let fetch_metadata = app
        .client
        .post(format!("{}/logout", app.base))
        .header("cookie", &admin)
        .header("sec-fetch-site", "cross-site")
        .send()
        .await
        .unwrap();
    assert_eq!(fetch_metadata.status(), 403);
    let (n,): (i64,) = sqlx::query_as("select count(*) from account where username = 'evil-one'")
        .fetch_one(app.db.reader())
        .await
        .unwrap();
    assert_eq!(n, 0, "nothing was created");
    assert_eq!(
        app.get("/logout").await.status(),
        405,
        "nothing changes through GET"
    );
});

http_test!(account_input_errors_are_field_specific_422s, |app| {
    let admin = sign_in(&app, "demo-admin", DEMO_PASSWORD).await;
    let response = post_as(
        &app,
        Some(&admin),
        "/api/accounts/create",
        "input[username]=x&input[display_name]=&input[password]=short&input[role]=hospital_staff&input[hospital_code]=00000&input[idempotency_key]=bad-input-key",
    )
    .await;
    assert_eq!(response.status(), 422);
    let body: serde_json::Value = response.json().await.unwrap();
    let fields: BTreeSet<String> = body["Validation"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["field"].as_str().unwrap().to_owned())
        .collect();
    let expected: BTreeSet<String> = ["username", "display_name", "password", "hospital_code"]
        .map(String::from)
        .into();
    assert_eq!(fields, expected);
    let taken = post_as(
        &app,
        Some(&admin),
        "/api/accounts/create",
        "input[username]=demo-staff&input[display_name]=D&input[password]=a-long-enough-password&input[role]=finance_officer&input[idempotency_key]=taken-name-key",
    )
    .await;
    assert_eq!(taken.status(), 422);
    let _ = NewAccountInput::default();
});

http_test!(
    the_audit_chain_records_changes_and_names_the_first_tampered_row,
    |app| {
        // The demo's own purchases and deliveries are audited before the test begins.
        let (demo_rows, _) = audit::head(&app.db).await.unwrap();
        let admin = sign_in(&app, "demo-admin", DEMO_PASSWORD).await;
        app.post_form("/login", "username=demo-admin&password=wrong-password-x")
            .await;
        staff_of_second_hospital(&app, &admin).await;
        let ChainCheck::Intact { rows } = audit::verify(&app.db).await.unwrap() else {
            panic!("chain should be intact");
        };
        assert!(
            rows >= 4,
            "sign-ins, a failure and an account creation: {rows}"
        );
        let actions: Vec<(String,)> =
            sqlx::query_as("select action from audit_log where seq > $1 order by seq")
                .bind(demo_rows)
                .fetch_all(app.db.reader())
                .await
                .unwrap();
        let actions: Vec<&str> = actions.iter().map(|(a,)| a.as_str()).collect();
        assert_eq!(
            actions[..4],
            ["sign_in", "sign_in_failed", "account_created", "sign_in"]
        );
        let refused = sqlx::query("update audit_log set detail = 'edited' where seq = 2")
            .execute(app.db.reader())
            .await;
        assert!(
            refused.is_err(),
            "the database itself refuses edits to the audit log"
        );
        common::allow_tampering(&app.db).await;
        sqlx::query("update audit_log set detail = 'edited' where seq = 2")
            .execute(app.db.reader())
            .await
            .unwrap();
        match audit::verify(&app.db).await.unwrap() {
            ChainCheck::BrokenAt { seq, .. } => assert_eq!(seq, 2),
            other => panic!("tampering went unnoticed: {other:?}"),
        }
    }
);

http_test!(
    a_campaign_is_drafted_checked_opened_and_then_public,
    |app| {
        let admin = sign_in(&app, "demo-admin", DEMO_PASSWORD).await;
        let bad = post_as(
        &app,
        Some(&admin),
        "/api/admin/campaigns/create",
        "input[title_th]=&input[goal]=100,00&input[starts_on]=2026-12-31&input[ends_on]=2026-12-01&input[promptpay_id]=1234567890122&input[idempotency_key]=drafted-bad",
    )
    .await;
        assert_eq!(bad.status(), 422);
        let body: serde_json::Value = bad.json().await.unwrap();
        let fields: BTreeSet<&str> = body["Validation"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["field"].as_str().unwrap())
            .collect();
        assert_eq!(
            fields,
            BTreeSet::from(["title_th", "goal", "ends_on", "promptpay_id"])
        );
        let (count,): (i64,) = sqlx::query_as("select count(*) from campaign")
            .fetch_one(app.db.reader())
            .await
            .unwrap();
        assert_eq!(count, 3, "nothing stored");

        let created = post_as(
        &app,
        Some(&admin),
        "/api/admin/campaigns/create",
        "input[title_th]=ผ้าป่าทดสอบ&input[goal]=50,000&input[starts_on]=2026-11-01&input[ends_on]=2027-01-31&input[promptpay_id]=081-234-5678&input[idempotency_key]=drafted-good",
    )
    .await;
        assert_eq!(created.status(), 200);
        let id: i64 = created.json().await.unwrap();
        let no_recipient = post_as(
            &app,
            Some(&admin),
            "/api/admin/campaigns/status",
            &format!("id={id}&status=open"),
        )
        .await;
        assert_eq!(
            no_recipient.status(),
            422,
            "receipts need a legal recipient"
        );
        let body: serde_json::Value = no_recipient.json().await.unwrap();
        assert_eq!(body["Validation"][0]["field"], "recipient_tax_id");
        let with_recipient = post_as(
            &app,
            Some(&admin),
            "/api/admin/campaigns/update",
            &format!("id={id}&input[title_th]=ผ้าป่าทดสอบ&input[goal]=50,000&input[starts_on]=2026-11-01&input[ends_on]=2027-01-31&input[promptpay_id]=081-234-5678&input[recipient_name_th]=มูลนิธิทดสอบ&input[recipient_tax_id]=0-0000-00000-00-1"),
        )
        .await;
        assert_eq!(with_recipient.status(), 200);
        assert_eq!(
            app.get(&format!("/campaigns/{id}")).await.status(),
            404,
            "a draft is not public"
        );
        let line = post_as(
            &app,
            Some(&admin),
            "/api/admin/campaigns/wishlist",
            &format!("id={id}&item=1&quantity=2"),
        )
        .await;
        assert_eq!(line.status(), 200);
        let open = post_as(
            &app,
            Some(&admin),
            "/api/admin/campaigns/status",
            &format!("id={id}&status=open"),
        )
        .await;
        assert_eq!(open.status(), 200);
        let reopen = post_as(
            &app,
            Some(&admin),
            "/api/admin/campaigns/status",
            &format!("id={id}&status=open"),
        )
        .await;
        assert_eq!(
            reopen.status(),
            409,
            "an open campaign cannot be opened again"
        );
        let page = app.get(&format!("/campaigns/{id}")).await;
        assert_eq!(page.status(), 200);
        let html = page.text().await.unwrap();
        assert!(html.contains("ผ้าป่าทดสอบ") && html.contains("฿50,000.00"));
        assert!(html.contains("ระดมทุนได้ 0 · ซื้อแล้ว 0 · ส่งถึง รพ.สต. แล้ว 0"));
        assert!(html.contains("จากที่ต้องการ 2"));
        let actions: Vec<(String,)> = sqlx::query_as(&format!(
        "select action from audit_log where record_type = 'campaign' and record_id = '{id}' order by seq"
    ))
    .fetch_all(app.db.reader())
    .await
    .unwrap();
        let actions: Vec<&str> = actions.iter().map(|(a,)| a.as_str()).collect();
        assert_eq!(
            actions,
            [
                "campaign_created",
                "campaign_updated",
                "wishlist_changed",
                "campaign_status"
            ]
        );
    }
);

http_test!(parallel_guesses_cannot_slip_past_the_throttle, |app| {
    let attempts = (0..20).map(|i| {
        let client = app.client.clone();
        let url = format!("{}/login", app.base);
        async move {
            client
                .post(url)
                .header("content-type", "application/x-www-form-urlencoded")
                .body(format!("username=demo-finance&password=wrong-guess-{i}"))
                .send()
                .await
                .unwrap()
                .status()
                .as_u16()
        }
    });
    let statuses: Vec<u16> = futures_join_all(attempts).await;
    let checked = statuses.iter().filter(|&&s| s == 303).count();
    let throttled = statuses.iter().filter(|&&s| s == 429).count();
    assert_eq!(checked + throttled, 20, "{statuses:?}");
    assert!(
        checked <= 4,
        "only the free failures and one more reach the password check: {statuses:?}"
    );
    let (failures,): (i64,) = sqlx::query_as(
        "select failures from sign_in_throttle where throttle_key like 'pair:demo-finance|%'",
    )
    .fetch_one(app.db.reader())
    .await
    .unwrap();
    assert_eq!(
        failures as usize, checked,
        "every checked guess was counted"
    );
});

/// Campaign 3's receiving account as stored, as form fields to append to an edit.
async fn campaign_payee(app: &TestApp, campaign: i64) -> String {
    let row: (String, String, String, String) = sqlx::query_as(
        "select promptpay_id, bank_name, bank_account_no, bank_account_name from campaign where campaign_id = $1",
    )
    .bind(campaign)
    .fetch_one(app.db.reader())
    .await
    .unwrap();
    let (promptpay, bank, number, name) = row;
    [
        ("promptpay_id", promptpay),
        ("bank_name", bank),
        ("bank_account_no", number),
        ("bank_account_name", name),
    ]
    .iter()
    .map(|(field, value)| format!("&input[{field}]={}", urlencode(value)))
    .collect()
}

/// Percent-encodes a form value.
fn urlencode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// Runs futures concurrently on the test's runtime.
async fn futures_join_all<F: std::future::Future<Output = u16> + Send + 'static>(
    futures: impl Iterator<Item = F>,
) -> Vec<u16> {
    let handles: Vec<_> = futures.map(tokio::spawn).collect();
    let mut out = Vec::new();
    for h in handles {
        out.push(h.await.unwrap());
    }
    out
}

http_test!(
    a_role_change_moves_staff_to_another_hospital_and_ends_their_session,
    |app| {
        let admin = sign_in(&app, "demo-admin", DEMO_PASSWORD).await;
        let staff = sign_in(&app, "demo-staff", DEMO_PASSWORD).await;
        let (staff_id,): (i64,) =
            sqlx::query_as("select account_id from account where username = 'demo-staff'")
                .fetch_one(app.db.reader())
                .await
                .unwrap();
        let bad = post_as(
            &app,
            Some(&admin),
            "/api/accounts/set-role",
            &format!("id={staff_id}&role=hospital_staff&hospital_code=00000"),
        )
        .await;
        assert_eq!(bad.status(), 422);
        let moved = post_as(
            &app,
            Some(&admin),
            "/api/accounts/set-role",
            &format!("id={staff_id}&role=hospital_staff&hospital_code=99002"),
        )
        .await;
        assert_eq!(moved.status(), 200);
        assert!(post_as(&app, Some(&staff), "/api/session/current", "")
            .await
            .json::<serde_json::Value>()
            .await
            .unwrap()
            .is_null());
        let staff = sign_in(&app, "demo-staff", DEMO_PASSWORD).await;
        assert_eq!(
            post_as(
                &app,
                Some(&staff),
                "/api/hospitals/internals",
                "facility_code=99002"
            )
            .await
            .status(),
            200
        );
        assert_eq!(
            post_as(
                &app,
                Some(&staff),
                "/api/hospitals/internals",
                "facility_code=99001"
            )
            .await
            .status(),
            403
        );
        let (admin_id,): (i64,) =
            sqlx::query_as("select account_id from account where username = 'demo-admin'")
                .fetch_one(app.db.reader())
                .await
                .unwrap();
        let own = post_as(
            &app,
            Some(&admin),
            "/api/accounts/set-role",
            &format!("id={admin_id}&role=finance_officer"),
        )
        .await;
        assert_eq!(
            own.status(),
            422,
            "an administrator cannot demote themselves"
        );
    }
);

http_test!(hospitals_and_partners_can_be_taken_off_a_campaign, |app| {
    let admin = sign_in(&app, "demo-admin", DEMO_PASSWORD).await;
    let served = |app: &TestApp| {
        let db = app.db.clone();
        async move {
            let (n,): (i64,) =
                sqlx::query_as("select count(*) from campaign_hospital where campaign_id = 1")
                    .fetch_one(db.reader())
                    .await
                    .unwrap();
            n
        }
    };
    let before = served(&app).await;
    let removed = post_as(
        &app,
        Some(&admin),
        "/api/admin/campaigns/hospital",
        "id=1&facility_code=99001",
    )
    .await;
    assert_eq!(removed.status(), 200);
    assert_eq!(served(&app).await, before - 1);
    let unknown = post_as(
        &app,
        Some(&admin),
        "/api/admin/campaigns/hospital",
        "id=1&facility_code=12345&served=true",
    )
    .await;
    assert_eq!(unknown.status(), 422);
    let partner = post_as(
        &app,
        Some(&admin),
        "/api/admin/campaigns/partner",
        "id=1&partner=1",
    )
    .await;
    assert_eq!(partner.status(), 200);
    let (organisers,): (i64,) = sqlx::query_as(
        "select count(*) from campaign_partner where campaign_id = 1 and partner_id = 1",
    )
    .fetch_one(app.db.reader())
    .await
    .unwrap();
    assert_eq!(organisers, 0);
});

/// Posts a statement file's bytes as the browser does.
async fn upload(
    app: &TestApp,
    cookie: Option<&str>,
    path: &str,
    bytes: Vec<u8>,
) -> reqwest::Response {
    let mut request = app
        .client
        .post(format!("{}{path}", app.base))
        .header("content-type", "application/octet-stream")
        .body(bytes);
    if let Some(cookie) = cookie {
        request = request.header("cookie", cookie);
    }
    request.send().await.unwrap()
}

http_test!(
    statement_uploads_are_the_finance_officers_and_refused_by_size,
    |app| {
        let finance = sign_in(&app, "demo-finance", DEMO_PASSWORD).await;
        let staff = sign_in(&app, "demo-staff", DEMO_PASSWORD).await;
        let file = std::fs::read(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../end2end/fixtures/kbiz-statement-utf8.csv"
        ))
        .unwrap();
        let preview = "/finance/campaigns/1/statements/preview?name=kbiz.csv";
        let import = "/finance/campaigns/1/statements/import?name=kbiz.csv";
        assert_eq!(
            upload(&app, None, preview, file.clone()).await.status(),
            401
        );
        assert_eq!(
            upload(&app, Some(&staff), import, file.clone())
                .await
                .status(),
            403
        );
        let lines = || async {
            let (n,): (i64,) = sqlx::query_as("select count(*) from bank_line")
                .fetch_one(app.db.reader())
                .await
                .unwrap();
            n
        };
        // The demo's own statement is there already.
        let demo = lines().await;
        assert!(demo > 0, "the demo has a statement");

        let shown: serde_json::Value = upload(&app, Some(&finance), preview, file.clone())
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(shown["line_count"], 20, "{shown}");
        assert_eq!(
            shown["problems"].as_array().map(Vec::len),
            Some(0),
            "{shown}"
        );
        assert_eq!(
            lines().await,
            demo,
            "neither staff nor a preview stored anything"
        );

        let first = upload(&app, Some(&finance), import, file.clone()).await;
        assert_eq!(first.status(), 200);
        let first: serde_json::Value = first.json().await.unwrap();
        assert_eq!(first["new_lines"], 20, "{first}");
        let again: serde_json::Value = upload(&app, Some(&finance), import, file.clone())
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(
            (again["new_lines"].clone(), again["known_lines"].clone()),
            (0.into(), 20.into()),
            "{again}"
        );
        assert_eq!(
            lines().await,
            demo + 20,
            "a file imported twice is stored once"
        );

        // A bad mapping and a malformed file name their field; nothing is stored.
        let bad = upload(
            &app,
            Some(&finance),
            "/finance/campaigns/1/statements/import?mapping=%7Bnope",
            file.clone(),
        )
        .await;
        assert_eq!(bad.status(), 422);
        assert!(bad.text().await.unwrap().contains("mapping"));
        let malformed = std::fs::read(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../end2end/fixtures/malformed-statement.csv"
        ))
        .unwrap();
        let refused = upload(&app, Some(&finance), import, malformed).await;
        assert_eq!(refused.status(), 422);
        let text = refused.text().await.unwrap();
        assert!(text.contains("\"file\"") && text.contains("15"), "{text}");
        assert_eq!(lines().await, demo + 20);

        // A 100 MB upload is refused by its declared size before a byte of it is read.
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        let address = app.base.trim_start_matches("http://").to_owned();
        let mut socket = tokio::net::TcpStream::connect(&address).await.unwrap();
        let head = format!(
        "POST {import} HTTP/1.1\r\nHost: {address}\r\nCookie: {finance}\r\nContent-Type: application/octet-stream\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        100 * 1024 * 1024
    );
        socket.write_all(head.as_bytes()).await.unwrap();
        socket.write_all(&[b'x'; 4096]).await.unwrap();
        let mut answer = vec![0_u8; 4096];
        let n = socket.read(&mut answer).await.unwrap();
        let answer = String::from_utf8_lossy(&answer[..n]).to_string();
        assert!(answer.starts_with("HTTP/1.1 413"), "{answer}");
        assert!(answer.contains("20 MB"), "{answer}");
        assert_eq!(lines().await, demo + 20);
    }
);
