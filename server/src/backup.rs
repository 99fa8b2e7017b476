//! Backups of a live SQLite database that are proven to restore, and the restore itself.
//!
//! A backup is SQLite's `VACUUM INTO` on a reading connection: one consistent snapshot of the
//! database, taken while the server goes on recording gifts (in WAL mode readers never stop the
//! writer). It is written beside its final name as `.partial`, then checked the way a restore
//! would check it (`integrity_check`, every ledger rule, the audit chain under its key) and
//! only then renamed to `phapa-YYYYMMDDTHHMMSS.sssZ.db`. The audit key is never written beside it:
//! a copy of the database together with its key would let whoever holds both rewrite history.
//!
//! PostgreSQL is backed up with its own tools (`pg_dump`, `pg_restore`); the README gives the
//! recipe and the tests run it.

use app::server::db::audit::key::KeySource;
use app::server::{audit, ledger, Db, Engine};
use sqlx::Connection;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// What a verified copy holds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Contents {
    /// Received (not voided) gifts.
    pub received: i64,
    /// Their sum in satang.
    pub received_satang: i64,
    /// Rows of the audit chain.
    pub audit_rows: i64,
}

impl std::fmt::Display for Contents {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let money = app::model::Money::from_satang(self.received_satang);
        write!(
            f,
            "{} received gifts, {money} in all; audit chain of {} rows intact; every ledger check passes",
            self.received,
            self.audit_rows
        )
    }
}

/// A backup that passed its checks.
#[derive(Clone, Debug)]
pub struct Backup {
    pub path: PathBuf,
    pub bytes: u64,
    pub contents: Contents,
}

/// Copies the live database `db` into `dir`, verifies the copy with the audit key from `key`,
/// and then keeps only the newest `keep` verified backups there (all of them for `None`).
pub async fn backup(
    db: &Db,
    dir: &Path,
    key: &KeySource,
    keep: Option<usize>,
) -> Result<Backup, String> {
    if db.engine() != Engine::Sqlite {
        return Err(
            "`server backup` copies SQLite databases; back PostgreSQL up with pg_dump (README, \"Backups\")"
                .into(),
        );
    }
    private_dir(dir)?;
    // Milliseconds in the name: two backups in one second get two names, and names sort by time.
    let name = chrono::Utc::now()
        .format("phapa-%Y%m%dT%H%M%S%.3fZ")
        .to_string();
    let path = dir.join(format!("{name}.db"));
    let partial = path.with_extension("db.partial");
    let target = partial
        .to_str()
        .ok_or_else(|| format!("{} is not a UTF-8 path", partial.display()))?;
    let copied = match db.reader().acquire().await {
        Ok(mut c) => vacuum_into(&mut c, target).await,
        Err(e) => Err(e),
    };
    // VACUUM INTO does not sync what it wrote: a backup must be on the disk before it is
    // called good and older ones are pruned. A copy that could not be made is not left behind.
    let written = copied
        .map_err(|e| format!("could not copy the database: {e}"))
        .and_then(|_| sync_file(&partial));
    if let Err(e) = written {
        let _ = std::fs::remove_file(&partial);
        return Err(e);
    }
    let contents = match verify_in(&partial, key, dir).await {
        Ok(contents) => contents,
        Err(e) => {
            let bad = path.with_extension("db.bad");
            let _ = std::fs::rename(&partial, &bad);
            // Failed copies are pruned too (the newest two kept), or a lasting problem would
            // fill the disk one copy per turn.
            prune(dir, usize::MAX);
            return Err(format!(
                "the copy failed its checks and was kept as {}: {e}",
                bad.display()
            ));
        }
    };
    std::fs::rename(&partial, &path)
        .map_err(|e| format!("cannot name the backup {}: {e}", path.display()))?;
    sync_file(dir)?;
    let bytes = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
    if let Some(keep) = keep {
        prune(dir, keep.max(1));
    }
    Ok(Backup {
        path,
        bytes,
        contents,
    })
}

/// Checks a SQLite database file as a restore must: SQLite's `integrity_check`, every ledger
/// rule and the audit chain under the key from `key`. It works on a scratch copy, so the file
/// itself is never changed.
pub async fn verify(file: &Path, key: &KeySource) -> Result<Contents, String> {
    let beside = file.parent().filter(|p| !p.as_os_str().is_empty());
    verify_in(file, key, beside.unwrap_or(Path::new("."))).await
}

/// [`verify`] with its scratch copy in a private folder inside `place` (never the system's
/// temporary folder: the copy holds donors' details and is as large as the database).
async fn verify_in(file: &Path, key: &KeySource, place: &Path) -> Result<Contents, String> {
    must_have_key(key)?;
    let scratch = place.join(format!(".phapa-verify-{:016x}", rand::random::<u64>()));
    private_dir(&scratch)?;
    let copy = scratch.join("check.db");
    let result = async {
        std::fs::copy(file, &copy).map_err(|e| format!("cannot read {}: {e}", file.display()))?;
        check(&copy, key).await
    }
    .await;
    let _ = std::fs::remove_dir_all(&scratch);
    result
}

/// Restores the backup `file` into `target_url` (a SQLite URL naming a file that does not exist
/// yet): verifies the backup, copies it into place, opens it (running any newer migrations) and
/// checks it again there. Returns what the restored database holds.
pub async fn restore(file: &Path, target_url: &str, key: &KeySource) -> Result<Contents, String> {
    let target = sqlite_path(target_url)
        .ok_or_else(|| format!("restore writes a SQLite file; DATABASE_URL={target_url:?} names none (PostgreSQL: pg_restore, see the README)"))?;
    // A journal or write-ahead log left beside the target would be replayed into the restored
    // file, so they count as the target existing.
    for path in [
        target.clone(),
        PathBuf::from(format!("{}-wal", target.display())),
        PathBuf::from(format!("{}-shm", target.display())),
        PathBuf::from(format!("{}-journal", target.display())),
    ] {
        if path.exists() {
            return Err(format!(
                "{} exists; restore only into a new place, then switch the server over",
                path.display()
            ));
        }
    }
    // The scratch copy goes where the database will live (the backup may be on read-only media).
    let place = target
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
        .to_path_buf();
    private_dir(&place)?;
    let before = verify_in(file, key, &place).await?;
    let partial = target.with_extension("restoring");
    let placed = std::fs::copy(file, &partial)
        .map_err(|e| format!("cannot write {}: {e}", partial.display()))
        .and_then(|_| sync_file(&partial))
        .and_then(|_| {
            std::fs::rename(&partial, &target)
                .map_err(|e| format!("cannot write {}: {e}", target.display()))
        });
    if let Err(e) = placed {
        let _ = std::fs::remove_file(&partial);
        return Err(e);
    }
    if let Some(parent) = target.parent().filter(|p| !p.as_os_str().is_empty()) {
        sync_file(parent)?;
    }
    let after = check(&target, key).await?;
    if after != before {
        return Err(format!(
            "the restored database differs from the backup ({after} against {before})"
        ));
    }
    Ok(after)
}

/// Makes a verified backup every `every`, keeping the newest `keep`; failures are logged and
/// retried at the next turn. The age of the newest backup is on `/metrics`.
pub fn schedule(db: Db, dir: PathBuf, every: Duration, keep: usize, key: KeySource) {
    tokio::spawn(async move {
        // A server that restarts (or crash-loops) does not add a backup each time: the first
        // waits until the newest one is `every` old.
        let age = newest(&dir).and_then(|(_, at)| at.elapsed().ok());
        let first = every.saturating_sub(age.unwrap_or(every));
        let mut ticks = tokio::time::interval_at(tokio::time::Instant::now() + first, every);
        ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            ticks.tick().await;
            match owned_backup(db.clone(), dir.clone(), key.clone(), keep).await {
                Ok(b) => {
                    tracing::info!(path = %b.path.display(), bytes = b.bytes, "backup verified: {}", b.contents);
                }
                Err(e) => tracing::error!("backup failed: {e}"),
            }
        }
    });
}

/// [`backup`] on a thread of its own, driven by this runtime: the borrowing future cannot be
/// proven `Send` for every lifetime (a rustc limitation with sqlx's executors), and a backup is
/// rare and slow enough not to mind a thread.
async fn owned_backup(db: Db, dir: PathBuf, key: KeySource, keep: usize) -> Result<Backup, String> {
    let runtime = tokio::runtime::Handle::current();
    tokio::task::spawn_blocking(move || {
        runtime.block_on(async move { backup(&db, &dir, &key, Some(keep)).await })
    })
    .await
    .map_err(|e| format!("the backup stopped: {e}"))?
}

async fn check(file: &Path, key: &KeySource) -> Result<Contents, String> {
    let url = format!("sqlite://{}", file.display());
    let mut raw = sqlx::sqlite::SqliteConnection::connect(&url)
        .await
        .map_err(|e| format!("cannot open {}: {e}", file.display()))?;
    let rows: Vec<(String,)> = sqlx::query_as("pragma integrity_check")
        .fetch_all(&mut raw)
        .await
        .map_err(|e| format!("integrity_check could not run: {e}"))?;
    raw.close().await.ok();
    if rows.iter().map(|(r,)| r.as_str()).ne(["ok"]) {
        let first = rows.first().map(|(r,)| r.as_str()).unwrap_or("no answer");
        return Err(format!("integrity_check failed: {first}"));
    }
    let db = Db::connect_keyed(&url, key)
        .await
        .map_err(|e| format!("cannot open {}: {e}", file.display()))?;
    let result = contents(&db).await;
    db.close().await;
    result
}

async fn contents(db: &Db) -> Result<Contents, String> {
    let violations = ledger::check(db).await.map_err(|e| e.to_string())?;
    if let Some(first) = violations.first() {
        return Err(format!(
            "the ledger check failed: {} ({} in all)",
            first.0,
            violations.len()
        ));
    }
    let audit_rows = match audit::verify(db).await.map_err(|e| e.to_string())? {
        audit::ChainCheck::Intact { rows } => rows,
        audit::ChainCheck::BrokenAt { seq, reason } => {
            return Err(format!(
                "the audit chain does not verify at row {seq} (is this the database's own key?): {reason}"
            ))
        }
    };
    let mut c = db.reader().acquire().await.map_err(|e| e.to_string())?;
    let (received, received_satang) = received(&mut c).await.map_err(|e| e.to_string())?;
    Ok(Contents {
        received,
        received_satang,
        audit_rows,
    })
}

async fn vacuum_into(c: &mut sqlx::AnyConnection, target: &str) -> Result<(), sqlx::Error> {
    sqlx::query("vacuum into $1")
        .bind(target)
        .execute(c)
        .await?;
    Ok(())
}

/// Received gifts and their sum.
async fn received(c: &mut sqlx::AnyConnection) -> Result<(i64, i64), sqlx::Error> {
    sqlx::query_as(
        "select count(*), coalesce(sum(amount_satang), 0) from donation where status = 'received'",
    )
    .fetch_one(c)
    .await
}

/// A key file that does not exist would be created, and a new key verifies nothing.
fn must_have_key(key: &KeySource) -> Result<(), String> {
    match key {
        KeySource::File(path) if !path.exists() => Err(format!(
            "the audit key {} does not exist: put the key this database was written with there \
             (or set PHAPA_AUDIT_KEY_FILE / PHAPA_AUDIT_KEY); a new key would verify nothing",
            path.display()
        )),
        _ => Ok(()),
    }
}

fn older_than_an_hour(entry: &std::fs::DirEntry) -> bool {
    entry
        .metadata()
        .and_then(|m| m.modified())
        .ok()
        .and_then(|at| at.elapsed().ok())
        .is_some_and(|age| age > std::time::Duration::from_secs(3600))
}

/// Creates `dir` (and its parents) readable by this user only, as backups hold donors' details.
fn private_dir(dir: &Path) -> Result<(), String> {
    use std::os::unix::fs::DirBuilderExt;
    if dir.is_dir() {
        return Ok(());
    }
    std::fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(dir)
        .map_err(|e| format!("cannot create {}: {e}", dir.display()))
}

/// Flushes a file (or a folder's entries) to the disk.
fn sync_file(path: &Path) -> Result<(), String> {
    std::fs::File::open(path)
        .and_then(|f| f.sync_all())
        .map_err(|e| format!("cannot sync {}: {e}", path.display()))
}

/// The newest verified backup in `dir` and when it was made.
pub fn newest(dir: &Path) -> Option<(PathBuf, std::time::SystemTime)> {
    std::fs::read_dir(dir)
        .ok()?
        .flatten()
        .filter(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            name.starts_with("phapa-") && name.ends_with(".db")
        })
        .filter_map(|e| Some((e.path(), e.metadata().ok()?.modified().ok()?)))
        .max_by_key(|(_, at)| *at)
}

/// The file a SQLite URL names.
fn sqlite_path(url: &str) -> Option<PathBuf> {
    let rest = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))?;
    let path = rest.split_once('?').map_or(rest, |(p, _)| p);
    (!path.is_empty() && path != ":memory:").then(|| PathBuf::from(path))
}

/// Deletes all but the newest `keep` verified backups in `dir` (names sort by time), and copies
/// left half-made by an interrupted run.
fn prune(dir: &Path, keep: usize) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let (mut made, mut bad): (Vec<PathBuf>, Vec<PathBuf>) = (Vec::new(), Vec::new());
    for entry in entries.flatten() {
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with(".phapa-verify-") {
            // A check's scratch copy left by a process that was killed.
            if older_than_an_hour(&entry) {
                let _ = std::fs::remove_dir_all(path);
            }
            continue;
        }
        if !name.starts_with("phapa-") {
            continue;
        }
        if name.ends_with(".db") {
            made.push(path);
        } else if name.ends_with(".db.bad") {
            bad.push(path);
        } else if name.ends_with(".db.partial") {
            // Another backup may be writing it right now; only an old one was left behind.
            if older_than_an_hour(&entry) {
                let _ = std::fs::remove_file(path);
            }
        }
    }
    // Copies that failed their checks are kept for a person to look at, but only the newest two:
    // a problem that lasts must not fill the disk one copy at a time.
    for (list, keep) in [(&mut made, keep), (&mut bad, 2)] {
        list.sort();
        let extra = list.len().saturating_sub(keep);
        for old in &list[..extra] {
            if let Err(e) = std::fs::remove_file(old) {
                tracing::warn!("could not remove the old backup {}: {e}", old.display());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_sqlite_urls_name_a_file() {
        assert_eq!(
            sqlite_path("sqlite://data/x.db?mode=rwc"),
            Some(PathBuf::from("data/x.db"))
        );
        assert_eq!(sqlite_path("sqlite::memory:"), None);
        assert_eq!(sqlite_path("postgres://h/db"), None);
    }

    #[test]
    fn pruning_keeps_the_newest_and_removes_half_made_copies() {
        let dir = std::env::temp_dir().join(format!("phapa-prune-{:016x}", rand::random::<u64>()));
        private_dir(&dir).unwrap();
        for name in [
            "phapa-20261201T000000.000Z.db",
            "phapa-20261202T000000.000Z.db",
            "phapa-20261203T000000.000Z.db",
            "phapa-20261203T010000.000Z.db.partial",
            "phapa-20261201T000000.000Z.db.bad",
            "phapa-20261202T000000.000Z.db.bad",
            "phapa-20261203T000000.000Z.db.bad",
            "notes.txt",
        ] {
            std::fs::write(dir.join(name), b"x").unwrap();
        }
        prune(&dir, 2);
        let mut left: Vec<String> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        left.sort();
        assert_eq!(
            left,
            [
                "notes.txt",
                "phapa-20261202T000000.000Z.db",
                "phapa-20261202T000000.000Z.db.bad",
                "phapa-20261203T000000.000Z.db",
                "phapa-20261203T000000.000Z.db.bad",
                // Written just now: it may be another backup's copy in progress.
                "phapa-20261203T010000.000Z.db.partial",
            ]
        );
        std::fs::remove_dir_all(dir).unwrap();
    }
}
