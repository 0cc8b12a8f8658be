//! Validation: the attribute-scoped checks of the wrap-up inputs that need no platform call,
//! shared by the resource and the action.

use super::model::WrapupInputsModel;
use crate::resources::support::is_uuid;
use tfplugin_framework::attr_path;
use tfplugin_framework::cty::AttributePath;
use tfplugin_framework::{Diagnostics, TfValue};

/// Attribute-scoped checks that need no platform call. Unknown values are skipped.
pub fn validate_inputs(config: &WrapupInputsModel, diagnostics: &mut Diagnostics) {
    let ids: [(AttributePath, &TfValue<String>); 3] = [
        (
            attr_path!(WrapupInputsModel.conversation_id),
            &config.conversation_id,
        ),
        (
            attr_path!(WrapupInputsModel.participant_id),
            &config.participant_id,
        ),
        (
            attr_path!(WrapupInputsModel.communication_id),
            &config.communication_id,
        ),
    ];
    for (path, value) in ids {
        if let Some(text) = value.as_str()
            && !is_uuid(text)
        {
            diagnostics.attribute_error(
                path.clone(),
                format!("Invalid {path}"),
                format!("{path} must be an ID (a UUID such as 3fa85f64-5717-4562-b3fc-2c963f66afa6); got {text:?}."),
            );
        }
    }
    let id = &config.wrapup_code_id;
    let name = &config.wrapup_code_name;
    match (id, name) {
        (TfValue::Known(_), TfValue::Known(_)) => diagnostics.attribute_error(
            attr_path!(WrapupInputsModel.wrapup_code_name),
            "Conflicting wrap-up code attributes",
            "Set exactly one of wrapup_code_id and wrapup_code_name, not both: the name is \
             resolved to the ID, so setting both leaves two sources for the same thing.",
        ),
        (TfValue::Null, TfValue::Null) => diagnostics.error(
            "Missing wrap-up code",
            "Set exactly one of wrapup_code_id (the code's ID) and wrapup_code_name (its name, \
             which the provider resolves to the ID).",
        ),
        _ => {}
    }
    if let Some(text) = id.as_str()
        && !is_uuid(text)
    {
        diagnostics.attribute_error(
            attr_path!(WrapupInputsModel.wrapup_code_id),
            "wrapup_code_id is not a wrap-up code ID",
            format!(
                "{text:?} is not an ID (a UUID). If it is the code's name, set \
                 wrapup_code_name = {text:?} instead: the platform's wrap-up endpoint only keeps \
                 a wrap-up sent with the code's ID, and the provider resolves names to IDs."
            ),
        );
    }
    if let Some(text) = name.as_str()
        && (text.trim().is_empty() || text.trim() != text)
    {
        diagnostics.attribute_error(
            attr_path!(WrapupInputsModel.wrapup_code_name),
            "Invalid wrapup_code_name",
            format!(
                "{text:?} cannot be a wrap-up code name: names are not empty and have no leading \
                 or trailing spaces."
            ),
        );
    }
    if let TfValue::Known(seconds) = &config.duration_seconds
        && seconds.as_i64().is_none_or(|seconds| seconds < 0)
    {
        diagnostics.attribute_error(
            attr_path!(WrapupInputsModel.duration_seconds),
            "Invalid duration_seconds",
            "duration_seconds must be a whole number of seconds, 0 or more.",
        );
    }
    if let TfValue::Known(tags) = &config.tags {
        for (index, tag) in tags.iter().enumerate() {
            if tag.is_null() || tag.as_str().is_some_and(|t| t.trim().is_empty()) {
                diagnostics.attribute_error(
                    attr_path!(WrapupInputsModel.tags).key_int(index as i64),
                    "Invalid wrap-up tag",
                    "Tags must be non-empty strings.",
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::resources::conversation_wrapup::model::sample_inputs as config;

    const CODE: &str = "0d4b2b6e-5c8f-4d36-9a1e-7b2f0c3e9a10";

    fn errors(config: &WrapupInputsModel) -> Vec<(String, Option<String>)> {
        let mut diagnostics = Diagnostics::default();
        validate_inputs(config, &mut diagnostics);
        diagnostics
            .0
            .into_iter()
            .map(|d| (d.summary, d.attribute.map(|p| p.to_string())))
            .collect()
    }

    #[test]
    fn both_code_attributes_are_refused_on_the_name() {
        assert_eq!(
            errors(&config(CODE.into(), "Sale".into())),
            vec![(
                "Conflicting wrap-up code attributes".to_owned(),
                Some(attr_path!(WrapupInputsModel.wrapup_code_name).to_string())
            )]
        );
    }

    #[test]
    fn neither_code_attribute_is_refused() {
        assert_eq!(
            errors(&config(TfValue::Null, TfValue::Null)),
            vec![("Missing wrap-up code".to_owned(), None)]
        );
    }

    #[test]
    fn a_label_in_the_id_attribute_is_refused_with_the_fix() {
        let mut diagnostics = Diagnostics::default();
        validate_inputs(
            &config("Sale completed".into(), TfValue::Null),
            &mut diagnostics,
        );
        let diagnostic = &diagnostics.0[0];
        assert_eq!(
            diagnostic.attribute,
            Some(attr_path!(WrapupInputsModel.wrapup_code_id))
        );
        assert!(
            diagnostic
                .detail
                .contains("set wrapup_code_name = \"Sale completed\""),
            "{}",
            diagnostic.detail
        );
    }

    #[test]
    fn unknown_values_are_not_judged() {
        assert!(errors(&config(TfValue::unknown(), TfValue::Null)).is_empty());
        assert!(errors(&config(TfValue::Null, TfValue::unknown())).is_empty());
    }
}
