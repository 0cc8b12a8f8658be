//! The platform error: why a call failed, classified for the decisions the Terraform types
//! make, and the one place it becomes Terraform diagnostics.

use std::fmt;

use genesys_client::{ClientError, LoginError};
use tfplugin_framework::Diagnostics;

/// Why a platform call failed, classified for the decisions resources make (is it gone, did a
/// create maybe happen, is a name taken) and for the diagnostics users see.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PlatformError {
    /// No credentials (or an unusable provider configuration): nothing was sent.
    NotConfigured(String),
    /// These provider settings (region, URLs, credentials) are known only after apply, so
    /// the org to call is not known: nothing was sent, nowhere.
    ConfigUnknown(Vec<&'static str>),
    /// 404: the object does not exist (or is not visible to these credentials).
    NotFound(ApiFailure),
    /// 409, or 400 naming a duplicate: the name is taken.
    Conflict(ApiFailure),
    /// The request may or may not have been applied (connection dropped or timed out after
    /// it was sent). Only matters for requests that are not idempotent.
    Ambiguous(String),
    /// Terraform asked the provider to stop before the write was sent: nothing changed.
    Stopped(String),
    /// 400: the platform refused the values sent.
    Invalid(ApiFailure),
    /// 401/403: the credentials are wrong or lack a permission.
    Denied(ApiFailure),
    /// Anything else, after the client's own retries.
    Failed(ApiFailure),
    /// The login host refused the credentials earlier in this process: not asked again. The
    /// first refusal was reported in full; this one only refers to it.
    RefusedEarlier(String),
}

/// What the platform said, kept for the diagnostic's detail.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ApiFailure {
    pub status: Option<u16>,
    pub code: Option<String>,
    pub message: String,
    pub context_id: Option<String>,
    /// What the ErrorBody says the error is about: request fields and entities (boxed to
    /// keep errors small).
    pub subjects: Box<Vec<Subject>>,
}

/// One thing an ErrorBody says an error is about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Subject {
    /// A request field (`details[].fieldName`, `messageParams.field`).
    Field(String),
    /// An entity (`entityId`, `details[].entityId`).
    Entity(String),
}

impl ApiFailure {
    /// Whether the error is about `field` (e.g. `division`) or the entity `value`: a field the
    /// platform named starts with it, the error's entity is `value`, or else the code names
    /// it. The message text decides only when the body had no code at all.
    pub fn concerns(&self, field: &str, value: Option<&str>) -> bool {
        let field = field.to_ascii_lowercase();
        let named = |text: &str| {
            text.to_ascii_lowercase()
                .split(['.', '_', '-', '[', ']'])
                .any(|segment| segment == field || segment.starts_with(&field))
        };
        let about = self.subjects.iter().any(|subject| match subject {
            Subject::Field(name) => named(name),
            Subject::Entity(id) => value.is_some_and(|value| id.eq_ignore_ascii_case(value)),
        });
        if about {
            return true;
        }
        match self.code.as_deref().filter(|code| !code.trim().is_empty()) {
            Some(code) => named(code),
            None => {
                let message = self.message.to_ascii_lowercase();
                message.contains(&field)
                    || value.is_some_and(|value| message.contains(&value.to_ascii_lowercase()))
            }
        }
    }
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
        matches!(self, PlatformError::RefusedEarlier(_))
            || matches!(self, PlatformError::Denied(failure) if failure.status != Some(403))
    }

    /// Appends this error to `diagnostics` as an error saying what was being done
    /// (`action`, e.g. "create wrap-up code \"Sale\"") and what the user can do about it.
    pub fn to_diagnostics(&self, action: &str, diagnostics: &mut Diagnostics) {
        let (summary, detail) = match self {
            PlatformError::NotConfigured(detail) => (
                "Genesys Cloud provider is not configured".to_owned(),
                detail.clone(),
            ),
            PlatformError::ConfigUnknown(settings) => {
                let names = settings
                    .iter()
                    .map(|name| format!("`{name}`"))
                    .collect::<Vec<_>>()
                    .join(", ");
                let (noun, verb) = if settings.len() == 1 {
                    ("setting", "is")
                } else {
                    ("settings", "are")
                };
                (
                    format!("Could not {action}: the provider configuration is not known yet"),
                    format!(
                        "The provider {noun} {names} {verb} known only after apply (set from \
                         another resource), so the provider cannot tell which Genesys Cloud \
                         org to use, and it does not guess one from GENESYSCLOUD_* variables \
                         or defaults: nothing was sent to any org. Apply what the provider \
                         block depends on first (`terraform apply -target=<that resource>`), \
                         then run this plan again. Terraform builds that allow deferral \
                         (`-allow-deferral`) defer this resource instead."
                    ),
                )
            }
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
            PlatformError::Stopped(detail) => (
                format!("Could not {action}: Terraform was interrupted"),
                format!(
                    "{detail}\nTerraform asked the provider to stop before this change was sent, \
                     so the platform is unchanged. Run `terraform apply` again to finish."
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
            PlatformError::RefusedEarlier(detail) => (
                format!("Could not {action}: the credentials were refused (see the first error)"),
                format!(
                    "{detail}. The provider asks the login host once per run; the error naming \
                     the settings to check is reported once."
                ),
            ),
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

/// What an ErrorBody says the error is about.
fn subjects_of(body: &genesys_client::models::ErrorBody) -> Vec<Subject> {
    let params = body
        .message_params
        .iter()
        .flatten()
        .filter(|(key, _)| key.eq_ignore_ascii_case("field"))
        .filter_map(|(_, value)| value.as_str().map(|name| Subject::Field(name.to_owned())));
    let details = body.details.iter().flat_map(|d| {
        let field = d.field_name.clone().map(Subject::Field);
        let entity = d.entity_id.clone().map(Subject::Entity);
        field.into_iter().chain(entity)
    });
    let entity = body.entity_id.clone().map(Subject::Entity);
    params.chain(details).chain(entity).collect()
}

impl From<ClientError> for PlatformError {
    fn from(error: ClientError) -> Self {
        let failure = match error.api_failure() {
            Some(api) => ApiFailure {
                status: Some(api.status),
                code: api.body.as_ref().and_then(|body| body.code.clone()),
                message: format!(
                    "{} {}: {}",
                    api.method,
                    api.route,
                    api.body
                        .as_ref()
                        .and_then(|body| body.summary())
                        .unwrap_or("no error details")
                ),
                context_id: api.correlation_id.clone(),
                subjects: Box::new(api.body.as_ref().map(subjects_of).unwrap_or_default()),
            },
            None => ApiFailure {
                message: error.to_string(),
                ..ApiFailure::default()
            },
        };
        match error {
            ClientError::NotFound(_) => PlatformError::NotFound(failure),
            ClientError::Conflict(_) => PlatformError::Conflict(failure),
            ClientError::BadRequest(_) => PlatformError::Invalid(failure),
            ClientError::Unauthorized { .. }
            | ClientError::Forbidden(_)
            | ClientError::Login(LoginError::Rejected { .. }) => PlatformError::Denied(failure),
            ClientError::Ambiguous { .. } => PlatformError::Ambiguous(error.to_string()),
            ClientError::Interrupted { .. } => PlatformError::Stopped(error.to_string()),
            ClientError::Login(LoginError::RefusedEarlier { .. }) => {
                PlatformError::RefusedEarlier(error.to_string())
            }
            _ => PlatformError::Failed(failure),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn diagnostics_carry_status_code_and_correlation_id() {
        let failure = ApiFailure {
            status: Some(409),
            code: Some("general.conflict".into()),
            message: "name taken".into(),
            context_id: Some("ctx-1".into()),
            ..ApiFailure::default()
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
