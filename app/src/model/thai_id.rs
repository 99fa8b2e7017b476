//! Thai 13-digit identification numbers (national ID, and tax ID of organisations) and
//! PromptPay IDs.
//!
//! The 13th digit is a checksum of the first twelve: `(11 − Σ dᵢ·(13 − i) mod 11) mod 10` for
//! i = 0…11.

/// Whether `digits` is 13 ASCII digits with a correct check digit.
pub fn is_valid_13(digits: &str) -> bool {
    let d: Vec<u32> = digits.chars().filter_map(|c| c.to_digit(10)).collect();
    if d.len() != 13 || digits.len() != 13 {
        return false;
    }
    let sum: u32 = d[..12]
        .iter()
        .enumerate()
        .map(|(i, x)| x * (13 - i as u32))
        .sum();
    (11 - sum % 11) % 10 == d[12]
}

/// A PromptPay ID as typed: a 10-digit mobile number starting with 0, or a 13-digit ID with a
/// correct checksum. Spaces and dashes are ignored. Returns the digits only.
pub fn parse_promptpay_id(text: &str) -> Option<String> {
    let digits: String = text.chars().filter(|c| !matches!(c, ' ' | '-')).collect();
    if !digits.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    match digits.len() {
        10 if digits.starts_with('0') => Some(digits),
        13 if is_valid_13(&digits) => Some(digits),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn check_digits_are_verified() {
        // 1-2345-67890-12-1: 1·13+2·12+…+2·2 = 352; 352 mod 11 = 0; (11 − 0) mod 10 = 1.
        assert!(is_valid_13("1234567890121"));
        assert!(!is_valid_13("1234567890122"));
        assert!(!is_valid_13("123456789012"));
        assert!(!is_valid_13("12345678901２1"));
    }

    #[test]
    fn promptpay_ids_are_phones_or_valid_13_digit_ids() {
        assert_eq!(
            parse_promptpay_id("081-234-5678").as_deref(),
            Some("0812345678")
        );
        assert_eq!(
            parse_promptpay_id("1 2345 67890 12 1").as_deref(),
            Some("1234567890121")
        );
        assert_eq!(parse_promptpay_id("1234567890122"), None);
        assert_eq!(parse_promptpay_id("812345678"), None);
        assert_eq!(parse_promptpay_id("08123x5678"), None);
    }
}
