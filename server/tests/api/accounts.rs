//! Sign-in that strangers cannot turn into a lock-out, bounded throttle keys and rows, and
//! account creation that is idempotent and records where it came from; on SQLite and PostgreSQL.

use crate::common;

use app::model::account::Password;
use app::server::auth::{self, SignIn};
use app::server::db::time;
use app::server::demo::{self, DEMO_PASSWORD};
use app::server::Db;
use chrono::{Duration, Utc};
use common::{post_as, sign_in, test_config, TestApp, TestDb};

/// A server behind a trusted proxy, so each request can come from the address it names.
async fn behind_proxy(place: &TestDb) -> TestApp {
    let mut config = test_config(&place.url);
    config.trust_proxy = true;
    TestApp::spawn_with(&config).await
}

/// A sign-in from `address`, with `cookie` (e.g. a device cookie) when given.
async fn attempt(
    app: &TestApp,
    address: &str,
    username: &str,
    password: &str,
    cookie: Option<&str>,
) -> reqwest::Response {
    let mut request = app
        .client
        .post(format!("{}/login", app.base))
        .header("content-type", "application/x-www-form-urlencoded")
        .header("x-forwarded-for", address)
        .body(format!("username={username}&password={password}"));
    if let Some(cookie) = cookie {
        request = request.header("cookie", cookie);
    }
    request.send().await.expect("sign-in request")
}

/// The `name=value` of the response's cookie called `name`.
fn cookie_named(response: &reqwest::Response, name: &str) -> String {
    response
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .map(|v| v.split(';').next().unwrap_or_default().to_owned())
        .find(|c| c.starts_with(&format!("{name}=")))
        .unwrap_or_else(|| panic!("no {name} cookie"))
}

async fn the_owner_gets_in_with_a_device_cookie_after_strangers_exhaust_the_account(app: TestApp) {
    let owner = attempt(&app, "198.51.100.7", "demo-finance", DEMO_PASSWORD, None).await;
    assert_eq!(owner.status(), 303);
    let device = cookie_named(&owner, "phapa_device");
    let admin = attempt(&app, "198.51.100.8", "demo-admin", DEMO_PASSWORD, None).await;
    let admins_device = cookie_named(&admin, "phapa_device");

    // 34 addresses × 3 wrong guesses: each address and pair stays within its free failures, but
    // together they pass the account-wide cap of 100 an hour.
    let strangers = (0..34).map(|i| {
        let (client, base) = (app.client.clone(), app.base.clone());
        tokio::spawn(async move {
            let mut statuses = Vec::new();
            for guess in 0..3 {
                let response = client
                    .post(format!("{base}/login"))
                    .header("content-type", "application/x-www-form-urlencoded")
                    .header("x-forwarded-for", format!("203.0.113.{}", i + 1))
                    .body(format!("username=demo-finance&password=wrong-{i}-{guess}"))
                    .send()
                    .await
                    .unwrap();
                statuses.push(response.status().as_u16());
            }
            statuses
        })
    });
    let mut statuses = Vec::new();
    for stranger in strangers.collect::<Vec<_>>() {
        statuses.extend(stranger.await.unwrap());
    }
    assert!(
        statuses.iter().filter(|&&s| s == 303).count() > 100,
        "{statuses:?}"
    );

    let fresh = attempt(&app, "192.0.2.50", "demo-finance", DEMO_PASSWORD, None).await;
    assert_eq!(fresh.status(), 429, "the right password alone now waits");
    let retry: i64 = fresh.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!(retry > 3000, "{retry}");
    let others = attempt(
        &app,
        "192.0.2.51",
        "demo-finance",
        DEMO_PASSWORD,
        Some(&admins_device),
    )
    .await;
    assert_eq!(
        others.status(),
        429,
        "another account's device cookie does not help"
    );

    let owner = attempt(
        &app,
        "192.0.2.52",
        "demo-finance",
        DEMO_PASSWORD,
        Some(&device),
    )
    .await;
    assert_eq!(
        owner.status(),
        303,
        "the owner's device cookie skips the account-wide cap"
    );
    let session = cookie_named(&owner, "phapa_session");
    let me: serde_json::Value = post_as(&app, Some(&session), "/api/session/current", "")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(me["username"], "demo-finance");

    // A stolen device cookie is throttled like one guesser, from however many addresses.
    let device = cookie_named(&owner, "phapa_device");
    let mut stolen = Vec::new();
    for i in 0..10 {
        let address = format!("192.0.2.{}", 100 + i);
        let response = attempt(&app, &address, "demo-finance", "wrong-again", Some(&device)).await;
        stolen.push(response.status().as_u16());
    }
    assert_eq!(
        stolen[..3],
        [303, 303, 303],
        "the account cap is not what stops it"
    );
    assert!(
        stolen.contains(&429),
        "the device's own limit stops it: {stolen:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_locked_out_owner_gets_in_with_a_device_cookie_on_sqlite() {
    let place = TestDb::sqlite();
    let app = behind_proxy(&place).await;
    the_owner_gets_in_with_a_device_cookie_after_strangers_exhaust_the_account(app).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_locked_out_owner_gets_in_with_a_device_cookie_on_postgres() {
    if let Some(place) = TestDb::postgres().await {
        let app = behind_proxy(&place).await;
        let db = app.db.clone();
        the_owner_gets_in_with_a_device_cookie_after_strangers_exhaust_the_account(app).await;
        db.close().await;
    }
}

on_both_engines!(
    an_overlong_username_is_refused_like_any_failure_and_never_becomes_a_key,
    |db: Db| async move {
        demo::load_if_empty(&db, app::server::today())
            .await
            .unwrap();
        for name in ["x".repeat(41), "y".repeat(100_000), "demo-finance".into()] {
            let outcome = auth::sign_in(
                &db,
                &name,
                Password::typed("wrong-password"),
                Some("203.0.113.9"),
                None,
                Utc::now(),
            )
            .await
            .unwrap();
            assert!(matches!(outcome, SignIn::Invalid), "{outcome:?}");
        }
        let (longest,): (i64,) =
            sqlx::query_as("select max(length(throttle_key)) from sign_in_throttle")
                .fetch_one(db.reader())
                .await
                .unwrap();
        assert!(longest <= 60, "a throttle key of {longest} characters");
        let (addresses,): (i64,) = sqlx::query_as(
            "select failures from sign_in_throttle where throttle_key = 'address:203.0.113.9'",
        )
        .fetch_one(db.reader())
        .await
        .unwrap();
        assert_eq!(
            addresses, 3,
            "every attempt still counts against its address"
        );
    }
);

on_both_engines!(
    idle_throttle_rows_are_purged_a_few_at_a_time_and_live_ones_stay,
    |db: Db| async move {
        let now = Utc::now();
        let long_ago = time::instant(now - Duration::hours(2));
        let insert = |key: String, blocked_until: Option<String>, at: String| {
            let db = db.clone();
            async move {
                sqlx::query(
                    "insert into sign_in_throttle (throttle_key, failures, window_started_at, blocked_until, updated_at)
                     values ($1, 5, $2, $3, $2)",
                )
                .bind(key)
                .bind(at)
                .bind(blocked_until)
                .execute(db.reader())
                .await
                .unwrap();
            }
        };
        for i in 0..30 {
            insert(format!("address:idle-{i}"), None, long_ago.clone()).await;
        }
        let still_blocked = time::instant(now + Duration::minutes(30));
        insert(
            "account:capped".into(),
            Some(still_blocked),
            long_ago.clone(),
        )
        .await;
        insert(
            "address:recent".into(),
            None,
            time::instant(now - Duration::minutes(5)),
        )
        .await;
        let keys = |db: Db| async move {
            let rows: Vec<(String,)> = sqlx::query_as("select throttle_key from sign_in_throttle")
                .fetch_all(db.reader())
                .await
                .unwrap();
            rows.into_iter().map(|(k,)| k).collect::<Vec<_>>()
        };
        let sign_in_once = |db: Db| async move {
            auth::sign_in(
                &db,
                "nobody-here",
                Password::typed("x"),
                Some("192.0.2.1"),
                None,
                now,
            )
            .await
            .unwrap();
        };
        sign_in_once(db.clone()).await;
        let left = keys(db.clone()).await;
        let idle = left
            .iter()
            .filter(|k| k.starts_with("address:idle-"))
            .count();
        assert_eq!(idle, 10, "one attempt purges a bounded number: {left:?}");
        sign_in_once(db.clone()).await;
        let left = keys(db.clone()).await;
        assert!(
            !left.iter().any(|k| k.starts_with("address:idle-")),
            "{left:?}"
        );
        for live in ["account:capped", "address:recent", "address:192.0.2.1"] {
            assert!(left.iter().any(|k| k == live), "{live} must stay: {left:?}");
        }
    }
);

http_test!(
    creating_an_account_twice_with_one_key_makes_one_account_and_records_the_address,
    |app| {
        let admin = sign_in(&app, "demo-admin", DEMO_PASSWORD).await;
        let body = |name: &str, key: &str| {
            format!(
                "input[username]={name}&input[display_name]=N&input[password]=a-long-enough-password&input[role]=finance_officer&input[idempotency_key]={key}"
            )
        };
        let first = post_as(
            &app,
            Some(&admin),
            "/api/accounts/create",
            &body("twice", "create-twice-1"),
        )
        .await;
        let second = post_as(
            &app,
            Some(&admin),
            "/api/accounts/create",
            &body("twice", "create-twice-1"),
        )
        .await;
        assert_eq!(first.status(), 200);
        assert_eq!(second.status(), 200);
        let (first, second): (i64, i64) =
            (first.json().await.unwrap(), second.json().await.unwrap());
        assert_eq!(first, second, "the retry answers with the same account");
        let other = post_as(
            &app,
            Some(&admin),
            "/api/accounts/create",
            &body("another", "create-twice-1"),
        )
        .await;
        assert_eq!(
            other.status(),
            409,
            "one key cannot create two different accounts"
        );
        let keyless = post_as(
            &app,
            Some(&admin),
            "/api/accounts/create",
            &body("keyless", ""),
        )
        .await;
        assert_eq!(keyless.status(), 422);
        let (made,): (i64,) = sqlx::query_as(
            "select count(*) from account where username in ('twice', 'another', 'keyless')",
        )
        .fetch_one(app.db.reader())
        .await
        .unwrap();
        assert_eq!(made, 1);

        let disabled = post_as(
            &app,
            Some(&admin),
            "/api/accounts/set-disabled",
            &format!("id={first}&disabled=true"),
        )
        .await;
        assert_eq!(disabled.status(), 200);
        let recorded: Vec<(String, Option<String>)> = sqlx::query_as(
            "select action, client_address from audit_log where record_type = 'account' and record_id = $1 order by seq",
        )
        .bind(first.to_string())
        .fetch_all(app.db.reader())
        .await
        .unwrap();
        assert_eq!(
            recorded,
            [
                ("account_created".to_owned(), Some("127.0.0.1".to_owned())),
                ("account_disabled".to_owned(), Some("127.0.0.1".to_owned())),
            ]
        );
    }
);
