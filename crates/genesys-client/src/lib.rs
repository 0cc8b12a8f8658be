//! Genesys Cloud Platform API v2 client: auth, retries, paging, typed models. Knows nothing of
//! Terraform.
//!
//! Build a [`ClientConfig`], then a [`GenesysClient`]; API areas hang off the client
//! (`client.wrapup_codes().find_by_name("Sale")`). Failures are [`ClientError`]s; see
//! [`retry`] for which requests are retried and why a POST never is after it may have landed.

mod analytics;
mod auth;
mod client;
pub mod config;
mod conversations;
mod divisions;
pub mod error;
#[cfg(test)]
mod hostile_answers;
mod http;
mod media_type;
pub mod models;
pub mod numbers;
mod org_limit;
pub mod paging;
mod queues;
mod rate_gate;
pub mod read_cache;
pub mod region;
pub mod retry;
mod tls_roots;
mod token_pool;
mod waits;
mod wrapup_codes;

pub use analytics::{
    AnalyticsApi, DETAILS_QUERY_MAX_PAGE_SIZE, DETAILS_QUERY_MAX_RESULTS, DetailsQueryResult,
    Interval, IntervalError, MAX_INTERVAL_DAYS, MULTI_GET_MAX_IDS,
};
pub use client::GenesysClient;
pub use config::{BaseUrlError, ClientConfig, ConfigError, Credentials, Secret};
pub use conversations::ConversationsApi;
pub use divisions::DivisionsApi;
pub use error::{AmbiguousCause, ApiFailure, ClientError, ErrorClass, LoginError};
pub use media_type::{MediaType, UnknownMediaType};
pub use org_limit::{PLATFORM_API_NAMESPACE, TOKEN_RATE_KEY};
pub use paging::WRAPUP_CODES_MAX_PAGE_SIZE;
pub use queues::{MAX_CODES_PER_ADD, QueuesApi};
pub use region::Region;
pub use retry::RetryPolicy;
pub use token_pool::{DEFAULT_MAX_TOKENS, DEFAULT_REQUESTS_PER_MINUTE};
pub use wrapup_codes::{SortOrder, WrapupCodeQuery, WrapupCodesApi};
