//! Why a platform call failed, classified for the decisions the Terraform types make (is it
//! gone, did a create maybe happen, is a name taken). `diagnostics` turns it into what users see.

use std::fmt;

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
    /// Terraform asked the provider to stop before the write was sent: nothing changed.
    Stopped(String),
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
}
