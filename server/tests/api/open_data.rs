//! Open data and the public equipment pages, on SQLite and PostgreSQL: after a purchase is
//! received, two units allocated to a hospital and sent, and the hospital accepts one and refuses
//! the other, the JSON under `/api/v1/` and the pages agree on where each unit is; a donor's
//! shares are `pro_rata` of each purchase; a pledge bought nothing; amounts come as exact text
//! beside whole satang; unknown things are 404 in JSON.

use crate::common;

use app::model::donation::{DonationInput, PledgeInput};
use app::model::equipment::{
    pro_rata, AllocateInput, ConfirmInput, DispatchInput, PurchaseInput, PurchaseLineInput,
    ReceiveInput,
};
use app::model::{CampaignId, HospitalId, Money};
use app::server::service::{purchases, stock};
use app::server::{donations, Caller, Db};
use common::{demo_user, hospital_id, TestApp};
use serde_json::Value;

fn key() -> String {
    format!("open-data-{:032x}", rand::random::<u128>())
}

/// A GET that must answer 200 with JSON.
async fn json_ok(app: &TestApp, path: &str) -> Value {
    let response = app.get(path).await;
    assert_eq!(response.status(), 200, "GET {path}");
    assert_eq!(
        response.headers()["content-type"],
        "application/json",
        "GET {path}"
    );
    response.json().await.unwrap()
}

/// A GET that must answer 404 with a JSON error.
async fn json_not_found(app: &TestApp, path: &str) {
    let response = app.get(path).await;
    assert_eq!(response.status(), 404, "GET {path}");
    assert_eq!(response.headers()["content-type"], "application/json");
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["error"], "not_found", "GET {path}");
    assert!(body["message"]["th"].is_string() && body["message"]["en"].is_string());
}

async fn html(app: &TestApp, path: &str) -> String {
    let response = app.get(path).await;
    assert_eq!(response.status(), 200, "GET {path}");
    response.text().await.unwrap()
}

/// `v[name]` is baht with exactly two decimals and says the same as `v[name_satang]`; answers
/// the amount.
fn money(v: &Value, name: &str) -> Money {
    let text = v[name]
        .as_str()
        .unwrap_or_else(|| panic!("{name} is text: {v}"));
    let satang = v[format!("{name}_satang")]
        .as_i64()
        .unwrap_or_else(|| panic!("{name}_satang is a whole number: {v}"));
    let (whole, cents) = text.split_once('.').expect("a decimal point");
    assert!(
        cents.len() == 2 && whole.chars().all(|c| c.is_ascii_digit()) && !whole.is_empty(),
        "{name} = {text:?}"
    );
    assert_eq!(format!("{}.{:02}", satang / 100, satang % 100), text);
    Money::from_satang(satang)
}

/// The wishlist line of item 1 in campaign 1's open data: (bought, delivered).
fn bed_line(campaign: &Value) -> (i64, i64) {
    let line = campaign["wishlist"]
        .as_array()
        .unwrap()
        .iter()
        .find(|w| w["item_id"] == 1)
        .expect("item 1 is on campaign 1's wishlist");
    money(line, "reference_price");
    (
        line["bought"].as_i64().unwrap(),
        line["delivered"].as_i64().unwrap(),
    )
}

/// The flow every check reads: answers the accepted and the refused unit's tags and the
/// purchase's total.
async fn buy_and_deliver(app: &TestApp, hospital: i64) -> (String, String, Money) {
    let db = &app.db;
    let finance = Caller::signed_in(&demo_user(db, "demo-finance").await);
    let staff = Caller::signed_in(&demo_user(db, "demo-staff").await);
    let yesterday = app::server::today() - chrono::Duration::days(1);
    let purchase = purchases::record(
        db,
        &finance,
        &PurchaseInput {
            campaign_id: CampaignId(1),
            vendor_name: "ร้านเครื่องมือแพทย์ทดสอบ".into(),
            vendor_tax_id: String::new(),
            invoice_no: "OD-0001".into(),
            invoice_date: yesterday.format("%Y-%m-%d").to_string(),
            lines: vec![PurchaseLineInput {
                item: "1".into(),
                quantity: "2".into(),
                unit_price: "12,345.67".into(),
                justification: String::new(),
            }],
            idempotency_key: key(),
        },
    )
    .await
    .expect("record a purchase below the threshold");
    let received = purchases::receive(
        db,
        &finance,
        &ReceiveInput {
            purchase_id: purchase,
            serials: "SN-OD-1\nSN-OD-2".into(),
        },
    )
    .await
    .expect("receive it");
    assert_eq!(received, 2);
    let units = stock::of_purchase(db, &finance, purchase).await.unwrap();
    let tags: Vec<String> = units.iter().map(|u| u.tag.clone()).collect();
    assert_eq!(tags.len(), 2);
    let allocated = stock::allocate(
        db,
        &finance,
        &AllocateInput {
            campaign_id: CampaignId(1),
            hospital_id: hospital.to_string(),
            tags: tags.join(" "),
            reason: "เตียงเดิมชำรุด ต้องเปลี่ยนด่วน".into(),
            idempotency_key: key(),
            ..AllocateInput::default()
        },
    )
    .await
    .expect("allocate both");
    assert_eq!(allocated, tags);
    let sent = stock::dispatch(
        db,
        &finance,
        &DispatchInput {
            campaign_id: CampaignId(1),
            hospital_id: HospitalId(hospital),
            tags: String::new(),
            dispatched_on: app::server::today().format("%Y-%m-%d").to_string(),
            carrier: "รถของ อบต.".into(),
        },
    )
    .await
    .expect("dispatch");
    assert_eq!(sent, 2);
    for (tag, answer, reason) in [
        (&tags[0], "accept", ""),
        (&tags[1], "reject", "ชำรุดระหว่างขนส่ง"),
    ] {
        stock::confirm(
            db,
            &staff,
            &ConfirmInput {
                hospital_id: HospitalId(hospital),
                tag: tag.clone(),
                answer: answer.into(),
                reason: reason.into(),
                condition: if answer == "reject" { "working" } else { "" }.into(),
            },
        )
        .await
        .unwrap_or_else(|e| panic!("{answer} {tag}: {e:?}"));
    }
    (
        tags[0].clone(),
        tags[1].clone(),
        Money::from_satang(2 * 1_234_567),
    )
}

/// A received gift of money to campaign 1 from the demo: (reference, donor's name).
async fn received_gift(db: &Db) -> (String, Option<String>) {
    sqlx::query_as(
        "select d.reference_code, o.display_name from donation d join donor o on o.donor_id = d.donor_id
         where d.campaign_id = 1 and d.status = 'received' and d.channel <> 'in_kind'
         order by d.donation_id limit 1",
    )
    .fetch_one(db.reader())
    .await
    .unwrap()
}

http_test!(
    open_data_and_pages_follow_each_unit_to_its_hospital,
    |app| {
        let h = hospital_id(&app, "99001").await;
        let before = json_ok(&app, "/api/v1/campaigns/1").await;
        let spent_before = money(&before, "spent");
        let (bought_before, delivered_before) = bed_line(&before);
        let (accepted, refused, total) = buy_and_deliver(&app, h).await;

        // The campaign: its money as pairs, the purchase spent, the wishlist moved on.
        let campaign = json_ok(&app, "/api/v1/campaigns/1").await;
        assert_eq!(campaign["id"], 1);
        assert!(campaign["title"]["th"].is_string());
        assert_eq!(campaign["status"], "open");
        assert!(money(&campaign, "goal") > Money::ZERO);
        let raised = money(&campaign, "raised");
        let spent = money(&campaign, "spent");
        assert_eq!(spent.satang(), spent_before.satang() + total.satang());
        // Campaign 1 took the settled demo campaign's left-over cash.
        let carried_in = money(&campaign, "carried_in");
        assert!(carried_in > Money::ZERO, "{campaign}");
        assert_eq!(money(&campaign, "carried_out"), Money::ZERO);
        assert!(raised.satang() + carried_in.satang() >= spent.satang());
        assert_eq!(
            bed_line(&campaign),
            (bought_before + 2, delivered_before + 1)
        );
        for line in campaign["wishlist"].as_array().unwrap() {
            assert!(line["funded"].as_i64().unwrap() >= line["bought"].as_i64().unwrap());
            assert!(line["wanted"].as_i64().unwrap() > 0);
        }

        // The accepted unit is at 99001, with its price and history.
        let unit = json_ok(&app, &format!("/api/v1/units/{accepted}")).await;
        assert_eq!(unit["tag"], accepted.as_str());
        assert_eq!(unit["status"], "received");
        assert_eq!(unit["condition"], "working");
        assert_eq!(unit["origin"], "purchase");
        assert_eq!(unit["campaign"]["id"], 1);
        assert_eq!(unit["hospital"]["facility_code"], "99001");
        assert!(unit["held_since"].is_string());
        assert_eq!(money(&unit, "price"), Money::from_satang(1_234_567));
        assert_eq!(unit["price"], "12345.67");
        let kinds: Vec<&str> = unit["history"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["kind"].as_str().unwrap())
            .collect();
        assert_eq!(kinds, ["stocked", "allocated", "dispatched", "accepted"]);
        // Tags are read in any case.
        let lower = json_ok(&app, &format!("/api/v1/units/{}", accepted.to_lowercase())).await;
        assert_eq!(lower["tag"], accepted.as_str());

        // The refused unit is back in stock, at no hospital.
        let back = json_ok(&app, &format!("/api/v1/units/{refused}")).await;
        assert_eq!(back["status"], "in_stock");
        assert_eq!(back["hospital"], Value::Null);
        assert_eq!(back["held_since"], Value::Null);
        let last = back["history"].as_array().unwrap().last().unwrap().clone();
        assert_eq!(last["kind"], "rejected");

        // The hospital lists what it holds (the accepted unit only) and what it still asks for,
        // without patient counts.
        let hospital = json_ok(&app, "/api/v1/hospitals/99001").await;
        assert_eq!(hospital["facility_code"], "99001");
        let received = hospital["received"].as_array().unwrap();
        let tags: Vec<&str> = received
            .iter()
            .flat_map(|r| r["tags"].as_array().unwrap())
            .map(|t| t.as_str().unwrap())
            .collect();
        assert!(tags.contains(&accepted.as_str()), "{hospital}");
        assert!(!tags.contains(&refused.as_str()), "{hospital}");
        let held: i64 = received.iter().map(|r| r["count"].as_i64().unwrap()).sum();
        assert_eq!(held, tags.len() as i64);
        assert!(received
            .iter()
            .all(|r| r["campaign_id"].is_i64() && r["item"]["th"].is_string()));
        for r in hospital["open_requests"].as_array().unwrap() {
            let mut keys: Vec<&str> = r.as_object().unwrap().keys().map(String::as_str).collect();
            keys.sort_unstable();
            assert_eq!(
                keys,
                ["item", "missing", "priority", "quantity", "status", "unit"]
            );
            assert!(r["missing"].as_i64().unwrap() <= r["quantity"].as_i64().unwrap());
        }
        assert!(!hospital.to_string().contains("patients"));

        // A received gift's trace: a share of every purchase, pro rata, and the units with their
        // hospitals; no donor's name.
        let (reference, donor) = received_gift(&app.db).await;
        let trace = json_ok(&app, &format!("/api/v1/donations/{reference}/trace")).await;
        assert_eq!(trace["in_kind"], false);
        let amount = money(&trace, "amount");
        let whole = money(&trace, "campaign_received");
        // Purchases are paid from gifts and carried-in money alike, so a gift's share is of both.
        assert_eq!(whole.satang(), raised.satang() + carried_in.satang());
        let purchases = trace["purchases"].as_array().unwrap();
        assert!(purchases.iter().any(|p| money(p, "total") == total));
        let mut sum = 0;
        for p in purchases {
            let share = money(p, "share");
            assert_eq!(share, pro_rata(money(p, "total"), amount, whole), "{p}");
            sum += share.satang();
            assert!(p["invoice_date"].is_string() && p["items"][0]["quantity"].is_i64());
        }
        assert_eq!(money(&trace, "total_share").satang(), sum);
        let units = trace["units"].as_array().unwrap();
        let at = |tag: &str| {
            units
                .iter()
                .find(|u| u["tag"] == tag)
                .unwrap_or_else(|| panic!("{tag} is in the trace"))
                .clone()
        };
        assert_eq!(at(&accepted)["hospital"]["facility_code"], "99001");
        assert_eq!(at(&refused)["hospital"], Value::Null);
        assert_eq!(at(&refused)["status"], "in_stock");
        let text = trace.to_string();
        if let Some(name) = donor.filter(|n| !n.trim().is_empty()) {
            assert!(!text.contains(&name), "the trace names its donor");
        }
        assert!(!text.contains("donor"));

        // A pledge bought nothing yet: its trace is not found, like an unknown reference.
        let pledge = donations::pledge(
            &app.db,
            &Caller::anonymous().at("198.51.100.7"),
            &PledgeInput {
                campaign_id: CampaignId(1),
                amount: "500".into(),
                idempotency_key: key(),
                ..PledgeInput::default()
            },
        )
        .await
        .unwrap()
        .reference;
        json_not_found(&app, &format!("/api/v1/donations/{pledge}/trace")).await;
        json_not_found(&app, "/api/v1/donations/PP-0000-0000-0000-0000/trace").await;

        // A gift in kind is traced to its own units, not to a share of the purchases.
        let finance = Caller::signed_in(&demo_user(&app.db, "demo-finance").await);
        let gift = donations::record(
            &app.db,
            &finance,
            &DonationInput {
                campaign_id: CampaignId(1),
                channel: "in_kind".into(),
                amount: "30000".into(),
                donor_name: "บริษัท ให้เตียง จำกัด".into(),
                show_name: true,
                item: "1".into(),
                quantity: "2".into(),
                idempotency_key: key(),
                ..DonationInput::default()
            },
        )
        .await
        .expect("record a gift in kind")
        .reference;
        assert_eq!(
            stock::stock_gift(&app.db, &finance, &gift).await.unwrap(),
            2
        );
        let given: Vec<(String,)> = sqlx::query_as(
        "select u.asset_tag from equipment_unit u join donation d on d.donation_id = u.donation_id
         where d.reference_code = $1 order by u.equipment_unit_id",
    )
    .bind(&gift)
    .fetch_all(app.db.reader())
    .await
    .unwrap();
        let in_kind = json_ok(&app, &format!("/api/v1/donations/{gift}/trace")).await;
        assert_eq!(in_kind["in_kind"], true);
        assert_eq!(money(&in_kind, "amount"), Money::from_baht(30_000));
        assert_eq!(in_kind["purchases"], Value::Array(vec![]));
        assert_eq!(money(&in_kind, "total_share"), Money::ZERO);
        let traced: Vec<&str> = in_kind["units"]
            .as_array()
            .unwrap()
            .iter()
            .map(|u| u["tag"].as_str().unwrap())
            .collect();
        let given: Vec<&str> = given.iter().map(|(t,)| t.as_str()).collect();
        assert_eq!(traced, given);
        assert!(!in_kind.to_string().contains("ให้เตียง"));
        let gift_page = html(&app, &format!("/donations/{gift}")).await;
        assert!(gift_page.contains("สิ่งของที่คุณบริจาคไปที่ไหน"));
        assert!(gift_page.contains(&format!("href=\"/units/{}\"", given[0])));

        // Unknown things are 404 in JSON.
        for path in [
            "/api/v1/campaigns/999999",
            "/api/v1/campaigns/abc",
            "/api/v1/hospitals/00000",
            "/api/v1/hospitals/9900",
            "/api/v1/units/EQ-1-99999",
        ] {
            json_not_found(&app, path).await;
        }

        // The pages: unit → hospital, hospital → unit, donation → unit and hospital.
        let unit_page = html(&app, &format!("/units/{accepted}")).await;
        assert!(unit_page.contains(&accepted));
        assert!(unit_page.contains("href=\"/hospitals/99001\""));
        assert!(unit_page.contains("href=\"/campaigns/1\""));
        assert!(unit_page.contains("12,345.67"));
        let refused_page = html(&app, &format!("/units/{refused}")).await;
        assert!(!refused_page.contains("href=\"/hospitals/99001\""));
        assert_eq!(app.get("/units/EQ-1-99999").await.status(), 404);
        let hospital_page = html(&app, "/hospitals/99001").await;
        assert!(hospital_page.contains(&format!("href=\"/units/{accepted}\"")));
        assert!(!hospital_page.contains(&format!("href=\"/units/{refused}\"")));
        let donation_page = html(&app, &format!("/donations/{reference}")).await;
        assert!(donation_page.contains("เงินของคุณไปที่ไหน"));
        assert!(donation_page.contains(&format!("href=\"/units/{accepted}\"")));
        assert!(donation_page.contains("href=\"/hospitals/99001\""));
        let pledge_page = html(&app, &format!("/donations/{pledge}")).await;
        assert!(!pledge_page.contains("เงินของคุณไปที่ไหน"));
    }
);
