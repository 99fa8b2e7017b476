//! What a settlement would strand: the live work of a campaign that must be finished first
//! (purchases waiting or not received, units allocated or on their way, open ceremony batches).

use super::batch;
use crate::model::settlement::Blocker;
use crate::model::{CampaignId, Localized, Money};
use sqlx::AnyConnection;

/// Units listed by name at most; the rest are counted.
const UNITS_LISTED: i64 = 50;

/// Every blocker of the campaign's settlement but whether it still takes gifts (the caller
/// knows its status): purchases, units, then batches.
pub async fn blockers(
    c: &mut AnyConnection,
    campaign: CampaignId,
) -> Result<Vec<Blocker>, sqlx::Error> {
    let mut out = Vec::new();
    let purchases: Vec<(i64, String, i64, String)> = sqlx::query_as(
        "select purchase_id, vendor_name, total_satang, status from purchase
         where campaign_id = $1 and (status = 'awaiting_approval'
           or (status = 'approved' and received_at is null))
         order by purchase_id",
    )
    .bind(campaign.get())
    .fetch_all(&mut *c)
    .await?;
    for (purchase, vendor, total, status) in purchases {
        let total = Money::from_satang(total);
        out.push(if status == "awaiting_approval" {
            Blocker::AwaitingApproval {
                purchase,
                vendor,
                total,
            }
        } else {
            Blocker::NotReceived {
                purchase,
                vendor,
                total,
            }
        });
    }
    let units: Vec<(String, String, Option<String>, String)> = sqlx::query_as(
        "select u.asset_tag, h.name_th, h.name_en, u.status from equipment_unit u
         join hospital h on h.hospital_id = u.hospital_id
         where u.campaign_id = $1 and u.status in ('allocated', 'dispatched')
         order by u.equipment_unit_id limit $2",
    )
    .bind(campaign.get())
    .bind(UNITS_LISTED)
    .fetch_all(&mut *c)
    .await?;
    let listed = units.len() as i64;
    for (tag, th, en, status) in units {
        out.push(Blocker::UnitOut {
            tag,
            hospital: Localized::new(th, en.unwrap_or_default()),
            dispatched: status == "dispatched",
        });
    }
    if listed == UNITS_LISTED {
        let (all,): (i64,) = sqlx::query_as(
            "select count(*) from equipment_unit
             where campaign_id = $1 and status in ('allocated', 'dispatched')",
        )
        .bind(campaign.get())
        .fetch_one(&mut *c)
        .await?;
        if all > listed {
            out.push(Blocker::More {
                count: all - listed,
            });
        }
    }
    for (id, label) in batch::open_in(c, campaign).await? {
        out.push(Blocker::OpenBatch {
            batch: id.get(),
            label,
        });
    }
    Ok(out)
}
