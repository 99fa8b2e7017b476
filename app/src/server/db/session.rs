//! Session rows and trusted-device rows. Both are known only by the SHA-256 of their token: the
//! tokens themselves live in the browser's cookies, so a copy of the database signs nobody in.

use super::time;
use chrono::{DateTime, Utc};
use sqlx::AnyConnection;

/// A live-or-not session with its account, as the session layer reads it.
#[derive(sqlx::FromRow)]
pub struct SessionRow {
    pub account_id: i64,
    pub last_seen_at: String,
    pub expires_at: String,
    pub username: String,
    pub display_name: String,
    pub role: String,
    pub hospital_id: Option<i64>,
}

/// Starts a session.
pub async fn insert(
    c: &mut AnyConnection,
    session_hash: &str,
    account_id: i64,
    now: DateTime<Utc>,
    expires_at: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "insert into session (session_hash, account_id, created_at, last_seen_at, expires_at) values ($1, $2, $3, $3, $4)",
    )
    .bind(session_hash)
    .bind(account_id)
    .bind(time::instant(now))
    .bind(time::instant(expires_at))
    .execute(c)
    .await?;
    Ok(())
}

/// Ends one session (sign-out).
pub async fn end(
    c: &mut AnyConnection,
    session_hash: &str,
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    sqlx::query("update session set ended_at = $1 where session_hash = $2 and ended_at is null")
        .bind(time::instant(now))
        .bind(session_hash)
        .execute(c)
        .await?;
    Ok(())
}

/// Ends every session of an account.
pub async fn end_all(
    c: &mut AnyConnection,
    account_id: i64,
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    sqlx::query("update session set ended_at = $1 where account_id = $2 and ended_at is null")
        .bind(time::instant(now))
        .bind(account_id)
        .execute(c)
        .await?;
    Ok(())
}

/// The session behind a hash with its (enabled) account, if it has not been ended.
pub async fn open_with_account(
    c: &mut AnyConnection,
    session_hash: &str,
) -> Result<Option<SessionRow>, sqlx::Error> {
    sqlx::query_as(
        "select s.account_id, s.last_seen_at, s.expires_at, a.username, a.display_name, a.role, a.hospital_id
         from session s join account a on a.account_id = s.account_id
         where s.session_hash = $1 and s.ended_at is null and a.disabled_at is null",
    )
    .bind(session_hash)
    .fetch_optional(c)
    .await
}

/// Records that a session was just used.
pub async fn touch(
    c: &mut AnyConnection,
    session_hash: &str,
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    sqlx::query("update session set last_seen_at = $1 where session_hash = $2")
        .bind(time::instant(now))
        .bind(session_hash)
        .execute(c)
        .await?;
    Ok(())
}

/// Remembers a browser that signed in to an account until `expires_at`.
pub async fn insert_device(
    c: &mut AnyConnection,
    device_hash: &str,
    account_id: i64,
    now: DateTime<Utc>,
    expires_at: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "insert into trusted_device (device_hash, account_id, created_at, expires_at) values ($1, $2, $3, $4)",
    )
    .bind(device_hash)
    .bind(account_id)
    .bind(time::instant(now))
    .bind(time::instant(expires_at))
    .execute(c)
    .await?;
    Ok(())
}

/// The username a device token was issued to, if it has not expired and its account is enabled.
pub async fn device_username(
    c: &mut AnyConnection,
    device_hash: &str,
    now: DateTime<Utc>,
) -> Result<Option<String>, sqlx::Error> {
    let row: Option<(String,)> = sqlx::query_as(
        "select a.username from trusted_device d join account a on a.account_id = d.account_id
         where d.device_hash = $1 and d.expires_at > $2 and a.disabled_at is null",
    )
    .bind(device_hash)
    .bind(time::instant(now))
    .fetch_optional(c)
    .await?;
    Ok(row.map(|(u,)| u))
}

/// Forgets one device (its token is being replaced by a fresh one) and any expired ones of the
/// same account, so the table holds only devices that can still be presented.
pub async fn forget_device(
    c: &mut AnyConnection,
    device_hash: &str,
    account_id: i64,
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "delete from trusted_device where device_hash = $1 or (account_id = $2 and expires_at <= $3)",
    )
    .bind(device_hash)
    .bind(account_id)
    .bind(time::instant(now))
    .execute(c)
    .await?;
    Ok(())
}

/// Forgets every device of an account (its password was reset by an administrator).
pub async fn forget_devices_of(c: &mut AnyConnection, account_id: i64) -> Result<(), sqlx::Error> {
    sqlx::query("delete from trusted_device where account_id = $1")
        .bind(account_id)
        .execute(c)
        .await?;
    Ok(())
}
