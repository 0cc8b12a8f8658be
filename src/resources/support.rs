//! What resource, data source and list types share: the wrap-up code view of the platform they
//! are written against, the one place where platform errors become Terraform diagnostics, and
//! small helpers to read attributes out of cty values.

use std::collections::BTreeMap;
use std::fmt;

use async_trait::async_trait;

use crate::cty::{AttributePath, Value};
use crate::genesys::read_cache::Cacheable;
use crate::tfplugin::Diagnostics;

/// A wrap-up code as the Terraform types see it. `description` is `None` when the platform
/// holds none or an empty one: the two are the same thing to users.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WrapupCode {
    pub id: String,
    pub name: String,
    pub division_id: Option<String>,
    pub description: Option<String>,
}

impl Cacheable for WrapupCode {
    fn cache_id(&self) -> &str {
        &self.id
    }
}

/// What create and update send: `division_id: None` lets the platform pick the home division.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WrapupCodeInput {
    pub name: String,
    pub division_id: Option<String>,
    pub description: Option<String>,
}

/// Why a platform call failed, classified for the decisions resources make (is it gone, did a
/// create maybe happen, is a name taken) and for the diagnostics users see.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PlatformError {
    /// No credentials (or an unusable provider configuration): nothing was sent.
    NotConfigured(String),
    /// 404: the object does not exist (or is not visible to these credentials).
    NotFound(ApiFailure),
    /// 409, or 400 naming a duplicate: the name is taken.
    Conflict(ApiFailure),
    /// The request may or may not have been applied (connection dropped or timed out after
    /// it was sent). Only matters for requests that are not idempotent.
    Ambiguous(String),
    /// 400: the platform refused the values sent.
    Invalid(ApiFailure),
    /// 401/403: the credentials are wrong or lack a permission.
    Denied(ApiFailure),
    /// Anything else, after the client's own retries.
    Failed(ApiFailure),
}

/// What the platform said, kept for the diagnostic's detail.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ApiFailure {
    pub status: Option<u16>,
    pub code: Option<String>,
    pub message: String,
    pub context_id: Option<String>,
}

impl fmt::Display for ApiFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(status) = self.status {
            write!(f, "HTTP {status}")?;
            if let Some(code) = &self.code {
                write!(f, " ({code})")?;
            }
            write!(f, ": ")?;
        }
        write!(f, "{}", self.message)?;
        if let Some(context_id) = &self.context_id {
            write!(f, " [correlation id {context_id}]")?;
        }
        Ok(())
    }
}

impl PlatformError {
    /// A refusal of the credentials themselves: a 401, or the login host refusing the client
    /// (no API status). A 403 is the role lacking a permission instead.
    pub fn refused_credentials(&self) -> bool {
        matches!(self, PlatformError::Denied(failure) if failure.status != Some(403))
    }

    /// Appends this error to `diagnostics` as an error saying what was being done
    /// (`action`, e.g. "create wrap-up code \"Sale\"") and what the user can do about it.
    pub fn to_diagnostics(&self, action: &str, diagnostics: &mut Diagnostics) {
        let (summary, detail) = match self {
            PlatformError::NotConfigured(detail) => (
                "Genesys Cloud provider is not configured".to_owned(),
                detail.clone(),
            ),
            PlatformError::NotFound(failure) => (
                format!("Could not {action}: not found"),
                format!(
                    "{failure}\nThe object does not exist, or these credentials cannot see it \
                     (check the OAuth client's divisions)."
                ),
            ),
            PlatformError::Conflict(failure) => {
                (format!("Could not {action}: conflict"), failure.to_string())
            }
            PlatformError::Ambiguous(detail) => (
                format!("Could not {action}: the outcome is unknown"),
                format!(
                    "{detail}\nThe request was sent but no answer came back, so it may or may \
                     not have been applied. Run `terraform plan` to see the platform's state."
                ),
            ),
            PlatformError::Invalid(failure) => (
                format!("Could not {action}: the platform refused the values"),
                failure.to_string(),
            ),
            PlatformError::Denied(failure) if self.refused_credentials() => (
                format!("Could not {action}: the credentials were refused"),
                format!(
                    "{failure}\nCheck oauthclient_id and oauthclient_secret (or their \
                     GENESYSCLOUD_* variables) and the region; an access_token may have expired \
                     or belong to another region."
                ),
            ),
            PlatformError::Denied(failure) => (
                format!("Could not {action}: access denied"),
                format!(
                    "{failure}\nCheck that the OAuth client's role grants the routing wrap-up \
                     code permissions (view, add, edit, delete) in the code's division."
                ),
            ),
            PlatformError::Failed(failure) => (format!("Could not {action}"), failure.to_string()),
        };
        diagnostics.error(summary, detail);
    }

    /// The diagnostics for this error alone.
    pub fn diagnostics(&self, action: &str) -> Diagnostics {
        let mut diagnostics = Diagnostics::default();
        self.to_diagnostics(action, &mut diagnostics);
        diagnostics
    }
}

/// The wrap-up code operations the Terraform types need, implemented over the API client
/// (see `provider::client`). A seam so the types' decisions can be tested without a network.
#[async_trait]
pub trait WrapupCodeApi: Send + Sync {
    /// Every code, all pages at the largest page size.
    async fn list_all(&self) -> Result<Vec<WrapupCode>, PlatformError>;
    /// Codes the platform's name search returns for `name` (may be partial or case
    /// insensitive: callers filter for the exact match they need).
    async fn search_by_name(&self, name: &str) -> Result<Vec<WrapupCode>, PlatformError>;
    /// Codes in one division, optionally narrowed by the platform's name search.
    async fn list_filtered(
        &self,
        name: Option<&str>,
        division_id: Option<&str>,
    ) -> Result<Vec<WrapupCode>, PlatformError>;
    async fn get(&self, id: &str) -> Result<Option<WrapupCode>, PlatformError>;
    /// POST: never replayed by the client; a dropped answer is [`PlatformError::Ambiguous`].
    async fn create(&self, input: &WrapupCodeInput) -> Result<WrapupCode, PlatformError>;
    async fn update(&self, id: &str, input: &WrapupCodeInput) -> Result<WrapupCode, PlatformError>;
    /// Ok(false) when the code was already gone.
    async fn delete(&self, id: &str) -> Result<bool, PlatformError>;
    /// The org's home division, where codes created without a division land.
    async fn home_division_id(&self) -> Result<String, PlatformError>;
}

/// A top-level attribute of a configuration, plan or state object.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Attr<'a> {
    Null,
    Unknown,
    Known(&'a Value),
}

/// Reads top-level attribute `name` of an object value (null if the value is not an object).
pub fn attr<'a>(object: &'a Value, name: &str) -> Attr<'a> {
    match object {
        Value::Object(attributes) => match attributes.get(name) {
            None | Some(Value::Null) => Attr::Null,
            Some(Value::Unknown(_)) => Attr::Unknown,
            Some(value) => Attr::Known(value),
        },
        Value::Unknown(_) => Attr::Unknown,
        _ => Attr::Null,
    }
}

/// Reads a known string attribute; `None` when null, unknown or not a string (as
/// [`Value::attr_str`], in the free-function form the resources use alongside [`attr`]).
pub fn attr_str<'a>(object: &'a Value, name: &str) -> Option<&'a str> {
    object.attr_str(name)
}

/// Reads a known bool attribute (as [`Value::attr_bool`]).
pub fn attr_bool(object: &Value, name: &str) -> Option<bool> {
    object.attr_bool(name)
}

/// Sets a top-level attribute of an object value; a non-object value becomes an object.
pub fn set_attr(object: &mut Value, name: &str, value: Value) {
    if !matches!(object, Value::Object(_)) {
        *object = Value::Object(BTreeMap::new());
    }
    if let Value::Object(attributes) = object {
        attributes.insert(name.to_owned(), value);
    }
}

/// A string value, or null for `None`.
pub fn string_or_null(text: Option<&str>) -> Value {
    text.map_or(Value::Null, |text| Value::String(text.to_owned()))
}

/// An object value from `(name, value)` pairs.
pub fn object<const N: usize>(pairs: [(&str, Value); N]) -> Value {
    Value::Object(
        pairs
            .into_iter()
            .map(|(name, value)| (name.to_owned(), value))
            .collect(),
    )
}

/// The path of a top-level attribute.
pub fn path(name: &str) -> AttributePath {
    AttributePath::root(name)
}

/// True for the canonical 8-4-4-4-12 hex UUID form the platform uses for IDs.
pub fn is_uuid(text: &str) -> bool {
    let groups: Vec<&str> = text.split('-').collect();
    groups.len() == 5
        && groups
            .iter()
            .zip([8, 4, 4, 4, 12])
            .all(|(group, len)| group.len() == len && group.chars().all(|c| c.is_ascii_hexdigit()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cty::Refinements;

    #[test]
    fn uuid_check_accepts_only_the_canonical_form() {
        assert!(is_uuid("3fa85f64-5717-4562-b3fc-2c963f66afa6"));
        assert!(is_uuid("3FA85F64-5717-4562-B3FC-2C963F66AFA6"));
        assert!(!is_uuid("3fa85f6457174562b3fc2c963f66afa6"));
        assert!(!is_uuid("3fa85f64-5717-4562-b3fc-2c963f66afa"));
        assert!(!is_uuid("zfa85f64-5717-4562-b3fc-2c963f66afa6"));
        assert!(!is_uuid(""));
    }

    #[test]
    fn attributes_read_as_null_unknown_or_known() {
        let value = object([
            ("a", Value::String("x".into())),
            ("b", Value::Null),
            ("c", Value::Unknown(Refinements::default())),
        ]);
        assert_eq!(attr_str(&value, "a"), Some("x"));
        assert_eq!(attr(&value, "b"), Attr::Null);
        assert_eq!(attr(&value, "missing"), Attr::Null);
        assert_eq!(attr(&value, "c"), Attr::Unknown);
        assert_eq!(attr_str(&value, "c"), None);
    }

    #[test]
    fn diagnostics_carry_status_code_and_correlation_id() {
        let failure = ApiFailure {
            status: Some(409),
            code: Some("general.conflict".into()),
            message: "name taken".into(),
            context_id: Some("ctx-1".into()),
        };
        let diagnostics = PlatformError::Conflict(failure).diagnostics("create x");
        let diagnostic = &diagnostics.0[0];
        assert_eq!(diagnostic.summary, "Could not create x: conflict");
        assert_eq!(
            diagnostic.detail,
            "HTTP 409 (general.conflict): name taken [correlation id ctx-1]"
        );
    }
}
