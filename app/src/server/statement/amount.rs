//! Amounts and balances read as exact satang. Banks write money in many ways (thousands
//! separators, a baht sign, negatives in brackets or with a trailing minus), and a misread
//! amount would put wrong money in the books, so anything unusual is refused with its reason.

use super::text::{ascii_digits, preview};

/// One billion baht in satang: any larger amount or balance is a misread file.
pub(super) const MAX_SATANG: i64 = 1_000_000_000 * 100;

/// Why a cell is not an amount.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum AmountProblem {
    NotANumber,
    BadSeparator,
    TooManyDecimals,
    TooLarge,
}

impl AmountProblem {
    /// The reason in Thai and English, quoting the cell's `text`.
    pub(super) fn message(self, text: &str) -> (String, String) {
        let t = preview(text);
        match self {
            AmountProblem::NotANumber => (
                format!("“{t}” ไม่ใช่จำนวนเงิน"),
                format!("“{t}” is not an amount."),
            ),
            AmountProblem::BadSeparator => (
                format!("“{t}” ใช้จุลภาคคั่นได้เฉพาะหลักพัน เช่น 1,234.50"),
                format!("“{t}”: commas may only separate thousands, as in 1,234.50."),
            ),
            AmountProblem::TooManyDecimals => (
                format!("“{t}” มีทศนิยมเกินสองตำแหน่ง"),
                format!("“{t}” has more than two decimal places."),
            ),
            AmountProblem::TooLarge => (
                format!("“{t}” เกิน 1,000,000,000 บาท"),
                format!("“{t}” is more than ฿1,000,000,000."),
            ),
        }
    }
}

/// Reads an amount or balance as signed satang: `1,500.00`, `1500`, `1500.5`, `-20.00`,
/// `(20.00)`, `20.00-`, with surrounding spaces or quotes. Empty or `-` is no amount.
pub(super) fn parse_amount(text: &str) -> Result<Option<i64>, AmountProblem> {
    use AmountProblem::*;
    let s = text.trim_matches(|c: char| c.is_whitespace() || c == '"' || c == '\'');
    if s.is_empty() || s == "-" {
        return Ok(None);
    }
    let (negative, s) = if let Some(inner) = s.strip_prefix('(').and_then(|r| r.strip_suffix(')')) {
        (true, inner)
    } else if let Some(rest) = s.strip_prefix(['-', '\u{2212}']) {
        (true, rest)
    } else if let Some(rest) = s.strip_suffix('-') {
        (true, rest)
    } else {
        (false, s.strip_prefix('+').unwrap_or(s))
    };
    let s = ascii_digits(s.trim());
    let s = s.strip_prefix('฿').unwrap_or(&s).trim_start();
    let (whole, fraction) = s.split_once('.').unwrap_or((s, ""));
    let plain = |t: &str| t.bytes().all(|b| b.is_ascii_digit());
    if whole.is_empty()
        || !whole.bytes().all(|b| b.is_ascii_digit() || b == b',')
        || !plain(fraction)
    {
        return Err(NotANumber);
    }
    if s.ends_with('.') {
        return Err(NotANumber);
    }
    if fraction.len() > 2 {
        return Err(TooManyDecimals);
    }
    let groups: Vec<&str> = whole.split(',').collect();
    if groups.len() > 1
        && !((1..=3).contains(&groups[0].len()) && groups[1..].iter().all(|g| g.len() == 3))
    {
        return Err(BadSeparator);
    }
    let mut satang: i64 = 0;
    for b in whole
        .bytes()
        .filter(u8::is_ascii_digit)
        .chain(fraction.bytes())
        .chain(std::iter::repeat_n(b'0', 2 - fraction.len()))
    {
        satang = satang
            .checked_mul(10)
            .and_then(|v| v.checked_add(i64::from(b - b'0')))
            .ok_or(TooLarge)?;
        if satang > MAX_SATANG * 100 {
            return Err(TooLarge);
        }
    }
    if satang > MAX_SATANG {
        return Err(TooLarge);
    }
    Ok(Some(if negative { -satang } else { satang }))
}

#[cfg(test)]
mod tests {
    use super::super::test_support::*;
    use super::*;

    #[test]
    fn amounts_are_exact_and_bad_ones_are_named() {
        let ok = |t: &str| parse_amount(t).unwrap();
        assert_eq!(
            [
                ok(" \"1,500.00\" "),
                ok("1500"),
                ok("1500.5"),
                ok("0.07"),
                ok("฿12")
            ],
            [150_000, 150_000, 150_050, 7, 1200].map(Some)
        );
        assert_eq!(
            [ok("-20.00"), ok("(20.00)"), ok("20.00-"), ok(""), ok("-")],
            [Some(-2000), Some(-2000), Some(-2000), None, None]
        );
        assert_eq!(ok("1,000,000,000.00"), Some(MAX_SATANG));
        use AmountProblem::*;
        let cases = [
            ("1.005", TooManyDecimals),
            ("1,000,000,000.01", TooLarge),
            ("99999999999999999999999", TooLarge),
            ("1,50", BadSeparator),
            ("10,00.00", BadSeparator),
        ];
        for (text, problem) in cases
            .into_iter()
            .chain(["abc", "1.2.3", "1e5", "12.", ".5", "--5", "1 000"].map(|t| (t, NotANumber)))
        {
            assert_eq!(parse_amount(text), Err(problem), "{text}");
        }
        let parsed = kbiz(",01/11/26,,x,,,\"1,000.005\",,,,,,\n,01/11/26,,x,ten,,,,,,,,\n");
        assert_eq!(errors(&parsed), [(8, Some("ฝากเงิน")), (9, Some("ถอนเงิน"))]);
        assert!(parsed.errors[0]
            .en
            .contains("“1,000.005” has more than two decimal places"));
    }

    #[test]
    fn quoted_amounts_with_commas() {
        let file = "วันที่,รายการ,จำนวนเงิน\n01/11/2026,\"บริจาค, ผ้าป่า\",\"1,500.00\"\n02/11/2026,คืนเงิน,\" -1,000.50 \"\n";
        let parsed = parse(file.as_bytes(), &custom(|m| m.amount = Some(2)), today()).unwrap();
        assert_eq!(
            moves(&parsed),
            [(true, 150_000, None), (false, 100_050, None)]
        );
        assert_eq!(parsed.lines[0].description, "บริจาค, ผ้าป่า");
    }
}
