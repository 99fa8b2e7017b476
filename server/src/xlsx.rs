//! The finance exports as Excel workbooks: the same rows as the CSV files, read from the same
//! stream, written into a real `.xlsx` so that a finance officer gets typed cells instead of
//! text Excel must guess at.
//!
//! - Headers are Thai with the English name beside them (`จำนวนเงิน (บาท) / amount_baht`), bold,
//!   frozen above the rows. A CSV whose headers are bare English names (the e-Donation file,
//!   whose columns the Revenue Department fixes) gets the Thai put in front.
//! - Columns are typed by their English name: `…_baht` and `amount` are numbers (exact
//!   decimals, shown `#,##0.00`), `…_on` and `…_date` are dates, `quantity`, `line_no` and
//!   `fiscal_year` whole numbers. Everything else, ids and tax numbers included, is text, so
//!   leading zeros stay.
//! - Text is written as text and never as a formula. The apostrophe the CSV puts before text
//!   that starts like a formula is taken off again: in a workbook the cell is text already.
//! - Rows are written as they come (rust_xlsxwriter's constant-memory sheets keep them in a
//!   temporary file), and a sheet that reaches Excel's 1,048,576 rows continues on the next.

use app::error::AppError;
use axum::body::Bytes;
use futures_util::{Stream, StreamExt};
use rust_xlsxwriter::{ExcelDateTime, Format, Workbook, Worksheet, XlsxError};

/// Rows per sheet, header included (Excel's limit).
const SHEET_ROWS: u32 = 1_048_576;

/// How a column's cells are written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Text,
    Money,
    Date,
    Whole,
}

/// The kind of a column from its header's English name.
pub fn kind_of(header: &str) -> Kind {
    let name = english(header);
    if name.ends_with("_baht") || name == "amount" {
        Kind::Money
    } else if name.ends_with("_on") || name.ends_with("_date") {
        Kind::Date
    } else if matches!(name, "quantity" | "line_no" | "fiscal_year") {
        Kind::Whole
    } else {
        Kind::Text
    }
}

/// The English name of a header: after ` / `, or the whole header.
fn english(header: &str) -> &str {
    header.rsplit(" / ").next().unwrap_or(header).trim()
}

/// A header as the workbook shows it: Thai first. Bare English names get their Thai.
pub fn shown_header(header: &str) -> String {
    if header.contains(" / ") {
        return header.to_owned();
    }
    let thai = match header {
        "receipt_no" => "เลขที่ใบเสร็จ",
        "received_on" => "วันที่ได้รับเงิน",
        "donor_tax_id" => "เลขประจำตัวผู้เสียภาษีผู้บริจาค",
        "donor_name" => "ผู้บริจาค",
        "amount" => "จำนวนเงิน (บาท)",
        "channel" => "ช่องทาง",
        "status" => "สถานะ",
        "campaign" => "กองผ้าป่า",
        _ => return header.to_owned(),
    };
    format!("{thai} / {header}")
}

/// The text of a cell the CSV made inert, as it was typed.
fn typed_text(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if rest.starts_with(['=', '+', '-', '@', '\t', '\r']) => rest,
        _ => cell,
    }
}

/// A workbook from a CSV stream (UTF-8, a byte-order mark allowed, a header row first): its
/// bytes, or the error that stopped the stream (then no workbook: a file cut short must not
/// look complete).
pub async fn from_csv<S>(chunks: S, sheet: &'static str) -> Result<Vec<u8>, AppError>
where
    S: Stream<Item = Result<Vec<u8>, AppError>> + Send + 'static,
{
    let (to, from) = tokio::sync::mpsc::channel::<Bytes>(8);
    let writer = tokio::task::spawn_blocking(move || {
        write(ChannelReader::new(from), sheet).map_err(|e| e.to_string())
    });
    let mut chunks = Box::pin(chunks);
    let mut failed = None;
    while let Some(chunk) = chunks.next().await {
        match chunk {
            Ok(chunk) => {
                if to.send(Bytes::from(chunk)).await.is_err() {
                    break;
                }
            }
            Err(e) => {
                failed = Some(e);
                break;
            }
        }
    }
    drop(to);
    let written = writer
        .await
        .map_err(|e| app::server::internal(e.to_string()))?;
    if let Some(e) = failed {
        return Err(e);
    }
    written.map_err(app::server::internal)
}

/// The CSV's bytes as a reader, from the blocking side of the channel.
struct ChannelReader {
    from: tokio::sync::mpsc::Receiver<Bytes>,
    chunk: Bytes,
    started: bool,
}

impl ChannelReader {
    fn new(from: tokio::sync::mpsc::Receiver<Bytes>) -> Self {
        ChannelReader {
            from,
            chunk: Bytes::new(),
            started: false,
        }
    }
}

impl std::io::Read for ChannelReader {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        while self.chunk.is_empty() {
            match self.from.blocking_recv() {
                Some(chunk) => self.chunk = chunk,
                None => return Ok(0),
            }
            if !self.started && !self.chunk.is_empty() {
                self.started = true;
                if self.chunk.starts_with("\u{feff}".as_bytes()) {
                    self.chunk = self.chunk.slice(3..);
                }
            }
        }
        let n = buf.len().min(self.chunk.len());
        buf[..n].copy_from_slice(&self.chunk[..n]);
        self.chunk = self.chunk.slice(n..);
        Ok(n)
    }
}

/// The formats of a workbook's cells.
struct Formats {
    header: Format,
    money: Format,
    date: Format,
}

/// Writes the workbook: a sheet named `sheet` (then `sheet 2`, … past Excel's row limit).
fn write(input: impl std::io::Read, sheet: &str) -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    let formats = Formats {
        header: Format::new().set_bold(),
        money: Format::new().set_num_format("#,##0.00"),
        date: Format::new().set_num_format("yyyy-mm-dd"),
    };
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(input);
    let mut headers: Vec<String> = Vec::new();
    let mut kinds: Vec<Kind> = Vec::new();
    let (mut sheets, mut row) = (0usize, 0u32);
    for record in reader.records() {
        let record = record.map_err(|e| XlsxError::ParameterError(e.to_string()))?;
        if headers.is_empty() {
            headers = record.iter().map(shown_header).collect();
            kinds = record.iter().map(kind_of).collect();
            row = SHEET_ROWS;
            continue;
        }
        if row == SHEET_ROWS {
            sheets += 1;
            let ws = book.add_worksheet_with_constant_memory()?;
            let name = if sheets == 1 {
                sheet.to_owned()
            } else {
                format!("{sheet} {sheets}")
            };
            start_sheet(ws, &name, &headers, &kinds, &formats)?;
            row = 1;
        }
        let ws = book.worksheet_from_index(sheets - 1)?;
        for (col, cell) in record.iter().enumerate() {
            let kind = kinds.get(col).copied().unwrap_or(Kind::Text);
            write_cell(ws, row, col as u16, cell, kind, &formats)?;
        }
        row += 1;
    }
    if sheets == 0 {
        // Only a header (no rows): still a workbook with its headed sheet.
        let ws = book.add_worksheet_with_constant_memory()?;
        start_sheet(ws, sheet, &headers, &kinds, &formats)?;
    }
    book.save_to_buffer()
}

fn start_sheet(
    ws: &mut Worksheet,
    name: &str,
    headers: &[String],
    kinds: &[Kind],
    formats: &Formats,
) -> Result<(), XlsxError> {
    ws.set_name(name)?;
    for (col, (header, kind)) in headers.iter().zip(kinds).enumerate() {
        let col = col as u16;
        ws.write_string_with_format(0, col, header, &formats.header)?;
        let width = match kind {
            Kind::Money => 16,
            Kind::Date => 12,
            Kind::Whole => 10,
            Kind::Text => 24,
        };
        ws.set_column_width(col, width)?;
    }
    ws.set_freeze_panes(1, 0)?;
    Ok(())
}

fn write_cell(
    ws: &mut Worksheet,
    row: u32,
    col: u16,
    cell: &str,
    kind: Kind,
    formats: &Formats,
) -> Result<(), XlsxError> {
    if cell.is_empty() {
        return Ok(());
    }
    match kind {
        Kind::Money => {
            if let Ok(amount) = rust_decimal::Decimal::from_str_exact(cell) {
                ws.write_with_format(row, col, amount, &formats.money)?;
                return Ok(());
            }
        }
        Kind::Date => {
            if let Some(date) = date_of(cell) {
                ws.write_datetime_with_format(row, col, date, &formats.date)?;
                return Ok(());
            }
        }
        Kind::Whole => {
            if let Ok(n) = cell.parse::<i32>() {
                ws.write_number(row, col, n)?;
                return Ok(());
            }
        }
        Kind::Text => {}
    }
    ws.write_string(row, col, typed_text(cell))?;
    Ok(())
}

/// `YYYY-MM-DD` as an Excel date.
fn date_of(cell: &str) -> Option<ExcelDateTime> {
    let date = chrono::NaiveDate::parse_from_str(cell, "%Y-%m-%d").ok()?;
    use chrono::Datelike as _;
    ExcelDateTime::from_ymd(
        u16::try_from(date.year()).ok()?,
        u8::try_from(date.month()).ok()?,
        u8::try_from(date.day()).ok()?,
    )
    .ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_are_typed_by_their_english_name() {
        assert_eq!(kind_of("จำนวนเงิน (บาท) / amount_baht"), Kind::Money);
        assert_eq!(kind_of("amount"), Kind::Money);
        assert_eq!(kind_of("วันที่ได้รับ / received_on"), Kind::Date);
        assert_eq!(kind_of("วันที่ใบแจ้งหนี้ / invoice_date"), Kind::Date);
        assert_eq!(kind_of("จำนวน / quantity"), Kind::Whole);
        assert_eq!(kind_of("เลขผู้เสียภาษีผู้ขาย / vendor_tax_id"), Kind::Text);
        assert_eq!(
            shown_header("donor_tax_id"),
            "เลขประจำตัวผู้เสียภาษีผู้บริจาค / donor_tax_id"
        );
    }

    #[test]
    fn only_the_apostrophe_the_csv_added_comes_off() {
        assert_eq!(typed_text("'=SUM(A1)"), "=SUM(A1)");
        assert_eq!(typed_text("'-5"), "-5");
        assert_eq!(typed_text("'quoted"), "'quoted");
        assert_eq!(typed_text("plain"), "plain");
    }
}
