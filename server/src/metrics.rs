//! How the server is doing, in Prometheus's text format: requests by route and status with
//! their latency, the database pools and the writer's queue, page-cache hits and misses, the
//! gifts and purchases the books hold, and the age of the newest backup.
//!
//! `/metrics` is never public: it is served on its own address (`PHAPA_METRICS_ADDR`, for a
//! scraper on the same host or private network) or, on the main address, only to a request
//! that carries `Authorization: Bearer $PHAPA_METRICS_TOKEN`. With neither set it does not
//! exist.

use app::server::Db;
use axum::body::Body;
use axum::extract::{MatchedPath, State};
use axum::http::{header, HeaderMap, Request, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{exponential_buckets, Histogram};
use prometheus_client::registry::Registry;
use std::path::PathBuf;
use std::sync::atomic::AtomicU64;
use std::sync::Arc;
use std::time::{Duration, Instant};

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RequestLabels {
    route: String,
    method: String,
    status: u16,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RouteLabels {
    route: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct CacheLabels {
    outcome: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct PoolLabels {
    pool: &'static str,
    state: &'static str,
}

/// The metrics of one server.
#[derive(Clone)]
pub struct Metrics(Arc<Inner>);

struct Inner {
    registry: Registry,
    requests: Family<RequestLabels, Counter>,
    latency: Family<RouteLabels, Histogram>,
    cache: Family<CacheLabels, Counter>,
    pools: Family<PoolLabels, Gauge>,
    write_waits: Counter<u64>,
    write_wait_seconds: Counter<f64, AtomicU64>,
    write_timeouts: Counter<u64>,
    donations: Gauge,
    purchases: Gauge,
    backup_age: Gauge<f64, AtomicU64>,
    db: Db,
    backup_dir: Option<PathBuf>,
    token: Option<String>,
}

impl Metrics {
    /// Metrics for the server on `db`; `token` lets `/metrics` answer on the main address.
    pub fn new(db: Db, backup_dir: Option<PathBuf>, token: Option<String>) -> Metrics {
        let mut registry = Registry::with_prefix("phapa");
        let requests = Family::<RequestLabels, Counter>::default();
        registry.register(
            "http_requests",
            "Requests answered, by route template, method and status",
            requests.clone(),
        );
        let latency = Family::<RouteLabels, Histogram>::new_with_constructor(|| {
            // 0.25 ms to about 4 s.
            Histogram::new(exponential_buckets(0.000_25, 2.0, 15))
        });
        registry.register(
            "http_request_duration_seconds",
            "Time to the response's head, by route template",
            latency.clone(),
        );
        let cache = Family::<CacheLabels, Counter>::default();
        registry.register(
            "page_cache_lookups",
            "Public pages served from the page cache (hit) or rendered (miss)",
            cache.clone(),
        );
        let pools = Family::<PoolLabels, Gauge>::default();
        registry.register(
            "db_connections",
            "Database connections by pool (read, write) and state (in_use, idle)",
            pools.clone(),
        );
        let write_waits = Counter::default();
        registry.register(
            "db_write_waits",
            "Write transactions that asked for the writer",
            write_waits.clone(),
        );
        let write_wait_seconds = Counter::<f64, AtomicU64>::default();
        registry.register(
            "db_write_wait_seconds",
            "Time write transactions spent waiting for the writer",
            write_wait_seconds.clone(),
        );
        let write_timeouts = Counter::default();
        registry.register(
            "db_write_wait_timeouts",
            "Writes refused (503) because the writer stayed busy for 1.5 s",
            write_timeouts.clone(),
        );
        let donations = Gauge::default();
        registry.register(
            "donations_received",
            "Gifts received in all campaigns (from the campaigns' totals)",
            donations.clone(),
        );
        let purchases = Gauge::default();
        registry.register(
            "purchases_recorded",
            "Equipment purchases recorded",
            purchases.clone(),
        );
        let backup_age = Gauge::<f64, AtomicU64>::default();
        registry.register(
            "backup_age_seconds",
            "Age of the newest verified backup in PHAPA_BACKUP_DIR (-1: none yet; absent: no directory set)",
            backup_age.clone(),
        );
        Metrics(Arc::new(Inner {
            registry,
            requests,
            latency,
            cache,
            pools,
            write_waits,
            write_wait_seconds,
            write_timeouts,
            donations,
            purchases,
            backup_age,
            db,
            backup_dir,
            token: token.filter(|t| !t.is_empty()),
        }))
    }

    /// The text a scraper reads, with the gauges read now.
    pub async fn render(&self) -> String {
        let m = &self.0;
        for (pool, stats) in [
            ("read", m.db.read_pool_stats()),
            ("write", m.db.write_pool_stats()),
        ] {
            let in_use = i64::from(stats.size) - stats.idle as i64;
            let labels = |state| PoolLabels { pool, state };
            m.pools.get_or_create(&labels("in_use")).set(in_use.max(0));
            m.pools
                .get_or_create(&labels("idle"))
                .set(stats.idle as i64);
        }
        let waits = m.db.write_wait_stats();
        m.write_waits
            .inner()
            .store(waits.waits, std::sync::atomic::Ordering::Relaxed);
        m.write_timeouts
            .inner()
            .store(waits.timeouts, std::sync::atomic::Ordering::Relaxed);
        m.write_wait_seconds.inner().store(
            Duration::from_micros(waits.waited_micros)
                .as_secs_f64()
                .to_bits(),
            std::sync::atomic::Ordering::Relaxed,
        );
        // Both from small tables: the campaigns' totals and the purchases, never the gifts.
        let counts: Result<(i64, i64), _> = sqlx::query_as(
            "select (select coalesce(sum(donation_count), 0) from campaign_fund),
                    (select count(*) from purchase)",
        )
        .fetch_one(m.db.reader())
        .await;
        if let Ok((donations, purchases)) = counts {
            m.donations.set(donations);
            m.purchases.set(purchases);
        }
        if let Some(dir) = &m.backup_dir {
            m.backup_age.set(newest_backup_age(dir).unwrap_or(-1.0));
        }
        let mut text = String::new();
        if prometheus_client::encoding::text::encode(&mut text, &m.registry).is_err() {
            text.clear();
        }
        text
    }

    fn observe(&self, route: String, method: &str, status: u16, seconds: f64, cache: Option<&str>) {
        let m = &self.0;
        m.latency
            .get_or_create(&RouteLabels {
                route: route.clone(),
            })
            .observe(seconds);
        m.requests
            .get_or_create(&RequestLabels {
                route,
                method: method.to_owned(),
                status,
            })
            .inc();
        match cache {
            Some("hit") => m.cache.get_or_create(&CacheLabels { outcome: "hit" }).inc(),
            Some("miss") => m
                .cache
                .get_or_create(&CacheLabels { outcome: "miss" })
                .inc(),
            _ => 0,
        };
    }

    fn allows(&self, headers: &HeaderMap) -> bool {
        let Some(token) = &self.0.token else {
            return false;
        };
        let given = headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .unwrap_or("");
        // Compared in constant time, as a password would be.
        given.len() == token.len()
            && given
                .bytes()
                .zip(token.bytes())
                .fold(0u8, |acc, (a, b)| acc | (a ^ b))
                == 0
    }
}

/// Counts every request with its route template (never the raw path, so the label set stays
/// small), method, status and time to the response's head. It wraps the page cache, so the
/// route comes back on the response (see [`keep_route`]) when the app routed the request.
pub async fn track(State(metrics): State<Metrics>, req: Request<Body>, next: Next) -> Response {
    let started = Instant::now();
    let fallback = route_of(req.uri().path());
    // Any token is a method to HTTP: only the usual ones become labels.
    let method: &'static str = match req.method().as_str() {
        "GET" => "GET",
        "HEAD" => "HEAD",
        "POST" => "POST",
        "PUT" => "PUT",
        "PATCH" => "PATCH",
        "DELETE" => "DELETE",
        "OPTIONS" => "OPTIONS",
        _ => "other",
    };
    let response = next.run(req).await;
    let route = response
        .extensions()
        .get::<MatchedPath>()
        .map(|p| p.as_str().to_owned())
        .unwrap_or(fallback);
    let cache = response
        .headers()
        .get("x-cache")
        .and_then(|v| v.to_str().ok());
    metrics.observe(
        route,
        method,
        response.status().as_u16(),
        started.elapsed().as_secs_f64(),
        cache,
    );
    response
}

/// Puts the route template the app matched on the response, for [`track`] outside the router.
pub async fn keep_route(req: Request<Body>, next: Next) -> Response {
    let route = req.extensions().get::<MatchedPath>().cloned();
    let mut response = next.run(req).await;
    if let Some(route) = route {
        response.extensions_mut().insert(route);
    }
    response
}

/// `/metrics` on the main address: only with the token, and otherwise as if it did not exist.
pub async fn guarded(State(metrics): State<Metrics>, headers: HeaderMap) -> Response {
    if !metrics.allows(&headers) {
        return StatusCode::NOT_FOUND.into_response();
    }
    text(&metrics).await
}

/// `/metrics` on its own (private) address.
pub async fn open(State(metrics): State<Metrics>) -> Response {
    text(&metrics).await
}

/// Serves `/metrics`, and nothing else, to anyone who reaches `listener` (`PHAPA_METRICS_ADDR`).
pub async fn serve_private(
    listener: tokio::net::TcpListener,
    metrics: Metrics,
) -> std::io::Result<()> {
    let router = axum::Router::new()
        .route("/metrics", axum::routing::get(open))
        .with_state(metrics);
    axum::serve(listener, router).await
}

async fn text(metrics: &Metrics) -> Response {
    (
        [(
            header::CONTENT_TYPE,
            "application/openmetrics-text; version=1.0.0; charset=utf-8",
        )],
        metrics.render().await,
    )
        .into_response()
}

/// A label for a path no route matched (files, the page cache's answers): its first segment,
/// from a short fixed list, so no visitor can grow the label set.
fn route_of(path: &str) -> String {
    let first = path.trim_start_matches('/').split('/').next().unwrap_or("");
    let known = [
        "",
        "campaigns",
        "hospitals",
        "units",
        "donations",
        "api",
        "pkg",
        "staff",
        "finance",
        "admin",
        "healthz",
        "metrics",
    ];
    match known.iter().find(|k| **k == first) {
        Some(&"") => "/".to_owned(),
        Some(k) => format!("/{k}/…"),
        None => "other".to_owned(),
    }
}

fn newest_backup_age(dir: &std::path::Path) -> Option<f64> {
    let (_, at) = crate::backup::newest(dir)?;
    Some(at.elapsed().map(|d| d.as_secs_f64()).unwrap_or(0.0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unmatched_paths_get_a_label_from_a_short_list() {
        assert_eq!(route_of("/"), "/");
        assert_eq!(route_of("/campaigns/1"), "/campaigns/…");
        assert_eq!(route_of("/pkg/phapa.wasm"), "/pkg/…");
        assert_eq!(route_of("/wp-admin/x.php"), "other");
        assert_eq!(route_of("/%00"), "other");
    }
}
