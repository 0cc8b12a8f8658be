//! `genesyscloud_conversation_wrapup`: applies a wrap-up code to a finished conversation's
//! participant and proves the platform kept it.
//!
//! An action-style resource: creating it performs the wrap-up, state records what the platform
//! holds, and destroying it only forgets it (the platform cannot remove a wrap-up). Choices
//! worth knowing:
//! - `wrapup_code_name` is resolved at plan time, among the codes valid for the participant's
//!   queue, to the ID the platform needs; `wrapup_code_id` (optional and computed) records it,
//!   so a configuration that only names the code plans no change once applied.
//! - What plan resolves (participant, communication, media type, code ID, and the wrap-up the
//!   participant held) is carried to apply in private state, so apply only writes and reads
//!   back.
//! - Every write is read back and compared field by field; a platform that answers success but
//!   keeps nothing fails the apply, saying what was sent. When the participant already held
//!   the same values, a moved `endTime` must show the write landed, and where the platform
//!   gives nothing to tell the two apart the apply says so in a warning.
//! - Refresh reconciles with the platform: a wrap-up changed there shows as a change of
//!   `wrapup_code_id` (and of `wrapup_code_name` when the name is used), notes, tags or
//!   duration, and apply restores the configured one; a purged conversation, or a participant
//!   without a wrap-up, leaves state. A duration the configuration does not set is the
//!   platform's to report and never drift.
//! - Changing the code, notes, tags or duration re-applies the wrap-up in place (the platform
//!   takes a new wrap-up for the same communication); a different conversation, participant or
//!   communication is a different wrap-up, so changing those replaces the resource.

use std::sync::Arc;

use async_trait::async_trait;

use crate::platform::ConversationApi;
use crate::platform::ConversationsView;
use crate::platform::wrapup_writer::VERIFY_DELAYS;
use crate::resources::support::PlatformDiagnostics;
use plan::plan_no_notes_or_tags;
use tfplugin_framework::cty::Value;
use tfplugin_framework::{
    ApplyResponse, CreateRequest, DeleteRequest, Diagnostics, Model, PlanRequest, PlanResponse,
    ReadRequest, ReadResponse, Resource, Schema, UpdateRequest,
};

// The parts, in the one order of every type. This file holds the type name and the
// `Resource` impl; import is not offered (a wrap-up has no ID of its own to import by).
mod model; // the resource's model, and the inputs it shares with the action

mod schema; // the resource's attributes and the shared input attributes

mod validate; // the checks of the inputs that need no platform call

mod plan; // resolution at plan time, carried to apply in private state
mod private;

mod apply; // create and update
mod refresh; // read (delete only warns, in this file)

mod diagnostics; // the one mapping of the platform work's errors to diagnostics

#[cfg(test)]
mod tests;

pub use diagnostics::{WrapupDiagnostics, input_attribute, input_named, input_path};
pub use model::{ConversationWrapupModel, WrapupInputsModel};
pub use schema::{SchemaKind, WRAPUP_PURPOSE, input_attributes, resource_schema};
pub use validate::validate_inputs;

/// The Terraform type name, shared by the resource and the action.
pub const TYPE_NAME: &str = "genesyscloud_conversation_wrapup";

/// The managed resource.
pub struct ConversationWrapup {
    access: ConversationsView,
    verify_delays: Vec<std::time::Duration>,
}

impl ConversationWrapup {
    /// The resource, reaching the platform through `access`.
    pub fn new(access: ConversationsView) -> Arc<Self> {
        Arc::new(ConversationWrapup {
            access,
            verify_delays: VERIFY_DELAYS.to_vec(),
        })
    }

    async fn api(&self, diagnostics: &mut Diagnostics) -> Option<Arc<dyn ConversationApi>> {
        match self.access.get().await {
            Ok(api) => Some(api),
            Err(error) => {
                error.to_diagnostics("reach Genesys Cloud", diagnostics);
                None
            }
        }
    }
}

#[async_trait]
impl Resource for ConversationWrapup {
    fn type_name(&self) -> &'static str {
        TYPE_NAME
    }

    fn schema(&self) -> Schema {
        resource_schema()
    }

    async fn validate(&self, config: &Value) -> Diagnostics {
        let mut diagnostics = Diagnostics::default();
        if let Some(config) = ConversationWrapupModel::read(config, &mut diagnostics) {
            validate_inputs(&config.inputs(), &mut diagnostics);
        }
        diagnostics
    }

    async fn modify_plan(&self, request: &PlanRequest, plan: &mut PlanResponse) {
        let diagnostics = &mut plan.diagnostics;
        let (Some(config), Some(mut planned)) = (
            ConversationWrapupModel::read(&request.config, diagnostics),
            ConversationWrapupModel::read(&plan.planned_state, diagnostics),
        ) else {
            return;
        };
        let prior = match &request.prior_state {
            Some(prior) => match ConversationWrapupModel::read(prior, diagnostics) {
                Some(prior) => Some(prior),
                None => return,
            },
            None => None,
        };
        let normalised = plan_no_notes_or_tags(&config, prior.as_ref(), &mut planned);
        // Terraform 1.16+ hands the apply's plan what the first plan resolved.
        let first_plan = request.planned_private.as_deref().and_then(private::load);
        let changed = match &prior {
            None => {
                self.plan_create(&config, &mut planned, plan, first_plan)
                    .await
            }
            Some(prior) => self.plan_update(prior, &config, &mut planned, plan).await,
        };
        if changed || normalised {
            plan.planned_state = planned.to_value();
        }
    }

    async fn create(&self, request: CreateRequest, response: &mut ApplyResponse) {
        let (Some(config), Some(planned)) = (
            ConversationWrapupModel::read(&request.config, &mut response.diagnostics),
            ConversationWrapupModel::read(&request.planned_state, &mut response.diagnostics),
        ) else {
            return;
        };
        let private = request.planned_private;
        self.apply(&planned, &config, &private, &request.cancel, response)
            .await;
        response.private = private::without(&private);
    }

    async fn read(&self, request: ReadRequest, response: &mut ReadResponse) {
        let Some(current) =
            ConversationWrapupModel::read(&request.current_state, &mut response.diagnostics)
        else {
            return;
        };
        let Some(api) = self.api(&mut response.diagnostics).await else {
            return;
        };
        match refresh::reconcile(&*api, &current).await {
            Ok(Some(state)) => response.new_state = state.to_value(),
            Ok(None) => response.remove(),
            Err(error) => error.to_diagnostics(&mut response.diagnostics),
        }
    }

    async fn update(&self, request: UpdateRequest, response: &mut ApplyResponse) {
        let (Some(config), Some(planned)) = (
            ConversationWrapupModel::read(&request.config, &mut response.diagnostics),
            ConversationWrapupModel::read(&request.planned_state, &mut response.diagnostics),
        ) else {
            return;
        };
        let private = request.planned_private;
        self.apply(&planned, &config, &private, &request.cancel, response)
            .await;
        response.private = private::without(&private);
    }

    async fn delete(&self, request: DeleteRequest) -> Diagnostics {
        let mut diagnostics = Diagnostics::default();
        let state = ConversationWrapupModel::from_value(&request.prior_state).unwrap_or_default();
        diagnostics.warning(
            "The wrap-up stays on the conversation",
            format!(
                "Genesys Cloud cannot remove a wrap-up, so destroying this resource only removes \
                 it from Terraform state. Participant {} of conversation {} keeps wrap-up code \
                 {}.",
                state.participant_id.as_str().unwrap_or("(unknown)"),
                state.conversation_id.as_str().unwrap_or("(unknown)"),
                state.wrapup_code_id.as_str().unwrap_or("(unknown)"),
            ),
        );
        diagnostics
    }
}
