//! What a `genesyscloud_conversation_wrapup` holds: the wrap-up inputs it shares with the
//! action, and what the provider computes.

use crate::resources::wrapup_apply::WrapupInputsModel;
use tfplugin_framework::TfValue;
use tfplugin_framework::cty::Number;
use tfplugin_framework::tf_model;

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

#[cfg(test)]
mod tests {
    use super::*;
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
}
