//! Sign-in throttle rows: failures counted per key (an account, an address, an account at an
//! address, a trusted device) within a window, and until when the key must wait.

use super::{time, Engine};
use chrono::{DateTime, Utc};
use sqlx::AnyConnection;

/// Takes (and, on PostgreSQL, locks until commit) a throttle row, creating it when missing, and
/// returns until when it is blocked, if at all.
pub async fn hold(
    c: &mut AnyConnection,
    key: &str,
    now: DateTime<Utc>,
) -> Result<Option<DateTime<Utc>>, sqlx::Error> {
    let (blocked_until,): (Option<String>,) = sqlx::query_as(
        "insert into sign_in_throttle (throttle_key, failures, window_started_at, blocked_until, updated_at)
         values ($1, 0, $2, null, $2)
         on conflict (throttle_key) do update set updated_at = $2
         returning blocked_until",
    )
    .bind(key)
    .bind(time::instant(now))
    .fetch_one(c)
    .await?;
    blocked_until.map(|t| time::parse_instant(&t)).transpose()
}

/// A held row's failures and the start of its window.
pub async fn count(c: &mut AnyConnection, key: &str) -> Result<(i64, DateTime<Utc>), sqlx::Error> {
    let (failures, started): (i64, String) = sqlx::query_as(
        "select failures, window_started_at from sign_in_throttle where throttle_key = $1",
    )
    .bind(key)
    .fetch_one(c)
    .await?;
    Ok((failures, time::parse_instant(&started)?))
}

/// Stores a held row's new count, window and block.
pub async fn set(
    c: &mut AnyConnection,
    key: &str,
    failures: i64,
    window_started_at: DateTime<Utc>,
    blocked_until: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "update sign_in_throttle set failures = $1, window_started_at = $2, blocked_until = $3, updated_at = $4
         where throttle_key = $5",
    )
    .bind(failures)
    .bind(time::instant(window_started_at))
    .bind(blocked_until.map(time::instant))
    .bind(time::instant(now))
    .bind(key)
    .execute(c)
    .await?;
    Ok(())
}

/// Forgets a key's failures altogether.
pub async fn clear(c: &mut AnyConnection, key: &str) -> Result<(), sqlx::Error> {
    sqlx::query("delete from sign_in_throttle where throttle_key = $1")
        .bind(key)
        .execute(c)
        .await?;
    Ok(())
}

/// Takes one failure back, lifting the block when the count falls to `free` or below.
pub async fn take_back(c: &mut AnyConnection, key: &str, free: i64) -> Result<(), sqlx::Error> {
    sqlx::query(
        "update sign_in_throttle set failures = failures - 1,
           blocked_until = case when failures - 1 <= $2 then null else blocked_until end
         where throttle_key = $1 and failures > 0",
    )
    .bind(key)
    .bind(free)
    .execute(c)
    .await?;
    Ok(())
}

/// Deletes at most `limit` rows that block nothing and were last touched before `idle_since`
/// (so their window has passed: the next failure would start a new one anyway). Bounded, so each
/// sign-in does a little of the cleaning. On PostgreSQL rows that another sign-in holds are
/// skipped rather than waited for, so the purge never queues behind (or deadlocks with) them.
pub async fn purge_idle(
    c: &mut AnyConnection,
    idle_since: DateTime<Utc>,
    now: DateTime<Utc>,
    limit: i64,
) -> Result<u64, sqlx::Error> {
    let lock = match super::engine_of(c) {
        Engine::Postgres => " for update skip locked",
        Engine::Sqlite => "",
    };
    let done = sqlx::query(&format!(
        "delete from sign_in_throttle where throttle_key in (
           select throttle_key from sign_in_throttle
           where updated_at < $1 and window_started_at < $1 and (blocked_until is null or blocked_until <= $2)
           limit $3{lock})"
    ))
    .bind(time::instant(idle_since))
    .bind(time::instant(now))
    .bind(limit)
    .execute(c)
    .await?;
    Ok(done.rows_affected())
}
