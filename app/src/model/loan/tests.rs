use super::privacy::{identifier_in, Identifier};
use super::*;
use crate::model::status::UnitCondition;
use crate::model::{LoanId, Money};
use chrono::NaiveDate;

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 12, 5).unwrap()
}

fn fields(e: FieldErrors) -> Vec<String> {
    e.finish()
        .err()
        .and_then(|e| match e {
            crate::error::AppError::Validation(f) => Some(f.into_iter().map(|f| f.field).collect()),
            _ => None,
        })
        .unwrap_or_default()
}

#[test]
fn identifiers_are_found_however_they_are_typed() {
    // A valid national ID (check digit 0), whole, with dashes, with spaces, in Thai digits.
    for text in [
        "1101700203450",
        "1-1017-00203-45-0",
        "1 1017 00203 45 0",
        "1_1017_00203_45_0",
        "ผู้ป่วย ๑๑๐๑๗๐๐๒๐๓๔๕๐",
    ] {
        assert_eq!(identifier_in(text), Some(Identifier::NationalId), "{text}");
    }
    for text in [
        "0812345678",
        "081-234-5678",
        "โทร 06 1234 5678",
        "+66812345678",
        "043-123456",
    ] {
        assert_eq!(identifier_in(text), Some(Identifier::Phone), "{text}");
    }
    // A hospital's own codes and ordinary notes.
    for text in [
        "NP-2569-014",
        "HN 12345",
        "1101700203451",
        "ไส้กรองเปลี่ยนแล้ว 2 ชิ้น",
        "2569/0042",
    ] {
        assert_eq!(identifier_in(text), None, "{text}");
    }
}

#[test]
fn a_borrower_code_is_a_short_latin_code_never_a_name_or_an_identifier() {
    for good in ["NP-2569-014", "b/12", "hh.7"] {
        let mut e = FieldErrors::default();
        let code = privacy::borrower_code(&mut e, "borrower_code", good);
        assert!(e.is_empty(), "{good}");
        assert_eq!(code, good.to_ascii_uppercase());
    }
    for bad in [
        "",
        "นางสมศรี ใจดี",
        "SOM SRI",
        "1101700203450",
        "0812345678",
        &"X".repeat(41),
    ] {
        let mut e = FieldErrors::default();
        privacy::borrower_code(&mut e, "borrower_code", bad);
        assert_eq!(fields(e), ["borrower_code"], "{bad}");
    }
}

#[test]
fn the_waiting_list_is_ordered_by_urgency_then_group() {
    assert!(
        rank(Urgency::Urgent, PatientGroup::Homebound)
            < rank(Urgency::Soon, PatientGroup::EndOfLife)
    );
    assert!(
        rank(Urgency::Soon, PatientGroup::EndOfLife) < rank(Urgency::Soon, PatientGroup::Bedbound)
    );
    assert_eq!(rank(Urgency::Urgent, PatientGroup::EndOfLife), 0);
    assert_eq!(rank(Urgency::Routine, PatientGroup::Homebound), 8);
}

#[test]
fn a_loan_runs_from_a_past_date_to_a_later_due_date() {
    let input = LendInput {
        tag: "EQ-1-00001".into(),
        borrower_code: "NP-1".into(),
        out_on: "2026-12-01".into(),
        handover: "good".into(),
        ..Default::default()
    };
    let lend = input.read(today(), 90).unwrap();
    assert_eq!(lend.due_on, NaiveDate::from_ymd_opt(2027, 3, 1).unwrap());
    let bad = LendInput {
        out_on: "2026-12-06".into(),
        due_on: "2026-11-30".into(),
        ..input.clone()
    };
    let e = bad.read(today(), 90).unwrap_err();
    assert_eq!(fields(e), ["out_on", "due_on"]);
    let before = LendInput {
        due_on: "2026-11-30".into(),
        ..input.clone()
    };
    assert_eq!(fields(before.read(today(), 90).unwrap_err()), ["due_on"]);
    let too_long = LendInput {
        due_on: "2028-01-01".into(),
        ..input
    };
    assert_eq!(fields(too_long.read(today(), 90).unwrap_err()), ["due_on"]);
}

#[test]
fn a_repair_cost_is_exact_money() {
    let input = CareInput {
        tag: "EQ-1-00001".into(),
        on: "2026-12-01".into(),
        place: "ร้านซ่อม".into(),
        cost: "1,250.50".into(),
        ..Default::default()
    };
    assert_eq!(
        input.read(today(), true).unwrap().cost,
        Some(Money::from_satang(125_050))
    );
    let three = CareInput {
        cost: "12.345".into(),
        ..input.clone()
    };
    assert_eq!(fields(three.read(today(), true).unwrap_err()), ["cost"]);
    let nowhere = CareInput {
        place: " ".into(),
        ..input
    };
    assert_eq!(fields(nowhere.read(today(), true).unwrap_err()), ["place"]);
}

#[test]
fn a_lost_unit_comes_back_unusable_without_a_condition() {
    let input = ReturnInput {
        loan: LoanId(1),
        on: "2026-12-04".into(),
        end_reason: "lost".into(),
        ..Default::default()
    };
    assert_eq!(
        input.read(today()).unwrap().condition,
        UnitCondition::Unusable
    );
    let no_reason = ReturnInput {
        end_reason: String::new(),
        condition: "working".into(),
        ..input
    };
    assert_eq!(fields(no_reason.read(today()).unwrap_err()), ["end_reason"]);
}

#[test]
fn accessories_are_kept_in_the_checklist_order() {
    let mut e = FieldErrors::default();
    let kept = read_accessories(
        &mut e,
        "accessories",
        "oxygen_concentrator",
        &["power_cord".into(), "filter".into(), "filter".into()],
    );
    assert!(e.is_empty());
    assert_eq!(kept, "filter,power_cord");
    read_accessories(&mut e, "accessories", "walker", &["filter".into()]);
    assert_eq!(fields(e), ["accessories"]);
}

#[test]
fn small_counts_about_patients_are_hidden() {
    assert_eq!(PatientCount::of(0).0, Some(0));
    for n in 1..5 {
        assert!(PatientCount::of(n).hidden());
        assert_eq!(
            PatientCount::of(n).show(crate::model::Lang::En),
            "fewer than 5"
        );
    }
    assert_eq!(PatientCount::of(5).0, Some(5));
    assert_eq!(PatientCount::of(1234).show(crate::model::Lang::Th), "1,234");
    assert_eq!(median(vec![3, 1, 2, 9]), None);
    assert_eq!(median(vec![30, 10, 20, 90, 40]), Some(30));
    assert_eq!(median(vec![30, 10, 20, 90, 40, 50]), Some(30));
}

#[test]
fn months_and_fiscal_years() {
    assert_eq!(
        month_days("2027-02"),
        Some((
            NaiveDate::from_ymd_opt(2027, 2, 1).unwrap(),
            NaiveDate::from_ymd_opt(2027, 2, 28).unwrap()
        ))
    );
    assert_eq!(month_days("2027-13"), None);
    assert_eq!(
        fiscal_year(NaiveDate::from_ymd_opt(2026, 10, 1).unwrap()),
        2570
    );
}
