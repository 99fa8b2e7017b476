//! The loan forms read into valid values: each refusal names its field, in Thai and English,
//! and a date on a loan form is never in the future nor more than five years back.

use super::{
    privacy, EndReason, Handover, PatientGroup, Urgency, MAX_DAYS_BACK, MAX_LOAN_DAYS,
    MIN_LOAN_DAYS,
};
use crate::model::form::FieldErrors;
use crate::model::status::UnitCondition;
use crate::model::{LoanId, Money, WaitingId};
use chrono::{Duration, NaiveDate};
use serde::{Deserialize, Serialize};

/// A date typed on a loan form: required, not after `today`, not more than five years back.
pub fn past_date(e: &mut FieldErrors, field: &str, value: &str, today: NaiveDate) -> NaiveDate {
    let Some(d) = e.date(field, value, true) else {
        return today;
    };
    if d > today {
        e.add(
            field,
            "วันที่ต้องไม่เป็นวันในอนาคต",
            "The date cannot be in the future.",
        );
    } else if d < today - Duration::days(MAX_DAYS_BACK) {
        e.add(
            field,
            "วันที่เก่าเกินไป (ย้อนหลังได้ไม่เกิน 5 ปี)",
            "The date is too far back (five years at most).",
        );
    }
    d
}

fn choice<T: Copy>(
    e: &mut FieldErrors,
    field: &str,
    value: &str,
    read: fn(&str) -> Option<T>,
    th: &str,
    en: &str,
) -> Option<T> {
    let v = read(value.trim());
    if v.is_none() {
        e.add(field, th, en);
    }
    v
}

/// Adding a household to the waiting list.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct WaitingInput {
    #[serde(default)]
    pub item: String,
    #[serde(default)]
    pub group: String,
    #[serde(default)]
    pub urgency: String,
    #[serde(default)]
    pub borrower_code: String,
    #[serde(default)]
    pub note: String,
    /// `YYYY-MM-DD`; empty is today (an older date moves a paper list in).
    #[serde(default)]
    pub listed_on: String,
    #[serde(default)]
    pub idempotency_key: String,
}

/// A waiting-list entry, read.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Waiting {
    pub item: i64,
    pub group: PatientGroup,
    pub urgency: Urgency,
    pub borrower_code: String,
    pub note: Option<String>,
    pub listed_on: NaiveDate,
}

impl WaitingInput {
    pub fn read(&self, today: NaiveDate) -> Result<Waiting, FieldErrors> {
        let mut e = FieldErrors::default();
        let item = self.item.trim().parse::<i64>().ok().filter(|i| *i > 0);
        if item.is_none() {
            e.add("item", "กรุณาเลือกครุภัณฑ์", "Choose an item.");
        }
        let group = choice(
            &mut e,
            "group",
            &self.group,
            PatientGroup::from_code,
            "กรุณาเลือกกลุ่มผู้ป่วย: ติดบ้าน ติดเตียง หรือระยะท้าย",
            "Choose the patient group: home-bound, bed-bound or end of life.",
        );
        let urgency = choice(
            &mut e,
            "urgency",
            &self.urgency,
            Urgency::from_code,
            "กรุณาเลือกความเร่งด่วน",
            "Choose how urgent it is.",
        );
        let borrower_code = privacy::borrower_code(&mut e, "borrower_code", &self.borrower_code);
        let note = privacy::note(&mut e, "note", &self.note);
        let listed_on = if self.listed_on.trim().is_empty() {
            today
        } else {
            past_date(&mut e, "listed_on", &self.listed_on, today)
        };
        if !e.is_empty() {
            return Err(e);
        }
        Ok(Waiting {
            item: item.unwrap_or_default(),
            group: group.unwrap_or(PatientGroup::Homebound),
            urgency: urgency.unwrap_or(Urgency::Routine),
            borrower_code,
            note,
            listed_on,
        })
    }
}

/// Lending a unit: to a waiting-list entry (its code is used) or directly to a borrower code.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LendInput {
    #[serde(default)]
    pub tag: String,
    /// A waiting-list entry's id, or empty.
    #[serde(default)]
    pub waiting: String,
    #[serde(default)]
    pub borrower_code: String,
    #[serde(default)]
    pub note: String,
    #[serde(default)]
    pub out_on: String,
    /// Empty: the hospital's default loan length from `out_on`.
    #[serde(default)]
    pub due_on: String,
    #[serde(default)]
    pub handover: String,
    /// The accessories ticked as handed over (codes).
    #[serde(default)]
    pub accessories: Vec<String>,
}

/// A loan's start, read (the accessories are read against the unit's item by the service).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Lend {
    pub waiting: Option<WaitingId>,
    /// Empty when the waiting-list entry gives it.
    pub borrower_code: String,
    pub note: Option<String>,
    pub out_on: NaiveDate,
    pub due_on: NaiveDate,
    pub handover: Handover,
}

impl LendInput {
    pub fn read(&self, today: NaiveDate, loan_days: i64) -> Result<Lend, FieldErrors> {
        let mut e = FieldErrors::default();
        let waiting = match self.waiting.trim() {
            "" => None,
            w => {
                let id = w.parse::<i64>().ok().filter(|i| *i > 0).map(WaitingId);
                if id.is_none() {
                    e.add("waiting", "ไม่พบรายการรอ", "No such waiting-list entry.");
                }
                id
            }
        };
        let borrower_code = if waiting.is_some() && self.borrower_code.trim().is_empty() {
            String::new()
        } else {
            privacy::borrower_code(&mut e, "borrower_code", &self.borrower_code)
        };
        let note = privacy::note(&mut e, "note", &self.note);
        let out_on = past_date(&mut e, "out_on", &self.out_on, today);
        let due_on = if self.due_on.trim().is_empty() {
            out_on + Duration::days(loan_days)
        } else {
            due_date(&mut e, "due_on", &self.due_on, out_on)
        };
        let handover = choice(
            &mut e,
            "handover",
            &self.handover,
            Handover::from_code,
            "กรุณาเลือกสภาพตอนส่งมอบ",
            "Choose the condition it is handed over in.",
        );
        if !e.is_empty() {
            return Err(e);
        }
        Ok(Lend {
            waiting,
            borrower_code,
            note,
            out_on,
            due_on,
            handover: handover.unwrap_or(Handover::Good),
        })
    }
}

/// A due date after `from`, at most [`MAX_LOAN_DAYS`] later.
pub fn due_date(e: &mut FieldErrors, field: &str, value: &str, from: NaiveDate) -> NaiveDate {
    let Some(d) = e.date(field, value, true) else {
        return from;
    };
    if d <= from {
        e.add(
            field,
            "วันครบกำหนดคืนต้องอยู่หลังวันที่ยืม",
            "The due date must come after the loan's start.",
        );
    } else if d > from + Duration::days(MAX_LOAN_DAYS) {
        e.add(
            field,
            format!("ยืมได้ครั้งละไม่เกิน {MAX_LOAN_DAYS} วัน"),
            format!("A loan runs {MAX_LOAN_DAYS} days at most at a time."),
        );
    }
    d
}

/// Renewing a loan: a new due date and why.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RenewInput {
    pub loan: LoanId,
    #[serde(default)]
    pub due_on: String,
    #[serde(default)]
    pub reason: String,
}

/// A home visit's check of a unit on loan.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct VisitInput {
    pub loan: LoanId,
    #[serde(default)]
    pub on: String,
    #[serde(default)]
    pub outcome: String,
    #[serde(default)]
    pub note: String,
}

/// Taking a unit back.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReturnInput {
    pub loan: LoanId,
    #[serde(default)]
    pub on: String,
    /// `working`, `awaiting_repair` or `unusable`; a lost unit has none.
    #[serde(default)]
    pub condition: String,
    #[serde(default)]
    pub accessories: Vec<String>,
    #[serde(default)]
    pub end_reason: String,
    #[serde(default)]
    pub note: String,
}

/// A loan's end, read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Return {
    pub on: NaiveDate,
    pub condition: UnitCondition,
    pub end_reason: EndReason,
    pub note: Option<String>,
}

impl ReturnInput {
    pub fn read(&self, today: NaiveDate) -> Result<Return, FieldErrors> {
        let mut e = FieldErrors::default();
        let on = past_date(&mut e, "on", &self.on, today);
        let end_reason = choice(
            &mut e,
            "end_reason",
            &self.end_reason,
            EndReason::from_code,
            "กรุณาเลือกเหตุที่สิ้นสุดการยืม",
            "Choose why the loan ended.",
        );
        let condition = if end_reason == Some(EndReason::Lost) {
            Some(UnitCondition::Unusable)
        } else {
            choice(
                &mut e,
                "condition",
                &self.condition,
                UnitCondition::from_code,
                "กรุณาเลือกสภาพตอนรับคืน: ใช้งานได้ รอซ่อม หรือใช้งานไม่ได้",
                "Choose the condition it came back in: working, awaiting repair or unusable.",
            )
        };
        let note = privacy::note(&mut e, "note", &self.note);
        if !e.is_empty() {
            return Err(e);
        }
        Ok(Return {
            on,
            condition: condition.unwrap_or(UnitCondition::Working),
            end_reason: end_reason.unwrap_or(EndReason::NotNeeded),
            note,
        })
    }
}

/// A unit's care outside a loan: cleaned and checked, sent to repair, back from repair (working
/// or beyond repair), maintained. `place` and `cost` are for repair and maintenance.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CareInput {
    #[serde(default)]
    pub tag: String,
    #[serde(default)]
    pub on: String,
    #[serde(default)]
    pub place: String,
    #[serde(default)]
    pub cost: String,
    /// For a repair's end: `working` or `unrepairable`.
    #[serde(default)]
    pub outcome: String,
    #[serde(default)]
    pub note: String,
}

/// A care step, read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Care {
    pub on: NaiveDate,
    pub place: Option<String>,
    pub cost: Option<Money>,
    pub note: Option<String>,
}

impl CareInput {
    /// `place` is required for repair and maintenance (`needs_place`).
    pub fn read(&self, today: NaiveDate, needs_place: bool) -> Result<Care, FieldErrors> {
        let mut e = FieldErrors::default();
        let on = past_date(&mut e, "on", &self.on, today);
        let place = if needs_place {
            Some(e.required("place", &self.place, 300))
        } else {
            e.optional("place", &self.place, 300)
        };
        let cost = match self.cost.trim() {
            "" => None,
            c => match Money::parse_non_negative(c) {
                Ok(m) => Some(m),
                Err(err) => {
                    e.add(
                        "cost",
                        err.message(crate::model::Lang::Th),
                        err.message(crate::model::Lang::En),
                    );
                    None
                }
            },
        };
        let note = privacy::note(&mut e, "note", &self.note);
        if !e.is_empty() {
            return Err(e);
        }
        Ok(Care {
            on,
            place,
            cost,
            note,
        })
    }
}

/// Passing a unit to another hospital the campaign serves.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PassInput {
    #[serde(default)]
    pub tag: String,
    /// The receiving hospital's facility code.
    #[serde(default)]
    pub to: String,
    #[serde(default)]
    pub on: String,
    #[serde(default)]
    pub note: String,
}

/// The receiving hospital's answer to a unit passed to it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PassAnswerInput {
    #[serde(default)]
    pub tag: String,
    /// `accept` or `refuse`.
    #[serde(default)]
    pub answer: String,
    #[serde(default)]
    pub note: String,
}

/// The hospital's default loan length.
pub fn loan_days(e: &mut FieldErrors, value: &str) -> i64 {
    match value.trim().parse::<i64>() {
        Ok(d) if (MIN_LOAN_DAYS..=MAX_LOAN_DAYS).contains(&d) => d,
        _ => {
            e.add(
                "days",
                format!("ระยะยืมต้องเป็นจำนวนวัน {MIN_LOAN_DAYS}–{MAX_LOAN_DAYS}"),
                format!(
                    "The loan length is a number of days from {MIN_LOAN_DAYS} to {MAX_LOAN_DAYS}."
                ),
            );
            0
        }
    }
}
