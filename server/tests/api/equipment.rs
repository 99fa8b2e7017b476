//! Purchases, units and delivery, on SQLite and PostgreSQL: the fund never spends more than it
//! received, even when twenty purchases race for it; a second finance officer approves large
//! purchases; a void posts a visible reversal and only while every unit is in stock; units are
//! allocated once, dispatched, and confirmed only by their hospital's staff; bad input is refused
//! field by field with nothing stored; and `check-ledger` finds the books whole after each.

use crate::common;

use app::error::AppError;
use app::model::account::{CurrentUser, Role};
use app::model::equipment::{
    AllocateInput, ConfirmInput, DispatchInput, PurchaseInput, PurchaseLineInput, ReceiveInput,
    WriteOffInput,
};
use app::model::{CampaignId, HospitalId, Money, PurchaseId};
use app::server::demo::DEMO_PASSWORD;
use app::server::service::{purchases, stock, worklist};
use app::server::{ledger, Caller, Db};
use common::{account_with_role, demo_user, hospital_id, post_as, sign_in};

const CAMPAIGN: CampaignId = CampaignId(1);

fn caller(user: &CurrentUser) -> Caller {
    Caller::signed_in(user)
}

fn purchase(key: &str, lines: &[(&str, &str, &str)]) -> PurchaseInput {
    PurchaseInput {
        campaign_id: CAMPAIGN,
        vendor_name: "หจก. เครื่องมือแพทย์ขอนแก่น".into(),
        vendor_tax_id: "0105546000111".into(),
        invoice_no: format!("INV-{key}"),
        invoice_date: "2026-11-20".into(),
        lines: lines
            .iter()
            .map(|(item, quantity, price)| PurchaseLineInput {
                item: (*item).into(),
                quantity: (*quantity).into(),
                unit_price: (*price).into(),
                justification: "ราคาตามใบเสนอราคาที่ต่ำที่สุด".into(),
            })
            .collect(),
        idempotency_key: format!("purchase-{key}"),
    }
}

async fn available(db: &Db, user: &CurrentUser) -> Money {
    purchases::balance(db, &caller(user), CAMPAIGN)
        .await
        .unwrap()
        .available()
}

/// Sets campaign 1's two-person threshold, in satang.
async fn set_threshold(db: &Db, satang: i64) {
    let mut tx = db.begin().await.unwrap();
    sqlx::query("update campaign set second_approval_above_satang = $1 where campaign_id = 1")
        .bind(satang)
        .execute(&mut *tx)
        .await
        .unwrap();
    tx.commit().await.unwrap();
}

async fn books_are_whole(db: &Db) {
    let violations = ledger::check(db).await.unwrap();
    assert!(violations.is_empty(), "{violations:?}");
}

async fn count(db: &Db, sql: &str) -> i64 {
    let (n,): (i64,) = sqlx::query_as(sql).fetch_one(db.reader()).await.unwrap();
    n
}

/// Records and receives a purchase of `quantity` units of item 1 at ฿100 each; answers its id
/// and the units' tags.
async fn bought(
    db: &Db,
    finance: &CurrentUser,
    key: &str,
    quantity: &str,
) -> (PurchaseId, Vec<String>) {
    let id = purchases::record(
        db,
        &caller(finance),
        &purchase(key, &[("1", quantity, "100")]),
    )
    .await
    .unwrap();
    let receive = ReceiveInput {
        purchase_id: id,
        serials: "SN-1\nSN-2".into(),
    };
    purchases::receive(db, &caller(finance), &receive)
        .await
        .unwrap();
    let rows: Vec<(String,)> = sqlx::query_as(
        "select asset_tag from equipment_unit where purchase_id = $1 order by equipment_unit_id",
    )
    .bind(id.get())
    .fetch_all(db.reader())
    .await
    .unwrap();
    (id, rows.into_iter().map(|(t,)| t).collect())
}

http_test!(
    twenty_purchases_race_for_a_balance_that_pays_for_seven,
    |app| {
        let db = app.db.clone();
        let finance = demo_user(&db, "demo-finance").await;
        let balance = available(&db, &finance).await;
        // Each purchase costs a seventh of the balance (rounded down), so seven fit and an eighth
        // never does; the threshold is raised so that every one takes effect at once.
        let price = Money::from_satang(balance.satang() / 7);
        assert!(price.satang() > 6, "the demo campaign has money to spend");
        set_threshold(&db, balance.satang() + 1).await;
        let purchases_before = count(&db, "select count(*) from purchase").await;
        let mut racers = Vec::new();
        for n in 0..20 {
            let db = db.clone();
            let finance = finance.clone();
            let input = purchase(
                &format!("race-{n}"),
                &[("1", "1", &price.to_string().replace(',', ""))],
            );
            racers.push(tokio::spawn(async move {
                purchases::record(&db, &caller(&finance), &input).await
            }));
        }
        let mut won = 0;
        for racer in racers {
            match racer.await.unwrap() {
                Ok(_) => won += 1,
                Err(app::error::AppError::Validation(fields)) => {
                    assert_eq!(fields[0].field, "total", "{fields:?}")
                }
                Err(other) => panic!("unexpected refusal: {other:?}"),
            }
        }
        assert_eq!(won, 7);
        assert_eq!(
            count(&db, "select count(*) from purchase").await,
            purchases_before + 7
        );
        let left = available(&db, &finance).await;
        assert_eq!(left.satang(), balance.satang() - 7 * price.satang());
        assert!(left.satang() >= 0);
        books_are_whole(&db).await;
    }
);

http_test!(
    a_large_purchase_waits_for_a_second_officer_and_a_void_is_a_visible_reversal,
    |app| {
        let db = app.db.clone();
        let first = demo_user(&db, "demo-finance").await;
        let second = account_with_role(&db, "second-finance", Role::FinanceOfficer).await;
        set_threshold(&db, 100_000).await;
        let before = available(&db, &first).await;
        let entries = "select count(*) from journal_entry where purchase_id is not null";
        let entries_before = count(&db, entries).await;
        let approvals = |who: CurrentUser| {
            let db = db.clone();
            async move {
                worklist::waiting(&db, &caller(&who))
                    .await
                    .unwrap()
                    .iter()
                    .find(|w| w.campaign == CAMPAIGN)
                    .map_or(0, |w| w.approvals)
            }
        };
        let (mine_before, theirs_before) = (
            approvals(first.clone()).await,
            approvals(second.clone()).await,
        );
        let id = purchases::record(
            &db,
            &caller(&first),
            &purchase("two-person", &[("1", "2", "8500")]),
        )
        .await
        .unwrap();
        let view = purchases::detail(&db, &caller(&first), id).await.unwrap();
        assert_eq!(view.status.code(), "awaiting_approval");
        // The second officer's /finance says a purchase waits for them; the recorder's does not.
        assert_eq!(approvals(first.clone()).await, mine_before);
        assert_eq!(approvals(second.clone()).await, theirs_before + 1);
        let staff = demo_user(&db, "demo-staff-4").await;
        assert_eq!(
            worklist::waiting(&db, &caller(&staff))
                .await
                .unwrap_err()
                .status(),
            403
        );
        assert!(!view.may_approve, "the recorder may not approve");
        // Held, not yet spent: the balance shrinks, the journal has no entry yet.
        assert_eq!(
            available(&db, &first).await.satang(),
            before.satang() - 1_700_000
        );
        assert_eq!(count(&db, entries).await, entries_before);
        books_are_whole(&db).await;
        // Receiving before approval is refused.
        let receive = ReceiveInput {
            purchase_id: id,
            serials: String::new(),
        };
        assert_eq!(
            purchases::receive(&db, &caller(&first), &receive)
                .await
                .unwrap_err()
                .status(),
            409
        );
        let own = purchases::approve(&db, &caller(&first), id)
            .await
            .unwrap_err();
        assert_eq!(own.status(), 403);
        assert!(
            purchases::detail(&db, &caller(&second), id)
                .await
                .unwrap()
                .may_approve
        );
        purchases::approve(&db, &caller(&second), id).await.unwrap();
        assert_eq!(
            purchases::approve(&db, &caller(&second), id)
                .await
                .unwrap_err()
                .status(),
            409
        );
        assert_eq!(count(&db, entries).await, entries_before + 1);
        books_are_whole(&db).await;
        // A void gives the money back with an entry that names the one it reverses.
        let short = purchases::void(&db, &caller(&first), id, "x")
            .await
            .unwrap_err();
        assert_eq!(short.status(), 422);
        purchases::void(&db, &caller(&first), id, "ใบแจ้งหนี้ผิดร้าน")
            .await
            .unwrap();
        let (reverses,): (Option<i64>,) = sqlx::query_as(
        "select reverses_entry_id from journal_entry where purchase_id = $1 order by journal_entry_id desc limit 1",
    )
    .bind(id.get())
    .fetch_one(db.reader())
    .await
    .unwrap();
        assert!(reverses.is_some());
        assert_eq!(available(&db, &first).await, before);
        assert_eq!(
            purchases::void(&db, &caller(&first), id, "อีกครั้งหนึ่ง")
                .await
                .unwrap_err()
                .status(),
            409
        );
        // A purchase voided while awaiting approval only releases what it held.
        let held = purchases::record(
            &db,
            &caller(&first),
            &purchase("held", &[("1", "2", "8500")]),
        )
        .await
        .unwrap();
        purchases::void(&db, &caller(&second), held, "ซื้อซ้ำกับรายการอื่น")
            .await
            .unwrap();
        assert_eq!(available(&db, &first).await, before);
        assert_eq!(count(&db, entries).await, entries_before + 2);
        books_are_whole(&db).await;
    }
);

http_test!(
    units_are_allocated_once_dispatched_and_confirmed_only_by_their_hospital,
    |app| {
        let db = app.db.clone();
        let finance = demo_user(&db, "demo-finance").await;
        let staff_a = demo_user(&db, "demo-staff").await;
        let a = HospitalId(hospital_id(&app, "99001").await);
        let b = HospitalId(hospital_id(&app, "99002").await);
        let staff_b =
            account_with_role(&db, "staff-b", Role::HospitalStaff { hospital_id: b }).await;
        let (id, tags) = bought(&db, &finance, "units", "3").await;
        assert_eq!(tags.len(), 3);
        assert!(tags.iter().all(|t| t.starts_with("EQ-1-")), "{tags:?}");
        let serial: (Option<String>,) =
            sqlx::query_as("select serial_no from equipment_unit where asset_tag = $1")
                .bind(&tags[1])
                .fetch_one(db.reader())
                .await
                .unwrap();
        assert_eq!(serial.0.as_deref(), Some("SN-2"));
        books_are_whole(&db).await;

        let allocate = |tags: String, key: &str| AllocateInput {
            campaign_id: CAMPAIGN,
            hospital_id: a.get().to_string(),
            tags,
            reason: "เตียงเดิมชำรุดทั้งหมด".into(),
            idempotency_key: format!("allocate-{key}"),
            ..Default::default()
        };
        let first_two = format!("{} {}", tags[0], tags[1]);
        let moved = stock::allocate(&db, &caller(&finance), &allocate(first_two.clone(), "one"))
            .await
            .unwrap();
        assert_eq!(moved, [tags[0].clone(), tags[1].clone()]);
        // The same units again, under another key: refused on the tags field, nothing changes.
        let twice = stock::allocate(&db, &caller(&finance), &allocate(first_two, "two"))
            .await
            .unwrap_err();
        let app::error::AppError::Validation(fields) = twice else {
            panic!("{twice:?}")
        };
        assert_eq!(fields[0].field, "tags");
        // Without a reason or a request, allocation is refused.
        let mut no_reason = allocate(tags[2].clone(), "three");
        no_reason.reason.clear();
        assert_eq!(
            stock::allocate(&db, &caller(&finance), &no_reason)
                .await
                .unwrap_err()
                .status(),
            422
        );
        // Staff never move stock.
        assert_eq!(
            stock::allocate(&db, &caller(&staff_a), &allocate(tags[2].clone(), "four"))
                .await
                .unwrap_err()
                .status(),
            403
        );
        // A unit has left stock, so the purchase can no longer be voided.
        assert_eq!(
            purchases::void(&db, &caller(&finance), id, "ผิดพลาดในการบันทึก")
                .await
                .unwrap_err()
                .status(),
            409
        );
        let dispatch = DispatchInput {
            campaign_id: CAMPAIGN,
            hospital_id: a,
            tags: String::new(),
            dispatched_on: "2026-11-23".into(),
            carrier: "รถ อบจ.".into(),
        };
        assert_eq!(
            stock::dispatch(&db, &caller(&finance), &dispatch)
                .await
                .unwrap(),
            2
        );
        let answer = |tag: &str, answer: &str, reason: &str| ConfirmInput {
            hospital_id: a,
            tag: tag.to_owned(),
            answer: answer.to_owned(),
            reason: reason.to_owned(),
            condition: String::new(),
        };
        // Nobody but hospital A's staff answers for hospital A.
        for other in [&finance, &staff_b] {
            let refused = stock::confirm(&db, &caller(other), &answer(&tags[0], "accept", ""))
                .await
                .unwrap_err();
            assert_eq!(refused.status(), 403);
        }
        let wrong_place = ConfirmInput {
            hospital_id: b,
            ..answer(&tags[0], "accept", "")
        };
        assert_eq!(
            stock::confirm(&db, &caller(&staff_b), &wrong_place)
                .await
                .unwrap_err()
                .status(),
            404
        );
        stock::confirm(&db, &caller(&staff_a), &answer(&tags[0], "accept", ""))
            .await
            .unwrap();
        assert_eq!(
            stock::confirm(&db, &caller(&staff_a), &answer(&tags[0], "accept", ""))
                .await
                .unwrap_err()
                .status(),
            409
        );
        assert_eq!(
            stock::confirm(&db, &caller(&staff_a), &answer(&tags[1], "reject", ""))
                .await
                .unwrap_err()
                .status(),
            422
        );
        // A rejection names the condition the unit arrived in.
        let refused = stock::confirm(
            &db,
            &caller(&staff_a),
            &answer(&tags[1], "reject", "ล้อหักระหว่างขนส่ง"),
        )
        .await
        .unwrap_err();
        assert!(
            matches!(&refused, AppError::Validation(f) if f[0].field == "condition"),
            "{refused:?}"
        );
        let broken = ConfirmInput {
            condition: "awaiting_repair".into(),
            ..answer(&tags[1], "reject", "ล้อหักระหว่างขนส่ง")
        };
        let accepted = stock::confirm(&db, &caller(&staff_a), &broken)
            .await
            .unwrap();
        assert!(!accepted);
        // Back in stock as it arrived, with the hospital's reason: never allocated as working.
        let (condition, note): (String, Option<String>) = sqlx::query_as(
            "select condition, condition_note from equipment_unit where asset_tag = $1",
        )
        .bind(&tags[1])
        .fetch_one(db.reader())
        .await
        .unwrap();
        assert_eq!(condition, "awaiting_repair");
        assert_eq!(note.as_deref(), Some("ล้อหักระหว่างขนส่ง"));
        let again = AllocateInput {
            campaign_id: CAMPAIGN,
            hospital_id: b.to_string(),
            tags: tags[1].clone(),
            reason: "ส่งต่อให้โรงพยาบาลอื่น".into(),
            idempotency_key: "equipment-broken-again".into(),
            ..Default::default()
        };
        assert!(stock::allocate(&db, &caller(&finance), &again)
            .await
            .is_err());
        let place = places(&db, id).await;
        assert_eq!(
            place,
            [
                ("received".to_owned(), Some(a.get())),
                ("in_stock".to_owned(), None),
                ("in_stock".to_owned(), None)
            ]
        );
        // Every event is kept: stocked, allocated, dispatched, rejected for the second unit.
        let (events,): (i64,) = sqlx::query_as(
        "select count(*) from equipment_unit_event e join equipment_unit u on u.equipment_unit_id = e.equipment_unit_id
         where u.asset_tag = $1",
    )
    .bind(&tags[1])
    .fetch_one(db.reader())
    .await
    .unwrap();
        // Stocked, allocated, dispatched, rejected, and its condition as it arrived.
        assert_eq!(events, 5);
        books_are_whole(&db).await;
        // The public page of the received unit names its hospital.
        let page = app.get(&format!("/units/{}", tags[0])).await;
        assert_eq!(page.status(), 200);

        // Writing off: finance officers only, with a reason, from stock or from a hospital.
        let write_off = |tag: &str, reason: &str| WriteOffInput {
            tag: tag.to_owned(),
            reason: reason.to_owned(),
        };
        let delivered = || async {
            let (n,): (i64,) = sqlx::query_as(
                "select count(*) from equipment_unit where purchase_id = $1 and received_at is not null",
            )
            .bind(id.get())
            .fetch_one(db.reader())
            .await
            .unwrap();
            n
        };
        for who in [&staff_a, &staff_b] {
            let refused = stock::write_off(&db, &caller(who), &write_off(&tags[0], "ตกจากรถพัง"))
                .await
                .unwrap_err();
            assert_eq!(refused.status(), 403);
        }
        let refused = stock::write_off(&db, &caller(&finance), &write_off(&tags[0], " "))
            .await
            .unwrap_err();
        let app::error::AppError::Validation(fields) = refused else {
            panic!("{refused:?}")
        };
        assert_eq!(fields[0].field, "reason");
        // An allocated unit must come back to stock first.
        stock::allocate(&db, &caller(&finance), &allocate(tags[2].clone(), "five"))
            .await
            .unwrap();
        assert_eq!(
            stock::write_off(&db, &caller(&finance), &write_off(&tags[2], "สูญหายในคลัง"))
                .await
                .unwrap_err()
                .status(),
            409
        );
        stock::write_off(
            &db,
            &caller(&finance),
            &write_off(&tags[0], "โครงเตียงหัก ซ่อมไม่ได้"),
        )
        .await
        .unwrap();
        stock::write_off(&db, &caller(&finance), &write_off(&tags[1], "ล้อหักซ่อมไม่คุ้ม"))
            .await
            .unwrap();
        // Twice is a conflict; an unknown tag is not found.
        assert_eq!(
            stock::write_off(&db, &caller(&finance), &write_off(&tags[1], "ซ้ำอีกครั้ง"))
                .await
                .unwrap_err()
                .status(),
            409
        );
        assert_eq!(
            stock::write_off(&db, &caller(&finance), &write_off("EQ-1-99999", "ไม่มีจริง"))
                .await
                .unwrap_err()
                .status(),
            404
        );
        let place = places(&db, id).await;
        assert_eq!(
            place,
            [
                ("written_off".to_owned(), None),
                ("written_off".to_owned(), None),
                ("allocated".to_owned(), Some(a.get()))
            ]
        );
        // The unit that reached hospital A still counts as delivered, and its public page says
        // where it ended, without the reason.
        assert_eq!(delivered().await, 1);
        let page = app.get(&format!("/units/{}", tags[0])).await;
        assert_eq!(page.status(), 200);
        let html = page.text().await.unwrap();
        assert!(html.contains("ตัดจำหน่าย"), "{html}");
        assert!(!html.contains("โครงเตียงหัก"), "the reason is for staff only");
        books_are_whole(&db).await;
    }
);

http_test!(
    units_allocated_to_a_request_fill_it_as_they_are_confirmed,
    |app| {
        let db = app.db.clone();
        let finance = demo_user(&db, "demo-finance").await;
        let staff = sign_in(&app, "demo-staff", DEMO_PASSWORD).await;
        let staff_user = demo_user(&db, "demo-staff").await;
        let a = hospital_id(&app, "99001").await;
        let body = format!("input[campaign_id]=1&input[hospital_id]={a}&input[item]=1&input[quantity]=2&input[reason]=ผู้ป่วยติดเตียงเพิ่ม&input[idempotency_key]=fill-request");
        let request: i64 = post_as(&app, Some(&staff), "/api/requests/submit", &body)
            .await
            .json()
            .await
            .unwrap();
        let finance_cookie = sign_in(&app, "demo-finance", DEMO_PASSWORD).await;
        let decide = format!(
            "input[request_id]={request}&input[approve]=true&input[reason]=อนุมัติ{}",
            common::seen(&db, request).await
        );
        assert_eq!(
            post_as(&app, Some(&finance_cookie), "/api/requests/decide", &decide)
                .await
                .status(),
            200
        );
        let (_, tags) = bought(&db, &finance, "fill", "3").await;
        let for_request = |quantity: &str, key: &str| AllocateInput {
            campaign_id: CAMPAIGN,
            request_id: request.to_string(),
            quantity: quantity.into(),
            idempotency_key: format!("fill-request-{key}"),
            ..Default::default()
        };
        // Never more than the request still lacks.
        let over = stock::allocate(&db, &caller(&finance), &for_request("3", "over"))
            .await
            .unwrap_err();
        assert_eq!(over.status(), 422);
        let moved = stock::allocate(&db, &caller(&finance), &for_request("2", "ok"))
            .await
            .unwrap();
        assert_eq!(moved.len(), 2);
        // A replay of the same form answers the same tags and moves nothing more.
        let again = stock::allocate(&db, &caller(&finance), &for_request("2", "ok"))
            .await
            .unwrap();
        assert_eq!(again, moved);
        assert!(tags.contains(&moved[0]));
        let dispatch = DispatchInput {
            campaign_id: CAMPAIGN,
            hospital_id: HospitalId(a),
            tags: String::new(),
            dispatched_on: "2026-11-23".into(),
            carrier: "เจ้าหน้าที่ สสอ.".into(),
        };
        stock::dispatch(&db, &caller(&finance), &dispatch)
            .await
            .unwrap();
        let status = || async {
            let (s, n): (String, i64) = sqlx::query_as(
            "select status, fulfilled_quantity from equipment_request where equipment_request_id = $1",
        )
        .bind(request)
        .fetch_one(db.reader())
        .await
        .unwrap();
            (s, n)
        };
        for (tag, want) in moved.iter().zip(["partly_fulfilled", "fulfilled"]) {
            let accept = ConfirmInput {
                hospital_id: HospitalId(a),
                tag: tag.clone(),
                answer: "accept".into(),
                reason: String::new(),
                condition: String::new(),
            };
            stock::confirm(&db, &caller(&staff_user), &accept)
                .await
                .unwrap();
            assert_eq!(status().await.0, want);
        }
        assert_eq!(status().await.1, 2);
        books_are_whole(&db).await;
    }
);

http_test!(
    bad_purchases_are_refused_field_by_field_and_nothing_is_stored,
    |app| {
        let db = app.db.clone();
        let finance = sign_in(&app, "demo-finance", DEMO_PASSWORD).await;
        let post = |body: String| {
            let app = &app;
            let finance = finance.clone();
            async move { post_as(app, Some(&finance), "/api/purchases/record", &body).await }
        };
        let purchases_before = count(&db, "select count(*) from purchase").await;
        let lines_before = count(&db, "select count(*) from purchase_line").await;
        let head = "input[campaign_id]=1&input[vendor_name]=ร้าน&input[invoice_no]=A1&input[invoice_date]=2026-11-20&input[idempotency_key]=bad-purchase-1";
        let cases: [(&str, &str); 9] = [
        ("input[lines][0][item]=1&input[lines][0][quantity]=0&input[lines][0][unit_price]=100", "lines.1.quantity"),
        ("input[lines][0][item]=1&input[lines][0][quantity]=-1&input[lines][0][unit_price]=100", "lines.1.quantity"),
        ("input[lines][0][item]=1&input[lines][0][quantity]=1e9&input[lines][0][unit_price]=100", "lines.1.quantity"),
        ("input[lines][0][item]=1&input[lines][0][quantity]=two&input[lines][0][unit_price]=100", "lines.1.quantity"),
        ("input[lines][0][item]=1&input[lines][0][quantity]=1&input[lines][0][unit_price]=100.005", "lines.1.unit_price"),
        ("input[lines][0][item]=999&input[lines][0][quantity]=1&input[lines][0][unit_price]=100", "lines.1.item"),
        ("input[lines][0][item]=1&input[lines][0][quantity]=1&input[lines][0][unit_price]=1000000", "lines.1.justification"),
        ("input[vendor_tax_id]=0105546000112&input[lines][0][item]=1&input[lines][0][quantity]=1&input[lines][0][unit_price]=100", "vendor_tax_id"),
        ("input[lines][0][item]=1&input[lines][0][quantity]=1&input[lines][0][unit_price]=999999999&input[lines][0][justification]=ราคาพิเศษ", "total"),
    ];
        for (lines, field) in cases {
            let response = post(format!("{head}&{lines}")).await;
            assert_eq!(response.status(), 422, "{lines}");
            let body: serde_json::Value = response.json().await.unwrap();
            let fields: Vec<&str> = body["Validation"]
                .as_array()
                .unwrap()
                .iter()
                .map(|f| f["field"].as_str().unwrap())
                .collect();
            assert!(fields.contains(&field), "{lines}: {fields:?}");
            let th = body["Validation"][0]["th"].as_str().unwrap();
            let en = body["Validation"][0]["en"].as_str().unwrap();
            assert!(!th.is_empty() && !en.is_empty());
        }
        let future = post(format!("{}&input[lines][0][item]=1&input[lines][0][quantity]=1&input[lines][0][unit_price]=100", head.replace("2026-11-20", "2999-01-01"))).await;
        assert_eq!(future.status(), 422);
        assert_eq!(
            count(&db, "select count(*) from purchase").await,
            purchases_before
        );
        assert_eq!(
            count(&db, "select count(*) from purchase_line").await,
            lines_before
        );
        // A good one, sent twice with its key, is one purchase.
        let good = format!("{head}&input[lines][0][item]=1&input[lines][0][quantity]=1&input[lines][0][unit_price]=100");
        let one: i64 = post(good.clone()).await.json().await.unwrap();
        let two: i64 = post(good).await.json().await.unwrap();
        assert_eq!(one, two);
        assert_eq!(
            count(&db, "select count(*) from purchase").await,
            purchases_before + 1
        );
        books_are_whole(&db).await;
    }
);

http_test!(a_gift_whose_money_was_spent_cannot_be_voided, |app| {
    let db = app.db.clone();
    let finance = demo_user(&db, "demo-finance").await;
    set_threshold(&db, 1_000_000_000_000).await;
    let all = available(&db, &finance).await;
    let price = all.to_string().replace(',', "");
    purchases::record(
        &db,
        &caller(&finance),
        &purchase("everything", &[("1", "1", &price)]),
    )
    .await
    .unwrap();
    assert_eq!(available(&db, &finance).await, Money::ZERO);
    let (reference,): (String,) = sqlx::query_as(
        "select reference_code from donation where campaign_id = 1 and status = 'received' and channel <> 'in_kind' limit 1",
    )
    .fetch_one(db.reader())
    .await
    .unwrap();
    let refused = app::server::donations::void(&db, &caller(&finance), &reference, "โอนผิดบัญชี")
        .await
        .unwrap_err();
    assert_eq!(refused.status(), 409);
    books_are_whole(&db).await;
});

/// Each unit of a purchase: its status and the hospital holding it, in tag order.
async fn places(db: &Db, id: PurchaseId) -> Vec<(String, Option<i64>)> {
    sqlx::query_as(
        "select status, hospital_id from equipment_unit where purchase_id = $1 order by equipment_unit_id",
    )
    .bind(id.get())
    .fetch_all(db.reader())
    .await
    .unwrap()
}
