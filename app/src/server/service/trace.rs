//! Where the money went, for anyone: a unit's public page, what a hospital has received, and a
//! received donation's share of its campaign's purchases with the units they bought. Nothing here
//! names a person or shows a request's patient counts.

use super::donations::normalise_reference;
use crate::error::AppError;
use crate::model::equipment::{
    pro_rata, DonationTrace, PublicUnit, TracePurchase, TraceUnit, UnitsHeld,
};
use crate::model::status::{DonationChannel, DonationStatus, UnitStatus};
use crate::model::{CampaignId, HospitalId, Localized, Money, PurchaseId};
use crate::server::db::unit::{self, UnitRow};
use crate::server::db::{campaign_fund, donation_record, purchase, Db};

fn trace_unit(u: UnitRow) -> Result<TraceUnit, AppError> {
    let status = u.status()?;
    let homes = u.figures();
    // A unit allocated or on its way is not yet at its hospital.
    let at_hospital = status == UnitStatus::Received;
    Ok(TraceUnit {
        hospital: at_hospital.then(|| u.hospital_name()).flatten(),
        hospital_id: u.hospital().filter(|_| at_hospital),
        facility_code: u.facility_code.clone().filter(|_| at_hospital),
        item: Localized::new(u.item_th, u.item_en),
        tag: u.asset_tag,
        status,
        homes,
    })
}

/// A unit's public page by its tag; `NotFound` for an unknown tag.
pub async fn unit_page(db: &Db, tag: &str) -> Result<PublicUnit, AppError> {
    let tag = tag.trim().to_ascii_uppercase();
    if tag.is_empty() || tag.len() > 40 {
        return Err(AppError::NotFound);
    }
    let mut c = db.reader().acquire().await?;
    let u = unit::by_tag(&mut c, &tag)
        .await?
        .ok_or(AppError::NotFound)?;
    let bought_on = match u.purchase_id {
        Some(p) => purchase::by_id(&mut c, PurchaseId(p))
            .await?
            .map(|p| p.invoice_date),
        None => None,
    };
    let (title_th, title_en): (String, Option<String>) =
        sqlx::query_as("select title_th, title_en from campaign where campaign_id = $1")
            .bind(u.campaign_id)
            .fetch_one(&mut *c)
            .await
            .map_err(AppError::from)?;
    let status = u.status()?;
    let held = status == UnitStatus::Received;
    let history = unit::public_history(&mut c, u.id()).await?;
    let homes = u.figures();
    let care = if held { Some(u.care()?) } else { None };
    Ok(PublicUnit {
        care,
        homes,
        status,
        condition: u.condition()?,
        hospital: held.then(|| u.hospital_name()).flatten(),
        hospital_id: u.hospital().filter(|_| held),
        facility_code: u.facility_code.clone().filter(|_| held),
        held_since: u.received_at.clone().filter(|_| held),
        item: Localized::new(u.item_th, u.item_en),
        campaign_id: CampaignId(u.campaign_id),
        campaign_title: Localized {
            th: title_th,
            en: title_en,
        },
        purchase_id: u.purchase_id.map(PurchaseId),
        in_kind: u.donation_id.is_some(),
        price: Money::from_satang(u.cost_satang),
        bought_on,
        tag: u.asset_tag,
        history,
    })
}

/// What a hospital has received, by campaign and item, with the tags for links.
pub async fn received_by(db: &Db, hospital: HospitalId) -> Result<Vec<UnitsHeld>, AppError> {
    let mut c = db.reader().acquire().await?;
    let tags = unit::held_tags(&mut c, hospital).await?;
    Ok(unit::held_by(&mut c, hospital)
        .await?
        .into_iter()
        .map(|r| UnitsHeld {
            tags: tags
                .iter()
                .filter(|(c, item, _)| *c == r.campaign_id && *item == r.equipment_item_id)
                .map(|(_, _, tag)| tag.clone())
                .collect(),
            item: Localized::new(r.item_th, r.item_en),
            unit: Localized::new(r.unit_th, r.unit_en),
            campaign_id: CampaignId(r.campaign_id),
            campaign_title: Localized {
                th: r.title_th,
                en: r.title_en,
            },
            count: r.count,
        })
        .collect())
}

/// Where a received donation's money went. A gift of money shares in every purchase of its
/// campaign pro rata: its amount ÷ the campaign's cash received, times each purchase's total,
/// rounded down to the satang. A gift in kind is its own units. Pledges and voided gifts bought
/// nothing (`NotFound`, as for an unknown reference).
pub async fn donation(db: &Db, reference: &str) -> Result<DonationTrace, AppError> {
    let reference = normalise_reference(reference).ok_or(AppError::NotFound)?;
    let mut c = db.reader().acquire().await?;
    let d = donation_record::by_reference(&mut c, &reference)
        .await?
        .ok_or(AppError::NotFound)?;
    if d.status()? != DonationStatus::Received {
        return Err(AppError::NotFound);
    }
    let in_kind = d.channel()? == DonationChannel::InKind;
    let figures = campaign_fund::figures(&mut c, d.campaign())
        .await?
        .ok_or(AppError::NotFound)?;
    // Purchases are paid from donations and from money carried in: a gift's share is of both.
    let received = Money::from_satang(figures.raised_satang + figures.carried_in_satang);
    let mut trace = DonationTrace {
        donation_id: d.id(),
        campaign_id: d.campaign(),
        amount: d.amount(),
        campaign_received: received,
        in_kind,
        purchases: Vec::new(),
        units: Vec::new(),
    };
    if in_kind {
        for u in unit::of_gift(&mut c, d.id()).await? {
            trace.units.push(trace_unit(u)?);
        }
        return Ok(trace);
    }
    let mut ids = Vec::new();
    for (id, invoice_date, total) in unit::spent_purchases(&mut c, d.campaign()).await? {
        let id = PurchaseId(id);
        let total = Money::from_satang(total);
        let items = purchase::lines(&mut c, id)
            .await?
            .into_iter()
            .map(|l| (l.item, l.quantity))
            .collect();
        trace.purchases.push(TracePurchase {
            purchase_id: id,
            invoice_date,
            total,
            share: pro_rata(total, d.amount(), received),
            items,
        });
        ids.push(id);
    }
    for u in unit::of_purchases(&mut c, &ids).await? {
        trace.units.push(trace_unit(u)?);
    }
    Ok(trace)
}
