//! A campaign's CSV exports over HTTP, on SQLite and PostgreSQL: only finance officers get them;
//! each is UTF-8 with a byte-order mark and Thai/English headers; its rows are the books (every
//! donation, receipt, purchase line and unit, with totals equal to the fund's to the satang);
//! the fiscal years split the rows without losing or doubling one; text that looks like a
//! formula is inert; and a bad year or file is refused by name.

use crate::common;

use app::model::donation::{fiscal_year, DonationInput};
use app::model::CampaignId;
use app::server::demo::DEMO_PASSWORD;
use app::server::{donations, Caller};
use common::{get_as, sign_in};

/// The rows of a CSV body (header first), after checking its byte-order mark.
fn rows(body: &str) -> Vec<Vec<String>> {
    let text = body
        .strip_prefix('\u{feff}')
        .unwrap_or_else(|| panic!("no byte-order mark: {:?}", &body[..body.len().min(40)]));
    csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(text.as_bytes())
        .records()
        .map(|r| r.unwrap().iter().map(str::to_owned).collect())
        .collect()
}

/// A money cell (`1500.00`) in whole satang.
fn satang(cell: &str) -> i64 {
    let (baht, satang) = cell.split_once('.').unwrap_or_else(|| panic!("{cell}"));
    assert_eq!(satang.len(), 2, "{cell}");
    baht.parse::<i64>().unwrap() * 100 + satang.parse::<i64>().unwrap()
}

fn column(rows: &[Vec<String>], english: &str) -> usize {
    rows[0]
        .iter()
        .position(|h| h.ends_with(&format!(" / {english}")))
        .unwrap_or_else(|| panic!("no column {english} in {:?}", rows[0]))
}

async fn count(app: &common::TestApp, sql: &str, campaign: i64) -> i64 {
    let (n,): (i64,) = sqlx::query_as(sql)
        .bind(campaign)
        .fetch_one(app.db.reader())
        .await
        .unwrap();
    n
}

http_test!(exports_are_the_books_for_finance_officers_only, |app| {
    let (settled,): (i64,) =
        sqlx::query_as("select campaign_id from campaign where status = 'settled'")
            .fetch_one(app.db.reader())
            .await
            .unwrap();
    // A donor whose name would be a formula in a spreadsheet.
    let finance_user = common::demo_user(&app.db, "demo-finance").await;
    donations::record(
        &app.db,
        &Caller::signed_in(&finance_user).at("203.0.113.40"),
        &DonationInput {
            campaign_id: CampaignId(1),
            channel: "cash".into(),
            amount: "123.45".into(),
            donor_name: "=HYPERLINK(\"http://x.example\",\"คลิก\")".into(),
            idempotency_key: format!("export-{:032x}", rand::random::<u128>()),
            ..Default::default()
        },
    )
    .await
    .unwrap();

    // A pledge cancelled by an officer keeps its stored status; the export calls it voided.
    let (cancelled,): (String,) = sqlx::query_as(
        "select reference_code from donation
         where campaign_id = 1 and status = 'pledged' and voided_at is null limit 1",
    )
    .fetch_one(app.db.reader())
    .await
    .unwrap();
    donations::void(
        &app.db,
        &Caller::signed_in(&finance_user).at("203.0.113.40"),
        &cancelled,
        "ผู้บริจาคขอยกเลิก",
    )
    .await
    .unwrap();

    let path = |campaign: i64, file: &str| format!("/finance/campaigns/{campaign}/export/{file}");
    assert_eq!(
        get_as(&app, None, &path(1, "donations.csv")).await.status(),
        401
    );
    let staff = sign_in(&app, "demo-staff", DEMO_PASSWORD).await;
    assert_eq!(
        get_as(&app, Some(&staff), &path(1, "donations.csv"))
            .await
            .status(),
        403
    );
    let finance = sign_in(&app, "demo-finance", DEMO_PASSWORD).await;
    let csv_of = |campaign: i64, file: &'static str, query: String| {
        let app = &app;
        let finance = finance.clone();
        async move {
            let r = get_as(
                app,
                Some(&finance),
                &format!("{}{query}", path(campaign, file)),
            )
            .await;
            assert_eq!(r.status(), 200, "{file}{query}");
            assert_eq!(
                r.headers()["content-type"].to_str().unwrap(),
                "text/csv; charset=utf-8"
            );
            assert!(r.headers()["content-disposition"]
                .to_str()
                .unwrap()
                .starts_with("attachment; filename=\"phapa-campaign-"));
            rows(&r.text().await.unwrap())
        }
    };

    for campaign in [1, settled] {
        // Donations: one row each; the received ones add up to the fund.
        let d = csv_of(campaign, "donations.csv", String::new()).await;
        assert_eq!(d[0][0], "เลขอ้างอิง / reference");
        let all = count(
            &app,
            "select count(*) from donation where campaign_id = $1",
            campaign,
        )
        .await;
        assert!(all > 0);
        assert_eq!(d.len() as i64 - 1, all);
        let (status, amount) = (column(&d, "status"), column(&d, "amount_baht"));
        let received: i64 = d[1..]
            .iter()
            .filter(|r| r[status] == "received" && r[column(&d, "channel")] != "in_kind")
            .map(|r| satang(&r[amount]))
            .sum();
        let raised = count(
            &app,
            "select raised_satang from campaign_fund where campaign_id = $1",
            campaign,
        )
        .await;
        assert_eq!(received, raised, "campaign {campaign}");

        // Receipts, purchases and units: one row per receipt, purchase line and unit.
        let r = csv_of(campaign, "receipts.csv", String::new()).await;
        let receipts = count(
            &app,
            "select count(*) from receipt r join donation d on d.donation_id = r.donation_id where d.campaign_id = $1",
            campaign,
        )
        .await;
        assert_eq!(r.len() as i64 - 1, receipts);
        let p = csv_of(campaign, "purchases.csv", String::new()).await;
        let (status, line) = (column(&p, "status"), column(&p, "line_total_baht"));
        let bought: i64 = p[1..]
            .iter()
            .filter(|r| r[status] == "approved")
            .map(|r| satang(&r[line]))
            .sum();
        let spent = count(
            &app,
            "select spent_satang from campaign_fund where campaign_id = $1",
            campaign,
        )
        .await;
        assert_eq!(bought, spent, "campaign {campaign}");
        let u = csv_of(campaign, "units.csv", String::new()).await;
        let units = count(
            &app,
            "select count(*) from equipment_unit where campaign_id = $1",
            campaign,
        )
        .await;
        assert!(units > 0);
        assert_eq!(u.len() as i64 - 1, units);
        if campaign == settled {
            // Every unit of the settled campaign reached one of its two hospitals.
            let code = column(&u, "facility_code");
            assert!(u[1..]
                .iter()
                .all(|r| ["99015", "99016"].contains(&r[code].as_str())));
        }

        // Fiscal years split each file: every row in exactly one year.
        let now = fiscal_year(app::server::today());
        for file in [
            "donations.csv",
            "receipts.csv",
            "purchases.csv",
            "units.csv",
        ] {
            let whole = csv_of(campaign, file, String::new()).await;
            let mut parts = Vec::new();
            for year in now - 3..=now {
                let part = csv_of(campaign, file, format!("?fiscal_year={year}")).await;
                assert_eq!(part[0], whole[0]);
                parts.extend(part.into_iter().skip(1));
            }
            let mut whole: Vec<_> = whole.into_iter().skip(1).collect();
            whole.sort();
            parts.sort();
            assert_eq!(parts, whole, "{file} of campaign {campaign}");
        }
    }

    // The formula-looking name is text, not a formula; the cancelled pledge is voided.
    let d = csv_of(1, "donations.csv", String::new()).await;
    let row = d.iter().find(|r| r[0] == cancelled).unwrap();
    assert_eq!(row[column(&d, "status")], "voided");
    let name = column(&d, "donor_name");
    assert!(d.iter().any(|r| r[name].starts_with("'=HYPERLINK")));
    assert!(d
        .iter()
        .flatten()
        .all(|cell| !cell.starts_with(['=', '+', '@'])));

    // A bad year and an unknown file are refused by name, and nothing else is sent.
    let bad = get_as(
        &app,
        Some(&finance),
        &format!("{}?fiscal_year=2026", path(1, "donations.csv")),
    )
    .await;
    assert_eq!(bad.status(), 422);
    assert!(bad
        .text()
        .await
        .unwrap()
        .contains("data-field=\"fiscal_year\""));
    assert_eq!(
        get_as(&app, Some(&finance), &path(1, "accounts.csv"))
            .await
            .status(),
        404
    );
    assert_eq!(
        get_as(&app, Some(&finance), &path(99_999, "units.csv"))
            .await
            .status(),
        404
    );
});
