//! Accounts, roles, and the one place that decides who may do what.
//!
//! Donors never need an account: every [`Action`] here is for a signed-in person, so an anonymous
//! caller (`None`) is always told to sign in. Hospital staff carry their hospital in their role,
//! so a check against another hospital's id fails here, on the server, whatever the request says.

use super::{HospitalId, Lang};
use serde::{Deserialize, Serialize};
use std::fmt;

/// An account's id.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct AccountId(pub i64);

/// What an account may do, in the organisation's terms.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Role {
    /// Manages accounts, hospitals, the equipment catalog, partners and campaigns.
    Administrator,
    /// Handles money: donations, receipts, purchases, reconciliation; decides requests.
    FinanceOfficer,
    /// Speaks for exactly one hospital.
    HospitalStaff { hospital_id: HospitalId },
}

impl Role {
    /// The code stored in the `account.role` column.
    pub fn code(self) -> &'static str {
        match self {
            Role::Administrator => "administrator",
            Role::FinanceOfficer => "finance_officer",
            Role::HospitalStaff { .. } => "hospital_staff",
        }
    }

    /// Rebuilds a role from its stored code and hospital column.
    pub fn from_parts(code: &str, hospital_id: Option<i64>) -> Option<Role> {
        match (code, hospital_id) {
            ("administrator", None) => Some(Role::Administrator),
            ("finance_officer", None) => Some(Role::FinanceOfficer),
            ("hospital_staff", Some(id)) => Some(Role::HospitalStaff {
                hospital_id: HospitalId(id),
            }),
            _ => None,
        }
    }

    /// The hospital this role is tied to, if any.
    pub fn hospital(self) -> Option<HospitalId> {
        match self {
            Role::HospitalStaff { hospital_id } => Some(hospital_id),
            _ => None,
        }
    }

    /// The role's name for people.
    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            Role::Administrator => lang.pick("ผู้ดูแลระบบ", "Administrator"),
            Role::FinanceOfficer => lang.pick("เจ้าหน้าที่การเงิน", "Finance officer"),
            Role::HospitalStaff { .. } => lang.pick("เจ้าหน้าที่โรงพยาบาล", "Hospital staff"),
        }
    }
}

/// The signed-in person making a request.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CurrentUser {
    pub account_id: AccountId,
    pub username: String,
    pub display_name: String,
    pub role: Role,
}

/// Everything that needs permission. Hospital-scoped actions name the hospital acted for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Action {
    ManageAccounts,
    ManageHospitals,
    ManageCatalog,
    ManagePartners,
    ManageCampaigns,
    /// Close a campaign to donations (administrators and finance officers).
    CloseCampaign,
    ViewAuditLog,
    RecordDonation,
    VoidReceipt,
    DecideRequest,
    /// Record, approve (the second person) and void purchases from a campaign's fund.
    Purchase,
    /// Receive purchases and gifts in kind into stock, allocate, dispatch, mark a unit's
    /// condition.
    ManageStock,
    /// Import bank statements, match their credits to donations, settle a campaign.
    Reconcile,
    ViewHospitalInternals(HospitalId),
    RequestEquipment(HospitalId),
    ConfirmDelivery(HospitalId),
    /// Run a hospital's lending: its waiting list, loans, cleaning, repair and passing units on
    /// (that hospital's staff only: the records name borrowers by the hospital's own codes).
    LendEquipment(HospitalId),
}

/// Why an action was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Denied {
    /// Nobody is signed in (HTTP 401).
    SignInRequired,
    /// Signed in, but this role may not (HTTP 403).
    Forbidden,
}

/// Decides whether `user` may do `action`. The only place where permissions are written.
pub fn authorize(user: Option<&CurrentUser>, action: Action) -> Result<(), Denied> {
    use Action::*;
    let Some(user) = user else {
        return Err(Denied::SignInRequired);
    };
    let allowed = match (user.role, action) {
        (
            Role::Administrator,
            ManageAccounts
            | ManageHospitals
            | ManageCatalog
            | ManagePartners
            | ManageCampaigns
            | CloseCampaign
            | ViewAuditLog
            | ViewHospitalInternals(_),
        ) => true,
        (
            Role::FinanceOfficer,
            CloseCampaign
            | ViewAuditLog
            | RecordDonation
            | VoidReceipt
            | DecideRequest
            | Purchase
            | ManageStock
            | Reconcile
            | ViewHospitalInternals(_),
        ) => true,
        (
            Role::HospitalStaff { hospital_id },
            ViewHospitalInternals(h) | RequestEquipment(h) | ConfirmDelivery(h) | LendEquipment(h),
        ) => hospital_id == h,
        _ => false,
    };
    if allowed {
        Ok(())
    } else {
        Err(Denied::Forbidden)
    }
}

/// A username: 3–40 characters of `a–z 0–9 . _ -`, stored lower-case.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Username(String);

impl Username {
    pub fn parse(text: &str) -> Result<Username, &'static str> {
        let name = text.trim().to_ascii_lowercase();
        let len = name.chars().count();
        if !(3..=40).contains(&len) {
            return Err("length");
        }
        if !name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || ".-_".contains(c))
        {
            return Err("characters");
        }
        Ok(Username(name))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A new password as typed: 12 to 128 characters. Not `Serialize`, and `Debug` hides it.
#[derive(Clone, PartialEq, Eq)]
pub struct Password(String);

impl Password {
    /// The length rule for new passwords (sign-in accepts whatever was typed).
    pub fn parse_new(text: &str) -> Result<Password, &'static str> {
        let len = text.chars().count();
        if len < 12 {
            Err("too_short")
        } else if len > 128 {
            Err("too_long")
        } else {
            Ok(Password(text.to_owned()))
        }
    }

    /// A password typed at sign-in, checked only against its hash.
    pub fn typed(text: &str) -> Password {
        Password(text.chars().take(1024).collect())
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Password {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Password(…)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Action::*;

    fn user(role: Role) -> CurrentUser {
        CurrentUser {
            account_id: AccountId(1),
            username: "u".into(),
            display_name: "U".into(),
            role,
        }
    }

    const A: HospitalId = HospitalId(1);
    const B: HospitalId = HospitalId(2);

    #[test]
    fn anonymous_callers_must_sign_in_for_everything() {
        for action in [
            ManageAccounts,
            ViewAuditLog,
            RecordDonation,
            ViewHospitalInternals(A),
        ] {
            assert_eq!(authorize(None, action), Err(Denied::SignInRequired));
        }
    }

    #[test]
    fn staff_act_only_for_their_own_hospital_and_never_decide_or_touch_money() {
        let staff = user(Role::HospitalStaff { hospital_id: A });
        for action in [
            ViewHospitalInternals(A),
            RequestEquipment(A),
            ConfirmDelivery(A),
        ] {
            assert_eq!(authorize(Some(&staff), action), Ok(()));
        }
        for action in [
            ViewHospitalInternals(B),
            RequestEquipment(B),
            ConfirmDelivery(B),
            DecideRequest,
            Purchase,
            ManageStock,
            Reconcile,
            RecordDonation,
            VoidReceipt,
            ManageAccounts,
            ViewAuditLog,
        ] {
            assert_eq!(
                authorize(Some(&staff), action),
                Err(Denied::Forbidden),
                "{action:?}"
            );
        }
    }

    #[test]
    fn finance_handles_money_and_administrators_manage_people_and_reference_data() {
        let finance = user(Role::FinanceOfficer);
        let admin = user(Role::Administrator);
        assert_eq!(authorize(Some(&finance), RecordDonation), Ok(()));
        assert_eq!(
            authorize(Some(&finance), ManageAccounts),
            Err(Denied::Forbidden)
        );
        assert_eq!(
            authorize(Some(&finance), RequestEquipment(A)),
            Err(Denied::Forbidden)
        );
        assert_eq!(authorize(Some(&admin), ManageAccounts), Ok(()));
        assert_eq!(
            authorize(Some(&admin), RecordDonation),
            Err(Denied::Forbidden)
        );
        assert_eq!(authorize(Some(&admin), ViewAuditLog), Ok(()));
        assert_eq!(authorize(Some(&finance), ViewAuditLog), Ok(()));
        assert_eq!(authorize(Some(&finance), Purchase), Ok(()));
        assert_eq!(authorize(Some(&finance), ManageStock), Ok(()));
        assert_eq!(authorize(Some(&finance), Reconcile), Ok(()));
        assert_eq!(authorize(Some(&admin), Reconcile), Err(Denied::Forbidden));
        assert_eq!(
            authorize(Some(&finance), ConfirmDelivery(A)),
            Err(Denied::Forbidden)
        );
        assert_eq!(authorize(Some(&admin), Purchase), Err(Denied::Forbidden));
        assert_eq!(
            authorize(Some(&admin), ConfirmDelivery(A)),
            Err(Denied::Forbidden)
        );
    }

    #[test]
    fn roles_round_trip_through_storage_and_staff_need_a_hospital() {
        for role in [
            Role::Administrator,
            Role::FinanceOfficer,
            Role::HospitalStaff { hospital_id: A },
        ] {
            assert_eq!(
                Role::from_parts(role.code(), role.hospital().map(HospitalId::get)),
                Some(role)
            );
        }
        assert_eq!(Role::from_parts("hospital_staff", None), None);
        assert_eq!(Role::from_parts("administrator", Some(1)), None);
    }

    #[test]
    fn usernames_and_passwords_follow_their_rules() {
        assert_eq!(
            Username::parse(" Demo-Admin ").unwrap().as_str(),
            "demo-admin"
        );
        assert!(Username::parse("ab").is_err());
        assert!(Username::parse("สมชาย").is_err());
        assert!(Password::parse_new("short").is_err());
        assert!(Password::parse_new(&"x".repeat(129)).is_err());
        assert!(Password::parse_new("phapa-demo-password").is_ok());
        assert_eq!(format!("{:?}", Password::typed("secret")), "Password(…)");
    }
}

/// An account as administrators see it (never with its password hash).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountView {
    pub id: AccountId,
    pub username: String,
    pub display_name: String,
    pub role: Role,
    /// Facility code and name of a staff member's hospital.
    pub hospital: Option<(String, super::Localized)>,
    pub disabled: bool,
}

/// The account-creation form as typed.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewAccountInput {
    pub username: String,
    pub display_name: String,
    pub password: String,
    /// `administrator`, `finance_officer` or `hospital_staff`.
    pub role: String,
    /// The 5-digit facility code, for hospital staff.
    #[serde(default)]
    pub hospital_code: String,
    /// Sent with the form, so a double submit creates one account.
    #[serde(default)]
    pub idempotency_key: String,
}

/// The accounts page: every account, and a fresh idempotency key for the new-account form.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountList {
    pub accounts: Vec<AccountView>,
    pub form_key: String,
}
