//! Client configuration: credentials, base URLs (from a region or overridden), retry policy and
//! user agent. Secrets are wrapped so `Debug` never shows them.

use std::fmt;
use std::net::IpAddr;
use std::time::Duration;

use url::Url;

use super::region::Region;
use super::retry::RetryPolicy;

/// A secret string (client secret, access token). `Debug` and `Display` print a placeholder;
/// read the value only where it goes on the wire.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    /// Wraps a secret value.
    pub fn new(value: impl Into<String>) -> Self {
        Secret(value.into())
    }

    /// The secret itself; call only to put it on the wire.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(<redacted>)")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

impl From<String> for Secret {
    fn from(value: String) -> Self {
        Secret(value)
    }
}

impl From<&str> for Secret {
    fn from(value: &str) -> Self {
        Secret(value.to_owned())
    }
}

/// How the client authenticates.
#[derive(Clone, Debug)]
pub enum Credentials {
    /// OAuth client-credentials grant against the login host; tokens are fetched and renewed.
    ClientCredentials {
        client_id: String,
        client_secret: Secret,
    },
    /// A bearer token obtained elsewhere, used as is and never renewed.
    AccessToken(Secret),
}

impl Credentials {
    /// Client-credentials grant for an OAuth client.
    pub fn client_credentials(
        client_id: impl Into<String>,
        client_secret: impl Into<Secret>,
    ) -> Self {
        Credentials::ClientCredentials {
            client_id: client_id.into(),
            client_secret: client_secret.into(),
        }
    }

    /// A ready-made bearer token.
    pub fn access_token(token: impl Into<Secret>) -> Self {
        Credentials::AccessToken(token.into())
    }
}

/// A configuration value the client cannot work with.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ConfigError {
    #[error("unknown region {name:?}; valid regions: {valid}")]
    UnknownRegion { name: String, valid: String },
    #[error("invalid {what} URL {url:?}: {reason}")]
    InvalidUrl {
        what: &'static str,
        url: String,
        reason: String,
    },
    #[error("{what} must not be empty")]
    Empty { what: &'static str },
}

/// Everything needed to build a [`GenesysClient`](super::GenesysClient).
#[derive(Clone, Debug)]
pub struct ClientConfig {
    /// How to authenticate.
    pub credentials: Credentials,
    /// Platform API base, e.g. `https://api.mypurecloud.com` (may carry a path prefix).
    pub api_base_url: Url,
    /// Login host base, e.g. `https://login.mypurecloud.com`; `oauth/token` is appended.
    pub login_base_url: Url,
    /// Retry and backoff rules.
    pub retry: RetryPolicy,
    /// Sent as `User-Agent`, `terraform-provider-genesyscloud/<version>` by default.
    pub user_agent: String,
    /// Limit for one HTTP exchange (one attempt), headers and body included.
    pub request_timeout: Duration,
    /// Limit for establishing a TCP/TLS connection.
    pub connect_timeout: Duration,
    /// The client's budget per access token: requests in any minute.
    pub requests_per_minute: u32,
    /// Whether the budget is the org's own limit (read once, the first time a token has spent
    /// nine tenths of `requests_per_minute`), with `requests_per_minute` as the fallback when
    /// the org's limit cannot be read. `false` once a budget is set explicitly.
    pub read_org_limit: bool,
    /// How many access tokens the client may hold at once (taken one by one, only when every
    /// token's budget is spent and work waits).
    pub max_tokens: usize,
}

/// Default per-attempt timeout: generous for slow list pages, short enough for a Terraform run.
pub const DEFAULT_REQUEST_TIMEOUT: Duration = Duration::from_secs(60);
/// Default connect timeout.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

impl ClientConfig {
    /// Configuration for a region's API and login hosts with default retries and user agent.
    pub fn new(credentials: Credentials, region: Region) -> Self {
        ClientConfig {
            credentials,
            api_base_url: Url::parse(&region.api_base())
                .expect("region table domains form valid https URLs"),
            login_base_url: Url::parse(&region.login_base())
                .expect("region table domains form valid https URLs"),
            retry: RetryPolicy::default(),
            user_agent: default_user_agent(env!("CARGO_PKG_VERSION")),
            request_timeout: DEFAULT_REQUEST_TIMEOUT,
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            requests_per_minute: super::DEFAULT_REQUESTS_PER_MINUTE,
            read_org_limit: true,
            max_tokens: super::DEFAULT_MAX_TOKENS,
        }
    }

    /// Like [`ClientConfig::new`] with the region given by its `aws_region` name.
    pub fn for_region_name(credentials: Credentials, region: &str) -> Result<Self, ConfigError> {
        let found = Region::by_name(region).ok_or_else(|| ConfigError::UnknownRegion {
            name: region.to_owned(),
            valid: Region::names().join(", "),
        })?;
        Ok(Self::new(credentials, found))
    }

    /// Overrides the API base URL (emulator, gateway). Plain `http` is allowed only to loopback.
    pub fn with_api_base_url(mut self, url: &str) -> Result<Self, ConfigError> {
        self.api_base_url = parse_base_url("API base", url)?;
        Ok(self)
    }

    /// Overrides the login base URL. Plain `http` is allowed only to loopback.
    pub fn with_login_base_url(mut self, url: &str) -> Result<Self, ConfigError> {
        self.login_base_url = parse_base_url("login base", url)?;
        Ok(self)
    }

    /// Points both API and login at one server, as the emulator serves both on one port.
    pub fn with_base_url(self, url: &str) -> Result<Self, ConfigError> {
        self.with_api_base_url(url)?.with_login_base_url(url)
    }

    /// Replaces the retry policy.
    pub fn with_retry(mut self, retry: RetryPolicy) -> Self {
        self.retry = retry;
        self
    }

    /// Sets the user agent to `terraform-provider-genesyscloud/<version>`.
    pub fn with_user_agent_version(mut self, version: &str) -> Self {
        self.user_agent = default_user_agent(version);
        self
    }

    /// Sets the budget per access token, in requests a minute (at least 1); the org's own
    /// limit is then not read.
    pub fn with_requests_per_minute(mut self, per_minute: u32) -> Self {
        self.requests_per_minute = per_minute.max(1);
        self.read_org_limit = false;
        self
    }

    /// Sets how many access tokens the client may hold (at least 1).
    pub fn with_max_tokens(mut self, max_tokens: usize) -> Self {
        self.max_tokens = max_tokens.max(1);
        self
    }

    /// Sets the per-attempt request timeout.
    pub fn with_request_timeout(mut self, timeout: Duration) -> Self {
        self.request_timeout = timeout;
        self
    }
}

/// `terraform-provider-genesyscloud/<version>`.
pub fn default_user_agent(version: &str) -> String {
    format!("terraform-provider-genesyscloud/{version}")
}

/// Parses and checks a base URL: http(s), a host, no credentials/query/fragment, and plain
/// `http` only for loopback hosts (tokens must not cross a network in clear text).
pub fn parse_base_url(what: &'static str, raw: &str) -> Result<Url, ConfigError> {
    let invalid = |reason: &str| ConfigError::InvalidUrl {
        what,
        url: raw.to_owned(),
        reason: reason.to_owned(),
    };
    let trimmed = raw.trim();
    if trimmed.is_empty() {
        return Err(ConfigError::Empty { what });
    }
    let url = Url::parse(trimmed).map_err(|e| invalid(&e.to_string()))?;
    if !url.username().is_empty() || url.password().is_some() {
        return Err(invalid("credentials in the URL are not allowed"));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(invalid("a base URL takes no query or fragment"));
    }
    match url.scheme() {
        "https" => {}
        "http" if is_loopback(&url) => {}
        "http" => return Err(invalid("plain http is only allowed to a loopback host")),
        _ => return Err(invalid("scheme must be https (or http to a loopback host)")),
    }
    if url.host().is_none() {
        return Err(invalid("missing host"));
    }
    Ok(url)
}

fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(url::Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        Some(url::Host::Ipv4(ip)) => IpAddr::V4(ip).is_loopback(),
        Some(url::Host::Ipv6(ip)) => IpAddr::V6(ip).is_loopback(),
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_of_config_never_shows_the_client_secret() {
        let config = ClientConfig::new(
            Credentials::client_credentials("my-client", "s3cr3t-value"),
            Region::by_name("us-east-1").expect("us-east-1 is known"),
        );
        let shown = format!("{config:?}");
        assert!(!shown.contains("s3cr3t-value"), "{shown}");
        assert!(shown.contains("my-client"), "{shown}");
        assert!(shown.contains("redacted"), "{shown}");
    }

    #[test]
    fn debug_of_config_never_shows_the_access_token() {
        let config = ClientConfig::new(
            Credentials::access_token("tok-abc-123"),
            Region::by_name("eu-west-1").expect("eu-west-1 is known"),
        );
        let shown = format!("{config:?} {:#?}", config.credentials);
        assert!(!shown.contains("tok-abc-123"), "{shown}");
    }

    #[test]
    fn secret_display_is_redacted() {
        assert_eq!(Secret::new("x").to_string(), "<redacted>");
    }

    #[test]
    fn region_sets_api_and_login_hosts() {
        let config =
            ClientConfig::for_region_name(Credentials::access_token("t"), "ap-southeast-2")
                .expect("known region");
        assert_eq!(
            config.api_base_url.as_str(),
            "https://api.mypurecloud.com.au/"
        );
        assert_eq!(
            config.login_base_url.as_str(),
            "https://login.mypurecloud.com.au/"
        );
        assert_eq!(
            config.user_agent,
            format!(
                "terraform-provider-genesyscloud/{}",
                env!("CARGO_PKG_VERSION")
            )
        );
    }

    #[test]
    fn unknown_region_lists_valid_ones() {
        let err = ClientConfig::for_region_name(Credentials::access_token("t"), "mars-1")
            .expect_err("mars-1 is not a region");
        let text = err.to_string();
        assert!(
            text.contains("mars-1") && text.contains("us-east-1"),
            "{text}"
        );
    }

    #[test]
    fn plain_http_is_allowed_only_to_loopback() {
        assert!(parse_base_url("API base", "http://127.0.0.1:8080").is_ok());
        assert!(parse_base_url("API base", "http://localhost:8080/prefix").is_ok());
        assert!(parse_base_url("API base", "http://[::1]:9000").is_ok());
        let err = parse_base_url("API base", "http://api.example.com").expect_err("not loopback");
        assert!(err.to_string().contains("loopback"), "{err}");
        assert!(parse_base_url("API base", "https://api.example.com").is_ok());
    }

    #[test]
    fn malformed_base_urls_are_refused() {
        assert!(parse_base_url("API base", "").is_err());
        assert!(parse_base_url("API base", "ftp://127.0.0.1").is_err());
        assert!(parse_base_url("API base", "not a url").is_err());
        assert!(parse_base_url("API base", "https://user:pw@api.example.com").is_err());
        assert!(parse_base_url("API base", "https://api.example.com/?a=b").is_err());
    }

    #[test]
    fn with_base_url_points_api_and_login_at_one_server() {
        let config = ClientConfig::new(
            Credentials::access_token("t"),
            Region::by_name("us-east-1").expect("known"),
        )
        .with_base_url("http://127.0.0.1:4567")
        .expect("loopback http is fine");
        assert_eq!(config.api_base_url, config.login_base_url);
        assert_eq!(config.api_base_url.port(), Some(4567));
    }
}
