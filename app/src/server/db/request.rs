//! Equipment request rows and their append-only events. Every change of a request's row happens
//! here, each with its event in the same transaction.
//!
//! Just over 400 lines: one table and its events, kept together so every change of a request and
//! its event are written in one place.

use super::time;
use crate::model::account::AccountId;
use crate::model::request::{Need, NewRequest, RequestEvent, RequestTerms, RequestView};
use crate::model::status::{Priority, RequestStatus};
use crate::model::{CampaignId, EquipmentItemId, HospitalId, Localized, RequestId};
use sqlx::AnyConnection;

/// A request as stored, joined with the names it shows.
#[derive(sqlx::FromRow)]
pub struct RequestRow {
    pub equipment_request_id: i64,
    pub campaign_id: i64,
    pub campaign_title_th: String,
    pub campaign_title_en: Option<String>,
    pub hospital_id: i64,
    pub facility_code: String,
    pub hospital_th: String,
    pub hospital_en: Option<String>,
    pub district_code: i64,
    pub district_th: String,
    pub district_en: String,
    pub equipment_item_id: i64,
    pub item_th: String,
    pub item_en: String,
    pub unit_th: String,
    pub unit_en: String,
    pub quantity: i64,
    pub approved_quantity: Option<i64>,
    pub fulfilled_quantity: i64,
    pub patients_homebound: i64,
    pub patients_bedbound: i64,
    pub patients_end_of_life: i64,
    pub units_held: i64,
    pub reason: String,
    pub priority: String,
    pub status: String,
    pub decision_note: Option<String>,
    pub requested_by: i64,
    pub created_at: String,
    pub updated_at: String,
}

impl RequestRow {
    pub fn id(&self) -> RequestId {
        RequestId(self.equipment_request_id)
    }
    pub fn hospital(&self) -> HospitalId {
        HospitalId(self.hospital_id)
    }
    pub fn status(&self) -> Result<RequestStatus, sqlx::Error> {
        RequestStatus::from_code(&self.status).ok_or_else(|| bad("status", &self.status))
    }

    /// The view, without its history.
    pub fn view(self) -> Result<RequestView, sqlx::Error> {
        Ok(RequestView {
            id: self.id(),
            campaign_id: CampaignId(self.campaign_id),
            campaign_title: Localized {
                th: self.campaign_title_th,
                en: self.campaign_title_en,
            },
            hospital_id: HospitalId(self.hospital_id),
            facility_code: self.facility_code,
            hospital: Localized {
                th: self.hospital_th,
                en: self.hospital_en,
            },
            district_code: self.district_code,
            district: Localized::new(&self.district_th, &self.district_en),
            item_id: EquipmentItemId(self.equipment_item_id),
            item: Localized::new(&self.item_th, &self.item_en),
            unit: Localized::new(&self.unit_th, &self.unit_en),
            quantity: self.quantity,
            approved_quantity: self.approved_quantity,
            fulfilled_quantity: self.fulfilled_quantity,
            need: Need {
                homebound: self.patients_homebound,
                bedbound: self.patients_bedbound,
                end_of_life: self.patients_end_of_life,
                units_held: self.units_held,
            },
            reason: self.reason,
            priority: Priority::from_code(&self.priority)
                .ok_or_else(|| bad("priority", &self.priority))?,
            status: RequestStatus::from_code(&self.status)
                .ok_or_else(|| bad("status", &self.status))?,
            decision_note: self.decision_note,
            created_at: time::parse_instant(&self.created_at)?,
            updated_at: time::parse_instant(&self.updated_at)?,
            version: self.updated_at,
            events: Vec::new(),
        })
    }
}

fn bad(what: &str, value: &str) -> sqlx::Error {
    sqlx::Error::Decode(format!("stored request {what} {value:?} is not known").into())
}

const SELECT: &str =
    "select r.equipment_request_id, r.campaign_id, c.title_th as campaign_title_th,
    c.title_en as campaign_title_en, r.hospital_id, h.facility_code, h.name_th as hospital_th,
    h.name_en as hospital_en, d.district_code, d.name_th as district_th, d.name_en as district_en,
    r.equipment_item_id, i.name_th as item_th, i.name_en as item_en, i.unit_th, i.unit_en,
    r.quantity, r.approved_quantity, r.fulfilled_quantity, r.patients_homebound,
    r.patients_bedbound, r.patients_end_of_life, r.units_held, r.reason, r.priority, r.status,
    (select e.note from equipment_request_event e
      where e.equipment_request_id = r.equipment_request_id and e.kind in ('approved', 'rejected')
      order by e.equipment_request_event_id desc limit 1) as decision_note,
    r.requested_by, r.created_at, r.updated_at
    from equipment_request r
    join campaign c on c.campaign_id = r.campaign_id
    join hospital h on h.hospital_id = r.hospital_id
    join subdistrict s on s.subdistrict_code = h.subdistrict_code
    join district d on d.district_code = s.district_code
    join equipment_item i on i.equipment_item_id = r.equipment_item_id";

/// Locks a request's row for the rest of the transaction (a no-op write; SQLite's single writer
/// already serializes).
pub async fn lock(c: &mut AnyConnection, id: RequestId) -> Result<(), sqlx::Error> {
    sqlx::query(
        "update equipment_request set updated_at = updated_at where equipment_request_id = $1",
    )
    .bind(id.get())
    .execute(c)
    .await?;
    Ok(())
}

/// A request.
pub async fn by_id(
    c: &mut AnyConnection,
    id: RequestId,
) -> Result<Option<RequestRow>, sqlx::Error> {
    sqlx::query_as(&format!("{SELECT} where r.equipment_request_id = $1"))
        .bind(id.get())
        .fetch_optional(c)
        .await
}

/// A hospital's requests, newest first.
pub async fn of_hospital(
    c: &mut AnyConnection,
    hospital: HospitalId,
) -> Result<Vec<RequestRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "{SELECT} where r.hospital_id = $1 order by r.equipment_request_id desc limit 200"
    ))
    .bind(hospital.get())
    .fetch_all(c)
    .await
}

/// A campaign's requests waiting for a decision or for equipment, oldest first (the service
/// orders them for the queue).
pub async fn open_of_campaign(
    c: &mut AnyConnection,
    campaign: CampaignId,
) -> Result<Vec<RequestRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "{SELECT} where r.campaign_id = $1 and r.status in ('submitted', 'approved', 'partly_fulfilled')
         order by r.equipment_request_id limit 1000"
    ))
    .bind(campaign.get())
    .fetch_all(c)
    .await
}

/// Whether `campaign` serves `hospital`.
pub async fn campaign_serves(
    c: &mut AnyConnection,
    campaign: CampaignId,
    hospital: HospitalId,
) -> Result<bool, sqlx::Error> {
    let found: Option<(i64,)> = sqlx::query_as(
        "select 1 from campaign_hospital where campaign_id = $1 and hospital_id = $2",
    )
    .bind(campaign.get())
    .bind(hospital.get())
    .fetch_optional(c)
    .await?;
    Ok(found.is_some())
}

/// A request's stored `updated_at` (its version), read inside a write transaction.
pub async fn version(c: &mut AnyConnection, id: RequestId) -> Result<String, sqlx::Error> {
    let (version,): (String,) =
        sqlx::query_as("select updated_at from equipment_request where equipment_request_id = $1")
            .bind(id.get())
            .fetch_one(c)
            .await?;
    Ok(version)
}

/// Whether the catalog has `item`.
pub async fn item_exists(
    c: &mut AnyConnection,
    item: EquipmentItemId,
) -> Result<bool, sqlx::Error> {
    let found: Option<(i64,)> =
        sqlx::query_as("select 1 from equipment_item where equipment_item_id = $1")
            .bind(item.get())
            .fetch_optional(c)
            .await?;
    Ok(found.is_some())
}

/// A query with a request's changeable terms bound in the order of [`TERMS`].
type Query<'q> = sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>>;

/// The columns of a request's changeable terms, in binding order.
const TERMS: &str = "quantity, patients_homebound, patients_bedbound, patients_end_of_life,
    units_held, reason, priority";

fn bind_terms<'q>(query: Query<'q>, t: &'q RequestTerms) -> Query<'q> {
    let need = t.need();
    query
        .bind(t.quantity())
        .bind(need.homebound)
        .bind(need.bedbound)
        .bind(need.end_of_life)
        .bind(need.units_held)
        .bind(t.reason())
        .bind(t.priority().code())
}

/// Stores a submitted request and its first event.
pub async fn insert(
    c: &mut AnyConnection,
    r: &NewRequest,
    by: AccountId,
) -> Result<RequestId, sqlx::Error> {
    use sqlx::Row;
    let now = time::now();
    let sql = format!(
        "insert into equipment_request ({TERMS}, campaign_id, hospital_id, equipment_item_id,
         status, requested_by, created_at, updated_at)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 'submitted', $11, $12, $12)
         returning equipment_request_id"
    );
    let row = bind_terms(sqlx::query(&sql), r.terms())
        .bind(r.campaign().get())
        .bind(r.hospital().get())
        .bind(r.item().get())
        .bind(by.0)
        .bind(&now)
        .fetch_one(&mut *c)
        .await?;
    let id = RequestId(row.try_get(0)?);
    let e = Event::new("submitted", RequestStatus::Submitted, by).terms(r.terms())?;
    event(c, id, e).await?;
    Ok(id)
}

/// Changes a submitted request's terms; `false` when it is no longer submitted.
pub async fn edit(
    c: &mut AnyConnection,
    id: RequestId,
    t: &RequestTerms,
    by: AccountId,
) -> Result<bool, sqlx::Error> {
    let sql = format!(
        "update equipment_request set ({TERMS}, updated_at) = ($1, $2, $3, $4, $5, $6, $7, $8)
         where equipment_request_id = $9 and status = 'submitted'"
    );
    let changed = bind_terms(sqlx::query(&sql), t)
        .bind(time::now())
        .bind(id.get())
        .execute(&mut *c)
        .await?;
    if changed.rows_affected() != 1 {
        return Ok(false);
    }
    let e = Event::new("edited", RequestStatus::Submitted, by).terms(t)?;
    event(c, id, e).await?;
    Ok(true)
}

/// Moves a submitted request to `to` (withdrawn, approved or rejected) with its event;
/// `false` when it is no longer submitted or no longer as `seen` (its `updated_at` when the
/// actor read it): someone acted first, or the hospital changed it meanwhile.
pub async fn settle(
    c: &mut AnyConnection,
    id: RequestId,
    seen: &str,
    to: RequestStatus,
    approved_quantity: Option<i64>,
    note: &str,
    by: AccountId,
) -> Result<bool, sqlx::Error> {
    let changed = sqlx::query(
        "update equipment_request set status = $1, approved_quantity = $2, updated_at = $3
         where equipment_request_id = $4 and status = 'submitted' and updated_at = $5
           and quantity >= coalesce($2, 0)",
    )
    .bind(to.code())
    .bind(approved_quantity)
    .bind(time::now())
    .bind(id.get())
    .bind(seen)
    .execute(&mut *c)
    .await?;
    if changed.rows_affected() != 1 {
        return Ok(false);
    }
    let kind = match to {
        RequestStatus::Withdrawn => "withdrawn",
        RequestStatus::Approved => "approved",
        _ => "rejected",
    };
    let mut e = Event::new(kind, to, by);
    e.quantity = approved_quantity;
    e.note = (!note.is_empty()).then_some(note);
    event(c, id, e).await?;
    Ok(true)
}

/// One change in a request's history, as written.
struct Event<'a> {
    kind: &'a str,
    status: RequestStatus,
    quantity: Option<i64>,
    note: Option<&'a str>,
    terms: Option<String>,
    by: AccountId,
}

impl<'a> Event<'a> {
    fn new(kind: &'a str, status: RequestStatus, by: AccountId) -> Self {
        Event {
            kind,
            status,
            quantity: None,
            note: None,
            terms: None,
            by,
        }
    }

    /// Records the terms as they stand after the event.
    fn terms(mut self, t: &RequestTerms) -> Result<Self, sqlx::Error> {
        self.quantity = Some(t.quantity());
        let json = serde_json::to_string(t).map_err(|e| sqlx::Error::Encode(e.into()))?;
        self.terms = Some(json);
        Ok(self)
    }
}

async fn event(c: &mut AnyConnection, id: RequestId, e: Event<'_>) -> Result<(), sqlx::Error> {
    sqlx::query(
        "insert into equipment_request_event (equipment_request_id, kind, status, quantity, note,
         terms, account_id, created_at) values ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(id.get())
    .bind(e.kind)
    .bind(e.status.code())
    .bind(e.quantity)
    .bind(e.note)
    .bind(e.terms)
    .bind(e.by.0)
    .bind(time::now())
    .execute(c)
    .await?;
    Ok(())
}

#[derive(sqlx::FromRow)]
struct EventRow {
    kind: String,
    status: String,
    quantity: Option<i64>,
    note: Option<String>,
    display_name: Option<String>,
    created_at: String,
}

/// A request's history, oldest first.
pub async fn events(
    c: &mut AnyConnection,
    id: RequestId,
) -> Result<Vec<RequestEvent>, sqlx::Error> {
    let rows: Vec<EventRow> = sqlx::query_as(
        "select e.kind, e.status, e.quantity, e.note, a.display_name, e.created_at
         from equipment_request_event e left join account a on a.account_id = e.account_id
         where e.equipment_request_id = $1 order by e.equipment_request_event_id",
    )
    .bind(id.get())
    .fetch_all(c)
    .await?;
    rows.into_iter()
        .map(|r| {
            Ok(RequestEvent {
                status: RequestStatus::from_code(&r.status)
                    .ok_or_else(|| bad("status", &r.status))?,
                kind: r.kind,
                quantity: r.quantity,
                note: r.note,
                by: r.display_name,
                at: time::parse_instant(&r.created_at)?,
            })
        })
        .collect()
}
