//! The sign-in throttle's rules: which keys an attempt counts against and how long each waits.
//!
//! - Per (account, client address): a few free failures, then each one doubles the wait up to
//!   a minute, so one attacker cannot keep the owner, signing in from elsewhere, locked out.
//! - Per client address: one client cannot spray many accounts.
//! - Per account, from all addresses together: a hard cap of [`MAX_FAILURES_PER_HOUR`], after
//!   which the account waits the hour out. Strangers from many addresses can reach that cap, so
//!   an attempt from a browser holding a valid device cookie for the account (OWASP "device
//!   cookies") counts against that device instead: the owner still gets in, and a stolen device
//!   cookie is throttled like any single guesser.
//!
//! Keys are bounded: usernames are at most 40 characters and longer ones never become keys.

use crate::server::db::{throttle, Tx};
use chrono::{DateTime, Duration, Utc};

/// Failures allowed before waiting, per account at an address, per device, per address.
const FREE_PER_PAIR: i64 = 3;
const FREE_PER_DEVICE: i64 = 3;
const FREE_PER_ADDRESS: i64 = 10;
/// The longest doubling wait.
const MAX_WAIT_SECS: i64 = 60;
/// Failures per account per hour, from all addresses together, after which it waits the hour out.
pub const MAX_FAILURES_PER_HOUR: i64 = 100;
/// How many idle rows one attempt purges at most.
const PURGE_PER_ATTEMPT: i64 = 20;

/// How a key limits failures.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Limit {
    /// `free` failures, then waits that double up to a minute.
    Doubling { free: i64 },
    /// `max` failures an hour, then the rest of the hour.
    HourCap { max: i64 },
}

impl Limit {
    /// Failures that cost no wait.
    fn free(self) -> i64 {
        match self {
            Limit::Doubling { free } => free,
            Limit::HourCap { max } => max,
        }
    }

    /// The wait after the `failures`-th failure in the window.
    pub fn wait_secs(self, failures: i64) -> i64 {
        match self {
            _ if failures <= self.free() => 0,
            Limit::HourCap { .. } => 3600,
            Limit::Doubling { free } => {
                let doubling = u32::try_from((failures - free - 1).min(10)).unwrap_or(10);
                (1i64 << doubling).min(MAX_WAIT_SECS)
            }
        }
    }
}

/// One throttle key of an attempt.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Key {
    pub name: String,
    pub limit: Limit,
    /// Whether a success clears it (the owner proved who they are from here) rather than only
    /// taking this attempt's failure back.
    pub cleared_by_success: bool,
}

/// The keys of an attempt for `username` (`None` when it cannot be a username at all) from
/// `client`, with `device_hash` when the browser presented a device cookie valid for it.
pub fn keys(username: Option<&str>, client: &str, device_hash: Option<&str>) -> Vec<Key> {
    let key = |name: String, limit, cleared_by_success| Key {
        name,
        limit,
        cleared_by_success,
    };
    let mut keys = vec![key(
        format!("address:{client}"),
        Limit::Doubling {
            free: FREE_PER_ADDRESS,
        },
        false,
    )];
    if let Some(username) = username {
        keys.push(key(
            format!("pair:{username}|{client}"),
            Limit::Doubling {
                free: FREE_PER_PAIR,
            },
            true,
        ));
        keys.push(match device_hash {
            Some(device) => key(
                format!("device:{device}"),
                Limit::Doubling {
                    free: FREE_PER_DEVICE,
                },
                true,
            ),
            None => key(
                format!("account:{username}"),
                Limit::HourCap {
                    max: MAX_FAILURES_PER_HOUR,
                },
                false,
            ),
        });
    }
    keys
}

/// Holds every key (in a fixed order, so parallel attempts queue rather than deadlock) and
/// returns the seconds still to wait under the strictest.
pub async fn hold_all(tx: &mut Tx, keys: &[Key], now: DateTime<Utc>) -> Result<i64, sqlx::Error> {
    let mut wait = 0;
    for key in keys {
        if let Some(until) = throttle::hold(tx, &key.name, now).await? {
            if until > now {
                wait = wait.max((until - now).num_seconds().max(1));
            }
        }
    }
    Ok(wait)
}

/// Counts a failure against every (held) key, then purges a few idle rows of other keys.
pub async fn count_failures(
    tx: &mut Tx,
    keys: &[Key],
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    for key in keys {
        let (failures, started) = throttle::count(tx, &key.name).await?;
        let (failures, window) = if now - started < Duration::hours(1) {
            (failures + 1, started)
        } else {
            (1, now)
        };
        let wait = key.limit.wait_secs(failures);
        let blocked_until = (wait > 0).then(|| now + Duration::seconds(wait));
        throttle::set(tx, &key.name, failures, window, blocked_until, now).await?;
    }
    // After the holds: rows this attempt holds were just touched and are not idle, and the purge
    // itself never waits for another attempt's rows.
    throttle::purge_idle(tx, now - Duration::hours(1), now, PURGE_PER_ATTEMPT).await?;
    Ok(())
}

/// Undoes the failures counted in advance for an attempt that succeeded.
pub async fn take_back_all(tx: &mut Tx, keys: &[Key]) -> Result<(), sqlx::Error> {
    for key in keys {
        if key.cleared_by_success {
            throttle::clear(tx, &key.name).await?;
        } else {
            throttle::take_back(tx, &key.name, key.limit.free()).await?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const PAIR: Limit = Limit::Doubling {
        free: FREE_PER_PAIR,
    };
    const CAP: Limit = Limit::HourCap {
        max: MAX_FAILURES_PER_HOUR,
    };

    #[test]
    fn waits_start_after_the_free_failures_double_and_stop_at_a_minute() {
        assert_eq!(PAIR.wait_secs(3), 0);
        assert_eq!(PAIR.wait_secs(4), 1);
        assert_eq!(PAIR.wait_secs(5), 2);
        assert_eq!(PAIR.wait_secs(9), 32);
        assert_eq!(PAIR.wait_secs(10), 60);
        assert_eq!(PAIR.wait_secs(1000), 60);
        assert_eq!(CAP.wait_secs(100), 0);
        assert_eq!(CAP.wait_secs(101), 3600);
    }

    #[test]
    fn an_hour_of_back_off_allows_fewer_than_100_failures() {
        // Worst case for the attacker: every attempt made the moment the wait ends.
        for limit in [
            PAIR,
            Limit::Doubling {
                free: FREE_PER_DEVICE,
            },
        ] {
            let (mut failures, mut elapsed) = (0, 0);
            while elapsed < 3600 {
                failures += 1;
                elapsed += limit.wait_secs(failures);
            }
            assert!(failures < 100, "{failures} failures in an hour");
        }
    }

    #[test]
    fn a_device_cookie_replaces_the_account_wide_cap_and_bad_usernames_touch_only_the_address() {
        let names = |keys: Vec<Key>| keys.into_iter().map(|k| k.name).collect::<Vec<_>>();
        assert_eq!(
            names(keys(Some("fin"), "203.0.113.9", None)),
            ["address:203.0.113.9", "pair:fin|203.0.113.9", "account:fin"]
        );
        assert_eq!(
            names(keys(Some("fin"), "203.0.113.9", Some("abc"))),
            ["address:203.0.113.9", "pair:fin|203.0.113.9", "device:abc"]
        );
        assert_eq!(
            names(keys(None, "203.0.113.9", Some("abc"))),
            ["address:203.0.113.9"]
        );
    }
}
