//! A campaign's books as CSV files for Excel, for finance officers: donations, receipts,
//! purchases (a row per line) and units with their allocations, each for the whole campaign or
//! one Thai fiscal year (1 October – 30 September, named by its Buddhist-Era year).
//!
//! Every file is UTF-8 with a byte-order mark (so Excel reads the Thai), its headers Thai with
//! the English beside them (`ผู้ขาย / vendor`), amounts in baht with two decimals, dates as
//! `YYYY-MM-DD` in Bangkok time. Text that people typed is made inert: a cell that starts like
//! a formula is prefixed with an apostrophe, so a spreadsheet shows it and never runs it.

use super::receipts::spreadsheet_safe;
use super::Caller;
use crate::error::AppError;
use crate::model::account::Action;
use crate::model::donation::{fiscal_year, fiscal_year_days, ReceiptNumber};
use crate::model::thai_date::bangkok_date;
use crate::model::{CampaignId, Money};
use crate::server::db::donation_record::status_of;
use crate::server::db::{export as db, time, Db};

/// What can be exported.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Export {
    Donations,
    Receipts,
    Purchases,
    Units,
}

impl Export {
    pub const ALL: [Export; 4] = [
        Export::Donations,
        Export::Receipts,
        Export::Purchases,
        Export::Units,
    ];

    /// The file's name in its URL: `donations.csv`.
    pub fn file(self) -> &'static str {
        match self {
            Export::Donations => "donations.csv",
            Export::Receipts => "receipts.csv",
            Export::Purchases => "purchases.csv",
            Export::Units => "units.csv",
        }
    }

    pub fn from_file(file: &str) -> Option<Export> {
        Export::ALL.into_iter().find(|e| e.file() == file)
    }
}

/// A file on its way: its download name and its bytes, written in chunks while they are sent,
/// so the server's memory does not grow with the file. The byte-order mark comes first.
pub struct CsvDownload {
    pub name: String,
    /// Chunks, then `Ok(None)` once the last row is written.
    chunks: tokio::sync::mpsc::Receiver<Result<Option<Vec<u8>>, AppError>>,
}

impl CsvDownload {
    /// The chunks as a stream for a response body. A file that could not be finished (an error,
    /// or its writer stopped) ends the stream with an error, so the download breaks off rather
    /// than look complete. Fused: a body may be polled again after its end (the compression
    /// layer does), and an unfused `unfold` would panic there.
    pub fn into_stream(
        self,
    ) -> impl futures_util::Stream<Item = Result<Vec<u8>, AppError>> + Send + 'static {
        use futures_util::StreamExt as _;
        futures_util::stream::unfold(Some(self.chunks), |chunks| async move {
            let mut chunks = chunks?;
            match chunks.recv().await {
                Some(Ok(Some(chunk))) => Some((Ok(chunk), Some(chunks))),
                Some(Ok(None)) => None,
                Some(Err(e)) => Some((Err(e), None)),
                None => Some((Err(unfinished()), None)),
            }
        })
        .fuse()
    }
}

fn unfinished() -> AppError {
    crate::server::internal("the export stopped before its last row")
}

/// How many downloads may read the database at once: each holds a reader connection (one
/// snapshot) while it is sent, so they are few, and the pages keep the rest of the pool.
const DOWNLOADS_AT_ONCE: usize = 2;
static DOWNLOADS: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(DOWNLOADS_AT_ONCE);

/// A turn among `downloads`, waited for at most `wait`; else the caller is told to come back.
async fn take_turn(
    downloads: &tokio::sync::Semaphore,
    wait: std::time::Duration,
) -> Result<tokio::sync::SemaphorePermit<'_>, AppError> {
    tokio::time::timeout(wait, downloads.acquire())
        .await
        .ok()
        .and_then(Result::ok)
        .ok_or(AppError::DownloadsBusy {
            retry_after_secs: 10,
        })
}

/// How long a download may wait for a turn before it is told to try again.
const TURN_WAIT: std::time::Duration = std::time::Duration::from_millis(1_500);

/// How long a chunk may wait for the one downloading it: a client that stops reading gives its
/// connection back after this.
const SEND_WAIT: std::time::Duration = std::time::Duration::from_secs(30);

/// How long a whole download may take (238 MB at 2,000,000 gifts is 27 s on this project's
/// machine): a client that reads just fast enough never to miss [`SEND_WAIT`] still gives its
/// turn back.
const WHOLE_WAIT: std::time::Duration = std::time::Duration::from_secs(20 * 60);

/// How big a chunk grows before it is sent.
const CHUNK: usize = 64 * 1024;

/// Why writing a file stopped early.
enum Stop {
    Failed(AppError),
    /// The one downloading it went away.
    Gone,
}

impl<E: Into<AppError>> From<E> for Stop {
    fn from(e: E) -> Self {
        Stop::Failed(e.into())
    }
}

/// Rows turned into CSV chunks and handed to the download, at most a few chunks ahead of it.
struct Sink {
    out: csv::Writer<Vec<u8>>,
    to: tokio::sync::mpsc::Sender<Result<Option<Vec<u8>>, AppError>>,
    /// When the download must be over ([`WHOLE_WAIT`]).
    until: tokio::time::Instant,
}

impl Sink {
    fn writer() -> csv::Writer<Vec<u8>> {
        csv::Writer::from_writer(Vec::with_capacity(CHUNK + CHUNK / 4))
    }

    /// Writes one row with every cell made inert: amounts and dates never start like a formula,
    /// and any text (a donor's name, a vendor, a catalog item, a reason) that does gets an
    /// apostrophe. Headers go through here too; they are plain.
    async fn row<const N: usize>(&mut self, cells: [String; N]) -> Result<(), Stop> {
        self.out
            .write_record(cells.map(spreadsheet_safe))
            .map_err(crate::server::internal)?;
        if self.out.get_ref().len() >= CHUNK {
            self.send().await?;
        }
        Ok(())
    }

    async fn send(&mut self) -> Result<(), Stop> {
        let chunk = std::mem::replace(&mut self.out, Sink::writer())
            .into_inner()
            .map_err(|e| crate::server::internal(e.to_string()))?;
        if chunk.is_empty() {
            return Ok(());
        }
        self.put(Ok(Some(chunk))).await
    }

    /// Hands one piece to the download; the one downloading it has gone (or stopped reading for
    /// [`SEND_WAIT`]) when it cannot be handed over.
    async fn put(&mut self, piece: Result<Option<Vec<u8>>, AppError>) -> Result<(), Stop> {
        let wait = SEND_WAIT.min(
            self.until
                .saturating_duration_since(tokio::time::Instant::now()),
        );
        match tokio::time::timeout(wait, self.to.send(piece)).await {
            Ok(Ok(())) => Ok(()),
            _ => Err(Stop::Gone),
        }
    }
}

/// Hands every row of `rows` to the sink, each turned into its cells by `cells`.
async fn each<T, const N: usize>(
    mut rows: db::Rows<'_, T>,
    sink: &mut Sink,
    cells: impl Fn(T) -> Result<[String; N], AppError>,
) -> Result<(), Stop> {
    use futures_util::TryStreamExt as _;
    while let Some(row) = rows.try_next().await? {
        sink.row(cells(row)?).await?;
    }
    Ok(())
}

fn headers<const N: usize>(names: [&str; N]) -> [String; N] {
    names.map(str::to_owned)
}

/// The fiscal year asked for: empty for every year, else a Buddhist-Era year such as `2569`.
fn parse_fiscal_year(text: &str) -> Result<Option<i32>, AppError> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    match text.parse::<i32>() {
        Ok(year) if (2500..=2700).contains(&year) => Ok(Some(year)),
        _ => Err(AppError::field(
            "fiscal_year",
            "ปีงบประมาณต้องเป็นปีพุทธศักราช 4 หลัก เช่น 2569",
            "The fiscal year must be a four-digit Buddhist-Era year, such as 2569.",
        )),
    }
}

/// The fiscal years a campaign has records in, newest first: from the earliest of its first
/// day and its first dated record to the current one.
pub async fn fiscal_years(
    db: &Db,
    caller: &Caller,
    campaign: CampaignId,
) -> Result<Vec<i32>, AppError> {
    caller.require(Action::Reconcile)?;
    let mut c = db.reader().acquire().await?;
    let (starts_on, _) = db::campaign(&mut c, campaign)
        .await?
        .ok_or(AppError::NotFound)?;
    // A donation or invoice can be dated before the campaign's first day (a backdated gift):
    // its year is offered too.
    let mut first = fiscal_year(time::parse_date(&starts_on)?);
    for dated in db::earliest(&mut c, campaign).await? {
        // Invoice dates are `YYYY-MM-DD`; the rest are instants.
        let day = if dated.len() == 10 {
            time::parse_date(&dated)?
        } else {
            bangkok_date(time::parse_instant(&dated)?)
        };
        first = first.min(fiscal_year(day));
    }
    let now = fiscal_year(crate::server::today()).max(first);
    Ok((first..=now).rev().collect())
}

/// One export of one campaign. 404 for an unknown campaign or a draft; 422 on `fiscal_year`.
pub async fn campaign_csv(
    db: &Db,
    caller: &Caller,
    campaign: CampaignId,
    export: Export,
    fiscal_year: &str,
) -> Result<CsvDownload, AppError> {
    caller.require(Action::Reconcile)?;
    let year = parse_fiscal_year(fiscal_year)?;
    // A turn first, then a connection: a download refused for want of a turn holds none.
    let turn = take_turn(&DOWNLOADS, TURN_WAIT).await?;
    let mut c = db.reader().acquire().await?;
    match db::campaign(&mut c, campaign).await? {
        Some((_, status)) if status != "draft" => {}
        _ => return Err(AppError::NotFound),
    }
    let days = match year {
        Some(y) => Some(fiscal_year_days(y).ok_or_else(|| {
            AppError::field(
                "fiscal_year",
                "ไม่มีปีงบประมาณนี้",
                "There is no such fiscal year.",
            )
        })?),
        None => None,
    };
    // The period as text bounds: instants from Bangkok midnight of the first day to Bangkok
    // midnight after the last, and dates from the first day to the last.
    let period = match days {
        Some((first, last)) => (
            time::instant(time::bangkok_midnight(first)),
            time::instant(time::bangkok_midnight(last.succ_opt().unwrap_or(last))),
            time::date(first),
            time::date(last),
        ),
        None => (String::new(), "9999".into(), String::new(), "9999".into()),
    };
    let stem = export.file().trim_end_matches(".csv");
    let name = match year {
        Some(y) => format!("phapa-campaign-{campaign}-{stem}-fy{y}.csv"),
        None => format!("phapa-campaign-{campaign}-{stem}.csv"),
    };
    // The rows are read and written by a task of their own, a few chunks ahead of the
    // download, on the reader connection that checked the campaign (one query, so one
    // consistent read of the rows).
    let (to, chunks) = tokio::sync::mpsc::channel(4);
    tokio::spawn(async move {
        let mut sink = Sink {
            out: Sink::writer(),
            to,
            until: tokio::time::Instant::now() + WHOLE_WAIT,
        };
        // A byte-order mark so Excel reads the Thai text as UTF-8.
        let bom: [u8; 3] = [0xef, 0xbb, 0xbf];
        let mut written = sink.put(Ok(Some(bom.to_vec()))).await;
        if written.is_ok() {
            // The deadline bounds the database's part too, however slowly the rows come.
            let until = sink.until;
            let file = write_file(&mut c, &mut sink, campaign, export, year, period);
            written = tokio::time::timeout_at(until, file)
                .await
                .unwrap_or_else(|_| {
                    Err(Stop::Failed(crate::server::internal(
                        "the download outlasted its time limit",
                    )))
                });
        }
        // The database's part is done: the connection and the turn go back now. A query left
        // unfinished is not read to its end on the way (the connection is closed instead).
        if written.is_err() {
            c.close_on_drop();
        }
        drop(c);
        drop(turn);
        // What is left is the last chunk and the end: it may wait as long as any chunk.
        sink.until = sink.until.max(tokio::time::Instant::now() + SEND_WAIT);
        if written.is_ok() {
            written = sink.send().await;
        }
        match written {
            Ok(()) => drop(sink.put(Ok(None)).await),
            Err(Stop::Failed(e)) => {
                tracing::error!(%campaign, file = export.file(), "export stopped: {e}");
                drop(sink.put(Err(e)).await);
            }
            Err(Stop::Gone) => {}
        }
    });
    Ok(CsvDownload { name, chunks })
}

/// The period as text bounds: instants from and to, dates from and to.
type Period = (String, String, String, String);

/// Writes one export's header and rows into `sink`.
async fn write_file(
    c: &mut sqlx::AnyConnection,
    sink: &mut Sink,
    campaign: CampaignId,
    export: Export,
    year: Option<i32>,
    (instant_from, instant_to, date_from, date_to): Period,
) -> Result<(), Stop> {
    match export {
        Export::Donations => {
            sink.row(headers([
                "เลขอ้างอิง / reference",
                "สถานะ / status",
                "ช่องทาง / channel",
                "จำนวนเงิน (บาท) / amount_baht",
                "วันที่ได้รับ / received_on",
                "วันที่บันทึก / recorded_on",
                "ผู้บริจาค / donor_name",
                "เลขที่ใบเสร็จ / receipt_no",
                "ชุดบันทึก / batch",
                "หมายเหตุ / note",
            ]))
            .await?;
            each(
                db::donations(c, campaign, instant_from, instant_to),
                sink,
                |r| {
                    Ok([
                        r.reference_code,
                        status_of(&r.status, r.voided_at.is_some())?
                            .code()
                            .to_owned(),
                        r.channel,
                        baht(r.amount_satang),
                        day_of(r.received_at.as_deref())?,
                        day_of(Some(&r.created_at))?,
                        r.display_name.unwrap_or_default(),
                        receipt_no(r.fiscal_year, r.number),
                        r.batch.unwrap_or_default(),
                        r.note.unwrap_or_default(),
                    ])
                },
            )
            .await?;
        }
        Export::Receipts => {
            sink.row(headers([
                "เลขที่ใบเสร็จ / receipt_no",
                "ปีงบประมาณ / fiscal_year",
                "วันที่ออก / issued_on",
                "วันที่ได้รับเงิน / received_on",
                "เลขอ้างอิงการบริจาค / donation_reference",
                "ผู้บริจาค / donor_name",
                "จำนวนเงิน (บาท) / amount_baht",
                "สถานะ / status",
                "เลขผู้เสียภาษีผู้รับบริจาค / recipient_tax_id",
            ]))
            .await?;
            each(
                db::receipts(c, campaign, year.map_or(0, i64::from)),
                sink,
                |r| {
                    Ok([
                        receipt_no(Some(r.fiscal_year), Some(r.number)),
                        r.fiscal_year.to_string(),
                        day_of(Some(&r.issued_at))?,
                        day_of(r.received_at.as_deref())?,
                        r.reference_code,
                        r.display_name.unwrap_or_default(),
                        baht(r.amount_satang),
                        if r.status == "voided" {
                            "void"
                        } else {
                            "valid"
                        }
                        .to_owned(),
                        r.recipient_tax_id.unwrap_or_default(),
                    ])
                },
            )
            .await?;
        }
        Export::Purchases => {
            sink.row(headers([
                "เลขที่การจัดซื้อ / purchase_id",
                "ผู้ขาย / vendor",
                "เลขผู้เสียภาษีผู้ขาย / vendor_tax_id",
                "เลขที่ใบแจ้งหนี้ / invoice_no",
                "วันที่ใบแจ้งหนี้ / invoice_date",
                "สถานะ / status",
                "ลำดับ / line_no",
                "รายการ / item",
                "รายการ (อังกฤษ) / item_en",
                "จำนวน / quantity",
                "ราคาต่อหน่วย (บาท) / unit_price_baht",
                "รวมรายการ (บาท) / line_total_baht",
                "รวมทั้งใบ (บาท) / purchase_total_baht",
                "วันที่อนุมัติ / approved_on",
                "เหตุผลที่ยกเลิก / void_reason",
            ]))
            .await?;
            each(db::purchases(c, campaign, date_from, date_to), sink, |r| {
                Ok([
                    r.purchase_id.to_string(),
                    r.vendor_name,
                    r.vendor_tax_id.unwrap_or_default(),
                    r.invoice_no,
                    r.invoice_date,
                    r.status,
                    r.line_no.to_string(),
                    r.item_th,
                    r.item_en,
                    r.quantity.to_string(),
                    baht(r.unit_price_satang),
                    baht(r.unit_price_satang.saturating_mul(r.quantity)),
                    baht(r.total_satang),
                    day_of(r.approved_at.as_deref())?,
                    r.void_reason.unwrap_or_default(),
                ])
            })
            .await?;
        }
        Export::Units => {
            sink.row(headers([
                "รหัสครุภัณฑ์ / asset_tag",
                "รายการ / item",
                "รายการ (อังกฤษ) / item_en",
                "สถานะ / status",
                "สภาพ / condition",
                "มูลค่า (บาท) / cost_baht",
                "เลขที่การจัดซื้อ / purchase_id",
                "เลขที่ใบแจ้งหนี้ / invoice_no",
                "บริจาคเป็นสิ่งของ (เลขอ้างอิง) / gift_reference",
                "หมายเลขเครื่อง / serial_no",
                "รหัสหน่วยบริการ / facility_code",
                "รพ.สต. / hospital",
                "อำเภอ / district",
                "คำขอ / request_id",
                "เหตุผลที่จัดสรร / allocation_reason",
                "วันที่ส่ง / dispatched_on",
                "ผู้ขนส่ง / carrier",
                "วันที่ได้รับ / received_on",
                "วันที่เข้าคลัง / stocked_on",
            ]))
            .await?;
            each(
                db::units(c, campaign, instant_from, instant_to),
                sink,
                |r| {
                    Ok([
                        r.asset_tag,
                        r.item_th,
                        r.item_en,
                        r.status,
                        r.condition,
                        baht(r.cost_satang),
                        r.purchase_id.map(|p| p.to_string()).unwrap_or_default(),
                        r.invoice_no.unwrap_or_default(),
                        r.gift_reference.unwrap_or_default(),
                        r.serial_no.unwrap_or_default(),
                        r.facility_code.unwrap_or_default(),
                        r.hospital.unwrap_or_default(),
                        r.district.unwrap_or_default(),
                        r.equipment_request_id
                            .map(|p| p.to_string())
                            .unwrap_or_default(),
                        r.allocation_reason.unwrap_or_default(),
                        r.dispatched_on.unwrap_or_default(),
                        r.carrier.unwrap_or_default(),
                        day_of(r.received_at.as_deref())?,
                        day_of(Some(&r.created_at))?,
                    ])
                },
            )
            .await?;
        }
    }
    Ok(())
}

/// Whole satang as baht with two decimals: `1500.00`.
fn baht(satang: i64) -> String {
    let (b, s) = Money::from_satang(satang).baht_and_satang();
    if satang < 0 {
        format!("-{}.{:02}", b.unsigned_abs(), s.unsigned_abs())
    } else {
        format!("{b}.{s:02}")
    }
}

fn receipt_no(year: Option<i64>, number: Option<i64>) -> String {
    match (year.and_then(|y| i32::try_from(y).ok()), number) {
        (Some(fiscal_year), Some(number)) => ReceiptNumber {
            fiscal_year,
            number,
        }
        .to_string(),
        _ => String::new(),
    }
}

/// An instant (RFC 3339) as its Bangkok date, `YYYY-MM-DD`; nothing for none.
fn day_of(at: Option<&str>) -> Result<String, AppError> {
    Ok(match at {
        Some(at) => time::date(bangkok_date(time::parse_instant(at)?)),
        None => String::new(),
    })
}

#[cfg(test)]
mod tests;
