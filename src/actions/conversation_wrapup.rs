//! `genesyscloud_conversation_wrapup` action (Terraform 1.14+): applies a wrap-up code to a
//! finished conversation's participant, on demand (`terraform apply -invoke=…`) or from a
//! resource's `action_trigger`, and proves the platform kept it.
//!
//! Same inputs, resolution and read-back verification as the resource of the same name, but
//! nothing is kept in state. Plan checks what it can against the platform (the conversation,
//! the participant, the code); a communication still in progress is only a warning there,
//! since it may have ended by the time the action runs.

use std::sync::Arc;

use async_trait::async_trait;

use crate::platform::ConversationsView;
use crate::platform::wrapup_writer::{
    VERIFY_DELAYS, WrapupError, WrapupEvent, WrapupProgress, apply_wrapup, check_awaiting_wrapup,
    resolve_code, resolve_target,
};
use crate::resources::conversation_wrapup::{
    SchemaKind, WRAPUP_PURPOSE, WrapupDiagnostics, WrapupInputsModel, input_attributes,
    validate_inputs,
};
use crate::resources::support::PlatformDiagnostics;
use tfplugin_framework::cty::Value;
use tfplugin_framework::{
    Action, ActionRequest, Block, Diagnostics, Model, ProgressSink, Schema, Severity,
};

/// The Terraform type name (the same as the resource's).
pub const TYPE_NAME: &str = "genesyscloud_conversation_wrapup";

/// The action.
pub struct ConversationWrapupAction {
    access: ConversationsView,
}

impl ConversationWrapupAction {
    /// The action, reaching the platform through `access`.
    pub fn new(access: ConversationsView) -> Arc<Self> {
        Arc::new(ConversationWrapupAction { access })
    }
}

/// The action's schema: the inputs of its `config {}` block.
pub fn action_schema() -> Schema {
    Schema {
        version: 0,
        block: Block {
            description: format!(
                "{WRAPUP_PURPOSE} Invoke it with \
                 `terraform apply -invoke=action.genesyscloud_conversation_wrapup.NAME` or from \
                 a resource's `lifecycle {{ action_trigger {{ … }} }}`."
            ),
            attributes: input_attributes(SchemaKind::Action),
            ..Block::default()
        },
    }
}

#[async_trait]
impl Action for ConversationWrapupAction {
    fn type_name(&self) -> &'static str {
        TYPE_NAME
    }

    fn schema(&self) -> Schema {
        action_schema()
    }

    async fn validate(&self, config: &Value) -> Diagnostics {
        let mut diagnostics = Diagnostics::default();
        if let Some(config) = WrapupInputsModel::read(config, &mut diagnostics) {
            validate_inputs(&config, &mut diagnostics);
        }
        diagnostics
    }

    async fn plan(&self, request: ActionRequest) -> Diagnostics {
        let mut diagnostics = Diagnostics::default();
        let Some(config) = WrapupInputsModel::read(&request.config, &mut diagnostics) else {
            return diagnostics;
        };
        validate_inputs(&config, &mut diagnostics);
        if diagnostics.has_errors() {
            return diagnostics;
        }
        let Some(spec) = config.desired(&config) else {
            return diagnostics;
        };
        let api = match self.access.get().await {
            Ok(api) => api,
            Err(error) => {
                error.to_diagnostics("reach Genesys Cloud", &mut diagnostics);
                return diagnostics;
            }
        };
        let checked = async {
            let (target, _) = resolve_target(&*api, &spec.target).await?;
            resolve_code(&*api, &target, &spec.code).await?;
            Ok::<_, WrapupError>(check_awaiting_wrapup(&target))
        }
        .await;
        match checked {
            Ok(Ok(())) => {}
            Ok(Err(not_yet)) => {
                for mut diagnostic in not_yet.diagnostics().0 {
                    diagnostic.severity = Severity::Warning;
                    diagnostic.detail.push_str(
                        " The action will fail unless the communication has ended by the time \
                         it runs.",
                    );
                    diagnostics.0.push(diagnostic);
                }
            }
            Err(error) => error.to_diagnostics(&mut diagnostics),
        }
        diagnostics
    }

    async fn invoke(&self, request: ActionRequest, progress: ProgressSink) -> Diagnostics {
        let mut diagnostics = Diagnostics::default();
        let Some(config) = WrapupInputsModel::read(&request.config, &mut diagnostics) else {
            return diagnostics;
        };
        validate_inputs(&config, &mut diagnostics);
        if diagnostics.has_errors() {
            return diagnostics;
        }
        let Some(spec) = config.desired(&config) else {
            diagnostics.error(
                "Wrap-up inputs are not known",
                "Terraform invoked the action with unknown inputs; this is a bug in the \
                 provider or Terraform.",
            );
            return diagnostics;
        };
        let api = match self.access.get().await {
            Ok(api) => api,
            Err(error) => {
                error.to_diagnostics("reach Genesys Cloud", &mut diagnostics);
                return diagnostics;
            }
        };
        match apply_wrapup(
            &*api,
            &spec,
            &VERIFY_DELAYS,
            Some(&progress as &dyn WrapupProgress),
            &request.cancel,
        )
        .await
        {
            Ok(applied) => applied.to_diagnostics(&mut diagnostics),
            Err(error) => error.to_diagnostics(&mut diagnostics),
        }
        diagnostics
    }
}

/// The progress message that shows `event` to the user.
fn progress_message(event: &WrapupEvent) -> String {
    match event {
        WrapupEvent::Resolving { conversation_id } => format!(
            "Resolving conversation {conversation_id}: participant, communication and wrap-up code"
        ),
        WrapupEvent::Resolved {
            participant_id,
            media,
            communication_id,
            code_id,
            code_name,
        } => format!(
            "Resolved participant {participant_id} ({media} communication {communication_id}); \
             wrap-up code {} is ID {code_id}",
            code_name
                .as_deref()
                .map_or_else(|| "(unnamed)".to_owned(), |name| format!("{name:?}")),
        ),
        WrapupEvent::Posting { endpoint } => format!("Posting the wrap-up: {endpoint}"),
        WrapupEvent::Verifying { read_back } => {
            format!("Verifying the platform kept the wrap-up: {read_back}")
        }
        WrapupEvent::Verified {
            participant_id,
            code_id,
        } => format!("Verified: participant {participant_id} holds wrap-up code {code_id}"),
        WrapupEvent::HeldBefore {
            participant_id,
            code_id,
        } => format!(
            "Read back: participant {participant_id} holds wrap-up code {code_id}, as it did \
             before the write; the platform shows no endTime that would prove this write landed"
        ),
        WrapupEvent::PostingAgain { detail } => format!(
            "The wrap-up write's answer was lost ({detail}) and reading it back shows it did not \
             land: posting it again"
        ),
    }
}

/// The action shows each step of a wrap-up as a progress message.
#[async_trait]
impl WrapupProgress for ProgressSink {
    async fn report(&self, event: WrapupEvent) {
        self.progress(progress_message(&event)).await;
    }
}
