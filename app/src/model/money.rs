//! Exact money: whole satang in an `i64`. Typed text is parsed with `rust_decimal`; floats never
//! touch an amount.
//!
//! Parsing accepts what a person types on a Thai or English keyboard: ASCII digits, Thai digits
//! (๐–๙) and full-width digits (０–９) are all read as the same digits, because a Thai keyboard
//! layout produces ๑๒๓ and phones sometimes produce full-width forms. A leading `฿` and
//! surrounding spaces are allowed. Commas are accepted only as correct thousands separators
//! (`1,234.50`); anything else that is not a plain decimal (signs, exponents, `NaN`, `100,00`,
//! inner spaces, more than two decimals) is refused with a message that says why.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::fmt;

/// An amount of Thai baht, stored as whole satang (1 baht = 100 satang).
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[serde(transparent)]
pub struct Money(i64);

/// The largest single amount a person may type: one billion baht. Larger is a typo.
pub const MAX_ENTRY: Money = Money(1_000_000_000 * 100);

/// Why typed text is not an amount. Each has a message in Thai and English.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum MoneyError {
    #[error("the amount is empty")]
    Empty,
    #[error("the amount must be a plain number such as 1234.50")]
    NotANumber,
    #[error("the amount cannot be negative or carry a sign")]
    Signed,
    #[error("commas may only separate thousands, as in 1,234.50")]
    BadSeparator,
    #[error("the amount has more than two decimal places")]
    TooManyDecimals,
    #[error("the amount must be more than zero")]
    Zero,
    #[error("the amount is too large")]
    TooLarge,
}

impl MoneyError {
    /// The message shown to a person, in their language.
    pub fn message(self, lang: super::Lang) -> &'static str {
        use MoneyError::*;
        match self {
            Empty => lang.pick("กรุณากรอกจำนวนเงิน", "Please enter an amount."),
            NotANumber => lang.pick(
                "จำนวนเงินต้องเป็นตัวเลข เช่น 1234.50",
                "The amount must be a plain number such as 1234.50.",
            ),
            Signed => lang.pick(
                "จำนวนเงินต้องไม่ติดลบและไม่มีเครื่องหมาย",
                "The amount cannot be negative or carry a sign.",
            ),
            BadSeparator => lang.pick(
                "ใช้จุลภาคคั่นหลักพันเท่านั้น เช่น 1,234.50",
                "Commas may only separate thousands, as in 1,234.50.",
            ),
            TooManyDecimals => lang.pick(
                "ทศนิยมได้ไม่เกินสองตำแหน่ง (สตางค์)",
                "At most two decimal places (satang).",
            ),
            Zero => lang.pick("จำนวนเงินต้องมากกว่าศูนย์", "The amount must be more than zero."),
            TooLarge => lang.pick(
                "จำนวนเงินสูงเกินไป (ไม่เกิน 1,000,000,000 บาท)",
                "The amount is too large (at most ฿1,000,000,000).",
            ),
        }
    }
}

impl Money {
    /// Zero baht.
    pub const ZERO: Money = Money(0);

    /// An amount from whole satang. Storage and arithmetic use this; people use [`Money::parse`].
    pub const fn from_satang(satang: i64) -> Money {
        Money(satang)
    }

    /// An amount from whole baht (for fixtures and reference prices).
    pub const fn from_baht(baht: i64) -> Money {
        Money(baht * 100)
    }

    /// The amount in whole satang.
    pub const fn satang(self) -> i64 {
        self.0
    }

    /// Parses a gift: a typed amount that must be more than zero and at most [`MAX_ENTRY`].
    pub fn parse(text: &str) -> Result<Money, MoneyError> {
        let money = Money::parse_non_negative(text)?;
        if money == Money::ZERO {
            return Err(MoneyError::Zero);
        }
        Ok(money)
    }

    /// Parses a typed amount that may be zero (a balance, a filter), at most [`MAX_ENTRY`].
    pub fn parse_non_negative(text: &str) -> Result<Money, MoneyError> {
        let plain = normalise(text)?;
        if plain.len() > 16 {
            // Longer than any amount up to MAX_ENTRY with satang; refuse before decimal parsing.
            return Err(MoneyError::TooLarge);
        }
        let decimal = Decimal::from_str_exact(&plain).map_err(|_| MoneyError::NotANumber)?;
        if decimal.scale() > 2 {
            return Err(MoneyError::TooManyDecimals);
        }
        let satang = decimal
            .checked_mul(Decimal::ONE_HUNDRED)
            .and_then(|d| i64::try_from(d.trunc()).ok())
            .ok_or(MoneyError::TooLarge)?;
        let money = Money(satang);
        if money > MAX_ENTRY {
            return Err(MoneyError::TooLarge);
        }
        Ok(money)
    }

    /// The sum, or `None` if it would overflow.
    pub fn checked_add(self, other: Money) -> Option<Money> {
        self.0.checked_add(other.0).map(Money)
    }

    /// The difference, or `None` if it would overflow.
    pub fn checked_sub(self, other: Money) -> Option<Money> {
        self.0.checked_sub(other.0).map(Money)
    }

    /// This amount times a whole quantity, or `None` if it would overflow.
    pub fn checked_mul(self, quantity: i64) -> Option<Money> {
        self.0.checked_mul(quantity).map(Money)
    }

    /// The amount as a `rust_decimal` in baht, for the edges that want a decimal.
    pub fn to_decimal(self) -> Decimal {
        Decimal::new(self.0, 2)
    }

    /// Whole baht and the satang left over (both non-negative for a non-negative amount).
    pub fn baht_and_satang(self) -> (i64, i64) {
        (self.0 / 100, self.0 % 100)
    }

    /// Splits this amount into parts proportional to `weights` (largest remainder), so that the
    /// parts always add back to exactly this amount. Returns `None` when the weights are all zero
    /// or a weight is negative.
    pub fn split_by(self, weights: &[i64]) -> Option<Vec<Money>> {
        let total: i128 = weights.iter().map(|&w| i128::from(w)).sum();
        if total <= 0 || weights.iter().any(|&w| w < 0) {
            return None;
        }
        let amount = i128::from(self.0);
        let mut parts: Vec<i128> = Vec::with_capacity(weights.len());
        let mut remainders: Vec<(i128, usize)> = Vec::with_capacity(weights.len());
        for (index, &weight) in weights.iter().enumerate() {
            let exact = amount * i128::from(weight);
            parts.push(exact.div_euclid(total));
            remainders.push((exact.rem_euclid(total), index));
        }
        let mut left = amount - parts.iter().sum::<i128>();
        remainders.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        for (_, index) in remainders {
            if left == 0 {
                break;
            }
            parts[index] += 1;
            left -= 1;
        }
        parts
            .into_iter()
            .map(|p| i64::try_from(p).ok().map(Money))
            .collect()
    }
}

/// Turns typed text into plain ASCII `digits[.digits]`, or says what is wrong with it.
fn normalise(text: &str) -> Result<String, MoneyError> {
    let trimmed = text.trim();
    let trimmed = trimmed.strip_prefix('฿').unwrap_or(trimmed).trim_start();
    if trimmed.is_empty() {
        return Err(MoneyError::Empty);
    }
    let mut plain = String::with_capacity(trimmed.len());
    for c in trimmed.chars() {
        let mapped = match c {
            '0'..='9' | '.' | ',' => c,
            '\u{0E50}'..='\u{0E59}' => shift_digit(c, '\u{0E50}'),
            '\u{FF10}'..='\u{FF19}' => shift_digit(c, '\u{FF10}'),
            '-' | '+' | '\u{2212}' => return Err(MoneyError::Signed),
            _ => return Err(MoneyError::NotANumber),
        };
        plain.push(mapped);
    }
    let (whole, fraction) = match plain.split_once('.') {
        Some((w, f)) => (w, Some(f)),
        None => (plain.as_str(), None),
    };
    if whole.is_empty() || fraction.is_some_and(|f| f.is_empty() || f.contains(['.', ','])) {
        return Err(MoneyError::NotANumber);
    }
    let whole = strip_thousands(whole)?;
    Ok(match fraction {
        Some(f) => format!("{whole}.{f}"),
        None => whole,
    })
}

fn shift_digit(c: char, zero: char) -> char {
    let offset = u32::from(c) - u32::from(zero);
    char::from_digit(offset, 10).unwrap_or('?')
}

/// Removes commas that separate thousands correctly; refuses any other comma.
fn strip_thousands(whole: &str) -> Result<String, MoneyError> {
    if !whole.contains(',') {
        return Ok(whole.to_owned());
    }
    let groups: Vec<&str> = whole.split(',').collect();
    let first_ok = (1..=3).contains(&groups[0].len());
    let rest_ok = groups[1..].iter().all(|g| g.len() == 3);
    if first_ok && rest_ok {
        Ok(groups.concat())
    } else {
        Err(MoneyError::BadSeparator)
    }
}

/// Writes digits with a comma every three places: `1234567` → `1,234,567`.
pub fn group_thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// `฿1,234.50`; a negative amount (a reversal) shows as `-฿1,234.50`.
impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.0 < 0 { "-" } else { "" };
        let abs = self.0.unsigned_abs();
        write!(f, "{sign}฿{}.{:02}", group_thousands(abs / 100), abs % 100)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn plain_amounts_parse_to_exact_satang() {
        assert_eq!(Money::parse("500"), Ok(Money::from_satang(50_000)));
        assert_eq!(Money::parse("1234.5"), Ok(Money::from_satang(123_450)));
        assert_eq!(Money::parse("0.01"), Ok(Money::from_satang(1)));
        assert_eq!(Money::parse(" ฿1,234.50 "), Ok(Money::from_satang(123_450)));
        assert_eq!(Money::parse("1,000,000"), Ok(Money::from_baht(1_000_000)));
    }

    #[test]
    fn thai_and_full_width_digits_are_read_as_digits() {
        assert_eq!(Money::parse("๕๐๐"), Ok(Money::from_baht(500)));
        assert_eq!(Money::parse("๑,๒๓๔.๕๐"), Ok(Money::from_satang(123_450)));
        assert_eq!(Money::parse("５００"), Ok(Money::from_baht(500)));
    }

    #[test]
    fn bad_amounts_are_refused_with_a_reason() {
        let cases = [
            ("", MoneyError::Empty),
            ("   ", MoneyError::Empty),
            ("-1", MoneyError::Signed),
            ("+5", MoneyError::Signed),
            ("0", MoneyError::Zero),
            ("0.00", MoneyError::Zero),
            ("0.001", MoneyError::TooManyDecimals),
            ("1.500", MoneyError::TooManyDecimals),
            ("1e30", MoneyError::NotANumber),
            ("1E3", MoneyError::NotANumber),
            ("NaN", MoneyError::NotANumber),
            ("inf", MoneyError::NotANumber),
            ("100,00", MoneyError::BadSeparator),
            ("1,2345", MoneyError::BadSeparator),
            (",100", MoneyError::BadSeparator),
            ("12 34", MoneyError::NotANumber),
            ("1.", MoneyError::NotANumber),
            (".5", MoneyError::NotANumber),
            ("1.2.3", MoneyError::NotANumber),
            ("123456789012345678901234567890", MoneyError::TooLarge),
            ("1000000000.01", MoneyError::TooLarge),
        ];
        for (text, expected) in cases {
            assert_eq!(Money::parse(text), Err(expected), "input {text:?}");
        }
    }

    #[test]
    fn the_largest_entry_is_accepted_and_zero_only_where_allowed() {
        assert_eq!(Money::parse("1000000000"), Ok(MAX_ENTRY));
        assert_eq!(Money::parse_non_negative("0"), Ok(Money::ZERO));
    }

    #[test]
    fn amounts_display_in_thai_baht_with_satang() {
        assert_eq!(Money::from_satang(123_450).to_string(), "฿1,234.50");
        assert_eq!(Money::from_satang(5).to_string(), "฿0.05");
        assert_eq!(Money::from_baht(1_000_000).to_string(), "฿1,000,000.00");
        assert_eq!(Money::from_satang(-123_450).to_string(), "-฿1,234.50");
        assert_eq!(Money::ZERO.to_string(), "฿0.00");
    }

    #[test]
    fn every_error_has_a_message_in_both_languages() {
        use crate::model::Lang;
        let all = [
            MoneyError::Empty,
            MoneyError::NotANumber,
            MoneyError::Signed,
            MoneyError::BadSeparator,
            MoneyError::TooManyDecimals,
            MoneyError::Zero,
            MoneyError::TooLarge,
        ];
        for e in all {
            assert_ne!(e.message(Lang::Th), e.message(Lang::En));
        }
    }

    #[test]
    fn a_split_with_no_weight_is_refused() {
        assert_eq!(Money::from_baht(10).split_by(&[0, 0]), None);
        assert_eq!(Money::from_baht(10).split_by(&[1, -1]), None);
    }

    #[test]
    fn a_split_gives_the_leftover_satang_to_the_largest_remainders() {
        let parts = Money::from_satang(100).split_by(&[1, 1, 1]).unwrap();
        assert_eq!(parts, vec![Money(34), Money(33), Money(33)]);
    }

    proptest! {
        #[test]
        fn displayed_amounts_parse_back_to_the_same_satang(satang in 1i64..=MAX_ENTRY.0) {
            let money = Money::from_satang(satang);
            prop_assert_eq!(Money::parse(&money.to_string()), Ok(money));
        }

        #[test]
        fn split_parts_always_add_back_to_the_total(
            satang in 0i64..=1_000_000_000_000,
            weights in proptest::collection::vec(0i64..1_000_000, 1..20),
        ) {
            prop_assume!(weights.iter().any(|&w| w > 0));
            let parts = Money::from_satang(satang).split_by(&weights).unwrap();
            let sum: i64 = parts.iter().map(|p| p.satang()).sum();
            prop_assert_eq!(sum, satang);
            prop_assert!(parts.iter().all(|p| p.satang() >= 0));
        }

        #[test]
        fn parsing_arbitrary_text_never_panics(text in "\\PC{0,40}") {
            let _ = Money::parse(&text);
        }
    }
}
