//! Decoded text split into CSV rows, and the small cell helpers every other part of the reader
//! uses. Kept apart so the header search, the row reader and the number readers share one idea
//! of what a cell, a blank row and a digit are.

use super::{empty_file, FileError};
use csv::StringRecord;

/// One CSV record and the line it starts on.
pub(super) struct Row {
    /// The line number in the file, counting from 1 (a quoted line break makes a record span
    /// more than one line, so this is not the record's index).
    pub(super) line: usize,
    pub(super) record: StringRecord,
}

/// Splits the text into records, each with the line it starts on.
pub(super) fn split_rows(text: &str) -> Result<Vec<Row>, FileError> {
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

/// The cell's text without surrounding whitespace; empty past the end of the record.
pub(super) fn cell(record: &StringRecord, index: usize) -> &str {
    record.get(index).map_or("", str::trim)
}

/// Cells up to the last non-empty one (Excel pads rows with empty cells).
pub(super) fn trimmed_len(record: &StringRecord) -> usize {
    (0..record.len())
        .rev()
        .find(|&i| !cell(record, i).is_empty())
        .map_or(0, |i| i + 1)
}

/// Text with runs of whitespace and control characters made one space.
pub(super) fn tidy(text: &str) -> String {
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

/// The first 40 characters, for quoting a cell in a message.
pub(super) fn preview(text: &str) -> String {
    let short: String = text.chars().take(40).collect();
    if short.len() < text.len() {
        format!("{short}…")
    } else {
        short
    }
}

/// An ASCII or a Thai digit (๐–๙).
pub(super) fn is_digit(c: char) -> bool {
    c.is_ascii_digit() || ('\u{0E50}'..='\u{0E59}').contains(&c)
}

/// Thai digits (๐–๙) read as ASCII digits.
pub(super) fn ascii_digits(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '\u{0E50}'..='\u{0E59}' => char::from(b'0' + (u32::from(c) - 0x0E50) as u8),
            _ => c,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_are_counted_across_quoted_breaks_and_crlf() {
        let rows = split_rows("a,b\r\n\"x\ny\",z\r\n\r\nlast,1\n").unwrap();
        let lines: Vec<_> = rows.iter().map(|r| r.line).collect();
        assert_eq!(lines, [1, 2, 5]);
        assert_eq!(cell(&rows[1].record, 0), "x\ny");
        assert!(split_rows(",,\n , \n").is_err());
    }

    #[test]
    fn cells_are_tidied_and_digits_read() {
        let record = StringRecord::from(vec![" a ", "", " ", ""]);
        assert_eq!((cell(&record, 0), cell(&record, 9)), ("a", ""));
        assert_eq!(trimmed_len(&record), 1);
        assert_eq!(tidy(" จาก\tX1\r\n  นาย "), "จาก X1 นาย");
        assert_eq!(ascii_digits("๑๕/๑๑/๒๕๖๙"), "15/11/2569");
        assert!(is_digit('๙') && !is_digit('a'));
        assert_eq!(preview(&"ก".repeat(41)), format!("{}…", "ก".repeat(40)));
    }
}
