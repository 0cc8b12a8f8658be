//! The wrap-up inputs the resource and the action share, as a model: the action's whole
//! configuration, and the input part of the resource's.

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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::actions::conversation_wrapup::action_schema;
    use tfplugin_framework::model::{assert_model_matches, assert_round_trips};

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
}
