//! What donation pages read: a gift looked up by its reference (with the donor's private details
//! for finance officers only), how to pay a pledge, where the campaign's money went, the moving
//! figures of a public campaign page, and a campaign's money page for finance officers.

use super::donations::normalise_reference;
use super::{receipts, Caller};
use crate::error::AppError;
use crate::model::account::Action;
use crate::model::donation::{
    mask_promptpay_id, pledge_tail, CampaignLive, DonationView, DonorPrivate, FinanceCampaign,
    MoneyTrail, PromptPayPayment, ReceiptNumber, ReceiptView,
};
use crate::model::promptpay::{self, BillerId, PromptPayTarget};
use crate::model::statement::ref1_of;
use crate::model::status::{CampaignStatus, DonationStatus};
use crate::model::thai_date::bangkok_date;
use crate::model::thai_id::NationalId;
use crate::model::{CampaignId, Localized, Money};
use crate::server::db::campaign_fund::{self, CampaignMoney};
use crate::server::db::donation::{self, ListOf, Payee, PledgeMatching};
use crate::server::db::donation_record::{self, DonationRecord};
use crate::server::db::{batch, journal, receipt, time, Db};
use crate::server::idempotency;
use sqlx::AnyConnection;

async fn campaign_money(c: &mut AnyConnection, id: CampaignId) -> Result<CampaignMoney, AppError> {
    campaign_fund::campaign_money(c, id)
        .await?
        .ok_or(AppError::NotFound)
}

fn title(c: &CampaignMoney) -> Localized {
    Localized::new(c.title_th.clone(), c.title_en.clone().unwrap_or_default())
}

/// What a reference code shows. Finance officers also see the donor's private details; nobody
/// else does, whatever their role.
pub async fn view(db: &Db, caller: &Caller, reference: &str) -> Result<DonationView, AppError> {
    let reference = normalise_reference(reference).ok_or(AppError::NotFound)?;
    let mut conn = db.reader().acquire().await?;
    let d = donation_record::by_reference(&mut conn, &reference)
        .await?
        .ok_or(AppError::NotFound)?;
    let c = campaign_money(&mut conn, d.campaign()).await?;
    let status = d.status()?;
    let finance = caller.require(Action::RecordDonation).is_ok();
    let national_id = d
        .national_id
        .as_deref()
        .and_then(|i| NationalId::parse(i).ok());
    let pledged = status == DonationStatus::Pledged;
    let payee = pledged.then(|| d.payee()).flatten();
    let matching = if pledged {
        donation::pledge_matching(&mut conn, d.campaign()).await?
    } else {
        PledgeMatching::default()
    };
    Ok(DonationView {
        reference: d.reference_code.clone(),
        campaign_id: d.campaign(),
        campaign_title: title(&c),
        campaign_status: CampaignStatus::from_code(&c.status).unwrap_or(CampaignStatus::Closed),
        status,
        channel: d.channel()?,
        amount: d.amount(),
        donor_name: d.display_name.clone(),
        national_id: national_id
            .as_ref()
            .map(|i| if finance { i.formatted() } else { i.masked() }),
        created_at: time::parse_instant(&d.created_at)?,
        received_at: d
            .received_at
            .as_deref()
            .map(time::parse_instant)
            .transpose()?,
        voided_at: d
            .voided_at
            .as_deref()
            .map(time::parse_instant)
            .transpose()?,
        void_reason: d.void_reason.clone(),
        receipt: receipt_of(&mut conn, &d).await?,
        in_kind: donation::items(&mut conn, d.id()).await?,
        promptpay: payee
            .as_ref()
            .and_then(|p| payment(p, &matching, &d.reference_code, d.amount())),
        bank: payee.and_then(|p| p.bank),
        tail: pledge_tail(d.amount(), matching.tail),
        by_hand: pledged && d.match_by_hand == 1,
        lapsed_after_days: (pledged
            && time::parse_instant(&d.created_at)?
                < chrono::Utc::now() - chrono::Duration::days(matching.lapse_days))
        .then_some(matching.lapse_days),
        trail: trail(&mut conn, d.campaign(), Money::from_satang(c.raised_satang)).await?,
        private: finance.then(|| DonorPrivate {
            national_id: national_id.as_ref().map(NationalId::formatted),
            phone: d.phone.clone(),
            email: d.email.clone(),
            note: d.note.clone(),
        }),
    })
}

/// The receipt as it was issued: its own recipient's words, whatever the recipient is called now.
async fn receipt_of(
    c: &mut AnyConnection,
    d: &DonationRecord,
) -> Result<Option<ReceiptView>, AppError> {
    let Some(r) = receipt::of_donation(c, d.id()).await? else {
        return Ok(None);
    };
    let received_at = d
        .received_at
        .as_deref()
        .map(time::parse_instant)
        .transpose()?;
    Ok(Some(ReceiptView {
        number: ReceiptNumber {
            fiscal_year: i32::try_from(r.fiscal_year).unwrap_or_default(),
            number: r.number,
        },
        recipient: receipts::view_of(&r.tax_id, r.name_th, r.name_en, r.address_th),
        received_on: received_at.map_or_else(crate::server::today, bangkok_date),
        issued_at: time::parse_instant(&r.issued_at)?,
        voided: d.status == "voided",
    }))
}

/// How to pay `amount` for pledge `reference` to the payee it was shown: a bill payment with
/// the reference as Ref1 when the campaign has a Biller ID, else a PromptPay transfer.
fn payment(
    payee: &Payee,
    matching: &PledgeMatching,
    reference: &str,
    amount: Money,
) -> Option<PromptPayPayment> {
    let id = payee.promptpay_id.as_deref();
    let biller = matching.biller_id.as_deref().and_then(BillerId::parse);
    let payload = match &biller {
        Some(biller) => promptpay::bill_payment_payload(biller, &ref1_of(reference), Some(amount))?,
        None => promptpay::payload(&PromptPayTarget::from_id(id?)?, Some(amount)),
    };
    let qr = crate::server::qr::svg(&payload)?;
    Some(PromptPayPayment {
        payee: payee.name.clone(),
        promptpay_id: id.map(mask_promptpay_id).unwrap_or_default(),
        biller_id: biller.map(|b| b.as_str().to_owned()),
        payload,
        qr,
    })
}

/// The PromptPay payload of a pledge, for its PNG.
pub async fn pledge_payload(db: &Db, reference: &str) -> Result<String, AppError> {
    let reference = normalise_reference(reference).ok_or(AppError::NotFound)?;
    let mut c = db.reader().acquire().await?;
    let d = donation_record::by_reference(&mut c, &reference)
        .await?
        .ok_or(AppError::NotFound)?;
    if d.status()? != DonationStatus::Pledged {
        return Err(AppError::NotFound);
    }
    let matching = donation::pledge_matching(&mut c, d.campaign()).await?;
    d.payee()
        .and_then(|p| payment(&p, &matching, &d.reference_code, d.amount()))
        .map(|p| p.payload)
        .ok_or(AppError::NotFound)
}

/// The campaign's fund: spending is the journal's `equipment_spent` account; what is held for
/// purchases awaiting approval comes from the fund aggregate.
async fn trail(
    c: &mut AnyConnection,
    campaign: CampaignId,
    raised: Money,
) -> Result<MoneyTrail, AppError> {
    // The fund's cash with carried money (raised + carried in − carried out) and what it holds.
    let (cash, held) = campaign_fund::balance(c, campaign)
        .await?
        .map_or((raised.satang(), 0), |(cash, _, committed, _)| {
            (cash, committed)
        });
    Ok(MoneyTrail {
        raised,
        spent: journal::spent(c, campaign).await?,
        held: Money::from_satang(held),
        carried: Money::from_satang(cash - raised.satang()),
    })
}

/// The moving part of a public campaign page: totals from the fund aggregate and recent gifts.
pub async fn live(db: &Db, id: CampaignId) -> Result<CampaignLive, AppError> {
    let mut conn = db.reader().acquire().await?;
    let c = campaign_money(&mut conn, id).await?;
    let f = campaign_fund::figures(&mut conn, id)
        .await?
        .ok_or(AppError::NotFound)?;
    if c.status == CampaignStatus::Draft.code() {
        return Err(AppError::NotFound);
    }
    Ok(CampaignLive {
        goal: Money::from_satang(c.goal_satang),
        raised: Money::from_satang(f.raised_satang),
        donor_count: f.donor_count,
        donation_count: f.donation_count,
        recent: crate::server::db::campaign::recent_donations(&mut conn, id).await?,
    })
}

/// Which page of each list the finance page shows: `None` is the newest.
#[derive(Clone, Copy, Debug, Default)]
pub struct Pages {
    pub pledges_before: Option<i64>,
    pub recent_before: Option<i64>,
}

/// A campaign's money page for finance officers.
pub async fn finance_campaign(
    db: &Db,
    caller: &Caller,
    id: CampaignId,
    pages: Pages,
) -> Result<FinanceCampaign, AppError> {
    caller.require(Action::RecordDonation)?;
    let mut conn = db.reader().acquire().await?;
    let c = campaign_money(&mut conn, id).await?;
    let status = CampaignStatus::from_code(&c.status).unwrap_or(CampaignStatus::Draft);
    if status == CampaignStatus::Draft {
        return Err(AppError::NotFound);
    }
    let f = campaign_fund::figures(&mut conn, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let pledges = donation::list(&mut conn, ListOf::Pledges(id), pages.pledges_before).await?;
    let recent = donation::list(&mut conn, ListOf::Recent(id), pages.recent_before).await?;
    let recipient = c.recipient_tax_id.as_deref().map(|tax| {
        receipts::view_of(
            tax,
            c.recipient_name_th.clone().unwrap_or_default(),
            c.recipient_name_en.clone(),
            c.recipient_address.clone(),
        )
    });
    Ok(FinanceCampaign {
        id,
        title: title(&c),
        status,
        raised: Money::from_satang(f.raised_satang),
        in_kind: Money::from_satang(f.in_kind_satang),
        donation_count: f.donation_count,
        donor_count: f.donor_count,
        pledged_count: f.pledged_count,
        recipient,
        pledges: pledges.rows,
        pledges_older: pledges.older,
        recent: recent.rows,
        recent_older: recent.older,
        batches: batch::of_campaign(&mut conn, id)
            .await?
            .into_iter()
            .map(Into::into)
            .collect(),
        form_key: idempotency::form_key(),
        batch_key: idempotency::form_key(),
    })
}
