//! QR codes for PromptPay payloads, drawn on the server so the encoder never reaches the WASM:
//! an SVG path for the page and a PNG for donors to save and open in their banking app.

use crate::model::donation::QrSvg;
use qrcode::{EcLevel, QrCode};

/// Modules of white border on each side, as the QR specification asks.
const QUIET: usize = 4;

fn modules(payload: &str) -> Option<(usize, Vec<bool>)> {
    // Level M is what Thai banks print; PromptPay payloads stay small at it.
    let code = QrCode::with_error_correction_level(payload.as_bytes(), EcLevel::M).ok()?;
    let width = code.width();
    let dark = code
        .to_colors()
        .into_iter()
        .map(|c| c == qrcode::Color::Dark)
        .collect();
    Some((width, dark))
}

/// The QR code as one SVG path of unit squares (runs of dark modules joined per row).
pub fn svg(payload: &str) -> Option<QrSvg> {
    let (width, dark) = modules(payload)?;
    let mut path = String::new();
    for y in 0..width {
        let mut x = 0;
        while x < width {
            if dark[y * width + x] {
                let start = x;
                while x < width && dark[y * width + x] {
                    x += 1;
                }
                path.push_str(&format!(
                    "M{} {}h{}v1h-{}z",
                    start + QUIET,
                    y + QUIET,
                    x - start,
                    x - start
                ));
            } else {
                x += 1;
            }
        }
    }
    Some(QrSvg {
        size: u32::try_from(width + 2 * QUIET).ok()?,
        path,
    })
}

/// The QR code as a greyscale PNG, `scale` pixels per module.
pub fn png(payload: &str, scale: usize) -> Option<Vec<u8>> {
    let (width, dark) = modules(payload)?;
    let side = (width + 2 * QUIET) * scale;
    let mut raw = Vec::with_capacity((side + 1) * side);
    for py in 0..side {
        raw.push(0); // filter: none
        for px in 0..side {
            let (mx, my) = (px / scale, py / scale);
            let on = mx >= QUIET
                && my >= QUIET
                && mx - QUIET < width
                && my - QUIET < width
                && dark[(my - QUIET) * width + (mx - QUIET)];
            raw.push(if on { 0 } else { 255 });
        }
    }
    let side = u32::try_from(side).ok()?;
    let mut ihdr = Vec::with_capacity(13);
    ihdr.extend_from_slice(&side.to_be_bytes());
    ihdr.extend_from_slice(&side.to_be_bytes());
    ihdr.extend_from_slice(&[8, 0, 0, 0, 0]); // 8-bit greyscale, no interlace
    let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
    chunk(&mut out, b"IHDR", &ihdr);
    chunk(&mut out, b"IDAT", &zlib_stored(&raw));
    chunk(&mut out, b"IEND", &[]);
    Some(out)
}

fn chunk(out: &mut Vec<u8>, kind: &[u8; 4], data: &[u8]) {
    out.extend_from_slice(&u32::try_from(data.len()).unwrap_or(0).to_be_bytes());
    let start = out.len();
    out.extend_from_slice(kind);
    out.extend_from_slice(data);
    let crc = crc32(&out[start..]);
    out.extend_from_slice(&crc.to_be_bytes());
}

/// A zlib stream of uncompressed deflate blocks: a QR image is small enough not to need more.
fn zlib_stored(data: &[u8]) -> Vec<u8> {
    let mut out = vec![0x78, 0x01];
    let blocks: Vec<&[u8]> = data.chunks(65_535).collect();
    for (i, block) in blocks.iter().enumerate() {
        out.push(u8::from(i + 1 == blocks.len()));
        let len = u16::try_from(block.len()).unwrap_or(u16::MAX);
        out.extend_from_slice(&len.to_le_bytes());
        out.extend_from_slice(&(!len).to_le_bytes());
        out.extend_from_slice(block);
    }
    let (mut a, mut b) = (1u32, 0u32);
    for &byte in data {
        a = (a + u32::from(byte)) % 65_521;
        b = (b + a) % 65_521;
    }
    out.extend_from_slice(&((b << 16) | a).to_be_bytes());
    out
}

fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = 0xFFFF_FFFFu32;
    for &byte in bytes {
        crc ^= u32::from(byte);
        for _ in 0..8 {
            crc = if crc & 1 != 0 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_png_checksums_match_their_standard_check_values() {
        // CRC-32 (ISO-HDLC) of "123456789" is 0xCBF43926.
        assert_eq!(crc32(b"123456789"), 0xCBF4_3926);
        // Adler-32 of "Wikipedia" is 0x11E60398.
        let z = zlib_stored(b"Wikipedia");
        assert_eq!(&z[z.len() - 4..], &0x11E6_0398u32.to_be_bytes());
    }

    #[test]
    fn a_promptpay_payload_draws_a_square_code_with_its_quiet_zone() {
        let payload = "00020101021229370016A000000677010111011300668123456785802TH53037646304";
        let svg = svg(payload).unwrap();
        let (width, dark) = modules(payload).unwrap();
        assert_eq!(svg.size as usize, width + 8);
        // Finder pattern: the top-left module is dark and drawn at the quiet-zone offset.
        assert!(dark[0]);
        assert!(svg.path.starts_with("M4 4h7v1h-7z"), "{}", &svg.path[..20]);
        let png = png(payload, 4).unwrap();
        assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
        assert_eq!(&png[12..16], b"IHDR");
        assert_eq!(
            u32::from_be_bytes([png[16], png[17], png[18], png[19]]) as usize,
            (width + 8) * 4
        );
    }
}
