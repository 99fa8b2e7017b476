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
pub mod donation;
pub mod donation_record;
pub mod donor;
pub mod export;
pub mod hospital;
pub mod idempotency;
pub mod journal;
pub mod loan;
mod migrate;
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
use sqlx::{AnyPool, Executor};
use std::str::FromStr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Instant;

pub use pool::{is_unavailable, RETRY_AFTER_SECS};
use pool::{
    sqlite_pool, sqlite_synchronous, sqlite_url_creating_folder, LastOutage, ACQUIRE_TIMEOUT,
    SQLITE_WRITER_QUEUE_TIMEOUT,
};

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
}

/// A write transaction. It dereferences to the connection, so the storage functions (which all
/// take `&mut AnyConnection`) are passed `&mut tx`; it knows its engine and the audit chain's key.
pub struct Tx {
    inner: sqlx::Transaction<'static, sqlx::Any>,
    engine: Engine,
    audit_key: AuditKey,
    /// The counter that committing moves on; `None` for a private transaction.
    generation: Option<Arc<AtomicU64>>,
}

impl Tx {
    /// Makes every change of this transaction permanent, then (unless the transaction is
    /// private) moves [`Db::generation`] on, so pages rendered before it are not served again.
    pub async fn commit(self) -> Result<(), sqlx::Error> {
        let Tx {
            inner, generation, ..
        } = self;
        let result = inner.commit().await;
        // After the commit, never before: a page whose render starts after this step reads the
        // new rows. Also on error, since a failed COMMIT may still have been applied.
        if let Some(generation) = generation {
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

impl std::ops::Deref for Tx {
    type Target = sqlx::AnyConnection;
    fn deref(&self) -> &Self::Target {
        &self.inner
    }
}

impl std::ops::DerefMut for Tx {
    fn deref_mut(&mut self) -> &mut Self::Target {
        &mut self.inner
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
        let conn = self
            .write
            .acquire()
            .await
            .inspect_err(|e| self.outage.note(e))?;
        if self.outage.since(asked) {
            // The writer ahead of us found the database down while we queued: answer now
            // instead of waiting out the same timeout again. The next one to ask tries afresh.
            return Err(sqlx::Error::PoolTimedOut);
        }
        let statement = match self.engine {
            Engine::Sqlite => Some("begin immediate".into()),
            Engine::Postgres => None,
        };
        // `Transaction::begin` is what `Pool::begin_with` runs after its own acquire; calling it
        // here lets the check above sit between the two.
        let inner = sqlx::Transaction::begin(conn, statement)
            .await
            .inspect_err(|e| self.outage.note(e))?;
        Ok(Tx {
            inner,
            engine: self.engine,
            audit_key: self.audit_key.clone(),
            generation: None,
        })
    }

    /// Whether the database answers a read and, on SQLite, could take a write now (another
    /// process holding the write lock leaves pages readable but donations unrecordable).
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
                // Dropping the transaction unused rolls it back.
                read && self.begin_private().await.is_ok()
            }
        }
    }

    /// Closes every connection.
    pub async fn close(&self) {
        self.read.close().await;
        self.write.close().await;
    }
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
