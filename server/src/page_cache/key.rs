//! Which requests the page cache may answer, and what it keeps their answers by: the public
//! pages per path and language (with the search of `/hospitals`), and the open data per path
//! and, for the lists, the parameters they read.

use super::Key;
use app::model::Lang;
use axum::body::Body;
use axum::http::{header, Method, Request};

/// The key of a request whose answer may come from (and go into) the store.
pub(super) fn key_of(req: &Request<Body>, secure_cookies: bool) -> Option<Key> {
    if !matches!(*req.method(), Method::GET | Method::HEAD) {
        return None;
    }
    let path = req.uri().path();
    let query = req.uri().query().unwrap_or("");
    if is_public_api(path) {
        // The same for everyone, signed in or not, in either language. Only the lists read a
        // query: for the rest it is dropped, so it cannot make copies.
        let lists = matches!(
            path,
            "/api/v1/campaigns" | "/api/v1/hospitals" | "/api/v1/units"
        );
        let query = if lists {
            api_query(query)?
        } else {
            String::new()
        };
        return Some(Key {
            path: format!("{path}?{query}"),
            lang: Lang::Th,
        });
    }
    if !is_public_page(path) || crate::session::token_of(req.headers(), secure_cookies).is_some() {
        return None;
    }
    let search = if path == "/hospitals" {
        search_of(query)
    } else {
        None
    };
    if let Some(Err(())) = search {
        return None;
    }
    // The same reading of the language as the render's (`request_lang`): a valid `?lang=`,
    // else the cookie.
    let lang = app::i18n::lang_of_request(Some(query), req.headers().get(header::COOKIE));
    Some(Key {
        path: match search {
            Some(Ok(q)) => format!("{path}?q={q}"),
            _ => path.to_owned(),
        },
        lang,
    })
}

/// The parameters the open-data lists read, in a fixed order (as typed, still URL-encoded);
/// others are dropped. `None` (not kept) when one is given twice or is too long to keep.
fn api_query(query: &str) -> Option<String> {
    let mut kept: Vec<(&str, &str)> = Vec::new();
    for pair in query.split('&') {
        let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
        if !API_PARAMS.contains(&name) {
            continue;
        }
        if !pair.contains('=') {
            // `?limit` alone: the list refuses it, uncached.
            return None;
        }
        if value.len() > 64 || kept.iter().any(|(n, _)| *n == name) {
            return None;
        }
        kept.push((name, value));
    }
    kept.sort_by_key(|(name, _)| API_PARAMS.iter().position(|p| p == name));
    Some(
        kept.iter()
            .map(|(n, v)| format!("{n}={v}"))
            .collect::<Vec<_>>()
            .join("&"),
    )
}

/// What the open-data lists read from a query.
const API_PARAMS: [&str; 5] = ["campaign", "province", "district", "cursor", "limit"];

/// Open-data answers the same for everyone: the lists, the things and the document. Not a
/// donation's trace (the donor's secret, with its own limit and store), nor the downloads
/// (streamed, and larger than a page may be).
pub fn is_public_api(path: &str) -> bool {
    path.starts_with("/api/v1/")
        && !path.starts_with("/api/v1/donations/")
        && !path.ends_with(".csv")
}

/// The search of `/hospitals` as typed (still URL-encoded): `None` when there is none,
/// `Err` when it is too long to keep (then the page is rendered for that request alone).
fn search_of(query: &str) -> Option<Result<String, ()>> {
    let q = query
        .split('&')
        .filter_map(|pair| pair.split_once('='))
        .find(|(name, value)| *name == "q" && !value.trim_matches('+').is_empty())?
        .1;
    Some(if q.len() <= 200 {
        Ok(q.to_owned())
    } else {
        Err(())
    })
}

/// `/`, `/hospitals`, `/campaigns/{id}`, `/campaigns/{id}/report`, `/hospitals/{code}` and
/// `/units/{tag}`: pages the same for every anonymous visitor.
pub fn is_public_page(path: &str) -> bool {
    match path {
        "/" | "/hospitals" | "/api" => true,
        _ => match path.strip_prefix('/').and_then(|p| p.split_once('/')) {
            Some(("campaigns", rest)) => {
                let id = rest.strip_suffix("/report").unwrap_or(rest);
                !id.is_empty() && !id.contains('/')
            }
            Some(("hospitals" | "units", id)) => !id.is_empty() && !id.contains('/'),
            _ => false,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_hospitals_search_is_kept_from_a_query() {
        assert_eq!(search_of("utm_source=line&x=1"), None);
        assert_eq!(search_of("q=&x=1"), None);
        assert_eq!(
            search_of("q=%E0%B8%82&x=1"),
            Some(Ok("%E0%B8%82".to_owned()))
        );
        assert_eq!(search_of(&format!("q={}", "a".repeat(201))), Some(Err(())));
    }

    #[test]
    fn open_data_is_kept_by_the_parameters_it_reads() {
        assert_eq!(api_query(""), Some(String::new()));
        assert_eq!(
            api_query("limit=2&utm_source=line&campaign=1"),
            Some("campaign=1&limit=2".to_owned())
        );
        assert_eq!(
            api_query("cursor=5&campaign=1"),
            api_query("campaign=1&cursor=5")
        );
        assert_eq!(api_query("limit=1&limit=2"), None, "twice: not kept");
        assert_eq!(api_query("limit"), None, "without a value: not kept");
        assert_eq!(api_query("x&campaign=1"), Some("campaign=1".to_owned()));
        assert_eq!(api_query(&format!("cursor={}", "9".repeat(65))), None);
        for path in [
            "/api/v1/campaigns",
            "/api/v1/units/EQ-1-00001",
            "/api/v1/openapi.json",
        ] {
            assert!(is_public_api(path), "{path}");
        }
        for path in [
            "/api/v1/donations/PP-X/trace",
            "/api/v1/units.csv",
            "/api/campaigns/get",
        ] {
            assert!(!is_public_api(path), "{path}");
        }
    }

    #[test]
    fn only_the_public_pages_are_kept() {
        for path in [
            "/",
            "/hospitals",
            "/campaigns/1",
            "/hospitals/10669",
            "/units/EQ-1-00001",
            "/campaigns/3/report",
            "/api",
        ] {
            assert!(is_public_page(path), "{path}");
        }
        for path in [
            "/campaigns",
            "/campaigns/",
            "/campaigns/1/x",
            "/campaigns//report",
            "/campaigns/1/report/x",
            "/hospitals/",
            "/donations/PP-7K3M-Q9XD",
            "/donations",
            "/login",
            "/finance",
            "/api/campaigns/get",
            "/pkg/phapa.js",
        ] {
            assert!(!is_public_page(path), "{path}");
        }
    }
}
