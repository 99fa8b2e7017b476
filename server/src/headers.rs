//! Headers every response carries for the browser's protection (a Content-Security-Policy that
//! forbids framing and foreign scripts, HSTS over HTTPS), and what the request log may record of
//! a URL: donation references are bearer secrets, so they never reach the log.

use crate::AppState;
use axum::body::Body;
use axum::extract::State;
use axum::http::{header, HeaderValue, Request, Uri};
use axum::middleware::Next;
use axum::response::Response;
use leptos::prelude::use_context;

/// The hash of the receipt page's `onclick="window.print()"`, the one inline handler the app
/// has; `'unsafe-hashes'` lets exactly that text run and nothing else.
const PRINT_HANDLER: &str = "'sha256-MguIPR6qNR8D3B+eAlK+bIRTZe8t3wkOY4B/56Me9FU='";

/// The rules shared by every policy. Styles may be inline: the progress bars carry their width
/// in a `style` attribute and the receipt its paper size in a `<style>`; CSS cannot run script.
const COMMON: &str = "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self'; \
                      object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/// The policy of a rendered page: besides our own files, only the inline scripts that carry this
/// response's nonce (Leptos puts it on its hydration script and on the data it streams) may run,
/// and the WASM may be compiled (`'wasm-unsafe-eval'`, which allows no JavaScript `eval`).
pub fn page_policy(nonce: &str) -> String {
    format!("{COMMON}; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval' 'unsafe-hashes' {PRINT_HANDLER}")
}

/// The policy of a page served from the page cache: the same, with its inline scripts allowed
/// by their hashes (`'sha256-…'`) instead of a nonce, since the same bytes go to many readers.
pub fn hashed_page_policy(script_hashes: &[String]) -> String {
    let hashes = script_hashes.join(" ");
    format!(
        "{COMMON}; script-src 'self' {hashes} 'wasm-unsafe-eval' 'unsafe-hashes' {PRINT_HANDLER}"
    )
}

/// The policy of every other response (server functions, files, plain error pages): no inline
/// script at all.
pub fn other_policy() -> String {
    format!("{COMMON}; script-src 'self'")
}

/// Called while a page renders (Leptos has made this response's nonce by then): puts the
/// page's policy on its response.
pub fn provide_page_policy() {
    let nonce = leptos::nonce::use_nonce();
    let response = use_context::<leptos_axum::ResponseOptions>();
    if let (Some(nonce), Some(response)) = (nonce, response) {
        if let Ok(value) = HeaderValue::from_str(&page_policy(&nonce)) {
            response.insert_header(header::CONTENT_SECURITY_POLICY, value);
        }
    }
}

/// Adds the security headers to every response; a page keeps the policy with its nonce.
pub async fn security_headers(
    State(state): State<AppState>,
    req: Request<Body>,
    next: Next,
) -> Response {
    let mut response = next.run(req).await;
    let headers = response.headers_mut();
    if !headers.contains_key(header::CONTENT_SECURITY_POLICY) {
        if let Ok(value) = HeaderValue::from_str(&other_policy()) {
            headers.insert(header::CONTENT_SECURITY_POLICY, value);
        }
    }
    // For browsers that predate `frame-ancestors`.
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    // A page's address may hold a donation reference; other sites must not receive it.
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("same-origin"),
    );
    if state.secure_cookies {
        // Only when served over HTTPS (the same switch as secure cookies): over plain HTTP the
        // header would be ignored, and sending it by mistake could lock out a plain-HTTP site.
        headers.insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=31536000"),
        );
    }
    response
}

/// What the request log records of a URL: the path with any donation reference in it hidden,
/// and the query's names without their values (`?reference=…&lang=…`).
pub fn logged_target(uri: &Uri) -> String {
    let segments: Vec<&str> = uri.path().split('/').skip(1).collect();
    let mut path = String::new();
    for (i, segment) in segments.iter().enumerate() {
        path.push('/');
        // `/donations/{reference}` and the pages and files below it, and the open-data trace
        // `/api/v1/donations/{reference}/trace`.
        let reference_at = if segments.starts_with(&["api", "v1", "donations"]) {
            3
        } else {
            1
        };
        if i == reference_at && segments[reference_at - 1] == "donations" && !segment.is_empty() {
            path.push('…');
        } else {
            path.push_str(segment);
        }
    }
    if path.is_empty() {
        path.push('/');
    }
    if let Some(query) = uri.query() {
        let names: Vec<String> = query
            .split('&')
            .filter(|pair| !pair.is_empty())
            .map(|pair| {
                let name = pair.split_once('=').map_or(pair, |(name, _)| name);
                format!("{name}=…")
            })
            .collect();
        path.push('?');
        path.push_str(&names.join("&"));
    }
    path
}

#[cfg(test)]
mod tests {
    use super::*;

    fn logged(uri: &str) -> String {
        logged_target(&uri.parse().unwrap())
    }

    #[test]
    fn the_request_log_never_holds_a_donation_reference() {
        assert_eq!(
            logged("/donations?reference=PP-7K3M-Q9XD"),
            "/donations?reference=…"
        );
        assert_eq!(logged("/donations/PP-7K3M-Q9XD"), "/donations/…");
        assert_eq!(
            logged("/donations/PP-7K3M-Q9XD/receipt?paper=a4"),
            "/donations/…/receipt?paper=…"
        );
        assert_eq!(
            logged("/donations/PP-7K3M-Q9XD/qr.png"),
            "/donations/…/qr.png"
        );
        assert_eq!(logged("/donations"), "/donations");
        assert_eq!(logged("/campaigns/1?lang=en"), "/campaigns/1?lang=…");
        assert_eq!(logged("/"), "/");
        assert_eq!(logged("/api/donations/record"), "/api/donations/record");
        assert_eq!(
            logged("/api/v1/donations/PP-7K3M-Q9XD/trace"),
            "/api/v1/donations/…/trace"
        );
        assert_eq!(
            logged("/api/v1/units/EQ-1-00001"),
            "/api/v1/units/EQ-1-00001"
        );
    }

    #[test]
    fn a_page_may_run_only_its_own_inline_scripts_and_never_be_framed() {
        let page = page_policy("abc123");
        assert!(page.contains("script-src 'self' 'nonce-abc123' 'wasm-unsafe-eval'"));
        assert!(page.contains("frame-ancestors 'none'"));
        assert!(
            !page.contains("'unsafe-eval'"),
            "only the WASM may be compiled"
        );
        let hashed = hashed_page_policy(&["'sha256-abc='".to_owned()]);
        assert!(hashed.contains("script-src 'self' 'sha256-abc=' 'wasm-unsafe-eval'"));
        assert!(!hashed.contains("nonce") && hashed.contains("frame-ancestors 'none'"));
        let other = other_policy();
        assert!(other.contains("script-src 'self'") && !other.contains("nonce"));
        assert!(other.contains("frame-ancestors 'none'"));
    }
}
