//! The schema: the resource's attributes, and the input attributes it shares with the action.

use super::model::{ConversationWrapupModel, WrapupInputsModel};
use tfplugin_framework::attr_name;
use tfplugin_framework::cty::Type;
use tfplugin_framework::{Attribute, Block, Schema};

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
            description: format!(
                "{WRAPUP_PURPOSE} Refresh shows a wrap-up changed on the platform as drift. \
                 Destroying only removes it from state: Genesys Cloud cannot remove a wrap-up."
            ),
            attributes,
            ..Block::default()
        },
    }
}

/// What the resource and the action do, the first sentence of both their descriptions.
pub const WRAPUP_PURPOSE: &str = "Applies a wrap-up code to a participant of a finished \
    conversation and proves the platform kept it: the code name is resolved to its ID, the \
    wrap-up is posted to the conversation's media endpoint and read back.";

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
