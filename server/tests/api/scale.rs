//! Staff pages at province scale, on SQLite and PostgreSQL: the report reads a campaign's money
//! from the hours and journal sums kept beside the journal (never from its gifts), those kept rows
//! follow every posting (gifts in and voided, purchases, carries) and `check-ledger` catches any
//! that drifts; exports are streamed in chunks; the demo grows through the real ledger path.

use crate::common;

use app::model::donation::DonationInput;
use app::model::CampaignId;
use app::server::demo::DEMO_PASSWORD;
use app::server::service::settlement;
use app::server::{donations, ledger, Caller, Db};
use common::{get_as, sign_in};

async fn finance(db: &Db) -> Caller {
    Caller::signed_in(&common::demo_user(db, "demo-finance").await).at("203.0.113.41")
}

async fn one(db: &Db, sql: &str) -> i64 {
    let (n,): (i64,) = sqlx::query_as(sql).fetch_one(db.reader()).await.unwrap();
    n
}

/// Every violation `check-ledger` finds, as text.
async fn violations(db: &Db) -> Vec<String> {
    ledger::check(db)
        .await
        .unwrap()
        .into_iter()
        .map(|v| v.0)
        .collect()
}

http_test!(kept_sums_follow_every_posting_and_drift_is_caught, |app| {
    let db = &app.db;
    // The demo posted gifts, voids, purchases and a carry-over: all already kept.
    assert_eq!(violations(db).await, Vec::<String>::new());
    let lines = one(
        db,
        "select cast(sum(debit_satang) as bigint) from journal_line where campaign_id = 1 and account = 'fund_cash'",
    )
    .await;
    let kept = one(
        db,
        "select debit_satang from journal_balance where campaign_id = 1 and account = 'fund_cash'",
    )
    .await;
    assert_eq!(kept, lines);

    // A gift in and voided moves the kept rows both ways.
    let caller = finance(db).await;
    let gift = donations::record(
        db,
        &caller,
        &DonationInput {
            campaign_id: CampaignId(1),
            channel: "promptpay".into(),
            amount: "777.77".into(),
            donor_name: "คุณทดสอบ ขนาดจังหวัด".into(),
            idempotency_key: format!("scale-{:032x}", rand::random::<u128>()),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    let promptpay = "select cast(coalesce(sum(satang), 0) as bigint) from campaign_money_hour
                     where campaign_id = 1 and channel = 'promptpay'";
    let before_void = one(db, promptpay).await;
    donations::void(db, &caller, &gift.reference, "บันทึกซ้ำ ทดสอบ")
        .await
        .unwrap();
    assert_eq!(one(db, promptpay).await, before_void - 77_777);
    assert_eq!(violations(db).await, Vec::<String>::new());

    // Rows changed behind the ledger's back are named by check-ledger.
    sqlx::query(
        "update journal_balance set debit_satang = debit_satang + 1
         where campaign_id = 1 and account = 'fund_cash'",
    )
    .execute(db.reader())
    .await
    .unwrap();
    sqlx::query(
        "update campaign_money_hour set gifts = gifts + 1
         where campaign_id = 1 and hour = (select min(hour) from campaign_money_hour where campaign_id = 1)",
    )
    .execute(db.reader())
    .await
    .unwrap();
    let found = violations(db).await;
    assert!(
        found
            .iter()
            .any(|v| v.starts_with("campaign 1: kept fund_cash debits")),
        "{found:?}"
    );
    assert!(
        found.iter().any(|v| v.starts_with("campaign 1: hour ")),
        "{found:?}"
    );
});

http_test!(the_report_reads_money_from_the_kept_hours, |app| {
    let db = &app.db;
    let caller = finance(db).await;
    let report = settlement::report(db, &caller, CampaignId(1))
        .await
        .unwrap();
    let raised = one(
        db,
        "select raised_satang + in_kind_satang from campaign_fund where campaign_id = 1",
    )
    .await;
    let by_channel: i64 = report.money_in.iter().map(|l| l.amount.satang()).sum();
    assert_eq!(by_channel + report.in_kind.amount.satang(), raised);
    let by_day: i64 = report.money_in_days.iter().map(|d| d.amount.satang()).sum();
    assert_eq!(
        by_day,
        one(
            db,
            "select raised_satang from campaign_fund where campaign_id = 1"
        )
        .await
    );
    // Move one kept satang between hours: the report follows the kept rows (it does not add up
    // the gifts), and check-ledger is what notices.
    sqlx::query(
        "update campaign_money_hour set satang = satang + 1
         where campaign_id = 1 and channel = 'cash'
           and hour = (select min(hour) from campaign_money_hour where campaign_id = 1 and channel = 'cash')",
    )
    .execute(db.reader())
    .await
    .unwrap();
    let moved = settlement::report(db, &caller, CampaignId(1))
        .await
        .unwrap();
    let money_in = |r: &app::model::report::CampaignReport| -> i64 {
        r.money_in.iter().map(|l| l.amount.satang()).sum()
    };
    assert_eq!(money_in(&moved), money_in(&report) + 1);
    assert!(!violations(db).await.is_empty());
    // Such a report is never published: settling refuses, naming the kept totals.
    let settle = |campaign: i64| {
        let caller = &caller;
        async move {
            let input = app::model::report::SettleInput {
                campaign_id: campaign,
                carry_to: String::new(),
            };
            settlement::settle(db, caller, &input).await
        }
    };
    match settle(1).await {
        Err(app::error::AppError::StateConflict { en, .. }) => {
            assert!(en.starts_with("The kept totals differ"), "{en}")
        }
        other => panic!("{other:?}"),
    }
    // Another campaign's books are untouched: its refusal is its own (it is still open).
    let not_kept = |answer: Result<_, app::error::AppError>| match answer {
        Err(app::error::AppError::StateConflict { en, .. }) => {
            assert!(!en.starts_with("The kept totals differ"), "{en}")
        }
        Ok(_) => {}
        Err(other) => panic!("{other:?}"),
    };
    not_kept(settle(2).await);

    // rebuild-kept puts the kept rows back from the books.
    let (hours, balances) = ledger::rebuild_kept(db).await.unwrap();
    assert!(hours > 0 && balances > 0);
    assert_eq!(violations(db).await, Vec::<String>::new());
    assert_eq!(
        money_in(
            &settlement::report(db, &caller, CampaignId(1))
                .await
                .unwrap()
        ),
        money_in(&report)
    );
    // A satang moved from one kept row to another leaves every total as it was, yet the report's
    // days or channels would be wrong: settling looks row by row and refuses.
    for (sign, pick) in [(-1, "min"), (1, "max")] {
        sqlx::query(&format!(
            "update campaign_money_hour set satang = satang + ({sign})
             where campaign_id = 1 and hour || '/' || channel = (
               select {pick}(hour || '/' || channel) from campaign_money_hour
               where campaign_id = 1 and channel <> 'in_kind')"
        ))
        .execute(db.reader())
        .await
        .unwrap();
    }
    match settle(1).await {
        Err(app::error::AppError::StateConflict { en, .. }) => {
            assert!(en.starts_with("The kept totals differ"), "{en}")
        }
        other => panic!("{other:?}"),
    }
    ledger::rebuild_kept(db).await.unwrap();
    assert_eq!(violations(db).await, Vec::<String>::new());
    not_kept(settle(1).await);
});

http_test!(a_grown_campaign_exports_in_chunks, |app| {
    let db = &app.db;
    let gifts = || {
        one(
            db,
            "select donation_count from campaign_fund where campaign_id = 1",
        )
    };
    let before = gifts().await;
    let campaign = app::server::demo::grow(db, 1_200, app::server::today())
        .await
        .unwrap();
    assert_eq!(campaign, CampaignId(1));
    assert_eq!(gifts().await, before + 1_200);
    assert_eq!(violations(db).await, Vec::<String>::new());

    let finance = sign_in(&app, "demo-finance", DEMO_PASSWORD).await;
    let response = get_as(
        &app,
        Some(&finance),
        "/finance/campaigns/1/export/donations.csv",
    )
    .await;
    assert_eq!(response.status(), 200);
    // Streamed: no length known up front, sent in chunks.
    assert!(response.headers().get("content-length").is_none());
    let body = response.text().await.unwrap();
    assert!(body.len() > 128 * 1024, "{} bytes", body.len());
    let rows = csv::ReaderBuilder::new()
        .from_reader(body.trim_start_matches('\u{feff}').as_bytes())
        .records()
        .map(Result::unwrap)
        .count();
    let all = one(db, "select count(*) from donation where campaign_id = 1").await;
    assert_eq!(i64::try_from(rows).unwrap(), all);
});

/// SQLite's plan for one statement, its steps joined (parameters left unbound).
async fn plan(db: &Db, sql: &str) -> String {
    let steps: Vec<(i64, i64, i64, String)> = sqlx::query_as(&format!("explain query plan {sql}"))
        .fetch_all(db.reader())
        .await
        .unwrap();
    steps
        .into_iter()
        .map(|(_, _, _, step)| step)
        .collect::<Vec<_>>()
        .join(" | ")
}

/// Migration 18 on SQLite: check-ledger compares the kept hours by reading the received gifts
/// from their index in hour order (no sort of every gift), while the statements that read every
/// received gift for something else (the distinct donors, the receipts check) keep their own
/// plans (through that index in hour order they were several times slower).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_reads_the_received_hours_from_their_index_and_only_they_do() {
    let place = common::TestDb::sqlite();
    let app = common::TestApp::spawn(&place.url).await;
    let db = &app.db;
    let hours = plan(db, app::server::db::money_hour::RECEIVED_BY_HOUR).await;
    assert!(hours.contains("donation_received_hours"), "{hours}");
    assert!(!hours.contains("TEMP B-TREE"), "{hours}");
    for other in [
        app::server::db::journal::FUND_CHECKS,
        app::server::db::receipt::MISSING,
    ] {
        let steps = plan(db, other).await;
        assert!(!steps.contains("donation_received_hours"), "{steps}");
    }
    // On a small database without statistics the planner keeps those plans even when the index
    // would allow it; what keeps them on a large one is the index's own condition.
    let (index,): (String,) =
        sqlx::query_as("select sql from sqlite_master where name = 'donation_received_hours'")
            .fetch_one(db.reader())
            .await
            .unwrap();
    assert!(index.contains("channel <> ''"), "{index}");
}
