//! What stands between a campaign and its settlement besides its discrepancies: live work that a
//! settlement would strand. A campaign still taking gifts, a purchase waiting for its second
//! approval or not yet received, a unit allocated or on its way to a hospital, a ceremony batch
//! whose envelopes have no receipts yet: each is listed on the report with a link to where it is
//! dealt with, and settling is refused (409) while any remains.

use super::{CampaignId, Lang, Localized, Money};
use serde::{Deserialize, Serialize};

/// One thing to finish before settling.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Blocker {
    /// The campaign still takes gifts: close it to gifts first.
    StillOpen,
    /// A purchase waits for a second finance officer.
    AwaitingApproval {
        purchase: i64,
        vendor: String,
        total: Money,
    },
    /// An approved purchase whose equipment has not been received into stock.
    NotReceived {
        purchase: i64,
        vendor: String,
        total: Money,
    },
    /// A unit allocated to a hospital, or dispatched and not yet confirmed by it.
    UnitOut {
        tag: String,
        hospital: Localized,
        dispatched: bool,
    },
    /// A ceremony batch still open: its envelopes have no receipts yet.
    OpenBatch { batch: i64, label: String },
    /// More of the kinds above than the report lists.
    More { count: i64 },
}

impl Blocker {
    /// Where an officer deals with it.
    pub fn link(&self, campaign: CampaignId) -> String {
        match self {
            Blocker::StillOpen => format!("/finance/campaigns/{campaign}/report#close"),
            Blocker::AwaitingApproval { .. } | Blocker::NotReceived { .. } => {
                format!("/finance/purchases?campaign={campaign}")
            }
            Blocker::UnitOut { tag, .. } => format!("/units/{tag}"),
            Blocker::OpenBatch { batch, .. } => format!("/finance/batches/{batch}"),
            Blocker::More { .. } => format!("/finance/stock?campaign={campaign}"),
        }
    }

    /// What it is and what to do, in one line.
    pub fn describe(&self, lang: Lang) -> String {
        match (self, lang) {
            (Blocker::StillOpen, Lang::Th) => {
                "กองผ้าป่านี้ยังเปิดรับบริจาค: ปิดรับบริจาคก่อน".to_owned()
            }
            (Blocker::StillOpen, Lang::En) => {
                "The campaign still takes gifts: close it to gifts first.".to_owned()
            }
            (Blocker::AwaitingApproval { purchase, vendor, total }, Lang::Th) => {
                format!("การจัดซื้อ #{purchase} ({vendor}, {total}) รอผู้อนุมัติคนที่สอง: อนุมัติหรือยกเลิก")
            }
            (Blocker::AwaitingApproval { purchase, vendor, total }, Lang::En) => format!(
                "Purchase #{purchase} ({vendor}, {total}) awaits a second officer: approve or void it."
            ),
            (Blocker::NotReceived { purchase, vendor, total }, Lang::Th) => {
                format!("การจัดซื้อ #{purchase} ({vendor}, {total}) ยังไม่ได้รับของเข้าคลัง")
            }
            (Blocker::NotReceived { purchase, vendor, total }, Lang::En) => format!(
                "Purchase #{purchase} ({vendor}, {total}) is not received into stock yet."
            ),
            (Blocker::UnitOut { tag, hospital, dispatched }, lang) => {
                let name = hospital.get(lang);
                match (dispatched, lang) {
                    (true, Lang::Th) => format!("{tag} อยู่ระหว่างส่งไป {name} ยังไม่ยืนยันรับ"),
                    (true, Lang::En) => format!("{tag} is on its way to {name}, not yet confirmed."),
                    (false, Lang::Th) => format!("{tag} จัดสรรให้ {name} แล้ว ยังไม่ได้ส่ง"),
                    (false, Lang::En) => format!("{tag} is allocated to {name}, not yet sent."),
                }
            }
            (Blocker::OpenBatch { label, .. }, Lang::Th) => {
                format!("ชุดรับซอง \"{label}\" ยังไม่ปิด: ปิดชุดเพื่อออกใบเสร็จ")
            }
            (Blocker::OpenBatch { label, .. }, Lang::En) => {
                format!("Ceremony batch \"{label}\" is still open: close it to issue its receipts.")
            }
            (Blocker::More { count }, Lang::Th) => format!("และอีก {count} รายการ"),
            (Blocker::More { count }, Lang::En) => format!("and {count} more."),
        }
    }
}

/// The refusal of a settlement that something still blocks, naming each blocker.
pub fn blocked_message(blockers: &[Blocker], lang: Lang) -> String {
    let list: Vec<String> = blockers.iter().map(|b| b.describe(lang)).collect();
    match lang {
        Lang::Th => format!("ยังปิดบัญชีไม่ได้: {}", list.join(" · ")),
        Lang::En => format!("The campaign cannot be settled yet: {}", list.join(" · ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_blocker_says_what_to_do_and_where() {
        let c = CampaignId(4);
        let unit = Blocker::UnitOut {
            tag: "EQ-4-00003".into(),
            hospital: Localized::new("รพ.สต.บ้านทดสอบ", "Ban Test"),
            dispatched: true,
        };
        assert_eq!(unit.link(c), "/units/EQ-4-00003");
        assert!(unit.describe(Lang::En).contains("on its way to Ban Test"));
        let batch = Blocker::OpenBatch {
            batch: 9,
            label: "คืนงาน".into(),
        };
        assert_eq!(batch.link(c), "/finance/batches/9");
        let message = blocked_message(&[Blocker::StillOpen, batch], Lang::En);
        assert!(message.contains("close it to gifts") && message.contains("\"คืนงาน\""));
    }
}
