//! Typed Platform API models (serde, camelCase). Unknown fields are ignored, optional fields
//! are `Option`, and timestamps stay ISO-8601 strings as the API sends them.

mod analytics;
mod conversation;
mod division;
mod error_body;
mod limit;
mod listing;
mod queue;
mod wrapup;
mod wrapup_code;

pub use analytics::{
    AnalyticsConversation, AnalyticsConversationMultiGetResponse,
    AnalyticsConversationQueryResponse, AnalyticsParticipant, AnalyticsSegment, AnalyticsSession,
    ConversationQuery, DetailQueryFilter, DetailQueryPredicate, PagingSpec,
};
pub use conversation::{
    AfterCallWork, Communication, Conversation, ConversationDivisionMembership, DomainEntityRef,
    Participant,
};
pub use division::{Division, DivisionRef};
pub use error_body::{ErrorBody, ErrorDetail, ErrorLimit};
pub use limit::{Limit, LimitsListing};
pub use listing::EntityListing;
pub use queue::Queue;
pub use wrapup::{AssignedWrapupCode, MediaParticipantRequest, Wrapup, WrapupBody};
pub use wrapup_code::{WrapupCode, WrapupCodeReference, WrapupCodeRequest};
