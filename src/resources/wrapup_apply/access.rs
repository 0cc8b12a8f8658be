//! The conversation calls the wrap-up logic makes live in the platform layer
//! ([`crate::platform`]); re-exported here for the wrap-up types.

pub use crate::platform::{ConversationApi, ConversationsView, GenesysConversations};
