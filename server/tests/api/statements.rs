//! Bank statements on SQLite and PostgreSQL: a file imported twice and overlapping statements
//! store each bank line once; credits that fit one pledge are matched automatically (the pledge
//! becomes received, with its receipt) and ambiguous ones wait for an officer, who matches,
//! unmatches with a reason, or records a gift from the credit (idempotently); bad files are
//! refused whole, naming the row and column, with nothing stored; only finance officers may
//! reconcile; 50,000 lines import in time; and, whatever random statements, pledges and manual
//! matches happen, no donation is matched twice and matched lines add up to their donations.

use crate::common;

use app::error::{AppError, FieldError};
use app::model::account::Role;
use app::model::donation::{DonationInput, PledgeInput};
use app::model::statement::{Encoding, GiftFromLineInput, Mapping, MatchInput, Preset};
use app::model::{CampaignId, HospitalId, Money};
use app::server::db::bank;
use app::server::db::campaign as campaigns;
use app::server::demo::DEMO_PASSWORD;
use app::server::service::statements;
use app::server::statement::MAX_FILE_BYTES;
use app::server::{donations, ledger, Caller, Db};
use chrono::{Duration, NaiveDate};
use common::sign_in;
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use serde_json::Value;
use std::sync::Mutex;
use std::time::Instant;

const KBIZ: &[u8] = include_bytes!("../../../end2end/fixtures/kbiz-statement-utf8.csv");
const TIS620: &[u8] = include_bytes!("../../../end2end/fixtures/tis620-statement-be.csv");
const MALFORMED: &[u8] = include_bytes!("../../../end2end/fixtures/malformed-statement.csv");

// ---------------------------------------------------------------------------------------------
// Set-up: a campaign, a finance officer, pledges and gifts.

pub(super) fn key() -> String {
    format!("test-{:032x}", rand::random::<u128>())
}

pub(super) fn today() -> NaiveDate {
    app::server::today()
}

/// `1234.56` for 123,456 satang, as a form is typed.
pub(super) fn typed(satang: i64) -> String {
    format!("{}.{:02}", satang / 100, satang % 100)
}

pub(super) async fn finance_officer(db: &Db, name: &str) -> Caller {
    let user = common::account_with_role(db, name, Role::FinanceOfficer).await;
    Caller::signed_in(&user).at("203.0.113.20")
}

/// An open campaign with a PromptPay payee and a legal recipient, so pledges and receipts work.
pub(super) async fn open_campaign(db: &Db, title: &str) -> CampaignId {
    let mut tx = db.begin().await.unwrap();
    let id = campaigns::insert(&mut tx, &common::open_campaign(title, 1_000_000, 30))
        .await
        .unwrap();
    tx.commit().await.unwrap();
    id
}

/// A donor's online pledge, dated the first moment of today in Bangkok (so credits dated today
/// come after it at whatever hour the tests run), its amount marked as one the satang tail made
/// unique (so its amount alone may match it, as these tests of the import mean); answers its
/// reference. `holes.rs` tests the amounts a tail did not make.
pub(super) async fn pledge(db: &Db, campaign: CampaignId, satang: i64, name: &str) -> String {
    pledge_at_midnight(db, campaign, satang, name, true).await
}

/// A pledge as [`pledge`] makes, its amount marked as the tail's own only if `tail_unique`.
pub(super) async fn pledge_at_midnight(
    db: &Db,
    campaign: CampaignId,
    satang: i64,
    name: &str,
    tail_unique: bool,
) -> String {
    let reference = pledge_now(db, campaign, satang, name).await;
    let mut tx = db.begin().await.unwrap();
    sqlx::query("update donation set created_at = $1, tail_unique = $2 where reference_code = $3")
        .bind(app::server::db::time::instant(
            app::server::db::time::bangkok_midnight(today()),
        ))
        .bind(i64::from(tail_unique))
        .bind(&reference)
        .execute(&mut *tx)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    reference
}

/// A donor's online pledge, made now; answers its reference.
pub(super) async fn pledge_now(db: &Db, campaign: CampaignId, satang: i64, name: &str) -> String {
    donations::pledge(
        db,
        &Caller::anonymous(),
        &PledgeInput {
            campaign_id: campaign,
            amount: typed(satang),
            donor_name: name.to_owned(),
            show_name: false,
            national_id: String::new(),
            email: String::new(),
            idempotency_key: key(),
        },
    )
    .await
    .unwrap()
    .reference
}

/// A bank transfer a finance officer recorded as received on `on`; answers its reference.
async fn received_transfer(
    db: &Db,
    finance: &Caller,
    campaign: CampaignId,
    satang: i64,
    on: NaiveDate,
) -> String {
    donations::record(
        db,
        finance,
        &DonationInput {
            campaign_id: campaign,
            channel: "bank_transfer".into(),
            amount: typed(satang),
            received_on: on.to_string(),
            backdate_reason: "ตามรายการเดินบัญชีธนาคาร".into(),
            idempotency_key: key(),
            ..Default::default()
        },
    )
    .await
    .unwrap()
    .reference
}

// ---------------------------------------------------------------------------------------------
// Statement files shaped like a K-BIZ export.

/// One bank line to write into a generated statement.
#[derive(Clone, Debug)]
pub(super) struct Move {
    on: NaiveDate,
    credit: bool,
    satang: i64,
    details: String,
}

pub(super) fn credit(on: NaiveDate, satang: i64, details: &str) -> Move {
    Move {
        on,
        credit: true,
        satang,
        details: details.to_owned(),
    }
}

fn debit(on: NaiveDate, satang: i64, details: &str) -> Move {
    Move {
        credit: false,
        ..credit(on, satang, details)
    }
}

/// A line as written: the move, its time and the balance after it.
#[derive(Clone, Debug)]
pub(super) struct Written {
    m: Move,
    time: String,
    balance: i64,
}

/// Times and running balances (from a zero opening balance, as the fixture's), so that every
/// line is the same bank line in whichever file it is written.
pub(super) fn with_balances(moves: &[Move]) -> Vec<Written> {
    let mut balance = 0;
    moves
        .iter()
        .enumerate()
        .map(|(i, m)| {
            balance += if m.credit { m.satang } else { -m.satang };
            Written {
                m: m.clone(),
                time: format!("{:02}:{:02}", 8 + (i / 60) % 14, i % 60),
                balance,
            }
        })
        .collect()
}

/// The K-BIZ fixture's rows up to and including its header row: title, account, period and
/// summary rows exactly as KBank writes them. Data rows follow on line 13.
fn kbiz_head() -> &'static str {
    let text = std::str::from_utf8(KBIZ).unwrap();
    let header = text.find(",วันที่,เวลา").expect("the fixture's header row");
    let end = header + text[header..].find('\n').unwrap() + 1;
    &text[..end]
}

/// `1,234.56` (quoted when it has a comma), negative with a leading minus.
fn money_cell(satang: i64) -> String {
    let digits = (satang.abs() / 100).to_string();
    let mut grouped = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(c);
    }
    let sign = if satang < 0 { "-" } else { "" };
    let text = format!("{sign}{grouped}.{:02}", satang.abs() % 100);
    if text.contains(',') {
        format!("\"{text}\"")
    } else {
        text
    }
}

fn text_cell(text: &str) -> String {
    if text.contains([',', '"', '\n']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_owned()
    }
}

/// One data row of 13 columns, as in the fixture.
fn kbiz_row(w: &Written) -> String {
    let amount = money_cell(w.m.satang);
    let (out, into) = if w.m.credit {
        ("", amount.as_str())
    } else {
        (amount.as_str(), "")
    };
    let (description, channel) = if w.m.credit {
        ("รับโอนเงินผ่าน PromptPay", "PromptPay")
    } else {
        ("โอนเงิน", "K BIZ")
    };
    format!(
        ",{},{},{description},{out},,{into},,{},,{channel},,{}\n",
        w.m.on.format("%d/%m/%y"),
        w.time,
        money_cell(w.balance),
        text_cell(&w.m.details)
    )
}

pub(super) fn kbiz_file(lines: &[Written]) -> Vec<u8> {
    let mut file = String::from(kbiz_head());
    for w in lines {
        file.push_str(&kbiz_row(w));
    }
    file.into_bytes()
}

/// The head, one good row (line 13) and `bad` (line 14).
fn with_bad_row(bad: &str) -> Vec<u8> {
    let good = kbiz_row(&with_balances(&[credit(today(), 10_000, "X1")])[0]);
    format!("{}{good}{bad}\n", kbiz_head()).into_bytes()
}

// ---------------------------------------------------------------------------------------------
// Reading the database.

async fn count(db: &Db, sql: &str, campaign: CampaignId) -> i64 {
    let (n,): (i64,) = sqlx::query_as(sql)
        .bind(campaign.get())
        .fetch_one(db.reader())
        .await
        .unwrap_or_else(|e| panic!("{sql}: {e}"));
    n
}

async fn count_all(db: &Db, sql: &str) -> i64 {
    let (n,): (i64,) = sqlx::query_as(sql)
        .fetch_one(db.reader())
        .await
        .unwrap_or_else(|e| panic!("{sql}: {e}"));
    n
}

pub(super) async fn lines_stored(db: &Db, campaign: CampaignId) -> i64 {
    count(
        db,
        "select count(*) from bank_line where campaign_id = $1",
        campaign,
    )
    .await
}

async fn imports_stored(db: &Db, campaign: CampaignId) -> i64 {
    count(
        db,
        "select count(*) from statement_import where campaign_id = $1",
        campaign,
    )
    .await
}

/// The campaign's one credit of `satang`: its id, donation and how it was matched.
pub(super) async fn credit_line(
    db: &Db,
    campaign: CampaignId,
    satang: i64,
) -> (i64, Option<i64>, Option<String>) {
    sqlx::query_as(
        "select bank_line_id, donation_id, matched_how from bank_line
         where campaign_id = $1 and is_credit = 1 and amount_satang = $2",
    )
    .bind(campaign.get())
    .bind(satang)
    .fetch_one(db.reader())
    .await
    .unwrap_or_else(|e| panic!("one credit of {satang} satang: {e}"))
}

/// A donation by reference: its id, status, channel and how many receipts it has.
pub(super) async fn donation(db: &Db, reference: &str) -> (i64, String, String, i64) {
    sqlx::query_as(
        "select d.donation_id, d.status, d.channel,
           (select count(*) from receipt r where r.donation_id = d.donation_id)
         from donation d where d.reference_code = $1",
    )
    .bind(reference)
    .fetch_one(db.reader())
    .await
    .unwrap()
}

/// The journal balances, aggregates agree, and no bank line's match is inconsistent.
pub(super) async fn books_are_whole(db: &Db) {
    let violations = ledger::check(db).await.unwrap();
    assert!(violations.is_empty(), "{violations:?}");
    let problems = bank::problems(&mut db.reader().acquire().await.unwrap())
        .await
        .unwrap();
    assert!(problems.is_empty(), "{problems:?}");
}

/// The field errors of a refusal that must be a 422.
pub(super) fn fields<T: std::fmt::Debug>(result: Result<T, AppError>) -> Vec<FieldError> {
    match result {
        Err(AppError::Validation(fields)) => fields,
        other => panic!("expected a 422, got {other:?}"),
    }
}

pub(super) fn status<T: std::fmt::Debug>(result: Result<T, AppError>) -> u16 {
    result.expect_err("a refusal").status()
}

// ---------------------------------------------------------------------------------------------
// 1. The same file twice.

on_both_engines!(
    the_same_file_imported_twice_stores_nothing_new_and_matches_nothing_twice,
    |db: Db| async move {
        let finance = finance_officer(&db, "twice-finance").await;
        let campaign = open_campaign(&db, "นำเข้าซ้ำ").await;
        let kbiz = Mapping::kbiz();

        let first = statements::import(&db, &finance, campaign, "kbiz.csv", KBIZ, &kbiz)
            .await
            .unwrap();
        assert_eq!(
            (first.line_count, first.new_lines, first.known_lines),
            (20, 20, 0)
        );
        assert_eq!(lines_stored(&db, campaign).await, 20);
        let second = statements::import(&db, &finance, campaign, "kbiz (1).csv", KBIZ, &kbiz)
            .await
            .unwrap();
        assert_eq!(
            (
                second.line_count,
                second.new_lines,
                second.known_lines,
                second.auto_matched
            ),
            (20, 0, 20, 0)
        );
        assert_ne!(first.import_id, second.import_id);
        assert_eq!(
            lines_stored(&db, campaign).await,
            20,
            "no line stored twice"
        );
        assert_eq!(
            imports_stored(&db, campaign).await,
            2,
            "both imports recorded"
        );
        let (new, known): (i64, i64) = sqlx::query_as(
            "select new_lines, known_lines from statement_import where statement_import_id = $1",
        )
        .bind(second.import_id)
        .fetch_one(db.reader())
        .await
        .unwrap();
        assert_eq!((new, known), (0, 20));
        let preview = statements::preview(&db, &finance, campaign, "kbiz.csv", KBIZ, &kbiz)
            .await
            .unwrap();
        assert_eq!((preview.line_count, preview.known_count), (20, 20));
        assert!(preview.sample.iter().all(|l| l.known));

        // A generated statement whose credit pays a pledge: matched by the first import only.
        let amount = 432_107;
        let reference = pledge(&db, campaign, amount, "").await;
        let file = kbiz_file(&with_balances(&[
            credit(today(), amount, "PromptPay จาก X1111"),
            credit(today(), 25_000, "PromptPay จาก X2222"),
            debit(today(), 1_500, "ค่าธรรมเนียม"),
        ]));
        let a = statements::import(&db, &finance, campaign, "today.csv", &file, &kbiz)
            .await
            .unwrap();
        assert_eq!((a.new_lines, a.auto_matched), (3, 1));
        let b = statements::import(&db, &finance, campaign, "today.csv", &file, &kbiz)
            .await
            .unwrap();
        assert_eq!((b.new_lines, b.known_lines, b.auto_matched), (0, 3, 0));
        assert_eq!(lines_stored(&db, campaign).await, 23);
        assert_eq!(imports_stored(&db, campaign).await, 4);
        let (id, state, _, receipts) = donation(&db, &reference).await;
        assert_eq!((state.as_str(), receipts), ("received", 1));
        let once = |sql: &'static str| {
            let db = db.clone();
            async move {
                let (n,): (i64,) = sqlx::query_as(sql)
                    .bind(id)
                    .fetch_one(db.reader())
                    .await
                    .unwrap();
                n
            }
        };
        assert_eq!(
            once("select count(*) from bank_line where donation_id = $1").await,
            1
        );
        assert_eq!(
            once("select count(*) from bank_match_event where donation_id = $1").await,
            1
        );
        assert_eq!(
            once("select count(*) from journal_entry where donation_id = $1").await,
            1
        );
        books_are_whole(&db).await;
    }
);

// ---------------------------------------------------------------------------------------------
// 2. Overlapping statements.

on_both_engines!(
    overlapping_statements_store_the_overlap_once,
    |db: Db| async move {
        let finance = finance_officer(&db, "overlap-finance").await;
        let campaign = open_campaign(&db, "ช่วงทับกัน").await;
        let start = today() - Duration::days(29);
        let moves: Vec<Move> = (0..30)
            .map(|i| {
                let on = start + Duration::days(i);
                if i % 4 == 3 {
                    debit(on, 7_000 + i, "ค่าธรรมเนียม")
                } else {
                    credit(on, 100_000 + 37 * i, &format!("PromptPay จาก X{i:04}"))
                }
            })
            .collect();
        let written = with_balances(&moves);
        let (early, late) = (kbiz_file(&written[..20]), kbiz_file(&written[12..]));
        let kbiz = Mapping::kbiz();

        let a = statements::import(&db, &finance, campaign, "oct.csv", &early, &kbiz)
            .await
            .unwrap();
        assert_eq!((a.line_count, a.new_lines), (20, 20));
        let preview = statements::preview(&db, &finance, campaign, "nov.csv", &late, &kbiz)
            .await
            .unwrap();
        assert_eq!((preview.line_count, preview.known_count), (18, 8));
        let b = statements::import(&db, &finance, campaign, "nov.csv", &late, &kbiz)
            .await
            .unwrap();
        assert_eq!((b.line_count, b.new_lines, b.known_lines), (18, 10, 8));
        assert_eq!(lines_stored(&db, campaign).await, 30, "the overlap once");
        assert_eq!(
            count(
                &db,
                "select count(distinct fingerprint) from bank_line where campaign_id = $1",
                campaign
            )
            .await,
            30
        );
        for (import, n) in [(a.import_id, 20), (b.import_id, 10)] {
            let (stored,): (i64,) =
                sqlx::query_as("select count(*) from bank_line where statement_import_id = $1")
                    .bind(import)
                    .fetch_one(db.reader())
                    .await
                    .unwrap();
            assert_eq!(stored, n, "import {import}");
        }
        // The whole period again, as a third file: nothing new.
        let all = kbiz_file(&written);
        let c = statements::import(&db, &finance, campaign, "all.csv", &all, &kbiz)
            .await
            .unwrap();
        assert_eq!((c.new_lines, c.known_lines), (0, 30));
        assert_eq!(lines_stored(&db, campaign).await, 30);
        // The bank's balance is the latest line's.
        let overview = statements::overview(&db, &finance, campaign).await.unwrap();
        assert_eq!(
            overview.bank_balance,
            Some(Money::from_satang(written[29].balance))
        );
        assert_eq!(overview.imports.len(), 3);
        books_are_whole(&db).await;
    }
);

// ---------------------------------------------------------------------------------------------
// 3. Automatic matches, candidates, manual match and unmatch.

on_both_engines!(
    unique_credits_match_automatically_and_ambiguous_ones_wait_for_an_officer,
    |db: Db| async move {
        let finance = finance_officer(&db, "match-finance").await;
        let campaign = open_campaign(&db, "จับคู่").await;
        let day = today();
        let unique = [123_456, 98_765, 250_000];
        let mut unique_refs = Vec::new();
        for (i, amount) in unique.into_iter().enumerate() {
            unique_refs.push(pledge(&db, campaign, amount, &format!("ผู้ให้ ลำดับ{i}")).await);
        }
        // Two pledges of one amount, and one credit of it: neither is matched automatically.
        let twin = 77_700;
        let p4 = pledge(&db, campaign, twin, "").await;
        let p5 = pledge(&db, campaign, twin, "").await;
        let stray = 333_333;
        let file = kbiz_file(&with_balances(&[
            credit(day, unique[0], "PromptPay จาก X0001"),
            credit(day, unique[1], "PromptPay จาก X0002"),
            credit(day, twin, "PromptPay จาก X0003"),
            debit(day, twin, "โอนออก ยอดเท่ากัน"),
            credit(day, unique[2], "จาก KTB X0004"),
            credit(day, stray, "จาก X0005 ไม่มีคำมั่น"),
        ]));
        let outcome = statements::import(
            &db,
            &finance,
            campaign,
            "today.csv",
            &file,
            &Mapping::kbiz(),
        )
        .await
        .unwrap();
        assert_eq!((outcome.new_lines, outcome.auto_matched), (6, 3));
        for (amount, reference) in unique.iter().zip(&unique_refs) {
            let (id, state, _, receipts) = donation(&db, reference).await;
            assert_eq!((state.as_str(), receipts), ("received", 1), "{reference}");
            let (_, matched, how) = credit_line(&db, campaign, *amount).await;
            assert_eq!((matched, how.as_deref()), (Some(id), Some("auto")));
        }
        let (twin_line, matched, _) = credit_line(&db, campaign, twin).await;
        assert_eq!(matched, None, "two pledges fit: not matched automatically");
        for p in [&p4, &p5] {
            assert_eq!(donation(&db, p).await.1, "pledged");
        }

        let overview = statements::overview(&db, &finance, campaign).await.unwrap();
        assert_eq!(overview.matched_count, 3);
        assert_eq!(
            overview.matched_total,
            Money::from_satang(unique.iter().sum())
        );
        let view = overview
            .unmatched_credits
            .iter()
            .find(|l| l.id == twin_line)
            .expect("the credit is listed unmatched");
        let mut offered: Vec<&str> = view
            .candidates
            .iter()
            .map(|c| c.reference.as_str())
            .collect();
        offered.sort_unstable();
        let mut both = vec![p4.as_str(), p5.as_str()];
        both.sort_unstable();
        assert_eq!(offered, both, "both pledges are offered");
        assert_eq!(
            overview.unmatched_credits.len(),
            2,
            "the twin and the stray"
        );

        // Refusals: another amount, a debit, an unknown reference.
        let (stray_line, _, _) = credit_line(&db, campaign, stray).await;
        let wrong = fields(
            statements::match_line(
                &db,
                &finance,
                &MatchInput {
                    line_id: stray_line,
                    reference: p4.clone(),
                },
            )
            .await,
        );
        assert_eq!(wrong[0].field, "reference");
        assert!(wrong[0].en.contains("amounts differ"), "{wrong:?}");
        let (debit_line,): (i64,) = sqlx::query_as(
            "select bank_line_id from bank_line where campaign_id = $1 and is_credit = 0",
        )
        .bind(campaign.get())
        .fetch_one(db.reader())
        .await
        .unwrap();
        let on_debit = fields(
            statements::match_line(
                &db,
                &finance,
                &MatchInput {
                    line_id: debit_line,
                    reference: p4.clone(),
                },
            )
            .await,
        );
        assert_eq!(on_debit[0].field, "line_id");
        assert_eq!(
            fields(
                statements::match_line(
                    &db,
                    &finance,
                    &MatchInput {
                        line_id: twin_line,
                        reference: "not a reference".into(),
                    },
                )
                .await
            )[0]
            .field,
            "reference"
        );

        // The officer matches by reference, typed loosely.
        let loose = p5.to_lowercase().replace('-', " ");
        statements::match_line(
            &db,
            &finance,
            &MatchInput {
                line_id: twin_line,
                reference: loose,
            },
        )
        .await
        .unwrap();
        let (p5_id, p5_state, _, p5_receipts) = donation(&db, &p5).await;
        assert_eq!((p5_state.as_str(), p5_receipts), ("received", 1));
        let (_, matched, how) = credit_line(&db, campaign, twin).await;
        assert_eq!((matched, how.as_deref()), (Some(p5_id), Some("manual")));
        assert_eq!(donation(&db, &p4).await.1, "pledged");
        assert_eq!(
            status(
                statements::match_line(
                    &db,
                    &finance,
                    &MatchInput {
                        line_id: twin_line,
                        reference: p4.clone(),
                    },
                )
                .await
            ),
            409,
            "already matched"
        );

        // Unmatch: a reason is needed.
        let short = fields(statements::unmatch(&db, &finance, twin_line, "no").await);
        assert_eq!(short[0].field, "reason");
        assert_eq!(credit_line(&db, campaign, twin).await.1, Some(p5_id));
        let reason = "ผู้โอนคือผู้ให้คำมั่นอีกราย (P4)";
        statements::unmatch(&db, &finance, twin_line, reason)
            .await
            .unwrap();
        let (_, matched, how) = credit_line(&db, campaign, twin).await;
        assert_eq!((matched, how), (None, None));
        let (events, note): (i64, Option<String>) = sqlx::query_as(
            "select count(*), max(note) from bank_match_event
             where bank_line_id = $1 and kind = 'unmatched' and how = 'manual'",
        )
        .bind(twin_line)
        .fetch_one(db.reader())
        .await
        .unwrap();
        assert_eq!((events, note.as_deref()), (1, Some(reason)));
        let (_, p5_state, _, p5_receipts) = donation(&db, &p5).await;
        assert_eq!(
            (p5_state.as_str(), p5_receipts),
            ("received", 1),
            "the donation stays received with its receipt"
        );
        assert_eq!(
            status(statements::unmatch(&db, &finance, twin_line, reason).await),
            409,
            "not matched any more"
        );

        // The credit is open again, offered both; the officer matches the other pledge.
        let overview = statements::overview(&db, &finance, campaign).await.unwrap();
        let view = overview
            .unmatched_credits
            .iter()
            .find(|l| l.id == twin_line)
            .expect("listed unmatched again");
        assert!(view.candidates.iter().any(|c| c.reference == p4));
        assert_eq!(
            overview.unconfirmed_gifts, 1,
            "P5, received, has no bank line"
        );
        statements::match_line(
            &db,
            &finance,
            &MatchInput {
                line_id: twin_line,
                reference: p4.clone(),
            },
        )
        .await
        .unwrap();
        assert_eq!(donation(&db, &p4).await.1, "received");
        assert_eq!(
            count(
                &db,
                "select count(*) from bank_match_event e join bank_line l
                   on l.bank_line_id = e.bank_line_id where l.campaign_id = $1",
                campaign
            )
            .await,
            3 + 1 + 1 + 1,
            "three automatic matches, the manual match, its unmatch, the second match"
        );
        books_are_whole(&db).await;
    }
);

// ---------------------------------------------------------------------------------------------
// 4. A gift from a credit.

on_both_engines!(
    a_gift_from_a_credit_is_received_matched_and_idempotent,
    |db: Db| async move {
        let finance = finance_officer(&db, "gift-finance").await;
        let campaign = open_campaign(&db, "ของขวัญ").await;
        let amount = 150_075;
        let file = kbiz_file(&with_balances(&[
            credit(today(), amount, "จาก X9876 นาย ผู้ให้ ไม่ประสงค์ออกนาม"),
            debit(today(), 2_500, "ค่าธรรมเนียม"),
        ]));
        statements::import(&db, &finance, campaign, "g.csv", &file, &Mapping::kbiz())
            .await
            .unwrap();
        let (line, _, _) = credit_line(&db, campaign, amount).await;
        let input = GiftFromLineInput {
            line_id: line,
            donor_name: "นาย ผู้ให้ ใจดี".into(),
            show_name: Some("on".into()),
            national_id: "1-2345-67890-12-1".into(),
            idempotency_key: key(),
        };
        let donations_before = count_all(&db, "select count(*) from donation").await;
        // A tax ID that fails its check digit is named, and nothing is stored.
        let bad_id = GiftFromLineInput {
            national_id: "1234567890122".into(),
            idempotency_key: key(),
            ..input.clone()
        };
        let refused = fields(statements::gift_from_line(&db, &finance, &bad_id).await);
        assert_eq!(refused[0].field, "national_id", "{refused:?}");
        let reference = statements::gift_from_line(&db, &finance, &input)
            .await
            .unwrap();
        let (id, state, channel, receipts) = donation(&db, &reference).await;
        assert_eq!(
            (state.as_str(), channel.as_str(), receipts),
            ("received", "bank_transfer", 1)
        );
        let (_, matched, how) = credit_line(&db, campaign, amount).await;
        assert_eq!((matched, how.as_deref()), (Some(id), Some("gift")));
        let (amount_stored, received_at): (i64, String) = sqlx::query_as(
            "select amount_satang, received_at from donation where donation_id = $1",
        )
        .bind(id)
        .fetch_one(db.reader())
        .await
        .unwrap();
        assert_eq!(amount_stored, amount);
        let (tax_id,): (Option<String>,) = sqlx::query_as(
            "select dn.national_id from donation d join donor dn on dn.donor_id = d.donor_id
             where d.donation_id = $1",
        )
        .bind(id)
        .fetch_one(db.reader())
        .await
        .unwrap();
        assert_eq!(
            tax_id.as_deref(),
            Some("1234567890121"),
            "kept for the tax receipt"
        );
        let received = chrono::DateTime::parse_from_rfc3339(&received_at).unwrap();
        assert_eq!(
            app::model::thai_date::bangkok_date(received.with_timezone(&chrono::Utc)),
            today(),
            "dated the day the bank shows"
        );
        let events = count(
            &db,
            "select count(*) from bank_match_event e join bank_line l
               on l.bank_line_id = e.bank_line_id where l.campaign_id = $1",
            campaign,
        )
        .await;
        assert_eq!(events, 1);

        // The same form sent again: the same answer, nothing new.
        let again = statements::gift_from_line(&db, &finance, &input)
            .await
            .unwrap();
        assert_eq!(again, reference);
        // A matched donation is not voided while its line points to it.
        assert_eq!(
            status(app::server::donations::void(&db, &finance, &reference, "ทดสอบการยกเลิก").await),
            409
        );
        assert_eq!(
            count_all(&db, "select count(*) from donation").await,
            donations_before + 1
        );
        assert_eq!(donation(&db, &reference).await.3, 1, "one receipt");
        assert_eq!(
            count(
                &db,
                "select count(*) from bank_match_event e join bank_line l
                   on l.bank_line_id = e.bank_line_id where l.campaign_id = $1",
                campaign
            )
            .await,
            events
        );
        // Another key for a matched line, and a debit, are refused.
        let other = GiftFromLineInput {
            idempotency_key: key(),
            ..input.clone()
        };
        assert_eq!(
            status(statements::gift_from_line(&db, &finance, &other).await),
            409
        );
        let (debit_line,): (i64,) = sqlx::query_as(
            "select bank_line_id from bank_line where campaign_id = $1 and is_credit = 0",
        )
        .bind(campaign.get())
        .fetch_one(db.reader())
        .await
        .unwrap();
        let on_debit = GiftFromLineInput {
            line_id: debit_line,
            idempotency_key: key(),
            ..input
        };
        assert_eq!(
            status(statements::gift_from_line(&db, &finance, &on_debit).await),
            409
        );
        assert_eq!(
            count_all(&db, "select count(*) from donation").await,
            donations_before + 1
        );
        books_are_whole(&db).await;
    }
);

// ---------------------------------------------------------------------------------------------
// 5. Bad files.

on_both_engines!(
    bad_files_are_refused_naming_the_row_and_column_and_nothing_is_stored,
    |db: Db| async move {
        let finance = finance_officer(&db, "bad-finance").await;
        let campaign = open_campaign(&db, "ไฟล์เสีย").await;
        let kbiz = Mapping::kbiz();
        let as_utf8 = Mapping {
            encoding: Encoding::Utf8,
            ..Mapping::kbiz()
        };
        let date = today().format("%d/%m/%y").to_string();
        let three_decimals = with_bad_row(&format!(
            ",{date},09:00,รับโอนเงิน,,,\"1,000.005\",,,,K PLUS,,X2"
        ));
        let no_such_day = with_bad_row(",31/02/67,09:00,รับโอนเงิน,,,100.00,,,,K PLUS,,X2");
        let wide = with_bad_row(&format!(
            ",{date},09:00,รับโอนเงิน,,,100.00,,100.00,,K PLUS,,จาก X2, นาย สมชาย ใจดี"
        ));
        let narrow = with_bad_row(&format!(",{date},09:00,รับโอนเงิน,,,100.00"));
        let too_big = vec![b'a'; MAX_FILE_BYTES + 1];
        let header_only = kbiz_head().as_bytes().to_vec();
        // (what, bytes, mapping, texts every message of the refusal must hold between them)
        let cases: Vec<(&str, &[u8], &Mapping, Vec<&str>)> = vec![
            (
                "malformed fixture",
                MALFORMED,
                &kbiz,
                vec![
                    "Row 15",
                    "วันที่",
                    "no such date",
                    "Row 16",
                    "ฝากเงิน",
                    "more than two decimal places",
                    "Row 18",
                    "14 columns but the header row has 13",
                ],
            ),
            ("empty file", &b""[..], &kbiz, vec!["empty"]),
            ("blank lines", &b"\r\n \r\n"[..], &kbiz, vec!["empty"]),
            (
                "TIS-620 read as UTF-8",
                TIS620,
                &as_utf8,
                vec!["not valid UTF-8", "row 1 ", "CSV UTF-8"],
            ),
            (
                "three decimals",
                &three_decimals[..],
                &kbiz,
                vec![
                    "Row 14",
                    "ฝากเงิน",
                    "“1,000.005” has more than two decimal places",
                ],
            ),
            (
                "31 February",
                &no_such_day[..],
                &kbiz,
                vec!["Row 14", "วันที่", "there is no such date as “31/02/67”"],
            ),
            (
                "a wider row",
                &wide[..],
                &kbiz,
                vec!["Row 14 has 14 columns but the header row has 13"],
            ),
            (
                "a narrower row",
                &narrow[..],
                &kbiz,
                vec!["Row 14 has 7 columns but the header row has 13"],
            ),
            ("over the size limit", &too_big[..], &kbiz, vec!["20 MB"]),
            (
                "a header and no lines",
                &header_only[..],
                &kbiz,
                vec!["No transactions"],
            ),
        ];
        for (what, bytes, mapping, texts) in &cases {
            let refused = fields(
                statements::import(&db, &finance, campaign, "bad.csv", bytes, mapping).await,
            );
            assert!(
                refused.iter().all(|f| f.field == "file"),
                "{what}: {refused:?}"
            );
            assert!(refused.iter().all(|f| !f.th.is_empty()), "{what}");
            let said: Vec<&str> = refused.iter().map(|f| f.en.as_str()).collect();
            let said = said.join(" | ");
            for text in texts {
                assert!(said.contains(text), "{what}: {text:?} not in {said:?}");
            }
        }
        // A preview refuses what cannot be read at all, and lists bad rows without refusing.
        for bytes in [&b""[..], &too_big[..], TIS620] {
            let mapping = if bytes == TIS620 { &as_utf8 } else { &kbiz };
            let refused = fields(
                statements::preview(&db, &finance, campaign, "bad.csv", bytes, mapping).await,
            );
            assert_eq!(refused[0].field, "file");
        }
        let preview = statements::preview(&db, &finance, campaign, "m.csv", MALFORMED, &kbiz)
            .await
            .unwrap();
        let rows: Vec<(usize, Option<&str>)> = preview
            .problems
            .iter()
            .map(|p| (p.row, p.column.as_deref()))
            .collect();
        assert_eq!(rows, [(15, Some("วันที่")), (16, Some("ฝากเงิน")), (18, None)]);
        assert_eq!(preview.line_count, 3);
        // A custom mapping without amount columns is refused on its own field.
        let no_amounts = Mapping {
            preset: Preset::Custom,
            withdrawal: None,
            deposit: None,
            amount: None,
            ..Mapping::kbiz()
        };
        let refused =
            fields(statements::import(&db, &finance, campaign, "x.csv", KBIZ, &no_amounts).await);
        assert_eq!(refused[0].field, "amount", "{refused:?}");

        assert_eq!(lines_stored(&db, campaign).await, 0, "no line stored");
        assert_eq!(imports_stored(&db, campaign).await, 0, "no import recorded");
        assert_eq!(count_all(&db, "select count(*) from bank_line").await, 0);
        assert_eq!(
            count_all(&db, "select count(*) from statement_import").await,
            0
        );

        // The TIS-620 file itself imports when its encoding is left to be detected.
        let preview = statements::preview(&db, &finance, campaign, "ktb.csv", TIS620, &kbiz)
            .await
            .unwrap();
        assert_eq!(
            (preview.encoding.as_str(), preview.line_count),
            ("TIS-620", 10)
        );
        let outcome = statements::import(&db, &finance, campaign, "ktb.csv", TIS620, &kbiz)
            .await
            .unwrap();
        assert_eq!(outcome.new_lines, 10);
        let (encoding,): (String,) =
            sqlx::query_as("select encoding from statement_import where statement_import_id = $1")
                .bind(outcome.import_id)
                .fetch_one(db.reader())
                .await
                .unwrap();
        assert_eq!(encoding, "TIS-620");
    }
);

// ---------------------------------------------------------------------------------------------
// 6. Who may reconcile.

on_both_engines!(only_finance_officers_may_reconcile, |db: Db| async move {
    let finance = finance_officer(&db, "perm-finance").await;
    let campaign = open_campaign(&db, "สิทธิ์").await;
    let (hospital,): (i64,) = sqlx::query_as(
        "insert into hospital (facility_code, name_th, subdistrict_code, kind, is_demo,
           created_at, updated_at)
         values ('10001', 'รพ.สต. ทดสอบ', 400101, 'health_promoting', 0, $1, $1)
         returning hospital_id",
    )
    .bind("2026-01-01T00:00:00Z")
    .fetch_one(db.reader())
    .await
    .unwrap();
    let staff = common::account_with_role(
        &db,
        "perm-staff",
        Role::HospitalStaff {
            hospital_id: HospitalId(hospital),
        },
    )
    .await;
    let admin = common::account_with_role(&db, "perm-admin", Role::Administrator).await;

    let matched_amount = 55_500;
    let reference = pledge(&db, campaign, matched_amount, "").await;
    let open_amount = 66_600;
    let other = pledge(&db, campaign, open_amount, "").await;
    let file = kbiz_file(&with_balances(&[
        credit(today(), matched_amount, "X1"),
        credit(today(), open_amount, "X2"),
        credit(today(), open_amount, "X3"),
    ]));
    // Two credits of 666.00 and one pledge: left for an officer.
    let outcome = statements::import(&db, &finance, campaign, "p.csv", &file, &Mapping::kbiz())
        .await
        .unwrap();
    assert_eq!(outcome.auto_matched, 1);
    let (matched_line, _, _) = credit_line(&db, campaign, matched_amount).await;
    let (open_line,): (i64,) = sqlx::query_as(
        "select min(bank_line_id) from bank_line where campaign_id = $1 and donation_id is null",
    )
    .bind(campaign.get())
    .fetch_one(db.reader())
    .await
    .unwrap();
    let snapshot = |db: Db| async move {
        let mut out = Vec::new();
        for sql in [
            "select count(*) from bank_line",
            "select count(*) from bank_line where donation_id is not null",
            "select count(*) from statement_import",
            "select count(*) from bank_match_event",
            "select count(*) from donation",
            "select count(*) from donation where status = 'received'",
            "select count(*) from campaign where pledge_tail = 1",
            "select count(*) from statement_mapping",
        ] {
            out.push(count_all(&db, sql).await);
        }
        out
    };
    let before = snapshot(db.clone()).await;
    let custom = Mapping {
        preset: Preset::Custom,
        ..Mapping::kbiz()
    };
    for (who, caller, expected) in [
        ("anonymous", Caller::anonymous(), 401),
        ("hospital staff", Caller::signed_in(&staff), 403),
        ("administrator", Caller::signed_in(&admin), 403),
    ] {
        let kbiz = Mapping::kbiz();
        let answers = [
            (
                "preview",
                status(statements::preview(&db, &caller, campaign, "a.csv", KBIZ, &kbiz).await),
            ),
            (
                "import",
                status(statements::import(&db, &caller, campaign, "a.csv", KBIZ, &kbiz).await),
            ),
            (
                "import with a custom mapping",
                status(statements::import(&db, &caller, campaign, "a.csv", KBIZ, &custom).await),
            ),
            (
                "overview",
                status(statements::overview(&db, &caller, campaign).await),
            ),
            (
                "mapping",
                status(statements::mapping_for(&db, &caller, campaign).await),
            ),
            (
                "match",
                status(
                    statements::match_line(
                        &db,
                        &caller,
                        &MatchInput {
                            line_id: open_line,
                            reference: other.clone(),
                        },
                    )
                    .await,
                ),
            ),
            (
                "unmatch",
                status(statements::unmatch(&db, &caller, matched_line, "ไม่ใช่รายการนี้ครับ").await),
            ),
            (
                "gift",
                status(
                    statements::gift_from_line(
                        &db,
                        &caller,
                        &GiftFromLineInput {
                            line_id: open_line,
                            idempotency_key: key(),
                            ..Default::default()
                        },
                    )
                    .await,
                ),
            ),
            (
                "pledge tail",
                status(statements::set_pledge_tail(&db, &caller, campaign, true).await),
            ),
        ];
        for (what, got) in answers {
            assert_eq!(got, expected, "{who}: {what}");
        }
    }
    assert_eq!(snapshot(db.clone()).await, before, "nothing changed");
    assert_eq!(donation(&db, &other).await.1, "pledged");
    assert_eq!(donation(&db, &reference).await.1, "received");
    // The officer may do each of them.
    statements::overview(&db, &finance, campaign).await.unwrap();
    statements::match_line(
        &db,
        &finance,
        &MatchInput {
            line_id: open_line,
            reference: other.clone(),
        },
    )
    .await
    .unwrap();
    statements::unmatch(&db, &finance, matched_line, "ไม่ใช่รายการนี้ครับ")
        .await
        .unwrap();
    statements::set_pledge_tail(&db, &finance, campaign, true)
        .await
        .unwrap();
    books_are_whole(&db).await;
});

http_test!(the_upload_routes_let_only_finance_officers_in, |app| {
    let finance = sign_in(&app, "demo-finance", DEMO_PASSWORD).await;
    let staff = sign_in(&app, "demo-staff", DEMO_PASSWORD).await;
    let admin = sign_in(&app, "demo-admin", DEMO_PASSWORD).await;
    let upload = |cookie: Option<String>, what: &'static str, body: &'static [u8]| {
        let request = app
            .client
            .post(format!(
                "{}/finance/campaigns/1/statements/{what}?name=kbiz.csv",
                app.base
            ))
            .header("content-type", "text/csv")
            .body(body);
        let request = match cookie {
            Some(c) => request.header("cookie", c),
            None => request,
        };
        async move { request.send().await.unwrap() }
    };
    let lines = "select count(*) from bank_line";
    let before = count_all(&app.db, lines).await;
    for what in ["preview", "import"] {
        for (cookie, expected) in [
            (None, 401),
            (Some(staff.clone()), 403),
            (Some(admin.clone()), 403),
        ] {
            let response = upload(cookie.clone(), what, KBIZ).await;
            assert_eq!(response.status(), expected, "{what} as {cookie:?}");
        }
    }
    assert_eq!(count_all(&app.db, lines).await, before);
    let response = upload(Some(finance.clone()), "preview", KBIZ).await;
    assert_eq!(response.status(), 200);
    let preview: Value = response.json().await.unwrap();
    assert_eq!(preview["line_count"], 20);
    let response = upload(Some(finance.clone()), "import", KBIZ).await;
    assert_eq!(response.status(), 200);
    let first: Value = response.json().await.unwrap();
    assert_eq!(first["line_count"], 20);
    let response = upload(Some(finance.clone()), "import", KBIZ).await;
    let second: Value = response.json().await.unwrap();
    assert_eq!(second["new_lines"], 0, "{second}");
    assert_eq!(second["known_lines"], 20, "{second}");
    let response = upload(Some(finance.clone()), "import", MALFORMED).await;
    assert_eq!(response.status(), 422);
    let refused: Value = response.json().await.unwrap();
    assert_eq!(refused["Validation"][0]["field"], "file", "{refused}");
    assert_eq!(
        count_all(&app.db, lines).await,
        before + first["new_lines"].as_i64().unwrap()
    );
});

// ---------------------------------------------------------------------------------------------
// 7. Fifty thousand lines.

on_both_engines!(fifty_thousand_lines_import_in_time, |db: Db| async move {
    let finance = finance_officer(&db, "big-finance").await;
    let campaign = open_campaign(&db, "ห้าหมื่นรายการ").await;
    // Twenty pledges of amounts no older line has, paid today at the end of the file.
    let mut references = Vec::new();
    for k in 0..20 {
        references.push(pledge(&db, campaign, 1_000_000 + 101 * k, "").await);
    }
    let start = today() - Duration::days(260);
    let mut moves: Vec<Move> = (0..49_980_i64)
        .map(|i| {
            let on = start + Duration::days(i / 200);
            let satang = 10_000 + i;
            let details = format!("จาก X{i:05} นาย สมชาย ใจดี");
            if i % 5 == 0 {
                debit(on, satang, &details)
            } else {
                credit(on, satang, &details)
            }
        })
        .collect();
    moves.extend((0..20).map(|k| credit(today(), 1_000_000 + 101 * k, "PromptPay")));
    let file = kbiz_file(&with_balances(&moves));
    let started = Instant::now();
    let outcome = statements::import(&db, &finance, campaign, "big.csv", &file, &Mapping::kbiz())
        .await
        .unwrap();
    let elapsed = started.elapsed();
    eprintln!(
        "{:?}: imported 50,000 lines ({} bytes) in {} ms (service says {} ms), {} matched",
        db.engine(),
        file.len(),
        elapsed.as_millis(),
        outcome.millis,
        outcome.auto_matched
    );
    assert_eq!(
        (outcome.line_count, outcome.new_lines, outcome.auto_matched),
        (50_000, 50_000, 20)
    );
    assert!(
        elapsed < std::time::Duration::from_secs(60),
        "50,000 lines took {elapsed:?}"
    );
    assert_eq!(lines_stored(&db, campaign).await, 50_000);
    for reference in &references {
        assert_eq!(donation(&db, reference).await.1, "received");
    }
    let started = Instant::now();
    let again = statements::import(&db, &finance, campaign, "big.csv", &file, &Mapping::kbiz())
        .await
        .unwrap();
    eprintln!(
        "{:?}: the same 50,000 lines again in {} ms",
        db.engine(),
        started.elapsed().as_millis()
    );
    assert_eq!((again.new_lines, again.known_lines), (0, 50_000));
    assert_eq!(lines_stored(&db, campaign).await, 50_000);
    let started = Instant::now();
    let overview = statements::overview(&db, &finance, campaign).await.unwrap();
    eprintln!(
        "{:?}: overview of 50,000 lines in {} ms",
        db.engine(),
        started.elapsed().as_millis()
    );
    assert_eq!(overview.matched_count, 20);
});

// ---------------------------------------------------------------------------------------------
// Concurrency and re-imports.

on_both_engines!(
    concurrent_imports_of_one_file_store_it_once_and_never_fail_with_an_internal_error,
    |db: Db| async move {
        // Two imports of one file at once both find its lines new; the later insert skips what
        // the earlier stored (`on conflict do nothing`), so its officer gets 409 "try again",
        // never a 500, and every line is stored once.
        let finance = finance_officer(&db, "race-finance").await;
        let campaign = open_campaign(&db, "พร้อมกัน").await;
        let amount = 212_121;
        let reference = pledge(&db, campaign, amount, "").await;
        let moves: Vec<Move> = (0..300)
            .map(|i| credit(today(), 10_000 + i, &format!("X{i}")))
            .chain([credit(today(), amount, "X-pledge")])
            .collect();
        let file = kbiz_file(&with_balances(&moves));
        let mut racers = Vec::new();
        for n in 0..4 {
            let (db, finance, file) = (db.clone(), finance.clone(), file.clone());
            racers.push(tokio::spawn(async move {
                statements::import(
                    &db,
                    &finance,
                    campaign,
                    &format!("race-{n}.csv"),
                    &file,
                    &Mapping::kbiz(),
                )
                .await
            }));
        }
        let mut stored = 0;
        let mut answers = Vec::new();
        for racer in racers {
            match racer.await.unwrap() {
                Ok(outcome) => stored += outcome.new_lines,
                Err(e) => answers.push(e),
            }
        }
        assert_eq!(stored, 301, "the lines were stored exactly once");
        assert_eq!(lines_stored(&db, campaign).await, 301);
        assert_eq!(donation(&db, &reference).await.3, 1, "one receipt");
        assert!(
            answers
                .iter()
                .all(|e| e.status() == 409 || e.status() == 503),
            "a lost race is a conflict to retry, not an internal error: {answers:?}"
        );
        books_are_whole(&db).await;
    }
);

on_both_engines!(
    an_unmatched_pair_is_not_matched_again_by_the_next_import,
    |db: Db| async move {
        // A credit an officer has unmatched ("this credit is not that pledge") stays theirs:
        // the next import of any file must not match it again automatically, although the
        // credit and the donation (received now) are again each other's only candidate.
        let finance = finance_officer(&db, "again-finance").await;
        let campaign = open_campaign(&db, "ยกเลิกแล้วจับคู่ซ้ำ").await;
        let amount = 88_800;
        let reference = pledge(&db, campaign, amount, "").await;
        let file = kbiz_file(&with_balances(&[credit(today(), amount, "X1")]));
        let first = statements::import(&db, &finance, campaign, "a.csv", &file, &Mapping::kbiz())
            .await
            .unwrap();
        assert_eq!(first.auto_matched, 1);
        let (line, _, _) = credit_line(&db, campaign, amount).await;
        statements::unmatch(&db, &finance, line, "เงินนี้เป็นของผู้บริจาครายอื่น")
            .await
            .unwrap();
        assert_eq!(credit_line(&db, campaign, amount).await.1, None);
        // The next day's statement, with nothing to do with this credit.
        let next = kbiz_file(&with_balances(&[credit(today(), 12_300, "X2")]));
        let second = statements::import(&db, &finance, campaign, "b.csv", &next, &Mapping::kbiz())
            .await
            .unwrap();
        let (_, matched, how) = credit_line(&db, campaign, amount).await;
        assert_eq!(
            (second.auto_matched, matched, how),
            (0, None, None),
            "the officer's unmatch of {reference} was undone by the next import"
        );
    }
);

on_both_engines!(
    the_bank_balance_is_kept_per_account_and_another_accounts_statement_is_refused,
    |db: Db| async move {
        // The campaign's account ends in 1234 (the K-BIZ head prints it masked). After a payee
        // change to an account ending in 4321, both accounts' balances count, each its own
        // latest; a statement of an account the campaign never had (9999) is refused whole.
        let finance = finance_officer(&db, "accounts-finance").await;
        let campaign = open_campaign(&db, "บัญชีแยกยอด").await;
        let set_account = |number: &'static str| {
            let db = db.clone();
            async move {
                let mut tx = db.begin().await.unwrap();
                sqlx::query("update campaign set bank_account_no = $1 where campaign_id = $2")
                    .bind(number)
                    .bind(campaign.get())
                    .execute(&mut *tx)
                    .await
                    .unwrap();
                tx.commit().await.unwrap();
            }
        };
        set_account("123-4-51234-5").await;
        let kbiz = Mapping::kbiz();
        let of = |account: &str, satang: i64, details: &str| {
            String::from_utf8(kbiz_file(&with_balances(&[credit(
                today(),
                satang,
                details,
            )])))
            .unwrap()
            .replace("xxx-x-x0000-x", account)
            .into_bytes()
        };
        let own = of("xxx-x-x1234-x", 150_000, "X1");
        let fits = statements::preview(&db, &finance, campaign, "own.csv", &own, &kbiz)
            .await
            .unwrap();
        assert_eq!(
            (fits.account.as_deref(), fits.other_account_than),
            (Some("xxx-x-x1234-x"), None)
        );
        statements::import(&db, &finance, campaign, "own.csv", &own, &kbiz)
            .await
            .unwrap();
        set_account("987-6-54321-0").await;
        let new = of("xxx-x-x4321-x", 7_000, "X2");
        statements::import(&db, &finance, campaign, "new.csv", &new, &kbiz)
            .await
            .unwrap();
        let other = of("xxx-x-x9999-x", 9_900, "X3");
        let preview = statements::preview(&db, &finance, campaign, "other.csv", &other, &kbiz)
            .await
            .unwrap();
        assert_eq!(preview.other_account_than.as_deref(), Some("9876543210"));
        let before = imports_stored(&db, campaign).await;
        let refused =
            fields(statements::import(&db, &finance, campaign, "other.csv", &other, &kbiz).await);
        assert_eq!(refused.len(), 1);
        assert_eq!(refused[0].field, "file");
        assert!(refused[0].th.contains("xxx-x-x9999-x"), "{refused:?}");
        assert_eq!(imports_stored(&db, campaign).await, before);
        let desk = statements::overview(&db, &finance, campaign).await.unwrap();
        let accounts: Vec<(Option<&str>, i64)> = desk
            .bank_accounts
            .iter()
            .map(|a| (a.account.as_deref(), a.balance.satang()))
            .collect();
        assert_eq!(
            accounts,
            [(Some("9876543210"), 7_000), (Some("1234512345"), 150_000)]
        );
        assert_eq!(desk.bank_balance.map(|b| b.satang()), Some(157_000));
    }
);

// ---------------------------------------------------------------------------------------------
// 8. Property: random statements, pledges, gifts and officers' actions.

const AMOUNTS: [i64; 4] = [50_000, 50_037, 120_000, 999_999];
const NAMES: [&str; 3] = ["สมชาย ใจดี", "มาลี ศรีสุข", "วิชัย ใจบุญ"];

#[derive(Clone, Debug)]
enum Op {
    /// Match an unmatched credit (picked) to an open donation (picked, of its amount if any).
    Match(usize, usize),
    Unmatch(usize),
    Gift(usize),
    /// Import the first file again.
    Reimport,
}

#[derive(Clone, Debug)]
struct Plan {
    /// (amount, days ago, the donor's name in the details)
    credits: Vec<(usize, i64, Option<usize>)>,
    debits: usize,
    /// (amount, donor's name)
    pledges: Vec<(usize, Option<usize>)>,
    /// Received transfers: (amount, days ago)
    gifts: Vec<(usize, i64)>,
    /// Where the second file starts and the first ends.
    split: (usize, usize),
    ops: Vec<Op>,
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        4 => (any::<usize>(), any::<usize>()).prop_map(|(l, d)| Op::Match(l, d)),
        2 => any::<usize>().prop_map(Op::Unmatch),
        2 => any::<usize>().prop_map(Op::Gift),
        1 => Just(Op::Reimport),
    ]
}

fn plan() -> impl Strategy<Value = Plan> {
    (
        proptest::collection::vec(
            (
                0..AMOUNTS.len(),
                0..3i64,
                proptest::option::of(0..NAMES.len()),
            ),
            1..10,
        ),
        0..3usize,
        proptest::collection::vec(
            (0..AMOUNTS.len(), proptest::option::of(0..NAMES.len())),
            0..7,
        ),
        proptest::collection::vec((0..AMOUNTS.len(), 0..3i64), 0..3),
        (any::<usize>(), any::<usize>()),
        proptest::collection::vec(op(), 0..12),
    )
        .prop_map(|(credits, debits, pledges, gifts, split, ops)| Plan {
            credits,
            debits,
            pledges,
            gifts,
            split,
            ops,
        })
}

#[derive(Debug, Default)]
struct Tally {
    auto: usize,
    manual: usize,
    refused_matches: usize,
    unmatches: usize,
    gifts: usize,
    reimports: usize,
}

async fn unmatched_credits(db: &Db, campaign: CampaignId) -> Vec<(i64, i64)> {
    sqlx::query_as(
        "select bank_line_id, amount_satang from bank_line
         where campaign_id = $1 and is_credit = 1 and donation_id is null order by bank_line_id",
    )
    .bind(campaign.get())
    .fetch_all(db.reader())
    .await
    .unwrap()
}

/// Runs one plan on a campaign of its own; answers what happened.
async fn run_plan(db: &Db, finance: &Caller, n: usize, plan: &Plan) -> (CampaignId, Tally) {
    let mut tally = Tally::default();
    let campaign = open_campaign(db, &format!("สุ่ม {n}")).await;
    let day = today();
    for (amount, name) in &plan.pledges {
        pledge(
            db,
            campaign,
            AMOUNTS[*amount],
            name.map_or("", |i| NAMES[i]),
        )
        .await;
    }
    for (amount, ago) in &plan.gifts {
        received_transfer(
            db,
            finance,
            campaign,
            AMOUNTS[*amount],
            day - Duration::days(*ago),
        )
        .await;
    }
    let mut moves: Vec<Move> = plan
        .credits
        .iter()
        .enumerate()
        .map(|(i, (amount, ago, name))| {
            let details = match name {
                Some(k) => format!("PromptPay จาก X{i:04} นาย {}", NAMES[*k]),
                None => format!("PromptPay จาก X{i:04}"),
            };
            credit(day - Duration::days(*ago), AMOUNTS[*amount], &details)
        })
        .chain((0..plan.debits).map(|i| debit(day, 12_345 + i as i64, "ค่าธรรมเนียม")))
        .collect();
    moves.sort_by_key(|m| m.on);
    let written = with_balances(&moves);
    let len = written.len();
    let lo = plan.split.0 % len;
    let hi = lo + 1 + plan.split.1 % (len - lo);
    let (first, second) = (kbiz_file(&written[..hi]), kbiz_file(&written[lo..]));
    let kbiz = Mapping::kbiz();
    let a = statements::import(db, finance, campaign, "1.csv", &first, &kbiz)
        .await
        .unwrap();
    let b = statements::import(db, finance, campaign, "2.csv", &second, &kbiz)
        .await
        .unwrap();
    assert_eq!((a.new_lines, b.new_lines), (hi, len - hi));
    assert_eq!(b.known_lines, hi - lo);
    assert_eq!(lines_stored(db, campaign).await, len as i64);
    tally.auto += a.auto_matched + b.auto_matched;
    for op in &plan.ops {
        match op {
            Op::Match(l, d) => {
                let lines = unmatched_credits(db, campaign).await;
                if lines.is_empty() {
                    continue;
                }
                let (line, amount) = lines[l % lines.len()];
                let mut c = db.reader().acquire().await.unwrap();
                let open = bank::open_donations_of(&mut c, campaign, &[Money::from_satang(amount)])
                    .await
                    .unwrap();
                drop(c);
                let same: Vec<&bank::Open> = open.iter().collect();
                let reference = if same.is_empty() {
                    let all: Vec<(String,)> = sqlx::query_as(
                        "select reference_code from donation where campaign_id = $1
                         order by donation_id",
                    )
                    .bind(campaign.get())
                    .fetch_all(db.reader())
                    .await
                    .unwrap();
                    match all.get(d % all.len().max(1)) {
                        Some((r,)) => r.clone(),
                        None => continue,
                    }
                } else {
                    same[d % same.len()].donation.reference.clone()
                };
                let input = MatchInput {
                    line_id: line,
                    reference,
                };
                match statements::match_line(db, finance, &input).await {
                    Ok(()) => tally.manual += 1,
                    Err(AppError::Validation(f))
                        if f[0].field == "reference" || f[0].field == "received_on" =>
                    {
                        tally.refused_matches += 1
                    }
                    Err(e @ AppError::StateConflict { .. }) => {
                        panic!("a credit listed unmatched could not be matched: {e:?}")
                    }
                    Err(e) => panic!("match {input:?}: {e:?}"),
                }
            }
            Op::Unmatch(pick) => {
                let matched: Vec<(i64,)> = sqlx::query_as(
                    "select bank_line_id from bank_line where campaign_id = $1
                     and donation_id is not null order by bank_line_id",
                )
                .bind(campaign.get())
                .fetch_all(db.reader())
                .await
                .unwrap();
                if let Some((line,)) = matched.get(pick % matched.len().max(1)) {
                    statements::unmatch(db, finance, *line, "ทดสอบการยกเลิกการจับคู่")
                        .await
                        .unwrap();
                    tally.unmatches += 1;
                }
            }
            Op::Gift(pick) => {
                let lines = unmatched_credits(db, campaign).await;
                if let Some((line, _)) = lines.get(pick % lines.len().max(1)) {
                    let input = GiftFromLineInput {
                        line_id: *line,
                        idempotency_key: key(),
                        ..Default::default()
                    };
                    let reference = statements::gift_from_line(db, finance, &input)
                        .await
                        .unwrap();
                    let again = statements::gift_from_line(db, finance, &input)
                        .await
                        .unwrap();
                    assert_eq!(again, reference, "a replay answers the same gift");
                    tally.gifts += 1;
                }
            }
            Op::Reimport => {
                let again = statements::import(db, finance, campaign, "1.csv", &first, &kbiz)
                    .await
                    .unwrap();
                assert_eq!(again.new_lines, 0);
                tally.auto += again.auto_matched;
                tally.reimports += 1;
            }
        }
    }
    (campaign, tally)
}

/// What must hold for a campaign whatever happened: (matched lines, their satang, the satang of
/// their donations, how many of those are received, received donations without exactly one
/// receipt).
async fn matched_sums(db: &Db, campaign: CampaignId) -> (i64, i64, i64, i64, i64) {
    let (lines, line_sum, donation_sum, received): (i64, i64, i64, i64) = sqlx::query_as(
        "select count(*), cast(coalesce(sum(l.amount_satang), 0) as bigint),
           cast(coalesce(sum(d.amount_satang), 0) as bigint),
           cast(coalesce(sum(case when d.status = 'received' and d.campaign_id = l.campaign_id
             then 1 else 0 end), 0) as bigint)
         from bank_line l join donation d on d.donation_id = l.donation_id
         where l.campaign_id = $1",
    )
    .bind(campaign.get())
    .fetch_one(db.reader())
    .await
    .unwrap();
    let receiptless = count(
        db,
        "select count(*) from donation d where d.campaign_id = $1 and d.status = 'received'
           and (select count(*) from receipt r where r.donation_id = d.donation_id) <> 1",
        campaign,
    )
    .await;
    (lines, line_sum, donation_sum, received, receiptless)
}

on_both_engines!(
    no_donation_is_matched_twice_and_matches_add_up,
    |db: Db| async move {
        let finance = finance_officer(&db, "prop-finance").await;
        let handle = tokio::runtime::Handle::current();
        let mut runner = TestRunner::new(Config {
            cases: 48,
            ..Config::default()
        });
        let case = std::sync::atomic::AtomicUsize::new(0);
        let total = Mutex::new(Tally::default());
        let started = Instant::now();
        let result = tokio::task::block_in_place(|| {
            runner
                .run(&plan(), |plan| {
                    let n = case.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                    let (db, finance) = (db.clone(), finance.clone());
                    let (tally, sums, twice, problems, overview) = handle.block_on(async move {
                        let (campaign, tally) = run_plan(&db, &finance, n, &plan).await;
                        let sums = matched_sums(&db, campaign).await;
                        let twice = count_all(
                            &db,
                            "select count(*) from (select donation_id from bank_line
                           where donation_id is not null group by donation_id
                           having count(*) > 1) as twice",
                        )
                        .await;
                        let mut problems = ledger::check(&db)
                            .await
                            .unwrap()
                            .into_iter()
                            .map(|v| format!("{v:?}"))
                            .collect::<Vec<_>>();
                        let mut c = db.reader().acquire().await.unwrap();
                        problems.extend(bank::problems(&mut c).await.unwrap());
                        drop(c);
                        let overview = statements::overview(&db, &finance, campaign).await.unwrap();
                        (tally, sums, twice, problems, overview)
                    });
                    let (lines, line_sum, donation_sum, received, receiptless) = sums;
                    prop_assert_eq!(twice, 0, "a donation matched to two bank lines");
                    prop_assert_eq!(line_sum, donation_sum, "matched lines and their donations");
                    prop_assert_eq!(received, lines, "every matched donation is received");
                    prop_assert_eq!(receiptless, 0, "a received donation without one receipt");
                    prop_assert!(problems.is_empty(), "{:?}", problems);
                    prop_assert_eq!(overview.matched_count, lines);
                    prop_assert_eq!(overview.matched_total.satang(), line_sum);
                    let mut t = total.lock().unwrap();
                    t.auto += tally.auto;
                    t.manual += tally.manual;
                    t.refused_matches += tally.refused_matches;
                    t.unmatches += tally.unmatches;
                    t.gifts += tally.gifts;
                    t.reimports += tally.reimports;
                    Ok(())
                })
                .map_err(|e| e.to_string())
        });
        if let Err(e) = result {
            panic!("{e}");
        }
        let total = total.into_inner().unwrap();
        eprintln!(
            "{:?}: {} cases in {} ms: {total:?}",
            db.engine(),
            case.into_inner(),
            started.elapsed().as_millis()
        );
        assert!(
            total.auto > 0 && total.manual > 0 && total.unmatches > 0 && total.gifts > 0,
            "every kind of operation took effect: {total:?}"
        );
    }
);

on_both_engines!(
    a_row_that_repeats_its_neighbour_is_stored_only_when_said_real,
    |db: Db| async move {
        let finance = finance_officer(&db, "repeat-finance").await;
        let campaign = open_campaign(&db, "แถวซ้ำ").await;
        let written = with_balances(&[
            credit(today(), 50_000, "จาก X1 นาย ทดสอบ"),
            credit(today(), 20_000, "จาก X2"),
        ]);
        // A copy of the first row right after it: the same time, amount and balance.
        let mut rows = written.clone();
        rows.insert(1, written[0].clone());
        let file = kbiz_file(&rows);
        let kbiz = Mapping::kbiz();
        let preview = statements::preview(&db, &finance, campaign, "r.csv", &file, &kbiz)
            .await
            .unwrap();
        assert_eq!(preview.repeated.len(), 1, "the copy is flagged");
        assert!(preview.problems.is_empty());
        let outcome = statements::import(&db, &finance, campaign, "r.csv", &file, &kbiz)
            .await
            .unwrap();
        assert_eq!((outcome.new_lines, outcome.skipped_repeats), (2, 1));
        assert_eq!(lines_stored(&db, campaign).await, 2, "no phantom credit");
        // The officer says it is real: it is stored, once.
        let kept = statements::import_with(&db, &finance, campaign, "r.csv", &file, &kbiz, true)
            .await
            .unwrap();
        assert_eq!((kept.new_lines, kept.known_lines), (1, 2));
        assert_eq!(lines_stored(&db, campaign).await, 3);
        books_are_whole(&db).await;
    }
);

on_both_engines!(
    forty_suggestions_are_confirmed_as_one_group,
    |db: Db| async move {
        let finance = finance_officer(&db, "group-finance").await;
        let campaign = open_campaign(&db, "ยืนยันทั้งกลุ่ม").await;
        // Forty pledges typed as they are (the tail off): alone with their amounts, yet not
        // matched on their own; each is the one suggestion for its credit.
        let mut references = Vec::new();
        for n in 0..40 {
            references.push(pledge_at_midnight(&db, campaign, 100_000 + n * 1_00, "", false).await);
        }
        let mut moves: Vec<Move> = (0..40)
            .map(|n| credit(today(), 100_000 + n * 1_00, &format!("จาก X{n:04}")))
            .collect();
        // Twenty more credits that no pledge explains.
        moves.extend((0..20).map(|n| credit(today(), 700_000 + n, "จาก X9999")));
        let file = kbiz_file(&with_balances(&moves));
        let outcome = statements::import(
            &db,
            &finance,
            campaign,
            "sixty.csv",
            &file,
            &Mapping::kbiz(),
        )
        .await
        .unwrap();
        assert_eq!((outcome.new_lines, outcome.auto_matched), (60, 0));
        let desk = statements::overview(&db, &finance, campaign).await.unwrap();
        let pairs: Vec<MatchInput> = desk
            .unmatched_credits
            .iter()
            .filter_map(|l| {
                let s = l.suggested.as_ref()?;
                assert_eq!(s.evidence, app::model::statement::Evidence::UniqueAmount);
                Some(MatchInput {
                    line_id: l.id,
                    reference: s.reference.clone(),
                })
            })
            .collect();
        assert_eq!(pairs.len(), 40);
        let input = app::model::statement::ConfirmGroupInput {
            campaign_id: campaign,
            pairs,
        };
        let done = statements::confirm_group(&db, &finance, &input)
            .await
            .unwrap();
        assert_eq!((done.matched, done.refused.len()), (40, 0));
        for reference in &references {
            assert_eq!(donation(&db, reference).await.1, "received");
        }
        // The same group again changes nothing: each pair is refused, none matched twice.
        let again = statements::confirm_group(&db, &finance, &input)
            .await
            .unwrap();
        assert_eq!((again.matched, again.refused.len()), (0, 40));
        books_are_whole(&db).await;
    }
);
