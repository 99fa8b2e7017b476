//! The PromptPay QR payload: Thai QR Payment, the EMVCo merchant-presented format.
//!
//! Each field is `tag (2 digits) · length (2 digits) · value`. The payload carries the format
//! version (00 = `01`), the point of initiation (01 = `12` when an amount is set, `11` when the
//! payer types it), the PromptPay merchant account (29: application id `A000000677010111` and
//! either a mobile number as `0066` + the number without its leading 0, or a 13-digit tax or
//! national ID), the currency (53 = `764`, baht), the amount (54), the country (58 = `TH`), and
//! last a CRC-16/CCITT-FALSE (63) over everything before it, `6304` included.
//!
//! A campaign with a Biller ID gets the bill-payment kind instead: merchant account 30 holds
//! the bill-payment application id `A000000677010112`, the 15-digit Biller ID (01) and the
//! reference the donor pays (Ref1, 02), which the bank reports with the credit so it finds its
//! pledge. Every other field is as above.

use super::Money;

const PROMPTPAY_AID: &str = "A000000677010111";
const BILL_PAYMENT_AID: &str = "A000000677010112";
/// The longest Ref1 the bill-payment format carries.
const MAX_REF1: usize = 20;

/// Who receives a PromptPay payment.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PromptPayTarget {
    /// A 10-digit Thai mobile number starting with 0.
    Mobile(String),
    /// A 13-digit tax ID or national ID.
    TaxId(String),
}

impl PromptPayTarget {
    /// Reads a stored PromptPay ID (digits only, as `thai_id::parse_promptpay_id` returns).
    pub fn from_id(id: &str) -> Option<PromptPayTarget> {
        let digits = super::thai_id::parse_promptpay_id(id)?;
        Some(if digits.len() == 10 {
            PromptPayTarget::Mobile(digits)
        } else {
            PromptPayTarget::TaxId(digits)
        })
    }

    fn field(&self) -> String {
        match self {
            PromptPayTarget::Mobile(phone) => tlv("01", &format!("0066{}", &phone[1..])),
            PromptPayTarget::TaxId(id) => tlv("02", id),
        }
    }
}

fn tlv(tag: &str, value: &str) -> String {
    format!("{tag}{:02}{value}", value.len())
}

/// A Thai QR bill-payment Biller ID: 15 digits, the payee's 13-digit tax ID and a 2-digit
/// suffix its bank gives it. Built only by [`BillerId::parse`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BillerId(String);

impl BillerId {
    /// Reads a typed Biller ID: spaces and dashes are ignored, then exactly 15 digits remain.
    pub fn parse(text: &str) -> Option<BillerId> {
        let digits: String = text.chars().filter(|c| !matches!(c, ' ' | '-')).collect();
        (digits.len() == 15 && digits.chars().all(|c| c.is_ascii_digit()))
            .then_some(BillerId(digits))
    }

    /// The 15 digits.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The payload to encode in the QR code. With an amount, the banking app shows it fixed.
pub fn payload(target: &PromptPayTarget, amount: Option<Money>) -> String {
    let account = format!("{}{}", tlv("00", PROMPTPAY_AID), target.field());
    framed("29", &account, amount)
}

/// The bill-payment payload paying `amount` to `biller` with `ref1` as its reference; `None`
/// when `ref1` is not 1 to 20 upper-case letters and digits (what every bank accepts).
pub fn bill_payment_payload(
    biller: &BillerId,
    ref1: &str,
    amount: Option<Money>,
) -> Option<String> {
    let fits = (1..=MAX_REF1).contains(&ref1.len())
        && ref1
            .chars()
            .all(|c| c.is_ascii_digit() || c.is_ascii_uppercase());
    if !fits {
        return None;
    }
    let account = format!(
        "{}{}{}",
        tlv("00", BILL_PAYMENT_AID),
        tlv("01", biller.as_str()),
        tlv("02", ref1)
    );
    Some(framed("30", &account, amount))
}

/// Every field around a merchant account (`tag` 29 or 30), in order, with the CRC last.
fn framed(tag: &str, account: &str, amount: Option<Money>) -> String {
    let mut out = String::new();
    out.push_str(&tlv("00", "01"));
    out.push_str(&tlv("01", if amount.is_some() { "12" } else { "11" }));
    out.push_str(&tlv(tag, account));
    out.push_str(&tlv("53", "764"));
    if let Some(amount) = amount {
        let (baht, satang) = amount.baht_and_satang();
        out.push_str(&tlv("54", &format!("{baht}.{satang:02}")));
    }
    out.push_str(&tlv("58", "TH"));
    out.push_str("6304");
    let crc = crc16_ccitt_false(out.as_bytes());
    out.push_str(&format!("{crc:04X}"));
    out
}

/// CRC-16/CCITT-FALSE: polynomial 0x1021, initial value 0xFFFF, no reflection, no final xor.
pub fn crc16_ccitt_false(bytes: &[u8]) -> u16 {
    let mut crc: u16 = 0xFFFF;
    for &byte in bytes {
        crc ^= u16::from(byte) << 8;
        for _ in 0..8 {
            crc = if crc & 0x8000 != 0 {
                (crc << 1) ^ 0x1021
            } else {
                crc << 1
            };
        }
    }
    crc
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_crc_matches_the_standard_check_value() {
        // The catalogue check value of CRC-16/CCITT-FALSE over the ASCII string "123456789".
        assert_eq!(crc16_ccitt_false(b"123456789"), 0x29B1);
        assert_eq!(crc16_ccitt_false(b""), 0xFFFF);
    }

    #[test]
    fn a_mobile_payload_with_an_amount_has_every_field_in_order() {
        let target = PromptPayTarget::from_id("081-234-5678").unwrap();
        let p = payload(&target, Some(Money::from_baht(500)));
        let body = "000201010212\
                    29370016A00000067701011101130066812345678\
                    5303764\
                    5406500.00\
                    5802TH\
                    6304";
        assert_eq!(&p[..p.len() - 4], body);
        assert_eq!(
            &p[p.len() - 4..],
            format!("{:04X}", crc16_ccitt_false(body.as_bytes()))
        );
    }

    #[test]
    fn a_tax_id_payload_without_an_amount_is_static() {
        let target = PromptPayTarget::from_id("1234567890121").unwrap();
        let p = payload(&target, None);
        assert!(p.starts_with("000201010211"));
        assert!(p.contains("29370016A00000067701011102131234567890121"));
        assert!(!p.contains("5406"));
        assert!(p.contains("5802TH6304"));
    }

    /// Whole payloads fixed in advance: each field written out from the specification, and each
    /// CRC computed by a separate implementation (Python's `binascii.crc_hqx(data, 0xFFFF)`, which
    /// is CRC-16/CCITT-FALSE), not by the function under test.
    #[test]
    fn payloads_match_vectors_computed_outside_this_code() {
        let vectors = [
            (
                "0812345678",
                Some(Money::from_baht(500)),
                "00020101021229370016A0000006770101110113006681234567853037645406500.005802TH63047190",
            ),
            (
                "1234567890121",
                None,
                "00020101021129370016A0000006770101110213123456789012153037645802TH6304C3BF",
            ),
            (
                "0123456789",
                Some(Money::from_satang(123_405)),
                "00020101021229370016A00000067701011101130066123456789530376454071234.055802TH6304B66C",
            ),
        ];
        for (id, amount, expected) in vectors {
            let target = PromptPayTarget::from_id(id).unwrap();
            assert_eq!(payload(&target, amount), expected, "{id}");
        }
    }

    #[test]
    fn satang_are_written_with_two_digits() {
        let target = PromptPayTarget::Mobile("0812345678".into());
        assert!(payload(&target, Some(Money::from_satang(123_405))).contains("54071234.05"));
    }

    /// A bill-payment payload published by another implementation, reproduced byte for byte.
    /// The test suite of the `promptparse` library (github.com/maythiwat/promptparse, file
    /// `src/index.test.ts`) converts a Bank of Thailand bill barcode for Biller ID
    /// 099999999999990 with Ref1 111222333444 and no amount into exactly this tag-30 payload.
    /// Its CRC was also recomputed outside this code, with Python's
    /// `binascii.crc_hqx(data, 0xFFFF)`.
    #[test]
    fn a_bill_payment_payload_matches_a_published_vector() {
        let biller = BillerId::parse("099999999999990").unwrap();
        assert_eq!(
            bill_payment_payload(&biller, "111222333444", None).unwrap(),
            "00020101021130550016A0000006770101120115099999999999990021211122233344453037645802TH63043EE7"
        );
    }

    /// With an amount. The first vector follows a sample in the builder tests of the
    /// `thai-qr-payment` library (github.com/uunw/thai-qr-payment, `builder.test.ts`): Biller ID
    /// 099400016550100, Ref1 123456789012, 100 baht, fields in the same order as here. That
    /// sample is the cross-border kind (application id …012006), so the domestic id is put in
    /// its place and the CRC recomputed with Python's `binascii.crc_hqx(data, 0xFFFF)`. The
    /// second is a pledge as this project makes it (a reference without dashes as Ref1, an
    /// amount with a satang tail), written out field by field, its CRC computed the same way.
    #[test]
    fn bill_payment_payloads_with_an_amount_match_vectors_computed_outside_this_code() {
        let biller = BillerId::parse("0994000165501-00").unwrap();
        let vectors = [
            (
                "123456789012",
                Money::from_baht(100),
                "00020101021230550016A0000006770101120115099400016550100021212345678901253037645406100.005802TH6304ED33",
            ),
            (
                "PPDEMQGAVEBEDS2626",
                Money::from_satang(150_037),
                "00020101021230610016A00000067701011201150994000165501000218PPDEMQGAVEBEDS2626530376454071500.375802TH6304D84B",
            ),
        ];
        for (ref1, amount, expected) in vectors {
            let p = bill_payment_payload(&biller, ref1, Some(amount)).unwrap();
            assert_eq!(p, expected, "{ref1}");
            let (body, crc) = p.split_at(p.len() - 4);
            assert_eq!(crc, format!("{:04X}", crc16_ccitt_false(body.as_bytes())));
        }
    }

    #[test]
    fn a_biller_id_is_exactly_fifteen_digits() {
        assert_eq!(
            BillerId::parse(" 0994000165501 00 ").map(|b| b.as_str().to_owned()),
            Some("099400016550100".to_owned())
        );
        for bad in [
            "09940001655010",
            "0994000165501000",
            "09940001655010A",
            "",
            "๐๙๙๔๐๐๐๑๖๕๕๐๑๐๐",
        ] {
            assert_eq!(BillerId::parse(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn a_ref1_that_banks_would_refuse_makes_no_payload() {
        let biller = BillerId::parse("099400016550100").unwrap();
        let long = "A".repeat(21);
        for bad in ["", "pp1234", "PP-1234", long.as_str(), "PPก"] {
            assert_eq!(bill_payment_payload(&biller, bad, None), None, "{bad:?}");
        }
        assert!(bill_payment_payload(&biller, &"A".repeat(20), None).is_some());
    }

    #[test]
    fn invalid_ids_make_no_target() {
        assert_eq!(PromptPayTarget::from_id("1234567890122"), None);
    }
}
