//! Fingerprints that identify a bank line across imports, so a file imported twice or two
//! overlapping statements never store a line twice. Fingerprints are stored with the lines:
//! the digest's input (its prefix, field order, separators and number formats) must never
//! change, or every stored line would look new. A test pins a known line's fingerprint.

use super::StatementLine;
use sha2::{Digest, Sha256};
use std::collections::HashMap;

/// Gives lines their fingerprints, counting identical lines within one file: two equal
/// payments on one day are two bank lines, told apart by their order (`#0`, `#1`).
#[derive(Default)]
pub(super) struct Fingerprints {
    seen: HashMap<[u8; 32], usize>,
}

impl Fingerprints {
    /// The line's fingerprint: the digest in hex, then `#k` where `k` counts identical earlier
    /// lines given to this counter.
    pub(super) fn next(&mut self, line: &StatementLine) -> String {
        let digest = digest(line);
        let count = self.seen.entry(digest).or_insert(0);
        let fingerprint = format!("{}#{count}", hex(&digest));
        *count += 1;
        fingerprint
    }
}

/// SHA-256 of the line's fields (tidied text), the same for the same bank line in any file.
fn digest(line: &StatementLine) -> [u8; 32] {
    let key = format!(
        "statement-line/v1\u{1f}{}\u{1f}{}\u{1f}{}\u{1f}{}\u{1f}{}\u{1f}{}\u{1f}{}\u{1f}{}",
        line.date,
        line.time.as_deref().unwrap_or(""),
        if line.credit { "C" } else { "D" },
        line.amount.satang(),
        line.balance.map_or_else(String::new, |b| b.to_string()),
        line.description,
        line.channel,
        line.details,
    );
    Sha256::digest(key.as_bytes()).into()
}

/// Lower-case hex, two digits a byte.
fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        out.push(char::from(DIGITS[usize::from(b >> 4)]));
        out.push(char::from(DIGITS[usize::from(b & 0x0F)]));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::test_support::*;
    use super::*;

    #[test]
    fn a_known_line_keeps_its_fingerprint() {
        // Computed with the reader before it was split into modules, and checked against
        // `printf 'statement-line/v1\x1f2026-11-01\x1f09:15\x1fC\x1f150000\x1f150000\x1f…' |
        // sha256sum`. Stored lines carry these values: they must never change.
        let parsed = kbiz(
            ",01-11-26,09:15,รับโอนเงิน,,,\"1,500.00\",,\"1,500.00\",,K PLUS,,จาก X1234  นาย สมชาย ใจดี\r\n\
             ,02-11-26,,ค่าธรรมเนียม,30.00,,,,,,,,\r\n\
             ,02-11-26,10:00:05,ค่าธรรมเนียม,30.00,,,,\"1,470.00\",,K BIZ,,\"ค่าธรรมเนียม, โอนเงิน\"\r\n",
        );
        let prints: Vec<_> = parsed
            .lines
            .iter()
            .map(|l| l.fingerprint.as_str())
            .collect();
        assert_eq!(
            prints,
            [
                "f377fc0714898fb344dafef5e2b45b3295f1912e517b11e164f31ff5079133a5#0",
                "e072b1e860c9883f742d5d6ecd2d2a58afb419406c8fe8d12f3891a220e06ea7#0",
                "83f8c532a6a05929deaf6180cc15dc2f656de8023e56887a1373c394af73b5bf#0",
            ]
        );
        assert_eq!(hex(&[0x00, 0x0F, 0xA5, 0xFF]), "000fa5ff");
    }

    #[test]
    fn identical_lines_get_counted_fingerprints() {
        let (day2, day3) = (
            ",02/11/26,,PromptPay,,,300.00,,,,PromptPay,,นาย สมชาย ใจดี\n",
            ",03/11/26,,PromptPay,,,300.00,,,,PromptPay,,นาย สมชาย ใจดี\n",
        );
        let prints = |p: &Parsed| {
            p.lines
                .iter()
                .map(|l| l.fingerprint.clone())
                .collect::<Vec<_>>()
        };
        let first = prints(&kbiz(&format!("{day2}{day3}{day3}")));
        assert!(
            first[0].ends_with("#0") && first[1].ends_with("#0") && first[2].ends_with("#1"),
            "{first:?}"
        );
        assert_eq!(
            (first[1][..64].to_owned(), first[1].len()),
            (first[2][..64].to_owned(), 66)
        );
        assert_ne!(first[0][..64], first[1][..64]);
        assert_eq!(prints(&kbiz(&format!("{day2}{day3}{day3}"))), first);
        // An overlapping statement that starts on 3 November, spaced differently, gives the same.
        let overlap = prints(&kbiz(&format!(
            "{day3}{}",
            day3.replace("นาย สมชาย", "นาย   สมชาย")
        )));
        assert_eq!(overlap, first[1..]);
    }
}
