//! The bank half of `check-ledger`: every matched line points to one donation of its campaign
//! and amount, no donation is matched twice or while voided, and every line's match agrees with
//! its history.

use sqlx::AnyConnection;

/// What is wrong with the matches, for `check-ledger`: a line matched to a donation of another
/// campaign or amount, a donation matched twice, a debit matched, or a line whose match
/// disagrees with its last event.
pub async fn problems(c: &mut AnyConnection) -> Result<Vec<String>, sqlx::Error> {
    let mut out = Vec::new();
    let wrong: Vec<(i64, i64)> = sqlx::query_as(
        "select l.bank_line_id, l.donation_id from bank_line l join donation d on d.donation_id = l.donation_id
         where d.campaign_id <> l.campaign_id or d.amount_satang <> l.amount_satang or l.is_credit <> 1",
    )
    .fetch_all(&mut *c)
    .await?;
    for (line, donation) in wrong {
        out.push(format!(
            "bank line {line} is matched to donation {donation} of another campaign or amount"
        ));
    }
    let twice: Vec<(i64, i64)> = sqlx::query_as(
        "select donation_id, count(*) from bank_line where donation_id is not null
         group by donation_id having count(*) > 1",
    )
    .fetch_all(&mut *c)
    .await?;
    let voided: Vec<(i64, i64)> = sqlx::query_as(
        "select l.bank_line_id, l.donation_id from bank_line l
         join donation d on d.donation_id = l.donation_id where d.status = 'voided'",
    )
    .fetch_all(&mut *c)
    .await?;
    for (line, donation) in voided {
        out.push(format!(
            "bank line {line} is matched to donation {donation}, which is voided"
        ));
    }
    for (donation, n) in twice {
        out.push(format!("donation {donation} is matched to {n} bank lines"));
    }
    let disagree: Vec<(i64,)> = sqlx::query_as(
        "select l.bank_line_id from bank_line l
         left join bank_match_event e on e.bank_match_event_id = (
             select max(bank_match_event_id) from bank_match_event where bank_line_id = l.bank_line_id)
         where (l.donation_id is null and e.kind = 'matched')
            or (l.donation_id is not null and (e.kind is null or e.kind <> 'matched'
                or e.donation_id <> l.donation_id))",
    )
    .fetch_all(&mut *c)
    .await?;
    for (line,) in disagree {
        out.push(format!(
            "bank line {line}'s match disagrees with its history"
        ));
    }
    Ok(out)
}
