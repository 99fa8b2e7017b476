//! What the loan pages read: the hospital's desk, register and month summary (its own staff),
//! the counts finance officers and administrators see, and the public figures.

use crate::error::AppError;
use crate::model::account::Action;
use crate::model::loan::{
    fiscal_year, median, CareState, CareUnit, EndReason, Handover, LoanCounts, LoanDesk, LoanRow,
    MonthSummary, PassTarget, PatientCount, PatientGroup, PublicLending, PublicWaiting,
    RegisterRow, Urgency, VisitOutcome, WaitingRow,
};
use crate::model::status::UnitCondition;
use crate::model::{HospitalId, LoanId, Localized, WaitingId};
use crate::server::db::hospital as hospitals;
use crate::server::db::loan::{self, HeldUnit};
use crate::server::db::{time, Db};
use crate::server::service::Caller;
use crate::server::today;
use chrono::Duration;
use sqlx::AnyConnection;
use std::collections::BTreeMap;

fn bad(what: &str, value: &str) -> AppError {
    crate::server::internal(format!("stored {what} {value:?} is not known"))
}

fn care_unit(u: HeldUnit) -> Result<CareUnit, AppError> {
    let care = CareState::from_code(&u.care).ok_or_else(|| bad("care", &u.care))?;
    let condition =
        UnitCondition::from_code(&u.condition).ok_or_else(|| bad("condition", &u.condition))?;
    let maintenance_due = match (u.maintenance_days, u.maintained_on.or(u.received_at)) {
        (Some(every), Some(last)) => {
            let last = time::parse_date(&last[..10.min(last.len())])?;
            Some(time::date(last + Duration::days(every)))
        }
        _ => None,
    };
    Ok(CareUnit {
        tag: u.asset_tag,
        item_id: u.equipment_item_id,
        item: Localized::new(u.item_th, u.item_en),
        item_code: u.item_code,
        care,
        condition,
        homes_served: u.homes_served,
        maintenance_due,
        other_hospital: u.other_th.map(|th| Localized { th, en: u.other_en }),
    })
}

async fn hospital_of(
    c: &mut AnyConnection,
    facility_code: &str,
) -> Result<(HospitalId, Localized), AppError> {
    let id = hospitals::id_of(c, facility_code.trim())
        .await?
        .ok_or(AppError::NotFound)?;
    let detail = hospitals::detail(c, facility_code.trim())
        .await?
        .ok_or(AppError::NotFound)?;
    Ok((id, detail.hospital.name))
}

/// The hospital's desk for its own staff.
pub async fn desk(db: &Db, caller: &Caller, facility_code: &str) -> Result<LoanDesk, AppError> {
    caller.user().ok_or(AppError::Unauthorized)?;
    let mut c = db.reader().acquire().await?;
    let (hospital, name) = hospital_of(&mut c, facility_code).await?;
    caller.require(Action::LendEquipment(hospital))?;
    let today = today();
    let today_text = time::date(today);
    let held = loan::held(&mut c, hospital).await?;
    // Ready units may be passed on: (tag, campaign) to match with the campaigns' hospitals.
    let ready: Vec<(String, i64)> = held
        .iter()
        .filter(|u| u.care == "ready")
        .map(|u| (u.asset_tag.clone(), u.campaign_id))
        .collect();
    let units = held
        .into_iter()
        .map(care_unit)
        .collect::<Result<Vec<_>, _>>()?;
    let mut waiting = Vec::new();
    for (id, item_id, th, en, group, urgency, code, note, listed_on) in
        loan::waiting_list(&mut c, hospital).await?
    {
        let listed = time::parse_date(&listed_on)?;
        let item_code = units
            .iter()
            .find(|u| u.item_id == item_id)
            .map(|u| u.item_code.clone())
            .unwrap_or_default();
        waiting.push(WaitingRow {
            id: WaitingId(id),
            item_code,
            item_id,
            item: Localized::new(th, en),
            group: PatientGroup::from_code(&group).ok_or_else(|| bad("group", &group))?,
            urgency: Urgency::from_code(&urgency).ok_or_else(|| bad("urgency", &urgency))?,
            borrower_code: code,
            note,
            listed_on,
            days_waiting: (today - listed).num_days().max(0),
            ready: units
                .iter()
                .filter(|u| {
                    u.item_id == item_id
                        && u.care == CareState::Ready
                        && u.condition == UnitCondition::Working
                })
                .map(|u| u.tag.clone())
                .collect(),
        });
    }
    let mut loans = Vec::new();
    for l in loan::open_loans(&mut c, hospital).await? {
        let due = time::parse_date(&l.due_on)?;
        let last_visit = match (l.visit_on, l.visit_outcome) {
            (Some(on), Some(o)) => Some((
                on,
                VisitOutcome::from_code(&o).ok_or_else(|| bad("visit outcome", &o))?,
            )),
            _ => None,
        };
        loans.push(LoanRow {
            id: LoanId(l.loan_id),
            tag: l.asset_tag,
            item: Localized::new(l.item_th, l.item_en),
            item_code: l.item_code,
            borrower_code: l.borrower_code,
            note: l.note,
            out_on: l.out_on,
            due_on: l.due_on,
            overdue_days: (today - due).num_days().max(0),
            renewals: l.renewals,
            last_visit,
            accessories_out: l
                .accessories_out
                .split(',')
                .filter(|a| !a.is_empty())
                .map(str::to_owned)
                .collect(),
        });
    }
    let incoming = loan::incoming(&mut c, hospital)
        .await?
        .into_iter()
        .map(care_unit)
        .collect::<Result<Vec<_>, _>>()?;
    let mut by_campaign: BTreeMap<i64, Vec<PassTarget>> = BTreeMap::new();
    for (campaign, code, th, en) in loan::pass_targets(&mut c, hospital).await? {
        by_campaign.entry(campaign).or_default().push(PassTarget {
            facility_code: code,
            name: Localized { th, en },
        });
    }
    let targets = ready
        .into_iter()
        .map(|(tag, campaign)| (tag, by_campaign.get(&campaign).cloned().unwrap_or_default()))
        .collect();
    Ok(LoanDesk {
        hospital_id: hospital,
        facility_code: facility_code.trim().to_owned(),
        hospital: name,
        loan_days: loan::loan_days(&mut c, hospital).await?,
        today: today_text,
        waiting,
        loans,
        units,
        incoming,
        items: loan::items(&mut c).await?,
        targets,
        form_key: crate::server::idempotency::form_key(),
    })
}

/// The hospital's register of every loan, for its own staff.
pub async fn register(
    db: &Db,
    caller: &Caller,
    facility_code: &str,
) -> Result<(Localized, Vec<RegisterRow>), AppError> {
    caller.user().ok_or(AppError::Unauthorized)?;
    let mut c = db.reader().acquire().await?;
    let (hospital, name) = hospital_of(&mut c, facility_code).await?;
    caller.require(Action::LendEquipment(hospital))?;
    let mut rows = Vec::new();
    for l in loan::register(&mut c, hospital).await? {
        rows.push(RegisterRow {
            id: LoanId(l.loan_id),
            tag: l.asset_tag,
            item: Localized::new(l.item_th, l.item_en),
            borrower_code: l.borrower_code,
            out_on: l.out_on,
            due_on: l.due_on,
            handover: Handover::from_code(&l.condition_out)
                .ok_or_else(|| bad("handover", &l.condition_out))?,
            accessories_out: l.accessories_out,
            renewals: l.renewals,
            returned_on: l.returned_on,
            days: l.days,
            condition_back: l
                .condition_back
                .as_deref()
                .and_then(UnitCondition::from_code),
            accessories_back: l.accessories_back,
            end_reason: l.end_reason.as_deref().and_then(EndReason::from_code),
        });
    }
    Ok((name, rows))
}

/// A month's lending in counts, for the district: `month` is `YYYY-MM` (empty: this month).
pub async fn month_summary(
    db: &Db,
    caller: &Caller,
    facility_code: &str,
    month: &str,
) -> Result<(Localized, MonthSummary), AppError> {
    caller.user().ok_or(AppError::Unauthorized)?;
    let mut c = db.reader().acquire().await?;
    let (hospital, name) = hospital_of(&mut c, facility_code).await?;
    caller.require(Action::LendEquipment(hospital))?;
    let month = if month.trim().is_empty() {
        today().format("%Y-%m").to_string()
    } else {
        month.trim().to_owned()
    };
    let (first, last) = crate::model::loan::month_days(&month).ok_or_else(|| {
        AppError::field(
            "month",
            "เดือนไม่ถูกต้อง (ปปปป-ดด)",
            "Not a valid month (YYYY-MM).",
        )
    })?;
    let (from, to) = (time::date(first), time::date(last));
    let mut s = MonthSummary {
        month,
        ..Default::default()
    };
    let mut homes = std::collections::BTreeSet::new();
    let mut items: BTreeMap<String, (Localized, i64, i64, i64)> = BTreeMap::new();
    for (th, en, code, out_on, returned_on, due_on) in
        loan::loans_touching(&mut c, hospital, &from, &to).await?
    {
        let entry = items
            .entry(th.clone())
            .or_insert_with(|| (Localized::new(th, en), 0, 0, 0));
        homes.insert(code);
        if out_on >= from {
            s.lent += 1;
            entry.1 += 1;
        }
        match returned_on {
            Some(r) if r <= to => {
                s.returned += 1;
                entry.2 += 1;
            }
            _ => {
                s.out_at_end += 1;
                entry.3 += 1;
                if due_on < to {
                    s.overdue_at_end += 1;
                }
            }
        }
    }
    s.homes = homes.len() as i64;
    for (listed_on, closed_on, status) in
        loan::waiting_touching(&mut c, hospital, &from, &to).await?
    {
        if listed_on >= from {
            s.listed += 1;
        }
        match closed_on {
            Some(cl) if cl <= to => {
                if status == "served" {
                    s.served_from_list += 1;
                }
            }
            _ => s.waiting_at_end += 1,
        }
    }
    for (kind, n) in loan::events_in(&mut c, hospital, &from, &to).await? {
        match kind.as_str() {
            "visited" => s.visits += n,
            "cleaned" => s.cleaned += n,
            "repair_sent" => s.repairs += n,
            "maintained" => s.maintained += n,
            _ => {}
        }
    }
    s.items = items.into_values().collect();
    Ok((name, s))
}

/// What finance officers and administrators (and the hospital's staff) see of a hospital's
/// lending: counts, never codes or notes.
pub async fn counts(
    db: &Db,
    caller: &Caller,
    hospital: HospitalId,
) -> Result<LoanCounts, AppError> {
    caller.require(Action::ViewHospitalInternals(hospital))?;
    let mut c = db.reader().acquire().await?;
    let today = today();
    let year = fiscal_year(today);
    let (loans_out, homes) = loan::counters(&mut c, hospital, year).await?;
    let (overdue, waiting) =
        loan::overdue_and_waiting(&mut c, hospital, &time::date(today)).await?;
    let by_care: BTreeMap<String, i64> = loan::care_counts(&mut c, hospital)
        .await?
        .into_iter()
        .collect();
    Ok(LoanCounts {
        loans_out,
        overdue,
        waiting,
        fiscal_year: year,
        homes_this_year: homes,
        cleaning: by_care.get("cleaning").copied().unwrap_or(0),
        repair: by_care.get("repair").copied().unwrap_or(0),
    })
}

/// A hospital's public lending figures, with small counts about patients hidden. Read from the
/// hospital's counters and its own units and list (never from the province's loans).
pub async fn public_lending(
    c: &mut AnyConnection,
    hospital: HospitalId,
) -> Result<PublicLending, AppError> {
    let today = today();
    let year = fiscal_year(today);
    let (open, homes) = loan::counters(c, hospital, year).await?;
    let by_care: BTreeMap<String, i64> =
        loan::care_counts(c, hospital).await?.into_iter().collect();
    let states_hidden = PatientCount::of(open).hidden();
    let n = |k: &str| {
        if states_hidden {
            0
        } else {
            by_care.get(k).copied().unwrap_or(0)
        }
    };
    // The median wait is of the households served in the last 365 days.
    let from = today - chrono::Duration::days(365);
    let mut items: BTreeMap<i64, (Localized, i64, Vec<i64>)> = BTreeMap::new();
    for (item, th, en, status, wait) in
        loan::waiting_by_item(c, hospital, &time::date(from)).await?
    {
        let e = items
            .entry(item)
            .or_insert_with(|| (Localized::new(th, en), 0, Vec::new()));
        if status == "waiting" {
            e.1 += 1;
        } else if let Some(w) = wait {
            e.2.push(w);
        }
    }
    Ok(PublicLending {
        states_hidden,
        ready: n("ready"),
        on_loan: PatientCount::of(open),
        cleaning: n("cleaning"),
        repair: n("repair"),
        passing: n("passing"),
        fiscal_year: year,
        homes_this_year: PatientCount::of(homes),
        waiting: items
            .into_values()
            .map(|(item, waiting, waits)| PublicWaiting {
                item,
                waiting: PatientCount::of(waiting),
                median_wait_days: median(waits),
            })
            .collect(),
    })
}
