//! Which donations a credit may be, and a line's match: set, taken back, and its history.

use super::{placeholders, time, PER_LIST};
use crate::model::account::AccountId;
use crate::model::statement::matching::{OpenDonation, Pledge, Standing};
use crate::model::statement::MatchHow;
use crate::model::{CampaignId, DonationId, Money};
use sqlx::AnyConnection;
use std::collections::HashSet;

/// A donation a credit may confirm, with its id: a bank or PromptPay gift, pledged or received,
/// not voided, that no bank line confirms yet.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Open {
    pub id: DonationId,
    pub donation: OpenDonation,
}

#[derive(sqlx::FromRow)]
struct OpenRow {
    donation_id: i64,
    reference_code: String,
    amount_satang: i64,
    status: String,
    created_at: String,
    received_at: Option<String>,
    display_name: Option<String>,
    /// 1 when it began as a donor's online pledge (a pledge keeps the payee it was shown).
    was_pledge: i64,
    tail_unique: i64,
}

impl TryFrom<OpenRow> for Open {
    type Error = sqlx::Error;

    fn try_from(r: OpenRow) -> Result<Open, sqlx::Error> {
        let standing = match (r.status.as_str(), r.received_at.as_deref()) {
            ("received", Some(at)) => Standing::Received {
                at: time::parse_instant(at)?,
            },
            _ => Standing::Pledged,
        };
        let pledge = if r.was_pledge == 1 || standing == Standing::Pledged {
            Some(Pledge {
                made: time::parse_instant(&r.created_at)?,
                tailed: r.tail_unique == 1,
            })
        } else {
            None
        };
        Ok(Open {
            id: DonationId(r.donation_id),
            donation: OpenDonation {
                reference: r.reference_code,
                amount: Money::from_satang(r.amount_satang),
                standing,
                pledge,
                donor: r.display_name,
            },
        })
    }
}

const OPEN: &str = "select d.donation_id, d.reference_code, d.amount_satang, d.status,
    d.created_at, d.received_at, o.display_name,
    case when d.payee_name is null then 0 else 1 end as was_pledge, d.tail_unique
    from donation d join donor o on o.donor_id = d.donor_id
    where d.campaign_id = $1 and d.voided_at is null and d.status in ('pledged', 'received')
      and d.channel in ('promptpay', 'bank_transfer')
      and not exists (select 1 from bank_line l where l.donation_id = d.donation_id)";

/// The campaign's open donations of these amounts (by its amount index), oldest first.
pub async fn open_donations_of(
    c: &mut AnyConnection,
    campaign: CampaignId,
    amounts: &[Money],
) -> Result<Vec<Open>, sqlx::Error> {
    let mut out = Vec::new();
    for chunk in amounts.chunks(PER_LIST) {
        let sql = format!(
            "{OPEN} and d.amount_satang {} order by d.donation_id",
            placeholders(1, chunk.len())
        );
        let q = chunk.iter().fold(
            sqlx::query_as::<_, OpenRow>(&sql).bind(campaign.get()),
            |q, m| q.bind(m.satang()),
        );
        for row in q.fetch_all(&mut *c).await? {
            out.push(Open::try_from(row)?);
        }
    }
    out.sort_by_key(|o| o.id.get());
    Ok(out)
}

/// Pledges made before `before` that no credit has confirmed, oldest first, at most 500.
pub async fn stale_pledges(
    c: &mut AnyConnection,
    campaign: CampaignId,
    before: &str,
) -> Result<Vec<Open>, sqlx::Error> {
    let sql = format!(
        "{OPEN} and d.status = 'pledged' and d.created_at < $2 order by d.created_at limit 500"
    );
    let rows: Vec<OpenRow> = sqlx::query_as(&sql)
        .bind(campaign.get())
        .bind(before)
        .fetch_all(c)
        .await?;
    rows.into_iter().map(Open::try_from).collect()
}

/// Received bank or PromptPay gifts no bank line confirms.
pub async fn unconfirmed_gifts(
    c: &mut AnyConnection,
    campaign: CampaignId,
) -> Result<i64, sqlx::Error> {
    let (n,): (i64,) = sqlx::query_as(&format!(
        "select count(*) from ({OPEN} and d.status = 'received') as open_gifts"
    ))
    .bind(campaign.get())
    .fetch_one(c)
    .await?;
    Ok(n)
}

/// Which of `lines` an officer has unmatched at least once (never matched automatically again).
pub async fn taken_back(c: &mut AnyConnection, lines: &[i64]) -> Result<HashSet<i64>, sqlx::Error> {
    let mut out = HashSet::new();
    for chunk in lines.chunks(PER_LIST) {
        let sql = format!(
            "select distinct bank_line_id from bank_match_event
             where kind = 'unmatched' and bank_line_id {}",
            placeholders(0, chunk.len())
        );
        let q = chunk
            .iter()
            .fold(sqlx::query_as::<_, (i64,)>(&sql), |q, id| q.bind(*id));
        out.extend(q.fetch_all(&mut *c).await?.into_iter().map(|(id,)| id));
    }
    Ok(out)
}

/// Whether a bank line is matched to `donation`.
pub async fn is_matched(c: &mut AnyConnection, donation: DonationId) -> Result<bool, sqlx::Error> {
    let row: Option<(i64,)> =
        sqlx::query_as("select bank_line_id from bank_line where donation_id = $1")
            .bind(donation.get())
            .fetch_optional(c)
            .await?;
    Ok(row.is_some())
}

/// Matches a line that is not matched yet. `false` when the line or the donation was matched
/// meanwhile (the line's conditional update, or the one-line-per-donation unique index).
pub async fn set_match(
    c: &mut AnyConnection,
    line: i64,
    donation: DonationId,
    how: MatchHow,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "update bank_line set donation_id = $1, matched_how = $2, matched_at = $3
         where bank_line_id = $4 and donation_id is null",
    )
    .bind(donation.get())
    .bind(how.code())
    .bind(time::now())
    .bind(line)
    .execute(c)
    .await;
    match done {
        Ok(done) => Ok(done.rows_affected() == 1),
        Err(e) if crate::server::db::is_unique_violation(&e, "bank_line", "donation_id") => {
            Ok(false)
        }
        Err(e) => Err(e),
    }
}

/// Takes a line's match away, if it is still matched to `donation`.
pub async fn clear_match(
    c: &mut AnyConnection,
    line: i64,
    donation: DonationId,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "update bank_line set donation_id = null, matched_how = null, matched_at = null
         where bank_line_id = $1 and donation_id = $2",
    )
    .bind(line)
    .bind(donation.get())
    .execute(c)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// One entry of a line's match history.
pub struct MatchEvent<'a> {
    pub line: i64,
    pub donation: DonationId,
    /// `matched` or `unmatched`.
    pub kind: &'a str,
    pub how: MatchHow,
    pub note: Option<&'a str>,
    pub by: AccountId,
}

/// Appends a match or unmatch to a line's history.
pub async fn event(c: &mut AnyConnection, e: &MatchEvent<'_>) -> Result<(), sqlx::Error> {
    sqlx::query(
        "insert into bank_match_event (bank_line_id, donation_id, kind, how, note, account_id,
           created_at) values ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(e.line)
    .bind(e.donation.get())
    .bind(e.kind)
    .bind(e.how.code())
    .bind(e.note)
    .bind(e.by.0)
    .bind(time::now())
    .execute(c)
    .await?;
    Ok(())
}

/// The campaign's open donation with this reference, if it is one.
pub async fn open_donation(
    c: &mut AnyConnection,
    campaign: CampaignId,
    reference: &str,
) -> Result<Option<Open>, sqlx::Error> {
    let row: Option<OpenRow> = sqlx::query_as(&format!("{OPEN} and d.reference_code = $2"))
        .bind(campaign.get())
        .bind(reference)
        .fetch_optional(c)
        .await?;
    row.map(Open::try_from).transpose()
}
