//! A campaign's moving figures, kept per campaign while nothing has changed. Every open campaign
//! page asks for them every few seconds, so a crowd on one page would otherwise run the same
//! queries thousands of times a minute. They are kept with the [`Db::generation`] read before
//! the queries ran, like the server's page cache, so a gift shows in the next poll; and for at
//! most [`MAX_AGE`], which bounds what another process writes.

use crate::error::AppError;
use crate::model::donation::CampaignLive;
use crate::model::CampaignId;
use crate::server::service::donation_view;
use crate::server::Db;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// How long kept figures may be served while the generation stays the same.
pub const MAX_AGE: Duration = Duration::from_secs(2);

struct Kept {
    generation: u64,
    at: Instant,
    figures: CampaignLive,
}

/// The kept figures of every public campaign asked for, shared by the requests of one app.
#[derive(Clone, Default)]
pub struct LiveFigures(Arc<Mutex<HashMap<CampaignId, Kept>>>);

impl LiveFigures {
    /// The campaign's figures: kept ones while current, otherwise read afresh (and kept).
    pub async fn get(&self, db: &Db, id: CampaignId) -> Result<CampaignLive, AppError> {
        let generation = db.generation();
        if let Some(kept) = self.current(id, generation) {
            return Ok(kept);
        }
        let figures = donation_view::live(db, id).await?;
        let mut map = self.0.lock().unwrap_or_else(|e| e.into_inner());
        map.insert(
            id,
            Kept {
                generation,
                at: Instant::now(),
                figures: figures.clone(),
            },
        );
        Ok(figures)
    }

    fn current(&self, id: CampaignId, generation: u64) -> Option<CampaignLive> {
        let map = self.0.lock().unwrap_or_else(|e| e.into_inner());
        map.get(&id)
            .filter(|k| k.generation == generation && k.at.elapsed() < MAX_AGE)
            .map(|k| k.figures.clone())
    }
}
