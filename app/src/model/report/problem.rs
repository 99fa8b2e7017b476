//! What does not add up in a campaign's report: each problem with the record it is about and
//! its wording in Thai and English, and an officer's acknowledgement of it.

use crate::model::thai_date::{stored_date, stored_instant_date};
use crate::model::{CampaignId, Lang, Localized, Money};
use serde::{Deserialize, Serialize};

/// Something in the report that does not add up, with the record it is about.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Problem {
    /// A credit on the statement that no donation explains.
    UnmatchedCredit {
        line: i64,
        on: String,
        amount: Money,
        description: String,
    },
    /// A pledge whose money no statement shows.
    OpenPledge {
        reference: String,
        amount: Money,
        pledged_at: String,
    },
    /// Pledges unpaid past the campaign's lapse period, taken together: one written decision
    /// accepts them all (as they are: another lapsing changes the key).
    LapsedPledges {
        count: i64,
        total: Money,
        after_days: i64,
        /// Names exactly which pledges (a digest of their ids), so an acknowledgement holds for
        /// this set only.
        #[serde(default)]
        set: String,
    },
    /// A unit sent to a hospital that has not confirmed it after [`UNCONFIRMED_AFTER_DAYS`].
    UnconfirmedDelivery {
        tag: String,
        hospital: Localized,
        dispatched_on: String,
    },
    /// A purchase whose invoice number is only a placeholder ("-", "ไม่มี").
    NoInvoice {
        purchase: i64,
        vendor: String,
        total: Money,
    },
    /// A receipt that was issued and then voided with its gift.
    VoidedReceipt {
        number: String,
        reference: String,
        amount: Money,
    },
    /// A request approved for more units than its hospital has received.
    UnfilledRequest {
        request: i64,
        hospital: Localized,
        item: Localized,
        approved: i64,
        received: i64,
    },
    /// No statement of the receiving account has been imported.
    NoStatement,
    /// The statement's closing balance differs from the books' cash.
    BankDiffers {
        bank: Money,
        books: Money,
        on: String,
    },
}

impl Problem {
    /// Names the discrepancy and, where it can change, what it was: an acknowledgement holds for
    /// this key only, so a difference that moves needs a new one.
    pub fn key(&self) -> String {
        match self {
            Problem::UnmatchedCredit { line, .. } => format!("credit-{line}"),
            Problem::OpenPledge { reference, .. } => format!("pledge-{reference}"),
            Problem::LapsedPledges {
                count, total, set, ..
            } => format!("pledges-lapsed-{count}-{}-{set}", total.satang()),
            Problem::UnconfirmedDelivery { tag, .. } => format!("unit-{tag}"),
            Problem::NoInvoice { purchase, .. } => format!("purchase-{purchase}"),
            Problem::VoidedReceipt { reference, .. } => format!("receipt-{reference}"),
            Problem::UnfilledRequest {
                request, received, ..
            } => format!("request-{request}-{received}"),
            Problem::NoStatement => "bank-none".to_owned(),
            Problem::BankDiffers { bank, books, on } => {
                format!("bank-{on}-{}-{}", bank.satang(), books.satang())
            }
        }
    }

    /// Where an officer looks into it.
    pub fn link(&self, campaign: CampaignId) -> String {
        match self {
            Problem::UnmatchedCredit { .. }
            | Problem::LapsedPledges { .. }
            | Problem::NoStatement
            | Problem::BankDiffers { .. } => {
                format!("/finance/reconcile?campaign={campaign}")
            }
            Problem::OpenPledge { reference, .. } | Problem::VoidedReceipt { reference, .. } => {
                format!("/donations/{reference}")
            }
            Problem::UnconfirmedDelivery { tag, .. } => format!("/units/{tag}"),
            Problem::NoInvoice { .. } => format!("/finance/purchases?campaign={campaign}"),
            Problem::UnfilledRequest { .. } => "/finance/requests".to_owned(),
        }
    }

    /// The kind of discrepancy, as a heading.
    pub fn kind_label(&self, lang: Lang) -> &'static str {
        match self {
            Problem::UnmatchedCredit { .. } => {
                lang.pick("เงินเข้าที่ไม่ตรงกับรายการบริจาค", "Credit with no donation")
            }
            Problem::OpenPledge { .. } => lang.pick("คำมั่นที่ยังไม่พบเงินเข้า", "Pledge with no credit"),
            Problem::LapsedPledges { .. } => {
                lang.pick("คำมั่นที่หมดอายุโดยไม่พบเงินเข้า", "Pledges lapsed unpaid")
            }
            Problem::UnconfirmedDelivery { .. } => lang.pick(
                "ส่งแล้วเกิน 14 วัน ยังไม่ยืนยันรับ",
                "Dispatched over 14 days ago, not confirmed",
            ),
            Problem::NoInvoice { .. } => lang.pick(
                "การจัดซื้อที่ไม่มีเลขใบแจ้งหนี้",
                "Purchase without an invoice number",
            ),
            Problem::VoidedReceipt { .. } => lang.pick("ใบเสร็จที่ยกเลิก", "Voided receipt"),
            Problem::UnfilledRequest { .. } => {
                lang.pick("คำขอที่อนุมัติแล้วแต่ยังได้รับไม่ครบ", "Approved request not filled")
            }
            Problem::NoStatement => {
                lang.pick("ยังไม่ได้นำเข้ารายการเดินบัญชี", "No bank statement imported")
            }
            Problem::BankDiffers { .. } => {
                lang.pick("ยอดธนาคารไม่ตรงกับบัญชี", "Bank balance differs from the books")
            }
        }
    }

    /// What it is about, in one line.
    pub fn detail(&self, lang: Lang) -> String {
        match self {
            Problem::UnmatchedCredit {
                on,
                amount,
                description,
                ..
            } => joined(&[&stored_date(on, lang), &amount.to_string(), description]),
            Problem::OpenPledge {
                reference,
                amount,
                pledged_at,
            } => joined(&[
                reference,
                &amount.to_string(),
                &stored_instant_date(pledged_at, lang),
            ]),
            Problem::LapsedPledges {
                count,
                total,
                after_days,
                ..
            } => match lang {
                Lang::Th => format!("{count} รายการ · รวม {total} · ไม่พบเงินเข้าเกิน {after_days} วัน"),
                Lang::En => {
                    format!("{count} pledges · {total} in all · unpaid over {after_days} days")
                }
            },
            Problem::UnconfirmedDelivery {
                tag,
                hospital,
                dispatched_on,
            } => format!(
                "{tag} · {} · {}",
                hospital.get(lang),
                stored_date(dispatched_on, lang)
            ),
            Problem::NoInvoice {
                purchase,
                vendor,
                total,
            } => format!("#{purchase} · {vendor} · {total}"),
            Problem::VoidedReceipt {
                number,
                reference,
                amount,
            } => joined(&[number, reference, &amount.to_string()]),
            Problem::UnfilledRequest {
                request,
                hospital,
                item,
                approved,
                received,
            } => format!(
                "#{request} · {} · {} · {received}/{approved}",
                hospital.get(lang),
                item.get(lang)
            ),
            Problem::NoStatement => lang
                .pick(
                    "ไม่มีหลักฐานจากธนาคารว่าเงินในบัญชีตรงกับยอดคงเหลือ",
                    "Nothing from the bank shows that the account holds the balance.",
                )
                .to_owned(),
            Problem::BankDiffers { bank, books, on } => {
                let on = stored_date(on, lang);
                let diff = Money::from_satang(bank.satang() - books.satang());
                match lang {
                    Lang::Th => format!("ธนาคาร {bank} ณ {on} · บัญชี {books} · ต่าง {diff}"),
                    Lang::En => format!("bank {bank} on {on} · books {books} · difference {diff}"),
                }
            }
        }
    }
}

/// The non-empty parts, joined with " · ".
fn joined(parts: &[&str]) -> String {
    parts
        .iter()
        .filter(|p| !p.is_empty())
        .copied()
        .collect::<Vec<_>>()
        .join(" · ")
}

/// A finance officer's written reason for accepting a discrepancy.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Acknowledgement {
    /// Empty on the public report unless the officer let it be published.
    pub reason: String,
    pub by: String,
    pub at: String,
    /// Whether the officer let the reason be published (a reason about a credit tends to name
    /// the payer).
    #[serde(default)]
    pub publishable: bool,
}

/// One discrepancy and, if given, its acknowledgement.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Discrepancy {
    pub key: String,
    pub problem: Problem,
    pub acknowledged: Option<Acknowledgement>,
}

impl Discrepancy {
    /// The HTML id of its place on the report, so a form answered about it brings the officer
    /// back to it.
    pub fn anchor(&self) -> String {
        anchor_of(&self.key)
    }
}

/// A discrepancy key as an HTML id and URL fragment: `d-` and the key with anything but ASCII
/// letters and digits written as `-`.
pub fn anchor_of(key: &str) -> String {
    let safe: String = key
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect();
    format!("d-{safe}")
}
