//! Bank statement imports, their lines and each line's match to a donation.

use super::{time, Db, Tx};
use crate::model::account::AccountId;
use crate::model::{CampaignId, DonationId, Money};
use crate::server::statement::StatementLine;
use std::collections::HashSet;

/// Lines per `insert`: 14 values each stays far below both engines' limits on bound values.
const LINES_PER_INSERT: usize = 400;

/// What an import stores about its file.
#[derive(Clone, Debug)]
pub struct NewImport<'a> {
    pub campaign: CampaignId,
    pub file_name: &'a str,
    pub encoding: &'a str,
    pub line_count: usize,
    pub new_lines: usize,
    pub first_on: Option<String>,
    pub last_on: Option<String>,
    pub opening_balance: Option<i64>,
    pub closing_balance: Option<i64>,
    pub by: AccountId,
}

/// The fingerprints of a campaign's stored lines.
pub async fn fingerprints(
    db: &sqlx::AnyPool,
    campaign: CampaignId,
) -> Result<HashSet<String>, sqlx::Error> {
    let rows: Vec<(String,)> =
        sqlx::query_as("select fingerprint from bank_line where campaign_id = $1")
            .bind(campaign.get())
            .fetch_all(db)
            .await?;
    Ok(rows.into_iter().map(|(f,)| f).collect())
}

/// The same, inside a write transaction.
pub async fn fingerprints_tx(
    tx: &mut Tx,
    campaign: CampaignId,
) -> Result<HashSet<String>, sqlx::Error> {
    let rows: Vec<(String,)> =
        sqlx::query_as("select fingerprint from bank_line where campaign_id = $1")
            .bind(campaign.get())
            .fetch_all(&mut **tx)
            .await?;
    Ok(rows.into_iter().map(|(f,)| f).collect())
}

pub async fn insert_import(tx: &mut Tx, i: &NewImport<'_>) -> Result<i64, sqlx::Error> {
    let (id,): (i64,) = sqlx::query_as(
        "insert into statement_import (campaign_id, file_name, encoding, line_count, new_lines,
           known_lines, first_on, last_on, opening_balance_satang, closing_balance_satang,
           imported_by, imported_at)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) returning statement_import_id",
    )
    .bind(i.campaign.get())
    .bind(i.file_name)
    .bind(i.encoding)
    .bind(i.line_count as i64)
    .bind(i.new_lines as i64)
    .bind((i.line_count - i.new_lines) as i64)
    .bind(i.first_on.as_deref())
    .bind(i.last_on.as_deref())
    .bind(i.opening_balance)
    .bind(i.closing_balance)
    .bind(i.by.0)
    .bind(time::now())
    .fetch_one(&mut **tx)
    .await?;
    Ok(id)
}

/// Stores new lines, many per statement; answers how many were stored.
pub async fn insert_lines(
    tx: &mut Tx,
    campaign: CampaignId,
    import: i64,
    lines: &[&StatementLine],
) -> Result<u64, sqlx::Error> {
    let now = time::now();
    let mut stored = 0;
    for chunk in lines.chunks(LINES_PER_INSERT) {
        let mut sql = String::from(
            "insert into bank_line (campaign_id, statement_import_id, fingerprint, row_no,
               posted_on, posted_time, is_credit, amount_satang, balance_satang, description,
               channel, details, created_at) values ",
        );
        // Another import of the same lines at the same moment stores them once; its caller
        // sees fewer rows stored than it sent and refuses (409), so the officer retries.
        for k in 0..chunk.len() {
            let b = k * 13;
            if k > 0 {
                sql.push(',');
            }
            sql.push('(');
            for c in 1..=13 {
                if c > 1 {
                    sql.push(',');
                }
                sql.push_str(&format!("${}", b + c));
            }
            sql.push(')');
        }
        sql.push_str(" on conflict (campaign_id, fingerprint) do nothing");
        let mut q = sqlx::query(&sql);
        for l in chunk {
            q = q
                .bind(campaign.get())
                .bind(import)
                .bind(l.fingerprint.as_str())
                .bind(l.row as i64)
                .bind(l.date.to_string())
                .bind(l.time.as_deref())
                .bind(i64::from(l.credit))
                .bind(l.amount.satang())
                .bind(l.balance)
                .bind(l.description.as_str())
                .bind(l.channel.as_str())
                .bind(l.details.as_str())
                .bind(now.as_str());
        }
        stored += q.execute(&mut **tx).await?.rows_affected();
    }
    Ok(stored)
}

/// A stored bank line.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct LineRow {
    pub bank_line_id: i64,
    pub campaign_id: i64,
    pub posted_on: String,
    pub posted_time: Option<String>,
    pub is_credit: i64,
    pub amount_satang: i64,
    pub balance_satang: Option<i64>,
    pub description: String,
    pub details: String,
    pub donation_id: Option<i64>,
    pub matched_how: Option<String>,
    pub reference_code: Option<String>,
}

impl LineRow {
    pub fn amount(&self) -> Money {
        Money::from_satang(self.amount_satang)
    }
    pub fn campaign(&self) -> CampaignId {
        CampaignId(self.campaign_id)
    }
}

const LINE: &str = "select l.bank_line_id, l.campaign_id, l.posted_on, l.posted_time, l.is_credit,
    l.amount_satang, l.balance_satang, l.description, l.details, l.donation_id, l.matched_how,
    d.reference_code
    from bank_line l left join donation d on d.donation_id = l.donation_id";

/// One line, inside a write transaction.
pub async fn line_tx(tx: &mut Tx, id: i64) -> Result<Option<LineRow>, sqlx::Error> {
    sqlx::query_as(&format!("{LINE} where l.bank_line_id = $1"))
        .bind(id)
        .fetch_optional(&mut **tx)
        .await
}

/// A campaign's credits that match no donation yet, oldest first.
pub async fn unmatched_credits_tx(
    tx: &mut Tx,
    campaign: CampaignId,
) -> Result<Vec<LineRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "{LINE} where l.campaign_id = $1 and l.is_credit = 1 and l.donation_id is null
         order by l.posted_on, l.bank_line_id"
    ))
    .bind(campaign.get())
    .fetch_all(&mut **tx)
    .await
}

/// The same, for a page.
pub async fn unmatched_credits(
    db: &Db,
    campaign: CampaignId,
    limit: i64,
) -> Result<Vec<LineRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "{LINE} where l.campaign_id = $1 and l.is_credit = 1 and l.donation_id is null
         order by l.posted_on, l.bank_line_id limit $2"
    ))
    .bind(campaign.get())
    .bind(limit)
    .fetch_all(db.reader())
    .await
}

/// A campaign's lines that an officer has unmatched at least once.
pub async fn unmatched_lines_tx(
    tx: &mut Tx,
    campaign: CampaignId,
) -> Result<std::collections::HashSet<i64>, sqlx::Error> {
    let rows: Vec<(i64,)> = sqlx::query_as(
        "select distinct e.bank_line_id from bank_match_event e
         join bank_line l on l.bank_line_id = e.bank_line_id
         where l.campaign_id = $1 and e.kind = 'unmatched'",
    )
    .bind(campaign.get())
    .fetch_all(&mut **tx)
    .await?;
    Ok(rows.into_iter().map(|(id,)| id).collect())
}

/// A campaign's latest matched lines, newest first.
pub async fn recent_matched(
    db: &Db,
    campaign: CampaignId,
    limit: i64,
) -> Result<Vec<LineRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "{LINE} where l.campaign_id = $1 and l.donation_id is not null
         order by l.posted_on desc, l.bank_line_id desc limit $2"
    ))
    .bind(campaign.get())
    .bind(limit)
    .fetch_all(db.reader())
    .await
}

/// A donation that a credit may confirm: a bank or PromptPay gift, pledged or received, not
/// voided, that no bank line confirms yet.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct OpenDonation {
    pub donation_id: i64,
    pub reference_code: String,
    pub amount_satang: i64,
    pub status: String,
    pub created_at: String,
    pub received_at: Option<String>,
    pub display_name: Option<String>,
}

impl OpenDonation {
    pub fn id(&self) -> DonationId {
        DonationId(self.donation_id)
    }
    pub fn amount(&self) -> Money {
        Money::from_satang(self.amount_satang)
    }
    pub fn pledged(&self) -> bool {
        self.status == "pledged"
    }
}

const OPEN: &str = "select d.donation_id, d.reference_code, d.amount_satang, d.status,
    d.created_at, d.received_at, o.display_name
    from donation d join donor o on o.donor_id = d.donor_id
    where d.campaign_id = $1 and d.voided_at is null and d.status in ('pledged', 'received')
      and d.channel in ('promptpay', 'bank_transfer')
      and not exists (select 1 from bank_line l where l.donation_id = d.donation_id)";

pub async fn open_donations_tx(
    tx: &mut Tx,
    campaign: CampaignId,
) -> Result<Vec<OpenDonation>, sqlx::Error> {
    sqlx::query_as(&format!("{OPEN} order by d.donation_id"))
        .bind(campaign.get())
        .fetch_all(&mut **tx)
        .await
}

pub async fn open_donations(
    db: &Db,
    campaign: CampaignId,
) -> Result<Vec<OpenDonation>, sqlx::Error> {
    sqlx::query_as(&format!("{OPEN} order by d.donation_id"))
        .bind(campaign.get())
        .fetch_all(db.reader())
        .await
}

/// Pledges made before `before` (RFC 3339) that no credit has confirmed.
pub async fn stale_pledges(
    db: &Db,
    campaign: CampaignId,
    before: &str,
) -> Result<Vec<OpenDonation>, sqlx::Error> {
    sqlx::query_as(&format!(
        "{OPEN} and d.status = 'pledged' and d.created_at < $2 order by d.created_at limit 500"
    ))
    .bind(campaign.get())
    .bind(before)
    .fetch_all(db.reader())
    .await
}

/// Received bank or PromptPay gifts no bank line confirms.
pub async fn unconfirmed_gifts(db: &Db, campaign: CampaignId) -> Result<i64, sqlx::Error> {
    let (n,): (i64,) = sqlx::query_as(&format!(
        "select count(*) from ({OPEN} and d.status = 'received') as open_gifts"
    ))
    .bind(campaign.get())
    .fetch_one(db.reader())
    .await?;
    Ok(n)
}

/// Matches a line to a donation, if the line is still unmatched; answers whether it did.
/// Whether a bank line is matched to `donation`.
pub async fn is_matched(tx: &mut Tx, donation: DonationId) -> Result<bool, sqlx::Error> {
    let row: Option<(i64,)> =
        sqlx::query_as("select bank_line_id from bank_line where donation_id = $1")
            .bind(donation.get())
            .fetch_optional(&mut **tx)
            .await?;
    Ok(row.is_some())
}

/// Matches a line that is not matched yet. `false` when the line or the donation was matched
/// meanwhile (the line's conditional update, or the one-line-per-donation unique index).
pub async fn set_match(
    tx: &mut Tx,
    line: i64,
    donation: DonationId,
    how: &str,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "update bank_line set donation_id = $1, matched_how = $2, matched_at = $3
         where bank_line_id = $4 and donation_id is null",
    )
    .bind(donation.get())
    .bind(how)
    .bind(time::now())
    .bind(line)
    .execute(&mut **tx)
    .await;
    match done {
        Ok(done) => Ok(done.rows_affected() == 1),
        Err(e) if super::is_unique_violation(&e, "bank_line", "donation_id") => Ok(false),
        Err(e) => Err(e),
    }
}

/// Takes a line's match away, if it is still matched to `donation`.
pub async fn clear_match(
    tx: &mut Tx,
    line: i64,
    donation: DonationId,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "update bank_line set donation_id = null, matched_how = null, matched_at = null
         where bank_line_id = $1 and donation_id = $2",
    )
    .bind(line)
    .bind(donation.get())
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Appends a match or unmatch to a line's history.
#[allow(clippy::too_many_arguments)]
pub async fn event(
    tx: &mut Tx,
    line: i64,
    donation: DonationId,
    kind: &str,
    how: &str,
    note: Option<&str>,
    by: AccountId,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "insert into bank_match_event (bank_line_id, donation_id, kind, how, note, account_id,
           created_at) values ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(line)
    .bind(donation.get())
    .bind(kind)
    .bind(how)
    .bind(note)
    .bind(by.0)
    .bind(time::now())
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// A campaign's imports, newest first.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct ImportRow {
    pub statement_import_id: i64,
    pub file_name: String,
    pub line_count: i64,
    pub new_lines: i64,
    pub first_on: Option<String>,
    pub last_on: Option<String>,
    pub closing_balance_satang: Option<i64>,
    pub by_name: Option<String>,
    pub imported_at: String,
}

pub async fn imports(db: &Db, campaign: CampaignId) -> Result<Vec<ImportRow>, sqlx::Error> {
    sqlx::query_as(
        "select i.statement_import_id, i.file_name, i.line_count, i.new_lines, i.first_on,
           i.last_on, i.closing_balance_satang, a.display_name as by_name, i.imported_at
         from statement_import i left join account a on a.account_id = i.imported_by
         where i.campaign_id = $1 order by i.statement_import_id desc limit 100",
    )
    .bind(campaign.get())
    .fetch_all(db.reader())
    .await
}

/// The balance after the campaign's latest stored line (by date, then by the order lines were
/// stored), and its date.
pub async fn bank_balance(
    db: &Db,
    campaign: CampaignId,
) -> Result<Option<(i64, String)>, sqlx::Error> {
    // The file's own closing balance (the parser reads it from the summary or from the last
    // line in time, whichever way the file is sorted), of the statement that runs latest.
    sqlx::query_as(
        "select closing_balance_satang, last_on from statement_import
         where campaign_id = $1 and closing_balance_satang is not null and last_on is not null
         order by last_on desc, statement_import_id desc limit 1",
    )
    .bind(campaign.get())
    .fetch_optional(db.reader())
    .await
}

/// Matched credits: how many and their total.
pub async fn matched(db: &Db, campaign: CampaignId) -> Result<(i64, i64), sqlx::Error> {
    sqlx::query_as(
        "select count(*), cast(coalesce(sum(amount_satang), 0) as bigint) from bank_line
         where campaign_id = $1 and donation_id is not null",
    )
    .bind(campaign.get())
    .fetch_one(db.reader())
    .await
}

/// The journal's fund cash of a campaign: money received less money spent.
pub async fn books_cash(db: &Db, campaign: CampaignId) -> Result<i64, sqlx::Error> {
    let (n,): (i64,) = sqlx::query_as(
        "select cast(coalesce(sum(debit_satang - credit_satang), 0) as bigint) from journal_line
         where campaign_id = $1 and account = 'fund_cash'",
    )
    .bind(campaign.get())
    .fetch_one(db.reader())
    .await?;
    Ok(n)
}

/// What is wrong with the matches, for `check-ledger`: a line matched to a donation of another
/// campaign or amount, a donation matched twice, a debit matched, or a line whose match
/// disagrees with its last event.
pub async fn problems(db: &Db) -> Result<Vec<String>, sqlx::Error> {
    let mut out = Vec::new();
    let wrong: Vec<(i64, i64)> = sqlx::query_as(
        "select l.bank_line_id, l.donation_id from bank_line l join donation d on d.donation_id = l.donation_id
         where d.campaign_id <> l.campaign_id or d.amount_satang <> l.amount_satang or l.is_credit <> 1",
    )
    .fetch_all(db.reader())
    .await?;
    for (line, donation) in wrong {
        out.push(format!(
            "bank line {line} is matched to donation {donation} of another campaign or amount"
        ));
    }
    let twice: Vec<(i64, i64)> = sqlx::query_as(
        "select donation_id, count(*) from bank_line where donation_id is not null
         group by donation_id having count(*) > 1",
    )
    .fetch_all(db.reader())
    .await?;
    let voided: Vec<(i64, i64)> = sqlx::query_as(
        "select l.bank_line_id, l.donation_id from bank_line l
         join donation d on d.donation_id = l.donation_id where d.status = 'voided'",
    )
    .fetch_all(db.reader())
    .await?;
    for (line, donation) in voided {
        out.push(format!(
            "bank line {line} is matched to donation {donation}, which is voided"
        ));
    }
    for (donation, n) in twice {
        out.push(format!("donation {donation} is matched to {n} bank lines"));
    }
    let disagree: Vec<(i64,)> = sqlx::query_as(
        "select l.bank_line_id from bank_line l
         left join bank_match_event e on e.bank_match_event_id = (
             select max(bank_match_event_id) from bank_match_event where bank_line_id = l.bank_line_id)
         where (l.donation_id is null and e.kind = 'matched')
            or (l.donation_id is not null and (e.kind is null or e.kind <> 'matched'
                or e.donation_id <> l.donation_id))",
    )
    .fetch_all(db.reader())
    .await?;
    for (line,) in disagree {
        out.push(format!(
            "bank line {line}'s match disagrees with its history"
        ));
    }
    Ok(out)
}
