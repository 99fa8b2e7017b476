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
pub mod notify;
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
    sqlite_pool, sqlite_synchronous, sqlite_url_creating_folder, LastOutage, WriteWaits,
    ACQUIRE_TIMEOUT, SQLITE_WRITER_QUEUE_TIMEOUT,
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
}

/// A write transaction. It dereferences to the connection, so the storage functions (which all
/// take `&mut AnyConnection`) are passed `&mut tx`; it knows its engine and the audit chain's key.
///
/// It runs `begin`, `commit` and `rollback` itself rather than through `sqlx::Transaction`, so
/// that a connection whose transaction ended badly is closed, never pooled again: when a disk
/// fills, SQLite rolls the transaction back on its own, sqlx's rollback then fails, and a pooled
/// connection it still believed inside a transaction refused every later write until a restart.
pub struct Tx {
    /// `None` only once committed or handed to the rollback on drop.
    conn: Option<PoolConnection<sqlx::Any>>,
    engine: Engine,
    audit_key: AuditKey,
    /// The counter that committing moves on; `None` for a private transaction.
    generation: Option<Arc<AtomicU64>>,
    /// This server's id, sent with the change notice so it can ignore its own.
    origin: Arc<str>,
}

impl Tx {
    /// Makes every change of this transaction permanent, then (unless the transaction is
    /// private) moves [`Db::generation`] on, so pages rendered before it are not served again.
    /// A failed commit closes the connection (which rolls back whatever is left of the
    /// transaction) and the pool opens a fresh one for the next writer.
    pub async fn commit(mut self) -> Result<(), sqlx::Error> {
        let Some(mut conn) = self.conn.take() else {
            return Err(sqlx::Error::Protocol("transaction already finished".into()));
        };
        if self.generation.is_some() && self.engine == Engine::Postgres {
            // Delivered to every server listening on this database when (and only if) the
            // transaction commits; see `notify::listen`.
            let note = sqlx::query(notify::NOTIFY).bind(self.origin.to_string());
            if let Err(e) = note.execute(&mut *conn).await {
                conn.close_on_drop();
                return Err(e);
            }
        }
        let result = conn.execute("commit").await.map(drop);
        if result.is_err() {
            conn.close_on_drop();
        }
        drop(conn);
        // After the commit, never before: a page whose render starts after this step reads the
        // new rows. Also on error, since a failed COMMIT may still have been applied.
        if let Some(generation) = &self.generation {
            generation.fetch_add(1, Ordering::SeqCst);
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
    /// An uncommitted transaction is rolled back before its connection goes back to the pool;
    /// when the rollback fails (or cannot be run), the connection is closed instead.
    fn drop(&mut self) {
        let Some(mut conn) = self.conn.take() else {
            return;
        };
        match tokio::runtime::Handle::try_current() {
            Ok(runtime) => {
                runtime.spawn(async move {
                    if conn.execute("rollback").await.is_err() {
                        conn.close_on_drop();
                    }
                });
            }
            Err(_) => conn.close_on_drop(),
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
        sqlx::any::install_default_drivers();
        let engine = Engine::of_url(url).ok_or_else(|| {
            sqlx::Error::Configuration(
                format!("DATABASE_URL must start with sqlite: or postgres://, not {url:?}").into(),
            )
        })?;
        let audit_key = audit::key::load(key).map_err(|e| sqlx::Error::Configuration(e.into()))?;
        let db = match engine {
            Engine::Sqlite => {
                let url = sqlite_url_creating_folder(url)?;
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
                }
            }
        };
        migrate::run(&db).await?;
        area::load_areas_if_empty(&db).await?;
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
    /// private. A page rendered while it read `n` is current for as long as it still reads `n`.
    /// It counts writes of this process only.
    pub fn generation(&self) -> u64 {
        self.generation.load(Ordering::SeqCst)
    }

    /// Starts a write transaction (on SQLite, on the one writer connection, taking the write
    /// lock at once so that a lock held by another process shows here and not midway).
    /// Committing it counts as a change that public pages may show (see [`Db::generation`]).
    pub async fn begin(&self) -> Result<Tx, sqlx::Error> {
        let mut tx = self.begin_private().await?;
        tx.generation = Some(self.generation.clone());
        Ok(tx)
    }

    /// Starts a write transaction whose changes no public page shows (sessions, sign-in
    /// throttles): committing it leaves [`Db::generation`] as it is, so pages stay cached.
    pub async fn begin_private(&self) -> Result<Tx, sqlx::Error> {
        let asked = Instant::now();
        let acquired = self.write.acquire().await;
        let timed_out = matches!(acquired, Err(sqlx::Error::PoolTimedOut));
        self.waits.note(asked.elapsed(), timed_out);
        let mut conn = acquired.inspect_err(|e| self.outage.note(e))?;
        if self.outage.since(asked) {
            // The writer ahead of us found the database down while we queued: answer now
            // instead of waiting out the same timeout again. The next one to ask tries afresh.
            return Err(sqlx::Error::PoolTimedOut);
        }
        let statement = match self.engine {
            Engine::Sqlite => "begin immediate",
            Engine::Postgres => "begin",
        };
        if let Err(e) = conn.execute(statement).await {
            self.outage.note(&e);
            // Whatever state the connection is in, the next writer gets a fresh one.
            conn.close_on_drop();
            return Err(e);
        }
        Ok(Tx {
            conn: Some(conn),
            engine: self.engine,
            audit_key: self.audit_key.clone(),
            generation: None,
            origin: self.origin.clone(),
        })
    }

    /// Whether the database answers a read and, on SQLite, could take a write now (another
    /// process holding the write lock leaves pages readable but donations unrecordable). It
    /// never queues for the writer: a writer busy with a request is a working database.
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
                let mut conn = match self.write.try_acquire() {
                    Some(conn) => conn,
                    // The writer is open and in use: a request is writing, the database works.
                    None if self.write.size() > 0 && self.write.num_idle() == 0 => return true,
                    // No writer connection (closed after a failure, or idle too long): open one.
                    None => match self.write.acquire().await {
                        Ok(conn) => conn,
                        Err(_) => return false,
                    },
                };
                match conn.execute("begin immediate").await {
                    Ok(_) => {
                        if conn.execute("rollback").await.is_err() {
                            conn.close_on_drop();
                        }
                        true
                    }
                    Err(_) => {
                        conn.close_on_drop();
                        false
                    }
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
