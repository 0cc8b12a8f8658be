//! The models: what a `genesyscloud_conversation_wrapup` holds, and the wrap-up inputs it
//! shares with the action of the same name (the action's whole configuration), read into the
//! platform's [`DesiredWrapup`] for the work below the seam.

use crate::platform::wrapup_writer::{CodeChoice, CodeGivenBy, DesiredWrapup, TargetChoice};
use tfplugin_framework::TfValue;
use tfplugin_framework::cty::Number;
use tfplugin_framework::tf_model;

tf_model! {
    /// The inputs of a wrap-up (the action's `config` block; the resource adds its computed
    /// attributes in `ConversationWrapupModel`).
    pub struct WrapupInputsModel {
        /// The conversation (required).
        pub conversation_id: TfValue<String>,
        /// The participant; resolved when unset.
        pub participant_id: TfValue<String>,
        /// The participant's communication; resolved when unset.
        pub communication_id: TfValue<String>,
        /// The code by ID; exactly one of this and `wrapup_code_name` is configured.
        pub wrapup_code_id: TfValue<String>,
        /// The code by name, resolved to its ID.
        pub wrapup_code_name: TfValue<String>,
        pub notes: TfValue<String>,
        /// Elements may be null or unknown in a configuration; validation refuses null ones.
        pub tags: TfValue<Vec<TfValue<String>>>,
        /// A number, so that validation can refuse a fraction with its own message.
        pub duration_seconds: TfValue<Number>,
    }
}

tf_model! {
    /// Configuration, plan and state of the resource.
    pub struct ConversationWrapupModel {
        /// `<conversation_id>/<participant_id>` (computed).
        pub id: TfValue<String>,
        pub conversation_id: TfValue<String>,
        /// Optional and computed: resolved when unset.
        pub participant_id: TfValue<String>,
        /// Optional and computed: resolved when unset.
        pub communication_id: TfValue<String>,
        /// Optional and computed: the ID `wrapup_code_name` resolved to.
        pub wrapup_code_id: TfValue<String>,
        pub wrapup_code_name: TfValue<String>,
        pub notes: TfValue<String>,
        pub tags: TfValue<Vec<TfValue<String>>>,
        pub duration_seconds: TfValue<Number>,
        /// The media of the communication (computed).
        pub media_type: TfValue<String>,
        /// When the provider last applied and verified the wrap-up (computed).
        pub applied_at: TfValue<String>,
    }
}

impl ConversationWrapupModel {
    /// The wrap-up inputs, for what the resource shares with the action.
    pub fn inputs(&self) -> WrapupInputsModel {
        WrapupInputsModel {
            conversation_id: self.conversation_id.clone(),
            participant_id: self.participant_id.clone(),
            communication_id: self.communication_id.clone(),
            wrapup_code_id: self.wrapup_code_id.clone(),
            wrapup_code_name: self.wrapup_code_name.clone(),
            notes: self.notes.clone(),
            tags: self.tags.clone(),
            duration_seconds: self.duration_seconds.clone(),
        }
    }
}

impl WrapupInputsModel {
    /// The target these inputs (a configuration or plan) choose; `None` while any part of it
    /// is unknown. The code and the other inputs may still be unknown. `configured` is the
    /// configuration, which tells what the user left to the provider.
    pub fn target_choice(&self, configured: &WrapupInputsModel) -> Option<TargetChoice> {
        let value = self;
        Some(TargetChoice {
            conversation_id: known_string(&value.conversation_id)??,
            participant_id: resolvable(&value.participant_id, &configured.participant_id)?,
            communication_id: resolvable(&value.communication_id, &configured.communication_id)?,
        })
    }

    /// The wrap-up these inputs (a configuration or planned state) ask for. `None` while
    /// something it needs is unknown, or when the inputs are invalid (validation reports
    /// those). `configured` is the configuration, which tells which code attribute the user
    /// set.
    pub fn desired(&self, configured: &WrapupInputsModel) -> Option<DesiredWrapup> {
        let value = self;
        let target = value.target_choice(configured)?;
        let configured_attr = match (&configured.wrapup_code_name, &configured.wrapup_code_id) {
            (TfValue::Null, TfValue::Null) => return None,
            (TfValue::Null, _) => CodeGivenBy::Id,
            _ => CodeGivenBy::Name,
        };
        let id = known_string(&value.wrapup_code_id);
        let name = known_string(&value.wrapup_code_name)?;
        // A code ID the plan could not resolve yet stays unknown; the name still resolves it.
        let id = match (id, &name) {
            (Some(id), _) => id,
            (None, Some(_)) => None,
            (None, None) => return None,
        };
        if id.is_none() && name.is_none() {
            return None;
        }
        let tags = match &value.tags {
            TfValue::Null => None,
            TfValue::Unknown(_) => return None,
            TfValue::Known(tags) => Some(
                tags.iter()
                    .map(|tag| tag.as_str().map(str::to_owned))
                    .collect::<Option<Vec<_>>>()?,
            ),
        };
        let duration_seconds = match &value.duration_seconds {
            TfValue::Null => None,
            TfValue::Unknown(_) => return None,
            TfValue::Known(number) => Some(number.as_i64()?),
        };
        Some(DesiredWrapup {
            target,
            code: CodeChoice {
                id,
                name,
                configured: configured_attr,
            },
            notes: known_string(&value.notes)?,
            tags,
            duration_seconds,
        })
    }
}

/// Like [`known_string`], but a value left unknown because the configuration leaves it to the
/// provider (a computed attribute at apply time) reads as null: "resolve it".
fn resolvable(value: &TfValue<String>, configured: &TfValue<String>) -> Option<Option<String>> {
    match (value, configured) {
        (TfValue::Unknown(_), TfValue::Null) => Some(None),
        _ => known_string(value),
    }
}

/// `Some(None)` for null, `Some(Some(text))` for a known string, `None` when unknown.
fn known_string(value: &TfValue<String>) -> Option<Option<String>> {
    match value {
        TfValue::Null => Some(None),
        TfValue::Unknown(_) => None,
        TfValue::Known(text) => Some(Some(text.clone())),
    }
}

/// Inputs of a conversation with notes and the code given as `code_id` and `code_name`
/// (tests).
#[cfg(test)]
pub(super) fn sample_inputs(
    code_id: TfValue<String>,
    code_name: TfValue<String>,
) -> WrapupInputsModel {
    WrapupInputsModel {
        conversation_id: "3fa85f64-5717-4562-b3fc-2c963f66afa6".into(),
        wrapup_code_id: code_id,
        wrapup_code_name: code_name,
        notes: "n".into(),
        ..WrapupInputsModel::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::actions::conversation_wrapup::action_schema;
    use crate::resources::conversation_wrapup::resource_schema;
    use tfplugin_framework::Model;
    use tfplugin_framework::attr_name;
    use tfplugin_framework::model::{assert_model_matches, assert_round_trips};

    #[test]
    fn the_model_matches_the_resource_schema() {
        assert_model_matches::<ConversationWrapupModel>(&resource_schema().value_type());
    }

    #[test]
    fn the_inputs_are_every_model_attribute_but_the_computed_ones() {
        let inputs: Vec<&str> = WrapupInputsModel::ATTRIBUTES.to_vec();
        let resource: Vec<&str> = ConversationWrapupModel::ATTRIBUTES
            .iter()
            .copied()
            .filter(|name| {
                ![
                    attr_name!(ConversationWrapupModel.id),
                    attr_name!(ConversationWrapupModel.media_type),
                    attr_name!(ConversationWrapupModel.applied_at),
                ]
                .contains(name)
            })
            .collect();
        assert_eq!(resource, inputs);
    }

    #[test]
    fn the_model_round_trips_with_null_and_unknown_in_optional_and_computed_fields() {
        let state = ConversationWrapupModel {
            id: "c/p".into(),
            conversation_id: "c".into(),
            participant_id: "p".into(),
            communication_id: "m".into(),
            wrapup_code_id: "w".into(),
            wrapup_code_name: "Sale".into(),
            notes: "n".into(),
            tags: TfValue::Known(vec!["a".into()]),
            duration_seconds: TfValue::Known(Number::from(5)),
            media_type: "calls".into(),
            applied_at: "2026-12-01T00:00:00Z".into(),
        };
        let planned_create = ConversationWrapupModel {
            id: TfValue::unknown(),
            conversation_id: "c".into(),
            participant_id: TfValue::unknown(),
            communication_id: TfValue::unknown(),
            wrapup_code_id: TfValue::unknown(),
            wrapup_code_name: "Sale".into(),
            notes: TfValue::unknown(),
            tags: TfValue::unknown(),
            duration_seconds: TfValue::unknown(),
            media_type: TfValue::unknown(),
            applied_at: TfValue::unknown(),
        };
        let config = ConversationWrapupModel {
            conversation_id: "c".into(),
            wrapup_code_id: "w".into(),
            ..ConversationWrapupModel::default()
        };
        assert_round_trips(&[state, planned_create, config]);
    }

    #[test]
    fn the_inputs_match_the_action_schema() {
        assert_model_matches::<WrapupInputsModel>(&action_schema().value_type());
    }

    #[test]
    fn the_inputs_round_trip_with_null_and_unknown_in_every_optional_field() {
        let known = WrapupInputsModel {
            conversation_id: "c".into(),
            participant_id: "p".into(),
            communication_id: "m".into(),
            wrapup_code_id: "w".into(),
            wrapup_code_name: "Sale".into(),
            notes: "n".into(),
            tags: TfValue::Known(vec!["a".into(), TfValue::Null, TfValue::unknown()]),
            duration_seconds: TfValue::Known(Number::from(30)),
        };
        let unknown = WrapupInputsModel {
            conversation_id: TfValue::unknown(),
            participant_id: TfValue::unknown(),
            communication_id: TfValue::unknown(),
            wrapup_code_id: TfValue::unknown(),
            wrapup_code_name: TfValue::unknown(),
            notes: TfValue::unknown(),
            tags: TfValue::unknown(),
            duration_seconds: TfValue::unknown(),
        };
        let null = WrapupInputsModel {
            conversation_id: "c".into(),
            ..WrapupInputsModel::default()
        };
        assert_round_trips(&[known, unknown, null]);
    }

    const CODE: &str = "0d4b2b6e-5c8f-4d36-9a1e-7b2f0c3e9a10";

    #[test]
    fn spec_keeps_which_code_attribute_the_user_set() {
        let cfg = sample_inputs(TfValue::Null, "Sale".into());
        let spec = cfg.desired(&cfg).expect("known inputs");
        assert_eq!(spec.code.configured, CodeGivenBy::Name);
        assert_eq!(spec.code.name.as_deref(), Some("Sale"));
        assert_eq!(spec.code.id, None);

        let mut planned = cfg.clone();
        planned.wrapup_code_id = CODE.into();
        let spec = planned.desired(&cfg).expect("known inputs");
        assert_eq!(spec.code.id.as_deref(), Some(CODE));
        assert_eq!(spec.code.configured, CodeGivenBy::Name);
    }

    #[test]
    fn computed_ids_left_unknown_by_the_plan_are_resolved_at_apply() {
        let cfg = sample_inputs(TfValue::Null, "Sale".into());
        let planned = WrapupInputsModel {
            participant_id: TfValue::unknown(),
            communication_id: TfValue::unknown(),
            wrapup_code_id: TfValue::unknown(),
            ..cfg.clone()
        };
        let spec = planned.desired(&cfg).expect("resolvable");
        assert_eq!(spec.target.participant_id, None);
        assert_eq!(spec.target.communication_id, None);
        assert_eq!(spec.code.id, None);

        let unknown_in_config = WrapupInputsModel {
            participant_id: TfValue::unknown(),
            ..cfg.clone()
        };
        assert_eq!(unknown_in_config.desired(&unknown_in_config), None);
    }

    #[test]
    fn spec_waits_for_unknown_inputs() {
        let mut cfg = sample_inputs(CODE.into(), TfValue::Null);
        cfg.conversation_id = TfValue::unknown();
        assert_eq!(cfg.desired(&cfg), None);
    }
}
