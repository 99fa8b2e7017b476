//! Reference codes cannot be enumerated: they are long and random, and each client address may
//! look up only a few codes that do not exist before it must wait. A donor who reloads their own
//! page never misses, so never waits.

use crate::error::AppError;
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

/// The misses of each client address, shared by every request of one running app.
#[derive(Clone)]
pub struct LookupLimiter {
    max: u32,
    windows: Arc<Mutex<HashMap<String, Window>>>,
}

impl Default for LookupLimiter {
    fn default() -> Self {
        LookupLimiter::new(MAX_MISSES)
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
        PledgeLimiter(LookupLimiter::new(MAX_PLEDGES))
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
        TraceLimiter(LookupLimiter::new(MAX_TRACES))
    }
}

impl LookupLimiter {
    /// A limiter allowing `max` counted events per address and window.
    pub fn new(max: u32) -> Self {
        LookupLimiter {
            max,
            windows: Arc::default(),
        }
    }

    /// Refuses a client that has used up its misses, with the seconds until it may try again.
    pub fn check(&self, client: &str) -> Result<(), AppError> {
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

    /// Counts a look-up of a code that does not exist.
    pub fn record_miss(&self, client: &str) {
        let now = Instant::now();
        let mut map = self.windows.lock().unwrap_or_else(|e| e.into_inner());
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
        w.misses += 1;
    }

    /// Runs a look-up for `client`: refused while blocked; a `NotFound` answer counts as a miss.
    pub async fn guarded<T, F>(&self, client: Option<String>, lookup: F) -> Result<T, AppError>
    where
        F: std::future::Future<Output = Result<T, AppError>>,
    {
        let client = client.unwrap_or_else(|| "unknown".to_owned());
        self.check(&client)?;
        let result = lookup.await;
        if matches!(result, Err(AppError::NotFound)) {
            self.record_miss(&client);
        }
        result
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_address_is_blocked_after_its_misses_and_others_are_not() {
        let limiter = LookupLimiter::default();
        for _ in 0..MAX_MISSES {
            assert!(limiter.check("me").is_ok());
            limiter.record_miss("me");
        }
        assert!(matches!(
            limiter.check("me"),
            Err(AppError::TooManyRequests { retry_after_secs }) if retry_after_secs > 0
        ));
        assert!(limiter.check("someone-else").is_ok());
    }
}
