//! What waits for the signed-in officer, campaign by campaign: the second approvals only they can
//! give, payee changes someone else asked for, requests to decide, bank credits with no donation,
//! and the open discrepancies of a campaign waiting to be settled. A second officer learns here
//! that a purchase needs them, instead of by chance.

use super::{CampaignId, Localized};
use serde::{Deserialize, Serialize};

/// One campaign's work waiting for this officer. Counts the officer may not act on are zero.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Waiting {
    pub campaign: CampaignId,
    pub title: Localized,
    /// Purchases recorded by someone else, waiting for a second approval.
    pub approvals: i64,
    /// Changes of the receiving account asked for by someone else.
    pub payee_changes: i64,
    /// Equipment requests not yet decided.
    pub requests: i64,
    /// Bank credits not matched to a donation.
    pub credits: i64,
    /// Discrepancies not yet acknowledged, counted only once the campaign is closed to gifts
    /// (until then they are still being worked through on the desk).
    pub discrepancies: i64,
}

impl Waiting {
    /// Everything waiting, for ordering and for hiding a campaign with nothing.
    pub fn total(&self) -> i64 {
        self.approvals + self.payee_changes + self.requests + self.credits + self.discrepancies
    }
}
