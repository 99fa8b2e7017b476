//! Donor rows.

use super::{time, Tx};
use crate::model::DonorId;

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
pub async fn insert(tx: &mut Tx, d: &NewDonor) -> Result<DonorId, sqlx::Error> {
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
    .fetch_one(&mut **tx)
    .await?;
    Ok(DonorId(id))
}
