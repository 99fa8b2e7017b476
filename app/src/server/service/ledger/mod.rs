//! The books kernel: every journal posting (gifts in and out, purchases' spending and its
//! reversal, money carried between campaigns) and the one guard every change to a campaign's
//! money or scope passes ([`books_open`]).
//!
//! Every money event posts balanced journal lines (`db::journal`) and moves the campaign's
//! aggregates (`db::campaign_fund`, the journal's kept sums per account and the received gifts
//! per hour) in the caller's transaction, so a page's totals always equal the journal and no
//! page adds up gifts. Money events lock in one order: `campaign_donor`, then `campaign_fund`,
//! then `journal_balance` and `campaign_money_hour` (always after the fund row, so two
//! postings to one campaign can never wait for each other), then the receipt counter, then the
//! audit head.

mod books;
mod check;

pub use books::{books_open, campaign_status, settled, taking_gifts};
pub use check::check;

use crate::model::ledger::{EntryKind, LedgerAccount};
use crate::model::status::DonationChannel;
use crate::model::{CampaignId, DonationId, DonorId, Money, PurchaseId};
use crate::server::db::journal::{self, Posting};
use crate::server::db::{campaign_fund, money_hour, Tx};

/// Refills the sums kept beside the journal from the books, in one write transaction
/// (`server rebuild-kept`, when `check-ledger` finds them apart). Returns (hours, balances)
/// rows written.
pub async fn rebuild_kept(db: &crate::server::db::Db) -> Result<(u64, u64), sqlx::Error> {
    let mut tx = db.begin().await?;
    let postgres = db.engine() == crate::server::db::Engine::Postgres;
    let written = money_hour::rebuild_kept(&mut tx, postgres).await?;
    tx.commit().await?;
    Ok(written)
}

/// The two accounts a gift moves: money into the fund's cash, or goods at fair value.
fn accounts(channel: DonationChannel) -> (LedgerAccount, LedgerAccount) {
    if channel == DonationChannel::InKind {
        (LedgerAccount::InKindGoods, LedgerAccount::InKindIncome)
    } else {
        (LedgerAccount::FundCash, LedgerAccount::DonationIncome)
    }
}

/// A gift's money and goods: cash for every channel but in kind.
fn cash_and_goods(channel: DonationChannel, amount: Money) -> (Money, Money) {
    if channel == DonationChannel::InKind {
        (Money::ZERO, amount)
    } else {
        (amount, Money::ZERO)
    }
}

/// One received gift, as the books see it.
#[derive(Clone, Copy, Debug)]
pub struct Gift {
    pub campaign: CampaignId,
    pub donation: DonationId,
    pub donor: DonorId,
    pub amount: Money,
    pub channel: DonationChannel,
}

/// Posts a gift that has just arrived: debit the fund's cash (or goods), credit income, and move
/// the campaign's aggregates, in `tx`.
pub async fn receive(tx: &mut Tx, g: Gift) -> Result<(), sqlx::Error> {
    let (debit, credit) = accounts(g.channel);
    let posting = Posting {
        campaign: g.campaign,
        kind: EntryKind::DonationReceived,
        donation: Some(g.donation),
        purchase: None,
        reverses: None,
        debit,
        credit,
        amount: g.amount,
        memo: None,
    };
    journal::post(tx, &posting).await?;
    let gifts = campaign_fund::donor_gave(tx, g.campaign, g.donor).await?;
    let (cash, goods) = cash_and_goods(g.channel, g.amount);
    campaign_fund::move_gift(tx, g.campaign, 1, cash, goods, gifts == 1).await?;
    journal::keep_balance(tx, &posting).await?;
    money_hour::move_hour(tx, g.donation, 1).await
}

/// Reverses a received gift with a visible entry of its own (nothing is deleted), in `tx`.
/// Answers `false` when the fund has already spent (or holds for purchases) the money this gift
/// brought; the caller must then roll `tx` back.
pub async fn reverse(tx: &mut Tx, g: Gift, reason: &str) -> Result<bool, sqlx::Error> {
    let (asset, income) = accounts(g.channel);
    let posting = Posting {
        campaign: g.campaign,
        kind: EntryKind::DonationVoided,
        donation: Some(g.donation),
        purchase: None,
        reverses: None,
        debit: income,
        credit: asset,
        amount: g.amount,
        memo: Some(reason),
    };
    journal::post(tx, &posting).await?;
    let left = campaign_fund::donor_gift_voided(tx, g.campaign, g.donor).await?;
    let (cash, goods) = cash_and_goods(g.channel, g.amount);
    if !campaign_fund::move_gift(tx, g.campaign, -1, cash, goods, left == 0).await? {
        return Ok(false);
    }
    journal::keep_balance(tx, &posting).await?;
    money_hour::move_hour(tx, g.donation, -1).await?;
    Ok(true)
}

/// A purchase's money, as the books see it.
#[derive(Clone, Copy, Debug)]
pub struct Spending<'a> {
    pub campaign: CampaignId,
    pub purchase: PurchaseId,
    pub amount: Money,
    /// The vendor and invoice, kept on the entry.
    pub memo: &'a str,
}

/// Whether a purchase's money is spent at once or held for a second officer's approval.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Take {
    Spend,
    Hold,
}

/// Takes `amount` from the campaign's available balance (received + carried in − carried out −
/// spent − held), to spend or to hold, only if that much is available. Answers whether it did.
/// The check and the taking are one conditional update, so racing purchases can never both
/// take the same baht on either engine; spending is posted by [`post_spending`] once the
/// purchase exists.
pub async fn take(
    tx: &mut Tx,
    campaign: CampaignId,
    amount: Money,
    take: Take,
) -> Result<bool, sqlx::Error> {
    campaign_fund::spend(tx, campaign, amount, take == Take::Hold).await
}

/// Posts a purchase's spending: debit equipment spent, credit the fund's cash.
pub async fn post_spending(tx: &mut Tx, s: Spending<'_>) -> Result<(), sqlx::Error> {
    let posting = Posting {
        campaign: s.campaign,
        kind: EntryKind::Purchase,
        donation: None,
        purchase: Some(s.purchase),
        reverses: None,
        debit: LedgerAccount::EquipmentSpent,
        credit: LedgerAccount::FundCash,
        amount: s.amount,
        memo: Some(s.memo),
    };
    journal::post(tx, &posting).await?;
    journal::keep_balance(tx, &posting).await
}

/// A second officer approved a held purchase: its held money becomes spent and is posted.
pub async fn spend_held(tx: &mut Tx, s: Spending<'_>) -> Result<(), sqlx::Error> {
    campaign_fund::release(tx, s.campaign, s.amount, true).await?;
    post_spending(tx, s).await
}

/// A purchase is voided: money held for it goes back to the balance; money spent comes back
/// by a visible entry that names the entry it reverses.
pub async fn void_spending(
    tx: &mut Tx,
    s: Spending<'_>,
    was: Take,
    reason: &str,
) -> Result<(), sqlx::Error> {
    if was == Take::Hold {
        return campaign_fund::release(tx, s.campaign, s.amount, false).await;
    }
    let spent_by = journal::purchase_entry(tx, s.purchase).await?;
    let posting = Posting {
        campaign: s.campaign,
        kind: EntryKind::Purchase,
        donation: None,
        purchase: Some(s.purchase),
        reverses: spent_by,
        debit: LedgerAccount::FundCash,
        credit: LedgerAccount::EquipmentSpent,
        amount: s.amount,
        memo: Some(reason),
    };
    journal::post(tx, &posting).await?;
    campaign_fund::unspend(tx, s.campaign, s.amount).await?;
    journal::keep_balance(tx, &posting).await
}

/// Carries a settled campaign's left-over cash to another campaign: one balanced entry in each
/// (the giver credits its cash against `carried_out`, the taker debits its cash against
/// `carried_in`), the carry-over row linking them, and both funds' running totals, in `tx`.
pub async fn carry(
    tx: &mut Tx,
    from: CampaignId,
    to: CampaignId,
    amount: Money,
    account: i64,
    memo: &str,
) -> Result<(), sqlx::Error> {
    let entry = |campaign, debit, credit| Posting {
        campaign,
        kind: EntryKind::CarryOver,
        donation: None,
        purchase: None,
        reverses: None,
        debit,
        credit,
        amount,
        memo: Some(memo),
    };
    use LedgerAccount::{CarriedIn, CarriedOut, FundCash};
    let (given, taken) = (
        entry(from, CarriedOut, FundCash),
        entry(to, FundCash, CarriedIn),
    );
    let entries = (
        journal::post(tx, &given).await?,
        journal::post(tx, &taken).await?,
    );
    crate::server::db::report::insert_carry(tx, from, to, amount, entries, account).await?;
    journal::keep_balance(tx, &given).await?;
    journal::keep_balance(tx, &taken).await
}

/// One broken invariant, named so a person can find it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Violation(pub String);
