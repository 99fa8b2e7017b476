//! Black-box HTTP tests: the real server on port 0, on SQLite and PostgreSQL.

use app::server::Db;

async fn raised_of(db: &Db, campaign: i64) -> String {
    let (satang,): (i64,) =
        sqlx::query_as("select raised_satang from campaign_fund where campaign_id = $1")
            .bind(campaign)
            .fetch_one(db.reader())
            .await
            .unwrap();
    app::model::Money::from_satang(satang).to_string()
}

http_test!(
    the_front_page_lists_campaigns_with_totals_in_raw_html,
    |app| {
        let response = app.get("/").await;
        assert_eq!(response.status(), 200);
        let html = response.text().await.unwrap();
        assert!(html.contains("<html lang=\"th\""), "Thai is the default");
        assert!(
            html.contains(&raised_of(&app.db, 1).await),
            "campaign 1's total is in the HTML"
        );
        assert!(html.contains("role=\"progressbar\""));
        assert!(html.contains("href=\"/campaigns/1\""));
        assert!(
            html.contains("/pkg/phapa.js"),
            "the page loads the hydration script"
        );
    }
);

http_test!(
    a_campaign_page_shows_its_total_wishlist_and_ceremony,
    |app| {
        let response = app.get("/campaigns/1").await;
        assert_eq!(response.status(), 200);
        let html = response.text().await.unwrap();
        assert!(html.contains(&raised_of(&app.db, 1).await));
        assert!(html.contains("ระดมทุนได้"), "wishlist progress is shown");
        assert!(
            html.contains("ส่งถึง รพ.สต. แล้ว"),
            "and how much has reached hospitals"
        );
        assert!(html.contains("พิธีทอดผ้าป่า"));
        assert!(html.contains(" 25"), "dates are in the Buddhist Era");
        assert!(html.contains("/hospitals/99001"));
    }
);

http_test!(unknown_pages_and_records_answer_404, |app| {
    for path in [
        "/campaigns/999",
        "/campaigns/abc",
        "/hospitals/12345",
        "/hospitals/abc",
        "/no-such-page",
    ] {
        let response = app.get(path).await;
        assert_eq!(response.status(), 404, "{path}");
        assert!(
            response.text().await.unwrap().contains("ไม่พบหน้านี้"),
            "{path}"
        );
    }
});

http_test!(
    hospitals_are_listed_by_district_and_filtered_by_query,
    |app| {
        let html = app.get("/hospitals").await.text().await.unwrap();
        assert!(html.contains("แสดง 20 แห่ง"), "all 20 demo hospitals");
        assert!(html.contains("จังหวัดขอนแก่น"));
        let filtered = app
            .get("/hospitals?q=99999-nothing")
            .await
            .text()
            .await
            .unwrap();
        assert!(filtered.contains("แสดง 0 แห่ง"));
        let page = app.get("/hospitals/99001").await;
        assert_eq!(page.status(), 200);
        assert!(
            page.text().await.unwrap().contains("ข้อมูลตัวอย่าง"),
            "demo hospitals are marked"
        );
    }
);

http_test!(english_is_chosen_by_query_or_cookie_and_remembered, |app| {
    let response = app.get("/?lang=en").await;
    let cookie = response
        .headers()
        .get("set-cookie")
        .unwrap()
        .to_str()
        .unwrap()
        .to_owned();
    assert!(cookie.starts_with("lang=en;"), "{cookie}");
    let html = response.text().await.unwrap();
    assert!(html.contains("<html lang=\"en\""));
    assert!(html.contains("Campaigns"));
    let with_cookie = app
        .client
        .get(format!("{}/hospitals", app.base))
        .header("cookie", "lang=en")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(with_cookie.contains("<html lang=\"en\""));
    assert!(with_cookie.contains("Hospitals by district"));
});

http_test!(
    the_language_form_sets_the_cookie_and_returns_only_to_local_pages,
    |app| {
        let response = app
            .post_form("/lang", "lang=en&next=%2Fcampaigns%2F1")
            .await;
        assert_eq!(response.status(), 303);
        assert_eq!(response.headers()["location"], "/campaigns/1");
        assert!(response.headers()["set-cookie"]
            .to_str()
            .unwrap()
            .starts_with("lang=en;"));
        let response = app
            .post_form("/lang", "lang=en&next=%2F%2Fevil.example")
            .await;
        assert_eq!(response.headers()["location"], "/");
        assert_eq!(app.post_form("/lang", "lang=xx").await.status(), 422);
    }
);

http_test!(server_functions_answer_json_with_the_right_status, |app| {
    let ok = app.post_form("/api/campaigns/get", "id=1").await;
    assert_eq!(ok.status(), 200);
    let json: serde_json::Value = ok.json().await.unwrap();
    assert_eq!(json["summary"]["id"], 1);
    assert!(
        json["summary"]["raised"].as_i64().unwrap() > 0,
        "money travels as whole satang"
    );
    assert_eq!(
        app.post_form("/api/campaigns/get", "id=999").await.status(),
        404
    );
    assert_eq!(
        app.post_form("/api/campaigns/get", "id=abc").await.status(),
        400
    );
});

http_test!(health_and_request_ids, |app| {
    let response = app.get("/healthz").await;
    assert_eq!(response.status(), 200);
    assert!(response.headers().contains_key("x-request-id"));
    app.db.close().await;
    assert_eq!(app.get("/healthz").await.status(), 503);
});
