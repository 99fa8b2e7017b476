//! Passwords, sessions and sign-in throttling.
//!
//! - Passwords are hashed with Argon2id at OWASP's parameters (19 MiB, 2 passes, 1 lane) on a
//!   blocking thread, never on the async workers.
//! - A session is a random 256-bit token in an `HttpOnly`, `SameSite=Lax` cookie; the database
//!   keeps only its SHA-256, so a copy of the database cannot be used to sign in. Sessions end
//!   after 30 minutes idle or 12 hours in all, at sign-out, and at once when the account is
//!   disabled. Signing in always starts a new session.
//! - Failed sign-ins are counted per account and per client address. Past a few free failures
//!   each one doubles the wait, up to 60 seconds: an attacker gets well under 100 tries an hour
//!   per account, and the real owner is never locked out for more than a minute.

use super::audit::{self, Actor, Event};
use super::db::{time, Db, Tx};
use crate::error::AppError;
use crate::model::account::{AccountId, CurrentUser, Password, Role};
use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use base64::Engine as _;
use chrono::{DateTime, Duration, Utc};
use sha2::{Digest, Sha256};

/// Sessions end after this long without a request.
pub const IDLE_LIMIT: Duration = Duration::minutes(30);
/// Sessions end this long after sign-in, however active.
pub const ABSOLUTE_LIMIT: Duration = Duration::hours(12);
/// How often a session's last-seen time is written (not on every request).
const TOUCH_EVERY: Duration = Duration::seconds(60);
/// Failures allowed before waiting, per account and per client address.
const FREE_PER_ACCOUNT: i64 = 3;
const FREE_PER_ADDRESS: i64 = 10;
/// The longest wait after a failure.
const MAX_WAIT_SECS: i64 = 60;
/// Failures per account per hour, from all addresses together, after which it waits the hour out.
const MAX_FAILURES_PER_HOUR: i64 = 100;

fn argon2() -> Argon2<'static> {
    let params = Params::new(19_456, 2, 1, None).expect("OWASP Argon2id parameters are valid");
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// A stored password hash (PHC string). Not `Serialize`: it never leaves the server.
#[derive(Clone)]
pub struct PasswordHashText(pub String);

/// Hashes a new password on a blocking thread.
pub async fn hash_password(password: &Password) -> Result<PasswordHashText, AppError> {
    let password = password.clone();
    tokio::task::spawn_blocking(move || {
        let salt = SaltString::generate(&mut OsRng);
        argon2()
            .hash_password(password.expose().as_bytes(), &salt)
            .map(|h| PasswordHashText(h.to_string()))
            .map_err(|e| super::internal(format!("password hashing failed: {e}")))
    })
    .await
    .map_err(super::internal)?
}

/// A hash of no real password, made once, so that checking an unknown username costs exactly
/// what checking a known one does (one Argon2 verification).
fn dummy_hash() -> &'static str {
    static DUMMY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DUMMY.get_or_init(|| {
        argon2()
            .hash_password(b"not-a-real-password", &SaltString::generate(&mut OsRng))
            .map(|h| h.to_string())
            .unwrap_or_default()
    })
}

/// Checks a typed password against a stored hash on a blocking thread. With no stored hash (an
/// unknown username) it verifies against a dummy hash, so timing does not reveal which
/// usernames exist.
pub async fn verify_password(stored: Option<PasswordHashText>, typed: Password) -> bool {
    tokio::task::spawn_blocking(move || {
        let text = match &stored {
            Some(h) => h.0.clone(),
            None => dummy_hash().to_owned(),
        };
        let ok = PasswordHash::new(&text)
            .map(|parsed| {
                argon2()
                    .verify_password(typed.expose().as_bytes(), &parsed)
                    .is_ok()
            })
            .unwrap_or(false);
        ok && stored.is_some()
    })
    .await
    .unwrap_or(false)
}

/// A session token as it travels in the cookie. Not `Serialize`, and `Debug` hides it.
#[derive(Clone, PartialEq, Eq)]
pub struct SessionToken(pub String);

impl std::fmt::Debug for SessionToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SessionToken(…)")
    }
}

impl SessionToken {
    fn generate() -> SessionToken {
        let bytes: [u8; 32] = rand::random();
        SessionToken(base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes))
    }

    /// What the database stores: the token's SHA-256 in hex.
    pub fn hash(&self) -> String {
        Sha256::digest(self.0.as_bytes())
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect()
    }
}

/// Starts a session for an account.
pub async fn create_session(
    tx: &mut Tx,
    account: AccountId,
    now: DateTime<Utc>,
) -> Result<SessionToken, sqlx::Error> {
    let token = SessionToken::generate();
    sqlx::query(
        "insert into session (session_hash, account_id, created_at, last_seen_at, expires_at) values ($1, $2, $3, $3, $4)",
    )
    .bind(token.hash())
    .bind(account.0)
    .bind(time::instant(now))
    .bind(time::instant(now + ABSOLUTE_LIMIT))
    .execute(&mut **tx)
    .await?;
    Ok(token)
}

/// Signs out: ends the session behind `token` and records it.
pub async fn sign_out(
    db: &Db,
    token: &SessionToken,
    user: Option<&CurrentUser>,
    client: Option<&str>,
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    let mut tx = db.begin().await?;
    sqlx::query("update session set ended_at = $1 where session_hash = $2 and ended_at is null")
        .bind(time::instant(now))
        .bind(token.hash())
        .execute(&mut *tx)
        .await?;
    if let Some(user) = user {
        audit::record(
            &mut tx,
            &Event {
                actor: Actor::User(user),
                action: "sign_out",
                record_type: "account",
                record_id: Some(user.account_id.0.to_string()),
                detail: String::new(),
                client_address: client.map(str::to_owned),
            },
        )
        .await?;
    }
    tx.commit().await
}

/// Ends every session of an account (disabling it, resetting its password).
pub async fn end_all_sessions(
    tx: &mut Tx,
    account: AccountId,
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    sqlx::query("update session set ended_at = $1 where account_id = $2 and ended_at is null")
        .bind(time::instant(now))
        .bind(account.0)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

#[derive(sqlx::FromRow)]
struct SessionRow {
    account_id: i64,
    last_seen_at: String,
    expires_at: String,
    username: String,
    display_name: String,
    role: String,
    hospital_id: Option<i64>,
}

/// The signed-in user a token stands for, if its session is live; keeps the session alive.
pub async fn user_for_token(
    db: &Db,
    token: &SessionToken,
    now: DateTime<Utc>,
) -> Result<Option<CurrentUser>, sqlx::Error> {
    let row: Option<SessionRow> = sqlx::query_as(
        "select s.account_id, s.last_seen_at, s.expires_at, a.username, a.display_name, a.role, a.hospital_id
         from session s join account a on a.account_id = s.account_id
         where s.session_hash = $1 and s.ended_at is null and a.disabled_at is null",
    )
    .bind(token.hash())
    .fetch_optional(db.reader())
    .await?;
    let Some(row) = row else { return Ok(None) };
    let last_seen = time::parse_instant(&row.last_seen_at)?;
    if now >= time::parse_instant(&row.expires_at)? || now - last_seen >= IDLE_LIMIT {
        return Ok(None);
    }
    if now - last_seen >= TOUCH_EVERY {
        let mut tx = db.begin().await?;
        sqlx::query("update session set last_seen_at = $1 where session_hash = $2")
            .bind(time::instant(now))
            .bind(token.hash())
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
    }
    let Some(role) = Role::from_parts(&row.role, row.hospital_id) else {
        return Ok(None);
    };
    Ok(Some(CurrentUser {
        account_id: AccountId(row.account_id),
        username: row.username,
        display_name: row.display_name,
        role,
    }))
}

/// How a sign-in attempt ended.
#[derive(Debug)]
pub enum SignIn {
    Success {
        user: CurrentUser,
        token: SessionToken,
    },
    /// Wrong username or password, or a disabled account: one answer for all three.
    Invalid,
    Throttled {
        retry_after_secs: i64,
    },
}

#[derive(sqlx::FromRow)]
struct AccountRow {
    account_id: i64,
    username: String,
    display_name: String,
    password_hash: String,
    role: String,
    hospital_id: Option<i64>,
    disabled_at: Option<String>,
}

/// The throttle keys of one attempt, with the failures each allows before waiting.
///
/// Waits grow per (account, client address), so one attacker cannot keep the owner, signing in
/// from elsewhere, locked out; per client address, so one client cannot spray many accounts;
/// and each account has a hard cap of [`MAX_FAILURES_PER_HOUR`] whatever the address.
fn keys(username: &str, client: Option<&str>) -> Vec<(String, i64)> {
    let client = client.unwrap_or("unknown");
    vec![
        (format!("pair:{username}|{client}"), FREE_PER_ACCOUNT),
        (format!("address:{client}"), FREE_PER_ADDRESS),
        (format!("account:{username}"), MAX_FAILURES_PER_HOUR),
    ]
}

/// Checks a username and password, with throttling, audit and a fresh session on success.
///
/// The attempt is counted as a failure *before* the password is checked, in a transaction that
/// holds each throttle row (SQLite's single writer, PostgreSQL's row lock), so parallel attempts
/// queue and cannot slip past the limits; a success then takes its count back.
pub async fn sign_in(
    db: &Db,
    username: &str,
    password: Password,
    client: Option<&str>,
    now: DateTime<Utc>,
) -> Result<SignIn, AppError> {
    let username = username.trim().to_ascii_lowercase();
    let keys = keys(&username, client);
    let mut tx = db.begin().await?;
    let mut wait = 0;
    for (key, _) in &keys {
        wait = wait.max(hold(&mut tx, key, now).await?);
    }
    if wait > 0 {
        tx.commit().await?;
        return Ok(SignIn::Throttled {
            retry_after_secs: wait,
        });
    }
    for (key, free) in &keys {
        count_failure(&mut tx, key, *free, now).await?;
    }
    tx.commit().await?;

    let row: Option<AccountRow> = sqlx::query_as(
        "select account_id, username, display_name, password_hash, role, hospital_id, disabled_at
         from account where username = $1",
    )
    .bind(&username)
    .fetch_optional(db.reader())
    .await?;
    let stored = row
        .as_ref()
        .map(|r| PasswordHashText(r.password_hash.clone()));
    let password_ok = verify_password(stored, password).await;
    let user = row
        .filter(|r| password_ok && r.disabled_at.is_none())
        .and_then(|r| {
            Role::from_parts(&r.role, r.hospital_id).map(|role| CurrentUser {
                account_id: AccountId(r.account_id),
                username: r.username,
                display_name: r.display_name,
                role,
            })
        });
    let mut tx = db.begin().await?;
    let outcome = match user {
        Some(user) => {
            for (key, free) in &keys {
                take_back(&mut tx, key, *free).await?;
            }
            let token = create_session(&mut tx, user.account_id, now).await?;
            audit::record(
                &mut tx,
                &Event {
                    actor: Actor::User(&user),
                    action: "sign_in",
                    record_type: "account",
                    record_id: Some(user.account_id.0.to_string()),
                    detail: String::new(),
                    client_address: client.map(str::to_owned),
                },
            )
            .await?;
            SignIn::Success { user, token }
        }
        None => {
            audit::record(
                &mut tx,
                &Event {
                    actor: Actor::Anonymous,
                    action: "sign_in_failed",
                    record_type: "account",
                    record_id: None,
                    detail: format!(
                        "username: {}",
                        username.chars().take(40).collect::<String>()
                    ),
                    client_address: client.map(str::to_owned),
                },
            )
            .await?;
            SignIn::Invalid
        }
    };
    tx.commit().await?;
    Ok(outcome)
}

/// Takes (and, on PostgreSQL, locks until commit) a throttle row, creating it when missing, and
/// returns the seconds still to wait under it.
async fn hold(tx: &mut Tx, key: &str, now: DateTime<Utc>) -> Result<i64, sqlx::Error> {
    let (blocked_until,): (Option<String>,) = sqlx::query_as(
        "insert into sign_in_throttle (throttle_key, failures, window_started_at, blocked_until, updated_at)
         values ($1, 0, $2, null, $2)
         on conflict (throttle_key) do update set updated_at = $2
         returning blocked_until",
    )
    .bind(key)
    .bind(time::instant(now))
    .fetch_one(&mut **tx)
    .await?;
    let Some(until) = blocked_until else {
        return Ok(0);
    };
    let until = time::parse_instant(&until)?;
    Ok(if until > now {
        (until - now).num_seconds().max(1)
    } else {
        0
    })
}

/// The wait after the `failures`-th failure when `free` are allowed without waiting.
pub fn backoff_secs(failures: i64, free: i64) -> i64 {
    if failures <= free {
        0
    } else if free >= MAX_FAILURES_PER_HOUR {
        // The per-account cap: once reached, wait out the rest of the hour.
        3600
    } else {
        let doubling = u32::try_from((failures - free - 1).min(10)).unwrap_or(10);
        (1i64 << doubling).min(MAX_WAIT_SECS)
    }
}

async fn count_failure(
    tx: &mut Tx,
    key: &str,
    free: i64,
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    let (failures, started): (i64, String) = sqlx::query_as(
        "select failures, window_started_at from sign_in_throttle where throttle_key = $1",
    )
    .bind(key)
    .fetch_one(&mut **tx)
    .await?;
    let (failures, window) = if now - time::parse_instant(&started)? < Duration::hours(1) {
        (failures + 1, started)
    } else {
        (1, time::instant(now))
    };
    let wait = backoff_secs(failures, free);
    let blocked_until = (wait > 0).then(|| time::instant(now + Duration::seconds(wait)));
    sqlx::query(
        "update sign_in_throttle set failures = $1, window_started_at = $2, blocked_until = $3, updated_at = $4
         where throttle_key = $5",
    )
    .bind(failures)
    .bind(window)
    .bind(blocked_until)
    .bind(time::instant(now))
    .bind(key)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Undoes the failure counted in advance for an attempt that turned out to succeed. The
/// per-(account, address) count is cleared: the owner has proved who they are.
async fn take_back(tx: &mut Tx, key: &str, free: i64) -> Result<(), sqlx::Error> {
    if key.starts_with("pair:") {
        sqlx::query("delete from sign_in_throttle where throttle_key = $1")
            .bind(key)
            .execute(&mut **tx)
            .await?;
        return Ok(());
    }
    sqlx::query(
        "update sign_in_throttle set failures = failures - 1,
           blocked_until = case when failures - 1 <= $2 then null else blocked_until end
         where throttle_key = $1 and failures > 0",
    )
    .bind(key)
    .bind(free)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn waits_start_after_the_free_failures_double_and_stop_at_a_minute() {
        assert_eq!(backoff_secs(3, 3), 0);
        assert_eq!(backoff_secs(4, 3), 1);
        assert_eq!(backoff_secs(5, 3), 2);
        assert_eq!(backoff_secs(9, 3), 32);
        assert_eq!(backoff_secs(10, 3), 60);
        assert_eq!(backoff_secs(1000, 3), 60);
        assert_eq!(backoff_secs(100, MAX_FAILURES_PER_HOUR), 0);
        assert_eq!(backoff_secs(101, MAX_FAILURES_PER_HOUR), 3600);
    }

    #[test]
    fn an_hour_of_back_off_allows_fewer_than_100_failures() {
        // Worst case for the attacker: every attempt made the moment the wait ends.
        let (mut failures, mut elapsed) = (0, 0);
        while elapsed < 3600 {
            failures += 1;
            elapsed += backoff_secs(failures, FREE_PER_ACCOUNT);
        }
        assert!(failures < 100, "{failures} failures in an hour");
    }

    #[test]
    fn tokens_are_long_random_and_stored_only_as_hashes() {
        let a = SessionToken::generate();
        let b = SessionToken::generate();
        assert_ne!(a, b);
        assert_eq!(a.0.len(), 43);
        assert_eq!(a.hash().len(), 64);
        assert_ne!(a.hash(), a.0);
        assert_eq!(format!("{a:?}"), "SessionToken(…)");
    }
}
