//! The page cache over HTTP, on SQLite and PostgreSQL: a second anonymous view is served from the
//! store (gzip, 304 for a browser that holds the page, per language), signed-in staff get fresh
//! pages, every money event shows in the next view, a stored page carries neither a nonce nor a
//! pledge key that donors would share, and a crowd on a cold page waits for one render.

use crate::common;

use app::model::Money;
use app::server::demo::DEMO_PASSWORD;
use base64::Engine as _;
use common::{get_as, post_pairs, sign_in, TestApp};
use sha2::{Digest, Sha256};
use std::io::Read as _;

struct Page {
    status: u16,
    headers: reqwest::header::HeaderMap,
    body: String,
}

impl Page {
    fn header(&self, name: &str) -> &str {
        self.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
    }

    /// `hit`, `miss`, or empty for an answer that did not go through the store.
    fn cache(&self) -> &str {
        self.header("x-cache")
    }
}

async fn fetch(app: &TestApp, path: &str, headers: &[(&str, &str)]) -> Page {
    let mut request = app.client.get(format!("{}{path}", app.base));
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    let response = request.send().await.unwrap();
    Page {
        status: response.status().as_u16(),
        headers: response.headers().clone(),
        body: response.text().await.unwrap(),
    }
}

/// Campaign 1's raised total from the fund aggregate.
async fn raised_money(app: &TestApp) -> Money {
    let (satang,): (i64,) =
        sqlx::query_as("select raised_satang from campaign_fund where campaign_id = 1")
            .fetch_one(app.db.reader())
            .await
            .unwrap();
    Money::from_satang(satang)
}

/// Campaign 1's raised total as the page should show it.
async fn raised(app: &TestApp) -> String {
    raised_money(app).await.to_string()
}

/// Campaign 1's raised total as the page's live poll answers it.
async fn polled(app: &TestApp) -> serde_json::Value {
    let response = app.post_form("/api/campaigns/live", "id=1&lang=th").await;
    assert_eq!(response.status(), 200);
    let body: serde_json::Value = response.json().await.unwrap();
    body["raised"].clone()
}

/// The total a campaign page shows.
fn shown_total(html: &str) -> &str {
    html.split("<strong class=\"raised\">")
        .nth(1)
        .and_then(|rest| rest.split('<').next())
        .expect("the page shows a total")
}

/// The value of the pledge form's hidden idempotency key in the page's HTML.
fn form_key(html: &str) -> String {
    let at = html
        .find("name=\"input[idempotency_key]\"")
        .expect("the page has the pledge form");
    let start = html[..at].rfind("<input").unwrap();
    let tag = &html[start..start + html[start..].find('>').unwrap()];
    tag.split("value=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap_or("")
        .to_owned()
}

/// Views campaign 1 until the view is served from the store.
async fn warm(app: &TestApp, path: &str) -> Page {
    fetch(app, path, &[]).await;
    let page = fetch(app, path, &[]).await;
    assert_eq!(page.cache(), "hit", "{path} is stored");
    page
}

http_test!(
    anonymous_views_come_from_the_store_with_gzip_and_304,
    |app| {
        let first = fetch(&app, "/campaigns/1", &[]).await;
        assert_eq!((first.status, first.cache()), (200, "miss"));
        assert_eq!(first.header("cache-control"), "no-cache");
        let etag = first.header("etag").to_owned();
        let second = fetch(&app, "/campaigns/1", &[]).await;
        assert_eq!((second.status, second.cache()), (200, "hit"));
        assert_eq!(second.header("etag"), etag);
        assert_eq!(second.body, first.body);
        assert_eq!(second.header("x-frame-options"), "DENY");
        assert!(
            second.header("x-request-id").len() > 10,
            "each answer its own request id"
        );
        assert_ne!(second.header("x-request-id"), first.header("x-request-id"));

        // A browser that holds the page gets 304 with the same ETag.
        let again = fetch(&app, "/campaigns/1", &[("if-none-match", &etag)]).await;
        assert_eq!((again.status, again.body.as_str()), (304, ""));
        assert_eq!(again.header("etag"), etag);
        assert_eq!(again.header("cache-control"), "no-cache");

        // Gzip, compressed once: the same page, under its own ETag, and 304 with it.
        let response = app
            .client
            .get(format!("{}/campaigns/1", app.base))
            .header("accept-encoding", "gzip, deflate, br")
            .send()
            .await
            .unwrap();
        assert_eq!(response.headers()["content-encoding"], "gzip");
        let gz_etag = response.headers()["etag"].to_str().unwrap().to_owned();
        assert_ne!(gz_etag, etag);
        let bytes = response.bytes().await.unwrap();
        let mut html = String::new();
        flate2::read::GzDecoder::new(&bytes[..])
            .read_to_string(&mut html)
            .unwrap();
        assert_eq!(html, first.body);
        let again = fetch(
            &app,
            "/campaigns/1",
            &[("accept-encoding", "gzip"), ("if-none-match", &gz_etag)],
        )
        .await;
        assert_eq!(
            (again.status, again.header("etag")),
            (304, gz_etag.as_str())
        );

        let head = app
            .client
            .head(format!("{}/campaigns/1", app.base))
            .send()
            .await
            .unwrap();
        assert_eq!(head.status(), 200);
        assert_eq!(head.headers()["etag"].to_str().unwrap(), etag);

        // Languages are kept apart.
        let en = [("cookie", "lang=en")];
        let english = fetch(&app, "/campaigns/1", &en).await;
        assert_eq!(english.cache(), "miss");
        assert!(english.body.contains("<html lang=\"en\""));
        assert_ne!(english.header("etag"), etag);
        assert_eq!(fetch(&app, "/campaigns/1", &en).await.cache(), "hit");
        assert!(fetch(&app, "/campaigns/1", &[])
            .await
            .body
            .contains("<html lang=\"th\""));

        // The other public pages too.
        let code = first
            .body
            .split("href=\"/hospitals/")
            .nth(1)
            .and_then(|rest| rest.split('"').next())
            .expect("campaign 1 names a hospital")
            .to_owned();
        for path in ["/", "/hospitals", &format!("/hospitals/{code}")] {
            assert_eq!(fetch(&app, path, &[]).await.cache(), "miss", "{path}");
            assert_eq!(warm(&app, path).await.status, 200, "{path}");
        }

        // Not stored: other pages, errors. (A query string is stored by what it reads: see
        // `a_query_the_page_does_not_read_cannot_force_a_fresh_render`.)
        for path in ["/donations", "/login", "/campaigns/999"] {
            fetch(&app, path, &[]).await;
            assert_eq!(fetch(&app, path, &[]).await.cache(), "", "{path}");
        }

        // A stored page repeats its HTML, so it carries no nonce: its inline scripts are allowed by
        // their hashes.
        let policy = second.header("content-security-policy").to_owned();
        assert!(!policy.contains("'nonce-"), "{policy}");
        assert!(policy.contains("frame-ancestors 'none'") && policy.contains("'wasm-unsafe-eval'"));
        assert!(!second.body.contains("nonce"), "no nonce left in the page");
        let scripts: Vec<&str> = second.body.split("<script").skip(1).collect();
        assert!(!scripts.is_empty(), "the page hydrates with inline scripts");
        for script in scripts {
            let (tag, rest) = script.split_once('>').unwrap();
            if tag.contains("src=") {
                continue;
            }
            let text = rest.split("</script").next().unwrap();
            let hash = base64::engine::general_purpose::STANDARD.encode(Sha256::digest(text));
            assert!(
                policy.contains(&format!("'sha256-{hash}'")),
                "an inline script the policy does not allow: <script{tag}>"
            );
        }
    }
);

http_test!(
    signed_in_staff_get_fresh_pages_that_are_never_stored,
    |app| {
        warm(&app, "/campaigns/1").await;
        let finance = sign_in(&app, "demo-finance", DEMO_PASSWORD).await;
        let response = get_as(&app, Some(&finance), "/campaigns/1").await;
        assert!(response.headers().get("x-cache").is_none());
        let policy = response.headers()["content-security-policy"]
            .to_str()
            .unwrap()
            .to_owned();
        assert!(policy.contains("'nonce-"), "a fresh page has its own nonce");
        let html = response.text().await.unwrap();
        assert!(
            html.contains("เจ้าหน้าที่การเงิน (ตัวอย่าง)"),
            "the header shows the account"
        );
        // Signing in is a private write: the stored pages stay, and never show the account.
        let anonymous = fetch(&app, "/campaigns/1", &[]).await;
        assert_eq!(anonymous.cache(), "hit");
        assert!(!anonymous.body.contains("เจ้าหน้าที่การเงิน"));
    }
);

http_test!(every_money_event_shows_in_the_next_view, |app| {
    let finance = sign_in(&app, "demo-finance", DEMO_PASSWORD).await;
    let before = warm(&app, "/campaigns/1").await;
    warm(&app, "/").await;
    assert_eq!(shown_total(&before.body), raised(&app).await);
    let polled_before = polled(&app).await;
    assert_eq!(polled(&app).await, polled_before);

    // A gift recorded by a finance officer.
    let recorded = post_pairs(
        &app,
        Some(&finance),
        "/api/donations/record",
        &[
            ("input[campaign_id]", "1".into()),
            ("input[channel]", "cash".into()),
            ("input[amount]", "123.45".into()),
            ("input[idempotency_key]", "page-cache-record-0001".into()),
        ],
    )
    .await;
    assert_eq!(recorded.status(), 200);
    let total = raised(&app).await;
    let after = fetch(&app, "/campaigns/1", &[]).await;
    assert_ne!(shown_total(&after.body), shown_total(&before.body));
    assert_eq!(
        shown_total(&after.body),
        total,
        "recorded: the next view shows it"
    );
    assert!(
        fetch(&app, "/", &[]).await.body.contains(&total),
        "and so does /"
    );
    let expected = serde_json::Value::String(raised(&app).await);
    assert_ne!(polled_before, expected);
    assert_eq!(polled(&app).await, expected, "and the next live poll");

    // A donor's pledge, then its confirmation.
    let pledged = app
        .client
        .post(format!("{}/api/donations/pledge", app.base))
        .header("accept", "text/html")
        .form(&[
            ("input[campaign_id]", "1"),
            ("input[amount]", "250"),
            ("input[idempotency_key]", "page-cache-pledge-0001"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(pledged.status(), 302);
    let location = pledged.headers()["location"].to_str().unwrap().to_owned();
    let reference = location.trim_start_matches("/donations/").to_owned();
    let before = warm(&app, "/campaigns/1").await;
    let confirmed = post_pairs(
        &app,
        Some(&finance),
        "/api/donations/confirm",
        &[("reference", reference.clone())],
    )
    .await;
    assert_eq!(confirmed.status(), 200);
    let after = fetch(&app, "/campaigns/1", &[]).await;
    assert_ne!(shown_total(&after.body), shown_total(&before.body));
    assert_eq!(shown_total(&after.body), raised(&app).await, "confirmed");

    // A void.
    let before = warm(&app, "/campaigns/1").await;
    let voided = post_pairs(
        &app,
        Some(&finance),
        "/api/donations/void",
        &[("reference", reference), ("reason", "ทดสอบการยกเลิก".into())],
    )
    .await;
    assert_eq!(voided.status(), 200);
    let after = fetch(&app, "/campaigns/1", &[]).await;
    assert_ne!(shown_total(&after.body), shown_total(&before.body));
    assert_eq!(shown_total(&after.body), raised(&app).await, "voided");
});

http_test!(
    a_stored_campaign_page_carries_no_pledge_key_donors_would_share,
    |app| {
        fetch(&app, "/campaigns/1", &[]).await;
        let page = fetch(&app, "/campaigns/1", &[]).await;
        assert_eq!(page.cache(), "hit");
        let key = form_key(&page.body);
        assert_eq!(
            key, "",
            "the key is made in each browser, not stored in the page"
        );

        // Two donors without JavaScript send the form as the page has it, for the same amount: two
        // pledges, neither sees the other's.
        let mut references = Vec::new();
        for _ in 0..2 {
            let response = app
                .client
                .post(format!("{}/api/donations/pledge", app.base))
                .header("accept", "text/html")
                .form(&[
                    ("input[campaign_id]", "1"),
                    ("input[amount]", "100"),
                    ("input[idempotency_key]", key.as_str()),
                ])
                .send()
                .await
                .unwrap();
            assert_eq!(response.status(), 302);
            references.push(response.headers()["location"].to_str().unwrap().to_owned());
        }
        assert_ne!(references[0], references[1], "each donor their own pledge");

        // A browser's own key still makes a double submit one pledge.
        let mut again = Vec::new();
        for _ in 0..2 {
            let response = post_pairs(
                &app,
                None,
                "/api/donations/pledge",
                &[
                    ("input[campaign_id]", "1".into()),
                    ("input[amount]", "100".into()),
                    (
                        "input[idempotency_key]",
                        "0123456789abcdef0123456789abcdef".into(),
                    ),
                ],
            )
            .await;
            assert_eq!(response.status(), 200);
            let body: serde_json::Value = response.json().await.unwrap();
            again.push(body["reference"].as_str().unwrap().to_owned());
        }
        assert_eq!(again[0], again[1]);
    }
);

http_test!(a_crowd_on_a_cold_page_waits_for_one_render, |app| {
    let crowd: Vec<_> = (0..16)
        .map(|_| {
            let (client, url) = (app.client.clone(), format!("{}/hospitals", app.base));
            tokio::spawn(async move {
                let response = client.get(url).send().await.unwrap();
                let cache = response.headers()["x-cache"].to_str().unwrap().to_owned();
                (response.status().as_u16(), cache)
            })
        })
        .collect();
    let mut misses = 0;
    for answer in crowd {
        let (status, cache) = answer.await.unwrap();
        assert_eq!(status, 200);
        misses += usize::from(cache == "miss");
    }
    assert_eq!(misses, 1, "one render for the whole crowd");
});

http_test!(
    a_query_the_page_does_not_read_cannot_force_a_fresh_render,
    |app| {
        warm(&app, "/campaigns/1").await;
        // Whatever a stranger appends, the stored page answers: no render per request.
        for query in ["?x=1", "?utm_source=line&fbclid=abc", "?q=anything"] {
            let page = fetch(&app, &format!("/campaigns/1{query}"), &[]).await;
            assert_eq!(page.status, 200);
            assert_eq!(page.cache(), "hit", "/campaigns/1{query}");
        }
        // A bad `?lang=` is ignored too.
        assert_eq!(fetch(&app, "/campaigns/1?lang=1", &[]).await.cache(), "hit");
        // A valid one chooses the stored language and is remembered, as the page would.
        let english = fetch(&app, "/campaigns/1?lang=en&x=3", &[]).await;
        assert_eq!(english.cache(), "miss");
        assert!(english.header("set-cookie").starts_with("lang=en"));
        assert!(english.body.contains("lang=\"en\""), "an English page");
        let again = fetch(&app, "/campaigns/1?lang=en&x=4", &[]).await;
        assert_eq!(again.cache(), "hit");
        assert!(again.header("set-cookie").starts_with("lang=en"));
        // The hospitals' search is part of the key: each search renders once.
        let search = fetch(&app, "/hospitals?q=99001", &[]).await;
        assert_eq!(search.cache(), "miss");
        assert_eq!(
            fetch(&app, "/hospitals?q=99001&x=1", &[]).await.cache(),
            "hit"
        );
        let empty = fetch(&app, "/hospitals?q=&x=2", &[]).await;
        assert!(
            matches!(empty.cache(), "hit" | "miss"),
            "an empty search is the page"
        );
    }
);

http_test!(
    a_donation_trace_is_kept_until_the_books_move_and_limited_per_client,
    |app| {
        let (reference,): (String,) = sqlx::query_as(
        "select reference_code from donation where status = 'received' and channel = 'promptpay'
         order by donation_id limit 1",
    )
    .fetch_one(app.db.reader())
    .await
    .unwrap();
        let path = format!("/api/v1/donations/{reference}/trace");
        let first = fetch(&app, &path, &[]).await;
        assert_eq!(first.status, 200);
        assert_eq!(first.cache(), "miss");
        let second = fetch(&app, &path, &[]).await;
        assert_eq!(second.cache(), "hit");
        assert_eq!(second.body, first.body);
        // A gift moves the books: the next trace is computed afresh.
        let pledge = [
            ("input[campaign_id]", "1".to_owned()),
            ("input[amount]", "100".to_owned()),
            ("input[idempotency_key]", "trace-cache-pledge".to_owned()),
        ];
        let pledged = post_pairs(&app, None, "/api/donations/pledge", &pledge).await;
        assert_eq!(pledged.status(), 200);
        assert_eq!(fetch(&app, &path, &[]).await.cache(), "miss");
        // Every request counts against the client's trace limit, kept or not.
        let limit = app::server::lookup_limit::MAX_TRACES as usize;
        let mut refused = None;
        for n in 4..=limit + 1 {
            let page = fetch(&app, &path, &[]).await;
            if page.status == 429 {
                refused = Some((n, page.header("retry-after").to_owned()));
                break;
            }
        }
        let (n, retry) = refused.expect("the trace limit answers 429");
        assert_eq!(n, limit + 1, "the limit is {limit} requests");
        assert!(retry.parse::<u64>().unwrap() > 0);
    }
);
