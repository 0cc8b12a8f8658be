//! The org's own request limit per client-credentials token, the default of the client's
//! budget: `GET /api/v2/organizations/limits/namespaces/platform.api` (OrganizationApi, "Get
//! the effective limits in a namespace for an organization"), key
//! `client.credentials.token.rate.per.minute`, 300 unless the org had it raised through
//! Genesys support.
//!
//! Reading it costs a request, so the client reads it lazily: once per client, and only when
//! a token has spent nine tenths of the default budget within a minute, that is when the job
//! may exceed the default. A job below that (every plan and most applies) never pays for it.
//! An org limit the client may not read (403: the OAuth client lacks the permission), a
//! missing key or any other failure keeps the default; the job goes on either way.

use reqwest::Method;
use tracing::debug;

use super::client::GenesysClient;
use super::error::ClientError;
use super::http::ApiRequest;
use super::models::LimitsListing;

const NAMESPACE_LIMITS: &str = "/api/v2/organizations/limits/namespaces/{namespaceName}";

/// The namespace holding the Platform API's request limits.
pub const PLATFORM_API_NAMESPACE: &str = "platform.api";

/// The key of the limit on requests per client-credentials token and minute.
pub const TOKEN_RATE_KEY: &str = "client.credentials.token.rate.per.minute";

/// The largest budget taken from the org's answer (the `max_requests_per_minute` setting's
/// range); a larger or non-positive value is not a budget the client trusts.
const MAX_ORG_LIMIT: i64 = 100_000;

impl GenesysClient {
    /// The org's limit on requests per client-credentials token and minute, `None` when the
    /// answer holds no usable value for it. One request.
    pub async fn org_token_rate_limit(&self) -> Result<Option<u32>, ClientError> {
        let request = ApiRequest::new(Method::GET, NAMESPACE_LIMITS, &[PLATFORM_API_NAMESPACE])
            .org_limit_read();
        let listing: LimitsListing = self.call_json(request).await?;
        Ok(token_rate(&listing))
    }

    /// Reads the org's limit and makes it the budget per token; on any failure the budget
    /// stays as configured.
    pub(crate) async fn adopt_org_limit(&self) {
        let limit = match self.org_token_rate_limit().await {
            Ok(Some(limit)) => Some(limit),
            Ok(None) => {
                debug!(
                    key = TOKEN_RATE_KEY,
                    "genesys org limits hold no usable per-token rate; keeping the default budget"
                );
                None
            }
            Err(error) => {
                debug!(
                    status = error.status().unwrap_or(0),
                    error = %error,
                    "genesys org limits not readable; keeping the default budget"
                );
                None
            }
        };
        self.inner.pool.adopt_org_limit(limit);
    }
}

/// The per-token rate in a namespace listing, if it is a whole number in range.
fn token_rate(listing: &LimitsListing) -> Option<u32> {
    listing
        .entities
        .iter()
        .find(|limit| limit.key.as_deref() == Some(TOKEN_RATE_KEY))
        .and_then(|limit| limit.whole_value())
        .filter(|value| (1..=MAX_ORG_LIMIT).contains(value))
        .and_then(|value| u32::try_from(value).ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn listing(json: &str) -> LimitsListing {
        serde_json::from_str(json).expect("a limits listing")
    }

    #[test]
    fn the_token_rate_is_read_by_its_key() {
        let answer = listing(
            r#"{"entities":[
                {"key":"org.app.user.rate.per.minute","namespace":"platform.api","value":3000},
                {"key":"client.credentials.token.rate.per.minute","namespace":"platform.api","value":600}
            ]}"#,
        );
        assert_eq!(token_rate(&answer), Some(600));
    }

    #[test]
    fn a_missing_or_unusable_rate_is_none() {
        for json in [
            r#"{"entities":[]}"#,
            r#"{}"#,
            r#"{"entities":[{"key":"token.rate.per.minute","value":300}]}"#,
            r#"{"entities":[{"key":"client.credentials.token.rate.per.minute","value":0}]}"#,
            r#"{"entities":[{"key":"client.credentials.token.rate.per.minute","value":-5}]}"#,
            r#"{"entities":[{"key":"client.credentials.token.rate.per.minute","value":1e12}]}"#,
            r#"{"entities":[{"key":"client.credentials.token.rate.per.minute","value":"lots"}]}"#,
            r#"{"entities":[{"key":"client.credentials.token.rate.per.minute","value":100001}]}"#,
        ] {
            assert_eq!(token_rate(&listing(json)), None, "{json}");
        }
    }
}
