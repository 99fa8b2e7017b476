//! Importing a hospital list from CSV.
//!
//! Columns (a header row names them, in any order): `facility_code` (5 digits), `name_th` (or
//! `name`), optional `name_en`, `subdistrict_code` (6-digit official code) and `type`
//! (`health_promoting`/`รพ.สต.`, `community`/`รพช.`, `general`/`รพท.`, `other`). Every row is
//! checked first and every bad row is reported with its line number; only a file without errors
//! is written, in one transaction, so nothing is stored half-way. A facility code already in the
//! database is updated in place (one upsert per row, so a hospital added meanwhile by someone
//! else is updated rather than failing the import).

use super::db::hospital::{self, NewHospital};
use super::db::{Db, Tx};
use crate::model::hospital::is_facility_code;
use crate::model::status::HospitalKind;
use serde::Deserialize;
use std::collections::{HashMap, HashSet};

/// What an import did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImportReport {
    pub inserted: usize,
    pub updated: usize,
}

/// One bad row: its line in the file and what is wrong with it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RowError {
    pub line: u64,
    pub message: String,
}

/// Why an import wrote nothing.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("{} bad row(s); nothing was imported", .0.len())]
    Rows(Vec<RowError>),
    #[error("the file is not readable CSV: {0}")]
    Csv(String),
    #[error("database error: {0}")]
    Db(#[from] sqlx::Error),
}

#[derive(Deserialize)]
struct HospitalCsv {
    facility_code: String,
    #[serde(alias = "name")]
    name_th: String,
    #[serde(default)]
    name_en: Option<String>,
    subdistrict_code: String,
    #[serde(rename = "type")]
    kind: String,
}

/// Reads a hospital type as written in a CSV.
pub fn parse_kind(text: &str) -> Option<HospitalKind> {
    let t = text.trim();
    HospitalKind::from_code(&t.to_ascii_lowercase()).or(match t {
        "รพ.สต." | "รพสต" | "รพ.สต" => Some(HospitalKind::HealthPromoting),
        "รพช." | "รพช" => Some(HospitalKind::Community),
        "รพท." | "รพท" | "รพศ." | "รพศ" => Some(HospitalKind::General),
        _ => None,
    })
}

/// Validates and imports a CSV hospital list in its own transaction.
pub async fn import_hospitals(db: &Db, text: &str) -> Result<ImportReport, ImportError> {
    let mut tx = db.begin().await?;
    let report = import_hospitals_in(db, &mut tx, text).await?;
    tx.commit().await?;
    Ok(report)
}

/// Validates and imports a CSV hospital list in the caller's transaction (which also audits it).
pub async fn import_hospitals_in(
    db: &Db,
    tx: &mut Tx,
    text: &str,
) -> Result<ImportReport, ImportError> {
    let known: HashSet<i64> = hospital::subdistrict_codes(&mut *db.reader().acquire().await?)
        .await?
        .into_iter()
        .collect();
    let rows = validate(text, &known)?;
    let mut report = ImportReport {
        inserted: 0,
        updated: 0,
    };
    for row in rows {
        if hospital::upsert(tx, &row).await? {
            report.inserted += 1;
        } else {
            report.updated += 1;
        }
    }
    Ok(report)
}

fn validate(
    text: &str,
    known_subdistricts: &HashSet<i64>,
) -> Result<Vec<NewHospital>, ImportError> {
    let mut reader = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let headers = reader
        .headers()
        .map_err(|e| ImportError::Csv(e.to_string()))?
        .clone();
    for required in ["facility_code", "subdistrict_code", "type"] {
        if !headers.iter().any(|h| h == required) {
            return Err(ImportError::Csv(format!(
                "the header row has no column {required:?}"
            )));
        }
    }
    let mut rows = Vec::new();
    let mut errors = Vec::new();
    let mut seen: HashMap<String, u64> = HashMap::new();
    for record in reader.records() {
        let record = record.map_err(|e| ImportError::Csv(e.to_string()))?;
        let line = record.position().map(|p| p.line()).unwrap_or(0);
        let mut problems = Vec::new();
        let raw: HospitalCsv = match record.deserialize(Some(&headers)) {
            Ok(raw) => raw,
            Err(e) => {
                errors.push(RowError {
                    line,
                    message: format!("unreadable row: {e}"),
                });
                continue;
            }
        };
        if !is_facility_code(&raw.facility_code) {
            problems.push(format!(
                "facility_code {:?} is not 5 digits",
                raw.facility_code
            ));
        } else if let Some(first) = seen.insert(raw.facility_code.clone(), line) {
            problems.push(format!(
                "facility_code {} repeats line {first}",
                raw.facility_code
            ));
        }
        let name_len = raw.name_th.chars().count();
        if name_len == 0 || name_len > 200 {
            problems.push("name_th must be 1 to 200 characters".to_owned());
        }
        let name_en = raw.name_en.filter(|n| !n.is_empty());
        if name_en.as_ref().is_some_and(|n| n.chars().count() > 200) {
            problems.push("name_en must be at most 200 characters".to_owned());
        }
        let subdistrict = raw
            .subdistrict_code
            .parse::<i64>()
            .ok()
            .filter(|c| known_subdistricts.contains(c));
        if subdistrict.is_none() {
            problems.push(format!(
                "subdistrict_code {:?} is not a known sub-district",
                raw.subdistrict_code
            ));
        }
        let kind = parse_kind(&raw.kind);
        if kind.is_none() {
            problems.push(format!(
                "type {:?} is not one of health_promoting, community, general, other",
                raw.kind
            ));
        }
        match (subdistrict, kind, problems.is_empty()) {
            (Some(subdistrict_code), Some(kind), true) => rows.push(NewHospital {
                facility_code: raw.facility_code,
                name_th: raw.name_th,
                name_en,
                subdistrict_code,
                kind,
            }),
            _ => errors.push(RowError {
                line,
                message: problems.join("; "),
            }),
        }
    }
    if errors.is_empty() {
        Ok(rows)
    } else {
        Err(ImportError::Rows(errors))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hospital_types_are_read_in_codes_and_thai_abbreviations() {
        assert_eq!(parse_kind("รพ.สต."), Some(HospitalKind::HealthPromoting));
        assert_eq!(parse_kind(" Community "), Some(HospitalKind::Community));
        assert_eq!(parse_kind("clinic"), None);
    }

    #[test]
    fn every_bad_row_is_reported_with_its_line() {
        let known: HashSet<i64> = [400101].into_iter().collect();
        let csv = "facility_code,name_th,subdistrict_code,type\n\
                   03854,รพ.สต.หนึ่ง,400101,รพ.สต.\n\
                   3854,รพ.สต.สอง,400101,รพ.สต.\n\
                   03855,,999999,clinic\n\
                   03854,ซ้ำ,400101,other\n";
        let Err(ImportError::Rows(errors)) = validate(csv, &known) else {
            panic!("expected row errors");
        };
        let lines: Vec<u64> = errors.iter().map(|e| e.line).collect();
        assert_eq!(lines, vec![3, 4, 5]);
        assert!(errors[1].message.contains("name_th"));
        assert!(errors[1].message.contains("999999"));
        assert!(errors[1].message.contains("clinic"));
        assert!(errors[2].message.contains("repeats line 2"));
    }

    #[test]
    fn a_clean_file_validates() {
        let known: HashSet<i64> = [400101].into_iter().collect();
        let csv = "facility_code,name,name_en,subdistrict_code,type\n03854,รพ.สต.หนึ่ง,One,400101,health_promoting\n";
        let rows = validate(csv, &known).unwrap();
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0].name_en.as_deref(), Some("One"));
    }
}
