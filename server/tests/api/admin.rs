//! Campaign administration over HTTP and at the service, on SQLite and PostgreSQL: a published
//! campaign's receiving account changes only by a request that another person (a finance
//! officer) approves, and edits are audited field by field with the client's address. (Creates
//! are in `admin_creates.rs`.)

use crate::common;

use app::model::account::{AccountId, CurrentUser, Role};
use app::model::admin::PayeeInput;
use app::model::CampaignId;
use app::server::demo::{DEMO_PASSWORD, DEMO_PROMPTPAY};
use app::server::service::campaigns::payee;
use app::server::{Caller, Db};
use common::{get_as, post_pairs, sign_in, TestApp};
use serde_json::Value;

/// Campaign `id`'s edit form exactly as stored, as `(field, value)` pairs ready to post.
async fn stored_form(app: &TestApp, cookie: &str, id: i64) -> Vec<(String, String)> {
    let body: Value = post_pairs(
        app,
        Some(cookie),
        "/api/admin/campaigns/get",
        &[("id", id.to_string())],
    )
    .await
    .json()
    .await
    .unwrap();
    let mut form = vec![("id".to_owned(), id.to_string())];
    for (name, value) in body["input"].as_object().unwrap() {
        form.push((format!("input[{name}]"), value.as_str().unwrap().to_owned()));
    }
    form
}

fn with(form: &[(String, String)], field: &str, value: &str) -> Vec<(String, String)> {
    let key = format!("input[{field}]");
    form.iter()
        .map(|(k, v)| {
            let v = if *k == key {
                value.to_owned()
            } else {
                v.clone()
            };
            (k.clone(), v)
        })
        .collect()
}

async fn post_form(
    app: &TestApp,
    cookie: &str,
    path: &str,
    form: &[(String, String)],
) -> reqwest::Response {
    let pairs: Vec<(&str, String)> = form.iter().map(|(k, v)| (k.as_str(), v.clone())).collect();
    post_pairs(app, Some(cookie), path, &pairs).await
}

async fn one<T>(db: &Db, sql: &str) -> T
where
    T: Send + Unpin + for<'r> sqlx::FromRow<'r, sqlx::any::AnyRow>,
{
    sqlx::query_as(sql).fetch_one(db.reader()).await.unwrap()
}

/// The newest audit row with this action: its detail and client address.
async fn last_audit(db: &Db, action: &str) -> (String, Option<String>) {
    one(
        db,
        &format!(
            "select detail, client_address from audit_log where action = '{action}' order by seq desc limit 1"
        ),
    )
    .await
}

fn fields_of(body: &Value) -> Vec<String> {
    body["Validation"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["field"].as_str().unwrap().to_owned())
        .collect()
}

http_test!(
    a_published_campaigns_payee_cannot_be_edited_directly,
    |app| {
        let admin = sign_in(&app, "demo-admin", DEMO_PASSWORD).await;
        let form = stored_form(&app, &admin, 1).await;
        let swapped = with(
            &with(&form, "promptpay_id", "0812345678"),
            "bank_account_no",
            "999-9",
        );
        let refused = post_form(&app, &admin, "/api/admin/campaigns/update", &swapped).await;
        assert_eq!(refused.status(), 422, "campaign 1 is open");
        let body: Value = refused.json().await.unwrap();
        assert_eq!(fields_of(&body), ["promptpay_id", "bank_account_no"]);
        let message = &body["Validation"][0];
        assert!(message["th"].as_str().unwrap().contains("คำขอ"));
        assert!(message["en"].as_str().unwrap().contains("change request"));
        let (promptpay,): (String,) = one(
            &app.db,
            "select promptpay_id from campaign where campaign_id = 1",
        )
        .await;
        assert_eq!(promptpay, DEMO_PROMPTPAY);
        // Other fields of the open campaign still change, with the account resent as it is.
        let retitled = with(&form, "title_en", "A new English title");
        let saved = post_form(&app, &admin, "/api/admin/campaigns/update", &retitled).await;
        assert_eq!(saved.status(), 200);

        // A draft's account is edited directly.
        let created = post_pairs(
            &app,
            Some(&admin),
            "/api/admin/campaigns/create",
            &[
                ("input[title_th]", "ร่าง".into()),
                ("input[goal]", "1000".into()),
                ("input[starts_on]", "2026-12-01".into()),
                ("input[ends_on]", "2026-12-31".into()),
                ("input[promptpay_id]", "0812345678".into()),
                ("input[idempotency_key]", "draft-for-payee-edit".into()),
            ],
        )
        .await;
        assert_eq!(created.status(), 200);
        let draft: i64 = created.json().await.unwrap();
        let form = stored_form(&app, &admin, draft).await;
        let edited = post_form(
            &app,
            &admin,
            "/api/admin/campaigns/update",
            &with(&form, "promptpay_id", "0898765432"),
        )
        .await;
        assert_eq!(edited.status(), 200);
    }
);

http_test!(a_payee_change_needs_a_finance_officers_approval, |app| {
    let admin = sign_in(&app, "demo-admin", DEMO_PASSWORD).await;
    let finance = sign_in(&app, "demo-finance", DEMO_PASSWORD).await;
    let ask = |promptpay: &'static str| {
        let (app, admin) = (&app, admin.clone());
        async move {
            post_pairs(
                app,
                Some(&admin),
                "/api/admin/campaigns/payee-change",
                &[
                    ("id", "1".into()),
                    ("input[promptpay_id]", promptpay.into()),
                    ("input[bank_name]", "ธนาคารใหม่".into()),
                    ("input[bank_account_no]", "000-0-00000-0".into()),
                    (
                        "input[bank_account_name]",
                        "มูลนิธิเพื่อผู้ป่วยติดบ้านติดเตียง (ตัวอย่าง)".into(),
                    ),
                    ("input[note]", "บัญชีเดิมปิดแล้ว".into()),
                ],
            )
            .await
        }
    };
    let form_page = get_as(&app, Some(&admin), "/admin/campaigns/1")
        .await
        .text()
        .await
        .unwrap();
    assert!(
        form_page.contains(r#"name="input[note]""#) && form_page.contains(DEMO_PROMPTPAY),
        "the request form, filled with the account as it is"
    );
    let asked = ask("081-234-5678").await;
    assert_eq!(asked.status(), 200);
    let request: i64 = asked.json().await.unwrap();
    assert_eq!(
        ask("0899999999").await.status(),
        409,
        "one request waits at a time"
    );

    // Both pages show the waiting request.
    let admin_page = get_as(&app, Some(&admin), "/admin/campaigns/1")
        .await
        .text()
        .await
        .unwrap();
    assert!(admin_page.contains("รออนุมัติ") && admin_page.contains("0812345678"));
    assert!(
        !admin_page.contains(r#"name="input[note]""#),
        "no second request form while one waits"
    );
    let finance_page = get_as(&app, Some(&finance), "/finance")
        .await
        .text()
        .await
        .unwrap();
    assert!(finance_page.contains("0812345678") && finance_page.contains("อนุมัติและใช้บัญชีใหม่"));
    assert!(
        finance_page.contains(r#"name="reason""#) && finance_page.contains(r#"name="approve""#)
    );

    let decide = |cookie: &str, approve: bool, reason: &str| {
        let (app, cookie, reason) = (&app, cookie.to_owned(), reason.to_owned());
        async move {
            post_pairs(
                app,
                Some(&cookie),
                "/api/finance/payee-changes/decide",
                &[
                    ("request", request.to_string()),
                    ("approve", approve.to_string()),
                    ("reason", reason),
                ],
            )
            .await
            .status()
        }
    };
    assert_eq!(
        decide(&admin, true, "").await,
        403,
        "administrators do not decide"
    );
    assert_eq!(
        decide(&finance, false, " ").await,
        422,
        "a rejection needs a reason"
    );
    let (promptpay,): (String,) = one(
        &app.db,
        "select promptpay_id from campaign where campaign_id = 1",
    )
    .await;
    assert_eq!(promptpay, DEMO_PROMPTPAY, "nothing changes before approval");
    assert_eq!(decide(&finance, true, "").await, 200);
    assert_eq!(decide(&finance, true, "").await, 409, "decided once");

    let (promptpay, bank): (String, String) = one(
        &app.db,
        "select promptpay_id, bank_name from campaign where campaign_id = 1",
    )
    .await;
    assert_eq!(
        (promptpay.as_str(), bank.as_str()),
        ("0812345678", "ธนาคารใหม่")
    );
    let (status, decided_by): (String, String) = one(
        &app.db,
        "select x.status, a.username from campaign_payee_change x join account a on a.account_id = x.decided_by",
    )
    .await;
    assert_eq!(
        (status.as_str(), decided_by.as_str()),
        ("approved", "demo-finance")
    );
    let (detail, address) = last_audit(&app.db, "payee_change_approved").await;
    assert_eq!(
        detail,
        format!(
            r#"request {request}: promptpay_id: "{DEMO_PROMPTPAY}" → "0812345678"; bank_name: "ธนาคารตัวอย่าง" → "ธนาคารใหม่""#
        )
    );
    assert_eq!(address.as_deref(), Some("127.0.0.1"));
    let refused = sqlx::query("delete from campaign_payee_change")
        .execute(app.db.reader())
        .await;
    assert!(refused.is_err(), "requests are history");
});

on_both_engines!(
    whoever_asks_for_a_payee_change_cannot_decide_it,
    |db: Db| async move {
        app::server::demo::load_if_empty(&db, app::server::today())
            .await
            .unwrap();
        let (admin_id,): (i64,) = one(
            &db,
            "select account_id from account where username = 'demo-admin'",
        )
        .await;
        let admin = CurrentUser {
            account_id: AccountId(admin_id),
            username: "demo-admin".into(),
            display_name: "Admin".into(),
            role: Role::Administrator,
        };
        let input = PayeeInput {
            promptpay_id: "0812345678".into(),
            ..Default::default()
        };
        let request = payee::request_change(&db, &Caller::signed_in(&admin), CampaignId(1), &input)
            .await
            .unwrap();
        // The same person, now a finance officer, still cannot decide their own request.
        let same_person = CurrentUser {
            role: Role::FinanceOfficer,
            ..admin.clone()
        };
        let own = payee::decide(&db, &Caller::signed_in(&same_person), request, true, "").await;
        assert_eq!(own.unwrap_err().status(), 409);
        let (status,): (String,) = one(&db, "select status from campaign_payee_change").await;
        assert_eq!(status, "pending");
    }
);

http_test!(
    a_campaign_edit_audits_every_changed_field_before_and_after,
    |app| {
        let admin = sign_in(&app, "demo-admin", DEMO_PASSWORD).await;
        let form = stored_form(&app, &admin, 1).await;
        let mut edited = with(&form, "story_en", "Why we give");
        edited = with(&edited, "ceremony_place_th", "ศาลาใหม่");
        edited = with(&edited, "goal", "650,000");
        edited = with(&edited, "recipient_address", "1 ถนนมิตรภาพ");
        let saved = post_form(&app, &admin, "/api/admin/campaigns/update", &edited).await;
        assert_eq!(saved.status(), 200);
        let (detail, address) = last_audit(&app.db, "campaign_updated").await;
        let value = |field: &str| {
            form.iter()
                .find(|(k, _)| *k == format!("input[{field}]"))
                .map(|(_, v)| v.clone())
                .unwrap()
        };
        assert_eq!(
            detail,
            format!(
                "story_en: \"{}\" → \"Why we give\"; goal: \"฿600,000.00\" → \"฿650,000.00\"; \
             ceremony_place_th: \"{}\" → \"ศาลาใหม่\"; recipient_address: \"{}\" → \"1 ถนนมิตรภาพ\"",
                value("story_en"),
                value("ceremony_place_th"),
                value("recipient_address"),
            )
        );
        assert_eq!(
            address.as_deref(),
            Some("127.0.0.1"),
            "the client's address"
        );
    }
);
