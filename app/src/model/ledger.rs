//! The ledger's names: the accounts a journal line posts to and the kinds of journal entry.
//! One enum each, so a posting and a query that sums an account can never spell it two ways;
//! the codes are what the database stores (and its CHECK constraints allow).

use serde::{Deserialize, Serialize};

/// An account of a campaign's books.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum LedgerAccount {
    /// Money the fund holds (received gifts, less purchases, plus or minus carries).
    FundCash,
    /// Money given.
    DonationIncome,
    /// Goods given, at fair value.
    InKindGoods,
    /// Goods given, as income.
    InKindIncome,
    /// Money spent on equipment.
    EquipmentSpent,
    /// Money carried in from a settled campaign.
    CarriedIn,
    /// Money carried out to another campaign at settlement.
    CarriedOut,
}

impl LedgerAccount {
    /// The stored code.
    pub fn code(self) -> &'static str {
        match self {
            LedgerAccount::FundCash => "fund_cash",
            LedgerAccount::DonationIncome => "donation_income",
            LedgerAccount::InKindGoods => "in_kind_goods",
            LedgerAccount::InKindIncome => "in_kind_income",
            LedgerAccount::EquipmentSpent => "equipment_spent",
            LedgerAccount::CarriedIn => "carried_in",
            LedgerAccount::CarriedOut => "carried_out",
        }
    }
}

/// What a journal entry records.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum EntryKind {
    DonationReceived,
    DonationVoided,
    /// A purchase's spending, or (naming the entry it reverses) its reversal.
    Purchase,
    CarryOver,
}

impl EntryKind {
    /// The stored code.
    pub fn code(self) -> &'static str {
        match self {
            EntryKind::DonationReceived => "donation_received",
            EntryKind::DonationVoided => "donation_voided",
            EntryKind::Purchase => "purchase",
            EntryKind::CarryOver => "carry_over",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_account_has_its_own_code() {
        use LedgerAccount::*;
        let all = [
            FundCash,
            DonationIncome,
            InKindGoods,
            InKindIncome,
            EquipmentSpent,
            CarriedIn,
            CarriedOut,
        ];
        let mut codes: Vec<&str> = all.iter().map(|a| a.code()).collect();
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), all.len());
    }
}
