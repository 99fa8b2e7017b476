//! Hits per limit and client, shared by every server on one database (see migration 0016).

use super::{time, Engine};
use chrono::{DateTime, Utc};
use sqlx::AnyConnection;

/// The hits of `key` in its window and when the window started, if it started after `since`.
pub async fn hits(
    c: &mut AnyConnection,
    key: &str,
    since: DateTime<Utc>,
) -> Result<Option<(i64, DateTime<Utc>)>, sqlx::Error> {
    let row: Option<(i64, String)> = sqlx::query_as(
        "select hits, window_started_at from client_limit
         where limit_key = $1 and window_started_at > $2",
    )
    .bind(key)
    .bind(time::instant(since))
    .fetch_optional(c)
    .await?;
    row.map(|(hits, started)| Ok((hits, time::parse_instant(&started)?)))
        .transpose()
}

/// Counts one hit of `key` at `now`, in a new window when the old one started before `since`,
/// in one statement (so two servers counting at once both count).
pub async fn count(
    c: &mut AnyConnection,
    key: &str,
    now: DateTime<Utc>,
    since: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "insert into client_limit (limit_key, hits, window_started_at) values ($1, 1, $2)
         on conflict (limit_key) do update set
           hits = case when client_limit.window_started_at <= $3 then 1
                       else client_limit.hits + 1 end,
           window_started_at = case when client_limit.window_started_at <= $3 then $2
                                    else client_limit.window_started_at end",
    )
    .bind(key)
    .bind(time::instant(now))
    .bind(time::instant(since))
    .execute(c)
    .await?;
    Ok(())
}

/// Deletes at most `limit` rows whose window started before `since`; rows another server holds
/// are skipped on PostgreSQL rather than waited for.
pub async fn purge(
    c: &mut AnyConnection,
    since: DateTime<Utc>,
    limit: i64,
) -> Result<u64, sqlx::Error> {
    let lock = match super::engine_of(c) {
        Engine::Postgres => " for update skip locked",
        Engine::Sqlite => "",
    };
    let done = sqlx::query(&format!(
        "delete from client_limit where limit_key in (
           select limit_key from client_limit where window_started_at < $1 limit $2{lock})"
    ))
    .bind(time::instant(since))
    .bind(limit)
    .execute(c)
    .await?;
    Ok(done.rows_affected())
}

/// Counts one hit of `key` at `now` unless it has already used its `max` (a window that started
/// before `since` starts afresh), deciding in one statement so that servers counting at the same
/// moment cannot both slip under the limit. Returns the count after this hit, which is `max + 1`
/// when the hit was refused, and when the window started.
pub async fn take(
    c: &mut AnyConnection,
    key: &str,
    now: DateTime<Utc>,
    since: DateTime<Utc>,
    max: i64,
) -> Result<(i64, DateTime<Utc>), sqlx::Error> {
    let (hits, started): (i64, String) = sqlx::query_as(
        "insert into client_limit (limit_key, hits, window_started_at) values ($1, 1, $2)
         on conflict (limit_key) do update set
           hits = case when client_limit.window_started_at <= $3 then 1
                       when client_limit.hits > $4 then client_limit.hits
                       else client_limit.hits + 1 end,
           window_started_at = case when client_limit.window_started_at <= $3 then $2
                                    else client_limit.window_started_at end
         returning hits, window_started_at",
    )
    .bind(key)
    .bind(time::instant(now))
    .bind(time::instant(since))
    .bind(max)
    .fetch_one(c)
    .await?;
    Ok((hits, time::parse_instant(&started)?))
}
