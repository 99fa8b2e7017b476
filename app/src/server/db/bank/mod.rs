//! Bank statement imports, their lines and each line's match to a donation.
//!
//! Every function takes the connection it runs on (`&mut AnyConnection`): a write transaction's
//! (`&mut tx`) or a reader's, so no query is written twice. Stored lines come back as typed
//! [`BankLine`]s, their dates and times read once here.

mod checks;
mod matches;
mod summary;

pub use checks::problems;
pub use matches::*;
pub use summary::*;

use super::time;
use crate::model::account::AccountId;
use crate::model::statement::matching::BankMoment;
use crate::model::statement::MatchHow;
use crate::model::{CampaignId, DonationId, Money};
use crate::server::statement::StatementLine;
use chrono::{NaiveDate, NaiveTime};
use sqlx::AnyConnection;
use std::collections::HashSet;

/// Lines per `insert`: 13 values each stays far below both engines' limits on bound values.
const LINES_PER_INSERT: usize = 400;
/// Values per `in (…)` list.
const PER_LIST: usize = 500;

/// What an import stores about its file.
#[derive(Clone, Debug)]
pub struct NewImport<'a> {
    pub campaign: CampaignId,
    pub file_name: &'a str,
    pub encoding: &'a str,
    pub line_count: usize,
    pub new_lines: usize,
    pub first_on: Option<NaiveDate>,
    pub last_on: Option<NaiveDate>,
    pub opening_balance: Option<i64>,
    pub closing_balance: Option<i64>,
    /// The account the statement is of (see [`crate::model::statement::account::key`]).
    pub account: Option<String>,
    pub by: AccountId,
}

/// `in ($2, $3, …)` for `n` values after `first` bound ones.
pub(super) fn placeholders(first: usize, n: usize) -> String {
    let list: Vec<String> = (first + 1..=first + n).map(|i| format!("${i}")).collect();
    format!("in ({})", list.join(", "))
}

/// Which of `fingerprints` the campaign has stored already. Looks up only these (by the
/// campaign's unique index), so the cost grows with the file, not with the campaign's history.
pub async fn known(
    c: &mut AnyConnection,
    campaign: CampaignId,
    fingerprints: &[&str],
) -> Result<HashSet<String>, sqlx::Error> {
    let mut out = HashSet::new();
    for chunk in fingerprints.chunks(PER_LIST) {
        let sql = format!(
            "select fingerprint from bank_line where campaign_id = $1 and fingerprint {}",
            placeholders(1, chunk.len())
        );
        let mut q = sqlx::query_as::<_, (String,)>(&sql).bind(campaign.get());
        for f in chunk {
            q = q.bind(*f);
        }
        out.extend(q.fetch_all(&mut *c).await?.into_iter().map(|(f,)| f));
    }
    Ok(out)
}

pub async fn insert_import(c: &mut AnyConnection, i: &NewImport<'_>) -> Result<i64, sqlx::Error> {
    let (id,): (i64,) = sqlx::query_as(
        "insert into statement_import (campaign_id, file_name, encoding, line_count, new_lines,
           known_lines, first_on, last_on, opening_balance_satang, closing_balance_satang,
           imported_by, imported_at, bank_account_no)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
         returning statement_import_id",
    )
    .bind(i.campaign.get())
    .bind(i.file_name)
    .bind(i.encoding)
    .bind(i.line_count as i64)
    .bind(i.new_lines as i64)
    .bind((i.line_count - i.new_lines) as i64)
    .bind(i.first_on.map(time::date))
    .bind(i.last_on.map(time::date))
    .bind(i.opening_balance)
    .bind(i.closing_balance)
    .bind(i.by.0)
    .bind(time::now())
    .bind(i.account.as_deref())
    .fetch_one(c)
    .await?;
    Ok(id)
}

/// Stores new lines, many per statement; answers how many were stored.
pub async fn insert_lines(
    c: &mut AnyConnection,
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
            let row: Vec<String> = (1..=13).map(|c| format!("${}", b + c)).collect();
            sql.push('(');
            sql.push_str(&row.join(","));
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
                .bind(time::date(l.date))
                .bind(l.time.as_deref())
                .bind(i64::from(l.credit))
                .bind(l.amount.satang())
                .bind(l.balance)
                .bind(l.description.as_str())
                .bind(l.channel.as_str())
                .bind(l.details.as_str())
                .bind(now.as_str());
        }
        stored += q.execute(&mut *c).await?.rows_affected();
    }
    Ok(stored)
}

/// A stored bank line, read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BankLine {
    pub id: i64,
    pub campaign: CampaignId,
    /// The bank's date and time (Bangkok), as the file gave them.
    pub at: BankMoment,
    pub credit: bool,
    pub amount: Money,
    pub balance: Option<Money>,
    pub description: String,
    pub details: String,
    pub matched: Option<LineMatch>,
    /// When the line was imported: the money was in the bank by then.
    pub stored_at: chrono::DateTime<chrono::Utc>,
}

/// The donation a line is matched to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LineMatch {
    pub donation: DonationId,
    pub reference: String,
    pub how: MatchHow,
}

impl BankLine {
    /// The bank's texts as one, for matching.
    pub fn text(&self) -> String {
        format!("{} {}", self.description, self.details)
    }
}

#[derive(sqlx::FromRow)]
struct LineRow {
    bank_line_id: i64,
    campaign_id: i64,
    posted_on: String,
    posted_time: Option<String>,
    is_credit: i64,
    amount_satang: i64,
    balance_satang: Option<i64>,
    description: String,
    details: String,
    donation_id: Option<i64>,
    matched_how: Option<String>,
    reference_code: Option<String>,
    created_at: String,
}

/// A stored `HH:MM` or `HH:MM:SS`.
fn parse_time(text: &str) -> Result<NaiveTime, sqlx::Error> {
    NaiveTime::parse_from_str(text, "%H:%M:%S")
        .or_else(|_| NaiveTime::parse_from_str(text, "%H:%M"))
        .map_err(|e| sqlx::Error::Decode(format!("stored time {text:?}: {e}").into()))
}

impl TryFrom<LineRow> for BankLine {
    type Error = sqlx::Error;

    fn try_from(r: LineRow) -> Result<BankLine, sqlx::Error> {
        let matched = match (r.donation_id, r.matched_how, r.reference_code) {
            (Some(id), Some(how), Some(reference)) => Some(LineMatch {
                donation: DonationId(id),
                reference,
                how: MatchHow::from_code(&how).ok_or_else(|| {
                    sqlx::Error::Decode(format!("bank line match {how:?} is unknown").into())
                })?,
            }),
            _ => None,
        };
        Ok(BankLine {
            id: r.bank_line_id,
            campaign: CampaignId(r.campaign_id),
            at: BankMoment {
                date: time::parse_date(&r.posted_on)?,
                time: r.posted_time.as_deref().map(parse_time).transpose()?,
            },
            credit: r.is_credit == 1,
            amount: Money::from_satang(r.amount_satang),
            balance: r.balance_satang.map(Money::from_satang),
            description: r.description,
            details: r.details,
            matched,
            stored_at: time::parse_instant(&r.created_at)?,
        })
    }
}

const LINE: &str = "select l.bank_line_id, l.campaign_id, l.posted_on, l.posted_time, l.is_credit,
    l.amount_satang, l.balance_satang, l.description, l.details, l.donation_id, l.matched_how,
    d.reference_code, l.created_at
    from bank_line l left join donation d on d.donation_id = l.donation_id";

type LineQuery<'q> = sqlx::query::QueryAs<'q, sqlx::Any, LineRow, sqlx::any::AnyArguments<'q>>;

async fn read(c: &mut AnyConnection, q: LineQuery<'_>) -> Result<Vec<BankLine>, sqlx::Error> {
    let rows = q.fetch_all(c).await?;
    rows.into_iter().map(BankLine::try_from).collect()
}

/// One line.
pub async fn line(c: &mut AnyConnection, id: i64) -> Result<Option<BankLine>, sqlx::Error> {
    let sql = format!("{LINE} where l.bank_line_id = $1");
    let q = sqlx::query_as(&sql).bind(id);
    Ok(read(c, q).await?.into_iter().next())
}

/// Which waiting credits the desk lists: posted from and to a day, of at least and at most an
/// amount (satang). `None` does not filter.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct CreditFilter {
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    pub min: Option<i64>,
    pub max: Option<i64>,
}

/// One value a filter binds.
enum Bound {
    Day(String),
    Satang(i64),
}

impl CreditFilter {
    /// The conditions after `$1` (the campaign) and the values they bind, in order.
    fn clause(&self) -> (String, Vec<Bound>) {
        let mut sql = String::new();
        let mut values = Vec::new();
        let mut add = |condition: &str, value: Bound| {
            values.push(value);
            sql.push_str(&format!(" and {condition} ${}", values.len() + 1));
        };
        if let Some(d) = self.from {
            add("l.posted_on >=", Bound::Day(d.to_string()));
        }
        if let Some(d) = self.to {
            add("l.posted_on <=", Bound::Day(d.to_string()));
        }
        if let Some(m) = self.min {
            add("l.amount_satang >=", Bound::Satang(m));
        }
        if let Some(m) = self.max {
            add("l.amount_satang <=", Bound::Satang(m));
        }
        (sql, values)
    }
}

const WAITING: &str = "where l.campaign_id = $1 and l.is_credit = 1 and l.donation_id is null";

/// A campaign's credits that match no donation yet under `filter`, oldest first: `limit` of
/// them after skipping `offset`.
pub async fn unmatched_credits(
    c: &mut AnyConnection,
    campaign: CampaignId,
    filter: &CreditFilter,
    limit: i64,
    offset: i64,
) -> Result<Vec<BankLine>, sqlx::Error> {
    let (conditions, values) = filter.clause();
    let n = values.len();
    let sql = format!(
        "{LINE} {WAITING}{conditions} order by l.posted_on, l.bank_line_id
         limit ${} offset ${}",
        n + 2,
        n + 3
    );
    let q = values
        .into_iter()
        .fold(sqlx::query_as(&sql).bind(campaign.get()), |q, v| match v {
            Bound::Day(d) => q.bind(d),
            Bound::Satang(s) => q.bind(s),
        });
    read(c, q.bind(limit).bind(offset)).await
}

/// How many of a campaign's credits wait under `filter`.
pub async fn count_unmatched(
    c: &mut AnyConnection,
    campaign: CampaignId,
    filter: &CreditFilter,
) -> Result<i64, sqlx::Error> {
    let (conditions, values) = filter.clause();
    let sql = format!("select count(*) from bank_line l {WAITING}{conditions}");
    let q = values
        .into_iter()
        .fold(sqlx::query_as(&sql).bind(campaign.get()), |q, v| match v {
            Bound::Day(d) => q.bind(d),
            Bound::Satang(s) => q.bind(s),
        });
    let (n,): (i64,) = q.fetch_one(c).await?;
    Ok(n)
}

/// A campaign's unmatched credits of these amounts: the ones that compete with a statement's
/// new credits for the same donations (found by the campaign's amount index).
pub async fn unmatched_credits_of(
    c: &mut AnyConnection,
    campaign: CampaignId,
    amounts: &[Money],
) -> Result<Vec<BankLine>, sqlx::Error> {
    let mut out = Vec::new();
    for chunk in amounts.chunks(PER_LIST) {
        let sql = format!(
            "{LINE} where l.campaign_id = $1 and l.is_credit = 1 and l.donation_id is null
               and l.amount_satang {} order by l.posted_on, l.bank_line_id",
            placeholders(1, chunk.len())
        );
        let q = chunk
            .iter()
            .fold(sqlx::query_as(&sql).bind(campaign.get()), |q, m| {
                q.bind(m.satang())
            });
        let found = read(&mut *c, q).await?;
        out.extend(found);
    }
    Ok(out)
}

/// A campaign's latest matched lines, newest first.
pub async fn recent_matched(
    c: &mut AnyConnection,
    campaign: CampaignId,
    limit: i64,
) -> Result<Vec<BankLine>, sqlx::Error> {
    let sql = format!(
        "{LINE} where l.campaign_id = $1 and l.donation_id is not null
         order by l.posted_on desc, l.bank_line_id desc limit $2"
    );
    read(c, sqlx::query_as(&sql).bind(campaign.get()).bind(limit)).await
}
