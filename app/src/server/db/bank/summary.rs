//! What the reconciliation desk reads about a campaign's statements as a whole: its imports,
//! the bank's latest balance, the matched total, and the column mapping saved for its account.

use super::time;
use crate::model::account::AccountId;
use crate::model::statement::account::{owner, Owner};
use crate::model::statement::Mapping;
use crate::model::{CampaignId, Money};
use chrono::NaiveDate;
use sqlx::AnyConnection;

/// One import, as listed.
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

/// A campaign's imports, newest first.
pub async fn imports(
    c: &mut AnyConnection,
    campaign: CampaignId,
) -> Result<Vec<ImportRow>, sqlx::Error> {
    sqlx::query_as(
        "select i.statement_import_id, i.file_name, i.line_count, i.new_lines, i.first_on,
           i.last_on, i.closing_balance_satang, a.display_name as by_name, i.imported_at
         from statement_import i left join account a on a.account_id = i.imported_by
         where i.campaign_id = $1 order by i.statement_import_id desc limit 100",
    )
    .bind(campaign.get())
    .fetch_all(c)
    .await
}

/// Each bank account's latest closing balance and that statement's last date, the campaign's
/// own account first. (The parser reads a closing balance from the file's summary, or from its
/// last line in time, whichever way the file is sorted.) A campaign imports a statement a day at
/// most, so its imports are few enough to read whole.
pub async fn bank_balances(
    c: &mut AnyConnection,
    campaign: CampaignId,
) -> Result<Vec<(Option<String>, Money, NaiveDate)>, sqlx::Error> {
    let rows: Vec<(Option<String>, i64, String)> = sqlx::query_as(
        "select bank_account_no, closing_balance_satang, last_on from statement_import
         where campaign_id = $1 and closing_balance_satang is not null and last_on is not null
         order by last_on desc, statement_import_id desc",
    )
    .bind(campaign.get())
    .fetch_all(&mut *c)
    .await?;
    let own = account_number(c, campaign).await?;
    let known = known_accounts(c, campaign).await?;
    let mut out: Vec<(Option<String>, Money, NaiveDate)> = Vec::new();
    for (account, balance, on) in rows {
        // Keys are read again against the accounts known now: an import from before imports
        // named their account is of the campaign's own, and one kept as a masked number before
        // the campaign had a number is of the account that number fits.
        let account = match owner(account.as_deref(), &known) {
            Owner::Campaign(key) => key,
            Owner::Other => account,
        };
        if out.iter().all(|(a, _, _)| *a != account) {
            out.push((account, Money::from_satang(balance), time::parse_date(&on)?));
        }
    }
    out.sort_by_key(|(a, _, _)| (*a != own, a.clone()));
    Ok(out)
}

/// What the bank holds for the campaign: every account's latest balance added up, as of the
/// earliest of their dates. `None` before any statement with a balance.
pub async fn bank_balance(
    c: &mut AnyConnection,
    campaign: CampaignId,
) -> Result<Option<(Money, NaiveDate)>, sqlx::Error> {
    Ok(total_of(&bank_balances(c, campaign).await?))
}

/// Accounts' balances added up, as of the earliest of their dates.
pub fn total_of(accounts: &[(Option<String>, Money, NaiveDate)]) -> Option<(Money, NaiveDate)> {
    let on = accounts.iter().map(|(_, _, on)| *on).min()?;
    let total = accounts.iter().map(|(_, b, _)| b.satang()).sum();
    Some((Money::from_satang(total), on))
}

/// Matched credits: how many and their total.
pub async fn matched(
    c: &mut AnyConnection,
    campaign: CampaignId,
) -> Result<(i64, Money), sqlx::Error> {
    let (n, total): (i64, i64) = sqlx::query_as(
        "select count(*), cast(coalesce(sum(amount_satang), 0) as bigint) from bank_line
         where campaign_id = $1 and donation_id is not null",
    )
    .bind(campaign.get())
    .fetch_one(c)
    .await?;
    Ok((n, Money::from_satang(total)))
}

/// The campaign's bank account number, digits only, if it has one: the key a saved column
/// mapping is kept under.
pub async fn account_number(
    c: &mut AnyConnection,
    campaign: CampaignId,
) -> Result<Option<String>, sqlx::Error> {
    let row: Option<(Option<String>,)> =
        sqlx::query_as("select bank_account_no from campaign where campaign_id = $1")
            .bind(campaign.get())
            .fetch_optional(c)
            .await?;
    Ok(row
        .and_then(|(n,)| n)
        .map(|n| n.chars().filter(char::is_ascii_digit).collect::<String>())
        .filter(|n| !n.is_empty()))
}

/// Every account number the campaign has had, digits only, its account now first: the one it
/// has, those approved payee changes gave it, and those its statements were imported under.
pub async fn known_accounts(
    c: &mut AnyConnection,
    campaign: CampaignId,
) -> Result<Vec<String>, sqlx::Error> {
    let mut out: Vec<String> = account_number(c, campaign).await?.into_iter().collect();
    let rows: Vec<(Option<String>,)> = sqlx::query_as(
        "select bank_account_no from campaign_payee_change
         where campaign_id = $1 and status = 'approved'
         union
         select bank_account_no from statement_import where campaign_id = $1",
    )
    .bind(campaign.get())
    .fetch_all(c)
    .await?;
    for (number,) in rows {
        let number = number.unwrap_or_default();
        // A masked number as a file printed it ("xxx-x-x1234-x") is no account of the campaign.
        let whole = !number.chars().any(|c| matches!(c, 'x' | 'X' | '*'));
        let digits: String = number.chars().filter(char::is_ascii_digit).collect();
        if whole && !digits.is_empty() && !out.contains(&digits) {
            out.push(digits);
        }
    }
    Ok(out)
}

/// Saves a custom column mapping for a bank account.
pub async fn save_mapping(
    c: &mut AnyConnection,
    account: &str,
    mapping: &Mapping,
    by: AccountId,
) -> Result<(), sqlx::Error> {
    let json = serde_json::to_string(mapping).map_err(|e| sqlx::Error::Encode(Box::new(e)))?;
    sqlx::query(
        "insert into statement_mapping (bank_account_no, mapping, updated_by, updated_at)
         values ($1, $2, $3, $4)
         on conflict (bank_account_no) do update set mapping = excluded.mapping,
           updated_by = excluded.updated_by, updated_at = excluded.updated_at",
    )
    .bind(account)
    .bind(json)
    .bind(by.0)
    .bind(time::now())
    .execute(c)
    .await?;
    Ok(())
}

/// The mapping saved for a bank account, if any (one that no longer reads is no mapping).
pub async fn saved_mapping(
    c: &mut AnyConnection,
    account: &str,
) -> Result<Option<Mapping>, sqlx::Error> {
    let row: Option<(String,)> =
        sqlx::query_as("select mapping from statement_mapping where bank_account_no = $1")
            .bind(account)
            .fetch_optional(c)
            .await?;
    Ok(row.and_then(|(json,)| serde_json::from_str(&json).ok()))
}

/// The mapping saved under the campaign's account number exactly as typed (mappings saved
/// before account numbers were kept as digits only).
pub async fn saved_mapping_as_typed(
    c: &mut AnyConnection,
    campaign: CampaignId,
) -> Result<Option<Mapping>, sqlx::Error> {
    let row: Option<(String,)> = sqlx::query_as(
        "select m.mapping from statement_mapping m join campaign c
           on m.bank_account_no = c.bank_account_no where c.campaign_id = $1",
    )
    .bind(campaign.get())
    .fetch_optional(c)
    .await?;
    Ok(row.and_then(|(json,)| serde_json::from_str(&json).ok()))
}
