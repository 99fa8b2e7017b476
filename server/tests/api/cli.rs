//! The server binary's commands, run as a person would run them, on SQLite and PostgreSQL.

use crate::common;

use app::server::db::audit::key::KeySource;
use app::server::Db;
use std::io::Write;
use std::process::{Command, Output, Stdio};

/// The audit key file every command of a test uses: beside its database for SQLite, and in a
/// temporary folder for PostgreSQL, never in the source tree.
fn key_file(url: &str) -> std::path::PathBuf {
    match url.strip_prefix("sqlite://") {
        Some(path) => std::path::Path::new(path).with_file_name("cli-audit.key"),
        None => {
            let name = url.rsplit('/').next().unwrap_or("db");
            std::env::temp_dir().join(format!("phapa-cli-key-{name}.key"))
        }
    }
}

fn run(url: &str, args: &[&str], stdin: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_server"))
        .args(args)
        .env("DATABASE_URL", url)
        .env("PHAPA_AUDIT_KEY_FILE", key_file(url))
        .env_remove("PHAPA_AUDIT_KEY")
        .env("RUST_LOG", "warn")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start the server binary");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(stdin.as_bytes())
        .expect("write stdin");
    child.wait_with_output().expect("wait")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

async fn commands_work_as_documented(url: String) {
    let made = run(
        &url,
        &[
            "create-admin",
            "--username",
            "first-admin",
            "--display-name",
            "ผู้ดูแล",
        ],
        "a-long-enough-password\n",
    );
    assert!(made.status.success(), "{}", text(&made.stderr));
    assert!(text(&made.stdout).contains("administrator first-admin created"));
    let key = key_file(&url);
    assert!(
        text(&made.stdout).contains("NEW AUDIT KEY GENERATED")
            || text(&made.stderr).contains("NEW AUDIT KEY GENERATED"),
        "the first start warns loudly about the new key"
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&key).unwrap().permissions().mode();
        assert_eq!(
            mode & 0o777,
            0o600,
            "only the server's user can read the key"
        );
    }

    let again = run(
        &url,
        &["create-admin", "--username", "first-admin"],
        "a-long-enough-password\n",
    );
    assert!(!again.status.success());
    assert!(text(&again.stderr).contains("taken"));
    let short = run(
        &url,
        &["create-admin", "--username", "second-admin"],
        "short\n",
    );
    assert!(!short.status.success());
    assert!(text(&short.stderr).contains("password"));

    let verified = run(&url, &["verify-audit"], "");
    assert!(verified.status.success(), "{}", text(&verified.stderr));
    assert!(text(&verified.stdout).contains("1 rows"));
    let head = run(&url, &["audit-head"], "");
    assert!(head.status.success(), "{}", text(&head.stderr));
    let head = text(&head.stdout).trim().to_owned();
    assert!(head.starts_with("1:") && head.len() == 66, "{head}");
    let published = run(&url, &["verify-audit", "--head", &head], "");
    assert!(published.status.success(), "{}", text(&published.stderr));
    assert!(text(&published.stdout).contains("published head 1 is still in the chain"));
    let wrong_head = format!("1:{}", "0".repeat(64));
    let refused = run(&url, &["verify-audit", "--head", &wrong_head], "");
    assert!(!refused.status.success());
    assert!(
        text(&refused.stderr).contains("published head"),
        "{}",
        text(&refused.stderr)
    );
    assert!(!run(&url, &["verify-audit", "--head", "junk"], "")
        .status
        .success());
    let other_key = run_with_key(&url, &["verify-audit"], &"ab".repeat(32));
    assert!(
        !other_key.status.success(),
        "the chain does not verify with another key"
    );
    assert!(run(&url, &["check-ledger"], "").status.success());

    let dir = std::env::temp_dir().join(format!("phapa-cli-{}", rand::random::<u64>()));
    std::fs::create_dir_all(&dir).unwrap();
    let bad = dir.join("bad.csv");
    std::fs::write(
        &bad,
        "facility_code,name_th,subdistrict_code,type\n12345,ดี,400101,other\n1234,ผิด,400101,other\n",
    )
    .unwrap();
    let refused = run(&url, &["import-hospitals", bad.to_str().unwrap()], "");
    assert!(!refused.status.success());
    assert!(
        text(&refused.stderr).contains("bad.csv:3: facility_code"),
        "{}",
        text(&refused.stderr)
    );
    let good = dir.join("good.csv");
    std::fs::write(
        &good,
        "facility_code,name_th,subdistrict_code,type\n12345,ดี,400101,other\n",
    )
    .unwrap();
    let imported = run(&url, &["import-hospitals", good.to_str().unwrap()], "");
    assert!(imported.status.success(), "{}", text(&imported.stderr));
    assert!(text(&imported.stdout).contains("1 hospitals added"));
    std::fs::remove_dir_all(dir).unwrap();

    let db = Db::connect_keyed(&url, &KeySource::File(key.clone()))
        .await
        .unwrap();
    common::allow_tampering(&db).await;
    sqlx::query("update audit_log set actor = 'someone-else' where seq = 1")
        .execute(db.reader())
        .await
        .unwrap();
    db.close().await;
    let broken = run(&url, &["verify-audit"], "");
    assert!(!broken.status.success());
    assert!(
        text(&broken.stderr).contains("broken at row 1"),
        "{}",
        text(&broken.stderr)
    );

    assert_eq!(run(&url, &["no-such-command"], "").status.code(), Some(1));
    std::fs::remove_file(key).unwrap();
}

fn run_with_key(url: &str, args: &[&str], hex: &str) -> Output {
    Command::new(env!("CARGO_BIN_EXE_server"))
        .args(args)
        .env("DATABASE_URL", url)
        .env("PHAPA_AUDIT_KEY", hex)
        .env_remove("PHAPA_AUDIT_KEY_FILE")
        .env("RUST_LOG", "error")
        .output()
        .expect("run the server binary")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn commands_on_sqlite() {
    let place = common::TestDb::sqlite();
    commands_work_as_documented(place.url.clone()).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn commands_on_postgres() {
    if let Some(place) = common::TestDb::postgres().await {
        commands_work_as_documented(place.url.clone()).await;
    }
}
