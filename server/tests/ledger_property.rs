//! Property: whatever sequence of gifts, pledges, confirmations, voids and batch envelopes
//! happens, the journal balances, every aggregate equals the journal, receipt numbers run without
//! gaps, and the campaign total equals the sum of the gifts still received. Run through the real
//! services on SQLite and PostgreSQL.

mod common;

use app::error::AppError;
use app::model::account::{CurrentUser, Role};
use app::model::donation::{BatchInput, BatchRowInput, DonationInput, PledgeInput};
use app::model::status::CampaignStatus;
use app::model::{CampaignId, Localized, Money};
use app::server::db::campaign::{self as campaigns, NewCampaign, NewRecipient};
use app::server::donations::Confirmation;
use app::server::{batches, donations, ledger, Caller, Db};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};

#[derive(Clone, Debug)]
enum Op {
    Record { satang: i64, in_kind: bool },
    Pledge { satang: i64 },
    Confirm(usize),
    Void(usize),
    Envelope { satang: i64 },
}

fn op() -> impl Strategy<Value = Op> {
    let satang = 1i64..5_000_000;
    prop_oneof![
        (satang.clone(), any::<bool>())
            .prop_map(|(satang, in_kind)| Op::Record { satang, in_kind }),
        satang.clone().prop_map(|satang| Op::Pledge { satang }),
        any::<usize>().prop_map(Op::Confirm),
        any::<usize>().prop_map(Op::Void),
        satang.prop_map(|satang| Op::Envelope { satang }),
    ]
}

fn amount(satang: i64) -> String {
    format!("{}.{:02}", satang / 100, satang % 100)
}

async fn finance_officer(db: &Db) -> CurrentUser {
    common::account_with_role(db, "prop-finance", Role::FinanceOfficer).await
}

async fn open_campaign(db: &Db, n: usize) -> CampaignId {
    let today = app::server::today();
    let mut tx = db.begin().await.unwrap();
    let id = campaigns::insert(
        &mut tx,
        &NewCampaign {
            title: Localized::new(format!("ทดสอบ {n}"), ""),
            story: Localized::default(),
            goal: Money::from_baht(100_000),
            starts_on: today - chrono::Duration::days(10),
            ends_on: today + chrono::Duration::days(10),
            ceremony_on: None,
            ceremony_place: None,
            promptpay_id: Some("0123456789".into()),
            bank_name: None,
            bank_account_no: None,
            bank_account_name: None,
            status: CampaignStatus::Open,
            is_demo: false,
            recipient: Some(NewRecipient {
                tax_id: "0000000000001".into(),
                name: Localized::new("มูลนิธิทดสอบ", ""),
                address: None,
            }),
        },
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    id
}

/// Applies the operations; returns the money that should be in the fund.
async fn apply(db: &Db, user: &CurrentUser, campaign: CampaignId, ops: &[Op]) -> i64 {
    let me = &Caller::signed_in(user).at("203.0.113.7");
    let batch = batches::open(
        db,
        me,
        &BatchInput {
            campaign_id: campaign,
            label: "prop".into(),
            expected_count: "1".into(),
            expected_total: "1".into(),
            idempotency_key: format!("prop-batch-{}", campaign.get()),
        },
    )
    .await
    .unwrap();
    let mut references: Vec<(String, i64, bool)> = Vec::new(); // (reference, satang, is cash)
    let mut expected = 0i64;
    for (i, op) in ops.iter().enumerate() {
        let key = format!("prop-{}-{i}", campaign.get());
        match op {
            Op::Record { satang, in_kind } => {
                let input = DonationInput {
                    campaign_id: campaign,
                    channel: if *in_kind { "in_kind" } else { "cash" }.into(),
                    amount: amount(*satang),
                    item: if *in_kind { "1".into() } else { String::new() },
                    quantity: if *in_kind { "2".into() } else { String::new() },
                    idempotency_key: key,
                    ..DonationInput::default()
                };
                let created = donations::record(db, me, &input).await.unwrap();
                references.push((created.reference, *satang, !in_kind));
                if !in_kind {
                    expected += satang;
                }
            }
            Op::Pledge { satang } => {
                let input = PledgeInput {
                    campaign_id: campaign,
                    amount: amount(*satang),
                    idempotency_key: key,
                    ..PledgeInput::default()
                };
                let created = donations::pledge(db, &Caller::anonymous(), &input)
                    .await
                    .unwrap();
                references.push((created.reference, *satang, false));
            }
            Op::Confirm(pick) if !references.is_empty() => {
                let n = pick % references.len();
                match donations::confirm(db, me, &references[n].0, &Confirmation::default()).await {
                    Ok(_) => {
                        references[n].2 = true;
                        expected += references[n].1;
                    }
                    // Only a pledge can be confirmed, once.
                    Err(AppError::Conflict(_) | AppError::StateConflict { .. }) => {}
                    Err(e) => panic!("confirm failed: {e:?}"),
                }
            }
            Op::Void(pick) if !references.is_empty() => {
                let n = pick % references.len();
                match donations::void(db, me, &references[n].0, "property test void").await {
                    Ok(()) => {
                        if references[n].2 {
                            expected -= references[n].1;
                        }
                        references[n].2 = false;
                    }
                    // Only what is already void is refused.
                    Err(AppError::Conflict(_) | AppError::StateConflict { .. }) => {}
                    Err(e) => panic!("void failed: {e:?}"),
                }
            }
            Op::Envelope { satang } => {
                let input = BatchRowInput {
                    batch_id: batch,
                    amount: amount(*satang),
                    idempotency_key: key,
                    ..BatchRowInput::default()
                };
                let created = batches::add_row(db, me, &input).await.unwrap();
                references.push((created.reference, *satang, true));
                expected += satang;
            }
            Op::Confirm(_) | Op::Void(_) => {}
        }
    }
    batches::close(db, me, batch, "property test: figures are random")
        .await
        .unwrap();
    expected
}

on_both_engines!(
    any_sequence_of_money_events_keeps_the_books,
    |db: Db| async move {
        // Item 1 of the catalog for gifts in kind.
        sqlx::query(
        "insert into equipment_item (code, name_th, name_en, unit_th, unit_en, reference_price_satang, created_at)
         values ('bed', 'เตียง', 'Bed', 'เตียง', 'bed', 100, '2026-01-01T00:00:00Z')",
    )
    .execute(db.reader())
    .await
    .unwrap();
        let user = finance_officer(&db).await;
        let handle = tokio::runtime::Handle::current();
        let mut runner = TestRunner::new(Config {
            cases: 12,
            ..Config::default()
        });
        let case = std::sync::atomic::AtomicUsize::new(0);
        let result = tokio::task::block_in_place(|| {
            runner.run(&proptest::collection::vec(op(), 1..30), |ops| {
                let n = case.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                let (db, user) = (db.clone(), user.clone());
                let (expected, raised, violations) = handle.block_on(async move {
                    let campaign = open_campaign(&db, n).await;
                    let expected = apply(&db, &user, campaign, &ops).await;
                    let (raised,): (i64,) = sqlx::query_as(
                        "select raised_satang from campaign_fund where campaign_id = $1",
                    )
                    .bind(campaign.get())
                    .fetch_one(db.reader())
                    .await
                    .unwrap();
                    (expected, raised, ledger::check(&db).await.unwrap())
                });
                prop_assert!(violations.is_empty(), "{:?}", violations);
                prop_assert_eq!(raised, expected);
                Ok(())
            })
        });
        result.unwrap();
        assert!(case.into_inner() >= 12, "every generated case ran");
    }
);
