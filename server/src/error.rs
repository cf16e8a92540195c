//! `AppError`: the one error type of every handler, rendered as RFC 9457 problem+json with the
//! contract's `urn:tessera:problem:*` types. Client mistakes are 4xx with field errors where they
//! apply; 5xx hide their cause from the client and log it instead.

use api_client::types::{Cart, FieldError};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

/// Boxed, so `Result<T, AppError>` stays one pointer wide on the happy path.
#[derive(Debug)]
pub struct AppError(Box<Problem>);

#[derive(Debug)]
pub struct Problem {
    pub status: StatusCode,
    pub kind: &'static str,
    pub title: &'static str,
    pub detail: Option<String>,
    pub errors: Vec<FieldError>,
    /// A problem extension member, such as the current `cart` of a 412.
    pub extension: Option<(&'static str, Value)>,
    /// Seconds for a `Retry-After` header (rate limits).
    pub retry_after: Option<u64>,
    source: Option<anyhow::Error>,
}

pub type AppResult<T> = Result<T, AppError>;

impl std::ops::Deref for AppError {
    type Target = Problem;

    fn deref(&self) -> &Problem {
        &self.0
    }
}

impl std::ops::DerefMut for AppError {
    fn deref_mut(&mut self) -> &mut Problem {
        &mut self.0
    }
}

impl AppError {
    pub fn new(status: StatusCode, kind: &'static str, title: &'static str) -> Self {
        AppError(Box::new(Problem {
            status,
            kind,
            title,
            detail: None,
            errors: Vec::new(),
            extension: None,
            retry_after: None,
            source: None,
        }))
    }

    pub fn detail(mut self, detail: impl Into<String>) -> Self {
        self.detail = Some(detail.into());
        self
    }

    pub fn malformed(detail: impl Into<String>) -> Self {
        AppError::new(
            StatusCode::BAD_REQUEST,
            "malformed-request",
            "Malformed request",
        )
        .detail(detail)
    }

    /// 422 with one entry per offending field.
    pub fn validation(errors: Vec<FieldError>) -> Self {
        AppError::validation_as(
            "validation-failed",
            "The request has invalid fields",
            errors,
        )
    }

    /// 422 with field errors under a more specific problem type (`card-invalid`, ...).
    pub fn validation_as(kind: &'static str, title: &'static str, errors: Vec<FieldError>) -> Self {
        let mut error = AppError::new(StatusCode::UNPROCESSABLE_ENTITY, kind, title);
        error.detail = Some(
            errors
                .iter()
                .map(|e| format!("{}: {}", e.field, e.message))
                .collect::<Vec<_>>()
                .join("; "),
        );
        error.errors = errors;
        error
    }

    pub fn field(field: &str, code: &str, message: impl Into<String>) -> FieldError {
        FieldError {
            field: field.to_owned(),
            code: code.to_owned(),
            message: message.into(),
        }
    }

    pub fn unprocessable(
        kind: &'static str,
        title: &'static str,
        detail: impl Into<String>,
    ) -> Self {
        AppError::new(StatusCode::UNPROCESSABLE_ENTITY, kind, title).detail(detail)
    }

    pub fn not_found(what: &str) -> Self {
        AppError::new(StatusCode::NOT_FOUND, "not-found", "Not found")
            .detail(format!("no such {what}"))
    }

    pub fn conflict(kind: &'static str, title: &'static str, detail: impl Into<String>) -> Self {
        AppError::new(StatusCode::CONFLICT, kind, title).detail(detail)
    }

    pub fn unauthorized() -> Self {
        AppError::new(
            StatusCode::UNAUTHORIZED,
            "unauthorized",
            "Authentication required",
        )
        .detail("send a valid bearer token (POST /v1/sessions issues one)")
    }

    pub fn forbidden() -> Self {
        AppError::new(
            StatusCode::FORBIDDEN,
            "forbidden",
            "Not allowed for this role",
        )
        .detail("this operation needs the ops role")
    }

    pub fn stale_cart(cart: &Cart) -> Self {
        let mut error = AppError::new(
            StatusCode::PRECONDITION_FAILED,
            "stale-cart",
            "The cart has changed",
        )
        .detail(format!(
            "the cart is at version {}; reload it and apply the change again",
            cart.version
        ));
        error.extension = Some(("cart", serde_json::to_value(cart).unwrap_or(Value::Null)));
        error
    }

    /// Names the parameter or field a problem is about, as the contract's `errors` member.
    pub fn with_field(mut self, field: &str) -> Self {
        let message = self.detail.clone().unwrap_or_default();
        self.errors = vec![AppError::field(field, "invalid_value", message)];
        self
    }

    pub fn retry_after(mut self, seconds: u64) -> Self {
        self.retry_after = Some(seconds);
        self
    }

    pub fn with_extension(mut self, name: &'static str, value: Value) -> Self {
        self.extension = Some((name, value));
        self
    }

    pub fn internal(source: impl Into<anyhow::Error>) -> Self {
        let mut error = AppError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            "Internal server error",
        );
        error.source = Some(source.into());
        error
    }

    pub fn body(&self) -> Value {
        let mut body = json!({
            "type": format!("urn:tessera:problem:{}", self.kind),
            "title": self.title,
            "status": self.status.as_u16(),
        });
        if let Some(detail) = &self.detail {
            body["detail"] = json!(detail);
        }
        if !self.errors.is_empty() {
            body["errors"] = json!(self.errors);
        }
        if let Some((name, value)) = &self.extension {
            body[*name] = value.clone();
        }
        body
    }
}

impl From<sqlx::Error> for AppError {
    fn from(error: sqlx::Error) -> Self {
        AppError::internal(error)
    }
}

impl From<anyhow::Error> for AppError {
    fn from(error: anyhow::Error) -> Self {
        AppError::internal(error)
    }
}

impl From<serde_json::Error> for AppError {
    fn from(error: serde_json::Error) -> Self {
        AppError::internal(error)
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        if self.status.is_server_error() {
            tracing::error!(error = ?self.source, kind = self.kind, "request failed");
        }
        let mut response = problem_response(self.status, &self.body());
        if let Some(seconds) = self.retry_after {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(seconds));
        }
        response
    }
}

pub fn problem_response(status: StatusCode, body: &Value) -> Response {
    let mut response = (status, body.to_string()).into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/problem+json"),
    );
    response
}
