//! Storage on SQLite (the default, embedded) or PostgreSQL, chosen by the database URL at start-up.
//!
//! Both engines are reached through sqlx's `Any` driver with one set of SQL; where the engines
//! differ, the difference lives in [`migrate`] and in [`Engine`]. On SQLite every write goes
//! through one dedicated writer connection, so a transaction that reads and then writes can never
//! fail with `SQLITE_BUSY` while upgrading its lock; readers use a pool of their own (WAL mode
//! lets them read while the writer writes). On PostgreSQL both handles are the same pool.

pub mod account;
pub mod audit;
pub mod batch;
pub mod campaign;
pub mod campaign_fund;
pub mod catalog;
pub mod donation;
pub mod donation_record;
pub mod donor;
pub mod hospital;
pub mod idempotency;
pub mod journal;
mod migrate;
pub mod partner;
pub mod receipt;
pub mod session;
pub mod throttle;
pub mod time;

/// The storage layer's error type.
pub use sqlx::Error as DbError;

use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::{AnyPool, Executor};
use std::str::FromStr;
use std::time::Duration;

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
}

/// A write transaction. It dereferences to the connection (`&mut **tx` in a query) and knows
/// its engine, for the few statements that differ (row locks), and the audit chain's key.
pub struct Tx {
    inner: sqlx::Transaction<'static, sqlx::Any>,
    engine: Engine,
    audit_key: AuditKey,
}

impl Tx {
    /// Makes every change of this transaction permanent.
    pub async fn commit(self) -> Result<(), sqlx::Error> {
        self.inner.commit().await
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
                let read = sqlite_pool(4).connect_with(options.clone()).await?;
                let write = sqlite_pool(1).connect_with(options).await?;
                Db {
                    engine,
                    read,
                    write,
                    audit_key,
                }
            }
            Engine::Postgres => {
                let pool = AnyPoolOptions::new()
                    .max_connections(16)
                    .acquire_timeout(Duration::from_secs(10))
                    .connect(url)
                    .await?;
                Db {
                    engine,
                    read: pool.clone(),
                    write: pool,
                    audit_key,
                }
            }
        };
        migrate::run(&db).await?;
        super::reference::load_areas_if_empty(&db).await?;
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

    /// Starts a write transaction (on SQLite, on the one writer connection).
    pub async fn begin(&self) -> Result<Tx, sqlx::Error> {
        Ok(Tx {
            inner: self.write.begin().await?,
            engine: self.engine,
            audit_key: self.audit_key.clone(),
        })
    }

    /// Whether the database answers a trivial query.
    pub async fn ping(&self) -> bool {
        self.read.execute("select 1").await.is_ok()
    }

    /// Closes every connection.
    pub async fn close(&self) {
        self.read.close().await;
        self.write.close().await;
    }
}

fn sqlite_pool(max: u32) -> AnyPoolOptions {
    AnyPoolOptions::new()
        .max_connections(max)
        .acquire_timeout(Duration::from_secs(30))
        .after_connect(|conn, _meta| {
            Box::pin(async move {
                conn.execute("pragma journal_mode = wal").await?;
                conn.execute("pragma foreign_keys = on").await?;
                conn.execute("pragma busy_timeout = 10000").await?;
                conn.execute("pragma synchronous = normal").await?;
                Ok(())
            })
        })
}

/// Makes sure the folder of a SQLite file exists and that the file is created when missing.
fn sqlite_url_creating_folder(url: &str) -> Result<String, sqlx::Error> {
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

    #[test]
    fn sqlite_urls_create_the_file_when_missing() {
        let dir = std::env::temp_dir().join(format!("phapa-url-{}", rand::random::<u32>()));
        let url = format!("sqlite://{}/x.db", dir.display());
        let out = sqlite_url_creating_folder(&url).unwrap();
        assert!(out.ends_with("x.db?mode=rwc"), "{out}");
        assert!(dir.is_dir());
        std::fs::remove_dir_all(dir).unwrap();
    }
}
