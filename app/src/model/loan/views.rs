//! What the loan pages show: the hospital's own desk and register (with borrower codes: they are
//! its own), the counts finance sees, and the public figures, where a count about patients from 1
//! to 4 is shown only as "fewer than 5".

use super::{CareState, EndReason, Handover, PatientGroup, Urgency, VisitOutcome};
use crate::model::status::UnitCondition;
use crate::model::{HospitalId, Lang, LoanId, Localized, WaitingId};
use serde::{Deserialize, Serialize};

/// Counts about patients below this are not published.
pub const SMALL: i64 = 5;

/// A count about patients as the public sees it: `None` when it is from 1 to 4, so that no
/// household can be singled out.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PatientCount(pub Option<i64>);

impl PatientCount {
    pub fn of(n: i64) -> PatientCount {
        PatientCount((n <= 0 || n >= SMALL).then_some(n.max(0)))
    }

    /// Whether the count is hidden because it is small.
    pub fn hidden(self) -> bool {
        self.0.is_none()
    }

    pub fn show(self, lang: Lang) -> String {
        match self.0 {
            Some(n) => crate::model::money::group_thousands(n as u64),
            None => lang.pick("น้อยกว่า 5", "fewer than 5").to_owned(),
        }
    }
}

/// The good the units did, for a unit, a campaign or a donation's units.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct HomeFigures {
    /// Homes a unit has been in (a unit lent twice to the same home counts once); for many
    /// units, the sum.
    pub homes_served: i64,
    /// Days in homes of the loans that have ended. An open loan's days are added when it ends:
    /// counted day by day they would tell when a unit went into a home.
    pub days_in_homes: i64,
}

/// What a hospital's public page shows of its lending.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublicLending {
    /// Received units by where they are (the count lent out is about patients). While that
    /// count is hidden, so are the others (`states_hidden`, all zero): with the total received
    /// they would give it away.
    pub states_hidden: bool,
    pub ready: i64,
    pub on_loan: PatientCount,
    pub cleaning: i64,
    pub repair: i64,
    pub passing: i64,
    pub fiscal_year: i32,
    pub homes_this_year: PatientCount,
    pub waiting: Vec<PublicWaiting>,
}

/// One item's waiting list as the public sees it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublicWaiting {
    pub item: Localized,
    pub waiting: PatientCount,
    /// The median wait of the households served in the last 365 days, in days; none when fewer
    /// than five were served.
    pub median_wait_days: Option<i64>,
}

/// The median of `values` (the lower middle for an even count); none below [`SMALL`] values.
pub fn median(mut values: Vec<i64>) -> Option<i64> {
    if (values.len() as i64) < SMALL {
        return None;
    }
    values.sort_unstable();
    Some(values[(values.len() - 1) / 2])
}

/// A waiting-list entry on the hospital's desk.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct WaitingRow {
    pub id: WaitingId,
    pub item_id: i64,
    pub item: Localized,
    pub item_code: String,
    pub group: PatientGroup,
    pub urgency: Urgency,
    pub borrower_code: String,
    pub note: Option<String>,
    pub listed_on: String,
    pub days_waiting: i64,
    /// Tags of the hospital's units of this item that are ready to lend.
    pub ready: Vec<String>,
}

/// A loan out, on the hospital's desk.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LoanRow {
    pub id: LoanId,
    pub tag: String,
    pub item: Localized,
    pub item_code: String,
    pub borrower_code: String,
    pub note: Option<String>,
    pub out_on: String,
    pub due_on: String,
    /// Days past the due date (0 when not overdue).
    pub overdue_days: i64,
    pub renewals: i64,
    pub last_visit: Option<(String, VisitOutcome)>,
    pub accessories_out: Vec<String>,
}

/// A unit the hospital holds (or that is passing to it), with what can be done next.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CareUnit {
    pub tag: String,
    pub item_id: i64,
    pub item: Localized,
    pub item_code: String,
    pub care: CareState,
    pub condition: UnitCondition,
    pub homes_served: i64,
    /// When maintenance is next due (items with an interval), `YYYY-MM-DD`.
    pub maintenance_due: Option<String>,
    /// For a unit passing between hospitals: the other hospital.
    pub other_hospital: Option<Localized>,
}

impl CareUnit {
    /// Whether its maintenance date has come.
    pub fn maintenance_due_by(&self, today: &str) -> bool {
        self.maintenance_due.as_deref().is_some_and(|d| d <= today)
    }
}

/// A hospital the unit may be passed to.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PassTarget {
    pub facility_code: String,
    pub name: Localized,
}

/// Everything a hospital's staff work with on `/staff/loans`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LoanDesk {
    pub hospital_id: HospitalId,
    pub facility_code: String,
    pub hospital: Localized,
    pub loan_days: i64,
    /// `YYYY-MM-DD`, in Bangkok.
    pub today: String,
    pub waiting: Vec<WaitingRow>,
    pub loans: Vec<LoanRow>,
    pub units: Vec<CareUnit>,
    /// Units other hospitals are passing to this one.
    pub incoming: Vec<CareUnit>,
    /// Items the waiting list may name.
    pub items: Vec<(i64, Localized)>,
    /// Per unit tag, the hospitals it may be passed to (those its campaign serves).
    pub targets: Vec<(String, Vec<PassTarget>)>,
    /// The waiting-list form's idempotency key (a double submit adds one entry).
    pub form_key: String,
}

impl LoanDesk {
    pub fn overdue(&self) -> impl Iterator<Item = &LoanRow> {
        self.loans.iter().filter(|l| l.overdue_days > 0)
    }
}

/// One loan in the hospital's register.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegisterRow {
    pub id: LoanId,
    pub tag: String,
    pub item: Localized,
    pub borrower_code: String,
    pub out_on: String,
    pub due_on: String,
    pub handover: Handover,
    pub accessories_out: String,
    pub renewals: i64,
    pub returned_on: Option<String>,
    pub days: Option<i64>,
    pub condition_back: Option<UnitCondition>,
    pub accessories_back: Option<String>,
    pub end_reason: Option<EndReason>,
}

/// A month's lending in counts only, for the district.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MonthSummary {
    pub month: String,
    pub lent: i64,
    pub returned: i64,
    pub homes: i64,
    pub out_at_end: i64,
    pub overdue_at_end: i64,
    pub listed: i64,
    pub served_from_list: i64,
    pub waiting_at_end: i64,
    pub visits: i64,
    pub cleaned: i64,
    pub repairs: i64,
    pub maintained: i64,
    /// Per item: (item, lent, returned, out at the month's end).
    pub items: Vec<(Localized, i64, i64, i64)>,
}

/// What finance officers and administrators see of a hospital's lending: counts, never codes.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LoanCounts {
    pub loans_out: i64,
    pub overdue: i64,
    pub waiting: i64,
    pub fiscal_year: i32,
    pub homes_this_year: i64,
    pub cleaning: i64,
    pub repair: i64,
}
