//! Health facilities as the public sees them.

use super::status::HospitalKind;
use super::{CampaignId, HospitalId, Localized};
use serde::{Deserialize, Serialize};

/// A hospital with where it is, enough to list and link it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HospitalRef {
    /// The Ministry of Public Health 5-digit facility code (รหัสหน่วยบริการ).
    pub facility_code: String,
    pub name: Localized,
    pub kind: HospitalKind,
    pub subdistrict: Localized,
    pub district: Localized,
    pub province: Localized,
    /// Sample data loaded for a demonstration, not a real facility record.
    pub is_demo: bool,
}

/// One district's hospitals, for the `/hospitals` page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DistrictHospitals {
    pub district_code: i64,
    pub district: Localized,
    pub hospitals: Vec<HospitalRef>,
}

/// A campaign that serves a hospital.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CampaignLink {
    pub id: CampaignId,
    pub title: Localized,
}

/// The public page of one hospital.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HospitalDetail {
    pub hospital: HospitalRef,
    pub campaigns: Vec<CampaignLink>,
    /// What it has asked for and still waits for (no patient data).
    pub open_requests: Vec<crate::model::request::PublicRequest>,
    /// Units it has confirmed receiving, by campaign and item.
    pub received: Vec<crate::model::equipment::UnitsHeld>,
    /// Its lending to patients' homes, counts only, small ones hidden.
    pub lending: Option<crate::model::loan::PublicLending>,
}

/// A 5-digit facility code: digits only, exactly five.
pub fn is_facility_code(code: &str) -> bool {
    code.len() == 5 && code.bytes().all(|b| b.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn facility_codes_are_exactly_five_digits() {
        assert!(is_facility_code("03854"));
        assert!(!is_facility_code("3854"));
        assert!(!is_facility_code("038540"));
        assert!(!is_facility_code("0385x"));
        assert!(!is_facility_code("๐๓๘๕๔"));
    }
}

/// A hospital as its own staff see it: the public facts and who works there.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HospitalInternals {
    pub id: HospitalId,
    pub hospital: HospitalRef,
    /// The campaigns serving the hospital (not drafts), newest first: where it may ask.
    pub campaigns: Vec<CampaignLink>,
    /// Whether the caller may request equipment for it (its own staff only).
    pub may_request: bool,
    /// Display names of the hospital's active staff accounts.
    pub staff: Vec<String>,
    /// Its lending in counts (never borrower codes), filled in by the service.
    pub lending: Option<crate::model::loan::LoanCounts>,
}
