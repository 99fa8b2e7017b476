//! What donation pages show: a donor's gift looked up by its reference, how to pay a pledge, where
//! the campaign's money went, and the lists finance officers work from.

use super::{BatchSummary, ReceiptNumber, ReceiptView, RecipientView};
use crate::model::campaign::PublicDonation;
use crate::model::status::{CampaignStatus, DonationChannel, DonationStatus};
use crate::model::thai_id::NationalId;
use crate::model::{CampaignId, Localized, Money};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

/// A donation in a finance officer's list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DonationRow {
    pub reference: String,
    pub donor_name: Option<String>,
    pub amount: Money,
    pub channel: DonationChannel,
    pub status: DonationStatus,
    pub created_at: DateTime<Utc>,
    pub received_at: Option<DateTime<Utc>>,
    pub receipt: Option<ReceiptNumber>,
}

/// A campaign's money as finance officers work on it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FinanceCampaign {
    pub id: CampaignId,
    pub title: Localized,
    pub status: CampaignStatus,
    pub raised: Money,
    pub in_kind: Money,
    pub donation_count: i64,
    pub donor_count: i64,
    pub pledged_count: i64,
    pub recipient: Option<RecipientView>,
    /// One page of pledges waiting for their money, newest first.
    pub pledges: Vec<DonationRow>,
    /// Where the next (older) page of pledges starts, if there is one.
    pub pledges_older: Option<i64>,
    /// One page of gifts received or voided, newest first.
    pub recent: Vec<DonationRow>,
    /// Where the next (older) page of gifts starts, if there is one.
    pub recent_older: Option<i64>,
    pub batches: Vec<BatchSummary>,
    /// A fresh idempotency key for the record form.
    pub form_key: String,
    /// A fresh idempotency key for the form that opens a batch.
    pub batch_key: String,
}

/// The finance home page's data: recipients to export for, and today's date in Bangkok.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FinanceHome {
    pub recipients: Vec<(crate::model::LegalRecipientId, RecipientView)>,
    pub today: NaiveDate,
    /// What waits for this officer, campaigns with most waiting first.
    #[serde(default)]
    pub waiting: Vec<crate::model::worklist::Waiting>,
}

/// A QR code drawn as one SVG path over a `size` × `size` grid of modules (quiet zone included).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct QrSvg {
    pub size: u32,
    pub path: String,
}

/// How to pay a pledge by PromptPay: a Thai QR code for any banking app.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PromptPayPayment {
    pub payee: String,
    /// The PromptPay ID as shown, partly masked: `08x-xxx-5678` or `0-9940-xxxxx-xx-6`; empty
    /// when the code is a bill payment to a payee without one.
    pub promptpay_id: String,
    /// The Biller ID when the code is a bill payment (the pledge's reference as its Ref1).
    pub biller_id: Option<String>,
    pub payload: String,
    pub qr: QrSvg,
}

/// A campaign's receiving bank account.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BankAccount {
    pub bank: String,
    pub number: String,
    pub name: String,
}

/// A campaign's fund in three figures: cash received, spent on equipment (net of voids), and held
/// for purchases awaiting a second approval. What each gift bought is its trace
/// ([`crate::model::equipment::DonationTrace`]).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MoneyTrail {
    pub raised: Money,
    pub spent: Money,
    pub held: Money,
    /// Money carried in from settled campaigns less money carried out at settlement.
    #[serde(default)]
    pub carried: Money,
}

impl MoneyTrail {
    /// All the cash the fund has had: money given plus money carried in (less carried out).
    /// What a gift's share of a purchase divides by.
    pub fn received(&self) -> Money {
        Money::from_satang(self.raised.satang() + self.carried.satang())
    }

    /// What is left to spend: received − spent − held, so the figures a donor sees add up.
    pub fn balance(&self) -> Money {
        Money::from_satang(
            (self.raised.satang() + self.carried.satang()
                - self.spent.satang()
                - self.held.satang())
            .max(0),
        )
    }
}

/// What only finance officers see of a donation.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DonorPrivate {
    pub national_id: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub note: Option<String>,
}

/// A donation looked up by its reference.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DonationView {
    pub reference: String,
    pub campaign_id: CampaignId,
    pub campaign_title: Localized,
    pub campaign_status: CampaignStatus,
    pub status: DonationStatus,
    pub channel: DonationChannel,
    pub amount: Money,
    /// `None` for an anonymous gift.
    pub donor_name: Option<String>,
    /// Masked for everyone but finance officers.
    pub national_id: Option<String>,
    pub created_at: DateTime<Utc>,
    pub received_at: Option<DateTime<Utc>>,
    pub voided_at: Option<DateTime<Utc>>,
    pub void_reason: Option<String>,
    pub receipt: Option<ReceiptView>,
    pub in_kind: Vec<(Localized, i64)>,
    pub promptpay: Option<PromptPayPayment>,
    pub bank: Option<BankAccount>,
    /// The satang tail of a waiting pledge's amount when its campaign gives each pledge one, so
    /// the donor is told to transfer exactly that amount.
    pub tail: Option<Money>,
    /// Another open pledge held this amount when it was made: an officer matches it by hand.
    pub by_hand: bool,
    /// For a pledge unpaid past its campaign's lapse period: that period in days.
    pub lapsed_after_days: Option<i64>,
    pub trail: MoneyTrail,
    /// Present only for finance officers, who may also confirm and void.
    pub private: Option<DonorPrivate>,
}

/// The part of a campaign page that moves while people give.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CampaignLive {
    pub raised: Money,
    pub goal: Money,
    pub donor_count: i64,
    pub donation_count: i64,
    pub recent: Vec<PublicDonation>,
}

/// [`CampaignLive`] as a reader sees it, in one language: made on the server, so the browser's
/// code for the live total holds no money or calendar arithmetic.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LiveShown {
    /// `฿12,500.00`.
    pub raised: String,
    pub goal: String,
    /// 0–100 and beyond; the bar clamps it.
    pub percent: i64,
    pub goal_met: bool,
    /// `123 คน` or `123 donors`.
    pub donors: String,
    pub recent: Vec<RecentShown>,
}

/// One recent gift as listed on the campaign page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecentShown {
    pub name: String,
    pub amount: String,
    pub when: String,
}

impl LiveShown {
    /// The figures in `lang`, with the Buddhist-Era date and time of each recent gift.
    pub fn of(live: &CampaignLive, lang: crate::model::Lang) -> Self {
        let progress = crate::model::campaign::Progress::new(live.raised, live.goal);
        Self {
            raised: live.raised.to_string(),
            goal: live.goal.to_string(),
            percent: progress.percent(),
            goal_met: progress.goal_met(),
            donors: donor_count(lang, live.donor_count),
            recent: live
                .recent
                .iter()
                .map(|d| RecentShown {
                    name: d
                        .donor_name
                        .clone()
                        .unwrap_or_else(|| lang.pick("ผู้ไม่ประสงค์ออกนาม", "Anonymous").to_owned()),
                    amount: d.amount.to_string(),
                    when: crate::model::thai_date::format_instant(d.received_at, lang),
                })
                .collect(),
        }
    }
}

/// The satang tail of `amount`, if a pledge to a campaign that gives each pledge a tail shows
/// one: its amount's satang, which are never zero when a tail was added.
pub fn pledge_tail(amount: Money, campaign_tails: bool) -> Option<Money> {
    let satang = amount.satang() % 100;
    (campaign_tails && satang != 0).then(|| Money::from_satang(satang))
}

/// The one line telling a donor why their amount has satang and to transfer it exactly.
pub fn tail_hint(lang: crate::model::Lang, tail: Money) -> String {
    match lang {
        crate::model::Lang::Th => format!(
            "ยอดโอนมีเศษสตางค์ {tail} เพื่อให้ระบบจับคู่เงินโอนของท่านกับรายการนี้ได้อัตโนมัติ กรุณาโอนตามยอดนี้พอดี"
        ),
        crate::model::Lang::En => format!(
            "The amount carries a {}-satang tail so your transfer can be matched to this pledge automatically; please transfer exactly this amount.",
            tail.satang()
        ),
    }
}

/// What a donor is told when their pledge cannot be matched automatically.
pub fn by_hand_hint(lang: crate::model::Lang, reference: &str) -> String {
    match lang {
        crate::model::Lang::Th => format!(
            "ยอดนี้ตรงกับคำมั่นของผู้บริจาคท่านอื่น ระบบจึงจับคู่เงินโอนของท่านให้อัตโนมัติไม่ได้ เจ้าหน้าที่การเงินจะตรวจและยืนยันด้วยตนเอง ซึ่งอาจใช้เวลานานกว่าปกติ ถ้าแอปธนาคารให้ใส่บันทึกช่วยจำได้ กรุณาใส่รหัสอ้างอิง {reference}"
        ),
        crate::model::Lang::En => format!(
            "Another donor's pledge has this same amount, so your transfer cannot be matched automatically: a finance officer will confirm it by hand, which may take longer. If your banking app lets you add a note, put your reference {reference} in it."
        ),
    }
}

/// What a donor is told when their pledge has lapsed unpaid.
pub fn lapsed_hint(lang: crate::model::Lang, days: i64) -> String {
    match lang {
        crate::model::Lang::Th => format!(
            "คำมั่นนี้เกิน {days} วันแล้วโดยยังไม่พบเงินโอน หากท่านโอนแล้ว เจ้าหน้าที่ยังรับยอดนี้ได้เมื่อพบในรายการเดินบัญชี"
        ),
        crate::model::Lang::En => format!(
            "This pledge is more than {days} days old and no transfer has been found yet. If you have transferred, it can still be received once the bank statement shows it."
        ),
    }
}

/// "123 คน" or "123 donors".
pub fn donor_count(lang: crate::model::Lang, n: i64) -> String {
    use crate::model::Lang;
    let figure = crate::model::money::group_thousands(n.unsigned_abs());
    match (lang, n) {
        (Lang::Th, _) => format!("{figure} คน"),
        (Lang::En, 1) => "1 donor".into(),
        (Lang::En, _) => format!("{figure} donors"),
    }
}

/// `08x-xxx-5678` for a phone, the masked form for a 13-digit ID.
pub fn mask_promptpay_id(digits: &str) -> String {
    if digits.len() == 10 {
        format!("{}x-xxx-{}", &digits[..2], &digits[6..])
    } else {
        NationalId::parse(digits)
            .map(|id| id.masked())
            .unwrap_or_else(|_| "x".repeat(digits.len()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Lang;

    #[test]
    fn a_pledge_shows_its_tail_only_when_its_campaign_adds_tails() {
        let tailed = Money::from_satang(150_037);
        assert_eq!(pledge_tail(tailed, true), Some(Money::from_satang(37)));
        assert_eq!(pledge_tail(tailed, false), None);
        assert_eq!(pledge_tail(Money::from_baht(1500), true), None);
    }

    #[test]
    fn the_tail_hint_names_the_tail_in_each_language() {
        let tail = Money::from_satang(37);
        assert_eq!(
            tail_hint(Lang::Th, tail),
            "ยอดโอนมีเศษสตางค์ ฿0.37 เพื่อให้ระบบจับคู่เงินโอนของท่านกับรายการนี้ได้อัตโนมัติ กรุณาโอนตามยอดนี้พอดี"
        );
        assert_eq!(
            tail_hint(Lang::En, tail),
            "The amount carries a 37-satang tail so your transfer can be matched to this pledge automatically; please transfer exactly this amount."
        );
    }
}
