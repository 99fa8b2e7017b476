//! Requests to change a public campaign's receiving account. Rows are only added and then
//! decided once (the database refuses deletes and a second decision); at most one request per
//! campaign waits at a time (a unique index over the waiting ones).

use super::for_update;
use crate::model::account::AccountId;
use crate::model::admin::{Payee, PayeeChange, PayeeChangeStatus};
use crate::model::{CampaignId, Localized};
use crate::server::db::{engine_of, time};
use sqlx::AnyConnection;

#[derive(sqlx::FromRow)]
struct ChangeRow {
    campaign_payee_change_id: i64,
    campaign_id: i64,
    title_th: String,
    title_en: Option<String>,
    current_promptpay_id: Option<String>,
    current_bank_name: Option<String>,
    current_bank_account_no: Option<String>,
    current_bank_account_name: Option<String>,
    promptpay_id: Option<String>,
    bank_name: Option<String>,
    bank_account_no: Option<String>,
    bank_account_name: Option<String>,
    note: Option<String>,
    status: String,
    requested_by: String,
    requested_at: String,
    decided_by: Option<String>,
    decided_at: Option<String>,
    decision_reason: Option<String>,
}

const CHANGE_SELECT: &str =
    "select x.campaign_payee_change_id, x.campaign_id, c.title_th, c.title_en,
    c.promptpay_id as current_promptpay_id, c.bank_name as current_bank_name,
    c.bank_account_no as current_bank_account_no, c.bank_account_name as current_bank_account_name,
    x.promptpay_id, x.bank_name, x.bank_account_no, x.bank_account_name, x.note, x.status,
    r.display_name as requested_by, x.requested_at, d.display_name as decided_by, x.decided_at,
    x.decision_reason
    from campaign_payee_change x
    join campaign c on c.campaign_id = x.campaign_id
    join account r on r.account_id = x.requested_by
    left join account d on d.account_id = x.decided_by";

impl ChangeRow {
    fn into_change(self) -> Result<PayeeChange, sqlx::Error> {
        Ok(PayeeChange {
            id: self.campaign_payee_change_id,
            campaign_id: CampaignId(self.campaign_id),
            campaign_title: Localized::new(self.title_th, self.title_en.unwrap_or_default()),
            current: Payee {
                promptpay_id: self.current_promptpay_id,
                bank_name: self.current_bank_name,
                bank_account_no: self.current_bank_account_no,
                bank_account_name: self.current_bank_account_name,
            },
            requested: Payee {
                promptpay_id: self.promptpay_id,
                bank_name: self.bank_name,
                bank_account_no: self.bank_account_no,
                bank_account_name: self.bank_account_name,
            },
            note: self.note,
            status: PayeeChangeStatus::from_code(&self.status).ok_or_else(|| {
                sqlx::Error::Decode(format!("unknown request status {:?}", self.status).into())
            })?,
            requested_by: self.requested_by,
            requested_at: time::parse_instant(&self.requested_at)?,
            decided_by: self.decided_by,
            decided_at: self
                .decided_at
                .as_deref()
                .map(time::parse_instant)
                .transpose()?,
            decision_reason: self.decision_reason,
        })
    }
}

/// A campaign's requests, the waiting one first, then the newest (at most 20).
pub async fn of_campaign(
    c: &mut AnyConnection,
    id: CampaignId,
) -> Result<Vec<PayeeChange>, sqlx::Error> {
    let rows: Vec<ChangeRow> = sqlx::query_as(&format!(
        "{CHANGE_SELECT} where x.campaign_id = $1
         order by case x.status when 'pending' then 0 else 1 end, x.campaign_payee_change_id desc limit 20"
    ))
    .bind(id.get())
    .fetch_all(c)
    .await?;
    rows.into_iter().map(ChangeRow::into_change).collect()
}

/// Every waiting request, oldest first (the finance officers' queue).
pub async fn pending(c: &mut AnyConnection) -> Result<Vec<PayeeChange>, sqlx::Error> {
    let rows: Vec<ChangeRow> = sqlx::query_as(&format!(
        "{CHANGE_SELECT} where x.status = 'pending' order by x.campaign_payee_change_id"
    ))
    .fetch_all(c)
    .await?;
    rows.into_iter().map(ChangeRow::into_change).collect()
}

/// Records a waiting request. A second waiting request for the campaign fails as a unique
/// violation of `campaign_payee_change (campaign_id)`.
pub async fn insert(
    c: &mut AnyConnection,
    campaign: CampaignId,
    payee: &Payee,
    note: Option<&str>,
    requested_by: AccountId,
) -> Result<i64, sqlx::Error> {
    let now = time::now();
    let (id,): (i64,) = sqlx::query_as(
        "insert into campaign_payee_change (campaign_id, promptpay_id, bank_name, bank_account_no,
           bank_account_name, note, status, requested_by, requested_at, created_at)
         values ($1, $2, $3, $4, $5, $6, 'pending', $7, $8, $8) returning campaign_payee_change_id",
    )
    .bind(campaign.get())
    .bind(payee.promptpay_id.as_deref())
    .bind(payee.bank_name.as_deref())
    .bind(payee.bank_account_no.as_deref())
    .bind(payee.bank_account_name.as_deref())
    .bind(note)
    .bind(requested_by.0)
    .bind(now.as_str())
    .fetch_one(c)
    .await?;
    Ok(id)
}

/// A request about to be decided.
pub struct Waiting {
    pub campaign: CampaignId,
    pub requested_by: AccountId,
    pub requested: Payee,
    pub status: PayeeChangeStatus,
}

/// The request, locked until `tx` ends on PostgreSQL, or `None` when there is no such request.
pub async fn lock(c: &mut AnyConnection, id: i64) -> Result<Option<Waiting>, sqlx::Error> {
    type Row = (
        i64,
        i64,
        Option<String>,
        Option<String>,
        Option<String>,
        Option<String>,
        String,
    );
    let row: Option<Row> = sqlx::query_as(&format!(
        "select campaign_id, requested_by, promptpay_id, bank_name, bank_account_no, bank_account_name, status
         from campaign_payee_change where campaign_payee_change_id = $1{}",
        for_update(engine_of(c))
    ))
    .bind(id)
    .fetch_optional(c)
    .await?;
    Ok(row.map(
        |(campaign, by, promptpay_id, bank_name, bank_account_no, bank_account_name, status)| {
            Waiting {
                campaign: CampaignId(campaign),
                requested_by: AccountId(by),
                requested: Payee {
                    promptpay_id,
                    bank_name,
                    bank_account_no,
                    bank_account_name,
                },
                status: PayeeChangeStatus::from_code(&status)
                    .unwrap_or(PayeeChangeStatus::Rejected),
            }
        },
    ))
}

/// Decides a waiting request; `false` when it was no longer waiting.
pub async fn decide(
    c: &mut AnyConnection,
    id: i64,
    to: PayeeChangeStatus,
    decided_by: AccountId,
    reason: Option<&str>,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "update campaign_payee_change set status = $1, decided_by = $2, decided_at = $3, decision_reason = $4
         where campaign_payee_change_id = $5 and status = 'pending'",
    )
    .bind(to.code())
    .bind(decided_by.0)
    .bind(time::now())
    .bind(reason)
    .bind(id)
    .execute(c)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Writes the campaign's receiving account.
pub async fn apply(
    c: &mut AnyConnection,
    campaign: CampaignId,
    payee: &Payee,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "update campaign set promptpay_id = $1, bank_name = $2, bank_account_no = $3, bank_account_name = $4
         where campaign_id = $5",
    )
    .bind(payee.promptpay_id.as_deref())
    .bind(payee.bank_name.as_deref())
    .bind(payee.bank_account_no.as_deref())
    .bind(payee.bank_account_name.as_deref())
    .bind(campaign.get())
    .execute(c)
    .await?;
    Ok(())
}

/// The campaign a request is about, or `None` when there is no such request.
pub async fn campaign_of(
    c: &mut AnyConnection,
    id: i64,
) -> Result<Option<CampaignId>, sqlx::Error> {
    let row: Option<(i64,)> = sqlx::query_as(
        "select campaign_id from campaign_payee_change where campaign_payee_change_id = $1",
    )
    .bind(id)
    .fetch_optional(&mut *c)
    .await?;
    Ok(row.map(|(c,)| CampaignId(c)))
}
