//! Where the audit chain's key comes from: `PHAPA_AUDIT_KEY` (hex) or a file. The key never
//! enters the database, so someone who can rewrite the database cannot recompute the chain.
//! A missing key file is generated on first start (mode 0600) with a loud warning: losing the
//! key means the chain written with it can no longer be verified.

use super::super::AuditKey;
use std::io::Write;
use std::path::{Path, PathBuf};

/// The fewest key bytes accepted (128 bits); generated keys have 32.
const MIN_KEY_BYTES: usize = 16;
const GENERATED_KEY_BYTES: usize = 32;

/// Where to take the key from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum KeySource {
    /// The key itself, in hex (from `PHAPA_AUDIT_KEY`).
    Hex(String),
    /// A file holding the key in hex; created when missing.
    File(PathBuf),
}

/// The default key file for a database URL: beside the SQLite file, or `./data/audit.key`
/// for PostgreSQL (the folder where SQLite would keep its database by default).
pub fn default_file(url: &str) -> PathBuf {
    let sqlite = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))
        .map(|rest| rest.split_once('?').map_or(rest, |(path, _)| path))
        .filter(|path| !path.is_empty() && *path != ":memory:");
    match sqlite.and_then(|path| Path::new(path).parent()) {
        Some(dir) if !dir.as_os_str().is_empty() => dir.join("audit.key"),
        Some(_) => PathBuf::from("audit.key"),
        None => PathBuf::from("data").join("audit.key"),
    }
}

/// Reads hex into bytes, refusing anything that is not a key of at least 128 bits.
pub fn parse_hex(text: &str) -> Result<AuditKey, String> {
    let text = text.trim();
    if !text.len().is_multiple_of(2) || !text.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err("the audit key must be written in hexadecimal digits".to_owned());
    }
    let bytes: Vec<u8> = (0..text.len())
        .step_by(2)
        .filter_map(|i| u8::from_str_radix(&text[i..i + 2], 16).ok())
        .collect();
    if bytes.len() < MIN_KEY_BYTES {
        return Err(format!(
            "the audit key must be at least {MIN_KEY_BYTES} bytes ({} hex digits)",
            MIN_KEY_BYTES * 2
        ));
    }
    Ok(AuditKey::new(&bytes))
}

/// The key from `source`, generating the file when it does not exist yet.
pub fn load(source: &KeySource) -> Result<AuditKey, String> {
    match source {
        KeySource::Hex(text) => parse_hex(text).map_err(|e| format!("PHAPA_AUDIT_KEY: {e}")),
        KeySource::File(path) => match std::fs::read_to_string(path) {
            Ok(text) => parse_hex(&text).map_err(|e| format!("{}: {e}", path.display())),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => create(path),
            Err(e) => Err(format!("cannot read the audit key {}: {e}", path.display())),
        },
    }
}

/// Writes a fresh random key to `path` without ever exposing a half-written file: the key goes
/// to a private temporary file that is then linked into place. When another process created the
/// key first, the link fails and that key is used instead.
fn create(path: &Path) -> Result<AuditKey, String> {
    let fail = |e: std::io::Error| format!("cannot create the audit key {}: {e}", path.display());
    let dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir.to_path_buf(),
        _ => PathBuf::from("."),
    };
    std::fs::create_dir_all(&dir).map_err(fail)?;
    let bytes: [u8; GENERATED_KEY_BYTES] = rand::random();
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    let temp = dir.join(format!(".audit.key.{:016x}", rand::random::<u64>()));
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let written = options.open(&temp).and_then(|mut file| {
        file.write_all(format!("{hex}\n").as_bytes())?;
        file.sync_all()
    });
    if let Err(e) = written {
        let _ = std::fs::remove_file(&temp);
        return Err(fail(e));
    }
    let linked = std::fs::hard_link(&temp, path);
    let _ = std::fs::remove_file(&temp);
    match linked {
        Ok(()) => {
            // The key must survive a power cut as surely as the rows it signs.
            if let Ok(folder) = std::fs::File::open(&dir) {
                let _ = folder.sync_all();
            }
            tracing::warn!(
                path = %path.display(),
                "NEW AUDIT KEY GENERATED at {}. Back this file up now, apart from the database \
                 backups: without it the audit log can no longer be verified. \
                 (Set PHAPA_AUDIT_KEY or PHAPA_AUDIT_KEY_FILE to use another key.)",
                path.display()
            );
            parse_hex(&hex)
        }
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            let text = std::fs::read_to_string(path).map_err(fail)?;
            parse_hex(&text).map_err(|e| format!("{}: {e}", path.display()))
        }
        Err(e) => Err(fail(e)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_key_file_sits_beside_the_sqlite_database() {
        assert_eq!(
            default_file("sqlite://data/phapa.db?mode=rwc"),
            PathBuf::from("data/audit.key")
        );
        assert_eq!(
            default_file("sqlite:///var/lib/phapa/phapa.db"),
            PathBuf::from("/var/lib/phapa/audit.key")
        );
        assert_eq!(
            default_file("postgres://u@h/db"),
            PathBuf::from("data/audit.key")
        );
    }

    #[test]
    fn short_or_malformed_keys_are_refused() {
        assert!(parse_hex("abcd").is_err());
        assert!(parse_hex(&"zz".repeat(16)).is_err());
        assert!(parse_hex(&"a".repeat(33)).is_err());
        assert_eq!(parse_hex(&"0f".repeat(16)).unwrap().bytes(), &[15u8; 16]);
    }

    #[test]
    fn a_missing_key_file_is_created_private_once_and_then_reused() {
        let dir = std::env::temp_dir().join(format!("phapa-key-{}", rand::random::<u64>()));
        let path = dir.join("audit.key");
        let first = load(&KeySource::File(path.clone())).unwrap();
        let again = load(&KeySource::File(path.clone())).unwrap();
        assert_eq!(first.bytes(), again.bytes());
        assert_eq!(first.bytes().len(), GENERATED_KEY_BYTES);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        std::fs::remove_dir_all(dir).unwrap();
    }
}
