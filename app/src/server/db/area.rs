//! Reference data every database needs: all Thai provinces, districts and sub-districts with
//! their official codes, from `app/reference/thai-areas/` (MIT licence, kept beside the files).

use super::{time, Db};
use serde::Deserialize;
use sqlx::AnyConnection;

const DISTRICTS_CSV: &str = include_str!("../../../reference/thai-areas/districts.csv");
const SUBDISTRICTS_CSV: &str = include_str!("../../../reference/thai-areas/sub_districts.csv");
const PROVINCES_CSV: &str = include_str!("../../../reference/thai-areas/provinces.csv");

/// Rows per multi-row insert: few round trips, well under both engines' bind limits.
const BATCH: usize = 400;

#[derive(Deserialize)]
struct ProvinceCsv {
    id: i64,
    name_th: String,
    name_en: String,
}

#[derive(Deserialize)]
struct DistrictCsv {
    id: i64,
    name_th: String,
    name_en: String,
    province_id: i64,
}

#[derive(Deserialize)]
struct SubdistrictCsv {
    id: i64,
    zip_code: Option<String>,
    name_th: String,
    name_en: String,
    district_id: i64,
    lat: Option<String>,
    long: Option<String>,
}

fn read<T: for<'de> Deserialize<'de>>(text: &str) -> Result<Vec<T>, sqlx::Error> {
    csv::Reader::from_reader(text.as_bytes())
        .deserialize()
        .collect::<Result<Vec<T>, _>>()
        .map_err(|e| sqlx::Error::Protocol(format!("embedded area data is unreadable: {e}")))
}

/// Loads the areas into a database that has none; does nothing otherwise. It takes the handle,
/// not a connection, because it reads on a reader and writes in a transaction of its own.
pub async fn load_areas_if_empty(db: &Db) -> Result<(), sqlx::Error> {
    let (count,): (i64,) = sqlx::query_as("select count(*) from province")
        .fetch_one(db.reader())
        .await?;
    if count > 0 {
        return Ok(());
    }
    let mut tx = db.begin().await?;
    load_areas(&mut tx).await?;
    tx.commit().await
}

async fn load_areas(c: &mut AnyConnection) -> Result<(), sqlx::Error> {
    let now = time::now();
    let provinces: Vec<ProvinceCsv> = read(PROVINCES_CSV)?;
    let districts: Vec<DistrictCsv> = read(DISTRICTS_CSV)?;
    let subdistricts: Vec<SubdistrictCsv> = read(SUBDISTRICTS_CSV)?;

    // provinces.csv numbers provinces by row; the official code is a district code / 100.
    let mut province_rows = Vec::new();
    for p in &provinces {
        let code = districts
            .iter()
            .find(|d| d.province_id == p.id)
            .map(|d| d.id / 100);
        if let Some(code) = code {
            province_rows.push((code, p.name_th.clone(), p.name_en.clone()));
        }
    }
    let province_of_row = |row_id: i64| {
        districts
            .iter()
            .find(|d| d.province_id == row_id)
            .map(|d| d.id / 100)
    };
    for chunk in province_rows.chunks(BATCH) {
        let sql = values_sql(
            "insert into province (province_code, name_th, name_en, created_at)",
            4,
            chunk.len(),
        );
        let mut q = sqlx::query(&sql);
        for (code, th, en) in chunk {
            q = q
                .bind(*code)
                .bind(th.as_str())
                .bind(en.as_str())
                .bind(now.as_str());
        }
        q.execute(&mut *c).await?;
    }
    for chunk in districts.chunks(BATCH) {
        let sql = values_sql(
            "insert into district (district_code, province_code, name_th, name_en, created_at)",
            5,
            chunk.len(),
        );
        let mut q = sqlx::query(&sql);
        for d in chunk {
            let province = province_of_row(d.province_id).unwrap_or(d.id / 100);
            q = q
                .bind(d.id)
                .bind(province)
                .bind(d.name_th.as_str())
                .bind(district_name_en(d))
                .bind(now.as_str());
        }
        q.execute(&mut *c).await?;
    }
    for chunk in subdistricts.chunks(BATCH) {
        let sql = values_sql(
            "insert into subdistrict (subdistrict_code, district_code, name_th, name_en, zip_code, latitude_e6, longitude_e6, created_at)",
            8,
            chunk.len(),
        );
        let mut q = sqlx::query(&sql);
        for s in chunk {
            q = q
                .bind(s.id)
                .bind(s.district_id)
                .bind(s.name_th.as_str())
                .bind(s.name_en.as_str())
                .bind(s.zip_code.as_deref())
                .bind(s.lat.as_deref().and_then(micro_degrees))
                .bind(s.long.as_deref().and_then(micro_degrees))
                .bind(now.as_str());
        }
        q.execute(&mut *c).await?;
    }
    Ok(())
}

/// A coordinate such as `16.4419` in millionths of a degree (16441900), read exactly.
fn micro_degrees(text: &str) -> Option<i64> {
    let degrees = rust_decimal::Decimal::from_str_exact(text.trim()).ok()?;
    let micro = degrees
        .checked_mul(rust_decimal::Decimal::from(1_000_000))?
        .round();
    i64::try_from(micro).ok()
}

/// The source names district 4405 (เชียงยืน) "Kantharawichai" in English, a known slip.
fn district_name_en(d: &DistrictCsv) -> &str {
    if d.id == 4405 {
        "Chiang Yuen"
    } else {
        d.name_en.as_str()
    }
}

/// `prefix values ($1, $2), ($3, $4), …` for `rows` rows of `columns` columns.
pub fn values_sql(prefix: &str, columns: usize, rows: usize) -> String {
    let mut sql = String::from(prefix);
    sql.push_str(" values ");
    let mut n = 0;
    for row in 0..rows {
        if row > 0 {
            sql.push_str(", ");
        }
        sql.push('(');
        for col in 0..columns {
            if col > 0 {
                sql.push_str(", ");
            }
            n += 1;
            sql.push('$');
            sql.push_str(&n.to_string());
        }
        sql.push(')');
    }
    sql
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn multi_row_values_number_every_parameter() {
        assert_eq!(
            values_sql("insert into t (a, b)", 2, 2),
            "insert into t (a, b) values ($1, $2), ($3, $4)"
        );
    }

    #[test]
    fn coordinates_are_read_exactly_in_millionths() {
        assert_eq!(micro_degrees("16.4419"), Some(16_441_900));
        assert_eq!(micro_degrees("-0.000001"), Some(-1));
        assert_eq!(micro_degrees(""), None);
    }

    #[test]
    fn the_embedded_areas_are_complete() {
        assert_eq!(read::<ProvinceCsv>(PROVINCES_CSV).unwrap().len(), 77);
        assert_eq!(read::<DistrictCsv>(DISTRICTS_CSV).unwrap().len(), 929);
        assert_eq!(
            read::<SubdistrictCsv>(SUBDISTRICTS_CSV).unwrap().len(),
            7451
        );
    }
}
