//! The uploaded bytes made text. Officers upload whatever their bank portal or Excel gave them:
//! UTF-8 with or without a byte-order mark, Thai Windows-874/TIS-620, and sometimes a workbook,
//! a PDF or UTF-16 by mistake. Text is decoded exactly or refused with the line of the first
//! unreadable byte, because a guessed character would end up in stored bank lines.

use super::{empty_file, Encoding, FileError, MAX_FILE_BYTES};
use encoding_rs::{DecoderResult, WINDOWS_874};

/// Decodes the bytes, refusing what is not text (a spreadsheet, PDF, UTF-16). A UTF-8
/// byte-order mark means UTF-8 whatever the choice.
pub(super) fn decode(bytes: &[u8], choice: Encoding) -> Result<(Encoding, String), FileError> {
    const SAVE_AS: &str = "กรุณาเปิดใน Excel แล้วบันทึกเป็น “CSV UTF-8 (Comma delimited)” แล้วอัปโหลดอีกครั้ง";
    const SAVE_AS_EN: &str =
        "Open it in Excel, save it as “CSV UTF-8 (Comma delimited)” and upload that file.";
    if bytes.len() > MAX_FILE_BYTES {
        return Err(FileError::new(
            "ไฟล์ใหญ่เกิน 20 MB",
            "The file is larger than 20 MB.",
        ));
    }
    let body = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]).unwrap_or(bytes);
    if body.iter().all(u8::is_ascii_whitespace) {
        return Err(empty_file());
    }
    let refuse = |th: &str, en: &str| {
        Err(FileError::new(
            format!("{th} {SAVE_AS}"),
            format!("{en} {SAVE_AS_EN}"),
        ))
    };
    if bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
        return refuse(
            "ไฟล์นี้เป็นไฟล์ Excel (.xlsx/.xls) ไม่ใช่ CSV",
            "This is an Excel workbook (.xlsx/.xls), not a CSV file.",
        );
    }
    if bytes.starts_with(b"%PDF") {
        return refuse("ไฟล์นี้เป็น PDF ไม่ใช่ CSV", "This is a PDF, not a CSV file.");
    }
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) || bytes.contains(&0) {
        return refuse(
            "ไฟล์นี้เป็น UTF-16 หรือไฟล์ไบนารี",
            "This file is UTF-16 or binary, not UTF-8 or TIS-620 text.",
        );
    }
    let line_of = |at: usize| bytes[..at].iter().filter(|&&b| b == b'\n').count() + 1;
    let strict_utf8 = |body: &[u8], offset: usize| match std::str::from_utf8(body) {
        Ok(text) => Ok((Encoding::Utf8, text.to_owned())),
        Err(e) => {
            let line = line_of(offset + e.valid_up_to());
            refuse(
                &format!("ไฟล์ไม่ใช่ UTF-8 ที่ถูกต้อง: พบไบต์ที่อ่านไม่ได้ในแถวที่ {line}"),
                &format!("The file is not valid UTF-8: row {line} has a byte that cannot be read."),
            )
        }
    };
    if let Some(body) = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]) {
        return strict_utf8(body, 3);
    }
    match choice {
        Encoding::Utf8 => strict_utf8(bytes, 0),
        Encoding::Tis620 => windows_874(bytes)
            .map(|t| (Encoding::Tis620, t))
            .or_else(|at| {
                let line = line_of(at);
                refuse(
                    &format!("ไฟล์ไม่ใช่ TIS-620: พบไบต์ที่อ่านไม่ได้ในแถวที่ {line}"),
                    &format!("The file is not TIS-620: row {line} has a byte that cannot be read."),
                )
            }),
        Encoding::Auto => match std::str::from_utf8(bytes) {
            Ok(text) => Ok((Encoding::Utf8, text.to_owned())),
            Err(_) => windows_874(bytes)
                .map(|t| (Encoding::Tis620, t))
                .or_else(|_| {
                    refuse(
                        "ไฟล์ไม่ใช่ข้อความ UTF-8 หรือ TIS-620",
                        "The file is neither UTF-8 nor TIS-620 text.",
                    )
                }),
        },
    }
}

/// Decodes Windows-874 (TIS-620 plus a few punctuation marks), or gives the offset of the first
/// byte that is not a character of it.
fn windows_874(bytes: &[u8]) -> Result<String, usize> {
    let mut decoder = WINDOWS_874.new_decoder_without_bom_handling();
    // Thai letters take 3 bytes in UTF-8; the loop below grows the text if that is not enough.
    let mut text = String::with_capacity(bytes.len().saturating_mul(3));
    let mut read = 0;
    let bad = loop {
        let (result, n) = decoder.decode_to_string_without_replacement(
            bytes.get(read..).unwrap_or_default(),
            &mut text,
            true,
        );
        read += n;
        match result {
            DecoderResult::InputEmpty => break None,
            DecoderResult::OutputFull => text.reserve(bytes.len().saturating_sub(read) * 3 + 4),
            // `n` counts the bad byte and any read after it; Windows-874 is one byte a
            // character, so only the bad byte itself is behind it.
            DecoderResult::Malformed(bad, after) => {
                break Some(read.saturating_sub(usize::from(bad) + usize::from(after)))
            }
        }
    };
    // encoding_rs follows the WHATWG table, which gives the 23 bytes in 0x81–0x9F that
    // Windows-874 leaves unassigned (all but 0x85 and 0x91–0x97) the C1 control characters
    // U+0081–U+009F. TIS-620 has no such bytes and no bank writes control characters, so such a
    // byte means the file is not Thai text in this code page (another code page, or a damaged
    // UTF-8 file): it stays refused, as the hand-written table did. Every byte decoded is one
    // character, so the character's index is the byte's offset, and any such character lies
    // before a malformed byte.
    let control = text
        .chars()
        .position(|c| ('\u{80}'..='\u{9F}').contains(&c));
    match control.or(bad) {
        Some(at) => Err(at),
        None => Ok(text),
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_support::*;
    use super::*;

    #[test]
    fn tis620_with_buddhist_era_dates() {
        let text = "วันที่,รายการ,ถอน,ฝาก,คงเหลือ,ช่องทาง\r\n15/11/2569,รับโอนเงิน,,\"1,000.00\",\"1,000.00\",สาขา\r\n\
                    16/11/2569 14:05,ถอนเงิน,200.00,,800.00,ATM\r\n";
        let bytes = tis620(text);
        assert!(std::str::from_utf8(&bytes).is_err());
        for mapping in [
            Mapping::kbiz(),
            Mapping {
                encoding: Encoding::Tis620,
                ..Mapping::kbiz()
            },
        ] {
            let parsed = parse(&bytes, &mapping, today()).unwrap();
            assert_eq!(parsed.encoding, Encoding::Tis620);
            let dates: Vec<_> = parsed
                .lines
                .iter()
                .map(|l| (l.date, l.time.as_deref()))
                .collect();
            assert_eq!(
                dates,
                [
                    (ymd(2026, 11, 15), None),
                    (ymd(2026, 11, 16), Some("14:05"))
                ]
            );
            assert_eq!(
                (
                    parsed.lines[0].description.as_str(),
                    parsed.lines[1].channel.as_str()
                ),
                ("รับโอนเงิน", "ATM")
            );
        }
        let as_utf8 = refused(
            &bytes,
            &Mapping {
                encoding: Encoding::Utf8,
                ..Mapping::kbiz()
            },
        );
        assert!(
            as_utf8.contains("row 1 ") && as_utf8.contains("CSV UTF-8"),
            "{as_utf8}"
        );
        let bad = refused(
            b"a,b\n\xA1\xFF\n",
            &Mapping {
                encoding: Encoding::Tis620,
                ..Mapping::kbiz()
            },
        );
        assert!(bad.contains("row 2 "), "{bad}");
        assert!(refused(b"a,b\n\xA1\xFF\n", &Mapping::kbiz()).contains("neither UTF-8 nor TIS-620"));
    }

    #[test]
    fn windows_874_decodes_every_mapped_byte() {
        let decodable = (0x01..=0xFF_u8)
            .filter(|&b| windows_874(&[b]).is_ok())
            .count();
        assert_eq!(decodable, 0x7F + 9 + 1 + 58 + 29);
        assert_eq!(
            windows_874(b"\x80\x85\x91\x97\xA0\xA1\xDA\xDF\xFB").unwrap(),
            "€…‘—\u{a0}กฺ฿๛"
        );
        assert_eq!(windows_874(b"ok\xFC"), Err(2));
    }

    #[test]
    fn windows_874_refuses_each_byte_tis620_lacks_at_its_offset() {
        // 0xDB–0xDE and 0xFC–0xFF are undefined for encoding_rs too; the C1 bytes are refused
        // here although encoding_rs maps them (see `windows_874`).
        let lacking = [
            0xDB, 0xDC, 0xDD, 0xDE, 0xFC, 0xFD, 0xFE, 0xFF, 0x81, 0x8E, 0x90, 0x9F,
        ];
        for b in lacking {
            assert_eq!(windows_874(&[b'a', 0xA1, b'\n', b]), Err(3), "{b:#04X}");
            let mapping = Mapping {
                encoding: Encoding::Tis620,
                ..Mapping::kbiz()
            };
            let file = [&b"a,b\r\n\xA1,1\r\n"[..], &[b'x', b, b'\n']].concat();
            let message = refused(&file, &mapping);
            assert!(message.contains("row 3 "), "{b:#04X}: {message}");
        }
        // The first bad byte is named, whichever kind comes first.
        assert_eq!(windows_874(b"a\x81b\xFF"), Err(1));
        assert_eq!(windows_874(b"a\xFFb\x81"), Err(1));
        // Long input past the first buffer still decodes whole.
        let long = tis620(&"กข,ค\n".repeat(10_000));
        assert_eq!(windows_874(&long).unwrap(), "กข,ค\n".repeat(10_000));
    }

    #[test]
    fn empty_and_non_text_files_are_refused() {
        for bytes in [&b""[..], b"\xEF\xBB\xBF", b" \r\n\r\n", b",,,\n,,\n"] {
            assert!(
                refused(bytes, &Mapping::kbiz()).contains("empty"),
                "{bytes:?}"
            );
        }
        let utf16: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain("a,b\r\n".encode_utf16().flat_map(u16::to_le_bytes))
            .collect();
        let xlsx = b"PK\x03\x04\x14\x00\x06\x00rest of a zip";
        for bytes in [&utf16[..], &xlsx[..], b"%PDF-1.7", b"a,b\x00c"] {
            let err = parse(bytes, &Mapping::kbiz(), today()).unwrap_err();
            assert!(
                err.en.contains("CSV UTF-8") && err.th.contains("CSV UTF-8"),
                "{err:?}"
            );
        }
        assert!(headers(xlsx, &Mapping::kbiz()).is_err());
        assert!(refused(&vec![b'a'; MAX_FILE_BYTES + 1], &Mapping::kbiz()).contains("20 MB"));
        let only_totals = format!("{KBIZ_HEAD},,,,,,,รวม,,0,,รายการ,0.00\n");
        assert!(refused(only_totals.as_bytes(), &Mapping::kbiz()).contains("No transactions"));
    }
}
