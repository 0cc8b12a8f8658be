use genesys_client::{BaseUrlError, Region};
use tfplugin_framework::Diagnostics;

use super::model::{
    ACCESS_TOKEN, API_URL, AWS_REGION, LAG_WAIT_PERCENT, LOGIN_URL, MAX_REQUESTS_PER_MINUTE,
    OAUTHCLIENT_ID, OAUTHCLIENT_SECRET, ProviderConfig, Setting, TOKEN_POOL_SIZE, setting_path,
};

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
    /// The client's one base-URL rule refused it.
    #[error(transparent)]
    BaseUrl(BaseUrlError),
    #[error("`{value}` is not a boolean; use `true` or `false`")]
    InvalidBool { value: String },
    #[error("`{value}` is not a whole number from {min} to {max}")]
    OutOfRange { value: String, min: i64, max: i64 },
}

impl From<BaseUrlError> for SettingError {
    fn from(error: BaseUrlError) -> Self {
        match error {
            BaseUrlError::Empty => SettingError::Empty,
            other => SettingError::BaseUrl(other),
        }
    }
}

impl SettingError {
    /// The diagnostic summary for this kind of problem.
    pub fn summary(&self) -> &'static str {
        match self {
            SettingError::Empty => "Empty provider setting",
            SettingError::UnknownRegion { .. } => "Unknown Genesys Cloud region",
            SettingError::BaseUrl(BaseUrlError::InsecureUrl { .. }) => "Insecure base URL",
            SettingError::BaseUrl(_) => "Invalid base URL",
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
                setting_path(setting),
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

/// Checks an API or login base URL (the client's one rule) and returns it without a
/// trailing slash.
pub fn parse_base_url(text: &str) -> Result<String, SettingError> {
    let url = genesys_client::config::parse_base_url(text)?;
    Ok(url.as_str().trim_end_matches('/').to_string())
}

/// The range a number setting accepts.
pub fn number_range(setting: Setting) -> (i64, i64) {
    if setting == TOKEN_POOL_SIZE {
        (1, 50)
    } else if setting == LAG_WAIT_PERCENT {
        (1, 100)
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
        config
            .oauthclient_secret
            .known()
            .map(|s| s.expose().as_str()),
    );
    check_not_empty(
        &mut diagnostics,
        ACCESS_TOKEN,
        config.access_token.known().map(|s| s.expose().as_str()),
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
        (LAG_WAIT_PERCENT, &config.lag_wait_percent),
    ] {
        if let Some(value) = field.known()
            && let Err(error) = check_number(setting, *value)
        {
            report(&mut diagnostics, Source::Attribute(setting), &error);
        }
    }
    if config.access_token.is_known()
        && (config.oauthclient_id.is_known() || config.oauthclient_secret.is_known())
    {
        diagnostics.attribute_error(
            setting_path(ACCESS_TOKEN),
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
    use tfplugin_framework::Severity;
    use tfplugin_framework::cty::AttributePath;
    use tfplugin_framework::{Sensitive, TfValue};

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
            aws_region: TfValue::Known("mars-1".into()),
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
    fn insecure_api_url_points_at_api_url() {
        let config = ProviderConfig {
            api_url: TfValue::Known("http://example.com".into()),
            ..Default::default()
        };
        let text = only_error_at(&validate_config(&config), "api_url");
        assert!(text.starts_with("Insecure base URL"), "{text}");
        assert!(text.contains("http://example.com"), "{text}");
    }

    #[test]
    fn malformed_login_url_points_at_login_url() {
        let config = ProviderConfig {
            login_url: TfValue::Known("login.example.com".into()),
            ..Default::default()
        };
        let text = only_error_at(&validate_config(&config), "login_url");
        assert!(text.starts_with("Invalid base URL"), "{text}");
        assert!(text.contains("not an absolute URL"), "{text}");
    }

    #[test]
    fn empty_strings_are_refused_per_attribute() {
        for (setting, config) in [
            (
                "oauthclient_id",
                ProviderConfig {
                    oauthclient_id: TfValue::Known(String::new()),
                    ..Default::default()
                },
            ),
            (
                "oauthclient_secret",
                ProviderConfig {
                    oauthclient_secret: TfValue::Known(Sensitive::new("".into())),
                    ..Default::default()
                },
            ),
            (
                "access_token",
                ProviderConfig {
                    access_token: TfValue::Known(Sensitive::new("".into())),
                    ..Default::default()
                },
            ),
            (
                "aws_region",
                ProviderConfig {
                    aws_region: TfValue::Known(String::new()),
                    ..Default::default()
                },
            ),
            (
                "api_url",
                ProviderConfig {
                    api_url: TfValue::Known(String::new()),
                    ..Default::default()
                },
            ),
            (
                "login_url",
                ProviderConfig {
                    login_url: TfValue::Known(String::new()),
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
                access_token: TfValue::Known(Sensitive::new("tok-7f3a".into())),
                oauthclient_id: TfValue::Known("id".into()),
                ..Default::default()
            },
            ProviderConfig {
                access_token: TfValue::Known(Sensitive::new("tok-7f3a".into())),
                oauthclient_secret: TfValue::Known(Sensitive::new("sec-9b2c".into())),
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
            oauthclient_id: TfValue::unknown(),
            oauthclient_secret: TfValue::unknown(),
            aws_region: TfValue::unknown(),
            access_token: TfValue::Known(Sensitive::new("tok".into())),
            api_url: TfValue::unknown(),
            login_url: TfValue::unknown(),
            read_cache: TfValue::unknown(),
            token_pool_size: TfValue::unknown(),
            max_requests_per_minute: TfValue::unknown(),
            adopt_identical_wrapup_codes: TfValue::unknown(),
            lag_wait_percent: TfValue::unknown(),
        };
        assert_eq!(validate_config(&config), Diagnostics::default());
    }

    #[test]
    fn a_complete_valid_config_has_no_diagnostics() {
        let config = ProviderConfig {
            oauthclient_id: TfValue::Known("id".into()),
            oauthclient_secret: TfValue::Known(Sensitive::new("secret".into())),
            aws_region: TfValue::Known("eu-west-1".into()),
            access_token: TfValue::Null,
            api_url: TfValue::Known("http://127.0.0.1:8080".into()),
            login_url: TfValue::Known("https://login.example.com".into()),
            read_cache: TfValue::Known(false),
            token_pool_size: TfValue::Known(50),
            max_requests_per_minute: TfValue::Known(300),
            adopt_identical_wrapup_codes: TfValue::Known(true),
            lag_wait_percent: TfValue::Known(100),
        };
        assert_eq!(validate_config(&config), Diagnostics::default());
    }

    #[test]
    fn a_lag_wait_percent_outside_1_to_100_points_at_its_attribute() {
        for percent in [0, 101] {
            let config = ProviderConfig {
                lag_wait_percent: TfValue::Known(percent),
                ..ProviderConfig::default()
            };
            let diagnostics = validate_config(&config);
            assert_eq!(diagnostics.0.len(), 1, "{percent}: {diagnostics:?}");
            assert_eq!(
                diagnostics.0[0].attribute.as_ref().map(ToString::to_string),
                Some("lag_wait_percent".to_string()),
                "{percent}"
            );
        }
    }

    #[test]
    fn pool_size_and_budget_out_of_range_point_at_their_attribute() {
        for (pool, budget, attribute) in [
            (0, 300, "token_pool_size"),
            (51, 300, "token_pool_size"),
            (10, 0, "max_requests_per_minute"),
        ] {
            let config = ProviderConfig {
                token_pool_size: TfValue::Known(pool),
                max_requests_per_minute: TfValue::Known(budget),
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
