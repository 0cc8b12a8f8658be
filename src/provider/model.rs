//! The `provider "genesyscloud"` block: one declaration of every setting (attribute, type,
//! environment variable, description), from which the model, the schema, the environment
//! fallback and the docs check all derive.

use std::collections::BTreeMap;

use super::validate::{SettingError, parse_bool, parse_number};
use tfplugin_framework::cty::{AttributePath, Type, Value};
use tfplugin_framework::model::CtyConvert;
use tfplugin_framework::{Attribute, Block, Diagnostics, Model, ModelError, Schema, Sensitive};

/// One attribute of the provider block and the environment variable it falls back to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Setting {
    /// The attribute name (the model's field name).
    pub name: &'static str,
    /// The `GENESYSCLOUD_*` variable read when the attribute is null.
    pub env: &'static str,
    /// Whether the schema marks the attribute sensitive (its model field is [`Sensitive`]).
    pub sensitive: bool,
    /// Markdown description, without the env-var sentence (added by [`Setting::description`]).
    pub summary: &'static str,
}

impl Setting {
    /// The Markdown description shown in the schema, naming the env-var fallback.
    pub fn description(&self) -> String {
        format!(
            "{} Can also be set with the `{}` environment variable.",
            self.summary, self.env
        )
    }
}

/// A Rust type a setting can have: how its environment variable's text becomes a value, and
/// whether it is sensitive.
pub trait SettingType: CtyConvert + Clone {
    /// Whether values of this type are secrets.
    const SENSITIVE: bool = false;

    /// The value an environment variable's (non-empty) text gives `setting`.
    fn from_env(setting: Setting, text: &str) -> Result<Self, SettingError>;
}

impl SettingType for String {
    fn from_env(_: Setting, text: &str) -> Result<Self, SettingError> {
        Ok(text.to_owned())
    }
}

impl SettingType for Sensitive<String> {
    const SENSITIVE: bool = true;

    fn from_env(_: Setting, text: &str) -> Result<Self, SettingError> {
        Ok(Sensitive::new(text.to_owned()))
    }
}

impl SettingType for bool {
    fn from_env(_: Setting, text: &str) -> Result<Self, SettingError> {
        parse_bool(text)
    }
}

/// A whole number, range-checked for its setting.
impl SettingType for i64 {
    fn from_env(setting: Setting, text: &str) -> Result<Self, SettingError> {
        parse_number(setting, text)
    }
}

/// Declares the provider block once: the model [`ProviderConfig`] (one field per setting),
/// a [`Setting`] constant per setting and [`SETTINGS`] in declaration order (the schema's).
macro_rules! provider_settings {
    ($( $constant:ident $field:ident : $ty:ty, env $env:literal, $summary:literal; )*) => {
        tfplugin_framework::tf_model! {
            /// The provider block as written (nothing resolved from the environment yet):
            /// null is unset, unknown is known only after apply.
            pub struct ProviderConfig {
                $( pub $field: tfplugin_framework::TfValue<$ty>, )*
            }
        }

        $(
            #[doc = concat!("The `", stringify!($field), "` setting (`", $env, "`).")]
            pub const $constant: Setting = Setting {
                name: stringify!($field),
                env: $env,
                sensitive: <$ty as SettingType>::SENSITIVE,
                summary: $summary,
            };
        )*

        /// Every provider setting, in schema order.
        pub const SETTINGS: &[Setting] = &[$( $constant ),*];
    };
}

provider_settings! {
    OAUTHCLIENT_ID oauthclient_id: String, env "GENESYSCLOUD_OAUTHCLIENT_ID",
        "ID of the OAuth client (client-credentials grant) the provider authenticates \
        with. Used together with `oauthclient_secret`; conflicts with `access_token`.";
    OAUTHCLIENT_SECRET oauthclient_secret: Sensitive<String>, env "GENESYSCLOUD_OAUTHCLIENT_SECRET",
        "Secret of the OAuth client named by `oauthclient_id`.";
    AWS_REGION aws_region: String, env "GENESYSCLOUD_REGION",
        "Genesys Cloud region of the organization, e.g. `us-east-1`, `eu-west-1`, \
        `ap-southeast-2`; selects the API and login hosts. Defaults to `us-east-1`.";
    ACCESS_TOKEN access_token: Sensitive<String>, env "GENESYSCLOUD_ACCESS_TOKEN",
        "A bearer token to use instead of OAuth client credentials (for example one \
        obtained by a CI pipeline). Conflicts with `oauthclient_id` and \
        `oauthclient_secret`.";
    API_URL api_url: String, env "GENESYSCLOUD_API_URL",
        "Base URL of the Platform API (e.g. `https://api.mypurecloud.com`), overriding \
        the one derived from `aws_region`; for gateways and the local emulator. Must be \
        `https://`, except `http://` on a loopback host (`localhost`, `127.0.0.0/8`, \
        `::1`).";
    LOGIN_URL login_url: String, env "GENESYSCLOUD_LOGIN_URL",
        "Base URL of the login host that issues OAuth tokens (e.g. \
        `https://login.mypurecloud.com`), overriding the one derived from `aws_region`. \
        Same `https://` rule as `api_url`.";
    READ_CACHE read_cache: bool, env "GENESYSCLOUD_READ_CACHE",
        "Whether refresh reads many objects of a type with one paged list per run \
        instead of one request each. Defaults to `true`. The platform's listings lag \
        writes: a plan made moments after an edit outside Terraform may read the old value \
        from the listing and miss the edit, which shows in the next plan once the listing \
        catches up. Set `false` to read every object by ID, which sees such an edit at once, \
        at one request per object.";
    TOKEN_POOL_SIZE token_pool_size: i64, env "GENESYSCLOUD_TOKEN_POOL_SIZE",
        "How many access tokens the provider may hold at once, 1 to 50; defaults to 10. \
        The platform meters requests per token, so each token adds a budget. The \
        provider starts with one token and logs in for another only when every token's \
        budget is spent and requests are waiting. Ignored with `access_token`.";
    MAX_REQUESTS_PER_MINUTE max_requests_per_minute: i64, env "GENESYSCLOUD_MAX_REQUESTS_PER_MINUTE",
        "The provider's own request budget per access token and minute, 1 to 100000. \
        Defaults to the org's own per-token limit (`client.credentials.token.rate.per.minute`), \
        read once per provider process when a run comes near 300 requests a minute on a \
        token, or 300, the platform's default, when the OAuth client may not read it. \
        Requests beyond it wait instead of meeting a 429; a 429 lowers the budget by a \
        tenth (once per rate-limit pause), and each 10 s without one raises it again by a \
        tenth of its ceiling, up to this figure (or the org's limit).";
    ADOPT_IDENTICAL_WRAPUP_CODES adopt_identical_wrapup_codes: bool, env "GENESYSCLOUD_ADOPT_IDENTICAL_WRAPUP_CODES",
        "Whether a `genesyscloud_routing_wrapupcode` to be created takes over an existing \
        code of the same name instead of failing with \"name already in use\", when \
        that code equals the configuration in every attribute (exact name, \
        description, division) and was created by this OAuth client: the code a \
        killed apply left behind. The plan says so with a warning naming the code. \
        Defaults to `false`.";
    LAG_WAIT_PERCENT lag_wait_percent: i64, env "GENESYSCLOUD_LAG_WAIT_PERCENT",
        "How long the provider waits out the platform's lag, as a percentage of each wait's \
        full length, 1 to 100; defaults to 100. The waits: up to 15 s for a \
        `genesyscloud_routing_wrapupcode` data source's name to appear in search, up to 8 s \
        for a created code whose answer was lost, the read-backs that prove a wrap-up \
        landed, and the re-reads of a code a queue's listing left out. Lower it only against a platform with no lag to wait \
        out, such as the local emulator, where a name that never appears or a write the \
        platform drops then fails sooner.";
}

impl ProviderConfig {
    /// Decodes the provider block. A null block leaves every setting unset; a wholly unknown
    /// block makes every setting unknown. A value of the wrong type is an error on its
    /// attribute that never shows the value (it may be a secret).
    pub fn decode_block(value: &Value) -> Result<Self, Diagnostics> {
        let decoded = match value {
            Value::Null => return Ok(ProviderConfig::default()),
            Value::Unknown(_) => ProviderConfig::decode(&Value::object(
                SETTINGS
                    .iter()
                    .map(|setting| (setting.name, Value::unknown())),
            )),
            block => ProviderConfig::decode(block),
        };
        decoded.map_err(|error| wrong_type(&error))
    }

    /// The settings whose value is unknown (known only after apply), in schema order.
    pub fn unknown_settings(&self) -> Vec<&'static str> {
        let value = self.to_value();
        SETTINGS
            .iter()
            .filter(|setting| value.get_attr(setting.name).is_some_and(Value::is_unknown))
            .map(|setting| setting.name)
            .collect()
    }
}

fn wrong_type(error: &ModelError) -> Diagnostics {
    let mut diagnostics = Diagnostics::default();
    if error.path.0.is_empty() {
        diagnostics.error(
            "Invalid provider configuration",
            format!(
                "Expected the provider block as an object, got {}. This is a bug in the \
                 provider or Terraform.",
                error.got
            ),
        );
        return diagnostics;
    }
    let expected = if error.expected.starts_with("a ") {
        error.expected.clone()
    } else {
        format!("a {}", error.expected)
    };
    diagnostics.attribute_error(
        error.path.clone(),
        "Invalid provider attribute type",
        format!("`{}` must be {expected}, got {}.", error.path, error.got),
    );
    diagnostics
}

/// The `provider "genesyscloud"` block's schema: every setting optional, typed as its model
/// field.
pub fn provider_schema() -> Schema {
    let model_type = ProviderConfig::cty_type();
    let types: BTreeMap<String, Type> = model_type.attribute_types().cloned().unwrap_or_default();
    let attributes = SETTINGS
        .iter()
        .map(|setting| {
            let ty = types.get(setting.name).cloned().unwrap_or(Type::Dynamic);
            let attribute =
                Attribute::optional(setting.name, ty).description(setting.description());
            if setting.sensitive {
                attribute.sensitive()
            } else {
                attribute
            }
        })
        .collect();
    Schema {
        version: 0,
        block: Block {
            attributes,
            block_types: Vec::new(),
            description: "The Genesys Cloud provider manages Genesys Cloud configuration \
                          through the Platform API v2. Every setting is optional and falls back \
                          to a `GENESYSCLOUD_*` environment variable; credentials are only \
                          needed once a resource talks to the API."
                .to_string(),
            deprecated: false,
        },
    }
}

/// The attribute path of a setting, for diagnostics.
pub fn setting_path(setting: Setting) -> AttributePath {
    AttributePath::root(setting.name)
}

#[cfg(test)]
mod tests {
    use super::*;
    use tfplugin_framework::TfValue;
    use tfplugin_framework::cty::Refinements;
    use tfplugin_framework::model::{assert_model_matches, assert_round_trips};

    fn object(pairs: &[(&str, Value)]) -> Value {
        Value::Object(
            pairs
                .iter()
                .map(|(k, v)| (k.to_string(), v.clone()))
                .collect(),
        )
    }

    #[test]
    fn the_schema_is_the_models_and_the_settings_follow_its_fields() {
        assert_model_matches::<ProviderConfig>(&provider_schema().value_type());
        let names: Vec<_> = SETTINGS.iter().map(|setting| setting.name).collect();
        assert_eq!(names, ProviderConfig::ATTRIBUTES);
        assert_round_trips(&[
            ProviderConfig::default(),
            ProviderConfig {
                oauthclient_secret: TfValue::Known(Sensitive::new("s".into())),
                token_pool_size: TfValue::unknown(),
                ..ProviderConfig::default()
            },
        ]);
    }

    #[test]
    fn every_attribute_is_optional_and_names_its_env_var() {
        let schema = provider_schema();
        assert_eq!(schema.block.attributes.len(), SETTINGS.len());
        for (attribute, setting) in schema.block.attributes.iter().zip(SETTINGS) {
            assert_eq!(attribute.name, setting.name);
            assert!(attribute.optional && !attribute.required && !attribute.computed);
            assert!(
                attribute.description.contains(setting.env),
                "{} description lacks {}",
                setting.name,
                setting.env
            );
        }
    }

    #[test]
    fn only_secret_and_token_are_sensitive() {
        let sensitive: Vec<_> = provider_schema()
            .block
            .attributes
            .into_iter()
            .filter(|a| a.sensitive)
            .map(|a| a.name)
            .collect();
        assert_eq!(sensitive, ["oauthclient_secret", "access_token"]);
    }

    #[test]
    fn flags_are_bools_pool_and_budget_are_numbers_and_the_rest_strings() {
        for attribute in provider_schema().block.attributes {
            let expected = match attribute.name.as_str() {
                "read_cache" | "adopt_identical_wrapup_codes" => Type::Bool,
                "token_pool_size" | "max_requests_per_minute" | "lag_wait_percent" => Type::Number,
                _ => Type::String,
            };
            assert_eq!(attribute.ty, expected, "{}", attribute.name);
        }
    }

    #[test]
    fn null_and_absent_attributes_are_unset() {
        let config = ProviderConfig::decode_block(&object(&[("aws_region", Value::Null)])).unwrap();
        assert_eq!(config, ProviderConfig::default());
        assert_eq!(
            ProviderConfig::decode_block(&Value::Null).unwrap(),
            ProviderConfig::default()
        );
    }

    #[test]
    fn written_values_are_decoded_per_attribute() {
        let config = ProviderConfig::decode_block(&object(&[
            ("oauthclient_id", Value::String("id".into())),
            ("oauthclient_secret", Value::String("s3cret".into())),
            ("read_cache", Value::Bool(false)),
        ]))
        .unwrap();
        assert_eq!(config.oauthclient_id, TfValue::Known("id".into()));
        assert_eq!(
            config.oauthclient_secret,
            TfValue::Known(Sensitive::new("s3cret".into()))
        );
        assert_eq!(config.read_cache, TfValue::Known(false));
        assert_eq!(config.api_url, TfValue::Null);
        assert!(!format!("{config:?}").contains("s3cret"));
    }

    #[test]
    fn unknown_values_stay_unknown() {
        let config = ProviderConfig::decode_block(&object(&[(
            "api_url",
            Value::Unknown(Refinements::default()),
        )]))
        .unwrap();
        assert!(config.api_url.is_unknown());
        assert_eq!(config.unknown_settings(), ["api_url"]);
        let whole = ProviderConfig::decode_block(&Value::Unknown(Refinements::default())).unwrap();
        assert!(whole.aws_region.is_unknown());
        assert!(whole.read_cache.is_unknown());
        assert_eq!(whole.unknown_settings().len(), SETTINGS.len());
    }

    #[test]
    fn wrong_types_point_at_the_attribute_without_echoing_the_value() {
        let diagnostics =
            ProviderConfig::decode_block(&object(&[("access_token", Value::Bool(true))]))
                .unwrap_err();
        let diagnostic = &diagnostics.0[0];
        assert_eq!(
            diagnostic.attribute,
            Some(AttributePath::root("access_token"))
        );
        assert!(diagnostic.detail.contains("must be a string, got a bool"));
        let secret = ProviderConfig::decode_block(&object(&[(
            "token_pool_size",
            Value::String("hunter2".into()),
        )]))
        .unwrap_err();
        assert!(!format!("{secret:?}").contains("hunter2"), "{secret:?}");
    }

    #[test]
    fn a_non_object_block_is_an_error() {
        assert!(ProviderConfig::decode_block(&Value::Bool(true)).is_err());
    }
}
