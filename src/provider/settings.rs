use std::sync::{Arc, PoisonError, RwLock};

use super::model::{
    ACCESS_TOKEN, ADOPT_IDENTICAL_WRAPUP_CODES, API_URL, AWS_REGION, LAG_WAIT_PERCENT, LOGIN_URL,
    MAX_REQUESTS_PER_MINUTE, OAUTHCLIENT_ID, OAUTHCLIENT_SECRET, ProviderConfig, READ_CACHE,
    Setting, SettingType, TOKEN_POOL_SIZE,
};
use super::validate::{
    SettingError, Source, parse_base_url, parse_region, report, validate_config,
};
use crate::platform::LagWaits;
use genesys_client::{Credentials, Region, Secret};
use tfplugin_framework::{Diagnostics, TfValue};

/// The provider configuration after merging the provider block with the `GENESYSCLOUD_*`
/// environment: what resources use to build the API client. `Debug` redacts secrets.
#[derive(Debug, Clone, PartialEq)]
pub struct ProviderSettings {
    /// The configured (or default) region.
    pub region: Region,
    /// Platform API base URL without trailing slash, e.g. `https://api.mypurecloud.com`.
    pub api_base: String,
    /// Login host base URL without trailing slash, e.g. `https://login.mypurecloud.com`.
    pub login_base: String,
    /// How to authenticate, or why there is nothing usable: fine for validate and plans
    /// that need no API, an error for the rest.
    pub credentials: Result<Credentials, MissingCredentials>,
    /// Whether bulk refresh may serve reads from one paged list per run.
    pub read_cache: bool,
    /// How many access tokens the client may hold (1–50).
    pub token_pool_size: usize,
    /// The client's budget per token and minute as configured; `None` takes the org's own
    /// limit (read when a job comes near the default), else the platform's default.
    pub max_requests_per_minute: Option<u32>,
    /// Whether a create may take over an identical code this OAuth client made.
    pub adopt_identical_wrapup_codes: bool,
    /// How long the waits for the platform's lag run (`lag_wait_percent`).
    pub lag_waits: LagWaits,
    /// The Terraform CLI version that configured the provider (for the User-Agent).
    pub terraform_version: String,
    /// Provider attributes that were unknown at configure time (only during a plan whose
    /// provider block depends on values known after apply); they were resolved from the
    /// environment or defaults instead.
    pub unknown_attributes: Vec<&'static str>,
}

/// The settings that decide which org, and as whom, the provider talks to.
const CONNECTION_SETTINGS: [Setting; 6] = [
    OAUTHCLIENT_ID,
    OAUTHCLIENT_SECRET,
    AWS_REGION,
    ACCESS_TOKEN,
    API_URL,
    LOGIN_URL,
];

impl ProviderSettings {
    /// The unknown settings that decide which org, and as whom, the provider talks to
    /// (region, URLs, credentials). While any is unknown the provider must not call the API:
    /// the environment or a default would only be a guess at another org.
    pub fn unknown_connection_settings(&self) -> Vec<&'static str> {
        self.unknown_attributes
            .iter()
            .copied()
            .filter(|name| CONNECTION_SETTINGS.iter().any(|s| s.name == *name))
            .collect()
    }
}

/// Why no credentials are available (the message tells the user what to set).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MissingCredentials {
    #[error(
        "no Genesys Cloud credentials are configured: set `oauthclient_id` and \
         `oauthclient_secret` (or GENESYSCLOUD_OAUTHCLIENT_ID and \
         GENESYSCLOUD_OAUTHCLIENT_SECRET), or `access_token` (or GENESYSCLOUD_ACCESS_TOKEN)"
    )]
    NotConfigured,
    #[error(
        "`oauthclient_id` is set but `oauthclient_secret` is not: set it or \
         GENESYSCLOUD_OAUTHCLIENT_SECRET"
    )]
    NoClientSecret,
    #[error(
        "`oauthclient_secret` is set but `oauthclient_id` is not: set it or \
         GENESYSCLOUD_OAUTHCLIENT_ID"
    )]
    NoClientId,
}

/// Reads one environment variable; empty values count as unset.
pub type EnvLookup<'a> = &'a dyn Fn(&str) -> Option<String>;

/// The process environment as an [`EnvLookup`].
pub fn process_env(name: &str) -> Option<String> {
    std::env::var(name).ok()
}

/// Reads settings from the block, falling back to their environment variables, and collects
/// what is wrong with the variables.
struct Resolver<'a> {
    env: EnvLookup<'a>,
    diagnostics: Diagnostics,
}

impl Resolver<'_> {
    /// The setting's environment variable; empty counts as unset.
    fn env(&self, setting: Setting) -> Option<String> {
        (self.env)(setting.env).filter(|value| !value.is_empty())
    }

    /// The value written in the block when known (validated already), else the one its
    /// environment variable gives, with where it came from. An invalid variable is reported,
    /// naming it, and counts as unset.
    fn value<T: SettingType>(
        &mut self,
        setting: Setting,
        field: &TfValue<T>,
    ) -> Option<(T, Source)> {
        if let Some(value) = field.known() {
            return Some((value.clone(), Source::Attribute(setting)));
        }
        let text = self.env(setting)?;
        self.check(Source::Env(setting), T::from_env(setting, &text))
            .map(|value| (value, Source::Env(setting)))
    }

    /// The checked value, or `None` with the error reported against `source`.
    fn check<U>(&mut self, source: Source, checked: Result<U, SettingError>) -> Option<U> {
        checked
            .map_err(|error| report(&mut self.diagnostics, source, &error))
            .ok()
    }

    /// A base URL from the block or the environment, else `default`.
    fn base_url(&mut self, setting: Setting, field: &TfValue<String>, default: String) -> String {
        self.value(setting, field)
            .and_then(|(text, source)| self.check(source, parse_base_url(&text)))
            .unwrap_or(default)
    }
}

/// Merges the provider block with the environment (attributes win) and validates both.
/// Returns the settings plus warnings, or the errors. Missing credentials are not an error.
pub fn resolve(
    config: &ProviderConfig,
    env: EnvLookup<'_>,
    terraform_version: &str,
) -> Result<(ProviderSettings, Diagnostics), Diagnostics> {
    let diagnostics = validate_config(config);
    if diagnostics.has_errors() {
        return Err(diagnostics);
    }
    let mut resolver = Resolver { env, diagnostics };

    let region = resolver
        .value(AWS_REGION, &config.aws_region)
        .and_then(|(name, source)| resolver.check(source, parse_region(&name)))
        .or_else(|| Region::by_name(Region::DEFAULT))
        .unwrap_or(Region::ALL[0]);
    let api_base = resolver.base_url(API_URL, &config.api_url, region.api_base());
    let login_base = resolver.base_url(LOGIN_URL, &config.login_url, region.login_base());
    let read_cache = resolver
        .value(READ_CACHE, &config.read_cache)
        .is_none_or(|(flag, _)| flag);
    let adopt_identical_wrapup_codes = resolver
        .value(
            ADOPT_IDENTICAL_WRAPUP_CODES,
            &config.adopt_identical_wrapup_codes,
        )
        .is_some_and(|(flag, _)| flag);
    let token_pool_size = resolver
        .value(TOKEN_POOL_SIZE, &config.token_pool_size)
        .map_or(genesys_client::DEFAULT_MAX_TOKENS as i64, |(size, _)| size);
    let max_requests_per_minute = resolver
        .value(MAX_REQUESTS_PER_MINUTE, &config.max_requests_per_minute)
        .map(|(budget, _)| budget);
    let lag_waits = resolver
        .value(LAG_WAIT_PERCENT, &config.lag_wait_percent)
        .map_or(LagWaits::FULL, |(percent, _)| {
            LagWaits::percent(u32::try_from(percent).unwrap_or(100))
        });

    let credentials = resolve_credentials(config, &mut resolver);
    let mut diagnostics = resolver.diagnostics;
    if diagnostics.has_errors() {
        return Err(diagnostics);
    }
    // Unknown credentials are reported by the platform (nothing is called), not as missing.
    let credentials_unknown = config.oauthclient_id.is_unknown()
        || config.oauthclient_secret.is_unknown()
        || config.access_token.is_unknown();
    if !credentials_unknown
        && let Err(missing @ (MissingCredentials::NoClientId | MissingCredentials::NoClientSecret)) =
            &credentials
    {
        diagnostics.warning(
            "Incomplete Genesys Cloud credentials",
            format!("{missing}. Operations that call the API will fail until this is fixed."),
        );
    }

    Ok((
        ProviderSettings {
            region,
            api_base,
            login_base,
            credentials,
            read_cache,
            token_pool_size: usize::try_from(token_pool_size.clamp(1, 50)).unwrap_or(1),
            max_requests_per_minute: max_requests_per_minute
                .map(|budget| u32::try_from(budget.clamp(1, 100_000)).unwrap_or(1)),
            adopt_identical_wrapup_codes,
            lag_waits,
            terraform_version: terraform_version.to_string(),
            unknown_attributes: config.unknown_settings(),
        },
        diagnostics,
    ))
}

/// Picks credentials: any credential in the provider block wins over the environment; within
/// the environment a token together with client credentials is ambiguous and refused.
fn resolve_credentials(
    config: &ProviderConfig,
    resolver: &mut Resolver<'_>,
) -> Result<Credentials, MissingCredentials> {
    if let Some(token) = config.access_token.known() {
        return Ok(Credentials::access_token(token.expose().as_str()));
    }
    let config_id = config.oauthclient_id.known().cloned();
    let config_secret = config
        .oauthclient_secret
        .known()
        .map(|secret| Secret::new(secret.expose().as_str()));
    if config_id.is_some() || config_secret.is_some() {
        return client_credentials(
            config_id.or_else(|| resolver.env(OAUTHCLIENT_ID)),
            config_secret.or_else(|| resolver.env(OAUTHCLIENT_SECRET).map(Secret::new)),
        );
    }
    let env_token = resolver.env(ACCESS_TOKEN).map(Secret::new);
    let env_id = resolver.env(OAUTHCLIENT_ID);
    let env_secret = resolver.env(OAUTHCLIENT_SECRET).map(Secret::new);
    match env_token {
        Some(_) if env_id.is_some() || env_secret.is_some() => {
            resolver.diagnostics.error(
                "Conflicting credentials",
                "The environment sets GENESYSCLOUD_ACCESS_TOKEN together with \
                 GENESYSCLOUD_OAUTHCLIENT_ID / GENESYSCLOUD_OAUTHCLIENT_SECRET; unset one of \
                 them, or choose in the provider block with `access_token` or \
                 `oauthclient_id` / `oauthclient_secret`.",
            );
            Err(MissingCredentials::NotConfigured)
        }
        Some(token) => Ok(Credentials::AccessToken(token)),
        None => client_credentials(env_id, env_secret),
    }
}

fn client_credentials(
    client_id: Option<String>,
    client_secret: Option<Secret>,
) -> Result<Credentials, MissingCredentials> {
    match (client_id, client_secret) {
        (Some(client_id), Some(client_secret)) => Ok(Credentials::ClientCredentials {
            client_id,
            client_secret,
        }),
        (Some(_), None) => Err(MissingCredentials::NoClientSecret),
        (None, Some(_)) => Err(MissingCredentials::NoClientId),
        (None, None) => Err(MissingCredentials::NotConfigured),
    }
}

/// The settings `ConfigureProvider` stores and resources read, shared by cloning the handle.
#[derive(Debug, Clone, Default)]
pub struct SharedSettings(Arc<RwLock<Option<Arc<ProviderSettings>>>>);

/// A resource asked for settings before Terraform configured the provider.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the provider has not been configured yet (Terraform calls ConfigureProvider first)")]
pub struct NotConfigured;

impl SharedSettings {
    /// The current settings.
    pub fn get(&self) -> Result<Arc<ProviderSettings>, NotConfigured> {
        self.0
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
            .ok_or(NotConfigured)
    }

    /// Replaces the settings (Terraform configures once per provider process).
    pub fn set(&self, settings: ProviderSettings) {
        *self.0.write().unwrap_or_else(PoisonError::into_inner) = Some(Arc::new(settings));
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::*;
    use tfplugin_framework::Sensitive;
    use tfplugin_framework::cty::AttributePath;

    fn resolve_with(
        config: ProviderConfig,
        env: &[(&str, &str)],
    ) -> Result<(ProviderSettings, Diagnostics), Diagnostics> {
        let env: HashMap<String, String> = env
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        resolve(&config, &|name| env.get(name).cloned(), "1.15.5")
    }

    fn settings(config: ProviderConfig, env: &[(&str, &str)]) -> ProviderSettings {
        let (settings, warnings) = resolve_with(config, env).expect("settings resolve");
        assert!(warnings.0.is_empty(), "{warnings:?}");
        settings
    }

    fn errors(config: ProviderConfig, env: &[(&str, &str)]) -> Diagnostics {
        resolve_with(config, env).expect_err("settings are refused")
    }

    #[test]
    fn nothing_configured_means_default_region_and_missing_credentials() {
        let settings = settings(ProviderConfig::default(), &[]);
        assert_eq!(settings.region.name, "us-east-1");
        assert_eq!(settings.api_base, "https://api.mypurecloud.com");
        assert_eq!(settings.login_base, "https://login.mypurecloud.com");
        assert!(settings.read_cache);
        assert_eq!(settings.credentials, Err(MissingCredentials::NotConfigured));
        assert_eq!(settings.terraform_version, "1.15.5");
    }

    #[test]
    fn the_budget_is_the_orgs_unless_the_attribute_or_env_sets_it() {
        assert_eq!(
            settings(ProviderConfig::default(), &[]).max_requests_per_minute,
            None
        );
        let env = [("GENESYSCLOUD_MAX_REQUESTS_PER_MINUTE", "120")];
        assert_eq!(
            settings(ProviderConfig::default(), &env).max_requests_per_minute,
            Some(120)
        );
        let attribute = ProviderConfig {
            max_requests_per_minute: TfValue::Known(450),
            ..ProviderConfig::default()
        };
        assert_eq!(
            settings(attribute, &env).max_requests_per_minute,
            Some(450),
            "the provider block wins over the environment"
        );
    }

    #[test]
    fn lag_waits_run_in_full_unless_the_attribute_or_env_shortens_them() {
        assert_eq!(
            settings(ProviderConfig::default(), &[]).lag_waits,
            LagWaits::FULL
        );
        let env = [("GENESYSCLOUD_LAG_WAIT_PERCENT", "5")];
        assert_eq!(
            settings(ProviderConfig::default(), &env).lag_waits,
            LagWaits::percent(5)
        );
        let attribute = ProviderConfig {
            lag_wait_percent: TfValue::Known(50),
            ..ProviderConfig::default()
        };
        assert_eq!(settings(attribute, &env).lag_waits, LagWaits::percent(50));
        let errors = errors(
            ProviderConfig::default(),
            &[("GENESYSCLOUD_LAG_WAIT_PERCENT", "0")],
        );
        assert!(
            format!("{errors:?}").contains("GENESYSCLOUD_LAG_WAIT_PERCENT"),
            "{errors:?}"
        );
    }

    #[test]
    fn env_vars_fill_unset_attributes() {
        let settings = settings(
            ProviderConfig::default(),
            &[
                ("GENESYSCLOUD_REGION", "eu-west-1"),
                ("GENESYSCLOUD_OAUTHCLIENT_ID", "env-id"),
                ("GENESYSCLOUD_OAUTHCLIENT_SECRET", "env-secret"),
                ("GENESYSCLOUD_READ_CACHE", "false"),
            ],
        );
        assert_eq!(settings.region.name, "eu-west-1");
        assert_eq!(settings.api_base, "https://api.mypurecloud.ie");
        assert_eq!(settings.login_base, "https://login.mypurecloud.ie");
        assert!(!settings.read_cache);
        assert_eq!(
            settings.credentials,
            Ok(Credentials::client_credentials("env-id", "env-secret"))
        );
    }

    #[test]
    fn attributes_win_over_env_vars() {
        let settings = settings(
            ProviderConfig {
                aws_region: TfValue::Known("ap-southeast-2".into()),
                api_url: TfValue::Known("http://127.0.0.1:9000/".into()),
                read_cache: TfValue::Known(true),
                ..Default::default()
            },
            &[
                ("GENESYSCLOUD_REGION", "eu-west-1"),
                ("GENESYSCLOUD_API_URL", "https://gw.example.com"),
                ("GENESYSCLOUD_READ_CACHE", "0"),
            ],
        );
        assert_eq!(settings.region.name, "ap-southeast-2");
        assert_eq!(settings.api_base, "http://127.0.0.1:9000");
        assert_eq!(settings.login_base, "https://login.mypurecloud.com.au");
        assert!(settings.read_cache);
    }

    #[test]
    fn url_overrides_come_from_env_vars() {
        let settings = settings(
            ProviderConfig::default(),
            &[
                ("GENESYSCLOUD_API_URL", "http://localhost:4010"),
                ("GENESYSCLOUD_LOGIN_URL", "http://localhost:4010/"),
            ],
        );
        assert_eq!(settings.api_base, "http://localhost:4010");
        assert_eq!(settings.login_base, "http://localhost:4010");
    }

    #[test]
    fn empty_env_vars_count_as_unset() {
        let settings = settings(
            ProviderConfig::default(),
            &[
                ("GENESYSCLOUD_REGION", ""),
                ("GENESYSCLOUD_ACCESS_TOKEN", ""),
            ],
        );
        assert_eq!(settings.region.name, "us-east-1");
        assert!(settings.credentials.is_err());
    }

    #[test]
    fn invalid_env_vars_are_errors_that_name_the_variable() {
        for (name, value) in [
            ("GENESYSCLOUD_REGION", "mars-1"),
            ("GENESYSCLOUD_API_URL", "http://example.com"),
            ("GENESYSCLOUD_LOGIN_URL", "not a url"),
            ("GENESYSCLOUD_READ_CACHE", "sometimes"),
        ] {
            let diagnostics = errors(ProviderConfig::default(), &[(name, value)]);
            assert_eq!(diagnostics.0.len(), 1, "{diagnostics:?}");
            assert!(
                diagnostics.0[0].detail.contains(name),
                "{name}: {diagnostics:?}"
            );
        }
    }

    #[test]
    fn configure_repeats_the_attribute_validation() {
        let diagnostics = errors(
            ProviderConfig {
                aws_region: TfValue::Known("mars-1".into()),
                ..Default::default()
            },
            &[],
        );
        assert_eq!(
            diagnostics.0[0].attribute,
            Some(AttributePath::root("aws_region"))
        );
    }

    #[test]
    fn access_token_from_config_wins_over_env_client_credentials() {
        let settings = settings(
            ProviderConfig {
                access_token: TfValue::Known(Sensitive::new("tok".into())),
                ..Default::default()
            },
            &[
                ("GENESYSCLOUD_OAUTHCLIENT_ID", "id"),
                ("GENESYSCLOUD_OAUTHCLIENT_SECRET", "secret"),
            ],
        );
        assert_eq!(settings.credentials, Ok(Credentials::access_token("tok")));
    }

    #[test]
    fn client_id_in_config_pairs_with_secret_from_env() {
        let settings = settings(
            ProviderConfig {
                oauthclient_id: TfValue::Known("cfg-id".into()),
                ..Default::default()
            },
            &[
                ("GENESYSCLOUD_OAUTHCLIENT_SECRET", "env-secret"),
                ("GENESYSCLOUD_ACCESS_TOKEN", "ignored-token"),
            ],
        );
        assert_eq!(
            settings.credentials,
            Ok(Credentials::client_credentials("cfg-id", "env-secret"))
        );
    }

    #[test]
    fn env_token_with_env_client_credentials_is_refused() {
        let diagnostics = errors(
            ProviderConfig::default(),
            &[
                ("GENESYSCLOUD_ACCESS_TOKEN", "tok-value"),
                ("GENESYSCLOUD_OAUTHCLIENT_ID", "id"),
            ],
        );
        assert_eq!(diagnostics.0[0].summary, "Conflicting credentials");
        assert!(!format!("{diagnostics:?}").contains("tok-value"));
    }

    #[test]
    fn env_token_alone_is_used() {
        let settings = settings(
            ProviderConfig::default(),
            &[("GENESYSCLOUD_ACCESS_TOKEN", "tok")],
        );
        assert_eq!(settings.credentials, Ok(Credentials::access_token("tok")));
    }

    #[test]
    fn half_client_credentials_warn_and_stay_missing() {
        let (settings, warnings) = resolve_with(
            ProviderConfig {
                oauthclient_id: TfValue::Known("id".into()),
                ..Default::default()
            },
            &[],
        )
        .unwrap();
        assert_eq!(
            settings.credentials,
            Err(MissingCredentials::NoClientSecret)
        );
        assert!(!warnings.has_errors());
        assert!(
            warnings.0[0]
                .detail
                .contains("GENESYSCLOUD_OAUTHCLIENT_SECRET")
        );

        let (settings, _) = resolve_with(
            ProviderConfig::default(),
            &[("GENESYSCLOUD_OAUTHCLIENT_SECRET", "s")],
        )
        .unwrap();
        assert_eq!(settings.credentials, Err(MissingCredentials::NoClientId));
    }

    #[test]
    fn unknown_attributes_fall_back_to_env_and_are_recorded() {
        let settings = settings(
            ProviderConfig {
                api_url: TfValue::unknown(),
                aws_region: TfValue::unknown(),
                ..Default::default()
            },
            &[("GENESYSCLOUD_REGION", "eu-central-1")],
        );
        assert_eq!(settings.region.name, "eu-central-1");
        assert_eq!(settings.api_base, "https://api.mypurecloud.de");
        assert_eq!(settings.unknown_attributes, ["aws_region", "api_url"]);
    }

    #[test]
    fn debug_output_never_shows_secrets() {
        let settings = settings(
            ProviderConfig {
                oauthclient_id: TfValue::Known("visible-id".into()),
                oauthclient_secret: TfValue::Known(Sensitive::new("very-secret-value".into())),
                ..Default::default()
            },
            &[],
        );
        let shared = SharedSettings::default();
        shared.set(settings.clone());
        for text in [format!("{settings:?}"), format!("{shared:?}")] {
            assert!(text.contains("visible-id"), "{text}");
            assert!(!text.contains("very-secret-value"), "{text}");
        }
        let token = Credentials::AccessToken(Secret::new("bearer-xyz"));
        assert!(!format!("{token:?}").contains("bearer-xyz"));
    }

    #[test]
    fn shared_settings_are_empty_until_set() {
        let shared = SharedSettings::default();
        let handed_to_a_resource = shared.clone();
        assert_eq!(handed_to_a_resource.get(), Err(NotConfigured));
        shared.set(settings(ProviderConfig::default(), &[]));
        assert_eq!(handed_to_a_resource.get().unwrap().region.name, "us-east-1");
    }
}
