//! Tests of reading one row: the errors a row can have and the columns they name. Apart from
//! `row.rs` to keep each file short.

use super::super::test_support::*;
use super::MAX_CELL_CHARS;

#[test]
fn an_impossible_date_names_the_date_column() {
    let parsed = kbiz(",31/02/67,,x,,,100.00,,,,,,\n,01/11/26,,x,,,100.00,,,,,,\n");
    assert_eq!(
        (errors(&parsed), parsed.lines.len()),
        (vec![(8, Some("วันที่"))], 1)
    );
    let e = &parsed.errors[0];
    assert!(
        e.en.starts_with("Row 8, column “วันที่”: there is no such date"),
        "{e:?}"
    );
    assert!(e.th.starts_with("แถวที่ 8 คอลัมน์ “วันที่”"), "{e:?}");
}

#[test]
fn an_impossible_time_names_the_time_column() {
    let bad = ["25:61", "=NOW()", "-1:00", "9:5", "12:00:61"];
    let good = ["9:05", "09:05", "09:05:07", "09:15 01/11/26", ""];
    let rows: String = bad
        .iter()
        .chain(&good)
        .map(|t| format!(",01/11/26,{t},x,,,100.00,,,,,,\n"))
        .collect();
    let parsed = kbiz(&rows);
    let column = Some("เวลา/ วันที่มีผล");
    assert_eq!(
        errors(&parsed),
        [
            (8, column),
            (9, column),
            (10, column),
            (11, column),
            (12, column)
        ]
    );
    let e = &parsed.errors[0];
    assert_eq!(
        e.en,
        "Row 8, column “เวลา/ วันที่มีผล”: there is no such time as “25:61” \
         (hours 0–23, minutes and seconds 0–59)."
    );
    assert!(
        e.th.starts_with("แถวที่ 8 คอลัมน์ “เวลา/ วันที่มีผล”: ไม่มีเวลา “25:61”"),
        "{e:?}"
    );
    let minus = &parsed.errors[2];
    assert!(
        minus
            .en
            .ends_with("“-1:00” is not a time (such as 09:05 or 09:05:07)."),
        "{minus:?}"
    );
    assert!(minus.th.contains("“-1:00” ไม่ใช่เวลา"), "{minus:?}");
    let times: Vec<_> = parsed.lines.iter().map(|l| l.time.as_deref()).collect();
    assert_eq!(
        times,
        [
            Some("09:05"),
            Some("09:05"),
            Some("09:05:07"),
            Some("09:15"),
            None
        ]
    );
    // A row with a bad date and a bad time names both.
    let both = kbiz(",31/02/67,25:00,x,,,100.00,,,,,,\n");
    assert_eq!(errors(&both), [(8, Some("วันที่")), (8, column)]);
    // Without a header the column is named by its number.
    let file = "01/11/2026,x,99:00,5.00\n";
    let mapping = custom(|m| (m.time, m.amount) = (Some(2), Some(3)));
    let parsed = parse(file.as_bytes(), &mapping, today()).unwrap();
    assert_eq!(errors(&parsed), [(1, Some("column 3"))]);
    assert!(
        parsed.errors[0]
            .en
            .starts_with("Row 1, column 3: there is no such time"),
        "{:?}",
        parsed.errors
    );
}

#[test]
fn a_cell_over_a_thousand_characters_is_refused() {
    let (long, thai) = ("x".repeat(MAX_CELL_CHARS + 1), "ก".repeat(MAX_CELL_CHARS));
    let parsed = kbiz(&format!(
        ",01/11/26,,x,,,100.00,,,,,,{long}\n\
         ,01/11/26,,x,,,100.00,,,,,,{thai}\n\
         ,01/11/26,,x,,{long},100.00,,,,,,\n\
         ,,,,,,,{long},,,,,\n\
         ,01/11/26,,  {thai}  ,,,100.00,,,,,,\n"
    ));
    assert_eq!(
        errors(&parsed),
        [
            (8, Some("รายละเอียด")),
            (10, Some("column 6")),
            (11, Some("column 8"))
        ]
    );
    let e = &parsed.errors[0];
    assert_eq!(
        e.en,
        "Row 8, column “รายละเอียด”: the cell is 1,001 characters long; no bank writes more \
         than 1,000. Check that this is the right file."
    );
    assert!(
        e.th.starts_with("แถวที่ 8 คอลัมน์ “รายละเอียด”: ยาว 1,001 ตัวอักษร"),
        "{e:?}"
    );
    // A thousand Thai letters are 3,000 bytes but only a thousand characters.
    let rows: Vec<_> = parsed.lines.iter().map(|l| l.row).collect();
    assert_eq!(rows, [9, 12]);
    assert_eq!(parsed.lines[0].details, thai);
    assert_eq!(parsed.lines[1].description, thai);
}

#[test]
fn rows_with_both_or_no_amounts_are_errors() {
    let parsed =
        kbiz(",01/11/26,,x,5.00,,6.00,,,,,,\n,01/11/26,,x,,,,,,,,,\n,01/11/26,,x,,,-5.00,,,,,,\n");
    assert_eq!(
        errors(&parsed),
        [
            (8, Some("ถอนเงิน")),
            (9, Some("ถอนเงิน")),
            (10, Some("ฝากเงิน"))
        ]
    );
    assert!(parsed.errors[0]
        .en
        .contains("both a withdrawal and a deposit (column “ฝากเงิน”)"));
}

#[test]
fn a_wrong_column_count_gives_both_counts() {
    let parsed = kbiz(
        ",01/11/26,,x,,,1.00,,,,,,,extra\n,01/11/26,,x,,,1.00\n,01/11/26,,x,,,1.00,,,,,,,,,\n",
    );
    let found: Vec<_> = parsed
        .errors
        .iter()
        .map(|e| (e.column.is_none(), e.en.as_str()))
        .collect();
    assert_eq!(
        found,
        [
            (true, "Row 8 has 14 columns but the header row has 13."),
            (true, "Row 9 has 7 columns but the header row has 13."),
        ]
    );
    assert_eq!(parsed.lines.len(), 1);
}
