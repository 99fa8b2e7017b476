//! Keeping patients out of Phapa: a borrower code is the hospital's own short code, and no code or
//! note may carry a national ID or a phone number. Health data is sensitive under the PDPA; the
//! surest way not to leak it is never to hold it.

use crate::model::form::FieldErrors;
use crate::model::thai_id::is_valid_13;

/// What an identifier-like run of digits looks like.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Identifier {
    /// 13 digits with a valid check digit: a national ID (or a tax ID).
    NationalId,
    /// A Thai mobile or landline number, or one with the +66 country code.
    Phone,
}

/// The digits of `text` in runs: spaces, dashes, dots, slashes, underscores and brackets between
/// digits (any number of them) do not break a run, anything else does. Thai digits (๐–๙) count as
/// digits.
fn digit_runs(text: &str) -> Vec<String> {
    let mut runs = Vec::new();
    let mut run = String::new();
    for c in text.chars() {
        let digit = match c {
            '0'..='9' => Some(c),
            '๐'..='๙' => char::from_digit(c as u32 - '๐' as u32, 10),
            _ => None,
        };
        match digit {
            Some(d) => run.push(d),
            None if matches!(c, ' ' | '-' | '.' | '/' | '_' | '(' | ')') => {}
            None => {
                if !run.is_empty() {
                    runs.push(std::mem::take(&mut run));
                }
            }
        }
    }
    if !run.is_empty() {
        runs.push(run);
    }
    runs
}

/// Whether a run of digits holds a Thai phone number: a mobile (0 then 6, 8 or 9, ten digits), a
/// landline (0 then 2–7, nine digits) or either with the 66 country code instead of the 0.
fn has_phone(d: &[u8]) -> bool {
    let mobile = d
        .windows(10)
        .any(|w| w[0] == b'0' && matches!(w[1], b'6' | b'8' | b'9'));
    let landline = d.len() == 9 && d[0] == b'0' && matches!(d[1], b'2'..=b'7');
    let international = d
        .windows(11)
        .any(|w| w[0] == b'6' && w[1] == b'6' && matches!(w[2], b'6' | b'8' | b'9'))
        || (d.len() == 10 && d[0] == b'6' && d[1] == b'6' && matches!(d[2], b'2'..=b'7'));
    mobile || landline || international
}

/// Whether `text` carries something that identifies a person: a 13-digit number with a valid
/// check digit, or a Thai phone number.
pub fn identifier_in(text: &str) -> Option<Identifier> {
    for run in digit_runs(text) {
        let d = run.as_bytes();
        if d.len() >= 13
            && d.windows(13)
                .any(|w| is_valid_13(std::str::from_utf8(w).unwrap_or("")))
        {
            return Some(Identifier::NationalId);
        }
        if has_phone(d) {
            return Some(Identifier::Phone);
        }
    }
    None
}

fn refuse_identifier(e: &mut FieldErrors, field: &str, text: &str) -> bool {
    match identifier_in(text) {
        Some(Identifier::NationalId) => e.add(
            field,
            "ห้ามกรอกเลขประจำตัวประชาชนหรือข้อมูลที่ระบุตัวผู้ป่วย ใช้รหัสผู้ยืมที่ รพ.สต. กำหนดเอง",
            "Do not enter a national ID or anything that identifies the patient; use the hospital's own borrower code.",
        ),
        Some(Identifier::Phone) => e.add(
            field,
            "ห้ามกรอกหมายเลขโทรศัพท์หรือข้อมูลที่ระบุตัวผู้ป่วย",
            "Do not enter a phone number or anything that identifies the patient.",
        ),
        None => return false,
    }
    true
}

/// A borrower code: 1–40 characters of Latin letters, digits and `- / . _`, kept upper-case,
/// that is not a national ID or a phone number. Spaces and Thai letters are refused, so a name
/// cannot be typed in its place.
pub fn borrower_code(e: &mut FieldErrors, field: &str, value: &str) -> String {
    let code = value.trim().to_ascii_uppercase();
    if code.is_empty() {
        e.add(
            field,
            "กรุณากรอกรหัสผู้ยืมที่ รพ.สต. กำหนด",
            "Enter the borrower code your hospital gives.",
        );
        return code;
    }
    // A code's digits are read together, whatever letters split them.
    let digits: String = code.chars().filter(char::is_ascii_digit).collect();
    if refuse_identifier(e, field, &code) || refuse_identifier(e, field, &digits) {
        return code;
    }
    if code.chars().count() > super::MAX_CODE
        || !code
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-/._".contains(c))
    {
        e.add(
            field,
            format!(
                "รหัสผู้ยืมใช้ได้เฉพาะอักษรอังกฤษ ตัวเลข และ - / . _ ไม่เกิน {} ตัว (ห้ามใช้ชื่อผู้ป่วย)",
                super::MAX_CODE
            ),
            format!(
                "A borrower code is up to {} Latin letters, digits and - / . _ (never the patient's name).",
                super::MAX_CODE
            ),
        );
    }
    code
}

/// An optional short note (at most 500 characters) with no identifier in it.
pub fn note(e: &mut FieldErrors, field: &str, value: &str) -> Option<String> {
    let n = e.optional(field, value, super::MAX_LOAN_NOTE)?;
    refuse_identifier(e, field, &n);
    Some(n)
}
