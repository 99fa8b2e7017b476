//! Reference codes cannot be enumerated: they are long and random, and each client address may
//! look up only a few codes that do not exist before it must wait. A donor who reloads their own
//! page never misses, so never waits.

//!
//! The counts are per client address and limit. With several servers on one PostgreSQL database
//! they live in the database (`client_limit`), so the servers together allow what one allows;
//! SQLite has one server, which keeps them in memory and spends no write on them.

use crate::error::AppError;
use crate::server::db::{client_limit, Engine};
use crate::server::Db;
use chrono::Utc;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Misses allowed per address in one window.
pub const MAX_MISSES: u32 = 20;
/// The window's length.
pub const WINDOW: Duration = Duration::from_secs(600);

struct Window {
    started: Instant,
    misses: u32,
}

/// The counted events of each client address for one limit.
#[derive(Clone)]
pub struct LookupLimiter {
    /// Names the limit in the shared table's keys.
    name: &'static str,
    max: u32,
    windows: Arc<Mutex<HashMap<String, Window>>>,
}

impl Default for LookupLimiter {
    fn default() -> Self {
        LookupLimiter::new("miss", MAX_MISSES)
    }
}

/// Pledges allowed per client address in one window. Generous, because Thai mobile networks put
/// many phones behind one address, yet it stops a script from flooding a campaign with pledges.
pub const MAX_PLEDGES: u32 = 60;

/// Counts pledges per client address (every pledge counts, not only misses).
#[derive(Clone)]
pub struct PledgeLimiter(pub LookupLimiter);

impl Default for PledgeLimiter {
    fn default() -> Self {
        PledgeLimiter(LookupLimiter::new("pledge", MAX_PLEDGES))
    }
}

/// Donation traces each client address may ask for in one window (every request counts, cached
/// or not): far more than a donor rereading their own, far fewer than a script walking them.
pub const MAX_TRACES: u32 = 120;

/// Counts trace requests per client address.
#[derive(Clone)]
pub struct TraceLimiter(pub LookupLimiter);

impl Default for TraceLimiter {
    fn default() -> Self {
        TraceLimiter(LookupLimiter::new("trace", MAX_TRACES))
    }
}

impl LookupLimiter {
    /// A limiter called `name` allowing `max` counted events per address and window.
    pub fn new(name: &'static str, max: u32) -> Self {
        LookupLimiter {
            name,
            max,
            windows: Arc::default(),
        }
    }

    /// Refuses a client that has used up its events, with the seconds until it may try again.
    pub async fn check(&self, db: &Db, client: &str) -> Result<(), AppError> {
        if db.engine() == Engine::Sqlite {
            return self.check_here(client);
        }
        let now = Utc::now();
        let window = chrono::Duration::from_std(WINDOW).unwrap_or_default();
        let mut c = db.reader().acquire().await?;
        match client_limit::hits(&mut c, &self.key(client), now - window).await? {
            Some((hits, started)) if hits >= i64::from(self.max) => {
                let left = (started + window - now).num_seconds();
                Err(AppError::TooManyRequests {
                    retry_after_secs: left.max(1) as u64,
                })
            }
            _ => Ok(()),
        }
    }

    /// Counts one event of `client`.
    pub async fn record(&self, db: &Db, client: &str) -> Result<(), AppError> {
        if db.engine() == Engine::Sqlite {
            self.record_here(client);
            return Ok(());
        }
        let now = Utc::now();
        let since = now - chrono::Duration::from_std(WINDOW).unwrap_or_default();
        let mut c = db.reader().acquire().await?;
        client_limit::count(&mut c, &self.key(client), now, since).await?;
        Ok(())
    }

    /// Counts one event of `client` and refuses it (429) once the window's events are used up,
    /// deciding and counting at once (two servers cannot both let the last one through). When
    /// the count cannot be kept (the database is busy or its disk full), the event is let through
    /// with a warning: these limits hold off abuse, they are not worth refusing a donor over.
    pub async fn take(&self, db: &Db, client: &str) -> Result<(), AppError> {
        if db.engine() == Engine::Sqlite {
            return self.take_here(client);
        }
        let now = Utc::now();
        let window = chrono::Duration::from_std(WINDOW).unwrap_or_default();
        let max = i64::from(self.max);
        let taken = async {
            let mut c = db.reader().acquire().await?;
            let taken =
                client_limit::take(&mut c, &self.key(client), now, now - window, max).await?;
            // A little cleaning with every few counts; its failure changes no decision.
            if rand::random::<u8>() < 8 {
                if let Err(e) = client_limit::purge(&mut c, now - window, 200).await {
                    tracing::warn!(error = %e, "old client counts could not be purged");
                }
            }
            Ok::<_, sqlx::Error>(taken)
        };
        match taken.await {
            Ok((hits, started)) if hits > max => Err(AppError::TooManyRequests {
                retry_after_secs: (started + window - now).num_seconds().max(1) as u64,
            }),
            Ok(_) => Ok(()),
            Err(e) => {
                tracing::warn!(error = %e, limit = self.name, "a client's count could not be kept");
                Ok(())
            }
        }
    }

    /// Runs a look-up for `client`: refused while blocked; a `NotFound` answer counts as a miss.
    pub async fn guarded<T, F>(
        &self,
        db: &Db,
        client: Option<String>,
        lookup: F,
    ) -> Result<T, AppError>
    where
        F: std::future::Future<Output = Result<T, AppError>>,
    {
        let client = client.unwrap_or_else(|| "unknown".to_owned());
        self.check(db, &client).await?;
        let result = lookup.await;
        if matches!(result, Err(AppError::NotFound)) {
            if let Err(e) = self.record(db, &client).await {
                tracing::warn!(error = %e, "a missed look-up could not be counted");
            }
        }
        result
    }

    fn key(&self, client: &str) -> String {
        format!("{}:{client}", self.name)
    }

    /// Decides and counts under one lock, so parallel requests cannot pass the limit together.
    fn take_here(&self, client: &str) -> Result<(), AppError> {
        let now = Instant::now();
        let mut map = self.windows.lock().unwrap_or_else(|e| e.into_inner());
        let w = current(&mut map, client, now);
        if w.misses >= self.max {
            let left = WINDOW.saturating_sub(now.duration_since(w.started));
            return Err(AppError::TooManyRequests {
                retry_after_secs: left.as_secs().max(1),
            });
        }
        w.misses += 1;
        Ok(())
    }

    fn check_here(&self, client: &str) -> Result<(), AppError> {
        let now = Instant::now();
        let map = self.windows.lock().unwrap_or_else(|e| e.into_inner());
        match map.get(client) {
            Some(w) if w.misses >= self.max && now.duration_since(w.started) < WINDOW => {
                let left = WINDOW.saturating_sub(now.duration_since(w.started));
                Err(AppError::TooManyRequests {
                    retry_after_secs: left.as_secs().max(1),
                })
            }
            _ => Ok(()),
        }
    }

    fn record_here(&self, client: &str) {
        let now = Instant::now();
        let mut map = self.windows.lock().unwrap_or_else(|e| e.into_inner());
        current(&mut map, client, now).misses += 1;
    }
}

/// The client's window as of `now`: a new one when it has none or its window has passed. Past
/// windows of every client are dropped once the map holds 50,000.
fn current<'m>(map: &'m mut HashMap<String, Window>, client: &str, now: Instant) -> &'m mut Window {
    if map.len() > 50_000 {
        map.retain(|_, w| now.duration_since(w.started) < WINDOW);
    }
    let w = map.entry(client.to_owned()).or_insert(Window {
        started: now,
        misses: 0,
    });
    if now.duration_since(w.started) >= WINDOW {
        *w = Window {
            started: now,
            misses: 0,
        };
    }
    w
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_address_is_blocked_after_its_misses_and_others_are_not() {
        let limiter = LookupLimiter::default();
        for _ in 0..MAX_MISSES {
            assert!(limiter.check_here("me").is_ok());
            limiter.record_here("me");
        }
        assert!(matches!(
            limiter.check_here("me"),
            Err(AppError::TooManyRequests { retry_after_secs }) if retry_after_secs > 0
        ));
        assert!(limiter.check_here("someone-else").is_ok());
        let pledges = LookupLimiter::new("pledge", 3);
        for _ in 0..3 {
            assert!(pledges.take_here("me").is_ok());
        }
        assert!(pledges.take_here("me").is_err());
        assert!(pledges.take_here("you").is_ok());
    }
}
