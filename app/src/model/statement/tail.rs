//! The satang tail: the small amount of satang added to a pledge so that its credit on the bank
//! statement can only be that pledge (฿1,500 becomes ฿1,500.01 when no open pledge holds that).
//! A unique amount is evidence the donor cannot forge, so matching may act on it on its own.

use crate::model::Money;
use serde::{Deserialize, Serialize};

/// The largest tail: a tail changes the amount by less than one baht.
pub const MAX_TAIL_SATANG: i64 = 99;

/// What a pledge asks the donor to transfer.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum PledgeAmount {
    /// No other open pledge of the campaign holds this amount.
    Unique(Money),
    /// Another open pledge holds the amount and no free tail was left (or the tail is off):
    /// the credit cannot be told apart by its amount, so an officer matches it by hand.
    ByHand(Money),
}

impl PledgeAmount {
    /// The amount the donor is asked to transfer.
    pub fn amount(self) -> Money {
        match self {
            PledgeAmount::Unique(m) | PledgeAmount::ByHand(m) => m,
        }
    }

    /// Whether an officer must match this pledge by hand.
    pub fn by_hand(self) -> bool {
        matches!(self, PledgeAmount::ByHand(_))
    }
}

/// The amount a pledge of `typed` asks for, given the amounts other open pledges of the campaign
/// hold in `[typed, typed + 99 satang]` (`taken`).
///
/// With the tail on, a whole-baht amount always gets the smallest free tail from 1 to 99
/// satang, and an amount with satang keeps them unless another open pledge holds it, when it too
/// gets the smallest free amount above it. With the tail off the typed amount is kept. Either
/// way, an amount another open pledge holds is [`PledgeAmount::ByHand`].
pub fn amount_to_pay(typed: Money, tail_on: bool, taken: &[Money]) -> PledgeAmount {
    let held = |m: &Money| taken.contains(m);
    let whole = typed.satang() % 100 == 0;
    if !held(&typed) && (!tail_on || !whole) {
        return PledgeAmount::Unique(typed);
    }
    if !tail_on {
        return PledgeAmount::ByHand(typed);
    }
    (1..=MAX_TAIL_SATANG)
        .map(|tail| Money::from_satang(typed.satang() + tail))
        .find(|m| !held(m))
        .map_or(PledgeAmount::ByHand(typed), PledgeAmount::Unique)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn satang(n: i64) -> Money {
        Money::from_satang(n)
    }

    #[test]
    fn a_whole_amount_gets_the_smallest_free_tail() {
        let b = Money::from_baht(1500);
        assert_eq!(
            amount_to_pay(b, true, &[]),
            PledgeAmount::Unique(satang(150_001))
        );
        let taken = [satang(150_001), satang(150_002)];
        assert_eq!(
            amount_to_pay(b, true, &taken),
            PledgeAmount::Unique(satang(150_003))
        );
    }

    #[test]
    fn a_typed_amount_another_pledge_holds_gets_a_tail_too() {
        let typed = satang(150_050);
        assert_eq!(amount_to_pay(typed, true, &[]), PledgeAmount::Unique(typed));
        assert_eq!(
            amount_to_pay(typed, true, &[typed]),
            PledgeAmount::Unique(satang(150_051))
        );
    }

    #[test]
    fn with_no_free_tail_the_pledge_is_matched_by_hand() {
        let b = Money::from_baht(1500);
        let all: Vec<Money> = (0..=99).map(|t| satang(150_000 + t)).collect();
        assert_eq!(amount_to_pay(b, true, &all), PledgeAmount::ByHand(b));
        assert!(amount_to_pay(b, true, &all).by_hand());
    }

    #[test]
    fn with_the_tail_off_the_typed_amount_stays_and_a_held_one_is_by_hand() {
        let b = Money::from_baht(500);
        assert_eq!(amount_to_pay(b, false, &[]), PledgeAmount::Unique(b));
        assert_eq!(amount_to_pay(b, false, &[b]), PledgeAmount::ByHand(b));
        assert_eq!(amount_to_pay(b, false, &[b]).amount(), b);
    }
}
