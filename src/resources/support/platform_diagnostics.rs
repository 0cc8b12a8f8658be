//! The one place a [`PlatformError`] becomes Terraform diagnostics: a summary saying what was
//! being done, a detail saying what the platform said and what the user can do.

use crate::platform::PlatformError;
use tfplugin_framework::Diagnostics;

/// [`PlatformError`] as Terraform diagnostics; in scope wherever a type reports one.
pub trait PlatformDiagnostics {
    /// Appends the error to `diagnostics`, saying what was being done (`action`).
    fn to_diagnostics(&self, action: &str, diagnostics: &mut Diagnostics);
    /// The diagnostics for this error alone.
    fn diagnostics(&self, action: &str) -> Diagnostics;
}

impl PlatformDiagnostics for PlatformError {
    /// Appends this error to `diagnostics` as an error saying what was being done
    /// (`action`, e.g. "create wrap-up code \"Sale\"") and what the user can do about it.
    fn to_diagnostics(&self, action: &str, diagnostics: &mut Diagnostics) {
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
    fn diagnostics(&self, action: &str) -> Diagnostics {
        let mut diagnostics = Diagnostics::default();
        self.to_diagnostics(action, &mut diagnostics);
        diagnostics
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::platform::ApiFailure;

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
