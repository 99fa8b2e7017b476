//! Browsing the audit log (administrators and finance officers).

use crate::error::AppError;
use crate::model::audit::{AuditEntry, AuditFilter};
use leptos::prelude::*;

/// The newest audit entries matching the filter.
#[server(prefix = "/api", endpoint = "audit/list")]
pub async fn audit_log(filter: AuditFilter) -> Result<Vec<AuditEntry>, AppError> {
    use crate::model::account::Action;
    use crate::server::{accounts::require, audit, call};
    call(|db, user| async move {
        require(user.as_ref(), Action::ViewAuditLog)?;
        Ok(audit::list(&db, &filter).await?)
    })
    .await
}
