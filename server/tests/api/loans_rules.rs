//! The rules of lending that no path may bend, on SQLite and PostgreSQL: nothing public names a
//! borrower (pages, `/api/v1`, finance exports, the audit log), small counts about patients
//! hide, racing lends of one unit leave one winner, a loan's facts cannot be rewritten, and
//! `check-ledger` catches a counter that disagrees with the loans.

use crate::common;

use app::model::loan::{EndReason, LendInput};
use app::model::HospitalId;
use app::server::demo::DEMO_PASSWORD;
use app::server::service::{ledger, loans};
use app::server::Caller;
use common::{demo_user, get_as, post_pairs, sign_in};

http_test!(
    nothing_public_names_a_borrower_and_small_counts_hide,
    |app| {
        let codes: Vec<(String,)> = sqlx::query_as(
            "select borrower_code from loan union select borrower_code from loan_waiting",
        )
        .fetch_all(app.db.reader())
        .await
        .unwrap();
        assert!(codes.len() >= 10, "the demo lends");
        let mut secrets: Vec<String> = codes.into_iter().map(|(c,)| c).collect();
        let notes: Vec<(Option<String>,)> = sqlx::query_as(
        "select note from care_event where note is not null union select cancel_reason from loan_waiting where cancel_reason is not null",
    )
    .fetch_all(app.db.reader())
    .await
    .unwrap();
        secrets.extend(notes.into_iter().filter_map(|(n,)| n));
        for reason in EndReason::ALL {
            secrets.push(reason.label(app::model::Lang::Th).to_owned());
            secrets.push(reason.label(app::model::Lang::En).to_owned());
        }
        let tags: Vec<(String,)> = sqlx::query_as("select asset_tag from equipment_unit")
            .fetch_all(app.db.reader())
            .await
            .unwrap();
        let hospitals: Vec<(String,)> = sqlx::query_as("select facility_code from hospital")
            .fetch_all(app.db.reader())
            .await
            .unwrap();
        let mut paths = vec![
            "/".to_owned(),
            "/hospitals".to_owned(),
            "/campaigns/3/report".to_owned(),
            "/api".to_owned(),
            "/api/v1/campaigns?limit=200".to_owned(),
            "/api/v1/hospitals?limit=200".to_owned(),
            "/api/v1/units?limit=200".to_owned(),
            "/api/v1/campaigns.csv".to_owned(),
            "/api/v1/hospitals.csv".to_owned(),
            "/api/v1/units.csv".to_owned(),
        ];
        for id in 1..=3 {
            paths.push(format!("/campaigns/{id}"));
            paths.push(format!("/api/v1/campaigns/{id}"));
        }
        for (code,) in &hospitals {
            paths.push(format!("/hospitals/{code}"));
            paths.push(format!("/api/v1/hospitals/{code}"));
        }
        for (tag,) in &tags {
            paths.push(format!("/units/{tag}"));
            paths.push(format!("/api/v1/units/{tag}"));
        }
        let reference = app::server::demo::DEMO_TRACE_REFERENCE;
        paths.push(format!("/donations/{reference}"));
        paths.push(format!("/api/v1/donations/{reference}/trace"));
        let finance = sign_in(&app, "demo-finance", DEMO_PASSWORD).await;
        let admin = sign_in(&app, "demo-admin", DEMO_PASSWORD).await;
        let mut signed: Vec<(String, String)> = Vec::new();
        for id in 1..=3 {
            for file in ["donations", "receipts", "purchases", "units"] {
                signed.push((
                    finance.clone(),
                    format!("/finance/campaigns/{id}/export/{file}.csv"),
                ));
            }
            signed.push((finance.clone(), format!("/finance/stock?campaign={id}")));
        }
        signed.push((admin.clone(), "/admin/audit".to_owned()));
        let mut bodies = Vec::new();
        for path in &paths {
            let r = app.get(path).await;
            assert!(r.status().is_success(), "{path}: {}", r.status());
            bodies.push((path.clone(), r.text().await.unwrap()));
        }
        for (cookie, path) in &signed {
            let r = get_as(&app, Some(cookie), path).await;
            assert!(r.status().is_success(), "{path}: {}", r.status());
            bodies.push((path.clone(), r.text().await.unwrap()));
        }
        let audit = post_pairs(
            &app,
            Some(&admin),
            "/api/audit/list",
            &[("filter[limit]", "500".into())],
        )
        .await;
        bodies.push(("audit list".into(), audit.text().await.unwrap()));
        for (path, body) in &bodies {
            for secret in &secrets {
                assert!(!body.contains(secret.as_str()), "{path} shows {secret:?}");
            }
        }
        // The demo's busiest hospital has served 1–4 homes this fiscal year: hidden, flagged.
        let staff_4 = demo_user(&app.db, "demo-staff-4")
            .await
            .role
            .hospital()
            .unwrap();
        let code = app::server::db::hospital::code_of(
            &mut app.db.reader().acquire().await.unwrap(),
            staff_4,
        )
        .await
        .unwrap()
        .unwrap();
        let json: serde_json::Value = app
            .get(&format!("/api/v1/hospitals/{code}"))
            .await
            .json()
            .await
            .unwrap();
        let lending = &json["lending"];
        // With fewer than 5 units in homes, the other states are withheld too.
        assert_eq!(
            lending["units_hidden"].as_bool().unwrap(),
            lending["loans_out_fewer_than_5"].as_bool().unwrap()
        );
        assert_eq!(
            lending["units"].is_null(),
            lending["units_hidden"].as_bool().unwrap()
        );
        let homes = lending["homes_this_year"].as_i64();
        let hidden = lending["homes_this_year_fewer_than_5"].as_bool().unwrap();
        assert_eq!(hidden, homes.is_none());
        let kept: (i64,) = sqlx::query_as("select homes_served from hospital_loan_year where hospital_id = $1 and fiscal_year = $2")
        .bind(staff_4.get())
        .bind(i64::from(app::model::loan::fiscal_year(app::server::today())))
        .fetch_one(app.db.reader())
        .await
        .unwrap();
        assert_eq!(hidden, (1..5).contains(&kept.0), "kept {}", kept.0);
        let page = app
            .get(&format!("/hospitals/{code}"))
            .await
            .text()
            .await
            .unwrap();
        if hidden {
            assert!(page.contains("น้อยกว่า 5"));
        }
        // The trace of the demo donation shows homes served.
        let trace: serde_json::Value = app
            .get(&format!("/api/v1/donations/{reference}/trace"))
            .await
            .json()
            .await
            .unwrap();
        assert!(
            trace["homes"]["homes_served"].as_i64().unwrap() >= 1,
            "{trace}"
        );
    }
);

on_both_engines!(
    racing_lends_of_one_unit_one_wins,
    |db: app::server::Db| async move {
        app::server::demo::load_if_empty(&db, app::server::today())
            .await
            .unwrap();
        let user = demo_user(&db, "demo-staff-5").await;
        let hospital: HospitalId = user.role.hospital().unwrap();
        let (tag,): (String,) = sqlx::query_as(
        "select asset_tag from equipment_unit where hospital_id = $1 and care = 'ready' and condition = 'working'
         and status = 'received' order by equipment_unit_id limit 1",
    )
    .bind(hospital.get())
    .fetch_one(db.reader())
    .await
    .unwrap();
        let caller = Caller::signed_in(&user);
        let today = app::server::today().format("%Y-%m-%d").to_string();
        let lend = |code: &str| LendInput {
            tag: tag.clone(),
            borrower_code: code.into(),
            out_on: today.clone(),
            handover: "good".into(),
            ..Default::default()
        };
        let (a, b) = (lend("RACE-A"), lend("RACE-B"));
        let (ra, rb) = tokio::join!(
            loans::lend(&db, &caller, hospital, &a),
            loans::lend(&db, &caller, hospital, &b)
        );
        assert_eq!(ra.is_ok() as u8 + rb.is_ok() as u8, 1, "{ra:?} {rb:?}");
        let loser = if ra.is_ok() { rb } else { ra };
        assert!(matches!(loser.unwrap_err().status(), 409 | 422));
        assert!(ledger::check(&db).await.unwrap().is_empty());
        // A loan keeps its borrower and start: the database refuses to rewrite them.
        let mut tx = db.begin().await.unwrap();
        let rewritten = sqlx::query("update loan set borrower_code = 'SOMEONE-ELSE'")
            .execute(&mut *tx)
            .await;
        assert!(rewritten.is_err(), "a loan's borrower code was rewritten");
        drop(tx);
        // A counter that disagrees with the loans is caught.
        let mut tx = db.begin().await.unwrap();
        sqlx::query(
            "update equipment_unit set homes_served = homes_served + 1 where asset_tag = $1",
        )
        .bind(&tag)
        .execute(&mut *tx)
        .await
        .unwrap();
        tx.commit().await.unwrap();
        let v = ledger::check(&db).await.unwrap();
        assert!(v.iter().any(|v| v.0.contains(&tag)), "{v:?}");
    }
);
