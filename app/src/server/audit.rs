//! The audit log: who did what, when, to which record. Rows are only appended, each hashing the
//! one before it, so an edit or a deletion anywhere breaks the chain at that row.

use super::db::{time, Db, Tx};
use crate::model::account::CurrentUser;
use crate::model::audit::{AuditEntry, AuditFilter};
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
        caller: &'a super::Caller,
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

struct Fields<'a> {
    seq: i64,
    occurred_at: &'a str,
    actor_account_id: Option<i64>,
    actor: &'a str,
    action: &'a str,
    record_type: &'a str,
    record_id: Option<&'a str>,
    detail: &'a str,
    client_address: Option<&'a str>,
}

/// SHA-256 over the previous hash and every field, each length-prefixed so that no two
/// different rows can encode to the same bytes.
fn row_hash(prev_hash: &str, f: &Fields<'_>) -> String {
    let mut h = Sha256::new();
    let seq = f.seq.to_string();
    let account = f.actor_account_id.map(|a| a.to_string());
    let parts: [Option<&str>; 10] = [
        Some(prev_hash),
        Some(&seq),
        Some(f.occurred_at),
        account.as_deref(),
        Some(f.actor),
        Some(f.action),
        Some(f.record_type),
        f.record_id,
        Some(f.detail),
        f.client_address,
    ];
    for part in parts {
        match part {
            Some(text) => {
                h.update((text.len() as u64).to_be_bytes());
                h.update(text.as_bytes());
            }
            None => h.update(u64::MAX.to_be_bytes()),
        }
    }
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

/// Appends an event in `tx`. Appends queue on the chain's head row, so the chain never forks.
pub async fn record(tx: &mut Tx, event: &Event<'_>) -> Result<i64, sqlx::Error> {
    let (seq, prev_hash): (i64, String) = sqlx::query_as(
        "update audit_head set last_seq = last_seq + 1 where audit_head_id = 1 returning last_seq, last_hash",
    )
    .fetch_one(&mut **tx)
    .await?;
    let (actor_account_id, actor) = match event.actor {
        Actor::User(u) => (Some(u.account_id.0), u.username.clone()),
        Actor::Anonymous => (None, "anonymous".to_owned()),
        Actor::System => (None, "system".to_owned()),
    };
    let occurred_at = time::now();
    let fields = Fields {
        seq,
        occurred_at: &occurred_at,
        actor_account_id,
        actor: &actor,
        action: event.action,
        record_type: event.record_type,
        record_id: event.record_id.as_deref(),
        detail: &event.detail,
        client_address: event.client_address.as_deref(),
    };
    let hash = row_hash(&prev_hash, &fields);
    sqlx::query(
        "insert into audit_log (seq, occurred_at, actor_account_id, actor, action, record_type, record_id, detail,
           client_address, prev_hash, hash)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
    )
    .bind(seq)
    .bind(&occurred_at)
    .bind(actor_account_id)
    .bind(&actor)
    .bind(event.action)
    .bind(event.record_type)
    .bind(event.record_id.as_deref())
    .bind(&event.detail)
    .bind(event.client_address.as_deref())
    .bind(&prev_hash)
    .bind(&hash)
    .execute(&mut **tx)
    .await?;
    sqlx::query("update audit_head set last_hash = $1 where audit_head_id = 1")
        .bind(&hash)
        .execute(&mut **tx)
        .await?;
    Ok(seq)
}

#[derive(sqlx::FromRow)]
struct Row {
    seq: i64,
    occurred_at: String,
    actor_account_id: Option<i64>,
    actor: String,
    action: String,
    record_type: String,
    record_id: Option<String>,
    detail: String,
    client_address: Option<String>,
    prev_hash: String,
    hash: String,
}

const SELECT: &str =
    "select seq, occurred_at, actor_account_id, actor, action, record_type, record_id, detail,
    client_address, prev_hash, hash from audit_log";

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

/// Recomputes the whole chain in order and names the first broken row.
pub async fn verify(db: &Db) -> Result<ChainCheck, sqlx::Error> {
    // Read the head first: rows appended after it are not judged, so a concurrent append can
    // never look like a removal.
    let (last_seq, last_hash): (i64, String) =
        sqlx::query_as("select last_seq, last_hash from audit_head where audit_head_id = 1")
            .fetch_one(db.reader())
            .await?;
    let rows: Vec<Row> = sqlx::query_as(&format!("{SELECT} where seq <= $1 order by seq"))
        .bind(last_seq)
        .fetch_all(db.reader())
        .await?;
    let mut prev = "0".repeat(64);
    let mut expected_seq = 1;
    for row in &rows {
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
        let fields = Fields {
            seq: row.seq,
            occurred_at: &row.occurred_at,
            actor_account_id: row.actor_account_id,
            actor: &row.actor,
            action: &row.action,
            record_type: &row.record_type,
            record_id: row.record_id.as_deref(),
            detail: &row.detail,
            client_address: row.client_address.as_deref(),
        };
        if row_hash(&prev, &fields) != row.hash {
            return broken("its contents do not match its hash");
        }
        prev = row.hash.clone();
        expected_seq += 1;
    }
    if last_seq != expected_seq - 1 || last_hash != prev {
        return Ok(ChainCheck::BrokenAt {
            seq: expected_seq,
            reason: "rows up to the chain's recorded end are missing".to_owned(),
        });
    }
    Ok(ChainCheck::Intact { rows: last_seq })
}

enum Bind {
    Text(String),
    Int(i64),
}

/// The newest entries matching `filter`, at most `filter.limit` (1 to 200).
pub async fn list(db: &Db, filter: &AuditFilter) -> Result<Vec<AuditEntry>, sqlx::Error> {
    let mut sql = format!("{SELECT} where 1 = 1");
    let mut binds: Vec<Bind> = Vec::new();
    let text_filters = [
        ("actor", &filter.actor),
        ("action", &filter.action),
        ("record_type", &filter.record_type),
    ];
    for (column, value) in text_filters {
        if let Some(value) = value.as_ref().map(|v| v.trim()).filter(|v| !v.is_empty()) {
            binds.push(Bind::Text(value.to_owned()));
            sql.push_str(&format!(" and {column} = ${}", binds.len()));
        }
    }
    if let Some(before) = filter.before_seq {
        binds.push(Bind::Int(before));
        sql.push_str(&format!(" and seq < ${}", binds.len()));
    }
    sql.push_str(&format!(
        " order by seq desc limit {}",
        filter.limit.clamp(1, 200)
    ));
    let mut query = sqlx::query_as::<_, Row>(&sql);
    for bind in binds {
        query = match bind {
            Bind::Text(t) => query.bind(t),
            Bind::Int(i) => query.bind(i),
        };
    }
    let rows = query.fetch_all(db.reader()).await?;
    rows.into_iter()
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
        .collect()
}
