//! A campaign's report, the acknowledgement of its discrepancies, and its settlement.
//!
//! The report is built from the books each time a finance officer opens it. Settling builds it
//! once more inside the settling transaction (after taking the campaign's row, so nothing can
//! change the books meanwhile), refuses unless it balances and every discrepancy is
//! acknowledged, carries the balance on when asked, marks the campaign settled and stores the
//! public report as it stood. The public page shows that stored report, never a live one.
//!
//! Longer than most files: the report and the settlement belong together, since settling builds the
//! same report again inside its transaction and stores it.

use super::Caller;
use crate::error::AppError;
use crate::model::account::Action;
use crate::model::equipment::reason;
use crate::model::form::FieldErrors;
use crate::model::report::{
    AcknowledgeInput, CampaignReport, DayIn, Discrepancy, MoneyLine, Problem, SettleInput, Settled,
    UNCONFIRMED_AFTER_DAYS,
};
use crate::model::settlement::{blocked_message, Blocker};
use crate::model::status::{CampaignStatus, DonationChannel};
use crate::model::{CampaignId, Localized, Money};
use crate::server::audit::{self, Event};
use crate::server::db::campaign::admin;
use crate::server::db::report::{self as db, LIST_LIMIT};
use crate::server::db::{bank, donation, journal, time, Db, Tx};
use crate::server::ledger;
use chrono::{Duration, NaiveDate};
use sqlx::AnyConnection;

/// The report of a campaign for a finance officer, live.
pub async fn report(
    db: &Db,
    caller: &Caller,
    campaign: CampaignId,
) -> Result<CampaignReport, AppError> {
    caller.require(Action::Reconcile)?;
    let mut c = db.reader().acquire().await?;
    let today = crate::server::today();
    let mut report = build(&mut c, campaign, today)
        .await?
        .ok_or(AppError::NotFound)?;
    if let Some((by, at, _)) = db::settlement(&mut c, campaign).await? {
        report.settled = Some(Settled { by, at });
    }
    Ok(report)
}

/// The report a settled campaign published; 404 until the campaign is settled.
pub async fn public_report(db: &Db, campaign: CampaignId) -> Result<CampaignReport, AppError> {
    let mut c = db.reader().acquire().await?;
    let (_, _, json) = db::settlement(&mut c, campaign)
        .await?
        .ok_or(AppError::NotFound)?;
    let stored: CampaignReport = serde_json::from_str(&json)
        .map_err(|e| crate::server::internal(format!("settled report {campaign}: {e}")))?;
    // Made public again on the way out: a report stored before reasons needed the officer's
    // leave to be published loses them here too.
    Ok(stored.public())
}

/// How many of a campaign's discrepancies wait for a written decision (0 for a draft).
pub(crate) async fn open_discrepancies(
    c: &mut AnyConnection,
    campaign: CampaignId,
) -> Result<i64, AppError> {
    let report = build(c, campaign, crate::server::today()).await?;
    Ok(report.map_or(0, |r| {
        i64::try_from(r.open_discrepancies()).unwrap_or(i64::MAX)
    }))
}

/// Builds the report from the books; `None` for an unknown campaign or a draft.
async fn build(
    c: &mut AnyConnection,
    campaign: CampaignId,
    today: NaiveDate,
) -> Result<Option<CampaignReport>, AppError> {
    let Some((title, status)) = db::campaign(c, campaign).await? else {
        return Ok(None);
    };
    if status == CampaignStatus::Draft.code() {
        return Ok(None);
    }
    let mut blockers = Vec::new();
    if status == CampaignStatus::Open.code() {
        blockers.push(Blocker::StillOpen);
    }
    if status != CampaignStatus::Settled.code() {
        blockers.extend(crate::server::db::settlement::blockers(c, campaign).await?);
    }
    let mut money_in = Vec::new();
    let mut in_kind = MoneyLine {
        label: channel_label(DonationChannel::InKind),
        count: 0,
        amount: Money::ZERO,
    };
    for (code, count, satang) in db::money_in(c, campaign).await? {
        let channel = DonationChannel::from_code(&code).ok_or_else(|| {
            crate::server::internal(format!("donation channel {code} is unknown"))
        })?;
        let line = MoneyLine {
            label: channel_label(channel),
            count,
            amount: Money::from_satang(satang),
        };
        if channel == DonationChannel::InKind {
            in_kind = line;
        } else {
            money_in.push(line);
        }
    }
    let carries = db::carries(c, campaign).await?;
    let (carried_in, carried_out) = carries.into_iter().partition(|c| c.incoming);
    let journal_cash = journal::fund_cash(c, campaign).await?;
    let bank = bank::bank_balance(c, campaign)
        .await?
        .map(|(balance, on)| (balance, time::date(on)));
    let mut report = CampaignReport {
        campaign,
        title,
        money_in,
        carried_in,
        spent: db::spent(c, campaign).await?,
        carried_out,
        in_kind,
        held: db::held(c, campaign).await?,
        journal_cash,
        bank: bank.clone(),
        units: db::units(c, campaign).await?,
        hospitals: db::hospitals(c, campaign).await?,
        money_in_days: money_in_days(db::money_in_hours(c, campaign).await?)?,
        districts: db::districts(c, campaign).await?,
        discrepancies: Vec::new(),
        more_discrepancies: 0,
        blockers,
        settled: None,
    };
    let mut problems = Vec::new();
    let (credits, more_credits) = db::unmatched_credits(c, campaign).await?;
    problems.extend(credits);
    let lapse_days = donation::pledge_matching(c, campaign).await?.lapse_days;
    let lapsed_before = time::instant(chrono::Utc::now() - Duration::days(lapse_days));
    let (pledges, more_pledges) = db::open_pledges(c, campaign, &lapsed_before).await?;
    problems.extend(pledges);
    let (count, total, set) = db::lapsed_pledges(c, campaign, &lapsed_before).await?;
    if count > 0 {
        problems.push(Problem::LapsedPledges {
            count,
            total,
            after_days: lapse_days,
            set,
        });
    }
    let before = time::date(today - Duration::days(UNCONFIRMED_AFTER_DAYS));
    problems.extend(db::unconfirmed(c, campaign, &before).await?);
    problems.extend(db::without_invoice(c, campaign).await?);
    problems.extend(db::voided_receipts(c, campaign).await?);
    problems.extend(db::unfilled_requests(c, campaign).await?);
    match bank {
        None if report.total_in() != Money::ZERO || journal_cash != Money::ZERO => {
            problems.push(Problem::NoStatement);
        }
        Some((balance, on)) if balance != journal_cash => problems.push(Problem::BankDiffers {
            bank: balance,
            books: journal_cash,
            on,
        }),
        _ => {}
    }
    let acks: std::collections::HashMap<_, _> = db::acknowledgements(c, campaign)
        .await?
        .into_iter()
        .collect();
    report.discrepancies = problems
        .into_iter()
        .map(|problem| {
            let key = problem.key();
            Discrepancy {
                acknowledged: acks.get(&key).cloned(),
                key,
                problem,
            }
        })
        .collect();
    report.more_discrepancies = more_credits.max(0) + more_pledges.max(0);
    Ok(Some(report))
}

/// Folds money per UTC hour (`YYYY-MM-DDTHH`) into money per Bangkok day (UTC+7, no daylight
/// saving), keeping channels apart; oldest first.
fn money_in_days(hours: Vec<(String, String, i64)>) -> Result<Vec<DayIn>, AppError> {
    let mut days: std::collections::BTreeMap<(NaiveDate, &'static str), (DonationChannel, i64)> =
        std::collections::BTreeMap::new();
    for (hour, code, satang) in hours {
        let at = chrono::NaiveDateTime::parse_from_str(&format!("{hour}:00"), "%Y-%m-%dT%H:%M")
            .map_err(|e| crate::server::internal(format!("received_at hour {hour}: {e}")))?;
        let channel = DonationChannel::from_code(&code).ok_or_else(|| {
            crate::server::internal(format!("donation channel {code} is unknown"))
        })?;
        let on = (at + Duration::hours(7)).date();
        days.entry((on, channel.code())).or_insert((channel, 0)).1 += satang;
    }
    Ok(days
        .into_iter()
        .map(|((on, _), (channel, satang))| DayIn {
            on,
            channel,
            amount: Money::from_satang(satang),
        })
        .collect())
}

fn channel_label(channel: DonationChannel) -> Localized {
    Localized::new(
        channel.label(crate::model::Lang::Th),
        channel.label(crate::model::Lang::En),
    )
}

/// Records a finance officer's written reason for accepting one discrepancy of the report as it
/// stands. Acknowledging the same discrepancy again changes nothing.
pub async fn acknowledge(
    db: &Db,
    caller: &Caller,
    input: &AcknowledgeInput,
) -> Result<(), AppError> {
    let user = caller.require(Action::Reconcile)?;
    let mut e = FieldErrors::default();
    let why = reason(&mut e, "reason", &input.reason);
    e.finish()?;
    let campaign = CampaignId(input.campaign_id);
    let mut tx = db.begin().await?;
    ledger::books_open(&mut tx, campaign).await?;
    let today = crate::server::today();
    let report = build(&mut tx, campaign, today)
        .await?
        .ok_or(AppError::NotFound)?;
    if !report.discrepancies.iter().any(|d| d.key == input.key) {
        return Err(AppError::state(
            "รายการนี้ไม่อยู่ในรายงานแล้ว กรุณาโหลดหน้าใหม่",
            "This discrepancy is no longer in the report; reload the page.",
        ));
    }
    let account = user.account_id.0;
    if db::acknowledge(&mut tx, campaign, &input.key, &why, input.publish, account).await? {
        audit::record(
            &mut tx,
            &Event::by(
                caller,
                "discrepancy_acknowledged",
                "campaign",
                campaign,
                format!("{}: {why}", input.key),
            ),
        )
        .await?;
    }
    tx.commit().await?;
    Ok(())
}

/// Settles a campaign: only when its report balances and every discrepancy is acknowledged,
/// with nothing still awaiting approval. Its balance goes to `carry_to` when one is named.
/// Answers the money carried.
pub async fn settle(db: &Db, caller: &Caller, input: &SettleInput) -> Result<Money, AppError> {
    let user = caller.require(Action::Reconcile)?;
    let campaign = CampaignId(input.campaign_id);
    let carry_to = match input.carry_to.trim() {
        "" => None,
        text => Some(text.parse::<i64>().map(CampaignId).map_err(|_| {
            AppError::field(
                "carry_to",
                "เลือกกองผ้าป่าที่จะรับยอดคงเหลือ",
                "Choose the campaign that takes the balance.",
            )
        })?),
    };
    // The report reads the rows kept beside the journal: before it is published for good, they
    // must still be the books (a server older than migration 17 would not keep them). Read in a
    // snapshot before the writer is taken: it reads all of the campaign's gifts.
    let mut snapshot = db.snapshot().await?;
    let agree = journal::kept_rows_agree(&mut snapshot, campaign).await?;
    snapshot.commit().await?;
    if !agree {
        tracing::error!(%campaign, "kept totals differ from the books; settling refused");
        return Err(AppError::state(
            "ยอดรวมที่ระบบเก็บไว้ไม่ตรงกับบัญชี จึงยังปิดบัญชีไม่ได้ กรุณาให้ผู้ดูแลระบบตรวจด้วย check-ledger",
            "The kept totals differ from the books, so the campaign cannot be settled yet; an administrator should run check-ledger.",
        ));
    }
    let mut tx = db.begin().await?;
    // Takes the campaign's row first (`for update`), before reading anything: from here until
    // the commit nothing else can change this campaign's books (their writers read its status
    // first, `for share` on PostgreSQL, and so wait for this transaction).
    let row = admin::lock(&mut tx, campaign)
        .await?
        .ok_or(AppError::NotFound)?;
    match row.status {
        CampaignStatus::Draft => return Err(AppError::NotFound),
        CampaignStatus::Settled => return Err(ledger::settled()),
        CampaignStatus::Open | CampaignStatus::Closed => {}
    }
    let today = crate::server::today();
    let mut report = build(&mut tx, campaign, today)
        .await?
        .ok_or(AppError::NotFound)?;
    if !report.blockers.is_empty() {
        // Live work a settlement would strand: named, each, in both languages.
        let b = &report.blockers;
        return Err(AppError::state(
            &blocked_message(b, crate::model::Lang::Th),
            &blocked_message(b, crate::model::Lang::En),
        ));
    }
    if report.held != Money::ZERO {
        return Err(AppError::state(
            "ยังมีการจัดซื้อที่รออนุมัติ ต้องอนุมัติหรือยกเลิกก่อนปิดบัญชี",
            "A purchase still awaits approval; approve or void it before settling.",
        ));
    }
    if !report.balances() {
        return Err(AppError::state(
            "ยอดในรายงานไม่ตรงกับสมุดบัญชี ปิดบัญชีไม่ได้ (ตรวจด้วย check-ledger)",
            "The report does not agree with the journal, so the campaign cannot be settled (run check-ledger).",
        ));
    }
    let open = report.open_discrepancies();
    if open > 0 {
        return Err(AppError::state(
            &format!("ยังมีรายการผิดปกติที่ยังไม่ได้ชี้แจง {open} รายการ"),
            &format!("{open} discrepancies are not acknowledged yet."),
        ));
    }
    let taken = sqlx::query(
        "update campaign set status = 'settled' where campaign_id = $1 and status = 'closed'",
    )
    .bind(campaign.get())
    .execute(&mut *tx)
    .await?;
    if taken.rows_affected() != 1 {
        return Err(AppError::state(
            "กองผ้าป่านี้เพิ่งถูกเปลี่ยนสถานะ กรุณาโหลดหน้าใหม่",
            "This campaign changed meanwhile; reload the page.",
        ));
    }
    let balance = report.balance();
    let mut carried = Money::ZERO;
    if let Some(to) = carry_to {
        carried = carry(&mut tx, caller, campaign, to, balance).await?;
    }
    if carried != Money::ZERO {
        report.carried_out = db::carries(&mut tx, campaign)
            .await?
            .into_iter()
            .filter(|c| !c.incoming)
            .collect();
        report.journal_cash = journal::fund_cash(&mut tx, campaign).await?;
    }
    let at = time::now();
    report.settled = Some(Settled {
        by: user.display_name.clone(),
        at: at.clone(),
    });
    let public = serde_json::to_string(&report.clone().public())
        .map_err(|e| crate::server::internal(format!("settled report: {e}")))?;
    db::insert_settlement(
        &mut tx,
        campaign,
        user.account_id.0,
        &user.display_name,
        &at,
        &public,
    )
    .await?;
    audit::record(
        &mut tx,
        &Event::by(
            caller,
            "campaign_settled",
            "campaign",
            campaign,
            format!(
                "in {} · out {} · balance {balance} · carried {carried}{}",
                report.total_in(),
                report.total_out(),
                carry_to
                    .map(|t| format!(" to campaign {t}"))
                    .unwrap_or_default()
            ),
        ),
    )
    .await?;
    tx.commit().await?;
    Ok(carried)
}

/// Carries `balance` from a campaign being settled to `to`, which must be another campaign that
/// is open or closed. Answers what was carried (nothing for a zero balance).
async fn carry(
    tx: &mut Tx,
    caller: &Caller,
    from: CampaignId,
    to: CampaignId,
    balance: Money,
) -> Result<Money, AppError> {
    let bad = |th: &str, en: &str| AppError::field("carry_to", th, en);
    if to == from {
        return Err(bad(
            "ยกยอดไปยังกองผ้าป่าเดียวกันไม่ได้",
            "The balance cannot be carried to the same campaign.",
        ));
    }
    match ledger::campaign_status(tx, to).await {
        Ok(CampaignStatus::Open | CampaignStatus::Closed) => {}
        Ok(_) => {
            return Err(bad(
                "กองผ้าป่าที่เลือกปิดบัญชีแล้ว",
                "The chosen campaign is settled.",
            ))
        }
        Err(AppError::NotFound) => {
            return Err(bad("ไม่พบกองผ้าป่าที่เลือก", "There is no such campaign."))
        }
        Err(e) => return Err(e),
    }
    if balance.satang() < 0 {
        return Err(crate::server::internal(
            "a campaign's balance is below zero",
        ));
    }
    if balance == Money::ZERO {
        return Ok(Money::ZERO);
    }
    let user = caller.require(Action::Reconcile)?;
    ledger::carry(
        tx,
        from,
        to,
        balance,
        user.account_id.0,
        &format!("carried from campaign {from} to campaign {to} at settlement"),
    )
    .await?;
    Ok(balance)
}

/// Campaigns that can take a settled campaign's balance: open or closed, not this one.
pub async fn carry_targets(
    db: &Db,
    caller: &Caller,
    campaign: CampaignId,
) -> Result<Vec<(CampaignId, Localized)>, AppError> {
    caller.require(Action::Reconcile)?;
    let rows: Vec<(i64, String, Option<String>)> = sqlx::query_as(
        "select campaign_id, title_th, title_en from campaign
         where status in ('open', 'closed') and campaign_id <> $1 order by campaign_id desc limit $2",
    )
    .bind(campaign.get())
    .bind(LIST_LIMIT)
    .fetch_all(db.reader())
    .await?;
    Ok(rows
        .into_iter()
        .map(|(id, th, en)| {
            (
                CampaignId(id),
                Localized {
                    th,
                    en: en.filter(|e| !e.trim().is_empty()),
                },
            )
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hours_fold_into_bangkok_days_by_channel() {
        let hours = vec![
            // 16:00 UTC is 23:00 in Bangkok: still the 1st.
            ("2026-10-01T16".to_owned(), "cash".to_owned(), 100),
            // 17:00 UTC is midnight in Bangkok: the 2nd.
            ("2026-10-01T17".to_owned(), "cash".to_owned(), 200),
            ("2026-10-02T03".to_owned(), "cash".to_owned(), 300),
            ("2026-10-02T03".to_owned(), "promptpay".to_owned(), 5),
        ];
        let days = money_in_days(hours).unwrap();
        let d = |day| NaiveDate::from_ymd_opt(2026, 10, day).unwrap();
        let got: Vec<_> = days
            .iter()
            .map(|p| (p.on, p.channel, p.amount.satang()))
            .collect();
        assert_eq!(
            got,
            vec![
                (d(1), DonationChannel::Cash, 100),
                (d(2), DonationChannel::Cash, 500),
                (d(2), DonationChannel::PromptPay, 5),
            ]
        );
        assert!(money_in_days(vec![("nonsense".into(), "cash".into(), 1)]).is_err());
        assert!(money_in_days(vec![("2026-10-01T01".into(), "gold".into(), 1)]).is_err());
    }
}
