//! The back-fill action's configuration: its model, schema and the checks that need no
//! platform call, ending in the [`BackfillJob`] the run works from.

use tfplugin_framework::cty::{Number, Type};
use tfplugin_framework::{Attribute, Diagnostics, TfValue, tf_model};
use tfplugin_framework::{attr_name, attr_path};

use super::platform_link::{CodeChoice, CodeGivenBy};
use crate::data_sources::conversations::MEDIA_TYPES;
use crate::resources::support::{StringSet, is_uuid};
use genesys_client::{Interval, MAX_INTERVAL_DAYS};

/// `max_conversations` when the configuration sets none.
pub const DEFAULT_MAX_CONVERSATIONS: u64 = 10_000;

tf_model! {
    /// The action's `config {}` block.
    pub struct BackfillModel {
        pub interval: TfValue<String>,
        pub queue_ids: TfValue<StringSet>,
        pub media_types: TfValue<StringSet>,
        pub wrapup_code_id: TfValue<String>,
        pub wrapup_code_name: TfValue<String>,
        pub notes: TfValue<String>,
        /// `missing` (the default) or `all`.
        pub participants: TfValue<String>,
        pub max_conversations: TfValue<Number>,
        pub dry_run: TfValue<bool>,
    }
}

/// Which participants the back-fill writes to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Touch {
    /// Those that must wrap up and hold no wrap-up code (analytics' view).
    Missing,
    /// Every agent participant that must wrap up, replacing any wrap-up it holds.
    All,
}

/// A checked, wholly known configuration.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BackfillJob {
    pub interval: Interval,
    pub queue_ids: Vec<String>,
    pub media_types: Vec<String>,
    pub code: CodeChoice,
    pub notes: Option<String>,
    pub touch: Touch,
    pub max_conversations: u64,
    pub dry_run: bool,
}

/// The configuration attributes, in the order docs list them.
pub fn attributes() -> Vec<Attribute> {
    vec![
        Attribute::required(attr_name!(BackfillModel.interval), Type::String).description(format!(
            "Closed ISO-8601 interval `start/end` with time zones, e.g. \
             `2026-11-30T00:00:00Z/2026-12-01T00:00:00Z`; at most {MAX_INTERVAL_DAYS} days. \
             As in the `genesyscloud_conversations` data source, conversations that ended in \
             `[start, end)` are back-filled; conversations that started in it and have not \
             ended are reported as refused."
        )),
        Attribute::optional(attr_name!(BackfillModel.queue_ids), Type::set(Type::String))
            .description("Only participants routed through one of these queue IDs."),
        Attribute::optional(
            attr_name!(BackfillModel.media_types),
            Type::set(Type::String),
        )
        .description(format!(
            "Only these media types (analytics names): {}.",
            MEDIA_TYPES.join(", ")
        )),
        Attribute::optional(attr_name!(BackfillModel.wrapup_code_id), Type::String).description(
            "ID of the wrap-up code to apply (a UUID). Set exactly one of `wrapup_code_id` and \
             `wrapup_code_name`. Participants on a queue the code is not assigned to are refused.",
        ),
        Attribute::optional(attr_name!(BackfillModel.wrapup_code_name), Type::String).description(
            "Name (label) of the wrap-up code to apply; the provider resolves it to the code's \
             ID among each queue's codes, because the platform only keeps a wrap-up sent with \
             the ID.",
        ),
        Attribute::optional(attr_name!(BackfillModel.notes), Type::String)
            .description("Wrap-up notes written with every wrap-up."),
        Attribute::optional(attr_name!(BackfillModel.participants), Type::String).description(
            "Which participants to write: `missing` (the default: agent participants that must \
             wrap up and hold no wrap-up code) or `all` (also those holding a wrap-up, which \
             is replaced).",
        ),
        Attribute::optional(attr_name!(BackfillModel.max_conversations), Type::Number).description(
            format!(
                "Safety cap: when more conversations than this have participants to write, \
                 the action fails before writing anything. Default {DEFAULT_MAX_CONVERSATIONS}."
            ),
        ),
        Attribute::optional(attr_name!(BackfillModel.dry_run), Type::Bool).description(
            "When true, only counts and resolves (the code on each queue, each participant's \
             state) and writes nothing. Default false.",
        ),
    ]
}

fn known_set(set: &TfValue<StringSet>) -> Option<Vec<String>> {
    match set {
        TfValue::Null => Some(Vec::new()),
        TfValue::Unknown(_) => None,
        TfValue::Known(set) => set.known().map(|s| s.into_iter().collect()),
    }
}

/// Checks what is known of `config`, each problem on its attribute; returns the job when
/// everything is known and valid.
pub fn check(config: &BackfillModel, diagnostics: &mut Diagnostics) -> Option<BackfillJob> {
    let before = diagnostics.has_errors();
    let interval = config.interval.as_str().and_then(|raw| {
        Interval::parse(raw)
            .map_err(|error| {
                diagnostics.attribute_error(
                    attr_path!(BackfillModel.interval),
                    "Invalid interval",
                    error.to_string(),
                );
            })
            .ok()
    });
    if let Some(ids) = config.queue_ids.known()
        && let Some(bad) = ids.known_elements().find(|id| !is_uuid(id))
    {
        diagnostics.attribute_error(
            attr_path!(BackfillModel.queue_ids),
            "Invalid queue ID",
            format!(
                "{bad:?} is not a queue ID (a UUID); look queues up by name with the \
                 genesyscloud_routing_queue data source."
            ),
        );
    }
    if let Some(types) = config.media_types.known()
        && let Some(bad) = types.known_elements().find(|t| !MEDIA_TYPES.contains(t))
    {
        diagnostics.attribute_error(
            attr_path!(BackfillModel.media_types),
            "Invalid media type",
            format!(
                "{bad:?} is not a media type; use one of {}.",
                MEDIA_TYPES.join(", ")
            ),
        );
    }
    match (&config.wrapup_code_id, &config.wrapup_code_name) {
        (TfValue::Known(_), TfValue::Known(_)) => diagnostics.attribute_error(
            attr_path!(BackfillModel.wrapup_code_name),
            "Conflicting wrap-up code attributes",
            "Set exactly one of wrapup_code_id and wrapup_code_name, not both.",
        ),
        (TfValue::Null, TfValue::Null) => diagnostics.error(
            "Missing wrap-up code",
            "Set exactly one of wrapup_code_id (the code's ID) and wrapup_code_name (its name, \
             which the provider resolves to the ID).",
        ),
        _ => {}
    }
    if let Some(text) = config.wrapup_code_id.as_str()
        && !is_uuid(text)
    {
        diagnostics.attribute_error(
            attr_path!(BackfillModel.wrapup_code_id),
            "wrapup_code_id is not a wrap-up code ID",
            format!(
                "{text:?} is not an ID (a UUID). If it is the code's name, set \
                 wrapup_code_name = {text:?} instead."
            ),
        );
    }
    if let Some(text) = config.wrapup_code_name.as_str()
        && (text.trim().is_empty() || text.trim() != text)
    {
        diagnostics.attribute_error(
            attr_path!(BackfillModel.wrapup_code_name),
            "Invalid wrapup_code_name",
            format!(
                "{text:?} cannot be a wrap-up code name: names are not empty and have no \
                 leading or trailing spaces."
            ),
        );
    }
    let touch = match config.participants.as_str() {
        None | Some("missing") => Some(Touch::Missing),
        Some("all") => Some(Touch::All),
        Some(other) => {
            diagnostics.attribute_error(
                attr_path!(BackfillModel.participants),
                "Invalid participants",
                format!("{other:?} is not a participant selection; use missing or all."),
            );
            None
        }
    };
    let max_conversations = match &config.max_conversations {
        TfValue::Known(n) => match n.as_u64().filter(|n| *n >= 1) {
            Some(n) => Some(n),
            None => {
                diagnostics.attribute_error(
                    attr_path!(BackfillModel.max_conversations),
                    "Invalid max_conversations",
                    "max_conversations must be a whole number, 1 or more.",
                );
                None
            }
        },
        _ => Some(DEFAULT_MAX_CONVERSATIONS),
    };
    if diagnostics.has_errors() && !before {
        return None;
    }
    let code = match (
        config.wrapup_code_id.as_str(),
        config.wrapup_code_name.as_str(),
    ) {
        (Some(id), None) => CodeChoice {
            id: Some(id.to_owned()),
            name: None,
            configured: CodeGivenBy::Id,
        },
        (None, Some(name)) => CodeChoice {
            id: None,
            name: Some(name.to_owned()),
            configured: CodeGivenBy::Name,
        },
        _ => return None,
    };
    let dry_run = match &config.dry_run {
        TfValue::Known(value) => *value,
        TfValue::Null => false,
        TfValue::Unknown(_) => return None,
    };
    if config.notes.is_unknown() {
        return None;
    }
    Some(BackfillJob {
        interval: interval?,
        queue_ids: known_set(&config.queue_ids)?,
        media_types: known_set(&config.media_types)?,
        code,
        notes: config.notes.as_str().map(str::to_owned),
        touch: touch?,
        max_conversations: max_conversations?,
        dry_run,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use tfplugin_framework::model::{assert_model_matches, assert_round_trips};

    #[test]
    fn the_model_matches_the_schema_and_round_trips() {
        assert_model_matches::<BackfillModel>(&super::super::action_schema().value_type());
        assert_round_trips(&[
            BackfillModel {
                interval: "a/b".into(),
                wrapup_code_name: "Sale".into(),
                ..BackfillModel::default()
            },
            BackfillModel {
                interval: TfValue::unknown(),
                queue_ids: TfValue::Known(StringSet::of(["q".to_owned()])),
                max_conversations: TfValue::Known(Number::from(5)),
                dry_run: TfValue::Known(true),
                participants: "all".into(),
                ..BackfillModel::default()
            },
        ]);
    }

    #[test]
    fn only_the_interval_is_required_and_every_attribute_is_described() {
        let who_sets: Vec<(String, Type, bool, bool, bool)> = attributes()
            .into_iter()
            .map(|a| {
                assert!(!a.description.is_empty(), "{} has a description", a.name);
                assert!(!a.sensitive && !a.write_only && !a.deprecated, "{}", a.name);
                (a.name, a.ty, a.required, a.optional, a.computed)
            })
            .collect();
        let optional = |name: &str, ty: Type| (name.to_owned(), ty, false, true, false);
        assert_eq!(
            who_sets,
            vec![
                ("interval".to_owned(), Type::String, true, false, false),
                optional("queue_ids", Type::set(Type::String)),
                optional("media_types", Type::set(Type::String)),
                optional("wrapup_code_id", Type::String),
                optional("wrapup_code_name", Type::String),
                optional("notes", Type::String),
                optional("participants", Type::String),
                optional("max_conversations", Type::Number),
                optional("dry_run", Type::Bool),
            ]
        );
    }

    fn config() -> BackfillModel {
        BackfillModel {
            interval: "2026-11-30T00:00:00Z/2026-12-01T00:00:00Z".into(),
            wrapup_code_name: "Sale completed".into(),
            ..BackfillModel::default()
        }
    }

    #[test]
    fn a_known_configuration_becomes_a_job_with_the_defaults() {
        let mut diagnostics = Diagnostics::default();
        let job = check(&config(), &mut diagnostics).expect("valid");
        assert!(diagnostics.0.is_empty(), "{diagnostics:?}");
        assert_eq!(job.touch, Touch::Missing);
        assert_eq!(job.max_conversations, DEFAULT_MAX_CONVERSATIONS);
        assert!(!job.dry_run);
        assert_eq!(job.code.name.as_deref(), Some("Sale completed"));
    }

    #[test]
    fn bad_values_are_errors_on_their_attribute() {
        let bad = BackfillModel {
            participants: "some".into(),
            max_conversations: TfValue::Known(Number::from(0)),
            media_types: TfValue::Known(StringSet::of(["fax".to_owned()])),
            wrapup_code_id: "Sale".into(),
            ..config()
        };
        let mut diagnostics = Diagnostics::default();
        assert!(check(&bad, &mut diagnostics).is_none());
        let on: Vec<String> = diagnostics
            .0
            .iter()
            .filter_map(|d| d.attribute.as_ref().map(ToString::to_string))
            .collect();
        for attribute in [
            "participants",
            "max_conversations",
            "media_types",
            "wrapup_code_id",
            "wrapup_code_name",
        ] {
            assert!(on.iter().any(|a| a == attribute), "{attribute} in {on:?}");
        }
    }
}
