//! Where a statement's table is and which column holds what. K-BIZ exports put a varying number
//! of title and summary rows above the header, so the header is found by its cell texts, not by
//! a row number; other banks' files are read through the officer's column mapping, checked here
//! against the file's width. The [`Layout`] also names columns in row errors the way the file's
//! header does, so an officer can find the cell in Excel.

use super::text::{cell, tidy, trimmed_len, Row};
use super::{date::looks_like_date, Encoding, Era, FileError, Mapping, Preset, RowError};
use crate::model::statement::mapping::column_label;

/// Where the header is and which column holds what.
pub(super) struct Layout {
    /// Indexes into the rows: the header's, and the first row after it.
    pub(super) header: Option<usize>,
    pub(super) start: usize,
    pub(super) cols: Mapping,
    /// The date column (every layout has one).
    pub(super) date: usize,
    /// Whether a custom mapping was set aside because the file is a K-BIZ export.
    pub(super) kbiz_over_custom: bool,
    names: Vec<String>,
    /// Columns a data row must have (the header's, without trailing empty cells).
    pub(super) width: usize,
}

impl Layout {
    /// The column as named in the Thai and English messages, and in [`RowError::column`].
    pub(super) fn name(&self, index: Option<usize>) -> (String, String, String) {
        let index = index.unwrap_or(0);
        match self.names.get(index).filter(|n| !n.is_empty()) {
            Some(n) => (format!(" “{n}”"), format!("“{n}”"), n.clone()),
            None => {
                let n = index + 1;
                (format!("ที่ {n}"), n.to_string(), format!("column {n}"))
            }
        }
    }

    /// A row error naming the row and the column, with the reason in Thai and English.
    pub(super) fn error(&self, row: usize, index: Option<usize>, th: &str, en: &str) -> RowError {
        let (col_th, col_en, column) = self.name(index);
        RowError {
            row,
            column: Some(column),
            th: format!("แถวที่ {row} คอลัมน์{col_th}: {th}"),
            en: format!("Row {row}, column {col_en}: {en}"),
        }
    }
}

/// Finds the header and the columns, and checks a custom mapping against the file's width.
pub(super) fn locate(rows: &[Row], mapping: &Mapping) -> Result<Layout, FileError> {
    let custom = mapping.preset == Preset::Custom;
    let (header, start) = find_header(rows, mapping, mapping.date.filter(|_| custom))?;
    // A K-BIZ export is read by its header even under a custom mapping saved for the account:
    // columns chosen for another layout would read it wrongly without an error.
    let kbiz_over_custom = custom && header.is_some_and(|h| is_kbiz_header(&rows[h].record));
    let cols = if custom && !kbiz_over_custom {
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
        let (th, en) = column_label(field);
        return Err(FileError::new(
            format!("ไฟล์มี {room} คอลัมน์ ไม่มีคอลัมน์ที่ {n} ที่เลือกไว้สำหรับ \"{th}\""),
            format!("The file has {room} columns; column {n} chosen for {en} does not exist."),
        ));
    }
    let date = cols
        .date
        .ok_or_else(|| FileError::new("กรุณาเลือกคอลัมน์วันที่", "Choose the date column."))?;
    Ok(Layout {
        header,
        start,
        cols,
        date,
        kbiz_over_custom,
        names,
        width,
    })
}

/// The header row's index: the row the mapping names, else the first row whose texts name a
/// date and amount columns, else (when `date_column` is given) the last non-blank row before the
/// first row with a date in that column (`usize::MAX` means any column). `None` means the file
/// has no header row.
pub(super) fn find_header(
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

/// The account number printed above the table (K-BIZ: "เลขที่บัญชีเงินฝาก" then the masked
/// number a few cells on; other banks: "Account No.: 123-4-56789-0" in one cell, or the label and
/// the number apart): what follows the label in its own cell if that holds a digit, else the
/// first later cell that does.
pub(super) fn printed_account(rows: &[Row]) -> Option<String> {
    const LABELS: [&str; 3] = ["เลขที่บัญชี", "account no", "account number"];
    rows.iter().find_map(|row| {
        let cells: Vec<String> = row.record.iter().map(tidy).collect();
        let (label, rest) = cells.iter().enumerate().find_map(|(i, c)| {
            let lower = c.to_lowercase();
            LABELS
                .iter()
                .find(|l| lower.starts_with(*l))
                .map(|l| (i, lower[l.len()..].to_owned()))
        })?;
        let own = rest.trim_start_matches(|c: char| !c.is_ascii_digit() && !matches!(c, 'x' | '*'));
        let number = if own.chars().any(|c| c.is_ascii_digit()) {
            Some(own.trim())
        } else {
            cells[label + 1..]
                .iter()
                .map(String::as_str)
                .find(|c| c.chars().any(|ch| ch.is_ascii_digit()))
        };
        number.map(|n| n.chars().take(40).collect())
    })
}

/// The answer when the K-BIZ preset finds no K-BIZ header.
pub(super) fn no_kbiz_header() -> FileError {
    FileError::new(
        "ไม่พบแถวหัวตารางของ K-BIZ (วันที่ ถอนเงิน ฝากเงิน ...) ตรวจสอบว่าเป็นไฟล์รายการเดินบัญชีจาก K-BIZ หรือกำหนดคอลัมน์เอง",
        "No K-BIZ header row (Date, Withdrawal, Deposit ...) was found. Check that this is a K-BIZ statement export, or choose the columns yourself.",
    )
}

/// Whether a header row is K-BIZ's own (its Thai column names, each a cell of its own).
fn is_kbiz_header(record: &csv::StringRecord) -> bool {
    const KBIZ: [&str; 6] = [
        "วันที่",
        "รายการ",
        "ถอนเงิน",
        "ฝากเงิน",
        "ยอดคงเหลือ",
        "รายละเอียด",
    ];
    let cells: Vec<String> = record.iter().map(tidy).collect();
    KBIZ.iter().all(|name| cells.iter().any(|c| c == name))
}

/// The columns a header row names, if it names a date and either withdrawal and deposit
/// columns or one amount column. Each cell serves one field; the first match wins.
fn header_columns(record: &csv::StringRecord) -> Option<Mapping> {
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
        date: Some(date),
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

#[cfg(test)]
mod tests {
    use super::super::test_support::*;

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
            ) = (Some(1), Some(2), Some(3), Some(4), Some(5), Some(6));
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
        assert!(refused(file.as_bytes(), &wide).contains("column 10 chosen for Deposit"));
        assert!(refused(
            file.as_bytes(),
            &custom(|m| (m.date, m.amount) = (Some(4), Some(3)))
        )
        .contains("No row has a date"));
    }
}
