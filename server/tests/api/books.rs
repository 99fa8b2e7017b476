//! The books cannot be quietly redirected or rewritten, on SQLite and PostgreSQL: a pledge keeps
//! the payee it was shown, a receipt keeps its recipient's words and cannot be changed or
//! removed, dates cannot go back before a pledge or into a closed fiscal year without a reason,
//! money events record who called from where, batches open once per key, lists page past a
//! hundred rows, and only finance officers see a donor's private details.

use crate::common;

use app::error::AppError;
use app::model::account::{AccountId, CurrentUser, Role};
use app::model::admin::CampaignInput;
use app::model::donation::{
    fiscal_year, fiscal_year_days, BatchInput, BatchRowInput, DonationInput, PledgeInput,
};
use app::model::status::{DonationChannel, DonationStatus};
use app::model::Money;
use app::model::{BatchId, CampaignId};
use app::server::db::donation::{self, NewRow};
use app::server::db::donor::{self, NewDonor};
use app::server::demo::DEMO_PASSWORD;
use app::server::donations::Confirmation;
use app::server::service::campaigns;
use app::server::service::donation_view::{self, Pages};
use app::server::{batches, donations, receipts, Caller, Db, Engine};
use common::{get_as, post_as, sign_in};
use serde_json::Value;
use std::time::Duration;

fn key() -> String {
    format!("books-{:032x}", rand::random::<u128>())
}

/// The demo's finance officer, as the services see them.
async fn demo_finance(db: &Db) -> CurrentUser {
    let (id,): (i64,) =
        sqlx::query_as("select account_id from account where username = 'demo-finance'")
            .fetch_one(db.reader())
            .await
            .unwrap();
    CurrentUser {
        account_id: AccountId(id),
        username: "demo-finance".into(),
        display_name: "demo".into(),
        role: Role::FinanceOfficer,
    }
}

async fn pledge(db: &Db, satang: i64) -> String {
    let input = PledgeInput {
        campaign_id: CampaignId(1),
        amount: format!("{}.{:02}", satang / 100, satang % 100),
        idempotency_key: key(),
        ..PledgeInput::default()
    };
    donations::pledge(db, &Caller::anonymous().at("198.51.100.4"), &input)
        .await
        .unwrap()
        .reference
}

fn gift(amount: &str) -> DonationInput {
    DonationInput {
        campaign_id: CampaignId(1),
        channel: "cash".into(),
        amount: amount.into(),
        idempotency_key: key(),
        ..DonationInput::default()
    }
}

fn field_of(result: Result<impl std::fmt::Debug, AppError>) -> String {
    match result {
        Err(AppError::Validation(fields)) => fields[0].field.clone(),
        other => panic!("expected a field error, got {other:?}"),
    }
}

http_test!(a_pledge_keeps_the_payee_it_was_shown, |app| {
    let db = &app.db;
    let reference = pledge(db, 50_000).await;
    let shown = donation_view::pledge_payload(db, &reference).await.unwrap();
    // The campaign's receiving account changes afterwards (an approved change, or an intruder).
    sqlx::query("update campaign set promptpay_id = '0899999999', bank_account_name = 'someone else' where campaign_id = 1")
        .execute(db.reader())
        .await
        .unwrap();
    assert_eq!(
        donation_view::pledge_payload(db, &reference).await.unwrap(),
        shown,
        "a waiting pledge still shows the payee it was made with"
    );
    let view = donation_view::view(db, &Caller::anonymous(), &reference)
        .await
        .unwrap();
    let payment = view.promptpay.expect("a QR code");
    assert_ne!(payment.payee, "someone else");
    assert!(!payment.promptpay_id.ends_with("9999"));
    // A pledge made now is shown the new account.
    let later = pledge(db, 50_000).await;
    let new_payload = donation_view::pledge_payload(db, &later).await.unwrap();
    assert_ne!(new_payload, shown);
    assert!(new_payload.contains("0066899999999"), "{new_payload}");
});

http_test!(
    a_receipt_prints_the_recipient_as_it_was_when_issued,
    |app| {
        let db = &app.db;
        let finance = Caller::signed_in(&demo_finance(db).await);
        let before = donations::record(db, &finance, &gift("300")).await.unwrap();
        sqlx::query("update legal_recipient set name_th = 'ชื่อใหม่', address_th = 'ที่อยู่ใหม่'")
            .execute(db.reader())
            .await
            .unwrap();
        let after = donations::record(db, &finance, &gift("300")).await.unwrap();
        let mut pages = Vec::new();
        for reference in [&before.reference, &after.reference] {
            let page = app.get(&format!("/donations/{reference}/receipt")).await;
            pages.push(page.text().await.unwrap());
        }
        assert!(
            !pages[0].contains("ชื่อใหม่"),
            "an issued receipt is not renamed"
        );
        assert!(
            pages[1].contains("ชื่อใหม่"),
            "a new receipt carries the new name"
        );
    }
);

on_both_engines!(receipts_cannot_be_changed_or_removed, |db: Db| async move {
    let finance = Caller::signed_in(&new_finance_officer(&db).await);
    let campaign = open_campaign(&db).await;
    let mut input = gift("100");
    input.campaign_id = campaign;
    donations::record(&db, &finance, &input).await.unwrap();
    let mut attempts = vec![
        "update receipt set amount_satang = 1",
        "update receipt set recipient_name_th = 'x'",
        "delete from receipt",
    ];
    if db.engine() == Engine::Postgres {
        attempts.push("truncate receipt");
    }
    for sql in attempts {
        let refused = sqlx::query(sql).execute(db.reader()).await;
        let error = refused.expect_err(sql).to_string();
        assert!(error.contains("receipt is append-only"), "{sql}: {error}");
    }
});

http_test!(
    dates_cannot_go_before_the_pledge_or_into_a_closed_year_unexplained,
    |app| {
        let db = &app.db;
        let finance = Caller::signed_in(&demo_finance(db).await);
        let today = app::server::today();
        let yesterday = (today - chrono::Duration::days(1)).to_string();
        let reference = pledge(db, 10_000).await;
        let early = Confirmation {
            received_on: &yesterday,
            ..Confirmation::default()
        };
        assert_eq!(
            field_of(donations::confirm(db, &finance, &reference, &early).await),
            "received_on",
            "money cannot arrive before the pledge was made"
        );
        // A gift dated in the fiscal year before this one needs a written reason.
        let (_, last_year_end) = fiscal_year_days(fiscal_year(today) - 1).unwrap();
        let mut old = gift("700");
        old.received_on = last_year_end.to_string();
        assert_eq!(
            field_of(donations::record(db, &finance, &old).await),
            "backdate_reason"
        );
        old.backdate_reason = "envelope found in the temple safe".into();
        let created = donations::record(db, &finance, &old).await.unwrap();
        assert_eq!(
            created.receipt.unwrap().fiscal_year,
            fiscal_year(last_year_end)
        );
        let (kept,): (Option<String>,) =
            sqlx::query_as("select backdate_reason from donation where reference_code = $1")
                .bind(&created.reference)
                .fetch_one(db.reader())
                .await
                .unwrap();
        assert_eq!(kept.as_deref(), Some("envelope found in the temple safe"));
        // The same for a pledge made last fiscal year and confirmed into it now.
        let old_pledge = pledge(db, 10_000).await;
        sqlx::query("update donation set created_at = $1 where reference_code = $2")
            .bind(format!(
                "{}T01:00:00.000000Z",
                last_year_end - chrono::Duration::days(3)
            ))
            .bind(&old_pledge)
            .execute(db.reader())
            .await
            .unwrap();
        let date = last_year_end.to_string();
        let mut typed = Confirmation {
            received_on: &date,
            ..Confirmation::default()
        };
        assert_eq!(
            field_of(donations::confirm(db, &finance, &old_pledge, &typed).await),
            "backdate_reason"
        );
        typed.backdate_reason = "bank statement arrived late";
        donations::confirm(db, &finance, &old_pledge, &typed)
            .await
            .unwrap();
    }
);

http_test!(money_events_record_the_callers_address, |app| {
    let finance = sign_in(&app, "demo-finance", DEMO_PASSWORD).await;
    let body = format!(
        "input[campaign_id]=1&input[channel]=cash&input[amount]=250&input[idempotency_key]={}",
        key()
    );
    let created: Value = post_as(&app, Some(&finance), "/api/donations/record", &body)
        .await
        .json()
        .await
        .unwrap();
    let pledge = format!(
        "input[campaign_id]=1&input[amount]=100&input[idempotency_key]={}",
        key()
    );
    let pledged = post_as(&app, None, "/api/donations/pledge", &pledge).await;
    assert!(pledged.status().is_success() || pledged.status().is_redirection());
    let rows: Vec<(String, Option<String>)> = sqlx::query_as(
        "select action, client_address from audit_log
         where action in ('donation_recorded', 'donation_pledged') and seq > 0 order by seq desc limit 2",
    )
    .fetch_all(app.db.reader())
    .await
    .unwrap();
    assert_eq!(rows.len(), 2);
    for (action, address) in rows {
        assert_eq!(address.as_deref(), Some("127.0.0.1"), "{action}");
    }
    assert!(created["reference"].is_string());
});

http_test!(a_batch_opened_twice_with_one_key_is_one_batch, |app| {
    let finance = sign_in(&app, "demo-finance", DEMO_PASSWORD).await;
    let form = |label: &str, key: &str| {
        format!("input[campaign_id]=1&input[label]={label}&input[expected_count]=2&input[expected_total]=200&input[idempotency_key]={key}")
    };
    let key = key();
    let first = post_as(&app, Some(&finance), "/api/batches/open", &form("a", &key)).await;
    let second = post_as(&app, Some(&finance), "/api/batches/open", &form("a", &key)).await;
    assert_eq!(first.status(), 200);
    assert_eq!(second.status(), 200);
    let (a, b): (i64, i64) = (first.json().await.unwrap(), second.json().await.unwrap());
    assert_eq!(a, b, "the replay names the same batch");
    let other = post_as(&app, Some(&finance), "/api/batches/open", &form("b", &key)).await;
    assert_eq!(other.status(), 409, "the same key with other content");
    let none = post_as(&app, Some(&finance), "/api/batches/open", &form("c", "")).await;
    assert_eq!(none.status(), 422);
    let (count,): (i64,) = sqlx::query_as("select count(*) from donation_batch where label = 'a'")
        .fetch_one(app.db.reader())
        .await
        .unwrap();
    assert_eq!(count, 1);
});

http_test!(envelope_one_hundred_and_one_can_be_found, |app| {
    let db = &app.db;
    let finance = Caller::signed_in(&demo_finance(db).await);
    let open = BatchInput {
        campaign_id: CampaignId(1),
        label: "long night".into(),
        expected_count: "105".into(),
        expected_total: "10500".into(),
        idempotency_key: key(),
    };
    let batch: BatchId = batches::open(db, &finance, &open).await.unwrap();
    let mut references = Vec::new();
    for _ in 0..105 {
        let row = BatchRowInput {
            batch_id: batch,
            amount: "100".into(),
            idempotency_key: key(),
            ..BatchRowInput::default()
        };
        references.push(
            batches::add_row(db, &finance, &row)
                .await
                .unwrap()
                .reference,
        );
    }
    let first = batches::view(db, &finance, batch, None).await.unwrap();
    assert_eq!(first.rows.len(), 100);
    let second = batches::view(db, &finance, batch, first.older)
        .await
        .unwrap();
    assert_eq!(second.rows.len(), 5);
    assert_eq!(second.older, None);
    assert_eq!(
        second.rows.last().unwrap().reference,
        references[0],
        "the first envelope typed"
    );
    // Pledges page the same way on the campaign's money page.
    for _ in 0..101 {
        pledge(db, 2_000).await;
    }
    let page = donation_view::finance_campaign(db, &finance, CampaignId(1), Pages::default())
        .await
        .unwrap();
    assert_eq!(page.pledges.len(), 100);
    let older = Pages {
        pledges_before: page.pledges_older,
        ..Pages::default()
    };
    let next = donation_view::finance_campaign(db, &finance, CampaignId(1), older)
        .await
        .unwrap();
    assert!(!next.pledges.is_empty());
    assert!(next.pledges.iter().all(|p| !page.pledges.contains(p)));
    // Over HTTP the page links to the older envelopes.
    let cookie = sign_in(&app, "demo-finance", DEMO_PASSWORD).await;
    let html = get_as(&app, Some(&cookie), &format!("/finance/batches/{batch}"))
        .await
        .text()
        .await
        .unwrap();
    assert!(html.contains("?before="), "a link to the older envelopes");
});

http_test!(only_finance_officers_see_a_donors_private_details, |app| {
    let reference = pledge(&app.db, 10_000).await;
    let staff = sign_in(&app, "demo-staff", DEMO_PASSWORD).await;
    let admin = sign_in(&app, "demo-admin", DEMO_PASSWORD).await;
    let finance = sign_in(&app, "demo-finance", DEMO_PASSWORD).await;
    let body = format!("reference={reference}");
    for (who, cookie, sees) in [
        ("anonymous", None, false),
        ("staff", Some(staff.as_str()), false),
        ("admin", Some(admin.as_str()), false),
        ("finance", Some(finance.as_str()), true),
    ] {
        let view: Value = post_as(&app, cookie, "/api/donations/get", &body)
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(view["reference"], reference.as_str(), "{who}");
        assert_eq!(
            !view["private"].is_null(),
            sees,
            "{who}: {}",
            view["private"]
        );
    }
});

on_both_engines!(
    a_recipient_cannot_change_under_a_receipt_being_issued,
    |db: Db| async move {
        let campaign = open_campaign(&db).await;
        let admin = common::account_with_role(&db, "books-admin", Role::Administrator).await;
        // A receipt is being issued: its transaction has read the recipient and written the
        // receipt, and has not committed yet.
        let mut issuing = db.begin().await.unwrap();
        let recipient = receipts::recipient_of(&mut issuing, campaign)
            .await
            .unwrap();
        let donor = donor::insert(&mut issuing, &NewDonor::default())
            .await
            .unwrap();
        let row = NewRow {
            campaign_id: campaign,
            donor_id: donor,
            amount: Money::from_satang(10_000),
            channel: DonationChannel::Cash,
            status: DonationStatus::Received,
            received_at: Some(chrono::Utc::now()),
            reference_code: "PP-RACE-TEST-0000-0001".into(),
            note: None,
            batch: None,
            recorded_by: None,
            payee: None,
            backdate_reason: None,
            match_by_hand: false,
            tail_unique: false,
        };
        let donation = donation::insert(&mut issuing, &row).await.unwrap();
        receipts::issue_for(
            &mut issuing,
            &recipient,
            donation,
            row.amount,
            chrono::Utc::now(),
            None,
        )
        .await
        .unwrap();
        // Meanwhile an administrator names another legal recipient for the campaign.
        let change = tokio::spawn({
            let db = db.clone();
            async move {
                let input = CampaignInput {
                    title_th: "ทดสอบ".into(),
                    goal: "1000".into(),
                    starts_on: "2026-01-01".into(),
                    ends_on: "2030-12-31".into(),
                    recipient_tax_id: "3-1009-00174-21-1".into(),
                    recipient_name_th: "องค์กรอื่น".into(),
                    ..CampaignInput::default()
                };
                let caller = Caller::signed_in(&admin);
                campaigns::update_campaign(&db, &caller, campaign, &input).await
            }
        });
        tokio::time::sleep(Duration::from_millis(400)).await;
        issuing.commit().await.unwrap();
        let changed = tokio::time::timeout(Duration::from_secs(20), change)
            .await
            .expect("the change finishes once the receipt is committed")
            .unwrap();
        match changed {
            Err(AppError::Validation(fields)) => assert!(
                fields[0].field == "recipient_tax_id"
                    && fields[0].en.starts_with("Receipts have been issued"),
                "the change must see the receipt that was being issued: {fields:?}"
            ),
            other => panic!("the change must see the receipt that was being issued: {other:?}"),
        }
    }
);

/// A finance officer on a database without the demo.
async fn new_finance_officer(db: &Db) -> CurrentUser {
    common::account_with_role(db, "books-finance", Role::FinanceOfficer).await
}

/// An open campaign with a legal recipient, on a database without the demo.
async fn open_campaign(db: &Db) -> CampaignId {
    let mut tx = db.begin().await.unwrap();
    let (recipient,): (i64,) = sqlx::query_as(
        "insert into legal_recipient (tax_id, name_th, created_at) values ('0000000000001', 'มูลนิธิ', '2026-01-01T00:00:00Z')
         returning legal_recipient_id",
    )
    .fetch_one(&mut *tx)
    .await
    .unwrap();
    let (id,): (i64,) = sqlx::query_as(
        "insert into campaign (title_th, goal_satang, starts_on, ends_on, status, legal_recipient_id, created_at)
         values ('ทดสอบ', 100000, '2026-01-01', '2030-12-31', 'open', $1, '2026-01-01T00:00:00Z') returning campaign_id",
    )
    .bind(recipient)
    .fetch_one(&mut *tx)
    .await
    .unwrap();
    sqlx::query(
        "insert into campaign_fund (campaign_id, updated_at) values ($1, '2026-01-01T00:00:00Z')",
    )
    .bind(id)
    .execute(&mut *tx)
    .await
    .unwrap();
    tx.commit().await.unwrap();
    CampaignId(id)
}
