//! Per-access-token request limit per minute (fixed one-minute windows), answering the real
//! 429 ErrorBody with `Retry-After`. The platform meters each client-credentials token
//! (`client.credentials.token.rate.per.minute`), so two tokens of one OAuth client each get
//! the full budget. No `inin-ratelimit-*` headers: the platform removed them in June 2021.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::Response;

use crate::auth::TokenKey;
use crate::error::ApiError;
use crate::state::AppState;

const WINDOW: Duration = Duration::from_secs(60);

/// Open windows, one per access token.
#[derive(Default)]
pub struct RateWindows {
    windows: HashMap<String, Window>,
}

struct Window {
    started: Instant,
    count: u32,
}

/// The outcome of counting one request.
#[derive(Debug, PartialEq, Eq)]
pub struct Verdict {
    pub allowed: bool,
    pub count: u32,
    pub limit: u32,
    /// Whole seconds until the window resets (at least 1).
    pub reset_secs: u64,
}

impl RateWindows {
    /// Counts a request made with `token` against `limit` per minute.
    pub fn count(&mut self, token: &str, limit: u32, now: Instant) -> Verdict {
        let window = self.windows.entry(token.to_owned()).or_insert(Window {
            started: now,
            count: 0,
        });
        if now.duration_since(window.started) >= WINDOW {
            *window = Window {
                started: now,
                count: 0,
            };
        }
        window.count = window.count.saturating_add(1);
        let left = WINDOW.saturating_sub(now.duration_since(window.started));
        Verdict {
            allowed: window.count <= limit,
            count: window.count,
            limit,
            reset_secs: left.as_secs_f64().ceil().max(1.0) as u64,
        }
    }

    /// Forgets every window.
    pub fn clear(&mut self) {
        self.windows.clear();
    }
}

/// Middleware (after the bearer check): enforces `--rate-limit` for the request's token.
pub async fn enforce(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let Some(limit) = state.config().rate_limit_per_minute else {
        return next.run(request).await;
    };
    let token = request
        .extensions()
        .get::<TokenKey>()
        .map(|t| t.0.clone())
        .unwrap_or_default();
    let verdict = state.world().rate.count(&token, limit, Instant::now());
    if verdict.allowed {
        next.run(request).await
    } else {
        use axum::response::IntoResponse;
        let secs = verdict.reset_secs.to_string();
        ApiError::new(
            StatusCode::TOO_MANY_REQUESTS,
            "too.many.requests.retry.after",
            format!("Rate limit exceeded the maximum. Retry the request in [{secs}] seconds"),
        )
        .with_template(
            "Rate limit exceeded the maximum. Retry the request in [{retryAfter}] seconds",
        )
        .with_param("retryAfter", secs.clone())
        .with_header(axum::http::header::RETRY_AFTER, &secs)
        .into_response()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn allows_limit_requests_per_window_then_refuses_until_reset() {
        let mut rate = RateWindows::default();
        let t0 = Instant::now();
        assert!(rate.count("a", 2, t0).allowed);
        assert!(rate.count("a", 2, t0).allowed);
        let third = rate.count("a", 2, t0 + Duration::from_secs(10));
        assert!(!third.allowed);
        assert_eq!(third.reset_secs, 50);
        assert!(rate.count("b", 2, t0).allowed, "limits are per token");
        assert!(
            rate.count("a", 2, t0 + WINDOW).allowed,
            "a new window opens"
        );
    }
}
