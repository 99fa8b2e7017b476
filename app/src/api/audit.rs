//! Browsing the audit log (administrators and finance officers).

use crate::error::AppError;
use crate::model::audit::{AuditEntry, AuditFilter};
use leptos::prelude::*;

/// The newest audit entries matching the filter.
#[server(prefix = "/api", endpoint = "audit/list")]
pub async fn audit_log(filter: AuditFilter) -> Result<Vec<AuditEntry>, AppError> {
    use crate::server::{audit, call_as};
    call_as(|db, caller| async move { audit::list(&db, &caller, &filter).await }).await
}
