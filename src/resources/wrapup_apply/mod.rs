//! What `genesyscloud_conversation_wrapup` the resource and the action share: reading their
//! inputs, finding the participant and communication to wrap up, resolving a code name to the
//! ID the platform needs, posting the wrap-up to the media's endpoint and proving, by reading
//! it back, that the platform kept it.

mod access;
mod apply;
mod error;
#[cfg(test)]
pub(crate) mod fake;
mod inputs;
mod model;
mod proof;
mod resolve;

pub use access::{ConversationApi, ConversationsView, GenesysConversations};
pub use apply::{
    Applied, Resolution, VERIFY_DELAYS, apply_resolved, apply_wrapup, endpoint_for, resolve_wrapup,
};
pub use error::{CodeGivenBy, SentWrapup, WrapupError};
pub use inputs::{
    CodeChoice, DesiredWrapup, SchemaKind, TargetChoice, input_attributes, validate_inputs,
};
pub use model::WrapupInputsModel;
pub use proof::{Before, before_in};
pub use resolve::{
    ResolvedCode, Target, check_awaiting_wrapup, code_name_for, read_conversation, resolve_code,
    resolve_target,
};
