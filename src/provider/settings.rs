use std::sync::{Arc, PoisonError, RwLock};

use super::config::{Field, ProviderConfig};
use super::schema::ADOPT_IDENTICAL_WRAPUP_CODES;
use super::schema::{
    ACCESS_TOKEN, API_URL, AWS_REGION, LOGIN_URL, MAX_REQUESTS_PER_MINUTE, OAUTHCLIENT_ID,
    OAUTHCLIENT_SECRET, READ_CACHE, SETTINGS, Setting, TOKEN_POOL_SIZE,
};
use super::secret::Secret;
use super::validate::{
    Source, parse_base_url, parse_bool, parse_number, parse_region, report, validate_config,
};
use genesys_client::Region;
use tfplugin_framework::Diagnostics;

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
    pub credentials: Credentials,
    /// Whether bulk refresh may serve reads from one paged list per run.
    pub read_cache: bool,
    /// How many access tokens the client may hold (1–50).
    pub token_pool_size: usize,
    /// The client's budget per token and minute as configured; `None` takes the org's own
    /// limit (read when a job comes near the default), else the platform's default.
    pub max_requests_per_minute: Option<u32>,
    /// Whether a create may take over an identical code this OAuth client made.
    pub adopt_identical_wrapup_codes: bool,
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

/// How the provider authenticates to the Platform API.
#[derive(Debug, Clone, PartialEq)]
pub enum Credentials {
    /// OAuth client-credentials grant against the login host.
    ClientCredentials {
        client_id: String,
        client_secret: Secret,
    },
    /// A bearer token supplied by the user.
    AccessToken(Secret),
    /// Nothing usable: fine for validate and plans that need no API, an error for the rest.
    Missing(MissingCredentials),
}

impl Credentials {
    /// The credentials, or why there are none; resources call this before using the API.
    pub fn require(&self) -> Result<&Credentials, MissingCredentials> {
        match self {
            Credentials::Missing(missing) => Err(missing.clone()),
            usable => Ok(usable),
        }
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

/// Merges the provider block with the environment (attributes win) and validates both.
/// Returns the settings plus warnings, or the errors. Missing credentials are not an error.
pub fn resolve(
    config: &ProviderConfig,
    env: EnvLookup<'_>,
    terraform_version: &str,
) -> Result<(ProviderSettings, Diagnostics), Diagnostics> {
    let mut diagnostics = validate_config(config);
    if diagnostics.has_errors() {
        return Err(diagnostics);
    }
    let env = |setting: Setting| env(setting.env).filter(|value| !value.is_empty());

    let region = match config.aws_region.known() {
        Some(name) => parse_region(name).ok(),
        None => env(AWS_REGION).and_then(|name| {
            parse_region(&name)
                .map_err(|error| report(&mut diagnostics, Source::Env(AWS_REGION), &error))
                .ok()
        }),
    };
    let region = region
        .or_else(|| Region::by_name(Region::DEFAULT))
        .unwrap_or(Region::ALL[0]);

    let mut base_url = |setting: Setting, field: &Field<String>, default: String| {
        match field.known() {
            Some(text) => parse_base_url(text).ok(),
            None => env(setting).and_then(|text| {
                parse_base_url(&text)
                    .map_err(|error| report(&mut diagnostics, Source::Env(setting), &error))
                    .ok()
            }),
        }
        .unwrap_or(default)
    };
    let api_base = base_url(API_URL, &config.api_url, region.api_base());
    let login_base = base_url(LOGIN_URL, &config.login_url, region.login_base());

    let mut flag = |setting: Setting, field: &Field<bool>, default: bool| match field.known() {
        Some(flag) => *flag,
        None => env(setting)
            .and_then(|text| {
                parse_bool(&text)
                    .map_err(|error| report(&mut diagnostics, Source::Env(setting), &error))
                    .ok()
            })
            .unwrap_or(default),
    };
    let read_cache = flag(READ_CACHE, &config.read_cache, true);
    let adopt_identical_wrapup_codes = flag(
        ADOPT_IDENTICAL_WRAPUP_CODES,
        &config.adopt_identical_wrapup_codes,
        false,
    );

    let mut number = |setting: Setting, field: &Field<i64>| match field.known() {
        Some(value) => Some(*value),
        None => env(setting).and_then(|text| {
            parse_number(setting, &text)
                .map_err(|error| report(&mut diagnostics, Source::Env(setting), &error))
                .ok()
        }),
    };
    let token_pool_size = number(TOKEN_POOL_SIZE, &config.token_pool_size)
        .unwrap_or(genesys_client::DEFAULT_MAX_TOKENS as i64);
    let max_requests_per_minute = number(MAX_REQUESTS_PER_MINUTE, &config.max_requests_per_minute);

    let credentials = resolve_credentials(config, &env, &mut diagnostics);
    if diagnostics.has_errors() {
        return Err(diagnostics);
    }
    // Unknown credentials are reported by the platform (nothing is called), not as missing.
    let credentials_unknown = config.oauthclient_id == Field::Unknown
        || config.oauthclient_secret == Field::Unknown
        || config.access_token == Field::Unknown;
    if !credentials_unknown
        && let Credentials::Missing(
            missing @ (MissingCredentials::NoClientId | MissingCredentials::NoClientSecret),
        ) = &credentials
    {
        diagnostics.warning(
            "Incomplete Genesys Cloud credentials",
            format!("{missing}. Operations that call the API will fail until this is fixed."),
        );
    }

    let fields_unknown = [
        config.oauthclient_id == Field::Unknown,
        config.oauthclient_secret == Field::Unknown,
        config.aws_region == Field::Unknown,
        config.access_token == Field::Unknown,
        config.api_url == Field::Unknown,
        config.login_url == Field::Unknown,
        config.read_cache == Field::Unknown,
        config.token_pool_size == Field::Unknown,
        config.max_requests_per_minute == Field::Unknown,
        config.adopt_identical_wrapup_codes == Field::Unknown,
    ];
    let unknown_attributes = SETTINGS
        .iter()
        .zip(fields_unknown)
        .filter(|(_, unknown)| *unknown)
        .map(|(setting, _)| setting.name)
        .collect();

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
            terraform_version: terraform_version.to_string(),
            unknown_attributes,
        },
        diagnostics,
    ))
}

/// Picks credentials: any credential in the provider block wins over the environment; within
/// the environment a token together with client credentials is ambiguous and refused.
fn resolve_credentials(
    config: &ProviderConfig,
    env: &dyn Fn(Setting) -> Option<String>,
    diagnostics: &mut Diagnostics,
) -> Credentials {
    if let Some(token) = config.access_token.known() {
        return Credentials::AccessToken(token.clone());
    }
    let config_id = config.oauthclient_id.known().cloned();
    let config_secret = config.oauthclient_secret.known().cloned();
    if config_id.is_some() || config_secret.is_some() {
        return client_credentials(
            config_id.or_else(|| env(OAUTHCLIENT_ID)),
            config_secret.or_else(|| env(OAUTHCLIENT_SECRET).map(Secret::new)),
        );
    }
    let env_token = env(ACCESS_TOKEN).map(Secret::new);
    let env_id = env(OAUTHCLIENT_ID);
    let env_secret = env(OAUTHCLIENT_SECRET).map(Secret::new);
    match env_token {
        Some(_) if env_id.is_some() || env_secret.is_some() => {
            diagnostics.error(
                "Conflicting credentials",
                "The environment sets GENESYSCLOUD_ACCESS_TOKEN together with \
                 GENESYSCLOUD_OAUTHCLIENT_ID / GENESYSCLOUD_OAUTHCLIENT_SECRET; unset one of \
                 them, or choose in the provider block with `access_token` or \
                 `oauthclient_id` / `oauthclient_secret`.",
            );
            Credentials::Missing(MissingCredentials::NotConfigured)
        }
        Some(token) => Credentials::AccessToken(token),
        None => client_credentials(env_id, env_secret),
    }
}

fn client_credentials(client_id: Option<String>, client_secret: Option<Secret>) -> Credentials {
    match (client_id, client_secret) {
        (Some(client_id), Some(client_secret)) => Credentials::ClientCredentials {
            client_id,
            client_secret,
        },
        (Some(_), None) => Credentials::Missing(MissingCredentials::NoClientSecret),
        (None, Some(_)) => Credentials::Missing(MissingCredentials::NoClientId),
        (None, None) => Credentials::Missing(MissingCredentials::NotConfigured),
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
        assert_eq!(
            settings.credentials.require(),
            Err(MissingCredentials::NotConfigured)
        );
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
            max_requests_per_minute: Field::Set(450),
            ..ProviderConfig::default()
        };
        assert_eq!(
            settings(attribute, &env).max_requests_per_minute,
            Some(450),
            "the provider block wins over the environment"
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
            Credentials::ClientCredentials {
                client_id: "env-id".into(),
                client_secret: Secret::new("env-secret"),
            }
        );
    }

    #[test]
    fn attributes_win_over_env_vars() {
        let settings = settings(
            ProviderConfig {
                aws_region: Field::Set("ap-southeast-2".into()),
                api_url: Field::Set("http://127.0.0.1:9000/".into()),
                read_cache: Field::Set(true),
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
        assert!(settings.credentials.require().is_err());
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
                aws_region: Field::Set("mars-1".into()),
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
                access_token: Field::Set(Secret::new("tok")),
                ..Default::default()
            },
            &[
                ("GENESYSCLOUD_OAUTHCLIENT_ID", "id"),
                ("GENESYSCLOUD_OAUTHCLIENT_SECRET", "secret"),
            ],
        );
        assert_eq!(
            settings.credentials,
            Credentials::AccessToken(Secret::new("tok"))
        );
    }

    #[test]
    fn client_id_in_config_pairs_with_secret_from_env() {
        let settings = settings(
            ProviderConfig {
                oauthclient_id: Field::Set("cfg-id".into()),
                ..Default::default()
            },
            &[
                ("GENESYSCLOUD_OAUTHCLIENT_SECRET", "env-secret"),
                ("GENESYSCLOUD_ACCESS_TOKEN", "ignored-token"),
            ],
        );
        assert_eq!(
            settings.credentials,
            Credentials::ClientCredentials {
                client_id: "cfg-id".into(),
                client_secret: Secret::new("env-secret"),
            }
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
        assert_eq!(
            settings.credentials,
            Credentials::AccessToken(Secret::new("tok"))
        );
    }

    #[test]
    fn half_client_credentials_warn_and_stay_missing() {
        let (settings, warnings) = resolve_with(
            ProviderConfig {
                oauthclient_id: Field::Set("id".into()),
                ..Default::default()
            },
            &[],
        )
        .unwrap();
        assert_eq!(
            settings.credentials.require(),
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
        assert_eq!(
            settings.credentials.require(),
            Err(MissingCredentials::NoClientId)
        );
    }

    #[test]
    fn unknown_attributes_fall_back_to_env_and_are_recorded() {
        let settings = settings(
            ProviderConfig {
                api_url: Field::Unknown,
                aws_region: Field::Unknown,
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
                oauthclient_id: Field::Set("visible-id".into()),
                oauthclient_secret: Field::Set(Secret::new("very-secret-value")),
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
