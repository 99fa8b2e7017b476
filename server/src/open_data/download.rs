//! The open lists whole, as CSV for open-data portals and spreadsheets: UTF-8 with a byte-order
//! mark (so Excel reads the Thai), a header row of stable English column names (the guide page
//! `/api#dictionary` says what each holds), amounts as baht with two decimals, dates as
//! `YYYY-MM-DD`. Text that starts like a formula gets an apostrophe, so a spreadsheet shows it
//! and never runs it. The rows are read a thousand at a time in the lists' own order and sent as
//! they are written, so a download of 100,000 units never holds them all.

use super::lists::refused;
use super::schema::ListedHomes;
use super::{count_against_limit, public_bytes, PublicError, Refusals};
use crate::AppState;
use app::error::AppError;
use app::model::loan::HomeFigures;
use app::server::db::open_list;
use app::server::service::receipts::spreadsheet_safe;
use app::server::{Caller, Db};
use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};

/// Rows read per query.
const BATCH: i64 = 1_000;

/// The columns of each download, in order, with what each holds (English, then Thai): the data
/// dictionary the guide page shows.
pub const CAMPAIGN_COLUMNS: &[(&str, &str, &str)] = &[
    ("id", "The campaign's id", "รหัสกองผ้าป่า"),
    ("title_th", "Its title in Thai", "ชื่อกองผ้าป่า (ไทย)"),
    (
        "title_en",
        "Its title in English (may be empty)",
        "ชื่อกองผ้าป่า (อังกฤษ)",
    ),
    (
        "status",
        "open, closed or settled",
        "สถานะ: open เปิดรับ, closed ปิดรับ, settled ปิดบัญชีแล้ว",
    ),
    (
        "starts_on",
        "First day of giving (YYYY-MM-DD)",
        "วันเริ่มรับบริจาค",
    ),
    (
        "ends_on",
        "Last day of giving (YYYY-MM-DD)",
        "วันสุดท้ายที่รับบริจาค",
    ),
    ("goal_baht", "The goal, baht", "เป้าหมาย (บาท)"),
    (
        "raised_baht",
        "Received gifts, baht, exact",
        "ยอดบริจาคที่ได้รับแล้ว (บาท)",
    ),
    (
        "donor_count",
        "Distinct donors of received gifts",
        "จำนวนผู้บริจาค",
    ),
    ("donation_count", "Received gifts", "จำนวนรายการบริจาค"),
    (
        "is_demo",
        "1 for demonstration data, else 0",
        "1 = ข้อมูลสาธิต",
    ),
];

pub const HOSPITAL_COLUMNS: &[(&str, &str, &str)] = &[
    (
        "facility_code",
        "The facility's 5-digit code",
        "รหัสสถานบริการ 5 หลัก",
    ),
    ("name_th", "Its name in Thai", "ชื่อสถานบริการ (ไทย)"),
    (
        "name_en",
        "Its name in English (may be empty)",
        "ชื่อสถานบริการ (อังกฤษ)",
    ),
    ("kind", "The kind of facility", "ประเภทสถานบริการ"),
    (
        "subdistrict_code",
        "Sub-district code (6 digits)",
        "รหัสตำบล",
    ),
    ("subdistrict_th", "Sub-district", "ตำบล"),
    ("district_code", "District code (4 digits)", "รหัสอำเภอ"),
    ("district_th", "District", "อำเภอ"),
    ("province_code", "Province code (2 digits)", "รหัสจังหวัด"),
    ("province_th", "Province", "จังหวัด"),
    (
        "is_demo",
        "1 for demonstration data, else 0",
        "1 = ข้อมูลสาธิต",
    ),
];

pub const UNIT_COLUMNS: &[(&str, &str, &str)] = &[
    ("tag", "The unit's asset tag", "รหัสครุภัณฑ์"),
    ("campaign_id", "The campaign it belongs to", "รหัสกองผ้าป่า"),
    ("item_th", "What it is, in Thai", "รายการ (ไทย)"),
    ("item_en", "What it is, in English", "รายการ (อังกฤษ)"),
    (
        "origin",
        "purchase (bought) or in_kind (given as goods)",
        "ที่มา: purchase ซื้อ, in_kind บริจาคเป็นของ",
    ),
    (
        "purchase_id",
        "The purchase that bought it (empty for in-kind)",
        "รหัสการจัดซื้อ",
    ),
    (
        "status",
        "Where it is: in_stock, allocated, dispatched (on its way), received (at the hospital) \
         or written_off",
        "สถานะ: in_stock ในคลัง, allocated จัดสรรแล้ว, dispatched กำลังส่ง, received ถึง รพ.สต. แล้ว, \
         written_off จำหน่ายแล้ว",
    ),
    ("condition", "Its condition", "สภาพ"),
    (
        "facility_code",
        "The hospital holding it, once received",
        "รหัสสถานบริการที่ถือครอง",
    ),
    ("hospital_th", "That hospital's name", "ชื่อสถานบริการที่ถือครอง"),
    (
        "homes_served",
        "Loans to homes it made; empty from 1 to 4 (not published)",
        "จำนวนครั้งที่ให้ยืมไปบ้าน (1 ถึง 4 ครั้งไม่เผยแพร่ เว้นว่าง)",
    ),
    (
        "homes_fewer_than_5",
        "1 when it made 1 to 4 loans (the count is not published), else 0",
        "1 = ให้ยืม 1 ถึง 4 ครั้ง (ไม่เผยแพร่จำนวน)",
    ),
    (
        "days_in_homes",
        "Days in homes over the loans that ended; given from 5 loans",
        "จำนวนวันที่อยู่ในบ้านผู้ป่วย (แสดงเมื่อให้ยืมตั้งแต่ 5 ครั้ง)",
    ),
    ("price_baht", "What it cost, baht", "ราคา (บาท)"),
    (
        "is_demo",
        "1 for a unit of a demonstration campaign, else 0",
        "1 = ข้อมูลสาธิต",
    ),
];

/// Every public campaign, one row each, in id order.
#[utoipa::path(
    get,
    path = "/api/v1/campaigns.csv",
    tag = "downloads",
    responses(
        (status = 200, description = "Every public campaign (columns: see /api#dictionary)",
            content_type = "text/csv", body = String),
        Refusals
    )
)]
pub async fn campaigns_csv(State(state): State<AppState>, caller: Caller) -> Response {
    download(
        state,
        caller,
        "phapa-campaigns.csv",
        CAMPAIGN_COLUMNS,
        |db, after| {
            Box::pin(async move {
                let mut c = db.reader().acquire().await?;
                let rows = open_list::campaigns(
                    &mut c,
                    after.parse().unwrap_or(0),
                    BATCH,
                    app::server::today(),
                )
                .await?;
                Ok(rows
                    .into_iter()
                    .map(|(s, demo)| {
                        let key = s.id.get().to_string();
                        let cells = vec![
                            key.clone(),
                            s.title.th,
                            s.title.en.unwrap_or_default(),
                            s.status.code().to_owned(),
                            s.starts_on.to_string(),
                            s.ends_on.to_string(),
                            super::baht(s.goal),
                            super::baht(s.raised),
                            s.donor_count.to_string(),
                            s.donation_count.to_string(),
                            flag(demo),
                        ];
                        (key, cells)
                    })
                    .collect())
            })
        },
    )
    .await
}

/// Every hospital, one row each, in facility-code order.
#[utoipa::path(
    get,
    path = "/api/v1/hospitals.csv",
    tag = "downloads",
    responses(
        (status = 200, description = "Every hospital (columns: see /api#dictionary)",
            content_type = "text/csv", body = String),
        Refusals
    )
)]
pub async fn hospitals_csv(State(state): State<AppState>, caller: Caller) -> Response {
    download(
        state,
        caller,
        "phapa-hospitals.csv",
        HOSPITAL_COLUMNS,
        |db, after| {
            Box::pin(async move {
                let mut c = db.reader().acquire().await?;
                let rows = open_list::hospitals(&mut c, &after, None, None, BATCH).await?;
                Ok(rows
                    .into_iter()
                    .map(|h| {
                        let demo = flag(h.demo());
                        let kind = h.kind().code().to_owned();
                        let key = h.facility_code.clone();
                        let cells = vec![
                            h.facility_code,
                            h.name_th,
                            h.name_en.unwrap_or_default(),
                            kind,
                            h.subdistrict_code.to_string(),
                            h.subdistrict_th,
                            h.district_code.to_string(),
                            h.district_th,
                            h.province_code.to_string(),
                            h.province_th,
                            demo,
                        ];
                        (key, cells)
                    })
                    .collect())
            })
        },
    )
    .await
}

/// Every unit of the public campaigns, one row each, in the order they were recorded.
#[utoipa::path(
    get,
    path = "/api/v1/units.csv",
    tag = "downloads",
    responses(
        (status = 200, description = "Every unit (columns: see /api#dictionary)",
            content_type = "text/csv", body = String),
        Refusals
    )
)]
pub async fn units_csv(State(state): State<AppState>, caller: Caller) -> Response {
    download(
        state,
        caller,
        "phapa-units.csv",
        UNIT_COLUMNS,
        |db, after| {
            Box::pin(async move {
                let mut c = db.reader().acquire().await?;
                let rows =
                    open_list::units(&mut c, None, after.parse().unwrap_or(0), BATCH).await?;
                Ok(rows
                    .into_iter()
                    .map(|u| {
                        let key = u.equipment_unit_id.to_string();
                        let origin = if u.donation_id.is_some() {
                            "in_kind"
                        } else {
                            "purchase"
                        };
                        let homes = ListedHomes::from(HomeFigures {
                            homes_served: u.homes_served,
                            days_in_homes: u.home_days,
                        });
                        let number = |n: Option<i64>| n.map(|n| n.to_string()).unwrap_or_default();
                        let cells = vec![
                            u.asset_tag,
                            u.campaign_id.to_string(),
                            u.item_th,
                            u.item_en,
                            origin.to_owned(),
                            u.purchase_id.map(|p| p.to_string()).unwrap_or_default(),
                            u.status,
                            u.condition,
                            u.facility_code.unwrap_or_default(),
                            u.hospital_th.unwrap_or_default(),
                            number(homes.homes_served),
                            flag(homes.homes_served_fewer_than_5),
                            number(homes.days_in_homes),
                            super::baht(app::model::Money::from_satang(u.cost_satang)),
                            flag(u.is_demo != 0),
                        ];
                        (key, cells)
                    })
                    .collect())
            })
        },
    )
    .await
}

fn flag(on: bool) -> String {
    if on { "1" } else { "0" }.to_owned()
}

/// How many downloads may read a batch from the database at once; a new download that cannot
/// start within [`TURN_WAIT`] gets 503 with `Retry-After`. A turn is held while a batch is read,
/// never while it is sent, so a client that stops reading holds no turn. Pages keep the rest of
/// the pool.
static DOWNLOADS: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(2);
const TURN_WAIT: std::time::Duration = std::time::Duration::from_millis(1_500);

/// A batch of rows: each row's key (the next batch starts after the last) and its cells.
type Batch = Vec<(String, Vec<String>)>;
type Fetch = std::pin::Pin<Box<dyn std::future::Future<Output = Result<Batch, AppError>> + Send>>;

/// Streams a CSV: the byte-order mark and header, then each batch `fetch` gives after the key
/// of the last row, until a batch comes back short.
async fn download(
    state: AppState,
    caller: Caller,
    name: &'static str,
    columns: &'static [(&'static str, &'static str, &'static str)],
    fetch: fn(Db, String) -> Fetch,
) -> Response {
    if let Err(e) = count_against_limit(&state, &caller).await {
        return refused(e);
    }
    let Ok(Ok(turn)) = tokio::time::timeout(TURN_WAIT, DOWNLOADS.acquire()).await else {
        return refused(AppError::DownloadsBusy {
            retry_after_secs: 10,
        });
    };
    // The first batch is read before answering, so a database that is down gets a 503, not a
    // broken download.
    let first = match fetch(state.db.clone(), String::new()).await {
        Ok(batch) => batch,
        Err(e) => return PublicError(e).into_response(),
    };
    drop(turn);
    let mut head = csv_bytes(columns.iter().map(|c| c.0.to_owned()));
    head.splice(0..0, "\u{feff}".bytes());
    let db = state.db.clone();
    let start = (Some(first), String::new(), false);
    let rest = futures_util::stream::unfold(start, move |(ready, after, done)| {
        let db = db.clone();
        async move {
            if done {
                return None;
            }
            let batch = match ready {
                Some(batch) => batch,
                None => match read_batch(fetch, db, after).await {
                    Ok(batch) => batch,
                    Err(e) => {
                        tracing::error!(error = %e, "an open-data download broke off");
                        return Some((
                            Err(std::io::Error::other(e.to_string())),
                            (None, String::new(), true),
                        ));
                    }
                },
            };
            let last = batch.len() < BATCH as usize;
            let next = batch.last().map(|(k, _)| k.clone()).unwrap_or_default();
            let mut bytes = Vec::new();
            for (_, cells) in batch {
                bytes.extend(csv_bytes(cells.into_iter()));
            }
            Some((Ok(Bytes::from(bytes)), (None, next, last)))
        }
    });
    let head =
        futures_util::stream::once(async move { Ok::<_, std::io::Error>(Bytes::from(head)) });
    // Fused: the compression layer polls a body again after its end, and an unfused `unfold`
    // panics there.
    let body = Body::from_stream(futures_util::StreamExt::fuse(
        futures_util::StreamExt::chain(head, rest),
    ));
    let mut response = public_bytes(Bytes::new(), "text/csv; charset=utf-8");
    *response.body_mut() = body;
    let disposition = format!("attachment; filename=\"{name}\"");
    if let Ok(value) = HeaderValue::from_str(&disposition) {
        response
            .headers_mut()
            .insert(header::CONTENT_DISPOSITION, value);
    }
    response
}

/// The next batch, read in a turn.
async fn read_batch(
    fetch: fn(Db, String) -> Fetch,
    db: Db,
    after: String,
) -> Result<Batch, AppError> {
    let _turn = DOWNLOADS
        .acquire()
        .await
        .map_err(|e| app::server::internal(e.to_string()))?;
    fetch(db, after).await
}

/// One CSV record, each cell made inert for spreadsheets.
fn csv_bytes(cells: impl Iterator<Item = String>) -> Vec<u8> {
    let mut out = csv::Writer::from_writer(Vec::new());
    let written = out.write_record(cells.map(spreadsheet_safe));
    match (written, out.into_inner()) {
        (Ok(()), Ok(bytes)) => bytes,
        _ => Vec::new(),
    }
}
