//! The `server` binary: serves Phapa, or runs one maintenance command.

use server::Config;
use std::process::ExitCode;

const USAGE: &str = "usage: server [serve | migrate | import-hospitals FILE.csv | check-ledger | rebuild-kept
              | audit-head | verify-audit [--head SEQ:HASH]
              | backup DIR [--keep N] | verify-backup FILE | restore FILE
              | create-admin --username NAME [--display-name NAME] | grow-demo N]
  backup copies the live SQLite database into DIR as phapa-TIME.db and says it is good only
  after the copy passes integrity_check, check-ledger and verify-audit (the audit key is not copied)
  restore FILE verifies a backup and puts it where DATABASE_URL points, which must not exist yet;
  the audit key the database was written with must be in place first
  create-admin reads the password from standard input when it is not a terminal, otherwise asks twice without echo
  rebuild-kept refills the sums kept beside the journal (per account, per hour) from the gifts and
  the journal, then checks the books: for when check-ledger finds them apart
  grow-demo N adds N fictional gifts to the demo's open campaign through the real ledger path
  (only on a database loaded with PHAPA_DEMO=1), for measuring pages at province scale
  audit-head prints the audit chain's newest row as SEQ:HASH, to publish outside Phapa;
  verify-audit --head SEQ:HASH then also fails unless that row is still in the chain unchanged";

#[tokio::main]
async fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "info,sqlx=warn,tower_http=info".into()),
        )
        .init();
    let config = match Config::from_env() {
        Ok(config) => config,
        Err(message) => {
            eprintln!("configuration error: {message}");
            return ExitCode::from(2);
        }
    };
    let args: Vec<String> = std::env::args().skip(1).collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let outcome = match args.as_slice() {
        [] | ["serve"] => serve(&config).await,
        ["migrate"] => commands::migrate(&config).await,
        ["import-hospitals", file] => commands::import_hospitals(&config, file).await,
        ["check-ledger"] => commands::check_ledger(&config).await,
        ["rebuild-kept"] => commands::rebuild_kept(&config).await,
        ["verify-audit"] => commands::verify_audit(&config, None).await,
        ["verify-audit", "--head", head] => commands::verify_audit(&config, Some(head)).await,
        ["audit-head"] => commands::audit_head(&config).await,
        ["backup", dir] => commands::backup(&config, dir, None).await,
        ["backup", dir, "--keep", n] => match n.parse::<usize>() {
            Ok(n) if n >= 1 => commands::backup(&config, dir, Some(n)).await,
            _ => Err(format!("--keep {n:?} must be a whole number from 1")),
        },
        ["verify-backup", file] => commands::verify_backup(&config, file).await,
        ["restore", file] => commands::restore(&config, file).await,
        ["create-admin", "--username", name] => commands::create_admin(&config, name, name).await,
        ["create-admin", "--username", name, "--display-name", display] => {
            commands::create_admin(&config, name, display).await
        }
        ["grow-demo", n] => match n.parse::<usize>() {
            Ok(n) => commands::grow_demo(&config, n).await,
            _ => Err(format!("grow-demo {n:?}: a whole number of gifts")),
        },
        _ => Err(USAGE.to_owned()),
    };
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("{message}");
            ExitCode::FAILURE
        }
    }
}

async fn serve(config: &Config) -> Result<(), String> {
    let parts = server::build_parts(config)
        .await
        .map_err(|e| format!("could not open the database {}: {e}", config.database_url))?;
    if let Some(addr) = config.metrics.addr {
        let listener = tokio::net::TcpListener::bind(addr)
            .await
            .map_err(|e| format!("could not listen on {addr} for /metrics: {e}"))?;
        println!("metrics at http://{addr}/metrics");
        tokio::spawn(server::metrics::serve_private(
            listener,
            parts.metrics.clone(),
        ));
    }
    let router = parts.router;
    let listener = tokio::net::TcpListener::bind(config.site_addr)
        .await
        .map_err(|e| format!("could not listen on {}: {e}", config.site_addr))?;
    let addr = listener.local_addr().map_err(|e| e.to_string())?;
    println!("Phapa is running at http://{addr}/");
    server::serve(listener, router)
        .await
        .map_err(|e| e.to_string())
}

mod commands {
    use app::server::import::{import_hospitals as import, ImportError};
    use app::server::{ledger, Db};
    use server::Config;

    async fn open(config: &Config) -> Result<Db, String> {
        Db::connect_keyed(&config.database_url, &config.audit_key)
            .await
            .map_err(|e| format!("could not open the database {}: {e}", config.database_url))
    }

    pub async fn grow_demo(config: &Config, count: usize) -> Result<(), String> {
        let db = open(config).await?;
        let started = std::time::Instant::now();
        let grown = app::server::demo::grow(&db, count, app::server::today()).await;
        // Closed before the process ends, so SQLite folds its log into the file.
        db.close().await;
        let campaign = grown.map_err(|e| format!("could not grow the demo: {e}"))?;
        println!(
            "campaign {campaign}: {count} more gifts in {:.1} s",
            started.elapsed().as_secs_f64()
        );
        Ok(())
    }

    pub async fn migrate(config: &Config) -> Result<(), String> {
        open(config).await?;
        println!("database is up to date");
        Ok(())
    }

    pub async fn import_hospitals(config: &Config, file: &str) -> Result<(), String> {
        let text =
            std::fs::read_to_string(file).map_err(|e| format!("could not read {file}: {e}"))?;
        let db = open(config).await?;
        match import(&db, &text).await {
            Ok(report) => {
                println!(
                    "{} hospitals added, {} updated",
                    report.inserted, report.updated
                );
                Ok(())
            }
            Err(ImportError::Rows(rows)) => {
                for row in &rows {
                    eprintln!("{file}:{}: {}", row.line, row.message);
                }
                Err(format!("{} bad row(s); nothing was imported", rows.len()))
            }
            Err(other) => Err(other.to_string()),
        }
    }

    /// Prints the chain's head as `SEQ:HASH`.
    pub async fn audit_head(config: &Config) -> Result<(), String> {
        let db = open(config).await?;
        let (seq, hash) = app::server::audit::head(&db)
            .await
            .map_err(|e| e.to_string())?;
        println!("{seq}:{hash}");
        Ok(())
    }

    pub async fn verify_audit(config: &Config, head: Option<&str>) -> Result<(), String> {
        use app::server::audit::{verify, verify_against, ChainCheck};
        let published = match head {
            None => None,
            Some(text) => Some(
                text.split_once(':')
                    .and_then(|(seq, hash)| Some((seq.trim().parse::<i64>().ok()?, hash)))
                    .filter(|(seq, hash)| *seq >= 0 && hash.trim().len() == 64)
                    .ok_or_else(|| {
                        format!("--head {text:?} must be SEQ:HASH as audit-head prints it")
                    })?,
            ),
        };
        let db = open(config).await?;
        let check = match published {
            None => verify(&db).await,
            Some((seq, hash)) => verify_against(&db, seq, hash).await,
        };
        match check.map_err(|e| e.to_string())? {
            ChainCheck::Intact { rows } => {
                println!(
                    "the audit log is intact: {rows} rows, every hash follows from the one before"
                );
                if let Some((seq, _)) = published {
                    println!("the published head {seq} is still in the chain, unchanged");
                }
                Ok(())
            }
            ChainCheck::BrokenAt { seq, reason } => {
                Err(format!("the audit log is broken at row {seq}: {reason}"))
            }
        }
    }

    pub async fn create_admin(
        config: &Config,
        username: &str,
        display_name: &str,
    ) -> Result<(), String> {
        use std::io::{BufRead, IsTerminal};
        let password = if std::io::stdin().is_terminal() {
            let first = rpassword::prompt_password("Password (12–128 characters): ")
                .map_err(|e| e.to_string())?;
            let again =
                rpassword::prompt_password("Password again: ").map_err(|e| e.to_string())?;
            if first != again {
                return Err("the two passwords differ; nothing was created".into());
            }
            first
        } else {
            let mut line = String::new();
            std::io::stdin()
                .lock()
                .read_line(&mut line)
                .map_err(|e| e.to_string())?;
            line.trim_end_matches(['\r', '\n']).to_owned()
        };
        let db = open(config).await?;
        match app::server::accounts::create_first_admin(&db, username, display_name, &password)
            .await
        {
            Ok(id) => {
                println!("administrator {username} created (account {})", id.0);
                Ok(())
            }
            Err(app::error::AppError::Validation(fields)) => Err(fields
                .iter()
                .map(|f| format!("{}: {}", f.field, f.en))
                .collect::<Vec<_>>()
                .join("\n")),
            Err(other) => Err(other.to_string()),
        }
    }

    pub async fn backup(config: &Config, dir: &str, keep: Option<usize>) -> Result<(), String> {
        // As it is: a backup neither creates a missing database nor migrates the live one.
        let db = Db::open_existing(&config.database_url, &config.audit_key)
            .await
            .map_err(|e| format!("could not open the database {}: {e}", config.database_url))?;
        let started = std::time::Instant::now();
        let made =
            server::backup::backup(&db, std::path::Path::new(dir), &config.audit_key, keep).await?;
        println!(
            "backup {} is good ({} bytes, {:.1} s): {}",
            made.path.display(),
            made.bytes,
            started.elapsed().as_secs_f64(),
            made.contents
        );
        Ok(())
    }

    pub async fn verify_backup(config: &Config, file: &str) -> Result<(), String> {
        let contents =
            server::backup::verify(std::path::Path::new(file), &config.audit_key).await?;
        println!("{file} is good: {contents}");
        Ok(())
    }

    pub async fn restore(config: &Config, file: &str) -> Result<(), String> {
        let contents = server::backup::restore(
            std::path::Path::new(file),
            &config.database_url,
            &config.audit_key,
        )
        .await?;
        println!("restored {file} into {}: {contents}", config.database_url);
        Ok(())
    }

    pub async fn rebuild_kept(config: &Config) -> Result<(), String> {
        let db = open(config).await?;
        let (hours, balances) = ledger::rebuild_kept(&db)
            .await
            .map_err(|e| format!("could not rebuild the kept sums: {e}"))?;
        println!("kept sums rebuilt: {hours} campaign hours, {balances} account balances");
        db.close().await;
        check_ledger(config).await
    }

    pub async fn check_ledger(config: &Config) -> Result<(), String> {
        let db = open(config).await?;
        let violations = ledger::check(&db).await.map_err(|e| e.to_string())?;
        match violations.first() {
            None => {
                println!("the books balance: every aggregate equals its journal");
                Ok(())
            }
            Some(first) => Err(format!(
                "first violation: {} ({} in all)",
                first.0,
                violations.len()
            )),
        }
    }
}
