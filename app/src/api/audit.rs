//! Browsing the audit log (administrators and finance officers).

use crate::error::AppError;
use crate::model::audit::{AuditEntry, AuditFilter};
use leptos::prelude::*;

/// The newest audit entries matching the filter.
#[server(prefix = "/api", endpoint = "audit/list")]
pub async fn audit_log(filter: AuditFilter) -> Result<Vec<AuditEntry>, AppError> {
    use crate::model::account::Action;
    use crate::server;
    server::finish(
        async {
            server::accounts::require(server::current_user().as_ref(), Action::ViewAuditLog)?;
            Ok(server::audit::list(&server::db_from_context()?, &filter).await?)
        }
        .await,
    )
}
