//! Two servers on one PostgreSQL database allow together what one allows, and show each other's
//! writes: a gift through A is on B's campaign page within a second (LISTEN/NOTIFY, not the
//! two-second re-render); failed sign-ins split over A and B are throttled at the same count as
//! on one server; pledges and look-ups from one address are limited across both; and 2,000 gifts
//! from 16 clients through both are all stored once, with the books balanced.
//!
//! Each server is the real router with its own page cache, limits and generation counter; they
//! share nothing but the database.

use crate::common;

use app::server::demo::DEMO_PASSWORD;
use common::{sign_in, TestApp, TestDb};
use std::collections::BTreeSet;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Servers A and B on one fresh database (the demo loaded by A).
async fn two() -> Option<(TestDb, TestApp, TestApp)> {
    let place = TestDb::postgres().await?;
    let a = TestApp::spawn(&place.url).await;
    let b = TestApp::spawn(&place.url).await;
    Some((place, a, b))
}

fn key() -> String {
    format!("two-{:032x}", rand::random::<u128>())
}

async fn record(app: &TestApp, cookie: &str, pairs: &[(&str, String)]) -> reqwest::Response {
    common::post_pairs(app, Some(cookie), "/api/donations/record", pairs).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_gift_through_one_server_is_on_the_others_page_within_a_second() {
    let Some((_place, a, b)) = two().await else {
        return;
    };
    let finance = sign_in(&a, "demo-finance", DEMO_PASSWORD).await;
    let name = format!("ผู้ให้สองเครื่อง {}", rand::random::<u32>());
    for _ in 0..2 {
        // Stored on B, so only a change notice (or the 2 s re-render) can refresh it.
        let page = b.get("/campaigns/1").await.text().await.unwrap();
        assert!(!page.contains(&name));
    }
    let given = record(
        &a,
        &finance,
        &[
            ("input[campaign_id]", "1".into()),
            ("input[channel]", "cash".into()),
            ("input[amount]", "321".into()),
            ("input[donor_name]", name.clone()),
            ("input[show_name]", "true".into()),
            ("input[idempotency_key]", key()),
        ],
    )
    .await;
    assert_eq!(given.status(), 200);
    let acknowledged = Instant::now();
    loop {
        let page = b.get("/campaigns/1").await.text().await.unwrap();
        if page.contains(&name) {
            break;
        }
        assert!(
            acknowledged.elapsed() < Duration::from_secs(1),
            "B still showed the page from before A's gift after {:?}",
            acknowledged.elapsed()
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    eprintln!(
        "two servers: A's gift on B's campaign page after {:?}",
        acknowledged.elapsed()
    );
    a.db.close().await;
    b.db.close().await;
}

/// Wrong passwords for one account, alternating over `servers`, until one is refused with 429;
/// returns how many failures were allowed before it.
async fn failures_allowed(servers: &[&TestApp], username: &str) -> usize {
    for attempt in 0..50 {
        let app = servers[attempt % servers.len()];
        let response = app
            .post_form(
                "/login",
                &format!("username={username}&password=not-the-password-{attempt}"),
            )
            .await;
        if response.status() == 429 {
            return attempt;
        }
    }
    panic!("never throttled");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn limits_hold_across_both_servers_as_on_one() {
    let Some((_place, a, b)) = two().await else {
        return;
    };
    // Sign-in: the count on one server, then split over both (another account, same address).
    let alone = failures_allowed(&[&a], "demo-finance").await;
    let split = failures_allowed(&[&a, &b], "demo-admin").await;
    eprintln!("two servers: sign-in failures allowed, one server {alone}, split over two {split}");
    assert_eq!(split, alone);

    // Pledges from one address, alternating between the servers.
    let max = app::server::lookup_limit::MAX_PLEDGES as usize;
    for i in 0..max {
        let app = if i % 2 == 0 { &a } else { &b };
        let pledged = common::post_pairs(
            app,
            None,
            "/api/donations/pledge",
            &[
                ("input[campaign_id]", "1".into()),
                ("input[amount]", "100".into()),
                ("input[idempotency_key]", key()),
            ],
        )
        .await;
        assert_eq!(pledged.status(), 200, "pledge {i}");
    }
    for app in [&a, &b] {
        let refused = common::post_pairs(
            app,
            None,
            "/api/donations/pledge",
            &[
                ("input[campaign_id]", "1".into()),
                ("input[amount]", "100".into()),
                ("input[idempotency_key]", key()),
            ],
        )
        .await;
        assert_eq!(refused.status(), 429, "pledge {} refused on both", max + 1);
        assert!(refused.headers().contains_key("retry-after"));
    }

    // Look-ups of references that do not exist, alternating.
    let misses = app::server::lookup_limit::MAX_MISSES as usize;
    for i in 0..misses {
        let app = if i % 2 == 0 { &a } else { &b };
        let missing = format!("/api/v1/donations/PP-ZZZZ-ZZZZ-ZZZZ-{:04}/trace", 1000 + i);
        assert_eq!(app.get(&missing).await.status(), 404, "{missing}");
    }
    for app in [&a, &b] {
        let status = app
            .get("/api/v1/donations/PP-ZZZZ-ZZZZ-ZZZZ-9999/trace")
            .await
            .status();
        assert_eq!(status, 429, "look-ups limited across both servers");
    }
    a.db.close().await;
    b.db.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_thousand_gifts_from_sixteen_clients_through_both_are_each_stored_once() {
    let Some((_place, a, b)) = two().await else {
        return;
    };
    let fund = |db: app::server::Db| async move {
        let (n,): (i64,) =
            sqlx::query_as("select donation_count from campaign_fund where campaign_id = 1")
                .fetch_one(db.reader())
                .await
                .unwrap();
        n
    };
    let counted_before = fund(a.db.clone()).await;
    let cookies = [
        sign_in(&a, "demo-finance", DEMO_PASSWORD).await,
        sign_in(&b, "demo-finance", DEMO_PASSWORD).await,
    ];
    let (a, b) = (Arc::new(a), Arc::new(b));
    let started = Instant::now();
    let mut clients = tokio::task::JoinSet::new();
    for client in 0..16 {
        let (a, b, cookies) = (a.clone(), b.clone(), cookies.clone());
        clients.spawn(async move {
            let mut refs = Vec::new();
            for i in 0..125 {
                let side = (client + i) % 2;
                let app = if side == 0 { &a } else { &b };
                let pairs = [
                    ("input[campaign_id]", "1".to_owned()),
                    ("input[channel]", "cash".to_owned()),
                    ("input[amount]", "10.07".to_owned()),
                    ("input[idempotency_key]", key()),
                ];
                let response = record(app, &cookies[side], &pairs).await;
                assert_eq!(response.status(), 200);
                let body: serde_json::Value = response.json().await.unwrap();
                refs.push(body["reference"].as_str().unwrap().to_owned());
            }
            refs
        });
    }
    let mut acknowledged = Vec::new();
    while let Some(refs) = clients.join_next().await {
        acknowledged.extend(refs.unwrap());
    }
    let took = started.elapsed();
    let distinct: BTreeSet<&String> = acknowledged.iter().collect();
    assert_eq!(acknowledged.len(), 2_000);
    assert_eq!(distinct.len(), 2_000, "no reference given twice");
    let (stored,): (i64,) = sqlx::query_as(
        "select count(*) from donation where campaign_id = 1 and status = 'received' and amount_satang = 1007",
    )
    .fetch_one(a.db.reader())
    .await
    .unwrap();
    assert_eq!(stored, 2_000, "every gift stored once");
    assert_eq!(fund(a.db.clone()).await, counted_before + 2_000);
    let violations = app::server::ledger::check(&a.db).await.unwrap();
    assert!(violations.is_empty(), "{:?}", violations.first());
    eprintln!("two servers: 2,000 gifts from 16 clients in {took:?}");
    a.db.close().await;
    b.db.close().await;
}
