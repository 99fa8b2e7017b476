//! Account administration: create, disable or enable, reset a password, list. Every change is
//! authorised here, on the server, and written to the audit log in the same transaction.

use super::audit::{self, Actor, Event};
use super::auth::{end_all_sessions, hash_password};
use super::db::{time, Db, Tx};
use crate::error::{AppError, FieldError};
use crate::model::account::{
    AccountId, AccountView, Action, CurrentUser, NewAccountInput, Password, Role, Username,
};
use crate::model::hospital::is_facility_code;
use crate::model::{HospitalId, Localized};
use chrono::Utc;

pub use super::service::require;

struct ValidAccount {
    username: Username,
    display_name: String,
    password: Password,
    role: Role,
}

async fn validate(db: &Db, input: &NewAccountInput) -> Result<ValidAccount, AppError> {
    let mut errors = Vec::new();
    let username = Username::parse(&input.username).map_err(|_| {
        errors.push(FieldError::new(
            "username",
            "ชื่อผู้ใช้ต้องยาว 3–40 ตัว ใช้ได้เฉพาะ a–z 0–9 . _ -",
            "The username must be 3–40 characters of a–z 0–9 . _ -",
        ))
    });
    let display_name = input.display_name.trim().to_owned();
    if display_name.is_empty() || display_name.chars().count() > 100 {
        errors.push(FieldError::new(
            "display_name",
            "กรุณากรอกชื่อที่แสดง (ไม่เกิน 100 ตัวอักษร)",
            "Enter a display name (at most 100 characters).",
        ));
    }
    let password = Password::parse_new(&input.password).map_err(|_| {
        errors.push(FieldError::new(
            "password",
            "รหัสผ่านต้องยาว 12–128 ตัวอักษร",
            "The password must be 12 to 128 characters long.",
        ))
    });
    let role = match input.role.as_str() {
        "administrator" => Some(Role::Administrator),
        "finance_officer" => Some(Role::FinanceOfficer),
        "hospital_staff" => match hospital_by_code(db, &input.hospital_code).await? {
            Some(hospital_id) => Some(Role::HospitalStaff { hospital_id }),
            None => {
                errors.push(FieldError::new(
                    "hospital_code",
                    "เจ้าหน้าที่โรงพยาบาลต้องระบุรหัสหน่วยบริการ 5 หลักที่มีอยู่ในระบบ",
                    "Hospital staff need the 5-digit code of a hospital in Phapa.",
                ));
                None
            }
        },
        _ => {
            errors.push(FieldError::new("role", "กรุณาเลือกบทบาท", "Choose a role."));
            None
        }
    };
    match (username, password, role, errors.is_empty()) {
        (Ok(username), Ok(password), Some(role), true) => Ok(ValidAccount {
            username,
            display_name,
            password,
            role,
        }),
        _ => Err(AppError::Validation(errors)),
    }
}

async fn hospital_by_code(db: &Db, code: &str) -> Result<Option<HospitalId>, AppError> {
    let code = code.trim();
    if !is_facility_code(code) {
        return Ok(None);
    }
    Ok(super::db::hospital::id_of(db, code).await?)
}

/// Inserts an account; the caller has authorised and validated.
async fn insert(
    tx: &mut Tx,
    account: &ValidAccount,
    hash: &str,
) -> Result<Result<AccountId, AppError>, sqlx::Error> {
    let now = time::now();
    let inserted: Result<(i64,), sqlx::Error> = sqlx::query_as(
        "insert into account (username, display_name, password_hash, role, hospital_id, created_at, updated_at)
         values ($1, $2, $3, $4, $5, $6, $6) returning account_id",
    )
    .bind(account.username.as_str())
    .bind(&account.display_name)
    .bind(hash)
    .bind(account.role.code())
    .bind(account.role.hospital().map(HospitalId::get))
    .bind(&now)
    .fetch_one(&mut **tx)
    .await;
    match inserted {
        Ok((id,)) => Ok(Ok(AccountId(id))),
        Err(sqlx::Error::Database(e)) if e.is_unique_violation() => {
            Ok(Err(AppError::Validation(vec![FieldError::new(
                "username",
                "มีชื่อผู้ใช้นี้แล้ว",
                "That username is taken.",
            )])))
        }
        Err(e) => Err(e),
    }
}

/// Creates an account (administrators only).
pub async fn create(
    db: &Db,
    actor: Option<&CurrentUser>,
    input: &NewAccountInput,
) -> Result<AccountId, AppError> {
    require(actor, Action::ManageAccounts)?;
    let account = validate(db, input).await?;
    let hash = hash_password(&account.password).await?;
    let mut tx = db.begin().await?;
    let id = match insert(&mut tx, &account, &hash.0).await? {
        Ok(id) => id,
        Err(e) => return Err(e),
    };
    let event = Event {
        actor: actor.map_or(Actor::System, Actor::User),
        action: "account_created",
        record_type: "account",
        record_id: Some(id.0.to_string()),
        detail: format!(
            "username: {}, role: {}",
            account.username.as_str(),
            account.role.code()
        ),
        client_address: None,
    };
    audit::record(&mut tx, &event).await?;
    tx.commit().await?;
    Ok(id)
}

/// Creates the first administrator from the command line (no signed-in actor; audited as system).
pub async fn create_first_admin(
    db: &Db,
    username: &str,
    display_name: &str,
    password: &str,
) -> Result<AccountId, AppError> {
    let input = NewAccountInput {
        username: username.to_owned(),
        display_name: display_name.to_owned(),
        password: password.to_owned(),
        role: "administrator".to_owned(),
        hospital_code: String::new(),
    };
    let account = validate(db, &input).await?;
    let hash = hash_password(&account.password).await?;
    let mut tx = db.begin().await?;
    let id = insert(&mut tx, &account, &hash.0).await??;
    audit::record(
        &mut tx,
        &Event {
            actor: Actor::System,
            action: "account_created",
            record_type: "account",
            record_id: Some(id.0.to_string()),
            detail: format!(
                "username: {}, role: administrator (command line)",
                account.username.as_str()
            ),
            client_address: None,
        },
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// Disables or re-enables an account; disabling ends its sessions at once.
pub async fn set_disabled(
    db: &Db,
    actor: Option<&CurrentUser>,
    id: AccountId,
    disabled: bool,
) -> Result<(), AppError> {
    require(actor, Action::ManageAccounts)?;
    if disabled && actor.is_some_and(|a| a.account_id == id) {
        return Err(AppError::field(
            "account",
            "ปิดบัญชีของตัวเองไม่ได้",
            "You cannot disable your own account.",
        ));
    }
    let now = Utc::now();
    let mut tx = db.begin().await?;
    let changed =
        sqlx::query("update account set disabled_at = $1, updated_at = $2 where account_id = $3")
            .bind(disabled.then(|| time::instant(now)))
            .bind(time::instant(now))
            .bind(id.0)
            .execute(&mut *tx)
            .await?;
    if changed.rows_affected() == 0 {
        return Err(AppError::NotFound);
    }
    if disabled {
        end_all_sessions(&mut tx, id, now).await?;
    }
    let event = Event {
        actor: actor.map_or(Actor::System, Actor::User),
        action: if disabled {
            "account_disabled"
        } else {
            "account_enabled"
        },
        record_type: "account",
        record_id: Some(id.0.to_string()),
        detail: if disabled {
            "enabled → disabled".into()
        } else {
            "disabled → enabled".into()
        },
        client_address: None,
    };
    audit::record(&mut tx, &event).await?;
    tx.commit().await?;
    Ok(())
}

/// Sets a new password for an account and ends its sessions.
pub async fn reset_password(
    db: &Db,
    actor: Option<&CurrentUser>,
    id: AccountId,
    password: &str,
) -> Result<(), AppError> {
    require(actor, Action::ManageAccounts)?;
    let password = Password::parse_new(password).map_err(|_| {
        AppError::field(
            "password",
            "รหัสผ่านต้องยาว 12–128 ตัวอักษร",
            "The password must be 12 to 128 characters long.",
        )
    })?;
    let hash = hash_password(&password).await?;
    let now = Utc::now();
    let mut tx = db.begin().await?;
    let changed =
        sqlx::query("update account set password_hash = $1, updated_at = $2 where account_id = $3")
            .bind(&hash.0)
            .bind(time::instant(now))
            .bind(id.0)
            .execute(&mut *tx)
            .await?;
    if changed.rows_affected() == 0 {
        return Err(AppError::NotFound);
    }
    end_all_sessions(&mut tx, id, now).await?;
    let event = Event {
        actor: actor.map_or(Actor::System, Actor::User),
        action: "password_reset",
        record_type: "account",
        record_id: Some(id.0.to_string()),
        detail: "password replaced; sessions ended".into(),
        client_address: None,
    };
    audit::record(&mut tx, &event).await?;
    tx.commit().await?;
    Ok(())
}

/// Gives an account another role (and, for hospital staff, hospital); ends its sessions so the
/// new permissions apply from its next sign-in.
pub async fn set_role(
    db: &Db,
    actor: Option<&CurrentUser>,
    id: AccountId,
    role: &str,
    hospital_code: &str,
) -> Result<(), AppError> {
    require(actor, Action::ManageAccounts)?;
    let role = match role {
        "administrator" => Role::Administrator,
        "finance_officer" => Role::FinanceOfficer,
        "hospital_staff" => match hospital_by_code(db, hospital_code).await? {
            Some(hospital_id) => Role::HospitalStaff { hospital_id },
            None => {
                return Err(AppError::field(
                    "hospital_code",
                    "เจ้าหน้าที่โรงพยาบาลต้องระบุรหัสหน่วยบริการ 5 หลักที่มีอยู่ในระบบ",
                    "Hospital staff need the 5-digit code of a hospital in Phapa.",
                ))
            }
        },
        _ => return Err(AppError::field("role", "กรุณาเลือกบทบาท", "Choose a role.")),
    };
    if actor.is_some_and(|a| a.account_id == id) && role != Role::Administrator {
        return Err(AppError::field(
            "role",
            "เปลี่ยนบทบาทของตัวเองไม่ได้",
            "You cannot change your own role.",
        ));
    }
    let now = Utc::now();
    let mut tx = db.begin().await?;
    let before: Option<(String, Option<i64>)> =
        sqlx::query_as("select role, hospital_id from account where account_id = $1")
            .bind(id.0)
            .fetch_optional(&mut *tx)
            .await?;
    let Some((old_role, old_hospital)) = before else {
        return Err(AppError::NotFound);
    };
    sqlx::query(
        "update account set role = $1, hospital_id = $2, updated_at = $3 where account_id = $4",
    )
    .bind(role.code())
    .bind(role.hospital().map(HospitalId::get))
    .bind(time::instant(now))
    .bind(id.0)
    .execute(&mut *tx)
    .await?;
    end_all_sessions(&mut tx, id, now).await?;
    let hospital = |h: Option<i64>| h.map(|h| format!(" (hospital {h})")).unwrap_or_default();
    let event = Event {
        actor: actor.map_or(Actor::System, Actor::User),
        action: "role_changed",
        record_type: "account",
        record_id: Some(id.0.to_string()),
        detail: format!(
            "{old_role}{} → {}{}",
            hospital(old_hospital),
            role.code(),
            hospital(role.hospital().map(HospitalId::get))
        ),
        client_address: None,
    };
    audit::record(&mut tx, &event).await?;
    tx.commit().await?;
    Ok(())
}

/// Every account, by username (administrators only).
pub async fn list(db: &Db, actor: Option<&CurrentUser>) -> Result<Vec<AccountView>, AppError> {
    require(actor, Action::ManageAccounts)?;
    let rows: Vec<AccountRow> = sqlx::query_as(
        "select a.account_id, a.username, a.display_name, a.role, a.hospital_id, a.disabled_at,
           h.facility_code, h.name_th, h.name_en
         from account a left join hospital h on h.hospital_id = a.hospital_id order by a.username",
    )
    .fetch_all(db.reader())
    .await?;
    Ok(rows
        .into_iter()
        .filter_map(|r| {
            Some(AccountView {
                id: AccountId(r.account_id),
                role: Role::from_parts(&r.role, r.hospital_id)?,
                username: r.username,
                display_name: r.display_name,
                hospital: r.facility_code.map(|c| {
                    (
                        c,
                        Localized::new(
                            r.name_th.unwrap_or_default(),
                            r.name_en.unwrap_or_default(),
                        ),
                    )
                }),
                disabled: r.disabled_at.is_some(),
            })
        })
        .collect())
}

#[derive(sqlx::FromRow)]
struct AccountRow {
    account_id: i64,
    username: String,
    display_name: String,
    role: String,
    hospital_id: Option<i64>,
    disabled_at: Option<String>,
    facility_code: Option<String>,
    name_th: Option<String>,
    name_en: Option<String>,
}
