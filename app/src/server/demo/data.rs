//! The demo's fictional data: the equipment catalog, partners, the names donors are drawn from,
//! the gift sizes and the three campaigns. Kept apart from the code that loads it, so nothing
//! fictional leaks elsewhere.

use crate::model::status::{CampaignStatus, PartnerKind};
use crate::model::{Localized, Money};
use crate::server::db::campaign::{self as campaigns, NewCampaign};
use chrono::{Duration, NaiveDate};

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

pub(super) const PARTNERS: &[(&str, &str, PartnerKind)] = &[
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

pub(super) const GIVEN_NAMES: &[&str] = &[
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

pub(super) const FAMILY_NAMES: &[&str] = &[
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

pub(super) const SMALL_GIFTS_SATANG: &[i64] = &[
    10_000, 10_000, 20_000, 20_000, 30_000, 50_000, 50_000, 50_000, 50_000, 100_000, 100_000,
    100_000, 150_000, 200_000, 300_000, 500_000, 25_050, 99_900, 12_345,
];

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

pub(super) fn open_campaign(today: NaiveDate) -> NewCampaign {
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

pub(super) fn met_goal_campaign(today: NaiveDate) -> NewCampaign {
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

pub(super) fn closed_campaign(today: NaiveDate) -> NewCampaign {
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
