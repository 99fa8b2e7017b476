//! What the public sees of a campaign, and the arithmetic of its progress.

use super::hospital::HospitalRef;
use super::status::{CampaignStatus, DonationChannel};
use super::{CampaignId, EquipmentItemId, Localized, Money};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

/// A campaign as listed on the front page. Totals come from the campaign's fund aggregate,
/// which is updated in the same transaction as every money event.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CampaignSummary {
    pub id: CampaignId,
    pub title: Localized,
    pub organisers: Vec<Localized>,
    pub status: CampaignStatus,
    pub goal: Money,
    pub raised: Money,
    pub donor_count: i64,
    pub donation_count: i64,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    /// Whole days left until the end date (Bangkok), counted on the server; `None` once ended.
    pub days_left: Option<i64>,
}

impl CampaignSummary {
    /// The progress bar's figures.
    pub fn progress(&self) -> Progress {
        Progress::new(self.raised, self.goal)
    }
}

/// Money raised against a goal.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Progress {
    pub raised: Money,
    pub goal: Money,
}

impl Progress {
    pub fn new(raised: Money, goal: Money) -> Self {
        Progress { raised, goal }
    }

    /// Whole percent of the goal raised, rounded down; may exceed 100 when a goal is beaten.
    pub fn percent(self) -> i64 {
        if self.goal.satang() <= 0 {
            return 0;
        }
        let percent =
            i128::from(self.raised.satang().max(0)) * 100 / i128::from(self.goal.satang());
        i64::try_from(percent).unwrap_or(i64::MAX)
    }

    /// The width of the bar, 0 to 100.
    pub fn bar_percent(self) -> i64 {
        self.percent().clamp(0, 100)
    }

    /// Whether the goal has been reached.
    pub fn goal_met(self) -> bool {
        self.raised >= self.goal
    }
}

/// Whole days from `today` to `ends_on` inclusive of today; `None` after the end date.
pub fn days_left(today: NaiveDate, ends_on: NaiveDate) -> Option<i64> {
    let days = (ends_on - today).num_days();
    (days >= 0).then_some(days)
}

/// One line of a campaign's equipment wishlist, as stored.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct WishlistLine {
    pub item_id: EquipmentItemId,
    pub item: Localized,
    pub unit: Localized,
    pub quantity: i64,
    pub unit_price: Money,
}

/// A wishlist line with how far it has come: units funded (bought, plus what the unspent
/// balance pays for), bought (purchases not voided, and gifts in kind), and delivered (confirmed
/// by a hospital).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct WishlistProgress {
    pub line: WishlistLine,
    pub funded: i64,
    pub bought: i64,
    pub delivered: i64,
}

/// Units of one item a campaign has bought (or been given) and delivered.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ItemProgress {
    pub bought: i64,
    pub delivered: i64,
    /// In purchases awaiting a second approval: their money is held, so they count as funded,
    /// not yet as bought.
    pub held: i64,
}

impl WishlistProgress {
    /// Whole percent of the line's units funded.
    pub fn percent(&self) -> i64 {
        if self.line.quantity <= 0 {
            0
        } else {
            self.funded * 100 / self.line.quantity
        }
    }
}

/// Shares the money raised over the wishlist in its order: each line takes as many whole units
/// as the money left pays for, and what is left after a line goes on to the next, cheaper lines
/// included. This is how a fund buys: the first lines are the organisers' priorities.
pub fn fund_wishlist(raised: Money, lines: &[WishlistLine]) -> Vec<WishlistProgress> {
    fund_wishlist_after(raised, lines, |_| ItemProgress::default())
}

/// As [`fund_wishlist`], once equipment has been bought: each line counts what was bought of its
/// item as funded, and the `balance` not yet spent funds the units still missing, in order.
pub fn fund_wishlist_after(
    balance: Money,
    lines: &[WishlistLine],
    progress: impl Fn(EquipmentItemId) -> ItemProgress,
) -> Vec<WishlistProgress> {
    let mut left = balance.satang().max(0);
    lines
        .iter()
        .map(|line| {
            let done = progress(line.item_id);
            let price = line.unit_price.satang();
            let missing = (line.quantity - done.bought - done.held).max(0);
            let affordable = if price > 0 { left / price } else { 0 };
            let more = affordable.min(missing).max(0);
            left -= more * price;
            WishlistProgress {
                line: line.clone(),
                funded: done.bought + done.held + more,
                bought: done.bought,
                delivered: done.delivered,
            }
        })
        .collect()
}

/// A donation as the public may see it: a name only with the donor's consent.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublicDonation {
    /// `None` shows as "ผู้ไม่ประสงค์ออกนาม" (anonymous).
    pub donor_name: Option<String>,
    pub amount: Money,
    pub channel: DonationChannel,
    pub received_at: DateTime<Utc>,
}

/// Everything the public campaign page shows.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CampaignDetail {
    pub summary: CampaignSummary,
    pub story: Localized,
    pub ceremony_on: Option<NaiveDate>,
    pub ceremony_place: Option<Localized>,
    pub promptpay_id: Option<String>,
    pub wishlist: Vec<WishlistProgress>,
    pub recent_donations: Vec<PublicDonation>,
    pub hospitals: Vec<HospitalRef>,
    /// Money carried into or out of the campaign when a campaign was settled.
    pub carries: Vec<crate::model::report::Carry>,
    /// When the settled campaign's words were last corrected (RFC 3339), if they were.
    pub edited_after_settlement: Option<String>,
    /// The homes its units have served and their days in homes, from the fund's counters.
    pub homes: crate::model::loan::HomeFigures,
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn line(name: &str, quantity: i64, baht: i64) -> WishlistLine {
        WishlistLine {
            item_id: EquipmentItemId(quantity),
            item: Localized::new(name, name),
            unit: Localized::new("ชิ้น", "piece"),
            quantity,
            unit_price: Money::from_baht(baht),
        }
    }

    #[test]
    fn percent_is_rounded_down_and_may_pass_one_hundred() {
        let p = Progress::new(Money::from_baht(999), Money::from_baht(1000));
        assert_eq!(p.percent(), 99);
        assert!(!p.goal_met());
        let p = Progress::new(Money::from_baht(1500), Money::from_baht(1000));
        assert_eq!(p.percent(), 150);
        assert_eq!(p.bar_percent(), 100);
        assert!(p.goal_met());
        assert_eq!(Progress::new(Money::ZERO, Money::ZERO).percent(), 0);
    }

    #[test]
    fn days_left_counts_today_and_stops_after_the_end() {
        let end = NaiveDate::from_ymd_opt(2026, 12, 31).unwrap();
        assert_eq!(days_left(end, end), Some(0));
        assert_eq!(
            days_left(NaiveDate::from_ymd_opt(2026, 12, 21).unwrap(), end),
            Some(10)
        );
        assert_eq!(
            days_left(NaiveDate::from_ymd_opt(2027, 1, 1).unwrap(), end),
            None
        );
    }

    #[test]
    fn money_fills_the_wishlist_in_order_and_leftovers_go_on() {
        let lines = [line("เตียง", 10, 8_500), line("รถเข็น", 5, 3_500)];
        let funded = fund_wishlist(Money::from_baht(30_000), &lines);
        // 3 beds cost 25,500; the 4,500 left buys one wheelchair.
        assert_eq!(funded[0].funded, 3);
        assert_eq!(funded[1].funded, 1);
    }

    #[test]
    fn a_fully_funded_wishlist_stops_at_each_quantity() {
        let lines = [line("เตียง", 2, 100), line("รถเข็น", 1, 100)];
        let funded = fund_wishlist(Money::from_baht(1_000_000), &lines);
        assert_eq!((funded[0].funded, funded[1].funded), (2, 1));
    }

    #[test]
    fn bought_units_count_as_funded_and_the_balance_funds_the_rest() {
        let lines = [line("เตียง", 10, 1_000), line("รถเข็น", 5, 500)];
        let done = |item: EquipmentItemId| ItemProgress {
            bought: if item.0 == 10 { 8 } else { 0 },
            delivered: if item.0 == 10 { 6 } else { 0 },
            held: 0,
        };
        let w = fund_wishlist_after(Money::from_baht(3_700), &lines, done);
        assert_eq!((w[0].funded, w[0].bought, w[0].delivered), (10, 8, 6));
        assert_eq!(w[1].funded, 3);
    }

    proptest! {
        #[test]
        fn funded_units_never_cost_more_than_was_raised(
            raised in 0i64..10_000_000_000,
            specs in proptest::collection::vec((1i64..50, 1i64..100_000), 0..8),
        ) {
            let lines: Vec<_> = specs.iter().map(|&(q, p)| line("x", q, p)).collect();
            let funded = fund_wishlist(Money::from_satang(raised), &lines);
            let spent: i64 = funded.iter().map(|f| f.funded * f.line.unit_price.satang()).sum();
            prop_assert!(spent <= raised);
            prop_assert!(funded.iter().all(|f| f.funded >= 0 && f.funded <= f.line.quantity));
        }
    }
}
