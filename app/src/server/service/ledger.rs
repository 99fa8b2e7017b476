//! The ledger's rules: which accounts a gift moves, how a gift enters and leaves the books, and
//! the check that the books agree with themselves.
//!
//! Every money event posts balanced journal lines (`db::journal`) and moves the campaign's
//! aggregates (`db::campaign_fund`) in the caller's transaction, so a page's totals always equal
//! the journal. Money events lock in one order: `campaign_donor`, then `campaign_fund`, then the
//! receipt counter, then the audit head.

use crate::model::status::DonationChannel;
use crate::model::{CampaignId, DonationId, DonorId, Money};
use crate::server::db::journal::{self, Posting};
use crate::server::db::{campaign_fund, receipt, unit, Db, Tx};

/// The two accounts a gift moves: money into the fund's cash, or goods at fair value.
fn accounts(channel: DonationChannel) -> (&'static str, &'static str) {
    if channel == DonationChannel::InKind {
        ("in_kind_goods", "in_kind_income")
    } else {
        ("fund_cash", "donation_income")
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
        kind: "donation_received",
        donation: Some(g.donation),
        purchase: None,
        reverses: None,
        debit,
        credit,
        amount: g.amount,
        memo: None,
    };
    journal::post(tx, posting).await?;
    let gifts = campaign_fund::donor_gave(tx, g.campaign, g.donor).await?;
    let (cash, goods) = cash_and_goods(g.channel, g.amount);
    campaign_fund::move_gift(tx, g.campaign, 1, cash, goods, gifts == 1).await?;
    Ok(())
}

/// Reverses a received gift with a visible entry of its own (nothing is deleted), in `tx`.
/// Answers `false` when the fund has already spent (or holds for purchases) the money this gift
/// brought; the caller must then roll `tx` back.
pub async fn reverse(tx: &mut Tx, g: Gift, reason: &str) -> Result<bool, sqlx::Error> {
    let (asset, income) = accounts(g.channel);
    let posting = Posting {
        campaign: g.campaign,
        kind: "donation_voided",
        donation: Some(g.donation),
        purchase: None,
        reverses: None,
        debit: income,
        credit: asset,
        amount: g.amount,
        memo: Some(reason),
    };
    journal::post(tx, posting).await?;
    let left = campaign_fund::donor_gift_voided(tx, g.campaign, g.donor).await?;
    let (cash, goods) = cash_and_goods(g.channel, g.amount);
    campaign_fund::move_gift(tx, g.campaign, -1, cash, goods, left == 0).await
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
        kind: "carry_over",
        donation: None,
        purchase: None,
        reverses: None,
        debit,
        credit,
        amount,
        memo: Some(memo),
    };
    let out = journal::post(tx, entry(from, "carried_out", "fund_cash")).await?;
    let taken = journal::post(tx, entry(to, "fund_cash", "carried_in")).await?;
    crate::server::db::report::insert_carry(tx, from, to, amount, (out, taken), account).await
}

/// One broken invariant, named so a person can find it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Violation(pub String);

/// Checks the books: the journal balances overall and per entry; every campaign's aggregates
/// equal what the journal and the donations say; each donation's journal income matches its
/// status; receipt numbers run 1…N without gaps per series with the counter at N; every received
/// donation outside an open batch has its receipt; every matched bank line points to exactly one
/// donation and no donation is matched twice. Returns every violation, first first.
pub async fn check(db: &Db) -> Result<Vec<Violation>, sqlx::Error> {
    let mut v = Vec::new();
    let (debits, credits) = journal::totals(db).await?;
    if debits != credits {
        v.push(Violation(format!(
            "journal does not balance: debits {} ≠ credits {}",
            Money::from_satang(debits),
            Money::from_satang(credits)
        )));
    }
    for entry in journal::unbalanced_entries(db).await? {
        v.push(Violation(format!("journal entry {entry} does not balance")));
    }
    for f in journal::fund_checks(db).await? {
        let c = f.campaign_id;
        let money = [
            ("raised", f.raised_satang, f.journal_cash),
            ("in kind", f.in_kind_satang, f.journal_goods),
        ];
        for (what, kept, journal) in money {
            if kept != journal {
                v.push(Violation(format!(
                    "campaign {c}: {what} {} ≠ journal {}",
                    Money::from_satang(kept),
                    Money::from_satang(journal)
                )));
            }
        }
        let counts = [
            (
                "donation count",
                f.donation_count,
                f.received,
                "received donations",
            ),
            ("donor count", f.donor_count, f.donors, "distinct donors"),
            ("pledge count", f.pledged_count, f.pledged, "open pledges"),
        ];
        for (what, kept, actual, of) in counts {
            if kept != actual {
                v.push(Violation(format!(
                    "campaign {c}: {what} {kept} ≠ {actual} {of}"
                )));
            }
        }
    }
    for (reference, status, amount, net) in journal::mismatched_donations(db).await? {
        v.push(Violation(format!(
            "donation {reference} ({status}, {}): journal income {}",
            Money::from_satang(amount),
            Money::from_satang(net)
        )));
    }
    for (recipient, year, count, first, last, counter) in receipt::series(db).await? {
        if first != 1 || last != count {
            v.push(Violation(format!(
                "receipts of recipient {recipient}, fiscal year {year}: {count} numbers from {first} to {last}, not 1 to {count} without gaps"
            )));
        }
        if counter != last {
            v.push(Violation(format!(
                "receipts of recipient {recipient}, fiscal year {year}: counter {counter} ≠ last number {last}"
            )));
        }
    }
    for reference in receipt::missing(db).await? {
        v.push(Violation(format!(
            "donation {reference} was received but has no receipt"
        )));
    }
    check_equipment(db, &mut v).await?;
    check_carries(db, &mut v).await?;
    // Bank lines: each matched credit points to one donation of its campaign and amount, no
    // donation is matched twice, and each line's match agrees with its match history.
    v.extend(
        crate::server::db::bank::problems(db)
            .await?
            .into_iter()
            .map(Violation),
    );
    Ok(v)
}

/// Money carried between campaigns: each fund's carried totals equal its journal's `carried_in`
/// and `carried_out` accounts, and a campaign that gave money away is settled.
async fn check_carries(db: &Db, v: &mut Vec<Violation>) -> Result<(), sqlx::Error> {
    let m = Money::from_satang;
    let mut c = db.reader().acquire().await?;
    for (campaign, kept_in, journal_in, kept_out, journal_out) in
        crate::server::db::report::carry_checks(&mut c).await?
    {
        if kept_in != journal_in {
            v.push(Violation(format!(
                "campaign {campaign}: carried in {} ≠ journal carried_in {}",
                m(kept_in),
                m(journal_in)
            )));
        }
        if kept_out != journal_out {
            v.push(Violation(format!(
                "campaign {campaign}: carried out {} ≠ journal carried_out {}",
                m(kept_out),
                m(journal_out)
            )));
        }
    }
    let unsettled: Vec<(i64,)> = sqlx::query_as(
        "select distinct o.from_campaign_id from carry_over o
         join campaign c on c.campaign_id = o.from_campaign_id where c.status <> 'settled'",
    )
    .fetch_all(&mut *c)
    .await?;
    for (campaign,) in unsettled {
        v.push(Violation(format!(
            "campaign {campaign} carried money out but is not settled"
        )));
    }
    Ok(())
}

/// The equipment half of the books: per campaign, cash received = spent (net of voids) + held +
/// balance with the balance never below zero, spent equal to the journal and to the approved
/// purchases; units bought and given = in stock + allocated + dispatched + received + written
/// off; and every unit's place agrees with its status.
async fn check_equipment(db: &Db, v: &mut Vec<Violation>) -> Result<(), sqlx::Error> {
    let m = Money::from_satang;
    for f in journal::fund_checks(db).await? {
        let c = f.campaign_id;
        let balance = f.raised_satang + f.carried_in_satang
            - f.carried_out_satang
            - f.spent_satang
            - f.committed_satang;
        if balance < 0 {
            v.push(Violation(format!(
                "campaign {c}: balance {} below zero (received {}, spent {}, held {})",
                m(balance),
                m(f.raised_satang),
                m(f.spent_satang),
                m(f.committed_satang)
            )));
        }
        let pairs = [
            (
                "spent",
                f.spent_satang,
                "journal equipment_spent",
                f.journal_spent,
            ),
            (
                "spent",
                f.spent_satang,
                "approved purchases",
                f.purchases_spent,
            ),
            (
                "held",
                f.committed_satang,
                "purchases awaiting approval",
                f.purchases_held,
            ),
        ];
        for (what, kept, of, actual) in pairs {
            if kept != actual {
                v.push(Violation(format!(
                    "campaign {c}: {what} {} ≠ {of} {}",
                    m(kept),
                    m(actual)
                )));
            }
        }
    }
    for u in unit::checks(db).await? {
        let placed = u.in_stock + u.allocated + u.dispatched + u.received + u.written_off;
        if u.bought + u.given != placed || placed != u.live {
            v.push(Violation(format!(
                "campaign {}: units bought {} + given {} ≠ in stock {} + allocated {} + dispatched {} + received {} + written off {}",
                u.campaign_id, u.bought, u.given, u.in_stock, u.allocated, u.dispatched, u.received, u.written_off
            )));
        }
    }
    for tag in unit::misplaced(db).await? {
        v.push(Violation(format!(
            "unit {tag}: its hospital does not agree with its status"
        )));
    }
    Ok(())
}
