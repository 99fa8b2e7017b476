//! When the database is down or locked, pages, server functions and `/healthz` answer 503 with
//! `Retry-After` within two seconds, and serve again at once when it returns; and every commit
//! that acknowledges money is durable (survives a power cut, not only a process crash).
//!
//! SQLite is made unavailable by another connection holding its write lock (as a maintenance
//! process could); PostgreSQL by a proxy that stops as a stopped server does (connections cut,
//! new ones refused), and by closing the test's own database to connections. The shared
//! PostgreSQL server itself is never touched.

use crate::common;

use app::error::AppError;
use app::server::demo::DEMO_PASSWORD;
use common::{sign_in, TestApp, TestDb};
use sqlx::Connection;
use std::time::{Duration, Instant};

/// Two seconds, the most an outage may take to be answered.
const OUTAGE_ANSWER: Duration = Duration::from_secs(2);

fn gift_form() -> Vec<(&'static str, String)> {
    vec![
        ("input[campaign_id]", "1".into()),
        ("input[channel]", "cash".into()),
        ("input[amount]", "100".into()),
        (
            "input[idempotency_key]",
            format!("outage-{:032x}", rand::random::<u128>()),
        ),
    ]
}

/// Sends one request and returns its status, `Retry-After`, body and how long it took.
async fn timed(request: reqwest::RequestBuilder) -> (u16, Option<String>, String, Duration) {
    let started = Instant::now();
    let response = request.send().await.expect("the server answers");
    let status = response.status().as_u16();
    let retry = response
        .headers()
        .get("retry-after")
        .map(|v| v.to_str().unwrap().to_owned());
    let body = response.text().await.unwrap();
    (status, retry, body, started.elapsed())
}

fn record(app: &TestApp, cookie: &str) -> reqwest::RequestBuilder {
    app.client
        .post(format!("{}/api/donations/record", app.base))
        .header("cookie", cookie)
        .form(&gift_form())
}

fn page(app: &TestApp, path: &str, cookie: Option<&str>) -> reqwest::RequestBuilder {
    let request = app.client.get(format!("{}{path}", app.base));
    match cookie {
        Some(c) => request.header("cookie", c),
        None => request,
    }
}

/// Asserts a 503 answered in time, with `Retry-After`, and returns its time.
fn refused_in_time(what: &str, answer: (u16, Option<String>, String, Duration)) -> Duration {
    let (status, retry, body, took) = answer;
    eprintln!("outage: {what} answered {status} in {took:?}");
    assert_eq!(status, 503, "{what}: {body}");
    assert!(
        retry.is_some_and(|r| r.parse::<u64>().is_ok()),
        "{what}: Retry-After"
    );
    assert!(took < OUTAGE_ANSWER, "{what} took {took:?}");
    took
}

/// A server function's 503 decodes to the error its client shows in Thai or English.
fn says_unavailable(body: &str) {
    let error: AppError = serde_json::from_str(body).expect("an encoded AppError");
    assert!(matches!(error, AppError::Unavailable { .. }), "{error:?}");
}

/// Every page's HTML 503 names the trouble in both languages.
fn bilingual(body: &str) {
    assert!(
        body.contains("ลองใหม่") && body.contains("try again"),
        "{body}"
    );
}

async fn donations(app: &TestApp) -> i64 {
    let (n,): (i64,) = sqlx::query_as("select count(*) from donation")
        .fetch_one(app.db.reader())
        .await
        .unwrap();
    n
}

mod sqlite_write_lock {
    use super::*;

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn answers_503_in_time_and_recovers_at_once() {
        let place = TestDb::sqlite();
        let app = TestApp::spawn(&place.url).await;
        let finance = sign_in(&app, "demo-finance", DEMO_PASSWORD).await;
        let before = donations(&app).await;

        let mut holder = sqlx::SqliteConnection::connect(&place.url).await.unwrap();
        sqlx::query("begin immediate")
            .execute(&mut holder)
            .await
            .unwrap();

        let answer = timed(record(&app, &finance)).await;
        let body = answer.2.clone();
        refused_in_time("server function (SQLite locked)", answer);
        says_unavailable(&body);
        let answer = timed(page(&app, "/healthz", None)).await;
        refused_in_time("/healthz (SQLite locked)", answer);
        // Readers are not blocked by a writer in WAL mode: the site stays readable.
        let (status, _, _, took) = timed(page(&app, "/campaigns/1", Some(&finance))).await;
        eprintln!("outage: /campaigns/1 (SQLite locked) answered {status} in {took:?}");
        assert_eq!(status, 200);

        sqlx::query("rollback").execute(&mut holder).await.unwrap();
        let back = Instant::now();
        let (status, _, body, _) = timed(record(&app, &finance)).await;
        assert_eq!(status, 200, "{body}");
        eprintln!(
            "outage: SQLite recovery, first donation after the lock went {:?}",
            back.elapsed()
        );
        let back = Instant::now();
        let (status, ..) = timed(page(&app, "/healthz", None)).await;
        assert_eq!(status, 200);
        eprintln!("outage: SQLite recovery, /healthz {:?}", back.elapsed());
        assert_eq!(
            donations(&app).await,
            before + 1,
            "the refused gift was not stored"
        );
    }
}

/// A TCP proxy in front of PostgreSQL that can stop as a stopped server does.
struct Proxy {
    port: u16,
    tasks: std::sync::Arc<std::sync::Mutex<Vec<tokio::task::AbortHandle>>>,
}

impl Proxy {
    async fn start(port: u16) -> Proxy {
        let listener = tokio::net::TcpListener::bind(("127.0.0.1", port))
            .await
            .expect("bind the proxy");
        let port = listener.local_addr().unwrap().port();
        let tasks = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
        let registry = tasks.clone();
        let accept = tokio::spawn(async move {
            while let Ok((mut client, _)) = listener.accept().await {
                let handle = tokio::spawn(async move {
                    if let Ok(mut server) = tokio::net::TcpStream::connect("127.0.0.1:5432").await {
                        let _ = tokio::io::copy_bidirectional(&mut client, &mut server).await;
                    }
                });
                registry.lock().unwrap().push(handle.abort_handle());
            }
        });
        tasks.lock().unwrap().push(accept.abort_handle());
        Proxy { port, tasks }
    }

    /// Cuts every connection and stops listening: new connections are refused.
    async fn stop(&self) {
        for task in self.tasks.lock().unwrap().drain(..) {
            task.abort();
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

impl Drop for Proxy {
    fn drop(&mut self) {
        if let Ok(mut tasks) = self.tasks.lock() {
            tasks.drain(..).for_each(|t| t.abort());
        }
    }
}

/// The test database's URL through the proxy on `port`.
fn through(url: &str, port: u16) -> String {
    url.replace("127.0.0.1:5432", &format!("127.0.0.1:{port}"))
}

/// 503s for a page without a session, a page with one, a server function and `/healthz`.
async fn all_refused_in_time(app: &TestApp, finance: &str, how: &str) {
    // A public page the store does not hold yet, so it is rendered (a stored page may still be
    // served for a moment: nothing can change it while the database is down).
    let answer = timed(page(app, "/campaigns/2", None)).await;
    refused_in_time(&format!("/campaigns/2 ({how})"), answer);
    let answer = timed(page(app, "/campaigns/1", Some(finance))).await;
    let body = answer.2.clone();
    refused_in_time(&format!("/campaigns/1 signed in ({how})"), answer);
    bilingual(&body);
    let answer = timed(record(app, finance)).await;
    let body = answer.2.clone();
    refused_in_time(&format!("server function ({how})"), answer);
    says_unavailable(&body);
    let answer = timed(page(app, "/healthz", None)).await;
    refused_in_time(&format!("/healthz ({how})"), answer);
}

/// How long after the database returns `/healthz` and then a page answer 200 again.
async fn recovery(app: &TestApp, how: &str) {
    let back = Instant::now();
    loop {
        let (status, ..) = timed(page(app, "/healthz", None)).await;
        if status == 200 {
            break;
        }
        assert!(back.elapsed() < Duration::from_secs(5), "never recovered");
    }
    let healthy = back.elapsed();
    let (status, .., page_took) = timed(page(app, "/campaigns/1", None)).await;
    assert_eq!(status, 200);
    eprintln!(
        "outage: PostgreSQL recovery ({how}): /healthz 200 after {healthy:?}, then the page in {page_took:?}"
    );
}

mod postgres_outage {
    use super::*;

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn answers_503_in_time_and_recovers_at_once() {
        let Some(place) = TestDb::postgres().await else {
            return;
        };
        let proxy = Proxy::start(0).await;
        let app = TestApp::spawn(&through(&place.url, proxy.port)).await;
        let finance = sign_in(&app, "demo-finance", DEMO_PASSWORD).await;
        let (status, .., took) = timed(page(&app, "/campaigns/1", None)).await;
        assert_eq!(status, 200);
        eprintln!("outage: PostgreSQL up, /campaigns/1 in {took:?}");

        // The server stops: connections cut, new ones refused.
        proxy.stop().await;
        all_refused_in_time(&app, &finance, "server stopped").await;
        let proxy = Proxy::start(proxy.port).await;
        recovery(&app, "server stopped").await;

        // The database closes to connections and its sessions end (the server still runs).
        let admin_url = std::env::var("PHAPA_TEST_POSTGRES").unwrap();
        let name = place.url.rsplit('/').next().unwrap().to_owned();
        let mut admin = sqlx::PgConnection::connect(&admin_url).await.unwrap();
        let close = [
            format!("alter database {name} allow_connections false"),
            format!(
                "select pg_terminate_backend(pid) from pg_stat_activity where datname = '{name}'"
            ),
        ];
        for sql in close {
            sqlx::query(&sql).execute(&mut admin).await.unwrap();
        }
        all_refused_in_time(&app, &finance, "connections refused").await;
        sqlx::query(&format!("alter database {name} allow_connections true"))
            .execute(&mut admin)
            .await
            .unwrap();
        recovery(&app, "connections refused").await;
        let (status, _, body, _) = timed(record(&app, &finance)).await;
        assert_eq!(status, 200, "{body}");
        app.db.close().await;
        drop(proxy);
        sqlx::query(&format!("alter database {name} allow_connections true"))
            .execute(&mut admin)
            .await
            .ok();
    }
}

on_both_engines!(acknowledged_commits_are_durable, |db| async move {
    let mut tx = db.begin().await.unwrap();
    match db.engine() {
        // 2 = FULL: the write-ahead log is synced at every commit, not only at checkpoints.
        app::server::Engine::Sqlite => {
            let (mode,): (i64,) = sqlx::query_as("pragma synchronous")
                .fetch_one(&mut *tx)
                .await
                .unwrap();
            assert_eq!(mode, 2, "the writer commits with synchronous = full");
        }
        app::server::Engine::Postgres => {
            let (mode,): (String,) = sqlx::query_as("select current_setting('synchronous_commit')")
                .fetch_one(&mut *tx)
                .await
                .unwrap();
            assert_eq!(mode, "on", "a commit returns only once it is flushed");
        }
    }
});
