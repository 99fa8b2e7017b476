//! The demo's settled campaign: the closed Chum Phae drive buys wheelchairs and beds, delivers
//! them to two of its hospitals, acknowledges what its report still flags, and is settled with
//! its balance carried to the open campaign, all through the services an officer uses. A
//! newcomer then sees a public report, a carry-over on both campaigns' pages, and what
//! settlement asks for.

use super::equipment::user;
use crate::error::AppError;
use crate::model::equipment::{
    AllocateInput, ConfirmInput, DispatchInput, PurchaseInput, PurchaseLineInput, ReceiveInput,
};
use crate::model::report::{AcknowledgeInput, Problem, SettleInput};
use crate::model::{CampaignId, HospitalId};
use crate::server::db::Db;
use crate::server::service::{purchases, settlement, stock};
use chrono::{Duration, NaiveDate};

/// Buys, delivers and settles `closed` (whose served hospitals start with `hospitals`, the
/// first two with staff accounts), carrying its balance to `open`.
pub async fn load(
    db: &Db,
    closed: CampaignId,
    open: CampaignId,
    items: &[i64],
    hospitals: &[i64],
    today: NaiveDate,
) -> Result<(), AppError> {
    let finance = user(db, "demo-finance").await?;
    let second = user(db, "demo-finance-2").await?;
    let staff = [
        user(db, "demo-staff-4").await?,
        user(db, "demo-staff-5").await?,
    ];
    let day = |days: i64| {
        (today - Duration::days(days))
            .format("%Y-%m-%d")
            .to_string()
    };
    let line = |item: i64, quantity: i64, baht: &str| PurchaseLineInput {
        item: item.to_string(),
        quantity: quantity.to_string(),
        unit_price: baht.into(),
        justification: String::new(),
    };
    let chairs = purchases::record(
        db,
        &finance,
        &PurchaseInput {
            campaign_id: closed,
            vendor_name: "ร้านชุมแพการแพทย์ (ตัวอย่าง)".into(),
            vendor_tax_id: String::new(),
            invoice_no: "CP-2568-0311".into(),
            invoice_date: day(280),
            lines: vec![line(items[4], 8, "3650")],
            idempotency_key: "demo-settled-chairs".into(),
        },
    )
    .await?;
    let beds = purchases::record(
        db,
        &finance,
        &PurchaseInput {
            campaign_id: closed,
            vendor_name: "บริษัท เตียงดีเมดิคอล จำกัด (ตัวอย่าง)".into(),
            vendor_tax_id: String::new(),
            invoice_no: "BD-2568-0077".into(),
            invoice_date: day(275),
            lines: vec![line(items[0], 3, "17500")],
            idempotency_key: "demo-settled-beds".into(),
        },
    )
    .await?;
    purchases::approve(db, &second, beds).await?;
    for id in [chairs, beds] {
        let input = ReceiveInput {
            purchase_id: id,
            serials: String::new(),
        };
        purchases::receive(db, &finance, &input).await?;
    }
    let (h0, h1) = (hospitals[0], hospitals[1]);
    let allocate =
        |key: &str, hospital: i64, item: i64, quantity: i64, reason: &str| AllocateInput {
            campaign_id: closed,
            hospital_id: hospital.to_string(),
            item: item.to_string(),
            quantity: quantity.to_string(),
            reason: reason.into(),
            idempotency_key: format!("demo-settled-{key}"),
            ..Default::default()
        };
    let mut delivered = Vec::new();
    for (key, hospital, item, quantity) in [
        ("chairs-a", h0, items[4], 5),
        ("chairs-b", h1, items[4], 3),
        ("beds-a", h0, items[0], 2),
        ("beds-b", h1, items[0], 1),
    ] {
        let tags = stock::allocate(
            db,
            &finance,
            &allocate(
                key,
                hospital,
                item,
                quantity,
                "ผู้ป่วยติดเตียงในเขตรับผิดชอบ (ตัวอย่าง)",
            ),
        )
        .await?;
        delivered.extend(tags.into_iter().map(|t| (hospital, t)));
    }
    for hospital in [h0, h1] {
        stock::dispatch(
            db,
            &finance,
            &DispatchInput {
                campaign_id: closed,
                hospital_id: HospitalId(hospital),
                tags: String::new(),
                dispatched_on: day(260),
                carrier: "รถ สสอ.ชุมแพ (ตัวอย่าง)".into(),
            },
        )
        .await?;
    }
    for (hospital, tag) in &delivered {
        let who = if *hospital == h0 {
            &staff[0]
        } else {
            &staff[1]
        };
        let input = ConfirmInput {
            hospital_id: HospitalId(*hospital),
            tag: tag.clone(),
            answer: "accept".into(),
            reason: String::new(),
            condition: String::new(),
        };
        stock::confirm(db, who, &input).await?;
    }
    // What the report still flags is explained in writing, as an officer would.
    let report = settlement::report(db, &finance, closed).await?;
    for d in report.discrepancies {
        let reason = match d.problem {
            Problem::NoStatement => {
                "เงินสดจากพิธีนำฝากครบตามใบนำฝากธนาคาร สำเนาอยู่ในแฟ้มการเงินของอำเภอ (ตัวอย่าง)"
            }
            _ => "ตรวจสอบกับเอกสารแล้ว ไม่กระทบยอดเงิน (ตัวอย่าง)",
        };
        // The demo's reasons name no one, so they may be published.
        let input = AcknowledgeInput {
            campaign_id: closed.get(),
            key: d.key,
            reason: reason.into(),
            publish: true,
        };
        settlement::acknowledge(db, &finance, &input).await?;
    }
    let input = SettleInput {
        campaign_id: closed.get(),
        carry_to: open.get().to_string(),
    };
    settlement::settle(db, &finance, &input).await?;
    Ok(())
}
