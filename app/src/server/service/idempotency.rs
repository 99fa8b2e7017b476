//! Idempotent creates: a double click, a browser retry or a repeated API call records one thing.
//!
//! The key row is inserted in the same transaction as what the request creates. A second request
//! with the same key either waits on the first one's uncommitted row (PostgreSQL's unique index)
//! or queues behind it (SQLite's one writer); when it gets its turn the row is committed, so it
//! replays the stored answer, or it is refused with 409 when its content differs. A first request
//! that fails rolls its key back with everything else, so a retry does the work afresh.

use crate::error::AppError;
use crate::server::db::{idempotency as keys, Tx};
use serde::de::DeserializeOwned;
use serde::Serialize;
use sha2::{Digest, Sha256};

/// What claiming a key found.
pub enum Claim<T> {
    /// The key is new: do the work, then [`store`] the answer in the same transaction.
    Fresh,
    /// The same request was answered before: here is that answer.
    Replay(T),
}

/// The stored key: scoped by the kind of request and who sent it, so one caller's key can never
/// replay another's answer.
pub fn scoped(kind: &str, caller: &str, key: &str) -> String {
    format!("{kind}:{caller}:{}", key.trim())
}

/// A fingerprint of a request's content (the parsed value, so formatting differences that mean
/// the same thing still match).
pub fn fingerprint(content: &impl Serialize) -> Result<String, AppError> {
    let bytes = serde_json::to_vec(content).map_err(crate::server::internal)?;
    Ok(Sha256::digest(&bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect())
}

/// Claims `key` for a request with fingerprint `hash`, in `tx`.
pub async fn claim<T: DeserializeOwned>(
    tx: &mut Tx,
    key: &str,
    hash: &str,
) -> Result<Claim<T>, AppError> {
    if keys::insert(tx, key, hash).await? {
        return Ok(Claim::Fresh);
    }
    let (stored_hash, response) = keys::stored(tx, key).await?;
    if stored_hash != hash {
        return Err(AppError::state(
            "คำขอนี้ใช้รหัสป้องกันการส่งซ้ำของรายการอื่นแล้ว กรุณาโหลดหน้าใหม่แล้วส่งอีกครั้ง",
            "This idempotency key was already used for a different request; reload and send again.",
        ));
    }
    serde_json::from_str(&response)
        .map(Claim::Replay)
        .map_err(|e| crate::server::internal(format!("stored idempotent answer unreadable: {e}")))
}

/// Stores the answer of a fresh request under its key.
pub async fn store(tx: &mut Tx, key: &str, answer: &impl Serialize) -> Result<(), AppError> {
    let response = serde_json::to_string(answer).map_err(crate::server::internal)?;
    keys::set_response(tx, key, &response).await?;
    Ok(())
}

/// A fresh key for a form, sent with the page so a double submit carries the same key.
pub fn form_key() -> String {
    format!("{:032x}", rand::random::<u128>())
}
