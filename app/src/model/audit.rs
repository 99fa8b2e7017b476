//! Audit log entries as administrators and finance officers browse them.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// One recorded change.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEntry {
    pub seq: i64,
    pub occurred_at: DateTime<Utc>,
    pub actor: String,
    pub action: String,
    pub record_type: String,
    pub record_id: Option<String>,
    pub detail: String,
    pub client_address: Option<String>,
    pub hash: String,
}

/// Which entries to show: exact matches on the given fields, newest first, before a sequence.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditFilter {
    pub actor: Option<String>,
    pub action: Option<String>,
    pub record_type: Option<String>,
    pub before_seq: Option<i64>,
    pub limit: i64,
}
