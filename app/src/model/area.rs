//! Thai administrative areas: province (จังหวัด) → district (อำเภอ) → sub-district (ตำบล), keyed
//! by the Department of Provincial Administration's codes.

use super::Localized;
use serde::{Deserialize, Serialize};

/// A district with its official 4-digit code (e.g. 4001 = อำเภอเมืองขอนแก่น).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct District {
    pub code: i64,
    pub name: Localized,
}

/// A sub-district with its official 6-digit code (e.g. 400101 = ตำบลในเมือง).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Subdistrict {
    pub code: i64,
    pub name: Localized,
}

/// The province code of a district code (4001 → 40) or of a sub-district code (400101 → 40).
pub fn province_code_of(code: i64) -> i64 {
    if code >= 100_000 {
        code / 10_000
    } else {
        code / 100
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn khon_kaen_codes_lead_to_province_40() {
        assert_eq!(province_code_of(4001), 40);
        assert_eq!(province_code_of(400101), 40);
        assert_eq!(province_code_of(1001), 10);
    }
}
