//! Loans to patients' homes, the waiting list, and a unit's care, with the counters the public
//! figures are read from. Every change of a loan, an entry or a unit's care is a conditional
//! update guarded by the state it leaves, so two staff members acting on one unit at once cannot
//! both succeed; the caller writes the `care_event` in the same transaction.
//!
//! The writes are here; the desk, register and public reads in `reads`, and `check-ledger`'s
//! recount in `checks`.

mod checks;
mod reads;

pub use checks::*;
pub use reads::*;

use crate::model::account::AccountId;
use crate::model::loan::{CareState, PatientGroup, Urgency, WaitingStatus};
use crate::model::{CampaignId, HospitalId, LoanId, UnitId, WaitingId};
use crate::server::db::time;
use sqlx::AnyConnection;

/// A waiting-list entry as stored.
#[derive(sqlx::FromRow)]
pub struct WaitingRecord {
    pub loan_waiting_id: i64,
    pub hospital_id: i64,
    pub equipment_item_id: i64,
    pub borrower_code: String,
    pub status: String,
    pub listed_on: String,
}

/// A loan as stored.
#[derive(sqlx::FromRow)]
pub struct LoanRecord {
    pub loan_id: i64,
    pub hospital_id: i64,
    pub equipment_unit_id: i64,
    pub campaign_id: i64,
    pub borrower_code: String,
    pub out_on: String,
    pub out_day: i64,
    pub due_on: String,
    pub status: String,
    pub asset_tag: String,
    pub item_code: String,
}

impl LoanRecord {
    pub fn id(&self) -> LoanId {
        LoanId(self.loan_id)
    }
    pub fn unit(&self) -> UnitId {
        UnitId(self.equipment_unit_id)
    }
    pub fn hospital(&self) -> HospitalId {
        HospitalId(self.hospital_id)
    }
}

/// Adds an entry to a hospital's waiting list.
#[allow(clippy::too_many_arguments)]
pub async fn add_waiting(
    c: &mut AnyConnection,
    hospital: HospitalId,
    item: i64,
    group: PatientGroup,
    urgency: Urgency,
    rank: i64,
    code: &str,
    note: Option<&str>,
    listed_on: &str,
    by: AccountId,
) -> Result<WaitingId, sqlx::Error> {
    let now = time::now();
    let (id,): (i64,) = sqlx::query_as(
        "insert into loan_waiting (hospital_id, equipment_item_id, patient_group, urgency, rank,
           borrower_code, note, status, listed_on, created_by, created_at, updated_at)
         values ($1, $2, $3, $4, $5, $6, $7, 'waiting', $8, $9, $10, $10) returning loan_waiting_id",
    )
    .bind(hospital.get())
    .bind(item)
    .bind(group.code())
    .bind(urgency.code())
    .bind(rank)
    .bind(code)
    .bind(note)
    .bind(listed_on)
    .bind(by.0)
    .bind(now)
    .fetch_one(c)
    .await?;
    Ok(WaitingId(id))
}

pub async fn waiting(
    c: &mut AnyConnection,
    id: WaitingId,
) -> Result<Option<WaitingRecord>, sqlx::Error> {
    sqlx::query_as(
        "select loan_waiting_id, hospital_id, equipment_item_id, borrower_code, status, listed_on
         from loan_waiting where loan_waiting_id = $1",
    )
    .bind(id.get())
    .fetch_optional(c)
    .await
}

/// Closes a waiting entry (served by a loan, or cancelled with a reason); false when it was
/// no longer waiting.
pub async fn close_waiting(
    c: &mut AnyConnection,
    id: WaitingId,
    to: WaitingStatus,
    on: &str,
    wait_days: i64,
    loan: Option<LoanId>,
    reason: Option<&str>,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "update loan_waiting set status = $1, closed_on = $2, wait_days = $3, loan_id = $4,
           cancel_reason = $5, updated_at = $6
         where loan_waiting_id = $7 and status = 'waiting'",
    )
    .bind(to.code())
    .bind(on)
    .bind(wait_days)
    .bind(loan.map(LoanId::get))
    .bind(reason)
    .bind(time::now())
    .bind(id.get())
    .execute(c)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// A new loan's stored fields.
pub struct NewLoan<'a> {
    pub hospital: HospitalId,
    pub unit: UnitId,
    pub campaign: CampaignId,
    pub waiting: Option<WaitingId>,
    pub code: &'a str,
    pub note: Option<&'a str>,
    pub out_on: &'a str,
    pub out_day: i64,
    pub due_on: &'a str,
    pub handover: &'a str,
    pub accessories: &'a str,
    pub by: AccountId,
}

/// Opens a loan. The unique index on open loans per unit refuses a second one (the racing
/// lend's error is a unique violation, turned into a 409 by the service).
pub async fn open(c: &mut AnyConnection, l: &NewLoan<'_>) -> Result<LoanId, sqlx::Error> {
    let now = time::now();
    let (id,): (i64,) = sqlx::query_as(
        "insert into loan (hospital_id, equipment_unit_id, campaign_id, loan_waiting_id,
           borrower_code, note, out_on, out_day, due_on, condition_out, accessories_out, status,
           created_by, created_at, updated_at)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, 'out', $12, $13, $13)
         returning loan_id",
    )
    .bind(l.hospital.get())
    .bind(l.unit.get())
    .bind(l.campaign.get())
    .bind(l.waiting.map(WaitingId::get))
    .bind(l.code)
    .bind(l.note)
    .bind(l.out_on)
    .bind(l.out_day)
    .bind(l.due_on)
    .bind(l.handover)
    .bind(l.accessories)
    .bind(l.by.0)
    .bind(now)
    .fetch_one(c)
    .await?;
    Ok(LoanId(id))
}

pub async fn loan(c: &mut AnyConnection, id: LoanId) -> Result<Option<LoanRecord>, sqlx::Error> {
    sqlx::query_as(
        "select l.loan_id, l.hospital_id, l.equipment_unit_id, l.campaign_id, l.borrower_code,
           l.out_on, l.out_day, l.due_on, l.status, u.asset_tag, i.code as item_code
         from loan l join equipment_unit u on u.equipment_unit_id = l.equipment_unit_id
         join equipment_item i on i.equipment_item_id = u.equipment_item_id
         where l.loan_id = $1",
    )
    .bind(id.get())
    .fetch_optional(c)
    .await
}

/// Moves an open loan's due date; false when it is no longer out.
pub async fn renew(c: &mut AnyConnection, id: LoanId, due_on: &str) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "update loan set due_on = $1, renewals = renewals + 1, updated_at = $2
         where loan_id = $3 and status = 'out'",
    )
    .bind(due_on)
    .bind(time::now())
    .bind(id.get())
    .execute(c)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Ends an open loan; false when it already ended.
pub async fn close(
    c: &mut AnyConnection,
    id: LoanId,
    on: &str,
    days: i64,
    condition: &str,
    accessories: &str,
    reason: &str,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "update loan set status = 'returned', returned_on = $1, days = $2, condition_back = $3,
           accessories_back = $4, end_reason = $5, updated_at = $6
         where loan_id = $7 and status = 'out'",
    )
    .bind(on)
    .bind(days)
    .bind(condition)
    .bind(accessories)
    .bind(reason)
    .bind(time::now())
    .bind(id.get())
    .execute(c)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Moves a received unit of `hospital` from one care state to another; false when it was not
/// in `from` there (moved meanwhile, or not that hospital's).
pub async fn set_care(
    c: &mut AnyConnection,
    unit: UnitId,
    hospital: HospitalId,
    from: CareState,
    to: CareState,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "update equipment_unit set care = $1, updated_at = $2
         where equipment_unit_id = $3 and hospital_id = $4 and status = 'received' and care = $5",
    )
    .bind(to.code())
    .bind(time::now())
    .bind(unit.get())
    .bind(hospital.get())
    .bind(from.code())
    .execute(c)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Whether this unit was lent to this borrower of this hospital before (then it is not a new
/// home for it; codes are each hospital's own, so equal codes of two hospitals are two homes).
pub async fn unit_served(
    c: &mut AnyConnection,
    unit: UnitId,
    hospital: HospitalId,
    code: &str,
) -> Result<bool, sqlx::Error> {
    let (n,): (i64,) = sqlx::query_as(
        "select count(*) from loan where equipment_unit_id = $1 and hospital_id = $2
         and borrower_code = $3",
    )
    .bind(unit.get())
    .bind(hospital.get())
    .bind(code)
    .fetch_one(c)
    .await?;
    Ok(n > 0)
}

/// Takes the hospital's row lock for the rest of the transaction (PostgreSQL; on SQLite the one
/// writer already serialises), so its lends count new homes one at a time.
pub async fn lock_hospital(c: &mut AnyConnection, hospital: HospitalId) -> Result<(), sqlx::Error> {
    sqlx::query("update hospital set loans_open = loans_open where hospital_id = $1")
        .bind(hospital.get())
        .execute(c)
        .await?;
    Ok(())
}

/// Whether the hospital lent anything to this borrower between two dates (inclusive).
pub async fn hospital_served(
    c: &mut AnyConnection,
    hospital: HospitalId,
    code: &str,
    from: &str,
    to: &str,
) -> Result<bool, sqlx::Error> {
    let (n,): (i64,) = sqlx::query_as(
        "select count(*) from loan where hospital_id = $1 and borrower_code = $2
         and out_on >= $3 and out_on <= $4",
    )
    .bind(hospital.get())
    .bind(code)
    .bind(from)
    .bind(to)
    .fetch_one(c)
    .await?;
    Ok(n > 0)
}

/// The counters a loan's start moves: the unit's homes, the campaign's homes and open loans,
/// the hospital's loans out and its fiscal year's homes and loans.
#[allow(clippy::too_many_arguments)]
pub async fn count_lent(
    c: &mut AnyConnection,
    unit: UnitId,
    campaign: CampaignId,
    hospital: HospitalId,
    fiscal_year: i32,
    out_day: i64,
    new_to_unit: bool,
    new_to_year: bool,
) -> Result<(), sqlx::Error> {
    let home = i64::from(new_to_unit);
    sqlx::query(
        "update equipment_unit set homes_served = homes_served + $1 where equipment_unit_id = $2",
    )
    .bind(home)
    .bind(unit.get())
    .execute(&mut *c)
    .await?;
    sqlx::query(
        "update campaign_fund set homes_served = homes_served + $1, loans_open = loans_open + 1,
           loans_open_day_sum = loans_open_day_sum + $2 where campaign_id = $3",
    )
    .bind(home)
    .bind(out_day)
    .bind(campaign.get())
    .execute(&mut *c)
    .await?;
    sqlx::query("update hospital set loans_open = loans_open + 1 where hospital_id = $1")
        .bind(hospital.get())
        .execute(&mut *c)
        .await?;
    sqlx::query(
        "insert into hospital_loan_year (hospital_id, fiscal_year, homes_served, loans)
         values ($1, $2, $3, 1)
         on conflict (hospital_id, fiscal_year) do update
           set homes_served = hospital_loan_year.homes_served + $3, loans = hospital_loan_year.loans + 1",
    )
    .bind(hospital.get())
    .bind(i64::from(fiscal_year))
    .bind(i64::from(new_to_year))
    .execute(c)
    .await?;
    Ok(())
}

/// The counters a loan's end moves.
pub async fn count_returned(
    c: &mut AnyConnection,
    unit: UnitId,
    campaign: CampaignId,
    hospital: HospitalId,
    out_day: i64,
    days: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "update equipment_unit set home_days = home_days + $1 where equipment_unit_id = $2",
    )
    .bind(days)
    .bind(unit.get())
    .execute(&mut *c)
    .await?;
    sqlx::query(
        "update campaign_fund set home_days = home_days + $1, loans_open = loans_open - 1,
           loans_open_day_sum = loans_open_day_sum - $2 where campaign_id = $3",
    )
    .bind(days)
    .bind(out_day)
    .bind(campaign.get())
    .execute(&mut *c)
    .await?;
    sqlx::query("update hospital set loans_open = loans_open - 1 where hospital_id = $1")
        .bind(hospital.get())
        .execute(c)
        .await?;
    Ok(())
}

/// One step of a unit's care or loan, appended.
pub struct CareEvent<'a> {
    pub unit: UnitId,
    pub hospital: HospitalId,
    pub loan: Option<LoanId>,
    pub kind: &'a str,
    pub on: &'a str,
    pub due_on: Option<&'a str>,
    pub outcome: Option<&'a str>,
    pub place: Option<&'a str>,
    pub cost_satang: Option<i64>,
    pub note: Option<&'a str>,
    pub by: AccountId,
}

impl<'a> CareEvent<'a> {
    /// An event with no details beyond its kind and date.
    pub fn new(
        unit: UnitId,
        hospital: HospitalId,
        kind: &'a str,
        on: &'a str,
        by: AccountId,
    ) -> Self {
        CareEvent {
            unit,
            hospital,
            loan: None,
            kind,
            on,
            due_on: None,
            outcome: None,
            place: None,
            cost_satang: None,
            note: None,
            by,
        }
    }
}

pub async fn event(c: &mut AnyConnection, e: &CareEvent<'_>) -> Result<(), sqlx::Error> {
    sqlx::query(
        "insert into care_event (equipment_unit_id, hospital_id, loan_id, kind, on_date, due_on,
           outcome, place, cost_satang, note, account_id, created_at)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
    )
    .bind(e.unit.get())
    .bind(e.hospital.get())
    .bind(e.loan.map(LoanId::get))
    .bind(e.kind)
    .bind(e.on)
    .bind(e.due_on)
    .bind(e.outcome)
    .bind(e.place)
    .bind(e.cost_satang)
    .bind(e.note)
    .bind(e.by.0)
    .bind(time::now())
    .execute(c)
    .await?;
    Ok(())
}

/// The date of a unit's last care step (or its loan's), to keep dates in order.
pub async fn last_event_on(
    c: &mut AnyConnection,
    unit: UnitId,
) -> Result<Option<String>, sqlx::Error> {
    let row: Option<(Option<String>,)> =
        sqlx::query_as("select max(on_date) from care_event where equipment_unit_id = $1")
            .bind(unit.get())
            .fetch_optional(c)
            .await?;
    Ok(row.and_then(|(d,)| d))
}

/// Records maintenance done on a date.
pub async fn maintained(c: &mut AnyConnection, unit: UnitId, on: &str) -> Result<(), sqlx::Error> {
    sqlx::query("update equipment_unit set maintained_on = $1, updated_at = $2 where equipment_unit_id = $3")
        .bind(on)
        .bind(time::now())
        .bind(unit.get())
        .execute(c)
        .await?;
    Ok(())
}

/// Starts passing a ready unit to another hospital; false when it was not ready at `from`.
pub async fn pass(
    c: &mut AnyConnection,
    unit: UnitId,
    from: HospitalId,
    to: HospitalId,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "update equipment_unit set care = 'passing', passing_to = $1, updated_at = $2
         where equipment_unit_id = $3 and hospital_id = $4 and status = 'received' and care = 'ready'",
    )
    .bind(to.get())
    .bind(time::now())
    .bind(unit.get())
    .bind(from.get())
    .execute(c)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// The receiving hospital takes a passing unit (it becomes theirs, ready) or refuses it (it stays
/// with the sender, ready); false when it was not passing to `to`.
pub async fn answer_pass(
    c: &mut AnyConnection,
    unit: UnitId,
    to: HospitalId,
    accept: bool,
) -> Result<bool, sqlx::Error> {
    let sql = if accept {
        "update equipment_unit set care = 'ready', hospital_id = passing_to, passing_to = null,
           updated_at = $1
         where equipment_unit_id = $2 and passing_to = $3 and care = 'passing'"
    } else {
        "update equipment_unit set care = 'ready', passing_to = null, updated_at = $1
         where equipment_unit_id = $2 and passing_to = $3 and care = 'passing'"
    };
    let done = sqlx::query(sql)
        .bind(time::now())
        .bind(unit.get())
        .bind(to.get())
        .execute(c)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// Sets a hospital's default loan length.
pub async fn set_loan_days(
    c: &mut AnyConnection,
    hospital: HospitalId,
    days: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query("update hospital set loan_days = $1 where hospital_id = $2")
        .bind(days)
        .bind(hospital.get())
        .execute(c)
        .await?;
    Ok(())
}

/// A hospital's default loan length.
pub async fn loan_days(c: &mut AnyConnection, hospital: HospitalId) -> Result<i64, sqlx::Error> {
    let (d,): (i64,) = sqlx::query_as("select loan_days from hospital where hospital_id = $1")
        .bind(hospital.get())
        .fetch_one(c)
        .await?;
    Ok(d)
}

/// The kind of a unit's last care step.
pub async fn last_kind(c: &mut AnyConnection, unit: UnitId) -> Result<Option<String>, sqlx::Error> {
    let row: Option<(String,)> = sqlx::query_as(
        "select kind from care_event where equipment_unit_id = $1 order by care_event_id desc limit 1",
    )
    .bind(unit.get())
    .fetch_optional(c)
    .await?;
    Ok(row.map(|(k,)| k))
}
