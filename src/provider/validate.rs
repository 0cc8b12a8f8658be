use std::net::IpAddr;

use url::{Host, Url};

use super::config::{Field, ProviderConfig};
use super::schema::{
    ACCESS_TOKEN, API_URL, AWS_REGION, LOGIN_URL, MAX_REQUESTS_PER_MINUTE, OAUTHCLIENT_ID,
    OAUTHCLIENT_SECRET, Setting, TOKEN_POOL_SIZE,
};
use genesys_client::Region;
use tfplugin_framework::Diagnostics;
use tfplugin_framework::cty::AttributePath;

/// Why one provider setting's value is unusable. Messages never contain secret values.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SettingError {
    #[error("the value is empty")]
    Empty,
    #[error(
        "`{name}` is not a Genesys Cloud region; valid regions are {}",
        region_names()
    )]
    UnknownRegion { name: String },
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
    #[error("`{value}` is not a boolean; use `true` or `false`")]
    InvalidBool { value: String },
    #[error("`{value}` is not a whole number from {min} to {max}")]
    OutOfRange { value: String, min: i64, max: i64 },
}

impl SettingError {
    /// The diagnostic summary for this kind of problem.
    pub fn summary(&self) -> &'static str {
        match self {
            SettingError::Empty => "Empty provider setting",
            SettingError::UnknownRegion { .. } => "Unknown Genesys Cloud region",
            SettingError::MalformedUrl { .. }
            | SettingError::UrlWithCredentials
            | SettingError::UrlWithQuery { .. }
            | SettingError::UnsupportedScheme { .. } => "Invalid base URL",
            SettingError::InsecureUrl { .. } => "Insecure base URL",
            SettingError::InvalidBool { .. } => "Invalid boolean setting",
            SettingError::OutOfRange { .. } => "Invalid number setting",
        }
    }
}

/// Where a checked value came from; decides how the diagnostic points at it.
#[derive(Debug, Clone, Copy)]
pub enum Source {
    /// Written in the provider block: the diagnostic carries the attribute path.
    Attribute(Setting),
    /// Taken from the setting's environment variable: the detail names the variable.
    Env(Setting),
}

/// Adds the error diagnostic for `error` found in the value from `source`.
pub fn report(diagnostics: &mut Diagnostics, source: Source, error: &SettingError) {
    match source {
        Source::Attribute(setting) => {
            let hint = if *error == SettingError::Empty {
                format!(
                    " Remove `{}` to leave it unset (the `{}` environment variable then \
                     applies).",
                    setting.name, setting.env
                )
            } else {
                String::new()
            };
            diagnostics.attribute_error(
                AttributePath::root(setting.name),
                error.summary(),
                format!("Invalid `{}`: {error}.{hint}", setting.name),
            );
        }
        Source::Env(setting) => diagnostics.error(
            error.summary(),
            format!(
                "The environment variable {} (used for the provider's `{}`) is invalid: \
                 {error}.",
                setting.env, setting.name
            ),
        ),
    }
}

/// Checks a region name against the region table.
pub fn parse_region(name: &str) -> Result<Region, SettingError> {
    if name.is_empty() {
        return Err(SettingError::Empty);
    }
    Region::by_name(name).ok_or_else(|| SettingError::UnknownRegion {
        name: name.to_string(),
    })
}

/// Checks an API or login base URL and returns it without a trailing slash.
pub fn parse_base_url(text: &str) -> Result<String, SettingError> {
    if text.is_empty() {
        return Err(SettingError::Empty);
    }
    let url = Url::parse(text).map_err(|error| SettingError::MalformedUrl {
        value: text.to_string(),
        reason: error.to_string(),
    })?;
    if !url.username().is_empty() || url.password().is_some() {
        return Err(SettingError::UrlWithCredentials);
    }
    let shown = url.as_str().to_string();
    match url.scheme() {
        "https" => {}
        "http" => {
            if !url.host().is_some_and(is_loopback) {
                return Err(SettingError::InsecureUrl { value: shown });
            }
        }
        other => {
            return Err(SettingError::UnsupportedScheme {
                value: shown,
                scheme: other.to_string(),
            });
        }
    }
    if url.host().is_none() {
        return Err(SettingError::MalformedUrl {
            value: shown,
            reason: "no host".to_string(),
        });
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(SettingError::UrlWithQuery { value: shown });
    }
    Ok(shown.trim_end_matches('/').to_string())
}

/// The range a number setting accepts.
pub fn number_range(setting: Setting) -> (i64, i64) {
    if setting == TOKEN_POOL_SIZE {
        (1, 50)
    } else {
        (1, 100_000)
    }
}

/// Checks a whole number against the setting's range.
pub fn check_number(setting: Setting, value: i64) -> Result<i64, SettingError> {
    let (min, max) = number_range(setting);
    if (min..=max).contains(&value) {
        Ok(value)
    } else {
        Err(SettingError::OutOfRange {
            value: value.to_string(),
            min,
            max,
        })
    }
}

/// Parses a number environment variable value and checks its range.
pub fn parse_number(setting: Setting, text: &str) -> Result<i64, SettingError> {
    let (min, max) = number_range(setting);
    match text.trim().parse::<i64>() {
        Ok(value) => check_number(setting, value),
        Err(_) => Err(SettingError::OutOfRange {
            value: text.to_string(),
            min,
            max,
        }),
    }
}

/// Parses a boolean environment variable value (`true`/`false`/`1`/`0`, any case).
pub fn parse_bool(text: &str) -> Result<bool, SettingError> {
    match text.trim().to_ascii_lowercase().as_str() {
        "true" | "1" => Ok(true),
        "false" | "0" => Ok(false),
        _ => Err(SettingError::InvalidBool {
            value: text.to_string(),
        }),
    }
}

fn is_loopback(host: Host<&str>) -> bool {
    match host {
        Host::Domain(name) => name.eq_ignore_ascii_case("localhost"),
        Host::Ipv4(ip) => IpAddr::V4(ip).is_loopback(),
        Host::Ipv6(ip) => IpAddr::V6(ip).is_loopback(),
    }
}

fn region_names() -> String {
    Region::ALL
        .iter()
        .map(|region| region.name)
        .collect::<Vec<_>>()
        .join(", ")
}

/// Validates the provider block as written (`ValidateProviderConfig`). Unknown values are
/// skipped; the environment is not consulted (it is resolved at configure time).
pub fn validate_config(config: &ProviderConfig) -> Diagnostics {
    let mut diagnostics = Diagnostics::default();
    check_not_empty(
        &mut diagnostics,
        OAUTHCLIENT_ID,
        config.oauthclient_id.known().map(String::as_str),
    );
    check_not_empty(
        &mut diagnostics,
        OAUTHCLIENT_SECRET,
        config.oauthclient_secret.known().map(|s| s.expose()),
    );
    check_not_empty(
        &mut diagnostics,
        ACCESS_TOKEN,
        config.access_token.known().map(|s| s.expose()),
    );
    if let Some(name) = config.aws_region.known()
        && let Err(error) = parse_region(name)
    {
        report(&mut diagnostics, Source::Attribute(AWS_REGION), &error);
    }
    for (setting, field) in [(API_URL, &config.api_url), (LOGIN_URL, &config.login_url)] {
        if let Some(text) = field.known()
            && let Err(error) = parse_base_url(text)
        {
            report(&mut diagnostics, Source::Attribute(setting), &error);
        }
    }
    for (setting, field) in [
        (TOKEN_POOL_SIZE, &config.token_pool_size),
        (MAX_REQUESTS_PER_MINUTE, &config.max_requests_per_minute),
    ] {
        if let Some(value) = field.known()
            && let Err(error) = check_number(setting, *value)
        {
            report(&mut diagnostics, Source::Attribute(setting), &error);
        }
    }
    if matches!(config.access_token, Field::Set(_))
        && (matches!(config.oauthclient_id, Field::Set(_))
            || matches!(config.oauthclient_secret, Field::Set(_)))
    {
        diagnostics.attribute_error(
            AttributePath::root(ACCESS_TOKEN.name),
            "Conflicting credentials",
            "`access_token` cannot be combined with `oauthclient_id` / `oauthclient_secret`: \
             authenticate either with a bearer token or with OAuth client credentials.",
        );
    }
    diagnostics
}

fn check_not_empty(diagnostics: &mut Diagnostics, setting: Setting, value: Option<&str>) {
    if value.is_some_and(str::is_empty) {
        report(
            diagnostics,
            Source::Attribute(setting),
            &SettingError::Empty,
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::provider::secret::Secret;
    use tfplugin_framework::Severity;

    fn only_error_at(diagnostics: &Diagnostics, attribute: &str) -> String {
        assert_eq!(diagnostics.0.len(), 1, "{diagnostics:?}");
        let diagnostic = &diagnostics.0[0];
        assert_eq!(diagnostic.severity, Severity::Error);
        assert_eq!(diagnostic.attribute, Some(AttributePath::root(attribute)));
        format!("{}: {}", diagnostic.summary, diagnostic.detail)
    }

    #[test]
    fn known_regions_are_accepted() {
        for region in Region::ALL {
            assert_eq!(parse_region(region.name), Ok(*region));
        }
    }

    #[test]
    fn unknown_region_lists_the_valid_ones() {
        let config = ProviderConfig {
            aws_region: Field::Set("mars-1".into()),
            ..Default::default()
        };
        let text = only_error_at(&validate_config(&config), "aws_region");
        assert!(text.contains("Unknown Genesys Cloud region"), "{text}");
        assert!(text.contains("`mars-1`"), "{text}");
        assert!(text.contains("us-east-1, us-east-2"), "{text}");
        assert!(text.contains("me-central-1"), "{text}");
    }

    #[test]
    fn https_urls_are_accepted_and_lose_the_trailing_slash() {
        assert_eq!(
            parse_base_url("https://api.example.com/"),
            Ok("https://api.example.com".to_string())
        );
        assert_eq!(
            parse_base_url("https://gw.example.com:8443/genesys/"),
            Ok("https://gw.example.com:8443/genesys".to_string())
        );
    }

    #[test]
    fn http_is_accepted_only_for_loopback_hosts() {
        for ok in [
            "http://localhost:8080",
            "http://LOCALHOST",
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
            assert!(
                matches!(
                    parse_base_url(refused),
                    Err(SettingError::InsecureUrl { .. })
                ),
                "{refused}"
            );
        }
    }

    #[test]
    fn insecure_api_url_points_at_api_url() {
        let config = ProviderConfig {
            api_url: Field::Set("http://example.com".into()),
            ..Default::default()
        };
        let text = only_error_at(&validate_config(&config), "api_url");
        assert!(text.starts_with("Insecure base URL"), "{text}");
        assert!(text.contains("http://example.com"), "{text}");
    }

    #[test]
    fn malformed_login_url_points_at_login_url() {
        let config = ProviderConfig {
            login_url: Field::Set("login.example.com".into()),
            ..Default::default()
        };
        let text = only_error_at(&validate_config(&config), "login_url");
        assert!(text.starts_with("Invalid base URL"), "{text}");
        assert!(text.contains("not an absolute URL"), "{text}");
    }

    #[test]
    fn other_schemes_queries_and_userinfo_are_refused() {
        assert!(matches!(
            parse_base_url("ftp://api.example.com"),
            Err(SettingError::UnsupportedScheme { .. })
        ));
        assert!(matches!(
            parse_base_url("https://api.example.com/?x=1"),
            Err(SettingError::UrlWithQuery { .. })
        ));
        assert!(matches!(
            parse_base_url("https://api.example.com/#top"),
            Err(SettingError::UrlWithQuery { .. })
        ));
        let error = parse_base_url("https://user:pa55word@api.example.com").unwrap_err();
        assert_eq!(error, SettingError::UrlWithCredentials);
        assert!(!error.to_string().contains("pa55word"));
        assert!(matches!(
            parse_base_url("https://"),
            Err(SettingError::MalformedUrl { .. })
        ));
    }

    #[test]
    fn empty_strings_are_refused_per_attribute() {
        for (setting, config) in [
            (
                "oauthclient_id",
                ProviderConfig {
                    oauthclient_id: Field::Set(String::new()),
                    ..Default::default()
                },
            ),
            (
                "oauthclient_secret",
                ProviderConfig {
                    oauthclient_secret: Field::Set(Secret::new("")),
                    ..Default::default()
                },
            ),
            (
                "access_token",
                ProviderConfig {
                    access_token: Field::Set(Secret::new("")),
                    ..Default::default()
                },
            ),
            (
                "aws_region",
                ProviderConfig {
                    aws_region: Field::Set(String::new()),
                    ..Default::default()
                },
            ),
            (
                "api_url",
                ProviderConfig {
                    api_url: Field::Set(String::new()),
                    ..Default::default()
                },
            ),
            (
                "login_url",
                ProviderConfig {
                    login_url: Field::Set(String::new()),
                    ..Default::default()
                },
            ),
        ] {
            let text = only_error_at(&validate_config(&config), setting);
            assert!(text.starts_with("Empty provider setting"), "{text}");
        }
    }

    #[test]
    fn access_token_conflicts_with_client_credentials() {
        for config in [
            ProviderConfig {
                access_token: Field::Set(Secret::new("tok-7f3a")),
                oauthclient_id: Field::Set("id".into()),
                ..Default::default()
            },
            ProviderConfig {
                access_token: Field::Set(Secret::new("tok-7f3a")),
                oauthclient_secret: Field::Set(Secret::new("sec-9b2c")),
                ..Default::default()
            },
        ] {
            let text = only_error_at(&validate_config(&config), "access_token");
            assert!(text.starts_with("Conflicting credentials"), "{text}");
            assert!(
                !text.contains("tok-7f3a") && !text.contains("sec-9b2c"),
                "{text}"
            );
        }
    }

    #[test]
    fn unknown_values_are_not_errors() {
        let config = ProviderConfig {
            oauthclient_id: Field::Unknown,
            oauthclient_secret: Field::Unknown,
            aws_region: Field::Unknown,
            access_token: Field::Set(Secret::new("tok")),
            api_url: Field::Unknown,
            login_url: Field::Unknown,
            read_cache: Field::Unknown,
            token_pool_size: Field::Unknown,
            max_requests_per_minute: Field::Unknown,
            adopt_identical_wrapup_codes: Field::Unknown,
        };
        assert_eq!(validate_config(&config), Diagnostics::default());
    }

    #[test]
    fn a_complete_valid_config_has_no_diagnostics() {
        let config = ProviderConfig {
            oauthclient_id: Field::Set("id".into()),
            oauthclient_secret: Field::Set(Secret::new("secret")),
            aws_region: Field::Set("eu-west-1".into()),
            access_token: Field::Unset,
            api_url: Field::Set("http://127.0.0.1:8080".into()),
            login_url: Field::Set("https://login.example.com".into()),
            read_cache: Field::Set(false),
            token_pool_size: Field::Set(50),
            max_requests_per_minute: Field::Set(300),
            adopt_identical_wrapup_codes: Field::Set(true),
        };
        assert_eq!(validate_config(&config), Diagnostics::default());
    }

    #[test]
    fn pool_size_and_budget_out_of_range_point_at_their_attribute() {
        for (pool, budget, attribute) in [
            (0, 300, "token_pool_size"),
            (51, 300, "token_pool_size"),
            (10, 0, "max_requests_per_minute"),
        ] {
            let config = ProviderConfig {
                token_pool_size: Field::Set(pool),
                max_requests_per_minute: Field::Set(budget),
                ..ProviderConfig::default()
            };
            let message = only_error_at(&validate_config(&config), attribute);
            assert!(message.contains("whole number from 1"), "{message}");
        }
        assert_eq!(parse_number(TOKEN_POOL_SIZE, " 7 "), Ok(7));
        assert!(parse_number(MAX_REQUESTS_PER_MINUTE, "lots").is_err());
    }

    #[test]
    fn env_sourced_errors_name_the_variable_and_carry_no_path() {
        let mut diagnostics = Diagnostics::default();
        report(
            &mut diagnostics,
            Source::Env(AWS_REGION),
            &parse_region("mars-1").unwrap_err(),
        );
        let diagnostic = &diagnostics.0[0];
        assert_eq!(diagnostic.attribute, None);
        assert!(diagnostic.detail.contains("GENESYSCLOUD_REGION"));
    }

    #[test]
    fn booleans_parse_in_the_usual_spellings() {
        assert_eq!(parse_bool("TRUE"), Ok(true));
        assert_eq!(parse_bool("1"), Ok(true));
        assert_eq!(parse_bool("false"), Ok(false));
        assert_eq!(parse_bool("0"), Ok(false));
        assert!(parse_bool("maybe").is_err());
    }
}
