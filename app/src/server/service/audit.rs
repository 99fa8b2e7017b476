//! The audit log: who did what, when, to which record. Rows are only appended, each one's hash
//! covering its fields and the hash before it, so an edit or a deletion anywhere breaks the chain
//! at that row.
//!
//! Since the chain is keyed (HMAC-SHA256 with a key kept outside the database), someone who can
//! rewrite the database cannot recompute the hashes either. Rows written before that carry the
//! old unkeyed SHA-256 and stay verifiable, but no unkeyed row is accepted after the first keyed
//! one or past the point where keying began, so the chain cannot be downgraded. A head published
//! outside the system ([`head`]) lets [`verify_against`] catch even a rewrite by the key's holder.

use super::Caller;
use crate::error::AppError;
use crate::model::account::{Action, CurrentUser};
use crate::model::audit::{AuditEntry, AuditFilter};
use crate::server::db::audit::{self as rows, AuditRow, KEYED_HMAC, UNKEYED_SHA256};
use crate::server::db::{time, AuditKey, Db, Tx};
use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};

/// Who caused an event.
#[derive(Clone, Copy, Debug)]
pub enum Actor<'a> {
    User(&'a CurrentUser),
    /// Someone not signed in (a failed sign-in, a donor).
    Anonymous,
    /// The system itself (a command-line tool, the demo loader).
    System,
}

/// One event to record.
#[derive(Clone, Debug)]
pub struct Event<'a> {
    pub actor: Actor<'a>,
    pub action: &'a str,
    pub record_type: &'a str,
    pub record_id: Option<String>,
    /// A short before/after, e.g. `role: finance_officer → administrator`.
    pub detail: String,
    pub client_address: Option<String>,
}

impl<'a> Event<'a> {
    /// An event caused by `caller` (a signed-in user, or anonymous), from the caller's address.
    pub fn by(
        caller: &'a Caller,
        action: &'a str,
        record_type: &'a str,
        record_id: impl ToString,
        detail: String,
    ) -> Event<'a> {
        Event {
            actor: caller.user().map_or(Actor::Anonymous, Actor::User),
            action,
            record_type,
            record_id: Some(record_id.to_string()),
            detail,
            client_address: caller.address().map(str::to_owned),
        }
    }
}

/// The bytes a row's hash covers: the previous hash and every field, each length-prefixed so
/// that no two different rows encode to the same bytes.
fn encoded(prev_hash: &str, row: &AuditRow) -> Vec<u8> {
    let seq = row.seq.to_string();
    let account = row.actor_account_id.map(|a| a.to_string());
    let parts: [Option<&str>; 10] = [
        Some(prev_hash),
        Some(&seq),
        Some(&row.occurred_at),
        account.as_deref(),
        Some(&row.actor),
        Some(&row.action),
        Some(&row.record_type),
        row.record_id.as_deref(),
        Some(&row.detail),
        row.client_address.as_deref(),
    ];
    let mut out = Vec::new();
    for part in parts {
        match part {
            Some(text) => {
                out.extend_from_slice(&(text.len() as u64).to_be_bytes());
                out.extend_from_slice(text.as_bytes());
            }
            None => out.extend_from_slice(&u64::MAX.to_be_bytes()),
        }
    }
    out
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The hash `row` must carry after `prev_hash` under hash `version` (keyed with `key` for
/// version 2); `None` for an unknown version. Public for tools and tests that rebuild a chain.
pub fn row_hash(version: i64, key: &AuditKey, prev_hash: &str, row: &AuditRow) -> Option<String> {
    let bytes = encoded(prev_hash, row);
    match version {
        UNKEYED_SHA256 => Some(hex(&Sha256::digest(&bytes))),
        KEYED_HMAC => {
            let mut mac = Hmac::<Sha256>::new_from_slice(key.bytes()).ok()?;
            mac.update(&bytes);
            Some(hex(&mac.finalize().into_bytes()))
        }
        _ => None,
    }
}

/// Appends an event in `tx`, keyed with the transaction's audit key. Appends queue on the
/// chain's head row, so the chain never forks.
pub async fn record(tx: &mut Tx, event: &Event<'_>) -> Result<i64, sqlx::Error> {
    let (seq, prev_hash) = rows::advance(tx).await?;
    let (actor_account_id, actor) = match event.actor {
        Actor::User(u) => (Some(u.account_id.0), u.username.clone()),
        Actor::Anonymous => (None, "anonymous".to_owned()),
        Actor::System => (None, "system".to_owned()),
    };
    let mut row = AuditRow {
        seq,
        occurred_at: time::now(),
        actor_account_id,
        actor,
        action: event.action.to_owned(),
        record_type: event.record_type.to_owned(),
        record_id: event.record_id.clone(),
        detail: event.detail.clone(),
        client_address: event.client_address.clone(),
        prev_hash,
        hash: String::new(),
        hash_version: KEYED_HMAC,
    };
    row.hash = row_hash(KEYED_HMAC, tx.audit_key(), &row.prev_hash, &row)
        .ok_or_else(|| sqlx::Error::Protocol("the audit key cannot key an HMAC".into()))?;
    rows::append(tx, &row).await?;
    Ok(seq)
}

/// Where the chain is broken, if anywhere.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ChainCheck {
    Intact {
        rows: i64,
    },
    /// The first row (by sequence) whose stored hashes do not follow from the rows before it.
    BrokenAt {
        seq: i64,
        reason: String,
    },
}

/// Recomputes the whole chain in order, with the database's audit key, and names the first
/// broken row.
pub async fn verify(db: &Db) -> Result<ChainCheck, sqlx::Error> {
    // Read the head first: rows appended after it are not judged, so a concurrent append can
    // never look like a removal.
    let mut c = db.reader().acquire().await?;
    let head = rows::head(&mut c).await?;
    let all = rows::up_to(&mut c, head.last_seq).await?;
    let mut prev = "0".repeat(64);
    let mut expected_seq = 1;
    let mut keyed_seen = false;
    for row in &all {
        let broken = |reason: &str| {
            Ok(ChainCheck::BrokenAt {
                seq: row.seq,
                reason: reason.to_owned(),
            })
        };
        if row.seq != expected_seq {
            return broken("a row is missing before this one");
        }
        if row.prev_hash != prev {
            return broken("its previous-hash does not match the row before it");
        }
        if row.hash_version == UNKEYED_SHA256 && (keyed_seen || row.seq >= head.keyed_from_seq) {
            return broken("it is hashed without the key where the chain is keyed (a downgrade)");
        }
        keyed_seen |= row.hash_version == KEYED_HMAC;
        match row_hash(row.hash_version, db.audit_key(), &prev, row) {
            Some(hash) if hash == row.hash => {}
            Some(_) if row.hash_version == KEYED_HMAC => {
                return broken(
                    "its contents do not match its keyed hash (edited, or the audit key is not the one it was written with)",
                )
            }
            Some(_) => return broken("its contents do not match its hash"),
            None => return broken("its hash version is unknown"),
        }
        prev = row.hash.clone();
        expected_seq += 1;
    }
    if head.last_seq != expected_seq - 1 || head.last_hash != prev {
        return Ok(ChainCheck::BrokenAt {
            seq: expected_seq,
            reason: "rows up to the chain's recorded end are missing".to_owned(),
        });
    }
    Ok(ChainCheck::Intact {
        rows: head.last_seq,
    })
}

/// The chain's newest row as `(seq, hash)`, for publishing outside the system; `(0, 000…)` for an
/// empty chain.
pub async fn head(db: &Db) -> Result<(i64, String), sqlx::Error> {
    let head = rows::head(&mut *db.reader().acquire().await?).await?;
    Ok((head.last_seq, head.last_hash))
}

/// Verifies the chain and that a head published earlier is still in it, unchanged: a chain
/// rewritten from that row on (even by someone holding the key) no longer contains it.
pub async fn verify_against(
    db: &Db,
    published_seq: i64,
    published_hash: &str,
) -> Result<ChainCheck, sqlx::Error> {
    let check = verify(db).await?;
    if !matches!(check, ChainCheck::Intact { .. }) {
        return Ok(check);
    }
    let published = published_hash.trim().to_ascii_lowercase();
    let still_there = if published_seq == 0 {
        published == "0".repeat(64)
    } else {
        rows::at(&mut *db.reader().acquire().await?, published_seq)
            .await?
            .is_some_and(|row| row.hash == published)
    };
    if still_there {
        Ok(check)
    } else {
        Ok(ChainCheck::BrokenAt {
            seq: published_seq,
            reason: "the published head is not in the chain with that hash (the chain was rewritten or cut)".to_owned(),
        })
    }
}

/// The newest entries matching `filter` (administrators and finance officers).
pub async fn list(
    db: &Db,
    caller: &Caller,
    filter: &AuditFilter,
) -> Result<Vec<AuditEntry>, AppError> {
    caller.require(Action::ViewAuditLog)?;
    let found = rows::matching(&mut *db.reader().acquire().await?, filter).await?;
    let entries: Result<Vec<AuditEntry>, sqlx::Error> = found
        .into_iter()
        .map(|r| {
            Ok(AuditEntry {
                seq: r.seq,
                occurred_at: time::parse_instant(&r.occurred_at)?,
                actor: r.actor,
                action: r.action,
                record_type: r.record_type,
                record_id: r.record_id,
                detail: r.detail,
                client_address: r.client_address,
                hash: r.hash,
            })
        })
        .collect();
    Ok(entries?)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row() -> AuditRow {
        AuditRow {
            seq: 1,
            occurred_at: "2026-01-01T00:00:00.000000Z".into(),
            actor_account_id: Some(1),
            actor: "a".into(),
            action: "b".into(),
            record_type: "c".into(),
            record_id: None,
            detail: String::new(),
            client_address: None,
            prev_hash: "0".repeat(64),
            hash: String::new(),
            hash_version: KEYED_HMAC,
        }
    }

    #[test]
    fn the_keyed_hash_depends_on_the_key_and_differs_from_the_unkeyed_one() {
        let (a, b) = (AuditKey::new(&[1; 32]), AuditKey::new(&[2; 32]));
        let r = row();
        let keyed_a = row_hash(KEYED_HMAC, &a, &r.prev_hash, &r).unwrap();
        assert_eq!(keyed_a.len(), 64);
        assert_ne!(keyed_a, row_hash(KEYED_HMAC, &b, &r.prev_hash, &r).unwrap());
        assert_ne!(
            keyed_a,
            row_hash(UNKEYED_SHA256, &a, &r.prev_hash, &r).unwrap()
        );
        assert_eq!(row_hash(7, &a, &r.prev_hash, &r), None);
    }
}
