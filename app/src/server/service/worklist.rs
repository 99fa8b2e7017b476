//! `/finance`'s "waiting for you": the counts in [`crate::model::worklist`], each shown only to an
//! officer who may act on it.

use super::settlement::open_discrepancies;
use super::Caller;
use crate::error::AppError;
use crate::model::account::Action;
use crate::model::status::CampaignStatus;
use crate::model::worklist::Waiting;
use crate::model::{CampaignId, Localized};
use crate::server::db::{worklist, Db};

/// What waits for the caller in each campaign not yet settled, most first; campaigns with
/// nothing waiting are left out.
pub async fn waiting(db: &Db, caller: &Caller) -> Result<Vec<Waiting>, AppError> {
    let me = caller.require(Action::RecordDonation)?;
    let may = |action| caller.require(action).is_ok();
    let (purchase, requests, reconcile) = (
        may(Action::Purchase),
        may(Action::DecideRequest),
        may(Action::Reconcile),
    );
    let mut c = db.reader().acquire().await?;
    let rows = worklist::waiting(&mut c, me.account_id).await?;
    let mut out = Vec::new();
    for r in rows {
        let campaign = CampaignId(r.campaign_id);
        // Discrepancies are worked out only where settling is next: a closed campaign.
        let discrepancies = if reconcile && r.status == CampaignStatus::Closed.code() {
            open_discrepancies(&mut c, campaign).await?
        } else {
            0
        };
        let w = Waiting {
            campaign,
            title: Localized {
                th: r.title_th,
                en: r.title_en.filter(|t| !t.trim().is_empty()),
            },
            approvals: if purchase { r.approvals } else { 0 },
            payee_changes: r.payee_changes,
            requests: if requests { r.requests } else { 0 },
            credits: if reconcile { r.credits } else { 0 },
            discrepancies,
        };
        if w.total() > 0 {
            out.push(w);
        }
    }
    out.sort_by(|a, b| b.total().cmp(&a.total()).then(a.campaign.cmp(&b.campaign)));
    Ok(out)
}
