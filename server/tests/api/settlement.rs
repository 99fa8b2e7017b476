//! A campaign's report and its settlement, on SQLite and PostgreSQL: the report balances to the
//! satang; settling waits until every discrepancy is acknowledged in writing; a settled
//! campaign is read-only and its report public; a balance carried to another campaign is a
//! balanced entry in each that the other can spend; only finance officers report and settle;
//! and the demo's settled campaign shows it all over HTTP, without JavaScript.

use crate::common;

use app::error::AppError;
use app::model::account::Role;
use app::model::donation::DonationInput;
use app::model::report::{AcknowledgeInput, Problem, SettleInput};
use app::model::{CampaignId, Money};
use app::server::db::campaign as campaigns;
use app::server::db::campaign_fund;
use app::server::demo::DEMO_PASSWORD;
use app::server::service::settlement;
use app::server::{donations, ledger, Caller, Db};
use common::{get_as, post_pairs, sign_in};

fn key() -> String {
    format!("test-{:032x}", rand::random::<u128>())
}

async fn officer(db: &Db, name: &str, role: Role) -> Caller {
    let user = common::account_with_role(db, name, role).await;
    Caller::signed_in(&user).at("203.0.113.30")
}

async fn campaign(db: &Db, title: &str) -> CampaignId {
    let mut tx = db.begin().await.unwrap();
    let id = campaigns::insert(&mut tx, &common::open_campaign(title, 100_000, 30))
        .await
        .unwrap();
    tx.commit().await.unwrap();
    id
}

async fn gift(db: &Db, finance: &Caller, campaign: CampaignId, channel: &str, amount: &str) {
    donations::record(
        db,
        finance,
        &DonationInput {
            campaign_id: campaign,
            channel: channel.into(),
            amount: amount.into(),
            idempotency_key: key(),
            ..Default::default()
        },
    )
    .await
    .unwrap();
}

fn ack(campaign: CampaignId, key: &str, reason: &str) -> AcknowledgeInput {
    AcknowledgeInput {
        campaign_id: campaign.get(),
        key: key.to_owned(),
        reason: reason.to_owned(),
        publish: false,
    }
}

/// Closes a campaign to gifts, as a finance officer does before settling it.
async fn close(db: &Db, finance: &Caller, campaign: CampaignId) {
    app::server::service::campaigns::set_campaign_status(
        db,
        finance,
        campaign,
        app::model::status::CampaignStatus::Closed,
    )
    .await
    .unwrap();
}

fn settle_input(campaign: CampaignId, carry_to: &str) -> SettleInput {
    SettleInput {
        campaign_id: campaign.get(),
        carry_to: carry_to.to_owned(),
    }
}

fn conflict(result: Result<impl std::fmt::Debug, AppError>) {
    match result {
        Err(e) => assert_eq!(e.status(), 409, "{e:?}"),
        Ok(v) => panic!("expected a conflict, got {v:?}"),
    }
}

fn field_error(result: Result<impl std::fmt::Debug, AppError>, field: &str) {
    match result {
        Err(AppError::Validation(list)) => {
            assert!(list.iter().any(|f| f.field == field), "{list:?}")
        }
        other => panic!("expected an error on {field}, got {other:?}"),
    }
}

async fn fund_cash(db: &Db, campaign: CampaignId) -> i64 {
    let (n,): (i64,) = sqlx::query_as(
        "select cast(coalesce(sum(debit_satang - credit_satang), 0) as bigint) from journal_line
         where campaign_id = $1 and account = 'fund_cash'",
    )
    .bind(campaign.get())
    .fetch_one(db.reader())
    .await
    .unwrap();
    n
}

on_both_engines!(
    the_report_balances_and_settling_waits_for_every_acknowledgement,
    |db: Db| async move {
        let finance = officer(&db, "report-finance", Role::FinanceOfficer).await;
        let id = campaign(&db, "รายงานทดสอบ").await;
        gift(&db, &finance, id, "cash", "1000.01").await;
        gift(&db, &finance, id, "bank_transfer", "2500").await;
        gift(&db, &finance, id, "cash", "0.99").await;
        // Still taking gifts: that alone blocks settling, and the report says so.
        let r = settlement::report(&db, &finance, id).await.unwrap();
        assert_eq!(r.blockers, [app::model::settlement::Blocker::StillOpen]);
        conflict(settlement::settle(&db, &finance, &settle_input(id, "")).await);
        close(&db, &finance, id).await;

        let r = settlement::report(&db, &finance, id).await.unwrap();
        assert!(r.blockers.is_empty());
        assert_eq!(r.total_in(), Money::from_satang(350_100));
        assert_eq!(r.balance(), Money::from_satang(350_100));
        assert_eq!(r.journal_cash, Money::from_satang(350_100));
        assert!(r.balances());
        let cash = r.money_in.iter().find(|l| l.label.th == "เงินสด").unwrap();
        assert_eq!((cash.count, cash.amount), (2, Money::from_satang(100_100)));
        // No statement is imported: that is the one discrepancy, and it blocks settlement.
        assert_eq!(r.discrepancies.len(), 1);
        assert_eq!(r.discrepancies[0].problem, Problem::NoStatement);
        assert!(!r.settleable());
        conflict(settlement::settle(&db, &finance, &settle_input(id, "")).await);

        field_error(
            settlement::acknowledge(&db, &finance, &ack(id, "bank-none", "ok")).await,
            "reason",
        );
        conflict(
            settlement::acknowledge(&db, &finance, &ack(id, "credit-999", "ไม่มีรายการนี้")).await,
        );
        let input = ack(id, "bank-none", "เงินสดฝากครบตามใบนำฝาก");
        settlement::acknowledge(&db, &finance, &input)
            .await
            .unwrap();
        // Again: nothing new, no error.
        settlement::acknowledge(&db, &finance, &input)
            .await
            .unwrap();
        let r = settlement::report(&db, &finance, id).await.unwrap();
        assert!(r.settleable());
        let by = &r.discrepancies[0].acknowledged.as_ref().unwrap().by;
        assert_eq!(by, "report-finance");

        // Nothing is stored half-way when settling is refused: a bad carry target.
        field_error(
            settlement::settle(&db, &finance, &settle_input(id, "abc")).await,
            "carry_to",
        );
        field_error(
            settlement::settle(&db, &finance, &settle_input(id, &id.get().to_string())).await,
            "carry_to",
        );
        field_error(
            settlement::settle(&db, &finance, &settle_input(id, "987654")).await,
            "carry_to",
        );
        assert_eq!(
            settlement::public_report(&db, id).await.unwrap_err(),
            AppError::NotFound
        );

        let carried = settlement::settle(&db, &finance, &settle_input(id, ""))
            .await
            .unwrap();
        assert_eq!(carried, Money::ZERO);
        let public = settlement::public_report(&db, id).await.unwrap();
        assert_eq!(public.balance(), Money::from_satang(350_100));
        let settled = public.settled.as_ref().unwrap();
        assert_eq!(settled.by, "report-finance");
        // The public copy shows the acknowledgement without who gave it, and without its words
        // unless the officer let them be published.
        let a = public.discrepancies[0].acknowledged.as_ref().unwrap();
        assert_eq!((a.by.as_str(), a.reason.as_str()), ("", ""));

        // Read-only from now on.
        conflict(settlement::settle(&db, &finance, &settle_input(id, "")).await);
        conflict(settlement::acknowledge(&db, &finance, &input).await);
        let late = donations::record(
            &db,
            &finance,
            &DonationInput {
                campaign_id: id,
                channel: "cash".into(),
                amount: "10".into(),
                idempotency_key: key(),
                ..Default::default()
            },
        )
        .await;
        assert!(late.is_err(), "a settled campaign took a gift");
        assert_eq!(ledger::check(&db).await.unwrap(), vec![]);
    }
);

on_both_engines!(
    a_carried_balance_is_a_balanced_entry_in_each_campaign_and_can_be_spent,
    |db: Db| async move {
        let finance = officer(&db, "carry-finance", Role::FinanceOfficer).await;
        let from = campaign(&db, "กองที่ปิดบัญชี").await;
        let to = campaign(&db, "กองที่รับยอดยกมา").await;
        gift(&db, &finance, from, "cash", "1234.56").await;
        gift(&db, &finance, to, "cash", "100").await;
        close(&db, &finance, from).await;
        let input = ack(from, "bank-none", "เงินสดฝากครบตามใบนำฝาก");
        settlement::acknowledge(&db, &finance, &input)
            .await
            .unwrap();

        let carried = settlement::settle(&db, &finance, &settle_input(from, &to.get().to_string()))
            .await
            .unwrap();
        assert_eq!(carried, Money::from_satang(123_456));
        assert_eq!(fund_cash(&db, from).await, 0);
        assert_eq!(fund_cash(&db, to).await, 123_456 + 10_000);
        // The taker may spend it; the giver has nothing left.
        let mut tx = db.begin().await.unwrap();
        assert_eq!(
            campaign_fund::available(&mut tx, to).await.unwrap(),
            Money::from_satang(133_456)
        );
        assert_eq!(
            campaign_fund::available(&mut tx, from).await.unwrap(),
            Money::ZERO
        );
        drop(tx);

        let giver = settlement::public_report(&db, from).await.unwrap();
        assert_eq!(giver.carried_out.len(), 1);
        assert_eq!(giver.carried_out[0].campaign, to);
        assert_eq!(giver.total_out(), Money::from_satang(123_456));
        assert_eq!(giver.balance(), Money::ZERO);
        assert!(giver.balances());
        let taker = settlement::report(&db, &finance, to).await.unwrap();
        assert_eq!(taker.carried_in.len(), 1);
        assert!(taker.carried_in[0].incoming);
        assert_eq!(taker.total_in(), Money::from_satang(133_456));
        assert!(taker.balances());
        // A settled campaign cannot take a balance.
        let third = campaign(&db, "กองที่สาม").await;
        close(&db, &finance, third).await;
        settlement::acknowledge(&db, &finance, &ack(third, "bank-none", "ไม่มีเงินเข้าเลยจริง"))
            .await
            .ok();
        field_error(
            settlement::settle(&db, &finance, &settle_input(third, &from.get().to_string())).await,
            "carry_to",
        );
        assert_eq!(ledger::check(&db).await.unwrap(), vec![]);
    }
);

on_both_engines!(
    only_finance_officers_report_and_settle,
    |db: Db| async move {
        let id = campaign(&db, "สิทธิ์").await;
        let admin = officer(&db, "settle-admin", Role::Administrator).await;
        let nobody = Caller::anonymous();
        for (caller, status) in [(&admin, 403), (&nobody, 401)] {
            let report = settlement::report(&db, caller, id).await;
            assert_eq!(report.map(|_| ()).unwrap_err().status(), status);
            let a = settlement::acknowledge(&db, caller, &ack(id, "bank-none", "ไม่ใช่หน้าที่")).await;
            assert_eq!(a.unwrap_err().status(), status);
            let s = settlement::settle(&db, caller, &settle_input(id, "")).await;
            assert_eq!(s.map(|_| ()).unwrap_err().status(), status);
        }
        let (status,): (String,) =
            sqlx::query_as("select status from campaign where campaign_id = $1")
                .bind(id.get())
                .fetch_one(db.reader())
                .await
                .unwrap();
        assert_eq!(status, "open");
    }
);

/// The demo's campaigns: the settled one and the open one that took its balance.
async fn demo_campaigns(app: &common::TestApp) -> (i64, i64) {
    let (settled,): (i64,) =
        sqlx::query_as("select campaign_id from campaign where status = 'settled'")
            .fetch_one(app.db.reader())
            .await
            .unwrap();
    let (open,): (i64,) = sqlx::query_as("select to_campaign_id from carry_over")
        .fetch_one(app.db.reader())
        .await
        .unwrap();
    (settled, open)
}

http_test!(the_demo_settled_campaign_is_public_and_read_only, |app| {
    let (settled, open) = demo_campaigns(&app).await;
    let page = app.get(&format!("/campaigns/{settled}/report")).await;
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    for words in ["ปิดบัญชีเมื่อ", "ยกไปยัง", "✓", "รวมทั้งหมด"]
    {
        assert!(html.contains(words), "the public report lacks {words}");
    }
    // Units: 8 wheelchairs and 3 beds, all received by two hospitals.
    assert!(html.contains("units-total\">11<"), "units total");
    // The charts and the map are drawn on the server: a cumulative line per channel, the bar
    // of where the money went, a bar per district, and the two hospitals sized by their units
    // on a map of the province's districts, each with its figures as text.
    for part in [
        "money-in-chart",
        "class=\"series series-cash\"",
        "spent-chart",
        "bar bar-spent",
        "district-chart",
        "hospital-map",
        "district-point",
    ] {
        assert!(html.contains(part), "the public report lacks {part}");
    }
    assert_eq!(
        html.matches("class=\"hospital-marker received\"").count(),
        2,
        "two hospitals received units"
    );
    assert!(
        html.matches("class=\"district-point\"").count() >= 20,
        "the province's districts"
    );
    // No donation reference (they open donors' pages), no officer's name on the public
    // acknowledgements (only who settled).
    assert!(
        !html.contains("PP-"),
        "a donation reference on the public report"
    );
    assert!(!html.contains("เจ้าหน้าที่การเงิน (ตัวอย่าง) ·"));
    // Both campaigns' pages show the carry-over; the open one has no public report.
    let giver = app
        .get(&format!("/campaigns/{settled}"))
        .await
        .text()
        .await
        .unwrap();
    assert!(giver.contains(&format!("/campaigns/{settled}/report")));
    assert!(giver.contains("ยกยอดคงเหลือไปยัง"));
    let taker = app
        .get(&format!("/campaigns/{open}"))
        .await
        .text()
        .await
        .unwrap();
    assert!(taker.contains("รับยอดคงเหลือยกมาจาก"));
    assert_eq!(
        app.get(&format!("/campaigns/{open}/report")).await.status(),
        404
    );

    // The officers' report and its forms.
    let path = format!("/finance/campaigns/{open}/report");
    assert_eq!(get_as(&app, None, &path).await.status(), 401);
    let staff = sign_in(&app, "demo-staff", DEMO_PASSWORD).await;
    assert_eq!(get_as(&app, Some(&staff), &path).await.status(), 403);
    let finance = sign_in(&app, "demo-finance", DEMO_PASSWORD).await;
    let page = get_as(&app, Some(&finance), &path).await;
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    assert!(html.contains("ack-form"), "acknowledgement forms");
    assert!(
        html.contains("ยังปิดบัญชีไม่ได้"),
        "the open campaign is not ready"
    );

    let acknowledge = format!("/finance/campaigns/{open}/report/acknowledge");
    let short = post_pairs(
        &app,
        Some(&finance),
        &acknowledge,
        &[("key", "bank-none".into()), ("reason", "ok".into())],
    )
    .await;
    assert_eq!(short.status(), 422);
    let body = short.text().await.unwrap();
    assert!(body.contains("data-field=\"reason\""), "{body}");
    for form in ["report/acknowledge", "settle"] {
        let path = format!("/finance/campaigns/{open}/{form}");
        let anonymous = post_pairs(&app, None, &path, &[("confirm", "yes".into())]).await;
        assert_eq!(anonymous.status(), 401, "{path}");
    }
    let stranger = post_pairs(
        &app,
        Some(&staff),
        &format!("/finance/campaigns/{open}/settle"),
        &[("confirm", "yes".into())],
    )
    .await;
    assert_eq!(stranger.status(), 403);
    let unconfirmed = post_pairs(
        &app,
        Some(&finance),
        &format!("/finance/campaigns/{open}/settle"),
        &[("carry_to", String::new())],
    )
    .await;
    assert_eq!(unconfirmed.status(), 422);
    let not_ready = post_pairs(
        &app,
        Some(&finance),
        &format!("/finance/campaigns/{open}/settle"),
        &[("confirm", "yes".into())],
    )
    .await;
    assert_eq!(not_ready.status(), 409);
    let again = post_pairs(
        &app,
        Some(&finance),
        &format!("/finance/campaigns/{settled}/settle"),
        &[("confirm", "yes".into())],
    )
    .await;
    assert_eq!(again.status(), 409);
    // An acknowledgement that takes: back to the report with a notice.
    let r = settlement::report(
        &app.db,
        &Caller::signed_in(&common::demo_user(&app.db, "demo-finance").await),
        CampaignId(open),
    )
    .await
    .unwrap();
    let first = r
        .discrepancies
        .iter()
        .find(|d| d.acknowledged.is_none())
        .unwrap();
    let done = post_pairs(
        &app,
        Some(&finance),
        &acknowledge,
        &[
            ("key", first.key.clone()),
            ("reason", "ตรวจแล้วกับผู้บริจาค".into()),
        ],
    )
    .await;
    assert_eq!(done.status(), 303);
    let anchor = app::model::report::anchor_of(&first.key);
    let back = format!("/finance/campaigns/{open}/report?ack={anchor}#{anchor}");
    assert_eq!(done.headers()["location"], back.as_str());
    // The answer is beside the discrepancy the officer acted on, not at the top of the page.
    let page = get_as(&app, Some(&finance), &back)
        .await
        .text()
        .await
        .unwrap();
    let item = page
        .find(&format!("id=\"{anchor}\""))
        .expect("the item has its anchor");
    let notice = page.find("บันทึกคำชี้แจงแล้ว").expect("the notice is shown");
    assert!(notice > item && notice - item < 400, "{item} {notice}");
    assert_eq!(ledger::check(&app.db).await.unwrap(), vec![]);
});

http_test!(a_settled_campaign_takes_no_decision_or_delivery, |app| {
    let (settled, _) = demo_campaigns(&app).await;
    let staff = common::demo_user(&app.db, "demo-staff-4").await;
    let finance = common::demo_user(&app.db, "demo-finance").await;
    let hospital = app::model::HospitalId(common::hospital_id(&app, "99015").await);
    let settled_words = |e: AppError| {
        assert_eq!(e.status(), 409, "{e:?}");
        assert!(e.message(app::model::Lang::En).contains("settled"), "{e:?}");
    };
    // A request left submitted in the settled campaign (written straight into the table, as
    // no service would take it now): neither its hospital nor an officer can change it.
    let now = app::server::db::time::now();
    let (item,): (i64,) = sqlx::query_as(
        "select equipment_item_id from equipment_unit where campaign_id = $1 limit 1",
    )
    .bind(settled)
    .fetch_one(app.db.reader())
    .await
    .unwrap();
    sqlx::query(
        "insert into equipment_request (campaign_id, hospital_id, equipment_item_id, quantity,
           patients_homebound, patients_bedbound, patients_end_of_life, units_held, reason,
           priority, status, requested_by, created_at, updated_at)
         values ($1, $2, $3, 1, 1, 1, 0, 0, 'เหลือค้างจากก่อนปิดบัญชี', 'normal', 'submitted', $4, $5, $5)",
    )
    .bind(settled)
    .bind(hospital.get())
    .bind(item)
    .bind(staff.account_id.0)
    .bind(&now)
    .execute(app.db.reader())
    .await
    .unwrap();
    let (request,): (i64,) = sqlx::query_as(
        "select max(equipment_request_id) from equipment_request where campaign_id = $1",
    )
    .bind(settled)
    .fetch_one(app.db.reader())
    .await
    .unwrap();
    let request = app::model::RequestId(request);
    settled_words(
        app::server::service::requests::decide(
            &app.db,
            &Caller::signed_in(&finance),
            &app::model::request::DecisionInput {
                request_id: request,
                approve: true,
                reason: "อนุมัติตามความจำเป็น".into(),
                seen: "2026-11-01T00:00:00.000000Z".into(),
                ..Default::default()
            },
        )
        .await
        .unwrap_err(),
    );
    settled_words(
        app::server::service::requests::withdraw(&app.db, &Caller::signed_in(&staff), request)
            .await
            .unwrap_err(),
    );
    // A unit shown as still on its way: its hospital cannot confirm it into the closed books.
    let (tag,): (String,) = sqlx::query_as(
        "select asset_tag from equipment_unit where campaign_id = $1 and hospital_id = $2 limit 1",
    )
    .bind(settled)
    .bind(hospital.get())
    .fetch_one(app.db.reader())
    .await
    .unwrap();
    sqlx::query("update equipment_unit set status = 'dispatched' where asset_tag = $1")
        .bind(&tag)
        .execute(app.db.reader())
        .await
        .unwrap();
    settled_words(
        app::server::service::stock::confirm(
            &app.db,
            &Caller::signed_in(&staff),
            &app::model::equipment::ConfirmInput {
                hospital_id: hospital,
                tag,
                answer: "accept".into(),
                reason: String::new(),
                condition: String::new(),
            },
        )
        .await
        .unwrap_err(),
    );
});

// The open demo campaign has units allocated and on their way, a purchase awaiting its second
// approval, and takes gifts: settling it would strand all of it, so it is refused, naming each.
http_test!(settling_never_strands_live_work, |app| {
    let finance = app::server::Caller::signed_in(&common::demo_user(&app.db, "demo-finance").await);
    let campaign = CampaignId(1);
    let report = settlement::report(&app.db, &finance, campaign)
        .await
        .unwrap();
    use app::model::settlement::Blocker;
    let kinds: Vec<&str> = report
        .blockers
        .iter()
        .map(|b| match b {
            Blocker::StillOpen => "open",
            Blocker::AwaitingApproval { .. } => "awaiting",
            Blocker::NotReceived { .. } => "not received",
            Blocker::UnitOut {
                dispatched: true, ..
            } => "on the way",
            Blocker::UnitOut { .. } => "allocated",
            Blocker::OpenBatch { .. } => "batch",
            Blocker::More { .. } => "more",
        })
        .collect();
    for kind in ["open", "awaiting", "on the way", "allocated"] {
        assert!(kinds.contains(&kind), "{kind} in {kinds:?}");
    }
    let refused = settlement::settle(&app.db, &finance, &settle_input(campaign, ""))
        .await
        .unwrap_err();
    assert_eq!(refused.status(), 409);
    let words = refused.message(app::model::Lang::En);
    assert!(
        words.contains("awaits a second officer") && words.contains("on its way"),
        "{words}"
    );
    let (status,): (String,) = sqlx::query_as("select status from campaign where campaign_id = 1")
        .fetch_one(app.db.reader())
        .await
        .unwrap();
    assert_eq!(status, "open", "nothing stored");
    // The officer sees every blocker, with its link, before typing anything.
    let cookie = sign_in(&app, "demo-finance", DEMO_PASSWORD).await;
    let page = get_as(&app, Some(&cookie), "/finance/campaigns/1/report")
        .await
        .text()
        .await
        .unwrap();
    assert!(
        page.contains("class=\"blockers\""),
        "the blockers are listed"
    );
    assert!(page.contains("/finance/purchases?campaign=1"));
    assert!(
        page.contains("id=\"close\""),
        "and the campaign can be closed to gifts there"
    );
});
