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
        Ok(Config {
            database_url,
            site_addr,
            site_root: var("LEPTOS_SITE_ROOT").unwrap_or_else(|| "target/site".to_owned()),
            demo: flag("PHAPA_DEMO")?,
            secure_cookies: flag("PHAPA_SECURE_COOKIES")?,
            trust_proxy: flag("PHAPA_TRUST_PROXY")?,
            audit_key,
        })
    }
}
