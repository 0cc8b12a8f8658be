//! `genesyscloud_conversation_wrapup`: applies a wrap-up code to a finished conversation's
//! participant and proves the platform kept it.
//!
//! An action-style resource: creating it performs the wrap-up, state records what the platform
//! holds, and destroying it only forgets it (the platform cannot remove a wrap-up). Choices
//! worth knowing:
//! - `wrapup_code_name` is resolved at plan time, among the codes valid for the participant's
//!   queue, to the ID the platform needs; `wrapup_code_id` (optional and computed) records it,
//!   so a configuration that only names the code plans no change once applied.
//! - Every write is read back; a platform that answers success but keeps nothing fails the
//!   apply, saying what was sent.
//! - Refresh reconciles with the platform: a wrap-up changed there shows as a change of
//!   `wrapup_code_id` (and of `wrapup_code_name` when the name is used), notes, tags or
//!   duration, and apply restores the configured one; a purged conversation, or a participant
//!   without a wrap-up, leaves state.
//! - Changing the code, notes, tags or duration re-applies the wrap-up in place (the platform
//!   takes a new wrap-up for the same communication); a different conversation, participant or
//!   communication is a different wrap-up, so changing those replaces the resource.

use std::sync::Arc;

use async_trait::async_trait;

use super::support::{Attr, attr, attr_str, path, set_attr, string_or_null};
use super::wrapup_apply::{
    Applied, ConversationAccess, ConversationApi, SchemaKind, TargetSpec, VERIFY_DELAYS,
    WrapupError, WrapupSpec, apply_wrapup, check_awaiting_wrapup, code_name_for, input_attributes,
    read_conversation, resolve_code, resolve_target, validate_inputs,
};
use crate::cty::{Type, Value};
use crate::genesys::models::AssignedWrapupCode;
use crate::tfplugin::{
    ApplyResult, Attribute, Block, CreateRequest, DeleteRequest, Diagnostics, PlanRequest,
    PlanResponse, ReadRequest, ReadResult, Resource, Schema, UpdateRequest,
};

/// The Terraform type name, shared by the resource and the action.
pub const TYPE_NAME: &str = "genesyscloud_conversation_wrapup";

/// Inputs whose change means another wrap-up (replace), not a new one for the same target.
const REPLACING: [&str; 3] = ["conversation_id", "participant_id", "communication_id"];

/// The managed resource.
pub struct ConversationWrapup {
    access: ConversationAccess,
    verify_delays: Vec<std::time::Duration>,
}

impl ConversationWrapup {
    /// The resource, reaching the platform through `access`.
    pub fn new(access: ConversationAccess) -> Arc<Self> {
        Arc::new(ConversationWrapup {
            access,
            verify_delays: VERIFY_DELAYS.to_vec(),
        })
    }

    async fn api(&self, diagnostics: &mut Diagnostics) -> Option<Arc<dyn ConversationApi>> {
        match self.access.api().await {
            Ok(api) => Some(api),
            Err(error) => {
                error.to_diagnostics("reach Genesys Cloud", diagnostics);
                None
            }
        }
    }
}

fn computed(name: &str, description: &str) -> Attribute {
    Attribute {
        name: name.into(),
        ty: Type::String,
        description: description.into(),
        required: false,
        optional: false,
        computed: true,
        sensitive: false,
        write_only: false,
        deprecated: false,
    }
}

/// The resource schema.
pub fn resource_schema() -> Schema {
    let mut attributes = vec![computed(
        "id",
        "`<conversation_id>/<participant_id>` of the wrapped-up participant.",
    )];
    attributes.extend(input_attributes(SchemaKind::Resource));
    attributes.push(computed(
        "media_type",
        "Media type of the communication, as in the wrap-up endpoint's path: `calls`, \
         `callbacks`, `chats`, `emails`, `messages`, ….",
    ));
    attributes.push(computed(
        "applied_at",
        "When the provider last applied the wrap-up and read it back from the platform \
         (RFC 3339, UTC).",
    ));
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
fn applied_state(planned: &Value, applied: &Applied) -> Value {
    let mut state = planned.clone();
    let target = &applied.target;
    let code_id = match attr_str(planned, "wrapup_code_id") {
        Some(planned_id) => planned_id.to_owned(),
        None => applied.code.id.clone(),
    };
    for (name, value) in [
        (
            "id",
            state_id(&target.conversation_id, &target.participant_id),
        ),
        ("participant_id", target.participant_id.clone()),
        ("communication_id", target.communication_id.clone()),
        ("media_type", target.media.to_string()),
        ("wrapup_code_id", code_id),
        ("applied_at", applied.applied_at.clone()),
    ] {
        set_attr(&mut state, name, Value::String(value));
    }
    state
}

/// `value` without `applied_at`, to tell whether a plan changes anything the user controls.
fn without_applied_at(value: &Value) -> Value {
    let mut value = value.clone();
    set_attr(&mut value, "applied_at", Value::Null);
    value
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
        validate_inputs(config, &mut diagnostics);
        diagnostics
    }

    async fn modify_plan(&self, request: &PlanRequest, plan: &mut PlanResponse) {
        match &request.prior_state {
            None => self.plan_create(request, plan).await,
            Some(prior) => self.plan_update(prior, request, plan).await,
        }
    }

    async fn create(&self, request: CreateRequest) -> ApplyResult {
        let mut result = ApplyResult::default();
        if let Some(applied) = self
            .apply(
                &request.planned_state,
                &request.config,
                &mut result.diagnostics,
            )
            .await
        {
            result.new_state = Some(applied_state(&request.planned_state, &applied));
        }
        result
    }

    async fn read(&self, request: ReadRequest) -> ReadResult {
        let mut result = ReadResult {
            private: request.private.clone(),
            ..ReadResult::default()
        };
        let Some(api) = self.api(&mut result.diagnostics).await else {
            result.new_state = Some(request.current_state);
            return result;
        };
        match reconcile(&*api, &request.current_state).await {
            Ok(state) => result.new_state = state,
            Err(error) => {
                error.to_diagnostics(&mut result.diagnostics);
                result.new_state = Some(request.current_state);
            }
        }
        result
    }

    async fn update(&self, request: UpdateRequest) -> ApplyResult {
        let mut result = ApplyResult::default();
        result.new_state = Some(
            match self
                .apply(
                    &request.planned_state,
                    &request.config,
                    &mut result.diagnostics,
                )
                .await
            {
                Some(applied) => applied_state(&request.planned_state, &applied),
                None => request.prior_state,
            },
        );
        result
    }

    async fn delete(&self, request: DeleteRequest) -> Diagnostics {
        let mut diagnostics = Diagnostics::default();
        let state = &request.prior_state;
        diagnostics.warning(
            "The wrap-up stays on the conversation",
            format!(
                "Genesys Cloud cannot remove a wrap-up, so destroying this resource only removes \
                 it from Terraform state. Participant {} of conversation {} keeps wrap-up code \
                 {}.",
                attr_str(state, "participant_id").unwrap_or("(unknown)"),
                attr_str(state, "conversation_id").unwrap_or("(unknown)"),
                attr_str(state, "wrapup_code_id").unwrap_or("(unknown)"),
            ),
        );
        diagnostics
    }
}

impl ConversationWrapup {
    /// A create plan: when the inputs are known, resolves the participant, communication and
    /// code now, so the plan shows them and an impossible wrap-up fails before apply.
    async fn plan_create(&self, request: &PlanRequest, plan: &mut PlanResponse) {
        let spec = WrapupSpec::from_value(&request.config, &request.config);
        // The target is resolved and checked even while the code (or notes, tags...) is not
        // known yet, e.g. the ID of a code created in the same apply.
        let Some(target_spec) = TargetSpec::from_value(&request.config, &request.config) else {
            return;
        };
        let Some(api) = self.api(&mut plan.diagnostics).await else {
            return;
        };
        let resolved = async {
            let (target, _) = resolve_target(&*api, &target_spec).await?;
            check_awaiting_wrapup(&target)?;
            let code = match &spec {
                Some(spec) => Some(resolve_code(&*api, &target, &spec.code).await?),
                None => None,
            };
            Ok::<_, WrapupError>((target, code))
        }
        .await;
        match resolved {
            Ok((target, code)) => {
                let planned = &mut plan.planned_state;
                set_attr(
                    planned,
                    "id",
                    Value::String(state_id(&target.conversation_id, &target.participant_id)),
                );
                set_attr(
                    planned,
                    "participant_id",
                    Value::String(target.participant_id),
                );
                set_attr(
                    planned,
                    "communication_id",
                    Value::String(target.communication_id),
                );
                set_attr(
                    planned,
                    "media_type",
                    Value::String(target.media.to_string()),
                );
                if let Some(code) = code
                    && matches!(attr(&request.config, "wrapup_code_id"), Attr::Null)
                {
                    set_attr(planned, "wrapup_code_id", Value::String(code.id));
                }
            }
            Err(error) => error.to_diagnostics(&mut plan.diagnostics),
        }
    }

    /// An update plan: replaces for a different target; otherwise resolves a changed code
    /// name to its ID and marks `applied_at` as changing whenever the wrap-up is re-applied.
    async fn plan_update(&self, prior: &Value, request: &PlanRequest, plan: &mut PlanResponse) {
        for name in REPLACING {
            let configured = attr(&request.config, name);
            if matches!(configured, Attr::Known(_) | Attr::Unknown)
                && attr(&plan.planned_state, name) != attr(prior, name)
            {
                plan.requires_replace.push(path(name));
            }
        }
        if !plan.requires_replace.is_empty() {
            return;
        }
        match attr(&request.config, "wrapup_code_name") {
            Attr::Unknown => set_attr(&mut plan.planned_state, "wrapup_code_id", Value::unknown()),
            Attr::Known(name)
                if attr(prior, "wrapup_code_name") != Attr::Known(name)
                    || attr_str(prior, "wrapup_code_id").is_none() =>
            {
                self.plan_code_for_name(request, plan).await;
            }
            _ => {}
        }
        if without_applied_at(&plan.planned_state) != without_applied_at(prior) {
            set_attr(&mut plan.planned_state, "applied_at", Value::unknown());
        }
    }

    /// Resolves the configured code name for the participant in state.
    async fn plan_code_for_name(&self, request: &PlanRequest, plan: &mut PlanResponse) {
        let mut lookup = plan.planned_state.clone();
        set_attr(&mut lookup, "wrapup_code_id", Value::Null);
        let Some(spec) = WrapupSpec::from_value(&lookup, &request.config) else {
            set_attr(&mut plan.planned_state, "wrapup_code_id", Value::unknown());
            return;
        };
        let Some(api) = self.api(&mut plan.diagnostics).await else {
            return;
        };
        let resolved = async {
            let (target, _) = resolve_target(&*api, &spec.target).await?;
            resolve_code(&*api, &target, &spec.code).await
        }
        .await;
        match resolved {
            Ok(code) => set_attr(
                &mut plan.planned_state,
                "wrapup_code_id",
                Value::String(code.id),
            ),
            Err(WrapupError::ConversationNotFound { .. }) => {
                // Purged since the last refresh; apply will say so if it still is.
                set_attr(&mut plan.planned_state, "wrapup_code_id", Value::unknown());
            }
            Err(error) => error.to_diagnostics(&mut plan.diagnostics),
        }
    }

    /// Applies the planned wrap-up; `None` (with diagnostics) when it did not persist.
    async fn apply(
        &self,
        planned: &Value,
        config: &Value,
        diagnostics: &mut Diagnostics,
    ) -> Option<Applied> {
        let Some(spec) = WrapupSpec::from_value(planned, config) else {
            diagnostics.error(
                "Wrap-up inputs are not known",
                "Terraform sent unknown or invalid inputs at apply time; this is a bug in the \
                 provider.",
            );
            return None;
        };
        let api = self.api(diagnostics).await?;
        match apply_wrapup(&*api, &spec, &self.verify_delays, None).await {
            Ok(applied) => Some(applied),
            Err(error) => {
                error.to_diagnostics(diagnostics);
                None
            }
        }
    }
}

/// The state as the platform now has it; `None` when the conversation, the participant or
/// its wrap-up is gone.
async fn reconcile(api: &dyn ConversationApi, state: &Value) -> Result<Option<Value>, WrapupError> {
    let (Some(conversation_id), Some(participant_id)) = (
        attr_str(state, "conversation_id"),
        attr_str(state, "participant_id"),
    ) else {
        return Ok(Some(state.clone()));
    };
    let conversation = match read_conversation(api, conversation_id).await {
        Ok(conversation) => conversation,
        Err(WrapupError::ConversationNotFound { .. }) => return Ok(None),
        Err(error) => return Err(error),
    };
    if conversation.participant(participant_id).is_none() {
        return Ok(None);
    }
    let wrapup = api
        .participant_wrapup(conversation_id, participant_id)
        .await
        .map_err(|error| {
            WrapupError::platform(
                format!("read the wrap-up of participant {participant_id}"),
                error,
            )
        })?;
    let Some(AssignedWrapupCode {
        code: Some(code),
        notes,
        tags,
        duration_seconds,
        ..
    }) = wrapup
    else {
        return Ok(None);
    };
    let mut next = state.clone();
    if attr_str(state, "wrapup_code_id") != Some(code.as_str()) {
        if attr_str(state, "wrapup_code_name").is_some() {
            let name = code_name_for(api, &conversation, participant_id, &code)
                .await
                .map_err(|error| WrapupError::platform(format!("read wrap-up code {code}"), error))?
                .unwrap_or_else(|| code.clone());
            set_attr(&mut next, "wrapup_code_name", Value::String(name));
        }
        set_attr(&mut next, "wrapup_code_id", Value::String(code));
    }
    let notes = notes.filter(|text| !text.is_empty());
    if notes.is_some() || attr_str(state, "notes").is_some_and(|text| !text.is_empty()) {
        set_attr(&mut next, "notes", string_or_null(notes.as_deref()));
    }
    let tags = tags.unwrap_or_default();
    if !tags.is_empty() || !matches!(attr(state, "tags"), Attr::Null) {
        set_attr(
            &mut next,
            "tags",
            Value::list(tags.into_iter().map(Value::String)),
        );
    }
    set_attr(
        &mut next,
        "duration_seconds",
        duration_seconds.map_or(Value::Null, Value::from),
    );
    Ok(Some(next))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cty::AttributePath;
    use crate::resources::support::object;
    use crate::resources::wrapup_apply::fake::*;

    fn resource(platform: &Arc<FakePlatform>) -> ConversationWrapup {
        ConversationWrapup {
            access: ConversationAccess::fixed(platform.clone()),
            verify_delays: vec![std::time::Duration::ZERO],
        }
    }

    fn config_by_name(name: &str) -> Value {
        object([
            ("id", Value::Null),
            ("conversation_id", CONV.into()),
            ("participant_id", Value::Null),
            ("communication_id", Value::Null),
            ("wrapup_code_id", Value::Null),
            ("wrapup_code_name", name.into()),
            ("notes", Value::Null),
            ("tags", Value::Null),
            ("duration_seconds", Value::Null),
            ("media_type", Value::Null),
            ("applied_at", Value::Null),
        ])
    }

    /// What the server plans by default for a create: computed nulls become unknown.
    fn default_create_plan(config: &Value) -> Value {
        let mut planned = config.clone();
        for name in [
            "id",
            "participant_id",
            "communication_id",
            "wrapup_code_id",
            "media_type",
            "applied_at",
        ] {
            if attr(config, name) == Attr::Null {
                set_attr(&mut planned, name, Value::unknown());
            }
        }
        planned
    }

    async fn plan(
        resource: &ConversationWrapup,
        prior: Option<&Value>,
        config: &Value,
    ) -> PlanResponse {
        let proposed = match prior {
            None => default_create_plan(config),
            Some(prior) => {
                let mut proposed = config.clone();
                for name in [
                    "id",
                    "participant_id",
                    "communication_id",
                    "wrapup_code_id",
                    "media_type",
                    "applied_at",
                ] {
                    if attr(config, name) == Attr::Null {
                        set_attr(
                            &mut proposed,
                            name,
                            prior.get_attr(name).cloned().unwrap_or_default(),
                        );
                    }
                }
                proposed
            }
        };
        let request = PlanRequest {
            prior_state: prior.cloned(),
            proposed_new_state: proposed.clone(),
            config: config.clone(),
            prior_private: Vec::new(),
            prior_identity: None,
        };
        let mut response = PlanResponse {
            planned_state: proposed,
            ..PlanResponse::default()
        };
        resource.modify_plan(&request, &mut response).await;
        response
    }

    async fn create(resource: &ConversationWrapup, config: &Value) -> Value {
        let planned = plan(resource, None, config).await;
        assert!(
            !planned.diagnostics.has_errors(),
            "{:?}",
            planned.diagnostics
        );
        let result = resource
            .create(CreateRequest {
                config: config.clone(),
                planned_state: planned.planned_state,
                planned_private: Vec::new(),
                planned_identity: None,
            })
            .await;
        assert!(!result.diagnostics.has_errors(), "{:?}", result.diagnostics);
        result.new_state.expect("created")
    }

    async fn refresh(resource: &ConversationWrapup, state: &Value) -> Option<Value> {
        let result = resource
            .read(ReadRequest {
                current_state: state.clone(),
                private: Vec::new(),
                current_identity: None,
            })
            .await;
        assert!(!result.diagnostics.has_errors(), "{:?}", result.diagnostics);
        result.new_state
    }

    #[tokio::test]
    async fn the_plan_shows_the_resolved_ids_and_the_next_plan_is_empty() {
        let platform = Arc::new(FakePlatform::ended());
        let resource = resource(&platform);
        let config = config_by_name("Sale completed");
        let planned = plan(&resource, None, &config).await.planned_state;
        assert_eq!(attr_str(&planned, "wrapup_code_id"), Some(SALE));
        assert_eq!(attr_str(&planned, "participant_id"), Some(AGENT));
        assert_eq!(attr_str(&planned, "communication_id"), Some(AGENT_CALL));
        assert_eq!(attr_str(&planned, "media_type"), Some("calls"));
        assert!(attr(&planned, "applied_at") == Attr::Unknown);

        let state = create(&resource, &config).await;
        assert_eq!(attr_str(&state, "wrapup_code_id"), Some(SALE));
        assert!(attr_str(&state, "applied_at").is_some());
        let state = refresh(&resource, &state).await.expect("still there");
        let next = plan(&resource, Some(&state), &config).await;
        assert_eq!(next.planned_state, state, "no change planned");
        assert!(next.requires_replace.is_empty());
    }

    #[tokio::test]
    async fn a_wrap_up_changed_on_the_platform_is_drift_that_apply_restores() {
        let platform = Arc::new(FakePlatform::ended());
        let resource = resource(&platform);
        let config = config_by_name("Sale completed");
        let state = create(&resource, &config).await;

        platform.set_wrapup(NO_SALE, Some("No sale"));
        let refreshed = refresh(&resource, &state).await.expect("still there");
        assert_eq!(attr_str(&refreshed, "wrapup_code_id"), Some(NO_SALE));
        assert_eq!(attr_str(&refreshed, "wrapup_code_name"), Some("No sale"));

        let next = plan(&resource, Some(&refreshed), &config).await;
        assert!(!next.diagnostics.has_errors(), "{:?}", next.diagnostics);
        assert!(next.requires_replace.is_empty(), "re-applied in place");
        assert_eq!(attr_str(&next.planned_state, "wrapup_code_id"), Some(SALE));
        assert!(attr(&next.planned_state, "applied_at") == Attr::Unknown);

        let updated = resource
            .update(UpdateRequest {
                config: config.clone(),
                prior_state: refreshed,
                planned_state: next.planned_state,
                planned_private: Vec::new(),
                planned_identity: None,
            })
            .await;
        assert!(
            !updated.diagnostics.has_errors(),
            "{:?}",
            updated.diagnostics
        );
        let platform_now = platform
            .participant_wrapup(CONV, AGENT)
            .await
            .expect("readable")
            .and_then(|w| w.code);
        assert_eq!(platform_now.as_deref(), Some(SALE));
    }

    #[tokio::test]
    async fn ids_the_plan_left_unknown_are_resolved_at_apply() {
        let platform = Arc::new(FakePlatform::ended());
        let resource = resource(&platform);
        let config = config_by_name("Sale completed");
        let result = resource
            .create(CreateRequest {
                config: config.clone(),
                planned_state: default_create_plan(&config),
                planned_private: Vec::new(),
                planned_identity: None,
            })
            .await;
        assert!(!result.diagnostics.has_errors(), "{:?}", result.diagnostics);
        let state = result.new_state.expect("created");
        assert_eq!(attr_str(&state, "participant_id"), Some(AGENT));
        assert_eq!(attr_str(&state, "wrapup_code_id"), Some(SALE));
        assert!(state.is_wholly_known());
    }

    #[tokio::test]
    async fn a_purged_conversation_leaves_state() {
        let platform = Arc::new(FakePlatform::ended());
        let resource = resource(&platform);
        let state = create(&resource, &config_by_name("Sale completed")).await;
        platform.purge();
        assert_eq!(refresh(&resource, &state).await, None);
    }

    #[tokio::test]
    async fn another_conversation_replaces_the_resource() {
        let platform = Arc::new(FakePlatform::ended());
        let resource = resource(&platform);
        let config = config_by_name("Sale completed");
        let state = create(&resource, &config).await;
        let mut moved = config.clone();
        set_attr(&mut moved, "conversation_id", SALE.into());
        let next = plan(&resource, Some(&state), &moved).await;
        assert_eq!(
            next.requires_replace,
            vec![AttributePath::root("conversation_id")]
        );
    }

    #[tokio::test]
    async fn an_unknown_code_name_fails_the_plan_on_the_name() {
        let platform = Arc::new(FakePlatform::ended());
        let resource = resource(&platform);
        let response = plan(&resource, None, &config_by_name("Refund")).await;
        let diagnostic = &response.diagnostics.0[0];
        assert_eq!(
            diagnostic.attribute,
            Some(AttributePath::root("wrapup_code_name"))
        );
    }

    #[tokio::test]
    async fn destroy_only_warns() {
        let platform = Arc::new(FakePlatform::ended());
        let resource = resource(&platform);
        let state = create(&resource, &config_by_name("Sale completed")).await;
        let diagnostics = resource
            .delete(DeleteRequest {
                prior_state: state,
                private: Vec::new(),
            })
            .await;
        assert!(!diagnostics.has_errors());
        assert_eq!(diagnostics.0.len(), 1);
        assert!(diagnostics.0[0].detail.contains("cannot remove a wrap-up"));
        assert_eq!(
            platform
                .participant_wrapup(CONV, AGENT)
                .await
                .expect("readable")
                .and_then(|w| w.code)
                .as_deref(),
            Some(SALE)
        );
    }
}
