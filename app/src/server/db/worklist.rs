//! The counts behind `/finance`'s "waiting for you": one query over the campaigns not yet
//! settled, each count an indexed look-up by campaign.

use crate::model::account::AccountId;
use sqlx::AnyConnection;

/// One campaign's counts, as read.
#[derive(Debug, sqlx::FromRow)]
pub struct WaitingRow {
    pub campaign_id: i64,
    pub title_th: String,
    pub title_en: Option<String>,
    pub status: String,
    pub approvals: i64,
    pub payee_changes: i64,
    pub requests: i64,
    pub credits: i64,
}

/// Counts for every campaign not settled, as `me` sees them: purchases and payee changes that
/// `me` did not start (nobody approves their own).
pub async fn waiting(c: &mut AnyConnection, me: AccountId) -> Result<Vec<WaitingRow>, sqlx::Error> {
    sqlx::query_as(
        "select c.campaign_id, c.title_th, c.title_en, c.status,
           (select count(*) from purchase p where p.campaign_id = c.campaign_id
              and p.status = 'awaiting_approval' and p.recorded_by <> $1) as approvals,
           (select count(*) from campaign_payee_change x where x.campaign_id = c.campaign_id
              and x.status = 'pending' and x.requested_by <> $1) as payee_changes,
           (select count(*) from equipment_request r where r.campaign_id = c.campaign_id
              and r.status = 'submitted') as requests,
           (select count(*) from bank_line l where l.campaign_id = c.campaign_id
              and l.is_credit = 1 and l.donation_id is null) as credits
         from campaign c where c.status in ('open', 'closed')
         order by c.campaign_id",
    )
    .bind(me.0)
    .fetch_all(c)
    .await
}
