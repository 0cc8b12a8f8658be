//! The platform error: why a call failed, classified for the decisions the Terraform types
//! make. It becomes Terraform diagnostics on the Terraform side, in one place
//! (`resources::support::PlatformDiagnostics`).

use std::fmt;

use genesys_client::{ClientError, LoginError};

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
