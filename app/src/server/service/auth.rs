//! Sign-in, sessions and trusted devices.
//!
//! - A session is a random 256-bit token in an `HttpOnly`, `SameSite=Lax` cookie; the database
//!   keeps only its SHA-256, so a copy of the database cannot be used to sign in. Sessions end
//!   after 30 minutes idle or 12 hours in all, at sign-out, and at once when the account is
//!   disabled. Signing in always starts a new session.
//! - Each successful sign-in also leaves a device cookie (another random token, stored hashed,
//!   bound to the account, long-lived). It proves nothing by itself, but an attempt that presents
//!   it skips the account-wide failure cap that strangers can exhaust (see [`throttle`]).
//! - Failed sign-ins are throttled per account, address and device ([`throttle`]); passwords are
//!   hashed with Argon2id on a bounded number of threads ([`password`]).

pub mod password;
pub mod throttle;

pub use password::{hash_password, verify_password, PasswordHashText};

use super::audit::{self, Actor, Event};
use crate::error::AppError;
use crate::model::account::{AccountId, CurrentUser, Password, Role, Username};
use crate::server::db::{self, time, Db, Tx};
use base64::Engine as _;
use chrono::{DateTime, Duration, Utc};
use sha2::{Digest, Sha256};

/// Sessions end after this long without a request.
pub const IDLE_LIMIT: Duration = Duration::minutes(30);
/// Sessions end this long after sign-in, however active.
pub const ABSOLUTE_LIMIT: Duration = Duration::hours(12);
/// A device cookie is trusted this long after the sign-in that issued it.
pub const DEVICE_LIFETIME: Duration = Duration::days(180);
/// How often a session's last-seen time is written (not on every request).
const TOUCH_EVERY: Duration = Duration::seconds(60);

/// A random token as it travels in a cookie. Not `Serialize`, and `Debug` hides it.
#[derive(Clone, PartialEq, Eq)]
pub struct SessionToken(pub String);

/// A device cookie's token: the same shape as a session token, a different purpose.
pub type DeviceToken = SessionToken;

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
    db::session::insert(tx, &token.hash(), account.0, now, now + ABSOLUTE_LIMIT).await?;
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
    // Sessions and sign-in throttles show on no public page: cached pages stay.
    let mut tx = db.begin_private().await?;
    db::session::end(&mut tx, &token.hash(), now).await?;
    if let Some(user) = user {
        audit::record(&mut tx, &account_event(user, "sign_out", client)).await?;
    }
    tx.commit().await
}

/// Ends every session of an account (disabling it, resetting its password, changing its role).
pub async fn end_all_sessions(
    tx: &mut Tx,
    account: AccountId,
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    db::session::end_all(tx, account.0, now).await
}

/// The signed-in user a token stands for, if its session is live; keeps the session alive.
pub async fn user_for_token(
    db: &Db,
    token: &SessionToken,
    now: DateTime<Utc>,
) -> Result<Option<CurrentUser>, sqlx::Error> {
    let hash = token.hash();
    let Some(row) =
        db::session::open_with_account(&mut *db.reader().acquire().await?, &hash).await?
    else {
        return Ok(None);
    };
    let last_seen = time::parse_instant(&row.last_seen_at)?;
    if now >= time::parse_instant(&row.expires_at)? || now - last_seen >= IDLE_LIMIT {
        return Ok(None);
    }
    if now - last_seen >= TOUCH_EVERY {
        // Bookkeeping only: it never queues for a busy writer, and when it cannot be written
        // (a full disk) the person stays signed in and can still read; a later request tries
        // again.
        if let Err(e) = touch(db, &hash, now).await {
            tracing::warn!(error = %e, "a session's last use could not be recorded");
        }
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

async fn touch(db: &Db, hash: &str, now: DateTime<Utc>) -> Result<(), sqlx::Error> {
    let Some(mut tx) = db.try_begin_private().await? else {
        return Ok(());
    };
    db::session::touch(&mut tx, hash, now).await?;
    tx.commit().await
}

/// How a sign-in attempt ended.
#[derive(Debug)]
pub enum SignIn {
    /// Signed in: a new session, and a new device cookie for this browser.
    Success {
        user: CurrentUser,
        token: SessionToken,
        device: DeviceToken,
    },
    /// Wrong username or password, or a disabled account: one answer for all three.
    Invalid,
    Throttled {
        retry_after_secs: i64,
    },
}

fn account_event<'a>(user: &'a CurrentUser, action: &'a str, client: Option<&str>) -> Event<'a> {
    Event {
        actor: Actor::User(user),
        action,
        record_type: "account",
        record_id: Some(user.account_id.0.to_string()),
        detail: String::new(),
        client_address: client.map(str::to_owned),
    }
}

/// Checks a username and password, with throttling, audit, a fresh session and a fresh device
/// cookie on success. `device` is the device cookie the browser presented, if any.
///
/// The attempt is counted as a failure *before* the password is checked, in a transaction that
/// holds each throttle row (SQLite's single writer, PostgreSQL's row lock), so parallel attempts
/// queue and cannot slip past the limits; a success then takes its count back.
pub async fn sign_in(
    db: &Db,
    username: &str,
    password: Password,
    client: Option<&str>,
    device: Option<&DeviceToken>,
    now: DateTime<Utc>,
) -> Result<SignIn, AppError> {
    // A name that breaks the username rules (e.g. longer than 40 characters) cannot exist: it is
    // refused like any failure, and never becomes part of a throttle key.
    let username = Username::parse(username).ok();
    let trusted_device = match (&username, device) {
        (Some(name), Some(device)) => {
            let hash = device.hash();
            let owner =
                db::session::device_username(&mut *db.reader().acquire().await?, &hash, now)
                    .await?;
            (owner.as_deref() == Some(name.as_str())).then_some(hash)
        }
        _ => None,
    };
    let keys = throttle::keys(
        username.as_ref().map(Username::as_str),
        client.unwrap_or("unknown"),
        trusted_device.as_deref(),
    );
    let mut tx = db.begin_private().await?;
    let wait = throttle::hold_all(&mut tx, &keys, now).await?;
    if wait > 0 {
        tx.commit().await?;
        return Ok(SignIn::Throttled {
            retry_after_secs: wait,
        });
    }
    throttle::count_failures(&mut tx, &keys, now).await?;
    tx.commit().await?;

    let (user, known) = match &username {
        Some(name) => check_password(db, name, password).await?,
        None => (None, None),
    };
    let mut tx = db.begin_private().await?;
    let outcome = match user {
        Some(user) => {
            throttle::take_back_all(&mut tx, &keys).await?;
            let token = create_session(&mut tx, user.account_id, now).await?;
            if let Some(old) = &trusted_device {
                db::session::forget_device(&mut tx, old, user.account_id.0, now).await?;
            }
            let device = SessionToken::generate();
            db::session::insert_device(
                &mut tx,
                &device.hash(),
                user.account_id.0,
                now,
                now + DEVICE_LIFETIME,
            )
            .await?;
            audit::record(&mut tx, &account_event(&user, "sign_in", client)).await?;
            SignIn::Success {
                user,
                token,
                device,
            }
        }
        None => {
            // What was typed is kept only when it names an account: a password typed into the
            // username box must never reach the audit log.
            let (record_id, detail) = match (known, &username) {
                (Some(id), Some(name)) => (
                    Some(id.0.to_string()),
                    format!("username: {}", name.as_str()),
                ),
                _ => (None, "no account has the username typed".to_owned()),
            };
            audit::record(
                &mut tx,
                &Event {
                    actor: Actor::Anonymous,
                    action: "sign_in_failed",
                    record_type: "account",
                    record_id,
                    detail,
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

/// The enabled account behind `username` when `password` is its password, and the id of the
/// account with that username whatever the password. Unknown usernames cost one Argon2
/// verification too, so timing does not tell which exist.
async fn check_password(
    db: &Db,
    username: &Username,
    password: Password,
) -> Result<(Option<CurrentUser>, Option<AccountId>), AppError> {
    let row =
        db::account::credentials(&mut *db.reader().acquire().await?, username.as_str()).await?;
    let stored = row
        .as_ref()
        .map(|r| PasswordHashText(r.password_hash.clone()));
    let password_ok = verify_password(stored, password).await;
    let known = row.as_ref().map(|r| AccountId(r.account_id));
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
    Ok((user, known))
}

#[cfg(test)]
mod tests {
    use super::*;

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
