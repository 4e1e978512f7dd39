//! The one error of the server's API: a status and a sentence for a person, written as JSON
//! (`{"error": "..."}`). Facade errors map through [`truce::ErrorKind`]; store failures are 500s
//! whose details go to the log, never to the client.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

use crate::store::StoreError;

/// An API failure: the status and the message the client reads.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{status}: {message}")]
pub struct ApiError {
    /// The HTTP status.
    pub status: StatusCode,
    /// What went wrong, in a sentence.
    pub message: String,
}

impl ApiError {
    /// A failure with `status`.
    pub fn new(status: StatusCode, message: impl Into<String>) -> Self {
        Self { status, message: message.into() }
    }

    /// 400: the request is malformed or a parameter is not valid.
    pub fn bad_request(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, message)
    }

    /// 401, the same for a missing, wrong, revoked token and a negotiation that does not exist, so
    /// that a wrong token learns nothing about what exists.
    pub fn unauthorized() -> Self {
        Self::new(
            StatusCode::UNAUTHORIZED,
            "no valid invitation for this negotiation: send `Authorization: Bearer <token>` with the token of your invitation",
        )
    }

    /// 403: the bearer's role may not do this.
    pub fn forbidden(message: impl Into<String>) -> Self {
        Self::new(StatusCode::FORBIDDEN, message)
    }

    /// 409: the negotiation's state does not allow it (out of turn, ended, a concurrent write).
    pub fn conflict(message: impl Into<String>) -> Self {
        Self::new(StatusCode::CONFLICT, message)
    }

    /// 422: well-formed but not usable (a case with errors, an outcome outside the space).
    pub fn unprocessable(message: impl Into<String>) -> Self {
        Self::new(StatusCode::UNPROCESSABLE_ENTITY, message)
    }

    /// 500: the server failed; `detail` is kept out of the response.
    pub fn internal(detail: &dyn std::fmt::Display) -> Self {
        let _ = detail;
        Self::new(StatusCode::INTERNAL_SERVER_ERROR, "the server failed; the request was not applied")
    }
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::Conflict => Self::conflict(
                "another action on this negotiation was recorded first; read the negotiation again",
            ),
            other => Self::internal(&other),
        }
    }
}

impl From<truce::Error> for ApiError {
    fn from(e: truce::Error) -> Self {
        let mut message = e.message().to_string();
        let rendered = e.render();
        if !rendered.is_empty() {
            message = format!("{message}\n{rendered}");
        }
        let status = match e.kind() {
            truce::ErrorKind::Input => StatusCode::UNPROCESSABLE_ENTITY,
            truce::ErrorKind::Parameter => StatusCode::BAD_REQUEST,
            truce::ErrorKind::TooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            _ => StatusCode::INTERNAL_SERVER_ERROR,
        };
        Self::new(status, message)
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        (self.status, Json(serde_json::json!({ "error": self.message }))).into_response()
    }
}
