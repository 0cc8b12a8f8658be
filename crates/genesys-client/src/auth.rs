//! OAuth bearer tokens: the client-credentials grant with a cached, single-flight token, or a
//! supplied access token used as is.

use std::time::{Duration, Instant, SystemTime};

use reqwest::header::HeaderMap;
use serde::Deserialize;
use tokio::sync::Mutex;
use tracing::debug;
use url::Url;

use super::config::{Credentials, Secret};
use super::error::{LoginError, error_chain};
use super::numbers::{parse_retry_after, token_lifetime};
use super::retry::{RetryPolicy, is_transient_status};
use super::waits::{Cancelled, pause};
use tokio_util::sync::CancellationToken;

/// Renew at most this long before the token expires.
const MAX_REFRESH_MARGIN: Duration = Duration::from_secs(60);

/// A bearer token handed to one request. `generation` identifies the fetch it came from so a
/// 401 invalidates only that token, not one a concurrent caller already renewed.
#[derive(Clone, Debug)]
pub(crate) struct BearerToken {
    pub(crate) value: Secret,
    generation: u64,
}

#[derive(Debug)]
struct CachedToken {
    token: BearerToken,
    refresh_at: Instant,
}

#[derive(Debug, Default)]
struct TokenState {
    cached: Option<CachedToken>,
    generation: u64,
    /// The status of a login the host refused: remembered for the process, never retried.
    refused: Option<u16>,
    /// Logins that returned a token, for the debug log.
    logins: u64,
}

/// Hands out bearer tokens. The mutex is held across the token request, so concurrent callers
/// share one request (single flight) and then the cached result.
#[derive(Debug)]
pub(crate) struct Authenticator {
    credentials: Credentials,
    token_url: Url,
    retry: RetryPolicy,
    state: Mutex<TokenState>,
}

#[derive(Deserialize)]
struct TokenResponse {
    access_token: String,
    /// Any JSON value: read by [`token_lifetime`], which clamps it.
    #[serde(default)]
    expires_in: Option<serde_json::Value>,
}

/// The login host's error answer. It sends the description twice, as `description` and as
/// `error_description` (RFC 6749), so the two are separate fields: one field with an alias for
/// the other would refuse such a body as a duplicate and lose both.
#[derive(Deserialize, Default)]
struct OAuthErrorBody {
    #[serde(default)]
    error: Option<String>,
    #[serde(default)]
    description: Option<String>,
    #[serde(default)]
    error_description: Option<String>,
}

impl OAuthErrorBody {
    /// Reads an error answer; a body that is not one gives neither code nor description.
    fn parse(body: &[u8]) -> OAuthErrorBody {
        let mut parsed: OAuthErrorBody = serde_json::from_slice(body).unwrap_or_default();
        if parsed.description.is_none() {
            parsed.description = parsed.error_description.take();
        }
        parsed
    }
}

impl Authenticator {
    pub(crate) fn new(credentials: Credentials, login_base: &Url, retry: RetryPolicy) -> Self {
        let mut token_url = login_base.clone();
        token_url
            .path_segments_mut()
            .expect("base URLs are checked to be http(s) URLs, which have paths")
            .pop_if_empty()
            .extend(["oauth", "token"]);
        Authenticator {
            credentials,
            token_url,
            retry,
            state: Mutex::new(TokenState::default()),
        }
    }

    /// A valid token: the cached one, or a freshly fetched one.
    /// A login's retries end when `cancel` fires. Waiting for another caller's login is not
    /// cut short: that login sends at most one more request before its own retries end, and
    /// a read that settles what a write did must not fail for the sake of a short wait.
    pub(crate) async fn token(
        &self,
        http: &reqwest::Client,
        cancel: &CancellationToken,
    ) -> Result<BearerToken, LoginError> {
        let (client_id, client_secret) = match &self.credentials {
            Credentials::AccessToken(token) => {
                return Ok(BearerToken {
                    value: token.clone(),
                    generation: 0,
                });
            }
            Credentials::ClientCredentials {
                client_id,
                client_secret,
            } => (client_id, client_secret),
        };
        let mut state = self.state.lock().await;
        if let Some(status) = state.refused {
            return Err(LoginError::RefusedEarlier { status });
        }
        if let Some(cached) = &state.cached
            && Instant::now() < cached.refresh_at
        {
            return Ok(cached.token.clone());
        }
        let (value, lifetime) = match self.fetch(http, client_id, client_secret, cancel).await {
            Ok(fetched) => fetched,
            Err(error) => {
                if let LoginError::Rejected { status, .. } = &error {
                    state.refused = Some(*status);
                }
                return Err(error);
            }
        };
        state.logins += 1;
        debug!(logins = state.logins, "genesys login: new access token");
        state.generation += 1;
        let token = BearerToken {
            value,
            generation: state.generation,
        };
        state.cached = Some(CachedToken {
            token: token.clone(),
            refresh_at: refresh_at(Instant::now(), lifetime),
        });
        Ok(token)
    }

    /// Forgets `stale` after the API refused it, unless it was already replaced.
    pub(crate) async fn invalidate(&self, stale: &BearerToken) {
        let mut state = self.state.lock().await;
        if state
            .cached
            .as_ref()
            .is_some_and(|c| c.token.generation == stale.generation)
        {
            state.cached = None;
        }
    }

    async fn fetch(
        &self,
        http: &reqwest::Client,
        client_id: &str,
        client_secret: &Secret,
        cancel: &CancellationToken,
    ) -> Result<(Secret, Duration), LoginError> {
        let started = Instant::now();
        let mut attempt = 0u32;
        loop {
            attempt += 1;
            let sent = Instant::now();
            let result = http
                .post(self.token_url.clone())
                .basic_auth(client_id, Some(client_secret.expose()))
                .form(&[("grant_type", "client_credentials")])
                .send()
                .await;
            let response = match result {
                Ok(response) => response,
                Err(err) => {
                    debug!(
                        route = "/oauth/token",
                        attempt,
                        duration_ms = sent.elapsed().as_millis() as u64,
                        "genesys login transport error"
                    );
                    if let Some(wait) = self.next_wait(attempt, started, None) {
                        pause(wait, cancel)
                            .await
                            .map_err(|Cancelled| LoginError::Interrupted)?;
                        continue;
                    }
                    return Err(LoginError::Transport {
                        detail: error_chain(&err),
                        attempts: attempt,
                    });
                }
            };
            let status = response.status().as_u16();
            let correlation_id = correlation_id(response.headers());
            let retry_after = response
                .headers()
                .get(reqwest::header::RETRY_AFTER)
                .and_then(|v| parse_retry_after(v.as_bytes(), SystemTime::now()));
            let body = response.bytes().await;
            debug!(
                method = "POST",
                route = "/oauth/token",
                status,
                attempt,
                duration_ms = sent.elapsed().as_millis() as u64,
                correlation_id = correlation_id.as_deref().unwrap_or(""),
                "genesys login response"
            );
            let body = match body {
                Ok(body) => body,
                Err(err) => {
                    if let Some(wait) = self.next_wait(attempt, started, None) {
                        pause(wait, cancel)
                            .await
                            .map_err(|Cancelled| LoginError::Interrupted)?;
                        continue;
                    }
                    return Err(LoginError::Transport {
                        detail: error_chain(&err),
                        attempts: attempt,
                    });
                }
            };
            if (200..300).contains(&status) {
                return decode_token(&body);
            }
            if status == 429 || is_transient_status(status) {
                let hint = if status == 429 { retry_after } else { None };
                if let Some(wait) = self.next_wait(attempt, started, hint) {
                    pause(wait, cancel)
                        .await
                        .map_err(|Cancelled| LoginError::Interrupted)?;
                    continue;
                }
            }
            let oauth = OAuthErrorBody::parse(&body);
            // The login host throttles token creation with 400 invalid_request "rate limit
            // exceeded", not 429: wait and retry, it says nothing about the credentials.
            if is_login_throttle(status, &oauth)
                && let Some(wait) = self.next_wait(attempt, started, retry_after)
            {
                debug!(
                    attempt,
                    wait_ms = wait.as_millis() as u64,
                    "genesys login throttled"
                );
                pause(wait, cancel)
                    .await
                    .map_err(|Cancelled| LoginError::Interrupted)?;
                continue;
            }
            if status == 429 || is_login_throttle(status, &oauth) {
                return Err(LoginError::Throttled {
                    status,
                    attempts: attempt,
                    correlation_id,
                });
            }
            return Err(if matches!(status, 400 | 401 | 403) {
                LoginError::Rejected {
                    status,
                    error: oauth.error,
                    description: oauth.description,
                    correlation_id,
                }
            } else {
                LoginError::Status {
                    status,
                    error: oauth.error,
                    description: oauth.description,
                    correlation_id,
                    attempts: attempt,
                }
            });
        }
    }

    fn next_wait(
        &self,
        attempt: u32,
        started: Instant,
        retry_after: Option<Duration>,
    ) -> Option<Duration> {
        self.retry
            .next_wait(attempt.saturating_sub(1), started.elapsed(), retry_after)
    }
}

/// When a token of `lifetime` fetched at `now` is renewed; a lifetime past what `Instant` can
/// hold renews it at the far end of [`MAX_TOKEN_LIFETIME`](super::numbers::MAX_TOKEN_LIFETIME).
fn refresh_at(now: Instant, lifetime: Duration) -> Instant {
    let lifetime = lifetime.min(super::numbers::MAX_TOKEN_LIFETIME);
    let ahead = lifetime.saturating_sub(refresh_margin(lifetime));
    now.checked_add(ahead).unwrap_or(now)
}

/// The login host's own throttle: `400 invalid_request` whose description says the rate
/// limit was exceeded.
fn is_login_throttle(status: u16, body: &OAuthErrorBody) -> bool {
    status == 400
        && body.error.as_deref() == Some("invalid_request")
        && body
            .description
            .as_deref()
            .is_some_and(|text| text.to_ascii_lowercase().contains("rate limit"))
}

/// How long before expiry a token is renewed: a tenth of its lifetime, at most a minute.
fn refresh_margin(lifetime: Duration) -> Duration {
    (lifetime / 10).min(MAX_REFRESH_MARGIN)
}

/// Decodes the token response without ever echoing its content: serde's messages can quote
/// values, and this body holds the token.
fn decode_token(body: &[u8]) -> Result<(Secret, Duration), LoginError> {
    let parsed: TokenResponse = serde_json::from_slice(body).map_err(|e| LoginError::Decode {
        detail: format!(
            "not a token response ({:?} error at line {} column {})",
            e.classify(),
            e.line(),
            e.column()
        ),
    })?;
    if parsed.access_token.is_empty() {
        return Err(LoginError::Decode {
            detail: "empty access_token".into(),
        });
    }
    let lifetime = token_lifetime(parsed.expires_in.as_ref());
    Ok((Secret::new(parsed.access_token), lifetime))
}

/// The `ININ-Correlation-Id` response header.
pub(crate) fn correlation_id(headers: &HeaderMap) -> Option<String> {
    headers
        .get("ININ-Correlation-Id")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refresh_margin_is_a_tenth_capped_at_a_minute() {
        assert_eq!(
            refresh_margin(Duration::from_secs(86_400)),
            MAX_REFRESH_MARGIN
        );
        assert_eq!(
            refresh_margin(Duration::from_secs(10)),
            Duration::from_secs(1)
        );
        assert_eq!(refresh_margin(Duration::ZERO), Duration::ZERO);
    }

    #[test]
    fn token_decode_errors_never_quote_the_body() {
        let body = br#"{"access_token": "tok-SECRET", "token_type": "tok-SECRET-2""#;
        let err = decode_token(body).expect_err("truncated JSON");
        let text = format!("{err} {err:?}");
        assert!(!text.contains("SECRET"), "{text}");
    }

    #[test]
    fn token_decode_reads_lifetime() {
        let (token, lifetime) =
            decode_token(br#"{"access_token":"t","token_type":"bearer","expires_in":86399}"#)
                .expect("valid token response");
        assert_eq!(token.expose(), "t");
        assert_eq!(lifetime, Duration::from_secs(86_399));
    }

    #[test]
    fn huge_and_negative_token_lifetimes_are_clamped() {
        for (expires_in, lifetime) in [
            (
                "18446744073709551615",
                super::super::numbers::MAX_TOKEN_LIFETIME,
            ),
            ("1e300", super::super::numbers::MAX_TOKEN_LIFETIME),
            ("-60", Duration::ZERO),
            ("\"soon\"", super::super::numbers::DEFAULT_TOKEN_LIFETIME),
        ] {
            let body = format!(r#"{{"access_token":"t","expires_in":{expires_in}}}"#);
            let (_, got) = decode_token(body.as_bytes()).expect("a token response");
            assert_eq!(got, lifetime, "{expires_in}");
            let now = Instant::now();
            assert!(refresh_at(now, got) <= now + super::super::numbers::MAX_TOKEN_LIFETIME);
        }
        let now = Instant::now();
        assert_eq!(
            refresh_at(now, Duration::MAX),
            refresh_at(now, Duration::from_secs(172_800))
        );
    }

    #[test]
    fn only_the_rate_limit_400_is_a_throttle() {
        let body = |error: &str, description: &str| OAuthErrorBody {
            error: Some(error.into()),
            description: Some(description.into()),
            error_description: None,
        };
        assert!(is_login_throttle(
            400,
            &body("invalid_request", "Rate limit exceeded; try later")
        ));
        assert!(!is_login_throttle(
            400,
            &body("invalid_request", "grant_type is required")
        ));
        assert!(!is_login_throttle(
            401,
            &body("invalid_client", "rate limit exceeded")
        ));
        assert!(!is_login_throttle(400, &OAuthErrorBody::default()));
    }

    #[test]
    fn the_login_hosts_answer_with_both_description_keys_is_read() {
        let throttle = OAuthErrorBody::parse(
            br#"{"error":"invalid_request","description":"rate limit exceeded; try again later","error_description":"rate limit exceeded; try again later"}"#,
        );
        assert!(is_login_throttle(400, &throttle));
        let only_rfc = OAuthErrorBody::parse(
            br#"{"error":"invalid_client","error_description":"client not found"}"#,
        );
        assert_eq!(only_rfc.description.as_deref(), Some("client not found"));
        assert!(OAuthErrorBody::parse(b"<html>").error.is_none());
    }

    #[test]
    fn token_url_is_under_the_login_base_path() {
        let base = Url::parse("http://127.0.0.1:9/gateway/").expect("valid");
        let auth = Authenticator::new(
            Credentials::client_credentials("id", "secret"),
            &base,
            RetryPolicy::none(),
        );
        assert_eq!(
            auth.token_url.as_str(),
            "http://127.0.0.1:9/gateway/oauth/token"
        );
    }
}
