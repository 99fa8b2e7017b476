//! The holes an outside review found in the money paths, each shown closed on SQLite and
//! PostgreSQL: a stranger's pledge named after the bank's own words cannot take another donor's
//! credit or receipt; one officer cannot split a purchase under the second approver; a settled
//! campaign's books take no more writes; a decision names the version it read; unpaid pledges
//! lapse and are acknowledged together; a failed sign-in keeps no text typed for an unknown
//! account; and a one-line statement imports quickly into a campaign with 500,000 lines.

use super::statements::{
    books_are_whole, credit, credit_line, donation, fields, finance_officer, kbiz_file, key,
    open_campaign, pledge, status, today, with_balances,
};
use crate::common;

use app::error::AppError;
use app::model::account::Role;
use app::model::admin::CampaignInput;
use app::model::donation::{BatchInput, BatchRowInput, DonationInput, PledgeInput};
use app::model::equipment::{PurchaseInput, PurchaseLineInput};
use app::model::report::{AcknowledgeInput, Problem, SettleInput};
use app::model::statement::{Evidence, Mapping};
use app::model::status::PurchaseStatus;
use app::model::{CampaignId, EquipmentItemId, Money};
use app::server::db::time;
use app::server::service::{batches, campaigns, purchases, settlement, statements};
use app::server::{donations, Caller, Db};
use chrono::{Duration, Utc};
use std::time::Instant;

/// Moves a pledge's making back to `at`, as if it had been made then.
async fn made_at(db: &Db, reference: &str, at: chrono::DateTime<Utc>) {
    let mut tx = db.begin().await.unwrap();
    sqlx::query("update donation set created_at = $1 where reference_code = $2")
        .bind(time::instant(at))
        .bind(reference)
        .execute(&mut *tx)
        .await
        .unwrap();
    tx.commit().await.unwrap();
}

/// A pledge with a name and a national ID (what a tax receipt would carry).
async fn named_pledge(db: &Db, campaign: CampaignId, satang: i64, name: &str) -> String {
    donations::pledge(
        db,
        &Caller::anonymous(),
        &PledgeInput {
            campaign_id: campaign,
            amount: super::statements::typed(satang),
            donor_name: name.to_owned(),
            show_name: true,
            national_id: "1-1017-00203-45-0".into(),
            email: String::new(),
            idempotency_key: key(),
        },
    )
    .await
    .unwrap()
    .reference
}

async fn receipts_of(db: &Db, reference: &str) -> i64 {
    donation(db, reference).await.3
}

on_both_engines!(
    a_stranger_named_after_the_banks_words_takes_no_credit,
    |db: Db| async move {
        let finance = finance_officer(&db, "words-finance").await;
        let campaign = open_campaign(&db, "คำของธนาคาร").await;
        let kbiz = Mapping::kbiz();
        let yesterday = Utc::now() - Duration::days(1);

        // A tie: an anonymous donor and a stranger named "รับโอนเงิน" pledge the same amount;
        // the bank's line names no payer. Nothing is matched, and the stranger's name is no hint.
        let real = pledge(&db, campaign, 150_000, "").await;
        let stranger = named_pledge(&db, campaign, 150_000, "รับโอนเงิน").await;
        made_at(&db, &real, yesterday).await;
        made_at(&db, &stranger, yesterday).await;
        let file = kbiz_file(&with_balances(&[credit(
            today(),
            150_000,
            "PromptPay X0000",
        )]));
        let outcome = statements::import(&db, &finance, campaign, "1.csv", &file, &kbiz)
            .await
            .unwrap();
        assert_eq!(outcome.auto_matched, 0);
        assert_eq!(credit_line(&db, campaign, 150_000).await.1, None);
        assert_eq!(donation(&db, &stranger).await.1, "pledged");
        assert_eq!(receipts_of(&db, &stranger).await, 0);
        let desk = statements::overview(&db, &finance, campaign).await.unwrap();
        let waiting = &desk.unmatched_credits[0];
        assert_eq!(waiting.candidates.len(), 2);
        assert!(waiting
            .candidates
            .iter()
            .all(|c| c.evidence == Evidence::Amount));

        // A credit waits with no pledge; a stranger then pledges its amount under the bank's
        // words; the next import (with another credit of that amount, from before the pledge)
        // still gives the stranger nothing.
        let lone = kbiz_file(&with_balances(&[credit(today(), 200_000, "จาก X4321")]));
        statements::import(&db, &finance, campaign, "2.csv", &lone, &kbiz)
            .await
            .unwrap();
        let waiting_line = credit_line(&db, campaign, 200_000).await.0;
        let late = named_pledge(&db, campaign, 200_000, "รับโอนเงิน").await;
        let next = kbiz_file(&with_balances(&[
            credit(today() - Duration::days(1), 200_000, "จาก X9999"),
            credit(today(), 77_700, "จาก X1111"),
        ]));
        statements::import(&db, &finance, campaign, "3.csv", &next, &kbiz)
            .await
            .unwrap();
        let (line_donation,): (Option<i64>,) =
            sqlx::query_as("select donation_id from bank_line where bank_line_id = $1")
                .bind(waiting_line)
                .fetch_one(db.reader())
                .await
                .unwrap();
        assert_eq!(line_donation, None, "the waiting credit stays unmatched");
        assert_eq!(donation(&db, &late).await.1, "pledged");
        assert_eq!(receipts_of(&db, &late).await, 0);
        // By hand neither: the pledge was made after the money was in the bank.
        let by_hand = statements::match_line(
            &db,
            &finance,
            &app::model::statement::MatchInput {
                line_id: waiting_line,
                reference: late.clone(),
            },
        )
        .await;
        assert_eq!(fields(by_hand)[0].field, "reference");
        books_are_whole(&db).await;
    }
);

on_both_engines!(
    an_amount_no_tail_made_unique_never_matches_on_its_own,
    |db: Db| async move {
        let finance = finance_officer(&db, "untailed-finance").await;
        let kbiz = Mapping::kbiz();

        // The tail off: a stranger's pledge of a round amount, alone with it, waits for an
        // officer when a transfer of that amount comes.
        let plain = open_campaign(&db, "ไม่มีเศษสตางค์").await;
        let stranger = named_pledge(&db, plain, 50_000, "สมชาย").await;
        made_at(&db, &stranger, Utc::now() - Duration::days(1)).await;
        let file = kbiz_file(&with_balances(&[credit(today(), 50_000, "จาก X1234")]));
        let outcome = statements::import(&db, &finance, plain, "plain.csv", &file, &kbiz)
            .await
            .unwrap();
        assert_eq!(outcome.auto_matched, 0);
        assert_eq!(receipts_of(&db, &stranger).await, 0);
        let desk = statements::overview(&db, &finance, plain).await.unwrap();
        let waiting = &desk.unmatched_credits[0];
        assert_eq!(waiting.candidates.len(), 1);
        assert_eq!(waiting.candidates[0].evidence, Evidence::Amount);

        // The tail on and all 99 tails of ฿1,000 taken: the next pledge of ฿1,000 is made for
        // the amount as typed, marked to be matched by hand, and its donor is told so; a
        // transfer of ฿1,000.00 does not match it on its own.
        let tailed = open_campaign(&db, "เศษสตางค์เต็ม").await;
        statements::set_pledge_tail(&db, &finance, tailed, true)
            .await
            .unwrap();
        for _ in 0..99 {
            pledge(&db, tailed, 100_000, "").await;
        }
        let last = named_pledge(&db, tailed, 100_000, "ผู้มาทีหลัง").await;
        made_at(&db, &last, Utc::now() - Duration::days(1)).await;
        let page = app::server::service::donation_view::view(&db, &Caller::anonymous(), &last)
            .await
            .unwrap();
        assert_eq!(page.amount, Money::from_baht(1_000));
        assert!(page.by_hand, "the donor is told an officer will match it");
        let file = kbiz_file(&with_balances(&[credit(today(), 100_000, "จาก X5678")]));
        let outcome = statements::import(&db, &finance, tailed, "full.csv", &file, &kbiz)
            .await
            .unwrap();
        assert_eq!(outcome.auto_matched, 0);
        assert_eq!(receipts_of(&db, &last).await, 0);
        books_are_whole(&db).await;
    }
);

fn purchase(campaign: CampaignId, vendor: &str, invoice: &str, baht: &str) -> PurchaseInput {
    PurchaseInput {
        campaign_id: campaign,
        vendor_name: vendor.into(),
        vendor_tax_id: String::new(),
        invoice_no: invoice.into(),
        invoice_date: today().to_string(),
        lines: vec![PurchaseLineInput {
            item: "1".into(),
            quantity: "1".into(),
            unit_price: baht.into(),
            justification: "ราคาตามใบเสนอราคาที่ต่ำที่สุดของผู้ขายในจังหวัด".into(),
        }],
        idempotency_key: key(),
    }
}

async fn cash_gift(db: &Db, finance: &Caller, campaign: CampaignId, amount: &str) {
    donations::record(
        db,
        finance,
        &DonationInput {
            campaign_id: campaign,
            channel: "cash".into(),
            amount: amount.into(),
            idempotency_key: key(),
            ..Default::default()
        },
    )
    .await
    .unwrap();
}

// With the demo loaded, for its equipment catalog.
http_test!(
    an_invoice_is_recorded_once_and_a_split_purchase_waits,
    |app| {
        let db = app.db.clone();
        let finance = finance_officer(&db, "split-finance").await;
        let campaign = open_campaign(&db, "แบ่งซื้อ").await;
        cash_gift(&db, &finance, campaign, "300000").await;
        let vendor = "ร้านเตียงดี จำกัด";
        let first = purchases::record(&db, &finance, &purchase(campaign, vendor, "IV-1", "50000"))
            .await
            .unwrap();
        let view = purchases::detail(&db, &finance, first).await.unwrap();
        assert_eq!(
            view.status,
            PurchaseStatus::Approved,
            "at the threshold, not above"
        );

        // The same invoice again, however it is spelled: a field error, nothing stored.
        let again =
            purchases::record(&db, &finance, &purchase(campaign, vendor, "iv 1", "50000")).await;
        assert_eq!(fields(again)[0].field, "invoice_no");
        let spelled = purchases::record(
            &db,
            &finance,
            &purchase(campaign, "ร้านเตียงดี  จำกัด", "IV1", "1000"),
        )
        .await;
        assert_eq!(fields(spelled)[0].field, "invoice_no");

        // A second invoice from the vendor: alone under the threshold, together above it, so it
        // waits for a second officer and says why.
        let second = purchases::record(&db, &finance, &purchase(campaign, vendor, "IV-2", "50000"))
            .await
            .unwrap();
        let view = purchases::detail(&db, &finance, second).await.unwrap();
        assert_eq!(view.status, PurchaseStatus::AwaitingApproval);
        assert_eq!(view.vendor_window, Some(Money::from_baht(100_000)));

        // Another vendor is judged on its own.
        let other = purchases::record(
            &db,
            &finance,
            &purchase(campaign, "ร้านรถเข็น", "IV-1", "10000"),
        )
        .await
        .unwrap();
        let view = purchases::detail(&db, &finance, other).await.unwrap();
        assert_eq!(view.status, PurchaseStatus::Approved);

        // A voided purchase frees its invoice number for the corrected one.
        purchases::void(&db, &finance, first, "บันทึกราคาผิด ต้องบันทึกใหม่")
            .await
            .unwrap();
        let corrected = purchase(campaign, vendor, "IV-1", "40000");
        purchases::record(&db, &finance, &corrected).await.unwrap();
        books_are_whole(&db).await;
    }
);

/// What administrators type to edit the campaign `common::open_campaign` made: the same
/// fields, with `title` and `goal` as given.
fn same_campaign(title: &str, goal: &str) -> CampaignInput {
    let today = today();
    CampaignInput {
        title_th: title.into(),
        goal: goal.into(),
        starts_on: (today - Duration::days(30)).to_string(),
        ends_on: (today + Duration::days(30)).to_string(),
        promptpay_id: "0123456789".into(),
        recipient_tax_id: "0000000000001".into(),
        recipient_name_th: "มูลนิธิทดสอบ".into(),
        ..CampaignInput::default()
    }
}

on_both_engines!(settled_books_take_no_more_writes, |db: Db| async move {
    let finance = finance_officer(&db, "closing-finance").await;
    let admin = common::account_with_role(&db, "closing-admin", Role::Administrator).await;
    let admin = Caller::signed_in(&admin);
    let campaign = open_campaign(&db, "ปิดบัญชีทดสอบ").await;
    cash_gift(&db, &finance, campaign, "1000").await;
    let batch = batches::open(
        &db,
        &finance,
        &BatchInput {
            campaign_id: campaign,
            label: "คืนทอดผ้าป่า".into(),
            expected_count: "1".into(),
            expected_total: "500".into(),
            idempotency_key: key(),
        },
    )
    .await
    .unwrap();
    batches::add_row(
        &db,
        &finance,
        &BatchRowInput {
            batch_id: batch,
            amount: "500".into(),
            donor_name: String::new(),
            show_name: false,
            national_id: String::new(),
            idempotency_key: key(),
        },
    )
    .await
    .unwrap();
    let ack = |key: &str, publish: bool| AcknowledgeInput {
        campaign_id: campaign.get(),
        key: key.to_owned(),
        reason: "เงินสดนำฝากครบตามใบนำฝากธนาคาร".into(),
        publish,
    };
    settlement::acknowledge(&db, &finance, &ack("bank-none", false))
        .await
        .unwrap();
    let settle = SettleInput {
        campaign_id: campaign.get(),
        carry_to: String::new(),
    };
    // An open ceremony batch holds envelopes without receipts, and the campaign still takes
    // gifts: no settling until both are done, and the refusal names them.
    let refused = settlement::settle(&db, &finance, &settle)
        .await
        .unwrap_err();
    assert_eq!(refused.status(), 409);
    let words = refused.message(app::model::Lang::En);
    assert!(
        words.contains("close it to gifts") && words.contains("คืนทอดผ้าป่า"),
        "{words}"
    );
    let report = settlement::report(&db, &finance, campaign).await.unwrap();
    assert_eq!(report.blockers.len(), 2, "{:?}", report.blockers);
    assert!(!report.settleable());
    batches::close(&db, &finance, batch, "").await.unwrap();
    campaigns::set_campaign_status(
        &db,
        &finance,
        campaign,
        app::model::status::CampaignStatus::Closed,
    )
    .await
    .unwrap();
    settlement::settle(&db, &finance, &settle).await.unwrap();

    // Money and scope are frozen, each with the same words.
    let settled = |e: AppError| {
        assert_eq!(e.status(), 409, "{e:?}");
        assert!(e.message(app::model::Lang::En).contains("settled"), "{e:?}");
    };
    settled(
        statements::set_pledge_tail(&db, &finance, campaign, true)
            .await
            .unwrap_err(),
    );
    let goal = same_campaign("ปิดบัญชีทดสอบ", "2000000");
    let refused = campaigns::update_campaign(&db, &admin, campaign, &goal).await;
    settled(refused.unwrap_err());
    let item = EquipmentItemId(1);
    settled(
        campaigns::set_wishlist(&db, &admin, campaign, item, 3)
            .await
            .unwrap_err(),
    );
    settled(
        campaigns::set_campaign_hospital(&db, &admin, campaign, "99001", true)
            .await
            .unwrap_err(),
    );
    let partner = app::model::PartnerId(1);
    settled(
        campaigns::set_campaign_partner(&db, &admin, campaign, partner, true)
            .await
            .unwrap_err(),
    );
    // Its words may still be corrected, and its page then says so.
    let words = same_campaign("ปิดบัญชีทดสอบ (แก้คำผิด)", "1000000");
    campaigns::update_campaign(&db, &admin, campaign, &words)
        .await
        .unwrap();
    let page = app::server::db::campaign::detail(
        &mut db.reader().acquire().await.unwrap(),
        campaign,
        today(),
    )
    .await
    .unwrap()
    .unwrap();
    assert_eq!(page.summary.title.th, "ปิดบัญชีทดสอบ (แก้คำผิด)");
    assert!(page.edited_after_settlement.is_some());

    // The public report shows the acknowledgement's kind, not its words (not published).
    let public = settlement::public_report(&db, campaign).await.unwrap();
    let shown = public.discrepancies[0].acknowledged.as_ref().unwrap();
    assert_eq!(public.discrepancies[0].problem, Problem::NoStatement);
    assert_eq!(shown.reason, "");
    books_are_whole(&db).await;
});

on_both_engines!(
    a_batch_left_open_cannot_issue_receipts_into_settled_books,
    |db: Db| async move {
        let finance = finance_officer(&db, "late-batch-finance").await;
        let campaign = open_campaign(&db, "ซองตกค้าง").await;
        let batch = batches::open(
            &db,
            &finance,
            &BatchInput {
                campaign_id: campaign,
                label: "ซองตกค้าง".into(),
                expected_count: "1".into(),
                expected_total: "100".into(),
                idempotency_key: key(),
            },
        )
        .await
        .unwrap();
        let row = BatchRowInput {
            batch_id: batch,
            amount: "100".into(),
            donor_name: String::new(),
            show_name: false,
            national_id: String::new(),
            idempotency_key: key(),
        };
        batches::add_row(&db, &finance, &row).await.unwrap();
        // Books settled as they could be before settling waited for batches.
        let mut tx = db.begin().await.unwrap();
        sqlx::query("update campaign set status = 'settled' where campaign_id = $1")
            .bind(campaign.get())
            .execute(&mut *tx)
            .await
            .unwrap();
        tx.commit().await.unwrap();
        assert_eq!(status(batches::close(&db, &finance, batch, "").await), 409);
        let (receipts,): (i64,) = sqlx::query_as(
            "select count(*) from receipt r join donation d on d.donation_id = r.donation_id
             where d.campaign_id = $1",
        )
        .bind(campaign.get())
        .fetch_one(db.reader())
        .await
        .unwrap();
        assert_eq!(receipts, 0);
    }
);

on_both_engines!(
    unpaid_pledges_lapse_and_are_acknowledged_together,
    |db: Db| async move {
        let finance = finance_officer(&db, "lapse-finance").await;
        let campaign = open_campaign(&db, "คำมั่นหมดอายุ").await;
        let fresh = pledge(&db, campaign, 10_000, "").await;
        let old = [
            pledge(&db, campaign, 20_000, "").await,
            pledge(&db, campaign, 30_000, "").await,
        ];
        for reference in &old {
            made_at(&db, reference, Utc::now() - Duration::days(20)).await;
        }
        let report = settlement::report(&db, &finance, campaign).await.unwrap();
        let problems: Vec<&Problem> = report.discrepancies.iter().map(|d| &d.problem).collect();
        let lapsed = problems
            .iter()
            .find_map(|p| match p {
                Problem::LapsedPledges {
                    count,
                    total,
                    after_days,
                    ..
                } => Some((*count, *total, *after_days)),
                _ => None,
            })
            .expect("the lapsed pledges, together");
        assert_eq!(lapsed, (2, Money::from_baht(500), 14));
        let open: Vec<_> = problems
            .iter()
            .filter(|p| matches!(p, Problem::OpenPledge { .. }))
            .collect();
        assert_eq!(
            open.len(),
            1,
            "only the fresh pledge is listed alone: {problems:?}"
        );
        let key = report
            .discrepancies
            .iter()
            .find(|d| matches!(d.problem, Problem::LapsedPledges { .. }))
            .unwrap()
            .key
            .clone();
        let input = AcknowledgeInput {
            campaign_id: campaign.get(),
            key,
            reason: "ผู้บริจาคไม่ได้โอนตามที่แจ้ง ติดต่อไม่ได้ (ตรวจแล้ว)".into(),
            publish: true,
        };
        settlement::acknowledge(&db, &finance, &input)
            .await
            .unwrap();
        let report = settlement::report(&db, &finance, campaign).await.unwrap();
        let lapsed = report
            .discrepancies
            .iter()
            .find(|d| matches!(d.problem, Problem::LapsedPledges { .. }))
            .unwrap();
        assert!(
            lapsed.acknowledged.is_some(),
            "one written decision covers both"
        );
        // The donor is told, and the money can still be received if it turns up.
        let page = app::server::service::donation_view::view(&db, &Caller::anonymous(), &old[0])
            .await
            .unwrap();
        assert_eq!(page.lapsed_after_days, Some(14));
        let fresh_page =
            app::server::service::donation_view::view(&db, &Caller::anonymous(), &fresh)
                .await
                .unwrap();
        assert_eq!(fresh_page.lapsed_after_days, None);
        donations::confirm(&db, &finance, &old[0], &Default::default())
            .await
            .unwrap();
        assert_eq!(donation(&db, &old[0]).await.1, "received");
    }
);

http_test!(a_decision_names_the_version_it_read, |app| {
    let finance = common::sign_in(&app, "demo-finance", app::server::demo::DEMO_PASSWORD).await;
    let (request,): (i64,) = sqlx::query_as(
        "select equipment_request_id from equipment_request where status = 'submitted'
         order by equipment_request_id limit 1",
    )
    .fetch_one(app.db.reader())
    .await
    .unwrap();
    let body = format!("input[request_id]={request}&input[approve]=true&input[reason]=ok");
    let answer = common::post_as(&app, Some(&finance), "/api/requests/decide", &body).await;
    assert_eq!(answer.status(), 422);
    let text = answer.text().await.unwrap();
    assert!(text.contains("\"seen\""), "{text}");
    let (status,): (String,) =
        sqlx::query_as("select status from equipment_request where equipment_request_id = $1")
            .bind(request)
            .fetch_one(app.db.reader())
            .await
            .unwrap();
    assert_eq!(status, "submitted");
});

http_test!(
    a_failed_sign_in_keeps_no_text_typed_for_an_unknown_account,
    |app| {
        let secret = "correct-horse-battery-staple";
        app.post_form("/login", &format!("username={secret}&password=x"))
            .await;
        app.post_form("/login", "username=demo-finance&password=not-the-password")
            .await;
        let rows: Vec<(Option<String>, String)> = sqlx::query_as(
            "select record_id, detail from audit_log where action = 'sign_in_failed'
         order by seq",
        )
        .fetch_all(app.db.reader())
        .await
        .unwrap();
        assert_eq!(rows.len(), 2, "{rows:?}");
        assert!(
            rows.iter().all(|(_, detail)| !detail.contains(secret)),
            "{rows:?}"
        );
        assert_eq!(rows[0].0, None);
        assert!(
            rows[1].0.is_some() && rows[1].1.contains("demo-finance"),
            "{rows:?}"
        );
    }
);

/// Fills a campaign's bank history with `n` lines straight in the database: credits of many
/// amounts over the last year, none matched, as years of statements leave them.
async fn history(db: &Db, campaign: CampaignId, by: i64, n: i64) {
    let mut tx = db.begin().await.unwrap();
    let (import,): (i64,) = sqlx::query_as(
        "insert into statement_import (campaign_id, file_name, encoding, line_count, new_lines,
           known_lines, imported_by, imported_at)
         values ($1, 'history.csv', 'UTF-8', $2, $2, 0, $3, $4) returning statement_import_id",
    )
    .bind(campaign.get())
    .bind(n)
    .bind(by)
    .bind(time::now())
    .fetch_one(&mut *tx)
    .await
    .unwrap();
    let series = match db.engine() {
        app::server::Engine::Postgres => "select generate_series(1, $4) as k",
        app::server::Engine::Sqlite => {
            "with recursive s(k) as (select 1 union all select k + 1 from s where k < $4)
             select k from s"
        }
    };
    sqlx::query(&format!(
        "insert into bank_line (campaign_id, statement_import_id, fingerprint, row_no, posted_on,
           posted_time, is_credit, amount_satang, balance_satang, description, channel, details,
           created_at)
         select $1, $2, 'history-' || k, k, $3, '09:00', 1, 10000 + (k % 50000) * 100 + k % 97,
           null, 'รับโอนเงิน', 'K PLUS', 'จาก X' || k, $5
         from ({series}) as numbers"
    ))
    .bind(campaign.get())
    .bind(import)
    .bind((today() - Duration::days(30)).to_string())
    .bind(n)
    .bind(time::now())
    .execute(&mut *tx)
    .await
    .unwrap();
    tx.commit().await.unwrap();
}

on_both_engines!(
    a_one_line_import_costs_the_same_after_half_a_million_lines,
    |db: Db| async move {
        let user = common::account_with_role(&db, "history-finance", Role::FinanceOfficer).await;
        let finance = Caller::signed_in(&user);
        let campaign = open_campaign(&db, "ประวัติยาว").await;
        let started = Instant::now();
        history(&db, campaign, user.account_id.0, 500_000).await;
        eprintln!("500,000 lines stored in {:?}", started.elapsed());
        let reference = pledge(&db, campaign, 123_457, "").await;
        made_at(&db, &reference, Utc::now() - Duration::days(1)).await;
        let kbiz = Mapping::kbiz();
        let mut best = std::time::Duration::MAX;
        for (n, satang) in [(1, 123_457), (2, 98_765), (3, 45_678)] {
            let file = kbiz_file(&with_balances(&[credit(
                today(),
                satang,
                &format!("จาก X{n}"),
            )]));
            let started = Instant::now();
            let outcome = statements::import(&db, &finance, campaign, "one.csv", &file, &kbiz)
                .await
                .unwrap();
            let took = started.elapsed();
            eprintln!(
                "a one-line import took {took:?} ({} new)",
                outcome.new_lines
            );
            assert_eq!(outcome.new_lines, 1);
            best = best.min(took);
        }
        assert_eq!(
            donation(&db, &reference).await.1,
            "received",
            "matched by its amount"
        );
        assert!(
            best < std::time::Duration::from_millis(100),
            "a one-line import into 500,000 lines took {best:?}"
        );
    }
);
