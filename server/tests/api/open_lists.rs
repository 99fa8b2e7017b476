//! The open-data lists, downloads, guide and public-API behaviour, on SQLite and PostgreSQL:
//! walking a list's pages gives every public item once in a fixed order, filters keep only what
//! they name, bad parameters are 400 in the one error shape naming the field, public answers are
//! kept like pages (CORS, ETag, 304, the next view after a gift is fresh), the per-client limit
//! answers 429 with `Retry-After`, the CSV downloads hold the same rows as the lists, and the
//! guide page lists every documented endpoint with live examples that answer.

use crate::common;

use app::server::demo::DEMO_PASSWORD;
use common::{post_pairs, sign_in, TestApp};
use serde_json::Value;

async fn json(app: &TestApp, path: &str) -> (reqwest::header::HeaderMap, Value) {
    let response = app.get(path).await;
    assert_eq!(response.status(), 200, "GET {path}");
    let headers = response.headers().clone();
    assert_eq!(headers["content-type"], "application/json", "GET {path}");
    assert_eq!(headers["access-control-allow-origin"], "*", "GET {path}");
    (headers, response.json().await.unwrap())
}

/// Follows `next` from `first` to the last page; answers every item.
async fn walk(app: &TestApp, first: &str) -> Vec<Value> {
    let (mut items, mut path, mut pages) = (Vec::new(), first.to_owned(), 0);
    loop {
        let (_, page) = json(app, &path).await;
        items.extend(page["items"].as_array().unwrap().iter().cloned());
        pages += 1;
        assert!(pages < 1000, "the pages end");
        match page["next"].as_str() {
            Some(next) => {
                assert!(next.contains(&format!("cursor={}", page["next_cursor"].as_str().unwrap())));
                path = next.to_owned();
            }
            None => {
                assert!(page["next_cursor"].is_null());
                return items;
            }
        }
    }
}

async fn strings(app: &TestApp, sql: &str) -> Vec<String> {
    sqlx::query_scalar::<_, String>(sql)
        .fetch_all(app.db.reader())
        .await
        .unwrap()
}

/// A refusal of `path`: 400, the one error shape, naming `field`.
async fn refused(app: &TestApp, path: &str, field: &str) {
    let response = app.get(path).await;
    assert_eq!(response.status(), 400, "GET {path}");
    assert_eq!(response.headers()["content-type"], "application/json");
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["error"], "bad_request", "GET {path}");
    assert!(body["message"]["th"].is_string() && body["message"]["en"].is_string());
    assert_eq!(body["fields"][0]["field"], field, "GET {path}: {body}");
    assert!(body["fields"][0]["message"]["en"].is_string());
}

http_test!(lists_give_every_public_item_once_in_a_fixed_order, |app| {
    // Campaigns, one per page.
    let ids: Vec<String> = walk(&app, "/api/v1/campaigns?limit=1")
        .await
        .iter()
        .map(|c| c["id"].to_string())
        .collect();
    let expected = strings(
        &app,
        "select cast(campaign_id as text) from campaign where status <> 'draft' order by campaign_id",
    )
    .await;
    assert_eq!(ids, expected);
    assert!(ids.len() >= 2, "the demo has several campaigns");
    let (_, one) = json(&app, "/api/v1/campaigns?limit=200").await;
    let first = &one["items"][0];
    assert_eq!(first["raised_satang"].as_i64().unwrap() % 100, {
        let text = first["raised"].as_str().unwrap();
        text[text.len() - 2..].parse::<i64>().unwrap()
    });

    // Hospitals, two per page, then by province and by district.
    let all = walk(&app, "/api/v1/hospitals?limit=2").await;
    let codes: Vec<String> = all
        .iter()
        .map(|h| h["facility_code"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(
        codes,
        strings(
            &app,
            "select facility_code from hospital order by facility_code"
        )
        .await
    );
    let province = all[0]["province_code"].as_i64().unwrap();
    let district = all[0]["district_code"].as_i64().unwrap();
    let of_province = walk(
        &app,
        &format!("/api/v1/hospitals?province={province}&limit=2"),
    )
    .await;
    assert!(!of_province.is_empty());
    assert!(of_province.iter().all(|h| h["province_code"] == province));
    assert_eq!(
        of_province.len(),
        all.iter()
            .filter(|h| h["province_code"] == province)
            .count()
    );
    let of_district = walk(
        &app,
        &format!("/api/v1/hospitals?district={district}&limit=1"),
    )
    .await;
    assert!(of_district.iter().all(|h| h["district_code"] == district));
    assert_eq!(
        of_district.len(),
        all.iter()
            .filter(|h| h["district_code"] == district)
            .count()
    );
    let (_, none) = json(&app, "/api/v1/hospitals?province=98&district=9801").await;
    assert_eq!(none["items"], serde_json::json!([]));

    // Units of campaign 1, two per page, and of every public campaign.
    let tags: Vec<String> = walk(&app, "/api/v1/units?campaign=1&limit=2")
        .await
        .iter()
        .map(|u| u["tag"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(
        tags,
        strings(
            &app,
            "select asset_tag from equipment_unit where campaign_id = 1 order by equipment_unit_id"
        )
        .await
    );
    assert!(!tags.is_empty());
    let every = walk(&app, "/api/v1/units?limit=3").await;
    assert_eq!(
        every.len(),
        strings(&app, "select u.asset_tag from equipment_unit u join campaign c on c.campaign_id = u.campaign_id where c.status <> 'draft' and u.status <> 'voided'").await.len()
    );
    // Only a unit that has arrived names its hospital; from 1 to 4 loans to homes, a unit's
    // count is not published (listed together, they would add up to a hospital's).
    for u in &every {
        assert_eq!(u["hospital"].is_object(), u["status"] == "received", "{u}");
        assert_ne!(u["status"], "voided");
        let homes = &u["homes"];
        match homes["homes_served"].as_i64() {
            Some(n) => assert!(n == 0 || n >= 5, "{u}"),
            None => assert_eq!(homes["homes_served_fewer_than_5"], true, "{u}"),
        }
        if homes["homes_served"].as_i64().unwrap_or(0) < 5 {
            assert!(homes["days_in_homes"].is_null(), "{u}");
        }
    }
    assert!(
        every
            .iter()
            .any(|u| u["homes"]["homes_served_fewer_than_5"] == true),
        "the demo has a unit lent to 1 to 4 homes"
    );
    for path in ["/api/v1/nothing", "/api/v1/units/EQ-1-00001/x"] {
        let unknown = app.get(path).await;
        assert_eq!(unknown.status(), 404, "{path}");
        let body: Value = unknown.json().await.unwrap();
        assert_eq!(body["error"], "not_found", "{path}");
    }
    let missing = app.get("/api/v1/units?campaign=999999").await;
    assert_eq!(missing.status(), 404);
    let body: Value = missing.json().await.unwrap();
    assert_eq!(body["error"], "not_found");
});

http_test!(bad_parameters_are_refused_naming_the_field, |app| {
    for (path, field) in [
        ("/api/v1/campaigns?limit=0", "limit"),
        ("/api/v1/campaigns?limit=201", "limit"),
        ("/api/v1/campaigns?limit=ten", "limit"),
        ("/api/v1/campaigns?cursor=abc", "cursor"),
        ("/api/v1/campaigns?cursor=0", "cursor"),
        ("/api/v1/campaigns?limit=1&limit=2", "limit"),
        ("/api/v1/hospitals?province=5", "province"),
        ("/api/v1/hospitals?district=x", "district"),
        ("/api/v1/hospitals?cursor=1234", "cursor"),
        ("/api/v1/units?campaign=-1", "campaign"),
        (
            "/api/v1/units?campaign=1&cursor=12345678901234567890",
            "cursor",
        ),
    ] {
        refused(&app, path, field).await;
    }
    // Parameters the lists do not read are let be.
    let (_, page) = json(&app, "/api/v1/campaigns?utm_source=line").await;
    assert!(page["items"].is_array());
});

http_test!(
    public_answers_are_kept_like_pages_and_fresh_after_a_gift,
    |app| {
        let path = "/api/v1/campaigns/1";
        let (first, before) = json(&app, path).await;
        assert_eq!(first["x-cache"], "miss");
        assert_eq!(first["cache-control"], "no-cache");
        let etag = first["etag"].to_str().unwrap().to_owned();
        let (second, again) = json(&app, path).await;
        assert_eq!(second["x-cache"], "hit");
        assert_eq!(second["etag"].to_str().unwrap(), etag);
        assert_eq!(again, before);
        let unchanged = app
            .client
            .get(format!("{}{path}", app.base))
            .header("if-none-match", &etag)
            .send()
            .await
            .unwrap();
        assert_eq!(unchanged.status(), 304);
        // Gzip made once, with its own tag.
        let zipped = app
            .client
            .get(format!("{}{path}", app.base))
            .header("accept-encoding", "gzip")
            .send()
            .await
            .unwrap();
        assert_eq!(zipped.headers()["content-encoding"], "gzip");
        assert_ne!(zipped.headers()["etag"].to_str().unwrap(), etag);
        // The list's query is part of what is kept; parameters it does not read are not.
        let (a, _) = json(&app, "/api/v1/units?campaign=1&limit=2").await;
        let (b, _) = json(&app, "/api/v1/units?limit=2&campaign=1&x=1").await;
        assert_eq!(
            (
                a["x-cache"].to_str().unwrap(),
                b["x-cache"].to_str().unwrap()
            ),
            ("miss", "hit")
        );

        let finance = sign_in(&app, "demo-finance", DEMO_PASSWORD).await;
        let recorded = post_pairs(
            &app,
            Some(&finance),
            "/api/donations/record",
            &[
                ("input[campaign_id]", "1".into()),
                ("input[channel]", "cash".into()),
                ("input[amount]", "123.45".into()),
                ("input[idempotency_key]", "open-lists-record-0001".into()),
            ],
        )
        .await;
        assert_eq!(recorded.status(), 200);
        let (fresh, after) = json(&app, path).await;
        assert_eq!(fresh["x-cache"], "miss", "the gift moved the generation on");
        assert_eq!(
            after["raised_satang"].as_i64().unwrap() - before["raised_satang"].as_i64().unwrap(),
            12_345
        );
        let (_, listed) = json(&app, "/api/v1/campaigns?limit=200").await;
        let one = listed["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["id"] == 1)
            .unwrap();
        assert_eq!(
            one["raised_satang"], after["raised_satang"],
            "the list agrees"
        );
    }
);

mod per_client_limit {
    use super::*;

    async fn check(app: TestApp) {
        // Three answers built for this client, then a refusal; kept answers are still served.
        for path in [
            "/api/v1/campaigns/1",
            "/api/v1/hospitals?limit=1",
            "/api/v1/units?limit=1",
        ] {
            json(&app, path).await;
        }
        let refused = app.get("/api/v1/units?limit=2").await;
        assert_eq!(refused.status(), 429);
        let wait: u64 = refused.headers()["retry-after"]
            .to_str()
            .unwrap()
            .parse()
            .unwrap();
        assert!((1..=600).contains(&wait));
        assert_eq!(refused.headers()["access-control-allow-origin"], "*");
        let body: Value = refused.json().await.unwrap();
        assert_eq!(body["error"], "too_many_requests");
        let (kept, _) = json(&app, "/api/v1/campaigns/1").await;
        assert_eq!(kept["x-cache"], "hit");
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn sqlite() {
        let place = common::TestDb::sqlite();
        let config = server::Config {
            api_limit: 3,
            ..common::test_config(&place.url)
        };
        check(TestApp::spawn_with(&config).await).await;
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn postgres() {
        if let Some(place) = common::TestDb::postgres().await {
            let config = server::Config {
                api_limit: 3,
                ..common::test_config(&place.url)
            };
            let app = TestApp::spawn_with(&config).await;
            let db = app.db.clone();
            check(app).await;
            db.close().await;
        }
    }
}

/// A download: its status, headers and text (without the byte-order mark, which it must have).
async fn csv(app: &TestApp, path: &str) -> Vec<Vec<String>> {
    let response = app.get(path).await;
    assert_eq!(response.status(), 200, "GET {path}");
    assert_eq!(
        response.headers()["content-type"],
        "text/csv; charset=utf-8"
    );
    assert!(response.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .starts_with("attachment"));
    let bytes = response.bytes().await.unwrap();
    assert!(
        bytes.starts_with("\u{feff}".as_bytes()),
        "{path} starts with a BOM"
    );
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(&bytes[3..]);
    reader
        .records()
        .map(|r| r.unwrap().iter().map(str::to_owned).collect())
        .collect()
}

http_test!(downloads_hold_the_same_rows_as_the_lists, |app| {
    // A name typed to look like a formula stays text.
    let mut tx = app.db.begin().await.unwrap();
    sqlx::query("update hospital set name_th = '=HYPERLINK(\"x\")' where facility_code = '99001'")
        .execute(&mut *tx)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    let units = csv(&app, "/api/v1/units.csv").await;
    let header: Vec<&str> = server::open_data::download::UNIT_COLUMNS
        .iter()
        .map(|c| c.0)
        .collect();
    assert_eq!(units[0], header);
    let listed = walk(&app, "/api/v1/units?limit=200").await;
    assert_eq!(units.len() - 1, listed.len());
    for (row, unit) in units[1..].iter().zip(&listed) {
        assert_eq!(row[0], unit["tag"].as_str().unwrap());
        assert_eq!(row[13], unit["price"].as_str().unwrap());
        let served = &unit["homes"]["homes_served"];
        assert_eq!(
            row[10],
            if served.is_null() {
                String::new()
            } else {
                served.to_string()
            }
        );
        assert_eq!(
            row[11] == "1",
            unit["homes"]["homes_served_fewer_than_5"] == true
        );
        assert_eq!(row[6], unit["status"].as_str().unwrap());
    }
    let campaigns = csv(&app, "/api/v1/campaigns.csv").await;
    let (_, listed) = json(&app, "/api/v1/campaigns?limit=200").await;
    let listed = listed["items"].as_array().unwrap();
    assert_eq!(campaigns.len() - 1, listed.len());
    for (row, c) in campaigns[1..].iter().zip(listed) {
        assert_eq!(row[0], c["id"].to_string());
        assert_eq!(row[7], c["raised"].as_str().unwrap());
    }
    let hospitals = csv(&app, "/api/v1/hospitals.csv").await;
    let row = hospitals.iter().find(|r| r[0] == "99001").unwrap();
    assert_eq!(row[1], "'=HYPERLINK(\"x\")");
});

http_test!(the_guide_lists_every_endpoint_with_live_examples, |app| {
    let th = app.get("/api").await;
    assert_eq!(th.status(), 200);
    let th = th.text().await.unwrap();
    assert!(th.contains("lang=\"th\"") && th.contains("ข้อมูลเปิด"));
    let en = app.get("/api?lang=en").await.text().await.unwrap();
    assert!(en.contains("lang=\"en\"") && en.contains("Open data"));
    for page in [&th, &en] {
        for path in server::open_data::document().paths.paths.keys() {
            assert!(page.contains(&format!("GET {path}")), "{path} is explained");
        }
        assert!(page.contains("id=\"dictionary\""));
        for (column, _, _) in server::open_data::download::UNIT_COLUMNS {
            assert!(page.contains(&format!("<code>{column}</code>")));
        }
    }
    // Every live example answers.
    let examples: Vec<&str> = th
        .split("href=\"")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .filter(|href| href.starts_with("/api/v1/") && !href.contains("/donations/"))
        .collect();
    assert!(examples.len() >= 9, "{examples:?}");
    for href in examples {
        let href = href.replace("&amp;", "&");
        let response = app.get(&href).await;
        assert_eq!(response.status(), 200, "{href}");
    }
});
