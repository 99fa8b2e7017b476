//! Sign-in, sign-out, the session layer that tells every request who is calling, and the
//! same-origin rule for requests that change things.

use crate::AppState;
use app::model::account::CurrentUser;
use app::server::auth::{self, DeviceToken, SessionToken, SignIn};
use axum::body::Body;
use axum::extract::{ConnectInfo, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, Request, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use chrono::Utc;
use std::net::SocketAddr;

/// The session cookie's name over plain HTTP and over HTTPS.
pub const COOKIE: &str = "phapa_session";
pub const SECURE_COOKIE: &str = "__Host-phapa_session";
/// The device cookie's name over plain HTTP and over HTTPS (see `auth::DEVICE_LIFETIME`).
pub const DEVICE_COOKIE: &str = "phapa_device";
pub const SECURE_DEVICE_COOKIE: &str = "__Host-phapa_device";

fn cookie_name(secure: bool) -> &'static str {
    if secure {
        SECURE_COOKIE
    } else {
        COOKIE
    }
}

fn device_cookie_name(secure: bool) -> &'static str {
    if secure {
        SECURE_DEVICE_COOKIE
    } else {
        DEVICE_COOKIE
    }
}

fn cookie_value(headers: &HeaderMap, name: &str) -> Option<SessionToken> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|c| c.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| SessionToken(v.to_owned()))
}

/// The session token in a request's cookies, if any.
pub fn token_of(headers: &HeaderMap, secure: bool) -> Option<SessionToken> {
    cookie_value(headers, cookie_name(secure))
}

/// The device token in a request's cookies, if any.
pub fn device_of(headers: &HeaderMap, secure: bool) -> Option<DeviceToken> {
    cookie_value(headers, device_cookie_name(secure))
}

fn cookie(name: &str, token: &SessionToken, max_age_secs: i64, secure: bool) -> String {
    let secure_attr = if secure { "; Secure" } else { "" };
    format!(
        "{name}={}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age_secs}{secure_attr}",
        token.0
    )
}

fn session_cookie(token: &SessionToken, secure: bool) -> String {
    let max_age = auth::ABSOLUTE_LIMIT.num_seconds();
    cookie(cookie_name(secure), token, max_age, secure)
}

fn device_cookie(token: &DeviceToken, secure: bool) -> String {
    let max_age = auth::DEVICE_LIFETIME.num_seconds();
    cookie(device_cookie_name(secure), token, max_age, secure)
}

fn expired_cookie(secure: bool) -> String {
    let secure_attr = if secure { "; Secure" } else { "" };
    format!(
        "{}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0{secure_attr}",
        cookie_name(secure)
    )
}

/// Puts the signed-in [`CurrentUser`] into the request's extensions (server functions and pages
/// read it from there). Static files skip the database.
pub async fn identify(
    State(state): State<AppState>,
    mut req: Request<Body>,
    next: Next,
) -> Response {
    let path = req.uri().path();
    if !path.starts_with("/pkg/") && path != "/favicon.svg" {
        if let Some(ConnectInfo(peer)) = req.extensions().get::<ConnectInfo<SocketAddr>>().copied()
        {
            let client = client_address(req.headers(), peer, state.trust_proxy);
            req.extensions_mut()
                .insert(app::server::ClientAddress(client));
        }
        if let Some(token) = token_of(req.headers(), state.secure_cookies) {
            match auth::user_for_token(&state.db, &token, Utc::now()).await {
                Ok(Some(user)) => {
                    req.extensions_mut().insert(user);
                }
                Ok(None) => {}
                // The database is down or locked: answer 503 now rather than render a page
                // whose every query would wait out the same timeout again.
                Err(e) if app::server::db::is_unavailable(&e) => {
                    tracing::warn!(error = %e, "session lookup: database unavailable");
                    return crate::unavailable(req.uri().path());
                }
                Err(e) => tracing::error!(error = %e, "session lookup failed"),
            }
        }
    }
    next.run(req).await
}

/// Refuses (403) any request that would change something when the browser says it came from
/// another site (`Sec-Fetch-Site`) or names another origin (`Origin`).
pub async fn same_origin_only(req: Request<Body>, next: Next) -> Response {
    if matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS) {
        return next.run(req).await;
    }
    if cross_site(req.headers(), req.uri().authority().map(|a| a.as_str())) {
        return (
            StatusCode::FORBIDDEN,
            "cross-site request refused / ปฏิเสธคำขอจากเว็บไซต์อื่น",
        )
            .into_response();
    }
    next.run(req).await
}

/// Whether the request's own headers show it came from another site. `authority` is the
/// request URI's (HTTP/2 carries it there rather than in `Host`).
pub fn cross_site(headers: &HeaderMap, authority: Option<&str>) -> bool {
    let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    if let Some(site) = header("sec-fetch-site") {
        return !matches!(site, "same-origin" | "none");
    }
    if let Some(origin) = header("origin") {
        let origin_authority = origin.split_once("://").map(|(_, rest)| rest).unwrap_or("");
        let ours = header("host").or(authority);
        return origin == "null" || Some(origin_authority) != ours;
    }
    false
}

#[derive(serde::Deserialize)]
pub struct SignInForm {
    username: String,
    password: String,
    next: Option<String>,
}

/// `POST /login`: a plain form post. Success sets a fresh session cookie and goes on to `next`;
/// a wrong username or password (or a disabled account) returns to the form with one message;
/// too many failures answer 429 with `Retry-After`.
pub async fn sign_in(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Form(form): Form<SignInForm>,
) -> Response {
    let next = form
        .next
        .filter(|n| crate::is_local_path(n) && !n.starts_with("/login"));
    let client = client_address(&headers, peer, state.trust_proxy);
    let outcome = auth::sign_in(
        &state.db,
        &form.username,
        app::model::account::Password::typed(&form.password),
        Some(&client),
        device_of(&headers, state.secure_cookies).as_ref(),
        Utc::now(),
    )
    .await;
    match outcome {
        Ok(SignIn::Success {
            user,
            token,
            device,
        }) => {
            if let Some(old) = token_of(&headers, state.secure_cookies) {
                let _ = auth::sign_out(&state.db, &old, None, Some(&client), Utc::now()).await;
            }
            let target = next.unwrap_or_else(|| home_of(&user));
            let response = with_cookie(
                Redirect::to(&target).into_response(),
                &session_cookie(&token, state.secure_cookies),
            );
            with_cookie(response, &device_cookie(&device, state.secure_cookies))
        }
        Ok(SignIn::Invalid) => {
            let next = next
                .map(|n| format!("&next={}", encode(&n)))
                .unwrap_or_default();
            Redirect::to(&format!("/login?error=invalid{next}")).into_response()
        }
        Ok(SignIn::Throttled { retry_after_secs }) => throttled(retry_after_secs),
        Err(e) => (
            StatusCode::from_u16(e.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),
            e.message(app::model::Lang::Th),
        )
            .into_response(),
    }
}

/// The client's address: the connection's peer, or, behind a trusted proxy, the last address the
/// proxy appended to `X-Forwarded-For` (entries further left are the client's own claims).
pub fn client_address(headers: &HeaderMap, peer: SocketAddr, trust_proxy: bool) -> String {
    let forwarded = trust_proxy
        .then(|| headers.get("x-forwarded-for").and_then(|v| v.to_str().ok()))
        .flatten()
        .and_then(|list| list.rsplit(',').next())
        .map(str::trim)
        .filter(|a| a.parse::<std::net::IpAddr>().is_ok());
    forwarded.map_or_else(|| peer.ip().to_string(), str::to_owned)
}

/// Where each role starts after signing in.
pub fn home_of(user: &CurrentUser) -> String {
    use app::model::account::Role;
    match user.role {
        Role::Administrator => "/admin/accounts".into(),
        Role::FinanceOfficer => "/finance".into(),
        Role::HospitalStaff { .. } => "/staff".into(),
    }
}

fn throttled(retry_after_secs: i64) -> Response {
    let body = format!(
        "<!DOCTYPE html><html lang=\"th\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>ลองใหม่ภายหลัง · Try again later</title><link rel=\"stylesheet\" href=\"/pkg/phapa.css\"></head>\
         <body><main class=\"wrap\"><h1>ลองเข้าสู่ระบบผิดหลายครั้งเกินไป</h1>\
         <p>กรุณารอ {retry_after_secs} วินาทีแล้วลองใหม่ · Too many failed sign-ins: please wait {retry_after_secs} seconds and try again.</p>\
         <p><a href=\"/login\">กลับไปหน้าเข้าสู่ระบบ · Back to sign-in</a></p></main></body></html>"
    );
    let mut response = (
        StatusCode::TOO_MANY_REQUESTS,
        [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
        body,
    )
        .into_response();
    if let Ok(v) = HeaderValue::from_str(&retry_after_secs.to_string()) {
        response.headers_mut().insert(header::RETRY_AFTER, v);
    }
    response
}

/// `POST /logout`: ends the session and clears the cookie.
pub async fn sign_out(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    req: Request<Body>,
) -> Response {
    if let Some(token) = token_of(req.headers(), state.secure_cookies) {
        let user = req.extensions().get::<CurrentUser>();
        if let Err(e) = auth::sign_out(
            &state.db,
            &token,
            user,
            Some(&client_address(req.headers(), peer, state.trust_proxy)),
            Utc::now(),
        )
        .await
        {
            tracing::error!(error = %e, "sign-out failed");
        }
    }
    with_cookie(
        Redirect::to("/").into_response(),
        &expired_cookie(state.secure_cookies),
    )
}

fn with_cookie(mut response: Response, cookie: &str) -> Response {
    if let Ok(v) = HeaderValue::from_str(cookie) {
        response.headers_mut().append(header::SET_COOKIE, v);
    }
    response
}

/// Percent-encodes a path for a query value.
fn encode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.insert(*k, HeaderValue::from_static(v));
        }
        h
    }

    #[test]
    fn cross_site_requests_are_recognised_by_fetch_metadata_or_origin() {
        assert!(cross_site(
            &headers(&[("sec-fetch-site", "cross-site")]),
            None
        ));
        assert!(cross_site(
            &headers(&[("sec-fetch-site", "same-site")]),
            None
        ));
        assert!(!cross_site(
            &headers(&[("sec-fetch-site", "same-origin")]),
            None
        ));
        assert!(cross_site(
            &headers(&[
                ("origin", "https://evil.example"),
                ("host", "phapa.example")
            ]),
            None
        ));
        assert!(!cross_site(
            &headers(&[
                ("origin", "https://phapa.example"),
                ("host", "phapa.example")
            ]),
            None
        ));
        assert!(cross_site(
            &headers(&[("origin", "null"), ("host", "phapa.example")]),
            None
        ));
        assert!(
            !cross_site(&headers(&[("host", "phapa.example")]), None),
            "non-browser clients send neither"
        );
        assert!(
            !cross_site(
                &headers(&[("origin", "https://phapa.example")]),
                Some("phapa.example")
            ),
            "HTTP/2 carries the authority in the URI, not in Host"
        );
    }

    #[test]
    fn the_client_address_comes_from_the_proxy_only_when_trusted() {
        let peer: SocketAddr = "10.0.0.1:5000".parse().unwrap();
        let h = headers(&[("x-forwarded-for", "6.6.6.6, 203.0.113.9")]);
        assert_eq!(client_address(&h, peer, false), "10.0.0.1");
        assert_eq!(client_address(&h, peer, true), "203.0.113.9");
        assert_eq!(
            client_address(&headers(&[("x-forwarded-for", "junk")]), peer, true),
            "10.0.0.1"
        );
    }

    #[test]
    fn session_cookies_are_http_only_lax_and_secure_over_https() {
        let token = SessionToken("abc".into());
        let plain = session_cookie(&token, false);
        assert!(plain.starts_with("phapa_session=abc; Path=/; HttpOnly; SameSite=Lax"));
        assert!(!plain.contains("Secure"));
        let secure = session_cookie(&token, true);
        assert!(secure.starts_with("__Host-phapa_session=abc; Path=/;"));
        assert!(secure.ends_with("; Secure"));
    }

    #[test]
    fn device_cookies_are_http_only_lax_long_lived_and_host_bound_over_https() {
        let token = SessionToken("dev".into());
        let plain = device_cookie(&token, false);
        assert!(
            plain.starts_with("phapa_device=dev; Path=/; HttpOnly; SameSite=Lax; Max-Age=15552000")
        );
        assert!(!plain.contains("Secure"));
        let secure = device_cookie(&token, true);
        assert!(secure.starts_with("__Host-phapa_device=dev; Path=/;"));
        assert!(secure.ends_with("; Secure"));
        let mut h = HeaderMap::new();
        h.insert(
            header::COOKIE,
            HeaderValue::from_static("phapa_session=s; phapa_device=d"),
        );
        assert_eq!(device_of(&h, false), Some(SessionToken("d".into())));
        assert_eq!(token_of(&h, false), Some(SessionToken("s".into())));
        assert_eq!(device_of(&h, true), None);
    }

    #[test]
    fn the_next_path_is_encoded_for_the_query() {
        assert_eq!(encode("/campaigns/1?x=y"), "/campaigns/1%3Fx%3Dy");
    }
}
