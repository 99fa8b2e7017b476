//! The equipment model's tests (purchase forms, tax IDs, reference prices, pro-rata shares, tags),
//! in a file of their own so the module's index stays short.

use super::*;
use crate::error::FieldError;
use crate::model::{CampaignId, Money};

fn line(item: &str, quantity: &str, price: &str) -> PurchaseLineInput {
    PurchaseLineInput {
        item: item.into(),
        quantity: quantity.into(),
        unit_price: price.into(),
        justification: String::new(),
    }
}

fn input(lines: Vec<PurchaseLineInput>) -> PurchaseInput {
    PurchaseInput {
        campaign_id: CampaignId(1),
        vendor_name: "ร้านเครื่องมือแพทย์".into(),
        vendor_tax_id: String::new(),
        invoice_no: "INV-1".into(),
        invoice_date: "2026-11-20".into(),
        lines,
        idempotency_key: "key-12345678".into(),
    }
}

fn fields(r: Result<NewPurchase, Vec<FieldError>>) -> Vec<String> {
    r.err()
        .unwrap_or_default()
        .into_iter()
        .map(|e| e.field)
        .collect()
}

#[test]
fn a_purchase_totals_its_lines_and_skips_blank_ones() {
    let p = NewPurchase::parse(&input(vec![
        line("1", "2", "12,500.50"),
        line("", "", ""),
        line("3", "1", "99"),
    ]))
    .unwrap();
    assert_eq!(p.lines.len(), 2);
    assert_eq!(p.lines[1].line_no, 3);
    assert_eq!(p.total, Money::from_satang(2_510_000));
}

#[test]
fn each_bad_line_field_is_named() {
    let r = NewPurchase::parse(&input(vec![
        line("1", "0", "10.005"),
        line("x", "1e9", "-1"),
        line("2", "abc", "ten"),
    ]));
    assert_eq!(
        fields(r),
        [
            "lines.1.quantity",
            "lines.1.unit_price",
            "lines.2.item",
            "lines.2.quantity",
            "lines.2.unit_price",
            "lines.3.quantity",
            "lines.3.unit_price"
        ]
    );
    assert_eq!(fields(NewPurchase::parse(&input(vec![]))), ["lines"]);
}

#[test]
fn tax_ids_are_checked_by_their_check_digit() {
    assert_eq!(
        parse_tax_id("0-1055-46000-11-1").as_deref(),
        Ok("0105546000111")
    );
    assert!(parse_tax_id("0105546000112").is_err());
    assert!(parse_tax_id("12345").is_err());
    let mut i = input(vec![line("1", "1", "10")]);
    i.vendor_tax_id = "0105546000112".into();
    assert_eq!(fields(NewPurchase::parse(&i)), ["vendor_tax_id"]);
}

#[test]
fn twenty_percent_over_reference_needs_a_reason() {
    let reference = Money::from_baht(10_000);
    assert!(!over_reference(Money::from_baht(12_000), reference));
    assert!(over_reference(Money::from_satang(1_200_001), reference));
}

#[test]
fn shares_round_down_and_never_exceed_the_whole() {
    let third = pro_rata(
        Money::from_baht(100),
        Money::from_baht(1),
        Money::from_baht(3),
    );
    assert_eq!(third, Money::from_satang(3_333));
    assert_eq!(
        pro_rata(Money::from_baht(5), Money::ZERO, Money::ZERO),
        Money::ZERO
    );
    assert_eq!(
        pro_rata(
            Money::from_baht(7),
            Money::from_baht(9),
            Money::from_baht(9)
        ),
        Money::from_baht(7)
    );
}

#[test]
fn tags_are_split_and_upper_cased() {
    assert_eq!(
        split_tags(" eq-1-00001,EQ-1-00002\nEQ-1-00003 "),
        ["EQ-1-00001", "EQ-1-00002", "EQ-1-00003"]
    );
}

#[test]
fn labels_warn_of_every_address_a_phone_outside_cannot_reach() {
    let private = |base: &str| {
        LabelSheet {
            labels: Vec::new(),
            base: base.to_owned(),
            configured: true,
        }
        .private_address()
    };
    for base in [
        "http://127.0.0.1:3000",
        "http://10.1.2.3",
        "http://172.20.1.5:8080/",
        "http://192.168.1.9",
        "http://169.254.10.10",
        "http://0.0.0.0:3000",
        "http://localhost:3000",
        "http://phapa.local",
        "http://[::1]:3000",
    ] {
        assert!(private(base), "{base}");
    }
    for base in [
        "https://phapa.example.org",
        "http://172.32.0.1",
        "https://203.0.113.7",
    ] {
        assert!(!private(base), "{base}");
    }
}
