//! Typed configuration from the environment.

use app::server::db::audit::key::{default_file, parse_hex, KeySource};
use std::net::SocketAddr;

/// How the server is configured. Every field has a default that runs Phapa locally.
#[derive(Clone, Debug)]
pub struct Config {
    /// `DATABASE_URL`: `sqlite://…` (default `sqlite://data/phapa.db`) or `postgres://…`.
    pub database_url: String,
    /// `LEPTOS_SITE_ADDR`: where to listen (default `127.0.0.1:3000`).
    pub site_addr: SocketAddr,
    /// `LEPTOS_SITE_ROOT`: the folder with `pkg/` (default `target/site`).
    pub site_root: String,
    /// `PHAPA_DEMO=1`: load the demo data into an empty database.
    pub demo: bool,
    /// `PHAPA_SECURE_COOKIES=1` when served over HTTPS: cookies get `Secure` and the session
    /// cookie the `__Host-` prefix.
    pub secure_cookies: bool,
    /// `PHAPA_TRUST_PROXY=1` when a reverse proxy in front appends the client's address to
    /// `X-Forwarded-For`: sign-in throttling and the audit log then use that address.
    pub trust_proxy: bool,
    /// Where the audit chain's key comes from: `PHAPA_AUDIT_KEY` (hex, at least 32 digits) or
    /// the file `PHAPA_AUDIT_KEY_FILE`, by default `audit.key` beside the SQLite database (or
    /// `data/audit.key` with PostgreSQL), generated on first start.
    pub audit_key: KeySource,
    /// `PHAPA_BACKUP_DIR`: where the server writes a verified backup of its SQLite database on
    /// its own, every `PHAPA_BACKUP_EVERY` (default `24h`; `s`, `m` or `h`), keeping the newest
    /// `PHAPA_BACKUP_KEEP` (default 14). Unset: no automatic backups.
    pub backup: Option<BackupSchedule>,
    /// `PHAPA_METRICS_ADDR` and `PHAPA_METRICS_TOKEN`: where `/metrics` may be read.
    pub metrics: MetricsAccess,
    /// `PHAPA_API_LIMIT`: open-data answers each client may have this server build per ten
    /// minutes (default 3,000; answers kept by the page cache do not count), shared between
    /// servers on one PostgreSQL database.
    pub api_limit: u32,
}

/// Open-data answers built per client and ten minutes, unless `PHAPA_API_LIMIT` says otherwise.
pub const DEFAULT_API_LIMIT: u32 = 3_000;

/// Automatic backups.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BackupSchedule {
    pub dir: std::path::PathBuf,
    pub every: std::time::Duration,
    pub keep: usize,
}

/// Who may read `/metrics`: a private address of its own, and/or callers with the token on the
/// main address. Neither set: nobody.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct MetricsAccess {
    pub addr: Option<SocketAddr>,
    pub token: Option<String>,
}

/// `30s`, `15m`, `6h`: at least a minute, at most a week.
fn duration(name: &str, text: &str) -> Result<std::time::Duration, String> {
    let bad = || format!("{name}={text:?} must be a number with s, m or h, such as 6h");
    let text = text.trim();
    let Some((at, _)) = text.char_indices().last() else {
        return Err(bad());
    };
    let (number, unit) = text.split_at(at);
    let n: u64 = number.parse().map_err(|_| bad())?;
    let secs = match unit {
        "s" => Some(n),
        "m" => n.checked_mul(60),
        "h" => n.checked_mul(3600),
        _ => return Err(bad()),
    }
    .unwrap_or(u64::MAX);
    if !(60..=7 * 24 * 3600).contains(&secs) {
        return Err(format!(
            "{name}={text:?} must be between 1 minute and 7 days"
        ));
    }
    Ok(std::time::Duration::from_secs(secs))
}

impl Config {
    /// Reads the environment; a malformed value is an error that names the variable.
    pub fn from_env() -> Result<Config, String> {
        let var = |name: &str| std::env::var(name).ok().filter(|v| !v.trim().is_empty());
        let site_addr = match var("LEPTOS_SITE_ADDR") {
            Some(addr) => addr.parse().map_err(|e| {
                format!("LEPTOS_SITE_ADDR={addr:?} is not an address such as 127.0.0.1:3000: {e}")
            })?,
            None => SocketAddr::from(([127, 0, 0, 1], 3000)),
        };
        let flag = |name: &str| match var(name).as_deref() {
            None | Some("0") | Some("false") => Ok(false),
            Some("1") | Some("true") => Ok(true),
            Some(other) => Err(format!("{name}={other:?} must be 1 or 0")),
        };
        let database_url =
            var("DATABASE_URL").unwrap_or_else(|| "sqlite://data/phapa.db".to_owned());
        let audit_key = match (var("PHAPA_AUDIT_KEY"), var("PHAPA_AUDIT_KEY_FILE")) {
            (Some(_), Some(_)) => {
                return Err("set PHAPA_AUDIT_KEY or PHAPA_AUDIT_KEY_FILE, not both".to_owned())
            }
            (Some(hex), None) => {
                parse_hex(&hex).map_err(|e| format!("PHAPA_AUDIT_KEY: {e}"))?;
                KeySource::Hex(hex)
            }
            (None, Some(file)) => KeySource::File(file.into()),
            (None, None) => KeySource::File(default_file(&database_url)),
        };
        let backup = match var("PHAPA_BACKUP_DIR") {
            None => None,
            Some(dir) => Some(BackupSchedule {
                dir: dir.into(),
                every: duration(
                    "PHAPA_BACKUP_EVERY",
                    &var("PHAPA_BACKUP_EVERY").unwrap_or_else(|| "24h".into()),
                )?,
                keep: match var("PHAPA_BACKUP_KEEP") {
                    None => 14,
                    Some(n) => n
                        .parse::<usize>()
                        .ok()
                        .filter(|n| (1..=1000).contains(n))
                        .ok_or_else(|| format!("PHAPA_BACKUP_KEEP={n:?} must be from 1 to 1000"))?,
                },
            }),
        };
        let metrics = MetricsAccess {
            addr: var("PHAPA_METRICS_ADDR")
                .map(|a| {
                    a.parse().map_err(|e| {
                        format!("PHAPA_METRICS_ADDR={a:?} is not an address such as 127.0.0.1:9100: {e}")
                    })
                })
                .transpose()?,
            token: var("PHAPA_METRICS_TOKEN")
                .map(|t| {
                    if t.len() >= 24 {
                        Ok(t)
                    } else {
                        Err("PHAPA_METRICS_TOKEN must be at least 24 characters".to_owned())
                    }
                })
                .transpose()?,
        };
        let api_limit =
            match var("PHAPA_API_LIMIT") {
                None => DEFAULT_API_LIMIT,
                Some(n) => n.parse::<u32>().ok().filter(|n| *n >= 1).ok_or_else(|| {
                    format!("PHAPA_API_LIMIT={n:?} must be a whole number from 1")
                })?,
            };
        Ok(Config {
            api_limit,
            database_url,
            site_addr,
            site_root: var("LEPTOS_SITE_ROOT").unwrap_or_else(|| "target/site".to_owned()),
            demo: flag("PHAPA_DEMO")?,
            secure_cookies: flag("PHAPA_SECURE_COOKIES")?,
            trust_proxy: flag("PHAPA_TRUST_PROXY")?,
            audit_key,
            backup,
            metrics,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn intervals_have_a_unit_and_sensible_bounds() {
        assert_eq!(duration("X", "6h").unwrap().as_secs(), 21_600);
        assert_eq!(duration("X", "90m").unwrap().as_secs(), 5_400);
        assert!(duration("X", "30s").is_err());
        assert!(duration("X", "6").is_err());
        assert!(duration("X", "").is_err());
        assert!(duration("X", "9d").is_err());
        assert!(duration("X", "200h").is_err());
        assert!(duration("X", "6ชม").is_err());
        assert!(duration("X", "18446744073709551615h").is_err());
    }
}
