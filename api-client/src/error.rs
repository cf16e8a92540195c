//! `ApiError`: the one error type of every generated operation. Callers (each app's `api.rs`)
//! turn it into UI text; the server's problem+json bodies arrive here already parsed.

use std::fmt;
use std::time::Duration;

use json_codec::FromJson;

use crate::types::{FieldError, Problem};

#[derive(Debug, Clone, PartialEq)]
pub enum ApiError {
    /// The request never got an HTTP answer (offline, DNS, connection refused, CORS).
    Network {
        operation: &'static str,
        message: String,
    },
    /// No answer within the client's per-request timeout; the request was aborted.
    Timeout {
        operation: &'static str,
        after: Duration,
    },
    /// The server answered with a non-success status. `problem` is its problem+json body when it
    /// sent one; `body` keeps the raw text for typed problem extensions (see [`ApiError::body_as`]).
    Status {
        operation: &'static str,
        status: u16,
        problem: Option<Box<Problem>>,
        body: String,
    },
    /// A success response whose body does not match the contract.
    Decode {
        operation: &'static str,
        message: String,
    },
}

impl ApiError {
    pub fn operation(&self) -> &'static str {
        match self {
            ApiError::Network { operation, .. }
            | ApiError::Timeout { operation, .. }
            | ApiError::Status { operation, .. }
            | ApiError::Decode { operation, .. } => operation,
        }
    }

    pub fn status(&self) -> Option<u16> {
        match self {
            ApiError::Status { status, .. } => Some(*status),
            _ => None,
        }
    }

    pub fn problem(&self) -> Option<&Problem> {
        match self {
            ApiError::Status { problem, .. } => problem.as_deref(),
            _ => None,
        }
    }

    /// Field errors of a validation problem, for forms to put next to their fields.
    pub fn field_errors(&self) -> &[FieldError] {
        self.problem()
            .map(|problem| problem.errors.as_slice())
            .unwrap_or_default()
    }

    /// A sentence for the shopper: the server's own problem detail when it sent one, otherwise
    /// what kind of failure it was and what to do about it.
    pub fn user_message(&self) -> String {
        match self {
            ApiError::Network { .. } | ApiError::Timeout { .. } => {
                "We can't reach the shop right now. Check your connection and try again.".into()
            }
            ApiError::Status {
                problem: Some(problem),
                ..
            } => problem
                .detail
                .clone()
                .unwrap_or_else(|| problem.title.clone()),
            ApiError::Status { status, .. } if *status >= 500 => {
                "The shop is having trouble right now. Please try again in a moment.".into()
            }
            _ => "Something went wrong. Please try again.".into(),
        }
    }

    /// Decodes the error body as a richer problem type, such as the `StaleCart` of a 412.
    pub fn body_as<T: FromJson>(&self) -> Option<T> {
        match self {
            ApiError::Status { body, .. } => json_codec::from_str(body).ok(),
            _ => None,
        }
    }

    /// Whether sending the same request again may succeed: lost connections, timeouts, rate
    /// limits and gateway errors. Whether it is *safe* to resend is the runtime's decision.
    pub fn is_transient(&self) -> bool {
        match self {
            ApiError::Network { .. } | ApiError::Timeout { .. } => true,
            ApiError::Status { status, .. } => is_transient_status(*status),
            ApiError::Decode { .. } => false,
        }
    }
}

pub(crate) fn is_transient_status(status: u16) -> bool {
    matches!(status, 429 | 502 | 503 | 504)
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ApiError::Network { operation, message } => {
                write!(f, "{operation}: network error: {message}")
            }
            ApiError::Timeout { operation, after } => {
                write!(f, "{operation}: no answer within {} ms", after.as_millis())
            }
            ApiError::Status {
                operation,
                status,
                problem,
                ..
            } => match problem.as_deref() {
                Some(problem) => write!(
                    f,
                    "{operation}: {status} {}{}",
                    problem.title,
                    problem
                        .detail
                        .as_deref()
                        .map(|detail| format!(": {detail}"))
                        .unwrap_or_default()
                ),
                None => write!(f, "{operation}: HTTP {status}"),
            },
            ApiError::Decode { operation, message } => {
                write!(f, "{operation}: unexpected response body: {message}")
            }
        }
    }
}

impl std::error::Error for ApiError {}
