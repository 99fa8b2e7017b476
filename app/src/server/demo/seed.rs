//! The demo's reference rows: the catalog, partners, the twenty demo hospitals and one account per
//! role (all with the same published demo password).

use super::data::{CATALOG, PARTNERS};
use crate::model::Money;
use crate::server::db::Tx;

pub(super) async fn insert_catalog(tx: &mut Tx, now: &str) -> Result<Vec<i64>, sqlx::Error> {
    let mut ids = Vec::new();
    for (code, th, en, unit_th, unit_en, baht) in CATALOG {
        let (id,): (i64,) = sqlx::query_as(
            "insert into equipment_item (code, name_th, name_en, unit_th, unit_en, reference_price_satang,
               created_at, maintenance_days)
             values ($1, $2, $3, $4, $5, $6, $7, $8) returning equipment_item_id",
        )
        .bind(*code)
        .bind(*th)
        .bind(*en)
        .bind(*unit_th)
        .bind(*unit_en)
        .bind(Money::from_baht(*baht).satang())
        .bind(now)
        .bind(crate::model::loan::maintenance_days(code))
        .fetch_one(&mut **tx)
        .await?;
        ids.push(id);
    }
    Ok(ids)
}

pub(super) async fn insert_partners(tx: &mut Tx, now: &str) -> Result<Vec<i64>, sqlx::Error> {
    let mut ids = Vec::new();
    for (th, en, kind) in PARTNERS {
        let (id,): (i64,) = sqlx::query_as(
            "insert into partner (name_th, name_en, kind, is_demo, created_at) values ($1, $2, $3, 1, $4)
             returning partner_id",
        )
        .bind(*th)
        .bind(*en)
        .bind(kind.code())
        .bind(now)
        .fetch_one(&mut **tx)
        .await?;
        ids.push(id);
    }
    Ok(ids)
}

/// Twenty demo รพ.สต., one in each of the first twenty districts of Khon Kaen (province 40).
pub(super) async fn insert_hospitals(tx: &mut Tx, now: &str) -> Result<Vec<i64>, sqlx::Error> {
    let places: Vec<(i64, i64, String, String)> = sqlx::query_as(
        "select s.district_code, s.subdistrict_code, s.name_th, s.name_en from subdistrict s
         join district d on d.district_code = s.district_code
         where d.province_code = 40 order by s.district_code, s.subdistrict_code",
    )
    .fetch_all(&mut **tx)
    .await?;
    let mut ids = Vec::new();
    let mut last_district = 0;
    for (district, subdistrict, th, en) in places {
        if district == last_district || ids.len() == 20 {
            continue;
        }
        last_district = district;
        let code = format!("99{:03}", ids.len() + 1);
        let (id,): (i64,) = sqlx::query_as(
            "insert into hospital (facility_code, name_th, name_en, subdistrict_code, kind, is_demo, created_at, updated_at)
             values ($1, $2, $3, $4, 'health_promoting', 1, $5, $5) returning hospital_id",
        )
        .bind(code)
        .bind(format!("รพ.สต.{th} (ตัวอย่าง)"))
        .bind(format!("{en} Health Promoting Hospital (demo)"))
        .bind(subdistrict)
        .bind(now)
        .fetch_one(&mut **tx)
        .await?;
        ids.push(id);
    }
    Ok(ids)
}

/// Where the settled (once closed) campaign's hospitals start among the demo's hospitals.
pub(super) const CLOSED_HOSPITALS: usize = 14;

/// The password of every demo account (documented in the README; never used outside the demo).
pub const DEMO_PASSWORD: &str = "phapa-demo-password";

/// One account per role: `demo-admin`, `demo-finance` (and `demo-finance-2`, the second person
/// a large purchase needs), and `demo-staff` for the first hospital
/// (`demo-staff-2` and `demo-staff-3` for the next two, whose requests fill the review queue;
/// `demo-staff-4` and `demo-staff-5` for the first two hospitals of the settled campaign).
pub(super) async fn insert_accounts(
    tx: &mut Tx,
    hospitals: &[i64],
    now: &str,
) -> Result<(), sqlx::Error> {
    let hash =
        crate::server::auth::hash_password(&crate::model::account::Password::typed(DEMO_PASSWORD))
            .await
            .map_err(|e| sqlx::Error::Protocol(e.to_string()))?;
    let accounts: [(&str, &str, &str, Option<i64>); 8] = [
        ("demo-admin", "ผู้ดูแลระบบ (ตัวอย่าง)", "administrator", None),
        (
            "demo-finance",
            "เจ้าหน้าที่การเงิน (ตัวอย่าง)",
            "finance_officer",
            None,
        ),
        (
            "demo-finance-2",
            "เจ้าหน้าที่การเงินคนที่สอง (ตัวอย่าง)",
            "finance_officer",
            None,
        ),
        (
            "demo-staff",
            "เจ้าหน้าที่ รพ.สต. (ตัวอย่าง)",
            "hospital_staff",
            Some(hospitals[0]),
        ),
        (
            "demo-staff-2",
            "เจ้าหน้าที่ รพ.สต. แห่งที่ 2 (ตัวอย่าง)",
            "hospital_staff",
            Some(hospitals[1]),
        ),
        (
            "demo-staff-3",
            "เจ้าหน้าที่ รพ.สต. แห่งที่ 3 (ตัวอย่าง)",
            "hospital_staff",
            Some(hospitals[2]),
        ),
        (
            "demo-staff-4",
            "เจ้าหน้าที่ รพ.สต. อำเภอชุมแพ (ตัวอย่าง)",
            "hospital_staff",
            Some(hospitals[CLOSED_HOSPITALS]),
        ),
        (
            "demo-staff-5",
            "เจ้าหน้าที่ รพ.สต. อำเภอชุมแพ แห่งที่ 2 (ตัวอย่าง)",
            "hospital_staff",
            Some(hospitals[CLOSED_HOSPITALS + 1]),
        ),
    ];
    for (username, name, role, hospital) in accounts {
        sqlx::query(
            "insert into account (username, display_name, password_hash, role, hospital_id, created_at, updated_at)
             values ($1, $2, $3, $4, $5, $6, $6)",
        )
        .bind(username)
        .bind(name)
        .bind(&hash.0)
        .bind(role)
        .bind(hospital)
        .bind(now)
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}
