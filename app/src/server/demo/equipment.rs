//! Demo purchases, units and deliveries on the open campaign, written through the same services
//! a finance officer and hospital staff use, so every stage of the path shows at once: a
//! purchase approved at once, one approved by a second officer, one still awaiting that
//! approval; units in stock, allocated, on their way and received by three hospitals; a gift in
//! kind in stock and another waiting to go in.

use crate::error::AppError;
use crate::model::donation::DonationInput;
use crate::model::equipment::{
    AllocateInput, ConfirmInput, DispatchInput, PurchaseInput, PurchaseLineInput, ReceiveInput,
};
use crate::model::{CampaignId, HospitalId, PurchaseId};
use crate::server::db::{account, Db};
use crate::server::service::{donations, purchases, stock};
use crate::server::Caller;
use chrono::{Duration, NaiveDate};

pub(super) async fn user(db: &Db, username: &str) -> Result<Caller, AppError> {
    let user = account::credentials(&mut *db.reader().acquire().await?, username)
        .await?
        .and_then(|c| c.user())
        .ok_or(AppError::NotFound)?;
    Ok(Caller::signed_in(&user))
}

fn line(item: i64, quantity: i64, baht: &str) -> PurchaseLineInput {
    PurchaseLineInput {
        item: item.to_string(),
        quantity: quantity.to_string(),
        unit_price: baht.into(),
        justification: String::new(),
    }
}

/// Loads the equipment demo. `items` are the catalog's ids in catalog order, `hospitals` the
/// campaign's first served hospitals (the first three have staff accounts).
pub async fn load(
    db: &Db,
    campaign: CampaignId,
    items: &[i64],
    hospitals: &[i64],
    today: NaiveDate,
) -> Result<(), AppError> {
    let finance = user(db, "demo-finance").await?;
    let second = user(db, "demo-finance-2").await?;
    let staff = [
        user(db, "demo-staff").await?,
        user(db, "demo-staff-2").await?,
        user(db, "demo-staff-3").await?,
    ];
    let day = |days: i64| {
        (today - Duration::days(days))
            .format("%Y-%m-%d")
            .to_string()
    };
    let purchase =
        |key: &str, vendor: &str, tax: &str, invoice: &str, date: String, lines| PurchaseInput {
            campaign_id: campaign,
            vendor_name: vendor.into(),
            vendor_tax_id: tax.into(),
            invoice_no: invoice.into(),
            invoice_date: date,
            lines,
            idempotency_key: format!("demo-purchase-{key}"),
        };
    // At or below the threshold: takes effect at once.
    let small = purchases::record(
        db,
        &finance,
        &purchase(
            "small",
            "ร้านขอนแก่นเวชภัณฑ์ (ตัวอย่าง)",
            "0000000000124",
            "IV-6911-0042",
            day(12),
            vec![
                line(items[1], 3, "4500"),
                line(items[4], 2, "3800"),
                line(items[5], 2, "950"),
            ],
        ),
    )
    .await?;
    // Above it: a second finance officer approves.
    let oxygen = purchases::record(
        db,
        &finance,
        &purchase(
            "oxygen",
            "บริษัท อีสานออกซิเจนการแพทย์ จำกัด (ตัวอย่าง)",
            "",
            "INV-2569-118",
            day(10),
            vec![line(items[2], 2, "27500")],
        ),
    )
    .await?;
    purchases::approve(db, &second, oxygen).await?;
    // Above it and still waiting.
    purchases::record(
        db,
        &finance,
        &purchase(
            "beds",
            "บริษัท เตียงดีเมดิคอล จำกัด (ตัวอย่าง)",
            "",
            "QT-0419",
            day(2),
            vec![line(items[0], 4, "18000")],
        ),
    )
    .await?;
    let serials = "AM-24-1101\nAM-24-1102\nAM-24-1103";
    receive(db, &finance, small, serials).await?;
    receive(db, &finance, oxygen, "OC5-88121\nOC5-88122").await?;

    let request_of = |hospital: i64, item: i64| async move {
        let row: Option<(i64,)> = sqlx::query_as(
            "select equipment_request_id from equipment_request where campaign_id = $1 and hospital_id = $2
             and equipment_item_id = $3 and status = 'approved'",
        )
        .bind(campaign.get())
        .bind(hospital)
        .bind(item)
        .fetch_optional(db.reader())
        .await?;
        Ok::<_, AppError>(row.map(|(id,)| id.to_string()).unwrap_or_default())
    };
    let allocate =
        |key: &str, hospital: i64, request: String, item: i64, quantity: i64, reason: &str| {
            AllocateInput {
                campaign_id: campaign,
                hospital_id: hospital.to_string(),
                item: if request.is_empty() {
                    item.to_string()
                } else {
                    String::new()
                },
                request_id: request,
                quantity: quantity.to_string(),
                reason: reason.into(),
                idempotency_key: format!("demo-allocate-{key}"),
                ..Default::default()
            }
        };
    let (h0, h1, h2, h3) = (hospitals[0], hospitals[1], hospitals[2], hospitals[3]);
    // Air mattresses for the first hospital's approved request: two arrive, one is on its way.
    let mattresses = stock::allocate(
        db,
        &finance,
        &allocate(
            "mattress",
            h0,
            request_of(h0, items[1]).await?,
            items[1],
            3,
            "",
        ),
    )
    .await?;
    // Oxygen concentrators for the second hospital's approved request: both arrive.
    let oxygen_units = stock::allocate(
        db,
        &finance,
        &allocate(
            "oxygen",
            h1,
            request_of(h1, items[2]).await?,
            items[2],
            2,
            "",
        ),
    )
    .await?;
    // Wheelchairs without a request: one delivered, one allocated and not yet sent.
    let chair = stock::allocate(
        db,
        &finance,
        &allocate(
            "chair",
            h2,
            String::new(),
            items[4],
            1,
            "ผู้ป่วยหลังผ่าตัดสะโพกกลับบ้าน (ตัวอย่าง)",
        ),
    )
    .await?;
    stock::allocate(
        db,
        &finance,
        &allocate(
            "chair-2",
            h3,
            String::new(),
            items[4],
            1,
            "ทดแทนรถเข็นที่ชำรุด (ตัวอย่าง)",
        ),
    )
    .await?;
    for (hospital, carrier) in [
        (h0, "รถ รพ.น้ำพอง (ตัวอย่าง)"),
        (h1, "เจ้าหน้าที่ สสอ. (ตัวอย่าง)"),
        (h2, "อสม. ตำบล (ตัวอย่าง)"),
    ] {
        stock::dispatch(
            db,
            &finance,
            &DispatchInput {
                campaign_id: campaign,
                hospital_id: HospitalId(hospital),
                tags: String::new(),
                dispatched_on: day(1),
                carrier: carrier.into(),
            },
        )
        .await?;
    }
    let accept = |hospital: i64, tag: &String| ConfirmInput {
        hospital_id: HospitalId(hospital),
        tag: tag.clone(),
        answer: "accept".into(),
        reason: String::new(),
        condition: String::new(),
    };
    for tag in &mattresses[..2] {
        stock::confirm(db, &staff[0], &accept(h0, tag)).await?;
    }
    for tag in &oxygen_units {
        stock::confirm(db, &staff[1], &accept(h1, tag)).await?;
    }
    stock::confirm(db, &staff[2], &accept(h2, &chair[0])).await?;

    // Gifts in kind: walkers put into stock, commode chairs still waiting to go in.
    let gift = |key: &str, item: i64, quantity: &str, value: &str, name: &str| DonationInput {
        campaign_id: campaign,
        channel: "in_kind".into(),
        amount: value.into(),
        donor_name: name.into(),
        show_name: true,
        item: item.to_string(),
        quantity: quantity.into(),
        idempotency_key: format!("demo-gift-{key}"),
        ..Default::default()
    };
    let walkers = donations::record(
        db,
        &finance,
        &gift(
            "walkers",
            items[5],
            "4",
            "3800",
            "ร้านอุปกรณ์การแพทย์ชุมชน (ตัวอย่าง)",
        ),
    )
    .await?;
    stock::stock_gift(db, &finance, &walkers.reference).await?;
    donations::record(
        db,
        &finance,
        &gift(
            "commodes",
            items[6],
            "2",
            "2400",
            "ชมรมผู้สูงอายุบ้านโนน (ตัวอย่าง)",
        ),
    )
    .await?;
    Ok(())
}

async fn receive(db: &Db, finance: &Caller, id: PurchaseId, serials: &str) -> Result<(), AppError> {
    let input = ReceiveInput {
        purchase_id: id,
        serials: serials.into(),
    };
    purchases::receive(db, finance, &input).await.map(|_| ())
}
