//! Audit log rows and the chain's head, and (in [`key`]) the secret that keys the chain, read
//! from the environment or a file outside the database.

pub mod key;

use crate::model::audit::AuditFilter;
use sqlx::AnyConnection;

/// How a row's hash was made. Rows written before the chain was keyed carry version 1.
pub const UNKEYED_SHA256: i64 = 1;
/// HMAC-SHA256 with the audit key: the only version written today.
pub const KEYED_HMAC: i64 = 2;

/// One stored audit row.
#[derive(sqlx::FromRow, Clone, Debug)]
pub struct AuditRow {
    pub seq: i64,
    pub occurred_at: String,
    pub actor_account_id: Option<i64>,
    pub actor: String,
    pub action: String,
    pub record_type: String,
    pub record_id: Option<String>,
    pub detail: String,
    pub client_address: Option<String>,
    pub prev_hash: String,
    pub hash: String,
    pub hash_version: i64,
}

/// The chain's end as `audit_head` records it.
#[derive(sqlx::FromRow, Clone, Debug)]
pub struct Head {
    pub last_seq: i64,
    pub last_hash: String,
    /// The first sequence number that must be keyed (set when the chain was keyed).
    pub keyed_from_seq: i64,
}

const SELECT: &str =
    "select seq, occurred_at, actor_account_id, actor, action, record_type, record_id, detail,
    client_address, prev_hash, hash, hash_version from audit_log";

/// Takes the next sequence number and the previous hash. The update holds the head row until
/// commit, so appends queue and the chain never forks.
pub async fn advance(c: &mut AnyConnection) -> Result<(i64, String), sqlx::Error> {
    sqlx::query_as(
        "update audit_head set last_seq = last_seq + 1 where audit_head_id = 1 returning last_seq, last_hash",
    )
    .fetch_one(c)
    .await
}

/// Appends a row and moves the head's hash to it.
pub async fn append(c: &mut AnyConnection, row: &AuditRow) -> Result<(), sqlx::Error> {
    sqlx::query(
        "insert into audit_log (seq, occurred_at, actor_account_id, actor, action, record_type, record_id, detail,
           client_address, prev_hash, hash, hash_version)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
    )
    .bind(row.seq)
    .bind(&row.occurred_at)
    .bind(row.actor_account_id)
    .bind(&row.actor)
    .bind(&row.action)
    .bind(&row.record_type)
    .bind(row.record_id.as_deref())
    .bind(&row.detail)
    .bind(row.client_address.as_deref())
    .bind(&row.prev_hash)
    .bind(&row.hash)
    .bind(row.hash_version)
    .execute(&mut *c)
    .await?;
    sqlx::query("update audit_head set last_hash = $1 where audit_head_id = 1")
        .bind(&row.hash)
        .execute(&mut *c)
        .await?;
    Ok(())
}

/// The chain's recorded end.
pub async fn head(c: &mut AnyConnection) -> Result<Head, sqlx::Error> {
    sqlx::query_as(
        "select last_seq, last_hash, keyed_from_seq from audit_head where audit_head_id = 1",
    )
    .fetch_one(c)
    .await
}

/// Every row up to and including `last_seq`, in order.
pub async fn up_to(c: &mut AnyConnection, last_seq: i64) -> Result<Vec<AuditRow>, sqlx::Error> {
    sqlx::query_as(&format!("{SELECT} where seq <= $1 order by seq"))
        .bind(last_seq)
        .fetch_all(c)
        .await
}

/// The row with sequence number `seq`, if any.
pub async fn at(c: &mut AnyConnection, seq: i64) -> Result<Option<AuditRow>, sqlx::Error> {
    sqlx::query_as(&format!("{SELECT} where seq = $1"))
        .bind(seq)
        .fetch_optional(c)
        .await
}

enum Bind {
    Text(String),
    Int(i64),
}

/// The newest rows matching `filter`, at most `filter.limit` (1 to 200).
pub async fn matching(
    c: &mut AnyConnection,
    filter: &AuditFilter,
) -> Result<Vec<AuditRow>, sqlx::Error> {
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
    let mut query = sqlx::query_as::<_, AuditRow>(&sql);
    for bind in binds {
        query = match bind {
            Bind::Text(t) => query.bind(t),
            Bind::Int(i) => query.bind(i),
        };
    }
    query.fetch_all(c).await
}
