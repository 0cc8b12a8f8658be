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
#[derive(Clone, Debug, PartialEq, Eq)]
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
    #[error("invalid {what} URL: {error}")]
    BaseUrl {
        what: &'static str,
        #[source]
        error: BaseUrlError,
    },
}

/// Why a base URL (API or login host) is refused. Messages never show a user name or password
/// written into the URL.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BaseUrlError {
    #[error("the value is empty")]
    Empty,
    #[error("`{value}` is not an absolute URL ({reason}); write it like `https://api.example.com`")]
    MalformedUrl { value: String, reason: String },
    #[error("the URL must not contain a user name or password")]
    UrlWithCredentials,
    #[error("`{value}` has a query or fragment; give only the scheme, host, port and path")]
    UrlWithQuery { value: String },
    #[error(
        "`{value}` uses the `{scheme}` scheme; only `https` (or `http` to a loopback host) is allowed"
    )]
    UnsupportedScheme { value: String, scheme: String },
    #[error(
        "`{value}` uses plain `http://` to a host that is not loopback; use `https://` \
         (`http://` is only allowed for localhost, 127.0.0.0/8 and ::1)"
    )]
    InsecureUrl { value: String },
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
    /// Asked before a write (any method but GET/HEAD) is sent, and during the waits before
    /// one: `true` means the caller wants to stop, so the write is not sent and the call ends
    /// with [`ClientError::Interrupted`](super::ClientError::Interrupted). Requests already
    /// sent are always seen through. Never stops by default.
    pub stop_requested: fn() -> bool,
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

/// The default [`ClientConfig::stop_requested`]: never stop.
fn never() -> bool {
    false
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
            stop_requested: never,
            requests_per_minute: super::DEFAULT_REQUESTS_PER_MINUTE,
            read_org_limit: true,
            max_tokens: super::DEFAULT_MAX_TOKENS,
        }
    }

    /// Sets the check asked before each write is sent (see [`ClientConfig::stop_requested`]).
    pub fn with_stop_check(mut self, stop_requested: fn() -> bool) -> Self {
        self.stop_requested = stop_requested;
        self
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
        self.api_base_url = parse_base_url(url).map_err(|error| ConfigError::BaseUrl {
            what: "API base",
            error,
        })?;
        Ok(self)
    }

    /// Overrides the login base URL. Plain `http` is allowed only to loopback.
    pub fn with_login_base_url(mut self, url: &str) -> Result<Self, ConfigError> {
        self.login_base_url = parse_base_url(url).map_err(|error| ConfigError::BaseUrl {
            what: "login base",
            error,
        })?;
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

/// Checks an API or login base URL, the one rule for both: `https`, or plain `http` only to a
/// loopback host (tokens must not cross a network in clear text); a host; no user name,
/// password, query or fragment. Returns the URL as parsed (normalised, with a path).
pub fn parse_base_url(text: &str) -> Result<Url, BaseUrlError> {
    if text.is_empty() {
        return Err(BaseUrlError::Empty);
    }
    let url = Url::parse(text).map_err(|error| BaseUrlError::MalformedUrl {
        value: text.to_string(),
        reason: error.to_string(),
    })?;
    if !url.username().is_empty() || url.password().is_some() {
        return Err(BaseUrlError::UrlWithCredentials);
    }
    let shown = url.as_str().to_string();
    match url.scheme() {
        "https" => {}
        "http" => {
            if !url.host().is_some_and(is_loopback) {
                return Err(BaseUrlError::InsecureUrl { value: shown });
            }
        }
        other => {
            return Err(BaseUrlError::UnsupportedScheme {
                value: shown,
                scheme: other.to_string(),
            });
        }
    }
    if url.host().is_none() {
        return Err(BaseUrlError::MalformedUrl {
            value: shown,
            reason: "no host".to_string(),
        });
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(BaseUrlError::UrlWithQuery { value: shown });
    }
    Ok(url)
}

fn is_loopback(host: url::Host<&str>) -> bool {
    match host {
        url::Host::Domain(name) => name.eq_ignore_ascii_case("localhost"),
        url::Host::Ipv4(ip) => IpAddr::V4(ip).is_loopback(),
        url::Host::Ipv6(ip) => IpAddr::V6(ip).is_loopback(),
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
    fn https_urls_are_accepted_with_their_path() {
        let url = parse_base_url("https://gw.example.com:8443/genesys/").expect("https is fine");
        assert_eq!(url.as_str(), "https://gw.example.com:8443/genesys/");
        assert_eq!(
            parse_base_url("https://api.example.com").map(|url| url.to_string()),
            Ok("https://api.example.com/".to_string())
        );
    }

    #[test]
    fn http_is_accepted_only_for_loopback_hosts() {
        for ok in [
            "http://localhost:8080",
            "http://LOCALHOST",
            "http://localhost:8080/prefix",
            "http://127.0.0.1:1234",
            "http://127.5.6.7",
            "http://[::1]:9000",
        ] {
            assert!(parse_base_url(ok).is_ok(), "{ok}");
        }
        for refused in [
            "http://example.com",
            "http://10.0.0.1",
            "http://128.0.0.1",
            "http://[::2]",
            "http://localhost.example.com",
        ] {
            let error = parse_base_url(refused).expect_err(refused);
            assert!(
                matches!(error, BaseUrlError::InsecureUrl { .. }),
                "{refused}"
            );
            assert!(error.to_string().contains("loopback"), "{error}");
        }
    }

    #[test]
    fn other_schemes_queries_userinfo_and_non_urls_are_refused() {
        assert_eq!(parse_base_url(""), Err(BaseUrlError::Empty));
        assert!(matches!(
            parse_base_url("ftp://api.example.com"),
            Err(BaseUrlError::UnsupportedScheme { .. })
        ));
        assert!(matches!(
            parse_base_url("https://api.example.com/?x=1"),
            Err(BaseUrlError::UrlWithQuery { .. })
        ));
        assert!(matches!(
            parse_base_url("https://api.example.com/#top"),
            Err(BaseUrlError::UrlWithQuery { .. })
        ));
        assert!(matches!(
            parse_base_url("not a url"),
            Err(BaseUrlError::MalformedUrl { .. })
        ));
        assert!(matches!(
            parse_base_url("https://"),
            Err(BaseUrlError::MalformedUrl { .. })
        ));
    }

    #[test]
    fn a_password_in_the_url_is_refused_without_being_shown() {
        let error = parse_base_url("https://user:pa55word@api.example.com").unwrap_err();
        assert_eq!(error, BaseUrlError::UrlWithCredentials);
        let config = ClientConfig::new(
            Credentials::access_token("t"),
            Region::by_name("us-east-1").expect("known"),
        )
        .with_login_base_url("https://user:pa55word@login.example.com")
        .expect_err("credentials in the URL");
        assert!(!config.to_string().contains("pa55word"), "{config}");
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
