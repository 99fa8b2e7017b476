//! Matching credits to donations: automatically when a statement is imported, by hand, taken
//! back with a reason, or a credit recorded as a new gift. A matched pledge becomes received,
//! with its receipt, in the same transaction as the match.

use super::super::donations::{caller_key, normalise_reference, receive_pledge, record_in};
use super::super::{ledger, Caller};
use crate::error::AppError;
use crate::model::account::{AccountId, Action};
use crate::model::donation::{fiscal_year, DonationInput, NewDonation};
use crate::model::form::FieldErrors;
use crate::model::statement::matching::{self, Credit, Standing};
use crate::model::statement::{
    ConfirmGroupInput, GiftFromLineInput, GroupOutcome, MatchHow, MatchInput,
};
use crate::model::status::DonationChannel;
use crate::model::thai_date::bangkok;
use crate::model::{CampaignId, DonationId, Money};
use crate::server::audit::{self, Event};
use crate::server::db::bank::{self, BankLine, MatchEvent, Open};
use crate::server::db::{donation_record, Db, Tx};
use crate::server::idempotency::{self, Claim};

/// The reason kept on money received in a fiscal year that has ended, dated by the bank.
const BANK_SHOWS: &str = "เงินเข้าตามรายการเดินบัญชีธนาคาร / as the bank statement shows";

/// Matches what evidence alone can match among the campaign's unmatched credits of `amounts`
/// (a new statement's credits, and the older ones that compete with them) and its open
/// donations of the same amounts. Answers how many it matched.
pub(super) async fn automatic(
    tx: &mut Tx,
    caller: &Caller,
    officer: AccountId,
    campaign: CampaignId,
    amounts: &[Money],
) -> Result<usize, AppError> {
    if amounts.is_empty() {
        return Ok(0);
    }
    let lines = bank::unmatched_credits_of(tx, campaign, amounts).await?;
    let ids: Vec<i64> = lines.iter().map(|l| l.id).collect();
    let taken_back = bank::taken_back(tx, &ids).await?;
    let open = bank::open_donations_of(tx, campaign, amounts).await?;
    let credits: Vec<Credit> = lines
        .iter()
        .map(|l| Credit {
            at: l.at,
            amount: l.amount,
            text: l.text(),
            known_at: Some(l.stored_at),
            taken_back: taken_back.contains(&l.id),
        })
        .collect();
    let donations: Vec<_> = open.iter().map(|o| o.donation.clone()).collect();
    let pairs = matching::automatic(&credits, &donations, crate::server::today());
    for &(line, donation) in &pairs {
        apply(
            tx,
            caller,
            officer,
            &lines[line],
            &open[donation],
            MatchHow::Auto,
            None,
        )
        .await?;
    }
    Ok(pairs.len())
}

/// Matches `line` to `d`: a pledge becomes received on the line's date, with its receipt.
async fn apply(
    tx: &mut Tx,
    caller: &Caller,
    officer: AccountId,
    line: &BankLine,
    d: &Open,
    how: MatchHow,
    note: Option<&str>,
) -> Result<(), AppError> {
    let today = crate::server::today();
    let day = line.at.date;
    if day > today {
        return Err(AppError::field(
            "line_id",
            "รายการเดินบัญชีนี้ลงวันที่ในอนาคต ตรวจสอบปีในไฟล์",
            "This bank line is dated in the future; check the years in the file.",
        ));
    }
    if let Some(pledge) = d.donation.pledge {
        let made = pledge.made.with_timezone(&bangkok()).naive_local();
        if made > line.at.latest() || pledge.made > line.stored_at {
            return Err(AppError::field(
                "reference",
                "คำมั่นนี้ทำหลังจากเงินเข้าบัญชีแล้ว จึงไม่ใช่เงินโอนรายการนี้",
                "This pledge was made after the money arrived, so this credit cannot be it.",
            ));
        }
    }
    if d.donation.standing == Standing::Pledged {
        let record = donation_record::by_reference(tx, &d.donation.reference)
            .await?
            .ok_or(AppError::NotFound)?;
        // Money that arrived in a fiscal year now ended is received on its day, with the
        // reason a receipt in that year needs.
        let reason = (fiscal_year(day) < fiscal_year(today)).then_some(BANK_SHOWS);
        let channel = record.channel()?;
        receive_pledge(tx, caller, officer, &record, day, channel, reason).await?;
    }
    if !bank::set_match(tx, line.id, d.id, how).await? {
        return Err(AppError::state(
            "รายการเดินบัญชีนี้ถูกจับคู่ไปแล้ว",
            "This bank line was matched meanwhile.",
        ));
    }
    let event = MatchEvent {
        line: line.id,
        donation: d.id,
        kind: "matched",
        how,
        note,
        by: officer,
    };
    bank::event(tx, &event).await?;
    let detail = format!(
        "{}: {} on {} to {}",
        how.code(),
        line.amount,
        line.at.date,
        d.donation.reference
    );
    let event = Event::by(
        caller,
        "bank_line_matched",
        "bank_line",
        line.id.to_string(),
        detail,
    );
    audit::record(tx, &event).await?;
    Ok(())
}

/// A line to change, of a campaign whose books are open.
async fn line_of(tx: &mut Tx, id: i64) -> Result<BankLine, AppError> {
    let line = bank::line(tx, id).await?.ok_or(AppError::NotFound)?;
    ledger::books_open(tx, line.campaign).await?;
    Ok(line)
}

/// An officer matches a credit to a donation by its reference: the same campaign and amount,
/// pledged or received, not matched to another line, not pledged after the money arrived.
pub async fn match_line(db: &Db, caller: &Caller, input: &MatchInput) -> Result<(), AppError> {
    let officer = caller.require(Action::Reconcile)?;
    let reference = normalise_reference(&input.reference).ok_or_else(|| {
        AppError::field(
            "reference",
            "กรุณากรอกรหัสอ้างอิงของรายการบริจาค เช่น PP-ABCD-EFGH-JKLM-NPQR",
            "Enter the donation's reference, such as PP-ABCD-EFGH-JKLM-NPQR.",
        )
    })?;
    let mut tx = db.begin().await?;
    let line = line_of(&mut tx, input.line_id).await?;
    if !line.credit {
        return Err(AppError::field(
            "line_id",
            "จับคู่ได้เฉพาะรายการเงินเข้า",
            "Only money in can be matched to a donation.",
        ));
    }
    if line.matched.is_some() {
        return Err(AppError::state(
            "รายการเดินบัญชีนี้จับคู่แล้ว ยกเลิกการจับคู่เดิมก่อน",
            "This bank line is already matched; unmatch it first.",
        ));
    }
    let Some(d) = bank::open_donation(&mut tx, line.campaign, &reference).await? else {
        return Err(AppError::field(
            "reference",
            "ไม่พบรายการบริจาคที่รอการยืนยันจากธนาคารด้วยรหัสนี้ในกองผ้าป่านี้",
            "No donation of this campaign with this reference is waiting for a bank line.",
        ));
    };
    if d.donation.amount != line.amount {
        let (bank, gift) = (line.amount, d.donation.amount);
        return Err(AppError::field(
            "reference",
            &format!("ยอดไม่ตรงกัน: ธนาคาร {bank} รายการบริจาค {gift}"),
            &format!("The amounts differ: the bank shows {bank}, the donation is {gift}."),
        ));
    }
    apply(
        &mut tx,
        caller,
        officer.account_id,
        &line,
        &d,
        MatchHow::Manual,
        None,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// An officer takes a match back, with a reason. The donation stays as it is (a receipt once
/// issued is voided, never unissued), and shows again as received without a bank line; its
/// reference is the answer, so the officer can match it to another line or void it.
pub async fn unmatch(
    db: &Db,
    caller: &Caller,
    line_id: i64,
    reason: &str,
) -> Result<String, AppError> {
    let officer = caller.require(Action::Reconcile)?;
    let mut e = FieldErrors::default();
    let why = crate::model::equipment::reason(&mut e, "reason", reason);
    e.finish()?;
    let mut tx = db.begin().await?;
    let line = line_of(&mut tx, line_id).await?;
    let Some(matched) = line.matched.clone() else {
        return Err(AppError::state(
            "รายการเดินบัญชีนี้ยังไม่ได้จับคู่",
            "This bank line is not matched.",
        ));
    };
    if !bank::clear_match(&mut tx, line_id, matched.donation).await? {
        return Err(AppError::state(
            "รายการเดินบัญชีนี้เพิ่งถูกเปลี่ยน กรุณาโหลดหน้าใหม่",
            "This bank line changed meanwhile; reload the page.",
        ));
    }
    let event = MatchEvent {
        line: line_id,
        donation: matched.donation,
        kind: "unmatched",
        how: matched.how,
        note: Some(&why),
        by: officer.account_id,
    };
    bank::event(&mut tx, &event).await?;
    let detail = format!("from {}: {why}", matched.reference);
    let event = Event::by(
        caller,
        "bank_line_unmatched",
        "bank_line",
        line_id.to_string(),
        detail,
    );
    audit::record(&mut tx, &event).await?;
    tx.commit().await?;
    Ok(matched.reference)
}

/// Records a credit that no pledge explains as a received bank-transfer gift, dated the day
/// the bank shows, and matches it, in one transaction. Idempotent by the form's key.
pub async fn gift_from_line(
    db: &Db,
    caller: &Caller,
    input: &GiftFromLineInput,
) -> Result<String, AppError> {
    let officer = caller.require(Action::RecordDonation)?;
    caller.require(Action::Reconcile)?;
    let key = idempotency::scoped(
        "gift_from_line",
        &caller_key(caller),
        &input.idempotency_key,
    );
    let hash = idempotency::fingerprint(input)?;
    let mut tx = db.begin().await?;
    if let Claim::Replay(answer) = idempotency::claim(&mut tx, &key, &hash).await? {
        return Ok(answer);
    }
    let line = line_of(&mut tx, input.line_id).await?;
    if !line.credit || line.matched.is_some() {
        return Err(AppError::state(
            "รายการเดินบัญชีนี้จับคู่แล้วหรือไม่ใช่เงินเข้า",
            "This bank line is already matched or is not money in.",
        ));
    }
    let posted = line.at.date;
    let earlier_year = fiscal_year(posted) < fiscal_year(crate::server::today());
    let typed = DonationInput {
        campaign_id: line.campaign,
        channel: DonationChannel::BankTransfer.code().to_owned(),
        amount: format!("{}", line.amount.to_decimal()),
        donor_name: input.donor_name.clone(),
        show_name: input
            .show_name
            .as_deref()
            .is_some_and(|v| v == "on" || v == "true"),
        received_on: posted.to_string(),
        backdate_reason: if earlier_year {
            BANK_SHOWS.to_owned()
        } else {
            String::new()
        },
        national_id: input.national_id.clone(),
        note: format!("bank line {} ({posted})", line.id),
        idempotency_key: input.idempotency_key.clone(),
        ..Default::default()
    };
    let gift = NewDonation::parse(&typed, crate::server::today()).map_err(AppError::Validation)?;
    let created = record_in(&mut tx, caller, officer.account_id, &gift).await?;
    let record = donation_record::by_reference(&mut tx, &created.reference)
        .await?
        .ok_or(AppError::NotFound)?;
    let donation = DonationId(record.donation_id);
    if !bank::set_match(&mut tx, line.id, donation, MatchHow::Gift).await? {
        return Err(AppError::state(
            "รายการเดินบัญชีนี้ถูกจับคู่ไปแล้ว",
            "This bank line was matched meanwhile.",
        ));
    }
    let event = MatchEvent {
        line: line.id,
        donation,
        kind: "matched",
        how: MatchHow::Gift,
        note: None,
        by: officer.account_id,
    };
    bank::event(&mut tx, &event).await?;
    idempotency::store(&mut tx, &key, &created.reference).await?;
    tx.commit().await?;
    Ok(created.reference)
}

/// Confirms suggested matches an officer has read, each pair on its own (one refused never
/// stops the others), by the same rules as a match by hand: what was matched, and each pair
/// that was not, with why.
pub async fn confirm_group(
    db: &Db,
    caller: &Caller,
    input: &ConfirmGroupInput,
) -> Result<GroupOutcome, AppError> {
    caller.require(Action::Reconcile)?;
    if input.pairs.len() > MAX_GROUP {
        return Err(AppError::field(
            "pairs",
            &format!("ยืนยันได้ครั้งละไม่เกิน {MAX_GROUP} รายการ"),
            &format!("At most {MAX_GROUP} pairs at once."),
        ));
    }
    let mut out = GroupOutcome::default();
    for pair in &input.pairs {
        match match_line(db, caller, pair).await {
            Ok(()) => out.matched += 1,
            Err(
                e @ (AppError::Validation(_) | AppError::StateConflict { .. } | AppError::NotFound),
            ) => out.refused.push((
                pair.line_id,
                e.message(crate::model::Lang::Th),
                e.message(crate::model::Lang::En),
            )),
            Err(e) => return Err(e),
        }
    }
    Ok(out)
}

/// Pairs one group confirmation takes at most.
const MAX_GROUP: usize = 500;
