//! The lending desk's forms, as plain posts that work without JavaScript: `POST /staff/loans/{step}`
//! for the signed-in staff member's own hospital, and its register as a CSV download,
//! `GET /staff/loans/register.csv`. Done, a form sends the staff member back to the desk (303),
//! to the section it acted on with a line saying what was recorded. Refused, it answers with the
//! error's own status: JSON for a client that asks for it, otherwise a short page naming the field
//! and the reason in Thai and English, with a link back.

use crate::error_page::ErrorPage;
use crate::AppState;
use app::error::AppError;
use app::model::loan::{
    CareInput, LendInput, PassAnswerInput, PassInput, RenewInput, ReturnInput, VisitInput,
    WaitingInput,
};
use app::model::{HospitalId, LoanId, WaitingId};
use app::server::service::loans;
use app::server::Caller;
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};

/// The lending routes.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/staff/loans/register.csv", get(register_csv))
        .route("/staff/loans/{step}", post(step))
}

const DESK: &str = "/staff/loans";

/// A form's fields; a name may repeat (the ticked accessories).
struct Fields(Vec<(String, String)>);

impl Fields {
    fn get(&self, name: &str) -> String {
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    }
    fn all(&self, name: &str) -> Vec<String> {
        self.0
            .iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .collect()
    }
    fn id(&self, name: &str) -> Result<i64, AppError> {
        self.get(name)
            .trim()
            .parse::<i64>()
            .map_err(|_| AppError::field(name, "ไม่พบรายการนี้", "No such record."))
    }
    fn care(&self) -> CareInput {
        CareInput {
            tag: self.get("tag"),
            on: self.get("on"),
            place: self.get("place"),
            cost: self.get("cost"),
            outcome: self.get("outcome"),
            note: self.get("note"),
        }
    }
}

/// The signed-in staff member's hospital: 401 anonymous, 403 for a role without one.
fn hospital_of(caller: &Caller) -> Result<HospitalId, AppError> {
    let user = caller.user().ok_or(AppError::Unauthorized)?;
    user.role.hospital().ok_or(AppError::Forbidden)
}

/// `POST /staff/loans/{step}`.
async fn step(
    State(state): State<AppState>,
    caller: Caller,
    Path(step): Path<String>,
    headers: HeaderMap,
    Form(fields): Form<Vec<(String, String)>>,
) -> Response {
    match act(&state, &caller, &step, &Fields(fields)).await {
        Ok(anchor) => Redirect::to(&format!("{DESK}?done={step}#{anchor}")).into_response(),
        Err(e) => ErrorPage::new(e, DESK, &headers).into_response(),
    }
}

/// Does one step; answers the desk's section to go back to.
async fn act(
    state: &AppState,
    caller: &Caller,
    step: &str,
    f: &Fields,
) -> Result<&'static str, AppError> {
    let hospital = hospital_of(caller)?;
    let db = &state.db;
    match step {
        "waiting" => {
            let input = WaitingInput {
                item: f.get("item"),
                group: f.get("group"),
                urgency: f.get("urgency"),
                borrower_code: f.get("borrower_code"),
                note: f.get("note"),
                listed_on: f.get("listed_on"),
                idempotency_key: f.get("idempotency_key"),
            };
            loans::add_waiting(db, caller, hospital, &input).await?;
            Ok("waiting")
        }
        "waiting-cancel" => {
            let id = WaitingId(f.id("waiting")?);
            loans::cancel_waiting(db, caller, hospital, id, &f.get("reason")).await?;
            Ok("waiting")
        }
        "lend" => {
            let input = LendInput {
                tag: f.get("tag"),
                waiting: f.get("waiting"),
                borrower_code: f.get("borrower_code"),
                note: f.get("note"),
                out_on: f.get("out_on"),
                due_on: f.get("due_on"),
                handover: f.get("handover"),
                accessories: f.all("accessories"),
            };
            loans::lend(db, caller, hospital, &input).await?;
            Ok("loans")
        }
        "renew" => {
            let input = RenewInput {
                loan: LoanId(f.id("loan")?),
                due_on: f.get("due_on"),
                reason: f.get("reason"),
            };
            loans::renew(db, caller, hospital, &input).await?;
            Ok("loans")
        }
        "visit" => {
            let input = VisitInput {
                loan: LoanId(f.id("loan")?),
                on: f.get("on"),
                outcome: f.get("outcome"),
                note: f.get("note"),
            };
            loans::visit(db, caller, hospital, &input).await?;
            Ok("loans")
        }
        "return" => {
            let input = ReturnInput {
                loan: LoanId(f.id("loan")?),
                on: f.get("on"),
                condition: f.get("condition"),
                accessories: f.all("accessories"),
                end_reason: f.get("end_reason"),
                note: f.get("note"),
            };
            loans::take_back(db, caller, hospital, &input).await?;
            Ok("units")
        }
        "cleaned" => {
            loans::cleaned(db, caller, hospital, &f.care()).await?;
            Ok("units")
        }
        "repair" => {
            loans::send_to_repair(db, caller, hospital, &f.care()).await?;
            Ok("units")
        }
        "repaired" => {
            loans::repaired(db, caller, hospital, &f.care()).await?;
            Ok("units")
        }
        "maintained" => {
            loans::maintain(db, caller, hospital, &f.care()).await?;
            Ok("units")
        }
        "pass" => {
            let input = PassInput {
                tag: f.get("tag"),
                to: f.get("to"),
                on: f.get("on"),
                note: f.get("note"),
            };
            loans::pass_on(db, caller, hospital, &input).await?;
            Ok("units")
        }
        "pass-answer" => {
            let input = PassAnswerInput {
                tag: f.get("tag"),
                answer: f.get("answer"),
                note: f.get("note"),
            };
            loans::answer_pass(db, caller, hospital, &input).await?;
            Ok("units")
        }
        "days" => {
            loans::set_loan_days(db, caller, hospital, &f.get("days")).await?;
            Ok("settings")
        }
        _ => Err(AppError::NotFound),
    }
}

/// One CSV cell: quoted when it holds a separator, a quote or a line break, and never read as a
/// formula by a spreadsheet.
fn cell(text: &str) -> String {
    let text = if text.starts_with(['=', '+', '-', '@']) {
        format!("'{text}")
    } else {
        text.to_owned()
    };
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text
    }
}

/// `GET /staff/loans/register.csv`: the hospital's register, for its own staff (it carries the
/// hospital's borrower codes).
async fn register_csv(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
) -> Response {
    let code = match hospital_of(&caller) {
        Ok(h) => app::server::db::hospital::code_of(
            &mut *match state.db.reader().acquire().await {
                Ok(c) => c,
                Err(e) => return ErrorPage::new(e.into(), DESK, &headers).into_response(),
            },
            h,
        )
        .await
        .map_err(AppError::from)
        .and_then(|c| c.ok_or(AppError::NotFound)),
        Err(e) => Err(e),
    };
    let rows = match code {
        Ok(code) => loans::register(&state.db, &caller, &code).await,
        Err(e) => Err(e),
    };
    let (_, rows) = match rows {
        Ok(r) => r,
        Err(e) => return ErrorPage::new(e, DESK, &headers).into_response(),
    };
    let lang = app::model::Lang::Th;
    let mut text = String::from(
        "\u{feff}loan_id,asset_tag,item,borrower_code,out_on,due_on,handover,accessories_out,renewals,returned_on,days,condition_back,accessories_back,end_reason\r\n",
    );
    for r in rows {
        let line = [
            r.id.to_string(),
            r.tag,
            r.item.get(lang).to_owned(),
            r.borrower_code,
            r.out_on,
            r.due_on,
            r.handover.code().to_owned(),
            r.accessories_out,
            r.renewals.to_string(),
            r.returned_on.unwrap_or_default(),
            r.days.map(|d| d.to_string()).unwrap_or_default(),
            r.condition_back
                .map(|c| c.code().to_owned())
                .unwrap_or_default(),
            r.accessories_back.unwrap_or_default(),
            r.end_reason
                .map(|e| e.code().to_owned())
                .unwrap_or_default(),
        ]
        .iter()
        .map(|c| cell(c))
        .collect::<Vec<_>>()
        .join(",");
        text.push_str(&line);
        text.push_str("\r\n");
    }
    (
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"loan-register.csv\"",
            ),
            (header::CACHE_CONTROL, "private, no-store"),
        ],
        text,
    )
        .into_response()
}
