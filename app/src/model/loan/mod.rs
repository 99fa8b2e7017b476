//! The last mile: a hospital lends the units it holds to patients' homes, takes them back, has
//! them cleaned, repaired and maintained, and passes them to another hospital when needs shift.
//!
//! Phapa is not a patient register. A borrower is named only by a code the hospital issues from
//! its own records, and [`privacy`] refuses anything that looks like a national ID or a phone
//! number. The patient group and a loan's end reason stay inside the hospital; what the public
//! sees ([`views::HomeFigures`], [`views::PatientCount`]) is counts, with small ones hidden.
//!
//! This file holds the words (states, groups, reasons), the checklists and the day arithmetic;
//! the forms read into valid values are in `forms`, the views in [`views`].

mod forms;
pub mod privacy;
pub mod views;

pub use forms::*;
pub use views::*;

use super::form::FieldErrors;
use super::status::text_enum;
use chrono::{Datelike, Duration, NaiveDate};
use serde::{Deserialize, Serialize};

/// The longest borrower code.
pub const MAX_CODE: usize = 40;
/// The longest note on a loan, a visit or a waiting-list entry: short on purpose.
pub const MAX_LOAN_NOTE: usize = 500;
/// The longest loan a hospital may set or give, in days.
pub const MAX_LOAN_DAYS: i64 = 365;
/// The shortest default loan a hospital may set, in days.
pub const MIN_LOAN_DAYS: i64 = 7;
/// How far back a date may be recorded (a notebook's loans typed in late), in days.
pub const MAX_DAYS_BACK: i64 = 5 * 366;

text_enum!(
    /// Where a received unit is in its hospital's hands.
    CareState {
        Ready = "ready", "พร้อมให้ยืม", "Ready to lend";
        OnLoan = "on_loan", "ให้ผู้ป่วยยืมใช้ที่บ้าน", "Lent to a patient's home";
        Cleaning = "cleaning", "รอทำความสะอาดและตรวจสภาพ", "Being cleaned and checked";
        Repair = "repair", "อยู่ระหว่างซ่อม", "In repair";
        Passing = "passing", "กำลังส่งต่อไปอีกหน่วยบริการ", "On its way to another hospital";
    }
);

text_enum!(
    /// The MOPH groups of patients by dependence (Barthel ADL); kept on a waiting-list entry
    /// because the order depends on it, never shown outside the hospital.
    PatientGroup {
        EndOfLife = "end_of_life", "ผู้ป่วยระยะท้าย", "End of life";
        Bedbound = "bedbound", "ติดเตียง", "Bed-bound";
        Homebound = "homebound", "ติดบ้าน", "Home-bound";
    }
);

text_enum!(
    /// How soon a waiting household needs the unit.
    Urgency {
        Urgent = "urgent", "ด่วน", "Urgent";
        Soon = "soon", "ภายในสัปดาห์นี้", "This week";
        Routine = "routine", "ตามลำดับ", "In turn";
    }
);

text_enum!(
    /// Why a loan ended; never public.
    EndReason {
        Recovered = "recovered", "อาการดีขึ้น", "Recovered";
        NotNeeded = "not_needed", "ไม่จำเป็นต้องใช้แล้ว", "No longer needed";
        Moved = "moved", "ย้ายที่อยู่", "Moved away";
        Died = "died", "ผู้ป่วยเสียชีวิต", "Died";
        CareTransferred = "care_transferred", "ส่งต่อการดูแลไปหน่วยบริการอื่น", "Care transferred to another hospital";
        Lost = "lost", "ครุภัณฑ์สูญหาย", "Unit lost";
    }
);

text_enum!(
    /// What a home visit found.
    VisitOutcome {
        InUse = "in_use", "ยังใช้งานอยู่", "Still in use";
        NeedsRepair = "needs_repair", "ต้องซ่อม", "Needs repair";
        ToReturn = "to_return", "จะส่งคืน", "To be returned";
    }
);

text_enum!(
    /// The condition a unit leaves in.
    Handover {
        Good = "good", "สภาพดี ครบถ้วน", "Good, complete";
        Worn = "worn", "ใช้งานได้ มีร่องรอยการใช้", "Working, shows wear";
    }
);

text_enum!(
    /// A waiting-list entry's state.
    WaitingStatus {
        Waiting = "waiting", "รอ", "Waiting";
        Served = "served", "ได้รับแล้ว", "Served";
        Cancelled = "cancelled", "ยกเลิก", "Cancelled";
    }
);

impl PatientGroup {
    fn rank(self) -> i64 {
        match self {
            PatientGroup::EndOfLife => 0,
            PatientGroup::Bedbound => 1,
            PatientGroup::Homebound => 2,
        }
    }
}

impl Urgency {
    fn rank(self) -> i64 {
        match self {
            Urgency::Urgent => 0,
            Urgency::Soon => 1,
            Urgency::Routine => 2,
        }
    }
}

/// The waiting list's order: urgency first, then group (end of life, bed-bound, home-bound);
/// entries of one rank are served oldest first.
pub fn rank(urgency: Urgency, group: PatientGroup) -> i64 {
    urgency.rank() * 3 + group.rank()
}

/// One thing handed over with a unit and checked when it comes back.
pub type Accessory = (&'static str, &'static str, &'static str);

/// The short checklist of what goes with a unit of an item (by catalog code).
pub fn accessories(item_code: &str) -> &'static [Accessory] {
    match item_code {
        "hospital_bed" => &[
            ("side_rails", "ราวกั้นเตียง", "Side rails"),
            ("crank", "มือหมุนปรับระดับ", "Crank handles"),
            ("mattress", "ที่นอน", "Mattress"),
        ],
        "air_mattress" => &[
            ("pump", "ปั๊มลม", "Pump"),
            ("air_tubes", "สายลม", "Air tubes"),
            ("cover", "ผ้าคลุม", "Cover"),
        ],
        "oxygen_concentrator" => &[
            ("filter", "ไส้กรอง", "Filter"),
            ("tubing", "สายออกซิเจน", "Tubing"),
            ("humidifier", "กระบอกทำความชื้น", "Humidifier bottle"),
            ("power_cord", "สายไฟ", "Power cord"),
        ],
        "suction_machine" => &[
            ("canister", "ขวดรองรับเสมหะ", "Canister"),
            ("suction_tubing", "สายดูด", "Suction tubing"),
            ("power_cord", "สายไฟ", "Power cord"),
        ],
        "wheelchair" => &[
            ("footrests", "ที่วางเท้า", "Footrests"),
            ("cushion", "เบาะรองนั่ง", "Cushion"),
        ],
        "walker" => &[("rubber_tips", "ยางรองขา", "Rubber tips")],
        "commode_chair" => &[("bucket", "ถังรองรับ", "Bucket")],
        _ => &[("manual", "คู่มือการใช้", "Manual")],
    }
}

/// How often a unit of an item (by catalog code) is checked and serviced, in days: what the
/// catalog gives an item of that code when it is added (none for other codes).
pub fn maintenance_days(item_code: &str) -> Option<i64> {
    match item_code {
        "oxygen_concentrator" => Some(90),
        "suction_machine" | "hospital_bed" => Some(180),
        _ => None,
    }
}

/// The ticked accessories, kept as their codes joined by commas; a code the item does not have
/// is refused on `field`.
pub fn read_accessories(
    e: &mut FieldErrors,
    field: &str,
    item_code: &str,
    ticked: &[String],
) -> String {
    let known = accessories(item_code);
    let mut kept = Vec::new();
    for t in ticked {
        let t = t.trim();
        if t.is_empty() {
            continue;
        }
        if known.iter().any(|(code, _, _)| *code == t) {
            if !kept.contains(&t) {
                kept.push(t);
            }
        } else {
            e.add(
                field,
                "รายการอุปกรณ์ประกอบไม่ตรงกับครุภัณฑ์ชนิดนี้",
                "An accessory that this kind of unit does not have was ticked.",
            );
            break;
        }
    }
    // In the checklist's order, whatever order the form sent.
    known
        .iter()
        .filter(|(code, _, _)| kept.contains(code))
        .map(|(code, _, _)| *code)
        .collect::<Vec<_>>()
        .join(",")
}

/// A date's number for day arithmetic (days since the start of the Common Era).
pub fn day_number(date: NaiveDate) -> i64 {
    i64::from(date.num_days_from_ce())
}

/// The fiscal year (Buddhist Era, October to September) a date falls in.
pub fn fiscal_year(date: NaiveDate) -> i32 {
    super::donation::fiscal_year(date)
}

/// The first and last day of a calendar month given as `YYYY-MM`.
pub fn month_days(month: &str) -> Option<(NaiveDate, NaiveDate)> {
    let first = NaiveDate::parse_from_str(&format!("{}-01", month.trim()), "%Y-%m-%d").ok()?;
    let next = if first.month() == 12 {
        NaiveDate::from_ymd_opt(first.year() + 1, 1, 1)?
    } else {
        NaiveDate::from_ymd_opt(first.year(), first.month() + 1, 1)?
    };
    Some((first, next - Duration::days(1)))
}

#[cfg(test)]
mod tests;
