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

/// A Thai 13-digit national ID or tax ID with a correct check digit. The field is private, so a
/// value of this type is always valid. `Debug` shows it masked, so logs never carry it whole.
#[derive(Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct NationalId(String);

impl NationalId {
    /// Reads an ID as typed: spaces and dashes are ignored, and Thai (๐–๙) and full-width digits
    /// are read as digits, because Thai keyboards and phones produce them.
    pub fn parse(text: &str) -> Result<NationalId, NationalIdError> {
        let mut digits = String::with_capacity(13);
        for c in text.trim().chars() {
            match c {
                ' ' | '-' => {}
                '0'..='9' => digits.push(c),
                '\u{0E50}'..='\u{0E59}' => digits.push(shift(c, '\u{0E50}')),
                '\u{FF10}'..='\u{FF19}' => digits.push(shift(c, '\u{FF10}')),
                _ => return Err(NationalIdError::NotDigits),
            }
        }
        if digits.len() != 13 {
            return Err(NationalIdError::Length);
        }
        if !is_valid_13(&digits) {
            return Err(NationalIdError::Checksum);
        }
        Ok(NationalId(digits))
    }

    /// The 13 digits.
    pub fn digits(&self) -> &str {
        &self.0
    }

    /// `1-2345-67890-12-1`, the way the card prints it.
    pub fn formatted(&self) -> String {
        let d = &self.0;
        format!(
            "{}-{}-{}-{}-{}",
            &d[0..1],
            &d[1..5],
            &d[5..10],
            &d[10..12],
            &d[12..13]
        )
    }

    /// `1-2345-xxxxx-xx-1`: what anyone but a finance officer sees.
    pub fn masked(&self) -> String {
        let d = &self.0;
        format!("{}-{}-xxxxx-xx-{}", &d[0..1], &d[1..5], &d[12..13])
    }
}

fn shift(c: char, zero: char) -> char {
    char::from_digit(u32::from(c) - u32::from(zero), 10).unwrap_or('?')
}

impl std::fmt::Debug for NationalId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "NationalId({})", self.masked())
    }
}

impl TryFrom<String> for NationalId {
    type Error = NationalIdError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        NationalId::parse(&value)
    }
}

impl From<NationalId> for String {
    fn from(id: NationalId) -> String {
        id.0
    }
}

/// Why typed text is not a national ID.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum NationalIdError {
    #[error("only digits, spaces and dashes")]
    NotDigits,
    #[error("13 digits are needed")]
    Length,
    #[error("the check digit does not match")]
    Checksum,
}

impl NationalIdError {
    /// The message in Thai and in English.
    pub fn messages(self) -> (&'static str, &'static str) {
        match self {
            NationalIdError::NotDigits => {
                ("เลขประจำตัวต้องเป็นตัวเลข 13 หลัก", "The ID must be 13 digits.")
            }
            NationalIdError::Length => (
                "เลขประจำตัวต้องมี 13 หลัก",
                "The ID must have exactly 13 digits.",
            ),
            NationalIdError::Checksum => (
                "เลขประจำตัวไม่ถูกต้อง (หลักตรวจสอบไม่ตรง) กรุณาตรวจสอบอีกครั้ง",
                "This ID is not valid (its check digit does not match); please check it.",
            ),
        }
    }
}

impl std::fmt::Display for NationalId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.masked())
    }
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
    fn national_ids_are_read_as_typed_checked_and_masked() {
        let id = NationalId::parse(" 1-2345-67890-12-1 ").unwrap();
        assert_eq!(id.digits(), "1234567890121");
        assert_eq!(id.formatted(), "1-2345-67890-12-1");
        assert_eq!(id.masked(), "1-2345-xxxxx-xx-1");
        assert_eq!(format!("{id:?}"), "NationalId(1-2345-xxxxx-xx-1)");
        // Thai digits from a Thai keyboard are the same digits.
        assert_eq!(NationalId::parse("๑๒๓๔๕๖๗๘๙๐๑๒๑").unwrap(), id);
        assert_eq!(
            NationalId::parse("1234567890122"),
            Err(NationalIdError::Checksum)
        );
        assert_eq!(
            NationalId::parse("123456789012"),
            Err(NationalIdError::Length)
        );
        assert_eq!(
            NationalId::parse("12345678901x1"),
            Err(NationalIdError::NotDigits)
        );
        // 3-1005-00123-45-?: 3·13+1·12+0·11+0·10+5·9+0·8+0·7+1·6+2·5+3·4+4·3+5·2 = 146;
        // 146 mod 11 = 3; (11 − 3) mod 10 = 8.
        assert!(NationalId::parse("3100500123458").is_ok());
        assert!(NationalId::parse("3100500123459").is_err());
        // A deserialised ID is checked too.
        assert!(serde_json_string("1234567890122").is_err());
    }

    fn serde_json_string(text: &str) -> Result<NationalId, NationalIdError> {
        NationalId::try_from(text.to_owned())
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
