//! One mapping from use-case errors to HTTP answers, as the contract fixes them:
//! 401 unauthenticated, 403 forbidden, 404 not found, 409 conflict, 422 bad input with
//! `{"error","field"}`, 429 throttled with `Retry-After`.

use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use coop_app::AppError;
use serde::Serialize;

/// The JSON body of every API error.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ErrorBody {
    /// What was wrong, in words a person can act on.
    pub error: String,
    /// The input field at fault, for 422.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
}

/// An error answered as JSON.
#[derive(Debug)]
pub struct ApiError(pub AppError);

impl From<AppError> for ApiError {
    fn from(e: AppError) -> Self {
        ApiError(e)
    }
}

/// The HTTP status of a use-case error.
pub fn status_of(e: &AppError) -> StatusCode {
    match e {
        AppError::Unauthenticated => StatusCode::UNAUTHORIZED,
        AppError::Forbidden(_) => StatusCode::FORBIDDEN,
        AppError::NotFound(_) => StatusCode::NOT_FOUND,
        AppError::Invalid { .. } => StatusCode::UNPROCESSABLE_ENTITY,
        AppError::Conflict(_) => StatusCode::CONFLICT,
        AppError::Throttled { .. } => StatusCode::TOO_MANY_REQUESTS,
        AppError::NotInitialised => StatusCode::SERVICE_UNAVAILABLE,
        AppError::Store(_) => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

/// The message shown to the client: internal errors are logged, not shown.
pub fn public_message(e: &AppError) -> String {
    match e {
        AppError::Store(inner) => {
            tracing::error!(error = %inner, "storage error");
            "internal error; the administrator can find details in the server log".to_string()
        }
        other => other.to_string(),
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status = status_of(&self.0);
        let field = match &self.0 {
            AppError::Invalid { field, .. } => Some(field.clone()),
            _ => None,
        };
        let body = Json(ErrorBody { error: public_message(&self.0), field });
        let mut response = (status, body).into_response();
        if let AppError::Throttled { retry_after_secs } = self.0 {
            response.headers_mut().insert(header::RETRY_AFTER, retry_after_secs.into());
        }
        response
    }
}

/// A 422 for input that the extractor itself could not read (bad JSON, wrong types).
pub fn unreadable(message: impl Into<String>, field: Option<&str>) -> Response {
    (StatusCode::UNPROCESSABLE_ENTITY, Json(ErrorBody { error: message.into(), field: field.map(str::to_string) })).into_response()
}
