//! What the page cache does with HTTP and HTML: content negotiation and conditional requests on
//! the way in, and on the way out, once per stored page, taking the nonce out, hashing the
//! inline scripts for the policy, compressing and tagging.

use axum::http::{header, HeaderMap, HeaderValue};
use base64::Engine as _;
use sha2::{Digest, Sha256};
use std::io::Write as _;

/// Whether the request accepts gzip (`gzip` or `*` without `q=0`).
pub fn accepts_gzip(headers: &HeaderMap) -> bool {
    headers
        .get_all(header::ACCEPT_ENCODING)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .any(|item| {
            let mut parts = item.split(';');
            let coding = parts.next().unwrap_or_default().trim();
            let refused = parts.any(|p| {
                p.trim()
                    .strip_prefix("q=")
                    .is_some_and(|q| q.chars().all(|c| c == '0' || c == '.'))
            });
            (coding.eq_ignore_ascii_case("gzip") || coding == "*") && !refused
        })
}

/// Whether `If-None-Match` names `etag` (weak comparison, as RFC 9110 asks for it).
pub fn holds(headers: &HeaderMap, etag: &HeaderValue) -> bool {
    let ours = etag.to_str().unwrap_or_default();
    headers
        .get_all(header::IF_NONE_MATCH)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(|t| t.trim())
        .any(|t| t == "*" || t.trim_start_matches("W/") == ours)
}

/// The nonce a page's policy names (`'nonce-…'`).
pub fn nonce_of(policy: &str) -> Option<String> {
    let rest = policy.split("'nonce-").nth(1)?;
    let nonce = rest.split('\'').next()?;
    (!nonce.is_empty()).then(|| nonce.to_owned())
}

/// The page without its nonce: `nonce` attributes go, and so does the nonce Leptos also writes
/// as the `crossorigin` value of its preload links (an empty value means the same: anonymous).
pub fn without_nonce(html: &str, nonce: &str) -> String {
    html.replace(&format!(" nonce=\"{nonce}\""), "")
        .replace(&format!("\"{nonce}\""), "\"\"")
}

/// The CSP sources (`'sha256-…'`) of the page's inline scripts.
pub fn inline_script_hashes(html: &str) -> Vec<String> {
    let mut hashes = Vec::new();
    let mut rest = html;
    while let Some(start) = rest.find("<script") {
        let after = &rest[start + "<script".len()..];
        let Some(tag_end) = after.find('>') else {
            break;
        };
        let attributes = &after[..tag_end];
        let body = &after[tag_end + 1..];
        let Some(close) = body.find("</script") else {
            break;
        };
        if !attributes.contains("src=") {
            let digest = Sha256::digest(&body.as_bytes()[..close]);
            let encoded = base64::engine::general_purpose::STANDARD.encode(digest);
            hashes.push(format!("'sha256-{encoded}'"));
        }
        rest = &body[close..];
    }
    hashes.sort();
    hashes.dedup();
    hashes
}

pub fn gzip(bytes: &[u8]) -> Option<Vec<u8>> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    encoder.write_all(bytes).ok()?;
    encoder.finish().ok()
}

/// 16 bytes of the page's SHA-256 in hex: the same page always has the same ETag.
pub fn content_tag(bytes: &[u8]) -> String {
    Sha256::digest(bytes)[..16]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

pub fn etag(tag: &str, suffix: &str) -> HeaderValue {
    HeaderValue::from_str(&format!("\"{tag}{suffix}\""))
        .unwrap_or_else(|_| HeaderValue::from_static("\"-\""))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.append(*k, HeaderValue::from_static(v));
        }
        h
    }

    #[test]
    fn gzip_is_sent_when_accepted_and_not_refused() {
        assert!(accepts_gzip(&headers(&[(
            "accept-encoding",
            "gzip, deflate, br, zstd"
        )])));
        assert!(accepts_gzip(&headers(&[(
            "accept-encoding",
            "br;q=1.0, GZIP;q=0.5"
        )])));
        assert!(accepts_gzip(&headers(&[("accept-encoding", "*")])));
        assert!(!accepts_gzip(&headers(&[("accept-encoding", "gzip;q=0")])));
        assert!(!accepts_gzip(&headers(&[(
            "accept-encoding",
            "gzip; q=0.000"
        )])));
        assert!(!accepts_gzip(&headers(&[("accept-encoding", "br")])));
        assert!(!accepts_gzip(&headers(&[])));
    }

    #[test]
    fn if_none_match_is_compared_weakly_and_in_lists() {
        let tag = HeaderValue::from_static("\"abc\"");
        assert!(holds(&headers(&[("if-none-match", "\"abc\"")]), &tag));
        assert!(holds(
            &headers(&[("if-none-match", "\"x\", W/\"abc\"")]),
            &tag
        ));
        assert!(holds(&headers(&[("if-none-match", "*")]), &tag));
        assert!(!holds(&headers(&[("if-none-match", "\"abcd\"")]), &tag));
        assert!(!holds(&headers(&[]), &tag));
    }

    #[test]
    fn the_nonce_leaves_the_page_and_inline_scripts_are_hashed() {
        let nonce = "n0nceV4lue_-abc";
        let page = format!(
            "<head><link rel=\"modulepreload\" href=\"/pkg/phapa.js\" crossorigin=\"{nonce}\">\
             <script type=\"module\" nonce=\"{nonce}\">import('/pkg/phapa.js')</script>\
             <script src=\"/pkg/x.js\"></script></head><body><script nonce=\"{nonce}\">a=1</script></body>"
        );
        let policy =
            format!("default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'");
        assert_eq!(nonce_of(&policy).as_deref(), Some(nonce));
        let html = without_nonce(&page, nonce);
        assert!(!html.contains(nonce), "{html}");
        assert!(html.contains("crossorigin=\"\""));
        assert!(html.contains("<script type=\"module\">import('/pkg/phapa.js')</script>"));
        let hashes = inline_script_hashes(&html);
        // sha256("a=1") and sha256("import('/pkg/phapa.js')"); the external script has none.
        assert_eq!(hashes.len(), 2, "{hashes:?}");
        let a = base64::engine::general_purpose::STANDARD.encode(Sha256::digest(b"a=1"));
        assert!(hashes.contains(&format!("'sha256-{a}'")));
    }
}
