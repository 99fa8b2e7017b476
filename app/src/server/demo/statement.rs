//! A demo bank statement for the open campaign, imported through the same service a finance
//! officer uses, so the reconciliation desk shows its whole job at once: credits matched
//! automatically (recorded transfers whose amount only one credit has, and a pledge whose amount
//! the satang tail made its own), credits that several gifts of the same amount could be, a
//! credit two pledges of one typed amount could both be (waiting for an officer), and a credit
//! no pledge explains (to record as a gift). The campaign keeps its satang tail off, as a
//! campaign created before the tail's default would, except for that one pledge.

use super::equipment::user;
use crate::error::AppError;
use crate::model::donation::PledgeInput;
use crate::model::statement::Mapping;
use crate::model::thai_date::bangkok;
use crate::model::{CampaignId, Money};
use crate::server::db::{time, Db};
use crate::server::service::{donations, statements};
use crate::server::Caller;
use chrono::{Duration, NaiveDate};

/// Days of transfers the statement covers.
const DAYS: i64 = 10;

/// `1234567` satang as the bank writes it: `"12,345.67"`.
fn amount(satang: i64) -> String {
    let m = Money::from_satang(satang);
    let text = m.to_string();
    format!("\"{}\"", text.trim_start_matches('฿'))
}

/// Loads the statement. Call after the campaign's gifts are in.
pub async fn load(db: &Db, campaign: CampaignId, today: NaiveDate) -> Result<(), AppError> {
    let finance = user(db, "demo-finance").await?;
    let public = Caller::anonymous();
    for (key, baht, name, tail) in [
        ("demo-statement-twin-1", "2500", "คุณมานพ ใจงาม", false),
        ("demo-statement-twin-2", "2500", "คุณมานี ใจงาม", false),
        ("demo-statement-unique", "1234.56", "คุณปรีชา ทองดี", true),
    ] {
        statements::set_pledge_tail(db, &finance, campaign, tail).await?;
        let input = PledgeInput {
            campaign_id: campaign,
            amount: baht.into(),
            donor_name: name.into(),
            show_name: true,
            idempotency_key: key.into(),
            ..Default::default()
        };
        donations::pledge(db, &public, &input).await?;
    }
    statements::set_pledge_tail(db, &finance, campaign, false).await?;
    // The campaign's transfers of the last days, as the bank lists them.
    let rows: Vec<(String, i64, String, Option<String>)> = sqlx::query_as(
        "select d.received_at, d.amount_satang, d.channel, o.display_name from donation d
         join donor o on o.donor_id = d.donor_id
         where d.campaign_id = $1 and d.status = 'received'
           and d.channel in ('promptpay', 'bank_transfer') and d.received_at is not null
         order by d.received_at, d.donation_id",
    )
    .bind(campaign.get())
    .fetch_all(db.reader())
    .await?;
    let from = today - Duration::days(DAYS);
    let mut lines: Vec<(chrono::NaiveDateTime, i64, String, String)> = Vec::new();
    for (at, satang, channel, name) in rows {
        let local = time::parse_instant(&at)?
            .with_timezone(&bangkok())
            .naive_local();
        if local.date() < from {
            continue;
        }
        let who = name.unwrap_or_else(|| "X0000".to_owned());
        let (kind, via) = if channel == "promptpay" {
            (
                "รับโอนเงินผ่าน PromptPay",
                format!("PromptPay จาก X{:04} {who}", satang % 10_000),
            )
        } else {
            ("รับโอนเงิน", format!("จาก X{:04} {who}", satang % 10_000))
        };
        lines.push((local, satang, kind.to_owned(), via));
    }
    let now = chrono::Utc::now().with_timezone(&bangkok()).naive_local();
    for (satang, who) in [
        (250_000, "จาก X7788"),
        (123_456, "PromptPay จาก X5566 นาย ปรีชา ทองดี"),
        (333_300, "จาก X4321 บริษัท ตัวอย่างใจกว้าง จำกัด"),
    ] {
        lines.push((now, satang, "รับโอนเงิน".to_owned(), who.to_owned()));
    }
    lines.sort_by_key(|l| l.0);
    let total: i64 = lines.iter().map(|l| l.1).sum();
    let mut csv = String::from("\u{feff}");
    csv.push_str("รายการเดินบัญชีเงินฝากออมทรัพย์ (มีรายละเอียด),,,,,,,,,,,,\n");
    csv.push_str("K-DEPOSIT STATEMENT OF SAVING ACCOUNT (WITH DETAIL),,,,,,,,,,,,\n");
    csv.push_str(",ชื่อบัญชี,กองผ้าป่าตัวอย่าง,,,,,เลขที่บัญชีเงินฝาก,,,,xxx-x-x0000-x,\n");
    csv.push_str(",,,,,,,ยอดยกมา,,,,,0.00\n");
    csv.push_str(&format!(",,,,,,,ยอดยกไป,,,,,{}\n", amount(total)));
    csv.push_str(",วันที่,เวลา/ วันที่มีผล,รายการ,ถอนเงิน,,ฝากเงิน,,ยอดคงเหลือ,,ช่องทาง,,รายละเอียด\n");
    let mut balance = 0;
    for (at, satang, kind, via) in lines {
        balance += satang;
        csv.push_str(&format!(
            ",{},{},{kind},,,{},,{},,K PLUS,,{via}\n",
            at.format("%d/%m/%y"),
            at.format("%H:%M"),
            amount(satang),
            amount(balance),
        ));
    }
    statements::import(
        db,
        &finance,
        campaign,
        "demo-kbiz-statement.csv",
        csv.as_bytes(),
        &Mapping::kbiz(),
    )
    .await?;
    Ok(())
}
