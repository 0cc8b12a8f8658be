//! What a caller asks for: the wrap-up to apply, which communication it is for, and which code;
//! and the names of the inputs an error can point at.

/// One input of a wrap-up request, for errors to say which input is at fault and for a
/// resolved target to say which input selected it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InputName {
    ConversationId,
    ParticipantId,
    CommunicationId,
    CodeId,
    CodeName,
}

impl InputName {
    /// Every input, in the order the request lists them.
    pub const ALL: [InputName; 5] = [
        InputName::ConversationId,
        InputName::ParticipantId,
        InputName::CommunicationId,
        InputName::CodeId,
        InputName::CodeName,
    ];
}

/// How the user gave the code: by ID or by name. Errors about the code point at that input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CodeGivenBy {
    Id,
    Name,
}

impl CodeGivenBy {
    /// The input the code was given in.
    pub fn input(self) -> InputName {
        match self {
            CodeGivenBy::Id => InputName::CodeId,
            CodeGivenBy::Name => InputName::CodeName,
        }
    }
}

/// Which code the user asked for. At least one of `id` and `name` is set; `configured` says
/// which input the user wrote (errors point there).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CodeChoice {
    pub id: Option<String>,
    pub name: Option<String>,
    pub configured: CodeGivenBy,
}

/// Which communication a wrap-up is for: the conversation, and the participant and
/// communication when given (otherwise the only sensible ones are chosen).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TargetChoice {
    pub conversation_id: String,
    pub participant_id: Option<String>,
    pub communication_id: Option<String>,
}

/// A wrap-up to apply, wholly known.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DesiredWrapup {
    pub target: TargetChoice,
    pub code: CodeChoice,
    pub notes: Option<String>,
    pub tags: Option<Vec<String>>,
    pub duration_seconds: Option<i64>,
}
