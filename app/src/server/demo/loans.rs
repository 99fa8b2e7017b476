//! Demo lending, written through the same services hospital staff use: on the settled
//! campaign's units (delivered months ago) a bed that has served five homes, loans out, overdue
//! and renewed, one returned and awaiting cleaning, one in repair, one lost, maintenance due, a
//! wheelchair passed between two hospitals, completed loans with every end reason and a waiting
//! list; on the open campaign, units lent today, so the demo donation's trace shows homes served.
//! Borrower codes are invented (`DEMO-…`), like everything else in the demo.

use super::equipment::user;
use crate::error::AppError;
use crate::model::loan::{
    CareInput, LendInput, PassAnswerInput, PassInput, RenewInput, ReturnInput, WaitingInput,
};
use crate::model::{CampaignId, HospitalId, LoanId, WaitingId};
use crate::server::db::Db;
use crate::server::service::loans;
use crate::server::Caller;
use chrono::{Duration, NaiveDate};

/// A unit lent today from the open campaign (named in the README: "in a home now").
pub const DEMO_UNIT_IN_A_HOME: &str = "EQ-1-00001";

async fn tags(
    db: &Db,
    campaign: CampaignId,
    hospital: i64,
    item: i64,
) -> Result<Vec<String>, AppError> {
    let rows: Vec<(String,)> = sqlx::query_as(
        "select asset_tag from equipment_unit where campaign_id = $1 and hospital_id = $2
         and equipment_item_id = $3 and status = 'received' order by equipment_unit_id",
    )
    .bind(campaign.get())
    .bind(hospital)
    .bind(item)
    .fetch_all(db.reader())
    .await?;
    Ok(rows.into_iter().map(|(t,)| t).collect())
}

struct Desk<'a> {
    db: &'a Db,
    staff: Caller,
    hospital: HospitalId,
    today: NaiveDate,
}

impl Desk<'_> {
    fn day(&self, ago: i64) -> String {
        (self.today - Duration::days(ago))
            .format("%Y-%m-%d")
            .to_string()
    }

    async fn wait(
        &self,
        item: i64,
        group: &str,
        urgency: &str,
        code: &str,
        ago: i64,
    ) -> Result<WaitingId, AppError> {
        let input = WaitingInput {
            item: item.to_string(),
            group: group.into(),
            urgency: urgency.into(),
            borrower_code: code.into(),
            note: String::new(),
            listed_on: self.day(ago),
            idempotency_key: format!("demo-waiting-{code}-{}", self.hospital),
        };
        loans::add_waiting(self.db, &self.staff, self.hospital, &input).await
    }

    async fn lend(
        &self,
        tag: &str,
        waiting: Option<WaitingId>,
        code: &str,
        ago: i64,
        days: i64,
    ) -> Result<LoanId, AppError> {
        let input = LendInput {
            tag: tag.into(),
            waiting: waiting.map(|w| w.to_string()).unwrap_or_default(),
            borrower_code: if waiting.is_some() {
                String::new()
            } else {
                code.into()
            },
            out_on: self.day(ago),
            due_on: self.day(ago - days),
            handover: "good".into(),
            ..Default::default()
        };
        loans::lend(self.db, &self.staff, self.hospital, &input).await
    }

    async fn back(
        &self,
        loan: LoanId,
        ago: i64,
        condition: &str,
        reason: &str,
    ) -> Result<(), AppError> {
        let input = ReturnInput {
            loan,
            on: self.day(ago),
            condition: condition.into(),
            end_reason: reason.into(),
            ..Default::default()
        };
        loans::take_back(self.db, &self.staff, self.hospital, &input).await
    }

    fn care(&self, tag: &str, ago: i64, place: &str, cost: &str) -> CareInput {
        CareInput {
            tag: tag.into(),
            on: self.day(ago),
            place: place.into(),
            cost: cost.into(),
            ..Default::default()
        }
    }

    async fn clean(&self, tag: &str, ago: i64) -> Result<(), AppError> {
        loans::cleaned(
            self.db,
            &self.staff,
            self.hospital,
            &self.care(tag, ago, "", ""),
        )
        .await
    }

    /// A whole loan: listed, lent, returned working with `reason`, cleaned the same day.
    async fn served(
        &self,
        tag: &str,
        item: i64,
        code: &str,
        out: i64,
        back: i64,
        reason: &str,
    ) -> Result<(), AppError> {
        let w = self.wait(item, "bedbound", "soon", code, out + 12).await?;
        let loan = self.lend(tag, Some(w), code, out, 90).await?;
        self.back(loan, back, "working", reason).await?;
        self.clean(tag, back).await
    }
}

/// Loads the lending demo. `closed_hospitals` are the settled campaign's first two hospitals
/// (staff `demo-staff-4` and `-5`), `open_hospitals` the open campaign's first two (`demo-staff`
/// and `-2`).
pub async fn load(
    db: &Db,
    (closed, open): (CampaignId, CampaignId),
    items: &[i64],
    closed_hospitals: &[i64],
    open_hospitals: &[i64],
    today: NaiveDate,
) -> Result<(), AppError> {
    let (bed, mattress, oxygen, chair) = (items[0], items[1], items[2], items[4]);
    let c0 = Desk {
        db,
        staff: user(db, "demo-staff-4").await?,
        hospital: HospitalId(closed_hospitals[0]),
        today,
    };
    let c1 = Desk {
        db,
        staff: user(db, "demo-staff-5").await?,
        hospital: HospitalId(closed_hospitals[1]),
        today,
    };
    let beds = tags(db, closed, closed_hospitals[0], bed).await?;
    let chairs = tags(db, closed, closed_hospitals[0], chair).await?;
    // A bed in five homes: four loans ended (each end reason but "lost" and "care transferred"),
    // the fifth out now.
    c0.served(&beds[0], bed, "DEMO-B101", 250, 190, "recovered")
        .await?;
    c0.served(&beds[0], bed, "DEMO-B102", 185, 130, "not_needed")
        .await?;
    c0.served(&beds[0], bed, "DEMO-B103", 125, 80, "moved")
        .await?;
    c0.served(&beds[0], bed, "DEMO-B104", 75, 40, "died")
        .await?;
    let w = c0
        .wait(bed, "end_of_life", "urgent", "DEMO-B105", 33)
        .await?;
    c0.lend(&beds[0], Some(w), "DEMO-B105", 30, 90).await?;
    // Overdue: due a month ago.
    let w = c0.wait(bed, "bedbound", "urgent", "DEMO-B106", 130).await?;
    c0.lend(&beds[1], Some(w), "DEMO-B106", 120, 90).await?;
    // Renewed.
    let loan = c0.lend(&chairs[0], None, "DEMO-C201", 100, 90).await?;
    let renew = RenewInput {
        loan,
        due_on: c0.day(-80),
        reason: "ยังต้องใช้หลังกายภาพบำบัด (ตัวอย่าง)".into(),
    };
    loans::renew(db, &c0.staff, c0.hospital, &renew).await?;
    // Returned (care transferred), awaiting cleaning.
    let loan = c0.lend(&chairs[1], None, "DEMO-C202", 60, 90).await?;
    c0.back(loan, 3, "working", "care_transferred").await?;
    // Returned broken and sent to repair.
    let loan = c0.lend(&chairs[2], None, "DEMO-C203", 90, 90).await?;
    c0.back(loan, 20, "awaiting_repair", "not_needed").await?;
    let repair = c0.care(&chairs[2], 15, "ร้านซ่อมรถเข็นชุมแพ (ตัวอย่าง)", "850.00");
    loans::send_to_repair(db, &c0.staff, c0.hospital, &repair).await?;
    // Lost in a home: unusable, for finance to write off.
    let loan = c0.lend(&chairs[3], None, "DEMO-C204", 50, 90).await?;
    c0.back(loan, 40, "", "lost").await?;
    // Passed to the next hospital, which accepts it.
    let pass = PassInput {
        tag: chairs[4].clone(),
        to: facility_code(db, closed_hospitals[1]).await?,
        on: c0.day(5),
        note: "ผู้ป่วยรอรถเข็นใน ต.ข้างเคียงมากกว่า (ตัวอย่าง)".into(),
    };
    loans::pass_on(db, &c0.staff, c0.hospital, &pass).await?;
    let answer = PassAnswerInput {
        tag: chairs[4].clone(),
        answer: "accept".into(),
        note: String::new(),
    };
    loans::answer_pass(db, &c1.staff, c1.hospital, &answer).await?;
    // Still waiting, and one entry cancelled.
    c0.wait(bed, "bedbound", "urgent", "DEMO-W301", 9).await?;
    c0.wait(chair, "homebound", "soon", "DEMO-W302", 6).await?;
    c0.wait(bed, "end_of_life", "routine", "DEMO-W303", 2)
        .await?;
    let gone = c0
        .wait(chair, "homebound", "routine", "DEMO-W304", 20)
        .await?;
    loans::cancel_waiting(
        db,
        &c0.staff,
        c0.hospital,
        gone,
        "ได้รับรถเข็นจากญาติแล้ว (ตัวอย่าง)",
    )
    .await?;
    // Maintenance due: the other hospital's bed was last checked 200 days ago.
    let c1_beds = tags(db, closed, closed_hospitals[1], bed).await?;
    let check = c1.care(&c1_beds[0], 200, "ช่างครุภัณฑ์ รพ.ชุมแพ (ตัวอย่าง)", "0");
    loans::maintain(db, &c1.staff, c1.hospital, &check).await?;

    // The open campaign's units lent today (its demo donation's trace shows the homes).
    let o0 = Desk {
        db,
        staff: user(db, "demo-staff").await?,
        hospital: HospitalId(open_hospitals[0]),
        today,
    };
    let o1 = Desk {
        db,
        staff: user(db, "demo-staff-2").await?,
        hospital: HospitalId(open_hospitals[1]),
        today,
    };
    let mattresses = tags(db, open, open_hospitals[0], mattress).await?;
    let w = o0
        .wait(mattress, "bedbound", "urgent", "DEMO-M401", 4)
        .await?;
    o0.lend(&mattresses[0], Some(w), "DEMO-M401", 0, 90).await?;
    let concentrators = tags(db, open, open_hospitals[1], oxygen).await?;
    let w = o1
        .wait(oxygen, "end_of_life", "urgent", "DEMO-O501", 2)
        .await?;
    o1.lend(&concentrators[0], Some(w), "DEMO-O501", 0, 90)
        .await?;
    Ok(())
}

async fn facility_code(db: &Db, hospital: i64) -> Result<String, AppError> {
    crate::server::db::hospital::code_of(&mut *db.reader().acquire().await?, HospitalId(hospital))
        .await?
        .ok_or(AppError::NotFound)
}
