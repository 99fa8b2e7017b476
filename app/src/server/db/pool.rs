//! How connections are made and kept: SQLite's pragmas (durable commits, lock waits), the pool
//! timeouts, and which failures mean "the database is unavailable, try again" (503) rather than
//! a fault (500). Kept apart from the handle in `mod.rs` so these decisions sit in one place.

use sqlx::any::AnyPoolOptions;
use sqlx::error::DatabaseError;
use sqlx::Executor;
use std::time::{Duration, Instant};

/// How long a statement waits for a SQLite lock held by another process before it gives up and
/// the request answers 503: long enough for a maintenance command's short write, well inside
/// the two seconds in which an outage must be answered.
pub(super) const SQLITE_BUSY_TIMEOUT_MS: u64 = 1000;

/// How long a request waits for a pooled connection (including connecting) before it answers
/// 503. PostgreSQL that is down refuses connections, and sqlx retries until this deadline.
pub(super) const ACQUIRE_TIMEOUT: Duration = Duration::from_millis(1500);

/// How long a write waits for SQLite's single writer connection before it answers 503 with
/// `Retry-After`. Under load the queue for it is the normal way writes are serialised (a gift
/// holds it for a few milliseconds), so a wait this long means something holds it far longer
/// than any request should; a person is better told to retry than left waiting.
pub(super) const SQLITE_WRITER_QUEUE_TIMEOUT: Duration = Duration::from_millis(1500);

/// The seconds a client is told to wait (`Retry-After`) when the database is unavailable.
pub const RETRY_AFTER_SECS: u64 = 5;

/// The seconds a client is told to wait when the storage is full: someone must free space.
pub const STORAGE_FULL_RETRY_AFTER_SECS: u64 = 60;

/// Whether `error` means the storage is full: SQLite's `SQLITE_FULL`, PostgreSQL's `disk_full`
/// (53100), or the system's "no space left on device". Such a write is refused as a whole and
/// nothing of it is stored; it succeeds again once space is freed.
pub fn is_storage_full(error: &sqlx::Error) -> bool {
    match error {
        sqlx::Error::Io(e) => e.raw_os_error() == Some(28),
        sqlx::Error::Database(e) => {
            if let Some(e) = e.try_downcast_ref::<sqlx::sqlite::SqliteError>() {
                let code = e.code().and_then(|c| c.parse::<i32>().ok()).unwrap_or(0);
                code & 0xff == 13
            } else if let Some(e) = e.try_downcast_ref::<sqlx::postgres::PgDatabaseError>() {
                e.code() == "53100"
            } else {
                false
            }
        }
        _ => false,
    }
}

/// Whether `error` means the database is down, unreachable or locked by someone else (answer
/// 503 and let the client retry), rather than a fault in this request (500) or its input.
pub fn is_unavailable(error: &sqlx::Error) -> bool {
    match error {
        sqlx::Error::PoolTimedOut
        | sqlx::Error::PoolClosed
        | sqlx::Error::Io(_)
        | sqlx::Error::Tls(_)
        | sqlx::Error::WorkerCrashed => true,
        sqlx::Error::Database(e) => {
            if let Some(e) = e.try_downcast_ref::<sqlx::sqlite::SqliteError>() {
                // The primary result code is the low byte of the extended one: BUSY (5),
                // LOCKED (6), READONLY (8), IOERR (10), FULL (13), CANTOPEN (14).
                let code = e.code().and_then(|c| c.parse::<i32>().ok()).unwrap_or(0);
                matches!(code & 0xff, 5 | 6 | 8 | 10 | 13 | 14)
            } else if let Some(e) = e.try_downcast_ref::<sqlx::postgres::PgDatabaseError>() {
                let code = e.code();
                // Class 08 connection exceptions, 53 insufficient resources, 57P0x shutdowns
                // and restarts, and a database closed to connections (55000 with that text).
                code.starts_with("08")
                    || code.starts_with("53")
                    || code.starts_with("57P")
                    || (code == "55000" && e.message().contains("accepting connections"))
            } else {
                false
            }
        }
        _ => false,
    }
}

/// When a transaction last found the database gone or locked. Writers queued behind it would
/// each wait the same timeout again; instead they answer 503 at once (see [`Db::begin`]).
#[derive(Debug, Default)]
pub(super) struct LastOutage(std::sync::Mutex<Option<Instant>>);

impl LastOutage {
    pub(super) fn note(&self, error: &sqlx::Error) {
        if is_unavailable(error) {
            if let Ok(mut last) = self.0.lock() {
                *last = Some(Instant::now());
            }
        }
    }

    pub(super) fn since(&self, moment: Instant) -> bool {
        self.0
            .lock()
            .map(|last| last.is_some_and(|at| at >= moment))
            .unwrap_or(false)
    }
}

/// A pool's connections now.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PoolStats {
    pub size: u32,
    pub idle: usize,
}

impl PoolStats {
    pub(super) fn of(pool: &sqlx::AnyPool) -> PoolStats {
        PoolStats {
            size: pool.size(),
            idle: pool.num_idle(),
        }
    }
}

/// How write transactions waited for the writer (on PostgreSQL, for a pooled connection).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct WaitStats {
    /// Write transactions that asked.
    pub waits: u64,
    /// Microseconds they waited, in all.
    pub waited_micros: u64,
    /// Those refused because the wait ran out.
    pub timeouts: u64,
}

/// The running totals behind [`WaitStats`].
#[derive(Debug, Default)]
pub(super) struct WriteWaits {
    waits: std::sync::atomic::AtomicU64,
    waited_micros: std::sync::atomic::AtomicU64,
    timeouts: std::sync::atomic::AtomicU64,
}

impl WriteWaits {
    pub(super) fn note(&self, waited: Duration, timed_out: bool) {
        use std::sync::atomic::Ordering::Relaxed;
        self.waits.fetch_add(1, Relaxed);
        let micros = u64::try_from(waited.as_micros()).unwrap_or(u64::MAX);
        self.waited_micros.fetch_add(micros, Relaxed);
        if timed_out {
            self.timeouts.fetch_add(1, Relaxed);
        }
    }

    pub(super) fn stats(&self) -> WaitStats {
        use std::sync::atomic::Ordering::Relaxed;
        WaitStats {
            waits: self.waits.load(Relaxed),
            waited_micros: self.waited_micros.load(Relaxed),
            timeouts: self.timeouts.load(Relaxed),
        }
    }
}

/// How long SQLite's writer may be held before `/healthz` calls the server unhealthy: far
/// longer than any request or import holds it.
pub(super) const WRITER_STUCK: Duration = Duration::from_secs(60);

/// When SQLite's one writer connection was taken, while it is held.
#[derive(Debug, Default)]
pub(super) struct WriterClock(std::sync::Mutex<Option<Instant>>);

impl WriterClock {
    pub(super) fn start(&self) {
        if let Ok(mut since) = self.0.lock() {
            *since = Some(Instant::now());
        }
    }

    pub(super) fn stop(&self) {
        if let Ok(mut since) = self.0.lock() {
            *since = None;
        }
    }

    pub(super) fn held_longer_than(&self, limit: Duration) -> bool {
        self.0
            .lock()
            .map(|since| since.is_some_and(|at| at.elapsed() > limit))
            .unwrap_or(false)
    }
}

/// How SQLite makes a commit durable. `full` syncs the write-ahead log at every commit, so an
/// acknowledged donation (and the receipt number it took) survives a power cut or an OS crash;
/// `normal` survives only a crash of the process and could hand the same receipt number to
/// another donor after a power cut.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Synchronous {
    Full,
    Normal,
}

/// The synchronous mode: always `full`, except that benchmarks may set
/// `PHAPA_BENCH_SQLITE_SYNCHRONOUS=normal` to measure what durability costs. Nothing else should
/// set it; any other value keeps `full`.
pub(super) fn sqlite_synchronous() -> Synchronous {
    match std::env::var("PHAPA_BENCH_SQLITE_SYNCHRONOUS").as_deref() {
        Ok("normal") => {
            tracing::warn!(
                "PHAPA_BENCH_SQLITE_SYNCHRONOUS=normal: commits are NOT power-loss safe (benchmarks only)"
            );
            Synchronous::Normal
        }
        _ => Synchronous::Full,
    }
}

pub(super) fn sqlite_pool(max: u32, acquire: Duration, synchronous: Synchronous) -> AnyPoolOptions {
    AnyPoolOptions::new()
        .max_connections(max)
        .acquire_timeout(acquire)
        .after_connect(move |conn, _meta| {
            Box::pin(async move {
                conn.execute("pragma journal_mode = wal").await?;
                conn.execute("pragma foreign_keys = on").await?;
                conn.execute(format!("pragma busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}").as_str())
                    .await?;
                let sync = match synchronous {
                    Synchronous::Full => "pragma synchronous = full",
                    Synchronous::Normal => "pragma synchronous = normal",
                };
                conn.execute(sync).await?;
                Ok(())
            })
        })
}

/// Makes sure the folder of a SQLite file exists and that the file is created when missing.
pub(super) fn sqlite_url_creating_folder(url: &str) -> Result<String, sqlx::Error> {
    let rest = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))
        .unwrap_or(url);
    let (path, query) = rest.split_once('?').unwrap_or((rest, ""));
    if path != ":memory:" {
        if let Some(parent) = std::path::Path::new(path).parent() {
            if !parent.as_os_str().is_empty() {
                std::fs::create_dir_all(parent).map_err(sqlx::Error::Io)?;
            }
        }
    }
    let query = if query.contains("mode=") {
        query.to_owned()
    } else if query.is_empty() {
        "mode=rwc".to_owned()
    } else {
        format!("{query}&mode=rwc")
    };
    Ok(format!("sqlite://{path}?{query}"))
}

/// The URL of a SQLite file that must already exist (opened read-write, never created).
pub(super) fn sqlite_url_existing(url: &str) -> Result<String, sqlx::Error> {
    let rest = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))
        .unwrap_or(url);
    let path = rest.split_once('?').map_or(rest, |(p, _)| p);
    if !std::path::Path::new(path).is_file() {
        return Err(sqlx::Error::Configuration(
            format!("the database {path} does not exist").into(),
        ));
    }
    Ok(format!("sqlite://{path}?mode=rw"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sqlite_urls_create_the_file_when_missing() {
        let dir = std::env::temp_dir().join(format!("phapa-url-{}", rand::random::<u32>()));
        let url = format!("sqlite://{}/x.db", dir.display());
        let out = sqlite_url_creating_folder(&url).unwrap();
        assert!(out.ends_with("x.db?mode=rwc"), "{out}");
        assert!(dir.is_dir());
        std::fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn locks_and_lost_connections_are_outages_and_other_failures_are_not() {
        assert!(is_unavailable(&sqlx::Error::PoolTimedOut));
        assert!(is_unavailable(&sqlx::Error::Io(std::io::Error::from(
            std::io::ErrorKind::ConnectionRefused
        ))));
        assert!(!is_unavailable(&sqlx::Error::RowNotFound));
        assert!(!is_unavailable(&sqlx::Error::ColumnNotFound("x".into())));
    }
}
