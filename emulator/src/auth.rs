//! Access tokens issued by `/oauth/token` and the bearer check in front of every `/api/v2`
//! route.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use axum::extract::{Request, State};
use axum::http::header::AUTHORIZATION;
use axum::middleware::Next;
use axum::response::Response;

use crate::error::ApiError;
use crate::state::AppState;

/// The OAuth client a request was authenticated as, put into request extensions.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClientId(pub String);

/// The access token a request was authenticated with, put into request extensions: the
/// platform meters requests per token, not per OAuth client.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TokenKey(pub String);

/// Issued tokens and when each expires.
#[derive(Default)]
pub struct Tokens {
    issued: HashMap<String, Issued>,
}

struct Issued {
    client_id: String,
    expires_at: Instant,
}

impl Tokens {
    /// Issues a fresh opaque token for `client_id`, valid for `ttl`.
    pub fn issue(&mut self, client_id: &str, ttl: Duration) -> String {
        let now = Instant::now();
        self.issued.retain(|_, t| t.expires_at > now);
        let token = format!(
            "{}{}",
            uuid::Uuid::new_v4().simple(),
            uuid::Uuid::new_v4().simple()
        );
        self.issued.insert(
            token.clone(),
            Issued {
                client_id: client_id.to_owned(),
                expires_at: now + ttl,
            },
        );
        token
    }

    /// The client a token belongs to, or the 401 the real API answers.
    pub fn check(&self, token: &str) -> Result<ClientId, ApiError> {
        match self.issued.get(token) {
            Some(t) if t.expires_at > Instant::now() => Ok(ClientId(t.client_id.clone())),
            // The platform forgets expired tokens, so they look like any unknown token.
            _ => Err(ApiError::bad_credentials()),
        }
    }

    /// Expires every issued token now (admin: forces clients to re-authenticate).
    pub fn expire_all(&mut self) -> usize {
        let n = self.issued.len();
        self.issued.clear();
        n
    }
}

/// Middleware: rejects requests without a valid bearer token, else records the client.
pub async fn require_bearer(
    State(state): State<AppState>,
    mut request: Request,
    next: Next,
) -> Result<Response, ApiError> {
    let header = request
        .headers()
        .get(AUTHORIZATION)
        .ok_or_else(ApiError::authentication_required)?;
    let value = header.to_str().map_err(|_| ApiError::bad_credentials())?;
    let token = match value.split_once(' ') {
        Some((scheme, token)) if scheme.eq_ignore_ascii_case("bearer") => token.trim(),
        _ => return Err(ApiError::authentication_required()),
    };
    if token.is_empty() {
        return Err(ApiError::authentication_required());
    }
    let client = state.world().tokens.check(token)?;
    let key = TokenKey(token.to_owned());
    request.extensions_mut().insert(client);
    request.extensions_mut().insert(key);
    Ok(next.run(request).await)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn issued_token_is_accepted_until_it_expires() {
        let mut tokens = Tokens::default();
        let live = tokens.issue("c", Duration::from_secs(60));
        let dead = tokens.issue("c", Duration::ZERO);
        assert_eq!(tokens.check(&live).ok(), Some(ClientId("c".into())));
        assert_eq!(
            tokens.check(&dead).map_err(|e| e.code().to_owned()),
            Err("bad.credentials".into())
        );
        assert!(tokens.check("nonsense").is_err());
    }
}
