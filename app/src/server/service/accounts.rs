//! Account administration: create, disable or enable, reset a password, change a role, list.
//! Every change is authorised here, on the server, and written to the audit log, with the
//! caller's address, in the same transaction. Creating carries an idempotency key, so a double
//! submit makes one account.

use super::audit::{self, Actor, Event};
use super::auth::{end_all_sessions, hash_password};
use super::Caller;
use crate::error::AppError;
use crate::model::account::{
    AccountId, AccountView, Action, NewAccountInput, Password, Role, Username,
};
use crate::model::form::FieldErrors;
use crate::model::hospital::is_facility_code;
use crate::model::{HospitalId, Localized};
use crate::server::db::{self, Db, Tx};
use crate::server::idempotency::{self, Claim};
use chrono::Utc;

pub use super::require;

const PASSWORD_RULE: (&str, &str) = (
    "รหัสผ่านต้องยาว 12–128 ตัวอักษร",
    "The password must be 12 to 128 characters long.",
);
const HOSPITAL_RULE: (&str, &str) = (
    "เจ้าหน้าที่โรงพยาบาลต้องระบุรหัสหน่วยบริการ 5 หลักที่มีอยู่ในระบบ",
    "Hospital staff need the 5-digit code of a hospital in Phapa.",
);

/// A new account that passed every rule. Fields stay private: only [`parse`] builds one.
struct ValidAccount {
    username: Username,
    display_name: String,
    password: Password,
    role: Role,
}

/// What an idempotency key is compared on: the account's content without its password, so the
/// stored fingerprint reveals nothing about the password.
#[derive(serde::Serialize)]
struct Fingerprint<'a> {
    username: &'a str,
    display_name: &'a str,
    role: &'a str,
    hospital: Option<i64>,
}

async fn parse(
    db: &Db,
    input: &NewAccountInput,
    errors: &mut FieldErrors,
) -> Result<Option<ValidAccount>, AppError> {
    let username = Username::parse(&input.username).ok();
    if username.is_none() {
        errors.add(
            "username",
            "ชื่อผู้ใช้ต้องยาว 3–40 ตัว ใช้ได้เฉพาะ a–z 0–9 . _ -",
            "The username must be 3–40 characters of a–z 0–9 . _ -",
        );
    }
    let display_name = input.display_name.trim().to_owned();
    if display_name.is_empty() || display_name.chars().count() > 100 {
        errors.add(
            "display_name",
            "กรุณากรอกชื่อที่แสดง (ไม่เกิน 100 ตัวอักษร)",
            "Enter a display name (at most 100 characters).",
        );
    }
    let password = Password::parse_new(&input.password).ok();
    if password.is_none() {
        errors.add("password", PASSWORD_RULE.0, PASSWORD_RULE.1);
    }
    let role = role_of(db, &input.role, &input.hospital_code, errors).await?;
    Ok(match (username, password, role) {
        (Some(username), Some(password), Some(role)) => Some(ValidAccount {
            username,
            display_name,
            password,
            role,
        }),
        _ => None,
    })
}

/// The role a form names, refusing an unknown role or a staff member without a known hospital.
async fn role_of(
    db: &Db,
    role: &str,
    hospital_code: &str,
    errors: &mut FieldErrors,
) -> Result<Option<Role>, AppError> {
    Ok(match role {
        "administrator" => Some(Role::Administrator),
        "finance_officer" => Some(Role::FinanceOfficer),
        "hospital_staff" => {
            let code = hospital_code.trim();
            let found = if is_facility_code(code) {
                db::hospital::id_of(&mut *db.reader().acquire().await?, code).await?
            } else {
                None
            };
            if found.is_none() {
                errors.add("hospital_code", HOSPITAL_RULE.0, HOSPITAL_RULE.1);
            }
            found.map(|hospital_id| Role::HospitalStaff { hospital_id })
        }
        _ => {
            errors.add("role", "กรุณาเลือกบทบาท", "Choose a role.");
            None
        }
    })
}

/// Inserts an account with its password's hash (made before the transaction began, so the
/// writer is not held while Argon2 runs); a taken username is a 422 on that field.
async fn insert(tx: &mut Tx, account: &ValidAccount, hash: &str) -> Result<AccountId, AppError> {
    let row = db::account::NewRow {
        username: account.username.as_str(),
        display_name: &account.display_name,
        password_hash: hash,
        role: account.role.code(),
        hospital_id: account.role.hospital().map(HospitalId::get),
    };
    match db::account::insert(tx, &row).await {
        Ok(id) => Ok(AccountId(id)),
        Err(e) if db::is_unique_violation(&e, "account", "username") => Err(AppError::field(
            "username",
            "มีชื่อผู้ใช้นี้แล้ว",
            "That username is taken.",
        )),
        Err(e) => Err(e.into()),
    }
}

/// Creates an account (administrators only). A repeated request with the same idempotency key
/// answers with the account the first one made.
pub async fn create(
    db: &Db,
    caller: &Caller,
    input: &NewAccountInput,
) -> Result<AccountId, AppError> {
    let admin = caller.require(Action::ManageAccounts)?;
    let mut errors = FieldErrors::default();
    let key = errors.idempotency_key(&input.idempotency_key);
    let account = parse(db, input, &mut errors).await?;
    errors.finish()?;
    let Some(account) = account else {
        return Err(crate::server::internal(
            "a refused account had no field error",
        ));
    };
    let key = idempotency::scoped("account", &admin.account_id.0.to_string(), &key);
    let hash = idempotency::fingerprint(&Fingerprint {
        username: account.username.as_str(),
        display_name: &account.display_name,
        role: account.role.code(),
        hospital: account.role.hospital().map(HospitalId::get),
    })?;
    let password_hash = hash_password(&account.password).await?;
    let mut tx = db.begin().await?;
    if let Claim::Replay(id) = idempotency::claim(&mut tx, &key, &hash).await? {
        return Ok(id);
    }
    let id = insert(&mut tx, &account, &password_hash.0).await?;
    let detail = format!(
        "username: {}, role: {}",
        account.username.as_str(),
        account.role.code()
    );
    audit::record(
        &mut tx,
        &Event::by(caller, "account_created", "account", id.0, detail),
    )
    .await?;
    idempotency::store(&mut tx, &key, &id).await?;
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
        ..NewAccountInput::default()
    };
    let mut errors = FieldErrors::default();
    let account = parse(db, &input, &mut errors).await?;
    errors.finish()?;
    let Some(account) = account else {
        return Err(crate::server::internal(
            "a refused account had no field error",
        ));
    };
    let password_hash = hash_password(&account.password).await?;
    let mut tx = db.begin().await?;
    let id = insert(&mut tx, &account, &password_hash.0).await?;
    let event = Event {
        actor: Actor::System,
        action: "account_created",
        record_type: "account",
        record_id: Some(id.0.to_string()),
        detail: format!(
            "username: {}, role: administrator (command line)",
            account.username.as_str()
        ),
        client_address: None,
    };
    audit::record(&mut tx, &event).await?;
    tx.commit().await?;
    Ok(id)
}

/// Disables or re-enables an account; disabling ends its sessions at once.
pub async fn set_disabled(
    db: &Db,
    caller: &Caller,
    id: AccountId,
    disabled: bool,
) -> Result<(), AppError> {
    let admin = caller.require(Action::ManageAccounts)?;
    if disabled && admin.account_id == id {
        return Err(AppError::field(
            "account",
            "ปิดบัญชีของตัวเองไม่ได้",
            "You cannot disable your own account.",
        ));
    }
    let now = Utc::now();
    let mut tx = db.begin().await?;
    if !db::account::set_disabled(&mut tx, id.0, disabled, now).await? {
        return Err(AppError::NotFound);
    }
    if disabled {
        end_all_sessions(&mut tx, id, now).await?;
    }
    let (action, detail) = if disabled {
        ("account_disabled", "enabled → disabled")
    } else {
        ("account_enabled", "disabled → enabled")
    };
    audit::record(
        &mut tx,
        &Event::by(caller, action, "account", id.0, detail.into()),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Sets a new password for an account and ends its sessions. Its trusted devices are forgotten
/// too: whoever held the old password may also hold one of them.
pub async fn reset_password(
    db: &Db,
    caller: &Caller,
    id: AccountId,
    password: &str,
) -> Result<(), AppError> {
    caller.require(Action::ManageAccounts)?;
    let password = Password::parse_new(password)
        .map_err(|_| AppError::field("password", PASSWORD_RULE.0, PASSWORD_RULE.1))?;
    let hash = hash_password(&password).await?;
    let now = Utc::now();
    let mut tx = db.begin().await?;
    if !db::account::set_password_hash(&mut tx, id.0, &hash.0, now).await? {
        return Err(AppError::NotFound);
    }
    end_all_sessions(&mut tx, id, now).await?;
    db::session::forget_devices_of(&mut tx, id.0).await?;
    let detail = "password replaced; sessions ended; devices forgotten".to_owned();
    audit::record(
        &mut tx,
        &Event::by(caller, "password_reset", "account", id.0, detail),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Gives an account another role (and, for hospital staff, hospital); ends its sessions so the
/// new permissions apply from its next sign-in.
pub async fn set_role(
    db: &Db,
    caller: &Caller,
    id: AccountId,
    role: &str,
    hospital_code: &str,
) -> Result<(), AppError> {
    let admin = caller.require(Action::ManageAccounts)?;
    let mut errors = FieldErrors::default();
    let role = role_of(db, role, hospital_code, &mut errors).await?;
    errors.finish()?;
    let Some(role) = role else {
        return Err(crate::server::internal("a refused role had no field error"));
    };
    if admin.account_id == id && role != Role::Administrator {
        return Err(AppError::field(
            "role",
            "เปลี่ยนบทบาทของตัวเองไม่ได้",
            "You cannot change your own role.",
        ));
    }
    let now = Utc::now();
    let mut tx = db.begin().await?;
    let Some((old_role, old_hospital)) = db::account::role_of(&mut tx, id.0).await? else {
        return Err(AppError::NotFound);
    };
    let new_hospital = role.hospital().map(HospitalId::get);
    db::account::set_role(&mut tx, id.0, role.code(), new_hospital, now).await?;
    end_all_sessions(&mut tx, id, now).await?;
    let hospital = |h: Option<i64>| h.map(|h| format!(" (hospital {h})")).unwrap_or_default();
    let detail = format!(
        "{old_role}{} → {}{}",
        hospital(old_hospital),
        role.code(),
        hospital(new_hospital)
    );
    audit::record(
        &mut tx,
        &Event::by(caller, "role_changed", "account", id.0, detail),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Every account, by username (administrators only).
pub async fn list(db: &Db, caller: &Caller) -> Result<Vec<AccountView>, AppError> {
    caller.require(Action::ManageAccounts)?;
    let rows = db::account::all(&mut *db.reader().acquire().await?).await?;
    Ok(rows
        .into_iter()
        .filter_map(|r| {
            Some(AccountView {
                id: AccountId(r.account_id),
                role: Role::from_parts(&r.role, r.hospital_id)?,
                username: r.username,
                display_name: r.display_name,
                hospital: r.facility_code.map(|c| {
                    let name = Localized::new(
                        r.name_th.unwrap_or_default(),
                        r.name_en.unwrap_or_default(),
                    );
                    (c, name)
                }),
                disabled: r.disabled_at.is_some(),
            })
        })
        .collect())
}
