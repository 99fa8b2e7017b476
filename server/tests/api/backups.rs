//! Backups restore. Gifts, then a backup taken while more gifts keep arriving, then more gifts,
//! then a restore into a fresh place: the restored books pass every check and hold exactly the
//! gifts acknowledged before the backup (and none acknowledged after it). SQLite through
//! `server backup` and `server restore` (the binary, as the README says to run them);
//! PostgreSQL through the README's `pg_dump` and `pg_restore` recipe.

use crate::common;

use app::model::donation::DonationInput;
use app::model::CampaignId;
use app::server::db::audit::key::KeySource;
use app::server::{audit, donations, ledger, Caller, Db};
use common::{test_audit_key, TestApp, TestDb};
use std::collections::BTreeSet;
use std::path::PathBuf;
use std::process::Command;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

fn gift() -> DonationInput {
    DonationInput {
        campaign_id: CampaignId(1),
        channel: "cash".into(),
        amount: "250".into(),
        idempotency_key: format!("backup-{:032x}", rand::random::<u128>()),
        ..DonationInput::default()
    }
}

async fn finance(db: &Db) -> Caller {
    Caller::signed_in(&common::demo_user(db, "demo-finance").await)
}

/// Records `n` gifts and returns their references.
async fn gifts(db: &Db, n: usize) -> Vec<String> {
    let caller = finance(db).await;
    let mut refs = Vec::new();
    for _ in 0..n {
        let made = donations::record(db, &caller, &gift())
            .await
            .expect("a gift");
        refs.push(made.reference);
    }
    refs
}

async fn received(db: &Db) -> BTreeSet<String> {
    let rows: Vec<(String,)> =
        sqlx::query_as("select reference_code from donation where status = 'received'")
            .fetch_all(db.reader())
            .await
            .unwrap();
    rows.into_iter().map(|(r,)| r).collect()
}

/// Every check a restore must pass, on an opened database.
async fn books_pass(db: &Db) {
    let violations = ledger::check(db).await.unwrap();
    assert!(violations.is_empty(), "ledger: {:?}", violations.first());
    assert!(
        matches!(
            audit::verify(db).await.unwrap(),
            audit::ChainCheck::Intact { .. }
        ),
        "the audit chain verifies"
    );
}

fn hex_key() -> String {
    match test_audit_key() {
        KeySource::Hex(hex) => hex,
        KeySource::File(_) => unreachable!("the tests' key is given in hex"),
    }
}

/// The key as a server holds it by default: in `audit.key` beside the live database.
fn key_file(live_url: &str) -> PathBuf {
    let db = PathBuf::from(live_url.strip_prefix("sqlite://").unwrap());
    let file = db.with_file_name("audit.key");
    if !file.exists() {
        std::fs::write(&file, hex_key()).unwrap();
    }
    file
}

/// Runs the server binary on `url` with the live database's key file.
fn binary(url: &str, key: &std::path::Path, args: &[&str]) -> (bool, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_server"))
        .args(args)
        .env("DATABASE_URL", url)
        .env("PHAPA_AUDIT_KEY_FILE", key)
        .env_remove("PHAPA_AUDIT_KEY")
        .env("RUST_LOG", "warn")
        .output()
        .expect("run the server binary");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.success(), text)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sqlite_backup_taken_while_gifts_arrive_restores_exactly_what_was_acknowledged() {
    let place = TestDb::sqlite();
    let app = TestApp::spawn(&place.url).await;
    let db = app.db.clone();
    let before: BTreeSet<String> = gifts(&db, 30).await.into_iter().collect();

    // Gifts keep arriving while the backup is taken.
    let stop = Arc::new(AtomicBool::new(false));
    let during = Arc::new(Mutex::new(Vec::new()));
    let writer = {
        let (db, stop, during) = (db.clone(), stop.clone(), during.clone());
        tokio::spawn(async move {
            let caller = finance(&db).await;
            while !stop.load(Ordering::SeqCst) {
                let made = donations::record(&db, &caller, &gift()).await.unwrap();
                during.lock().unwrap().push(made.reference);
            }
        })
    };
    tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    let dir = std::env::temp_dir().join(format!("phapa-backups-{:016x}", rand::random::<u64>()));
    let key = key_file(&place.url);
    let (ok, said) = binary(
        &place.url,
        &key,
        &["backup", dir.to_str().unwrap(), "--keep", "3"],
    );
    stop.store(true, Ordering::SeqCst);
    writer.await.unwrap();
    assert!(ok, "{said}");
    assert!(said.contains("is good"), "{said}");
    let during_order: Vec<String> = during.lock().unwrap().clone();
    let during: BTreeSet<String> = during_order.iter().cloned().collect();
    assert!(
        !during.is_empty(),
        "gifts were recorded while the backup ran"
    );
    let after: BTreeSet<String> = gifts(&db, 10).await.into_iter().collect();

    let made: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(
        made.len(),
        1,
        "one file: no key beside it (though the live database has its key beside it), no scratch copy: {made:?}"
    );
    let file = &made[0];
    assert!(file.extension().is_some_and(|e| e == "db"), "{file:?}");

    // A wrong key, a damaged copy and an occupied target are refused.
    let wrong = KeySource::Hex("00".repeat(16));
    let refused = server::backup::verify(file, &wrong).await.unwrap_err();
    assert!(refused.contains("audit chain"), "{refused}");
    let damaged = dir.join("damaged.db");
    let bytes = std::fs::read(file).unwrap();
    std::fs::write(&damaged, &bytes[..bytes.len() / 2]).unwrap();
    assert!(server::backup::verify(&damaged, &test_audit_key())
        .await
        .is_err());
    let (ok, said) = binary(&place.url, &key, &["restore", file.to_str().unwrap()]);
    assert!(!ok && said.contains("exists"), "{said}");
    // A database that does not exist is not backed up as an empty new one.
    let nowhere = format!("sqlite://{}/none/phapa.db", dir.display());
    let (ok, said) = binary(&nowhere, &key, &["backup", dir.to_str().unwrap()]);
    assert!(!ok && said.contains("does not exist"), "{said}");

    // The restore, as documented: into a new place, with the key put there first.
    let target = TestDb::sqlite();
    let (ok, said) = binary(&target.url, &key, &["restore", file.to_str().unwrap()]);
    assert!(ok, "{said}");
    assert!(said.contains("restored"), "{said}");
    let restored = Db::connect_keyed(&target.url, &test_audit_key())
        .await
        .unwrap();
    books_pass(&restored).await;
    let held = received(&restored).await;
    let demo: BTreeSet<String> = received(&db)
        .await
        .into_iter()
        .filter(|r| !before.contains(r) && !during.contains(r) && !after.contains(r))
        .collect();
    assert!(
        held.is_superset(&before),
        "every gift acknowledged before the backup is in it"
    );
    assert!(
        held.is_disjoint(&after),
        "no gift acknowledged after the backup is in it"
    );
    assert!(
        held.iter()
            .all(|r| before.contains(r) || during.contains(r) || demo.contains(r)),
        "nothing in the backup that was never acknowledged"
    );
    // Gifts acknowledged while the backup ran (one after another) are in it up to one point
    // and none after it: the copy is one moment of the books.
    let order: Vec<String> = during_order.clone();
    let cut = order.iter().take_while(|r| held.contains(*r)).count();
    assert!(
        order[cut..].iter().all(|r| !held.contains(r)),
        "the copy holds the gifts acknowledged during it up to one point only"
    );
    eprintln!(
        "backup: {} gifts before, {} during ({} of them in the copy), {} after",
        before.len(),
        order.len(),
        order.iter().filter(|r| held.contains(*r)).count(),
        after.len()
    );
    restored.close().await;
    app.db.close().await;
    let _ = std::fs::remove_dir_all(dir);
}

/// Runs a PostgreSQL client tool, failing the test with its output when it fails.
fn pg_tool(tool: &str, args: &[&str]) {
    let out = Command::new(tool)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("{tool} is needed for the PostgreSQL backup test: {e}"));
    assert!(
        out.status.success(),
        "{tool} {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_postgres_dump_restores_exactly_what_was_acknowledged() {
    let Some(place) = TestDb::postgres().await else {
        return;
    };
    let app = TestApp::spawn(&place.url).await;
    let db = app.db.clone();
    let before: BTreeSet<String> = gifts(&db, 30).await.into_iter().collect();
    let dump = std::env::temp_dir().join(format!("phapa-{:016x}.dump", rand::random::<u64>()));
    // The README's recipe.
    pg_tool(
        "pg_dump",
        &[
            "--format=custom",
            "--file",
            dump.to_str().unwrap(),
            &place.url,
        ],
    );
    let after: BTreeSet<String> = gifts(&db, 10).await.into_iter().collect();

    let target = TestDb::postgres().await.expect("a second database");
    pg_tool(
        "pg_restore",
        &[
            "--no-owner",
            "--exit-on-error",
            "--single-transaction",
            "--dbname",
            &target.url,
            dump.to_str().unwrap(),
        ],
    );
    let restored = Db::connect_keyed(&target.url, &test_audit_key())
        .await
        .unwrap();
    books_pass(&restored).await;
    let held = received(&restored).await;
    assert!(held.is_superset(&before));
    assert!(held.is_disjoint(&after));
    let now: BTreeSet<String> = received(&db).await;
    let at_dump: BTreeSet<String> = now.difference(&after).cloned().collect();
    assert_eq!(
        held, at_dump,
        "exactly the gifts acknowledged before the dump"
    );
    restored.close().await;
    app.db.close().await;
    let _ = std::fs::remove_file(dump);
}
