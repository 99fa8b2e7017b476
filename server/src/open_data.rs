//! Open data: what the public pages show, as JSON under `/api/v1/`, so that anyone (a journalist,
//! a district office, another site) can check where the money went without scraping HTML.
//!
//! - `GET /api/v1/campaigns/{id}`: the campaign's money (raised, carried in and out at settlements,
//!   spent) and its wishlist's progress.
//! - `GET /api/v1/hospitals/{facility_code}`: what a hospital has received and still asks for
//!   (never a request's patient counts).
//! - `GET /api/v1/units/{tag}`: one unit, where it is and its public history.
//! - `GET /api/v1/donations/{reference}/trace`: a received gift's share of each purchase and the
//!   units bought (no donor name or other personal data). Unknown references count against the
//!   client's look-up limit, as on the donation page.
//!
//! Every amount comes as a pair: `"total": "1500.00"` (baht, exactly two decimals) beside
//! `"total_satang": 150000`. Errors are JSON too: `{"error": "not_found", "message": {…}}`
//! with the status of [`AppError::status`] (503 with `Retry-After` when the database is down).
//! The answers are built from the same services as the pages, so the two never disagree.

use crate::AppState;
use app::error::AppError;
use app::model::equipment::{DonationTrace, PublicUnit, TraceUnit};
use app::model::hospital::is_facility_code;
use app::model::loan::{HomeFigures, PatientCount, PublicLending};
use app::model::{CampaignId, Lang, Localized, Money};
use app::server::db::{campaign as campaigns, campaign_fund, hospital as hospitals};
use app::server::service::{requests, trace};
use app::server::Db;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde_json::{json, Map, Value};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// The open-data routes.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/v1/campaigns/{id}", get(campaign))
        .route("/api/v1/hospitals/{facility_code}", get(hospital))
        .route("/api/v1/units/{tag}", get(unit))
        .route("/api/v1/donations/{reference}/trace", get(donation_trace))
}

/// `1500.00`: baht with exactly two decimals, no grouping, no currency sign.
pub fn baht(m: Money) -> String {
    let sign = if m.satang() < 0 { "-" } else { "" };
    let abs = m.satang().unsigned_abs();
    format!("{sign}{}.{:02}", abs / 100, abs % 100)
}

/// Puts `name` (baht text) and `name_satang` (whole satang) into `object`.
fn put_money(object: &mut Map<String, Value>, name: &str, m: Money) {
    object.insert(name.to_owned(), Value::String(baht(m)));
    object.insert(format!("{name}_satang"), Value::from(m.satang()));
}

/// A JSON object from `fields`, with each money pair added after them.
fn object(fields: Value, money: &[(&str, Money)]) -> Value {
    let mut map = match fields {
        Value::Object(map) => map,
        _ => Map::new(),
    };
    for (name, m) in money {
        put_money(&mut map, name, *m);
    }
    Value::Object(map)
}

async fn campaign(State(state): State<AppState>, Path(id): Path<String>) -> Response {
    let Ok(id) = id.parse::<CampaignId>() else {
        return PublicError(AppError::NotFound).into_response();
    };
    public(campaign_json(&state.db, id).await)
}

async fn campaign_json(db: &Db, id: CampaignId) -> Result<Value, AppError> {
    let mut c = db.reader().acquire().await?;
    let detail = campaigns::detail(&mut c, id, app::server::today())
        .await?
        .ok_or(AppError::NotFound)?;
    let (_, spent, _, _) = campaign_fund::balance(&mut c, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let s = &detail.summary;
    // Money moved between campaigns at settlement, in and out.
    let carried = |incoming: bool| {
        Money::from_satang(
            detail
                .carries
                .iter()
                .filter(|c| c.incoming == incoming)
                .map(|c| c.amount.satang())
                .sum(),
        )
    };
    let wishlist: Vec<Value> = detail
        .wishlist
        .iter()
        .map(|w| {
            object(
                json!({
                    "item_id": w.line.item_id,
                    "item": w.line.item,
                    "unit": w.line.unit,
                    "wanted": w.line.quantity,
                    "funded": w.funded,
                    "bought": w.bought,
                    "delivered": w.delivered,
                }),
                &[("reference_price", w.line.unit_price)],
            )
        })
        .collect();
    Ok(object(
        json!({
            "id": s.id,
            "title": s.title,
            "status": s.status.code(),
            "starts_on": s.starts_on,
            "ends_on": s.ends_on,
            "wishlist": wishlist,
            "homes": homes_json(detail.homes),
        }),
        &[
            ("goal", s.goal),
            ("raised", s.raised),
            ("carried_in", carried(true)),
            ("carried_out", carried(false)),
            ("spent", Money::from_satang(spent)),
        ],
    ))
}

async fn hospital(State(state): State<AppState>, Path(code): Path<String>) -> Response {
    public(hospital_json(&state.db, &code).await)
}

async fn hospital_json(db: &Db, code: &str) -> Result<Value, AppError> {
    if !is_facility_code(code) {
        return Err(AppError::NotFound);
    }
    let (detail, id) = {
        let mut c = db.reader().acquire().await?;
        let detail = hospitals::detail(&mut c, code)
            .await?
            .ok_or(AppError::NotFound)?;
        let id = hospitals::id_of(&mut c, code)
            .await?
            .ok_or(AppError::NotFound)?;
        (detail, id)
    };
    let received = trace::received_by(db, id).await?;
    let open = requests::public_open(db, id).await?;
    let lending =
        app::server::service::loans::public_lending(&mut *db.reader().acquire().await?, id).await?;
    let h = &detail.hospital;
    Ok(json!({
        "facility_code": h.facility_code,
        "name": h.name,
        "kind": h.kind.code(),
        "subdistrict": h.subdistrict,
        "district": h.district,
        "province": h.province,
        "is_demo": h.is_demo,
        "campaigns": detail.campaigns.iter().map(|c| json!({ "id": c.id, "title": c.title })).collect::<Vec<_>>(),
        "received": received.iter().map(|r| json!({
            "campaign_id": r.campaign_id,
            "campaign_title": r.campaign_title,
            "item": r.item,
            "unit": r.unit,
            "count": r.count,
            "tags": r.tags,
        })).collect::<Vec<_>>(),
        "open_requests": open.iter().map(|r| json!({
            "item": r.item,
            "unit": r.unit,
            "quantity": r.quantity,
            "missing": r.missing,
            "priority": r.priority.code(),
            "status": r.status.code(),
        })).collect::<Vec<_>>(),
        "lending": lending_json(&lending),
    }))
}

/// A count about patients: the number, or `null` with `<name>_fewer_than_5: true` when it is
/// from 1 to 4.
fn put_count(object: &mut Map<String, Value>, name: &str, n: PatientCount) {
    object.insert(name.to_owned(), json!(n.0));
    object.insert(format!("{name}_fewer_than_5"), json!(n.hidden()));
}

fn lending_json(l: &PublicLending) -> Value {
    let mut out = Map::new();
    // While the units in homes are fewer than 5, the other states are withheld too: with the
    // units received they would give that count away.
    if l.states_hidden {
        out.insert("units".into(), Value::Null);
    } else {
        let mut units = Map::new();
        units.insert("ready".into(), json!(l.ready));
        units.insert("on_loan".into(), json!(l.on_loan.0));
        units.insert("cleaning".into(), json!(l.cleaning));
        units.insert("repair".into(), json!(l.repair));
        units.insert("passing".into(), json!(l.passing));
        out.insert("units".into(), Value::Object(units));
    }
    out.insert("units_hidden".into(), json!(l.states_hidden));
    out.insert("fiscal_year".into(), json!(l.fiscal_year));
    put_count(&mut out, "homes_this_year", l.homes_this_year);
    put_count(&mut out, "loans_out", l.on_loan);
    let waiting: Vec<Value> = l
        .waiting
        .iter()
        .map(|w| {
            let mut m = Map::new();
            m.insert("item".into(), json!(w.item));
            put_count(&mut m, "waiting", w.waiting);
            m.insert("median_wait_days".into(), json!(w.median_wait_days));
            Value::Object(m)
        })
        .collect();
    out.insert("waiting".into(), json!(waiting));
    Value::Object(out)
}

/// Homes served and days in homes, of a unit or summed over units. Each unit's own count is
/// public, so a sum of them is not hidden; the small-number rule is for one hospital's counts.
fn homes_json(h: HomeFigures) -> Value {
    json!({ "homes_served": h.homes_served, "days_in_homes": h.days_in_homes })
}

async fn unit(State(state): State<AppState>, Path(tag): Path<String>) -> Response {
    public(trace::unit_page(&state.db, &tag).await.map(unit_json))
}

/// A hospital as a unit or a trace names it: its code (for `/api/v1/hospitals/{code}`) and name.
fn place(code: &Option<String>, name: &Option<Localized>) -> Value {
    match (code, name) {
        (Some(code), Some(name)) => json!({ "facility_code": code, "name": name }),
        _ => Value::Null,
    }
}

fn unit_json(u: PublicUnit) -> Value {
    let history: Vec<Value> = u
        .history
        .iter()
        .map(|e| json!({ "kind": e.kind, "hospital": e.hospital, "at": e.at }))
        .collect();
    object(
        json!({
            "tag": u.tag,
            "item": u.item,
            "campaign": { "id": u.campaign_id, "title": u.campaign_title },
            "origin": if u.in_kind { "in_kind" } else { "purchase" },
            "purchase_id": u.purchase_id,
            "bought_on": u.bought_on,
            "status": u.status.code(),
            "condition": u.condition.code(),
            "hospital": place(&u.facility_code, &u.hospital),
            "held_since": u.held_since,
            "care": u.care.map(|c| c.code()),
            "homes": homes_json(u.homes),
            "history": history,
        }),
        &[("price", u.price)],
    )
}

async fn donation_trace(
    State(state): State<AppState>,
    caller: app::server::Caller,
    Path(reference): Path<String>,
) -> Response {
    let client = caller.address().unwrap_or("unknown").to_owned();
    // Every request counts against the client's trace limit, cached or not.
    let limit = &state.trace_limit.0;
    if let Err(e) = limit.take(&state.db, &client).await {
        return PublicError(e).into_response();
    }
    let Some(reference) = app::server::donations::normalise_reference(&reference) else {
        if let Err(e) = state.lookups.record(&state.db, &client).await {
            tracing::warn!(error = %e, "a missed look-up could not be counted");
        }
        return PublicError(AppError::NotFound).into_response();
    };
    let generation = state.db.generation();
    if let Some(body) = state.traces.get(&reference, generation) {
        return json_body(body, true);
    }
    let traced = state
        .lookups
        .guarded(
            &state.db,
            Some(client),
            trace::donation(&state.db, &reference),
        )
        .await;
    match traced {
        Ok(t) => {
            let body = Bytes::from(trace_json(&t).to_string());
            state.traces.put(reference, generation, body.clone());
            json_body(body, false)
        }
        Err(e) => PublicError(e).into_response(),
    }
}

/// A trace as JSON; `X-Cache` says whether it was kept from an earlier request.
fn json_body(body: Bytes, kept: bool) -> Response {
    let mut response = Response::new(axum::body::Body::from(body));
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    let cache = if kept { "hit" } else { "miss" };
    headers.insert("x-cache", HeaderValue::from_static(cache));
    response
}

/// Donation traces as last computed, each with the [`Db::generation`] it was computed at: one
/// is served again only while nothing has been written since (and for at most two seconds,
/// for writes by another process), like the public pages. At most 10,000 are kept.
#[derive(Clone, Default)]
pub struct TraceCache(Arc<Mutex<HashMap<String, CachedTrace>>>);

/// A cached trace: the generation and the moment it was computed at, and its JSON body.
type CachedTrace = (u64, Instant, Bytes);

const TRACE_MAX_AGE: Duration = Duration::from_secs(2);
const TRACES_KEPT: usize = 10_000;

impl TraceCache {
    fn get(&self, reference: &str, generation: u64) -> Option<Bytes> {
        let map = self.0.lock().ok()?;
        map.get(reference)
            .filter(|(g, at, _)| *g == generation && at.elapsed() < TRACE_MAX_AGE)
            .map(|(_, _, body)| body.clone())
    }

    fn put(&self, reference: String, generation: u64, body: Bytes) {
        let Ok(mut map) = self.0.lock() else {
            return;
        };
        if map.len() >= TRACES_KEPT {
            map.retain(|_, (g, at, _)| *g == generation && at.elapsed() < TRACE_MAX_AGE);
            if map.len() >= TRACES_KEPT {
                map.clear();
            }
        }
        map.insert(reference, (generation, Instant::now(), body));
    }
}

fn trace_unit_json(u: &TraceUnit) -> Value {
    json!({
        "tag": u.tag,
        "item": u.item,
        "status": u.status.code(),
        "hospital": place(&u.facility_code, &u.hospital),
        "homes": homes_json(u.homes),
    })
}

fn trace_json(t: &DonationTrace) -> Value {
    let purchases: Vec<Value> = t
        .purchases
        .iter()
        .map(|p| {
            let items: Vec<Value> = p
                .items
                .iter()
                .map(|(item, quantity)| json!({ "item": item, "quantity": quantity }))
                .collect();
            object(
                json!({ "purchase_id": p.purchase_id, "invoice_date": p.invoice_date, "items": items }),
                &[("total", p.total), ("share", p.share)],
            )
        })
        .collect();
    object(
        json!({
            "campaign_id": t.campaign_id,
            "in_kind": t.in_kind,
            "method": "share = purchase total × amount ÷ campaign_received, rounded down to the satang",
            "purchases": purchases,
            "units": t.units.iter().map(trace_unit_json).collect::<Vec<_>>(),
            "homes": homes_json(t.homes()),
        }),
        &[
            ("amount", t.amount),
            ("campaign_received", t.campaign_received),
            ("total_share", t.total_share()),
        ],
    )
}

/// A public answer: JSON any site may read (`Access-Control-Allow-Origin: *`). The donation
/// trace does not use it: its reference is the donor's secret.
fn public(result: Result<Value, AppError>) -> Response {
    let mut response = match result {
        Ok(value) => Json(value).into_response(),
        Err(e) => PublicError(e).into_response(),
    };
    response.headers_mut().insert(
        header::ACCESS_CONTROL_ALLOW_ORIGIN,
        HeaderValue::from_static("*"),
    );
    response
}

/// An open-data refusal: a stable code and the sentence in both languages, with the error's own
/// status (and `Retry-After` for 429 and 503, which [`AppError`]'s answer carries).
pub struct PublicError(pub AppError);

impl From<AppError> for PublicError {
    fn from(e: AppError) -> PublicError {
        PublicError(e)
    }
}

impl IntoResponse for PublicError {
    fn into_response(self) -> Response {
        let error = self.0;
        let code = match &error {
            AppError::NotFound => "not_found",
            AppError::TooManyRequests { .. } => "too_many_requests",
            AppError::Unavailable { .. }
            | AppError::StorageFull { .. }
            | AppError::DownloadsBusy { .. } => "unavailable",
            AppError::BadRequest(_) | AppError::Validation(_) => "bad_request",
            _ => "internal",
        };
        let body = json!({
            "error": code,
            "message": { "th": error.message(Lang::Th), "en": error.message(Lang::En) },
        });
        // The status and headers of the error's own answer, with the public body.
        let (parts, _) = error.into_response().into_parts();
        let mut response = Json(body).into_response();
        *response.status_mut() = parts.status;
        if let Some(retry) = parts.headers.get(header::RETRY_AFTER) {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, retry.clone());
        }
        response
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::StatusCode;

    #[test]
    fn baht_text_has_exactly_two_decimals_and_no_grouping() {
        assert_eq!(baht(Money::from_satang(150_000)), "1500.00");
        assert_eq!(baht(Money::from_satang(5)), "0.05");
        assert_eq!(baht(Money::from_satang(123_456_789)), "1234567.89");
        assert_eq!(baht(Money::ZERO), "0.00");
    }

    #[test]
    fn each_amount_is_a_pair_of_text_and_satang() {
        let v = object(
            json!({ "id": 1 }),
            &[("total", Money::from_satang(2_500_050))],
        );
        assert_eq!(
            v,
            json!({ "id": 1, "total": "25000.50", "total_satang": 2_500_050 })
        );
    }

    #[test]
    fn errors_are_json_with_their_status() {
        let r = PublicError(AppError::Unavailable {
            retry_after_secs: 2,
        })
        .into_response();
        assert_eq!(r.status(), StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!(r.headers()[header::RETRY_AFTER], "2");
        assert_eq!(r.headers()[header::CONTENT_TYPE], "application/json");
        assert_eq!(
            PublicError(AppError::NotFound).into_response().status(),
            StatusCode::NOT_FOUND
        );
    }
}
