//! Why a wrap-up could not be applied, classified so that each case can be told to the user
//! on the input at fault (an [`InputName`]; the Terraform types map it to an attribute).

use super::request::{CodeGivenBy, InputName};
use crate::platform::PlatformError;
use genesys_client::MediaType;

/// What a wrap-up write sent, for the messages that must say so.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SentWrapup {
    pub code_id: String,
    pub code_name: Option<String>,
    /// Method and path of the write, with the IDs filled in.
    pub endpoint: String,
}

impl SentWrapup {
    /// `code ID <id> ("<name>") to <endpoint>`, for messages.
    pub fn describe(&self) -> String {
        let name = self
            .code_name
            .as_deref()
            .map(|name| format!(" ({name:?})"))
            .unwrap_or_default();
        format!("code ID {}{name} to {}", self.code_id, self.endpoint)
    }
}

/// A failed wrap-up, classified so each case gets its own diagnostic on the right attribute.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WrapupError {
    #[error("Conversation not found")]
    ConversationNotFound {
        conversation_id: String,
        failure: String,
    },
    #[error("Participant not found in the conversation")]
    ParticipantNotFound {
        participant_id: String,
        conversation_id: String,
        candidates: Vec<String>,
    },
    #[error("Cannot tell which participant to wrap up")]
    AmbiguousParticipant {
        conversation_id: String,
        reason: String,
        candidates: Vec<String>,
    },
    #[error("Communication not found for the participant")]
    CommunicationNotFound {
        communication_id: String,
        participant_id: String,
        candidates: Vec<String>,
    },
    #[error("Cannot tell which communication to wrap up")]
    AmbiguousCommunication {
        participant_id: String,
        candidates: Vec<String>,
    },
    #[error("Participant does not take a wrap-up")]
    WrapupNotRequired {
        /// `ParticipantId`, or `ConversationId` when the participant was resolved from it.
        input: InputName,
        participant_id: String,
        purpose: String,
    },
    #[error("Participant is not awaiting wrap-up")]
    NotAwaitingWrapup {
        /// The given input that selected the communication.
        input: InputName,
        participant_id: String,
        communication_id: String,
        media: String,
        state: String,
    },
    #[error("Wrap-up code not valid for this participant")]
    CodeNotAllowed {
        choice: CodeGivenBy,
        given: String,
        participant_id: String,
        queue: Option<String>,
        /// `"Name" (id)` of every code the participant may be given.
        allowed: Vec<String>,
    },
    #[error("Wrap-up code not found")]
    CodeUnknown {
        choice: CodeGivenBy,
        given: String,
        participant_id: String,
        queue: Option<String>,
        /// `"Name" (id)` of every code the participant may be given.
        allowed: Vec<String>,
    },
    #[error("Wrap-up code name is ambiguous")]
    CodeAmbiguous {
        given: String,
        /// `"Name" (id)` of every code the name matches ignoring case.
        matches: Vec<String>,
    },
    #[error("Access denied")]
    Denied {
        action: String,
        failure: String,
        /// The input the denied read or write was for (the conversation).
        input: InputName,
    },
    #[error("The platform refused the wrap-up")]
    Rejected {
        choice: CodeGivenBy,
        sent: SentWrapup,
        failure: String,
    },
    #[error("The platform accepted the wrap-up write but did not persist it")]
    NotPersisted {
        choice: CodeGivenBy,
        sent: SentWrapup,
        /// What the read-back showed instead ("it holds no wrap-up", "its notes are …").
        found: String,
        read_back: String,
    },
    #[error("The platform has no wrap-up endpoint for this communication")]
    WriteNotFound {
        media: MediaType,
        communication_id: String,
        sent: SentWrapup,
        failure: String,
    },
    #[error("Could not {action}")]
    Platform {
        action: String,
        error: PlatformError,
    },
    /// The write may have landed (its POST answered success, or its answer was lost), but
    /// reading it back failed. Its diagnostic is that of the failed read; a resource keeps
    /// `written` in state instead, for the next refresh to check.
    #[error("Could not {action}")]
    Unverified {
        /// The wrap-up as sent.
        written: Box<super::write::Applied>,
        /// True when the POST answered success; false when its answer was lost.
        post_answered: bool,
        action: String,
        error: Box<PlatformError>,
    },
}

impl WrapupError {
    /// Classifies a platform failure while doing `action`; 403 anywhere (but for refused
    /// credentials, which the generic platform error explains) gets its own case.
    pub fn platform(action: impl Into<String>, error: PlatformError) -> Self {
        let action = action.into();
        match error {
            PlatformError::Denied(failure) if !error.refused_credentials() => WrapupError::Denied {
                action,
                failure: failure.to_string(),
                input: InputName::ConversationId,
            },
            error => WrapupError::Platform { action, error },
        }
    }
}
