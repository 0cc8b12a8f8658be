use std::collections::BTreeMap;

use super::schema::{
    ACCESS_TOKEN, ADOPT_IDENTICAL_WRAPUP_CODES, API_URL, AWS_REGION, LOGIN_URL,
    MAX_REQUESTS_PER_MINUTE, OAUTHCLIENT_ID, OAUTHCLIENT_SECRET, READ_CACHE, Setting,
    TOKEN_POOL_SIZE,
};
use super::secret::Secret;
use tfplugin_framework::Diagnostics;
use tfplugin_framework::cty::{AttributePath, Value};

/// One provider attribute as written in the provider block.
#[derive(Debug, Clone, PartialEq, Default)]
pub enum Field<T> {
    /// Not written (null): the environment variable may supply it.
    #[default]
    Unset,
    /// Not known until apply (depends on another object); skipped by validation.
    Unknown,
    Set(T),
}

impl<T> Field<T> {
    /// The value, when written and known.
    pub fn known(&self) -> Option<&T> {
        match self {
            Field::Set(value) => Some(value),
            Field::Unset | Field::Unknown => None,
        }
    }

    /// True when the attribute is written, known or not.
    pub fn is_written(&self) -> bool {
        !matches!(self, Field::Unset)
    }
}

/// The provider block decoded into typed fields (nothing resolved from the environment yet).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ProviderConfig {
    pub oauthclient_id: Field<String>,
    pub oauthclient_secret: Field<Secret>,
    pub aws_region: Field<String>,
    pub access_token: Field<Secret>,
    pub api_url: Field<String>,
    pub login_url: Field<String>,
    pub read_cache: Field<bool>,
    /// A whole number as written (range checked by validation).
    pub token_pool_size: Field<i64>,
    pub max_requests_per_minute: Field<i64>,
    pub adopt_identical_wrapup_codes: Field<bool>,
}

impl ProviderConfig {
    /// Decodes the provider block's value (an object of the provider schema). A wholly
    /// unknown block makes every field unknown; a null block leaves every field unset.
    pub fn from_value(value: &Value) -> Result<Self, Diagnostics> {
        let attributes = match value {
            Value::Object(attributes) => attributes,
            Value::Null => return Ok(ProviderConfig::default()),
            Value::Unknown(_) => return Ok(ProviderConfig::all_unknown()),
            other => {
                let mut diagnostics = Diagnostics::default();
                diagnostics.error(
                    "Invalid provider configuration",
                    format!(
                        "Expected the provider block as an object, got {}. This is a bug in \
                         the provider or Terraform.",
                        kind_of(other)
                    ),
                );
                return Err(diagnostics);
            }
        };
        let mut diagnostics = Diagnostics::default();
        let config = ProviderConfig {
            oauthclient_id: string_field(attributes, OAUTHCLIENT_ID, &mut diagnostics),
            oauthclient_secret: secret_field(attributes, OAUTHCLIENT_SECRET, &mut diagnostics),
            aws_region: string_field(attributes, AWS_REGION, &mut diagnostics),
            access_token: secret_field(attributes, ACCESS_TOKEN, &mut diagnostics),
            api_url: string_field(attributes, API_URL, &mut diagnostics),
            login_url: string_field(attributes, LOGIN_URL, &mut diagnostics),
            read_cache: bool_field(attributes, READ_CACHE, &mut diagnostics),
            token_pool_size: whole_field(attributes, TOKEN_POOL_SIZE, &mut diagnostics),
            max_requests_per_minute: whole_field(
                attributes,
                MAX_REQUESTS_PER_MINUTE,
                &mut diagnostics,
            ),
            adopt_identical_wrapup_codes: bool_field(
                attributes,
                ADOPT_IDENTICAL_WRAPUP_CODES,
                &mut diagnostics,
            ),
        };
        if diagnostics.has_errors() {
            Err(diagnostics)
        } else {
            Ok(config)
        }
    }

    fn all_unknown() -> Self {
        ProviderConfig {
            oauthclient_id: Field::Unknown,
            oauthclient_secret: Field::Unknown,
            aws_region: Field::Unknown,
            access_token: Field::Unknown,
            api_url: Field::Unknown,
            login_url: Field::Unknown,
            read_cache: Field::Unknown,
            token_pool_size: Field::Unknown,
            max_requests_per_minute: Field::Unknown,
            adopt_identical_wrapup_codes: Field::Unknown,
        }
    }
}

fn string_field(
    attributes: &BTreeMap<String, Value>,
    setting: Setting,
    diagnostics: &mut Diagnostics,
) -> Field<String> {
    match attributes.get(setting.name) {
        None | Some(Value::Null) => Field::Unset,
        Some(Value::Unknown(_)) => Field::Unknown,
        Some(Value::String(text)) => Field::Set(text.clone()),
        Some(other) => {
            wrong_type(setting, "a string", other, diagnostics);
            Field::Unset
        }
    }
}

fn secret_field(
    attributes: &BTreeMap<String, Value>,
    setting: Setting,
    diagnostics: &mut Diagnostics,
) -> Field<Secret> {
    match string_field(attributes, setting, diagnostics) {
        Field::Set(text) => Field::Set(Secret::new(text)),
        Field::Unset => Field::Unset,
        Field::Unknown => Field::Unknown,
    }
}

fn bool_field(
    attributes: &BTreeMap<String, Value>,
    setting: Setting,
    diagnostics: &mut Diagnostics,
) -> Field<bool> {
    match attributes.get(setting.name) {
        None | Some(Value::Null) => Field::Unset,
        Some(Value::Unknown(_)) => Field::Unknown,
        Some(Value::Bool(flag)) => Field::Set(*flag),
        Some(other) => {
            wrong_type(setting, "a bool", other, diagnostics);
            Field::Unset
        }
    }
}

fn whole_field(
    attributes: &BTreeMap<String, Value>,
    setting: Setting,
    diagnostics: &mut Diagnostics,
) -> Field<i64> {
    match attributes.get(setting.name) {
        None | Some(Value::Null) => Field::Unset,
        Some(Value::Unknown(_)) => Field::Unknown,
        Some(Value::Number(number)) => match number.as_i64() {
            Some(whole) => Field::Set(whole),
            None => {
                wrong_type(
                    setting,
                    "a whole number",
                    &Value::Number(number.clone()),
                    diagnostics,
                );
                Field::Unset
            }
        },
        Some(other) => {
            wrong_type(setting, "a whole number", other, diagnostics);
            Field::Unset
        }
    }
}

fn wrong_type(setting: Setting, expected: &str, got: &Value, diagnostics: &mut Diagnostics) {
    diagnostics.attribute_error(
        AttributePath::root(setting.name),
        "Invalid provider attribute type",
        format!(
            "`{}` must be {expected}, got {}.",
            setting.name,
            kind_of(got)
        ),
    );
}

/// Names a value's kind without showing its content (it may be a secret).
fn kind_of(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Unknown(_) => "an unknown value",
        Value::String(_) => "a string",
        Value::Number(_) => "a number",
        Value::Bool(_) => "a bool",
        Value::List(_) => "a list",
        Value::Set(_) => "a set",
        Value::Map(_) => "a map",
        Value::Object(_) => "an object",
        Value::Tuple(_) => "a tuple",
        Value::Dynamic(..) => "a dynamic value",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tfplugin_framework::cty::Refinements;

    fn object(pairs: &[(&str, Value)]) -> Value {
        Value::Object(
            pairs
                .iter()
                .map(|(k, v)| (k.to_string(), v.clone()))
                .collect(),
        )
    }

    #[test]
    fn null_and_absent_attributes_are_unset() {
        let config = ProviderConfig::from_value(&object(&[("aws_region", Value::Null)])).unwrap();
        assert_eq!(config, ProviderConfig::default());
        assert_eq!(
            ProviderConfig::from_value(&Value::Null).unwrap(),
            ProviderConfig::default()
        );
    }

    #[test]
    fn written_values_are_decoded_per_attribute() {
        let config = ProviderConfig::from_value(&object(&[
            ("oauthclient_id", Value::String("id".into())),
            ("oauthclient_secret", Value::String("s3cret".into())),
            ("read_cache", Value::Bool(false)),
        ]))
        .unwrap();
        assert_eq!(config.oauthclient_id, Field::Set("id".into()));
        assert_eq!(config.oauthclient_secret, Field::Set(Secret::new("s3cret")));
        assert_eq!(config.read_cache, Field::Set(false));
        assert_eq!(config.api_url, Field::Unset);
    }

    #[test]
    fn unknown_values_stay_unknown() {
        let config = ProviderConfig::from_value(&object(&[(
            "api_url",
            Value::Unknown(Refinements::default()),
        )]))
        .unwrap();
        assert_eq!(config.api_url, Field::Unknown);
        let whole = ProviderConfig::from_value(&Value::Unknown(Refinements::default())).unwrap();
        assert_eq!(whole.aws_region, Field::Unknown);
        assert_eq!(whole.read_cache, Field::Unknown);
    }

    #[test]
    fn wrong_types_point_at_the_attribute_without_echoing_the_value() {
        let diagnostics =
            ProviderConfig::from_value(&object(&[("access_token", Value::Bool(true))]))
                .unwrap_err();
        let diagnostic = &diagnostics.0[0];
        assert_eq!(
            diagnostic.attribute,
            Some(AttributePath::root("access_token"))
        );
        assert!(diagnostic.detail.contains("must be a string, got a bool"));
    }

    #[test]
    fn a_non_object_block_is_an_error() {
        assert!(ProviderConfig::from_value(&Value::Bool(true)).is_err());
    }
}
