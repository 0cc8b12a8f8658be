//! Create and update: the planned wrap-up posted and proven below the seam, and state set to
//! what the platform holds (a write that landed but could not be read back stays in state,
//! with a warning, for the next refresh to check).

use super::ConversationWrapup;
use super::diagnostics::WrapupDiagnostics;
use super::model::ConversationWrapupModel;
use super::private::{self, Planned, carries};
use crate::platform::PlatformError;
use crate::platform::wrapup_writer::{
    Applied, Resolution, WrapupError, apply_resolved, apply_wrapup, endpoint_for, resolve_code,
};
use tfplugin_framework::cty::Value;
use tfplugin_framework::{ApplyResponse, CancellationToken, Diagnostics, Model};

pub(super) fn state_id(conversation_id: &str, participant_id: &str) -> String {
    format!("{conversation_id}/{participant_id}")
}

/// `planned` with what the apply resolved and verified.
fn applied_state(planned: &ConversationWrapupModel, applied: &Applied) -> Value {
    let target = &applied.target;
    let code_id = match planned.wrapup_code_id.as_str() {
        Some(planned_id) => planned_id.to_owned(),
        None => applied.code.id.clone(),
    };
    ConversationWrapupModel {
        id: state_id(&target.conversation_id, &target.participant_id).into(),
        participant_id: target.participant_id.clone().into(),
        communication_id: target.communication_id.clone().into(),
        media_type: target.media.to_string().into(),
        wrapup_code_id: code_id.into(),
        applied_at: applied.applied_at.clone().into(),
        ..planned.clone()
    }
    .to_value()
}

impl ConversationWrapup {
    /// Applies the planned wrap-up, with what plan resolved when `private` carries it (else
    /// resolving it now), and records in `response` what the platform holds: the applied
    /// wrap-up once read back; a wrap-up whose write landed but could not be read back, with
    /// a warning (the next refresh checks it); otherwise the state as it was, with the error.
    pub(super) async fn apply(
        &self,
        planned: &ConversationWrapupModel,
        config: &ConversationWrapupModel,
        private: &[u8],
        cancel: &CancellationToken,
        response: &mut ApplyResponse,
    ) {
        let diagnostics = &mut response.diagnostics;
        let Some(desired) = planned.inputs().desired(&config.inputs()) else {
            diagnostics.error(
                "Wrap-up inputs are not known",
                "Terraform sent unknown or invalid inputs at apply time; this is a bug in the \
                 provider.",
            );
            return;
        };
        let Some(api) = self.api(diagnostics).await else {
            return;
        };
        let delays = &self.verify_delays;
        let applied =
            match private::load(private).filter(|carried| carries(carried, &desired.target)) {
                Some(Planned {
                    target,
                    code,
                    before,
                }) => {
                    let code = code.filter(|code| {
                        desired
                            .code
                            .id
                            .as_deref()
                            .is_some_and(|id| id.eq_ignore_ascii_case(&code.id))
                    });
                    let code = match code {
                        Some(code) => Ok(code),
                        // Plan could not resolve the code (its ID was unknown then): check it now.
                        None => resolve_code(&*api, &target, &desired.code).await,
                    };
                    match code {
                        Ok(code) => {
                            let resolution = Resolution {
                                target,
                                code,
                                before,
                            };
                            apply_resolved(&*api, &desired, resolution, delays, None, cancel).await
                        }
                        Err(error) => Err(error),
                    }
                }
                None => apply_wrapup(&*api, &desired, delays, None, cancel).await,
            };
        match applied {
            Ok(applied) => {
                applied.to_diagnostics(&mut response.diagnostics);
                response.new_state = applied_state(planned, &applied);
            }
            Err(WrapupError::Unverified {
                written,
                post_answered,
                action,
                error,
            }) => {
                // The write may have landed: state keeps it, and the next refresh checks it.
                response.new_state = applied_state(planned, &written);
                unverified(
                    &written,
                    post_answered,
                    &action,
                    *error,
                    &mut response.diagnostics,
                );
            }
            Err(error) => error.to_diagnostics(&mut response.diagnostics),
        }
    }
}

/// Reports a wrap-up kept in state although reading it back failed: a warning when the
/// platform answered the write with success, the read's error when the answer was lost.
fn unverified(
    written: &Applied,
    post_answered: bool,
    action: &str,
    error: PlatformError,
    diagnostics: &mut Diagnostics,
) {
    if !post_answered {
        return WrapupError::platform(action, error).to_diagnostics(diagnostics);
    }
    let mut failed = Diagnostics::default();
    WrapupError::platform(action, error).to_diagnostics(&mut failed);
    let why = failed
        .0
        .iter()
        .map(|diagnostic| format!("{}: {}", diagnostic.summary, diagnostic.detail))
        .collect::<Vec<_>>()
        .join("\n");
    diagnostics.warning(
        "The wrap-up was posted but could not be read back",
        format!(
            "The platform answered the wrap-up write ({}) with success, but it could not be \
             read back to verify it:\n{why}\nThe wrap-up is recorded in state as sent \
             (participant {}, wrap-up code {}); the next refresh reads it again, and shows any \
             difference as a change to apply.",
            endpoint_for(&written.target),
            written.target.participant_id,
            written.code.id
        ),
    );
}
