//! `check-ledger`: the books checked against themselves. The journal balances overall and per
//! entry; every campaign's running totals equal the journal and its records; receipts run
//! without gaps; units are where their status says; carries and bank matches agree; loans to homes
//! agree with the units and the counters.

use super::Violation;
use crate::model::Money;
use crate::server::db::{journal, receipt, unit, Db};
use sqlx::AnyConnection;

/// Checks the books: the journal balances overall and per entry; the journal's kept sums per
/// campaign and account equal its lines, and the kept hours equal the received gifts; every
/// campaign's aggregates equal what the journal and the donations say; each donation's journal income matches its
/// status; receipt numbers run 1…N without gaps per series with the counter at N; every received
/// donation outside an open batch has its receipt; every matched bank line points to exactly one
/// donation and no donation is matched twice. Returns every violation, first first.
pub async fn check(db: &Db) -> Result<Vec<Violation>, sqlx::Error> {
    // One snapshot for every rule: a rule comparing kept rows with the rows they sum (read by two
    // statements) must not see a posting committed between them.
    let mut conn = db.snapshot().await?;
    let v = check_in(&mut conn).await?;
    conn.commit().await?;
    Ok(v)
}

async fn check_in(conn: &mut AnyConnection) -> Result<Vec<Violation>, sqlx::Error> {
    let mut v = Vec::new();
    let ((debits, credits), kept_sums) = journal::sums(&mut *conn).await?;
    if debits != credits {
        v.push(Violation(format!(
            "journal does not balance: debits {} ≠ credits {}",
            Money::from_satang(debits),
            Money::from_satang(credits)
        )));
    }
    for entry in journal::unbalanced_entries(&mut *conn).await? {
        v.push(Violation(format!("journal entry {entry} does not balance")));
    }
    for (c, account, debit, credit, lines_debit, lines_credit) in kept_sums {
        v.push(Violation(format!(
            "campaign {c}: kept {account} debits {} and credits {} ≠ the journal's lines {} and {}",
            Money::from_satang(debit),
            Money::from_satang(credit),
            Money::from_satang(lines_debit),
            Money::from_satang(lines_credit)
        )));
    }
    for (c, hour, channel, kept, kept_satang, gifts, satang) in
        crate::server::db::money_hour::hour_mismatches(&mut *conn).await?
    {
        v.push(Violation(format!(
            "campaign {c}: hour {hour} {channel} kept {kept} gifts of {} ≠ {gifts} received gifts of {}",
            Money::from_satang(kept_satang),
            Money::from_satang(satang)
        )));
    }
    let funds = journal::fund_checks(&mut *conn).await?;
    for f in &funds {
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
    for (reference, status, amount, net) in journal::mismatched_donations(&mut *conn).await? {
        v.push(Violation(format!(
            "donation {reference} ({status}, {}): journal income {}",
            Money::from_satang(amount),
            Money::from_satang(net)
        )));
    }
    for (recipient, year, count, first, last, counter) in receipt::series(&mut *conn).await? {
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
    for reference in receipt::missing(&mut *conn).await? {
        v.push(Violation(format!(
            "donation {reference} was received but has no receipt"
        )));
    }
    check_equipment(&mut *conn, &funds, &mut v).await?;
    check_carries(&mut *conn, &mut v).await?;
    // Loans to homes: each unit's care agrees with its loans, and the counters the public
    // figures come from equal what the loans give.
    v.extend(
        crate::server::db::loan::problems(&mut *conn)
            .await?
            .into_iter()
            .map(Violation),
    );
    // Bank lines: each matched credit points to one donation of its campaign and amount, no
    // donation is matched twice, and each line's match agrees with its match history.
    v.extend(
        crate::server::db::bank::problems(&mut *conn)
            .await?
            .into_iter()
            .map(Violation),
    );
    Ok(v)
}

/// Money carried between campaigns: each fund's carried totals equal its journal's `carried_in`
/// and `carried_out` accounts, and a campaign that gave money away is settled.
async fn check_carries(c: &mut AnyConnection, v: &mut Vec<Violation>) -> Result<(), sqlx::Error> {
    let m = Money::from_satang;
    for (campaign, kept_in, journal_in, kept_out, journal_out) in
        crate::server::db::report::carry_checks(c).await?
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
async fn check_equipment(
    conn: &mut AnyConnection,
    funds: &[journal::FundCheck],
    v: &mut Vec<Violation>,
) -> Result<(), sqlx::Error> {
    let m = Money::from_satang;
    for f in funds {
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
    for u in unit::checks(conn).await? {
        let placed = u.in_stock + u.allocated + u.dispatched + u.received + u.written_off;
        if u.bought + u.given != placed || placed != u.live {
            v.push(Violation(format!(
                "campaign {}: units bought {} + given {} ≠ in stock {} + allocated {} + dispatched {} + received {} + written off {}",
                u.campaign_id, u.bought, u.given, u.in_stock, u.allocated, u.dispatched, u.received, u.written_off
            )));
        }
    }
    for tag in unit::misplaced(conn).await? {
        v.push(Violation(format!(
            "unit {tag}: its hospital does not agree with its status"
        )));
    }
    Ok(())
}
