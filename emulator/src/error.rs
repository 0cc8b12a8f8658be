//! Errors answered the way Genesys Cloud answers them: the Platform API's `ErrorBody` for
//! `/api/v2` routes and the login host's OAuth error object for `/oauth/token`.

use std::collections::BTreeMap;

use axum::http::{HeaderName, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use uuid::Uuid;

/// An error response. Built with the constructors below and turned into HTTP in one place.
/// Boxed so `Result<_, ApiError>` stays small.
#[derive(Debug, Clone)]
pub struct ApiError(Box<Inner>);

#[derive(Debug, Clone)]
struct Inner {
    status: StatusCode,
    body: Body,
    headers: Vec<(HeaderName, HeaderValue)>,
}

#[derive(Debug, Clone)]
enum Body {
    Platform {
        code: String,
        message: String,
        message_with_params: Option<String>,
        message_params: BTreeMap<String, String>,
        entity_id: Option<String>,
        entity_name: Option<String>,
    },
    OAuth {
        error: &'static str,
        description: String,
    },
}

/// The Platform API's ErrorBody as it appears on the wire.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ErrorBodyWire<'a> {
    message: &'a str,
    code: &'a str,
    status: u16,
    #[serde(skip_serializing_if = "Option::is_none")]
    entity_id: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    entity_name: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    message_with_params: Option<&'a str>,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    message_params: &'a BTreeMap<String, String>,
    context_id: String,
    details: [(); 0],
    errors: [(); 0],
}

#[derive(Serialize)]
struct OAuthErrorWire<'a> {
    error: &'a str,
    description: &'a str,
    error_description: &'a str,
}

impl ApiError {
    /// A Platform API error with the given status, `code` string and message.
    pub fn new(status: StatusCode, code: &str, message: impl Into<String>) -> Self {
        ApiError(Box::new(Inner {
            status,
            body: Body::Platform {
                code: code.to_owned(),
                message: message.into(),
                message_with_params: None,
                message_params: BTreeMap::new(),
                entity_id: None,
                entity_name: None,
            },
            headers: Vec::new(),
        }))
    }

    /// A login-host error (`{"error": ..., "error_description": ...}`).
    pub fn oauth(status: StatusCode, error: &'static str, description: impl Into<String>) -> Self {
        ApiError(Box::new(Inner {
            status,
            body: Body::OAuth {
                error,
                description: description.into(),
            },
            headers: Vec::new(),
        }))
    }

    /// 400 `bad.request`: the request could not be understood.
    pub fn bad_request(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "bad.request", message)
    }

    /// 400 `invalid.value` naming the offending field.
    pub fn invalid_value(field: &str, message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "invalid.value", message).with_param("field", field)
    }

    /// 404 `not.found` for an entity of the given kind.
    pub fn not_found(what: &str, id: &str) -> Self {
        Self::new(
            StatusCode::NOT_FOUND,
            "not.found",
            format!("The requested {what} was not found."),
        )
        .with_entity_id(id)
    }

    /// 401 `authentication.required`: no bearer token.
    pub fn authentication_required() -> Self {
        Self::new(
            StatusCode::UNAUTHORIZED,
            "authentication.required",
            "No authentication bearer token specified in authorization header.",
        )
    }

    /// 401 `bad.credentials`: unknown or malformed token.
    pub fn bad_credentials() -> Self {
        Self::new(
            StatusCode::UNAUTHORIZED,
            "bad.credentials",
            "Invalid login credentials.",
        )
    }

    /// 403 `not.authorized` (admin routes from a non-loopback peer).
    pub fn forbidden(message: impl Into<String>) -> Self {
        Self::new(StatusCode::FORBIDDEN, "not.authorized", message)
    }

    /// Attaches the entity id the error is about.
    pub fn with_entity_id(mut self, id: &str) -> Self {
        if let Body::Platform { entity_id, .. } = &mut self.0.body {
            *entity_id = Some(id.to_owned());
        }
        self
    }

    /// Attaches the entity name the error is about.
    pub fn with_entity_name(mut self, name: &str) -> Self {
        if let Body::Platform { entity_name, .. } = &mut self.0.body {
            *entity_name = Some(name.to_owned());
        }
        self
    }

    /// Adds one `messageParams` entry.
    pub fn with_param(mut self, key: &str, value: impl Into<String>) -> Self {
        if let Body::Platform { message_params, .. } = &mut self.0.body {
            message_params.insert(key.to_owned(), value.into());
        }
        self
    }

    /// Sets `messageWithParams` (the message template with `{placeholders}`).
    pub fn with_template(mut self, template: impl Into<String>) -> Self {
        if let Body::Platform {
            message_with_params,
            ..
        } = &mut self.0.body
        {
            *message_with_params = Some(template.into());
        }
        self
    }

    /// Adds a response header (e.g. `Retry-After`). Values that are not valid header text are
    /// dropped rather than failing the response.
    pub fn with_header(mut self, name: HeaderName, value: impl AsRef<str>) -> Self {
        if let Ok(value) = HeaderValue::from_str(value.as_ref()) {
            self.0.headers.push((name, value));
        }
        self
    }

    /// The HTTP status this error answers with.
    #[cfg(test)]
    pub fn status(&self) -> StatusCode {
        self.0.status
    }

    /// The ErrorBody `code` (or the OAuth `error`) string.
    pub fn code(&self) -> &str {
        match &self.0.body {
            Body::Platform { code, .. } => code,
            Body::OAuth { error, .. } => error,
        }
    }
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {}", self.0.status.as_u16(), self.code())
    }
}

impl std::error::Error for ApiError {}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let Inner {
            status,
            body,
            headers: extra_headers,
        } = *self.0;
        let context_id = Uuid::new_v4().to_string();
        let mut response = match &body {
            Body::Platform {
                code,
                message,
                message_with_params,
                message_params,
                entity_id,
                entity_name,
            } => axum::Json(ErrorBodyWire {
                message,
                code,
                status: status.as_u16(),
                entity_id: entity_id.as_deref(),
                entity_name: entity_name.as_deref(),
                message_with_params: message_with_params.as_deref(),
                message_params,
                context_id: context_id.clone(),
                details: [],
                errors: [],
            })
            .into_response(),
            Body::OAuth { error, description } => axum::Json(OAuthErrorWire {
                error,
                description,
                error_description: description,
            })
            .into_response(),
        };
        *response.status_mut() = status;
        let headers = response.headers_mut();
        if let Ok(value) = HeaderValue::from_str(&context_id) {
            headers.insert(HeaderName::from_static("inin-correlation-id"), value);
        }
        for (name, value) in extra_headers {
            headers.insert(name, value);
        }
        response
    }
}
