//! Which donation a bank credit is: the matching rules as pure functions over plain values, so
//! every rule is tested without a database (the service only loads, calls and stores).
//!
//! A match issues a receipt in the donor's name, so only evidence a donor cannot forge acts on
//! its own ([`Evidence::automatic`]): the donation's reference in the bank's text (a
//! bill-payment Ref1, or the reference typed into the transfer's note), or an amount that
//! exactly one open donation of the campaign holds *because the satang tail made it so* when
//! the pledge was made (a pledge whose amount was typed as it is, with the tail off or no tail
//! left, could have been typed by anyone to wait for a stranger's transfer), or a gift an
//! officer recorded. Everything else is a suggestion an officer confirms, with one exception: a
//! gift an officer recorded (no donor typed anything about it, and matching it issues no
//! receipt) is also matched when it is the one candidate whose donor name is the payer's. A donor's name is at most a hint, compared whole
//! with the payer's name the bank shows ([`super::payer`]). A credit is never matched to a
//! pledge made after the credit's own bank date and time (nor after the line was imported: it
//! was in the bank by then, whatever time the file gives), and a tie on either side (two
//! donations for one credit, or two credits for one donation) is never automatic.

use super::payer::same_payer;
use super::ref1_of;
use crate::model::thai_date::{bangkok, bangkok_date};
use crate::model::Money;
use chrono::{DateTime, Duration, NaiveDate, NaiveDateTime, NaiveTime, Utc};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// Days after a pledge (or around a recorded gift) within which its credit is looked for by
/// amount. A reference in the bank's text matches whatever the gap.
pub const MATCH_WINDOW_DAYS: i64 = 7;
/// Suggestions offered for one credit at most.
pub const MAX_SUGGESTIONS: usize = 10;

/// Why a donation is suggested for a credit, strongest first.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Evidence {
    /// The bank's text carries the donation's reference (a Ref1, or the reference in a note).
    Reference,
    /// No other open donation of the campaign holds this amount, and the amount is one the satang
    /// tail made unique (or an officer recorded).
    UniqueAmount,
    /// Others hold the amount too; the donor's name is the payer's name the bank shows.
    AmountAndName,
    /// Others hold the amount too, or the pledge is older than the window.
    Amount,
}

impl Evidence {
    /// Whether this evidence may match on its own (when nothing competes for either side).
    pub fn automatic(self) -> bool {
        matches!(self, Evidence::Reference | Evidence::UniqueAmount)
    }

    /// A short label for the reconciliation desk.
    pub fn label(self, lang: crate::model::Lang) -> &'static str {
        match self {
            Evidence::Reference => lang.pick("รหัสอ้างอิงตรง", "reference in the bank text"),
            Evidence::UniqueAmount => lang.pick("ยอดไม่ซ้ำใคร", "unique amount"),
            Evidence::AmountAndName => lang.pick("ยอดและชื่อตรง", "same amount and name"),
            Evidence::Amount => lang.pick("ยอดตรงเท่านั้น", "same amount only"),
        }
    }
}

/// When the bank says a credit arrived: its date and, when the file gives it, its time, both
/// in Bangkok.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BankMoment {
    pub date: NaiveDate,
    pub time: Option<NaiveTime>,
}

impl BankMoment {
    /// The latest instant (Bangkok time) the credit can have arrived: its time to the end of
    /// its minute, or the end of its day without one.
    pub fn latest(self) -> NaiveDateTime {
        use chrono::Timelike;
        const LAST_NANO: u32 = 999_999_999;
        let (h, m, s) = match self.time {
            // `HH:MM` (stored as `HH:MM:00`): the whole minute.
            Some(t) if t.second() == 0 => (t.hour(), t.minute(), 59),
            Some(t) => (t.hour(), t.minute(), t.second()),
            None => (23, 59, 59),
        };
        let time = NaiveTime::from_hms_nano_opt(h, m, s, LAST_NANO).unwrap_or(NaiveTime::MIN);
        self.date.and_time(time)
    }
}

/// A credit on the bank statement, as matching sees it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Credit {
    pub at: BankMoment,
    pub amount: Money,
    /// The bank's texts (description and details) joined.
    pub text: String,
    /// When the line was imported, if it is stored: the credit had arrived by then.
    pub known_at: Option<DateTime<Utc>>,
    /// An officer took a match of this line back: it is never matched automatically again.
    pub taken_back: bool,
}

/// Where an open donation stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Standing {
    /// A pledge waiting for its money.
    Pledged,
    /// Received at this instant with no bank line yet: a gift an officer recorded, or a pledge
    /// an officer confirmed by hand.
    Received { at: DateTime<Utc> },
}

/// How a donation began as a donor's online pledge.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Pledge {
    /// When it was made: no credit from before this moment can be its money.
    pub made: DateTime<Utc>,
    /// Whether the satang tail made its amount unique among open pledges when it was made.
    pub tailed: bool,
}

/// A donation that a credit may confirm.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OpenDonation {
    pub reference: String,
    pub amount: Money,
    pub standing: Standing,
    /// `None` for a gift an officer recorded; how it was pledged otherwise.
    pub pledge: Option<Pledge>,
    /// The donor's name as typed, if any.
    pub donor: Option<String>,
}

impl OpenDonation {
    /// When its money is to be found near: the day the pledge was made, or the day received.
    fn anchor(&self) -> Option<DateTime<Utc>> {
        match (self.standing, self.pledge) {
            (Standing::Received { at }, _) => Some(at),
            (Standing::Pledged, Some(p)) => Some(p.made),
            (Standing::Pledged, None) => None,
        }
    }

    /// Whether its amount alone may decide a match: a gift an officer recorded, or a pledge
    /// whose amount the satang tail made unique. Never an amount a donor typed as it is.
    fn amount_may_decide(&self) -> bool {
        self.pledge.is_none_or(|p| p.tailed)
    }
}

/// Whether `credit` can be `d` at all, and how: `None` when it cannot (another amount, or a
/// pledge made after the money arrived); otherwise whether the bank's text carries its
/// reference and whether it falls within the window.
fn fit(credit: &Credit, d: &OpenDonation) -> Option<(bool, bool)> {
    if d.amount != credit.amount {
        return None;
    }
    if let Some(p) = d.pledge {
        // Whether still waiting or confirmed by hand since, a pledge's money came after it.
        let made = p.made.with_timezone(&bangkok()).naive_local();
        if made > credit.at.latest() || credit.known_at.is_some_and(|known| p.made > known) {
            return None;
        }
    }
    let window = Duration::days(MATCH_WINDOW_DAYS);
    let anchor = bangkok_date(d.anchor()?);
    let in_window = match d.standing {
        Standing::Pledged => credit.at.date >= anchor && credit.at.date <= anchor + window,
        Standing::Received { .. } => (credit.at.date - anchor).abs() <= window,
    };
    Some((has_reference(&credit.text, &d.reference), in_window))
}

/// Whether the bank's text carries `reference`, with or without its dashes, in any case.
fn has_reference(text: &str, reference: &str) -> bool {
    let plain: String = text
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .collect::<String>()
        .to_ascii_uppercase();
    plain.contains(&ref1_of(reference))
}

/// The donations `credit` may be, strongest first (at most [`MAX_SUGGESTIONS`]), by index into
/// `open`. A credit dated after `today` is a misread file and fits nothing.
pub fn suggestions(
    credit: &Credit,
    open: &[OpenDonation],
    today: NaiveDate,
) -> Vec<(usize, Evidence)> {
    let mut out = suggest(credit, open, 0..open.len(), today);
    out.truncate(MAX_SUGGESTIONS);
    out
}

/// Every donation at `among` (indexes into `open`) that `credit` may be, strongest first.
fn suggest(
    credit: &Credit,
    open: &[OpenDonation],
    among: impl IntoIterator<Item = usize>,
    today: NaiveDate,
) -> Vec<(usize, Evidence)> {
    if credit.at.date > today {
        return Vec::new();
    }
    let fits: Vec<(usize, bool, bool)> = among
        .into_iter()
        .filter_map(|i| fit(credit, &open[i]).map(|(by_ref, in_window)| (i, by_ref, in_window)))
        .collect();
    let rivals = fits.len();
    let mut out: Vec<(usize, Evidence)> = fits
        .iter()
        .map(|&(i, by_ref, in_window)| {
            let evidence = if by_ref {
                Evidence::Reference
            } else if rivals == 1 && in_window && open[i].amount_may_decide() {
                Evidence::UniqueAmount
            } else if in_window
                && open[i]
                    .donor
                    .as_deref()
                    .is_some_and(|name| same_payer(name, &credit.text))
            {
                Evidence::AmountAndName
            } else {
                Evidence::Amount
            };
            (i, evidence)
        })
        .collect();
    out.sort_by_key(|&(i, evidence)| (evidence, i));
    out
}

/// The one donation to suggest for a credit, and why, when one stands out among its
/// suggestions (strongest first, as [`suggestions`] gives them): the only one carrying its
/// reference in the bank text; else the only one of that amount at all; else the only one whose
/// donor is the payer the bank names. An officer confirms these one by one or a group at once.
pub fn best(found: &[(usize, Evidence)]) -> Option<(usize, Evidence)> {
    let only = |e: Evidence| {
        let mut of = found.iter().filter(|(_, x)| *x == e);
        match (of.next(), of.next()) {
            (Some(&(d, _)), None) => Some(d),
            _ => None,
        }
    };
    if let Some(d) = only(Evidence::Reference) {
        return Some((d, Evidence::Reference));
    }
    if let [(d, _)] = found {
        return Some((*d, Evidence::UniqueAmount));
    }
    only(Evidence::AmountAndName).map(|d| (d, Evidence::AmountAndName))
}

/// Whether a name may narrow a tie on its own: only for a gift an officer recorded (its name was
/// typed by an officer from the slip, not by a donor, and matching it issues no receipt).
fn named_recorded(d: &OpenDonation, evidence: Evidence) -> bool {
    evidence == Evidence::AmountAndName && d.pledge.is_none()
}

/// The pairs (credit, donation) to match without an officer, by index into `credits` and
/// `open`. A credit is matched when its one automatic suggestion is a donation that no other
/// credit claims the same way: by a reference only this credit carries, or by an amount only
/// this credit could be. Matching a pair can leave another donation alone with its amount, so
/// it repeats until nothing changes. `credits` holds every unmatched credit that competes for
/// these donations, including those an officer took back (they compete but are never matched
/// automatically).
pub fn automatic(
    credits: &[Credit],
    open: &[OpenDonation],
    today: NaiveDate,
) -> Vec<(usize, usize)> {
    let mut by_amount: HashMap<Money, Vec<usize>> = HashMap::new();
    for (i, d) in open.iter().enumerate() {
        by_amount.entry(d.amount).or_default().push(i);
    }
    let mut pairs = Vec::new();
    let mut line_done = vec![false; credits.len()];
    let mut gift_done = vec![false; open.len()];
    loop {
        // Per donation: the credits that could be it, and those carrying its reference.
        let mut claims = vec![0usize; open.len()];
        let mut by_reference = vec![0usize; open.len()];
        let mut by_name = vec![0usize; open.len()];
        let mut strong: Vec<Option<(usize, Evidence)>> = vec![None; credits.len()];
        for (c, credit) in credits.iter().enumerate() {
            if line_done[c] {
                continue;
            }
            let among = by_amount
                .get(&credit.amount)
                .map_or(&[][..], Vec::as_slice)
                .iter()
                .copied()
                .filter(|&d| !gift_done[d]);
            let found = suggest(credit, open, among, today);
            for &(d, evidence) in &found {
                claims[d] += 1;
                match evidence {
                    Evidence::Reference => by_reference[d] += 1,
                    Evidence::AmountAndName => by_name[d] += 1,
                    _ => {}
                }
            }
            let mut automatic = found
                .iter()
                .filter(|&&(d, e)| e.automatic() || named_recorded(&open[d], e));
            if let (Some(&only), None, false) =
                (automatic.next(), automatic.next(), credit.taken_back)
            {
                strong[c] = Some(only);
            }
        }
        let proposals: Vec<(usize, usize)> = strong
            .iter()
            .enumerate()
            .filter_map(|(c, s)| {
                let (d, evidence) = (*s)?;
                let alone = match evidence {
                    Evidence::Reference => by_reference[d] == 1,
                    Evidence::AmountAndName => by_name[d] == 1,
                    _ => claims[d] == 1,
                };
                alone.then_some((c, d))
            })
            .collect();
        if proposals.is_empty() {
            return pairs;
        }
        for (c, d) in proposals {
            line_done[c] = true;
            gift_done[d] = true;
            pairs.push((c, d));
        }
    }
}

#[cfg(test)]
mod tests;
