//! Lending to homes over HTTP, on SQLite and PostgreSQL: the whole cycle from the waiting list
//! to a second home, refusals that store nothing, and other hospitals and finance kept out of
//! the codes. The rules nothing may bend (privacy, small counts, races, the ledger check) are in
//! `loans_rules`.

use crate::common;

use app::server::demo::DEMO_PASSWORD;
use app::server::service::ledger;
use common::{demo_user, get_as, post_pairs, sign_in, TestApp};

/// The tag of a ready, working unit of `item_code` held by the hospital of `staff`.
async fn ready_unit(app: &TestApp, hospital: i64, item_code: &str) -> String {
    let (tag,): (String,) = sqlx::query_as(
        "select u.asset_tag from equipment_unit u join equipment_item i on i.equipment_item_id = u.equipment_item_id
         where u.hospital_id = $1 and u.status = 'received' and u.care = 'ready' and u.condition = 'working'
           and i.code = $2 order by u.equipment_unit_id limit 1",
    )
    .bind(hospital)
    .bind(item_code)
    .fetch_one(app.db.reader())
    .await
    .expect("a ready unit");
    tag
}

async fn count(app: &TestApp, table: &str) -> i64 {
    let (n,): (i64,) = sqlx::query_as(&format!("select count(*) from {table}"))
        .fetch_one(app.db.reader())
        .await
        .unwrap();
    n
}

async fn open_loan(app: &TestApp, tag: &str) -> i64 {
    let (id,): (i64,) = sqlx::query_as(
        "select l.loan_id from loan l join equipment_unit u on u.equipment_unit_id = l.equipment_unit_id
         where u.asset_tag = $1 and l.status = 'out'",
    )
    .bind(tag)
    .fetch_one(app.db.reader())
    .await
    .unwrap();
    id
}

fn pairs(list: &[(&'static str, &str)]) -> Vec<(&'static str, String)> {
    list.iter().map(|(k, v)| (*k, (*v).to_owned())).collect()
}

async fn step(app: &TestApp, cookie: &str, path: &str, list: &[(&'static str, &str)]) -> u16 {
    let response = post_pairs(
        app,
        Some(cookie),
        &format!("/staff/loans/{path}"),
        &pairs(list),
    )
    .await;
    response.status().as_u16()
}

async fn ledger_clean(app: &TestApp) {
    let v = ledger::check(&app.db).await.unwrap();
    assert!(v.is_empty(), "check-ledger: {v:?}");
}

http_test!(
    a_unit_goes_from_the_waiting_list_to_two_homes_and_back,
    |app| {
        ledger_clean(&app).await;
        let staff = sign_in(&app, "demo-staff-5", DEMO_PASSWORD).await;
        let hospital = demo_user(&app.db, "demo-staff-5")
            .await
            .role
            .hospital()
            .unwrap()
            .get();
        let tag = ready_unit(&app, hospital, "wheelchair").await;
        let (item,): (i64,) = sqlx::query_as(
            "select equipment_item_id from equipment_item where code = 'wheelchair'",
        )
        .fetch_one(app.db.reader())
        .await
        .unwrap();
        let today = app::server::today().format("%Y-%m-%d").to_string();
        let item = item.to_string();
        assert_eq!(
            step(
                &app,
                &staff,
                "waiting",
                &[
                    ("item", &item),
                    ("group", "bedbound"),
                    ("urgency", "urgent"),
                    ("borrower_code", "T-HOME-1"),
                    ("idempotency_key", "test-waiting-0001")
                ]
            )
            .await,
            303
        );
        // A double submit of the same form adds nothing.
        assert_eq!(
            step(
                &app,
                &staff,
                "waiting",
                &[
                    ("item", &item),
                    ("group", "bedbound"),
                    ("urgency", "urgent"),
                    ("borrower_code", "T-HOME-1"),
                    ("idempotency_key", "test-waiting-0001")
                ]
            )
            .await,
            303
        );
        let (waiting,): (i64,) = sqlx::query_as(
            "select loan_waiting_id from loan_waiting where borrower_code = 'T-HOME-1'",
        )
        .fetch_one(app.db.reader())
        .await
        .expect("one entry");
        let desk = get_as(&app, Some(&staff), "/staff/loans").await;
        assert_eq!(desk.status(), 200);
        assert!(desk.text().await.unwrap().contains("T-HOME-1"));
        assert_eq!(
            step(
                &app,
                &staff,
                "lend",
                &[
                    ("tag", &tag),
                    ("waiting", &waiting.to_string()),
                    ("out_on", &today),
                    ("handover", "good"),
                    ("accessories", "footrests"),
                    ("accessories", "cushion")
                ]
            )
            .await,
            303
        );
        let loan = open_loan(&app, &tag).await.to_string();
        assert_eq!(
            step(
                &app,
                &staff,
                "visit",
                &[("loan", &loan), ("on", &today), ("outcome", "in_use")]
            )
            .await,
            303
        );
        // Not lendable while out: the second lend is refused on the tag.
        assert_eq!(
            step(
                &app,
                &staff,
                "lend",
                &[
                    ("tag", &tag),
                    ("borrower_code", "T-HOME-2"),
                    ("out_on", &today),
                    ("handover", "good")
                ]
            )
            .await,
            422
        );
        assert_eq!(
            step(
                &app,
                &staff,
                "return",
                &[
                    ("loan", &loan),
                    ("on", &today),
                    ("condition", "working"),
                    ("accessories", "footrests"),
                    ("end_reason", "recovered")
                ]
            )
            .await,
            303
        );
        // Awaiting cleaning: not lendable until cleaned and checked.
        assert_eq!(
            step(
                &app,
                &staff,
                "lend",
                &[
                    ("tag", &tag),
                    ("borrower_code", "T-HOME-2"),
                    ("out_on", &today),
                    ("handover", "good")
                ]
            )
            .await,
            422
        );
        assert_eq!(
            step(&app, &staff, "cleaned", &[("tag", &tag), ("on", &today)]).await,
            303
        );
        assert_eq!(
            step(
                &app,
                &staff,
                "lend",
                &[
                    ("tag", &tag),
                    ("borrower_code", "T-HOME-2"),
                    ("out_on", &today),
                    ("handover", "worn")
                ]
            )
            .await,
            303
        );
        let page = app
            .get(&format!("/units/{tag}"))
            .await
            .text()
            .await
            .unwrap();
        assert!(
            page.contains(r#"<strong class="homes-count">2</strong>"#),
            "two homes on the unit page"
        );
        assert!(!page.contains("T-HOME-1") && !page.contains("T-HOME-2"));
        let json: serde_json::Value = app
            .get(&format!("/api/v1/units/{tag}"))
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(json["homes"]["homes_served"], 2);
        assert_eq!(json["care"], "on_loan");
        ledger_clean(&app).await;
        // The register and its CSV carry the hospital's own codes, for its own staff.
        let csv = get_as(&app, Some(&staff), "/staff/loans/register.csv")
            .await
            .text()
            .await
            .unwrap();
        assert!(
            csv.starts_with('\u{feff}') && csv.contains("T-HOME-1") && csv.contains("recovered")
        );
        let summary = get_as(&app, Some(&staff), "/staff/loans/summary").await;
        assert_eq!(summary.status(), 200);
        let summary = summary.text().await.unwrap();
        assert!(
            !summary.contains("T-HOME-1"),
            "the monthly summary is counts only"
        );
    }
);

http_test!(
    bad_input_is_refused_field_by_field_and_stores_nothing,
    |app| {
        let staff = sign_in(&app, "demo-staff-5", DEMO_PASSWORD).await;
        let hospital = demo_user(&app.db, "demo-staff-5")
            .await
            .role
            .hospital()
            .unwrap()
            .get();
        let tag = ready_unit(&app, hospital, "wheelchair").await;
        let today = app::server::today();
        let day = |d: i64| {
            (today + chrono::Duration::days(d))
                .format("%Y-%m-%d")
                .to_string()
        };
        let before = (
            count(&app, "loan").await,
            count(&app, "care_event").await,
            count(&app, "loan_waiting").await,
        );
        type Case = (&'static str, Vec<(&'static str, String)>, &'static str);
        let cases: Vec<Case> = vec![
            (
                "lend",
                pairs(&[
                    ("tag", &tag),
                    ("borrower_code", "1101700203450"),
                    ("out_on", &day(0)),
                    ("handover", "good"),
                ]),
                "borrower_code",
            ),
            (
                "lend",
                pairs(&[
                    ("tag", &tag),
                    ("borrower_code", "081-234-5678"),
                    ("out_on", &day(0)),
                    ("handover", "good"),
                ]),
                "borrower_code",
            ),
            (
                "lend",
                pairs(&[
                    ("tag", &tag),
                    ("borrower_code", "นางสมศรี"),
                    ("out_on", &day(0)),
                    ("handover", "good"),
                ]),
                "borrower_code",
            ),
            (
                "lend",
                pairs(&[
                    ("tag", &tag),
                    ("borrower_code", "OK-1"),
                    ("out_on", &day(1)),
                    ("handover", "good"),
                ]),
                "out_on",
            ),
            (
                "lend",
                pairs(&[
                    ("tag", &tag),
                    ("borrower_code", "OK-1"),
                    ("out_on", &day(-3)),
                    ("due_on", &day(-5)),
                    ("handover", "good"),
                ]),
                "due_on",
            ),
            (
                "lend",
                pairs(&[
                    ("tag", &tag),
                    ("borrower_code", "OK-1"),
                    ("out_on", &day(0)),
                    ("handover", "good"),
                    ("note", "โทร 0812345678"),
                ]),
                "note",
            ),
            (
                "lend",
                pairs(&[
                    ("tag", &tag),
                    ("borrower_code", "OK-1"),
                    ("out_on", &day(0)),
                    ("handover", "good"),
                    ("accessories", "filter"),
                ]),
                "accessories",
            ),
            (
                "repair",
                pairs(&[
                    ("tag", &tag),
                    ("on", &day(0)),
                    ("place", "ร้านซ่อม"),
                    ("cost", "12.345"),
                ]),
                "cost",
            ),
            (
                "waiting",
                pairs(&[
                    ("item", "1"),
                    ("group", "bedbound"),
                    ("urgency", "urgent"),
                    ("borrower_code", "OK-2"),
                    ("listed_on", &day(2)),
                    ("idempotency_key", "test-waiting-bad1"),
                ]),
                "listed_on",
            ),
        ];
        for (path, body, field) in cases {
            let response = app
                .client
                .post(format!("{}/staff/loans/{path}", app.base))
                .header("cookie", &staff)
                .header("accept", "application/json")
                .form(&body)
                .send()
                .await
                .unwrap();
            assert_eq!(response.status(), 422, "{path} {body:?}");
            let text = response.text().await.unwrap();
            assert!(text.contains(field), "{path}: {text}");
        }
        let after = (
            count(&app, "loan").await,
            count(&app, "care_event").await,
            count(&app, "loan_waiting").await,
        );
        assert_eq!(before, after, "nothing stored");
        // A unit on loan (the demo's) cannot be written off.
        let finance = sign_in(&app, "demo-finance", DEMO_PASSWORD).await;
        let (lent,): (String,) = sqlx::query_as("select asset_tag from equipment_unit where care = 'on_loan' order by equipment_unit_id limit 1")
        .fetch_one(app.db.reader())
        .await
        .unwrap();
        let response = post_pairs(
            &app,
            Some(&finance),
            "/api/stock/write-off",
            &[
                ("input[tag]", lent),
                ("input[reason]", "lost for a test".into()),
            ],
        )
        .await;
        assert_eq!(response.status(), 409);
    }
);

http_test!(other_hospitals_and_finance_never_see_codes, |app| {
    let staff_4 = sign_in(&app, "demo-staff-4", DEMO_PASSWORD).await;
    let staff_5 = sign_in(&app, "demo-staff-5", DEMO_PASSWORD).await;
    let hospital_5 = demo_user(&app.db, "demo-staff-5")
        .await
        .role
        .hospital()
        .unwrap();
    // A loan of hospital 4, acted on by hospital 5's staff: 403, nothing changes.
    let (loan,): (i64,) = sqlx::query_as(
        "select loan_id from loan where status = 'out' and hospital_id <> $1 order by loan_id limit 1",
    )
    .bind(hospital_5.get())
    .fetch_one(app.db.reader())
    .await
    .unwrap();
    let today = app::server::today().format("%Y-%m-%d").to_string();
    let loan = loan.to_string();
    for (path, body) in [
        (
            "return",
            vec![
                ("loan", loan.as_str()),
                ("on", &today),
                ("condition", "working"),
                ("end_reason", "recovered"),
            ],
        ),
        (
            "visit",
            vec![
                ("loan", loan.as_str()),
                ("on", &today),
                ("outcome", "in_use"),
            ],
        ),
        (
            "renew",
            vec![
                ("loan", loan.as_str()),
                ("due_on", "2099-01-01"),
                ("reason", "a test renewal"),
            ],
        ),
    ] {
        assert_eq!(step(&app, &staff_5, path, &body).await, 403, "{path}");
    }
    let code_4 = app::server::db::hospital::code_of(
        &mut app.db.reader().acquire().await.unwrap(),
        demo_user(&app.db, "demo-staff-4")
            .await
            .role
            .hospital()
            .unwrap(),
    )
    .await
    .unwrap()
    .unwrap();
    let desk = post_pairs(
        &app,
        Some(&staff_5),
        "/api/loans/desk",
        &[("facility_code", code_4.clone())],
    )
    .await;
    assert_eq!(desk.status(), 403);
    let own = post_pairs(
        &app,
        Some(&staff_4),
        "/api/loans/desk",
        &[("facility_code", code_4.clone())],
    )
    .await;
    assert_eq!(own.status(), 200);
    // Finance sees counts on the hospital's internal page, never the codes.
    let finance = sign_in(&app, "demo-finance", DEMO_PASSWORD).await;
    assert_eq!(
        get_as(&app, Some(&finance), "/staff/loans").await.status(),
        403
    );
    let page = get_as(&app, Some(&finance), &format!("/staff/hospitals/{code_4}")).await;
    assert_eq!(page.status(), 200);
    let page = page.text().await.unwrap();
    assert!(page.contains("lending-counts"));
    assert!(!page.contains("DEMO-B1"), "no borrower code for finance");
});
