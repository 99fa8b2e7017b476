//! Bank statement files (CSV) read into transaction lines, so finance officers can reconcile the
//! fund's bank account with the donations and payments recorded here.
//!
//! Two kinds of layout are read. KBank's K-BIZ export ([`Preset::Kbiz`]) has a title, account and
//! period summary rows, then a header row (`วันที่`, `เวลา/ วันที่มีผล`, `รายการ`, `ถอนเงิน`,
//! `ฝากเงิน`, `ยอดคงเหลือ`, `ช่องทาง`, `รายละเอียด`, or the English words) with empty spacer
//! columns between; the header is found by its cell texts, not by a row number, because the
//! number of summary rows changes between versions. Other banks are read through a column
//! mapping ([`Preset::Custom`]) that the officer chooses once per account.
//!
//! Files come from Excel and bank portals, so the reader accepts UTF-8 (with or without a BOM)
//! and TIS-620/Windows-874, dates in the Buddhist or Christian Era with 2- or 4-digit years, and
//! amounts with thousands separators. Amounts are exact satang (no floats). Whole-file problems
//! are a [`FileError`]; every bad row is a [`RowError`] naming its line and column, and callers
//! store nothing while any remain. Each line carries a fingerprint, so importing a file twice or
//! two overlapping statements never stores a bank line twice.
//!
//! This module holds the public types and the loop over rows. The steps live beside it: bytes to
//! text (`decode`), text to CSV rows and cell helpers (`text`), the header and columns
//! (`layout`), one row to a line (`row`), and the readers of dates and times (`date`), amounts
//! (`amount`) and fingerprints (`fingerprint`).

mod amount;
mod date;
mod decode;
mod fingerprint;
mod layout;
mod row;
mod text;

#[cfg(test)]
mod test_support;
#[cfg(test)]
mod tests;

use chrono::NaiveDate;
use decode::decode;
use fingerprint::Fingerprints;
use layout::{find_header, locate, no_kbiz_header};
use row::{read_row, RowKind};
use serde::{Deserialize, Serialize};
use text::{split_rows, tidy, trimmed_len};

use crate::model::Money;

pub use crate::model::statement::{Encoding, Era, FieldError, Mapping, Preset};

/// The largest file accepted (callers refuse bigger uploads before reading them).
pub const MAX_FILE_BYTES: usize = 20 * 1024 * 1024;
/// Row errors kept in full; the rest are only counted (a wrong mapping fails every row).
const MAX_ERRORS: usize = 500;

/// One transaction line of a statement.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatementLine {
    /// The line number in the file where the row starts, counting from 1.
    pub row: usize,
    /// The date in the Christian Era.
    pub date: NaiveDate,
    /// `HH:MM` or `HH:MM:SS` when the file gives a time.
    pub time: Option<String>,
    /// Money into the account (a deposit); `false` is a withdrawal.
    pub credit: bool,
    /// The amount, always more than zero.
    pub amount: Money,
    /// The balance after this line in satang (negative when overdrawn), if the file has one.
    pub balance: Option<i64>,
    /// The bank's texts, with runs of whitespace made one space; empty when not mapped.
    pub description: String,
    pub channel: String,
    pub details: String,
    /// Identifies the bank line across imports: a SHA-256 hex digest of its fields, then `#k`
    /// where `k` counts identical earlier lines in the same file.
    pub fingerprint: String,
}

/// A row that could not be read, with a message in Thai and English.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RowError {
    /// The line number in the file, counting from 1.
    pub row: usize,
    /// The header's text for the column, or `column N` counting from 1; `None` for the row.
    pub column: Option<String>,
    pub th: String,
    pub en: String,
}

/// A problem with the whole file, with a message in Thai and English.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[error("{en}")]
pub struct FileError {
    pub th: String,
    pub en: String,
}

impl FileError {
    fn new(th: impl Into<String>, en: impl Into<String>) -> FileError {
        FileError {
            th: th.into(),
            en: en.into(),
        }
    }
}

/// A statement as read: its lines, and every row that could not be read.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Parsed {
    /// The encoding the file was read in.
    pub encoding: Encoding,
    /// The header's line number, counting from 1; 0 when the file has no header row.
    pub header_row: usize,
    pub lines: Vec<StatementLine>,
    /// At most 500 errors are kept; `errors_omitted` counts the rest.
    pub errors: Vec<RowError>,
    pub errors_omitted: usize,
    /// Rows after the header that are not transactions (totals, balance brought forward).
    pub skipped: usize,
    /// Satang before the first line: a "brought forward" row, else worked out from the first
    /// line's balance. `None` without a balance column.
    pub opening_balance: Option<i64>,
    /// Satang after the last line (the latest line when the file lists newest first).
    pub closing_balance: Option<i64>,
    /// Rows (line numbers) that repeat the row just before them: the same date, time, direction,
    /// amount and balance. A bank never repeats a balance after a movement, so such a row is a
    /// copy made in a spreadsheet, stored only when an officer says it is real.
    pub repeated: Vec<usize>,
    /// Whether the file was read as K-BIZ although a custom mapping was given: its header is
    /// K-BIZ's own, and K-BIZ reading never depends on column numbers chosen for another bank.
    pub read_as_kbiz: bool,
    /// The account number printed above the table, as printed (often masked), if any.
    pub account: Option<String>,
}

/// Whether `line` repeats `before`: the same moment, direction, amount and balance (only where
/// the file gives a balance; without one, two equal transfers in a minute can both be real).
fn repeats(before: &StatementLine, line: &StatementLine) -> bool {
    line.balance.is_some()
        && (
            before.date,
            &before.time,
            before.credit,
            before.amount,
            before.balance,
        ) == (
            line.date,
            &line.time,
            line.credit,
            line.amount,
            line.balance,
        )
}

/// The header row found (its line number, 0 if none) and its cells, so the officer can choose
/// columns. A file without a header row gives `column 1`, `column 2`, ... instead.
pub fn headers(bytes: &[u8], mapping: &Mapping) -> Result<(usize, Vec<String>), FileError> {
    let (_, text) = decode(bytes, mapping.encoding)?;
    let rows = split_rows(&text)?;
    let custom = mapping.preset == Preset::Custom;
    let (header, start) = find_header(&rows, mapping, custom.then_some(usize::MAX))?;
    if header.is_none() && !custom {
        return Err(no_kbiz_header());
    }
    Ok(match header {
        Some(h) => {
            let record = &rows[h].record;
            let cells = record.iter().take(trimmed_len(record)).map(tidy).collect();
            (rows[h].line, cells)
        }
        None => {
            let width = rows.get(start).map_or(0, |r| trimmed_len(&r.record));
            (0, (1..=width).map(|n| format!("column {n}")).collect())
        }
    })
}

/// Reads a statement file. `today` (Bangkok) settles 2-digit years under [`Era::Auto`].
pub fn parse(bytes: &[u8], mapping: &Mapping, today: NaiveDate) -> Result<Parsed, FileError> {
    if let Err(errors) = mapping.validate() {
        let first = errors.into_iter().next();
        return Err(first.map_or_else(
            || FileError::new("การเลือกคอลัมน์ไม่ถูกต้อง", "The column choice is not valid."),
            |e| FileError::new(e.th, e.en),
        ));
    }
    let (encoding, text) = decode(bytes, mapping.encoding)?;
    let rows = split_rows(&text)?;
    let layout = locate(&rows, mapping)?;
    let mut out = Parsed {
        encoding,
        header_row: layout.header.map_or(0, |h| rows[h].line),
        lines: Vec::new(),
        errors: Vec::new(),
        errors_omitted: 0,
        skipped: 0,
        opening_balance: None,
        closing_balance: None,
        repeated: Vec::new(),
        read_as_kbiz: layout.kbiz_over_custom,
        account: layout::printed_account(&rows[..layout.header.unwrap_or(layout.start)]),
    };
    let mut brought_forward: Option<i64> = None;
    let mut fingerprints = Fingerprints::default();
    for row in &rows[layout.start..] {
        match read_row(&layout, row, today) {
            RowKind::Blank => {}
            RowKind::Skipped => out.skipped += 1,
            RowKind::Forward(balance) => {
                out.skipped += 1;
                if out.lines.is_empty() && brought_forward.is_none() {
                    brought_forward = Some(balance);
                }
            }
            RowKind::Bad(errors) => errors.into_iter().for_each(|e| push_error(&mut out, e)),
            RowKind::Line(mut line) => {
                line.fingerprint = fingerprints.next(&line);
                let repeats = out
                    .lines
                    .last()
                    .is_some_and(|before| repeats(before, &line));
                if repeats {
                    out.repeated.push(line.row);
                }
                out.lines.push(line);
            }
        }
    }
    if out.lines.is_empty() && out.errors.is_empty() {
        return Err(FileError::new(
            "ไม่พบรายการเดินบัญชีในไฟล์ ตรวจสอบว่าเลือกไฟล์และคอลัมน์ถูกต้อง",
            "No transactions were found in the file. Check the file and the column choice.",
        ));
    }
    if let (Some(first), Some(last)) = (out.lines.first(), out.lines.last()) {
        let (first, last) = if first.date <= last.date {
            (first, last)
        } else {
            (last, first)
        };
        out.closing_balance = last.balance;
        let before_first = first.balance.map(|b| {
            let amount = first.amount.satang();
            if first.credit {
                b - amount
            } else {
                b + amount
            }
        });
        out.opening_balance = brought_forward
            .filter(|_| first.row <= last.row)
            .or(before_first);
    }
    Ok(out)
}

fn push_error(out: &mut Parsed, error: RowError) {
    if out.errors.len() < MAX_ERRORS {
        out.errors.push(error);
    } else {
        out.errors_omitted += 1;
    }
}

/// The answer to a file with nothing in it.
fn empty_file() -> FileError {
    FileError::new("ไฟล์ว่างเปล่า ไม่มีข้อมูล", "The file is empty.")
}
