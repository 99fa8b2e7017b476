//! Donor rows: who gave, as far as they chose to say. The same person giving again under the
//! same ID and name is the same donor, so the donor count counts people.

use super::time;
use crate::model::donation::DonorDetails;
use crate::model::DonorId;
use sqlx::AnyConnection;

/// A donor to record. Everything but consent is optional: an envelope may carry no name.
#[derive(Clone, Debug, Default)]
pub struct NewDonor {
    pub display_name: Option<String>,
    pub show_name: bool,
    pub national_id: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
}

/// Inserts a donor.
pub async fn insert(c: &mut AnyConnection, d: &NewDonor) -> Result<DonorId, sqlx::Error> {
    let (id,): (i64,) = sqlx::query_as(
        "insert into donor (display_name, show_name, national_id, phone, email, created_at)
         values ($1, $2, $3, $4, $5, $6) returning donor_id",
    )
    .bind(d.display_name.as_deref())
    .bind(i64::from(d.show_name))
    .bind(d.national_id.as_deref())
    .bind(d.phone.as_deref())
    .bind(d.email.as_deref())
    .bind(time::now())
    .fetch_one(c)
    .await?;
    Ok(DonorId(id))
}

/// The donor for a gift: someone who gave before under the same ID and name is the same donor
/// (so the donor count counts people); anyone else is a new row.
pub async fn donor_for(c: &mut AnyConnection, d: &DonorDetails) -> Result<DonorId, sqlx::Error> {
    if let Some(id) = &d.national_id {
        let found: Option<(i64,)> = sqlx::query_as(
            "select donor_id from donor where national_id = $1 and coalesce(display_name, '') = $2
             and show_name = $3 order by donor_id limit 1",
        )
        .bind(id.digits())
        .bind(d.name.as_deref().unwrap_or(""))
        .bind(i64::from(d.show_name))
        .fetch_optional(&mut *c)
        .await?;
        if let Some((donor,)) = found {
            return Ok(DonorId(donor));
        }
    }
    insert(
        c,
        &NewDonor {
            display_name: d.name.clone(),
            show_name: d.show_name,
            national_id: d.national_id.as_ref().map(|i| i.digits().to_owned()),
            phone: d.phone.clone(),
            email: d.email.clone(),
        },
    )
    .await
}
