//! Why a wrap-up could not be applied, and the attribute-scoped diagnostic each case becomes.

use super::model::WrapupInputsModel;
use crate::resources::support::PlatformDiagnostics;
use crate::resources::support::PlatformError;
use genesys_client::MediaType;
use tfplugin_framework::Diagnostics;
use tfplugin_framework::attr_path;
use tfplugin_framework::cty::AttributePath;

/// Which code attribute the user set; errors about the code point at it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CodeGivenBy {
    Id,
    Name,
}

impl CodeGivenBy {
    /// The attribute's path.
    pub fn attribute(self) -> AttributePath {
        match self {
            CodeGivenBy::Id => attr_path!(WrapupInputsModel.wrapup_code_id),
            CodeGivenBy::Name => attr_path!(WrapupInputsModel.wrapup_code_name),
        }
    }
}

/// What a wrap-up write sent, for the messages that must say so.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SentWrapup {
    pub code_id: String,
    pub code_name: Option<String>,
    /// Method and path of the write, with the IDs filled in.
    pub endpoint: String,
}

impl SentWrapup {
    fn describe(&self) -> String {
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
        /// `participant_id`, or `conversation_id` when the participant was resolved from it.
        attribute: AttributePath,
        participant_id: String,
        purpose: String,
    },
    #[error("Participant is not awaiting wrap-up")]
    NotAwaitingWrapup {
        /// The configured attribute that selected the communication.
        attribute: AttributePath,
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
        attribute: AttributePath,
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
        written: Box<super::apply::Applied>,
        /// True when the POST answered success; false when its answer was lost.
        post_answered: bool,
        action: String,
        error: Box<PlatformError>,
    },
}

fn bullet_list(items: &[String]) -> String {
    if items.is_empty() {
        "  (none)".into()
    } else {
        items
            .iter()
            .map(|item| format!("  - {item}"))
            .collect::<Vec<_>>()
            .join("\n")
    }
}

impl WrapupError {
    /// Classifies a platform failure while doing `action`; 404 on the conversation read and
    /// 403 anywhere get their own diagnostics.
    pub fn platform(action: impl Into<String>, error: PlatformError) -> Self {
        let action = action.into();
        match error {
            // Refused credentials get the generic platform diagnostic, which explains them.
            PlatformError::Denied(failure) if !error.refused_credentials() => WrapupError::Denied {
                action,
                failure: failure.to_string(),
                attribute: attr_path!(WrapupInputsModel.conversation_id),
            },
            error => WrapupError::Platform { action, error },
        }
    }

    /// Appends this error as a diagnostic on the attribute at fault.
    pub fn to_diagnostics(&self, diagnostics: &mut Diagnostics) {
        let summary = self.to_string();
        let (attribute, detail): (Option<AttributePath>, String) = match self {
            WrapupError::ConversationNotFound {
                conversation_id,
                failure,
            } => (
                Some(attr_path!(WrapupInputsModel.conversation_id)),
                format!(
                    "Genesys Cloud has no conversation {conversation_id} visible to these \
                     credentials ({failure}). Check the ID; conversations are also purged after \
                     their retention period."
                ),
            ),
            WrapupError::ParticipantNotFound {
                participant_id,
                conversation_id,
                candidates,
            } => (
                Some(attr_path!(WrapupInputsModel.participant_id)),
                format!(
                    "Conversation {conversation_id} has no participant {participant_id}. Its \
                     participants are:\n{}",
                    bullet_list(candidates)
                ),
            ),
            WrapupError::AmbiguousParticipant {
                conversation_id,
                reason,
                candidates,
            } => (
                Some(attr_path!(WrapupInputsModel.participant_id)),
                format!(
                    "{reason} Set participant_id to one of the participants of conversation \
                     {conversation_id}:\n{}",
                    bullet_list(candidates)
                ),
            ),
            WrapupError::CommunicationNotFound {
                communication_id,
                participant_id,
                candidates,
            } => (
                Some(attr_path!(WrapupInputsModel.communication_id)),
                format!(
                    "Participant {participant_id} has no communication {communication_id}. Its \
                     communications are:\n{}",
                    bullet_list(candidates)
                ),
            ),
            WrapupError::AmbiguousCommunication {
                participant_id,
                candidates,
            } => (
                Some(attr_path!(WrapupInputsModel.communication_id)),
                format!(
                    "Participant {participant_id} has several communications that could take \
                     the wrap-up. Set communication_id to one of:\n{}",
                    bullet_list(candidates)
                ),
            ),
            WrapupError::WrapupNotRequired {
                attribute,
                participant_id,
                purpose,
            } => (
                Some(attribute.clone()),
                format!(
                    "Participant {participant_id} (purpose {purpose}) does not require a \
                     wrap-up, so the platform refuses one. Wrap-ups belong to the agent \
                     participant that handled the interaction."
                ),
            ),
            WrapupError::NotAwaitingWrapup {
                attribute,
                participant_id,
                communication_id,
                media,
                state,
            } => (
                Some(attribute.clone()),
                format!(
                    "Participant {participant_id} is still {state} on its {media} \
                     communication {communication_id}. The platform only takes a wrap-up once \
                     the communication has disconnected and is awaiting wrap-up; apply again \
                     after the interaction ends."
                ),
            ),
            WrapupError::CodeNotAllowed {
                choice,
                given,
                participant_id,
                queue,
                allowed,
            } => {
                let queue = queue
                    .as_deref()
                    .map(|q| format!(" (queue {q})"))
                    .unwrap_or_default();
                let what = match choice {
                    CodeGivenBy::Id => format!(
                        "Wrap-up code ID {given} exists in the org but is not among the codes \
                         valid for participant {participant_id}{queue}."
                    ),
                    CodeGivenBy::Name => format!(
                        "The wrap-up code {given:?} exists in the org but is not valid for \
                         participant {participant_id}{queue}."
                    ),
                };
                (
                    Some(choice.attribute()),
                    format!(
                        "{what} The codes assigned to the queue are:\n{}\nA code must be \
                         assigned to the participant's queue before it can be applied.",
                        bullet_list(allowed)
                    ),
                )
            }
            WrapupError::CodeUnknown {
                choice,
                given,
                participant_id,
                queue,
                allowed,
            } => {
                let queue = queue
                    .as_deref()
                    .map(|q| format!(" (queue {q})"))
                    .unwrap_or_default();
                let what = match choice {
                    CodeGivenBy::Id => {
                        format!("Genesys Cloud has no wrap-up code with ID {given} in this org.")
                    }
                    CodeGivenBy::Name => {
                        format!("Genesys Cloud has no wrap-up code named {given:?} in this org.")
                    }
                };
                (
                    Some(choice.attribute()),
                    format!(
                        "{what} Check the spelling. The codes valid for participant \
                         {participant_id}{queue} are:\n{}",
                        bullet_list(allowed)
                    ),
                )
            }
            WrapupError::CodeAmbiguous { given, matches } => (
                Some(CodeGivenBy::Name.attribute()),
                format!(
                    "The name {given:?} matches several wrap-up codes that differ only in case, \
                     and none exactly:\n{}\nWrite the name exactly as one of them, or set \
                     wrapup_code_id instead.",
                    bullet_list(matches)
                ),
            ),
            WrapupError::Denied {
                action,
                failure,
                attribute,
            } => (
                Some(attribute.clone()),
                format!(
                    "Could not {action}: {failure}\nThe OAuth client's role lacks a permission: \
                     it needs to view conversations and edit their wrap-up (conversation \
                     permissions for this media type), and to view wrap-up codes, in the \
                     conversation's division."
                ),
            ),
            WrapupError::Rejected {
                choice,
                sent,
                failure,
            } => (
                Some(choice.attribute()),
                format!("Sent {}; the platform answered {failure}.", sent.describe()),
            ),
            WrapupError::NotPersisted {
                choice,
                sent,
                found,
                read_back,
            } => (
                Some(choice.attribute()),
                format!(
                    "Sent {}, and the platform answered success, but reading it back with \
                         {read_back} shows {found}. The write was silently dropped: this is \
                         what happens when the code's label is sent instead of its ID, or the \
                         request goes to an endpoint that does not store wrap-ups. Nothing \
                         was recorded in state; check the conversation in Genesys Cloud and \
                         apply again.",
                    sent.describe()
                ),
            ),
            WrapupError::WriteNotFound {
                media,
                communication_id,
                sent,
                failure,
            } => {
                let legacy = if *media == MediaType::Chats {
                    " Genesys Cloud has retired legacy chats, and current API versions have \
                     no wrap-up endpoint for them; web messaging conversations are `messages`."
                } else {
                    ""
                };
                (
                    Some(attr_path!(WrapupInputsModel.communication_id)),
                    format!(
                        "Sent {}; the platform answered {failure}, although the conversation \
                         showed {media} communication {communication_id} when the wrap-up was \
                         resolved.{legacy} Nothing was recorded in state.",
                        sent.describe()
                    ),
                )
            }
            WrapupError::Platform { action, error } => {
                error.to_diagnostics(action, diagnostics);
                return;
            }
            WrapupError::Unverified { action, error, .. } => {
                return WrapupError::platform(action.clone(), (**error).clone())
                    .to_diagnostics(diagnostics);
            }
        };
        match attribute {
            Some(path) => diagnostics.attribute_error(path, summary, detail),
            None => diagnostics.error(summary, detail),
        }
    }

    /// The diagnostics for this error alone.
    pub fn diagnostics(&self) -> Diagnostics {
        let mut diagnostics = Diagnostics::default();
        self.to_diagnostics(&mut diagnostics);
        diagnostics
    }
}
