//! One thing each: a campaign, a hospital, a unit, and a donation's trace. The answers are built
//! from the same services as the pages, so the two never disagree.

use super::schema::{
    baht, Campaign, CampaignLink, Homes, Hospital, OpenRequest, Received, Trace, Unit, WishlistLine,
};
use super::{count_against_limit, public, PublicError, Refusals};
use crate::AppState;
use app::error::AppError;
use app::model::hospital::is_facility_code;
use app::model::{CampaignId, Money};
use app::server::db::{campaign as campaigns, campaign_fund, hospital as hospitals};
use app::server::service::{requests, trace};
use app::server::{Caller, Db};
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// A public campaign: its money (raised, carried in and out at settlements, spent) and its
/// wishlist's progress.
#[utoipa::path(
    get,
    path = "/api/v1/campaigns/{id}",
    tag = "campaigns",
    params(("id" = i64, Path, minimum = 1, description = "The campaign's id")),
    responses(
        (status = 200, description = "The campaign", body = Campaign,
            headers(("Access-Control-Allow-Origin" = String), ("ETag" = String))),
        Refusals
    )
)]
pub async fn campaign(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Response {
    let Ok(id) = id.parse::<CampaignId>() else {
        return PublicError(AppError::NotFound).into_response();
    };
    if let Err(e) = count_against_limit(&state, &caller).await {
        return PublicError(e).into_response();
    }
    public(campaign_of(&state.db, id).await)
}

async fn campaign_of(db: &Db, id: CampaignId) -> Result<Campaign, AppError> {
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
    let (carried_in, carried_out, spent) =
        (carried(true), carried(false), Money::from_satang(spent));
    let (demo,): (i64,) = sqlx::query_as("select is_demo from campaign where campaign_id = $1")
        .bind(id.get())
        .fetch_one(&mut *c)
        .await
        .map_err(AppError::from)?;
    Ok(Campaign {
        is_demo: demo != 0,
        id: s.id.get(),
        title: (&s.title).into(),
        status: s.status.code().into(),
        starts_on: s.starts_on,
        ends_on: s.ends_on,
        wishlist: detail
            .wishlist
            .iter()
            .map(|w| WishlistLine {
                item_id: w.line.item_id.get(),
                item: (&w.line.item).into(),
                unit: (&w.line.unit).into(),
                wanted: w.line.quantity,
                funded: w.funded,
                bought: w.bought,
                delivered: w.delivered,
                reference_price: baht(w.line.unit_price),
                reference_price_satang: w.line.unit_price.satang(),
            })
            .collect(),
        homes: Homes::from(detail.homes),
        goal: baht(s.goal),
        goal_satang: s.goal.satang(),
        raised: baht(s.raised),
        raised_satang: s.raised.satang(),
        carried_in: baht(carried_in),
        carried_in_satang: carried_in.satang(),
        carried_out: baht(carried_out),
        carried_out_satang: carried_out.satang(),
        spent: baht(spent),
        spent_satang: spent.satang(),
    })
}

/// What a hospital has received and still asks for (never a request's patient counts), and its
/// lending to homes under the small-number rule.
#[utoipa::path(
    get,
    path = "/api/v1/hospitals/{facility_code}",
    tag = "hospitals",
    params(("facility_code" = String, Path, pattern = r"^[0-9]{5}$",
        description = "The facility's 5-digit code (รหัสสถานบริการ)")),
    responses(
        (status = 200, description = "The hospital", body = Hospital,
            headers(("Access-Control-Allow-Origin" = String), ("ETag" = String))),
        Refusals
    )
)]
pub async fn hospital(
    State(state): State<AppState>,
    caller: Caller,
    Path(code): Path<String>,
) -> Response {
    if !is_facility_code(&code) {
        return PublicError(AppError::NotFound).into_response();
    }
    if let Err(e) = count_against_limit(&state, &caller).await {
        return PublicError(e).into_response();
    }
    public(hospital_of(&state.db, &code).await)
}

async fn hospital_of(db: &Db, code: &str) -> Result<Hospital, AppError> {
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
    Ok(Hospital {
        facility_code: h.facility_code.clone(),
        name: (&h.name).into(),
        kind: h.kind.code().into(),
        subdistrict: (&h.subdistrict).into(),
        district: (&h.district).into(),
        province: (&h.province).into(),
        is_demo: h.is_demo,
        campaigns: detail
            .campaigns
            .iter()
            .map(|c| CampaignLink {
                id: c.id.get(),
                title: (&c.title).into(),
            })
            .collect(),
        received: received
            .iter()
            .map(|r| Received {
                campaign_id: r.campaign_id.get(),
                campaign_title: (&r.campaign_title).into(),
                item: (&r.item).into(),
                unit: (&r.unit).into(),
                count: r.count,
                tags: r.tags.clone(),
            })
            .collect(),
        open_requests: open
            .iter()
            .map(|r| OpenRequest {
                item: (&r.item).into(),
                unit: (&r.unit).into(),
                quantity: r.quantity,
                missing: r.missing,
                priority: r.priority.code().into(),
                status: r.status.code().into(),
            })
            .collect(),
        lending: (&lending).into(),
    })
}

/// One unit: where it is and its public history.
#[utoipa::path(
    get,
    path = "/api/v1/units/{tag}",
    tag = "units",
    params(("tag" = String, Path, pattern = r"^[A-Za-z0-9-]{1,40}$",
        description = "The unit's asset tag, e.g. EQ-1-00001")),
    responses(
        (status = 200, description = "The unit", body = Unit,
            headers(("Access-Control-Allow-Origin" = String), ("ETag" = String))),
        Refusals
    )
)]
pub async fn unit(
    State(state): State<AppState>,
    caller: Caller,
    Path(tag): Path<String>,
) -> Response {
    if let Err(e) = count_against_limit(&state, &caller).await {
        return PublicError(e).into_response();
    }
    public(trace::unit_page(&state.db, &tag).await.map(Unit::from))
}

/// A received gift's share of each purchase and the units bought, by the gift's reference (the
/// donor's secret: no donor name or other personal data is given, and other sites may not read
/// it). Unknown references count against the client's look-up limit.
#[utoipa::path(
    get,
    path = "/api/v1/donations/{reference}/trace",
    tag = "donations",
    params(("reference" = String, Path, pattern = r"^[A-Za-z0-9 -]{1,40}$",
        description = "The gift's reference, e.g. PP-7K3M-Q9XD-2F8A-6RTB")),
    responses(
        (status = 200, description = "The trace", body = Trace),
        Refusals
    )
)]
pub async fn donation_trace(
    State(state): State<AppState>,
    caller: Caller,
    Path(reference): Path<String>,
) -> Response {
    let client = caller.address().unwrap_or("unknown").to_owned();
    // Every request counts against the client's trace limit, cached or not.
    let limit = &state.trace_limit.0;
    if let Err(e) = limit.take(&state.db, &client).await {
        return trace_refusal(e);
    }
    let Some(reference) = app::server::donations::normalise_reference(&reference) else {
        if let Err(e) = state.lookups.record(&state.db, &client).await {
            tracing::warn!(error = %e, "a missed look-up could not be counted");
        }
        return trace_refusal(AppError::NotFound);
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
    match traced.and_then(|t| {
        serde_json::to_vec(&Trace::from(&t)).map_err(|_| AppError::Internal {
            request_id: String::new(),
        })
    }) {
        Ok(json) => {
            let body = Bytes::from(json);
            state.traces.put(reference, generation, body.clone());
            json_body(body, false)
        }
        Err(e) => trace_refusal(e),
    }
}

/// A refused trace: the public error shape, but not readable by other sites.
fn trace_refusal(e: AppError) -> Response {
    let mut response = PublicError(e).into_response();
    let headers = response.headers_mut();
    headers.remove(header::ACCESS_CONTROL_ALLOW_ORIGIN);
    headers.remove(header::ACCESS_CONTROL_EXPOSE_HEADERS);
    response
}

/// A trace as JSON; `X-Cache` says whether it was kept from an earlier request. Private to the
/// donor's browser: no other site may read it, and nothing between may keep it.
fn json_body(body: Bytes, kept: bool) -> Response {
    let mut response = Response::new(axum::body::Body::from(body));
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, no-cache"),
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

#[cfg(test)]
mod tests {
    use crate::open_data::schema::Text;

    #[test]
    fn text_keeps_a_missing_english_as_null() {
        let t = Text::from(&app::model::Localized::new("เตียง", ""));
        assert_eq!(
            serde_json::to_value(&t).unwrap(),
            serde_json::json!({"th": "เตียง", "en": null})
        );
    }
}
