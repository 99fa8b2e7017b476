//! Reading a campaign form into a [`ValidCampaign`], and naming a campaign's fields for the
//! audit log, so every edit records each changed field's value before and after.

use crate::error::AppError;
use crate::model::admin::{CampaignInput, Payee};
use crate::model::form::FieldErrors;
use crate::model::promptpay::BillerId;
use crate::model::status::CampaignStatus;
use crate::model::thai_id::parse_promptpay_id;
use crate::model::Localized;
use crate::server::db::campaign::{NewCampaign, NewRecipient};
use crate::server::db::time;

/// A campaign as an administrator typed it, checked. Built only by [`ValidCampaign::parse`];
/// it is a draft that is not demo data.
#[derive(Debug)]
pub struct ValidCampaign {
    campaign: NewCampaign,
    /// Kept beside the stored campaign, which the demo loader also builds and which has none.
    biller_id: Option<String>,
}

impl ValidCampaign {
    /// Checks every field and names each refused one.
    pub fn parse(input: &CampaignInput) -> Result<Self, AppError> {
        let mut e = FieldErrors::default();
        let title_th = e.required("title_th", &input.title_th, 300);
        let title_en = e.optional("title_en", &input.title_en, 300);
        let story_th = e.optional("story_th", &input.story_th, 5000);
        let story_en = e.optional("story_en", &input.story_en, 5000);
        let goal = e.amount("goal", &input.goal);
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
        let payee = read_payee(
            &mut e,
            [
                &input.promptpay_id,
                &input.bank_name,
                &input.bank_account_no,
                &input.bank_account_name,
            ],
        );
        let biller_id = read_biller_id(&mut e, &input.biller_id);
        let recipient = read_recipient(&mut e, input);
        e.finish()?;
        let (Some(starts_on), Some(ends_on)) = (starts_on, ends_on) else {
            return Err(AppError::BadRequest("unchecked dates".into()));
        };
        let campaign = NewCampaign {
            title: Localized::new(title_th, title_en.unwrap_or_default()),
            story: Localized::new(story_th.unwrap_or_default(), story_en.unwrap_or_default()),
            goal,
            starts_on,
            ends_on,
            ceremony_on,
            ceremony_place: place_th.map(|th| Localized::new(th, place_en.unwrap_or_default())),
            promptpay_id: payee.promptpay_id,
            bank_name: payee.bank_name,
            bank_account_no: payee.bank_account_no,
            bank_account_name: payee.bank_account_name,
            status: CampaignStatus::Draft,
            is_demo: false,
            recipient,
        };
        Ok(ValidCampaign {
            campaign,
            biller_id,
        })
    }

    /// The campaign to store.
    pub fn as_new(&self) -> &NewCampaign {
        &self.campaign
    }

    /// Its bill-payment Biller ID (15 digits), if any.
    pub fn biller_id(&self) -> Option<&str> {
        self.biller_id.as_deref()
    }
}

/// Reads a typed Biller ID: empty is none; otherwise exactly 15 digits.
fn read_biller_id(e: &mut FieldErrors, typed: &str) -> Option<String> {
    let typed = typed.trim();
    if typed.is_empty() {
        return None;
    }
    let parsed = BillerId::parse(typed);
    if parsed.is_none() {
        e.add(
            "biller_id",
            "Biller ID ต้องเป็นตัวเลข 15 หลัก (เลขประจำตัวผู้เสียภาษี 13 หลักตามด้วยรหัสต่อท้าย 2 หลัก)",
            "The Biller ID must be 15 digits (a 13-digit tax ID followed by a 2-digit suffix).",
        );
    }
    parsed.map(|b| b.as_str().to_owned())
}

/// Reads a receiving account typed as PromptPay ID, bank, account number and account name.
pub fn read_payee(e: &mut FieldErrors, [promptpay, bank, number, name]: [&str; 4]) -> Payee {
    let bank_name = e.optional("bank_name", bank, 100);
    let bank_account_no = e.optional("bank_account_no", number, 30);
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
    let bank_account_name = e.optional("bank_account_name", name, 200);
    let promptpay_id = match promptpay.trim() {
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
    Payee {
        promptpay_id,
        bank_name,
        bank_account_no,
        bank_account_name,
    }
}

/// The legal recipient typed on a campaign: all four fields empty means none yet; otherwise a
/// valid tax ID and a Thai name are needed.
fn read_recipient(e: &mut FieldErrors, input: &CampaignInput) -> Option<NewRecipient> {
    let tax = input.recipient_tax_id.trim();
    let name_th = e.optional("recipient_name_th", &input.recipient_name_th, 200);
    let name_en = e.optional("recipient_name_en", &input.recipient_name_en, 200);
    let address = e.optional("recipient_address", &input.recipient_address, 300);
    if tax.is_empty() && name_th.is_none() && name_en.is_none() && address.is_none() {
        return None;
    }
    if tax.is_empty() {
        e.add(
            "recipient_tax_id",
            "กรุณากรอกเลขประจำตัวผู้เสียภาษีของผู้รับบริจาค",
            "Enter the legal recipient's tax ID.",
        );
    }
    let tax_id = e.national_id("recipient_tax_id", tax);
    if name_th.is_none() {
        e.add(
            "recipient_name_th",
            "กรุณากรอกชื่อผู้รับบริจาคตามกฎหมาย",
            "Enter the legal recipient's name.",
        );
    }
    Some(NewRecipient {
        tax_id: tax_id?.digits().to_owned(),
        name: Localized::new(name_th?, name_en.unwrap_or_default()),
        address,
    })
}

/// The receiving account of a stored or typed campaign.
pub fn payee_of(c: &NewCampaign) -> Payee {
    Payee {
        promptpay_id: c.promptpay_id.clone(),
        bank_name: c.bank_name.clone(),
        bank_account_no: c.bank_account_no.clone(),
        bank_account_name: c.bank_account_name.clone(),
    }
}

/// Every field an administrator edits, by its form name, as text (empty when unset).
fn fields(c: &NewCampaign, biller_id: Option<&str>) -> Vec<(&'static str, String)> {
    let text = |v: Option<&str>| v.unwrap_or_default().to_owned();
    let recipient = c.recipient.as_ref();
    let place = c.ceremony_place.as_ref();
    let mut out = vec![
        ("title_th", c.title.th.clone()),
        ("title_en", text(c.title.en.as_deref())),
        ("story_th", c.story.th.clone()),
        ("story_en", text(c.story.en.as_deref())),
        ("goal", c.goal.to_string()),
        ("starts_on", time::date(c.starts_on)),
        ("ends_on", time::date(c.ends_on)),
        (
            "ceremony_on",
            c.ceremony_on.map(time::date).unwrap_or_default(),
        ),
        ("ceremony_place_th", text(place.map(|p| p.th.as_str()))),
        (
            "ceremony_place_en",
            text(place.and_then(|p| p.en.as_deref())),
        ),
    ];
    out.extend(payee_fields(&payee_of(c)));
    out.extend([
        ("biller_id", text(biller_id)),
        (
            "recipient_tax_id",
            text(recipient.map(|r| r.tax_id.as_str())),
        ),
        (
            "recipient_name_th",
            text(recipient.map(|r| r.name.th.as_str())),
        ),
        (
            "recipient_name_en",
            text(recipient.and_then(|r| r.name.en.as_deref())),
        ),
        (
            "recipient_address",
            text(recipient.and_then(|r| r.address.as_deref())),
        ),
    ]);
    out
}

fn payee_fields(p: &Payee) -> Vec<(&'static str, String)> {
    p.fields()
        .into_iter()
        .map(|(name, _, _, value)| (name, value.unwrap_or_default().to_owned()))
        .collect()
}

/// The fields whose values differ, as `name: "before" → "after"` (quoted, so an empty value
/// and one with separators read unambiguously).
fn changes(before: &[(&'static str, String)], after: &[(&'static str, String)]) -> Vec<String> {
    before
        .iter()
        .zip(after)
        .filter(|((_, old), (_, new))| old != new)
        .map(|((name, old), (_, new))| format!("{name}: {} → {}", quoted(old), quoted(new)))
        .collect()
}

/// The audit detail of a campaign edit: every changed field before and after.
pub fn campaign_changes(
    before: &NewCampaign,
    before_biller: Option<&str>,
    after: &ValidCampaign,
) -> String {
    let after = fields(after.as_new(), after.biller_id());
    joined(changes(&fields(before, before_biller), &after))
}

/// The audit detail of a receiving-account change: every changed field before and after.
pub fn payee_changes(before: &Payee, after: &Payee) -> String {
    joined(changes(&payee_fields(before), &payee_fields(after)))
}

/// The names of the receiving-account fields that differ.
pub fn changed_payee_fields(before: &Payee, after: &Payee) -> Vec<&'static str> {
    payee_fields(before)
        .into_iter()
        .zip(payee_fields(after))
        .filter(|((_, old), (_, new))| old != new)
        .map(|((name, _), _)| name)
        .collect()
}

/// Text in double quotes, with `"` and `\` escaped (and nothing else, so Thai stays legible).
fn quoted(text: &str) -> String {
    format!("\"{}\"", text.replace('\\', "\\\\").replace('"', "\\\""))
}

fn joined(changes: Vec<String>) -> String {
    if changes.is_empty() {
        "no field changed".to_owned()
    } else {
        changes.join("; ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input() -> CampaignInput {
        CampaignInput {
            title_th: "ผ้าป่า".into(),
            goal: "1,000".into(),
            starts_on: "2026-01-01".into(),
            ends_on: "2026-02-01".into(),
            promptpay_id: "0812345678".into(),
            ..Default::default()
        }
    }

    #[test]
    fn an_edit_names_every_changed_field_before_and_after() {
        let before = ValidCampaign::parse(&input()).unwrap();
        let mut typed = input();
        typed.story_en = "Why".into();
        typed.bank_account_no = "123-4".into();
        typed.biller_id = "0994000165501 00".into();
        let after = ValidCampaign::parse(&typed).unwrap();
        assert_eq!(
            campaign_changes(before.as_new(), None, &after),
            r#"story_en: "" → "Why"; bank_account_no: "" → "123-4"; biller_id: "" → "099400016550100""#
        );
        assert_eq!(
            campaign_changes(before.as_new(), None, &before),
            "no field changed"
        );
    }

    #[test]
    fn a_biller_id_is_fifteen_digits_or_nothing() {
        let mut typed = input();
        assert_eq!(ValidCampaign::parse(&typed).unwrap().biller_id(), None);
        for bad in ["09940001655010", "09940001655010A"] {
            typed.biller_id = bad.into();
            let AppError::Validation(errors) = ValidCampaign::parse(&typed).unwrap_err() else {
                panic!("a 422");
            };
            assert_eq!(errors[0].field, "biller_id", "{bad}");
            assert!(errors[0].en.contains("15 digits") && errors[0].th.contains("15 หลัก"));
        }
    }

    #[test]
    fn a_recipient_needs_a_tax_id_and_a_thai_name() {
        let mut typed = input();
        typed.recipient_name_en = "Someone".into();
        let AppError::Validation(errors) = ValidCampaign::parse(&typed).unwrap_err() else {
            panic!("a 422");
        };
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["recipient_tax_id", "recipient_name_th"]);
    }
}
