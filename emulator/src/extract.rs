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

    /// The `name` filter of a listing; an empty one filters nothing.
    pub fn name_filter(&self) -> Option<&str> {
        self.get("name").filter(|name| !name.is_empty())
    }

    /// The filter of a repeatable id parameter of a listing (`id`, `divisionId`).
    pub fn id_filter(&self, name: &str) -> IdFilter {
        IdFilter(self.all(name))
    }

    /// Whether a listing's `sortOrder` asks for descending order: absent, `asc` or `ascending`
    /// is ascending, `desc` or `descending` descending (any case); anything else is 400.
    pub fn descending(&self) -> Result<bool, ApiError> {
        match self
            .get("sortOrder")
            .map(str::to_ascii_lowercase)
            .as_deref()
        {
            None | Some("asc") | Some("ascending") => Ok(false),
            Some("desc") | Some("descending") => Ok(true),
            Some(other) => Err(ApiError::invalid_value(
                "sortOrder",
                format!("Value [{other}] is not valid for sortOrder: use ascending or descending"),
            )),
        }
    }
}

/// The ids a listing is filtered to; none given lets every id through.
pub struct IdFilter(Vec<String>);

impl IdFilter {
    /// Whether `id` passes: no ids were given, or it is one of them (ignoring case).
    pub fn admits(&self, id: &impl std::fmt::Display) -> bool {
        let id = id.to_string();
        self.0.is_empty() || self.0.iter().any(|given| given.eq_ignore_ascii_case(&id))
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

#[cfg(test)]
mod listing_filter_tests {
    use super::*;

    fn query(pairs: &[(&str, &str)]) -> QueryPairs {
        QueryPairs(
            pairs
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
        )
    }

    #[test]
    fn id_filters_pass_everything_when_absent_and_match_ids_in_any_case() {
        let id = Uuid::parse_str("0a1b2c3d-0000-4000-8000-00000000000a").expect("a UUID");
        assert!(query(&[]).id_filter("id").admits(&id));
        let upper = "0A1B2C3D-0000-4000-8000-00000000000A";
        assert!(query(&[("id", upper)]).id_filter("id").admits(&id));
        let other = "0a1b2c3d-0000-4000-8000-00000000000b";
        assert!(!query(&[("id", other)]).id_filter("id").admits(&id));
        assert!(
            query(&[("id", &format!("{other},{upper}"))])
                .id_filter("id")
                .admits(&id)
        );
    }

    #[test]
    fn sort_order_and_name_filters() {
        assert_eq!(query(&[]).descending().ok(), Some(false));
        assert_eq!(
            query(&[("sortOrder", "DESC")]).descending().ok(),
            Some(true)
        );
        assert_eq!(
            query(&[("sortOrder", "ascending")]).descending().ok(),
            Some(false)
        );
        assert!(query(&[("sortOrder", "sideways")]).descending().is_err());
        assert_eq!(query(&[("name", "")]).name_filter(), None);
        assert_eq!(query(&[("name", "Sale*")]).name_filter(), Some("Sale*"));
    }
}
