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

use crate::model::Money;
use chrono::{Days, NaiveDate};
use csv::StringRecord;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::HashMap;

/// The largest file accepted (callers refuse bigger uploads before reading them).
pub const MAX_FILE_BYTES: usize = 20 * 1024 * 1024;
/// One billion baht in satang: any larger amount or balance is a misread file.
const MAX_SATANG: i64 = 1_000_000_000 * 100;
/// Row errors kept in full; the rest are only counted (a wrong mapping fails every row).
const MAX_ERRORS: usize = 500;
/// Words of a "balance brought forward" row: a date and a balance but no amount.
const FORWARD_WORDS: [&str; 7] = [
    "ยกมา",
    "ยกไป",
    "brought forward",
    "carried forward",
    "balance forward",
    "opening balance",
    "beginning balance",
];

pub use crate::model::statement::{Encoding, Era, FieldError, Mapping, Preset};

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
    };
    let mut brought_forward: Option<i64> = None;
    let mut seen: HashMap<[u8; 32], usize> = HashMap::new();
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
                let digest = digest(&line);
                let count = seen.entry(digest).or_insert(0);
                line.fingerprint = format!("{}#{count}", hex(&digest));
                *count += 1;
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

/// What one row after the header holds.
enum RowKind {
    Blank,
    /// A total, a summary or a repeated header: no date and no amount.
    Skipped,
    /// A "balance brought forward" row: its balance.
    Forward(i64),
    /// A transaction (its fingerprint still to be set).
    Line(StatementLine),
    Bad(Vec<RowError>),
}

fn read_row(layout: &Layout, row: &Row, today: NaiveDate) -> RowKind {
    let cols = &layout.cols;
    let record = &row.record;
    let filled = trimmed_len(record);
    if filled == 0 {
        return RowKind::Blank;
    }
    let date_text = cell(record, cols.date);
    let date = parse_date(date_text, cols.era, today);
    let has_amount = [cols.withdrawal, cols.deposit, cols.amount]
        .into_iter()
        .flatten()
        .any(|i| matches!(parse_amount(cell(record, i)), Ok(Some(_))));
    let wordy = !date_text.is_empty() && !date_text.chars().any(is_digit);
    if date.is_err() && (!has_amount || wordy) {
        return RowKind::Skipped;
    }
    if record.len() < layout.width || filled > layout.width {
        let found = if record.len() < layout.width {
            record.len()
        } else {
            filled
        };
        let (w, line) = (layout.width, row.line);
        return RowKind::Bad(vec![RowError {
            row: line,
            column: None,
            th: format!("แถวที่ {line}: มี {found} คอลัมน์ แต่แถวหัวตารางมี {w} คอลัมน์"),
            en: format!("Row {line} has {found} columns but the header row has {w}."),
        }]);
    }
    let mut problems = Vec::new();
    let date = date
        .map_err(|p| problems.push(layout.date_error(row.line, cols.date, date_text, p)))
        .ok();
    let mut read = |index: Option<usize>| {
        let i = index?;
        let text = cell(record, i);
        let amount = parse_amount(text).map_err(|p| layout.amount_error(row.line, i, text, p));
        amount.map_err(|e| problems.push(e)).ok().flatten()
    };
    let nonzero = |v: &i64| *v != 0;
    let (withdrawal, deposit) = (
        read(cols.withdrawal).filter(nonzero),
        read(cols.deposit).filter(nonzero),
    );
    let (signed, balance) = (read(cols.amount).filter(nonzero), read(cols.balance));
    let movement = match (signed, withdrawal, deposit) {
        (Some(v), _, _) => Some((v > 0, v.abs())),
        (None, Some(w), None) => Some((false, w.abs())),
        (None, None, Some(d)) if d > 0 => Some((true, d)),
        (None, None, Some(_)) => {
            let e = layout.error(
                row.line,
                cols.deposit,
                "ยอดฝากต้องไม่ติดลบ",
                "a deposit cannot be negative.",
            );
            problems.push(e);
            None
        }
        (None, Some(_), Some(_)) => {
            let (th, en, _) = layout.name(cols.deposit);
            let e = layout.error(
                row.line,
                cols.withdrawal,
                &format!("มีทั้งยอดถอนและยอดฝาก (คอลัมน์{th}) ในแถวเดียว"),
                &format!("the row has both a withdrawal and a deposit (column {en})."),
            );
            problems.push(e);
            None
        }
        (None, None, None) => None,
    };
    let (Some(date), true) = (date, problems.is_empty()) else {
        return RowKind::Bad(problems);
    };
    let Some((credit, satang)) = movement else {
        let forward = record.iter().any(|c| {
            let c = c.to_lowercase();
            FORWARD_WORDS.iter().any(|w| c.contains(w))
        });
        return match balance.filter(|_| forward) {
            Some(balance) => RowKind::Forward(balance),
            None => RowKind::Bad(vec![layout.error(
                row.line,
                cols.amount.or(cols.withdrawal),
                "ไม่มียอดถอนหรือยอดฝาก",
                "the row has no withdrawal or deposit amount.",
            )]),
        };
    };
    let time = cols
        .time
        .and_then(|i| find_time(cell(record, i)))
        .or_else(|| {
            date_text
                .split_once(char::is_whitespace)
                .and_then(|(_, t)| find_time(t))
        });
    let text_at = |index: Option<usize>| index.map_or_else(String::new, |i| tidy(cell(record, i)));
    RowKind::Line(StatementLine {
        row: row.line,
        date,
        time,
        credit,
        amount: Money::from_satang(satang),
        balance,
        description: text_at(cols.description),
        channel: text_at(cols.channel),
        details: text_at(cols.details),
        fingerprint: String::new(),
    })
}

/// One CSV record and the line it starts on.
struct Row {
    line: usize,
    record: StringRecord,
}

/// Where the header is and which column holds what.
struct Layout {
    /// Indexes into the rows: the header's, and the first row after it.
    header: Option<usize>,
    start: usize,
    cols: Mapping,
    names: Vec<String>,
    /// Columns a data row must have (the header's, without trailing empty cells).
    width: usize,
}

impl Layout {
    /// The column as named in the Thai and English messages, and in [`RowError::column`].
    fn name(&self, index: Option<usize>) -> (String, String, String) {
        let index = index.unwrap_or(0);
        match self.names.get(index).filter(|n| !n.is_empty()) {
            Some(n) => (format!(" “{n}”"), format!("“{n}”"), n.clone()),
            None => {
                let n = index + 1;
                (format!("ที่ {n}"), n.to_string(), format!("column {n}"))
            }
        }
    }

    fn error(&self, row: usize, index: Option<usize>, th: &str, en: &str) -> RowError {
        let (col_th, col_en, column) = self.name(index);
        RowError {
            row,
            column: Some(column),
            th: format!("แถวที่ {row} คอลัมน์{col_th}: {th}"),
            en: format!("Row {row}, column {col_en}: {en}"),
        }
    }

    fn date_error(&self, row: usize, index: usize, text: &str, problem: DateProblem) -> RowError {
        let t = preview(text);
        let (th, en) = match problem {
            DateProblem::Empty => ("ไม่มีวันที่".into(), "the date is missing.".to_owned()),
            DateProblem::NotADate => (
                format!("“{t}” ไม่ใช่วันที่ (เช่น 15/11/2569 หรือ 15/11/26)"),
                format!("“{t}” is not a date (such as 15/11/2026 or 15/11/26)."),
            ),
            DateProblem::NoSuchDate => (
                format!("ไม่มีวันที่ “{t}” ในปฏิทิน"),
                format!("there is no such date as “{t}”."),
            ),
            DateProblem::Future => (
                format!("“{t}” อยู่ในอนาคตเกินหนึ่งปี กรุณาเลือกปีเป็น พ.ศ. หรือ ค.ศ."),
                format!(
                    "“{t}” is more than a year ahead; choose the era (BE or CE) of 2-digit years."
                ),
            ),
        };
        self.error(row, Some(index), &th, &en)
    }

    fn amount_error(
        &self,
        row: usize,
        index: usize,
        text: &str,
        problem: AmountProblem,
    ) -> RowError {
        let t = preview(text);
        let (th, en) = match problem {
            AmountProblem::NotANumber => (
                format!("“{t}” ไม่ใช่จำนวนเงิน"),
                format!("“{t}” is not an amount."),
            ),
            AmountProblem::BadSeparator => (
                format!("“{t}” ใช้จุลภาคคั่นได้เฉพาะหลักพัน เช่น 1,234.50"),
                format!("“{t}”: commas may only separate thousands, as in 1,234.50."),
            ),
            AmountProblem::TooManyDecimals => (
                format!("“{t}” มีทศนิยมเกินสองตำแหน่ง"),
                format!("“{t}” has more than two decimal places."),
            ),
            AmountProblem::TooLarge => (
                format!("“{t}” เกิน 1,000,000,000 บาท"),
                format!("“{t}” is more than ฿1,000,000,000."),
            ),
        };
        self.error(row, Some(index), &th, &en)
    }
}

fn push_error(out: &mut Parsed, error: RowError) {
    if out.errors.len() < MAX_ERRORS {
        out.errors.push(error);
    } else {
        out.errors_omitted += 1;
    }
}

/// Finds the header and the columns, and checks a custom mapping against the file's width.
fn locate(rows: &[Row], mapping: &Mapping) -> Result<Layout, FileError> {
    let custom = mapping.preset == Preset::Custom;
    let (header, start) = find_header(rows, mapping, custom.then_some(mapping.date))?;
    let cols = if custom {
        mapping.clone()
    } else {
        let h = header.ok_or_else(no_kbiz_header)?;
        let found = header_columns(&rows[h].record).ok_or_else(|| {
            let line = rows[h].line;
            FileError::new(
                format!("แถวที่ {line} ไม่ใช่หัวตารางที่มีวันที่ ถอนเงิน และฝากเงิน"),
                format!("Row {line} is not a header with date, withdrawal and deposit columns."),
            )
        })?;
        Mapping {
            era: mapping.era,
            encoding: mapping.encoding,
            ..found
        }
    };
    let names: Vec<String> =
        header.map_or_else(Vec::new, |h| rows[h].record.iter().map(tidy).collect());
    let width = match header {
        Some(h) => trimmed_len(&rows[h].record),
        None => rows[start..]
            .iter()
            .map(|r| trimmed_len(&r.record))
            .find(|&n| n > 0)
            .unwrap_or(0),
    };
    let room = width.max(names.len());
    let missing = cols
        .columns()
        .into_iter()
        .find_map(|(f, i)| Some((f, i?)).filter(|(_, i)| *i >= room));
    if let Some((field, index)) = missing {
        let n = index + 1;
        return Err(FileError::new(
            format!("ไฟล์มี {room} คอลัมน์ ไม่มีคอลัมน์ที่ {n} ที่เลือกไว้สำหรับ {field}"),
            format!("The file has {room} columns; column {n} chosen for {field} does not exist."),
        ));
    }
    Ok(Layout {
        header,
        start,
        cols,
        names,
        width,
    })
}

/// The header row's index: the row the mapping names, else the first row whose texts name a
/// date and amount columns, else (when `date_column` is given) the last non-blank row before the
/// first row with a date in that column (`usize::MAX` means any column). `None` means the file
/// has no header row.
fn find_header(
    rows: &[Row],
    mapping: &Mapping,
    date_column: Option<usize>,
) -> Result<(Option<usize>, usize), FileError> {
    if let Some(n) = mapping.header_row {
        let found = rows
            .iter()
            .position(|r| r.line == n && trimmed_len(&r.record) > 0);
        return found.map(|i| (Some(i), i + 1)).ok_or_else(|| {
            FileError::new(
                format!("ไม่พบแถวหัวตารางที่แถว {n} (แถวว่างหรือเกินท้ายไฟล์)"),
                format!("There is no header at row {n} (it is blank or past the end of the file)."),
            )
        });
    }
    if let Some(i) = rows
        .iter()
        .position(|r| header_columns(&r.record).is_some())
    {
        return Ok((Some(i), i + 1));
    }
    let Some(column) = date_column else {
        return Ok((None, 0));
    };
    let dated = |r: &Row| match column {
        usize::MAX => r.record.iter().any(looks_like_date),
        c => looks_like_date(cell(&r.record, c)),
    };
    let Some(first) = rows.iter().position(dated) else {
        return Err(FileError::new(
            "ไม่พบแถวที่มีวันที่ในคอลัมน์ที่เลือก ตรวจสอบการเลือกคอลัมน์วันที่",
            "No row has a date in the chosen date column. Check the column choice.",
        ));
    };
    // The row just above the first dated row is its header if it is at least as wide.
    let width = trimmed_len(&rows[first].record);
    let above = rows[..first]
        .iter()
        .rposition(|r| trimmed_len(&r.record) > 0);
    Ok((
        above.filter(|&h| trimmed_len(&rows[h].record) >= width),
        first,
    ))
}

fn no_kbiz_header() -> FileError {
    FileError::new(
        "ไม่พบแถวหัวตารางของ K-BIZ (วันที่ ถอนเงิน ฝากเงิน ...) ตรวจสอบว่าเป็นไฟล์รายการเดินบัญชีจาก K-BIZ หรือกำหนดคอลัมน์เอง",
        "No K-BIZ header row (Date, Withdrawal, Deposit ...) was found. Check that this is a K-BIZ statement export, or choose the columns yourself.",
    )
}

fn empty_file() -> FileError {
    FileError::new("ไฟล์ว่างเปล่า ไม่มีข้อมูล", "The file is empty.")
}

/// The columns a header row names, if it names a date and either withdrawal and deposit
/// columns or one amount column. Each cell serves one field; the first match wins.
fn header_columns(record: &StringRecord) -> Option<Mapping> {
    let cells: Vec<String> = record.iter().map(|c| tidy(c).to_lowercase()).collect();
    let mut taken = vec![false; cells.len()];
    let mut claim = |words: &[&str], unless: &[&str]| {
        let found = cells.iter().enumerate().position(|(i, c)| {
            !taken[i]
                && words.iter().any(|w| c.contains(w))
                && !unless.iter().any(|w| c.contains(w))
        })?;
        taken[found] = true;
        Some(found)
    };
    const TIME: [&str; 2] = ["เวลา", "time"];
    const DATE: [&str; 2] = ["วันที่", "date"];
    let date = claim(&DATE, &TIME).or_else(|| claim(&DATE, &[]))?;
    let time = claim(&TIME, &[]);
    let balance = claim(&["คงเหลือ", "balance"], &[]);
    let withdrawal = claim(&["ถอน", "withdraw", "debit", "เดบิต"], &[]);
    let deposit = claim(&["ฝาก", "deposit", "credit", "เครดิต"], &[]);
    let pair = withdrawal.is_some() && deposit.is_some();
    let amount = if pair {
        None
    } else {
        claim(&["จำนวนเงิน", "ยอดเงิน", "amount"], &[])
    };
    if !pair && amount.is_none() {
        return None;
    }
    let channel = claim(&["ช่องทาง", "channel"], &[]);
    let details = claim(&["รายละเอียด", "detail"], &[]);
    let description = claim(&["รายการ", "description", "transaction", "คำอธิบาย"], &[]);
    Some(Mapping {
        preset: Preset::Custom,
        date,
        time,
        description,
        withdrawal: withdrawal.filter(|_| pair),
        deposit: deposit.filter(|_| pair),
        amount,
        balance,
        channel,
        details,
        header_row: None,
        era: Era::Auto,
        encoding: Encoding::Auto,
    })
}

/// Decodes the bytes, refusing what is not text (a spreadsheet, PDF, UTF-16). A UTF-8
/// byte-order mark means UTF-8 whatever the choice.
fn decode(bytes: &[u8], choice: Encoding) -> Result<(Encoding, String), FileError> {
    const SAVE_AS: &str = "กรุณาเปิดใน Excel แล้วบันทึกเป็น “CSV UTF-8 (Comma delimited)” แล้วอัปโหลดอีกครั้ง";
    const SAVE_AS_EN: &str =
        "Open it in Excel, save it as “CSV UTF-8 (Comma delimited)” and upload that file.";
    if bytes.len() > MAX_FILE_BYTES {
        return Err(FileError::new(
            "ไฟล์ใหญ่เกิน 20 MB",
            "The file is larger than 20 MB.",
        ));
    }
    let body = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]).unwrap_or(bytes);
    if body.iter().all(u8::is_ascii_whitespace) {
        return Err(empty_file());
    }
    let refuse = |th: &str, en: &str| {
        Err(FileError::new(
            format!("{th} {SAVE_AS}"),
            format!("{en} {SAVE_AS_EN}"),
        ))
    };
    if bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
        return refuse(
            "ไฟล์นี้เป็นไฟล์ Excel (.xlsx/.xls) ไม่ใช่ CSV",
            "This is an Excel workbook (.xlsx/.xls), not a CSV file.",
        );
    }
    if bytes.starts_with(b"%PDF") {
        return refuse("ไฟล์นี้เป็น PDF ไม่ใช่ CSV", "This is a PDF, not a CSV file.");
    }
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) || bytes.contains(&0) {
        return refuse(
            "ไฟล์นี้เป็น UTF-16 หรือไฟล์ไบนารี",
            "This file is UTF-16 or binary, not UTF-8 or TIS-620 text.",
        );
    }
    let line_of = |at: usize| bytes[..at].iter().filter(|&&b| b == b'\n').count() + 1;
    let strict_utf8 = |body: &[u8], offset: usize| match std::str::from_utf8(body) {
        Ok(text) => Ok((Encoding::Utf8, text.to_owned())),
        Err(e) => {
            let line = line_of(offset + e.valid_up_to());
            refuse(
                &format!("ไฟล์ไม่ใช่ UTF-8 ที่ถูกต้อง: พบไบต์ที่อ่านไม่ได้ในแถวที่ {line}"),
                &format!("The file is not valid UTF-8: row {line} has a byte that cannot be read."),
            )
        }
    };
    if let Some(body) = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]) {
        return strict_utf8(body, 3);
    }
    match choice {
        Encoding::Utf8 => strict_utf8(bytes, 0),
        Encoding::Tis620 => windows_874(bytes)
            .map(|t| (Encoding::Tis620, t))
            .or_else(|at| {
                let line = line_of(at);
                refuse(
                    &format!("ไฟล์ไม่ใช่ TIS-620: พบไบต์ที่อ่านไม่ได้ในแถวที่ {line}"),
                    &format!("The file is not TIS-620: row {line} has a byte that cannot be read."),
                )
            }),
        Encoding::Auto => match std::str::from_utf8(bytes) {
            Ok(text) => Ok((Encoding::Utf8, text.to_owned())),
            Err(_) => windows_874(bytes)
                .map(|t| (Encoding::Tis620, t))
                .or_else(|_| {
                    refuse(
                        "ไฟล์ไม่ใช่ข้อความ UTF-8 หรือ TIS-620",
                        "The file is neither UTF-8 nor TIS-620 text.",
                    )
                }),
        },
    }
}

/// Decodes Windows-874 (TIS-620 plus a few punctuation marks), or gives the first bad offset.
fn windows_874(bytes: &[u8]) -> Result<String, usize> {
    let mut out = String::with_capacity(bytes.len() * 2);
    for (at, &b) in bytes.iter().enumerate() {
        let code = match b {
            0x00..=0x7F => u32::from(b),
            0x80 => 0x20AC,
            0x85 => 0x2026,
            0x91 => 0x2018,
            0x92 => 0x2019,
            0x93 => 0x201C,
            0x94 => 0x201D,
            0x95 => 0x2022,
            0x96 => 0x2013,
            0x97 => 0x2014,
            0xA0 => 0x00A0,
            0xA1..=0xDA => 0x0E01 + u32::from(b - 0xA1),
            0xDF..=0xFB => 0x0E3F + u32::from(b - 0xDF),
            _ => return Err(at),
        };
        out.push(char::from_u32(code).ok_or(at)?);
    }
    Ok(out)
}

fn split_rows(text: &str) -> Result<Vec<Row>, FileError> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let (bytes, mut rows) = (text.as_bytes(), Vec::new());
    let (mut counted_to, mut line) = (0, 1);
    for result in reader.records() {
        let record = result.map_err(|e| {
            FileError::new(
                format!("อ่านไฟล์ CSV ไม่ได้: {e}"),
                format!("The CSV file cannot be read: {e}"),
            )
        })?;
        // The csv crate's own line count is off after CRLF and quoted newlines, so lines are
        // counted here from the record's byte offset (which may point at the line break).
        let offset = record
            .position()
            .and_then(|p| usize::try_from(p.byte()).ok());
        let mut start = offset.unwrap_or(counted_to).clamp(counted_to, bytes.len());
        while matches!(bytes.get(start), Some(b'\r' | b'\n')) {
            start += 1;
        }
        line += bytes[counted_to..start]
            .iter()
            .filter(|&&b| b == b'\n')
            .count();
        counted_to = start;
        rows.push(Row { line, record });
    }
    if rows.iter().all(|r| trimmed_len(&r.record) == 0) {
        return Err(empty_file());
    }
    Ok(rows)
}

fn cell(record: &StringRecord, index: usize) -> &str {
    record.get(index).map_or("", str::trim)
}

/// Cells up to the last non-empty one (Excel pads rows with empty cells).
fn trimmed_len(record: &StringRecord) -> usize {
    (0..record.len())
        .rev()
        .find(|&i| !cell(record, i).is_empty())
        .map_or(0, |i| i + 1)
}

/// Text with runs of whitespace and control characters made one space.
fn tidy(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for word in text
        .split(|c: char| c.is_whitespace() || c.is_control())
        .filter(|w| !w.is_empty())
    {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

fn preview(text: &str) -> String {
    let short: String = text.chars().take(40).collect();
    if short.len() < text.len() {
        format!("{short}…")
    } else {
        short
    }
}

fn is_digit(c: char) -> bool {
    c.is_ascii_digit() || ('\u{0E50}'..='\u{0E59}').contains(&c)
}

/// Thai digits (๐–๙) read as ASCII digits.
fn ascii_digits(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '\u{0E50}'..='\u{0E59}' => char::from(b'0' + (u32::from(c) - 0x0E50) as u8),
            _ => c,
        })
        .collect()
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum DateProblem {
    Empty,
    NotADate,
    NoSuchDate,
    Future,
}

fn looks_like_date(text: &str) -> bool {
    parse_date(text, Era::Christian, NaiveDate::MIN).is_ok()
}

/// Reads `dd/mm/yy`, `dd/mm/yyyy`, `d-m-yyyy`, `dd.mm.yy` or `yyyy-mm-dd`, optionally followed by
/// a time, in either era (see [`Era`]).
fn parse_date(text: &str, era: Era, today: NaiveDate) -> Result<NaiveDate, DateProblem> {
    use DateProblem::*;
    let text = ascii_digits(text.trim());
    if text.is_empty() {
        return Err(Empty);
    }
    let (date_part, rest) = text
        .split_once(char::is_whitespace)
        .unwrap_or((text.as_str(), ""));
    if !rest.trim().is_empty() && find_time(rest).is_none() {
        return Err(NotADate);
    }
    let sep = date_part
        .chars()
        .find(|c| !c.is_ascii_digit())
        .ok_or(NotADate)?;
    let parts: Vec<&str> = date_part.split(sep).collect();
    let ok = matches!(sep, '/' | '-' | '.')
        && parts.len() == 3
        && parts
            .iter()
            .all(|p| !p.is_empty() && p.len() <= 4 && p.bytes().all(|b| b.is_ascii_digit()));
    if !ok {
        return Err(NotADate);
    }
    let (y, m, d) = if parts[0].len() == 4 {
        (parts[0], parts[1], parts[2])
    } else {
        (parts[2], parts[1], parts[0])
    };
    let (Ok(year), Ok(month), Ok(day)) = (y.parse::<i32>(), m.parse::<u32>(), d.parse::<u32>())
    else {
        return Err(NotADate);
    };
    if m.len() > 2 || d.len() > 2 || !(1..=12).contains(&month) || !(1..=31).contains(&day) {
        return Err(NotADate);
    }
    match y.len() {
        4 => {
            let year = if year >= 2400 { year - 543 } else { year };
            if !(1900..=2200).contains(&year) {
                return Err(NotADate);
            }
            NaiveDate::from_ymd_opt(year, month, day).ok_or(NoSuchDate)
        }
        2 => {
            let be = NaiveDate::from_ymd_opt(2500 + year - 543, month, day);
            let ce = NaiveDate::from_ymd_opt(2000 + year, month, day);
            match era {
                Era::Buddhist => be.ok_or(NoSuchDate),
                Era::Christian => ce.ok_or(NoSuchDate),
                Era::Auto if be.is_none() && ce.is_none() => Err(NoSuchDate),
                Era::Auto => {
                    let limit = today.checked_add_days(Days::new(366)).unwrap_or(today);
                    [ce, be]
                        .into_iter()
                        .flatten()
                        .filter(|d| *d <= limit)
                        .min_by_key(|d| d.signed_duration_since(today).num_days().abs())
                        .ok_or(Future)
                }
            }
        }
        _ => Err(NotADate),
    }
}

/// The first `H:MM` or `H:MM:SS` in the text, written `HH:MM` or `HH:MM:SS`.
fn find_time(text: &str) -> Option<String> {
    let text = ascii_digits(text);
    text.split(|c: char| c.is_whitespace() || c == ',')
        .find_map(|token| {
            let token = token.trim_matches(|c: char| !c.is_ascii_digit());
            let parts: Vec<&str> = token.split(':').collect();
            let digits = parts
                .iter()
                .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()));
            if !(2..=3).contains(&parts.len())
                || !digits
                || parts[0].len() > 2
                || parts[1..].iter().any(|p| p.len() != 2)
            {
                return None;
            }
            let n: Vec<u32> = parts.iter().filter_map(|p| p.parse().ok()).collect();
            let valid = n.len() == parts.len() && n[0] < 24 && n[1..].iter().all(|&v| v < 60);
            valid.then(|| match n[..] {
                [h, m] => format!("{h:02}:{m:02}"),
                [h, m, s, ..] => format!("{h:02}:{m:02}:{s:02}"),
                _ => String::new(),
            })
        })
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum AmountProblem {
    NotANumber,
    BadSeparator,
    TooManyDecimals,
    TooLarge,
}

/// Reads an amount or balance as signed satang: `1,500.00`, `1500`, `1500.5`, `-20.00`,
/// `(20.00)`, `20.00-`, with surrounding spaces or quotes. Empty or `-` is no amount.
fn parse_amount(text: &str) -> Result<Option<i64>, AmountProblem> {
    use AmountProblem::*;
    let s = text.trim_matches(|c: char| c.is_whitespace() || c == '"' || c == '\'');
    if s.is_empty() || s == "-" {
        return Ok(None);
    }
    let (negative, s) = if let Some(inner) = s.strip_prefix('(').and_then(|r| r.strip_suffix(')')) {
        (true, inner)
    } else if let Some(rest) = s.strip_prefix(['-', '\u{2212}']) {
        (true, rest)
    } else if let Some(rest) = s.strip_suffix('-') {
        (true, rest)
    } else {
        (false, s.strip_prefix('+').unwrap_or(s))
    };
    let s = ascii_digits(s.trim());
    let s = s.strip_prefix('฿').unwrap_or(&s).trim_start();
    let (whole, fraction) = s.split_once('.').unwrap_or((s, ""));
    let plain = |t: &str| t.bytes().all(|b| b.is_ascii_digit());
    if whole.is_empty()
        || !whole.bytes().all(|b| b.is_ascii_digit() || b == b',')
        || !plain(fraction)
    {
        return Err(NotANumber);
    }
    if s.ends_with('.') {
        return Err(NotANumber);
    }
    if fraction.len() > 2 {
        return Err(TooManyDecimals);
    }
    let groups: Vec<&str> = whole.split(',').collect();
    if groups.len() > 1
        && !((1..=3).contains(&groups[0].len()) && groups[1..].iter().all(|g| g.len() == 3))
    {
        return Err(BadSeparator);
    }
    let mut satang: i64 = 0;
    for b in whole
        .bytes()
        .filter(u8::is_ascii_digit)
        .chain(fraction.bytes())
        .chain(std::iter::repeat_n(b'0', 2 - fraction.len()))
    {
        satang = satang
            .checked_mul(10)
            .and_then(|v| v.checked_add(i64::from(b - b'0')))
            .ok_or(TooLarge)?;
        if satang > MAX_SATANG * 100 {
            return Err(TooLarge);
        }
    }
    if satang > MAX_SATANG {
        return Err(TooLarge);
    }
    Ok(Some(if negative { -satang } else { satang }))
}

/// SHA-256 of the line's fields (tidied text), the same for the same bank line in any file.
fn digest(line: &StatementLine) -> [u8; 32] {
    let key = format!(
        "statement-line/v1\u{1f}{}\u{1f}{}\u{1f}{}\u{1f}{}\u{1f}{}\u{1f}{}\u{1f}{}\u{1f}{}",
        line.date,
        line.time.as_deref().unwrap_or(""),
        if line.credit { "C" } else { "D" },
        line.amount.satang(),
        line.balance.map_or_else(String::new, |b| b.to_string()),
        line.description,
        line.channel,
        line.details,
    );
    Sha256::digest(key.as_bytes()).into()
}

fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        out.push(char::from(DIGITS[usize::from(b >> 4)]));
        out.push(char::from(DIGITS[usize::from(b & 0x0F)]));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// A K-BIZ export's top: title, an account name with a quoted line break, summaries, header
    /// (line 7); data rows start on line 8.
    const KBIZ_HEAD: &str = "\u{feff}รายการเดินบัญชีเงินฝากออมทรัพย์ (มีรายละเอียด),,,,,,,,,,,,\r\n\
        ,ชื่อบัญชี,\"มูลนิธิ ตัวอย่าง\n99 ถ.ทดสอบ\",,,,,เลขที่อ้างอิง,,,,REF1,\r\n\
        ,,,,,,,เลขที่บัญชีเงินฝาก,,,,xxx-x-x1234-x,\r\n\
        ,,,,,,,รอบระหว่างวันที่,,,,01/11/2026 - 20/11/2026,\r\n\
        ,,,,,,,ยอดยกไป,,,,,\"1,470.00\"\r\n\
        ,วันที่,เวลา/ วันที่มีผล,รายการ,ถอนเงิน,,ฝากเงิน,,ยอดคงเหลือ,,ช่องทาง,,รายละเอียด\r\n";

    fn today() -> NaiveDate {
        ymd(2026, 11, 24)
    }

    fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn kbiz(rows: &str) -> Parsed {
        parse(
            format!("{KBIZ_HEAD}{rows}").as_bytes(),
            &Mapping::kbiz(),
            today(),
        )
        .unwrap()
    }

    fn refused(bytes: &[u8], mapping: &Mapping) -> String {
        parse(bytes, mapping, today()).unwrap_err().en
    }

    /// A custom mapping with only a date (column 0) and a description (column 1), then `m`.
    fn custom(m: impl FnOnce(&mut Mapping)) -> Mapping {
        let mut mapping = Mapping {
            preset: Preset::Custom,
            date: 0,
            description: Some(1),
            ..Mapping::kbiz()
        };
        (
            mapping.time,
            mapping.withdrawal,
            mapping.deposit,
            mapping.balance,
            mapping.channel,
            mapping.details,
        ) = (None, None, None, None, None, None);
        m(&mut mapping);
        mapping
    }

    fn errors(parsed: &Parsed) -> Vec<(usize, Option<&str>)> {
        parsed
            .errors
            .iter()
            .map(|e| (e.row, e.column.as_deref()))
            .collect()
    }

    fn moves(parsed: &Parsed) -> Vec<(bool, i64, Option<i64>)> {
        parsed
            .lines
            .iter()
            .map(|l| (l.credit, l.amount.satang(), l.balance))
            .collect()
    }

    fn total_credits(parsed: &Parsed) -> i64 {
        parsed
            .lines
            .iter()
            .filter(|l| l.credit)
            .map(|l| l.amount.satang())
            .sum()
    }

    /// Encodes Thai text as TIS-620 bytes (the decoder's reverse, for building test files).
    fn tis620(text: &str) -> Vec<u8> {
        let byte = |c: char| match u32::from(c) {
            n @ 0..=0x7F => n,
            n @ 0x0E01..=0x0E3A => n - 0x0E01 + 0xA1,
            n @ 0x0E3F..=0x0E5B => n - 0x0E3F + 0xDF,
            n => panic!("no TIS-620 byte for U+{n:04X}"),
        };
        text.chars()
            .map(|c| u8::try_from(byte(c)).unwrap())
            .collect()
    }

    #[test]
    fn kbiz_preset_reads_a_realistic_export() {
        let parsed = kbiz(
            ",01-11-26,,ยอดยกมา,,,,,0.00,,,,\r\n\
             ,01-11-26,09:15,รับโอนเงิน,,,\"1,500.00\",,\"1,500.00\",,K PLUS,,จาก X1234  นาย สมชาย ใจดี\r\n\
             ,02-11-26,10:00:05,ค่าธรรมเนียม,30.00,,,,\"1,470.00\",,K BIZ,,\"ค่าธรรมเนียม, โอนเงิน\",,\r\n\
             ,,,,,,,รวมถอนเงิน,,1,,รายการ,30.00\r\n,ยอดรวม,,,30.00,,\"1,500.00\",,,,,,\r\n",
        );
        assert_eq!(
            (parsed.encoding, parsed.header_row, parsed.skipped),
            (Encoding::Utf8, 7, 3)
        );
        assert!(parsed.errors.is_empty(), "{:?}", parsed.errors);
        let [first, second] = &parsed.lines[..] else {
            panic!("{:?}", parsed.lines)
        };
        assert_eq!(
            (first.row, first.date, first.time.as_deref()),
            (9, ymd(2026, 11, 1), Some("09:15"))
        );
        assert_eq!(
            (first.description.as_str(), first.channel.as_str()),
            ("รับโอนเงิน", "K PLUS")
        );
        assert_eq!(first.details, "จาก X1234 นาย สมชาย ใจดี");
        assert_eq!(
            (second.time.as_deref(), second.details.as_str()),
            (Some("10:00:05"), "ค่าธรรมเนียม, โอนเงิน")
        );
        assert_eq!(
            moves(&parsed),
            [(true, 150_000, Some(150_000)), (false, 3000, Some(147_000))]
        );
        assert_eq!(
            (parsed.opening_balance, parsed.closing_balance),
            (Some(0), Some(147_000))
        );
    }

    #[test]
    fn the_header_is_found_when_it_moves_and_in_english() {
        let moved = KBIZ_HEAD.replacen('\n', "\n,หน้าที่ 1/2,,,,,,,,,,,\n", 1);
        let file = format!("{moved},01/11/26,09:15,รับโอนเงิน,,,500.00,,500.00,,K PLUS,,x\n");
        let parsed = parse(file.as_bytes(), &Mapping::kbiz(), today()).unwrap();
        assert_eq!((parsed.header_row, parsed.lines[0].row), (8, 9));
        let english = "Statement\nDate,Time/Eff.Date,Descriptions,Withdrawal,Deposit,Outstanding Balance,Channel,Details\n\
                       02/11/2026,08:00,Transfer,,250.5,250.50,K PLUS,from X1\n";
        let parsed = parse(english.as_bytes(), &Mapping::kbiz(), today()).unwrap();
        let line = &parsed.lines[0];
        assert_eq!(moves(&parsed), [(true, 25_050, Some(25_050))]);
        assert_eq!(
            (
                line.time.as_deref(),
                line.description.as_str(),
                line.channel.as_str(),
                line.details.as_str()
            ),
            (Some("08:00"), "Transfer", "K PLUS", "from X1")
        );
        assert_eq!(headers(english.as_bytes(), &Mapping::kbiz()).unwrap().0, 2);
        // K-BIZ "recent transactions": date and time in one cell, signed withdrawals, no balance.
        let recent = "\"Account number : xxx-x-x1234-x\"\n\"Transaction Date\",\"Transaction\",\"Withdrawal (Baht)\",\
                      \"Deposit (Baht)\",\"Account/PromptPay or Biller\",\"Channel\"\n\
                      \"2026-11-02 20:24:06\",\"โอนเงิน\",\"-1,883.20\",\"\",\"บัญชีธนาคารกสิกรไทย\",\"K BIZ\"\n";
        let parsed = parse(recent.as_bytes(), &Mapping::kbiz(), today()).unwrap();
        assert_eq!(moves(&parsed), [(false, 188_320, None)]);
        let line = &parsed.lines[0];
        assert_eq!(
            (line.time.as_deref(), line.description.as_str()),
            (Some("20:24:06"), "โอนเงิน")
        );
        assert!(refused(b"no,header,here\n1,2,3\n", &Mapping::kbiz()).contains("K-BIZ header"));
    }

    #[test]
    fn tis620_with_buddhist_era_dates() {
        let text = "วันที่,รายการ,ถอน,ฝาก,คงเหลือ,ช่องทาง\r\n15/11/2569,รับโอนเงิน,,\"1,000.00\",\"1,000.00\",สาขา\r\n\
                    16/11/2569 14:05,ถอนเงิน,200.00,,800.00,ATM\r\n";
        let bytes = tis620(text);
        assert!(std::str::from_utf8(&bytes).is_err());
        for mapping in [
            Mapping::kbiz(),
            Mapping {
                encoding: Encoding::Tis620,
                ..Mapping::kbiz()
            },
        ] {
            let parsed = parse(&bytes, &mapping, today()).unwrap();
            assert_eq!(parsed.encoding, Encoding::Tis620);
            let dates: Vec<_> = parsed
                .lines
                .iter()
                .map(|l| (l.date, l.time.as_deref()))
                .collect();
            assert_eq!(
                dates,
                [
                    (ymd(2026, 11, 15), None),
                    (ymd(2026, 11, 16), Some("14:05"))
                ]
            );
            assert_eq!(
                (
                    parsed.lines[0].description.as_str(),
                    parsed.lines[1].channel.as_str()
                ),
                ("รับโอนเงิน", "ATM")
            );
        }
        let as_utf8 = refused(
            &bytes,
            &Mapping {
                encoding: Encoding::Utf8,
                ..Mapping::kbiz()
            },
        );
        assert!(
            as_utf8.contains("row 1 ") && as_utf8.contains("CSV UTF-8"),
            "{as_utf8}"
        );
        let bad = refused(
            b"a,b\n\xA1\xFF\n",
            &Mapping {
                encoding: Encoding::Tis620,
                ..Mapping::kbiz()
            },
        );
        assert!(bad.contains("row 2 "), "{bad}");
        assert!(refused(b"a,b\n\xA1\xFF\n", &Mapping::kbiz()).contains("neither UTF-8 nor TIS-620"));
    }

    #[test]
    fn windows_874_decodes_every_mapped_byte() {
        let decodable = (0x01..=0xFF_u8)
            .filter(|&b| windows_874(&[b]).is_ok())
            .count();
        assert_eq!(decodable, 0x7F + 9 + 1 + 58 + 29);
        assert_eq!(
            windows_874(b"\x80\x85\x91\x97\xA0\xA1\xDA\xDF\xFB").unwrap(),
            "€…‘—\u{a0}กฺ฿๛"
        );
        assert_eq!(windows_874(b"ok\xFC"), Err(2));
    }

    #[test]
    fn utf8_without_bom_and_thai_digits() {
        let parsed = parse(
            "วันที่,รายการ,ถอน,ฝาก\n๑๕/๑๑/๒๕๖๙,บริจาค,,๕๐๐.๐๐\n".as_bytes(),
            &Mapping::kbiz(),
            today(),
        )
        .unwrap();
        assert_eq!(
            (parsed.encoding, parsed.lines[0].date),
            (Encoding::Utf8, ymd(2026, 11, 15))
        );
        assert_eq!(moves(&parsed), [(true, 50_000, None)]);
        assert_eq!(
            (parsed.opening_balance, parsed.closing_balance),
            (None, None)
        );
    }

    #[test]
    fn two_digit_years_in_either_era() {
        let auto = |t: &str| parse_date(t, Era::Auto, today());
        assert_eq!(
            (auto("15/11/69"), auto("15/11/26")),
            (Ok(ymd(2026, 11, 15)), Ok(ymd(2026, 11, 15)))
        );
        assert_eq!(
            (auto("1/2/27"), auto("25/11/70")),
            (Ok(ymd(2027, 2, 1)), Ok(ymd(2027, 11, 25)))
        );
        assert_eq!(
            (auto("26/11/70"), auto("31/02/67")),
            (Err(DateProblem::Future), Err(DateProblem::NoSuchDate))
        );
        assert_eq!(auto("29/02/67"), Ok(ymd(2024, 2, 29)));
        assert_eq!(
            parse_date("15/11/69", Era::Christian, today()),
            Ok(ymd(2069, 11, 15))
        );
        assert_eq!(
            parse_date("15/11/26", Era::Buddhist, today()),
            Ok(ymd(1983, 11, 15))
        );
        for (text, date) in [
            ("2026-11-05 23:15:13", ymd(2026, 11, 5)),
            ("05-11-2569", ymd(2026, 11, 5)),
            ("5.11.2026", ymd(2026, 11, 5)),
        ] {
            assert_eq!(auto(text), Ok(date), "{text}");
        }
        for bad in [
            "Total",
            "13/13/26",
            "01/11/2026 - 20/11/2026",
            "1/11",
            "2026/11",
            "011/11/26",
            "1/11/126",
            "1/1/0001",
        ] {
            assert!(auto(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn an_impossible_date_names_the_date_column() {
        let parsed = kbiz(",31/02/67,,x,,,100.00,,,,,,\n,01/11/26,,x,,,100.00,,,,,,\n");
        assert_eq!(
            (errors(&parsed), parsed.lines.len()),
            (vec![(8, Some("วันที่"))], 1)
        );
        let e = &parsed.errors[0];
        assert!(
            e.en.starts_with("Row 8, column “วันที่”: there is no such date"),
            "{e:?}"
        );
        assert!(e.th.starts_with("แถวที่ 8 คอลัมน์ “วันที่”"), "{e:?}");
    }

    #[test]
    fn amounts_are_exact_and_bad_ones_are_named() {
        let ok = |t: &str| parse_amount(t).unwrap();
        assert_eq!(
            [
                ok(" \"1,500.00\" "),
                ok("1500"),
                ok("1500.5"),
                ok("0.07"),
                ok("฿12")
            ],
            [150_000, 150_000, 150_050, 7, 1200].map(Some)
        );
        assert_eq!(
            [ok("-20.00"), ok("(20.00)"), ok("20.00-"), ok(""), ok("-")],
            [Some(-2000), Some(-2000), Some(-2000), None, None]
        );
        assert_eq!(ok("1,000,000,000.00"), Some(MAX_SATANG));
        use AmountProblem::*;
        let cases = [
            ("1.005", TooManyDecimals),
            ("1,000,000,000.01", TooLarge),
            ("99999999999999999999999", TooLarge),
            ("1,50", BadSeparator),
            ("10,00.00", BadSeparator),
        ];
        for (text, problem) in cases
            .into_iter()
            .chain(["abc", "1.2.3", "1e5", "12.", ".5", "--5", "1 000"].map(|t| (t, NotANumber)))
        {
            assert_eq!(parse_amount(text), Err(problem), "{text}");
        }
        let parsed = kbiz(",01/11/26,,x,,,\"1,000.005\",,,,,,\n,01/11/26,,x,ten,,,,,,,,\n");
        assert_eq!(errors(&parsed), [(8, Some("ฝากเงิน")), (9, Some("ถอนเงิน"))]);
        assert!(parsed.errors[0]
            .en
            .contains("“1,000.005” has more than two decimal places"));
    }

    #[test]
    fn rows_with_both_or_no_amounts_are_errors() {
        let parsed = kbiz(
            ",01/11/26,,x,5.00,,6.00,,,,,,\n,01/11/26,,x,,,,,,,,,\n,01/11/26,,x,,,-5.00,,,,,,\n",
        );
        assert_eq!(
            errors(&parsed),
            [
                (8, Some("ถอนเงิน")),
                (9, Some("ถอนเงิน")),
                (10, Some("ฝากเงิน"))
            ]
        );
        assert!(parsed.errors[0]
            .en
            .contains("both a withdrawal and a deposit (column “ฝากเงิน”)"));
    }

    #[test]
    fn a_wrong_column_count_gives_both_counts() {
        let parsed = kbiz(
            ",01/11/26,,x,,,1.00,,,,,,,extra\n,01/11/26,,x,,,1.00\n,01/11/26,,x,,,1.00,,,,,,,,,\n",
        );
        let found: Vec<_> = parsed
            .errors
            .iter()
            .map(|e| (e.column.is_none(), e.en.as_str()))
            .collect();
        assert_eq!(
            found,
            [
                (true, "Row 8 has 14 columns but the header row has 13."),
                (true, "Row 9 has 7 columns but the header row has 13."),
            ]
        );
        assert_eq!(parsed.lines.len(), 1);
    }

    #[test]
    fn empty_and_non_text_files_are_refused() {
        for bytes in [&b""[..], b"\xEF\xBB\xBF", b" \r\n\r\n", b",,,\n,,\n"] {
            assert!(
                refused(bytes, &Mapping::kbiz()).contains("empty"),
                "{bytes:?}"
            );
        }
        let utf16: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain("a,b\r\n".encode_utf16().flat_map(u16::to_le_bytes))
            .collect();
        let xlsx = b"PK\x03\x04\x14\x00\x06\x00rest of a zip";
        for bytes in [&utf16[..], &xlsx[..], b"%PDF-1.7", b"a,b\x00c"] {
            let err = parse(bytes, &Mapping::kbiz(), today()).unwrap_err();
            assert!(
                err.en.contains("CSV UTF-8") && err.th.contains("CSV UTF-8"),
                "{err:?}"
            );
        }
        assert!(headers(xlsx, &Mapping::kbiz()).is_err());
        assert!(refused(&vec![b'a'; MAX_FILE_BYTES + 1], &Mapping::kbiz()).contains("20 MB"));
        let only_totals = format!("{KBIZ_HEAD},,,,,,,รวม,,0,,รายการ,0.00\n");
        assert!(refused(only_totals.as_bytes(), &Mapping::kbiz()).contains("No transactions"));
    }

    #[test]
    fn identical_lines_get_counted_fingerprints() {
        let (day2, day3) = (
            ",02/11/26,,PromptPay,,,300.00,,,,PromptPay,,นาย สมชาย ใจดี\n",
            ",03/11/26,,PromptPay,,,300.00,,,,PromptPay,,นาย สมชาย ใจดี\n",
        );
        let prints = |p: &Parsed| {
            p.lines
                .iter()
                .map(|l| l.fingerprint.clone())
                .collect::<Vec<_>>()
        };
        let first = prints(&kbiz(&format!("{day2}{day3}{day3}")));
        assert!(
            first[0].ends_with("#0") && first[1].ends_with("#0") && first[2].ends_with("#1"),
            "{first:?}"
        );
        assert_eq!(
            (first[1][..64].to_owned(), first[1].len()),
            (first[2][..64].to_owned(), 66)
        );
        assert_ne!(first[0][..64], first[1][..64]);
        assert_eq!(prints(&kbiz(&format!("{day2}{day3}{day3}"))), first);
        // An overlapping statement that starts on 3 November, spaced differently, gives the same.
        let overlap = prints(&kbiz(&format!(
            "{day3}{}",
            day3.replace("นาย สมชาย", "นาย   สมชาย")
        )));
        assert_eq!(overlap, first[1..]);
    }

    #[test]
    fn custom_mapping_with_one_signed_amount_column() {
        let scb = "Account,Date,Time,Description,Amount,Balance,Channel\n\
                   xxx-x-x1234-x,01/11/2026,09:00,Transfer in,\"1,500.00\",\"11,500.00\",ENET\n\
                   xxx-x-x1234-x,02/11/2026,10:00,Bill payment,-250.25,\"11,249.75\",ENET\n";
        let mapping = custom(|m| {
            (
                m.date,
                m.time,
                m.description,
                m.amount,
                m.balance,
                m.channel,
            ) = (1, Some(2), Some(3), Some(4), Some(5), Some(6));
        });
        let parsed = parse(scb.as_bytes(), &mapping, today()).unwrap();
        assert_eq!(
            moves(&parsed),
            [
                (true, 150_000, Some(1_150_000)),
                (false, 25_025, Some(1_124_975))
            ]
        );
        assert_eq!(
            (parsed.opening_balance, parsed.closing_balance),
            (Some(1_000_000), Some(1_124_975))
        );
        assert_eq!(headers(scb.as_bytes(), &mapping).unwrap().1[4], "Amount");
    }

    #[test]
    fn custom_mapping_with_debit_and_credit_columns_and_no_header() {
        let file = "Bangkok Bank statement\nxxx-x-x1234-x\n\n5/11/2026,ฝากเงินสด,,800,-200.00,สาขา\n4/11/2026,ค่าธรรมเนียม,10,,-1000.00,ATM\n";
        let mapping = custom(|m| {
            (m.withdrawal, m.deposit, m.balance, m.channel) = (Some(2), Some(3), Some(4), Some(5))
        });
        let parsed = parse(file.as_bytes(), &mapping, today()).unwrap();
        assert_eq!((parsed.header_row, parsed.skipped), (0, 0));
        assert_eq!(
            moves(&parsed),
            [(true, 80_000, Some(-20_000)), (false, 1000, Some(-100_000))]
        );
        // Newest first: the opening balance is worked out from the oldest line.
        assert_eq!(
            (parsed.opening_balance, parsed.closing_balance),
            (Some(-99_000), Some(-20_000))
        );
        let columns = (1..=6).map(|n| format!("column {n}")).collect();
        assert_eq!(headers(file.as_bytes(), &mapping).unwrap(), (0, columns));
        let wide = custom(|m| (m.withdrawal, m.deposit) = (Some(2), Some(9)));
        assert!(refused(file.as_bytes(), &wide).contains("column 10 chosen for deposit"));
        assert!(refused(
            file.as_bytes(),
            &custom(|m| (m.date, m.amount) = (4, Some(3)))
        )
        .contains("No row has a date"));
    }

    #[test]
    fn quoted_amounts_with_commas() {
        let file = "วันที่,รายการ,จำนวนเงิน\n01/11/2026,\"บริจาค, ผ้าป่า\",\"1,500.00\"\n02/11/2026,คืนเงิน,\" -1,000.50 \"\n";
        let parsed = parse(file.as_bytes(), &custom(|m| m.amount = Some(2)), today()).unwrap();
        assert_eq!(
            moves(&parsed),
            [(true, 150_000, None), (false, 100_050, None)]
        );
        assert_eq!(parsed.lines[0].description, "บริจาค, ผ้าป่า");
    }

    #[test]
    fn mappings_are_validated() {
        assert_eq!(
            (Mapping::kbiz().validate(), Mapping::default()),
            (Ok(()), Mapping::kbiz())
        );
        let fields = |m: Mapping| {
            m.validate()
                .unwrap_err()
                .into_iter()
                .map(|e| e.field)
                .collect::<Vec<_>>()
        };
        assert_eq!(fields(custom(|_| {})), ["amount"]);
        assert_eq!(fields(custom(|m| m.deposit = Some(7))), ["withdrawal"]);
        assert_eq!(
            fields(custom(|m| (m.amount, m.deposit) = (Some(4), Some(5)))),
            ["amount"]
        );
        assert_eq!(
            fields(custom(|m| (m.amount, m.balance) = (Some(4), Some(4)))),
            ["balance"]
        );
        assert_eq!(
            fields(custom(|m| (m.amount, m.header_row) = (Some(999), Some(0)))),
            ["header_row", "amount"]
        );
        assert!(refused(b"a", &custom(|_| {})).contains("withdrawal and deposit"));
        let json = serde_json::to_string(&Mapping::kbiz()).unwrap();
        assert!(
            json.contains("\"preset\":\"kbiz\"") && json.contains("\"era\":\"auto\""),
            "{json}"
        );
        assert_eq!(
            serde_json::from_str::<Mapping>("{\"preset\":\"custom\",\"date\":2}")
                .unwrap()
                .date,
            2
        );
    }

    #[test]
    fn fixtures_parse_as_expected() {
        let k = parse(
            include_bytes!("../../../end2end/fixtures/kbiz-statement-utf8.csv"),
            &Mapping::kbiz(),
            today(),
        )
        .unwrap();
        assert!(k.errors.is_empty(), "{:?}", k.errors);
        assert_eq!(
            (k.header_row, k.lines.len(), k.skipped, total_credits(&k)),
            (12, 20, 4, 7_180_358)
        );
        assert_eq!(
            (k.opening_balance, k.closing_balance),
            (Some(0), Some(1_553_408))
        );
        let mut running = 0;
        for line in &k.lines {
            running += if line.credit {
                line.amount.satang()
            } else {
                -line.amount.satang()
            };
            assert_eq!(line.balance, Some(running), "row {}", line.row);
        }
        assert!(k
            .lines
            .iter()
            .any(|l| l.amount == Money::from_baht(55_000) && !l.credit));
        let ktb = custom(|m| {
            (m.withdrawal, m.deposit, m.balance, m.channel) = (Some(2), Some(3), Some(4), Some(5))
        });
        let t = parse(
            include_bytes!("../../../end2end/fixtures/tis620-statement-be.csv"),
            &ktb,
            today(),
        )
        .unwrap();
        assert_eq!(
            (
                t.encoding,
                t.header_row,
                t.lines.len(),
                t.skipped,
                t.errors.len()
            ),
            (Encoding::Tis620, 4, 10, 1, 0)
        );
        assert_eq!(
            (total_credits(&t), t.opening_balance, t.closing_balance),
            (1_975_124, Some(500_000), Some(1_528_624))
        );
        assert!(t
            .lines
            .iter()
            .all(|l| l.date.format("%Y-%m").to_string() == "2026-11"));
        let m = parse(
            include_bytes!("../../../end2end/fixtures/malformed-statement.csv"),
            &Mapping::kbiz(),
            today(),
        )
        .unwrap();
        assert_eq!(
            errors(&m),
            [(15, Some("วันที่")), (16, Some("ฝากเงิน")), (18, None)]
        );
        assert_eq!((m.lines.len(), total_credits(&m)), (3, 750_000));
    }

    #[test]
    fn fifty_thousand_rows_parse_quickly() {
        let (mut file, mut balance) = (String::from(KBIZ_HEAD), 0_i64);
        for i in 0..50_000_i64 {
            let day = ymd(2026, 1, 1) + Days::new(u64::try_from(i / 200).unwrap());
            let (credit, satang) = (i % 5 != 0, 10_000 + i);
            balance += if credit { satang } else { -satang };
            let baht = crate::model::money::group_thousands(u64::try_from(satang / 100).unwrap());
            let amount = format!("\"{baht}.{:02}\"", satang % 100);
            let (w, d) = if credit {
                ("", amount.as_str())
            } else {
                (amount.as_str(), "")
            };
            let bal = format!(
                "{}{}.{:02}",
                if balance < 0 { "-" } else { "" },
                balance.abs() / 100,
                balance.abs() % 100
            );
            let date = day.format("%d/%m/%y");
            file.push_str(&format!(
                ",{date},{:02}:{:02},รับโอนเงิน,{w},,{d},,{bal},,PromptPay,,จาก X{i} นาย สมชาย ใจดี\n",
                i % 24,
                i % 60
            ));
        }
        let started = std::time::Instant::now();
        let parsed = parse(file.as_bytes(), &Mapping::kbiz(), today()).unwrap();
        eprintln!(
            "parsed 50,000 rows ({} bytes) in {:?}",
            file.len(),
            started.elapsed()
        );
        assert_eq!(
            (
                parsed.lines.len(),
                parsed.errors.len(),
                parsed.closing_balance
            ),
            (50_000, 0, Some(balance))
        );
    }

    proptest! {
        #[test]
        fn nothing_panics_on_any_input(bytes in proptest::collection::vec(any::<u8>(), 0..400), text in "[0-9,./: \"ก-ฮa-z\n-]{0,200}") {
            let _ = parse(&bytes, &Mapping::kbiz(), today());
            let _ = parse(format!("{KBIZ_HEAD}{text}").as_bytes(), &Mapping::kbiz(), today());
            let _ = headers(text.as_bytes(), &custom(|m| m.amount = Some(2)));
            let _ = parse(text.as_bytes(), &custom(|m| m.amount = Some(2)), today());
        }
    }
}
