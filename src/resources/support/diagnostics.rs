//! The one place where platform errors become Terraform diagnostics.

use super::PlatformError;
use crate::tfplugin::Diagnostics;

impl PlatformError {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::resources::support::ApiFailure;

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
