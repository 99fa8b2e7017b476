//! Equipment requests over HTTP, on SQLite and PostgreSQL: a hospital asks, a finance officer
//! decides with a reason the hospital sees; bad input is refused field by field with nothing
//! stored; a decided request no longer changes; a double submit records one request; the
//! history is append-only. Who may call what is in `security.rs`'s permission matrix.

use crate::common;

use app::server::demo::DEMO_PASSWORD;
use common::{hospital_id, post_as, sign_in, TestApp};

async fn request_count(app: &TestApp) -> i64 {
    let (n,): (i64,) = sqlx::query_as("select count(*) from equipment_request")
        .fetch_one(app.db.reader())
        .await
        .unwrap();
    n
}

/// A request form's body for hospital `h` on campaign 1, with `extra` fields overriding.
fn form(h: i64, key: &str, extra: &str) -> String {
    let mut fields = vec![
        ("campaign_id", "1".to_owned()),
        ("hospital_id", h.to_string()),
        ("item", "1".to_owned()),
        ("quantity", "4".to_owned()),
        ("patients_homebound", "6".to_owned()),
        ("patients_bedbound", "5".to_owned()),
        ("patients_end_of_life", "1".to_owned()),
        ("units_held", "2".to_owned()),
        ("reason", "เตียงเดิมชำรุด".to_owned()),
        ("priority", "urgent".to_owned()),
        ("idempotency_key", key.to_owned()),
    ];
    for pair in extra.split('&').filter(|p| !p.is_empty()) {
        let (k, v) = pair.split_once('=').unwrap();
        fields.retain(|(name, _)| *name != k);
        fields.push((k, v.to_owned()));
    }
    fields
        .iter()
        .map(|(k, v)| format!("input[{k}]={v}"))
        .collect::<Vec<_>>()
        .join("&")
}

/// Submits a request form as `caller` and returns the new request's id.
async fn submitted(app: &TestApp, caller: &str, body: &str) -> i64 {
    let response = post_as(app, Some(caller), "/api/requests/submit", body).await;
    assert_eq!(response.status(), 200, "{body}");
    response.json().await.unwrap()
}

/// A request with its history, as `caller` reads it.
async fn detail(app: &TestApp, caller: &str, id: i64) -> serde_json::Value {
    let response = post_as(
        app,
        Some(caller),
        "/api/requests/detail",
        &format!("id={id}"),
    )
    .await;
    assert_eq!(response.status(), 200);
    response.json().await.unwrap()
}

/// The fields a 422 answer names.
async fn refused_fields(response: reqwest::Response) -> Vec<String> {
    assert_eq!(response.status(), 422);
    let body: serde_json::Value = response.json().await.unwrap();
    let fields = body["Validation"].as_array().cloned().unwrap_or_default();
    fields
        .iter()
        .map(|f| f["field"].as_str().unwrap_or_default().to_owned())
        .collect()
}

http_test!(
    a_request_goes_from_a_hospital_to_a_decision_it_can_read,
    |app| {
        let staff = sign_in(&app, "demo-staff", DEMO_PASSWORD).await;
        let finance = sign_in(&app, "demo-finance", DEMO_PASSWORD).await;
        let h = hospital_id(&app, "99001").await;
        let id = submitted(&app, &staff, &form(h, "flow-key-0001", "")).await;

        // Finance sees it in the campaign's queue, with its need.
        let queue: serde_json::Value = post_as(
            &app,
            Some(&finance),
            "/api/requests/queue",
            "filter[campaign_id]=1&filter[sort]=need",
        )
        .await
        .json()
        .await
        .unwrap();
        let mine = queue
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["id"] == id)
            .expect("the request is in the queue");
        assert_eq!(mine["status"], "submitted");
        assert_eq!(mine["need"]["bedbound"], 5);

        // Approving more than asked is refused on the quantity; fewer is fine, with a reason.
        let seen = common::seen(&app.db, id).await;
        let too_many = format!(
            "input[request_id]={id}&input[approve]=true&input[quantity]=5&input[reason]=ok{seen}"
        );
        let response = post_as(&app, Some(&finance), "/api/requests/decide", &too_many).await;
        assert_eq!(refused_fields(response).await, ["quantity"]);
        let no_reason = format!("input[request_id]={id}&input[approve]=false&input[reason]={seen}");
        let response = post_as(&app, Some(&finance), "/api/requests/decide", &no_reason).await;
        assert_eq!(refused_fields(response).await, ["reason"]);
        let approve = format!(
            "input[request_id]={id}&input[approve]=true&input[quantity]=3&input[reason]=ตามงบที่มี{seen}"
        );
        let response = post_as(&app, Some(&finance), "/api/requests/decide", &approve).await;
        assert_eq!(response.status(), 200);

        // The hospital reads the decision and its reason in the request's history.
        let detail = detail(&app, &staff, id).await;
        assert_eq!(detail["status"], "approved");
        assert_eq!(detail["approved_quantity"], 3);
        let events = detail["events"].as_array().unwrap();
        let kinds: Vec<&str> = events.iter().map(|e| e["kind"].as_str().unwrap()).collect();
        assert_eq!(kinds, ["submitted", "approved"]);
        assert_eq!(events[1]["note"], "ตามงบที่มี");

        // Decided: no second decision, no edit, no withdrawal.
        let again = post_as(&app, Some(&finance), "/api/requests/decide", &approve).await;
        assert_eq!(again.status(), 409);
        let edit = format!("id={id}&{}", form(h, "", "quantity=1"));
        assert_eq!(
            post_as(&app, Some(&staff), "/api/requests/edit", &edit)
                .await
                .status(),
            409
        );
        assert_eq!(
            post_as(
                &app,
                Some(&staff),
                "/api/requests/withdraw",
                &format!("id={id}")
            )
            .await
            .status(),
            409
        );
    }
);

http_test!(bad_requests_name_their_fields_and_store_nothing, |app| {
    let staff = sign_in(&app, "demo-staff", DEMO_PASSWORD).await;
    let h = hospital_id(&app, "99001").await;
    let before = request_count(&app).await;
    let cases: [(&str, &[&str]); 9] = [
        ("quantity=0", &["quantity"]),
        ("quantity=-1", &["quantity"]),
        ("quantity=1e9", &["quantity"]),
        ("quantity=1000000000", &["quantity"]),
        ("quantity=สอง", &["quantity"]),
        (
            "item=bed&patients_bedbound=-2",
            &["item", "patients_bedbound"],
        ),
        ("units_held=lots&reason=", &["units_held", "reason"]),
        ("priority=tomorrow", &["priority"]),
        ("item=99999", &["item"]),
    ];
    for (i, (extra, fields)) in cases.iter().enumerate() {
        let body = form(h, &format!("bad-request-{i:04}"), extra);
        let response = post_as(&app, Some(&staff), "/api/requests/submit", &body).await;
        assert_eq!(refused_fields(response).await, *fields, "{extra}");
    }
    // Campaign 2 does not serve the first hospital.
    let body = form(h, "bad-request-campaign", "campaign_id=2");
    let response = post_as(&app, Some(&staff), "/api/requests/submit", &body).await;
    assert_eq!(refused_fields(response).await, ["campaign_id"]);
    assert_eq!(request_count(&app).await, before, "nothing was stored");
});

http_test!(
    another_hospital_cannot_touch_a_request_even_naming_its_own_hospital,
    |app| {
        let staff = sign_in(&app, "demo-staff", DEMO_PASSWORD).await;
        let other = sign_in(&app, "demo-staff-2", DEMO_PASSWORD).await;
        let (a, b) = (
            hospital_id(&app, "99001").await,
            hospital_id(&app, "99002").await,
        );
        let id: i64 = submitted(&app, &staff, &form(a, "other-hospital-key", "")).await;
        // Staff of B send B's own id with A's request: refused on the stored request's hospital.
        let edit = format!("id={id}&{}", form(b, "", "quantity=1"));
        let calls = [
            ("/api/requests/edit", edit),
            ("/api/requests/withdraw", format!("id={id}")),
            ("/api/requests/detail", format!("id={id}")),
            ("/api/requests/of-hospital", format!("hospital={a}")),
        ];
        for (path, body) in calls {
            let status = post_as(&app, Some(&other), path, &body).await.status();
            assert_eq!(status, 403, "{path}");
        }
        assert_eq!(detail(&app, &staff, id).await["quantity"], 4, "unchanged");
    }
);

http_test!(a_decision_lands_only_on_the_request_as_it_was_read, |app| {
    let staff = sign_in(&app, "demo-staff", DEMO_PASSWORD).await;
    let finance = sign_in(&app, "demo-finance", DEMO_PASSWORD).await;
    let h = hospital_id(&app, "99001").await;
    let id: i64 = submitted(&app, &staff, &form(h, "stale-decision-key", "")).await;
    let seen = detail(&app, &finance, id).await["version"]
        .as_str()
        .unwrap()
        .to_owned();
    // The hospital lowers its quantity after the officer opened the queue.
    let edit = format!("id={id}&{}", form(h, "", "quantity=2"));
    let response = post_as(&app, Some(&staff), "/api/requests/edit", &edit).await;
    assert_eq!(response.status(), 200);
    let decide = format!(
        "input[request_id]={id}&input[approve]=true&input[reason]=ok&input[seen]={}",
        seen.replace('+', "%2B").replace(':', "%3A")
    );
    let response = post_as(&app, Some(&finance), "/api/requests/decide", &decide).await;
    assert_eq!(
        response.status(),
        409,
        "the terms changed since they were read"
    );
    let after = detail(&app, &staff, id).await;
    assert_eq!(after["status"], "submitted");
    // The edit kept what was asked before it.
    let (terms,): (Option<String>,) = sqlx::query_as(
        "select terms from equipment_request_event where equipment_request_id = $1 and kind = 'submitted'",
    )
    .bind(id)
    .fetch_one(app.db.reader())
    .await
    .unwrap();
    assert!(terms.unwrap().contains("\"quantity\":4"));
});

http_test!(a_double_submit_records_one_request, |app| {
    let staff = sign_in(&app, "demo-staff", DEMO_PASSWORD).await;
    let h = hospital_id(&app, "99001").await;
    let before = request_count(&app).await;
    let body = form(h, "double-submit-key", "");
    let first: i64 = submitted(&app, &staff, &body).await;
    let second: i64 = submitted(&app, &staff, &body).await;
    assert_eq!(first, second);
    assert_eq!(request_count(&app).await, before + 1);
});

http_test!(
    a_hospital_edits_and_withdraws_while_submitted_and_history_is_kept,
    |app| {
        let staff = sign_in(&app, "demo-staff", DEMO_PASSWORD).await;
        let h = hospital_id(&app, "99001").await;
        let id: i64 = submitted(&app, &staff, &form(h, "edit-me-key-01", "")).await;
        let edit = format!("id={id}&{}", form(h, "", "quantity=2&priority=normal"));
        assert_eq!(
            post_as(&app, Some(&staff), "/api/requests/edit", &edit)
                .await
                .status(),
            200
        );
        let bad_edit = format!("id={id}&{}", form(h, "", "quantity=0"));
        let response = post_as(&app, Some(&staff), "/api/requests/edit", &bad_edit).await;
        assert_eq!(refused_fields(response).await, ["quantity"]);
        assert_eq!(
            post_as(
                &app,
                Some(&staff),
                "/api/requests/withdraw",
                &format!("id={id}")
            )
            .await
            .status(),
            200
        );
        let detail = detail(&app, &staff, id).await;
        assert_eq!(detail["status"], "withdrawn");
        assert_eq!(detail["quantity"], 2);
        assert_eq!(detail["priority"], "normal");
        let kinds: Vec<&str> = detail["events"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["kind"].as_str().unwrap())
            .collect();
        assert_eq!(kinds, ["submitted", "edited", "withdrawn"]);

        // The history refuses change at the database itself.
        for sql in [
            "update equipment_request_event set note = 'x'",
            "delete from equipment_request_event",
        ] {
            let refused = sqlx::query(sql).execute(app.db.reader()).await;
            let error = refused.expect_err(sql).to_string();
            assert!(
                error.contains("equipment_request_event is append-only"),
                "{sql}: {error}"
            );
        }
    }
);
