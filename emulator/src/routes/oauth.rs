//! The login host's `POST /oauth/token` (client-credentials grant).

use axum::Json;
use axum::Router;
use axum::extract::rejection::FormRejection;
use axum::extract::{Form, State};
use axum::http::{HeaderMap, StatusCode, header::AUTHORIZATION};
use axum::routing::post;
use base64::Engine;
use serde::Serialize;

use crate::error::ApiError;
use crate::state::AppState;

/// Routes served for the login host.
pub fn routes() -> Router<AppState> {
    Router::new().route("/oauth/token", post(token))
}

#[derive(Serialize)]
struct TokenResponse {
    access_token: String,
    token_type: &'static str,
    expires_in: u64,
}

fn invalid_client() -> ApiError {
    ApiError::oauth(
        StatusCode::UNAUTHORIZED,
        "invalid_client",
        "authentication failed",
    )
}

/// Client id and secret from `Authorization: Basic`, else from the form body.
fn credentials(
    headers: &HeaderMap,
    form: &[(String, String)],
) -> Result<(String, String), ApiError> {
    if let Some(value) = headers.get(AUTHORIZATION) {
        let value = value.to_str().map_err(|_| invalid_client())?;
        let encoded = match value.split_once(' ') {
            Some((scheme, rest)) if scheme.eq_ignore_ascii_case("basic") => rest.trim(),
            _ => return Err(invalid_client()),
        };
        let decoded = base64::engine::general_purpose::STANDARD
            .decode(encoded)
            .map_err(|_| invalid_client())?;
        let decoded = String::from_utf8(decoded).map_err(|_| invalid_client())?;
        let (id, secret) = decoded.split_once(':').ok_or_else(invalid_client)?;
        return Ok((id.to_owned(), secret.to_owned()));
    }
    let field = |name: &str| form.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone());
    match (field("client_id"), field("client_secret")) {
        (Some(id), Some(secret)) => Ok((id, secret)),
        _ => Err(invalid_client()),
    }
}

async fn token(
    State(state): State<AppState>,
    headers: HeaderMap,
    form: Result<Form<Vec<(String, String)>>, FormRejection>,
) -> Result<Json<TokenResponse>, ApiError> {
    if state.world().faults.take_login_throttle() {
        return Err(ApiError::oauth(
            StatusCode::BAD_REQUEST,
            "invalid_request",
            "rate limit exceeded; try again later",
        ));
    }
    let Form(form) = form.map_err(|_| {
        ApiError::oauth(
            StatusCode::BAD_REQUEST,
            "invalid_request",
            "the request must be application/x-www-form-urlencoded",
        )
    })?;
    let (id, secret) = credentials(&headers, &form)?;
    let config = state.config();
    if id != config.client_id
        || !constant_time_eq(secret.as_bytes(), config.client_secret.as_bytes())
    {
        return Err(invalid_client());
    }
    let grant = form
        .iter()
        .find(|(k, _)| k == "grant_type")
        .map(|(_, v)| v.as_str());
    match grant {
        None => {
            return Err(ApiError::oauth(
                StatusCode::BAD_REQUEST,
                "invalid_request",
                "grant_type is required",
            ));
        }
        Some("client_credentials") => {}
        Some(_) => {
            return Err(ApiError::oauth(
                StatusCode::BAD_REQUEST,
                "unsupported_grant_type",
                "grant type is not supported",
            ));
        }
    }
    let ttl = config.token_ttl;
    let access_token = state.world().tokens.issue(&id, ttl);
    Ok(Json(TokenResponse {
        access_token,
        token_type: "bearer",
        expires_in: ttl.as_secs(),
    }))
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}
