//! `/metrics` exists only for whoever holds its token (or on its own private address), speaks
//! Prometheus's text format, labels requests by route template rather than raw path, and reports
//! the automatic backups, which the server makes and verifies on its own when told where.

use crate::common;

use common::TestApp;
use server::config::{BackupSchedule, MetricsAccess};
use server::Config;
use std::time::{Duration, Instant};

const TOKEN: &str = "a-metrics-token-of-some-length-0123";

async fn metrics(app: &TestApp, token: Option<&str>) -> reqwest::Response {
    let mut request = app.client.get(format!("{}/metrics", app.base));
    if let Some(token) = token {
        request = request.header("authorization", format!("Bearer {token}"));
    }
    request.send().await.unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn metrics_need_the_token_and_report_requests_cache_pools_books_and_backups() {
    let place = common::TestDb::sqlite();
    let backups = std::env::temp_dir().join(format!("phapa-auto-{:016x}", rand::random::<u64>()));
    let config = Config {
        metrics: MetricsAccess {
            addr: None,
            token: Some(TOKEN.into()),
        },
        backup: Some(BackupSchedule {
            dir: backups.clone(),
            every: Duration::from_secs(3600),
            keep: 2,
        }),
        ..common::test_config(&place.url)
    };
    let app = TestApp::spawn_with(&config).await;

    // The first automatic backup is made (and verified) at start.
    let started = Instant::now();
    let made = loop {
        let made: Vec<_> = std::fs::read_dir(&backups)
            .map(|d| d.flatten().map(|e| e.file_name()).collect())
            .unwrap_or_default();
        if made.iter().any(|n| n.to_string_lossy().ends_with(".db")) {
            break made;
        }
        assert!(started.elapsed() < Duration::from_secs(30), "no backup yet");
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    eprintln!("automatic backup after {:?}: {made:?}", started.elapsed());

    for _ in 0..3 {
        assert_eq!(app.get("/campaigns/1").await.status(), 200);
    }
    assert_eq!(app.get("/no-such-page-123").await.status(), 404);

    assert_eq!(metrics(&app, None).await.status(), 404);
    assert_eq!(
        metrics(&app, Some("a-wrong-token-of-the-same-length-012"))
            .await
            .status(),
        404
    );
    let answer = metrics(&app, Some(TOKEN)).await;
    assert_eq!(answer.status(), 200);
    let text = answer.text().await.unwrap();
    for needed in [
        "# TYPE phapa_http_requests counter",
        "phapa_http_request_duration_seconds_bucket{",
        "phapa_page_cache_lookups_total{outcome=\"hit\"}",
        "phapa_page_cache_lookups_total{outcome=\"miss\"}",
        "phapa_db_connections{pool=\"write\",state=\"idle\"}",
        "phapa_db_write_waits_total",
        "phapa_donations_received",
        "phapa_purchases_recorded",
        "phapa_backup_age_seconds",
    ] {
        assert!(text.contains(needed), "{needed} missing from\n{text}");
    }
    // Labels are route templates or a short fixed list, never a visitor's path.
    assert!(!text.contains("no-such-page-123"), "{text}");
    assert!(!text.contains("route=\"/campaigns/1\""), "{text}");
    let age: f64 = text
        .lines()
        .find(|l| l.starts_with("phapa_backup_age_seconds "))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|v| v.parse().ok())
        .expect("a backup age");
    assert!((0.0..60.0).contains(&age), "backup age {age}");
    app.db.close().await;
    let _ = std::fs::remove_dir_all(backups);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_a_token_or_address_there_are_no_metrics() {
    let place = common::TestDb::sqlite();
    let app = TestApp::spawn(&place.url).await;
    assert_eq!(metrics(&app, None).await.status(), 404);
    assert_eq!(metrics(&app, Some(TOKEN)).await.status(), 404);
    app.db.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_private_address_serves_metrics_to_anyone_and_nothing_else() {
    let place = common::TestDb::sqlite();
    let config = Config {
        metrics: MetricsAccess {
            addr: Some("127.0.0.1:0".parse().unwrap()),
            token: None,
        },
        ..common::test_config(&place.url)
    };
    let parts = server::build_parts(&config).await.unwrap();
    let main = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let public = format!("http://{}", main.local_addr().unwrap());
    tokio::spawn(server::serve(main, parts.router));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let private = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(server::metrics::serve_private(
        listener,
        parts.metrics.clone(),
    ));
    metrics_only_on_the_private_address(&public, &private).await;
    parts.db.close().await;
}

/// A page on the public address; then no `/metrics` there (no token is set), while the private
/// address answers `/metrics` without one, counting that page, and serves nothing else.
async fn metrics_only_on_the_private_address(public: &str, private: &str) {
    let client = reqwest::Client::new();
    let get = |url: String| {
        let client = client.clone();
        async move { client.get(url).send().await.unwrap() }
    };
    assert_eq!(get(format!("{public}/")).await.status(), 200);
    let hidden = get(format!("{public}/metrics")).await;
    assert_eq!(hidden.status(), 404, "no /metrics on the public address");
    let shown = get(format!("{private}/metrics")).await;
    assert_eq!(shown.status(), 200);
    let text = shown.text().await.unwrap();
    assert!(text.contains("route=\"/\""), "{text}");
    assert_eq!(get(format!("{private}/")).await.status(), 404);
}

/// Stops the server it holds when the test ends, passing or not.
struct Running(std::process::Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// The binary itself (`server serve`, as the systemd unit runs it) opens the private address
/// `PHAPA_METRICS_ADDR` names: metrics there for anyone, none on the public address.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_binary_serves_metrics_on_the_address_it_is_given() {
    use std::io::BufRead;
    let place = common::TestDb::sqlite();
    // A free port, as an operator would pick one (the public address takes any).
    let private = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap();
    let app::server::db::audit::key::KeySource::Hex(key) = common::test_audit_key() else {
        unreachable!("the tests' key is given in hex")
    };
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_server"))
        .arg("serve")
        .env("DATABASE_URL", &place.url)
        .env("LEPTOS_SITE_ADDR", "127.0.0.1:0")
        .env("PHAPA_METRICS_ADDR", private.to_string())
        .env("PHAPA_AUDIT_KEY", key)
        .env_remove("PHAPA_AUDIT_KEY_FILE")
        .env_remove("PHAPA_METRICS_TOKEN")
        .env_remove("PHAPA_BACKUP_DIR")
        .env_remove("PHAPA_DEMO")
        .env("RUST_LOG", "warn")
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("start the server binary");
    let stdout = child.stdout.take().unwrap();
    let _running = Running(child);
    // The binary prints the address it listens on once it does.
    let (sender, said) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in std::io::BufReader::new(stdout)
            .lines()
            .map_while(Result::ok)
        {
            if let Some(url) = line.strip_prefix("Phapa is running at ") {
                let _ = sender.send(url.trim_end_matches('/').to_owned());
            }
        }
    });
    let public = said
        .recv_timeout(Duration::from_secs(60))
        .expect("the server listens within 60 s");
    metrics_only_on_the_private_address(&public, &format!("http://{private}")).await;
}
