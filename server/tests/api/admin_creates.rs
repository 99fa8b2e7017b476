//! Administrators' creates over HTTP, on SQLite and PostgreSQL: one idempotency key creates one
//! thing (a repeat replays, other content under the same key is refused), the audit row carries
//! the client's address, and a taken code is a field error even when two requests race for it.

use crate::common;

use app::server::demo::DEMO_PASSWORD;
use app::server::Db;
use common::sign_in;
use serde_json::Value;

async fn one<T>(db: &Db, sql: &str) -> T
where
    T: Send + Unpin + for<'r> sqlx::FromRow<'r, sqlx::any::AnyRow>,
{
    sqlx::query_as(sql).fetch_one(db.reader()).await.unwrap()
}

http_test!(
    admin_creates_replay_one_key_and_refuse_it_for_other_content,
    |app| {
        let admin = sign_in(&app, "demo-admin", DEMO_PASSWORD).await;
        let creates: [(&str, &str, &str, &str); 4] = [
        (
            "/api/admin/hospitals/save",
            "hospital",
            "input[facility_code]=98765&input[subdistrict_code]=400101&input[kind]=other&input[name_th]=",
            "โรงพยาบาลทดสอบ",
        ),
        (
            "/api/admin/catalog/save",
            "equipment_item",
            "input[code]=test_item&input[name_en]=x&input[unit_th]=x&input[unit_en]=x&input[reference_price]=100&input[name_th]=",
            "รายการทดสอบ",
        ),
        (
            "/api/admin/partners/save",
            "partner",
            "input[kind]=temple&input[name_th]=",
            "วัดทดสอบ",
        ),
        (
            "/api/admin/campaigns/create",
            "campaign",
            "input[goal]=1000&input[starts_on]=2026-12-01&input[ends_on]=2026-12-31&input[title_th]=",
            "ผ้าป่าทดสอบ",
        ),
    ];
        for (path, table, body, name) in creates {
            let count = || async {
                let (n,): (i64,) = one(&app.db, &format!("select count(*) from {table}")).await;
                n
            };
            let before = count().await;
            let send = |name: String, key: &'static str| {
                let (app, admin) = (&app, admin.clone());
                let body = format!("{body}{name}&input[idempotency_key]={key}");
                async move { common::post_as(app, Some(&admin), path, &body).await }
            };
            let first = send(name.to_owned(), "key-one-abcdef").await;
            assert_eq!(first.status(), 200, "{path}");
            let first = first.text().await.unwrap();
            let again = send(name.to_owned(), "key-one-abcdef").await;
            assert_eq!(again.status(), 200, "{path} replayed");
            assert_eq!(
                again.text().await.unwrap(),
                first,
                "{path}: the same answer"
            );
            assert_eq!(count().await, before + 1, "{path}: one row");
            let other = send(format!("{name}อื่น"), "key-one-abcdef").await;
            assert_eq!(other.status(), 409, "{path}: the key of another request");
            let keyless =
                common::post_as(&app, Some(&admin), path, &format!("{body}{name}x")).await;
            assert_eq!(keyless.status(), 422, "{path}: a create needs a key");
            assert_eq!(count().await, before + 1, "{path}: still one row");
        }
        let (address,): (Option<String>,) = one(
        &app.db,
        "select client_address from audit_log where action = 'hospital_created' order by seq desc limit 1",
    )
    .await;
        assert_eq!(
            address.as_deref(),
            Some("127.0.0.1"),
            "the client's address"
        );
    }
);

http_test!(
    a_taken_code_is_a_field_error_even_when_requests_race,
    |app| {
        let admin = sign_in(&app, "demo-admin", DEMO_PASSWORD).await;
        let forms = [
        (
            "/api/admin/hospitals/save",
            "facility_code",
            "input[facility_code]=97531&input[name_th]=x&input[subdistrict_code]=400101&input[kind]=other",
        ),
        (
            "/api/admin/catalog/save",
            "code",
            "input[code]=raced_item&input[name_th]=x&input[name_en]=x&input[unit_th]=x&input[unit_en]=x&input[reference_price]=100",
        ),
    ];
        for (path, field, body) in forms {
            let sends = (0..8).map(|i| {
                let client = app.client.clone();
                let url = format!("{}{path}", app.base);
                let body = format!("{body}&input[idempotency_key]=race-key-{i:04}");
                let admin = admin.clone();
                tokio::spawn(async move {
                    let r = client
                        .post(url)
                        .header("cookie", admin)
                        .header("content-type", "application/x-www-form-urlencoded")
                        .body(body)
                        .send()
                        .await
                        .unwrap();
                    let status = r.status().as_u16();
                    (status, r.text().await.unwrap())
                })
            });
            let mut answers = Vec::new();
            for send in sends.collect::<Vec<_>>() {
                answers.push(send.await.unwrap());
            }
            let ok = answers.iter().filter(|(s, _)| *s == 200).count();
            assert_eq!(ok, 1, "{path}: {answers:?}");
            for (status, body) in answers.iter().filter(|(s, _)| *s != 200) {
                assert_eq!(*status, 422, "{path}: {body}");
                let body: Value = serde_json::from_str(body).unwrap();
                assert_eq!(body["Validation"][0]["field"], field);
            }
        }
    }
);
