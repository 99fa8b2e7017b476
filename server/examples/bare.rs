//! The benchmark's baseline: a bare axum handler that answers with responses captured from the
//! real server, byte for byte (status, headers, body), and does nothing else.
//!
//! ```text
//! cargo run --release -p server --example bare -- ADDR PATH=CAPTURE [PATH=CAPTURE …]
//! ```
//!
//! Each `CAPTURE` names two files written by `curl -D CAPTURE.headers -o CAPTURE.body`: the
//! response head and its body. `scripts/bench.sh` captures the pages with
//! `Accept-Encoding: gzip`, so the baseline sends the same compressed bytes.

use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::{HeaderMap, HeaderName, HeaderValue, Request, StatusCode};
use axum::response::Response;
use std::collections::HashMap;
use std::sync::Arc;

struct Captured {
    status: StatusCode,
    headers: HeaderMap,
    body: Bytes,
}

type Pages = Arc<HashMap<String, Captured>>;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some((addr, pages)) = args.split_first() else {
        return Err("usage: bare ADDR PATH=CAPTURE [PATH=CAPTURE …]".into());
    };
    let mut map = HashMap::new();
    for page in pages {
        let (path, capture) = page
            .split_once('=')
            .ok_or_else(|| format!("{page:?} is not PATH=CAPTURE"))?;
        map.insert(path.to_owned(), read_capture(capture)?);
    }
    let app = axum::Router::new()
        .fallback(answer)
        .with_state(Arc::new(map));
    let listener = tokio::net::TcpListener::bind(addr.as_str()).await?;
    println!("bare baseline on http://{}/", listener.local_addr()?);
    axum::serve(listener, app).await?;
    Ok(())
}

async fn answer(State(pages): State<Pages>, req: Request<Body>) -> Response {
    match pages.get(req.uri().path()) {
        Some(page) => {
            let mut response = Response::new(Body::from(page.body.clone()));
            *response.status_mut() = page.status;
            *response.headers_mut() = page.headers.clone();
            response
        }
        None => {
            let mut response = Response::new(Body::empty());
            *response.status_mut() = StatusCode::NOT_FOUND;
            response
        }
    }
}

/// Reads `CAPTURE.headers` (the last response head in it, after any redirects) and
/// `CAPTURE.body`. The length and connection headers are left to the HTTP library.
fn read_capture(capture: &str) -> Result<Captured, Box<dyn std::error::Error>> {
    let head = std::fs::read_to_string(format!("{capture}.headers"))?;
    let body = std::fs::read(format!("{capture}.body"))?;
    let last = head
        .split("\r\n\r\n")
        .filter(|h| h.starts_with("HTTP/"))
        .last()
        .ok_or("no response head in the capture")?;
    let mut lines = last.lines();
    let status = lines
        .next()
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|s| s.parse::<u16>().ok())
        .ok_or("no status line")?;
    let mut headers = HeaderMap::new();
    for line in lines {
        let Some((name, value)) = line.split_once(':') else {
            continue;
        };
        let name = HeaderName::from_bytes(name.trim().as_bytes())?;
        if matches!(
            name.as_str(),
            "content-length" | "transfer-encoding" | "connection" | "date"
        ) {
            continue;
        }
        headers.append(name, HeaderValue::from_str(value.trim())?);
    }
    Ok(Captured {
        status: StatusCode::from_u16(status)?,
        headers,
        body: Bytes::from(body),
    })
}
