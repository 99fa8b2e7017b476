//! Idempotency key rows: one per key (scoped by who sent it), holding the first request's
//! fingerprint and its answer. The rules that use them are in `service::idempotency`.

use super::time;
use sqlx::AnyConnection;

/// Inserts a key with its request's fingerprint; `false` when the key was there already (or
/// arrives meanwhile: the insert then waits for the other transaction and finds it).
pub async fn insert(c: &mut AnyConnection, key: &str, hash: &str) -> Result<bool, sqlx::Error> {
    let inserted = sqlx::query(
        "insert into idempotency_key (idempotency_key, request_hash, response, created_at)
         values ($1, $2, '', $3) on conflict (idempotency_key) do nothing",
    )
    .bind(key)
    .bind(hash)
    .bind(time::now())
    .execute(c)
    .await?;
    Ok(inserted.rows_affected() == 1)
}

/// A stored key's fingerprint and answer.
pub async fn stored(c: &mut AnyConnection, key: &str) -> Result<(String, String), sqlx::Error> {
    sqlx::query_as("select request_hash, response from idempotency_key where idempotency_key = $1")
        .bind(key)
        .fetch_one(c)
        .await
}

/// Keeps the answer given under a key.
pub async fn set_response(
    c: &mut AnyConnection,
    key: &str,
    response: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query("update idempotency_key set response = $1 where idempotency_key = $2")
        .bind(response)
        .bind(key)
        .execute(c)
        .await?;
    Ok(())
}
