//! The lists: public campaigns, hospitals (by province and district) and units (by campaign),
//! each a page at a time. A page holds at most `limit` items (1 to 200, 50 when not given) and,
//! unless it is the last, a `next_cursor` to pass for the next page. The order is fixed (by id,
//! or by facility code for hospitals), so walking the pages gives every item once, and a page
//! costs the same however far into the list it is.

use super::schema::{CampaignListed, HospitalListed, Page, Place, Text, UnitListed};
use super::{count_against_limit, public, PublicError, Refusals};
use crate::AppState;
use app::error::AppError;
use app::model::{Localized, Money};
use app::server::db::open_list;
use app::server::Caller;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use utoipa::IntoParams;

/// Items per page when `limit` is not given, and the most a page may hold.
pub const DEFAULT_LIMIT: i64 = 50;
pub const MAX_LIMIT: i64 = 200;

/// The parameters of the campaign list.
#[derive(IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)]
pub struct CampaignQuery {
    /// The `next_cursor` of the page before; leave out for the first page.
    #[param(pattern = r"^[1-9][0-9]{0,17}$")]
    cursor: Option<String>,
    /// Items per page, 1 to 200 (50 when left out).
    #[param(minimum = 1, maximum = 200)]
    limit: Option<i64>,
}

/// The parameters of the hospital list.
#[derive(IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)]
pub struct HospitalQuery {
    /// Only this province's hospitals: its 2-digit code (e.g. 34 for Ubon Ratchathani).
    #[param(minimum = 10, maximum = 99)]
    province: Option<i64>,
    /// Only this district's hospitals: its 4-digit code (e.g. 3401).
    #[param(minimum = 1000, maximum = 9999)]
    district: Option<i64>,
    /// The `next_cursor` of the page before; leave out for the first page.
    #[param(pattern = r"^[0-9]{5}$")]
    cursor: Option<String>,
    /// Items per page, 1 to 200 (50 when left out).
    #[param(minimum = 1, maximum = 200)]
    limit: Option<i64>,
}

/// The parameters of the unit list.
#[derive(IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)]
pub struct UnitQuery {
    /// Only this campaign's units (404 when there is no such public campaign).
    #[param(minimum = 1, maximum = 999_999_999_999_999_999_i64)]
    campaign: Option<i64>,
    /// The `next_cursor` of the page before; leave out for the first page.
    #[param(pattern = r"^[1-9][0-9]{0,17}$")]
    cursor: Option<String>,
    /// Items per page, 1 to 200 (50 when left out).
    #[param(minimum = 1, maximum = 200)]
    limit: Option<i64>,
}

/// The query's parameters by name, each refused with its own message when malformed.
pub struct Params(Vec<(String, String)>);

impl Params {
    pub fn of(
        query: Result<Query<Vec<(String, String)>>, QueryRejection>,
    ) -> Result<Params, AppError> {
        match query {
            Ok(Query(pairs)) => Ok(Params(pairs)),
            Err(_) => Err(AppError::field(
                "query",
                "อ่านพารามิเตอร์ของคำขอไม่ได้",
                "The query string could not be read.",
            )),
        }
    }

    /// The one value of `name`, if given (twice is refused).
    fn one(&self, name: &str) -> Result<Option<&str>, AppError> {
        let mut values = self
            .0
            .iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v.as_str());
        let first = values.next();
        if values.next().is_some() {
            return Err(AppError::field(
                name,
                "ระบุพารามิเตอร์นี้ได้ครั้งเดียว",
                "Give this parameter once.",
            ));
        }
        Ok(first)
    }

    /// A whole number from `min` to `max`, if given.
    pub fn number(&self, name: &str, min: i64, max: i64) -> Result<Option<i64>, AppError> {
        let Some(text) = self.one(name)? else {
            return Ok(None);
        };
        match text.parse::<i64>() {
            Ok(n) if (min..=max).contains(&n) => Ok(Some(n)),
            _ => Err(AppError::field(
                name,
                &format!("ต้องเป็นจำนวนเต็มตั้งแต่ {min} ถึง {max}"),
                &format!("Must be a whole number from {min} to {max}."),
            )),
        }
    }

    /// Items per page.
    pub fn limit(&self) -> Result<i64, AppError> {
        Ok(self.number("limit", 1, MAX_LIMIT)?.unwrap_or(DEFAULT_LIMIT))
    }

    /// A cursor of digits (an id: from 1 and at most 18 digits; a facility code: exactly 5).
    fn cursor(&self, digits: std::ops::RangeInclusive<usize>) -> Result<Option<String>, AppError> {
        let Some(text) = self.one("cursor")? else {
            return Ok(None);
        };
        let ok = digits.contains(&text.len())
            && text.bytes().all(|b| b.is_ascii_digit())
            && (*digits.start() == 5 || !text.starts_with('0'));
        if ok {
            Ok(Some(text.to_owned()))
        } else {
            Err(AppError::field(
                "cursor",
                "ไม่ใช่ตัวชี้หน้าที่ระบบให้ไว้ ให้ใช้ next_cursor ของหน้าก่อน",
                "Not a cursor this API gave: pass the next_cursor of the page before.",
            ))
        }
    }

    /// The id after which a page of campaigns or units starts.
    fn after_id(&self) -> Result<i64, AppError> {
        Ok(self
            .cursor(1..=18)?
            .and_then(|c| c.parse::<i64>().ok())
            .unwrap_or(0))
    }
}

/// A page of `keyed` items, read with one more than `limit` so that a further item shows there
/// is a next page (then dropped). Each item comes with its key, the cursor a page after it
/// starts from; `next_query` is the next page's query string given that cursor.
fn page<T: utoipa::ToSchema>(
    mut keyed: Vec<(String, T)>,
    limit: i64,
    path: &str,
    next_query: impl Fn(&str) -> String,
) -> Page<T> {
    let more = keyed.len() as i64 > limit;
    keyed.truncate(usize::try_from(limit).unwrap_or(0));
    let next_cursor = keyed.last().filter(|_| more).map(|(key, _)| key.clone());
    let next = next_cursor
        .as_deref()
        .map(|c| format!("{path}?{}", next_query(c)));
    Page {
        items: keyed.into_iter().map(|(_, item)| item).collect(),
        next_cursor,
        next,
    }
}

fn text(th: &str, en: &Option<String>) -> Text {
    Text {
        th: th.to_owned(),
        en: en.clone().filter(|e| !e.trim().is_empty()),
    }
}

/// Public campaigns (not drafts), in id order.
#[utoipa::path(
    get,
    path = "/api/v1/campaigns",
    tag = "campaigns",
    params(CampaignQuery),
    responses(
        (status = 200, description = "A page of campaigns", body = Page<CampaignListed>,
            headers(("Access-Control-Allow-Origin" = String), ("ETag" = String))),
        Refusals
    )
)]
pub async fn campaigns(
    State(state): State<AppState>,
    caller: Caller,
    query: Result<Query<Vec<(String, String)>>, QueryRejection>,
) -> Response {
    let answer = async {
        let params = Params::of(query)?;
        let (after, limit) = (params.after_id()?, params.limit()?);
        count_against_limit(&state, &caller).await?;
        let mut c = state.db.reader().acquire().await?;
        let rows = open_list::campaigns(&mut c, after, limit + 1, app::server::today()).await?;
        let items = rows
            .iter()
            .map(|(s, demo)| {
                (
                    s.id.get().to_string(),
                    CampaignListed {
                        is_demo: *demo,
                        id: s.id.get(),
                        title: (&s.title).into(),
                        organisers: s.organisers.iter().map(Text::from).collect(),
                        status: s.status.code().into(),
                        starts_on: s.starts_on,
                        ends_on: s.ends_on,
                        donor_count: s.donor_count,
                        donation_count: s.donation_count,
                        goal: super::baht(s.goal),
                        goal_satang: s.goal.satang(),
                        raised: super::baht(s.raised),
                        raised_satang: s.raised.satang(),
                    },
                )
            })
            .collect();
        Ok(page(items, limit, "/api/v1/campaigns", |cursor| {
            format!("cursor={cursor}&limit={limit}")
        }))
    };
    public(answer.await)
}

/// Hospitals, in facility-code order; only a province's or a district's when asked.
#[utoipa::path(
    get,
    path = "/api/v1/hospitals",
    tag = "hospitals",
    params(HospitalQuery),
    responses(
        (status = 200, description = "A page of hospitals", body = Page<HospitalListed>,
            headers(("Access-Control-Allow-Origin" = String), ("ETag" = String))),
        Refusals
    )
)]
pub async fn hospitals(
    State(state): State<AppState>,
    caller: Caller,
    query: Result<Query<Vec<(String, String)>>, QueryRejection>,
) -> Response {
    let answer = async {
        let params = Params::of(query)?;
        let province = params.number("province", 10, 99)?;
        let district = params.number("district", 1000, 9999)?;
        let after = params.cursor(5..=5)?.unwrap_or_default();
        let limit = params.limit()?;
        count_against_limit(&state, &caller).await?;
        let mut c = state.db.reader().acquire().await?;
        let rows = open_list::hospitals(&mut c, &after, province, district, limit + 1).await?;
        let items = rows
            .iter()
            .map(|h| {
                (
                    h.facility_code.clone(),
                    HospitalListed {
                        facility_code: h.facility_code.clone(),
                        name: text(&h.name_th, &h.name_en),
                        kind: h.kind().code().into(),
                        subdistrict_code: h.subdistrict_code,
                        subdistrict: text(&h.subdistrict_th, &Some(h.subdistrict_en.clone())),
                        district_code: h.district_code,
                        district: text(&h.district_th, &Some(h.district_en.clone())),
                        province_code: h.province_code,
                        province: text(&h.province_th, &Some(h.province_en.clone())),
                        is_demo: h.demo(),
                    },
                )
            })
            .collect();
        let filters: String = [("province", province), ("district", district)]
            .iter()
            .filter_map(|(name, v)| v.map(|v| format!("{name}={v}&")))
            .collect();
        Ok(page(items, limit, "/api/v1/hospitals", |cursor| {
            format!("{filters}cursor={cursor}&limit={limit}")
        }))
    };
    public(answer.await)
}

/// Units of public campaigns, in the order they were recorded; only a campaign's when asked.
#[utoipa::path(
    get,
    path = "/api/v1/units",
    tag = "units",
    params(UnitQuery),
    responses(
        (status = 200, description = "A page of units", body = Page<UnitListed>,
            headers(("Access-Control-Allow-Origin" = String), ("ETag" = String))),
        Refusals
    )
)]
pub async fn units(
    State(state): State<AppState>,
    caller: Caller,
    query: Result<Query<Vec<(String, String)>>, QueryRejection>,
) -> Response {
    let answer = async {
        let params = Params::of(query)?;
        let campaign = params.number("campaign", 1, 999_999_999_999_999_999)?;
        let (after, limit) = (params.after_id()?, params.limit()?);
        count_against_limit(&state, &caller).await?;
        let mut c = state.db.reader().acquire().await?;
        if let Some(id) = campaign {
            if !open_list::is_public_campaign(&mut c, id).await? {
                return Err(AppError::NotFound);
            }
        }
        let rows = open_list::units(&mut c, campaign, after, limit + 1).await?;
        let items = rows
            .into_iter()
            .map(|u| {
                let hospital = Place::of(
                    &u.facility_code,
                    &u.hospital_th
                        .clone()
                        .map(|th| Localized::new(th, u.hospital_en.clone().unwrap_or_default())),
                );
                let price = Money::from_satang(u.cost_satang);
                // The cursor is the unit's id: tags are not in id order across campaigns.
                let key = u.equipment_unit_id.to_string();
                let unit = UnitListed {
                    item: text(&u.item_th, &Some(u.item_en.clone())),
                    campaign_id: u.campaign_id,
                    item_id: u.equipment_item_id,
                    origin: if u.donation_id.is_some() {
                        "in_kind"
                    } else {
                        "purchase"
                    }
                    .into(),
                    purchase_id: u.purchase_id,
                    status: u.status,
                    condition: u.condition,
                    hospital,
                    homes: app::model::loan::HomeFigures {
                        homes_served: u.homes_served,
                        days_in_homes: u.home_days,
                    }
                    .into(),
                    is_demo: u.is_demo != 0,
                    price: super::baht(price),
                    price_satang: price.satang(),
                    tag: u.asset_tag,
                };
                (key, unit)
            })
            .collect();
        let filter = campaign
            .map(|c| format!("campaign={c}&"))
            .unwrap_or_default();
        Ok(page(items, limit, "/api/v1/units", |cursor| {
            format!("{filter}cursor={cursor}&limit={limit}")
        }))
    };
    public(answer.await)
}

/// Refusals of the downloads' parameters, as JSON.
pub fn refused(e: AppError) -> Response {
    PublicError(e).into_response()
}
