//! Typed client errors. Every API failure keeps the method, route template, status, the
//! platform's `ErrorBody` and the `ININ-Correlation-Id`; nothing here ever holds a secret.

use std::error::Error as StdError;
use std::fmt;
use std::time::Duration;

use reqwest::Method;

use super::config::ConfigError;
use super::models::ErrorBody;

/// An error status from the Platform API, with everything the platform said about it.
#[derive(Debug, Clone, PartialEq)]
pub struct ApiFailure {
    pub method: Method,
    /// Route template, e.g. `/api/v2/routing/wrapupcodes/{codeId}`.
    pub route: &'static str,
    pub status: u16,
    /// The decoded `ErrorBody`, when the response carried one.
    pub body: Option<ErrorBody>,
    /// `ININ-Correlation-Id` response header.
    pub correlation_id: Option<String>,
    /// HTTP attempts made for this call.
    pub attempts: u32,
}

impl fmt::Display for ApiFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} {} returned HTTP {}",
            self.method, self.route, self.status
        )?;
        if let Some(body) = &self.body {
            if let Some(summary) = body.summary() {
                write!(f, ": {summary}")?;
            }
            if let Some(code) = &body.code {
                write!(f, " (code {code})")?;
            }
        }
        if let Some(id) = &self.correlation_id {
            write!(f, " [correlation id {id}]")?;
        }
        if self.attempts > 1 {
            write!(f, " after {} attempts", self.attempts)?;
        }
        Ok(())
    }
}

/// Why a non-idempotent request may or may not have been applied.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AmbiguousCause {
    /// The server (or a gateway) answered with a transient 5xx status.
    Status(u16),
    /// The connection failed after the request may have reached the server.
    Transport(String),
}

impl fmt::Display for AmbiguousCause {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AmbiguousCause::Status(status) => write!(f, "the platform answered HTTP {status}"),
            AmbiguousCause::Transport(detail) => write!(f, "the connection failed: {detail}"),
        }
    }
}

/// A failed OAuth token request. Holds only the OAuth `error`/`description` fields, never the
/// request or the raw response.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LoginError {
    /// The login host refused the client credentials (wrong id/secret, disabled client).
    #[error("the login host rejected the OAuth client credentials (HTTP {status}{}){}", fmt_oauth(.error, .description), fmt_correlation(.correlation_id))]
    Rejected {
        status: u16,
        error: Option<String>,
        description: Option<String>,
        correlation_id: Option<String>,
    },
    /// Any other failing status, after retries where they apply.
    #[error("the login host answered HTTP {status}{} after {attempts} attempt(s){}", fmt_oauth(.error, .description), fmt_correlation(.correlation_id))]
    Status {
        status: u16,
        error: Option<String>,
        description: Option<String>,
        correlation_id: Option<String>,
        attempts: u32,
    },
    /// The login host kept throttling token requests (429, or its own `400 invalid_request`
    /// "rate limit exceeded") for longer than the retries last: busy, not a refusal.
    #[error("the login host kept throttling token requests (HTTP {status}, rate limit exceeded) through {attempts} attempt(s){}; the credentials were not refused: wait a minute, or make fewer logins with this OAuth client at once", fmt_correlation(.correlation_id))]
    Throttled {
        status: u16,
        attempts: u32,
        correlation_id: Option<String>,
    },
    /// The login host could not be reached.
    #[error("cannot reach the login host after {attempts} attempt(s): {detail}")]
    Transport { detail: String, attempts: u32 },
    /// The token response was not the expected JSON.
    #[error("the login host sent an unexpected token response: {detail}")]
    Decode { detail: String },
    /// The login host refused these credentials earlier in this process; a client never asks
    /// again (a refused login retried per request hammers the login host).
    #[error(
        "the login host refused these OAuth client credentials earlier in this run (HTTP {status}); not trying again"
    )]
    RefusedEarlier { status: u16 },
}

fn fmt_oauth(error: &Option<String>, description: &Option<String>) -> String {
    match (error, description) {
        (Some(e), Some(d)) => format!(": {e}: {d}"),
        (Some(e), None) => format!(": {e}"),
        (None, Some(d)) => format!(": {d}"),
        (None, None) => String::new(),
    }
}

fn fmt_correlation(id: &Option<String>) -> String {
    id.as_ref()
        .map(|id| format!(" [correlation id {id}]"))
        .unwrap_or_default()
}

/// Everything a Genesys API call can fail with.
#[derive(Debug, thiserror::Error)]
pub enum ClientError {
    /// 404: the entity does not exist (or is not visible to this OAuth client).
    #[error("not found: {0}")]
    NotFound(Box<ApiFailure>),
    /// 409, or 400 whose error says duplicate/conflict/already exists (e.g. a taken name).
    #[error("conflict: {0}")]
    Conflict(Box<ApiFailure>),
    /// Other 400: the request was invalid.
    #[error("bad request: {0}")]
    BadRequest(Box<ApiFailure>),
    /// 401 that a token renewal did not cure, or any 401 with a supplied access token.
    #[error("unauthorized: {failure}; {hint}")]
    Unauthorized {
        failure: Box<ApiFailure>,
        hint: &'static str,
    },
    /// 403: the OAuth client lacks a permission or access to the division.
    #[error("forbidden (the OAuth client lacks a permission or division access): {0}")]
    Forbidden(Box<ApiFailure>),
    /// 429 still returned when the retry budget ran out.
    #[error("rate limited, giving up: {failure}{}", .retry_after.map(|d| format!(" (server asked to wait {} s)", d.as_secs_f64())).unwrap_or_default())]
    RateLimited {
        failure: Box<ApiFailure>,
        retry_after: Option<Duration>,
    },
    /// Any other error status (including 5xx after retries).
    #[error("{0}")]
    Api(Box<ApiFailure>),
    /// A non-idempotent request (POST/PATCH) failed in a way that leaves open whether the
    /// platform applied it. It was not replayed; look before writing again.
    #[error("{method} {route} may or may not have been applied ({cause}){}; it was not retried, check the platform before trying again", fmt_correlation(.correlation_id))]
    Ambiguous {
        method: Method,
        route: &'static str,
        cause: AmbiguousCause,
        correlation_id: Option<String>,
    },
    /// A write was not sent because the caller asked to stop before it went out (see
    /// [`ClientConfig::stop_requested`](super::ClientConfig::stop_requested)). Nothing changed.
    #[error("{method} {route} was not sent: the caller asked to stop before it went out")]
    Interrupted { method: Method, route: &'static str },
    /// Getting an OAuth token failed.
    #[error("login failed: {0}")]
    Login(#[from] LoginError),
    /// The API could not be reached (after retries where they apply).
    #[error("{method} {route}: transport error after {attempts} attempt(s): {detail}")]
    Transport {
        method: Method,
        route: &'static str,
        attempts: u32,
        detail: String,
        #[source]
        source: reqwest::Error,
    },
    /// A success response whose body is not the expected JSON.
    #[error("{method} {route}: cannot decode the HTTP {status} response: {source}{}", fmt_correlation(.correlation_id))]
    Decode {
        method: Method,
        route: &'static str,
        status: u16,
        correlation_id: Option<String>,
        #[source]
        source: serde_json::Error,
    },
    /// An argument the client refuses before sending (e.g. an empty id).
    #[error("invalid input: {0}")]
    InvalidInput(String),
    /// A paged listing stopped making progress and was abandoned (see [`crate::paging`]).
    #[error("{0}")]
    Paging(#[from] crate::paging::PagingError),
    /// The client configuration is unusable.
    #[error("invalid client configuration: {0}")]
    Config(#[from] ConfigError),
}

impl ClientError {
    /// Maps an error status to its variant.
    pub(crate) fn from_status(failure: ApiFailure, retry_after: Option<Duration>) -> Self {
        let failure = Box::new(failure);
        match failure.status {
            404 => ClientError::NotFound(failure),
            409 => ClientError::Conflict(failure),
            400 if ErrorClass::of(400, failure.body.as_ref()) == ErrorClass::Conflict => {
                ClientError::Conflict(failure)
            }
            400 => ClientError::BadRequest(failure),
            401 => ClientError::Unauthorized {
                failure,
                hint: "the OAuth token was refused even after renewal; check the OAuth client",
            },
            403 => ClientError::Forbidden(failure),
            429 => ClientError::RateLimited {
                failure,
                retry_after,
            },
            _ => ClientError::Api(failure),
        }
    }

    /// The class of an API error status, keyed on `ErrorBody.code` (see [`ErrorClass::of`]).
    pub fn class(&self) -> Option<ErrorClass> {
        self.api_failure()
            .map(|f| ErrorClass::of(f.status, f.body.as_ref()))
    }

    /// 404 from the API.
    pub fn is_not_found(&self) -> bool {
        matches!(self, ClientError::NotFound(_))
    }

    /// A conflict or duplicate (409, or a 400 naming a duplicate).
    pub fn is_conflict(&self) -> bool {
        matches!(self, ClientError::Conflict(_))
    }

    /// 401 from the API or a refused login.
    pub fn is_unauthorized(&self) -> bool {
        matches!(
            self,
            ClientError::Unauthorized { .. }
                | ClientError::Login(
                    LoginError::Rejected { .. } | LoginError::RefusedEarlier { .. }
                )
        )
    }

    /// 403 from the API.
    pub fn is_forbidden(&self) -> bool {
        matches!(self, ClientError::Forbidden(_))
    }

    /// Still rate limited after retries.
    pub fn is_rate_limited(&self) -> bool {
        matches!(self, ClientError::RateLimited { .. })
    }

    /// A POST/PATCH that may have been applied although it failed; the caller must check the
    /// platform (e.g. look the wrap-up code up by name) before writing again.
    pub fn is_maybe_applied(&self) -> bool {
        matches!(self, ClientError::Ambiguous { .. })
    }

    /// The API failure behind this error, if it was an error status.
    pub fn api_failure(&self) -> Option<&ApiFailure> {
        match self {
            ClientError::NotFound(f)
            | ClientError::Conflict(f)
            | ClientError::BadRequest(f)
            | ClientError::Forbidden(f)
            | ClientError::Api(f)
            | ClientError::Unauthorized { failure: f, .. }
            | ClientError::RateLimited { failure: f, .. } => Some(f),
            _ => None,
        }
    }

    /// HTTP status of the failing response, when there was one.
    pub fn status(&self) -> Option<u16> {
        match self {
            ClientError::Decode { status, .. } => Some(*status),
            ClientError::Ambiguous {
                cause: AmbiguousCause::Status(status),
                ..
            } => Some(*status),
            ClientError::Login(
                LoginError::Rejected { status, .. }
                | LoginError::Status { status, .. }
                | LoginError::Throttled { status, .. },
            ) => Some(*status),
            other => other.api_failure().map(|f| f.status),
        }
    }

    /// The platform's `ErrorBody`, when the response carried one.
    pub fn error_body(&self) -> Option<&ErrorBody> {
        self.api_failure().and_then(|f| f.body.as_ref())
    }

    /// The `ININ-Correlation-Id` of the failing response, for support requests.
    pub fn correlation_id(&self) -> Option<&str> {
        match self {
            ClientError::Ambiguous { correlation_id, .. }
            | ClientError::Decode { correlation_id, .. } => correlation_id.as_deref(),
            ClientError::Login(
                LoginError::Rejected { correlation_id, .. }
                | LoginError::Status { correlation_id, .. }
                | LoginError::Throttled { correlation_id, .. },
            ) => correlation_id.as_deref(),
            other => other
                .api_failure()
                .and_then(|f| f.correlation_id.as_deref()),
        }
    }
}

/// What a platform error means, decided once: from `ErrorBody.code` when the platform sent
/// one, from the message text only when it did not.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorClass {
    /// The entity does not exist (404).
    NotFound,
    /// A duplicate or conflicting state, e.g. a taken name (409, or a 400 whose code says so).
    Conflict,
    /// The request was refused as invalid (other 400).
    BadRequest,
    /// The token was refused (401).
    Unauthorized,
    /// A permission or division access is missing (403).
    Forbidden,
    /// The rate limit was hit (429).
    RateLimited,
    /// Anything else.
    Other,
}

/// `ErrorBody.code` segments that name a conflict (`general.conflict`, `duplicate.name`, …).
const CONFLICT_CODE_SEGMENTS: &[&str] = &["conflict", "duplicate", "duplicated", "exists"];

impl ErrorClass {
    /// Classifies an error status and its body. A 400 is a conflict when its code names one;
    /// the message text (`duplicate`, `conflict`, `already exist`) decides only when the body
    /// has no code, so a message that merely mentions a conflict cannot turn a plain
    /// `bad.request` into one.
    pub fn of(status: u16, body: Option<&ErrorBody>) -> Self {
        match status {
            404 => ErrorClass::NotFound,
            409 => ErrorClass::Conflict,
            400 if body.is_some_and(names_conflict) => ErrorClass::Conflict,
            400 => ErrorClass::BadRequest,
            401 => ErrorClass::Unauthorized,
            403 => ErrorClass::Forbidden,
            429 => ErrorClass::RateLimited,
            _ => ErrorClass::Other,
        }
    }
}

fn names_conflict(body: &ErrorBody) -> bool {
    if let Some(code) = body.code.as_deref().filter(|c| !c.trim().is_empty()) {
        return code
            .to_ascii_lowercase()
            .split(['.', '_', '-'])
            .any(|segment| CONFLICT_CODE_SEGMENTS.contains(&segment));
    }
    [body.message.as_deref(), body.message_with_params.as_deref()]
        .into_iter()
        .flatten()
        .any(|t| {
            let t = t.to_ascii_lowercase();
            t.contains("duplicate") || t.contains("conflict") || t.contains("already exist")
        })
}

/// The error and its sources joined with `: ` (reqwest puts the useful part in sources).
pub(crate) fn error_chain(err: &dyn StdError) -> String {
    let mut text = err.to_string();
    let mut source = err.source();
    while let Some(s) = source {
        let next = s.to_string();
        if !text.contains(&next) {
            text.push_str(": ");
            text.push_str(&next);
        }
        source = s.source();
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    fn failure(status: u16, body: Option<ErrorBody>) -> ApiFailure {
        ApiFailure {
            method: Method::GET,
            route: "/api/v2/routing/wrapupcodes/{codeId}",
            status,
            body,
            correlation_id: Some("corr-1".into()),
            attempts: 1,
        }
    }

    #[test]
    fn statuses_map_to_their_variants() {
        assert!(ClientError::from_status(failure(404, None), None).is_not_found());
        assert!(ClientError::from_status(failure(409, None), None).is_conflict());
        assert!(ClientError::from_status(failure(401, None), None).is_unauthorized());
        assert!(ClientError::from_status(failure(403, None), None).is_forbidden());
        assert!(ClientError::from_status(failure(429, None), None).is_rate_limited());
        assert!(matches!(
            ClientError::from_status(failure(400, None), None),
            ClientError::BadRequest(_)
        ));
        assert!(matches!(
            ClientError::from_status(failure(500, None), None),
            ClientError::Api(_)
        ));
    }

    #[test]
    fn a_400_naming_a_duplicate_is_a_conflict() {
        let body = ErrorBody {
            code: Some("general.conflict".into()),
            message: Some("A wrap-up code with that name already exists".into()),
            ..ErrorBody::default()
        };
        assert!(ClientError::from_status(failure(400, Some(body)), None).is_conflict());
    }

    fn body(code: Option<&str>, message: &str) -> Option<ErrorBody> {
        Some(ErrorBody {
            code: code.map(str::to_owned),
            message: Some(message.to_owned()),
            ..ErrorBody::default()
        })
    }

    #[test]
    fn the_code_decides_and_the_message_cannot_override_it() {
        // A plain bad request whose text mentions a conflict stays a bad request.
        let err = ClientError::from_status(
            failure(
                400,
                body(Some("bad.request"), "name conflicts with a reserved word"),
            ),
            None,
        );
        assert!(matches!(err, ClientError::BadRequest(_)), "{err}");
        assert_eq!(err.class(), Some(ErrorClass::BadRequest));
        let err = ClientError::from_status(
            failure(400, body(Some("bad.request"), "duplicate field in request")),
            None,
        );
        assert!(!err.is_conflict(), "{err}");
        // A conflict code is a conflict whatever the message says.
        for code in [
            "general.conflict",
            "duplicate.name",
            "resource.already_exists.conflict",
        ] {
            let err = ClientError::from_status(failure(400, body(Some(code), "refused")), None);
            assert!(err.is_conflict(), "{code}");
        }
        assert!(
            !ClientError::from_status(failure(400, body(Some("invalid.value"), "x")), None)
                .is_conflict()
        );
    }

    #[test]
    fn the_message_decides_only_without_a_code() {
        for code in [None, Some(""), Some("  ")] {
            let err = ClientError::from_status(
                failure(
                    400,
                    body(code, "A wrap-up code with that name already exists"),
                ),
                None,
            );
            assert!(err.is_conflict(), "{code:?}");
        }
        let plain = ClientError::from_status(failure(400, body(None, "name too long")), None);
        assert_eq!(plain.class(), Some(ErrorClass::BadRequest));
    }

    #[test]
    fn statuses_give_their_class() {
        for (status, class) in [
            (404, ErrorClass::NotFound),
            (409, ErrorClass::Conflict),
            (401, ErrorClass::Unauthorized),
            (403, ErrorClass::Forbidden),
            (429, ErrorClass::RateLimited),
            (500, ErrorClass::Other),
        ] {
            assert_eq!(ErrorClass::of(status, None), class, "{status}");
        }
    }

    #[test]
    fn display_carries_message_code_and_correlation_id() {
        let body = ErrorBody {
            message: Some("Wrap-up code abc not found".into()),
            code: Some("not.found".into()),
            ..ErrorBody::default()
        };
        let err = ClientError::from_status(failure(404, Some(body)), None);
        let text = err.to_string();
        assert!(text.contains("HTTP 404"), "{text}");
        assert!(text.contains("Wrap-up code abc not found"), "{text}");
        assert!(text.contains("not.found"), "{text}");
        assert!(text.contains("corr-1"), "{text}");
        assert_eq!(err.correlation_id(), Some("corr-1"));
        assert_eq!(err.status(), Some(404));
        assert_eq!(
            err.error_body().and_then(|b| b.code.as_deref()),
            Some("not.found")
        );
    }

    #[test]
    fn ambiguous_errors_say_they_may_have_been_applied() {
        let err = ClientError::Ambiguous {
            method: Method::POST,
            route: "/api/v2/routing/wrapupcodes",
            cause: AmbiguousCause::Status(503),
            correlation_id: None,
        };
        assert!(err.is_maybe_applied());
        assert_eq!(err.status(), Some(503));
        assert!(err.to_string().contains("may or may not have been applied"));
    }

    #[test]
    fn login_errors_show_only_oauth_fields() {
        let err = ClientError::from(LoginError::Rejected {
            status: 401,
            error: Some("invalid_client".into()),
            description: Some("client authentication failed".into()),
            correlation_id: None,
        });
        assert!(err.is_unauthorized());
        assert_eq!(
            err.to_string(),
            "login failed: the login host rejected the OAuth client credentials \
             (HTTP 401: invalid_client: client authentication failed)"
        );
    }
}
