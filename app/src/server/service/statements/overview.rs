//! The reconciliation desk's picture of a campaign: its imports, the bank's balance beside the
//! books' cash, what is matched, the credits waiting with their suggestions (strongest first),
//! and the pledges no credit has confirmed.

use super::super::{ledger, Caller};
use crate::error::AppError;
use crate::model::account::Action;
use crate::model::form::FieldErrors;
use crate::model::statement::matching::{self, Credit, Standing};
use crate::model::statement::{
    AccountBalance, BankLineView, Candidate, DeskQuery, ImportView, Reconciliation, StalePledge,
    DESK_PAGE, MATCH_WINDOW_DAYS,
};
use crate::model::status::CampaignStatus;
use crate::model::{CampaignId, Money};
use crate::server::audit::{self, Event};
use crate::server::db::bank::{self, BankLine, CreditFilter, Open};
use crate::server::db::campaign::{self, admin};
use crate::server::db::{donation, journal, time, Db, Tx};
use crate::server::idempotency;
use chrono::Duration;

/// Credits and matched lines a page lists at most.
const LIST_LIMIT: i64 = 300;

fn candidate(o: &Open, evidence: matching::Evidence) -> Candidate {
    let (status, at) = match (o.donation.standing, o.donation.pledge) {
        (Standing::Received { at }, _) => ("received", at),
        (Standing::Pledged, Some(p)) => ("pledged", p.made),
        (Standing::Pledged, None) => ("pledged", chrono::DateTime::UNIX_EPOCH),
    };
    Candidate {
        reference: o.donation.reference.clone(),
        donor: o.donation.donor.clone(),
        amount: o.donation.amount,
        status: status.to_owned(),
        at: time::instant(at),
        evidence,
    }
}

fn line_view(l: &BankLine, open: &[Open], donations: &[matching::OpenDonation]) -> BankLineView {
    let found = if l.matched.is_none() && l.credit {
        let credit = Credit {
            at: l.at,
            amount: l.amount,
            text: l.text(),
            known_at: Some(l.stored_at),
            taken_back: false,
        };
        matching::suggestions(&credit, donations, crate::server::today())
    } else {
        Vec::new()
    };
    let suggested = matching::best(&found).map(|(i, evidence)| candidate(&open[i], evidence));
    let candidates = found
        .into_iter()
        .map(|(i, evidence)| candidate(&open[i], evidence))
        .collect();
    BankLineView {
        id: l.id,
        posted_on: l.at.date.to_string(),
        posted_time: l.at.time.map(|t| t.format("%H:%M").to_string()),
        credit: l.credit,
        amount: l.amount,
        balance: l.balance,
        description: l.description.clone(),
        details: l.details.clone(),
        matched: l.matched.as_ref().map(|m| m.reference.clone()),
        how: l.matched.as_ref().map(|m| m.how),
        candidates,
        suggested,
    }
}

/// A suggestion that two credits share is no suggestion: which credit it is, is an officer's
/// choice. `others` are the suggestions of waiting credits off this page (another page, or left
/// out by the filters), which compete all the same.
fn drop_shared_suggestions(lines: &mut [BankLineView], others: &[String]) {
    let mut counts: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    let on_page = lines
        .iter()
        .filter_map(|l| l.suggested.as_ref())
        .map(|s| &s.reference);
    for reference in on_page.chain(others) {
        *counts.entry(reference.clone()).or_insert(0) += 1;
    }
    for l in lines.iter_mut() {
        if l.suggested
            .as_ref()
            .is_some_and(|s| counts[&s.reference] > 1)
        {
            l.suggested = None;
        }
    }
}

/// The bank against the books for a campaign, unfiltered: its first page.
pub async fn overview(
    db: &Db,
    caller: &Caller,
    campaign: CampaignId,
) -> Result<Reconciliation, AppError> {
    overview_of(db, caller, campaign, &DeskQuery::default()).await
}

/// The desk's filters as the database takes them; each field wrong is named.
fn credit_filter(q: &DeskQuery) -> Result<CreditFilter, AppError> {
    let mut e = FieldErrors::default();
    let from = e.date("from", &q.from, false);
    let to = e.date("to", &q.to, false);
    let mut amount =
        |field: &str, text: &str| (!text.trim().is_empty()).then(|| e.amount(field, text).satang());
    let (min, max) = (amount("min", &q.min), amount("max", &q.max));
    if let (Some(a), Some(b)) = (from, to) {
        if a > b {
            e.add(
                "to",
                "วันที่สิ้นสุดต้องไม่ก่อนวันที่เริ่ม",
                "The end date cannot be before the start.",
            );
        }
    }
    if let (Some(a), Some(b)) = (min, max) {
        if a > b {
            e.add(
                "max",
                "ยอดสูงสุดต้องไม่น้อยกว่ายอดต่ำสุด",
                "The largest amount cannot be below the smallest.",
            );
        }
    }
    e.finish()?;
    Ok(CreditFilter { from, to, min, max })
}

/// The bank against the books for a campaign: its imports, the bank's balance beside the
/// journal's cash, the matched total, one page of the waiting credits under the query's
/// filters, and the pledges no credit confirmed.
pub async fn overview_of(
    db: &Db,
    caller: &Caller,
    campaign: CampaignId,
    query: &DeskQuery,
) -> Result<Reconciliation, AppError> {
    caller.require(Action::Reconcile)?;
    let mut c = db.reader().acquire().await?;
    if !admin::exists(&mut c, campaign).await? {
        return Err(AppError::NotFound);
    }
    let imports = bank::imports(&mut c, campaign)
        .await?
        .into_iter()
        .map(|i| ImportView {
            id: i.statement_import_id,
            file_name: i.file_name,
            line_count: i.line_count,
            new_lines: i.new_lines,
            first_on: i.first_on,
            last_on: i.last_on,
            closing_balance: i.closing_balance_satang.map(Money::from_satang),
            by: i.by_name,
            at: i.imported_at,
        })
        .collect();
    let accounts = bank::bank_balances(&mut c, campaign).await?;
    let bank_balance = bank::total_of(&accounts);
    let bank_accounts = accounts
        .into_iter()
        .map(|(account, balance, on)| AccountBalance {
            account,
            balance,
            on: on.to_string(),
        })
        .collect();
    let books = journal::fund_cash(&mut c, campaign).await?;
    let (matched_count, matched_total) = bank::matched(&mut c, campaign).await?;
    let filter = credit_filter(query)?;
    let waiting_count = bank::count_unmatched(&mut c, campaign, &filter).await?;
    let offset = (i64::from(query.page()) - 1).saturating_mul(DESK_PAGE);
    let unmatched = bank::unmatched_credits(&mut c, campaign, &filter, DESK_PAGE, offset).await?;
    let mut amounts: Vec<Money> = unmatched.iter().map(|l| l.amount).collect();
    amounts.sort_unstable();
    amounts.dedup();
    let open = bank::open_donations_of(&mut c, campaign, &amounts).await?;
    let donations: Vec<_> = open.iter().map(|o| o.donation.clone()).collect();
    let mut unmatched_credits: Vec<BankLineView> = unmatched
        .iter()
        .map(|l| line_view(l, &open, &donations))
        .collect();
    // Credits of the same amounts off this page compete for the same donations.
    let mut suggested_amounts: Vec<Money> = unmatched_credits
        .iter()
        .filter(|l| l.suggested.is_some())
        .map(|l| l.amount)
        .collect();
    suggested_amounts.sort_unstable();
    suggested_amounts.dedup();
    let on_page: std::collections::HashSet<i64> = unmatched.iter().map(|l| l.id).collect();
    let others: Vec<String> = bank::unmatched_credits_of(&mut c, campaign, &suggested_amounts)
        .await?
        .iter()
        .filter(|l| !on_page.contains(&l.id))
        .filter_map(|l| line_view(l, &open, &donations).suggested)
        .map(|s| s.reference)
        .collect();
    drop_shared_suggestions(&mut unmatched_credits, &others);
    let matched_lines = bank::recent_matched(&mut c, campaign, LIST_LIMIT)
        .await?
        .iter()
        .map(|l| line_view(l, &open, &donations))
        .collect();
    let before = time::instant(chrono::Utc::now() - Duration::days(MATCH_WINDOW_DAYS));
    let stale_pledges = bank::stale_pledges(&mut c, campaign, &before)
        .await?
        .into_iter()
        .map(|o| StalePledge {
            amount: o.donation.amount,
            pledged_at: o
                .donation
                .pledge
                .map(|p| time::instant(p.made))
                .unwrap_or_default(),
            reference: o.donation.reference,
            donor: o.donation.donor,
        })
        .collect();
    let matching = donation::pledge_matching(&mut c, campaign).await?;
    Ok(Reconciliation {
        campaign_id: campaign,
        imports,
        bank_balance: bank_balance.map(|(b, _)| b),
        bank_balance_on: bank_balance.map(|(_, on)| on.to_string()),
        bank_accounts,
        books_cash: books,
        difference: bank_balance.map(|(b, _)| b.satang() - books.satang()),
        matched_count,
        matched_total,
        unmatched_credits,
        waiting_count,
        query: query.clone(),
        matched_lines,
        stale_pledges,
        unconfirmed_gifts: bank::unconfirmed_gifts(&mut c, campaign).await?,
        pledge_tail: matching.tail,
        lapse_days: matching.lapse_days,
        form_key: idempotency::form_key(),
    })
}

/// Takes the campaign's row for the change (`for update`: the row is written next, and two
/// changes at once then wait for each other instead of deadlocking) and refuses a settled one.
/// A draft may be set.
async fn settings_open(tx: &mut Tx, campaign: CampaignId) -> Result<(), AppError> {
    let row = admin::lock(tx, campaign).await?.ok_or(AppError::NotFound)?;
    if row.status == CampaignStatus::Settled {
        return Err(ledger::settled());
    }
    Ok(())
}

/// Sets after how many days a campaign's unpaid pledges lapse (1 to 365): not once its books
/// are settled.
pub async fn set_lapse_days(
    db: &Db,
    caller: &Caller,
    campaign: CampaignId,
    days: &str,
) -> Result<(), AppError> {
    caller.require(Action::Reconcile)?;
    let days = days
        .trim()
        .parse::<i64>()
        .ok()
        .filter(|d| (1..=365).contains(d))
        .ok_or_else(|| {
            AppError::field(
                "days",
                "จำนวนวันต้องเป็นเลขจำนวนเต็ม 1 ถึง 365",
                "The number of days must be a whole number from 1 to 365.",
            )
        })?;
    let mut tx = db.begin().await?;
    settings_open(&mut tx, campaign).await?;
    let before = donation::pledge_matching(&mut tx, campaign)
        .await?
        .lapse_days;
    campaign::set_lapse_days(&mut tx, campaign, days).await?;
    let detail = format!("pledges lapse after: {before} → {days} days");
    let event = Event::by(
        caller,
        "campaign_pledge_lapse",
        "campaign",
        campaign.to_string(),
        detail,
    );
    audit::record(&mut tx, &event).await?;
    tx.commit().await?;
    Ok(())
}

/// Turns the satang tail on a campaign's new pledges on or off (not once its books are
/// settled).
pub async fn set_pledge_tail(
    db: &Db,
    caller: &Caller,
    campaign: CampaignId,
    on: bool,
) -> Result<(), AppError> {
    caller.require(Action::Reconcile)?;
    let mut tx = db.begin().await?;
    settings_open(&mut tx, campaign).await?;
    campaign::set_pledge_tail(&mut tx, campaign, on).await?;
    let detail = if on { "on" } else { "off" }.to_owned();
    let event = Event::by(
        caller,
        "campaign_pledge_tail",
        "campaign",
        campaign.to_string(),
        detail,
    );
    audit::record(&mut tx, &event).await?;
    tx.commit().await?;
    Ok(())
}
