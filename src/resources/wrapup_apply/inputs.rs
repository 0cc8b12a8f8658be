//! The inputs the resource and the action share: their schema attributes, validation at
//! `terraform validate` time, and reading them out of a configuration or plan.

use super::error::CodeGivenBy;
use super::model::WrapupInputsModel;
use crate::resources::support::is_uuid;
use tfplugin_framework::cty::{AttributePath, Type};
use tfplugin_framework::{Attribute, Diagnostics, TfValue};
use tfplugin_framework::{attr_name, attr_path};

/// Which code the user asked for. At least one of `id` and `name` is set; `configured` says
/// which attribute the user wrote (errors point there).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CodeChoice {
    pub id: Option<String>,
    pub name: Option<String>,
    pub configured: CodeGivenBy,
}

/// A wrap-up to apply, read from a wholly known configuration or plan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DesiredWrapup {
    pub target: TargetChoice,
    pub code: CodeChoice,
    pub notes: Option<String>,
    pub tags: Option<Vec<String>>,
    pub duration_seconds: Option<i64>,
}

/// Which communication a wrap-up is for: the conversation, and the participant and
/// communication when given (otherwise the only sensible ones are chosen).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TargetChoice {
    pub conversation_id: String,
    pub participant_id: Option<String>,
    pub communication_id: Option<String>,
}

impl TargetChoice {
    /// Reads the target out of `value` (a configuration or plan); `None` while any part of it
    /// is unknown. The code and the other inputs may still be unknown.
    pub fn from_inputs(
        value: &WrapupInputsModel,
        configured: &WrapupInputsModel,
    ) -> Option<TargetChoice> {
        Some(TargetChoice {
            conversation_id: known_string(&value.conversation_id)??,
            participant_id: resolvable(&value.participant_id, &configured.participant_id)?,
            communication_id: resolvable(&value.communication_id, &configured.communication_id)?,
        })
    }
}

impl DesiredWrapup {
    /// Reads the inputs of `value` (a configuration or planned state). `None` while something
    /// it needs is unknown, or when the inputs are invalid (validation reports those).
    /// `configured` is the configuration, which tells which code attribute the user set.
    pub fn from_inputs(
        value: &WrapupInputsModel,
        configured: &WrapupInputsModel,
    ) -> Option<DesiredWrapup> {
        let target = TargetChoice::from_inputs(value, configured)?;
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

/// How an input attribute is set in the schema of the resource (where some are also
/// computed) or of the action (where every input is plain configuration).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SchemaKind {
    Resource,
    Action,
}

/// The input attributes, in the order docs list them.
pub fn input_attributes(kind: SchemaKind) -> Vec<Attribute> {
    let resource = kind == SchemaKind::Resource;
    let computed_note = if resource {
        " When not set, the provider resolves it and state records it."
    } else {
        ""
    };
    vec![
        Attribute::required(attr_name!(WrapupInputsModel.conversation_id), Type::String)
            .description(format!(
                "ID of the conversation to wrap up (a UUID). The conversation must exist and \
                 the participant's communication must have ended.{}",
                if resource {
                    " Changing it replaces the resource."
                } else {
                    ""
                }
            )),
        Attribute::optional(attr_name!(WrapupInputsModel.participant_id), Type::String)
            .computed_when(resource)
            .description(format!(
                "ID of the participant to wrap up. Optional when the conversation has exactly \
                 one agent participant, or exactly one awaiting wrap-up; otherwise the error \
                 lists the candidates.{computed_note}"
            )),
        Attribute::optional(attr_name!(WrapupInputsModel.communication_id), Type::String)
            .computed_when(resource)
            .description(format!(
                "ID of the participant's communication the wrap-up is posted for. Optional when \
                 the participant has one communication, or exactly one that has ended.\
                 {computed_note}"
            )),
        Attribute::optional(attr_name!(WrapupInputsModel.wrapup_code_id), Type::String)
            .computed_when(resource)
            .description(format!(
                "ID of the wrap-up code to apply (a UUID). Set exactly one of `wrapup_code_id` \
                 and `wrapup_code_name`. It must be one of the codes assigned to the \
                 participant's queue.{}",
                if resource {
                    " When `wrapup_code_name` is used instead, state records the ID it \
                     resolved to."
                } else {
                    ""
                }
            )),
        Attribute::optional(attr_name!(WrapupInputsModel.wrapup_code_name), Type::String)
            .description(
                "Name (label) of the wrap-up code to apply, e.g. `\"Sale completed\"`. The \
             provider resolves it to the code's ID among the codes assigned to the \
             participant's queue, because the platform only keeps a wrap-up sent with the ID.",
            ),
        Attribute::optional(attr_name!(WrapupInputsModel.notes), Type::String)
            .computed_when(resource)
            .description(if resource {
                "Wrap-up notes. Omitted, `null` and `\"\"` all mean no notes and never show as \
                 a change; state records `\"\"` for them."
            } else {
                "Wrap-up notes."
            }),
        Attribute::optional(attr_name!(WrapupInputsModel.tags), Type::list(Type::String))
            .computed_when(resource)
            .description(if resource {
                "Wrap-up tags. Omitted, `null` and `[]` all mean no tags and never show as a \
                 change; state records `[]` for them."
            } else {
                "Wrap-up tags."
            }),
        Attribute::optional(attr_name!(WrapupInputsModel.duration_seconds), Type::Number)
            .description("Time spent in wrap-up (after-call work), in whole seconds, 0 or more."),
    ]
}

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

    const CONV: &str = "3fa85f64-5717-4562-b3fc-2c963f66afa6";
    const CODE: &str = "0d4b2b6e-5c8f-4d36-9a1e-7b2f0c3e9a10";

    fn config(code_id: TfValue<String>, code_name: TfValue<String>) -> WrapupInputsModel {
        WrapupInputsModel {
            conversation_id: CONV.into(),
            wrapup_code_id: code_id,
            wrapup_code_name: code_name,
            notes: "n".into(),
            ..WrapupInputsModel::default()
        }
    }

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

    #[test]
    fn spec_keeps_which_code_attribute_the_user_set() {
        let cfg = config(TfValue::Null, "Sale".into());
        let spec = DesiredWrapup::from_inputs(&cfg, &cfg).expect("known inputs");
        assert_eq!(spec.code.configured, CodeGivenBy::Name);
        assert_eq!(spec.code.name.as_deref(), Some("Sale"));
        assert_eq!(spec.code.id, None);

        let mut planned = cfg.clone();
        planned.wrapup_code_id = CODE.into();
        let spec = DesiredWrapup::from_inputs(&planned, &cfg).expect("known inputs");
        assert_eq!(spec.code.id.as_deref(), Some(CODE));
        assert_eq!(spec.code.configured, CodeGivenBy::Name);
    }

    #[test]
    fn computed_ids_left_unknown_by_the_plan_are_resolved_at_apply() {
        let cfg = config(TfValue::Null, "Sale".into());
        let planned = WrapupInputsModel {
            participant_id: TfValue::unknown(),
            communication_id: TfValue::unknown(),
            wrapup_code_id: TfValue::unknown(),
            ..cfg.clone()
        };
        let spec = DesiredWrapup::from_inputs(&planned, &cfg).expect("resolvable");
        assert_eq!(spec.target.participant_id, None);
        assert_eq!(spec.target.communication_id, None);
        assert_eq!(spec.code.id, None);

        let unknown_in_config = WrapupInputsModel {
            participant_id: TfValue::unknown(),
            ..cfg.clone()
        };
        assert_eq!(
            DesiredWrapup::from_inputs(&unknown_in_config, &unknown_in_config),
            None
        );
    }

    #[test]
    fn spec_waits_for_unknown_inputs() {
        let mut cfg = config(CODE.into(), TfValue::Null);
        cfg.conversation_id = TfValue::unknown();
        assert_eq!(DesiredWrapup::from_inputs(&cfg, &cfg), None);
    }
}
