//! Account rows: the queries behind sign-in and account administration.

use super::time;
use crate::model::account::{AccountId, CurrentUser, Role};
use chrono::{DateTime, Utc};
use sqlx::AnyConnection;

/// What sign-in needs of an account.
#[derive(sqlx::FromRow)]
pub struct Credentials {
    pub account_id: i64,
    pub username: String,
    pub display_name: String,
    pub password_hash: String,
    pub role: String,
    pub hospital_id: Option<i64>,
    pub disabled_at: Option<String>,
}

impl Credentials {
    /// The account as a signed-in user; `None` when its stored role is not known.
    pub fn user(&self) -> Option<CurrentUser> {
        Some(CurrentUser {
            account_id: AccountId(self.account_id),
            username: self.username.clone(),
            display_name: self.display_name.clone(),
            role: Role::from_parts(&self.role, self.hospital_id)?,
        })
    }
}

/// An account with its hospital, as administrators list them.
#[derive(sqlx::FromRow)]
pub struct Listed {
    pub account_id: i64,
    pub username: String,
    pub display_name: String,
    pub role: String,
    pub hospital_id: Option<i64>,
    pub disabled_at: Option<String>,
    pub facility_code: Option<String>,
    pub name_th: Option<String>,
    pub name_en: Option<String>,
}

/// A new account as stored.
pub struct NewRow<'a> {
    pub username: &'a str,
    pub display_name: &'a str,
    pub password_hash: &'a str,
    pub role: &'a str,
    pub hospital_id: Option<i64>,
}

/// The account behind a (lower-case) username.
pub async fn credentials(
    c: &mut AnyConnection,
    username: &str,
) -> Result<Option<Credentials>, sqlx::Error> {
    sqlx::query_as(
        "select account_id, username, display_name, password_hash, role, hospital_id, disabled_at
         from account where username = $1",
    )
    .bind(username)
    .fetch_optional(c)
    .await
}

/// Inserts an account. A taken username is the unique violation of `account (username)`.
pub async fn insert(c: &mut AnyConnection, row: &NewRow<'_>) -> Result<i64, sqlx::Error> {
    let (id,): (i64,) = sqlx::query_as(
        "insert into account (username, display_name, password_hash, role, hospital_id, created_at, updated_at)
         values ($1, $2, $3, $4, $5, $6, $6) returning account_id",
    )
    .bind(row.username)
    .bind(row.display_name)
    .bind(row.password_hash)
    .bind(row.role)
    .bind(row.hospital_id)
    .bind(time::now())
    .fetch_one(c)
    .await?;
    Ok(id)
}

/// Disables (at `now`) or re-enables an account; whether it exists.
pub async fn set_disabled(
    c: &mut AnyConnection,
    id: i64,
    disabled: bool,
    now: DateTime<Utc>,
) -> Result<bool, sqlx::Error> {
    let changed =
        sqlx::query("update account set disabled_at = $1, updated_at = $2 where account_id = $3")
            .bind(disabled.then(|| time::instant(now)))
            .bind(time::instant(now))
            .bind(id)
            .execute(c)
            .await?;
    Ok(changed.rows_affected() == 1)
}

/// Replaces an account's password hash; whether it exists.
pub async fn set_password_hash(
    c: &mut AnyConnection,
    id: i64,
    hash: &str,
    now: DateTime<Utc>,
) -> Result<bool, sqlx::Error> {
    let changed =
        sqlx::query("update account set password_hash = $1, updated_at = $2 where account_id = $3")
            .bind(hash)
            .bind(time::instant(now))
            .bind(id)
            .execute(c)
            .await?;
    Ok(changed.rows_affected() == 1)
}

/// An account's role code and hospital, if it exists.
pub async fn role_of(
    c: &mut AnyConnection,
    id: i64,
) -> Result<Option<(String, Option<i64>)>, sqlx::Error> {
    sqlx::query_as("select role, hospital_id from account where account_id = $1")
        .bind(id)
        .fetch_optional(c)
        .await
}

/// Gives an account another role and hospital.
pub async fn set_role(
    c: &mut AnyConnection,
    id: i64,
    role: &str,
    hospital_id: Option<i64>,
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "update account set role = $1, hospital_id = $2, updated_at = $3 where account_id = $4",
    )
    .bind(role)
    .bind(hospital_id)
    .bind(time::instant(now))
    .bind(id)
    .execute(c)
    .await?;
    Ok(())
}

/// Every account with its hospital, by username.
pub async fn all(c: &mut AnyConnection) -> Result<Vec<Listed>, sqlx::Error> {
    sqlx::query_as(
        "select a.account_id, a.username, a.display_name, a.role, a.hospital_id, a.disabled_at,
           h.facility_code, h.name_th, h.name_en
         from account a left join hospital h on h.hospital_id = a.hospital_id order by a.username",
    )
    .fetch_all(c)
    .await
}
