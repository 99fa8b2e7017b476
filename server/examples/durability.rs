//! What power-loss-safe commits cost: donations per second over HTTP from concurrent clients,
//! with SQLite's `synchronous = normal` (survives a process crash only) and `full` (survives a
//! power cut), beside the raw rate of single-row WAL+FULL commits on the same disk.
//!
//! ```text
//! cargo run --release -p server --example durability -- [--donations 2000] [--clients 16]
//!                                                        [--url http://127.0.0.1:PORT]
//! ```
//!
//! With `--url`, it records against a server already running there with the demo data (any
//! build of it, as `scripts/bench.sh` does) and measures that server's own setting only.
//!
//! Each mode starts the real server on port 0 over a fresh SQLite file with the demo data, signs
//! in as `demo-finance` and records gifts through `/api/donations/record`, each with its own
//! idempotency key, as the finance page does. `normal` is reached only through the benchmark
//! knob `PHAPA_BENCH_SQLITE_SYNCHRONOUS`; the server itself always runs `full`.
#![expect(
    clippy::float_arithmetic,
    reason = "rates and ratios of a measurement, not money"
)]

use server::Config;
use sqlx::{Connection, Executor};
use std::path::{Path, PathBuf};
use std::time::Instant;

const PASSWORD: &str = "phapa-demo-password";

struct Row {
    mode: &'static str,
    donations: usize,
    seconds: f64,
    raw_per_sec: f64,
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let (donations, clients) = arguments()?;
    if let Some(base) = url_argument() {
        let dir = scratch_dir("server");
        let seconds = record_donations(&base, donations, clients).await?;
        let raw_per_sec = raw_full_commits(&dir, 2000).await?;
        std::fs::remove_dir_all(&dir)?;
        let row = Row {
            mode: "server",
            donations,
            seconds,
            raw_per_sec,
        };
        print_table(&[row], clients);
        return Ok(());
    }
    let mut rows = Vec::new();
    for mode in ["normal", "full"] {
        let dir = scratch_dir(mode);
        // Read by `Db::connect`; set before the server starts and changed only between runs.
        std::env::set_var("PHAPA_BENCH_SQLITE_SYNCHRONOUS", mode);
        let seconds = donations_over_http(&dir, donations, clients).await?;
        let raw_per_sec = raw_full_commits(&dir, 2000).await?;
        std::fs::remove_dir_all(&dir)?;
        rows.push(Row {
            mode,
            donations,
            seconds,
            raw_per_sec,
        });
    }
    std::env::remove_var("PHAPA_BENCH_SQLITE_SYNCHRONOUS");
    print_table(&rows, clients);
    Ok(())
}

fn arguments() -> Result<(usize, usize), String> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let value = |name: &str, default: usize| -> Result<usize, String> {
        match args.iter().position(|a| a == name) {
            None => Ok(default),
            Some(i) => args
                .get(i + 1)
                .and_then(|v| v.parse().ok())
                .filter(|n| *n > 0)
                .ok_or_else(|| format!("{name} needs a positive number")),
        }
    };
    Ok((value("--donations", 2000)?, value("--clients", 16)?))
}

fn url_argument() -> Option<String> {
    let args: Vec<String> = std::env::args().collect();
    let i = args.iter().position(|a| a == "--url")?;
    args.get(i + 1).map(|u| u.trim_end_matches('/').to_owned())
}

/// A fresh folder beside the system's temporary files (the disk a test database would use).
fn scratch_dir(mode: &str) -> PathBuf {
    let dir =
        std::env::temp_dir().join(format!("phapa-bench-{mode}-{:08x}", rand::random::<u32>()));
    let _ = std::fs::create_dir_all(&dir);
    dir
}

/// Seconds that `clients` concurrent clients take to record `count` donations.
async fn donations_over_http(
    dir: &Path,
    count: usize,
    clients: usize,
) -> Result<f64, Box<dyn std::error::Error>> {
    let config = Config {
        database_url: format!("sqlite://{}/phapa.db", dir.display()),
        site_addr: "127.0.0.1:0".parse()?,
        site_root: dir.join("site").display().to_string(),
        demo: true,
        secure_cookies: false,
        trust_proxy: false,
        audit_key: app::server::db::audit::key::KeySource::File(dir.join("audit.key")),
        backup: None,
        metrics: Default::default(),
        api_limit: server::config::DEFAULT_API_LIMIT,
    };
    let (router, db) = server::build(&config).await?;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let base = format!("http://{}", listener.local_addr()?);
    let served = tokio::spawn(server::serve(listener, router));
    let seconds = record_donations(&base, count, clients).await?;
    served.abort();
    db.close().await;
    Ok(seconds)
}

/// Seconds that `clients` concurrent clients take to record `count` donations at `base`.
async fn record_donations(
    base: &str,
    count: usize,
    clients: usize,
) -> Result<f64, Box<dyn std::error::Error>> {
    let cookie = sign_in(base).await?;
    let started = Instant::now();
    let mut tasks = Vec::new();
    for client in 0..clients {
        let (base, cookie) = (base.to_owned(), cookie.clone());
        tasks.push(tokio::spawn(async move {
            let http = reqwest::Client::new();
            for i in (client..count).step_by(clients) {
                let response = http
                    .post(format!("{base}/api/donations/record"))
                    .header("cookie", &cookie)
                    .form(&[
                        ("input[campaign_id]", "1".to_owned()),
                        ("input[channel]", "cash".to_owned()),
                        ("input[amount]", format!("{}.00", 100 + i % 900)),
                        (
                            "input[idempotency_key]",
                            format!("bench-{client}-{i}-{:016x}", rand::random::<u64>()),
                        ),
                    ])
                    .send()
                    .await
                    .map_err(|e| e.to_string())?;
                if !response.status().is_success() {
                    return Err(format!("donation {i}: {}", response.status()));
                }
            }
            Ok::<(), String>(())
        }));
    }
    for task in tasks {
        task.await??;
    }
    Ok(started.elapsed().as_secs_f64())
}

async fn sign_in(base: &str) -> Result<String, Box<dyn std::error::Error>> {
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()?;
    let response = http
        .post(format!("{base}/login"))
        .form(&[("username", "demo-finance"), ("password", PASSWORD)])
        .send()
        .await?;
    let cookie = response
        .headers()
        .get("set-cookie")
        .ok_or("sign-in set no cookie")?
        .to_str()?;
    Ok(cookie.split(';').next().unwrap_or_default().to_owned())
}

/// Single-row transactions per second on a scratch WAL database with `synchronous = full`: the
/// ceiling that durable commits put on any writer on this disk.
async fn raw_full_commits(dir: &Path, count: u32) -> Result<f64, Box<dyn std::error::Error>> {
    let url = format!("sqlite://{}/raw.db?mode=rwc", dir.display());
    let mut conn = sqlx::SqliteConnection::connect(&url).await?;
    conn.execute("pragma journal_mode = wal").await?;
    conn.execute("pragma synchronous = full").await?;
    conn.execute("create table gift (gift_id integer primary key, amount_satang integer not null)")
        .await?;
    let started = Instant::now();
    for i in 0..count {
        let mut tx = conn.begin().await?;
        sqlx::query("insert into gift (amount_satang) values ($1)")
            .bind(i64::from(i) + 100)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
    }
    let per_sec = f64::from(count) / started.elapsed().as_secs_f64();
    conn.close().await?;
    Ok(per_sec)
}

fn print_table(rows: &[Row], clients: usize) {
    println!("{clients} concurrent clients, SQLite WAL, release build");
    println!(
        "{:<8} {:>10} {:>9} {:>12} {:>16} {:>7}",
        "mode", "donations", "seconds", "donations/s", "raw commits/s", "ratio"
    );
    for row in rows {
        let rate = row.donations as f64 / row.seconds;
        println!(
            "{:<8} {:>10} {:>9.2} {:>12.0} {:>16.0} {:>7.3}",
            row.mode,
            row.donations,
            row.seconds,
            rate,
            row.raw_per_sec,
            rate / row.raw_per_sec
        );
    }
    if let [normal, full] = rows {
        let cost =
            (normal.donations as f64 / normal.seconds) / (full.donations as f64 / full.seconds);
        println!("full costs {cost:.2}× normal's time per donation");
    }
}
