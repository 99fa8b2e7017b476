//! The queries behind a campaign's report, its acknowledgements, its settlement and carry-overs.
//! Each reads one campaign through one connection, so the settlement can run them inside its
//! write transaction and the report page on a reader.
//!
//! Longer than most files, but each query is short: the settlement reads them all in its one
//! transaction and writes its own rows here too, so this file is the whole of a report's storage.

use super::time;
use crate::model::ledger::LedgerAccount;
use crate::model::procurement::PLACEHOLDER_INVOICES;
use crate::model::report::{
    Acknowledgement, Carry, DistrictPoint, HospitalLine, MoneyLine, Problem, UnitCounts,
};
use crate::model::{CampaignId, Localized, Money};
use sqlx::AnyConnection;

/// How many discrepancies of one kind the report lists.
pub const LIST_LIMIT: i64 = 200;

fn localized(th: String, en: Option<String>) -> Localized {
    Localized {
        th,
        en: en.filter(|e| !e.trim().is_empty()),
    }
}

/// The campaign's title and status, if it exists.
pub async fn campaign(
    c: &mut AnyConnection,
    id: CampaignId,
) -> Result<Option<(Localized, String)>, sqlx::Error> {
    let row: Option<(String, Option<String>, String)> =
        sqlx::query_as("select title_th, title_en, status from campaign where campaign_id = $1")
            .bind(id.get())
            .fetch_optional(c)
            .await?;
    Ok(row.map(|(th, en, status)| (localized(th, en), status)))
}

pub use super::money_hour::{money_in, money_in_hours};

/// Every district of the provinces the campaign's hospitals are in (those it serves and those
/// that hold its units), each at the mean of its sub-districts' coordinates.
pub async fn districts(
    c: &mut AnyConnection,
    id: CampaignId,
) -> Result<Vec<DistrictPoint>, sqlx::Error> {
    let rows: Vec<(String, String, i64, i64, i64)> = sqlx::query_as(
        "select d.name_th, d.name_en, cast(sum(s.latitude_e6) as bigint),
           cast(sum(s.longitude_e6) as bigint), count(*)
         from district d join subdistrict s on s.district_code = d.district_code
         where s.latitude_e6 is not null and s.longitude_e6 is not null
           and d.province_code in (
             select d2.province_code from hospital h
             join subdistrict s2 on s2.subdistrict_code = h.subdistrict_code
             join district d2 on d2.district_code = s2.district_code
             where h.hospital_id in (select hospital_id from campaign_hospital where campaign_id = $1)
                or h.hospital_id in (select hospital_id from equipment_unit
                                     where campaign_id = $1 and hospital_id is not null))
         group by d.district_code, d.name_th, d.name_en
         order by d.district_code",
    )
    .bind(id.get())
    .fetch_all(c)
    .await?;
    Ok(rows
        .into_iter()
        .filter(|r| r.4 > 0)
        .map(|(th, en, lat, lon, n)| DistrictPoint {
            name: localized(th, Some(en)),
            latitude_e6: lat / n,
            longitude_e6: lon / n,
        })
        .collect())
}

/// Approved purchases by vendor, largest first.
pub async fn spent(c: &mut AnyConnection, id: CampaignId) -> Result<Vec<MoneyLine>, sqlx::Error> {
    let rows: Vec<(String, i64, i64)> = sqlx::query_as(
        "select vendor_name, count(*), cast(sum(total_satang) as bigint) as total from purchase
         where campaign_id = $1 and status = 'approved'
         group by vendor_name order by total desc, vendor_name",
    )
    .bind(id.get())
    .fetch_all(c)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(vendor, count, total)| MoneyLine {
            label: Localized {
                th: vendor,
                en: None,
            },
            count,
            amount: Money::from_satang(total),
        })
        .collect())
}

/// Money held for purchases awaiting a second officer.
pub async fn held(c: &mut AnyConnection, id: CampaignId) -> Result<Money, sqlx::Error> {
    let (n,): (i64,) = sqlx::query_as(
        "select cast(coalesce(sum(total_satang), 0) as bigint) from purchase
         where campaign_id = $1 and status = 'awaiting_approval'",
    )
    .bind(id.get())
    .fetch_one(c)
    .await?;
    Ok(Money::from_satang(n))
}

/// Units by status (void units are not counted).
pub async fn units(c: &mut AnyConnection, id: CampaignId) -> Result<UnitCounts, sqlx::Error> {
    let rows: Vec<(String, i64)> = sqlx::query_as(
        "select status, count(*) from equipment_unit where campaign_id = $1 group by status",
    )
    .bind(id.get())
    .fetch_all(c)
    .await?;
    let mut counts = UnitCounts::default();
    for (status, n) in rows {
        match status.as_str() {
            "in_stock" => counts.in_stock = n,
            "allocated" => counts.allocated = n,
            "dispatched" => counts.dispatched = n,
            "received" => counts.received = n,
            "written_off" => counts.written_off = n,
            _ => {}
        }
    }
    Ok(counts)
}

/// Every hospital the campaign serves or delivered to, with the units it received and their
/// value, most units first.
pub async fn hospitals(
    c: &mut AnyConnection,
    id: CampaignId,
) -> Result<Vec<HospitalLine>, sqlx::Error> {
    #[allow(clippy::type_complexity)]
    let rows: Vec<(String, String, Option<String>, String, String, i64, i64, Option<i64>, Option<i64>)> =
        sqlx::query_as(
            "select h.facility_code, h.name_th, h.name_en, d.name_th, d.name_en,
               cast(coalesce(u.units, 0) as bigint), cast(coalesce(u.value, 0) as bigint),
               s.latitude_e6, s.longitude_e6
             from hospital h
             join subdistrict s on s.subdistrict_code = h.subdistrict_code
             join district d on d.district_code = s.district_code
             left join (select hospital_id, count(*) as units, sum(cost_satang) as value
                        from equipment_unit where campaign_id = $1 and status = 'received'
                        group by hospital_id) u on u.hospital_id = h.hospital_id
             where h.hospital_id in (select hospital_id from campaign_hospital where campaign_id = $1)
                or u.hospital_id is not null
             order by coalesce(u.units, 0) desc, h.facility_code",
        )
        .bind(id.get())
        .fetch_all(c)
        .await?;
    Ok(rows
        .into_iter()
        .map(
            |(code, th, en, dth, den, units, value, lat, lon)| HospitalLine {
                facility_code: code,
                name: localized(th, en),
                district: localized(dth, Some(den)),
                units,
                value: Money::from_satang(value),
                latitude_e6: lat,
                longitude_e6: lon,
            },
        )
        .collect())
}

/// Credits no donation explains, oldest first, and how many there are.
pub async fn unmatched_credits(
    c: &mut AnyConnection,
    id: CampaignId,
) -> Result<(Vec<Problem>, i64), sqlx::Error> {
    let rows: Vec<(i64, String, i64, String)> = sqlx::query_as(
        "select bank_line_id, posted_on, amount_satang, description from bank_line
         where campaign_id = $1 and is_credit = 1 and donation_id is null
         order by posted_on, bank_line_id limit $2",
    )
    .bind(id.get())
    .bind(LIST_LIMIT)
    .fetch_all(&mut *c)
    .await?;
    let (all,): (i64,) = sqlx::query_as(
        "select count(*) from bank_line where campaign_id = $1 and is_credit = 1 and donation_id is null",
    )
    .bind(id.get())
    .fetch_one(c)
    .await?;
    let listed = rows
        .into_iter()
        .map(|(line, on, amount, description)| Problem::UnmatchedCredit {
            line,
            on,
            amount: Money::from_satang(amount),
            description,
        })
        .collect::<Vec<_>>();
    let more = all - listed.len() as i64;
    Ok((listed, more))
}

/// Pledges still waiting for their money, oldest first, and how many there are.
/// Pledges waiting for their money, made since `lapsed_before` (older ones have lapsed: see
/// [`lapsed_pledges`]): the first [`LIST_LIMIT`] and how many more there are.
pub async fn open_pledges(
    c: &mut AnyConnection,
    id: CampaignId,
    lapsed_before: &str,
) -> Result<(Vec<Problem>, i64), sqlx::Error> {
    let rows: Vec<(String, i64, String)> = sqlx::query_as(
        "select reference_code, amount_satang, created_at from donation
         where campaign_id = $1 and status = 'pledged' and voided_at is null and created_at >= $3
         order by created_at, donation_id limit $2",
    )
    .bind(id.get())
    .bind(LIST_LIMIT)
    .bind(lapsed_before)
    .fetch_all(&mut *c)
    .await?;
    let (all,): (i64,) = sqlx::query_as(
        "select count(*) from donation where campaign_id = $1 and status = 'pledged'
           and voided_at is null and created_at >= $2",
    )
    .bind(id.get())
    .bind(lapsed_before)
    .fetch_one(c)
    .await?;
    let listed = rows
        .into_iter()
        .map(|(reference, amount, pledged_at)| Problem::OpenPledge {
            reference,
            amount: Money::from_satang(amount),
            pledged_at,
        })
        .collect::<Vec<_>>();
    let more = all - listed.len() as i64;
    Ok((listed, more))
}

/// Pledges made before `lapsed_before` and still unpaid, taken together: how many, their
/// total, and a short digest of which they are.
pub async fn lapsed_pledges(
    c: &mut AnyConnection,
    id: CampaignId,
    lapsed_before: &str,
) -> Result<(i64, Money, String), sqlx::Error> {
    use sha2::Digest as _;
    let rows: Vec<(i64, i64)> = sqlx::query_as(
        "select donation_id, amount_satang from donation
         where campaign_id = $1 and status = 'pledged' and voided_at is null and created_at < $2
         order by donation_id",
    )
    .bind(id.get())
    .bind(lapsed_before)
    .fetch_all(c)
    .await?;
    let mut digest = sha2::Sha256::new();
    for (donation, _) in &rows {
        digest.update(donation.to_le_bytes());
    }
    let set: String = digest.finalize()[..6]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    let total = rows.iter().map(|(_, satang)| satang).sum();
    Ok((rows.len() as i64, Money::from_satang(total), set))
}

/// Units dispatched on or before `before` (a date) that their hospital has not confirmed.
pub async fn unconfirmed(
    c: &mut AnyConnection,
    id: CampaignId,
    before: &str,
) -> Result<Vec<Problem>, sqlx::Error> {
    let rows: Vec<(String, String, Option<String>, String)> = sqlx::query_as(
        "select u.asset_tag, h.name_th, h.name_en, u.dispatched_on from equipment_unit u
         join hospital h on h.hospital_id = u.hospital_id
         where u.campaign_id = $1 and u.status = 'dispatched' and u.dispatched_on <= $2
         order by u.dispatched_on, u.asset_tag limit $3",
    )
    .bind(id.get())
    .bind(before)
    .bind(LIST_LIMIT)
    .fetch_all(c)
    .await?;
    Ok(rows
        .into_iter()
        .map(
            |(tag, th, en, dispatched_on)| Problem::UnconfirmedDelivery {
                tag,
                hospital: localized(th, en),
                dispatched_on,
            },
        )
        .collect())
}

/// Purchases (not void) whose invoice number is a placeholder.
pub async fn without_invoice(
    c: &mut AnyConnection,
    id: CampaignId,
) -> Result<Vec<Problem>, sqlx::Error> {
    let sql = format!(
        "select purchase_id, vendor_name, total_satang from purchase
         where campaign_id = $1 and status <> 'voided' and lower(trim(invoice_no)) {}
         order by purchase_id limit $2",
        super::bank::placeholders(2, PLACEHOLDER_INVOICES.len())
    );
    let rows: Vec<(i64, String, i64)> = PLACEHOLDER_INVOICES
        .iter()
        .fold(
            sqlx::query_as(&sql).bind(id.get()).bind(LIST_LIMIT),
            |q, p| q.bind(*p),
        )
        .fetch_all(c)
        .await?;
    Ok(rows
        .into_iter()
        .map(|(purchase, vendor, total)| Problem::NoInvoice {
            purchase,
            vendor,
            total: Money::from_satang(total),
        })
        .collect())
}

/// Receipts whose gift was voided.
pub async fn voided_receipts(
    c: &mut AnyConnection,
    id: CampaignId,
) -> Result<Vec<Problem>, sqlx::Error> {
    let rows: Vec<(i64, i64, String, i64)> = sqlx::query_as(
        "select r.fiscal_year, r.number, d.reference_code, r.amount_satang from receipt r
         join donation d on d.donation_id = r.donation_id
         where d.campaign_id = $1 and d.status = 'voided'
         order by r.fiscal_year, r.number limit $2",
    )
    .bind(id.get())
    .bind(LIST_LIMIT)
    .fetch_all(c)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(year, number, reference, amount)| Problem::VoidedReceipt {
            number: format!("{year}/{number:06}"),
            reference,
            amount: Money::from_satang(amount),
        })
        .collect())
}

/// Approved requests their hospitals have not received in full.
pub async fn unfilled_requests(
    c: &mut AnyConnection,
    id: CampaignId,
) -> Result<Vec<Problem>, sqlx::Error> {
    #[allow(clippy::type_complexity)]
    let rows: Vec<(i64, String, Option<String>, String, String, i64, i64)> = sqlx::query_as(
        "select r.equipment_request_id, h.name_th, h.name_en, i.name_th, i.name_en,
           cast(coalesce(r.approved_quantity, r.quantity) as bigint), r.fulfilled_quantity
         from equipment_request r
         join hospital h on h.hospital_id = r.hospital_id
         join equipment_item i on i.equipment_item_id = r.equipment_item_id
         where r.campaign_id = $1 and r.status in ('approved', 'partly_fulfilled')
         order by r.equipment_request_id limit $2",
    )
    .bind(id.get())
    .bind(LIST_LIMIT)
    .fetch_all(c)
    .await?;
    Ok(rows
        .into_iter()
        .map(
            |(request, hth, hen, ith, ien, approved, received)| Problem::UnfilledRequest {
                request,
                hospital: localized(hth, hen),
                item: localized(ith, Some(ien)),
                approved,
                received,
            },
        )
        .collect())
}

/// The acknowledgements given for the campaign, by key.
pub async fn acknowledgements(
    c: &mut AnyConnection,
    id: CampaignId,
) -> Result<Vec<(String, Acknowledgement)>, sqlx::Error> {
    let rows: Vec<(String, String, String, String, i64)> = sqlx::query_as(
        "select a.discrepancy_key, a.reason, acc.display_name, a.created_at, a.publishable
         from settlement_ack a
         join account acc on acc.account_id = a.account_id
         where a.campaign_id = $1 order by a.settlement_ack_id",
    )
    .bind(id.get())
    .fetch_all(c)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(key, reason, by, at, publishable)| {
            let publishable = publishable == 1;
            let a = Acknowledgement {
                reason,
                by,
                at,
                publishable,
            };
            (key, a)
        })
        .collect())
}

/// Records an acknowledgement; answers `false` when the key already has one.
pub async fn acknowledge(
    c: &mut AnyConnection,
    id: CampaignId,
    key: &str,
    reason: &str,
    publishable: bool,
    account: i64,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "insert into settlement_ack (campaign_id, discrepancy_key, reason, account_id, created_at,
           publishable)
         values ($1, $2, $3, $4, $5, $6) on conflict (campaign_id, discrepancy_key) do nothing",
    )
    .bind(id.get())
    .bind(key)
    .bind(reason)
    .bind(account)
    .bind(time::now())
    .bind(i64::from(publishable))
    .execute(c)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Money carried into or out of the campaign, oldest first.
pub async fn carries(c: &mut AnyConnection, id: CampaignId) -> Result<Vec<Carry>, sqlx::Error> {
    let rows: Vec<(i64, i64, i64, String, String, Option<String>)> = sqlx::query_as(
        "select c.from_campaign_id, c.to_campaign_id, c.amount_satang, c.created_at, x.title_th, x.title_en
         from carry_over c
         join campaign x on x.campaign_id = case when c.from_campaign_id = $1 then c.to_campaign_id else c.from_campaign_id end
         where c.from_campaign_id = $1 or c.to_campaign_id = $1
         order by c.carry_over_id",
    )
    .bind(id.get())
    .fetch_all(c)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(from, to, amount, at, th, en)| {
            let incoming = to == id.get();
            Carry {
                campaign: CampaignId(if incoming { from } else { to }),
                title: localized(th, en),
                amount: Money::from_satang(amount),
                incoming,
                at,
            }
        })
        .collect())
}

/// The stored settlement: who, when, and the public report (JSON).
pub async fn settlement(
    c: &mut AnyConnection,
    id: CampaignId,
) -> Result<Option<(String, String, String)>, sqlx::Error> {
    sqlx::query_as(
        "select settled_by_name, settled_at, report from campaign_settlement where campaign_id = $1",
    )
    .bind(id.get())
    .fetch_optional(c)
    .await
}

/// Stores the settlement; the campaign's status is set by the caller in the same transaction.
pub async fn insert_settlement(
    c: &mut AnyConnection,
    id: CampaignId,
    account: i64,
    by_name: &str,
    at: &str,
    report: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "insert into campaign_settlement (campaign_id, settled_by, settled_by_name, settled_at, report, created_at)
         values ($1, $2, $3, $4, $5, $4)",
    )
    .bind(id.get())
    .bind(account)
    .bind(by_name)
    .bind(at)
    .bind(report)
    .execute(c)
    .await?;
    Ok(())
}

/// Records a carry-over with its two journal entries, and moves both funds' running totals.
pub async fn insert_carry(
    c: &mut AnyConnection,
    from: CampaignId,
    to: CampaignId,
    amount: Money,
    entries: (i64, i64),
    account: i64,
) -> Result<(), sqlx::Error> {
    let now = time::now();
    sqlx::query(
        "insert into carry_over (from_campaign_id, to_campaign_id, amount_satang, from_entry_id, to_entry_id, account_id, created_at)
         values ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(from.get())
    .bind(to.get())
    .bind(amount.satang())
    .bind(entries.0)
    .bind(entries.1)
    .bind(account)
    .bind(now.as_str())
    .execute(&mut *c)
    .await?;
    sqlx::query(
        "update campaign_fund set carried_out_satang = carried_out_satang + $1, updated_at = $2 where campaign_id = $3",
    )
    .bind(amount.satang())
    .bind(now.as_str())
    .bind(from.get())
    .execute(&mut *c)
    .await?;
    sqlx::query(
        "update campaign_fund set carried_in_satang = carried_in_satang + $1, updated_at = $2 where campaign_id = $3",
    )
    .bind(amount.satang())
    .bind(now.as_str())
    .bind(to.get())
    .execute(&mut *c)
    .await?;
    Ok(())
}

/// Carried totals beside the journal's kept sums, per campaign, for `check-ledger`:
/// (campaign, carried in, journal in, carried out, journal out).
pub async fn carry_checks(
    c: &mut AnyConnection,
) -> Result<Vec<(i64, i64, i64, i64, i64)>, sqlx::Error> {
    sqlx::query_as(
        "select f.campaign_id, f.carried_in_satang,
           coalesce((select b.credit_satang - b.debit_satang from journal_balance b
              where b.campaign_id = f.campaign_id and b.account = $1), 0),
           f.carried_out_satang,
           coalesce((select b.debit_satang - b.credit_satang from journal_balance b
              where b.campaign_id = f.campaign_id and b.account = $2), 0)
         from campaign_fund f order by f.campaign_id",
    )
    .bind(LedgerAccount::CarriedIn.code())
    .bind(LedgerAccount::CarriedOut.code())
    .fetch_all(c)
    .await
}
