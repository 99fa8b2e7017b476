//! An amount in Thai words, as written on receipts and cheques: `หนึ่งพันสองร้อยสามสิบสี่บาทห้าสิบสตางค์`.
//!
//! The rules: ten is `สิบ` (not หนึ่งสิบ), twenty is `ยี่สิบ`, and a final one is `เอ็ด` whenever
//! any higher digit of the whole number is non-zero (`สิบเอ็ด`, `หนึ่งร้อยเอ็ด`, `หนึ่งล้านเอ็ด`).
//! `ล้าน` repeats for each further six digits. With no satang the text ends `บาทถ้วน`.

use super::Money;

const DIGITS: [&str; 10] = [
    "ศูนย์",
    "หนึ่ง",
    "สอง",
    "สาม",
    "สี่",
    "ห้า",
    "หก",
    "เจ็ด",
    "แปด",
    "เก้า",
];
const PLACES: [&str; 6] = ["", "สิบ", "ร้อย", "พัน", "หมื่น", "แสน"];

/// The amount in Thai words, for receipts. Negative amounts are written as their absolute value
/// preceded by `ลบ`.
pub fn baht_text(money: Money) -> String {
    let satang_total = money.satang();
    let mut out = String::new();
    if satang_total < 0 {
        out.push_str("ลบ");
    }
    let abs = satang_total.unsigned_abs();
    let (baht, satang) = (abs / 100, abs % 100);
    if baht > 0 {
        out.push_str(&number_words(baht));
        out.push_str("บาท");
    }
    if satang == 0 {
        if baht == 0 {
            out.push_str("ศูนย์บาท");
        }
        out.push_str("ถ้วน");
    } else {
        out.push_str(&number_words(satang));
        out.push_str("สตางค์");
    }
    out
}

/// A positive whole number in Thai words.
fn number_words(n: u64) -> String {
    if n >= 1_000_000 {
        let mut out = number_words(n / 1_000_000);
        out.push_str("ล้าน");
        out.push_str(&group_words(n % 1_000_000, true));
        out
    } else {
        group_words(n, false)
    }
}

/// A number below one million; `has_higher` says a higher (million) digit is non-zero.
fn group_words(n: u64, has_higher: bool) -> String {
    let mut out = String::new();
    for place in (0..6).rev() {
        let digit = (n / 10u64.pow(place)) % 10;
        if digit == 0 {
            continue;
        }
        let place = place as usize;
        let word = match (place, digit) {
            (1, 1) => "",
            (1, 2) => "ยี่",
            (0, 1) if has_higher || n >= 10 => "เอ็ด",
            _ => DIGITS[digit as usize],
        };
        out.push_str(word);
        out.push_str(PLACES[place]);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(satang: i64) -> String {
        baht_text(Money::from_satang(satang))
    }

    #[test]
    fn whole_baht_end_in_thuan() {
        assert_eq!(words(100), "หนึ่งบาทถ้วน");
        assert_eq!(words(0), "ศูนย์บาทถ้วน");
        assert_eq!(words(50_000), "ห้าร้อยบาทถ้วน");
    }

    #[test]
    fn the_domain_example_reads_correctly() {
        assert_eq!(words(123_450), "หนึ่งพันสองร้อยสามสิบสี่บาทห้าสิบสตางค์");
    }

    #[test]
    fn ten_twenty_and_a_final_one_follow_thai_usage() {
        assert_eq!(words(1_000), "สิบบาทถ้วน");
        assert_eq!(words(1_100), "สิบเอ็ดบาทถ้วน");
        assert_eq!(words(2_000), "ยี่สิบบาทถ้วน");
        assert_eq!(words(2_100), "ยี่สิบเอ็ดบาทถ้วน");
        assert_eq!(words(10_100), "หนึ่งร้อยเอ็ดบาทถ้วน");
        assert_eq!(words(12_100), "หนึ่งร้อยยี่สิบเอ็ดบาทถ้วน");
        assert_eq!(words(1_000_100), "หนึ่งหมื่นเอ็ดบาทถ้วน");
    }

    #[test]
    fn satang_alone_and_with_baht() {
        assert_eq!(words(50), "ห้าสิบสตางค์");
        assert_eq!(words(1), "หนึ่งสตางค์");
        assert_eq!(words(21), "ยี่สิบเอ็ดสตางค์");
        assert_eq!(words(111), "หนึ่งบาทสิบเอ็ดสตางค์");
    }

    #[test]
    fn millions_repeat_and_keep_the_ed_rule() {
        assert_eq!(words(100_000_000), "หนึ่งล้านบาทถ้วน");
        assert_eq!(words(100_000_100), "หนึ่งล้านเอ็ดบาทถ้วน");
        assert_eq!(words(1_100_000_000), "สิบเอ็ดล้านบาทถ้วน");
        assert_eq!(words(2_500_000_000), "ยี่สิบห้าล้านบาทถ้วน");
        assert_eq!(words(100_000_000_000_000), "หนึ่งล้านล้านบาทถ้วน");
        assert_eq!(
            words(12_345_678_900),
            "หนึ่งร้อยยี่สิบสามล้านสี่แสนห้าหมื่นหกพันเจ็ดร้อยแปดสิบเก้าบาทถ้วน"
        );
    }

    #[test]
    fn a_reversal_is_written_with_lop() {
        assert_eq!(words(-100), "ลบหนึ่งบาทถ้วน");
    }
}
