//! Plan: a create resolves the participant, communication and code against the platform (or
//! takes what Terraform 1.16+ hands back from the first plan), an update replaces for another
//! target and resolves a changed code; what plan resolved goes to apply in private state.

use super::ConversationWrapup;
use super::apply::state_id;
use super::diagnostics::WrapupDiagnostics;
use super::model::ConversationWrapupModel;
use super::private::{self, Planned, carries};
use crate::platform::wrapup_writer::{
    CodeChoice, CodeGivenBy, InputName, ResolvedCode, Target, WrapupError, before_in,
    check_awaiting_wrapup, resolve_code, resolve_target,
};
use genesys_client::models::AssignedWrapupCode;
use tfplugin_framework::attr_path;
use tfplugin_framework::cty::AttributePath;
use tfplugin_framework::{Diagnostics, PlanResponse, TfValue};

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

/// "No notes" and "no tags" have one form each, `""` and `[]`, so omitted, `null` and empty
/// never differ (Terraform lets a provider keep the prior value of a configured attribute
/// only when that value is not null). A prior null (state from before that rule, not yet
/// refreshed) stays null while the configuration omits it. True when `planned` changed.
pub(super) fn plan_no_notes_or_tags(
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
    pub(super) async fn plan_create(
        &self,
        config: &ConversationWrapupModel,
        planned: &mut ConversationWrapupModel,
        plan: &mut PlanResponse,
        first_plan: Option<Planned>,
    ) -> bool {
        let inputs = config.inputs();
        let desired = inputs.desired(&inputs);
        // The target is resolved and checked even while the code (or notes, tags...) is not
        // known yet, e.g. the ID of a code created in the same apply.
        let Some(target_choice) = inputs.target_choice(&inputs) else {
            return false;
        };
        let Some(api) = self.api(&mut plan.diagnostics).await else {
            return false;
        };
        let first_plan = first_plan.filter(|first| carries(first, &target_choice));
        let resolved = async {
            let (target, before, first_code) = match first_plan {
                // The first plan resolved and checked this target; the apply checks the write.
                Some(Planned {
                    target,
                    code,
                    before,
                }) => (target, before, code),
                None => {
                    let (target, conversation) = resolve_target(&*api, &target_choice).await?;
                    check_awaiting_wrapup(&target)?;
                    let before = before_in(&conversation, &target.participant_id);
                    (target, before, None)
                }
            };
            let code = match &desired {
                Some(desired) => match first_code.filter(|code| chosen(code, &desired.code)) {
                    Some(code) => Some(code),
                    None => match resolve_code(&*api, &target, &desired.code).await {
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
    pub(super) async fn plan_update(
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
        let Some(desired) = lookup.inputs().desired(&config.inputs()) else {
            if by_name {
                planned.wrapup_code_id = TfValue::unknown();
            }
            return None;
        };
        let api = self.api(&mut plan.diagnostics).await?;
        let resolved = async {
            let (target, conversation) = resolve_target(&*api, &desired.target).await?;
            let code = resolve_code(&*api, &target, &desired.code).await?;
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

/// The input that selected the communication, as resolution names it.
fn selected_by(config: &ConversationWrapupModel) -> InputName {
    if !config.communication_id.is_null() {
        InputName::CommunicationId
    } else if !config.participant_id.is_null() {
        InputName::ParticipantId
    } else {
        InputName::ConversationId
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
