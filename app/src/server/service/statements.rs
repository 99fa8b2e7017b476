//! Bank statements in, matched to donations (finance officers).
//!
//! A file is read and shown before anything is stored ([`preview`]); importing it stores each
//! line once per campaign, whatever file or overlap it came in (lines are known by their
//! fingerprint), then matches credits to donations ([`auto_match`]) in the same transaction.
//! A credit and a donation are matched automatically only when each is the other's one
//! candidate: same amount, within [`MATCH_WINDOW_DAYS`] of the pledge, narrowed by the pledge's
//! reference (a bill-payment Ref1) or the donor's name where the bank shows them. A matched
//! pledge becomes received, with its receipt, in that transaction. Everything else waits for an
//! officer, who matches, unmatches (with a reason) or records a gift from a credit by hand.

use super::donations::{receive_pledge, record_in};
use super::Caller;
use crate::error::AppError;
use crate::model::account::{AccountId, Action};
use crate::model::donation::fiscal_year;
use crate::model::donation::{DonationInput, NewDonation};
use crate::model::form::FieldErrors;
use crate::model::statement::{
    ref1_of, BankLineView, Candidate, GiftFromLineInput, ImportOutcome, ImportView, MatchInput,
    PreviewLine, Reconciliation, RowProblem, StalePledge, StatementPreview, MATCH_WINDOW_DAYS,
};
use crate::model::status::DonationChannel;
use crate::model::thai_date::bangkok_date;
use crate::model::{CampaignId, DonationId, Money};
use crate::server::audit::{self, Event};
use crate::server::db::bank::{self, LineRow, NewImport, OpenDonation};
use crate::server::db::{donation_record, time, Db, Tx};
use crate::server::idempotency::{self, Claim};
use crate::server::statement::{self, Mapping, Parsed, StatementLine};
use chrono::{Duration, NaiveDate};
use std::collections::HashSet;
use std::time::Instant;

/// The reason kept on money received in a fiscal year that has ended, dated by the bank.
const BANK_SHOWS: &str = "เงินเข้าตามรายการเดินบัญชีธนาคาร / as the bank statement shows";
/// Lines a preview shows; the rest are counted.
const SAMPLE_LINES: usize = 50;
/// Unmatched credits a page lists at most.
const LIST_LIMIT: i64 = 300;

fn file_refused(e: statement::FileError) -> AppError {
    AppError::field("file", &e.th, &e.en)
}

fn read(bytes: &[u8], mapping: &Mapping) -> Result<Parsed, AppError> {
    if bytes.len() > statement::MAX_FILE_BYTES {
        return Err(too_big());
    }
    if let Err(errors) = mapping.validate() {
        let mut e = FieldErrors::default();
        for f in errors {
            e.add(&f.field, f.th, f.en);
        }
        e.finish()?;
    }
    statement::parse(bytes, mapping, crate::server::today()).map_err(file_refused)
}

/// The answer to a file larger than [`statement::MAX_FILE_BYTES`].
pub fn too_big() -> AppError {
    let mb = statement::MAX_FILE_BYTES / (1024 * 1024);
    AppError::field(
        "file",
        &format!("ไฟล์ใหญ่เกิน {mb} MB กรุณาแยกเป็นหลายช่วงเวลา"),
        &format!("The file is larger than {mb} MB; split it into shorter periods."),
    )
}

fn problems(parsed: &Parsed) -> Vec<RowProblem> {
    parsed
        .errors
        .iter()
        .map(|e| RowProblem {
            row: e.row,
            column: e.column.clone(),
            th: e.th.clone(),
            en: e.en.clone(),
        })
        .collect()
}

/// The first and last dates of a file's lines (`YYYY-MM-DD`).
fn period(parsed: &Parsed) -> Option<(String, String)> {
    let dates = parsed.lines.iter().map(|l| l.date);
    Some((dates.clone().min()?.to_string(), dates.max()?.to_string()))
}

fn encoding_name(parsed: &Parsed) -> &'static str {
    match parsed.encoding {
        statement::Encoding::Tis620 => "TIS-620",
        _ => "UTF-8",
    }
}

async fn campaign_exists(db: &Db, campaign: CampaignId) -> Result<(), AppError> {
    let found: Option<(i64,)> =
        sqlx::query_as("select campaign_id from campaign where campaign_id = $1")
            .bind(campaign.get())
            .fetch_optional(db.reader())
            .await?;
    found.map(|_| ()).ok_or(AppError::NotFound)
}

/// Reads a statement file and says what importing it would store, storing nothing.
pub async fn preview(
    db: &Db,
    caller: &Caller,
    campaign: CampaignId,
    file_name: &str,
    bytes: &[u8],
    mapping: &Mapping,
) -> Result<StatementPreview, AppError> {
    caller.require(Action::Reconcile)?;
    campaign_exists(db, campaign).await?;
    let parsed = read(bytes, mapping)?;
    let (_, headers) = statement::headers(bytes, mapping).map_err(file_refused)?;
    let known = bank::fingerprints(db.reader(), campaign).await?;
    let sum = |credit: bool| -> (Money, usize) {
        let lines = parsed.lines.iter().filter(|l| l.credit == credit);
        let total = lines.clone().map(|l| l.amount.satang()).sum::<i64>();
        (Money::from_satang(total), lines.count())
    };
    let (credits, credit_count) = sum(true);
    let (debits, debit_count) = sum(false);
    let sample = parsed
        .lines
        .iter()
        .take(SAMPLE_LINES)
        .map(|l| PreviewLine {
            row: l.row,
            date: l.date.to_string(),
            time: l.time.clone(),
            credit: l.credit,
            amount: l.amount,
            balance: l.balance.map(Money::from_satang),
            description: l.description.clone(),
            details: l.details.clone(),
            known: known.contains(&l.fingerprint),
        })
        .collect();
    Ok(StatementPreview {
        file_name: file_name.to_owned(),
        encoding: encoding_name(&parsed).to_owned(),
        header_row: parsed.header_row,
        headers,
        line_count: parsed.lines.len(),
        known_count: parsed
            .lines
            .iter()
            .filter(|l| known.contains(&l.fingerprint))
            .count(),
        credits,
        credit_count,
        debits,
        debit_count,
        first_on: period(&parsed).map(|(first, _)| first),
        last_on: period(&parsed).map(|(_, last)| last),
        opening_balance: parsed.opening_balance.map(Money::from_satang),
        closing_balance: parsed.closing_balance.map(Money::from_satang),
        sample,
        problems: problems(&parsed),
        skipped: parsed.skipped,
    })
}

/// Stores a statement's new lines (a line already stored, by this file or an overlapping one,
/// is not stored again) and matches what it can. A file with any row that does not parse is
/// refused whole, naming the rows. The mapping of a custom layout is saved for the account.
pub async fn import(
    db: &Db,
    caller: &Caller,
    campaign: CampaignId,
    file_name: &str,
    bytes: &[u8],
    mapping: &Mapping,
) -> Result<ImportOutcome, AppError> {
    let officer = caller.require(Action::Reconcile)?;
    let started = Instant::now();
    let parsed = read(bytes, mapping)?;
    if !parsed.errors.is_empty() {
        let mut e = FieldErrors::default();
        // The parser's messages name the row and column already.
        for p in parsed.errors.iter().take(20) {
            e.add("file", p.th.clone(), p.en.clone());
        }
        e.finish()?;
    }
    if parsed.lines.is_empty() {
        return Err(AppError::field(
            "file",
            "ไม่พบรายการในไฟล์นี้",
            "The file holds no transactions.",
        ));
    }
    let file_name = clean_name(file_name);
    let mut tx = db.begin().await?;
    let status = super::donations::campaign_status(&mut tx, campaign).await?;
    if status == crate::model::status::CampaignStatus::Settled {
        return Err(AppError::state(
            "กองผ้าป่านี้ปิดบัญชีแล้ว",
            "This campaign's books are settled.",
        ));
    }
    let known = bank::fingerprints_tx(&mut tx, campaign).await?;
    let fresh: Vec<&StatementLine> = parsed
        .lines
        .iter()
        .filter(|l| !known.contains(&l.fingerprint))
        .collect();
    let import = NewImport {
        campaign,
        file_name: &file_name,
        encoding: encoding_name(&parsed),
        line_count: parsed.lines.len(),
        new_lines: fresh.len(),
        first_on: period(&parsed).map(|(first, _)| first),
        last_on: period(&parsed).map(|(_, last)| last),
        opening_balance: parsed.opening_balance,
        closing_balance: parsed.closing_balance,
        by: officer.account_id,
    };
    let import_id = bank::insert_import(&mut tx, &import).await?;
    let stored = bank::insert_lines(&mut tx, campaign, import_id, &fresh).await?;
    if stored != fresh.len() as u64 {
        return Err(AppError::state(
            "มีการนำเข้ารายการเดียวกันพร้อมกัน กรุณาลองอีกครั้ง",
            "The same lines were being imported at the same time; try again.",
        ));
    }
    if mapping.preset == statement::Preset::Custom {
        save_mapping(&mut tx, campaign, mapping, officer.account_id).await?;
    }
    let auto_matched = auto_match(&mut tx, caller, officer.account_id, campaign).await?;
    audit::record(
        &mut tx,
        &Event::by(
            caller,
            "statement_imported",
            "statement_import",
            import_id.to_string(),
            format!(
                "{file_name}: {} lines, {} new, {auto_matched} matched automatically",
                parsed.lines.len(),
                fresh.len()
            ),
        ),
    )
    .await?;
    tx.commit().await?;
    Ok(ImportOutcome {
        import_id,
        line_count: parsed.lines.len(),
        new_lines: fresh.len(),
        known_lines: parsed.lines.len() - fresh.len(),
        auto_matched,
        millis: started.elapsed().as_millis() as u64,
    })
}

fn clean_name(name: &str) -> String {
    let base = name.rsplit(['/', '\\']).next().unwrap_or(name);
    let cleaned: String = base.chars().filter(|c| !c.is_control()).take(200).collect();
    if cleaned.trim().is_empty() {
        "statement.csv".to_owned()
    } else {
        cleaned
    }
}

async fn bank_account_of(tx: &mut Tx, campaign: CampaignId) -> Result<Option<String>, AppError> {
    let row: Option<(Option<String>,)> =
        sqlx::query_as("select bank_account_no from campaign where campaign_id = $1")
            .bind(campaign.get())
            .fetch_optional(&mut **tx)
            .await?;
    Ok(row
        .and_then(|(n,)| n)
        .map(|n| n.chars().filter(char::is_ascii_digit).collect::<String>())
        .filter(|n| !n.is_empty()))
}

async fn save_mapping(
    tx: &mut Tx,
    campaign: CampaignId,
    mapping: &Mapping,
    by: AccountId,
) -> Result<(), AppError> {
    let Some(account) = bank_account_of(tx, campaign).await? else {
        return Ok(());
    };
    let json = serde_json::to_string(mapping).map_err(crate::server::internal)?;
    let now = time::now();
    sqlx::query(
        "insert into statement_mapping (bank_account_no, mapping, updated_by, updated_at)
         values ($1, $2, $3, $4)
         on conflict (bank_account_no) do update set mapping = excluded.mapping,
           updated_by = excluded.updated_by, updated_at = excluded.updated_at",
    )
    .bind(account)
    .bind(json)
    .bind(by.0)
    .bind(now)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// The mapping saved for a campaign's bank account, or the K-BIZ preset.
pub async fn mapping_for(
    db: &Db,
    caller: &Caller,
    campaign: CampaignId,
) -> Result<Mapping, AppError> {
    caller.require(Action::Reconcile)?;
    let row: Option<(String,)> = sqlx::query_as(
        "select m.mapping from statement_mapping m join campaign c
           on m.bank_account_no = c.bank_account_no where c.campaign_id = $1",
    )
    .bind(campaign.get())
    .fetch_optional(db.reader())
    .await?;
    // A mapping saved before the account number was cleaned is still found the second way.
    let row = match row {
        Some(r) => Some(r),
        None => {
            let account: Option<(Option<String>,)> =
                sqlx::query_as("select bank_account_no from campaign where campaign_id = $1")
                    .bind(campaign.get())
                    .fetch_optional(db.reader())
                    .await?;
            let account = account
                .and_then(|(n,)| n)
                .map(|n| n.chars().filter(char::is_ascii_digit).collect::<String>())
                .filter(|n| !n.is_empty());
            match account {
                Some(a) => {
                    sqlx::query_as(
                        "select mapping from statement_mapping where bank_account_no = $1",
                    )
                    .bind(a)
                    .fetch_optional(db.reader())
                    .await?
                }
                None => None,
            }
        }
    };
    Ok(row
        .and_then(|(json,)| serde_json::from_str(&json).ok())
        .unwrap_or_else(Mapping::kbiz))
}

/// Letters and digits of a text, upper-cased, without the titles banks print before names:
/// what two spellings of one name share.
fn plain(text: &str) -> String {
    // Thai vowel and tone marks are not alphanumeric, but they are part of a name.
    let kept = |c: char| c.is_alphanumeric() || ('\u{0E31}'..='\u{0E4E}').contains(&c);
    let mut words = text
        .split(|c: char| !kept(c))
        .filter(|w| !w.is_empty())
        .map(str::to_uppercase)
        .peekable();
    // An English title is a word of its own; a Thai one is written onto the name.
    if words
        .peek()
        .is_some_and(|w| ["MR", "MRS", "MISS", "MS", "DR", "KHUN"].contains(&w.as_str()))
    {
        words.next();
    }
    let t: String = words.collect();
    for title in ["นางสาว", "นาย", "นาง", "นส", "คุณ", "ดร"] {
        if let Some(rest) = t.strip_prefix(title) {
            return rest.to_owned();
        }
    }
    t
}

fn bangkok_day(instant: &str) -> Option<NaiveDate> {
    time::parse_instant(instant).ok().map(bangkok_date)
}

/// The donations `line` may be: the one whose reference the bank shows (a bill payment's
/// Ref1), else those of the same amount within the window, narrowed by the donor's name when
/// the bank shows it.
fn candidates(line: &LineRow, open: &[OpenDonation]) -> Vec<usize> {
    let text = plain(&format!("{} {}", line.description, line.details));
    let by_reference: Vec<usize> = open
        .iter()
        .enumerate()
        .filter(|(_, d)| {
            d.amount_satang == line.amount_satang && text.contains(&ref1_of(&d.reference_code))
        })
        .map(|(i, _)| i)
        .collect();
    if by_reference.len() == 1 {
        return by_reference;
    }
    let Ok(posted) = NaiveDate::parse_from_str(&line.posted_on, "%Y-%m-%d") else {
        return Vec::new();
    };
    let window = Duration::days(MATCH_WINDOW_DAYS);
    let fits: Vec<usize> = open
        .iter()
        .enumerate()
        .filter(|(_, d)| d.amount_satang == line.amount_satang)
        .filter(|(_, d)| {
            if d.pledged() {
                bangkok_day(&d.created_at).is_some_and(|on| posted >= on && posted <= on + window)
            } else {
                d.received_at
                    .as_deref()
                    .and_then(bangkok_day)
                    .is_some_and(|on| posted >= on - window && posted <= on + window)
            }
        })
        .map(|(i, _)| i)
        .collect();
    if fits.len() > 1 {
        let named: Vec<usize> = fits
            .iter()
            .copied()
            .filter(|&i| {
                open[i]
                    .display_name
                    .as_deref()
                    .map(plain)
                    .is_some_and(|n| n.chars().count() >= 4 && text.contains(&n))
            })
            .collect();
        if !named.is_empty() {
            return named;
        }
    }
    fits
}

/// Matches every credit of `campaign` that is one donation's only candidate while that
/// donation is the credit's only candidate; repeats while matching frees others. Answers how
/// many it matched.
pub(crate) async fn auto_match(
    tx: &mut Tx,
    caller: &Caller,
    officer: AccountId,
    campaign: CampaignId,
) -> Result<usize, AppError> {
    let mut matched = 0;
    // A line an officer has unmatched is theirs to match again: never automatically.
    let taken_back = bank::unmatched_lines_tx(tx, campaign).await?;
    loop {
        let mut lines = bank::unmatched_credits_tx(tx, campaign).await?;
        lines.retain(|l| !taken_back.contains(&l.bank_line_id));
        let open = bank::open_donations_tx(tx, campaign).await?;
        if lines.is_empty() || open.is_empty() {
            return Ok(matched);
        }
        // Only pairs a match can take: a line not dated in the future, a pledge not made
        // after the money arrived (a Ref1 names its pledge whatever the date).
        let today = crate::server::today();
        let of_line: Vec<Vec<usize>> = lines
            .iter()
            .map(|l| {
                let posted = NaiveDate::parse_from_str(&l.posted_on, "%Y-%m-%d").ok();
                if posted.is_none_or(|p| p > today) {
                    return Vec::new();
                }
                candidates(l, &open)
                    .into_iter()
                    .filter(|&d| {
                        !open[d].pledged()
                            || bangkok_day(&open[d].created_at)
                                .is_some_and(|on| posted.is_some_and(|p| p >= on))
                    })
                    .collect()
            })
            .collect();
        let mut lines_of = vec![0usize; open.len()];
        for c in &of_line {
            for &d in c {
                lines_of[d] += 1;
            }
        }
        let mut taken = HashSet::new();
        let mut round = 0;
        for (line, c) in lines.iter().zip(&of_line) {
            let [d] = c.as_slice() else { continue };
            if lines_of[*d] != 1 || !taken.insert(*d) {
                continue;
            }
            apply_match(tx, caller, officer, line, &open[*d], "auto", None).await?;
            round += 1;
        }
        if round == 0 {
            return Ok(matched);
        }
        matched += round;
    }
}

/// Matches `line` to `d`: a pledge becomes received on the line's date, with its receipt.
async fn apply_match(
    tx: &mut Tx,
    caller: &Caller,
    officer: AccountId,
    line: &LineRow,
    d: &OpenDonation,
    how: &str,
    note: Option<&str>,
) -> Result<(), AppError> {
    if d.pledged() {
        let record = donation_record::by_reference_tx(tx, &d.reference_code)
            .await?
            .ok_or(AppError::NotFound)?;
        let day = NaiveDate::parse_from_str(&line.posted_on, "%Y-%m-%d")
            .map_err(crate::server::internal)?;
        let today = crate::server::today();
        if day > today {
            return Err(AppError::field(
                "line_id",
                "รายการเดินบัญชีนี้ลงวันที่ในอนาคต ตรวจสอบปีในไฟล์",
                "This bank line is dated in the future; check the years in the file.",
            ));
        }
        // Money that arrived in a fiscal year now ended is received on its day, with the
        // reason a receipt in that year needs.
        let reason = (fiscal_year(day) < fiscal_year(today)).then_some(BANK_SHOWS);
        let channel = record.channel()?;
        receive_pledge(tx, caller, officer, &record, day, channel, reason).await?;
    }
    if !bank::set_match(tx, line.bank_line_id, d.id(), how).await? {
        return Err(AppError::state(
            "รายการเดินบัญชีนี้ถูกจับคู่ไปแล้ว",
            "This bank line was matched meanwhile.",
        ));
    }
    bank::event(tx, line.bank_line_id, d.id(), "matched", how, note, officer).await?;
    audit::record(
        tx,
        &Event::by(
            caller,
            "bank_line_matched",
            "bank_line",
            line.bank_line_id.to_string(),
            format!(
                "{how}: {} on {} to {}",
                line.amount(),
                line.posted_on,
                d.reference_code
            ),
        ),
    )
    .await?;
    Ok(())
}

/// A line to change, of a campaign whose books are not settled.
async fn line_of(tx: &mut Tx, id: i64) -> Result<LineRow, AppError> {
    let line = bank::line_tx(tx, id).await?.ok_or(AppError::NotFound)?;
    super::donations::require_unsettled(tx, line.campaign()).await?;
    Ok(line)
}

/// An officer matches a credit to a donation by its reference: the same campaign and amount,
/// pledged or received, not matched to another line.
pub async fn match_line(db: &Db, caller: &Caller, input: &MatchInput) -> Result<(), AppError> {
    let officer = caller.require(Action::Reconcile)?;
    let reference = super::donations::normalise_reference(&input.reference).ok_or_else(|| {
        AppError::field(
            "reference",
            "กรุณากรอกรหัสอ้างอิงของรายการบริจาค เช่น PP-ABCD-EFGH-JKLM-NPQR",
            "Enter the donation's reference, such as PP-ABCD-EFGH-JKLM-NPQR.",
        )
    })?;
    let mut tx = db.begin().await?;
    let line = line_of(&mut tx, input.line_id).await?;
    if line.is_credit != 1 {
        return Err(AppError::field(
            "line_id",
            "จับคู่ได้เฉพาะรายการเงินเข้า",
            "Only money in can be matched to a donation.",
        ));
    }
    if line.donation_id.is_some() {
        return Err(AppError::state(
            "รายการเดินบัญชีนี้จับคู่แล้ว ยกเลิกการจับคู่เดิมก่อน",
            "This bank line is already matched; unmatch it first.",
        ));
    }
    let open = bank::open_donations_tx(&mut tx, line.campaign()).await?;
    let Some(d) = open.iter().find(|d| d.reference_code == reference) else {
        return Err(AppError::field(
            "reference",
            "ไม่พบรายการบริจาคที่รอการยืนยันจากธนาคารด้วยรหัสนี้ในกองผ้าป่านี้",
            "No donation of this campaign with this reference is waiting for a bank line.",
        ));
    };
    if d.amount_satang != line.amount_satang {
        return Err(AppError::field(
            "reference",
            &format!(
                "ยอดไม่ตรงกัน: ธนาคาร {} รายการบริจาค {}",
                line.amount(),
                d.amount()
            ),
            &format!(
                "The amounts differ: the bank shows {}, the donation is {}.",
                line.amount(),
                d.amount()
            ),
        ));
    }
    apply_match(
        &mut tx,
        caller,
        officer.account_id,
        &line,
        d,
        "manual",
        None,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// An officer takes a match back, with a reason. The donation stays as it is (a receipt once
/// issued is voided, never unissued), and shows again as received without a bank line.
pub async fn unmatch(db: &Db, caller: &Caller, line_id: i64, reason: &str) -> Result<(), AppError> {
    let officer = caller.require(Action::Reconcile)?;
    let mut e = FieldErrors::default();
    let why = crate::model::equipment::reason(&mut e, "reason", reason);
    e.finish()?;
    let mut tx = db.begin().await?;
    let line = line_of(&mut tx, line_id).await?;
    let (Some(donation), Some(how)) = (line.donation_id, line.matched_how.clone()) else {
        return Err(AppError::state(
            "รายการเดินบัญชีนี้ยังไม่ได้จับคู่",
            "This bank line is not matched.",
        ));
    };
    let donation = DonationId(donation);
    if !bank::clear_match(&mut tx, line_id, donation).await? {
        return Err(AppError::state(
            "รายการเดินบัญชีนี้เพิ่งถูกเปลี่ยน กรุณาโหลดหน้าใหม่",
            "This bank line changed meanwhile; reload the page.",
        ));
    }
    bank::event(
        &mut tx,
        line_id,
        donation,
        "unmatched",
        &how,
        Some(&why),
        officer.account_id,
    )
    .await?;
    audit::record(
        &mut tx,
        &Event::by(
            caller,
            "bank_line_unmatched",
            "bank_line",
            line_id.to_string(),
            format!(
                "from {}: {why}",
                line.reference_code.clone().unwrap_or_default()
            ),
        ),
    )
    .await?;
    tx.commit().await?;
    Ok(())
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
        &super::donations::caller_key(caller),
        &input.idempotency_key,
    );
    let hash = idempotency::fingerprint(input)?;
    let mut tx = db.begin().await?;
    if let Claim::Replay(answer) = idempotency::claim(&mut tx, &key, &hash).await? {
        return Ok(answer);
    }
    let line = line_of(&mut tx, input.line_id).await?;
    if line.is_credit != 1 || line.donation_id.is_some() {
        return Err(AppError::state(
            "รายการเดินบัญชีนี้จับคู่แล้วหรือไม่ใช่เงินเข้า",
            "This bank line is already matched or is not money in.",
        ));
    }
    let posted =
        NaiveDate::parse_from_str(&line.posted_on, "%Y-%m-%d").map_err(crate::server::internal)?;
    let earlier_year = fiscal_year(posted) < fiscal_year(crate::server::today());
    let typed = DonationInput {
        campaign_id: line.campaign(),
        channel: DonationChannel::BankTransfer.code().to_owned(),
        amount: format!("{}", line.amount().to_decimal()),
        donor_name: input.donor_name.clone(),
        show_name: input
            .show_name
            .as_deref()
            .is_some_and(|v| v == "on" || v == "true"),
        received_on: line.posted_on.clone(),
        backdate_reason: if earlier_year {
            BANK_SHOWS.to_owned()
        } else {
            String::new()
        },
        note: format!("bank line {} ({})", line.bank_line_id, line.posted_on),
        idempotency_key: input.idempotency_key.clone(),
        ..Default::default()
    };
    let gift = NewDonation::parse(&typed, crate::server::today()).map_err(AppError::Validation)?;
    let created = record_in(&mut tx, caller, officer.account_id, &gift).await?;
    let record = donation_record::by_reference_tx(&mut tx, &created.reference)
        .await?
        .ok_or(AppError::NotFound)?;
    if !bank::set_match(&mut tx, line.bank_line_id, record.id(), "gift").await? {
        return Err(AppError::state(
            "รายการเดินบัญชีนี้ถูกจับคู่ไปแล้ว",
            "This bank line was matched meanwhile.",
        ));
    }
    bank::event(
        &mut tx,
        line.bank_line_id,
        record.id(),
        "matched",
        "gift",
        None,
        officer.account_id,
    )
    .await?;
    idempotency::store(&mut tx, &key, &created.reference).await?;
    tx.commit().await?;
    Ok(created.reference)
}

fn candidate(d: &OpenDonation) -> Candidate {
    Candidate {
        reference: d.reference_code.clone(),
        donor: d.display_name.clone(),
        amount: d.amount(),
        status: d.status.clone(),
        at: d
            .received_at
            .clone()
            .unwrap_or_else(|| d.created_at.clone()),
    }
}

fn line_view(l: &LineRow, open: &[OpenDonation]) -> BankLineView {
    BankLineView {
        id: l.bank_line_id,
        posted_on: l.posted_on.clone(),
        posted_time: l.posted_time.clone(),
        credit: l.is_credit == 1,
        amount: l.amount(),
        balance: l.balance_satang.map(Money::from_satang),
        description: l.description.clone(),
        details: l.details.clone(),
        matched: l.reference_code.clone(),
        how: l.matched_how.clone(),
        candidates: if l.donation_id.is_none() && l.is_credit == 1 {
            let mut c: Vec<Candidate> = candidates(l, open)
                .into_iter()
                .map(|i| candidate(&open[i]))
                .collect();
            if c.is_empty() {
                // Nothing fits the window: offer every open donation of the same amount.
                c = open
                    .iter()
                    .filter(|d| d.amount_satang == l.amount_satang)
                    .take(10)
                    .map(candidate)
                    .collect();
            }
            c
        } else {
            Vec::new()
        },
    }
}

/// The bank against the books for a campaign: its imports, the bank's balance beside the
/// journal's cash, the matched total, and both unmatched lists.
pub async fn overview(
    db: &Db,
    caller: &Caller,
    campaign: CampaignId,
) -> Result<Reconciliation, AppError> {
    caller.require(Action::Reconcile)?;
    campaign_exists(db, campaign).await?;
    let imports = bank::imports(db, campaign)
        .await?
        .into_iter()
        .map(|i| ImportView {
            id: i.statement_import_id,
            file_name: i.file_name,
            line_count: i.line_count,
            new_lines: i.new_lines,
            first_on: i.first_on,
            last_on: i.last_on,
            closing_balance: i.closing_balance_satang.map(Money::from_satang),
            by: i.by_name,
            at: i.imported_at,
        })
        .collect();
    let bank_balance = bank::bank_balance(db, campaign).await?;
    let books = bank::books_cash(db, campaign).await?;
    let (matched_count, matched_total) = bank::matched(db, campaign).await?;
    let open = bank::open_donations(db, campaign).await?;
    let unmatched_credits = bank::unmatched_credits(db, campaign, LIST_LIMIT)
        .await?
        .iter()
        .map(|l| line_view(l, &open))
        .collect();
    let matched_lines = bank::recent_matched(db, campaign, LIST_LIMIT)
        .await?
        .iter()
        .map(|l| line_view(l, &open))
        .collect();
    let before = (chrono::Utc::now() - Duration::days(MATCH_WINDOW_DAYS)).to_rfc3339();
    let stale_pledges = bank::stale_pledges(db, campaign, &before)
        .await?
        .into_iter()
        .map(|d| StalePledge {
            amount: d.amount(),
            reference: d.reference_code,
            donor: d.display_name,
            pledged_at: d.created_at,
        })
        .collect();
    let (pledge_tail,): (i64,) =
        sqlx::query_as("select pledge_tail from campaign where campaign_id = $1")
            .bind(campaign.get())
            .fetch_one(db.reader())
            .await?;
    Ok(Reconciliation {
        campaign_id: campaign,
        imports,
        bank_balance: bank_balance.as_ref().map(|(b, _)| Money::from_satang(*b)),
        bank_balance_on: bank_balance.as_ref().map(|(_, on)| on.clone()),
        books_cash: Money::from_satang(books),
        difference: bank_balance.map(|(b, _)| b - books),
        matched_count,
        matched_total: Money::from_satang(matched_total),
        unmatched_credits,
        matched_lines,
        stale_pledges,
        unconfirmed_gifts: bank::unconfirmed_gifts(db, campaign).await?,
        pledge_tail: pledge_tail == 1,
        form_key: idempotency::form_key(),
    })
}

/// Turns the satang tail on a campaign's new pledges on or off.
pub async fn set_pledge_tail(
    db: &Db,
    caller: &Caller,
    campaign: CampaignId,
    on: bool,
) -> Result<(), AppError> {
    caller.require(Action::Reconcile)?;
    let mut tx = db.begin().await?;
    let done = sqlx::query("update campaign set pledge_tail = $1 where campaign_id = $2")
        .bind(i64::from(on))
        .bind(campaign.get())
        .execute(&mut *tx)
        .await?;
    if done.rows_affected() != 1 {
        return Err(AppError::NotFound);
    }
    audit::record(
        &mut tx,
        &Event::by(
            caller,
            "campaign_pledge_tail",
            "campaign",
            campaign.to_string(),
            if on { "on" } else { "off" }.to_owned(),
        ),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(amount: i64, on: &str, details: &str) -> LineRow {
        LineRow {
            bank_line_id: 1,
            campaign_id: 1,
            posted_on: on.into(),
            posted_time: None,
            is_credit: 1,
            amount_satang: amount,
            balance_satang: None,
            description: "รับโอน".into(),
            details: details.into(),
            donation_id: None,
            matched_how: None,
            reference_code: None,
        }
    }

    fn pledge(id: i64, amount: i64, at: &str, name: &str) -> OpenDonation {
        OpenDonation {
            donation_id: id,
            reference_code: format!("PP-AAAA-BBBB-CCCC-{id:04}"),
            amount_satang: amount,
            status: "pledged".into(),
            created_at: at.into(),
            received_at: None,
            display_name: Some(name.into()),
        }
    }

    #[test]
    fn a_credit_fits_pledges_of_its_amount_within_the_window() {
        let open = [
            pledge(1, 150_000, "2026-11-10T03:00:00Z", "สมชาย ใจดี"),
            pledge(2, 150_000, "2026-11-01T03:00:00Z", "สมหญิง รักดี"),
            pledge(3, 20_000, "2026-11-10T03:00:00Z", "มานี มีนา"),
        ];
        // Pledge 2 is more than 7 days before; pledge 3 is another amount.
        assert_eq!(candidates(&line(150_000, "2026-11-12", "x"), &open), [0]);
        // Before the pledge was made, nothing fits.
        assert!(candidates(&line(150_000, "2026-11-09", "x"), &open).is_empty());
    }

    #[test]
    fn the_name_or_the_reference_narrows_equal_amounts() {
        let open = [
            pledge(1, 150_000, "2026-11-10T03:00:00Z", "สมชาย ใจดี"),
            pledge(2, 150_000, "2026-11-10T05:00:00Z", "สมหญิง รักดี"),
        ];
        assert_eq!(candidates(&line(150_000, "2026-11-11", "x"), &open), [0, 1]);
        assert_eq!(
            candidates(&line(150_000, "2026-11-11", "นางสมหญิง รักดี"), &open),
            [1]
        );
        assert_eq!(
            candidates(
                &line(150_000, "2026-12-30", "BILL PPAAAABBBBCCCC0001"),
                &open
            ),
            [0],
            "a Ref1 matches whatever the date"
        );
    }

    #[test]
    fn titles_and_spaces_do_not_count_in_names() {
        assert_eq!(plain("นาย สมชาย  ใจดี"), "สมชายใจดี");
        assert_eq!(plain("Mr. Somchai Jaidee"), "SOMCHAIJAIDEE");
        assert_eq!(plain("คุณสมชาย ใจดี"), "สมชายใจดี");
        assert_eq!(
            plain("MRSOMCHAI"),
            "MRSOMCHAI",
            "a name that starts like a title keeps it"
        );
    }
}
