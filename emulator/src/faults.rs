//! Fault injection set through `PUT /__emulator/faults`: fail the next N matching requests,
//! fixed latency, a slow link (act at once, answer late), read-after-write lag, dropped
//! connections and ignored wrap-up writes.
//! The JSON schema is documented in emulator/README.md.

use axum::extract::connect_info::ConnectInfo;
use axum::extract::{MatchedPath, Request, State};
use axum::http::{Method, StatusCode, header::RETRY_AFTER};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};

use crate::conn::ConnInfo;
use crate::error::ApiError;
use crate::state::AppState;

/// The whole fault configuration; `PUT /__emulator/faults` replaces it.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Faults {
    /// Fail the next `count` requests matching each rule.
    #[serde(default)]
    pub rules: Vec<FailRule>,
    /// Delay before every non-admin request is handled.
    #[serde(default)]
    pub latency_ms: u64,
    /// A slow link: every non-admin request is performed at once, then its answer is held back
    /// this long (plus up to `answer_latency_jitter_ms`), so a client that gives up early
    /// leaves a change it never heard of.
    #[serde(default)]
    pub answer_latency_ms: u64,
    /// Random extra delay, uniform in `0..=answer_latency_jitter_ms`, added to each held-back
    /// answer.
    #[serde(default)]
    pub answer_latency_jitter_ms: u64,
    /// How long list reads (and with `lag_get_by_id` every read) keep showing pre-write data.
    #[serde(default)]
    pub read_after_write_lag_ms: u64,
    /// Extends the read-after-write lag to GET-by-id and wrap-up reads.
    #[serde(default)]
    pub lag_get_by_id: bool,
    /// Perform the next `count` matching requests, then close the connection unanswered.
    #[serde(default)]
    pub drop_connections: Vec<DropRule>,
    /// Wrap-up writes answer success but store nothing.
    #[serde(default)]
    pub accept_but_ignore_wrapup_writes: bool,
    /// The next `login_rate_limited` token requests answer the login host's own throttle:
    /// `400 invalid_request` "rate limit exceeded" (not 429), whatever the credentials.
    #[serde(default)]
    pub login_rate_limited: u32,
    /// How long the analytics views (details query, multi-get) keep showing a participant's
    /// wrap-up as it was before a write; the conversation API stays exact.
    #[serde(default)]
    pub analytics_lag_ms: u64,
}

/// Fails matching requests with `status`.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct FailRule {
    /// HTTP method to match; absent or `*` matches any.
    #[serde(default)]
    pub method: Option<String>,
    /// Path pattern (see [`path_matches`]).
    pub path: String,
    /// Status to answer, 400..=599.
    pub status: u16,
    /// `Retry-After` seconds to send.
    #[serde(default)]
    pub retry_after: Option<u64>,
    /// How many matching requests fail (then the rule is spent).
    #[serde(default = "one")]
    pub count: u32,
    /// How many matching requests pass untouched before the rule starts failing them (a
    /// fault between the calls of one write: the first chunk lands, the second fails).
    #[serde(default)]
    pub skip: u32,
    /// ErrorBody `code` override (default: the platform's code for the status).
    #[serde(default)]
    pub code: Option<String>,
    /// ErrorBody `message` override.
    #[serde(default)]
    pub message: Option<String>,
}

/// Drops the connection of matching requests after performing them.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct DropRule {
    #[serde(default)]
    pub method: Option<String>,
    pub path: String,
    #[serde(default = "one")]
    pub count: u32,
}

fn one() -> u32 {
    1
}

impl Faults {
    /// Checks a configuration before it is installed.
    pub fn validate(&self) -> Result<(), ApiError> {
        for (i, rule) in self.rules.iter().enumerate() {
            if !(400..=599).contains(&rule.status) {
                return Err(ApiError::invalid_value(
                    &format!("rules[{i}].status"),
                    format!("Fault status {} must be between 400 and 599", rule.status),
                ));
            }
            check_method(rule.method.as_deref(), &format!("rules[{i}].method"))?;
        }
        for (i, rule) in self.drop_connections.iter().enumerate() {
            check_method(
                rule.method.as_deref(),
                &format!("drop_connections[{i}].method"),
            )?;
        }
        Ok(())
    }

    /// How long the next answer is held back on the slow link.
    fn answer_delay(&self) -> std::time::Duration {
        let jitter = match self.answer_latency_jitter_ms {
            0 => 0,
            spread => (uuid::Uuid::new_v4().as_u128() % (u128::from(spread) + 1)) as u64,
        };
        std::time::Duration::from_millis(self.answer_latency_ms.saturating_add(jitter))
    }

    /// Consumes the first live fail rule matching the request.
    fn take_failure(
        &mut self,
        method: &Method,
        path: &str,
        template: Option<&str>,
    ) -> Option<FailRule> {
        let rule = self.rules.iter_mut().find(|r| {
            r.count > 0
                && method_matches(r.method.as_deref(), method)
                && path_matches(&r.path, path, template)
        })?;
        if rule.skip > 0 {
            rule.skip -= 1;
            return None;
        }
        rule.count -= 1;
        Some(rule.clone())
    }

    /// Consumes one use of the login throttle, if any is left.
    pub fn take_login_throttle(&mut self) -> bool {
        if self.login_rate_limited == 0 {
            return false;
        }
        self.login_rate_limited -= 1;
        true
    }

    /// Consumes one use of the first live drop rule matching the request.
    fn take_drop(&mut self, method: &Method, path: &str, template: Option<&str>) -> bool {
        match self.drop_connections.iter_mut().find(|r| {
            r.count > 0
                && method_matches(r.method.as_deref(), method)
                && path_matches(&r.path, path, template)
        }) {
            Some(rule) => {
                rule.count -= 1;
                true
            }
            None => false,
        }
    }
}

fn check_method(method: Option<&str>, field: &str) -> Result<(), ApiError> {
    match method {
        None | Some("*") => Ok(()),
        Some(m) if Method::from_bytes(m.to_ascii_uppercase().as_bytes()).is_ok() => Ok(()),
        Some(m) => Err(ApiError::invalid_value(
            field,
            format!("{m:?} is not an HTTP method"),
        )),
    }
}

fn method_matches(pattern: Option<&str>, method: &Method) -> bool {
    match pattern {
        None | Some("*") => true,
        Some(m) => m.eq_ignore_ascii_case(method.as_str()),
    }
}

/// Whether a rule's path pattern matches a request. The pattern may equal the route template
/// (`/api/v2/routing/wrapupcodes/{codeId}`), or be a glob over the concrete path where `*`
/// matches within one segment, `{name}` matches one whole segment and `**` any number of
/// segments. The query string is never part of the match.
pub fn path_matches(pattern: &str, path: &str, template: Option<&str>) -> bool {
    if template == Some(pattern) {
        return true;
    }
    let pattern: Vec<&str> = pattern.trim_end_matches('/').split('/').collect();
    let path: Vec<&str> = path.trim_end_matches('/').split('/').collect();
    segments_match(&pattern, &path)
}

fn segments_match(pattern: &[&str], path: &[&str]) -> bool {
    match pattern.split_first() {
        None => path.is_empty(),
        Some((&"**", rest)) => (0..=path.len()).any(|skip| segments_match(rest, &path[skip..])),
        Some((seg, rest)) => match path.split_first() {
            Some((p, path_rest)) => segment_matches(seg, p) && segments_match(rest, path_rest),
            None => false,
        },
    }
}

fn segment_matches(pattern: &str, segment: &str) -> bool {
    if pattern.starts_with('{') && pattern.ends_with('}') {
        return !segment.is_empty();
    }
    wildcard(pattern.as_bytes(), segment.as_bytes())
}

fn wildcard(pattern: &[u8], text: &[u8]) -> bool {
    match pattern.split_first() {
        None => text.is_empty(),
        Some((b'*', rest)) => (0..=text.len()).any(|skip| wildcard(rest, &text[skip..])),
        Some((c, rest)) => text.first() == Some(c) && wildcard(rest, &text[1..]),
    }
}

/// The platform's ErrorBody code and message for a status a fault answers with.
fn platform_error(status: StatusCode) -> (&'static str, &'static str) {
    match status.as_u16() {
        400 => (
            "bad.request",
            "The request could not be understood by the server due to malformed syntax.",
        ),
        401 => ("bad.credentials", "Invalid login credentials."),
        403 => (
            "not.authorized",
            "You are not authorized to perform the requested action.",
        ),
        404 => ("not.found", "The requested resource was not found."),
        408 => (
            "request.timeout",
            "The client did not produce a request within the server timeout limit.",
        ),
        409 => (
            "conflict",
            "The request conflicts with the current state of the resource.",
        ),
        429 => (
            "too.many.requests.retry.after",
            "Rate limit exceeded the maximum. Retry the request later.",
        ),
        500 => (
            "internal.server.error",
            "The server encountered an unexpected condition which prevented it from fulfilling the request.",
        ),
        502 => (
            "bad.gateway",
            "The server received an invalid response from an upstream server.",
        ),
        503 => (
            "service.unavailable",
            "Service Unavailable - The server is currently unavailable (because it is overloaded or down for maintenance).",
        ),
        504 => ("gateway.timeout", "The request timed out."),
        _ => ("error", "The request failed."),
    }
}

/// Middleware: applies latency, fail rules and drop rules to every non-admin request.
pub async fn apply(State(state): State<AppState>, request: Request, next: Next) -> Response {
    if request.uri().path().starts_with(crate::app::ADMIN_PREFIX) {
        return next.run(request).await;
    }
    let template = request
        .extensions()
        .get::<MatchedPath>()
        .map(|p| p.as_str().to_owned());
    let (latency, failure, drop, answer_delay) = {
        let mut world = state.world();
        let path = request.uri().path();
        let method = request.method();
        let failure = world.faults.take_failure(method, path, template.as_deref());
        let drop = failure.is_none() && world.faults.take_drop(method, path, template.as_deref());
        let answer_delay = world.faults.answer_delay();
        (world.faults.latency_ms, failure, drop, answer_delay)
    };
    if latency > 0 {
        tokio::time::sleep(std::time::Duration::from_millis(latency)).await;
    }
    if let Some(rule) = failure {
        let status = StatusCode::from_u16(rule.status).unwrap_or(StatusCode::SERVICE_UNAVAILABLE);
        let (code, message) = platform_error(status);
        let mut error = ApiError::new(
            status,
            rule.code.as_deref().unwrap_or(code),
            rule.message.clone().unwrap_or_else(|| message.to_owned()),
        );
        if let Some(secs) = rule.retry_after {
            error = error.with_header(RETRY_AFTER, secs.to_string());
        }
        return error.into_response();
    }
    if drop {
        let conn = request.extensions().get::<ConnectInfo<ConnInfo>>().cloned();
        let response = next.run(request).await;
        match conn {
            Some(ConnectInfo(conn)) => conn.drop_connection(),
            None => {
                tracing::warn!("drop_connections fault matched but the connection is not killable")
            }
        }
        return response;
    }
    let response = next.run(request).await;
    if !answer_delay.is_zero() {
        tokio::time::sleep(answer_delay).await;
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn glob_patterns_match_segments() {
        let p = "/api/v2/routing/wrapupcodes/abc";
        assert!(path_matches("/api/v2/routing/wrapupcodes/*", p, None));
        assert!(path_matches(
            "/api/v2/routing/wrapupcodes/{codeId}",
            p,
            None
        ));
        assert!(path_matches("/api/v2/**", p, None));
        assert!(path_matches("/api/v2/routing/wrapupcodes/a*", p, None));
        assert!(!path_matches("/api/v2/routing/wrapupcodes", p, None));
        assert!(!path_matches("/api/v2/routing/*", p, None));
        assert!(path_matches(
            "/api/v2/routing/wrapupcodes",
            "/api/v2/routing/wrapupcodes/",
            None
        ));
    }

    #[test]
    fn route_template_matches_exactly() {
        assert!(path_matches(
            "/api/v2/conversations/calls/{conversationId}",
            "/api/v2/conversations/calls/x",
            Some("/api/v2/conversations/calls/{conversationId}")
        ));
    }

    #[test]
    fn fail_rule_is_spent_after_count_uses() {
        let mut faults = Faults {
            rules: vec![FailRule {
                method: Some("get".into()),
                path: "/x".into(),
                status: 503,
                retry_after: None,
                count: 2,
                skip: 0,
                code: None,
                message: None,
            }],
            ..Faults::default()
        };
        assert!(faults.take_failure(&Method::POST, "/x", None).is_none());
        assert!(faults.take_failure(&Method::GET, "/x", None).is_some());
        assert!(faults.take_failure(&Method::GET, "/x", None).is_some());
        assert!(faults.take_failure(&Method::GET, "/x", None).is_none());
    }

    #[test]
    fn a_rule_lets_skip_matching_requests_pass_first() {
        let mut faults = Faults {
            rules: vec![FailRule {
                method: None,
                path: "/x".into(),
                status: 400,
                retry_after: None,
                count: 1,
                skip: 1,
                code: None,
                message: None,
            }],
            ..Faults::default()
        };
        assert!(faults.take_failure(&Method::POST, "/x", None).is_none());
        assert!(faults.take_failure(&Method::POST, "/x", None).is_some());
        assert!(faults.take_failure(&Method::POST, "/x", None).is_none());
    }

    #[test]
    fn validation_refuses_non_error_status_and_bad_method() {
        let mut faults = Faults::default();
        faults.rules.push(FailRule {
            method: None,
            path: "/x".into(),
            status: 200,
            retry_after: None,
            count: 1,
            skip: 0,
            code: None,
            message: None,
        });
        assert!(faults.validate().is_err());
        faults.rules[0].status = 500;
        faults.rules[0].method = Some("NOT A METHOD".into());
        assert!(faults.validate().is_err());
    }
}
