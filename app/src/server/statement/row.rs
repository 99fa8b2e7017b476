//! One row after the header read into a transaction line, or told apart as blank, a total or a
//! balance brought forward, or refused with every reason it cannot be read. A row is refused
//! rather than half-read: callers store nothing while any row error remains.

use super::amount::parse_amount;
use super::date::{parse_date, read_time_cell, time_after_date};
use super::layout::Layout;
use super::text::{cell, is_digit, tidy, trimmed_len, Row};
use super::{RowError, StatementLine};
use crate::model::money::group_thousands;
use crate::model::Money;
use chrono::NaiveDate;

/// The most characters a cell may hold. No bank writes a longer cell, so a longer one means a
/// wrong or crafted file; it is refused so that it is never stored or shown.
pub(super) const MAX_CELL_CHARS: usize = 1_000;

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

/// How a totals or summary row names itself (compared lowercased, at the start of a cell).
/// Words that begin a Thai totals cell ("รวม", "รวมฝาก", "ยอดรวมทั้งสิ้น": Thai runs words
/// together, so these are prefixes).
const THAI_SUMMARY: [&str; 2] = ["รวม", "ยอดรวม"];
/// English totals words, matched as whole words ("Total: 3", not "Total Access").
const ENGLISH_SUMMARY: [&str; 7] = [
    "total",
    "totals",
    "subtotal",
    "sub-total",
    "grand total",
    "sum",
    "summary",
];

/// Whether a row without a date names itself a total or summary, as the bank's ",,รวม,…" rows
/// do. The details cell (the payer's own words) never counts. A dateless row that does not is
/// still refused: a transaction whose date cell was lost must not vanish quietly.
fn is_summary(record: &csv::StringRecord, details: Option<usize>) -> bool {
    record.iter().enumerate().any(|(i, c)| {
        let c = c.trim().to_lowercase();
        let english = |w: &&str| {
            c.strip_prefix(*w).is_some_and(|rest| {
                rest.chars()
                    .next()
                    .is_none_or(|n| n.is_whitespace() || n == ':' || n.is_ascii_digit())
            })
        };
        Some(i) != details
            && (THAI_SUMMARY.iter().any(|w| c.starts_with(w))
                || ENGLISH_SUMMARY.iter().any(english))
    })
}

/// What one row after the header holds.
pub(super) enum RowKind {
    Blank,
    /// A total, a summary or a repeated header: no date and no amount.
    Skipped,
    /// A "balance brought forward" row: its balance.
    Forward(i64),
    /// A transaction (its fingerprint still to be set).
    Line(StatementLine),
    Bad(Vec<RowError>),
}

/// Reads one row after the header. `today` (Bangkok) settles 2-digit years under
/// [`super::Era::Auto`].
pub(super) fn read_row(layout: &Layout, row: &Row, today: NaiveDate) -> RowKind {
    let cols = &layout.cols;
    let record = &row.record;
    let filled = trimmed_len(record);
    if filled == 0 {
        return RowKind::Blank;
    }
    let too_long = too_long_cells(layout, row);
    if !too_long.is_empty() {
        return RowKind::Bad(too_long);
    }
    let date_text = cell(record, layout.date);
    let date = parse_date(date_text, cols.era, today);
    let has_amount = [cols.withdrawal, cols.deposit, cols.amount]
        .into_iter()
        .flatten()
        .any(|i| matches!(parse_amount(cell(record, i)), Ok(Some(_))));
    let wordy = !date_text.is_empty() && !date_text.chars().any(is_digit);
    if date.is_err() && (!has_amount || wordy || is_summary(record, cols.details)) {
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
        .map_err(|p| {
            let (th, en) = p.message(date_text);
            problems.push(layout.error(row.line, Some(layout.date), &th, &en));
        })
        .ok();
    let time_cell = cols.time.and_then(|i| {
        let text = cell(record, i);
        let time = read_time_cell(text).map_err(|p| {
            let (th, en) = p.message(text);
            problems.push(layout.error(row.line, Some(i), &th, &en));
        });
        time.ok().flatten()
    });
    let mut read = |index: Option<usize>| {
        let i = index?;
        let text = cell(record, i);
        let amount = parse_amount(text).map_err(|p| {
            let (th, en) = p.message(text);
            layout.error(row.line, Some(i), &th, &en)
        });
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
    let text_at = |index: Option<usize>| index.map_or_else(String::new, |i| tidy(cell(record, i)));
    RowKind::Line(StatementLine {
        row: row.line,
        date,
        time: time_cell.or_else(|| time_after_date(date_text)),
        credit,
        amount: Money::from_satang(satang),
        balance,
        description: text_at(cols.description),
        channel: text_at(cols.channel),
        details: text_at(cols.details),
        fingerprint: String::new(),
    })
}

/// An error for each cell of the row longer than [`MAX_CELL_CHARS`] (counted in characters,
/// without surrounding whitespace), mapped or not.
fn too_long_cells(layout: &Layout, row: &Row) -> Vec<RowError> {
    let mut errors = Vec::new();
    for i in 0..row.record.len() {
        let text = cell(&row.record, i);
        // A cell of at most that many bytes has at most that many characters.
        if text.len() <= MAX_CELL_CHARS {
            continue;
        }
        let chars = text.chars().count();
        if chars > MAX_CELL_CHARS {
            let (n, max) = (
                group_thousands(chars as u64),
                group_thousands(MAX_CELL_CHARS as u64),
            );
            errors.push(layout.error(
                row.line,
                Some(i),
                &format!("ยาว {n} ตัวอักษร เกิน {max} ตัวอักษร ซึ่งไม่มีธนาคารใดเขียน ตรวจสอบว่าเลือกไฟล์ถูกต้อง"),
                &format!("the cell is {n} characters long; no bank writes more than {max}. Check that this is the right file."),
            ));
        }
    }
    errors
}

#[cfg(test)]
mod tests;
