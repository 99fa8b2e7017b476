//! Bank statements in, matched to donations (finance officers).
//!
//! A file is read and shown before anything is stored ([`preview`]); importing it stores each
//! line once per campaign, whatever file or overlap it came in (lines are known by their
//! fingerprint), then matches its new credits ([`matches`]) in the same transaction. What an
//! import costs grows with its file, not with the campaign's bank history: it looks up only the
//! file's fingerprints, and matches only the credits and donations that share the new credits'
//! amounts. The rules of matching are pure functions in `model::statement::matching`; this
//! room only loads, calls and stores.

mod matches;
mod overview;

pub use matches::{confirm_group, gift_from_line, match_line, unmatch};
pub use overview::{overview, overview_of, set_lapse_days, set_pledge_tail};

use super::{ledger, Caller};
use crate::error::AppError;
use crate::model::account::Action;
use crate::model::form::FieldErrors;
use crate::model::statement::account::{owner, Owner};
use crate::model::statement::{ImportOutcome, PreviewLine, RowProblem, StatementPreview};
use crate::model::{CampaignId, Money};
use crate::server::audit::{self, Event};
use crate::server::db::bank::{self, NewImport};
use crate::server::db::campaign::admin;
use crate::server::db::Db;
use crate::server::statement::{self, Mapping, Parsed, StatementLine};
use chrono::NaiveDate;
use std::time::Instant;

/// Lines a preview shows; the rest are counted.
const SAMPLE_LINES: usize = 50;

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

/// The first and last dates of a file's lines.
fn period(parsed: &Parsed) -> Option<(NaiveDate, NaiveDate)> {
    let dates = parsed.lines.iter().map(|l| l.date);
    Some((dates.clone().min()?, dates.max()?))
}

fn encoding_name(parsed: &Parsed) -> &'static str {
    match parsed.encoding {
        statement::Encoding::Tis620 => "TIS-620",
        _ => "UTF-8",
    }
}

fn fingerprints(parsed: &Parsed) -> Vec<&str> {
    parsed
        .lines
        .iter()
        .map(|l| l.fingerprint.as_str())
        .collect()
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
    let mut c = db.reader().acquire().await?;
    if !admin::exists(&mut c, campaign).await? {
        return Err(AppError::NotFound);
    }
    let parsed = read(bytes, mapping)?;
    let (_, headers) = statement::headers(bytes, mapping).map_err(file_refused)?;
    let known = bank::known(&mut c, campaign, &fingerprints(&parsed)).await?;
    let accounts = bank::known_accounts(&mut c, campaign).await?;
    let other_account_than = match owner(parsed.account.as_deref(), &accounts) {
        Owner::Other => accounts.first().cloned(),
        Owner::Campaign(_) => None,
    };
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
    let period = period(&parsed);
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
        first_on: period.map(|(first, _)| first.to_string()),
        last_on: period.map(|(_, last)| last.to_string()),
        opening_balance: parsed.opening_balance.map(Money::from_satang),
        closing_balance: parsed.closing_balance.map(Money::from_satang),
        sample,
        problems: problems(&parsed),
        skipped: parsed.skipped,
        repeated: parsed.repeated.clone(),
        read_as_kbiz: parsed.read_as_kbiz,
        account: parsed.account.clone(),
        other_account_than,
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
    import_with(db, caller, campaign, file_name, bytes, mapping, false).await
}

/// [`import`], storing the rows that repeat their neighbour too when the officer says they are
/// real (`keep_repeats`); otherwise they are left out and counted.
pub async fn import_with(
    db: &Db,
    caller: &Caller,
    campaign: CampaignId,
    file_name: &str,
    bytes: &[u8],
    mapping: &Mapping,
    keep_repeats: bool,
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
    ledger::books_open(&mut tx, campaign).await?;
    let known = bank::known(&mut tx, campaign, &fingerprints(&parsed)).await?;
    let left_out: std::collections::HashSet<usize> = if keep_repeats {
        Default::default()
    } else {
        parsed.repeated.iter().copied().collect()
    };
    let considered: Vec<&StatementLine> = parsed
        .lines
        .iter()
        .filter(|l| !left_out.contains(&l.row))
        .collect();
    let fresh: Vec<&StatementLine> = considered
        .iter()
        .copied()
        .filter(|l| !known.contains(&l.fingerprint))
        .collect();
    let period = period(&parsed);
    let known_accounts = bank::known_accounts(&mut tx, campaign).await?;
    let account = match owner(parsed.account.as_deref(), &known_accounts) {
        Owner::Campaign(account) => account,
        Owner::Other => return Err(other_account(parsed.account.as_deref(), &known_accounts)),
    };
    let import = NewImport {
        campaign,
        file_name: &file_name,
        encoding: encoding_name(&parsed),
        line_count: considered.len(),
        new_lines: fresh.len(),
        first_on: period.map(|(first, _)| first),
        last_on: period.map(|(_, last)| last),
        opening_balance: parsed.opening_balance,
        closing_balance: parsed.closing_balance,
        account: account.clone(),
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
    if mapping.preset == statement::Preset::Custom && !parsed.read_as_kbiz {
        if let Some(account) = &account {
            bank::save_mapping(&mut tx, account, mapping, officer.account_id).await?;
        }
    }
    let mut amounts: Vec<Money> = fresh
        .iter()
        .filter(|l| l.credit)
        .map(|l| l.amount)
        .collect();
    amounts.sort_unstable();
    amounts.dedup();
    let auto_matched =
        matches::automatic(&mut tx, caller, officer.account_id, campaign, &amounts).await?;
    audit::record(
        &mut tx,
        &Event::by(
            caller,
            "statement_imported",
            "statement_import",
            import_id.to_string(),
            format!(
                "{file_name}: {} lines, {} new, {auto_matched} matched automatically, {} repeated rows left out",
                considered.len(),
                fresh.len(),
                left_out.len()
            ),
        ),
    )
    .await?;
    tx.commit().await?;
    Ok(ImportOutcome {
        import_id,
        line_count: considered.len(),
        new_lines: fresh.len(),
        known_lines: considered.len() - fresh.len(),
        auto_matched,
        millis: started.elapsed().as_millis() as u64,
        skipped_repeats: left_out.len(),
    })
}

/// The refusal of another account's statement: its credits are not this campaign's money.
fn other_account(printed: Option<&str>, known: &[String]) -> AppError {
    let printed = printed.unwrap_or_default();
    let own = known.first().map(String::as_str).unwrap_or_default();
    AppError::field(
        "file",
        &format!("ไฟล์นี้เป็นรายการเดินบัญชีของบัญชี {printed} ไม่ใช่บัญชีของกองผ้าป่านี้ ({own}) กรุณาดาวน์โหลดรายการเดินบัญชีของบัญชีที่ถูกต้อง"),
        &format!("This file is a statement of account {printed}, not of this campaign's account ({own}). Export the statement of the right account."),
    )
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

/// The mapping saved for a campaign's bank account, or the K-BIZ preset.
pub async fn mapping_for(
    db: &Db,
    caller: &Caller,
    campaign: CampaignId,
) -> Result<Mapping, AppError> {
    caller.require(Action::Reconcile)?;
    let mut c = db.reader().acquire().await?;
    let saved = match bank::account_number(&mut c, campaign).await? {
        Some(account) => bank::saved_mapping(&mut c, &account).await?,
        None => None,
    };
    let saved = match saved {
        Some(m) => Some(m),
        None => bank::saved_mapping_as_typed(&mut c, campaign).await?,
    };
    Ok(saved.unwrap_or_else(Mapping::kbiz))
}
