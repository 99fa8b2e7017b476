//! Statuses and kinds stored as text (with a CHECK constraint in the database) and shown in
//! both languages.

use serde::{Deserialize, Serialize};

macro_rules! text_enum {
    ($(#[$doc:meta])* $name:ident { $($variant:ident = $code:literal, $th:literal, $en:literal;)+ }) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($variant,)+ }

        impl $name {
            /// Every value, in order.
            pub const ALL: &'static [$name] = &[$($name::$variant,)+];

            /// The code stored in the database and used in URLs and JSON.
            pub fn code(self) -> &'static str {
                match self { $($name::$variant => $code,)+ }
            }

            /// Reads a stored code.
            pub fn from_code(code: &str) -> Option<Self> {
                match code { $($code => Some($name::$variant),)+ _ => None }
            }

            /// The label shown to people.
            pub fn label(self, lang: $crate::model::Lang) -> &'static str {
                match self { $($name::$variant => lang.pick($th, $en),)+ }
            }
        }
    };
}
pub(crate) use text_enum;

text_enum!(
    /// Where a campaign is in its life. Only an open campaign takes donations.
    CampaignStatus {
        Draft = "draft", "ร่าง", "Draft";
        Open = "open", "เปิดรับบริจาค", "Open";
        Closed = "closed", "ปิดรับบริจาคแล้ว", "Closed";
        Settled = "settled", "ปิดบัญชีแล้ว", "Settled";
    }
);

text_enum!(
    /// Where a hospital's equipment request is. Requests move
    /// `submitted → approved | rejected → partly fulfilled → fulfilled`, or are withdrawn by
    /// their hospital while still submitted.
    RequestStatus {
        Submitted = "submitted", "รอพิจารณา", "Submitted";
        Approved = "approved", "อนุมัติแล้ว", "Approved";
        Rejected = "rejected", "ไม่อนุมัติ", "Rejected";
        PartlyFulfilled = "partly_fulfilled", "ได้รับบางส่วน", "Partly fulfilled";
        Fulfilled = "fulfilled", "ได้รับครบแล้ว", "Fulfilled";
        Withdrawn = "withdrawn", "ถอนคำขอแล้ว", "Withdrawn";
    }
);

impl RequestStatus {
    /// Still waiting for equipment: counted among a hospital's open requests.
    pub fn is_open(self) -> bool {
        matches!(
            self,
            RequestStatus::Submitted | RequestStatus::Approved | RequestStatus::PartlyFulfilled
        )
    }
}

text_enum!(
    /// Where a purchase is: waiting for a second finance officer when its total is above the
    /// campaign's threshold, approved (its money spent), or voided (its entry reversed).
    PurchaseStatus {
        AwaitingApproval = "awaiting_approval", "รออนุมัติคนที่สอง", "Awaiting a second approval";
        Approved = "approved", "อนุมัติแล้ว", "Approved";
        Voided = "voided", "ยกเลิกแล้ว", "Voided";
    }
);

text_enum!(
    /// Where a unit is: `in_stock → allocated → dispatched → received` (or back to stock when
    /// its hospital rejects it); `written_off` ends its life; `voided` belongs to a voided
    /// purchase.
    UnitStatus {
        InStock = "in_stock", "ในคลัง", "In stock";
        Allocated = "allocated", "จัดสรรแล้ว", "Allocated";
        Dispatched = "dispatched", "กำลังจัดส่ง", "On the way";
        Received = "received", "ถึง รพ.สต. แล้ว", "Received";
        WrittenOff = "written_off", "ตัดจำหน่ายแล้ว", "Written off";
        Voided = "voided", "ยกเลิก (การซื้อถูกยกเลิก)", "Voided with its purchase";
    }
);

text_enum!(
    /// Whether a unit works.
    UnitCondition {
        Working = "working", "ใช้งานได้", "Working";
        AwaitingRepair = "awaiting_repair", "รอซ่อม", "Awaiting repair";
        Unusable = "unusable", "ใช้งานไม่ได้", "Unusable";
    }
);

text_enum!(
    /// How soon a hospital needs what it asks for.
    Priority {
        Urgent = "urgent", "ด่วน", "Urgent";
        Normal = "normal", "ปกติ", "Normal";
    }
);

text_enum!(
    /// How the money arrived.
    DonationChannel {
        Cash = "cash", "เงินสด", "Cash";
        BankTransfer = "bank_transfer", "โอนเงิน", "Bank transfer";
        PromptPay = "promptpay", "พร้อมเพย์", "PromptPay";
        Cheque = "cheque", "เช็ค", "Cheque";
        InKind = "in_kind", "สิ่งของ", "In kind";
    }
);

text_enum!(
    /// Where a donation is: promised, in the fund, or cancelled by a visible reversal.
    DonationStatus {
        Pledged = "pledged", "รอรับเงิน", "Pledged";
        Received = "received", "ได้รับแล้ว", "Received";
        Voided = "voided", "ยกเลิก", "Voided";
    }
);

text_enum!(
    /// The kind of health facility.
    HospitalKind {
        HealthPromoting = "health_promoting", "รพ.สต.", "Sub-district health promoting hospital";
        Community = "community", "โรงพยาบาลชุมชน", "Community hospital";
        General = "general", "โรงพยาบาลทั่วไป", "General hospital";
        Other = "other", "หน่วยบริการอื่น", "Other facility";
    }
);

text_enum!(
    /// The kind of organising partner (ภาคีเครือข่าย).
    PartnerKind {
        Government = "government", "หน่วยงานรัฐ", "Government unit";
        LocalAdministration = "local_administration", "องค์กรปกครองส่วนท้องถิ่น", "Local administration";
        Company = "company", "ภาคเอกชน", "Company";
        Temple = "temple", "วัด", "Temple";
        CivilSociety = "civil_society", "ภาคประชาสังคม", "Civil society";
    }
);

impl CampaignStatus {
    /// Whether the campaign accepts new donations.
    pub fn takes_donations(self) -> bool {
        self == CampaignStatus::Open
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_reads_back_to_its_value() {
        for s in CampaignStatus::ALL {
            assert_eq!(CampaignStatus::from_code(s.code()), Some(*s));
        }
        for c in DonationChannel::ALL {
            assert_eq!(DonationChannel::from_code(c.code()), Some(*c));
        }
        for s in DonationStatus::ALL {
            assert_eq!(DonationStatus::from_code(s.code()), Some(*s));
        }
        for k in HospitalKind::ALL {
            assert_eq!(HospitalKind::from_code(k.code()), Some(*k));
        }
        for k in PartnerKind::ALL {
            assert_eq!(PartnerKind::from_code(k.code()), Some(*k));
        }
        assert_eq!(CampaignStatus::from_code("OPEN"), None);
    }

    #[test]
    fn only_an_open_campaign_takes_donations() {
        let taking: Vec<_> = CampaignStatus::ALL
            .iter()
            .filter(|s| s.takes_donations())
            .collect();
        assert_eq!(taking, vec![&CampaignStatus::Open]);
    }
}
