//! The rules that touch storage. Each service function reads the same way: authorize the
//! [`Caller`] → parse the input into valid types → begin → `db` calls → audit → commit. Services
//! take their dependencies as arguments (the database, the caller) and never reach into the
//! request, so tests call them directly.
//!
//! Arrows run one way: `api` → `service` → `db` → `model`.

pub mod accounts;
pub mod audit;
pub mod auth;
pub mod batches;
pub mod campaigns;
pub mod catalog;
pub mod donation_view;
pub mod donations;
pub mod exports;
pub mod hospitals;
pub mod idempotency;
pub mod ledger;
pub mod loans;
pub mod partners;
pub mod purchases;
pub mod receipts;
pub mod requests;
pub mod settlement;
pub mod statements;
pub mod stock;
pub mod trace;
pub mod worklist;

use crate::error::AppError;
use crate::model::account::{authorize, Action, CurrentUser, Denied};

/// Who is calling: the signed-in user, if any, and the client's address as the server worked it
/// out (recorded in the audit log beside every change).
#[derive(Clone, Debug, Default)]
pub struct Caller {
    user: Option<CurrentUser>,
    address: Option<String>,
}

impl Caller {
    /// A caller from the request's user and address.
    pub fn new(user: Option<CurrentUser>, address: Option<String>) -> Caller {
        Caller { user, address }
    }

    /// Someone not signed in, from an unknown address.
    pub fn anonymous() -> Caller {
        Caller::default()
    }

    /// A signed-in user with no known address (tests, command-line tools).
    pub fn signed_in(user: &CurrentUser) -> Caller {
        Caller::new(Some(user.clone()), None)
    }

    /// The same caller at `address`.
    pub fn at(mut self, address: &str) -> Caller {
        self.address = Some(address.to_owned());
        self
    }

    /// The signed-in user, if any.
    pub fn user(&self) -> Option<&CurrentUser> {
        self.user.as_ref()
    }

    /// The client's address, if known.
    pub fn address(&self) -> Option<&str> {
        self.address.as_deref()
    }

    /// The signed-in user when they may do `action`; 401 for nobody, 403 for the wrong role.
    pub fn require(&self, action: Action) -> Result<&CurrentUser, AppError> {
        require(self.user(), action)?;
        self.user().ok_or(AppError::Unauthorized)
    }
}

/// Turns authorisation refusals into HTTP errors: 401 without an account, 403 with the wrong one.
pub fn require(user: Option<&CurrentUser>, action: Action) -> Result<(), AppError> {
    authorize(user, action).map_err(|denied| match denied {
        Denied::SignInRequired => AppError::Unauthorized,
        Denied::Forbidden => AppError::Forbidden,
    })
}
