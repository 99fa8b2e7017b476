//! The finance exports as Excel workbooks, on SQLite and PostgreSQL: each `.xlsx` opens with a
//! reader (calamine) and holds the CSV's rows cell for cell, with Thai headers, amounts as
//! numbers formatted `#,##0.00`, dates as dates, and text that looks like a formula kept as
//! text (no formula anywhere). Only finance officers get them.

use crate::common;

use app::model::donation::DonationInput;
use app::model::CampaignId;
use app::server::demo::DEMO_PASSWORD;
use app::server::{donations, Caller};
use calamine::{Data, DataType as _, Reader};
use common::{get_as, sign_in, TestApp};
use server::xlsx::{kind_of, shown_header, Kind};
use std::io::Read as _;

const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

async fn body(app: &TestApp, cookie: &str, path: &str, kind: &str) -> Vec<u8> {
    let r = get_as(app, Some(cookie), path).await;
    assert_eq!(r.status(), 200, "GET {path}");
    assert!(
        r.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with(kind),
        "GET {path}"
    );
    r.bytes().await.unwrap().to_vec()
}

fn csv_rows(bytes: &[u8]) -> Vec<Vec<String>> {
    let text = bytes
        .strip_prefix("\u{feff}".as_bytes())
        .expect("a byte-order mark");
    csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(text)
        .records()
        .map(|r| r.unwrap().iter().map(str::to_owned).collect())
        .collect()
}

/// Checks that the workbook holds `csv`'s rows cell for cell; answers how many cells of each
/// kind it compared (money, dates).
fn same_cells(book: &[u8], csv: &[Vec<String>], what: &str) -> (usize, usize) {
    let mut styles = String::new();
    zip::ZipArchive::new(std::io::Cursor::new(book))
        .unwrap()
        .by_name("xl/styles.xml")
        .unwrap()
        .read_to_string(&mut styles)
        .unwrap();
    let mut workbook = calamine::Xlsx::new(std::io::Cursor::new(book.to_vec())).unwrap();
    assert_eq!(workbook.sheet_names().len(), 1, "{what}");
    let range = workbook.worksheet_range_at(0).unwrap().unwrap();
    let formulas = workbook
        .worksheet_formula(&workbook.sheet_names()[0])
        .unwrap();
    assert!(
        formulas.used_cells().all(|(_, _, f)| f.is_empty()),
        "{what}: no formula"
    );
    assert_eq!(range.height(), csv.len(), "{what}: the same rows");
    let kinds: Vec<Kind> = csv[0].iter().map(|h| kind_of(h)).collect();
    let (mut money, mut dates) = (0, 0);
    for (r, row) in csv.iter().enumerate() {
        for (c, text) in row.iter().enumerate() {
            let cell = range.get((r, c)).cloned().unwrap_or(Data::Empty);
            let at = format!("{what} row {r} column {c} ({text:?}, {cell:?})");
            if r == 0 {
                assert_eq!(cell, Data::String(shown_header(text)), "{at}");
                assert!(
                    cell.to_string()
                        .chars()
                        .any(|ch| ('\u{0e00}'..='\u{0e7f}').contains(&ch)),
                    "{at}: Thai"
                );
                continue;
            }
            if text.is_empty() {
                assert_eq!(cell, Data::Empty, "{at}");
                continue;
            }
            match kinds[c] {
                Kind::Money => {
                    let Data::Float(n) = cell else {
                        panic!("{at}: a number")
                    };
                    assert_eq!(format!("{n:.2}"), *text, "{at}");
                    money += 1;
                }
                Kind::Date => {
                    assert!(matches!(cell, Data::DateTime(_)), "{at}: a date");
                    let day = cell.as_datetime().unwrap().date();
                    assert_eq!(day.to_string(), *text, "{at}");
                    dates += 1;
                }
                Kind::Whole => assert_eq!(cell.to_string(), *text, "{at}"),
                Kind::Text => {
                    let typed = match text.strip_prefix('\'') {
                        Some(rest) if rest.starts_with(['=', '+', '-', '@']) => rest,
                        _ => text.as_str(),
                    };
                    assert_eq!(cell, Data::String(typed.to_owned()), "{at}");
                }
            }
        }
    }
    if money > 0 {
        assert!(
            styles.contains("formatCode=\"#,##0.00\""),
            "{what}: money formatted"
        );
    }
    (money, dates)
}

http_test!(
    each_finance_export_is_also_a_workbook_with_the_same_cells,
    |app| {
        let finance_user = common::demo_user(&app.db, "demo-finance").await;
        let formula = "=HYPERLINK(\"http://x.example\",\"คลิก\")";
        donations::record(
            &app.db,
            &Caller::signed_in(&finance_user).at("203.0.113.41"),
            &DonationInput {
                campaign_id: CampaignId(1),
                channel: "cash".into(),
                amount: "1234567.89".into(),
                donor_name: formula.into(),
                idempotency_key: format!("workbook-{:032x}", rand::random::<u128>()),
                ..Default::default()
            },
        )
        .await
        .unwrap();
        let finance = sign_in(&app, "demo-finance", DEMO_PASSWORD).await;
        let staff = sign_in(&app, "demo-staff", DEMO_PASSWORD).await;
        let (mut money, mut dates) = (0, 0);
        for file in ["donations", "receipts", "purchases", "units"] {
            let path = |ext: &str| format!("/finance/campaigns/1/export/{file}.{ext}?fiscal_year=");
            assert_eq!(get_as(&app, None, &path("xlsx")).await.status(), 401);
            assert_eq!(
                get_as(&app, Some(&staff), &path("xlsx")).await.status(),
                403
            );
            let csv = csv_rows(&body(&app, &finance, &path("csv"), "text/csv").await);
            let book = body(&app, &finance, &path("xlsx"), XLSX).await;
            let (m, d) = same_cells(&book, &csv, file);
            money += m;
            dates += d;
            if file == "donations" {
                let mut workbook = calamine::Xlsx::new(std::io::Cursor::new(book)).unwrap();
                let range = workbook.worksheet_range("donations").unwrap();
                assert!(
                    range
                        .used_cells()
                        .any(|(_, _, c)| *c == Data::String(formula.to_owned())),
                    "the formula-like name is text"
                );
                assert!(range
                    .used_cells()
                    .any(|(_, _, c)| *c == Data::Float(1_234_567.89)));
            }
        }
        assert!(money > 0 && dates > 0, "money {money}, dates {dates}");

        // The e-Donation file: bare English headers get their Thai.
        let (recipient,): (i64,) =
            sqlx::query_as("select legal_recipient_id from campaign where campaign_id = 1")
                .fetch_one(app.db.reader())
                .await
                .unwrap();
        let today = app::server::today();
        let (start, _) =
            app::model::donation::fiscal_year_days(app::model::donation::fiscal_year(today))
                .unwrap();
        let path = |ext: &str| {
            format!("/finance/e-donation.{ext}?recipient={recipient}&from={start}&to={today}")
        };
        let csv = csv_rows(&body(&app, &finance, &path("csv"), "text/csv").await);
        let book = body(&app, &finance, &path("xlsx"), XLSX).await;
        same_cells(&book, &csv, "e-donation");
    }
);
