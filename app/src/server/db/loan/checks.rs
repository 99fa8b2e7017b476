//! `check-ledger`'s half for loans: every unit's care agrees with its loans, and every counter
//! the public figures come from equals what the loans give.

use crate::model::loan::fiscal_year;
use crate::server::db::time;
use sqlx::AnyConnection;
use std::collections::{BTreeMap, BTreeSet};

#[derive(sqlx::FromRow)]
struct Loan {
    loan_id: i64,
    hospital_id: i64,
    equipment_unit_id: i64,
    campaign_id: i64,
    borrower_code: String,
    out_on: String,
    out_day: i64,
    status: String,
    days: Option<i64>,
}

#[derive(sqlx::FromRow)]
struct Unit {
    equipment_unit_id: i64,
    asset_tag: String,
    status: String,
    care: String,
    hospital_id: Option<i64>,
    homes_served: i64,
    home_days: i64,
}

#[derive(Default)]
struct Sums {
    homes: BTreeSet<(i64, i64, String)>,
    days: i64,
    open: i64,
    open_days: i64,
}

/// What is wrong with the loans and their counters, in words.
pub async fn problems(c: &mut AnyConnection) -> Result<Vec<String>, sqlx::Error> {
    let loans: Vec<Loan> = sqlx::query_as(
        "select loan_id, hospital_id, equipment_unit_id, campaign_id, borrower_code, out_on,
           out_day, status, days from loan order by loan_id",
    )
    .fetch_all(&mut *c)
    .await?;
    let units: Vec<Unit> = sqlx::query_as(
        "select equipment_unit_id, asset_tag, status, care, hospital_id, homes_served, home_days
         from equipment_unit where care <> 'ready' or homes_served <> 0 or home_days <> 0
           or equipment_unit_id in (select equipment_unit_id from loan)",
    )
    .fetch_all(&mut *c)
    .await?;
    let mut v = Vec::new();
    let mut per_unit: BTreeMap<i64, Sums> = BTreeMap::new();
    let mut per_campaign: BTreeMap<i64, Sums> = BTreeMap::new();
    let mut per_hospital_open: BTreeMap<i64, i64> = BTreeMap::new();
    let mut per_year: BTreeMap<(i64, i64), (BTreeSet<String>, i64)> = BTreeMap::new();
    for l in &loans {
        let out = l.status == "out";
        for sums in [
            per_unit.entry(l.equipment_unit_id).or_default(),
            per_campaign.entry(l.campaign_id).or_default(),
        ] {
            sums.homes
                .insert((l.equipment_unit_id, l.hospital_id, l.borrower_code.clone()));
            sums.days += l.days.unwrap_or(0);
            if out {
                sums.open += 1;
                sums.open_days += l.out_day;
            }
        }
        if out {
            *per_hospital_open.entry(l.hospital_id).or_default() += 1;
        }
        let year = i64::from(fiscal_year(time::parse_date(&l.out_on)?));
        let y = per_year.entry((l.hospital_id, year)).or_default();
        y.0.insert(l.borrower_code.clone());
        y.1 += 1;
    }
    for u in &units {
        let s = per_unit.remove(&u.equipment_unit_id).unwrap_or_default();
        let tag = &u.asset_tag;
        if (u.care == "on_loan") != (s.open == 1) || s.open > 1 {
            v.push(format!(
                "unit {tag}: care {} but {} open loans",
                u.care, s.open
            ));
        }
        if u.care != "ready" && u.status != "received" {
            v.push(format!("unit {tag}: care {} while {}", u.care, u.status));
        }
        if s.homes.len() as i64 != u.homes_served {
            v.push(format!(
                "unit {tag}: homes served {} ≠ {} borrowers in its loans",
                u.homes_served,
                s.homes.len()
            ));
        }
        if s.days != u.home_days {
            v.push(format!(
                "unit {tag}: days in homes {} ≠ {} in its finished loans",
                u.home_days, s.days
            ));
        }
    }
    for l in loans.iter().filter(|l| l.status == "out") {
        let held = units
            .iter()
            .find(|u| u.equipment_unit_id == l.equipment_unit_id)
            .is_some_and(|u| u.hospital_id == Some(l.hospital_id));
        if !held {
            v.push(format!(
                "loan {}: its unit is not held by the lending hospital",
                l.loan_id
            ));
        }
    }
    let funds: Vec<(i64, i64, i64, i64, i64)> = sqlx::query_as(
        "select campaign_id, homes_served, home_days, loans_open, loans_open_day_sum from campaign_fund",
    )
    .fetch_all(&mut *c)
    .await?;
    for (campaign, homes, days, open, open_days) in funds {
        let s = per_campaign.remove(&campaign).unwrap_or_default();
        let kept = (homes, days, open, open_days);
        let given = (s.homes.len() as i64, s.days, s.open, s.open_days);
        if kept != given {
            v.push(format!(
                "campaign {campaign}: home figures (homes, days, open, start days) {kept:?} ≠ loans {given:?}"
            ));
        }
    }
    let hospitals: Vec<(i64, i64)> =
        sqlx::query_as("select hospital_id, loans_open from hospital where loans_open <> 0 or hospital_id in (select hospital_id from loan)")
            .fetch_all(&mut *c)
            .await?;
    for (hospital, open) in hospitals {
        let given = per_hospital_open.get(&hospital).copied().unwrap_or(0);
        if open != given {
            v.push(format!(
                "hospital {hospital}: loans out {open} ≠ {given} open loans"
            ));
        }
    }
    let years: Vec<(i64, i64, i64, i64)> = sqlx::query_as(
        "select hospital_id, fiscal_year, homes_served, loans from hospital_loan_year",
    )
    .fetch_all(c)
    .await?;
    for (hospital, year, homes, count) in years {
        let (codes, n) = per_year.remove(&(hospital, year)).unwrap_or_default();
        if (homes, count) != (codes.len() as i64, n) {
            v.push(format!(
                "hospital {hospital}, fiscal year {year}: homes {homes} and loans {count} ≠ {} and {n}",
                codes.len()
            ));
        }
    }
    for ((hospital, year), _) in per_year {
        v.push(format!(
            "hospital {hospital}, fiscal year {year}: loans with no counter"
        ));
    }
    Ok(v)
}
