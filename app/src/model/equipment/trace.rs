//! What anyone may see of where the money went: a unit's public page, what a hospital holds, and a
//! donation's pro-rata share of its campaign's purchases with the units they bought.

use crate::model::loan::{CareState, HomeFigures};
use crate::model::status::{UnitCondition, UnitStatus};
use crate::model::{CampaignId, DonationId, HospitalId, Localized, Money, PurchaseId};
use serde::{Deserialize, Serialize};

/// A unit's public page (`/units/{tag}`): no names of people, no internal notes.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublicUnit {
    pub tag: String,
    pub item: Localized,
    pub campaign_id: CampaignId,
    pub campaign_title: Localized,
    /// From a purchase (its invoice date and the unit's price) or a gift in kind.
    pub purchase_id: Option<PurchaseId>,
    pub bought_on: Option<String>,
    pub price: Money,
    pub in_kind: bool,
    pub status: UnitStatus,
    pub condition: UnitCondition,
    pub hospital_id: Option<HospitalId>,
    pub facility_code: Option<String>,
    pub hospital: Option<Localized>,
    /// When the hospital confirmed it (RFC 3339), while it holds the unit.
    pub held_since: Option<String>,
    /// Where it is in its hospital's hands (ready, in a home, being cleaned, in repair, passing
    /// to another hospital), while a hospital holds it.
    pub care: Option<CareState>,
    /// The homes it has served and its days in homes (never a single loan's dates).
    pub homes: HomeFigures,
    pub history: Vec<UnitEventPublic>,
}

/// One step of a unit's public history (what happened, where, when; no people).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnitEventPublic {
    pub kind: String,
    pub hospital: Option<Localized>,
    pub at: String,
}

/// A hospital's received units of one item from one campaign.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnitsHeld {
    pub item: Localized,
    pub unit: Localized,
    pub campaign_id: CampaignId,
    pub campaign_title: Localized,
    pub count: i64,
    /// A few of the tags, for links.
    pub tags: Vec<String>,
}

/// A donor's share of one purchase.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TracePurchase {
    pub purchase_id: PurchaseId,
    pub invoice_date: String,
    pub total: Money,
    pub share: Money,
    pub items: Vec<(Localized, i64)>,
}

/// A unit a donor's money helped buy (or their own gift in kind).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TraceUnit {
    pub tag: String,
    pub item: Localized,
    pub status: UnitStatus,
    pub hospital_id: Option<HospitalId>,
    pub facility_code: Option<String>,
    pub hospital: Option<Localized>,
    pub homes: HomeFigures,
}

/// Where one received donation's money went.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DonationTrace {
    pub donation_id: DonationId,
    pub campaign_id: CampaignId,
    pub amount: Money,
    /// The campaign's cash received, the denominator of every share.
    pub campaign_received: Money,
    pub in_kind: bool,
    pub purchases: Vec<TracePurchase>,
    pub units: Vec<TraceUnit>,
}

impl DonationTrace {
    /// The homes its units have served and their days in homes, summed.
    pub fn homes(&self) -> HomeFigures {
        HomeFigures {
            homes_served: self.units.iter().map(|u| u.homes.homes_served).sum(),
            days_in_homes: self.units.iter().map(|u| u.homes.days_in_homes).sum(),
        }
    }

    /// The sum of the shares shown.
    pub fn total_share(&self) -> Money {
        Money::from_satang(self.purchases.iter().map(|p| p.share.satang()).sum())
    }
}

/// `amount × part ÷ whole`, rounded down to the satang (0 when `whole` is 0). A share never
/// exceeds `amount` when `part ≤ whole`.
pub fn pro_rata(amount: Money, part: Money, whole: Money) -> Money {
    if whole.satang() <= 0 {
        return Money::ZERO;
    }
    let s = i128::from(amount.satang()) * i128::from(part.satang()) / i128::from(whole.satang());
    Money::from_satang(i64::try_from(s).unwrap_or(i64::MAX))
}
