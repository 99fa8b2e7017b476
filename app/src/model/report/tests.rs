//! The report's sums and the wording of its problems.

use super::*;
use crate::model::Lang;

fn line(satang: i64) -> MoneyLine {
    MoneyLine {
        label: Localized::new("x", "x"),
        count: 1,
        amount: Money::from_satang(satang),
    }
}

fn report() -> CampaignReport {
    CampaignReport {
        campaign: CampaignId(1),
        title: Localized::new("ก", "A"),
        money_in: vec![line(10_000), line(5_001)],
        carried_in: vec![],
        spent: vec![line(12_000)],
        carried_out: vec![],
        in_kind: line(0),
        held: Money::ZERO,
        journal_cash: Money::from_satang(3_001),
        bank: None,
        units: UnitCounts::default(),
        hospitals: vec![],
        money_in_days: vec![],
        districts: vec![],
        discrepancies: vec![],
        more_discrepancies: 0,
        blockers: vec![],
        settled: None,
    }
}

#[test]
fn balances_to_the_satang() {
    let r = report();
    assert_eq!(r.balance(), Money::from_satang(3_001));
    assert!(r.settleable());
    let off = CampaignReport {
        journal_cash: Money::from_satang(3_000),
        ..report()
    };
    assert!(!off.balances());
    assert!(!off.settleable());
}

#[test]
fn an_open_discrepancy_blocks_settlement_until_acknowledged() {
    let mut r = report();
    r.discrepancies.push(Discrepancy {
        key: Problem::NoStatement.key(),
        problem: Problem::NoStatement,
        acknowledged: None,
    });
    assert!(!r.settleable());
    r.discrepancies[0].acknowledged = Some(Acknowledgement {
        reason: "เงินสดฝากครบแล้ว".into(),
        by: "officer".into(),
        at: "2026-11-01T00:00:00Z".into(),
        publishable: false,
    });
    assert!(r.settleable());
    r.blockers
        .push(super::super::settlement::Blocker::OpenBatch {
            batch: 7,
            label: "คืนงาน".into(),
        });
    assert!(!r.settleable(), "an open ceremony batch blocks settlement");
    r.blockers.clear();
    let public = r.clone().public();
    let shown = public.discrepancies[0].acknowledged.as_ref().unwrap();
    assert_eq!((shown.by.as_str(), shown.reason.as_str()), ("", ""));
    r.discrepancies[0]
        .acknowledged
        .as_mut()
        .unwrap()
        .publishable = true;
    let public = r.public();
    let shown = public.discrepancies[0].acknowledged.as_ref().unwrap();
    assert_eq!(
        shown.reason, "เงินสดฝากครบแล้ว",
        "published where the officer let it"
    );
}

#[test]
fn lapsed_pledges_are_one_discrepancy_that_changes_as_they_do() {
    let five = Problem::LapsedPledges {
        count: 5,
        total: Money::from_baht(2_500),
        after_days: 14,
        set: "a1".into(),
    };
    let six = Problem::LapsedPledges {
        count: 6,
        total: Money::from_baht(3_000),
        after_days: 14,
        set: "b2".into(),
    };
    assert_ne!(five.key(), six.key());
    let other_five = Problem::LapsedPledges {
        count: 5,
        total: Money::from_baht(2_500),
        after_days: 14,
        set: "c3".into(),
    };
    assert_ne!(
        five.key(),
        other_five.key(),
        "another set of the same size and total"
    );
    assert!(five.detail(Lang::En).contains("5 pledges"));
}

#[test]
fn a_bank_difference_that_moves_needs_a_new_acknowledgement() {
    let a = Problem::BankDiffers {
        bank: Money::from_satang(100),
        books: Money::from_satang(90),
        on: "2026-11-01".into(),
    };
    let b = Problem::BankDiffers {
        bank: Money::from_satang(100),
        books: Money::from_satang(80),
        on: "2026-11-01".into(),
    };
    assert_ne!(a.key(), b.key());
}
