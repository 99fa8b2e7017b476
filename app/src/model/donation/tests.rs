//! Parsing donations, pledges and batches: each bad field named, in both languages.

use super::*;

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn input(amount: &str) -> DonationInput {
    DonationInput {
        campaign_id: CampaignId(1),
        channel: "cash".into(),
        amount: amount.into(),
        idempotency_key: "k-0000000001".into(),
        ..DonationInput::default()
    }
}

fn fields(result: Result<NewDonation, Vec<FieldError>>) -> Vec<String> {
    result.unwrap_err().into_iter().map(|f| f.field).collect()
}

#[test]
fn the_fiscal_year_starts_on_the_first_of_october_and_is_named_in_the_buddhist_era() {
    assert_eq!(fiscal_year(day(2026, 9, 30)), 2569);
    assert_eq!(fiscal_year(day(2026, 10, 1)), 2570);
    assert_eq!(fiscal_year(day(2027, 9, 30)), 2570);
    assert_eq!(
        fiscal_year_days(2570),
        Some((day(2026, 10, 1), day(2027, 9, 30)))
    );
}

#[test]
fn receipt_numbers_print_year_and_zero_padded_number() {
    let n = ReceiptNumber {
        fiscal_year: 2570,
        number: 42,
    };
    assert_eq!(n.to_string(), "2570/000042");
}

#[test]
fn every_bad_amount_names_the_amount_field() {
    let today = day(2026, 11, 23);
    for bad in [
        "-1",
        "0",
        "0.001",
        "1e30",
        "NaN",
        "",
        "100,00",
        &"9".repeat(30),
    ] {
        assert_eq!(
            fields(NewDonation::parse(&input(bad), today)),
            vec!["amount"],
            "{bad:?}"
        );
    }
    assert!(NewDonation::parse(&input("1,234.50"), today).is_ok());
}

#[test]
fn a_wrong_checksum_a_long_name_and_a_future_date_are_each_named() {
    let today = day(2026, 11, 23);
    let mut i = input("500");
    i.national_id = "1234567890122".into();
    i.donor_name = "ก".repeat(MAX_NAME + 1);
    i.received_on = "2026-11-24".into();
    i.channel = "bitcoin".into();
    let mut got = fields(NewDonation::parse(&i, today));
    got.sort();
    assert_eq!(
        got,
        vec!["channel", "donor_name", "national_id", "received_on"]
    );
}

#[test]
fn consent_without_a_name_shows_nothing() {
    let mut i = input("500");
    i.show_name = true;
    let d = NewDonation::parse(&i, day(2026, 11, 23)).unwrap();
    assert_eq!(d.donor.name, None);
    assert!(!d.donor.show_name);
    assert_eq!(d.received_on, day(2026, 11, 23));
}

#[test]
fn a_gift_in_kind_needs_an_item_and_a_quantity() {
    let mut i = input("42500");
    i.channel = "in_kind".into();
    let mut got = fields(NewDonation::parse(&i, day(2026, 11, 23)));
    got.sort();
    assert_eq!(got, vec!["item", "quantity"]);
    i.item = "3".into();
    i.quantity = "5".into();
    let d = NewDonation::parse(&i, day(2026, 11, 23)).unwrap();
    assert_eq!(
        d.in_kind,
        Some(InKindLine {
            item: EquipmentItemId(3),
            quantity: 5
        })
    );
}

#[test]
fn a_missing_or_odd_idempotency_key_is_refused() {
    let mut i = input("500");
    i.idempotency_key = "short".into();
    assert_eq!(
        fields(NewDonation::parse(&i, day(2026, 11, 23))),
        vec!["idempotency_key"]
    );
    i.idempotency_key = "has spaces in it".into();
    assert!(NewDonation::parse(&i, day(2026, 11, 23)).is_err());
}

#[test]
fn batches_need_a_name_a_count_and_a_total() {
    let bad = NewBatch::parse(&BatchInput {
        campaign_id: CampaignId(1),
        label: " ".into(),
        expected_count: "0".into(),
        expected_total: "abc".into(),
        idempotency_key: String::new(),
    })
    .unwrap_err();
    let mut got: Vec<_> = bad.into_iter().map(|f| f.field).collect();
    got.sort();
    assert_eq!(
        got,
        vec![
            "expected_count",
            "expected_total",
            "idempotency_key",
            "label"
        ]
    );
}

#[test]
fn a_date_in_a_fiscal_year_that_has_ended_needs_a_reason() {
    let today = day(2026, 11, 24);
    let mut e = FieldErrors::default();
    assert_eq!(backdate_reason(&mut e, day(2026, 10, 1), today, ""), None);
    assert!(e.is_empty(), "the same fiscal year needs no reason");
    backdate_reason(&mut e, day(2026, 9, 30), today, "late");
    let refused = e.into_result(()).unwrap_err();
    assert_eq!(refused[0].field, "backdate_reason");
    let mut e = FieldErrors::default();
    let kept = backdate_reason(
        &mut e,
        day(2026, 9, 30),
        today,
        "envelope found in the safe",
    );
    assert!(e.is_empty());
    assert_eq!(kept.as_deref(), Some("envelope found in the safe"));
}

#[test]
fn promptpay_ids_are_shown_masked() {
    assert_eq!(mask_promptpay_id("0812345678"), "08x-xxx-5678");
    assert_eq!(mask_promptpay_id("1234567890121"), "1-2345-xxxxx-xx-1");
}

#[test]
fn the_fund_a_donor_sees_adds_up() {
    // The walk found ฿295,890 received − ฿78,000 spent shown as ฿213,434.30 left: the carried
    // money and the held money were missing from the sum.
    let trail = MoneyTrail {
        raised: Money::from_baht(295_890),
        spent: Money::from_baht(78_000),
        held: Money::from_baht(72_000),
        carried: Money::from_satang(6_754_430),
    };
    assert_eq!(trail.received(), Money::from_satang(36_343_430));
    let left = trail.received().satang() - trail.spent.satang() - trail.held.satang();
    assert_eq!(trail.balance(), Money::from_satang(left));
}
