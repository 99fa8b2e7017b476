//! Rules of procurement that guard the fund. An invoice is recorded once per campaign and
//! vendor, and a vendor's purchases over [`SPLIT_WINDOW_DAYS`] are judged together against the
//! second-approval threshold, so one purchase cannot be split into pieces that each stay under
//! it (แบ่งซื้อแบ่งจ้าง, which Thai public procurement forbids).

use super::Money;

/// Days over which a vendor's purchases in one campaign add up for the second approval.
pub const SPLIT_WINDOW_DAYS: i64 = 30;

/// Invoice numbers that only say there is none; a purchase with one is flagged on the report.
pub const PLACEHOLDER_INVOICES: [&str; 11] = [
    "-",
    "--",
    "—",
    "–",
    "0",
    "x",
    "na",
    "n/a",
    "none",
    "ไม่มี",
    "ไม่ระบุ",
];

/// Letters and digits, Thai marks kept, lower-cased: how two spellings of one name or number
/// compare ("บจก. เมดิคอล", "บจก.เมดิคอล").
fn compared(text: &str) -> String {
    text.chars()
        .filter(|c| c.is_alphanumeric() || ('\u{0E31}'..='\u{0E4E}').contains(c))
        .flat_map(char::to_lowercase)
        .collect()
}

/// Whether an invoice number is a placeholder rather than a number.
pub fn is_placeholder_invoice(invoice_no: &str) -> bool {
    let typed = invoice_no.trim().to_lowercase();
    PLACEHOLDER_INVOICES.contains(&typed.as_str()) || compared(&typed).is_empty()
}

/// The key a vendor is known by within a campaign: its name as compared.
pub fn vendor_key(vendor_name: &str) -> String {
    compared(vendor_name)
}

/// The key an invoice number is known by (`INV-001` and `inv 001` are one), or `None` for a
/// placeholder, which identifies nothing.
pub fn invoice_key(invoice_no: &str) -> Option<String> {
    (!is_placeholder_invoice(invoice_no)).then(|| compared(invoice_no).to_uppercase())
}

/// Whether a purchase waits for a second finance officer: when the vendor's total in the
/// campaign over the window, this purchase included, is above the campaign's threshold.
pub fn needs_second_approval(vendor_window_total: Money, threshold: Money) -> bool {
    vendor_window_total.satang() > threshold.satang()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spellings_of_one_invoice_and_vendor_are_one_key() {
        assert_eq!(invoice_key("INV-001"), invoice_key(" inv 001 "));
        assert_eq!(vendor_key("บจก. เมดิคอล"), vendor_key("บจก.เมดิคอล"));
        assert_ne!(invoice_key("INV-001"), invoice_key("INV-002"));
    }

    #[test]
    fn placeholders_are_no_invoice() {
        for p in ["-", "ไม่มี", " N/A ", "—", "..."] {
            assert!(is_placeholder_invoice(p), "{p}");
            assert_eq!(invoice_key(p), None);
        }
        assert!(!is_placeholder_invoice("IV2569/0012"));
    }

    #[test]
    fn the_vendors_total_decides_the_second_approval() {
        let threshold = Money::from_baht(50_000);
        assert!(!needs_second_approval(Money::from_baht(50_000), threshold));
        assert!(needs_second_approval(
            Money::from_satang(5_000_001),
            threshold
        ));
    }
}
