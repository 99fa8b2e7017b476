//! Demo equipment requests on the open campaign from three hospitals, in every status a
//! hospital or a decision can give, so the review queue, the staff pages and the hospitals'
//! public pages show the path at once. Written through the same storage functions as real
//! requests (with their events).

use crate::model::account::AccountId;
use crate::model::request::{NewRequest, RequestInput};
use crate::model::status::RequestStatus;
use crate::model::{CampaignId, HospitalId};
use crate::server::db::{request, Tx};

enum Outcome {
    Waiting,
    Approved(i64, &'static str),
    Rejected(&'static str),
    Withdrawn,
}

struct Demo {
    staff: &'static str,
    /// Index into the catalog.
    item: usize,
    quantity: i64,
    /// Home-bound, bed-bound, end-of-life patients, and units already held.
    need: [i64; 4],
    reason: &'static str,
    urgent: bool,
    outcome: Outcome,
}

const REQUESTS: &[Demo] = &[
    Demo {
        staff: "demo-staff",
        item: 0,
        quantity: 3,
        need: [12, 7, 2, 1],
        reason: "ผู้ป่วยติดเตียงรายใหม่ 3 รายนอนบนพื้นบ้าน (ตัวอย่าง)",
        urgent: true,
        outcome: Outcome::Waiting,
    },
    Demo {
        staff: "demo-staff",
        item: 1,
        quantity: 4,
        need: [12, 7, 2, 2],
        reason: "ป้องกันแผลกดทับสำหรับผู้ป่วยติดเตียง (ตัวอย่าง)",
        urgent: false,
        outcome: Outcome::Approved(3, "อนุมัติ 3 ชุดตามงบที่มี (ตัวอย่าง)"),
    },
    Demo {
        staff: "demo-staff-2",
        item: 2,
        quantity: 2,
        need: [5, 4, 3, 0],
        reason: "ผู้ป่วยระยะท้ายต้องใช้ออกซิเจนที่บ้าน (ตัวอย่าง)",
        urgent: true,
        outcome: Outcome::Approved(2, "จำเป็นเร่งด่วน (ตัวอย่าง)"),
    },
    Demo {
        staff: "demo-staff-2",
        item: 4,
        quantity: 10,
        need: [20, 2, 0, 6],
        reason: "รถเข็นสำหรับผู้ป่วยติดบ้าน (ตัวอย่าง)",
        urgent: false,
        outcome: Outcome::Waiting,
    },
    Demo {
        staff: "demo-staff-3",
        item: 3,
        quantity: 2,
        need: [3, 1, 0, 2],
        reason: "เครื่องดูดเสมหะสำรอง (ตัวอย่าง)",
        urgent: false,
        outcome: Outcome::Rejected("มีเครื่องเพียงพอต่อจำนวนผู้ป่วยแล้ว (ตัวอย่าง)"),
    },
    Demo {
        staff: "demo-staff-3",
        item: 0,
        quantity: 1,
        need: [3, 2, 0, 0],
        reason: "ขอแทนเตียงที่ยืมมา (ตัวอย่าง)",
        urgent: false,
        outcome: Outcome::Withdrawn,
    },
];

/// An account's id and hospital.
async fn account(tx: &mut Tx, username: &str) -> Result<(AccountId, Option<i64>), sqlx::Error> {
    let (id, hospital): (i64, Option<i64>) =
        sqlx::query_as("select account_id, hospital_id from account where username = $1")
            .bind(username)
            .fetch_one(&mut **tx)
            .await?;
    Ok((AccountId(id), hospital))
}

/// Loads the demo requests on `campaign`, whose catalog ids are `items`.
pub async fn load(tx: &mut Tx, campaign: CampaignId, items: &[i64]) -> Result<(), sqlx::Error> {
    let (finance, _) = account(tx, "demo-finance").await?;
    for (i, d) in REQUESTS.iter().enumerate() {
        let (staff, hospital) = account(tx, d.staff).await?;
        let [homebound, bedbound, end_of_life, held] = d.need;
        let input = RequestInput {
            campaign_id: campaign,
            hospital_id: HospitalId(hospital.unwrap_or_default()),
            item: items[d.item].to_string(),
            quantity: d.quantity.to_string(),
            patients_homebound: homebound.to_string(),
            patients_bedbound: bedbound.to_string(),
            patients_end_of_life: end_of_life.to_string(),
            units_held: held.to_string(),
            reason: d.reason.to_owned(),
            priority: if d.urgent { "urgent" } else { "normal" }.to_owned(),
            idempotency_key: format!("demo-request-{i:04}"),
        };
        let new = NewRequest::parse(&input)
            .map_err(|e| sqlx::Error::Protocol(format!("demo request {i}: {e:?}")))?;
        let id = request::insert(tx, &new, staff).await?;
        let seen = request::version(tx, id).await?;
        match d.outcome {
            Outcome::Waiting => {}
            Outcome::Approved(quantity, why) => {
                request::settle(
                    tx,
                    id,
                    &seen,
                    RequestStatus::Approved,
                    Some(quantity),
                    why,
                    finance,
                )
                .await?;
            }
            Outcome::Rejected(why) => {
                request::settle(tx, id, &seen, RequestStatus::Rejected, None, why, finance).await?;
            }
            Outcome::Withdrawn => {
                request::settle(tx, id, &seen, RequestStatus::Withdrawn, None, "", staff).await?;
            }
        }
    }
    Ok(())
}
