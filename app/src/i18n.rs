//! Which language a request is served in, and how components learn it.
//!
//! On the server: `?lang=` wins, then the `lang` cookie, then Thai. The server also writes the
//! choice into `<html lang>`, which is where the browser reads it back when it hydrates, so both
//! sides always render the same language.

use crate::model::Lang;
use leptos::prelude::*;

/// The cookie that remembers the language.
pub const LANG_COOKIE: &str = "lang";

/// The language of the current request (server) or page (browser).
pub fn request_lang() -> Lang {
    #[cfg(feature = "ssr")]
    {
        use_context::<http::request::Parts>()
            .map(|parts| {
                lang_of_request(parts.uri.query(), parts.headers.get(http::header::COOKIE))
            })
            .unwrap_or_default()
    }
    #[cfg(not(feature = "ssr"))]
    {
        document()
            .document_element()
            .and_then(|html| html.get_attribute("lang"))
            .and_then(|code| Lang::from_code(&code))
            .unwrap_or_default()
    }
}

/// The language asked for by a query string (`lang=en`), if any.
pub fn lang_of_query(query: Option<&str>) -> Option<Lang> {
    query?
        .split('&')
        .filter_map(|pair| pair.split_once('='))
        .find(|(k, _)| *k == "lang")
        .and_then(|(_, v)| Lang::from_code(v))
}

/// The language chosen by query or cookie, Thai by default.
#[cfg(feature = "ssr")]
pub fn lang_of_request(query: Option<&str>, cookie: Option<&http::HeaderValue>) -> Lang {
    lang_of_query(query)
        .or_else(|| {
            cookie.and_then(|v| v.to_str().ok()).and_then(|cookies| {
                cookies
                    .split(';')
                    .filter_map(|c| c.trim().split_once('='))
                    .find(|(k, _)| *k == LANG_COOKIE)
                    .and_then(|(_, v)| Lang::from_code(v))
            })
        })
        .unwrap_or_default()
}

/// The language components render in: provided by the app at its root on the server; an
/// island in the browser has no such root and reads `<html lang>`, which the server wrote.
pub fn use_lang() -> Lang {
    use_context::<Lang>().unwrap_or_else(request_lang)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_query_names_the_language() {
        assert_eq!(lang_of_query(Some("x=1&lang=en")), Some(Lang::En));
        assert_eq!(lang_of_query(Some("lang=fr")), None);
        assert_eq!(lang_of_query(None), None);
    }

    #[cfg(feature = "ssr")]
    #[test]
    fn query_beats_cookie_and_thai_is_the_default() {
        let en = http::HeaderValue::from_static("a=b; lang=en");
        assert_eq!(lang_of_request(None, Some(&en)), Lang::En);
        assert_eq!(lang_of_request(Some("lang=th"), Some(&en)), Lang::Th);
        assert_eq!(lang_of_request(None, None), Lang::Th);
    }
}
