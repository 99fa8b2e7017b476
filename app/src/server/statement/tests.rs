//! Tests of whole files: realistic exports, the fixtures the browser tests upload, size and
//! speed, and that no input makes the reader panic.

use super::test_support::*;
use crate::model::Money;
use chrono::Days;
use proptest::prelude::*;

#[test]
fn kbiz_preset_reads_a_realistic_export() {
    let parsed = kbiz(
        ",01-11-26,,ยอดยกมา,,,,,0.00,,,,\r\n\
         ,01-11-26,09:15,รับโอนเงิน,,,\"1,500.00\",,\"1,500.00\",,K PLUS,,จาก X1234  นาย สมชาย ใจดี\r\n\
         ,02-11-26,10:00:05,ค่าธรรมเนียม,30.00,,,,\"1,470.00\",,K BIZ,,\"ค่าธรรมเนียม, โอนเงิน\",,\r\n\
         ,,,,,,,รวมถอนเงิน,,1,,รายการ,30.00\r\n,ยอดรวม,,,30.00,,\"1,500.00\",,,,,,\r\n",
    );
    assert_eq!(
        (parsed.encoding, parsed.header_row, parsed.skipped),
        (Encoding::Utf8, 7, 3)
    );
    assert!(parsed.errors.is_empty(), "{:?}", parsed.errors);
    let [first, second] = &parsed.lines[..] else {
        panic!("{:?}", parsed.lines)
    };
    assert_eq!(
        (first.row, first.date, first.time.as_deref()),
        (9, ymd(2026, 11, 1), Some("09:15"))
    );
    assert_eq!(
        (first.description.as_str(), first.channel.as_str()),
        ("รับโอนเงิน", "K PLUS")
    );
    assert_eq!(first.details, "จาก X1234 นาย สมชาย ใจดี");
    assert_eq!(
        (second.time.as_deref(), second.details.as_str()),
        (Some("10:00:05"), "ค่าธรรมเนียม, โอนเงิน")
    );
    assert_eq!(
        moves(&parsed),
        [(true, 150_000, Some(150_000)), (false, 3000, Some(147_000))]
    );
    assert_eq!(
        (parsed.opening_balance, parsed.closing_balance),
        (Some(0), Some(147_000))
    );
}

#[test]
fn utf8_without_bom_and_thai_digits() {
    let parsed = parse(
        "วันที่,รายการ,ถอน,ฝาก\n๑๕/๑๑/๒๕๖๙,บริจาค,,๕๐๐.๐๐\n".as_bytes(),
        &Mapping::kbiz(),
        today(),
    )
    .unwrap();
    assert_eq!(
        (parsed.encoding, parsed.lines[0].date),
        (Encoding::Utf8, ymd(2026, 11, 15))
    );
    assert_eq!(moves(&parsed), [(true, 50_000, None)]);
    assert_eq!(
        (parsed.opening_balance, parsed.closing_balance),
        (None, None)
    );
}

#[test]
fn mappings_are_validated() {
    assert_eq!(
        (Mapping::kbiz().validate(), Mapping::default()),
        (Ok(()), Mapping::kbiz())
    );
    let fields = |m: Mapping| {
        m.validate()
            .unwrap_err()
            .into_iter()
            .map(|e| e.field)
            .collect::<Vec<_>>()
    };
    assert_eq!(fields(custom(|_| {})), ["amount"]);
    assert_eq!(fields(custom(|m| m.deposit = Some(7))), ["withdrawal"]);
    assert_eq!(
        fields(custom(|m| (m.amount, m.deposit) = (Some(4), Some(5)))),
        ["amount"]
    );
    assert_eq!(
        fields(custom(|m| (m.amount, m.balance) = (Some(4), Some(4)))),
        ["balance"]
    );
    assert_eq!(
        fields(custom(|m| (m.amount, m.header_row) = (Some(999), Some(0)))),
        ["header_row", "amount"]
    );
    assert_eq!(fields(Mapping::blank()), ["date", "amount"]);
    let twice = custom(|m| (m.amount, m.balance) = (Some(4), Some(4)))
        .validate()
        .unwrap_err();
    assert!(
        twice[0].th.contains("\"จำนวนเงิน (มีเครื่องหมาย)\""),
        "{}",
        twice[0].th
    );
    assert!(refused(b"a", &custom(|_| {})).contains("withdrawal and deposit"));
    let json = serde_json::to_string(&Mapping::kbiz()).unwrap();
    assert!(
        json.contains("\"preset\":\"kbiz\"") && json.contains("\"era\":\"auto\""),
        "{json}"
    );
    assert_eq!(
        serde_json::from_str::<Mapping>("{\"preset\":\"custom\",\"date\":2}")
            .unwrap()
            .date,
        Some(2),
        "mappings saved before the date could be empty still read"
    );
}

#[test]
fn fixtures_parse_as_expected() {
    let k = parse(
        include_bytes!("../../../../end2end/fixtures/kbiz-statement-utf8.csv"),
        &Mapping::kbiz(),
        today(),
    )
    .unwrap();
    assert!(k.errors.is_empty(), "{:?}", k.errors);
    assert_eq!(
        (k.header_row, k.lines.len(), k.skipped, total_credits(&k)),
        (12, 20, 4, 7_180_358)
    );
    assert_eq!(
        (k.opening_balance, k.closing_balance),
        (Some(0), Some(1_553_408))
    );
    let mut running = 0;
    for line in &k.lines {
        running += if line.credit {
            line.amount.satang()
        } else {
            -line.amount.satang()
        };
        assert_eq!(line.balance, Some(running), "row {}", line.row);
    }
    assert!(k
        .lines
        .iter()
        .any(|l| l.amount == Money::from_baht(55_000) && !l.credit));
    let ktb = custom(|m| {
        (m.withdrawal, m.deposit, m.balance, m.channel) = (Some(2), Some(3), Some(4), Some(5))
    });
    let t = parse(
        include_bytes!("../../../../end2end/fixtures/tis620-statement-be.csv"),
        &ktb,
        today(),
    )
    .unwrap();
    assert_eq!(
        (
            t.encoding,
            t.header_row,
            t.lines.len(),
            t.skipped,
            t.errors.len()
        ),
        (Encoding::Tis620, 4, 10, 1, 0)
    );
    assert_eq!(
        (total_credits(&t), t.opening_balance, t.closing_balance),
        (1_975_124, Some(500_000), Some(1_528_624))
    );
    assert!(t
        .lines
        .iter()
        .all(|l| l.date.format("%Y-%m").to_string() == "2026-11"));
    let m = parse(
        include_bytes!("../../../../end2end/fixtures/malformed-statement.csv"),
        &Mapping::kbiz(),
        today(),
    )
    .unwrap();
    assert_eq!(
        errors(&m),
        [(15, Some("วันที่")), (16, Some("ฝากเงิน")), (18, None)]
    );
    assert_eq!((m.lines.len(), total_credits(&m)), (3, 750_000));
}

#[test]
fn fifty_thousand_rows_parse_quickly() {
    let (mut file, mut balance) = (String::from(KBIZ_HEAD), 0_i64);
    for i in 0..50_000_i64 {
        let day = ymd(2026, 1, 1) + Days::new(u64::try_from(i / 200).unwrap());
        let (credit, satang) = (i % 5 != 0, 10_000 + i);
        balance += if credit { satang } else { -satang };
        let baht = crate::model::money::group_thousands(u64::try_from(satang / 100).unwrap());
        let amount = format!("\"{baht}.{:02}\"", satang % 100);
        let (w, d) = if credit {
            ("", amount.as_str())
        } else {
            (amount.as_str(), "")
        };
        let bal = format!(
            "{}{}.{:02}",
            if balance < 0 { "-" } else { "" },
            balance.abs() / 100,
            balance.abs() % 100
        );
        let date = day.format("%d/%m/%y");
        file.push_str(&format!(
            ",{date},{:02}:{:02},รับโอนเงิน,{w},,{d},,{bal},,PromptPay,,จาก X{i} นาย สมชาย ใจดี\n",
            i % 24,
            i % 60
        ));
    }
    let started = std::time::Instant::now();
    let parsed = parse(file.as_bytes(), &Mapping::kbiz(), today()).unwrap();
    eprintln!(
        "parsed 50,000 rows ({} bytes) in {:?}",
        file.len(),
        started.elapsed()
    );
    assert_eq!(
        (
            parsed.lines.len(),
            parsed.errors.len(),
            parsed.closing_balance
        ),
        (50_000, 0, Some(balance))
    );
}

proptest! {
    #[test]
    fn nothing_panics_on_any_input(bytes in proptest::collection::vec(any::<u8>(), 0..400), text in "[0-9,./: \"ก-ฮa-z\n-]{0,200}") {
        let _ = parse(&bytes, &Mapping::kbiz(), today());
        let _ = parse(format!("{KBIZ_HEAD}{text}").as_bytes(), &Mapping::kbiz(), today());
        let _ = headers(text.as_bytes(), &custom(|m| m.amount = Some(2)));
        let _ = parse(text.as_bytes(), &custom(|m| m.amount = Some(2)), today());
    }
}

#[test]
fn a_row_that_repeats_its_neighbour_is_flagged() {
    // The same date, time, amount and balance twice in a row: a copy, not a second transfer
    // (the balance would have moved). Equal amounts with their own balances are not flagged.
    let parsed = kbiz(
        ",01-11-26,09:15,รับโอนเงิน,,,500.00,,\"1,500.00\",,K PLUS,,จาก X1\r\n\
         ,01-11-26,09:15,รับโอนเงิน,,,500.00,,\"1,500.00\",,K PLUS,,จาก X1\r\n\
         ,01-11-26,09:15,รับโอนเงิน,,,500.00,,\"2,000.00\",,K PLUS,,จาก X1\r\n",
    );
    assert_eq!(parsed.lines.len(), 3);
    assert_eq!(parsed.repeated, [parsed.lines[1].row]);
}

#[test]
fn a_totals_row_with_amounts_is_skipped_but_a_dateless_transaction_is_refused() {
    let totals = kbiz(
        ",01-11-26,09:15,รับโอนเงิน,,,\"1,500.00\",,\"1,500.00\",,K PLUS,,จาก X1234\r\n\
         ,,รวม,,,,\"1,500.00\",,\"1,500.00\",,,,\r\n\
         ,,,Total,,,\"1,500.00\",,,,,,\r\n",
    );
    assert!(totals.errors.is_empty(), "{:?}", totals.errors);
    assert_eq!((totals.lines.len(), totals.skipped), (1, 2));
    let lost_date = kbiz(",,09:15,รับโอนเงิน,,,\"1,500.00\",,\"1,500.00\",,K PLUS,,จาก X1234\r\n");
    assert_eq!(errors(&lost_date), [(8, Some("วันที่"))]);
}

#[test]
fn a_kbiz_export_is_read_as_kbiz_even_under_columns_saved_for_another_bank() {
    let file = format!(
        "{KBIZ_HEAD},01-11-26,09:15,รับโอนเงิน,,,\"1,500.00\",,\"1,500.00\",,K PLUS,,จาก X1234\r\n"
    );
    let other_bank = custom(|m| (m.amount, m.balance) = (Some(3), Some(2)));
    let parsed = parse(file.as_bytes(), &other_bank, today()).unwrap();
    assert!(parsed.read_as_kbiz);
    assert_eq!(moves(&parsed), [(true, 150_000, Some(150_000))]);
    let scb = "Date,Amount\n01/11/2026,500.00\n";
    let own = custom(|m| (m.amount, m.description) = (Some(1), None));
    let parsed = parse(scb.as_bytes(), &own, today()).unwrap();
    assert!(!parsed.read_as_kbiz);
    assert_eq!(moves(&parsed), [(true, 50_000, None)]);
}

#[test]
fn the_account_printed_above_the_table_is_read_as_printed() {
    let parsed =
        kbiz(",01-11-26,09:15,รับโอนเงิน,,,\"1,500.00\",,\"1,500.00\",,K PLUS,,จาก X1234\r\n");
    assert_eq!(parsed.account.as_deref(), Some("xxx-x-x1234-x"));
    let other = "Account No.,,123-4-56789-0\nDate,Amount\n01/11/2026,500.00\n";
    let own = custom(|m| (m.date, m.amount, m.description) = (Some(0), Some(1), None));
    let parsed = parse(other.as_bytes(), &own, today()).unwrap();
    assert_eq!(parsed.account.as_deref(), Some("123-4-56789-0"));
    let one_cell = "Account No.: 123-4-56789-0,Period 01/11/2026 - 30/11/2026\nDate,Amount\n01/11/2026,500.00\n";
    let parsed = parse(one_cell.as_bytes(), &own, today()).unwrap();
    assert_eq!(parsed.account.as_deref(), Some("123-4-56789-0"));
    let none = "Date,Amount\n01/11/2026,500.00\n";
    assert_eq!(parse(none.as_bytes(), &own, today()).unwrap().account, None);
}

#[test]
fn a_payer_named_like_a_total_does_not_hide_a_row_that_lost_its_date() {
    // Dateless, with an amount: the payer's words "รวมใจ…" and a description "Summit…" are no
    // totals row, so the row is refused (named), never skipped.
    let payer = kbiz(",,09:15,รับโอนเงิน,,,\"1,500.00\",,\"1,500.00\",,K PLUS,,รวมใจการค้า\r\n");
    assert_eq!(
        (payer.lines.len(), payer.skipped, payer.errors.len()),
        (0, 0, 1)
    );
    let word = kbiz(",,09:15,Summit transfer,,,\"1,500.00\",,\"1,500.00\",,K PLUS,,จาก X1\r\n");
    assert_eq!((word.skipped, word.errors.len()), (0, 1));
    // Thai runs words together: "รวมฝาก" is a totals row; "Total: 1" too.
    let total = kbiz(
        ",01-11-26,09:15,รับโอนเงิน,,,\"1,500.00\",,\"1,500.00\",,K PLUS,,จาก X1\r\n\
         ,,,รวมฝาก,,,\"1,500.00\",,,,,,\r\n,,,Total: 1,,,\"1,500.00\",,,,,,\r\n",
    );
    assert_eq!(
        (total.lines.len(), total.skipped, total.errors.len()),
        (1, 2, 0)
    );
}
