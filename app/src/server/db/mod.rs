//! Storage on SQLite (the default, embedded) or PostgreSQL, chosen by the database URL at start-up.
//!
//! Both engines are reached through sqlx's `Any` driver with one set of SQL; where the engines
//! differ, the difference lives in [`migrate`] and in [`Engine`]. On SQLite every write goes
//! through one dedicated writer connection, so a transaction that reads and then writes can never
//! fail with `SQLITE_BUSY` while upgrading its lock; readers use a pool of their own (WAL mode
//! lets them read while the writer writes). On PostgreSQL both handles are the same pool.

pub mod account;
pub mod area;
pub mod audit;
pub mod bank;
pub mod batch;
pub mod campaign;
pub mod campaign_fund;
pub mod catalog;
pub mod client_limit;
pub mod donation;
pub mod donation_record;
pub mod donor;
pub mod export;
pub mod hospital;
pub mod idempotency;
pub mod journal;
pub mod loan;
mod migrate;
pub mod money_hour;
pub mod notify;
pub mod open_list;
pub mod partner;
mod pool;
pub mod purchase;
pub mod receipt;
pub mod report;
pub mod request;
pub mod session;
pub mod settlement;
pub mod throttle;
pub mod time;
pub mod unit;
pub mod worklist;

/// The storage layer's error type.
pub use sqlx::Error as DbError;

use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::pool::PoolConnection;
use sqlx::{AnyPool, Executor};
use std::str::FromStr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Instant;

pub use pool::{is_storage_full, is_unavailable, RETRY_AFTER_SECS, STORAGE_FULL_RETRY_AFTER_SECS};
use pool::{
    sqlite_pool, sqlite_synchronous, sqlite_url_creating_folder, sqlite_url_existing, LastOutage,
    WriteWaits, WriterClock, ACQUIRE_TIMEOUT, SQLITE_WRITER_QUEUE_TIMEOUT, WRITER_STUCK,
};
pub use pool::{PoolStats, WaitStats};

/// The database engines Phapa runs on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Engine {
    Sqlite,
    Postgres,
}

impl Engine {
    /// The engine a database URL names, or `None` for any other scheme.
    pub fn of_url(url: &str) -> Option<Engine> {
        if url.starts_with("sqlite:") {
            Some(Engine::Sqlite)
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Some(Engine::Postgres)
        } else {
            None
        }
    }
}

/// A connected, migrated database.
#[derive(Clone, Debug)]
pub struct Db {
    engine: Engine,
    read: AnyPool,
    write: AnyPool,
    audit_key: AuditKey,
    outage: std::sync::Arc<LastOutage>,
    generation: Arc<AtomicU64>,
    /// How writes waited for the writer (for `/metrics`).
    waits: Arc<WriteWaits>,
    /// A random id of this handle (one per server), to tell its own change notices apart.
    origin: Arc<str>,
    /// Woken by each committed public write on PostgreSQL (see `notify`).
    announce: Arc<tokio::sync::Notify>,
    /// When SQLite's writer was taken, while it is held.
    clock: Arc<WriterClock>,
}

/// A write transaction. It dereferences to the connection, so the storage functions (which all
/// take `&mut AnyConnection`) are passed `&mut tx`; it knows its engine and the audit chain's key.
///
/// It runs `begin`, `commit` and `rollback` itself rather than through `sqlx::Transaction`, so
/// that a connection whose transaction ended badly is closed, never pooled again: when a disk
/// fills, SQLite rolls the transaction back on its own, sqlx's rollback then fails, and a pooled
/// connection it still believed inside a transaction refused every later write until a restart.
pub struct Tx {
    /// `None` only once committed or handed to the rollback on drop. The connection stays here
    /// until the outcome is known, so a request cancelled halfway still rolls back (see `Drop`).
    conn: Option<PoolConnection<sqlx::Any>>,
    engine: Engine,
    audit_key: AuditKey,
    /// The counter that committing moves on; `None` for a private transaction.
    generation: Option<Arc<AtomicU64>>,
    /// On PostgreSQL, wakes the task that tells the other servers (see `notify`).
    announce: Option<Arc<tokio::sync::Notify>>,
    /// On SQLite, how long the writer has been held (for `/healthz`).
    clock: Option<Arc<WriterClock>>,
}

impl Tx {
    /// Makes every change of this transaction permanent, then (unless the transaction is
    /// private) moves [`Db::generation`] on, so pages rendered before it are not served again.
    /// A failed commit closes the connection (which rolls back whatever is left of the
    /// transaction) and the pool opens a fresh one for the next writer.
    pub async fn commit(mut self) -> Result<(), sqlx::Error> {
        let Some(conn) = self.conn.as_mut() else {
            return Err(sqlx::Error::Protocol("transaction already finished".into()));
        };
        let result = conn.execute("commit").await.map(drop);
        let conn = self.conn.take();
        // Before the connection is handed on, so this cannot clear the next writer's clock.
        if let Some(clock) = self.clock.take() {
            clock.stop();
        }
        match (&result, conn) {
            // Back to the pool, outside any transaction.
            (Ok(()), conn) => drop(conn),
            // Closed now (which ends whatever is left of the transaction), so the next writer
            // finds the pool ready to open a fresh connection.
            (Err(_), Some(conn)) => drop(conn.close().await),
            (Err(_), None) => {}
        }
        // After the commit, never before: a page whose render starts after this step reads the
        // new rows. Also on error, since a failed COMMIT may still have been applied.
        if let Some(generation) = &self.generation {
            generation.fetch_add(1, Ordering::SeqCst);
            if let Some(announce) = &self.announce {
                announce.notify_one();
            }
        }
        result
    }

    /// The engine this transaction runs on.
    pub fn engine(&self) -> Engine {
        self.engine
    }

    /// The secret that keys the audit chain.
    pub fn audit_key(&self) -> &AuditKey {
        &self.audit_key
    }
}

impl Drop for Tx {
    /// A transaction not committed (an error, or a request cancelled halfway) is rolled back
    /// before its connection goes back to the pool; when the rollback fails, or no runtime can
    /// run it, the connection is closed instead.
    fn drop(&mut self) {
        let clock = self.clock.take();
        let Some(mut conn) = self.conn.take() else {
            if let Some(clock) = clock {
                clock.stop();
            }
            return;
        };
        match tokio::runtime::Handle::try_current() {
            Ok(runtime) => {
                runtime.spawn(async move {
                    if conn.execute("rollback").await.is_err() {
                        conn.close_on_drop();
                    }
                    // The writer is held until here (a cancelled statement finishes first), so
                    // `/healthz` can still see one held too long.
                    if let Some(clock) = clock {
                        clock.stop();
                    }
                });
            }
            // Dropping the bare connection closes it without needing a runtime.
            Err(_) => {
                drop(conn.detach());
                if let Some(clock) = clock {
                    clock.stop();
                }
            }
        }
    }
}

impl std::ops::Deref for Tx {
    type Target = sqlx::AnyConnection;
    fn deref(&self) -> &Self::Target {
        self.conn.as_deref().expect("a transaction in use is open")
    }
}

impl std::ops::DerefMut for Tx {
    fn deref_mut(&mut self) -> &mut Self::Target {
        self.conn
            .as_deref_mut()
            .expect("a transaction in use is open")
    }
}

/// The secret that keys the audit chain's hashes. It is kept outside the database, so someone
/// who can rewrite the database cannot rewrite the chain to match. `Debug` hides it.
#[derive(Clone)]
pub struct AuditKey(std::sync::Arc<[u8]>);

impl AuditKey {
    /// A key from its bytes.
    pub fn new(bytes: &[u8]) -> AuditKey {
        AuditKey(bytes.into())
    }

    /// The key's bytes.
    pub fn bytes(&self) -> &[u8] {
        &self.0
    }
}

impl std::fmt::Debug for AuditKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("AuditKey(…)")
    }
}

/// Whether `error` is a unique violation of `table (column)`. Both engines name the constraint:
/// SQLite as `table.column` in its message, PostgreSQL as `table_column_key` (the default name
/// of an inline `unique`), so callers can answer 409/422 for exactly the key they expect and
/// leave every other failure an internal error.
pub fn is_unique_violation(error: &sqlx::Error, table: &str, column: &str) -> bool {
    let sqlx::Error::Database(e) = error else {
        return false;
    };
    if !e.is_unique_violation() {
        return false;
    }
    match e.constraint() {
        Some(name) => name == format!("{table}_{column}_key"),
        None => e.message().contains(&format!("{table}.{column}")),
    }
}

impl Db {
    /// Connects to `url` with the audit key in its default file (see [`audit::key`]).
    pub async fn connect(url: &str) -> Result<Db, sqlx::Error> {
        Db::connect_keyed(
            url,
            &audit::key::KeySource::File(audit::key::default_file(url)),
        )
        .await
    }

    /// Connects to `url` (creating a SQLite file and its folder when missing), with the audit
    /// chain keyed by the key from `key`, and applies the migrations and the reference data
    /// (Thai areas) that a new database needs.
    pub async fn connect_keyed(url: &str, key: &audit::key::KeySource) -> Result<Db, sqlx::Error> {
        let db = Db::open(url, key, true).await?;
        migrate::run(&db).await?;
        area::load_areas_if_empty(&db).await?;
        Ok(db)
    }

    /// Opens an existing database as it is, for maintenance that must not change it (a backup):
    /// no migrations, no reference data, and a SQLite file that does not exist is an error
    /// rather than a new empty database.
    pub async fn open_existing(url: &str, key: &audit::key::KeySource) -> Result<Db, sqlx::Error> {
        Db::open(url, key, false).await
    }

    async fn open(url: &str, key: &audit::key::KeySource, create: bool) -> Result<Db, sqlx::Error> {
        sqlx::any::install_default_drivers();
        let engine = Engine::of_url(url).ok_or_else(|| {
            sqlx::Error::Configuration(
                format!("DATABASE_URL must start with sqlite: or postgres://, not {url:?}").into(),
            )
        })?;
        if !create {
            // Nothing may be created: not the database (checked with its URL below), not a key.
            if engine == Engine::Sqlite {
                sqlite_url_existing(url)?;
            }
            if let audit::key::KeySource::File(path) = key {
                if !path.is_file() {
                    return Err(sqlx::Error::Configuration(
                        format!("the audit key {} does not exist", path.display()).into(),
                    ));
                }
            }
        }
        let audit_key = audit::key::load(key).map_err(|e| sqlx::Error::Configuration(e.into()))?;
        let db = match engine {
            Engine::Sqlite => {
                let url = if create {
                    sqlite_url_creating_folder(url)?
                } else {
                    sqlite_url_existing(url)?
                };
                let options = AnyConnectOptions::from_str(&url)?;
                let synchronous = sqlite_synchronous();
                let read = sqlite_pool(8, ACQUIRE_TIMEOUT, synchronous)
                    .connect_with(options.clone())
                    .await?;
                let write = sqlite_pool(1, SQLITE_WRITER_QUEUE_TIMEOUT, synchronous)
                    .connect_with(options)
                    .await?;
                Db {
                    engine,
                    read,
                    write,
                    audit_key,
                    outage: Default::default(),
                    generation: Default::default(),
                    waits: Default::default(),
                    origin: origin(),
                    announce: Default::default(),
                    clock: Default::default(),
                }
            }
            Engine::Postgres => {
                let pool = AnyPoolOptions::new()
                    .max_connections(16)
                    .acquire_timeout(ACQUIRE_TIMEOUT)
                    .connect(url)
                    .await?;
                Db {
                    engine,
                    read: pool.clone(),
                    write: pool,
                    audit_key,
                    outage: Default::default(),
                    generation: Default::default(),
                    waits: Default::default(),
                    origin: origin(),
                    announce: Default::default(),
                    clock: Default::default(),
                }
            }
        };
        Ok(db)
    }

    /// The engine behind this handle.
    pub fn engine(&self) -> Engine {
        self.engine
    }

    /// The secret that keys the audit chain (for verifying it).
    pub fn audit_key(&self) -> &AuditKey {
        &self.audit_key
    }

    /// The pool for reads.
    pub fn reader(&self) -> &AnyPool {
        &self.read
    }

    /// Counts the committed write transactions of this handle (and its clones) that were not
    /// private, and (on PostgreSQL) the other servers' writes it hears of (`notify`). A page
    /// rendered while it read `n` is current for as long as it still reads `n`.
    pub fn generation(&self) -> u64 {
        self.generation.load(Ordering::SeqCst)
    }

    /// Starts a write transaction (on SQLite, on the one writer connection, taking the write
    /// lock at once so that a lock held by another process shows here and not midway).
    /// Committing it counts as a change that public pages may show (see [`Db::generation`]).
    pub async fn begin(&self) -> Result<Tx, sqlx::Error> {
        let mut tx = self.begin_private().await?;
        tx.generation = Some(self.generation.clone());
        if self.engine == Engine::Postgres {
            tx.announce = Some(self.announce.clone());
        }
        Ok(tx)
    }

    /// Starts a write transaction whose changes no public page shows (sessions, sign-in
    /// throttles): committing it leaves [`Db::generation`] as it is, so pages stay cached.
    pub async fn begin_private(&self) -> Result<Tx, sqlx::Error> {
        let asked = Instant::now();
        let acquired = self.write.acquire().await;
        let waited = asked.elapsed();
        let conn = match acquired {
            Ok(conn) => conn,
            Err(e) => {
                let timed_out = matches!(e, sqlx::Error::PoolTimedOut);
                self.waits.note(waited, timed_out);
                // On SQLite a queue that ran out is the one writer being busy, not the database
                // being down. On PostgreSQL it is how a refused connection ends (sqlx retries
                // until the deadline): the writers behind it need not wait as long again.
                if !timed_out || self.engine == Engine::Postgres {
                    self.outage.note(&e);
                }
                return Err(e);
            }
        };
        if self.outage.since(asked) {
            // The writer ahead of us found the database down while we queued: answer now
            // instead of waiting out the same timeout again. The next one to ask tries afresh.
            self.waits.note(waited, true);
            return Err(sqlx::Error::PoolTimedOut);
        }
        self.waits.note(waited, false);
        self.start(conn).await
    }

    /// Like [`Db::begin_private`], but never queues: `None` while every writer connection is
    /// in use. For bookkeeping that can wait for a quieter moment.
    pub async fn try_begin_private(&self) -> Result<Option<Tx>, sqlx::Error> {
        let conn = match self.write.try_acquire() {
            Some(conn) => conn,
            None if self.write.num_idle() == 0
                && self.write.size() >= self.write.options().get_max_connections()
                && self.write.size() > 0 =>
            {
                return Ok(None)
            }
            // No connection open yet (or closed after a failure): open one.
            None => self.write.acquire().await?,
        };
        self.start(conn).await.map(Some)
    }

    /// Starts a read-only transaction on a reader connection, so that every query in it sees one
    /// state of the books (checks that compare one table with another need that). Ending it
    /// with [`Tx::commit`] or dropping it gives the connection back outside the transaction.
    pub async fn snapshot(&self) -> Result<Tx, sqlx::Error> {
        let conn = self.read.acquire().await?;
        let statement = match self.engine {
            Engine::Sqlite => "begin",
            Engine::Postgres => "begin isolation level repeatable read read only",
        };
        self.begin_on(conn, None, statement).await
    }

    /// Begins a transaction on `conn`, inside the guard that rolls it back if anything stops
    /// short of a commit (including the request being cancelled while `begin` runs).
    async fn start(&self, conn: PoolConnection<sqlx::Any>) -> Result<Tx, sqlx::Error> {
        let clock = (self.engine == Engine::Sqlite).then(|| {
            self.clock.start();
            self.clock.clone()
        });
        let statement = match self.engine {
            Engine::Sqlite => "begin immediate",
            Engine::Postgres => "begin",
        };
        self.begin_on(conn, clock, statement).await
    }

    /// Runs `statement` (a `begin`) on `conn` inside the guard of a [`Tx`].
    async fn begin_on(
        &self,
        conn: PoolConnection<sqlx::Any>,
        clock: Option<Arc<WriterClock>>,
        statement: &str,
    ) -> Result<Tx, sqlx::Error> {
        let mut tx = Tx {
            conn: Some(conn),
            engine: self.engine,
            audit_key: self.audit_key.clone(),
            generation: None,
            announce: None,
            clock,
        };
        if let Err(e) = (&mut *tx).execute(statement).await {
            self.outage.note(&e);
            // Whatever state the connection is in, the next one to ask gets a fresh one. Closed
            // before answering, so `/healthz` never takes it for a writer at work.
            if let Some(conn) = tx.conn.take() {
                drop(conn.close().await);
            }
            return Err(e);
        }
        Ok(tx)
    }

    /// Whether the database answers a read and, on SQLite, could take a write now (another
    /// process holding the write lock leaves pages readable but donations unrecordable). On
    /// SQLite it never queues for the writer: a writer in use is a working database, unless it
    /// has been held longer than any request should hold it.
    pub async fn ping(&self) -> bool {
        match self.engine {
            Engine::Postgres => self.read.execute("select 1").await.is_ok(),
            Engine::Sqlite => {
                // `select 1` never touches the file; the schema table does.
                let read = self
                    .read
                    .execute("select count(*) from sqlite_master")
                    .await
                    .is_ok();
                if !read {
                    return false;
                }
                match self.try_begin_private().await {
                    // Dropped unused: rolled back.
                    Ok(Some(_probe)) => true,
                    Ok(None) => !self.clock.held_longer_than(WRITER_STUCK),
                    Err(_) => false,
                }
            }
        }
    }

    /// The reading pool's connections now.
    pub fn read_pool_stats(&self) -> PoolStats {
        PoolStats::of(&self.read)
    }

    /// The writing pool's connections now (the same pool as reading on PostgreSQL).
    pub fn write_pool_stats(&self) -> PoolStats {
        PoolStats::of(&self.write)
    }

    /// How write transactions have waited for the writer since start.
    pub fn write_wait_stats(&self) -> WaitStats {
        self.waits.stats()
    }

    /// This server's id among the servers on one database.
    pub fn origin(&self) -> &str {
        &self.origin
    }

    /// What committed public writes wake (PostgreSQL); `notify` tells the other servers.
    pub(super) fn announcements(&self) -> Arc<tokio::sync::Notify> {
        self.announce.clone()
    }

    /// Moves [`Db::generation`] on for a change made elsewhere (another server on the same
    /// PostgreSQL database).
    pub fn note_change_elsewhere(&self) {
        self.generation.fetch_add(1, Ordering::SeqCst);
    }

    /// Closes every connection.
    pub async fn close(&self) {
        self.read.close().await;
        self.write.close().await;
    }
}

/// A fresh random id for a server's handle.
fn origin() -> Arc<str> {
    format!("{:016x}", rand::random::<u64>()).into()
}

/// The engine a connection talks to (for the few clauses that differ, such as row locks).
pub fn engine_of(c: &sqlx::AnyConnection) -> Engine {
    if c.backend_name().eq_ignore_ascii_case("sqlite") {
        Engine::Sqlite
    } else {
        Engine::Postgres
    }
}

/// A 0/1 column as a bool.
pub fn flag(value: i64) -> bool {
    value != 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_url_scheme_chooses_the_engine() {
        assert_eq!(
            Engine::of_url("sqlite://data/phapa.db"),
            Some(Engine::Sqlite)
        );
        assert_eq!(Engine::of_url("postgres://u@h/db"), Some(Engine::Postgres));
        assert_eq!(
            Engine::of_url("postgresql://u@h/db"),
            Some(Engine::Postgres)
        );
        assert_eq!(Engine::of_url("mysql://h/db"), None);
    }
}
