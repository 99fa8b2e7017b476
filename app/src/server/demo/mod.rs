//! Demo data, loaded only when asked (`PHAPA_DEMO=1`) into a database that has no campaigns.
//!
//! Everything here is fictional and marked as such: hospital names end in "(ตัวอย่าง)" with
//! facility codes 99001–99020 (a range not used for real facilities), partners and campaigns
//! carry the demo flag, and every donation goes through the real ledger path, so the demo's
//! totals are checked by the same invariants as real ones. Dates are relative to today so the
//! demo always has an open campaign.
//!
//! Longer than most files: most of it is the demo's data (catalog, hospitals, names), kept in
//! one place so nothing fictional leaks elsewhere.

mod equipment;
mod requests;
mod settlement;
mod statement;

use super::db::campaign::{self as campaigns, NewCampaign};
use super::db::donation::{self, NewRow};
use super::db::donor::{self as donors, NewDonor};
use super::db::{time, Db, Tx};
use super::service::ledger::{self, Gift};
use super::service::receipts;
use crate::model::status::{CampaignStatus, DonationChannel, DonationStatus, PartnerKind};
use crate::model::{CampaignId, Localized, Money};
use chrono::{Duration, NaiveDate, NaiveTime, TimeZone, Utc};

/// The catalog: code, Thai name, English name, Thai unit, English unit, reference price (baht).
pub const CATALOG: &[(&str, &str, &str, &str, &str, i64)] = &[
    (
        "hospital_bed",
        "เตียงผู้ป่วยปรับระดับ 3 ไก",
        "Three-crank hospital bed",
        "เตียง",
        "bed",
        18_000,
    ),
    (
        "air_mattress",
        "ที่นอนลมป้องกันแผลกดทับ",
        "Alternating-pressure air mattress",
        "ชุด",
        "set",
        4_500,
    ),
    (
        "oxygen_concentrator",
        "เครื่องผลิตออกซิเจน 5 ลิตร",
        "Oxygen concentrator (5 L)",
        "เครื่อง",
        "unit",
        28_000,
    ),
    (
        "suction_machine",
        "เครื่องดูดเสมหะ",
        "Suction machine",
        "เครื่อง",
        "unit",
        9_500,
    ),
    ("wheelchair", "รถเข็นนั่ง", "Wheelchair", "คัน", "chair", 3_800),
    (
        "walker",
        "อุปกรณ์ช่วยเดิน (วอล์คเกอร์)",
        "Walker",
        "อัน",
        "walker",
        950,
    ),
    (
        "commode_chair",
        "เก้าอี้นั่งถ่าย",
        "Commode chair",
        "ตัว",
        "chair",
        1_800,
    ),
    (
        "nebuliser",
        "เครื่องพ่นยา",
        "Nebuliser",
        "เครื่อง",
        "unit",
        2_900,
    ),
    (
        "pulse_oximeter",
        "เครื่องวัดออกซิเจนปลายนิ้ว",
        "Pulse oximeter",
        "เครื่อง",
        "unit",
        1_200,
    ),
    (
        "bp_monitor",
        "เครื่องวัดความดันโลหิตอัตโนมัติ",
        "Automatic blood-pressure monitor",
        "เครื่อง",
        "unit",
        2_500,
    ),
    (
        "glucometer",
        "เครื่องตรวจน้ำตาลในเลือด",
        "Blood glucose meter",
        "เครื่อง",
        "unit",
        1_500,
    ),
];

const PARTNERS: &[(&str, &str, PartnerKind)] = &[
    (
        "สำนักงานสาธารณสุขจังหวัดขอนแก่น (ตัวอย่าง)",
        "Khon Kaen Provincial Health Office (demo)",
        PartnerKind::Government,
    ),
    (
        "เทศบาลนครขอนแก่น (ตัวอย่าง)",
        "Khon Kaen City Municipality (demo)",
        PartnerKind::LocalAdministration,
    ),
    (
        "บริษัท อีสานเวชภัณฑ์ จำกัด (ตัวอย่าง)",
        "Isan Medical Supplies Co., Ltd. (demo)",
        PartnerKind::Company,
    ),
    (
        "วัดป่าศรีสว่าง (ตัวอย่าง)",
        "Wat Pa Si Sawang (demo)",
        PartnerKind::Temple,
    ),
    (
        "ชมรม อสม. อำเภอเมืองขอนแก่น (ตัวอย่าง)",
        "Mueang Khon Kaen Village Health Volunteers (demo)",
        PartnerKind::CivilSociety,
    ),
    (
        "คณะกรรมการพัฒนาคุณภาพชีวิตระดับอำเภอน้ำพอง (ตัวอย่าง)",
        "Nam Phong District Health Board (demo)",
        PartnerKind::Government,
    ),
];

const GIVEN_NAMES: &[&str] = &[
    "สมชาย",
    "สมหญิง",
    "ประเสริฐ",
    "วิไลวรรณ",
    "บุญมี",
    "สุภาพร",
    "อนุชา",
    "กาญจนา",
    "ทองใบ",
    "จันทร์เพ็ญ",
    "ณัฐพล",
    "พิมพ์ชนก",
    "ศักดิ์ชัย",
    "อรุณี",
    "วีระ",
    "มาลัย",
    "สุริยา",
    "นงลักษณ์",
    "ธนากร",
    "ปราณี",
];
const FAMILY_NAMES: &[&str] = &[
    "ใจดี",
    "ศรีสุข",
    "แก้วมณี",
    "ทองดี",
    "บุญมา",
    "พรหมวงศ์",
    "สุขเจริญ",
    "มั่นคง",
    "ภูผา",
    "ชัยศรี",
];
const SMALL_GIFTS_SATANG: &[i64] = &[
    10_000, 10_000, 20_000, 20_000, 30_000, 50_000, 50_000, 50_000, 50_000, 100_000, 100_000,
    100_000, 150_000, 200_000, 300_000, 500_000, 25_050, 99_900, 12_345,
];

/// A small deterministic generator (xorshift64*), so the demo is the same on every machine.
struct Dice(u64);

impl Dice {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        usize::try_from(self.next() % (n as u64)).unwrap_or(0)
    }
}

/// Loads the demo into a database without campaigns. Returns whether it loaded anything.
pub async fn load_if_empty(db: &Db, today: NaiveDate) -> Result<bool, sqlx::Error> {
    let (campaigns,): (i64,) = sqlx::query_as("select count(*) from campaign")
        .fetch_one(db.reader())
        .await?;
    if campaigns > 0 {
        return Ok(false);
    }
    let mut tx = db.begin().await?;
    let now = time::now();
    let items = insert_catalog(&mut tx, &now).await?;
    let partners = insert_partners(&mut tx, &now).await?;
    let hospitals = insert_hospitals(&mut tx, &now).await?;
    insert_accounts(&mut tx, &hospitals, &now).await?;
    let mut dice = Dice(0x5EED_F00D_CAFE_u64);

    let open = campaign(&mut tx, open_campaign(today), &partners[..], &[0, 1, 4, 3]).await?;
    wishlist(
        &mut tx,
        open,
        &items,
        &[(0, 10), (1, 20), (2, 6), (3, 5), (4, 15), (6, 10), (8, 20)],
        &now,
    )
    .await?;
    serve(&mut tx, open, &hospitals[..8], &now).await?;
    requests::load(&mut tx, open, &items).await?;
    give(
        &mut tx,
        &mut dice,
        open,
        320,
        today - Duration::days(40),
        today,
        &[],
    )
    .await?;
    name_one_gift(&mut tx, open).await?;

    let met = campaign(&mut tx, met_goal_campaign(today), &partners[..], &[5, 2, 3]).await?;
    wishlist(
        &mut tx,
        met,
        &items,
        &[(2, 6), (3, 4), (7, 10), (8, 10)],
        &now,
    )
    .await?;
    serve(&mut tx, met, &hospitals[8..14], &now).await?;
    let big = [
        ("บริษัท อีสานเวชภัณฑ์ จำกัด (ตัวอย่าง)", 10_000_000),
        ("วัดป่าศรีสว่าง (ตัวอย่าง)", 5_000_000),
        ("คณะกรรมการพัฒนาคุณภาพชีวิตระดับอำเภอน้ำพอง (ตัวอย่าง)", 3_000_000),
        ("ร้านวัสดุก่อสร้างน้ำพองพาณิชย์ (ตัวอย่าง)", 2_500_000),
    ];
    give(
        &mut tx,
        &mut dice,
        met,
        90,
        today - Duration::days(60),
        today,
        &big,
    )
    .await?;

    let closed = campaign(&mut tx, closed_campaign(today), &partners[..], &[0, 4]).await?;
    wishlist(&mut tx, closed, &items, &[(0, 8), (4, 20), (5, 20)], &now).await?;
    serve(&mut tx, closed, &hospitals[CLOSED_HOSPITALS..], &now).await?;
    let end = today - Duration::days(300);
    give(
        &mut tx,
        &mut dice,
        closed,
        60,
        end - Duration::days(90),
        end,
        &[("เทศบาลตำบลชุมแพ (ตัวอย่าง)", 8_000_000)],
    )
    .await?;

    tx.commit().await?;
    equipment::load(db, open, &items, &hospitals[..8], today)
        .await
        .map_err(|e| sqlx::Error::Protocol(format!("demo equipment: {e:?}")))?;
    statement::load(db, open, today)
        .await
        .map_err(|e| sqlx::Error::Protocol(format!("demo statement: {e:?}")))?;
    settlement::load(
        db,
        closed,
        open,
        &items,
        &hospitals[CLOSED_HOSPITALS..],
        today,
    )
    .await
    .map_err(|e| sqlx::Error::Protocol(format!("demo settlement: {e:?}")))?;
    Ok(true)
}

/// The reference of a demo gift to the open campaign whose money reached hospitals (named in
/// the README, so a newcomer can follow it from the donation page to a bedside unit).
pub const DEMO_TRACE_REFERENCE: &str = "PP-DEMQ-GAVE-BEDS-2626";

async fn insert_catalog(tx: &mut Tx, now: &str) -> Result<Vec<i64>, sqlx::Error> {
    let mut ids = Vec::new();
    for (code, th, en, unit_th, unit_en, baht) in CATALOG {
        let (id,): (i64,) = sqlx::query_as(
            "insert into equipment_item (code, name_th, name_en, unit_th, unit_en, reference_price_satang, created_at)
             values ($1, $2, $3, $4, $5, $6, $7) returning equipment_item_id",
        )
        .bind(*code)
        .bind(*th)
        .bind(*en)
        .bind(*unit_th)
        .bind(*unit_en)
        .bind(Money::from_baht(*baht).satang())
        .bind(now)
        .fetch_one(&mut **tx)
        .await?;
        ids.push(id);
    }
    Ok(ids)
}

async fn insert_partners(tx: &mut Tx, now: &str) -> Result<Vec<i64>, sqlx::Error> {
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
async fn insert_hospitals(tx: &mut Tx, now: &str) -> Result<Vec<i64>, sqlx::Error> {
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
const CLOSED_HOSPITALS: usize = 14;

/// The password of every demo account (documented in the README; never used outside the demo).
pub const DEMO_PASSWORD: &str = "phapa-demo-password";

/// One account per role: `demo-admin`, `demo-finance` (and `demo-finance-2`, the second person
/// a large purchase needs), and `demo-staff` for the first hospital
/// (`demo-staff-2` and `demo-staff-3` for the next two, whose requests fill the review queue;
/// `demo-staff-4` and `demo-staff-5` for the first two hospitals of the settled campaign).
async fn insert_accounts(tx: &mut Tx, hospitals: &[i64], now: &str) -> Result<(), sqlx::Error> {
    let hash = super::auth::hash_password(&crate::model::account::Password::typed(DEMO_PASSWORD))
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

async fn campaign(
    tx: &mut Tx,
    c: NewCampaign,
    partners: &[i64],
    organisers: &[usize],
) -> Result<CampaignId, sqlx::Error> {
    let id = campaigns::insert(tx, &c).await?;
    for (position, &p) in organisers.iter().enumerate() {
        sqlx::query("insert into campaign_partner (campaign_id, partner_id, position, created_at) values ($1, $2, $3, $4)")
            .bind(id.get())
            .bind(partners[p])
            .bind(i64::try_from(position).unwrap_or(0))
            .bind(time::now())
            .execute(&mut **tx)
            .await?;
    }
    Ok(id)
}

async fn wishlist(
    tx: &mut Tx,
    campaign: CampaignId,
    items: &[i64],
    lines: &[(usize, i64)],
    now: &str,
) -> Result<(), sqlx::Error> {
    for (position, &(item, quantity)) in lines.iter().enumerate() {
        sqlx::query(
            "insert into campaign_wishlist_item (campaign_id, equipment_item_id, quantity, position, created_at)
             values ($1, $2, $3, $4, $5)",
        )
        .bind(campaign.get())
        .bind(items[item])
        .bind(quantity)
        .bind(i64::try_from(position).unwrap_or(0))
        .bind(now)
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}

async fn serve(
    tx: &mut Tx,
    campaign: CampaignId,
    hospitals: &[i64],
    now: &str,
) -> Result<(), sqlx::Error> {
    for &h in hospitals {
        sqlx::query("insert into campaign_hospital (campaign_id, hospital_id, created_at) values ($1, $2, $3)")
            .bind(campaign.get())
            .bind(h)
            .bind(now)
            .execute(&mut **tx)
            .await?;
    }
    Ok(())
}

/// Records `count` gifts spread over `from..=to`: the `big` organisational gifts first, then
/// envelopes and transfers from people, about a third of whom chose to stay anonymous.
async fn give(
    tx: &mut Tx,
    dice: &mut Dice,
    campaign: CampaignId,
    count: usize,
    from: NaiveDate,
    to: NaiveDate,
    big: &[(&str, i64)],
) -> Result<(), sqlx::Error> {
    let span = (to - from).num_days().max(1);
    let mut gifts = Vec::with_capacity(count);
    for i in 0..count {
        let (name, show, satang) = match big.get(i) {
            Some((name, satang)) => (Some((*name).to_owned()), true, *satang),
            None => {
                let name = format!(
                    "คุณ{} {}",
                    GIVEN_NAMES[dice.below(GIVEN_NAMES.len())],
                    FAMILY_NAMES[dice.below(FAMILY_NAMES.len())]
                );
                let show = dice.below(3) != 0;
                (
                    Some(name).filter(|_| show || dice.below(2) == 0),
                    show,
                    SMALL_GIFTS_SATANG[dice.below(SMALL_GIFTS_SATANG.len())],
                )
            }
        };
        let day =
            from + Duration::days(i64::try_from(dice.next() % span.unsigned_abs()).unwrap_or(0));
        let minutes = u32::try_from(dice.next() % (12 * 60)).unwrap_or(0);
        let local = day.and_time(NaiveTime::from_hms_opt(8, 0, 0).unwrap_or_default())
            + Duration::minutes(i64::from(minutes));
        let received_at = crate::model::thai_date::bangkok()
            .from_local_datetime(&local)
            .single()
            .map(|t| t.with_timezone(&Utc))
            .unwrap_or_else(Utc::now);
        let channel = [
            DonationChannel::Cash,
            DonationChannel::PromptPay,
            DonationChannel::BankTransfer,
        ][dice.below(3)];
        gifts.push((received_at, name, show, satang, channel));
    }
    // Receipts are numbered in the order money arrived, as they would have been.
    gifts.sort_by_key(|g| g.0);
    let recipient = receipts::recipient_of(tx, campaign)
        .await
        .map_err(|e| sqlx::Error::Protocol(format!("demo campaign without recipient: {e}")))?;
    for (received_at, name, show, satang, channel) in gifts {
        let donor = donors::insert(
            tx,
            &NewDonor {
                display_name: name,
                show_name: show,
                ..NewDonor::default()
            },
        )
        .await?;
        let amount = Money::from_satang(satang);
        let row = NewRow {
            campaign_id: campaign,
            donor_id: donor,
            amount,
            channel,
            status: DonationStatus::Received,
            received_at: Some(received_at),
            reference_code: super::reference_code::generate(),
            note: None,
            batch: None,
            recorded_by: None,
            payee: None,
            backdate_reason: None,
        };
        let donation = donation::insert(tx, &row).await?;
        let gift = Gift {
            campaign,
            donation,
            donor,
            amount,
            channel,
        };
        ledger::receive(tx, gift).await?;
        receipts::issue_for(tx, &recipient, donation, amount, received_at, None).await?;
    }
    Ok(())
}

/// Gives the open campaign's first gift the fixed reference the README names. Its row was
/// inserted a moment ago in this transaction, before anything refers to its reference.
async fn name_one_gift(tx: &mut Tx, campaign: CampaignId) -> Result<(), sqlx::Error> {
    sqlx::query(
        "update donation set reference_code = $1 where donation_id =
           (select min(donation_id) from donation where campaign_id = $2 and channel <> 'in_kind')",
    )
    .bind(DEMO_TRACE_REFERENCE)
    .bind(campaign.get())
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// The demo's legal recipient. Its tax ID, 0-0000-00000-00-1, is all zeros but for the check
/// digit, so it cannot be mistaken for a real organisation's.
fn demo_recipient() -> campaigns::NewRecipient {
    campaigns::NewRecipient {
        tax_id: "0000000000001".into(),
        name: Localized::new(
            "มูลนิธิเพื่อผู้ป่วยติดบ้านติดเตียง จังหวัดขอนแก่น (ตัวอย่าง)",
            "Khon Kaen Home-Bound Patients Foundation (demo)",
        ),
        address: Some("ถนนมิตรภาพ ตำบลในเมือง อำเภอเมืองขอนแก่น จังหวัดขอนแก่น 40000 (ตัวอย่าง)".into()),
    }
}

/// The demo's PromptPay ID: a 01 number, a prefix no Thai mobile number has had since 2006, so
/// a banking app that scans a demo QR code finds no real person behind it.
pub const DEMO_PROMPTPAY: &str = "0123456789";

fn open_campaign(today: NaiveDate) -> NewCampaign {
    NewCampaign {
        title: Localized::new(
            "ผ้าป่าประชารัฐ เพื่อผู้ป่วยติดบ้าน ติดเตียง อำเภอเมืองขอนแก่น (ตัวอย่าง)",
            "Civil-State Merit Drive for Home-Bound and Bed-Bound Patients, Mueang Khon Kaen (demo)",
        ),
        story: Localized::new(
            "อำเภอเมืองขอนแก่นมีผู้ป่วยติดบ้าน ติดเตียง และผู้ป่วยระยะท้ายที่ได้รับการดูแลที่บ้านหลายร้อยคน \
             รพ.สต. ในพื้นที่ให้ยืมเตียง ที่นอนลม และเครื่องผลิตออกซิเจนระหว่างการเยี่ยมบ้าน แต่อุปกรณ์ยังไม่พอ \
             ภาคีเครือข่ายจึงร่วมกันทอดผ้าป่าประชารัฐเพื่อจัดซื้อครุภัณฑ์การแพทย์ตามรายการด้านล่าง \
             ทุกบาทที่บริจาคติดตามได้ถึงเครื่องที่ซื้อและ รพ.สต. ที่ได้รับ",
            "Mueang Khon Kaen district cares for several hundred home-bound, bed-bound and end-of-life \
             patients at home. Its sub-district hospitals lend beds, air mattresses and oxygen \
             concentrators during home visits, but there are not enough. Partners have joined in a \
             civil-state merit drive to buy the equipment listed below; every baht can be followed to \
             the unit it bought and the hospital that received it.",
        ),
        goal: Money::from_baht(600_000),
        starts_on: today - Duration::days(40),
        ends_on: today + Duration::days(50),
        ceremony_on: Some(today + Duration::days(30)),
        ceremony_place: Some(Localized::new(
            "ศาลาการเปรียญวัดป่าศรีสว่าง อำเภอเมืองขอนแก่น (ตัวอย่าง)",
            "Main hall of Wat Pa Si Sawang, Mueang Khon Kaen (demo)",
        )),
        promptpay_id: Some(DEMO_PROMPTPAY.into()),
        bank_name: Some("ธนาคารตัวอย่าง".into()),
        bank_account_no: Some("000-0-00000-0".into()),
        bank_account_name: Some("มูลนิธิเพื่อผู้ป่วยติดบ้านติดเตียง (ตัวอย่าง)".into()),
        status: CampaignStatus::Open,
        is_demo: true,
        recipient: Some(demo_recipient()),
    }
}

fn met_goal_campaign(today: NaiveDate) -> NewCampaign {
    NewCampaign {
        title: Localized::new(
            "ผ้าป่าเครื่องผลิตออกซิเจน เพื่อผู้ป่วยระยะท้าย อำเภอน้ำพอง (ตัวอย่าง)",
            "Oxygen for End-of-Life Care, Nam Phong (demo)",
        ),
        story: Localized::new(
            "ผู้ป่วยระยะท้ายที่บ้านต้องการออกซิเจนและเครื่องดูดเสมหะ ผ้าป่ากองนี้ครบเป้าหมายแล้ว ขอบคุณผู้ร่วมบุญทุกท่าน",
            "Patients at the end of life need oxygen and suction at home. This drive has met its goal: \
             thank you to everyone who gave.",
        ),
        goal: Money::from_baht(250_000),
        starts_on: today - Duration::days(60),
        ends_on: today + Duration::days(12),
        ceremony_on: Some(today + Duration::days(5)),
        ceremony_place: Some(Localized::new("ที่ว่าการอำเภอน้ำพอง (ตัวอย่าง)", "Nam Phong District Office (demo)")),
        status: CampaignStatus::Open,
        ..open_campaign(today)
    }
}

fn closed_campaign(today: NaiveDate) -> NewCampaign {
    let end = today - Duration::days(300);
    NewCampaign {
        title: Localized::new(
            "ผ้าป่าประชารัฐ รถเข็นและเตียงผู้ป่วย อำเภอชุมแพ (ตัวอย่าง)",
            "Wheelchairs and Beds for Chum Phae (demo)",
        ),
        story: Localized::new(
            "ผ้าป่ากองนี้ปิดรับบริจาคแล้ว เงินที่ได้นำไปจัดซื้อรถเข็นและเตียงให้ รพ.สต. ในอำเภอชุมแพ",
            "This drive has closed; its money buys wheelchairs and beds for Chum Phae's sub-district hospitals.",
        ),
        goal: Money::from_baht(300_000),
        starts_on: end - Duration::days(90),
        ends_on: end,
        ceremony_on: Some(end),
        ceremony_place: Some(Localized::new("วัดศรีชมภู อำเภอชุมแพ (ตัวอย่าง)", "Wat Si Chomphu, Chum Phae (demo)")),
        status: CampaignStatus::Closed,
        ..open_campaign(today)
    }
}
