//! Reference data and campaigns, managed by administrators: hospitals, the equipment catalog,
//! partners, and campaigns with their wishlist, partners and hospitals. Every change is
//! authorised, validated into field-specific messages, and audited in its own transaction.

use super::accounts::require;
use super::audit::{self, Actor, Event};
use super::db::{time, Db, Tx};
use crate::error::{AppError, FieldError};
use crate::model::account::{Action, CurrentUser};
use crate::model::admin::{can_move, CampaignInput, HospitalInput, ItemInput, PartnerInput};
use crate::model::hospital::is_facility_code;
use crate::model::status::{CampaignStatus, PartnerKind};
use crate::model::thai_id::parse_promptpay_id;
use crate::model::{CampaignId, EquipmentItemId, Money, PartnerId};
use chrono::NaiveDate;

/// Collects field errors while a form is read.
#[derive(Default)]
struct Errors(Vec<FieldError>);

impl Errors {
    fn add(&mut self, field: &str, th: &str, en: &str) {
        self.0.push(FieldError::new(field, th, en));
    }

    /// Trimmed text that must be present and at most `max` characters.
    fn required(&mut self, field: &str, value: &str, max: usize) -> String {
        let v = value.trim();
        if v.is_empty() {
            self.add(field, "กรุณากรอกช่องนี้", "This field is required.");
        } else if v.chars().count() > max {
            self.0.push(FieldError::new(
                field,
                format!("ยาวได้ไม่เกิน {max} ตัวอักษร"),
                format!("At most {max} characters."),
            ));
        }
        v.to_owned()
    }

    /// Trimmed optional text of at most `max` characters; empty is `None`.
    fn optional(&mut self, field: &str, value: &str, max: usize) -> Option<String> {
        let v = value.trim();
        if v.chars().count() > max {
            self.0.push(FieldError::new(
                field,
                format!("ยาวได้ไม่เกิน {max} ตัวอักษร"),
                format!("At most {max} characters."),
            ));
        }
        (!v.is_empty()).then(|| v.to_owned())
    }

    fn money(&mut self, field: &str, value: &str) -> Money {
        Money::parse(value).unwrap_or_else(|e| {
            self.add(
                field,
                e.message(crate::model::Lang::Th),
                e.message(crate::model::Lang::En),
            );
            Money::ZERO
        })
    }

    fn date(&mut self, field: &str, value: &str, required: bool) -> Option<NaiveDate> {
        let v = value.trim();
        if v.is_empty() {
            if required {
                self.add(field, "กรุณาระบุวันที่", "Enter a date.");
            }
            return None;
        }
        let parsed = NaiveDate::parse_from_str(v, "%Y-%m-%d").ok();
        if parsed.is_none() {
            self.add(
                field,
                "วันที่ไม่ถูกต้อง (ปปปป-ดด-วว)",
                "Not a valid date (YYYY-MM-DD).",
            );
        }
        parsed
    }

    fn finish(self) -> Result<(), AppError> {
        if self.0.is_empty() {
            Ok(())
        } else {
            Err(AppError::Validation(self.0))
        }
    }
}

async fn record(
    tx: &mut Tx,
    actor: Option<&CurrentUser>,
    action: &str,
    record_type: &str,
    id: i64,
    detail: String,
) -> Result<(), sqlx::Error> {
    audit::record(
        tx,
        &Event {
            actor: actor.map_or(Actor::System, Actor::User),
            action,
            record_type,
            record_id: Some(id.to_string()),
            detail,
            client_address: None,
        },
    )
    .await
    .map(|_| ())
}

fn conflict(field: &str, th: &str, en: &str) -> AppError {
    AppError::field(field, th, en)
}

// ---- hospitals ---------------------------------------------------------------------------

/// Adds a hospital (`update = false`) or edits the one with this facility code (`update = true`).
pub async fn save_hospital(
    db: &Db,
    actor: Option<&CurrentUser>,
    input: &HospitalInput,
    update: bool,
) -> Result<(), AppError> {
    require(actor, Action::ManageHospitals)?;
    let mut e = Errors::default();
    let code = input.facility_code.trim().to_owned();
    if !is_facility_code(&code) {
        e.add(
            "facility_code",
            "รหัสหน่วยบริการต้องเป็นตัวเลข 5 หลัก",
            "The facility code must be 5 digits.",
        );
    }
    let name_th = e.required("name_th", &input.name_th, 200);
    let name_en = e.optional("name_en", &input.name_en, 200);
    let subdistrict = input.subdistrict_code.trim().parse::<i64>().ok();
    let known: Option<(i64,)> = match subdistrict {
        Some(code) => {
            sqlx::query_as("select subdistrict_code from subdistrict where subdistrict_code = $1")
                .bind(code)
                .fetch_optional(db.reader())
                .await?
        }
        None => None,
    };
    if known.is_none() {
        e.add(
            "subdistrict_code",
            "ไม่พบรหัสตำบลนี้ (6 หลัก)",
            "No sub-district has this 6-digit code.",
        );
    }
    let kind = super::import::parse_kind(&input.kind);
    if kind.is_none() {
        e.add(
            "kind",
            "กรุณาเลือกประเภทหน่วยบริการ",
            "Choose the kind of facility.",
        );
    }
    e.finish()?;
    let (Some((subdistrict,)), Some(kind)) = (known, kind) else {
        return Err(AppError::BadRequest("unreachable".into()));
    };
    let now = time::now();
    let mut tx = db.begin().await?;
    let id: Option<(i64,)> = if update {
        sqlx::query_as(
            "update hospital set name_th = $1, name_en = $2, subdistrict_code = $3, kind = $4, updated_at = $5
             where facility_code = $6 returning hospital_id",
        )
        .bind(&name_th)
        .bind(name_en.as_deref())
        .bind(subdistrict)
        .bind(kind.code())
        .bind(&now)
        .bind(&code)
        .fetch_optional(&mut *tx)
        .await?
    } else {
        let exists: Option<(i64,)> =
            sqlx::query_as("select hospital_id from hospital where facility_code = $1")
                .bind(&code)
                .fetch_optional(&mut *tx)
                .await?;
        if exists.is_some() {
            return Err(conflict(
                "facility_code",
                "มีหน่วยบริการรหัสนี้แล้ว",
                "A hospital with this code exists.",
            ));
        }
        Some(
            sqlx::query_as(
                "insert into hospital (facility_code, name_th, name_en, subdistrict_code, kind, is_demo, created_at, updated_at)
                 values ($1, $2, $3, $4, $5, 0, $6, $6) returning hospital_id",
            )
            .bind(&code)
            .bind(&name_th)
            .bind(name_en.as_deref())
            .bind(subdistrict)
            .bind(kind.code())
            .bind(&now)
            .fetch_one(&mut *tx)
            .await?,
        )
    };
    let Some((id,)) = id else {
        return Err(AppError::NotFound);
    };
    let action = if update {
        "hospital_updated"
    } else {
        "hospital_created"
    };
    record(
        &mut tx,
        actor,
        action,
        "hospital",
        id,
        format!(
            "{code}: {name_th}, sub-district {subdistrict}, {}",
            kind.code()
        ),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Imports a hospital CSV for an administrator; bad rows come back as field errors by line.
pub async fn import_hospitals(
    db: &Db,
    actor: Option<&CurrentUser>,
    csv: &str,
) -> Result<(usize, usize), AppError> {
    use super::import::{import_hospitals_in as import_hospitals, ImportError};
    require(actor, Action::ManageHospitals)?;
    let mut tx = db.begin().await?;
    match import_hospitals(db, &mut tx, csv).await {
        Ok(report) => {
            let detail = format!("{} added, {} updated", report.inserted, report.updated);
            record(&mut tx, actor, "hospitals_imported", "hospital", 0, detail).await?;
            tx.commit().await?;
            Ok((report.inserted, report.updated))
        }
        Err(ImportError::Rows(rows)) => Err(AppError::Validation(
            rows.into_iter()
                .map(|r| {
                    FieldError::new(
                        "csv",
                        format!("บรรทัด {}: {}", r.line, r.message),
                        format!("Line {}: {}", r.line, r.message),
                    )
                })
                .collect(),
        )),
        Err(ImportError::Csv(message)) => Err(AppError::field(
            "csv",
            &format!("อ่านไฟล์ CSV ไม่ได้: {message}"),
            &format!("Unreadable CSV: {message}"),
        )),
        Err(ImportError::Db(e)) => Err(e.into()),
    }
}

// ---- catalog -----------------------------------------------------------------------------

/// Adds a catalog item (`id = None`) or edits one.
pub async fn save_item(
    db: &Db,
    actor: Option<&CurrentUser>,
    id: Option<EquipmentItemId>,
    input: &ItemInput,
) -> Result<EquipmentItemId, AppError> {
    require(actor, Action::ManageCatalog)?;
    let mut e = Errors::default();
    let code = e.required("code", &input.code.to_ascii_lowercase(), 40);
    if !code
        .chars()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
    {
        e.add(
            "code",
            "รหัสใช้ได้เฉพาะ a–z 0–9 _",
            "The code may use only a–z 0–9 _.",
        );
    }
    let name_th = e.required("name_th", &input.name_th, 200);
    let name_en = e.required("name_en", &input.name_en, 200);
    let unit_th = e.required("unit_th", &input.unit_th, 40);
    let unit_en = e.required("unit_en", &input.unit_en, 40);
    let price = e.money("reference_price", &input.reference_price);
    e.finish()?;
    let now = time::now();
    let mut tx = db.begin().await?;
    let saved: Result<Option<(i64,)>, sqlx::Error> = match id {
        None => sqlx::query_as(
            "insert into equipment_item (code, name_th, name_en, unit_th, unit_en, reference_price_satang, created_at)
             values ($1, $2, $3, $4, $5, $6, $7) returning equipment_item_id",
        )
        .bind(&code)
        .bind(&name_th)
        .bind(&name_en)
        .bind(&unit_th)
        .bind(&unit_en)
        .bind(price.satang())
        .bind(&now)
        .fetch_optional(&mut *tx)
        .await,
        Some(id) => sqlx::query_as(
            "update equipment_item set code = $1, name_th = $2, name_en = $3, unit_th = $4, unit_en = $5,
               reference_price_satang = $6 where equipment_item_id = $7 returning equipment_item_id",
        )
        .bind(&code)
        .bind(&name_th)
        .bind(&name_en)
        .bind(&unit_th)
        .bind(&unit_en)
        .bind(price.satang())
        .bind(id.get())
        .fetch_optional(&mut *tx)
        .await,
    };
    let saved = match saved {
        Err(sqlx::Error::Database(d)) if d.is_unique_violation() => {
            return Err(conflict(
                "code",
                "มีรหัสนี้ในรายการแล้ว",
                "Another item has this code.",
            ))
        }
        other => other?,
    };
    let Some((item,)) = saved else {
        return Err(AppError::NotFound);
    };
    let action = if id.is_some() {
        "item_updated"
    } else {
        "item_created"
    };
    record(
        &mut tx,
        actor,
        action,
        "equipment_item",
        item,
        format!("{code}: {name_th}, {price} / {unit_th}"),
    )
    .await?;
    tx.commit().await?;
    Ok(EquipmentItemId(item))
}

// ---- partners ----------------------------------------------------------------------------

/// Adds a partner (`id = None`) or edits one.
pub async fn save_partner(
    db: &Db,
    actor: Option<&CurrentUser>,
    id: Option<PartnerId>,
    input: &PartnerInput,
) -> Result<PartnerId, AppError> {
    require(actor, Action::ManagePartners)?;
    let mut e = Errors::default();
    let name_th = e.required("name_th", &input.name_th, 200);
    let name_en = e.optional("name_en", &input.name_en, 200);
    let kind = PartnerKind::from_code(input.kind.trim());
    if kind.is_none() {
        e.add("kind", "กรุณาเลือกประเภทภาคี", "Choose the kind of partner.");
    }
    e.finish()?;
    let kind = kind.unwrap_or(PartnerKind::CivilSociety);
    let mut tx = db.begin().await?;
    let saved: Option<(i64,)> = match id {
        None => sqlx::query_as("insert into partner (name_th, name_en, kind, created_at) values ($1, $2, $3, $4) returning partner_id")
            .bind(&name_th)
            .bind(name_en.as_deref())
            .bind(kind.code())
            .bind(time::now())
            .fetch_optional(&mut *tx)
            .await?,
        Some(id) => sqlx::query_as("update partner set name_th = $1, name_en = $2, kind = $3 where partner_id = $4 returning partner_id")
            .bind(&name_th)
            .bind(name_en.as_deref())
            .bind(kind.code())
            .bind(id.get())
            .fetch_optional(&mut *tx)
            .await?,
    };
    let Some((partner,)) = saved else {
        return Err(AppError::NotFound);
    };
    let action = if id.is_some() {
        "partner_updated"
    } else {
        "partner_created"
    };
    record(
        &mut tx,
        actor,
        action,
        "partner",
        partner,
        format!("{name_th} ({})", kind.code()),
    )
    .await?;
    tx.commit().await?;
    Ok(PartnerId(partner))
}

// ---- campaigns ---------------------------------------------------------------------------

struct ValidCampaign {
    c: super::db::campaigns::NewCampaign,
}

fn validate_campaign(input: &CampaignInput) -> Result<ValidCampaign, AppError> {
    use crate::model::Localized;
    let mut e = Errors::default();
    let title_th = e.required("title_th", &input.title_th, 300);
    let title_en = e.optional("title_en", &input.title_en, 300);
    let story_th = e.optional("story_th", &input.story_th, 5000);
    let story_en = e.optional("story_en", &input.story_en, 5000);
    let goal = e.money("goal", &input.goal);
    let starts_on = e.date("starts_on", &input.starts_on, true);
    let ends_on = e.date("ends_on", &input.ends_on, true);
    if let (Some(s), Some(end)) = (starts_on, ends_on) {
        if end < s {
            e.add(
                "ends_on",
                "วันสิ้นสุดต้องไม่ก่อนวันเริ่ม",
                "The end date cannot be before the start date.",
            );
        }
    }
    let ceremony_on = e.date("ceremony_on", &input.ceremony_on, false);
    let place_th = e.optional("ceremony_place_th", &input.ceremony_place_th, 300);
    let place_en = e.optional("ceremony_place_en", &input.ceremony_place_en, 300);
    let bank_name = e.optional("bank_name", &input.bank_name, 100);
    let bank_account_no = e.optional("bank_account_no", &input.bank_account_no, 30);
    if bank_account_no
        .as_ref()
        .is_some_and(|n| !n.chars().all(|c| c.is_ascii_digit() || c == '-'))
    {
        e.add(
            "bank_account_no",
            "เลขบัญชีใช้ได้เฉพาะตัวเลขและขีด",
            "The account number may use only digits and dashes.",
        );
    }
    let bank_account_name = e.optional("bank_account_name", &input.bank_account_name, 200);
    let promptpay_id = match input.promptpay_id.trim() {
        "" => None,
        typed => {
            let parsed = parse_promptpay_id(typed);
            if parsed.is_none() {
                e.add(
                    "promptpay_id",
                    "พร้อมเพย์ต้องเป็นเบอร์มือถือ 10 หลัก หรือเลขประจำตัว 13 หลักที่ถูกต้อง",
                    "PromptPay must be a 10-digit mobile number or a valid 13-digit ID.",
                );
            }
            parsed
        }
    };
    let recipient = recipient_of_input(&mut e, input);
    e.finish()?;
    let (Some(starts_on), Some(ends_on)) = (starts_on, ends_on) else {
        return Err(AppError::BadRequest("dates".into()));
    };
    Ok(ValidCampaign {
        c: super::db::campaigns::NewCampaign {
            title: Localized::new(title_th, title_en.unwrap_or_default()),
            story: Localized::new(story_th.unwrap_or_default(), story_en.unwrap_or_default()),
            goal,
            starts_on,
            ends_on,
            ceremony_on,
            ceremony_place: place_th.map(|th| Localized::new(th, place_en.unwrap_or_default())),
            promptpay_id,
            bank_name,
            bank_account_no,
            bank_account_name,
            status: CampaignStatus::Draft,
            is_demo: false,
            recipient,
        },
    })
}

/// The legal recipient typed on a campaign: all four fields empty means none yet; otherwise a
/// valid tax ID and a Thai name are needed.
fn recipient_of_input(
    e: &mut Errors,
    input: &CampaignInput,
) -> Option<super::db::campaigns::NewRecipient> {
    use crate::model::thai_id::NationalId;
    let tax = input.recipient_tax_id.trim();
    let name_th = e.optional("recipient_name_th", &input.recipient_name_th, 200);
    let name_en = e.optional("recipient_name_en", &input.recipient_name_en, 200);
    let address = e.optional("recipient_address", &input.recipient_address, 300);
    if tax.is_empty() && name_th.is_none() && name_en.is_none() && address.is_none() {
        return None;
    }
    let tax_id = match NationalId::parse(tax) {
        Ok(id) => Some(id),
        Err(err) => {
            let (th, en) = err.messages();
            e.add("recipient_tax_id", th, en);
            None
        }
    };
    if name_th.is_none() {
        e.add(
            "recipient_name_th",
            "กรุณากรอกชื่อผู้รับบริจาคตามกฎหมาย",
            "Enter the legal recipient's name.",
        );
    }
    Some(super::db::campaigns::NewRecipient {
        tax_id: tax_id?.digits().to_owned(),
        name: crate::model::Localized::new(name_th?, name_en.unwrap_or_default()),
        address,
    })
}

/// Creates a campaign as a draft.
pub async fn create_campaign(
    db: &Db,
    actor: Option<&CurrentUser>,
    input: &CampaignInput,
) -> Result<CampaignId, AppError> {
    require(actor, Action::ManageCampaigns)?;
    let valid = validate_campaign(input)?;
    let mut tx = db.begin().await?;
    let id = super::db::campaigns::insert(&mut tx, &valid.c).await?;
    record(
        &mut tx,
        actor,
        "campaign_created",
        "campaign",
        id.get(),
        format!("{} (draft), goal {}", valid.c.title.th, valid.c.goal),
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// Edits a campaign's fields (its status changes separately).
pub async fn update_campaign(
    db: &Db,
    actor: Option<&CurrentUser>,
    id: CampaignId,
    input: &CampaignInput,
) -> Result<(), AppError> {
    require(actor, Action::ManageCampaigns)?;
    let valid = validate_campaign(input)?;
    let mut tx = db.begin().await?;
    let before: Option<(String, i64)> =
        sqlx::query_as("select title_th, goal_satang from campaign where campaign_id = $1")
            .bind(id.get())
            .fetch_optional(&mut *tx)
            .await?;
    let Some((old_title, old_goal)) = before else {
        return Err(AppError::NotFound);
    };
    let old_recipient = recipient_guard(&mut tx, id, &valid.c).await?;
    super::db::admin::update_campaign(&mut tx, id, &valid.c).await?;
    let new_recipient = valid.c.recipient.as_ref().map(|r| r.tax_id.clone());
    let mut detail = format!(
        "title: {old_title} → {}; goal: {} → {}",
        valid.c.title.th,
        Money::from_satang(old_goal),
        valid.c.goal
    );
    if old_recipient != new_recipient {
        detail.push_str(&format!(
            "; legal recipient: {} → {}",
            old_recipient.as_deref().unwrap_or("none"),
            new_recipient.as_deref().unwrap_or("none")
        ));
    }
    record(
        &mut tx,
        actor,
        "campaign_updated",
        "campaign",
        id.get(),
        detail,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// The campaign's current legal recipient (tax ID). Once receipts exist in its name it cannot be
/// changed: they were issued by that organisation and its series must stay whole.
async fn recipient_guard(
    tx: &mut Tx,
    id: CampaignId,
    c: &super::db::campaigns::NewCampaign,
) -> Result<Option<String>, AppError> {
    let current: Option<(Option<String>, i64)> = sqlx::query_as(
        "select r.tax_id, (select count(*) from receipt x join donation d on d.donation_id = x.donation_id
           where d.campaign_id = c.campaign_id)
         from campaign c left join legal_recipient r on r.legal_recipient_id = c.legal_recipient_id
         where c.campaign_id = $1",
    )
    .bind(id.get())
    .fetch_optional(&mut **tx)
    .await?;
    let (tax_id, receipts) = current.unwrap_or((None, 0));
    let wanted = c.recipient.as_ref().map(|r| r.tax_id.as_str());
    if receipts > 0 && tax_id.as_deref() != wanted {
        return Err(AppError::field(
            "recipient_tax_id",
            "กองผ้าป่านี้ออกใบเสร็จในนามผู้รับบริจาครายนี้แล้ว จึงเปลี่ยนผู้รับบริจาคไม่ได้",
            "Receipts have been issued in this recipient's name, so the recipient cannot change.",
        ));
    }
    Ok(tax_id)
}

/// Opens a draft (administrators) or closes an open campaign (administrators, finance officers).
pub async fn set_campaign_status(
    db: &Db,
    actor: Option<&CurrentUser>,
    id: CampaignId,
    to: CampaignStatus,
) -> Result<(), AppError> {
    let action = if to == CampaignStatus::Closed {
        Action::CloseCampaign
    } else {
        Action::ManageCampaigns
    };
    require(actor, action)?;
    let mut tx = db.begin().await?;
    let current: Option<(String,)> =
        sqlx::query_as("select status from campaign where campaign_id = $1")
            .bind(id.get())
            .fetch_optional(&mut *tx)
            .await?;
    let Some(from) = current.and_then(|(s,)| CampaignStatus::from_code(&s)) else {
        return Err(AppError::NotFound);
    };
    if !can_move(from, to) {
        return Err(AppError::Conflict(format!(
            "a {} campaign cannot become {}",
            from.code(),
            to.code()
        )));
    }
    if to == CampaignStatus::Open {
        super::receipts::recipient_of(&mut tx, id)
            .await
            .map_err(|_| {
                AppError::field(
                    "recipient_tax_id",
                    "กรุณาระบุผู้รับบริจาคตามกฎหมาย (ชื่อและเลขประจำตัวผู้เสียภาษี) ก่อนเปิดรับบริจาค เพื่อออกใบเสร็จได้",
                    "Set the legal recipient (name and tax ID) before opening, so receipts can be issued.",
                )
            })?;
    }
    let changed =
        sqlx::query("update campaign set status = $1 where campaign_id = $2 and status = $3")
            .bind(to.code())
            .bind(id.get())
            .bind(from.code())
            .execute(&mut *tx)
            .await?;
    if changed.rows_affected() == 0 {
        return Err(AppError::Conflict(
            "the campaign changed meanwhile; reload and try again".into(),
        ));
    }
    record(
        &mut tx,
        actor,
        "campaign_status",
        "campaign",
        id.get(),
        format!("{} → {}", from.code(), to.code()),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Sets how many of an item the campaign raises money for; 0 takes the line off the wishlist.
pub async fn set_wishlist(
    db: &Db,
    actor: Option<&CurrentUser>,
    id: CampaignId,
    item: EquipmentItemId,
    quantity: i64,
) -> Result<(), AppError> {
    require(actor, Action::ManageCampaigns)?;
    if !(0..=10_000).contains(&quantity) {
        return Err(AppError::field(
            "quantity",
            "จำนวนต้องอยู่ระหว่าง 0 ถึง 10,000",
            "The quantity must be 0 to 10,000.",
        ));
    }
    let mut tx = db.begin().await?;
    ensure_exists(
        &mut tx,
        "select campaign_id from campaign where campaign_id = $1",
        id.get(),
    )
    .await?;
    ensure_exists(
        &mut tx,
        "select equipment_item_id from equipment_item where equipment_item_id = $1",
        item.get(),
    )
    .await?;
    let before: Option<(i64,)> = sqlx::query_as("select quantity from campaign_wishlist_item where campaign_id = $1 and equipment_item_id = $2")
        .bind(id.get())
        .bind(item.get())
        .fetch_optional(&mut *tx)
        .await?;
    if quantity == 0 {
        sqlx::query(
            "delete from campaign_wishlist_item where campaign_id = $1 and equipment_item_id = $2",
        )
        .bind(id.get())
        .bind(item.get())
        .execute(&mut *tx)
        .await?;
    } else if before.is_some() {
        sqlx::query("update campaign_wishlist_item set quantity = $1 where campaign_id = $2 and equipment_item_id = $3")
            .bind(quantity)
            .bind(id.get())
            .bind(item.get())
            .execute(&mut *tx)
            .await?;
    } else {
        sqlx::query(
            "insert into campaign_wishlist_item (campaign_id, equipment_item_id, quantity, position, created_at)
             values ($1, $2, $3, (select coalesce(max(position), -1) + 1 from campaign_wishlist_item where campaign_id = $1), $4)",
        )
        .bind(id.get())
        .bind(item.get())
        .bind(quantity)
        .bind(time::now())
        .execute(&mut *tx)
        .await?;
    }
    let detail = format!(
        "item {}: {} → {quantity}",
        item.get(),
        before.map_or(0, |(q,)| q)
    );
    record(
        &mut tx,
        actor,
        "wishlist_changed",
        "campaign",
        id.get(),
        detail,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Adds or removes a hospital the campaign serves.
pub async fn set_campaign_hospital(
    db: &Db,
    actor: Option<&CurrentUser>,
    id: CampaignId,
    facility_code: &str,
    served: bool,
) -> Result<(), AppError> {
    require(actor, Action::ManageCampaigns)?;
    let Some(hospital) = super::db::hospitals::id_of(db, facility_code.trim()).await? else {
        return Err(AppError::field(
            "facility_code",
            "ไม่พบหน่วยบริการรหัสนี้",
            "No hospital has this facility code.",
        ));
    };
    let mut tx = db.begin().await?;
    ensure_exists(
        &mut tx,
        "select campaign_id from campaign where campaign_id = $1",
        id.get(),
    )
    .await?;
    if served {
        sqlx::query(
            "insert into campaign_hospital (campaign_id, hospital_id, created_at) values ($1, $2, $3)
             on conflict do nothing",
        )
        .bind(id.get())
        .bind(hospital.get())
        .bind(time::now())
        .execute(&mut *tx)
        .await?;
    } else {
        sqlx::query("delete from campaign_hospital where campaign_id = $1 and hospital_id = $2")
            .bind(id.get())
            .bind(hospital.get())
            .execute(&mut *tx)
            .await?;
    }
    let detail = format!(
        "hospital {}: {}",
        facility_code.trim(),
        if served { "added" } else { "removed" }
    );
    record(
        &mut tx,
        actor,
        "campaign_hospitals",
        "campaign",
        id.get(),
        detail,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Adds or removes an organising partner.
pub async fn set_campaign_partner(
    db: &Db,
    actor: Option<&CurrentUser>,
    id: CampaignId,
    partner: PartnerId,
    organiser: bool,
) -> Result<(), AppError> {
    require(actor, Action::ManageCampaigns)?;
    let mut tx = db.begin().await?;
    ensure_exists(
        &mut tx,
        "select campaign_id from campaign where campaign_id = $1",
        id.get(),
    )
    .await?;
    ensure_exists(
        &mut tx,
        "select partner_id from partner where partner_id = $1",
        partner.get(),
    )
    .await?;
    if organiser {
        sqlx::query(
            "insert into campaign_partner (campaign_id, partner_id, position, created_at)
             values ($1, $2, (select coalesce(max(position), -1) + 1 from campaign_partner where campaign_id = $1), $3)
             on conflict do nothing",
        )
        .bind(id.get())
        .bind(partner.get())
        .bind(time::now())
        .execute(&mut *tx)
        .await?;
    } else {
        sqlx::query("delete from campaign_partner where campaign_id = $1 and partner_id = $2")
            .bind(id.get())
            .bind(partner.get())
            .execute(&mut *tx)
            .await?;
    }
    let detail = format!(
        "partner {}: {}",
        partner.get(),
        if organiser { "added" } else { "removed" }
    );
    record(
        &mut tx,
        actor,
        "campaign_partners",
        "campaign",
        id.get(),
        detail,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

async fn ensure_exists(tx: &mut Tx, sql: &str, id: i64) -> Result<(), AppError> {
    let row: Option<(i64,)> = sqlx::query_as(sql)
        .bind(id)
        .fetch_optional(&mut **tx)
        .await?;
    row.map(|_| ()).ok_or(AppError::NotFound)
}
