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

use super::wrapup_apply::{
    Applied, CodeChoice, CodeGivenBy, ConversationApi, ConversationsView, DesiredWrapup,
    Resolution, ResolvedCode, SchemaKind, Target, TargetChoice, VERIFY_DELAYS, WrapupError,
    apply_resolved, apply_wrapup, before_in, check_awaiting_wrapup, endpoint_for, input_attributes,
    resolve_code, resolve_target, validate_inputs,
};
use crate::resources::support::PlatformDiagnostics;
use crate::resources::support::PlatformError;
use genesys_client::models::AssignedWrapupCode;
use tfplugin_framework::CancellationToken;
use tfplugin_framework::cty::{AttributePath, Type, Value};
use tfplugin_framework::{
    ApplyResponse, Attribute, Block, CreateRequest, DeleteRequest, Diagnostics, Model, PlanRequest,
    PlanResponse, ReadRequest, ReadResponse, Resource, Schema, TfValue, UpdateRequest,
};
use tfplugin_framework::{attr_name, attr_path};

mod model;
mod private;
mod refresh;
#[cfg(test)]
mod tests;

pub use model::ConversationWrapupModel;
use private::Planned;

/// The Terraform type name, shared by the resource and the action.
pub const TYPE_NAME: &str = "genesyscloud_conversation_wrapup";

/// An input of the model.
type Input = fn(&ConversationWrapupModel) -> &TfValue<String>;

/// Inputs whose change means another wrap-up (replace), not a new one for the same target.
fn replacing() -> [(AttributePath, Input); 3] {
    [
        (
            attr_path!(ConversationWrapupModel.conversation_id),
            |model| &model.conversation_id,
        ),
        (
            attr_path!(ConversationWrapupModel.participant_id),
            |model| &model.participant_id,
        ),
        (
            attr_path!(ConversationWrapupModel.communication_id),
            |model| &model.communication_id,
        ),
    ]
}

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

/// The resource schema.
pub fn resource_schema() -> Schema {
    let mut attributes = vec![
        Attribute::computed(attr_name!(ConversationWrapupModel.id), Type::String)
            .description("`<conversation_id>/<participant_id>` of the wrapped-up participant."),
    ];
    attributes.extend(input_attributes(SchemaKind::Resource));
    attributes.push(
        Attribute::computed(attr_name!(ConversationWrapupModel.media_type), Type::String)
            .description(
                "Media type of the communication, as in the wrap-up endpoint's path: `calls`, \
         `callbacks`, `chats`, `emails`, `messages`, ….",
            ),
    );
    attributes.push(
        Attribute::computed(attr_name!(ConversationWrapupModel.applied_at), Type::String)
            .description(
                "When the provider last applied the wrap-up and read it back from the platform \
         (RFC 3339, UTC).",
            ),
    );
    Schema {
        version: 0,
        block: Block {
            description: "Applies a wrap-up code to a participant of a finished conversation and \
                          proves the platform kept it: the code name is resolved to its ID, the \
                          wrap-up is posted to the conversation's media endpoint and read back. \
                          Refresh shows a wrap-up changed on the platform as drift. Destroying \
                          only removes it from state: Genesys Cloud cannot remove a wrap-up."
                .into(),
            attributes,
            ..Block::default()
        },
    }
}

fn state_id(conversation_id: &str, participant_id: &str) -> String {
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

/// "No notes" and "no tags" have one form each, `""` and `[]`, so omitted, `null` and empty
/// never differ (Terraform lets a provider keep the prior value of a configured attribute
/// only when that value is not null). A prior null (state from before that rule, not yet
/// refreshed) stays null while the configuration omits it. True when `planned` changed.
fn plan_no_notes_or_tags(
    config: &ConversationWrapupModel,
    prior: Option<&ConversationWrapupModel>,
    planned: &mut ConversationWrapupModel,
) -> bool {
    let before = (planned.notes.clone(), planned.tags.clone());
    if config.notes.is_null() {
        planned.notes = match prior {
            Some(prior) if prior.notes.is_null() => TfValue::Null,
            _ => TfValue::Known(String::new()),
        };
    }
    if config.tags.is_null() {
        planned.tags = match prior {
            Some(prior) if prior.tags.is_null() => TfValue::Null,
            _ => TfValue::Known(Vec::new()),
        };
    }
    (planned.notes.clone(), planned.tags.clone()) != before
}

/// `model` without `applied_at`, to tell whether a plan changes anything the user controls.
fn without_applied_at(model: &ConversationWrapupModel) -> ConversationWrapupModel {
    ConversationWrapupModel {
        applied_at: TfValue::Null,
        ..model.clone()
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

/// Whether a plan-time code error may be fixed by the same apply: a code given by ID that
/// exists in the org but is not on the participant's queue yet. Another resource (a
/// `genesyscloud_routing_queue_wrapupcodes`, or a queue managed elsewhere) may assign it
/// before this wrap-up is applied, which the provider cannot see from here; the apply checks
/// again and fails with the same message if the code is still not assigned.
fn assignable_later(error: &WrapupError) -> bool {
    matches!(
        error,
        WrapupError::CodeNotAllowed {
            choice: CodeGivenBy::Id,
            ..
        }
    )
}

/// Reports a code error the apply may still overcome as a warning on its attribute.
fn plan_warning(error: &WrapupError, diagnostics: &mut Diagnostics) {
    let mut found = Diagnostics::default();
    error.to_diagnostics(&mut found);
    for diagnostic in found.0 {
        let detail = format!(
            "{} The apply checks again: it succeeds if the code is assigned to the queue earlier \
             in the same apply, for example by genesyscloud_routing_queue_wrapupcodes.",
            diagnostic.detail
        );
        match diagnostic.attribute {
            Some(path) => diagnostics.attribute_warning(path, diagnostic.summary, detail),
            None => diagnostics.warning(diagnostic.summary, detail),
        }
    }
}

impl ConversationWrapup {
    /// A create plan: when the inputs are known, resolves the participant, communication and
    /// code now, so the plan shows them and an impossible wrap-up fails before apply. The plan
    /// Terraform makes again to apply takes what `first_plan` resolved for the same target
    /// instead (Terraform 1.16+), reading nothing. True when `planned` changed.
    async fn plan_create(
        &self,
        config: &ConversationWrapupModel,
        planned: &mut ConversationWrapupModel,
        plan: &mut PlanResponse,
        first_plan: Option<Planned>,
    ) -> bool {
        let inputs = config.inputs();
        let spec = DesiredWrapup::from_inputs(&inputs, &inputs);
        // The target is resolved and checked even while the code (or notes, tags...) is not
        // known yet, e.g. the ID of a code created in the same apply.
        let Some(target_spec) = TargetChoice::from_inputs(&inputs, &inputs) else {
            return false;
        };
        let Some(api) = self.api(&mut plan.diagnostics).await else {
            return false;
        };
        let first_plan = first_plan.filter(|first| carries(first, &target_spec));
        let resolved = async {
            let (target, before, first_code) = match first_plan {
                // The first plan resolved and checked this target; the apply checks the write.
                Some(Planned {
                    target,
                    code,
                    before,
                }) => (target, before, code),
                None => {
                    let (target, conversation) = resolve_target(&*api, &target_spec).await?;
                    check_awaiting_wrapup(&target)?;
                    let before = before_in(&conversation, &target.participant_id);
                    (target, before, None)
                }
            };
            let code = match &spec {
                Some(spec) => match first_code.filter(|code| chosen(code, &spec.code)) {
                    Some(code) => Some(code),
                    None => match resolve_code(&*api, &target, &spec.code).await {
                        Ok(code) => Some(code),
                        Err(error) if assignable_later(&error) => {
                            plan_warning(&error, &mut plan.diagnostics);
                            None
                        }
                        Err(error) => return Err(error),
                    },
                },
                None => None,
            };
            Ok::<_, WrapupError>(Planned {
                target,
                code,
                before,
            })
        }
        .await;
        match resolved {
            Ok(resolved) => {
                plan.planned_private = private::store(&plan.planned_private, &resolved);
                let Planned { target, code, .. } = resolved;
                planned.id = state_id(&target.conversation_id, &target.participant_id).into();
                planned.participant_id = target.participant_id.into();
                planned.communication_id = target.communication_id.into();
                planned.media_type = target.media.to_string().into();
                if let Some(code) = code
                    && config.wrapup_code_id.is_null()
                {
                    planned.wrapup_code_id = code.id.into();
                }
                true
            }
            Err(error) => {
                error.to_diagnostics(&mut plan.diagnostics);
                false
            }
        }
    }

    /// An update plan: replaces for a different target; otherwise resolves a changed code
    /// name to its ID and marks `applied_at` as changing whenever the wrap-up is re-applied.
    /// True when `planned` changed.
    async fn plan_update(
        &self,
        prior: &ConversationWrapupModel,
        config: &ConversationWrapupModel,
        planned: &mut ConversationWrapupModel,
        plan: &mut PlanResponse,
    ) -> bool {
        for (path, input) in replacing() {
            if !input(config).is_null() && input(planned) != input(prior) {
                plan.requires_replace.push(path);
            }
        }
        if !plan.requires_replace.is_empty() {
            return false;
        }
        let before = planned.clone();
        let new_code_id = config.wrapup_code_name.is_null()
            && config
                .wrapup_code_id
                .as_str()
                .is_some_and(|id| prior.wrapup_code_id.as_str() != Some(id));
        let resolved = match &config.wrapup_code_name {
            TfValue::Unknown(_) => {
                planned.wrapup_code_id = TfValue::unknown();
                None
            }
            TfValue::Known(name)
                if prior.wrapup_code_name.as_str() != Some(name.as_str())
                    || prior.wrapup_code_id.as_str().is_none() =>
            {
                self.plan_code(config, planned, plan, true).await
            }
            // A new code ID is checked against the queue now, as a new name is.
            _ if new_code_id => self.plan_code(config, planned, plan, false).await,
            _ => None,
        };
        if without_applied_at(planned) != without_applied_at(prior) {
            planned.applied_at = TfValue::unknown();
            if let Some(resolved) = resolved.or_else(|| carried_from_state(prior, planned, config))
            {
                plan.planned_private = private::store(&plan.planned_private, &resolved);
            }
        }
        *planned != before
    }

    /// Resolves the configured code (by name when `by_name`, else the configured ID) for the
    /// participant in state; what it resolved, for apply, when it could.
    async fn plan_code(
        &self,
        config: &ConversationWrapupModel,
        planned: &mut ConversationWrapupModel,
        plan: &mut PlanResponse,
        by_name: bool,
    ) -> Option<Planned> {
        let lookup = ConversationWrapupModel {
            wrapup_code_id: if by_name {
                TfValue::Null
            } else {
                planned.wrapup_code_id.clone()
            },
            ..planned.clone()
        };
        let Some(spec) = DesiredWrapup::from_inputs(&lookup.inputs(), &config.inputs()) else {
            if by_name {
                planned.wrapup_code_id = TfValue::unknown();
            }
            return None;
        };
        let api = self.api(&mut plan.diagnostics).await?;
        let resolved = async {
            let (target, conversation) = resolve_target(&*api, &spec.target).await?;
            let code = resolve_code(&*api, &target, &spec.code).await?;
            let before = before_in(&conversation, &target.participant_id);
            Ok::<_, WrapupError>(Planned {
                target,
                code: Some(code),
                before,
            })
        }
        .await;
        match resolved {
            Ok(resolved) => {
                if let Some(code) = &resolved.code {
                    planned.wrapup_code_id = code.id.clone().into();
                }
                Some(resolved)
            }
            Err(error) if assignable_later(&error) => {
                // As for a create: the same apply may assign the new code to the queue.
                plan_warning(&error, &mut plan.diagnostics);
                None
            }
            Err(WrapupError::ConversationNotFound { .. }) => {
                // Purged since the last refresh; apply will say so if it still is.
                if by_name {
                    planned.wrapup_code_id = TfValue::unknown();
                }
                None
            }
            Err(error) => {
                error.to_diagnostics(&mut plan.diagnostics);
                None
            }
        }
    }

    /// Applies the planned wrap-up, with what plan resolved when `private` carries it (else
    /// resolving it now), and records in `response` what the platform holds: the applied
    /// wrap-up once read back; a wrap-up whose write landed but could not be read back, with
    /// a warning (the next refresh checks it); otherwise the state as it was, with the error.
    async fn apply(
        &self,
        planned: &ConversationWrapupModel,
        config: &ConversationWrapupModel,
        private: &[u8],
        cancel: &CancellationToken,
        response: &mut ApplyResponse,
    ) {
        let diagnostics = &mut response.diagnostics;
        let Some(spec) = DesiredWrapup::from_inputs(&planned.inputs(), &config.inputs()) else {
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
        let applied = match private::load(private).filter(|carried| carries(carried, &spec.target))
        {
            Some(Planned {
                target,
                code,
                before,
            }) => {
                let code = code.filter(|code| {
                    spec.code
                        .id
                        .as_deref()
                        .is_some_and(|id| id.eq_ignore_ascii_case(&code.id))
                });
                let code = match code {
                    Some(code) => Ok(code),
                    // Plan could not resolve the code (its ID was unknown then): check it now.
                    None => resolve_code(&*api, &target, &spec.code).await,
                };
                match code {
                    Ok(code) => {
                        let resolution = Resolution {
                            target,
                            code,
                            before,
                        };
                        apply_resolved(&*api, &spec, resolution, delays, None, cancel).await
                    }
                    Err(error) => Err(error),
                }
            }
            None => apply_wrapup(&*api, &spec, delays, None, cancel).await,
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

/// Whether `carried` is the resolution of `spec` (it always is, unless Terraform hands apply
/// private state from another plan).
fn carries(carried: &Planned, spec: &TargetChoice) -> bool {
    let target = &carried.target;
    let same = |given: &Option<String>, resolved: &str| {
        given
            .as_deref()
            .is_none_or(|given| given.eq_ignore_ascii_case(resolved))
    };
    target
        .conversation_id
        .eq_ignore_ascii_case(&spec.conversation_id)
        && same(&spec.participant_id, &target.participant_id)
        && same(&spec.communication_id, &target.communication_id)
}

/// Whether `code`, resolved by an earlier plan, is the one `choice` names: the same ID, or
/// (by name) the same exact name.
fn chosen(code: &ResolvedCode, choice: &CodeChoice) -> bool {
    match (&choice.id, &choice.name) {
        (Some(id), _) => id.eq_ignore_ascii_case(&code.id),
        (None, Some(name)) => code.name.as_deref() == Some(name.as_str()),
        (None, None) => false,
    }
}

/// The attribute that selected the communication, as resolution names it.
fn selected_by(config: &ConversationWrapupModel) -> AttributePath {
    if !config.communication_id.is_null() {
        attr_path!(ConversationWrapupModel.communication_id)
    } else if !config.participant_id.is_null() {
        attr_path!(ConversationWrapupModel.participant_id)
    } else {
        attr_path!(ConversationWrapupModel.conversation_id)
    }
}

/// What an update re-applies, from the refreshed state alone (no call needed): the target in
/// state, the planned code, and the wrap-up state says the participant holds (without an end
/// time, which apply reads first only if the values sent equal these).
fn carried_from_state(
    prior: &ConversationWrapupModel,
    planned: &ConversationWrapupModel,
    config: &ConversationWrapupModel,
) -> Option<Planned> {
    let known = |value: &TfValue<String>| value.as_str().map(str::to_owned);
    let target = Target {
        conversation_id: known(&planned.conversation_id)?,
        participant_id: known(&planned.participant_id)?,
        communication_id: known(&planned.communication_id)?,
        media: planned.media_type.as_str()?.parse().ok()?,
        communication_state: "disconnected".into(),
        queue_id: None,
        queue_name: None,
        selected_by: selected_by(config),
    };
    let code = known(&planned.wrapup_code_id).map(|id| ResolvedCode {
        id,
        name: known(&planned.wrapup_code_name),
    });
    let before = known(&prior.wrapup_code_id).map(|code| AssignedWrapupCode {
        code: Some(code),
        notes: known(&prior.notes),
        tags: match &prior.tags {
            TfValue::Known(tags) => tags.iter().map(known).collect(),
            _ => None,
        },
        duration_seconds: match &prior.duration_seconds {
            TfValue::Known(number) => number.as_i64(),
            _ => None,
        },
        end_time: None,
    });
    Some(Planned {
        target,
        code,
        before,
    })
}
