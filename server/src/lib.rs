//! The Phapa web server as a library, so tests can start the real thing on port 0.
#![recursion_limit = "256"]

use app::app::{shell, App};
use app::error::AppError;
use app::i18n::{lang_of_query, LANG_COOKIE};
use app::model::Lang;
use app::server::db::DbError;
use app::server::Db;
use axum::body::Body;
use axum::extract::{FromRef, State};
use axum::http::{header, HeaderValue, Request, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use leptos::prelude::*;
use leptos_axum::{generate_route_list, LeptosRoutes};
use std::net::SocketAddr;
use tower_http::compression::CompressionLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::services::ServeDir;
use tower_http::trace::TraceLayer;

pub mod backup;
pub mod config;
pub mod error_page;
pub mod files;
pub mod headers;
pub mod loans;
pub mod metrics;
pub mod open_data;
pub mod page_cache;
pub mod session;
pub mod settlement;
pub mod statements;
pub mod xlsx;
pub use config::Config;

/// What every handler can reach.
#[derive(Clone)]
pub struct AppState {
    pub options: LeptosOptions,
    pub db: Db,
    pub secure_cookies: bool,
    pub trust_proxy: bool,
    pub lookups: app::server::lookup_limit::LookupLimiter,
    pub pledges: app::server::lookup_limit::PledgeLimiter,
    /// Donation traces kept per generation, and how many each client may ask for.
    pub traces: open_data::TraceCache,
    pub trace_limit: app::server::lookup_limit::TraceLimiter,
    /// Open-data answers this server builds, per client (those the page cache serves are free).
    pub api_limit: app::server::lookup_limit::LookupLimiter,
    pub metrics: metrics::Metrics,
}

impl FromRef<AppState> for metrics::Metrics {
    fn from_ref(state: &AppState) -> Self {
        state.metrics.clone()
    }
}

/// A built server: its router, its database and its metrics (for a private `/metrics` address).
pub struct Parts {
    pub router: Router,
    pub db: Db,
    pub metrics: metrics::Metrics,
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.options.clone()
    }
}

/// Connects to the database (migrating it, and loading the demo when asked) and builds the router.
pub async fn build(config: &Config) -> Result<(Router, Db), DbError> {
    let parts = build_parts(config).await?;
    Ok((parts.router, parts.db))
}

/// [`build`], keeping the metrics too, and starting the automatic backups when configured.
pub async fn build_parts(config: &Config) -> Result<Parts, DbError> {
    let db = Db::connect_keyed(&config.database_url, &config.audit_key).await?;
    if config.demo && app::server::demo::load_if_empty(&db, app::server::today()).await? {
        tracing::info!("demo data loaded");
    }
    // Other servers on the same PostgreSQL database: their writes refresh this one's pages.
    app::server::db::notify::listen(&db, &config.database_url);
    if let Some(schedule) = &config.backup {
        if db.engine() == app::server::Engine::Sqlite {
            backup::schedule(
                db.clone(),
                schedule.dir.clone(),
                schedule.every,
                schedule.keep,
                config.audit_key.clone(),
            );
        } else {
            tracing::warn!(
                "PHAPA_BACKUP_DIR backs up SQLite only; back PostgreSQL up with pg_dump (README)"
            );
        }
    }
    let metrics = metrics::Metrics::new(
        db.clone(),
        config.backup.as_ref().map(|b| b.dir.clone()),
        config.metrics.token.clone(),
    );
    Ok(Parts {
        router: router_with(config, db.clone(), metrics.clone()),
        db,
        metrics,
    })
}

/// The axum router: pages, server functions, static files, health and language endpoints.
pub fn router(config: &Config, db: Db) -> Router {
    let metrics = metrics::Metrics::new(db.clone(), None, config.metrics.token.clone());
    router_with(config, db, metrics)
}

fn router_with(config: &Config, db: Db, metrics: metrics::Metrics) -> Router {
    let options = LeptosOptions::builder()
        .output_name("phapa")
        .site_root(config.site_root.as_str())
        .site_pkg_dir("pkg")
        .site_addr(config.site_addr)
        .build();
    let state = AppState {
        options: options.clone(),
        db: db.clone(),
        secure_cookies: config.secure_cookies,
        trust_proxy: config.trust_proxy,
        lookups: Default::default(),
        pledges: Default::default(),
        traces: Default::default(),
        trace_limit: Default::default(),
        api_limit: app::server::lookup_limit::LookupLimiter::new("api", config.api_limit),
        metrics: metrics.clone(),
    };
    let routes = route_list();
    let db_for_pages = db.clone();
    let (lookups, pledges) = (state.lookups.clone(), state.pledges.clone());
    let live = app::server::live_figures::LiveFigures::default();
    let context = move || {
        provide_context(db.clone());
        provide_context(lookups.clone());
        provide_context(pledges.clone());
        provide_context(live.clone());
        headers::provide_page_policy();
    };
    let app = Router::new()
        .route("/healthz", get(healthz))
        .route("/metrics", get(metrics::guarded))
        .route("/lang", post(set_lang))
        .route("/login", post(session::sign_in))
        .route("/logout", post(session::sign_out))
        .route("/donations/{reference}/qr.png", get(files::pledge_qr_png))
        .route("/finance/e-donation.csv", get(files::e_donation_csv))
        .route("/finance/e-donation.xlsx", get(files::e_donation_csv))
        .route(
            "/finance/campaigns/{id}/statements/{step}",
            post(statements::upload),
        )
        .route(
            "/finance/campaigns/{id}/report/acknowledge",
            post(settlement::acknowledge),
        )
        .route("/finance/campaigns/{id}/settle", post(settlement::settle))
        .route(
            "/finance/campaigns/{id}/export/{file}",
            get(settlement::export),
        )
        .merge(open_data::routes())
        .merge(loans::routes())
        .leptos_routes_with_context(&state, routes, context.clone(), {
            let options = options.clone();
            move || shell(options.clone())
        })
        // Files are served before Leptos sees the request. Leptos's own file handler gives each
        // file request an owner that inherits whatever reactive owner the worker thread holds,
        // and so can take the response headers of a page rendering at the same moment: that
        // page then went out without its script policy and could not hydrate (leptos_axum
        // 0.8.10, `file_and_error_handler`). What is not a file renders the 404 page.
        .fallback_service(
            ServeDir::new(&config.site_root)
                .precompressed_br()
                .precompressed_gzip()
                .call_fallback_on_method_not_allowed(true)
                .fallback(axum::handler::Handler::with_state(
                    leptos_axum::file_and_error_handler_with_context::<AppState, _>(context, shell),
                    state.clone(),
                )),
        )
        .layer(middleware::from_fn(server_fn_error_status))
        .layer(middleware::from_fn(metrics::keep_route))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            session::identify,
        ))
        .layer(middleware::from_fn(session::same_origin_only))
        .layer(middleware::from_fn(remember_query_lang))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            headers::security_headers,
        ))
        .layer(CompressionLayer::new())
        .with_state(state);
    // The page cache and the layers every answer needs wrap the whole app rather than each of
    // its routes, so a stored page skips routing, the session look-up, rendering and
    // compression (axum clones a route's whole layer stack for every request it routes).
    Router::new()
        .fallback_service(app)
        .layer(middleware::from_fn_with_state(
            page_cache::PageCache::new(db_for_pages, config.secure_cookies),
            page_cache::serve,
        ))
        .layer(middleware::from_fn_with_state(metrics, metrics::track))
        .layer(TraceLayer::new_for_http().make_span_with(|req: &Request<Body>| {
            let id = req
                .headers()
                .get("x-request-id")
                .and_then(|v| v.to_str().ok())
                .unwrap_or("-");
            let target = headers::logged_target(req.uri());
            tracing::info_span!("request", method = %req.method(), uri = %target, request_id = %id)
        }))
        .layer(PropagateRequestIdLayer::x_request_id())
        .layer(SetRequestIdLayer::x_request_id(MakeRequestUuid))
}

/// The app's routes, generated once per process. Generating them pauses resource loading
/// process-wide for a moment, and a resource first polled in that moment never loads again
/// (leptos-rs/leptos#4773); the tests start many servers in one process, so a second generation
/// could freeze a page another server was rendering.
fn route_list() -> Vec<leptos_axum::AxumRouteListing> {
    static ROUTES: std::sync::OnceLock<Vec<leptos_axum::AxumRouteListing>> =
        std::sync::OnceLock::new();
    ROUTES.get_or_init(|| generate_route_list(App)).clone()
}

/// Serves until Ctrl-C or SIGTERM.
pub async fn serve(listener: tokio::net::TcpListener, router: Router) -> std::io::Result<()> {
    axum::serve(
        listener,
        router.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown_signal())
    .await
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
}

/// 200 when the database answers (and, on SQLite, could take a write), 503 with `Retry-After`
/// when it does not; within 1.5 s whatever the writer is doing, since it never queues for it.
async fn healthz(State(state): State<AppState>) -> Response {
    let answer = tokio::time::timeout(std::time::Duration::from_millis(1400), state.db.ping());
    if answer.await.unwrap_or(false) {
        (StatusCode::OK, "ok").into_response()
    } else {
        unavailable("/healthz")
    }
}

/// The answer when the database is down or locked: 503 with `Retry-After`, within the time the
/// pool and lock timeouts allow (under two seconds). Server functions get the encoded
/// [`AppError`] their client reads; pages and files a short page in Thai and English.
pub fn unavailable(path: &str) -> Response {
    let retry_after_secs = app::server::db::RETRY_AFTER_SECS;
    let error = AppError::Unavailable { retry_after_secs };
    let mut response = if path.starts_with("/api/v1/") {
        // The open data's one error shape.
        return open_data::PublicError(error).into_response();
    } else if path.starts_with("/api/") {
        let body = serde_json::to_string(&error).unwrap_or_default();
        (
            StatusCode::SERVICE_UNAVAILABLE,
            [(header::CONTENT_TYPE, "application/json")],
            body,
        )
            .into_response()
    } else {
        let (th, en) = (error.message(Lang::Th), error.message(Lang::En));
        let body = format!(
            "<!DOCTYPE html><html lang=\"th\"><head><meta charset=\"utf-8\">\
             <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
             <title>ระบบขัดข้องชั่วคราว · Briefly unavailable</title>\
             <link rel=\"stylesheet\" href=\"/pkg/phapa.css\"></head>\
             <body><main class=\"wrap\"><h1>ขออภัย ระบบขัดข้องชั่วคราว · Sorry, briefly unavailable</h1>\
             <p>{th}</p><p lang=\"en\">{en}</p></main></body></html>"
        );
        (
            StatusCode::SERVICE_UNAVAILABLE,
            [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
            body,
        )
            .into_response()
    };
    if let Ok(value) = HeaderValue::from_str(&retry_after_secs.to_string()) {
        response.headers_mut().insert(header::RETRY_AFTER, value);
    }
    response
}

#[derive(serde::Deserialize)]
struct LangForm {
    lang: String,
    next: Option<String>,
}

/// Switches the language: sets the cookie and sends the reader back where they were.
async fn set_lang(Form(form): Form<LangForm>) -> Response {
    let Some(lang) = Lang::from_code(&form.lang) else {
        return (
            StatusCode::UNPROCESSABLE_ENTITY,
            "lang must be th or en / ภาษาต้องเป็น th หรือ en",
        )
            .into_response();
    };
    let next = form
        .next
        .filter(|n| is_local_path(n))
        .unwrap_or_else(|| "/".to_owned());
    let mut response = Redirect::to(&next).into_response();
    if let Ok(cookie) = HeaderValue::from_str(&lang_cookie(lang)) {
        response.headers_mut().append(header::SET_COOKIE, cookie);
    }
    response
}

/// Only a path on this site may be a redirect target (no `//host` or `https://…`).
pub fn is_local_path(path: &str) -> bool {
    // Browsers drop tabs and newlines from URLs and read `\` as `/`, so `/\t/evil.example`
    // would become `//evil.example`: refuse control characters and backslashes anywhere.
    path.starts_with('/')
        && !path.starts_with("//")
        && !path.chars().any(|c| c.is_control() || c == '\\')
}

pub(crate) fn lang_cookie(lang: Lang) -> String {
    format!(
        "{LANG_COOKIE}={}; Path=/; Max-Age=31536000; SameSite=Lax",
        lang.code()
    )
}

/// Server functions answer every error with 500 unless told otherwise; errors raised before the
/// function body runs (undecodable arguments) never reach `finish`. This reads the encoded
/// [`AppError`] back and answers with its own status, so a bad argument is a 400, not a 500.
///
/// A browser without JavaScript posts server functions as plain forms and would show that JSON
/// as a page: it gets [`error_page::ErrorPage`] instead (the message in Thai and English, each
/// field named, and a link back to the page it came from).
async fn server_fn_error_status(req: Request<Body>, next: Next) -> Response {
    let plain_form = req
        .headers()
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|a| a.contains("text/html"));
    let back = req
        .headers()
        .get(header::REFERER)
        .and_then(|v| v.to_str().ok())
        .and_then(|r| r.parse::<axum::http::Uri>().ok())
        .map(|u| {
            u.path_and_query()
                .map_or_else(|| "/".to_owned(), |p| p.as_str().to_owned())
        })
        .filter(|p| is_local_path(p))
        .unwrap_or_else(|| "/".to_owned());
    let response = next.run(req).await;
    if !response.headers().contains_key("serverfnerror")
        || !(plain_form || response.status() == StatusCode::INTERNAL_SERVER_ERROR)
    {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, 64 * 1024).await else {
        return (StatusCode::INTERNAL_SERVER_ERROR, "error body unreadable").into_response();
    };
    if let Ok(error) = serde_json::from_slice::<AppError>(&bytes) {
        if plain_form {
            let accept = axum::http::HeaderMap::new();
            return error_page::ErrorPage::new(error, back, &accept).into_response();
        }
        parts.status =
            StatusCode::from_u16(error.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    }
    Response::from_parts(parts, Body::from(bytes))
}

/// `?lang=en` on any page also remembers the choice.
async fn remember_query_lang(req: Request<Body>, next: Next) -> Response {
    let chosen = lang_of_query(req.uri().query());
    let mut response = next.run(req).await;
    if let Some(lang) = chosen {
        if let Ok(cookie) = HeaderValue::from_str(&lang_cookie(lang)) {
            response.headers_mut().append(header::SET_COOKIE, cookie);
        }
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_local_paths_are_redirect_targets() {
        assert!(is_local_path("/campaigns/1?x=2"));
        assert!(!is_local_path("//evil.example"));
        assert!(!is_local_path("https://evil.example"));
        assert!(!is_local_path("/\\evil.example"));
        assert!(!is_local_path("/\t/evil.example"));
        assert!(!is_local_path("/a\nb"));
    }
}
