//! The one mapping of the wrap-up work below the seam to Terraform: each input the platform
//! module names ([`InputName`]) is an attribute of the inputs model, each [`WrapupError`] a
//! diagnostic on the attribute at fault, and an [`Applied`] write that nothing proves a
//! warning. The resource, the action and the back-fill all report through it.

use super::model::WrapupInputsModel;
use crate::platform::wrapup_writer::{Applied, CodeGivenBy, InputName, WrapupError};
use crate::resources::support::PlatformDiagnostics;
use genesys_client::MediaType;
use tfplugin_framework::Diagnostics;
use tfplugin_framework::attr_name;
use tfplugin_framework::cty::AttributePath;

/// The attribute (of the resource and of the action alike) that holds `input`.
pub fn input_attribute(input: InputName) -> &'static str {
    match input {
        InputName::ConversationId => attr_name!(WrapupInputsModel.conversation_id),
        InputName::ParticipantId => attr_name!(WrapupInputsModel.participant_id),
        InputName::CommunicationId => attr_name!(WrapupInputsModel.communication_id),
        InputName::CodeId => attr_name!(WrapupInputsModel.wrapup_code_id),
        InputName::CodeName => attr_name!(WrapupInputsModel.wrapup_code_name),
    }
}

/// The path of the attribute that holds `input`.
pub fn input_path(input: InputName) -> AttributePath {
    AttributePath::root(input_attribute(input))
}

/// The input held by the attribute named `attribute`, if any.
pub fn input_named(attribute: &str) -> Option<InputName> {
    InputName::ALL
        .into_iter()
        .find(|input| input_attribute(*input) == attribute)
}

/// Something the wrap-up work returns that the user must be told of, as diagnostics.
pub trait WrapupDiagnostics {
    /// Appends the diagnostics, each on the attribute at fault when there is one.
    fn to_diagnostics(&self, diagnostics: &mut Diagnostics);

    /// The diagnostics for this alone.
    fn diagnostics(&self) -> Diagnostics {
        let mut diagnostics = Diagnostics::default();
        self.to_diagnostics(&mut diagnostics);
        diagnostics
    }
}

impl WrapupDiagnostics for Applied {
    /// The warning an unproven write owes the user (nothing when it was verified).
    fn to_diagnostics(&self, diagnostics: &mut Diagnostics) {
        if let Some(detail) = &self.unproven {
            diagnostics.warning(
                "The wrap-up is in place, but this write is not proven",
                detail,
            );
        }
    }
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

impl WrapupDiagnostics for WrapupError {
    fn to_diagnostics(&self, diagnostics: &mut Diagnostics) {
        let summary = self.to_string();
        let (attribute, detail): (Option<AttributePath>, String) = match self {
            WrapupError::ConversationNotFound {
                conversation_id,
                failure,
            } => (
                Some(input_path(InputName::ConversationId)),
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
                Some(input_path(InputName::ParticipantId)),
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
                Some(input_path(InputName::ParticipantId)),
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
                Some(input_path(InputName::CommunicationId)),
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
                Some(input_path(InputName::CommunicationId)),
                format!(
                    "Participant {participant_id} has several communications that could take \
                     the wrap-up. Set communication_id to one of:\n{}",
                    bullet_list(candidates)
                ),
            ),
            WrapupError::WrapupNotRequired {
                input,
                participant_id,
                purpose,
            } => (
                Some(input_path(*input)),
                format!(
                    "Participant {participant_id} (purpose {purpose}) does not require a \
                     wrap-up, so the platform refuses one. Wrap-ups belong to the agent \
                     participant that handled the interaction."
                ),
            ),
            WrapupError::NotAwaitingWrapup {
                input,
                participant_id,
                communication_id,
                media,
                state,
            } => (
                Some(input_path(*input)),
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
                    Some(input_path(choice.input())),
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
                    Some(input_path(choice.input())),
                    format!(
                        "{what} Check the spelling. The codes valid for participant \
                         {participant_id}{queue} are:\n{}",
                        bullet_list(allowed)
                    ),
                )
            }
            WrapupError::CodeAmbiguous { given, matches } => (
                Some(input_path(InputName::CodeName)),
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
                input,
            } => (
                Some(input_path(*input)),
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
                Some(input_path(choice.input())),
                format!("Sent {}; the platform answered {failure}.", sent.describe()),
            ),
            WrapupError::NotPersisted {
                choice,
                sent,
                found,
                read_back,
            } => (
                Some(input_path(choice.input())),
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
                    Some(input_path(InputName::CommunicationId)),
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
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;
    use crate::platform::wrapup_writer::fake::*;
    use crate::platform::wrapup_writer::{
        CodeChoice, DesiredWrapup, apply_wrapup, resolve_code, resolve_target,
    };
    use tfplugin_framework::{CancellationToken, Model, Severity, attr_path};

    fn by_name(name: &str) -> DesiredWrapup {
        desired(None, Some(name))
    }

    /// The one diagnostic the apply of `desired` on `platform` fails with.
    async fn failure(
        platform: &FakePlatform,
        desired: &DesiredWrapup,
    ) -> (String, String, Option<AttributePath>) {
        let error = apply_wrapup(
            platform,
            desired,
            &[Duration::ZERO, Duration::ZERO],
            None,
            &CancellationToken::new(),
        )
        .await
        .expect_err("the apply fails");
        let diagnostics = error.diagnostics();
        assert_eq!(diagnostics.0.len(), 1, "{diagnostics:?}");
        let d = &diagnostics.0[0];
        (d.summary.clone(), d.detail.clone(), d.attribute.clone())
    }

    #[test]
    fn every_input_is_an_attribute_of_the_inputs_model_and_back() {
        for input in InputName::ALL {
            let name = input_attribute(input);
            assert!(WrapupInputsModel::ATTRIBUTES.contains(&name), "{name}");
            assert_eq!(input_named(name), Some(input));
        }
        assert_eq!(input_named("notes"), None);
    }

    #[tokio::test]
    async fn a_write_the_platform_drops_fails_on_the_code_saying_what_was_sent() {
        let platform = FakePlatform {
            ignore_writes: true,
            ..FakePlatform::ended()
        };
        let (summary, detail, attribute) = failure(&platform, &by_name("Sale completed")).await;
        assert_eq!(
            summary,
            "The platform accepted the wrap-up write but did not persist it"
        );
        assert!(detail.contains(SALE), "{detail}");
        assert!(detail.contains("\"Sale completed\""), "{detail}");
        assert!(
            detail.contains(&format!(
                "POST /api/v2/conversations/calls/{CONV}/participants/{AGENT}/communications/{AGENT_CALL}/wrapup"
            )),
            "{detail}"
        );
        assert!(detail.contains("holds no wrap-up"), "{detail}");
        assert_eq!(
            attribute,
            Some(attr_path!(WrapupInputsModel.wrapup_code_name))
        );
    }

    #[tokio::test]
    async fn a_code_not_on_the_queue_lists_the_allowed_names_on_the_attribute_given() {
        let platform = FakePlatform::ended();
        let (_, detail, attribute) = failure(&platform, &by_name("Refund")).await;
        assert!(detail.contains("\"Sale completed\""), "{detail}");
        assert!(detail.contains("\"No sale\""), "{detail}");
        assert_eq!(
            attribute,
            Some(attr_path!(WrapupInputsModel.wrapup_code_name))
        );
        let by_id = CodeChoice {
            id: Some(AGENT_CALL.into()),
            name: None,
            configured: CodeGivenBy::Id,
        };
        let (target, _) = resolve_target(&platform, &desired(Some(AGENT_CALL), None).target)
            .await
            .expect("target");
        let error = resolve_code(&platform, &target, &by_id)
            .await
            .expect_err("not on the queue");
        let diagnostic = &error.diagnostics().0[0];
        assert_eq!(
            diagnostic.attribute,
            Some(attr_path!(WrapupInputsModel.wrapup_code_id))
        );
        assert!(
            diagnostic.detail.contains("\"No sale\""),
            "{}",
            diagnostic.detail
        );
    }

    #[tokio::test]
    async fn errors_about_the_target_land_on_the_input_that_selected_it() {
        let connected = FakePlatform::with_agent_state("connected");
        let (summary, detail, attribute) = failure(&connected, &by_name("Sale completed")).await;
        assert_eq!(summary, "Participant is not awaiting wrap-up");
        assert!(detail.contains("still connected"), "{detail}");
        assert_eq!(
            attribute,
            Some(attr_path!(WrapupInputsModel.conversation_id))
        );

        let purged = FakePlatform::ended();
        purged.purge();
        let (summary, _, attribute) = failure(&purged, &by_name("Sale completed")).await;
        assert_eq!(summary, "Conversation not found");
        assert_eq!(
            attribute,
            Some(attr_path!(WrapupInputsModel.conversation_id))
        );

        let mut customer = by_name("Sale completed");
        customer.target.participant_id = Some(CUSTOMER.into());
        let (summary, _, attribute) = failure(&FakePlatform::ended(), &customer).await;
        assert_eq!(summary, "Participant does not take a wrap-up");
        assert_eq!(
            attribute,
            Some(attr_path!(WrapupInputsModel.participant_id))
        );
    }

    #[test]
    fn an_ambiguous_participant_asks_for_participant_id_and_an_ambiguous_name_for_the_exact_one() {
        let ambiguous = WrapupError::AmbiguousParticipant {
            conversation_id: CONV.into(),
            reason: "The conversation has 2 agent participants and 2 of them awaiting wrap-up."
                .into(),
            candidates: vec!["participant a".into(), "participant b".into()],
        };
        let diagnostic = &ambiguous.diagnostics().0[0];
        assert!(
            diagnostic.detail.contains("Set participant_id"),
            "{}",
            diagnostic.detail
        );
        assert_eq!(
            diagnostic.attribute,
            Some(attr_path!(WrapupInputsModel.participant_id))
        );
        let name = WrapupError::CodeAmbiguous {
            given: "sale".into(),
            matches: vec!["\"Sale\" (1)".into(), "\"SALE\" (2)".into()],
        };
        let diagnostic = &name.diagnostics().0[0];
        assert_eq!(diagnostic.summary, "Wrap-up code name is ambiguous");
        assert_eq!(
            diagnostic.attribute,
            Some(attr_path!(WrapupInputsModel.wrapup_code_name))
        );
    }

    #[tokio::test]
    async fn values_already_held_without_end_times_apply_with_a_warning_not_a_claim() {
        let platform = FakePlatform {
            ignore_writes: true,
            end_times: false,
            ..FakePlatform::ended()
        };
        platform.set_wrapup(SALE, None);
        let held = DesiredWrapup {
            notes: None,
            ..by_name("Sale completed")
        };
        let applied = apply_wrapup(
            &platform,
            &held,
            &[Duration::ZERO],
            None,
            &CancellationToken::new(),
        )
        .await
        .expect("nothing contradicts the write");
        let diagnostics = applied.diagnostics();
        assert_eq!(diagnostics.0.len(), 1, "{diagnostics:?}");
        assert_eq!(diagnostics.0[0].severity, Severity::Warning);
        assert!(
            diagnostics.0[0].detail.contains("cannot tell"),
            "{}",
            diagnostics.0[0].detail
        );
    }
}
