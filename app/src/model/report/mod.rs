//! A campaign's report: where the money came from and went, the bank beside the books, where
//! the units are, and what does not add up yet. Finance officers read it live; once the
//! campaign is settled, the report as it stood then is public.
//! The problems and their wording are in `problem`; the whole report is stored as JSON when a
//! campaign is settled, so its types keep their names and shapes.

mod problem;
#[cfg(test)]
mod tests;

pub use problem::*;

use super::status::DonationChannel;
use super::{CampaignId, Localized, Money};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// Days a dispatched unit may wait for its hospital's confirmation before it is a discrepancy.
pub const UNCONFIRMED_AFTER_DAYS: i64 = 14;

/// One line of money: a label (a channel, a vendor, a campaign), how many records, how much.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MoneyLine {
    pub label: Localized,
    pub count: i64,
    pub amount: Money,
}

/// Units by where they are. `bought` is every unit that is not void: the sum of the others.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnitCounts {
    pub in_stock: i64,
    pub allocated: i64,
    pub dispatched: i64,
    pub received: i64,
    pub written_off: i64,
}

impl UnitCounts {
    /// Every unit bought or given, that is not void.
    pub fn total(&self) -> i64 {
        self.in_stock + self.allocated + self.dispatched + self.received + self.written_off
    }
}

/// What one hospital the campaign serves has received from it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HospitalLine {
    pub facility_code: String,
    pub name: Localized,
    pub district: Localized,
    pub units: i64,
    pub value: Money,
    /// The sub-district's coordinates in millionths of a degree, where the reference data has
    /// them.
    pub latitude_e6: Option<i64>,
    pub longitude_e6: Option<i64>,
}

/// Money received on one Bangkok day through one channel: the points of the money-in chart.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DayIn {
    pub on: NaiveDate,
    pub channel: DonationChannel,
    pub amount: Money,
}

/// A district of the campaign's province, placed at the mean of its sub-districts'
/// coordinates (millionths of a degree): the background of the map.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DistrictPoint {
    pub name: Localized,
    pub latitude_e6: i64,
    pub longitude_e6: i64,
}

/// Money carried between campaigns at a settlement.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Carry {
    /// The other campaign.
    pub campaign: CampaignId,
    pub title: Localized,
    pub amount: Money,
    /// True when the money came into this campaign.
    pub incoming: bool,
    /// When (RFC 3339).
    pub at: String,
}

/// Who settled the campaign, and when.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Settled {
    pub by: String,
    pub at: String,
}

/// The whole report.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CampaignReport {
    pub campaign: CampaignId,
    pub title: Localized,
    /// Received money by channel (gifts in kind are not money: see `in_kind`).
    pub money_in: Vec<MoneyLine>,
    pub carried_in: Vec<Carry>,
    /// Approved purchases by vendor.
    pub spent: Vec<MoneyLine>,
    pub carried_out: Vec<Carry>,
    /// Gifts in kind at their value: goods, not cash.
    pub in_kind: MoneyLine,
    /// Purchases awaiting a second officer: money held, not yet spent.
    pub held: Money,
    /// The journal's fund cash: what the lines above must come to.
    pub journal_cash: Money,
    /// The latest statement's closing balance and its date, when one is imported.
    pub bank: Option<(Money, String)>,
    pub units: UnitCounts,
    pub hospitals: Vec<HospitalLine>,
    /// Money received per day and channel, oldest first (money only: no gifts in kind).
    #[serde(default)]
    pub money_in_days: Vec<DayIn>,
    /// The districts of the provinces the campaign's hospitals are in, for the map.
    #[serde(default)]
    pub districts: Vec<DistrictPoint>,
    pub discrepancies: Vec<Discrepancy>,
    /// When the list of discrepancies was cut short, how many more there were.
    pub more_discrepancies: i64,
    /// Live work a settlement would strand (see [`super::settlement::Blocker`]): settling waits
    /// until none remains.
    #[serde(default)]
    pub blockers: Vec<super::settlement::Blocker>,
    pub settled: Option<Settled>,
}

impl CampaignReport {
    pub fn total_in(&self) -> Money {
        sum(self
            .money_in
            .iter()
            .map(|l| l.amount)
            .chain(self.carried_in.iter().map(|c| c.amount)))
    }

    pub fn total_out(&self) -> Money {
        sum(self
            .spent
            .iter()
            .map(|l| l.amount)
            .chain(self.carried_out.iter().map(|c| c.amount)))
    }

    /// Money in less money out.
    pub fn balance(&self) -> Money {
        Money::from_satang(self.total_in().satang() - self.total_out().satang())
    }

    /// Whether money in = money out + balance = the journal's cash, to the satang.
    pub fn balances(&self) -> bool {
        self.balance() == self.journal_cash
    }

    /// Discrepancies nobody has acknowledged.
    pub fn open_discrepancies(&self) -> usize {
        self.discrepancies
            .iter()
            .filter(|d| d.acknowledged.is_none())
            .count()
            + usize::try_from(self.more_discrepancies).unwrap_or(usize::MAX)
    }

    /// Whether the campaign may be settled now: the books balance, every discrepancy is
    /// acknowledged, and nothing is left to finish (no blocker).
    pub fn settleable(&self) -> bool {
        self.balances() && self.open_discrepancies() == 0 && self.blockers.is_empty()
    }

    /// The report as the public sees it: each acknowledged discrepancy by its kind and amount,
    /// its reason only where the officer let it be published, never who gave it;
    /// discrepancies name no donor and carry no reference.
    pub fn public(mut self) -> CampaignReport {
        for (n, d) in self.discrepancies.iter_mut().enumerate() {
            if let Some(a) = &mut d.acknowledged {
                a.by = String::new();
                if !a.publishable {
                    a.reason = String::new();
                }
            }
            // A key can hold a donation's reference.
            d.key = format!("d{}", n + 1);
            // A bank line's text names the payer; a donation's reference opens its page.
            match &mut d.problem {
                Problem::UnmatchedCredit { description, .. } => description.clear(),
                Problem::OpenPledge { reference, .. }
                | Problem::VoidedReceipt { reference, .. } => reference.clear(),
                _ => {}
            }
        }
        self
    }
}

fn sum(amounts: impl Iterator<Item = Money>) -> Money {
    Money::from_satang(amounts.map(Money::satang).sum())
}

/// The report page for finance officers: the report and where its balance may be carried.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FinanceReport {
    pub report: CampaignReport,
    /// Open or closed campaigns that can take the balance.
    pub carry_targets: Vec<(CampaignId, Localized)>,
    /// The Thai fiscal years (Buddhist Era) the campaign has run in, newest first, for the
    /// exports.
    pub fiscal_years: Vec<i32>,
}

/// A finance officer's acknowledgement of one discrepancy.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AcknowledgeInput {
    pub campaign_id: i64,
    pub key: String,
    pub reason: String,
    /// The reason may appear on the public report.
    #[serde(default)]
    pub publish: bool,
}

/// Settling a campaign, carrying its balance to `carry_to` when one is named.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SettleInput {
    pub campaign_id: i64,
    #[serde(default)]
    pub carry_to: String,
}
