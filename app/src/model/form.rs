//! Reading a typed form: every refused field collected with its own message in Thai and English,
//! so a person sees all that is wrong at once. Every form in Phapa is read through
//! [`FieldErrors`]; parsers return the valid value or the list.

use super::thai_id::NationalId;
use super::{Lang, Money};
use crate::error::{AppError, FieldError};
use chrono::NaiveDate;

/// Collects field errors while a form is read.
#[derive(Debug, Default)]
pub struct FieldErrors(Vec<FieldError>);

impl FieldErrors {
    /// Refuses `field` with a message in both languages.
    pub fn add(&mut self, field: &str, th: impl Into<String>, en: impl Into<String>) {
        self.0.push(FieldError::new(field, th, en));
    }

    /// Trimmed text that must be present and at most `max` characters.
    pub fn required(&mut self, field: &str, value: &str, max: usize) -> String {
        let v = value.trim();
        if v.is_empty() {
            self.add(field, "กรุณากรอกช่องนี้", "This field is required.");
        } else {
            self.at_most(field, v, max);
        }
        v.to_owned()
    }

    /// Trimmed optional text of at most `max` characters; empty is `None`.
    pub fn optional(&mut self, field: &str, value: &str, max: usize) -> Option<String> {
        let v = value.trim();
        self.at_most(field, v, max);
        (!v.is_empty()).then(|| v.to_owned())
    }

    fn at_most(&mut self, field: &str, v: &str, max: usize) {
        if v.chars().count() > max {
            self.add(
                field,
                format!("ยาวได้ไม่เกิน {max} ตัวอักษร"),
                format!("At most {max} characters."),
            );
        }
    }

    /// An amount of money; `Money::ZERO` (with an error) when it is not one.
    pub fn amount(&mut self, field: &str, value: &str) -> Money {
        Money::parse(value).unwrap_or_else(|e| {
            self.add(field, e.message(Lang::Th), e.message(Lang::En));
            Money::ZERO
        })
    }

    /// A whole number from 1 to `max`, or `None` with an error naming `what` (Thai, English).
    pub fn whole_number(
        &mut self,
        field: &str,
        value: &str,
        max: i64,
        what: (&str, &str),
    ) -> Option<i64> {
        let n = value
            .trim()
            .parse::<i64>()
            .ok()
            .filter(|n| (1..=max).contains(n));
        if n.is_none() {
            let max = thousands(max);
            self.add(
                field,
                format!("{}ต้องเป็นจำนวนเต็ม 1 ถึง {max}", what.0),
                format!("{} must be a whole number from 1 to {max}.", what.1),
            );
        }
        n
    }

    /// A count from 0 to `max` (empty counts as 0), or 0 with an error naming `what`.
    pub fn count(&mut self, field: &str, value: &str, max: i64, what: (&str, &str)) -> i64 {
        let value = value.trim();
        if value.is_empty() {
            return 0;
        }
        match value.parse::<i64>().ok().filter(|n| (0..=max).contains(n)) {
            Some(n) => n,
            None => {
                let max = thousands(max);
                self.add(
                    field,
                    format!("{}ต้องเป็นจำนวนเต็ม 0 ถึง {max}", what.0),
                    format!("{} must be a whole number from 0 to {max}.", what.1),
                );
                0
            }
        }
    }

    /// A `YYYY-MM-DD` date; empty is `None`, and refused when `required`.
    pub fn date(&mut self, field: &str, value: &str, required: bool) -> Option<NaiveDate> {
        let v = value.trim();
        if v.is_empty() {
            if required {
                self.add(field, "กรุณาระบุวันที่", "Enter a date.");
            }
            return None;
        }
        let parsed = NaiveDate::parse_from_str(v, "%Y-%m-%d").ok();
        if parsed.is_none() {
            self.add(
                field,
                "วันที่ไม่ถูกต้อง (ปปปป-ดด-วว)",
                "Not a valid date (YYYY-MM-DD).",
            );
        }
        parsed
    }

    /// An optional national or tax ID.
    pub fn national_id(&mut self, field: &str, value: &str) -> Option<NationalId> {
        if value.trim().is_empty() {
            return None;
        }
        NationalId::parse(value)
            .map_err(|e| {
                let (th, en) = e.messages();
                self.add(field, th, en);
            })
            .ok()
    }

    /// An idempotency key as sent by a form or a client: 8–100 characters of letters, digits,
    /// `-` and `_` (a UUID fits).
    pub fn idempotency_key(&mut self, key: &str) -> String {
        let key = key.trim();
        let ok = (8..=100).contains(&key.len())
            && key
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
        if !ok {
            self.add(
                "idempotency_key",
                "คำขอไม่มีรหัสป้องกันการส่งซ้ำที่ถูกต้อง กรุณาโหลดหน้าใหม่",
                "The request lacks a valid idempotency key; reload the page.",
            );
        }
        key.to_owned()
    }

    /// Whether any field was refused.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// `Ok(value)` when no field was refused, else every refusal.
    pub fn into_result<T>(self, value: T) -> Result<T, Vec<FieldError>> {
        if self.0.is_empty() {
            Ok(value)
        } else {
            Err(self.0)
        }
    }

    /// `Ok(())` when no field was refused, else a 422 naming each.
    pub fn finish(self) -> Result<(), AppError> {
        self.into_result(()).map_err(AppError::Validation)
    }
}

/// `100000` as `100,000`.
fn thousands(n: i64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_refused_field_is_kept_with_both_languages() {
        let mut e = FieldErrors::default();
        assert_eq!(e.required("name", "  ", 10), "");
        assert_eq!(e.optional("note", "abcdef", 3), Some("abcdef".into()));
        assert_eq!(e.date("day", "2026-02-30", true), None);
        assert_eq!(e.date("later", "", false), None);
        assert_eq!(
            e.whole_number("count", "12", 100, ("จำนวน", "The count")),
            Some(12)
        );
        assert_eq!(
            e.whole_number("units", "0", 10_000, ("จำนวน", "The quantity")),
            None
        );
        let refused = e.into_result(()).unwrap_err();
        let fields: Vec<&str> = refused.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(fields, ["name", "note", "day", "units"]);
        assert_eq!(
            refused[3].en,
            "The quantity must be a whole number from 1 to 10,000."
        );
        assert!(refused.iter().all(|f| !f.th.is_empty() && !f.en.is_empty()));
    }

    #[test]
    fn idempotency_keys_are_short_plain_tokens() {
        let mut e = FieldErrors::default();
        e.idempotency_key("0b6f3c2e-1d4a-4c8e-9f3a-2b7d5e6a8c90");
        assert!(e.is_empty());
        e.idempotency_key("short");
        e.idempotency_key("has space in it");
        assert_eq!(e.into_result(()).unwrap_err().len(), 2);
    }
}
