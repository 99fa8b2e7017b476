//! What the loan pages read: one hospital's desk, register and month (each bounded by that
//! hospital), the counts finance sees, and the public figures, read from the counters.

use crate::model::{HospitalId, Localized};
use sqlx::AnyConnection;

/// A waiting entry on the desk: (id, item id, item th, item en, group, urgency, code, note, listed).
pub type WaitingLine = (
    i64,
    i64,
    String,
    String,
    String,
    String,
    String,
    Option<String>,
    String,
);

/// The hospital's waiting list in the order it is served.
pub async fn waiting_list(
    c: &mut AnyConnection,
    hospital: HospitalId,
) -> Result<Vec<WaitingLine>, sqlx::Error> {
    sqlx::query_as(
        "select w.loan_waiting_id, w.equipment_item_id, i.name_th, i.name_en, w.patient_group,
           w.urgency, w.borrower_code, w.note, w.listed_on
         from loan_waiting w join equipment_item i on i.equipment_item_id = w.equipment_item_id
         where w.hospital_id = $1 and w.status = 'waiting'
         order by w.rank, w.listed_on, w.loan_waiting_id",
    )
    .bind(hospital.get())
    .fetch_all(c)
    .await
}

/// An open loan on the desk.
#[derive(sqlx::FromRow)]
pub struct OpenLoan {
    pub loan_id: i64,
    pub asset_tag: String,
    pub item_th: String,
    pub item_en: String,
    pub item_code: String,
    pub borrower_code: String,
    pub note: Option<String>,
    pub out_on: String,
    pub due_on: String,
    pub renewals: i64,
    pub accessories_out: String,
    pub visit_on: Option<String>,
    pub visit_outcome: Option<String>,
}

/// The hospital's loans out, the longest overdue first.
pub async fn open_loans(
    c: &mut AnyConnection,
    hospital: HospitalId,
) -> Result<Vec<OpenLoan>, sqlx::Error> {
    sqlx::query_as(
        "select l.loan_id, u.asset_tag, i.name_th as item_th, i.name_en as item_en, i.code as item_code,
           l.borrower_code, l.note, l.out_on, l.due_on, l.renewals, l.accessories_out,
           (select max(e.on_date) from care_event e where e.loan_id = l.loan_id and e.kind = 'visited') as visit_on,
           (select e.outcome from care_event e where e.loan_id = l.loan_id and e.kind = 'visited'
              order by e.on_date desc, e.care_event_id desc limit 1) as visit_outcome
         from loan l join equipment_unit u on u.equipment_unit_id = l.equipment_unit_id
         join equipment_item i on i.equipment_item_id = u.equipment_item_id
         where l.hospital_id = $1 and l.status = 'out'
         order by l.due_on, l.loan_id",
    )
    .bind(hospital.get())
    .fetch_all(c)
    .await
}

/// A unit in a hospital's hands (or passing to it).
#[derive(sqlx::FromRow)]
pub struct HeldUnit {
    pub asset_tag: String,
    pub campaign_id: i64,
    pub equipment_item_id: i64,
    pub item_th: String,
    pub item_en: String,
    pub item_code: String,
    pub care: String,
    pub condition: String,
    pub homes_served: i64,
    pub maintenance_days: Option<i64>,
    /// The last maintenance, or the day it reached its hospital.
    pub maintained_on: Option<String>,
    pub received_at: Option<String>,
    pub other_th: Option<String>,
    pub other_en: Option<String>,
}

const HELD: &str = "select u.asset_tag, u.campaign_id, u.equipment_item_id, i.name_th as item_th,
    i.name_en as item_en, i.code as item_code, u.care, u.condition, u.homes_served,
    i.maintenance_days, u.maintained_on, u.received_at, o.name_th as other_th, o.name_en as other_en
    from equipment_unit u join equipment_item i on i.equipment_item_id = u.equipment_item_id";

/// The hospital's received units (and where each one passing away goes).
pub async fn held(
    c: &mut AnyConnection,
    hospital: HospitalId,
) -> Result<Vec<HeldUnit>, sqlx::Error> {
    sqlx::query_as(&format!(
        "{HELD} left join hospital o on o.hospital_id = u.passing_to
         where u.hospital_id = $1 and u.status = 'received' order by i.name_th, u.asset_tag"
    ))
    .bind(hospital.get())
    .fetch_all(c)
    .await
}

/// Units other hospitals are passing to this one (and where each comes from).
pub async fn incoming(
    c: &mut AnyConnection,
    hospital: HospitalId,
) -> Result<Vec<HeldUnit>, sqlx::Error> {
    sqlx::query_as(&format!(
        "{HELD} left join hospital o on o.hospital_id = u.hospital_id
         where u.passing_to = $1 and u.care = 'passing' order by u.asset_tag"
    ))
    .bind(hospital.get())
    .fetch_all(c)
    .await
}

/// The hospitals each of these campaigns serves, but this one: (campaign, code, th, en).
pub async fn pass_targets(
    c: &mut AnyConnection,
    hospital: HospitalId,
) -> Result<Vec<(i64, String, String, Option<String>)>, sqlx::Error> {
    sqlx::query_as(
        "select ch.campaign_id, h.facility_code, h.name_th, h.name_en from campaign_hospital ch
         join hospital h on h.hospital_id = ch.hospital_id
         where ch.hospital_id <> $1 and ch.campaign_id in
           (select distinct campaign_id from equipment_unit where hospital_id = $1 and status = 'received')
         order by h.name_th",
    )
    .bind(hospital.get())
    .fetch_all(c)
    .await
}

/// Whether a campaign serves a hospital.
pub async fn serves(
    c: &mut AnyConnection,
    campaign: i64,
    hospital: HospitalId,
) -> Result<bool, sqlx::Error> {
    let (n,): (i64,) = sqlx::query_as(
        "select count(*) from campaign_hospital where campaign_id = $1 and hospital_id = $2",
    )
    .bind(campaign)
    .bind(hospital.get())
    .fetch_one(c)
    .await?;
    Ok(n > 0)
}

/// Catalog items (id, th, en), for the waiting-list form.
pub async fn items(c: &mut AnyConnection) -> Result<Vec<(i64, Localized)>, sqlx::Error> {
    let rows: Vec<(i64, String, String)> = sqlx::query_as(
        "select equipment_item_id, name_th, name_en from equipment_item order by name_th",
    )
    .fetch_all(c)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(id, th, en)| (id, Localized::new(th, en)))
        .collect())
}

/// One loan of the register.
#[derive(sqlx::FromRow)]
pub struct RegisterLine {
    pub loan_id: i64,
    pub asset_tag: String,
    pub item_th: String,
    pub item_en: String,
    pub borrower_code: String,
    pub out_on: String,
    pub due_on: String,
    pub condition_out: String,
    pub accessories_out: String,
    pub renewals: i64,
    pub returned_on: Option<String>,
    pub days: Option<i64>,
    pub condition_back: Option<String>,
    pub accessories_back: Option<String>,
    pub end_reason: Option<String>,
}

/// Every loan of the hospital, newest first.
pub async fn register(
    c: &mut AnyConnection,
    hospital: HospitalId,
) -> Result<Vec<RegisterLine>, sqlx::Error> {
    sqlx::query_as(
        "select l.loan_id, u.asset_tag, i.name_th as item_th, i.name_en as item_en, l.borrower_code,
           l.out_on, l.due_on, l.condition_out, l.accessories_out, l.renewals, l.returned_on, l.days,
           l.condition_back, l.accessories_back, l.end_reason
         from loan l join equipment_unit u on u.equipment_unit_id = l.equipment_unit_id
         join equipment_item i on i.equipment_item_id = u.equipment_item_id
         where l.hospital_id = $1 order by l.out_on desc, l.loan_id desc",
    )
    .bind(hospital.get())
    .fetch_all(c)
    .await
}

/// The loans of one hospital that touch a period: (item th, item en, code, out, returned).
pub async fn loans_touching(
    c: &mut AnyConnection,
    hospital: HospitalId,
    from: &str,
    to: &str,
) -> Result<Vec<(String, String, String, String, Option<String>, String)>, sqlx::Error> {
    sqlx::query_as(
        "select i.name_th, i.name_en, l.borrower_code, l.out_on, l.returned_on, l.due_on
         from loan l join equipment_unit u on u.equipment_unit_id = l.equipment_unit_id
         join equipment_item i on i.equipment_item_id = u.equipment_item_id
         where l.hospital_id = $1 and l.out_on <= $3 and (l.returned_on is null or l.returned_on >= $2)",
    )
    .bind(hospital.get())
    .bind(from)
    .bind(to)
    .fetch_all(c)
    .await
}

/// Care steps of one hospital in a period, by kind.
pub async fn events_in(
    c: &mut AnyConnection,
    hospital: HospitalId,
    from: &str,
    to: &str,
) -> Result<Vec<(String, i64)>, sqlx::Error> {
    sqlx::query_as(
        "select kind, count(*) from care_event where hospital_id = $1 and on_date >= $2
         and on_date <= $3 group by kind",
    )
    .bind(hospital.get())
    .bind(from)
    .bind(to)
    .fetch_all(c)
    .await
}

/// Waiting entries of one hospital that touch a period: (listed on, closed on, status).
pub async fn waiting_touching(
    c: &mut AnyConnection,
    hospital: HospitalId,
    from: &str,
    to: &str,
) -> Result<Vec<(String, Option<String>, String)>, sqlx::Error> {
    sqlx::query_as(
        "select listed_on, closed_on, status from loan_waiting where hospital_id = $1
         and listed_on <= $3 and (closed_on is null or closed_on >= $2)",
    )
    .bind(hospital.get())
    .bind(from)
    .bind(to)
    .fetch_all(c)
    .await
}

/// The hospital's received units by care state.
pub async fn care_counts(
    c: &mut AnyConnection,
    hospital: HospitalId,
) -> Result<Vec<(String, i64)>, sqlx::Error> {
    sqlx::query_as(
        "select care, count(*) from equipment_unit where hospital_id = $1 and status = 'received'
         group by care",
    )
    .bind(hospital.get())
    .fetch_all(c)
    .await
}

/// The hospital's kept counters: loans out now, and the fiscal year's homes.
pub async fn counters(
    c: &mut AnyConnection,
    hospital: HospitalId,
    fiscal_year: i32,
) -> Result<(i64, i64), sqlx::Error> {
    let (open,): (i64,) = sqlx::query_as("select loans_open from hospital where hospital_id = $1")
        .bind(hospital.get())
        .fetch_one(&mut *c)
        .await?;
    let homes: Option<(i64,)> = sqlx::query_as(
        "select homes_served from hospital_loan_year where hospital_id = $1 and fiscal_year = $2",
    )
    .bind(hospital.get())
    .bind(i64::from(fiscal_year))
    .fetch_optional(c)
    .await?;
    Ok((open, homes.map_or(0, |(h,)| h)))
}

/// Per item: the households waiting now, and the waits of those served since `from`:
/// (item id, th, en, waiting now, waits joined by commas).
pub async fn waiting_by_item(
    c: &mut AnyConnection,
    hospital: HospitalId,
    from: &str,
) -> Result<Vec<(i64, String, String, String, Option<i64>)>, sqlx::Error> {
    sqlx::query_as(
        "select w.equipment_item_id, i.name_th, i.name_en, w.status, w.wait_days
         from loan_waiting w join equipment_item i on i.equipment_item_id = w.equipment_item_id
         where w.hospital_id = $1 and (w.status = 'waiting' or (w.status = 'served' and w.closed_on >= $2))
         order by i.name_th",
    )
    .bind(hospital.get())
    .bind(from)
    .fetch_all(c)
    .await
}

/// Overdue loans and waiting entries of a hospital, for finance's counts.
pub async fn overdue_and_waiting(
    c: &mut AnyConnection,
    hospital: HospitalId,
    today: &str,
) -> Result<(i64, i64), sqlx::Error> {
    let (overdue,): (i64,) = sqlx::query_as(
        "select count(*) from loan where hospital_id = $1 and status = 'out' and due_on < $2",
    )
    .bind(hospital.get())
    .bind(today)
    .fetch_one(&mut *c)
    .await?;
    let (waiting,): (i64,) = sqlx::query_as(
        "select count(*) from loan_waiting where hospital_id = $1 and status = 'waiting'",
    )
    .bind(hospital.get())
    .fetch_one(c)
    .await?;
    Ok((overdue, waiting))
}

/// A campaign's kept figures: (homes served, closed days, loans open, their start-day sum).
pub async fn campaign_figures(
    c: &mut AnyConnection,
    campaign: i64,
) -> Result<(i64, i64, i64, i64), sqlx::Error> {
    let row: Option<(i64, i64, i64, i64)> = sqlx::query_as(
        "select homes_served, home_days, loans_open, loans_open_day_sum from campaign_fund
         where campaign_id = $1",
    )
    .bind(campaign)
    .fetch_optional(c)
    .await?;
    Ok(row.unwrap_or_default())
}
