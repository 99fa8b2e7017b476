//! Files and helpers shared by the reader's tests in every module.

pub(super) use super::{headers, parse, Encoding, Mapping, Parsed, Preset};
use chrono::NaiveDate;

/// A K-BIZ export's top: title, an account name with a quoted line break, summaries, header
/// (line 7); data rows start on line 8.
pub(super) const KBIZ_HEAD: &str = "\u{feff}รายการเดินบัญชีเงินฝากออมทรัพย์ (มีรายละเอียด),,,,,,,,,,,,\r\n\
    ,ชื่อบัญชี,\"มูลนิธิ ตัวอย่าง\n99 ถ.ทดสอบ\",,,,,เลขที่อ้างอิง,,,,REF1,\r\n\
    ,,,,,,,เลขที่บัญชีเงินฝาก,,,,xxx-x-x1234-x,\r\n\
    ,,,,,,,รอบระหว่างวันที่,,,,01/11/2026 - 20/11/2026,\r\n\
    ,,,,,,,ยอดยกไป,,,,,\"1,470.00\"\r\n\
    ,วันที่,เวลา/ วันที่มีผล,รายการ,ถอนเงิน,,ฝากเงิน,,ยอดคงเหลือ,,ช่องทาง,,รายละเอียด\r\n";

pub(super) fn today() -> NaiveDate {
    ymd(2026, 11, 24)
}

pub(super) fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

/// The K-BIZ head, then `rows`, read with the K-BIZ preset.
pub(super) fn kbiz(rows: &str) -> Parsed {
    parse(
        format!("{KBIZ_HEAD}{rows}").as_bytes(),
        &Mapping::kbiz(),
        today(),
    )
    .unwrap()
}

/// The English message of the file's refusal.
pub(super) fn refused(bytes: &[u8], mapping: &Mapping) -> String {
    parse(bytes, mapping, today()).unwrap_err().en
}

/// A custom mapping with only a date (column 0) and a description (column 1), then `m`.
pub(super) fn custom(m: impl FnOnce(&mut Mapping)) -> Mapping {
    let mut mapping = Mapping {
        preset: Preset::Custom,
        date: Some(0),
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

/// Each error's row and column.
pub(super) fn errors(parsed: &Parsed) -> Vec<(usize, Option<&str>)> {
    parsed
        .errors
        .iter()
        .map(|e| (e.row, e.column.as_deref()))
        .collect()
}

/// Each line's direction (credit), satang and balance.
pub(super) fn moves(parsed: &Parsed) -> Vec<(bool, i64, Option<i64>)> {
    parsed
        .lines
        .iter()
        .map(|l| (l.credit, l.amount.satang(), l.balance))
        .collect()
}

pub(super) fn total_credits(parsed: &Parsed) -> i64 {
    parsed
        .lines
        .iter()
        .filter(|l| l.credit)
        .map(|l| l.amount.satang())
        .sum()
}

/// Encodes Thai text as TIS-620 bytes (the decoder's reverse, for building test files).
pub(super) fn tis620(text: &str) -> Vec<u8> {
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
