//! Who is signed in, and account administration (administrators only).

use crate::error::AppError;
use crate::model::account::{AccountId, AccountList, CurrentUser, NewAccountInput};
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::server::{accounts, call_as};

/// The signed-in user, or `None`. Public: it only ever reveals the caller to themselves.
#[server(prefix = "/api", endpoint = "session/current")]
pub async fn current_account() -> Result<Option<CurrentUser>, AppError> {
    Ok(crate::server::current_user())
}

/// Every account, with a fresh idempotency key for the new-account form.
#[server(prefix = "/api", endpoint = "accounts/list")]
pub async fn list_accounts() -> Result<AccountList, AppError> {
    call_as(|db, caller| async move {
        Ok(AccountList {
            accounts: accounts::list(&db, &caller).await?,
            form_key: crate::server::idempotency::form_key(),
        })
    })
    .await
}

/// Creates an account; field errors come back as a 422, a repeated key replays the first answer.
#[server(prefix = "/api", endpoint = "accounts/create")]
pub async fn create_account(input: NewAccountInput) -> Result<AccountId, AppError> {
    call_as(|db, caller| async move { accounts::create(&db, &caller, &input).await }).await
}

/// Disables (ending its sessions) or re-enables an account.
#[server(prefix = "/api", endpoint = "accounts/set-disabled")]
pub async fn set_account_disabled(id: AccountId, disabled: bool) -> Result<(), AppError> {
    call_as(|db, caller| async move { accounts::set_disabled(&db, &caller, id, disabled).await })
        .await
}

/// Gives an account another role and hospital; its sessions end.
#[server(prefix = "/api", endpoint = "accounts/set-role")]
pub async fn set_account_role(
    id: AccountId,
    role: String,
    #[server(default)] hospital_code: String,
) -> Result<(), AppError> {
    call_as(|db, caller| async move {
        accounts::set_role(&db, &caller, id, &role, &hospital_code).await
    })
    .await
}

/// Gives an account a new password and ends its sessions.
#[server(prefix = "/api", endpoint = "accounts/reset-password")]
pub async fn reset_account_password(id: AccountId, password: String) -> Result<(), AppError> {
    call_as(|db, caller| async move { accounts::reset_password(&db, &caller, id, &password).await })
        .await
}
