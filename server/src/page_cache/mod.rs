//! Rendered public pages kept in memory, so a crowd that follows a shared campaign link is
//! served stored bytes, compressed once, with no session look-up, render or database query.
//!
//! - What is kept: anonymous (no session cookie) `GET`/`HEAD` requests for `/`,
//!   `/campaigns/{id}` (and its settled report), `/hospitals`, `/hospitals/{code}`,
//!   `/units/{tag}` and `/api` (the open-data guide), per (path, language), when the answer is a 200 HTML page that sets no
//!   cookie. A query string cannot force fresh renders: what a page does not read (`?x=1`) is
//!   dropped; a valid `?lang=` chooses the stored language (and the answer sets the language
//!   cookie, as the page would); `/hospitals?q=` is part of the key. Everything else passes
//!   through.
//! - Exactness: a page is kept with the [`Db::generation`] read *before* it was rendered, and
//!   served only while the generation is unchanged. Every committed write that is not private
//!   (see `Db::begin_private`) moves it on, so the next view after a gift renders afresh, and a
//!   gift that commits during a render leaves an entry that is already out of date.
//! - The generation counts this process's writes only. Pages also expire after [`MAX_AGE`],
//!   which bounds what this process cannot see: writes by another process (the
//!   `import-hospitals` command, a second server on the same PostgreSQL) and the date turning.
//! - A kept page carries no nonce: Leptos's per-response nonce is taken out of the stored HTML,
//!   and its inline scripts are allowed by their SHA-256 hashes instead (computed once, when the
//!   page is stored), so no nonce is ever sent twice.
//! - Browsers revalidate every view (`Cache-Control: no-cache`) with the page's `ETag`, and get
//!   `304 Not Modified` while it is unchanged.
//! - Many requests for a page that is not (or no longer) stored wait for one render.
//! - The open data is kept the same way ([`is_public_api`]): the lists, things and the document
//!   under `/api/v1/`, per path and, for the lists, the parameters they read (in a fixed order;
//!   others dropped), for everyone, signed in or not, in either language. Only an answer
//!   this server has to build counts against the client's API limit.

mod key;
mod wire;

use key::key_of;
pub use key::{is_public_api, is_public_page};

use crate::headers;
use app::model::Lang;
use app::server::Db;
use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue, Method, Request, StatusCode};
use axum::middleware::Next;
use axum::response::Response;
use std::collections::HashMap;
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant};
use tokio::sync::OnceCell;
use wire::{
    accepts_gzip, content_tag, etag, gzip, holds, inline_script_hashes, nonce_of, without_nonce,
};

/// How long a stored page may be served while the generation stays the same.
pub const MAX_AGE: Duration = Duration::from_secs(2);
/// The most the stored pages may take together (plain and gzip bytes); the oldest go first.
const MAX_BYTES: usize = 64 * 1024 * 1024;
/// A page larger than this is served but not stored.
const MAX_PAGE: usize = 4 * 1024 * 1024;

/// The middleware's state: the store, the database whose generation it follows, and the cookie
/// names in use. One `Arc`, since axum clones the state for every request.
#[derive(Clone)]
pub struct PageCache(Arc<Shared>);

struct Shared {
    store: Store,
    db: Db,
    secure_cookies: bool,
}

impl PageCache {
    pub fn new(db: Db, secure_cookies: bool) -> PageCache {
        PageCache(Arc::new(Shared {
            store: Store::default(),
            db,
            secure_cookies,
        }))
    }
}

/// What a stored page is known by: its path (with `?q=…` for a search of `/hospitals`) and
/// language.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
struct Key {
    path: String,
    lang: Lang,
}

#[derive(Default)]
struct Store {
    pages: RwLock<Pages>,
    /// Renders under way, by key and the generation they started at.
    flights: Mutex<HashMap<(Key, u64), Flight>>,
}

#[derive(Default)]
struct Pages {
    map: HashMap<Key, Arc<Entry>>,
    bytes: usize,
}

/// One render that every request for the same page and generation waits for; `None` when the
/// answer could not be stored (then each waiting request renders for itself).
type Flight = Arc<OnceCell<Option<Arc<Entry>>>>;

/// A stored page.
struct Entry {
    generation: u64,
    stored_at: Instant,
    /// Every header of the answer but its encoding, length and ETag.
    headers: HeaderMap,
    plain: Variant,
    gzip: Variant,
}

struct Variant {
    body: Bytes,
    etag: HeaderValue,
}

impl Entry {
    fn weight(&self) -> usize {
        self.plain.body.len() + self.gzip.body.len()
    }

    fn current(&self, generation: u64) -> bool {
        self.generation == generation && self.stored_at.elapsed() < MAX_AGE
    }

    /// The answer to a request with these headers: gzip when accepted, 304 when the browser
    /// already holds this version. `X-Cache` says whether this request rendered the page.
    fn respond(&self, request: &HeaderMap, rendered: bool) -> Response {
        let gzip = accepts_gzip(request);
        let variant = if gzip { &self.gzip } else { &self.plain };
        let mut headers = self.headers.clone();
        headers.insert(header::ETAG, variant.etag.clone());
        let cache = if rendered { "miss" } else { "hit" };
        headers.insert("x-cache", HeaderValue::from_static(cache));
        let mut response = if holds(request, &variant.etag) {
            // A 304 carries no representation metadata (RFC 9110, 15.4.5).
            headers.remove(header::CONTENT_TYPE);
            let mut response = Response::new(Body::empty());
            *response.status_mut() = StatusCode::NOT_MODIFIED;
            response
        } else {
            if gzip {
                headers.insert(header::CONTENT_ENCODING, HeaderValue::from_static("gzip"));
            }
            Response::new(Body::from(variant.body.clone()))
        };
        *response.headers_mut() = headers;
        response
    }
}

/// Serves stored pages, and stores the ones it may (see the module's notes).
pub async fn serve(State(cache): State<PageCache>, req: Request<Body>, next: Next) -> Response {
    let cache = &*cache.0;
    let Some(key) = key_of(&req, cache.secure_cookies) else {
        return next.run(req).await;
    };
    // A valid `?lang=` chooses the language, and the answer remembers it, as the page would.
    // The open data is the same in both languages.
    let chosen =
        app::i18n::lang_of_query(req.uri().query()).filter(|_| !is_public_api(req.uri().path()));
    let remember = |mut response: Response| {
        if let Some(Ok(value)) = chosen.map(|l| HeaderValue::from_str(&crate::lang_cookie(l))) {
            response.headers_mut().append(header::SET_COOKIE, value);
        }
        response
    };
    let generation = cache.db.generation();
    if let Some(entry) = cache.store.current(&key, generation) {
        return remember(entry.respond(req.headers(), false));
    }
    let (mut parts, _) = req.into_parts();
    if parts.uri.query().is_some() {
        // Render (and store) the page with what it reads only: the search of `/hospitals` in
        // its path, the language as the cookie the render reads.
        if let Ok(uri) = key.path.parse() {
            parts.uri = uri;
        }
        if let Some(lang) = chosen {
            let cookie = format!("{}={}", app::i18n::LANG_COOKIE, lang.code());
            if let Ok(value) = HeaderValue::from_str(&cookie) {
                parts.headers.insert(header::COOKIE, value);
            }
        }
    }
    let flight = cache.store.join(&key, generation);
    let _landing = Landing {
        store: &cache.store,
        key: (key.clone(), generation),
        flight: flight.clone(),
    };
    let (mut own, mut rendered) = (None, false);
    let rendered_slot = &mut rendered;
    let (own_slot, store, render, asked) = (&mut own, &cache.store, next.clone(), parts.clone());
    let page = flight
        .get_or_init(|| async move {
            *rendered_slot = true;
            let mut inner = Request::from_parts(asked, Body::empty());
            // Rendered plain (compressed here, once) and unconditional (the ETag is ours).
            *inner.method_mut() = Method::GET;
            let h = inner.headers_mut();
            for name in [
                header::ACCEPT_ENCODING,
                header::IF_NONE_MATCH,
                header::IF_MODIFIED_SINCE,
            ] {
                h.remove(name);
            }
            match Entry::store(render.run(inner).await, generation).await {
                Ok(entry) => {
                    let entry = Arc::new(entry);
                    store.insert(key, entry.clone());
                    Some(entry)
                }
                Err(response) => {
                    *own_slot = Some(response);
                    None
                }
            }
        })
        .await
        .clone();
    match (page, own) {
        (Some(entry), _) => remember(entry.respond(&parts.headers, rendered)),
        (None, Some(response)) => remember(response),
        // Waited for a render whose answer could not be stored (an error page, say).
        (None, None) => remember(next.run(Request::from_parts(parts, Body::empty())).await),
    }
}

/// Takes a finished (or abandoned) render out of the list of renders under way.
struct Landing<'a> {
    store: &'a Store,
    key: (Key, u64),
    flight: Flight,
}

impl Drop for Landing<'_> {
    fn drop(&mut self) {
        if let Ok(mut flights) = self.store.flights.lock() {
            if flights
                .get(&self.key)
                .is_some_and(|f| Arc::ptr_eq(f, &self.flight))
            {
                flights.remove(&self.key);
            }
        }
    }
}

impl Store {
    fn current(&self, key: &Key, generation: u64) -> Option<Arc<Entry>> {
        let pages = self.pages.read().ok()?;
        pages
            .map
            .get(key)
            .filter(|e| e.current(generation))
            .cloned()
    }

    fn join(&self, key: &Key, generation: u64) -> Flight {
        match self.flights.lock() {
            Ok(mut flights) => flights
                .entry((key.clone(), generation))
                .or_default()
                .clone(),
            Err(_) => Flight::default(),
        }
    }

    fn insert(&self, key: Key, entry: Arc<Entry>) {
        let Ok(mut pages) = self.pages.write() else {
            return;
        };
        pages.bytes += entry.weight();
        if let Some(old) = pages.map.insert(key, entry) {
            pages.bytes -= old.weight();
        }
        while pages.bytes > MAX_BYTES {
            let Some(oldest) = pages
                .map
                .iter()
                .min_by_key(|(_, e)| (e.generation, e.stored_at))
                .map(|(k, _)| k.clone())
            else {
                break;
            };
            if let Some(old) = pages.map.remove(&oldest) {
                pages.bytes -= old.weight();
            }
        }
    }
}

impl Entry {
    /// Keeps a rendered answer if it may be shared; otherwise gives it back unchanged.
    async fn store(response: Response, generation: u64) -> Result<Entry, Response> {
        let h = response.headers();
        let kind = h
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default();
        let html = kind.starts_with("text/html");
        let data = kind.starts_with("application/json") || kind.starts_with("text/csv");
        if response.status() != StatusCode::OK
            || !(html || data)
            || h.contains_key(header::SET_COOKIE)
            || h.contains_key(header::CONTENT_ENCODING)
        {
            return Err(response);
        }
        let (parts, body) = response.into_parts();
        let bytes = match axum::body::to_bytes(body, MAX_PAGE + 1).await {
            Ok(bytes) => bytes,
            Err(e) => {
                tracing::error!(error = %e, "page body unreadable");
                let mut failed = Response::new(Body::from("page body unreadable"));
                *failed.status_mut() = StatusCode::INTERNAL_SERVER_ERROR;
                return Err(failed);
            }
        };
        let unchanged = |bytes: Bytes| Response::from_parts(parts.clone(), Body::from(bytes));
        if bytes.len() > MAX_PAGE {
            return Err(unchanged(bytes));
        }
        if data {
            return Entry::data(parts.headers.clone(), &bytes, generation)
                .ok_or_else(|| unchanged(bytes));
        }
        let Ok(text) = std::str::from_utf8(&bytes) else {
            return Err(unchanged(bytes));
        };
        let nonce = parts
            .headers
            .get(header::CONTENT_SECURITY_POLICY)
            .and_then(|v| v.to_str().ok())
            .and_then(nonce_of);
        let html = match &nonce {
            Some(nonce) => without_nonce(text, nonce),
            None => text.to_owned(),
        };
        if nonce.as_ref().is_some_and(|n| html.contains(n.as_str())) {
            // The nonce is somewhere we do not know how to take it out of: do not share it.
            return Err(unchanged(bytes));
        }
        let policy = headers::hashed_page_policy(&inline_script_hashes(&html));
        let Ok(policy) = HeaderValue::from_str(&policy) else {
            return Err(unchanged(bytes));
        };
        let Some(gzip) = gzip(html.as_bytes()) else {
            return Err(unchanged(bytes));
        };
        let mut headers = parts.headers.clone();
        for name in [
            header::CONTENT_LENGTH,
            header::TRANSFER_ENCODING,
            header::ETAG,
            header::VARY,
            header::CACHE_CONTROL,
            header::DATE,
        ] {
            headers.remove(name);
        }
        headers.insert(header::CONTENT_SECURITY_POLICY, policy);
        // Browsers ask every time; an unchanged page costs them a 304.
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
        headers.insert(
            header::VARY,
            HeaderValue::from_static("accept-encoding, cookie"),
        );
        let tag = content_tag(html.as_bytes());
        Ok(Entry {
            generation,
            stored_at: Instant::now(),
            headers,
            plain: Variant {
                body: Bytes::from(html),
                etag: etag(&tag, ""),
            },
            gzip: Variant {
                body: Bytes::from(gzip),
                etag: etag(&tag, "-gz"),
            },
        })
    }
}

impl Entry {
    /// Keeps an open-data answer (JSON or CSV) as it is, with its gzip copy made once.
    fn data(mut headers: HeaderMap, body: &[u8], generation: u64) -> Option<Entry> {
        let gzip = gzip(body)?;
        for name in [
            header::CONTENT_LENGTH,
            header::TRANSFER_ENCODING,
            header::ETAG,
            header::VARY,
            header::CACHE_CONTROL,
            header::DATE,
        ] {
            headers.remove(name);
        }
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
        headers.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
        let tag = content_tag(body);
        Some(Entry {
            generation,
            stored_at: Instant::now(),
            headers,
            plain: Variant {
                body: Bytes::copy_from_slice(body),
                etag: etag(&tag, ""),
            },
            gzip: Variant {
                body: Bytes::from(gzip),
                etag: etag(&tag, "-gz"),
            },
        })
    }
}
