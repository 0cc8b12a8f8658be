//! Applying a wrap-up below the seam: finding the participant and communication to wrap up,
//! resolving a code name to its ID among the codes valid for the participant's queue, posting
//! the wrap-up to the media's endpoint and proving, by reading it back, that the platform kept
//! it (posting again only when an answer was lost and the read-back shows nothing landed).
//!
//! Nothing here knows Terraform: the request is a [`DesiredWrapup`], a failure a typed
//! [`WrapupError`] naming the input at fault with an [`InputName`], and progress goes out as
//! [`WrapupEvent`]s to a [`WrapupProgress`] the caller supplies. The Terraform types
//! (`resources::conversation_wrapup`, the two wrap-up actions) read their models into a
//! [`DesiredWrapup`] and map a [`WrapupError`] to diagnostics on attribute paths.

mod error;
mod events;
#[cfg(test)]
pub(crate) mod fake;
mod proof;
mod request;
mod resolve;
mod write;

pub use error::{SentWrapup, WrapupError};
pub use events::{WrapupEvent, WrapupProgress};
pub use proof::{Before, before_in};
pub use request::{CodeChoice, CodeGivenBy, DesiredWrapup, InputName, TargetChoice};
pub use resolve::{
    ResolvedCode, Target, check_awaiting_wrapup, code_name_for, read_conversation, resolve_code,
    resolve_target,
};
pub use write::{
    Applied, Resolution, VERIFY_DELAYS, apply_resolved, apply_wrapup, endpoint_for, resolve_wrapup,
};
