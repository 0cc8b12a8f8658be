//! Request extractors whose rejections are answered with the real ErrorBody instead of
//! axum's plain-text defaults.

use axum::extract::{FromRequest, FromRequestParts, Query, Request};
use axum::http::request::Parts;
use serde::de::DeserializeOwned;
use uuid::Uuid;

use crate::error::ApiError;

/// All query pairs in order, repeated keys kept (`id=a&id=b`).
pub struct QueryPairs(pub Vec<(String, String)>);

impl<S: Send + Sync> FromRequestParts<S> for QueryPairs {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        let Query(pairs) = Query::<Vec<(String, String)>>::from_request_parts(parts, state)
            .await
            .map_err(|e| ApiError::bad_request(format!("The query string is invalid: {e}")))?;
        Ok(QueryPairs(pairs))
    }
}

impl QueryPairs {
    /// The last value of `name`, if present.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .rev()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// Every value of a repeatable parameter; comma-separated values (as the SDKs send lists)
    /// are split too. Empty items are dropped.
    pub fn all(&self, name: &str) -> Vec<String> {
        self.0
            .iter()
            .filter(|(k, _)| k == name)
            .flat_map(|(_, v)| v.split(','))
            .map(str::trim)
            .filter(|v| !v.is_empty())
            .map(str::to_owned)
            .collect()
    }

    /// Pairs other than the paging ones, for repeating in listing URIs.
    pub fn without_paging(&self) -> Vec<(String, String)> {
        self.0
            .iter()
            .filter(|(k, _)| k != "pageSize" && k != "pageNumber")
            .cloned()
            .collect()
    }
}

/// A JSON body of type `T`. Malformed JSON and wrong field types answer 400 `bad.request`.
pub struct JsonBody<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for JsonBody<T> {
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &S) -> Result<Self, ApiError> {
        let bytes = axum::body::Bytes::from_request(request, state)
            .await
            .map_err(|e| {
                ApiError::bad_request(format!("The request body could not be read: {e}"))
            })?;
        if bytes.iter().all(u8::is_ascii_whitespace) {
            return Err(ApiError::bad_request("A request body is required."));
        }
        serde_json::from_slice(&bytes).map(JsonBody).map_err(|e| {
            ApiError::bad_request(format!(
                "The request could not be understood by the server due to malformed syntax: {e}"
            ))
        })
    }
}

/// Parses a path id; anything that is not a UUID cannot name an entity, so it is "not found".
pub fn parse_id(raw: &str, what: &str) -> Result<Uuid, ApiError> {
    Uuid::parse_str(raw).map_err(|_| ApiError::not_found(what, raw))
}
