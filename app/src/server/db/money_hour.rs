//! Received gifts per campaign, UTC hour and channel (`campaign_money_hour`): kept by the ledger
//! beside the journal, in the transaction of every gift that arrives or is voided, so a report
//! reads a campaign's money by channel and by day from a few thousand rows however many gifts
//! it holds. `check-ledger` compares them with the donations ([`hour_mismatches`]).

use crate::model::CampaignId;
use sqlx::AnyConnection;

/// Received gifts by channel code: (channel, count, satang), from the hours kept beside the
/// journal.
pub async fn money_in(
    c: &mut AnyConnection,
    id: CampaignId,
) -> Result<Vec<(String, i64, i64)>, sqlx::Error> {
    sqlx::query_as(
        "select channel, cast(sum(gifts) as bigint), cast(sum(satang) as bigint) from campaign_money_hour
         where campaign_id = $1 group by channel having sum(gifts) > 0 order by channel",
    )
    .bind(id.get())
    .fetch_all(c)
    .await
}

/// Received money (not goods) per UTC hour and channel, oldest first: (`YYYY-MM-DDTHH`,
/// channel, satang). Hours, so the caller can fold them into Bangkok days on either engine; a
/// campaign of a year has at most 8,760 hours per channel.
pub async fn money_in_hours(
    c: &mut AnyConnection,
    id: CampaignId,
) -> Result<Vec<(String, String, i64)>, sqlx::Error> {
    sqlx::query_as(
        "select hour, channel, satang from campaign_money_hour
         where campaign_id = $1 and channel <> 'in_kind' and gifts > 0 order by hour, channel",
    )
    .bind(id.get())
    .fetch_all(c)
    .await
}

/// Moves a received gift into (`sign` 1) or out of (`sign` −1) its campaign's hour and channel,
/// read from its row (which must have arrived). Taking a gift out of an hour that does not hold
/// it is an error: the kept rows would no longer be the gifts.
pub async fn move_hour(
    c: &mut AnyConnection,
    donation: crate::model::DonationId,
    sign: i64,
) -> Result<(), sqlx::Error> {
    let moved = if sign > 0 {
        sqlx::query(
            "insert into campaign_money_hour (campaign_id, hour, channel, gifts, satang)
             select campaign_id, substr(received_at, 1, 13), channel, 1, amount_satang
             from donation where donation_id = $1
             on conflict (campaign_id, hour, channel) do update set
               gifts = campaign_money_hour.gifts + 1,
               satang = campaign_money_hour.satang + excluded.satang",
        )
        .bind(donation.get())
        .execute(c)
        .await?
    } else {
        sqlx::query(
            "update campaign_money_hour set gifts = gifts - 1,
               satang = satang - (select amount_satang from donation where donation_id = $1)
             where gifts > 0 and (campaign_id, hour, channel) =
               (select campaign_id, substr(received_at, 1, 13), channel from donation where donation_id = $1)",
        )
        .bind(donation.get())
        .execute(c)
        .await?
    };
    if moved.rows_affected() != 1 {
        return Err(sqlx::Error::Protocol(format!(
            "donation {donation}: its hour of arrival is not kept"
        )));
    }
    Ok(())
}

/// The received gifts by campaign, hour and channel: how many and how much. `channel <> ''` (true
/// of every gift) is what lets SQLite read them from migration 18's index, in this order.
pub const RECEIVED_BY_HOUR: &str =
    "select campaign_id, substr(received_at, 1, 13), channel, count(*), cast(sum(amount_satang) as bigint)
     from donation where status = 'received' and channel <> ''
     group by campaign_id, substr(received_at, 1, 13), channel";

/// Kept hours that differ from the received gifts, both ways: (campaign, hour, channel, kept
/// gifts, kept satang, gifts, satang). One pass over the donations, in the order of SQLite's
/// index of received gifts by hour (migration 18), which only the queries that also say
/// `channel <> ''` (true of every gift) can use: others keep their own plans.
pub async fn hour_mismatches(
    c: &mut AnyConnection,
) -> Result<Vec<(i64, String, String, i64, i64, i64, i64)>, sqlx::Error> {
    type Key = (i64, String, String);
    let gifts: Vec<(i64, String, String, i64, i64)> =
        sqlx::query_as(RECEIVED_BY_HOUR).fetch_all(&mut *c).await?;
    let kept: Vec<(i64, String, String, i64, i64)> = sqlx::query_as(
        "select campaign_id, hour, channel, gifts, satang from campaign_money_hour where gifts <> 0 or satang <> 0",
    )
    .fetch_all(c)
    .await?;
    // (gifts, satang) kept, and given by the donations
    type Pair = (i64, i64);
    let mut by_key: std::collections::BTreeMap<Key, (Pair, Pair)> =
        std::collections::BTreeMap::new();
    for (campaign, hour, channel, n, satang) in gifts {
        by_key.entry((campaign, hour, channel)).or_default().1 = (n, satang);
    }
    for (campaign, hour, channel, n, satang) in kept {
        by_key.entry((campaign, hour, channel)).or_default().0 = (n, satang);
    }
    Ok(by_key
        .into_iter()
        .filter(|(_, (kept, given))| kept != given)
        .map(|((campaign, hour, channel), (kept, given))| {
            (campaign, hour, channel, kept.0, kept.1, given.0, given.1)
        })
        .collect())
}

/// Refills both kept tables (these hours, and the journal's sums per campaign and account) from
/// the books, as migration 17 first filled them: the way back when `check-ledger` finds them
/// apart from the gifts or the journal. They hold nothing the books do not. Run in a write
/// transaction; on PostgreSQL the campaigns and then the two tables are locked first, so a gift
/// committing meanwhile moves them after the refill (it waits on the lock), never into rows
/// about to be replaced. Every posting waits while it runs.
/// Returns how many (hour, balance) rows it wrote.
pub async fn rebuild_kept(
    c: &mut AnyConnection,
    postgres: bool,
) -> Result<(u64, u64), sqlx::Error> {
    if postgres {
        // The campaign rows first, as every posting and settlement takes them (the kept rows'
        // foreign keys would take them one by one while inserting, after the tables: a
        // settlement holding its campaign and then carrying money would wait on the tables
        // while this waited on its campaign).
        sqlx::query("select campaign_id from campaign order by campaign_id for key share")
            .execute(&mut *c)
            .await?;
        sqlx::query("lock table journal_balance, campaign_money_hour in share row exclusive mode")
            .execute(&mut *c)
            .await?;
    }
    sqlx::query("delete from campaign_money_hour")
        .execute(&mut *c)
        .await?;
    let hours = sqlx::query(
        "insert into campaign_money_hour (campaign_id, hour, channel, gifts, satang)
         select campaign_id, substr(received_at, 1, 13), channel, count(*), sum(amount_satang)
         from donation where status = 'received' and channel <> ''
         group by campaign_id, substr(received_at, 1, 13), channel",
    )
    .execute(&mut *c)
    .await?
    .rows_affected();
    sqlx::query("delete from journal_balance")
        .execute(&mut *c)
        .await?;
    let balances = sqlx::query(
        "insert into journal_balance (campaign_id, account, debit_satang, credit_satang)
         select campaign_id, account, sum(debit_satang), sum(credit_satang)
         from journal_line group by campaign_id, account",
    )
    .execute(c)
    .await?
    .rows_affected();
    Ok((hours, balances))
}
