//! Test support: a fresh database per test on SQLite and PostgreSQL, and the real server on
//! port 0.
//!
//! PostgreSQL tests run when `PHAPA_TEST_POSTGRES` holds an administrator URL (for example
//! `postgres://postgres@127.0.0.1:5432/postgres`); each test creates its own database and drops
//! it afterwards. Without the variable they are skipped with a message, unless
//! `PHAPA_REQUIRE_POSTGRES=1` (set by the test command in CI), in which case they fail.
#![allow(dead_code)]

use app::server::db::audit::key::KeySource;
use app::server::Db;
use server::Config;
use sqlx::Connection;
use std::path::PathBuf;

/// Generates one test per engine from an async body taking a [`Db`]: `mod $name { sqlite, postgres }`.
#[macro_export]
macro_rules! on_both_engines {
    ($name:ident, $body:expr) => {
        mod $name {
            #[allow(unused_imports)]
            use super::*;

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                let place = $crate::common::TestDb::sqlite();
                place.run($body).await;
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                if let Some(place) = $crate::common::TestDb::postgres().await {
                    place.run($body).await;
                }
            }
        }
    };
}

/// Generates one test per engine from an async body taking a started [`TestApp`].
#[macro_export]
macro_rules! http_test {
    ($name:ident, |$app:ident| $body:block) => {
        mod $name {
            #[allow(unused_imports)]
            use super::*;
            use $crate::common::{self, TestApp};

            async fn check($app: TestApp) $body

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                let place = common::TestDb::sqlite();
                let app = TestApp::spawn(&place.url).await;
                check(app).await;
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                if let Some(place) = common::TestDb::postgres().await {
                    let app = TestApp::spawn(&place.url).await;
                    let db = app.db.clone();
                    check(app).await;
                    db.close().await;
                }
            }
        }
    };
}

/// Where a test's database lives; removed when the test ends, even when it fails.
pub struct TestDb {
    pub url: String,
    cleanup: Cleanup,
}

enum Cleanup {
    File(PathBuf),
    Postgres { admin_url: String, name: String },
}

impl TestDb {
    /// A fresh SQLite file in a temporary folder.
    pub fn sqlite() -> TestDb {
        let dir = std::env::temp_dir().join(format!("phapa-test-{}", rand::random::<u64>()));
        let url = format!("sqlite://{}/phapa.db", dir.display());
        TestDb {
            url,
            cleanup: Cleanup::File(dir),
        }
    }

    /// A fresh PostgreSQL database, or `None` (with a message) when none is configured.
    pub async fn postgres() -> Option<TestDb> {
        let Ok(admin_url) = std::env::var("PHAPA_TEST_POSTGRES") else {
            if std::env::var("PHAPA_REQUIRE_POSTGRES").as_deref() == Ok("1") {
                panic!("PHAPA_REQUIRE_POSTGRES=1 but PHAPA_TEST_POSTGRES is not set");
            }
            eprintln!("SKIPPED: PostgreSQL test (set PHAPA_TEST_POSTGRES to run it)");
            return None;
        };
        let name = format!("phapa_test_{}", rand::random::<u64>());
        let mut admin = sqlx::PgConnection::connect(&admin_url)
            .await
            .unwrap_or_else(|e| panic!("cannot reach PostgreSQL at {admin_url}: {e}"));
        sqlx::query(&format!("create database {name}"))
            .execute(&mut admin)
            .await
            .expect("create test database");
        admin.close().await.ok();
        let base = admin_url
            .rsplit_once('/')
            .map(|(b, _)| b)
            .unwrap_or(&admin_url);
        Some(TestDb {
            url: format!("{base}/{name}"),
            cleanup: Cleanup::Postgres { admin_url, name },
        })
    }

    /// Connects (migrating), runs the body, closes the connections.
    pub async fn run<F, Fut>(self, body: F)
    where
        F: FnOnce(Db) -> Fut,
        Fut: std::future::Future<Output = ()>,
    {
        let db = Db::connect_keyed(&self.url, &test_audit_key())
            .await
            .expect("connect and migrate");
        body(db.clone()).await;
        db.close().await;
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        match &self.cleanup {
            Cleanup::File(dir) => {
                let _ = std::fs::remove_dir_all(dir);
            }
            Cleanup::Postgres { admin_url, name } => {
                let (admin_url, name) = (admin_url.clone(), name.clone());
                // Drop runs inside the test's runtime; use a thread with a runtime of its own.
                let _ = std::thread::spawn(move || {
                    let rt = tokio::runtime::Builder::new_current_thread()
                        .enable_all()
                        .build()?;
                    rt.block_on(async move {
                        let mut admin = sqlx::PgConnection::connect(&admin_url).await?;
                        sqlx::query(&format!("drop database if exists {name} with (force)"))
                            .execute(&mut admin)
                            .await?;
                        Ok::<_, sqlx::Error>(())
                    })
                    .map_err(std::io::Error::other)
                })
                .join();
            }
        }
    }
}

/// Switches off the append-only triggers of the audit log, as an intruder with full database
/// rights could, so tests can show that the hash chain still exposes the edit.
pub async fn allow_tampering(db: &Db) {
    let sql = match db.engine() {
        app::server::Engine::Sqlite => "drop trigger audit_log_append_only_update",
        app::server::Engine::Postgres => {
            "alter table audit_log disable trigger audit_log_append_only"
        }
    };
    sqlx::query(sql)
        .execute(db.reader())
        .await
        .expect("disable the trigger");
}

/// The audit key of every test server and test database: fixed, so a test can reopen a database
/// with the key it was written with (and never writes a key file into the source tree).
pub fn test_audit_key() -> KeySource {
    KeySource::Hex("7e57".repeat(16))
}

/// The configuration `TestApp::spawn` uses: demo data, plain HTTP, no proxy.
pub fn test_config(url: &str) -> Config {
    Config {
        database_url: url.to_owned(),
        site_addr: "127.0.0.1:0".parse().expect("address"),
        site_root: std::env::temp_dir()
            .join("phapa-test-site")
            .display()
            .to_string(),
        demo: true,
        secure_cookies: false,
        trust_proxy: false,
        audit_key: test_audit_key(),
        backup: None,
        metrics: Default::default(),
        api_limit: server::config::DEFAULT_API_LIMIT,
    }
}

/// The real server, with demo data, listening on a free port.
pub struct TestApp {
    pub base: String,
    pub client: reqwest::Client,
    pub db: Db,
}

impl TestApp {
    /// Starts the server on `db`'s URL with the demo loaded.
    pub async fn spawn(url: &str) -> TestApp {
        TestApp::spawn_with(&test_config(url)).await
    }

    /// Starts the server with `config` (see [`test_config`]).
    pub async fn spawn_with(config: &Config) -> TestApp {
        let (router, db) = server::build(config).await.expect("build app");
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let base = format!("http://{}", listener.local_addr().expect("addr"));
        tokio::spawn(server::serve(listener, router));
        // A server that stops answering fails the test within a minute instead of hanging CI.
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .timeout(std::time::Duration::from_secs(60))
            .build()
            .expect("client");
        TestApp { base, client, db }
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client
            .get(format!("{}{path}", self.base))
            .send()
            .await
            .unwrap_or_else(|e| panic!("GET {path}: {e}"))
    }

    /// Posts a URL-encoded form, as a browser or a server-function call does.
    pub async fn post_form(&self, path: &str, body: &str) -> reqwest::Response {
        self.client
            .post(format!("{}{path}", self.base))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body.to_owned())
            .send()
            .await
            .expect("request")
    }
}

/// A demo hospital's id from its facility code.
pub async fn hospital_id(app: &TestApp, facility_code: &str) -> i64 {
    let (id,): (i64,) = sqlx::query_as("select hospital_id from hospital where facility_code = $1")
        .bind(facility_code)
        .fetch_one(app.db.reader())
        .await
        .unwrap();
    id
}

/// Signs in through the form and returns the `Cookie` header value for the new session.
pub async fn sign_in(app: &TestApp, username: &str, password: &str) -> String {
    let response = app
        .post_form(
            "/login",
            &format!("username={username}&password={password}"),
        )
        .await;
    assert_eq!(response.status(), 303, "sign-in of {username}");
    let cookie = response.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .to_owned();
    cookie.split(';').next().unwrap().to_owned()
}

pub async fn post_as(
    app: &TestApp,
    cookie: Option<&str>,
    path: &str,
    body: &str,
) -> reqwest::Response {
    let mut request = app
        .client
        .post(format!("{}{path}", app.base))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(body.to_owned());
    if let Some(cookie) = cookie {
        request = request.header("cookie", cookie);
    }
    request.send().await.unwrap()
}

pub async fn get_as(app: &TestApp, cookie: Option<&str>, path: &str) -> reqwest::Response {
    let mut request = app.client.get(format!("{}{path}", app.base));
    if let Some(cookie) = cookie {
        request = request.header("cookie", cookie);
    }
    request.send().await.unwrap()
}

/// Posts a URL-encoded form built from pairs (so Thai text and symbols are encoded correctly).
pub async fn post_pairs(
    app: &TestApp,
    cookie: Option<&str>,
    path: &str,
    pairs: &[(&str, String)],
) -> reqwest::Response {
    let mut request = app.client.post(format!("{}{path}", app.base)).form(pairs);
    if let Some(cookie) = cookie {
        request = request.header("cookie", cookie);
    }
    request.send().await.unwrap()
}

/// Inserts an account with `role` straight into the database (no password can sign in with it)
/// and returns it as the services see a signed-in user.
pub async fn account_with_role(
    db: &Db,
    username: &str,
    role: app::model::account::Role,
) -> app::model::account::CurrentUser {
    let (id,): (i64,) = sqlx::query_as(
        "insert into account (username, display_name, password_hash, role, hospital_id, created_at, updated_at)
         values ($1, $1, 'x', $2, $3, '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')
         returning account_id",
    )
    .bind(username)
    .bind(role.code())
    .bind(role.hospital().map(|h| h.get()))
    .fetch_one(db.reader())
    .await
    .expect("insert an account");
    app::model::account::CurrentUser {
        account_id: app::model::account::AccountId(id),
        username: username.to_owned(),
        display_name: username.to_owned(),
        role,
    }
}

/// A demo account as the services see it once signed in.
pub async fn demo_user(db: &Db, username: &str) -> app::model::account::CurrentUser {
    app::server::db::account::credentials(&mut db.reader().acquire().await.unwrap(), username)
        .await
        .expect("read the account")
        .and_then(|c| c.user())
        .expect("a demo account with a known role")
}

/// An open campaign (not yet stored) with a PromptPay payee and a legal recipient, so pledges,
/// gifts and receipts work: `goal` baht, running from `days` ago to `days` ahead.
pub fn open_campaign(title: &str, goal: i64, days: i64) -> app::server::db::campaign::NewCampaign {
    use app::model::{Localized, Money};
    use app::server::db::campaign::{NewCampaign, NewRecipient};
    let today = app::server::today();
    NewCampaign {
        title: Localized::new(title.to_owned(), ""),
        story: Localized::default(),
        goal: Money::from_baht(goal),
        starts_on: today - chrono::Duration::days(days),
        ends_on: today + chrono::Duration::days(days),
        ceremony_on: None,
        ceremony_place: None,
        promptpay_id: Some("0123456789".into()),
        bank_name: None,
        bank_account_no: None,
        bank_account_name: None,
        status: app::model::status::CampaignStatus::Open,
        is_demo: false,
        recipient: Some(NewRecipient {
            tax_id: "0000000000001".into(),
            name: Localized::new("มูลนิธิทดสอบ", ""),
            address: None,
        }),
    }
}

/// `&input[seen]=…`: the version of a request as a decision must name it (URL-encoded).
pub async fn seen(db: &Db, request: i64) -> String {
    let (version,): (String,) =
        sqlx::query_as("select updated_at from equipment_request where equipment_request_id = $1")
            .bind(request)
            .fetch_one(db.reader())
            .await
            .expect("the request's version");
    format!(
        "&input[seen]={}",
        version.replace('+', "%2B").replace(':', "%3A")
    )
}
