//! A campaign's report: where the money came from and went, the bank beside the books, where
//! the units are, and what does not add up yet. Finance officers read it live; once the
//! campaign is settled, the report as it stood then is public.
//!
//! Longer than most files: a fifth of it is tests, and the rest is one report's types with the
//! wording of its problems; kept together because the report is stored whole, as JSON, when a
//! campaign is settled.

use super::status::DonationChannel;
use super::thai_date::{stored_date, stored_instant_date};
use super::{CampaignId, Lang, Localized, Money};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// Days a dispatched unit may wait for its hospital's confirmation before it is a discrepancy.
pub const UNCONFIRMED_AFTER_DAYS: i64 = 14;

/// One line of money: a label (a channel, a vendor, a campaign), how many records, how much.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MoneyLine {
    pub label: Localized,
    pub count: i64,
    pub amount: Money,
}

/// Units by where they are. `bought` is every unit that is not void: the sum of the others.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnitCounts {
    pub in_stock: i64,
    pub allocated: i64,
    pub dispatched: i64,
    pub received: i64,
    pub written_off: i64,
}

impl UnitCounts {
    /// Every unit bought or given, that is not void.
    pub fn total(&self) -> i64 {
        self.in_stock + self.allocated + self.dispatched + self.received + self.written_off
    }
}

/// What one hospital the campaign serves has received from it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HospitalLine {
    pub facility_code: String,
    pub name: Localized,
    pub district: Localized,
    pub units: i64,
    pub value: Money,
    /// The sub-district's coordinates in millionths of a degree, where the reference data has
    /// them.
    pub latitude_e6: Option<i64>,
    pub longitude_e6: Option<i64>,
}

/// Money received on one Bangkok day through one channel: the points of the money-in chart.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DayIn {
    pub on: NaiveDate,
    pub channel: DonationChannel,
    pub amount: Money,
}

/// A district of the campaign's province, placed at the mean of its sub-districts'
/// coordinates (millionths of a degree): the background of the map.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DistrictPoint {
    pub name: Localized,
    pub latitude_e6: i64,
    pub longitude_e6: i64,
}

/// Money carried between campaigns at a settlement.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Carry {
    /// The other campaign.
    pub campaign: CampaignId,
    pub title: Localized,
    pub amount: Money,
    /// True when the money came into this campaign.
    pub incoming: bool,
    /// When (RFC 3339).
    pub at: String,
}

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

/// Who settled the campaign, and when.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Settled {
    pub by: String,
    pub at: String,
}

/// The whole report.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CampaignReport {
    pub campaign: CampaignId,
    pub title: Localized,
    /// Received money by channel (gifts in kind are not money: see `in_kind`).
    pub money_in: Vec<MoneyLine>,
    pub carried_in: Vec<Carry>,
    /// Approved purchases by vendor.
    pub spent: Vec<MoneyLine>,
    pub carried_out: Vec<Carry>,
    /// Gifts in kind at their value: goods, not cash.
    pub in_kind: MoneyLine,
    /// Purchases awaiting a second officer: money held, not yet spent.
    pub held: Money,
    /// The journal's fund cash: what the lines above must come to.
    pub journal_cash: Money,
    /// The latest statement's closing balance and its date, when one is imported.
    pub bank: Option<(Money, String)>,
    pub units: UnitCounts,
    pub hospitals: Vec<HospitalLine>,
    /// Money received per day and channel, oldest first (money only: no gifts in kind).
    #[serde(default)]
    pub money_in_days: Vec<DayIn>,
    /// The districts of the provinces the campaign's hospitals are in, for the map.
    #[serde(default)]
    pub districts: Vec<DistrictPoint>,
    pub discrepancies: Vec<Discrepancy>,
    /// When the list of discrepancies was cut short, how many more there were.
    pub more_discrepancies: i64,
    /// Live work a settlement would strand (see [`super::settlement::Blocker`]): settling waits
    /// until none remains.
    #[serde(default)]
    pub blockers: Vec<super::settlement::Blocker>,
    pub settled: Option<Settled>,
}

impl CampaignReport {
    pub fn total_in(&self) -> Money {
        sum(self
            .money_in
            .iter()
            .map(|l| l.amount)
            .chain(self.carried_in.iter().map(|c| c.amount)))
    }

    pub fn total_out(&self) -> Money {
        sum(self
            .spent
            .iter()
            .map(|l| l.amount)
            .chain(self.carried_out.iter().map(|c| c.amount)))
    }

    /// Money in less money out.
    pub fn balance(&self) -> Money {
        Money::from_satang(self.total_in().satang() - self.total_out().satang())
    }

    /// Whether money in = money out + balance = the journal's cash, to the satang.
    pub fn balances(&self) -> bool {
        self.balance() == self.journal_cash
    }

    /// Discrepancies nobody has acknowledged.
    pub fn open_discrepancies(&self) -> usize {
        self.discrepancies
            .iter()
            .filter(|d| d.acknowledged.is_none())
            .count()
            + usize::try_from(self.more_discrepancies).unwrap_or(usize::MAX)
    }

    /// Whether the campaign may be settled now: the books balance, every discrepancy is
    /// acknowledged, and nothing is left to finish (no blocker).
    pub fn settleable(&self) -> bool {
        self.balances() && self.open_discrepancies() == 0 && self.blockers.is_empty()
    }

    /// The report as the public sees it: each acknowledged discrepancy by its kind and amount,
    /// its reason only where the officer let it be published, never who gave it;
    /// discrepancies name no donor and carry no reference.
    pub fn public(mut self) -> CampaignReport {
        for (n, d) in self.discrepancies.iter_mut().enumerate() {
            if let Some(a) = &mut d.acknowledged {
                a.by = String::new();
                if !a.publishable {
                    a.reason = String::new();
                }
            }
            // A key can hold a donation's reference.
            d.key = format!("d{}", n + 1);
            // A bank line's text names the payer; a donation's reference opens its page.
            match &mut d.problem {
                Problem::UnmatchedCredit { description, .. } => description.clear(),
                Problem::OpenPledge { reference, .. }
                | Problem::VoidedReceipt { reference, .. } => reference.clear(),
                _ => {}
            }
        }
        self
    }
}

fn sum(amounts: impl Iterator<Item = Money>) -> Money {
    Money::from_satang(amounts.map(Money::satang).sum())
}

/// The report page for finance officers: the report and where its balance may be carried.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FinanceReport {
    pub report: CampaignReport,
    /// Open or closed campaigns that can take the balance.
    pub carry_targets: Vec<(CampaignId, Localized)>,
    /// The Thai fiscal years (Buddhist Era) the campaign has run in, newest first, for the
    /// exports.
    pub fiscal_years: Vec<i32>,
}

/// A finance officer's acknowledgement of one discrepancy.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AcknowledgeInput {
    pub campaign_id: i64,
    pub key: String,
    pub reason: String,
    /// The reason may appear on the public report.
    #[serde(default)]
    pub publish: bool,
}

/// Settling a campaign, carrying its balance to `carry_to` when one is named.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SettleInput {
    pub campaign_id: i64,
    #[serde(default)]
    pub carry_to: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(satang: i64) -> MoneyLine {
        MoneyLine {
            label: Localized::new("x", "x"),
            count: 1,
            amount: Money::from_satang(satang),
        }
    }

    fn report() -> CampaignReport {
        CampaignReport {
            campaign: CampaignId(1),
            title: Localized::new("ก", "A"),
            money_in: vec![line(10_000), line(5_001)],
            carried_in: vec![],
            spent: vec![line(12_000)],
            carried_out: vec![],
            in_kind: line(0),
            held: Money::ZERO,
            journal_cash: Money::from_satang(3_001),
            bank: None,
            units: UnitCounts::default(),
            hospitals: vec![],
            money_in_days: vec![],
            districts: vec![],
            discrepancies: vec![],
            more_discrepancies: 0,
            blockers: vec![],
            settled: None,
        }
    }

    #[test]
    fn balances_to_the_satang() {
        let r = report();
        assert_eq!(r.balance(), Money::from_satang(3_001));
        assert!(r.settleable());
        let off = CampaignReport {
            journal_cash: Money::from_satang(3_000),
            ..report()
        };
        assert!(!off.balances());
        assert!(!off.settleable());
    }

    #[test]
    fn an_open_discrepancy_blocks_settlement_until_acknowledged() {
        let mut r = report();
        r.discrepancies.push(Discrepancy {
            key: Problem::NoStatement.key(),
            problem: Problem::NoStatement,
            acknowledged: None,
        });
        assert!(!r.settleable());
        r.discrepancies[0].acknowledged = Some(Acknowledgement {
            reason: "เงินสดฝากครบแล้ว".into(),
            by: "officer".into(),
            at: "2026-11-01T00:00:00Z".into(),
            publishable: false,
        });
        assert!(r.settleable());
        r.blockers
            .push(super::super::settlement::Blocker::OpenBatch {
                batch: 7,
                label: "คืนงาน".into(),
            });
        assert!(!r.settleable(), "an open ceremony batch blocks settlement");
        r.blockers.clear();
        let public = r.clone().public();
        let shown = public.discrepancies[0].acknowledged.as_ref().unwrap();
        assert_eq!((shown.by.as_str(), shown.reason.as_str()), ("", ""));
        r.discrepancies[0]
            .acknowledged
            .as_mut()
            .unwrap()
            .publishable = true;
        let public = r.public();
        let shown = public.discrepancies[0].acknowledged.as_ref().unwrap();
        assert_eq!(
            shown.reason, "เงินสดฝากครบแล้ว",
            "published where the officer let it"
        );
    }

    #[test]
    fn lapsed_pledges_are_one_discrepancy_that_changes_as_they_do() {
        let five = Problem::LapsedPledges {
            count: 5,
            total: Money::from_baht(2_500),
            after_days: 14,
            set: "a1".into(),
        };
        let six = Problem::LapsedPledges {
            count: 6,
            total: Money::from_baht(3_000),
            after_days: 14,
            set: "b2".into(),
        };
        assert_ne!(five.key(), six.key());
        let other_five = Problem::LapsedPledges {
            count: 5,
            total: Money::from_baht(2_500),
            after_days: 14,
            set: "c3".into(),
        };
        assert_ne!(
            five.key(),
            other_five.key(),
            "another set of the same size and total"
        );
        assert!(five.detail(Lang::En).contains("5 pledges"));
    }

    #[test]
    fn a_bank_difference_that_moves_needs_a_new_acknowledgement() {
        let a = Problem::BankDiffers {
            bank: Money::from_satang(100),
            books: Money::from_satang(90),
            on: "2026-11-01".into(),
        };
        let b = Problem::BankDiffers {
            bank: Money::from_satang(100),
            books: Money::from_satang(80),
            on: "2026-11-01".into(),
        };
        assert_ne!(a.key(), b.key());
    }
}
