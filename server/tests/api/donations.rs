//! Donations end to end over HTTP, on SQLite and PostgreSQL: recording and receipts, pledges with
//! their PromptPay QR, confirmation and voids, bad input, idempotency under concurrent sends,
//! 1,000 donations from 16 clients, ceremony-night batches, and look-up limits.

use crate::common;

use app::model::promptpay::crc16_ccitt_false;
use app::server::demo::DEMO_PASSWORD;
use common::{get_as, post_as, post_pairs, sign_in, TestApp};
use serde_json::Value;
use std::time::Instant;

/// A client of its own for a concurrent sender, with the same one-minute limit.
fn app_client() -> reqwest::Client {
    reqwest::Client::builder()
        .timeout(std::time::Duration::from_secs(60))
        .build()
        .unwrap()
}

fn key() -> String {
    format!("test-{:032x}", rand::random::<u128>())
}

/// A cash gift of `amount` to campaign 1 with a fresh key.
fn gift(amount: &str) -> Vec<(&'static str, String)> {
    vec![
        ("input[campaign_id]", "1".into()),
        ("input[channel]", "cash".into()),
        ("input[amount]", amount.into()),
        ("input[idempotency_key]", key()),
    ]
}

async fn books_balance(app: &TestApp) {
    let violations = app::server::ledger::check(&app.db).await.unwrap();
    assert!(violations.is_empty(), "{violations:?}");
}

/// (raised satang, received donations, donors, open pledges) of a campaign, from its aggregate.
async fn fund(app: &TestApp, campaign: i64) -> (i64, i64, i64, i64) {
    sqlx::query_as(
        "select raised_satang, donation_count, donor_count, pledged_count from campaign_fund where campaign_id = $1",
    )
    .bind(campaign)
    .fetch_one(app.db.reader())
    .await
    .unwrap()
}

async fn donations_stored(app: &TestApp) -> i64 {
    let (n,): (i64,) = sqlx::query_as("select count(*) from donation")
        .fetch_one(app.db.reader())
        .await
        .unwrap();
    n
}

http_test!(
    a_recorded_gift_is_received_with_the_next_receipt_number,
    |app| {
        let finance = sign_in(&app, "demo-finance", DEMO_PASSWORD).await;
        let (last,): (i64,) = sqlx::query_as("select max(last_number) from receipt_counter")
            .fetch_one(app.db.reader())
            .await
            .unwrap();
        let before = fund(&app, 1).await;
        let mut form = gift("1,234.50");
        form.push(("input[donor_name]", "คุณทดสอบ ใจบุญ".into()));
        form.push(("input[show_name]", "true".into()));
        form.push(("input[national_id]", "1-2345-67890-12-1".into()));
        let response = post_pairs(&app, Some(&finance), "/api/donations/record", &form).await;
        assert_eq!(response.status(), 200);
        let created: Value = response.json().await.unwrap();
        let reference = created["reference"].as_str().unwrap().to_owned();
        assert_eq!(created["receipt"]["number"], last + 1, "the next number");
        let after = fund(&app, 1).await;
        assert_eq!(after.0 - before.0, 123_450, "exact to the satang");
        assert_eq!(after.1 - before.1, 1);

        let page = app.get("/campaigns/1").await.text().await.unwrap();
        assert!(
            page.contains("คุณทดสอบ ใจบุญ"),
            "a consenting donor's name is public"
        );

        let public = get_as(&app, None, &format!("/donations/{reference}")).await;
        assert_eq!(public.status(), 200);
        let public = public.text().await.unwrap();
        assert!(
            public.contains("1-2345-xxxxx-xx-1"),
            "masked for the public"
        );
        assert!(!public.contains("1-2345-67890-12-1") && !public.contains("1234567890121"));
        let private = get_as(&app, Some(&finance), &format!("/donations/{reference}"))
            .await
            .text()
            .await
            .unwrap();
        assert!(private.contains("1-2345-67890-12-1"), "whole for finance");

        let receipt = app
            .get(&format!("/donations/{reference}/receipt"))
            .await
            .text()
            .await
            .unwrap();
        assert!(receipt.contains("หนึ่งพันสองร้อยสามสิบสี่บาทห้าสิบสตางค์"));
        assert!(receipt.contains(&format!("/{:06}", last + 1)));
        assert!(
            receipt.contains("0-0000-00000-00-1"),
            "the recipient's tax ID"
        );
        assert!(receipt.contains("@page { size: A5"));
        let a4 = app
            .get(&format!("/donations/{reference}/receipt?paper=a4"))
            .await
            .text()
            .await
            .unwrap();
        assert!(a4.contains("@page { size: A4"));
        books_balance(&app).await;
    }
);

http_test!(
    bad_input_is_refused_field_by_field_and_nothing_is_stored,
    |app| {
        let finance = sign_in(&app, "demo-finance", DEMO_PASSWORD).await;
        let stored = donations_stored(&app).await;
        let thirty_digits = "9".repeat(30);
        for amount in [
            "-1",
            "0",
            "0.001",
            "1e30",
            "NaN",
            "",
            "100,00",
            thirty_digits.as_str(),
        ] {
            let response =
                post_pairs(&app, Some(&finance), "/api/donations/record", &gift(amount)).await;
            assert_eq!(response.status(), 422, "amount {amount:?}");
            let body: Value = response.json().await.unwrap();
            let fields = &body["Validation"];
            assert_eq!(fields[0]["field"], "amount", "{amount:?}: {body}");
            assert!(!fields[0]["th"].as_str().unwrap().is_empty());
            assert!(!fields[0]["en"].as_str().unwrap().is_empty());
        }
        let mut bad_id = gift("100");
        bad_id.push(("input[national_id]", "1234567890122".into()));
        let mut long_name = gift("100");
        long_name.push(("input[donor_name]", "ก".repeat(201)));
        for (form, field) in [(bad_id, "national_id"), (long_name, "donor_name")] {
            let response = post_pairs(&app, Some(&finance), "/api/donations/record", &form).await;
            assert_eq!(response.status(), 422);
            let body: Value = response.json().await.unwrap();
            assert_eq!(body["Validation"][0]["field"], field);
        }
        // Campaign 3 of the demo is closed.
        let closed = post_pairs(
            &app,
            None,
            "/api/donations/pledge",
            &[
                ("input[campaign_id]", "3".into()),
                ("input[amount]", "500".into()),
                ("input[idempotency_key]", key()),
            ],
        )
        .await;
        assert_eq!(closed.status(), 422);
        let body: Value = closed.json().await.unwrap();
        assert_eq!(body["Validation"][0]["field"], "campaign_id");
        assert_eq!(donations_stored(&app).await, stored, "nothing stored");
    }
);

http_test!(a_pledge_shows_its_qr_then_is_confirmed_then_voided, |app| {
    let before = fund(&app, 1).await;
    // Without JavaScript: a plain form post that accepts HTML is redirected to the donation.
    let response = app
        .client
        .post(format!("{}/api/donations/pledge", app.base))
        .header("accept", "text/html")
        .form(&[
            ("input[campaign_id]", "1".to_owned()),
            ("input[amount]", "500".to_owned()),
            ("input[donor_name]", "คุณผู้ให้".to_owned()),
            ("input[idempotency_key]", key()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 302);
    let location = response.headers()["location"].to_str().unwrap().to_owned();
    assert!(location.starts_with("/donations/PP-"), "{location}");
    let reference = location.trim_start_matches("/donations/").to_owned();
    let pledged = fund(&app, 1).await;
    assert_eq!(pledged.0, before.0, "a pledge is not money yet");
    assert_eq!(pledged.3, before.3 + 1);

    let page = app.get(&location).await.text().await.unwrap();
    assert!(
        page.contains("<svg ")
            && page.contains("class=\"qr\"")
            && page.contains("<path d=\"M4 4h7v1h-7z"),
        "an inline SVG QR code"
    );
    let payload = page
        .split("data-payload=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap();
    assert!(payload.starts_with("000201010212"), "{payload}");
    assert!(
        payload.contains("01130066123456789"),
        "the demo PromptPay mobile"
    );
    assert!(
        payload.contains("5406500.00") && payload.contains("5303764") && payload.contains("5802TH")
    );
    let (body, crc) = payload.split_at(payload.len() - 4);
    assert_eq!(crc, format!("{:04X}", crc16_ccitt_false(body.as_bytes())));
    let png = app.get(&format!("{location}/qr.png")).await;
    assert_eq!(png.status(), 200);
    assert_eq!(png.headers()["content-type"], "image/png");

    let finance = sign_in(&app, "demo-finance", DEMO_PASSWORD).await;
    let bad_channel = post_pairs(
        &app,
        Some(&finance),
        "/api/donations/confirm",
        &[
            ("reference", reference.clone()),
            ("channel", "in_kind".into()),
        ],
    )
    .await;
    assert_eq!(bad_channel.status(), 422);
    let confirm = post_pairs(
        &app,
        Some(&finance),
        "/api/donations/confirm",
        &[
            ("reference", reference.clone()),
            ("channel", "bank_transfer".into()),
        ],
    )
    .await;
    assert_eq!(confirm.status(), 200);
    let (channel,): (String,) =
        sqlx::query_as("select channel from donation where reference_code = $1")
            .bind(&reference)
            .fetch_one(app.db.reader())
            .await
            .unwrap();
    assert_eq!(channel, "bank_transfer", "recorded as the money arrived");
    let received = fund(&app, 1).await;
    assert_eq!(received.0 - before.0, 50_000);
    assert_eq!(received.3, before.3);
    let again = post_pairs(
        &app,
        Some(&finance),
        "/api/donations/confirm",
        &[("reference", reference.clone())],
    )
    .await;
    assert_eq!(again.status(), 409, "confirmed only once");
    let body: Value = again.json().await.unwrap();
    assert!(body["StateConflict"]["th"]
        .as_str()
        .unwrap()
        .contains("รอรับเงิน"));
    assert!(body["StateConflict"]["en"]
        .as_str()
        .unwrap()
        .contains("already confirmed"));
    let page = app.get(&location).await.text().await.unwrap();
    assert!(page.contains("ใบเสร็จรับเงิน") && !page.contains("data-payload"));

    let no_reason = post_pairs(
        &app,
        Some(&finance),
        "/api/donations/void",
        &[("reference", reference.clone())],
    )
    .await;
    assert_eq!(no_reason.status(), 422);
    let void = post_pairs(
        &app,
        Some(&finance),
        "/api/donations/void",
        &[
            ("reference", reference.clone()),
            ("reason", "โอนซ้ำ ธนาคารคืนเงินแล้ว".into()),
        ],
    )
    .await;
    assert_eq!(void.status(), 200);
    assert_eq!(fund(&app, 1).await.0, before.0, "reversed");
    let receipt = app
        .get(&format!("{location}/receipt"))
        .await
        .text()
        .await
        .unwrap();
    assert!(
        receipt.contains("ยกเลิก · VOID"),
        "the receipt keeps its number, marked void"
    );
    let twice = post_pairs(
        &app,
        Some(&finance),
        "/api/donations/void",
        &[
            ("reference", reference.clone()),
            ("reason", "again and again".into()),
        ],
    )
    .await;
    assert_eq!(twice.status(), 409);
    let (entries,): (i64,) = sqlx::query_as(
        "select count(*) from journal_entry e join donation d on d.donation_id = e.donation_id where d.reference_code = $1",
    )
    .bind(&reference)
    .fetch_one(app.db.reader())
    .await
    .unwrap();
    assert_eq!(entries, 2, "received, then its visible reversal");
    books_balance(&app).await;
});

http_test!(
    one_key_sent_fifty_times_at_once_records_one_donation,
    |app| {
        let finance = sign_in(&app, "demo-finance", DEMO_PASSWORD).await;
        let stored = donations_stored(&app).await;
        let form = gift("777");
        let sends: Vec<_> = (0..50)
            .map(|_| {
                let (client, url) = (
                    app.client.clone(),
                    format!("{}/api/donations/record", app.base),
                );
                let (finance, form) = (finance.clone(), form.clone());
                tokio::spawn(async move {
                    let r = client
                        .post(url)
                        .header("cookie", finance)
                        .form(&form)
                        .send()
                        .await
                        .unwrap();
                    assert_eq!(r.status(), 200);
                    r.json::<Value>().await.unwrap()["reference"]
                        .as_str()
                        .unwrap()
                        .to_owned()
                })
            })
            .collect();
        let mut references = Vec::new();
        for send in sends {
            references.push(send.await.unwrap());
        }
        assert!(
            references.windows(2).all(|w| w[0] == w[1]),
            "one answer, replayed"
        );
        assert_eq!(donations_stored(&app).await, stored + 1);

        let mut other = form.clone();
        other[2].1 = "778".into();
        let conflict = post_pairs(&app, Some(&finance), "/api/donations/record", &other).await;
        assert_eq!(conflict.status(), 409, "same key, other content");
        books_balance(&app).await;
    }
);

http_test!(
    a_thousand_donations_from_sixteen_clients_are_all_counted,
    |app| {
        const CLIENTS: usize = 16;
        const DONATIONS: usize = 1000;
        let finance = sign_in(&app, "demo-finance", DEMO_PASSWORD).await;
        let before = fund(&app, 1).await;
        let (receipts_before,): (i64,) = sqlx::query_as("select count(*) from receipt")
            .fetch_one(app.db.reader())
            .await
            .unwrap();
        let started = Instant::now();
        let mut tasks = Vec::new();
        for client in 0..CLIENTS {
            let (base, finance) = (app.base.clone(), finance.clone());
            tasks.push(tokio::spawn(async move {
                let http = app_client();
                let mut sum = 0i64;
                for i in (client..DONATIONS).step_by(CLIENTS) {
                    let satang = 100 + i64::try_from(i).unwrap() * 7 + 1;
                    let amount = format!("{}.{:02}", satang / 100, satang % 100);
                    let r = http
                        .post(format!("{base}/api/donations/record"))
                        .header("cookie", &finance)
                        .form(&[
                            ("input[campaign_id]", "1".to_owned()),
                            ("input[channel]", "cash".to_owned()),
                            ("input[amount]", amount),
                            (
                                "input[idempotency_key]",
                                format!("load-{client}-{i}-{}", key()),
                            ),
                        ])
                        .send()
                        .await
                        .unwrap();
                    assert_eq!(r.status(), 200);
                    sum += satang;
                }
                sum
            }));
        }
        let mut total = 0;
        for t in tasks {
            total += t.await.unwrap();
        }
        let millis = started.elapsed().as_millis().max(1);
        eprintln!(
            "concurrency ({:?}): {DONATIONS} donations from {CLIENTS} clients in {millis} ms = {} donations/s",
            app.db.engine(),
            DONATIONS as u128 * 1000 / millis
        );
        let after = fund(&app, 1).await;
        assert_eq!(after.0 - before.0, total, "the total is exact");
        assert_eq!(after.1 - before.1, DONATIONS as i64, "all present");
        let (receipts, distinct): (i64, i64) = sqlx::query_as(
        "select count(*), count(distinct cast(legal_recipient_id as text) || '/' || cast(fiscal_year as text) || '/' || cast(number as text)) from receipt",
    )
    .fetch_one(app.db.reader())
    .await
    .unwrap();
        assert_eq!(receipts - receipts_before, DONATIONS as i64);
        assert_eq!(receipts, distinct, "receipt numbers are unique");
        books_balance(&app).await; // includes: numbers run 1..N without gaps
    }
);

http_test!(
    a_ceremony_batch_balances_before_it_closes_and_then_issues_receipts,
    |app| {
        let finance = sign_in(&app, "demo-finance", DEMO_PASSWORD).await;
        let f = Some(finance.as_str());
        let open = post_pairs(
            &app,
            f,
            "/api/batches/open",
            &[
                ("input[campaign_id]", "1".into()),
                ("input[label]", "ซองผ้าป่า รอบค่ำ".into()),
                ("input[expected_count]", "3".into()),
                ("input[expected_total]", "600".into()),
                ("input[idempotency_key]", key()),
            ],
        )
        .await;
        assert_eq!(open.status(), 200);
        let batch: i64 = open.json().await.unwrap();
        let row = |amount: &str, key: &str| {
            vec![
                ("input[batch_id]", batch.to_string()),
                ("input[amount]", amount.to_owned()),
                ("input[idempotency_key]", key.to_owned()),
            ]
        };
        let first = post_pairs(&app, f, "/api/batches/add", &row("100", "row-key-0001")).await;
        assert_eq!(first.status(), 200);
        let second: Value = post_pairs(&app, f, "/api/batches/add", &row("200", "row-key-0002"))
            .await
            .json()
            .await
            .unwrap();
        // The page resends after a dropped answer: the same row, the same key.
        let resent: Value = post_pairs(&app, f, "/api/batches/add", &row("200", "row-key-0002"))
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(second["reference"], resent["reference"]);
        let unbalanced =
            post_pairs(&app, f, "/api/batches/close", &[("id", batch.to_string())]).await;
        assert_eq!(unbalanced.status(), 422, "2 of 3 envelopes");
        let body: Value = unbalanced.json().await.unwrap();
        assert_eq!(body["Validation"][0]["field"], "reason");
        books_balance(&app).await; // open-batch rows may wait for their receipts

        post_pairs(&app, f, "/api/batches/add", &row("300", "row-key-0003")).await;
        let closed = post_pairs(&app, f, "/api/batches/close", &[("id", batch.to_string())]).await;
        assert_eq!(closed.status(), 200);
        assert_eq!(closed.json::<Value>().await.unwrap(), 3, "three receipts");
        let numbers: Vec<(i64,)> = sqlx::query_as(
            "select r.number from receipt r join donation d on d.donation_id = r.donation_id
         where d.donation_batch_id = $1 order by d.donation_id",
        )
        .bind(batch)
        .fetch_all(app.db.reader())
        .await
        .unwrap();
        assert!(
            numbers.windows(2).all(|w| w[1].0 == w[0].0 + 1),
            "in typed order: {numbers:?}"
        );
        let late = post_pairs(&app, f, "/api/batches/add", &row("50", "row-key-0004")).await;
        assert_eq!(late.status(), 409);

        // A batch that cannot balance closes with a written reason, which it keeps.
        let open = post_pairs(
            &app,
            f,
            "/api/batches/open",
            &[
                ("input[campaign_id]", "1".into()),
                ("input[label]", "โต๊ะ 2".into()),
                ("input[expected_count]", "2".into()),
                ("input[expected_total]", "1000".into()),
                ("input[idempotency_key]", key()),
            ],
        )
        .await;
        let short: i64 = open.json().await.unwrap();
        post_pairs(
            &app,
            f,
            "/api/batches/add",
            &[
                ("input[batch_id]", short.to_string()),
                ("input[amount]", "500".into()),
                ("input[idempotency_key]", key()),
            ],
        )
        .await;
        let reason = "ซองหนึ่งว่างเปล่า นับซ้ำแล้ว";
        let closed = post_pairs(
            &app,
            f,
            "/api/batches/close",
            &[("id", short.to_string()), ("reason", reason.into())],
        )
        .await;
        assert_eq!(closed.status(), 200);
        let page = get_as(&app, f, &format!("/finance/batches/{short}"))
            .await
            .text()
            .await
            .unwrap();
        assert!(page.contains(reason));
        books_balance(&app).await;
    }
);

http_test!(unknown_references_are_rate_limited_per_client, |app| {
    let missing = "/donations/PP-2222-2222-2222-2222";
    for _ in 0..app::server::lookup_limit::MAX_MISSES {
        assert_eq!(app.get(missing).await.status(), 404);
    }
    let blocked = app.get(missing).await;
    assert_eq!(blocked.status(), 429);
    assert!(
        blocked.headers().contains_key("retry-after"),
        "the page says when"
    );
    let api = post_as(
        &app,
        None,
        "/api/donations/get",
        "reference=PP-3333-3333-3333-3333",
    )
    .await;
    assert_eq!(api.status(), 429);
    assert!(
        api.headers().contains_key("retry-after"),
        "the API says when"
    );
    let png = app.get("/donations/PP-4444-4444-4444-4444/qr.png").await;
    assert_eq!(png.status(), 429);
    assert!(png.headers().contains_key("retry-after"));
});

http_test!(
    the_e_donation_export_lists_a_recipients_receipts_for_finance_only,
    |app| {
        let finance = sign_in(&app, "demo-finance", DEMO_PASSWORD).await;
        let mut form = gift("2,500");
        form.push(("input[donor_name]", "บริษัท ตัวอย่าง จำกัด".into()));
        form.push(("input[national_id]", "0000000000001".into()));
        let created: Value = post_pairs(&app, Some(&finance), "/api/donations/record", &form)
            .await
            .json()
            .await
            .unwrap();
        let (recipient,): (i64,) =
            sqlx::query_as("select legal_recipient_id from campaign where campaign_id = 1")
                .fetch_one(app.db.reader())
                .await
                .unwrap();
        let today = app::server::today();
        let year = app::model::donation::fiscal_year(today);
        let (year_start, _) = app::model::donation::fiscal_year_days(year).unwrap();
        let path =
            format!("/finance/e-donation.csv?recipient={recipient}&from={year_start}&to={today}");
        assert_eq!(get_as(&app, None, &path).await.status(), 401);
        let admin = sign_in(&app, "demo-admin", DEMO_PASSWORD).await;
        assert_eq!(get_as(&app, Some(&admin), &path).await.status(), 403);
        let csv = get_as(&app, Some(&finance), &path).await;
        assert_eq!(csv.status(), 200);
        assert!(csv.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/csv"));
        let text = csv.text().await.unwrap();
        let number = format!(
            "{}/{:06}",
            created["receipt"]["fiscal_year"],
            created["receipt"]["number"].as_i64().unwrap()
        );
        let line = text
            .lines()
            .find(|l| l.starts_with(&number))
            .unwrap_or_else(|| panic!("{number} in the export"));
        assert!(line.contains(",0000000000001,บริษัท ตัวอย่าง จำกัด,2500.00,cash,valid,"));
        let (receipts,): (i64,) = sqlx::query_as(
            "select count(*) from receipt where legal_recipient_id = $1 and fiscal_year = $2",
        )
        .bind(recipient)
        .bind(i64::from(year))
        .fetch_one(app.db.reader())
        .await
        .unwrap();
        assert_eq!(
            text.lines().count() as i64,
            receipts + 1,
            "every receipt of the fiscal year and a header"
        );
        // One fiscal year at most, and nothing far in the future (it used to panic).
        let refused = [
            format!("from={}&to={today}", year_start - chrono::Duration::days(1)),
            "from=2026-10-01&to=+262142-12-31".to_owned(),
            "from=+262142-12-31&to=+262142-12-31".to_owned(),
        ];
        for period in refused {
            let path = format!("/finance/e-donation.csv?recipient={recipient}&{period}");
            let answer = get_as(&app, Some(&finance), &path).await;
            assert_eq!(answer.status(), 422, "{period}");
        }
        let bad = get_as(
            &app,
            Some(&finance),
            &format!("/finance/e-donation.csv?recipient={recipient}&from=2026-13-01&to=2026-12-01"),
        )
        .await;
        assert_eq!(bad.status(), 422);
    }
);

http_test!(
    receipts_keep_their_recipient_and_it_cannot_change_under_them,
    |app| {
        let admin = sign_in(&app, "demo-admin", DEMO_PASSWORD).await;
        type Stored = (
            String,
            String,
            String,
            String,
            String,
            String,
            String,
            String,
        );
        let (title, starts, ends, promptpay, bank, number, account, recipient): Stored =
            sqlx::query_as(
                "select c.title_th, c.starts_on, c.ends_on, c.promptpay_id, c.bank_name, c.bank_account_no,
                   c.bank_account_name, r.name_th
                 from campaign c join legal_recipient r on r.legal_recipient_id = c.legal_recipient_id
                 where c.campaign_id = 1",
            )
            .fetch_one(app.db.reader())
            .await
            .unwrap();
        // The campaign's fields as stored (its receiving account included: it is open, so that
        // account changes only by an approved request), with another recipient typed in.
        let form = |tax_id: &str| {
            vec![
                ("id", "1".to_owned()),
                ("input[title_th]", title.clone()),
                ("input[goal]", "600000".into()),
                ("input[starts_on]", starts.clone()),
                ("input[ends_on]", ends.clone()),
                ("input[promptpay_id]", promptpay.clone()),
                ("input[bank_name]", bank.clone()),
                ("input[bank_account_no]", number.clone()),
                ("input[bank_account_name]", account.clone()),
                ("input[recipient_name_th]", "องค์กรอื่น".into()),
                ("input[recipient_tax_id]", tax_id.into()),
            ]
        };
        let refused = post_pairs(
            &app,
            Some(&admin),
            "/api/admin/campaigns/update",
            &form("3100500123458"),
        )
        .await;
        assert_eq!(
            refused.status(),
            422,
            "receipts exist in the demo recipient's name"
        );
        let body: Value = refused.json().await.unwrap();
        assert_eq!(body["Validation"][0]["field"], "recipient_tax_id");
        // The same recipient (a name change only) is allowed, and audited.
        let renamed = post_pairs(
            &app,
            Some(&admin),
            "/api/admin/campaigns/update",
            &form("0000000000001"),
        )
        .await;
        assert_eq!(renamed.status(), 200);
        let (detail,): (String,) = sqlx::query_as(
            "select detail from audit_log where action = 'campaign_updated' and record_id = '1'
             order by seq desc limit 1",
        )
        .fetch_one(app.db.reader())
        .await
        .unwrap();
        assert!(
            detail.contains(&format!("recipient_name_th: \"{recipient}\" → \"องค์กรอื่น\"")),
            "the rename is audited before and after: {detail}"
        );
        assert!(
            !detail.contains("recipient_tax_id"),
            "the tax ID stayed: {detail}"
        );
    }
);

/// A JSON pledge of `amount` to `campaign` with `key`; its reference.
async fn pledge_with_key(app: &TestApp, campaign: i64, amount: &str, key: &str) -> String {
    let response = post_pairs(
        app,
        None,
        "/api/donations/pledge",
        &[
            ("input[campaign_id]", campaign.to_string()),
            ("input[amount]", amount.into()),
            ("input[idempotency_key]", key.into()),
        ],
    )
    .await;
    assert_eq!(response.status(), 200);
    let created: Value = response.json().await.unwrap();
    created["reference"].as_str().unwrap().to_owned()
}

async fn stored_amount(app: &TestApp, reference: &str) -> i64 {
    let (satang,): (i64,) =
        sqlx::query_as("select amount_satang from donation where reference_code = $1")
            .bind(reference)
            .fetch_one(app.db.reader())
            .await
            .unwrap();
    satang
}

/// The QR payload a pledge's page carries.
fn page_payload(page: &str) -> String {
    page.split("data-payload=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap()
        .to_owned()
}

http_test!(
    pledges_get_a_satang_tail_of_their_own_when_the_campaign_asks,
    |app| {
        let untailed = pledge_with_key(&app, 1, "1,500", &key()).await;
        assert_eq!(stored_amount(&app, &untailed).await, 150_000, "tail off");
        let page = app
            .get(&format!("/donations/{untailed}"))
            .await
            .text()
            .await
            .unwrap();
        assert!(!page.contains("เศษสตางค์"), "no tail, no hint");

        sqlx::query("update campaign set pledge_tail = 1 where campaign_id = 1")
            .execute(app.db.reader())
            .await
            .unwrap();
        let first_key = key();
        let first = pledge_with_key(&app, 1, "1500", &first_key).await;
        let second = pledge_with_key(&app, 1, "1500.00", &key()).await;
        assert_eq!(stored_amount(&app, &first).await, 150_001);
        assert_eq!(stored_amount(&app, &second).await, 150_002);
        let replayed = pledge_with_key(&app, 1, "1500", &first_key).await;
        assert_eq!(replayed, first, "a replay answers the first pledge");
        assert_eq!(
            stored_amount(&app, &first).await,
            150_001,
            "and keeps its tail"
        );
        let typed_satang = pledge_with_key(&app, 1, "1500.50", &key()).await;
        assert_eq!(
            stored_amount(&app, &typed_satang).await,
            150_050,
            "satang typed are kept"
        );

        let page = app
            .get(&format!("/donations/{second}"))
            .await
            .text()
            .await
            .unwrap();
        assert!(page.contains("฿1,500.02"), "the exact amount is shown");
        assert!(
            page.contains("ยอดโอนมีเศษสตางค์ ฿0.02"),
            "with why it has satang"
        );
        let payload = page_payload(&page);
        assert!(
            payload.contains("54071500.02"),
            "the QR code asks the tailed amount: {payload}"
        );
        let (body, crc) = payload.split_at(payload.len() - 4);
        assert_eq!(crc, format!("{:04X}", crc16_ccitt_false(body.as_bytes())));
        let (pledges,): (i64,) = sqlx::query_as(
            "select count(*) from donation where campaign_id = 1 and amount_satang = 150001",
        )
        .fetch_one(app.db.reader())
        .await
        .unwrap();
        assert_eq!(pledges, 1, "the replay stored nothing");
    }
);

http_test!(
    a_campaign_with_a_biller_id_gives_bill_payment_qr_codes,
    |app| {
        let admin = sign_in(&app, "demo-admin", DEMO_PASSWORD).await;
        let created = post_pairs(
            &app,
            Some(&admin),
            "/api/admin/campaigns/create",
            &[
                ("input[title_th]", "ผ้าป่าชำระบิล".into()),
                ("input[goal]", "100000".into()),
                ("input[starts_on]", "2026-01-01".into()),
                ("input[ends_on]", "2030-12-31".into()),
                ("input[promptpay_id]", "0812345678".into()),
                ("input[biller_id]", "0994000165501-00".into()),
                ("input[recipient_tax_id]", "0994000165501".into()),
                ("input[recipient_name_th]", "มูลนิธิทดสอบ".into()),
                ("input[idempotency_key]", key()),
            ],
        )
        .await;
        assert_eq!(created.status(), 200);
        let campaign: i64 = created.json().await.unwrap();
        let (stored,): (Option<String>,) =
            sqlx::query_as("select biller_id from campaign where campaign_id = $1")
                .bind(campaign)
                .fetch_one(app.db.reader())
                .await
                .unwrap();
        assert_eq!(stored.as_deref(), Some("099400016550100"));
        let opened = post_pairs(
            &app,
            Some(&admin),
            "/api/admin/campaigns/status",
            &[("id", campaign.to_string()), ("status", "open".into())],
        )
        .await;
        assert_eq!(opened.status(), 200);

        let reference = pledge_with_key(&app, campaign, "750", &key()).await;
        let page = app
            .get(&format!("/donations/{reference}"))
            .await
            .text()
            .await
            .unwrap();
        let payload = page_payload(&page);
        let ref1 = reference.replace('-', "");
        assert!(payload.starts_with("000201010212"), "{payload}");
        assert!(
            payload.contains(&format!(
                "0016A000000677010112011509940001655010002{:02}{ref1}",
                ref1.len()
            )),
            "tag 30 with the Biller ID and the reference as Ref1: {payload}"
        );
        assert!(
            !payload.contains("A000000677010111"),
            "not a PromptPay transfer"
        );
        // Created with a PromptPay ID, the campaign gives each pledge a satang tail by default.
        assert!(payload.contains("5406750.01"), "{payload}");
        let (body, crc) = payload.split_at(payload.len() - 4);
        assert_eq!(crc, format!("{:04X}", crc16_ccitt_false(body.as_bytes())));
        assert!(page.contains("Biller ID"));
        let png = app.get(&format!("/donations/{reference}/qr.png")).await;
        assert_eq!(png.status(), 200);

        // Campaign 1 has none: its pledges still pay by PromptPay.
        let plain = pledge_with_key(&app, 1, "750", &key()).await;
        let page = app
            .get(&format!("/donations/{plain}"))
            .await
            .text()
            .await
            .unwrap();
        assert!(page_payload(&page).contains("0016A000000677010111"));
    }
);

http_test!(an_invalid_biller_id_is_refused_naming_the_field, |app| {
    let admin = sign_in(&app, "demo-admin", DEMO_PASSWORD).await;
    let draft = |biller: &str| {
        vec![
            ("input[title_th]", "ร่าง".to_owned()),
            ("input[goal]", "1000".into()),
            ("input[starts_on]", "2026-12-01".into()),
            ("input[ends_on]", "2026-12-31".into()),
            ("input[biller_id]", biller.into()),
            ("input[idempotency_key]", key()),
        ]
    };
    let (campaigns_before,): (i64,) = sqlx::query_as("select count(*) from campaign")
        .fetch_one(app.db.reader())
        .await
        .unwrap();
    for bad in ["09940001655010", "0994000165501AB", "biller"] {
        let refused = post_pairs(
            &app,
            Some(&admin),
            "/api/admin/campaigns/create",
            &draft(bad),
        )
        .await;
        assert_eq!(refused.status(), 422, "{bad}");
        let body: Value = refused.json().await.unwrap();
        let field = &body["Validation"][0];
        assert_eq!(field["field"], "biller_id", "{bad}: {body}");
        assert!(field["th"].as_str().unwrap().contains("15 หลัก"));
        assert!(field["en"].as_str().unwrap().contains("15 digits"));
    }
    let (campaigns_after,): (i64,) = sqlx::query_as("select count(*) from campaign")
        .fetch_one(app.db.reader())
        .await
        .unwrap();
    assert_eq!(campaigns_after, campaigns_before, "nothing stored");
    let empty = post_pairs(
        &app,
        Some(&admin),
        "/api/admin/campaigns/create",
        &draft(""),
    )
    .await;
    assert_eq!(empty.status(), 200, "empty is none");

    // A published campaign keeps the Biller ID it had (none for the demo's open campaign 1).
    let stored: Value = post_pairs(
        &app,
        Some(&admin),
        "/api/admin/campaigns/get",
        &[("id", "1".into())],
    )
    .await
    .json()
    .await
    .unwrap();
    let mut form = vec![("id".to_owned(), "1".to_owned())];
    for (name, value) in stored["input"].as_object().unwrap() {
        let value = if name == "biller_id" {
            "099400016550100"
        } else {
            value.as_str().unwrap()
        };
        form.push((format!("input[{name}]"), value.to_owned()));
    }
    let pairs: Vec<(&str, String)> = form.iter().map(|(k, v)| (k.as_str(), v.clone())).collect();
    let refused = post_pairs(&app, Some(&admin), "/api/admin/campaigns/update", &pairs).await;
    assert_eq!(refused.status(), 422);
    let body: Value = refused.json().await.unwrap();
    assert_eq!(body["Validation"][0]["field"], "biller_id", "{body}");
});
