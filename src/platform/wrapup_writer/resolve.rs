//! Finding what to wrap up: the participant (the agent awaiting wrap-up unless named), its
//! communication and media type, and the code's ID among the codes valid for its queue.

use super::error::WrapupError;
use super::request::{CodeChoice, CodeGivenBy, InputName, TargetChoice};
use crate::platform::{ConversationApi, PlatformError};
use genesys_client::MediaType;
use genesys_client::models::{Communication, Conversation, Participant, WrapupCode};

/// The communication a wrap-up is posted for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    pub conversation_id: String,
    pub participant_id: String,
    pub communication_id: String,
    pub media: MediaType,
    pub communication_state: String,
    pub queue_id: Option<String>,
    pub queue_name: Option<String>,
    /// The given input that selected the communication: the communication or participant ID
    /// when given, else the conversation ID (both were resolved from it).
    pub selected_by: InputName,
}

/// A wrap-up code the participant may be given.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResolvedCode {
    pub id: String,
    pub name: Option<String>,
}

fn is_agent(participant: &Participant) -> bool {
    matches!(participant.purpose.as_deref(), Some("agent" | "user"))
}

fn is_ended(communication: &Communication) -> bool {
    matches!(
        communication.state.as_deref(),
        Some("disconnected" | "terminated")
    )
}

fn awaits_wrapup(participant: &Participant) -> bool {
    participant.wrapup_required != Some(false)
        && participant.wrapup.is_none()
        && participant.communications().next().is_some()
        && participant.communications().all(|(_, c)| is_ended(c))
}

fn describe_communication(media: MediaType, communication: &Communication) -> String {
    format!(
        "{media} communication {} ({})",
        communication.id,
        communication.state.as_deref().unwrap_or("state unknown")
    )
}

/// One line per participant for error messages: id, purpose, communications and wrap-up.
fn describe_participant(participant: &Participant) -> String {
    let communications: Vec<String> = participant
        .communications()
        .map(|(media, c)| describe_communication(media, c))
        .collect();
    let wrapup = if participant.wrapup_required == Some(false) {
        "no wrap-up required".to_owned()
    } else if let Some(code) = participant.wrapup.as_ref().and_then(|w| w.code.as_deref()) {
        format!("wrapped up with code {code}")
    } else if awaits_wrapup(participant) {
        "awaiting wrap-up".to_owned()
    } else {
        "not awaiting wrap-up".to_owned()
    };
    format!(
        "participant {} (purpose {}; {}; {wrapup})",
        participant.id,
        participant.purpose.as_deref().unwrap_or("unknown"),
        if communications.is_empty() {
            "no communications".to_owned()
        } else {
            communications.join(", ")
        }
    )
}

/// Reads the conversation; a 404 becomes [`WrapupError::ConversationNotFound`].
pub async fn read_conversation(
    api: &dyn ConversationApi,
    conversation_id: &str,
) -> Result<Conversation, WrapupError> {
    api.conversation(conversation_id)
        .await
        .map_err(|error| match error {
            PlatformError::NotFound(failure) => WrapupError::ConversationNotFound {
                conversation_id: conversation_id.to_owned(),
                failure: failure.to_string(),
            },
            other => WrapupError::platform(format!("read conversation {conversation_id}"), other),
        })
}

/// Finds the participant and communication `spec` designates (or the only sensible ones).
///
/// The conversation's analytics view, read in bulk, serves when it settles the target without
/// wrap-up state, which analytics may show late: the participant is given, or it is the only
/// agent. Otherwise, and whenever the view would refuse the target (a participant analytics
/// does not show yet, say), the exact conversation read decides, so lag never causes an error
/// or picks another participant.
pub async fn resolve_target(
    api: &dyn ConversationApi,
    spec: &TargetChoice,
) -> Result<(Target, Conversation), WrapupError> {
    if let Some(view) = api.conversation_in_bulk(&spec.conversation_id).await
        && (spec.participant_id.is_some()
            || view.participants.iter().filter(|p| is_agent(p)).count() == 1)
        && let Ok(target) = choose_target(&view, spec)
        && check_awaiting_wrapup(&target).is_ok()
    {
        return Ok((target, view));
    }
    let conversation = read_conversation(api, &spec.conversation_id).await?;
    let target = choose_target(&conversation, spec)?;
    Ok((target, conversation))
}

fn choose_target(conversation: &Conversation, spec: &TargetChoice) -> Result<Target, WrapupError> {
    let everyone = || -> Vec<String> {
        conversation
            .participants
            .iter()
            .map(describe_participant)
            .collect()
    };
    let participant_input = if spec.participant_id.is_some() {
        InputName::ParticipantId
    } else {
        InputName::ConversationId
    };
    let communication_input = if spec.communication_id.is_some() {
        InputName::CommunicationId
    } else {
        participant_input
    };
    let participant = match spec.participant_id.as_deref() {
        Some(id) => {
            conversation
                .participant(id)
                .ok_or_else(|| WrapupError::ParticipantNotFound {
                    participant_id: id.to_owned(),
                    conversation_id: conversation.id.clone(),
                    candidates: everyone(),
                })?
        }
        None => {
            let agents: Vec<&Participant> = conversation
                .participants
                .iter()
                .filter(|p| is_agent(p))
                .collect();
            let awaiting: Vec<&Participant> = agents
                .iter()
                .copied()
                .filter(|p| awaits_wrapup(p))
                .collect();
            match (agents.as_slice(), awaiting.as_slice()) {
                ([only], _) | (_, [only]) => *only,
                ([], _) => {
                    return Err(WrapupError::AmbiguousParticipant {
                        conversation_id: conversation.id.clone(),
                        reason: "The conversation has no agent participant to wrap up.".to_owned(),
                        candidates: everyone(),
                    });
                }
                (many, awaiting) => {
                    return Err(WrapupError::AmbiguousParticipant {
                        conversation_id: conversation.id.clone(),
                        reason: format!(
                            "The conversation has {} agent participants and {} of them \
                             awaiting wrap-up.",
                            many.len(),
                            awaiting.len()
                        ),
                        candidates: everyone(),
                    });
                }
            }
        }
    };
    if participant.wrapup_required == Some(false) {
        return Err(WrapupError::WrapupNotRequired {
            input: participant_input,
            participant_id: participant.id.clone(),
            purpose: participant
                .purpose
                .clone()
                .unwrap_or_else(|| "unknown".into()),
        });
    }
    let communications: Vec<(MediaType, &Communication)> = participant.communications().collect();
    let listed = || -> Vec<String> {
        communications
            .iter()
            .map(|(media, c)| describe_communication(*media, c))
            .collect()
    };
    let (media, communication) = match spec.communication_id.as_deref() {
        Some(id) => communications
            .iter()
            .copied()
            .find(|(_, c)| c.id == id)
            .ok_or_else(|| WrapupError::CommunicationNotFound {
                communication_id: id.to_owned(),
                participant_id: participant.id.clone(),
                candidates: listed(),
            })?,
        None => {
            let ended: Vec<(MediaType, &Communication)> = communications
                .iter()
                .copied()
                .filter(|(_, c)| is_ended(c))
                .collect();
            match (communications.as_slice(), ended.as_slice()) {
                ([only], _) | (_, [only]) => *only,
                _ => {
                    return Err(WrapupError::AmbiguousCommunication {
                        participant_id: participant.id.clone(),
                        candidates: listed(),
                    });
                }
            }
        }
    };
    Ok(Target {
        conversation_id: conversation.id.clone(),
        participant_id: participant.id.clone(),
        communication_id: communication.id.clone(),
        media,
        communication_state: communication
            .state
            .clone()
            .unwrap_or_else(|| "in an unknown state".into()),
        queue_id: participant.queue_id.clone(),
        queue_name: participant.queue_name.clone(),
        selected_by: communication_input,
    })
}

/// Fails unless the target communication has ended (the platform's rule for wrap-ups).
pub fn check_awaiting_wrapup(target: &Target) -> Result<(), WrapupError> {
    if matches!(
        target.communication_state.as_str(),
        "disconnected" | "terminated"
    ) {
        Ok(())
    } else {
        Err(WrapupError::NotAwaitingWrapup {
            input: target.selected_by,
            participant_id: target.participant_id.clone(),
            communication_id: target.communication_id.clone(),
            media: target.media.to_string(),
            state: target.communication_state.clone(),
        })
    }
}

fn listed_codes(codes: &[WrapupCode]) -> Vec<String> {
    codes
        .iter()
        .map(|code| format!("{:?} ({})", code.name, code.id))
        .collect()
}

/// Resolves `choice` to a code valid for the target's participant: by ID, it must be one of
/// them; by name, the exact name (or, names being unique ignoring case, the one match
/// ignoring case). A participant without a queue may take any code of the org.
pub async fn resolve_code(
    api: &dyn ConversationApi,
    target: &Target,
    choice: &CodeChoice,
) -> Result<ResolvedCode, WrapupError> {
    let allowed_codes = || async {
        api.allowed_codes(
            &target.conversation_id,
            &target.participant_id,
            target.queue_id.as_deref(),
        )
        .await
        .map_err(|error| {
            WrapupError::platform(
                format!(
                    "list the wrap-up codes valid for participant {}",
                    target.participant_id
                ),
                error,
            )
        })
    };
    let mut allowed = allowed_codes().await?;
    // The queue's codes are read once per process: a code given by ID that they lack may have
    // been assigned since (by a queue resource earlier in the same apply), so read them again
    // before refusing it.
    if let (Some(id), Some(queue_id)) = (choice.id.as_deref(), target.queue_id.as_deref())
        && !allowed.iter().any(|code| code.id.eq_ignore_ascii_case(id))
    {
        api.forget_queue_codes(queue_id);
        allowed = allowed_codes().await?;
    }
    let queue = target
        .queue_name
        .as_ref()
        .map(|name| format!("{name:?}"))
        .or_else(|| target.queue_id.clone());
    let not_allowed = |given: &str, allowed: &[WrapupCode]| WrapupError::CodeNotAllowed {
        choice: choice.configured,
        given: given.to_owned(),
        participant_id: target.participant_id.clone(),
        queue: queue.clone(),
        allowed: listed_codes(allowed),
    };
    let unknown = |given: &str, allowed: &[WrapupCode]| WrapupError::CodeUnknown {
        choice: choice.configured,
        given: given.to_owned(),
        participant_id: target.participant_id.clone(),
        queue: queue.clone(),
        allowed: listed_codes(allowed),
    };
    let queueless = target.queue_id.is_none() && allowed.is_empty();
    if let Some(id) = choice.id.as_deref() {
        if let Some(code) = allowed.iter().find(|code| code.id.eq_ignore_ascii_case(id)) {
            return Ok(ResolvedCode {
                id: code.id.clone(),
                name: Some(code.name.clone()),
            });
        }
        if queueless
            && let Some(code) = api
                .code(id)
                .await
                .map_err(|error| WrapupError::platform(format!("read wrap-up code {id}"), error))?
        {
            return Ok(ResolvedCode {
                id: code.id,
                name: Some(code.name),
            });
        }
        let given = match (choice.configured, choice.name.as_deref()) {
            (CodeGivenBy::Name, Some(name)) => name,
            _ => id,
        };
        // Unknown in the org and known but not on the queue are different mistakes.
        let known = queueless
            || api
                .code(id)
                .await
                .map_err(|error| WrapupError::platform(format!("read wrap-up code {id}"), error))?
                .is_some();
        return Err(if known && !queueless {
            not_allowed(given, &allowed)
        } else {
            unknown(given, &allowed)
        });
    }
    let Some(name) = choice.name.as_deref() else {
        return Err(not_allowed("", &allowed));
    };
    let candidates = if queueless {
        api.codes_named(name).await.map_err(|error| {
            WrapupError::platform(format!("look up wrap-up code {name:?}"), error)
        })?
    } else {
        allowed.clone()
    };
    let exact = candidates.iter().find(|code| code.name == name);
    let ignoring_case: Vec<&WrapupCode> = candidates
        .iter()
        .filter(|code| code.name.to_lowercase() == name.to_lowercase())
        .collect();
    match (exact, ignoring_case.as_slice()) {
        (Some(code), _) | (None, &[code]) => Ok(ResolvedCode {
            id: code.id.clone(),
            name: Some(code.name.clone()),
        }),
        (None, []) => {
            // Not among the candidates: is it a code of the org at all?
            let in_org = if queueless {
                false
            } else {
                api.codes_named(name)
                    .await
                    .map_err(|error| {
                        WrapupError::platform(format!("look up wrap-up code {name:?}"), error)
                    })?
                    .iter()
                    .any(|code| code.name.to_lowercase() == name.to_lowercase())
            };
            Err(if in_org {
                not_allowed(name, &allowed)
            } else {
                unknown(name, &allowed)
            })
        }
        (None, several) => Err(WrapupError::CodeAmbiguous {
            given: name.to_owned(),
            matches: listed_codes(
                &several
                    .iter()
                    .map(|code| (*code).clone())
                    .collect::<Vec<_>>(),
            ),
        }),
    }
}

/// The name of the code `code_id`, for showing a wrap-up changed on the platform: from the
/// participant's own wrap-up, its queue's codes, or the org's codes. `None` if none knows it.
pub async fn code_name_for(
    api: &dyn ConversationApi,
    conversation: &Conversation,
    participant_id: &str,
    code_id: &str,
) -> Result<Option<String>, PlatformError> {
    let embedded = conversation
        .participant(participant_id)
        .and_then(|p| p.wrapup.as_ref())
        .filter(|w| w.code.as_deref() == Some(code_id))
        .and_then(|w| w.name.clone());
    if embedded.is_some() {
        return Ok(embedded);
    }
    let queue_id = conversation
        .participant(participant_id)
        .and_then(|p| p.queue_id.as_deref());
    let allowed = api
        .allowed_codes(&conversation.id, participant_id, queue_id)
        .await?;
    if let Some(code) = allowed.into_iter().find(|code| code.id == code_id) {
        return Ok(Some(code.name));
    }
    Ok(api.code(code_id).await?.map(|code| code.name))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::platform::wrapup_writer::DesiredWrapup;
    use crate::platform::wrapup_writer::fake::*;

    fn two_agents(first: &str, second: &str) -> Conversation {
        serde_json::from_value(serde_json::json!({
            "id": CONV,
            "participants": [
                {"id": CUSTOMER, "purpose": "customer", "calls": [{"id": AGENT_CALL, "state": "disconnected"}]},
                {"id": AGENT, "purpose": "agent", "calls": [{"id": SALE, "state": first}]},
                {"id": QUEUE, "purpose": "agent", "calls": [{"id": NO_SALE, "state": second}]}
            ]
        }))
        .expect("a valid Conversation")
    }

    fn spec() -> DesiredWrapup {
        DesiredWrapup {
            notes: None,
            ..desired(Some(SALE), None)
        }
    }

    #[test]
    fn the_one_agent_awaiting_wrap_up_is_chosen_among_several() {
        let target = choose_target(&two_agents("connected", "disconnected"), &spec().target)
            .expect("one agent awaits wrap-up");
        assert_eq!(target.participant_id, QUEUE);
        assert_eq!(target.communication_id, NO_SALE);
    }

    #[test]
    fn several_agents_awaiting_wrap_up_are_listed_with_purpose_and_state() {
        let error = choose_target(&two_agents("disconnected", "disconnected"), &spec().target)
            .expect_err("ambiguous");
        let WrapupError::AmbiguousParticipant { candidates, .. } = &error else {
            panic!("expected AmbiguousParticipant, got {error:?}");
        };
        assert_eq!(candidates.len(), 3);
        assert!(candidates[1].contains(AGENT), "{candidates:?}");
        assert!(candidates[1].contains("purpose agent"), "{candidates:?}");
        assert!(candidates[1].contains("disconnected"), "{candidates:?}");
        assert!(candidates[1].contains("awaiting wrap-up"), "{candidates:?}");
    }

    #[test]
    fn an_unknown_participant_lists_the_participants() {
        let spec = TargetChoice {
            participant_id: Some(AGENT_CALL.into()),
            ..spec().target
        };
        let error = choose_target(&two_agents("disconnected", "connected"), &spec)
            .expect_err("no such participant");
        assert!(matches!(
            error,
            WrapupError::ParticipantNotFound { ref candidates, .. } if candidates.len() == 3
        ));
    }

    fn reads(platform: &FakePlatform) -> usize {
        *platform.conversation_reads.lock().expect("not poisoned")
    }

    #[tokio::test]
    async fn a_bulk_view_that_settles_the_target_spares_the_conversation_read() {
        let platform = FakePlatform::ended();
        let exact = platform.conversation.lock().expect("not poisoned").clone();
        *platform.bulk.lock().expect("not poisoned") = exact;
        let (target, _) = resolve_target(&platform, &spec().target)
            .await
            .expect("target");
        assert_eq!(
            (target.participant_id.as_str(), reads(&platform)),
            (AGENT, 0)
        );
    }

    #[tokio::test]
    async fn a_bulk_view_that_would_refuse_the_target_is_checked_with_the_exact_read() {
        // Analytics does not show the agent's call yet: the exact read finds it.
        let platform = FakePlatform::ended();
        let mut lagging = platform.conversation.lock().expect("not poisoned").clone();
        if let Some(agent) = lagging
            .as_mut()
            .and_then(|c| c.participants.iter_mut().find(|p| p.id == AGENT))
        {
            agent.calls.clear();
        }
        *platform.bulk.lock().expect("not poisoned") = lagging;
        let spec = TargetChoice {
            participant_id: Some(AGENT.into()),
            ..spec().target
        };
        let (target, _) = resolve_target(&platform, &spec).await.expect("target");
        assert_eq!(target.communication_id, AGENT_CALL);
        assert_eq!(reads(&platform), 1);
    }

    #[tokio::test]
    async fn a_choice_among_agents_by_wrapup_state_is_never_made_on_a_bulk_view() {
        // The view (analytics, lagging) would pick the first agent; the platform says the
        // first is still on its call and the second awaits wrap-up.
        let platform = FakePlatform::ended();
        *platform.conversation.lock().expect("not poisoned") =
            Some(two_agents("connected", "disconnected"));
        *platform.bulk.lock().expect("not poisoned") =
            Some(two_agents("disconnected", "connected"));
        let (target, _) = resolve_target(&platform, &spec().target)
            .await
            .expect("target");
        assert_eq!(
            (target.participant_id.as_str(), reads(&platform)),
            (QUEUE, 1)
        );
    }

    #[tokio::test]
    async fn a_code_id_outside_the_queue_is_refused_on_wrapup_code_id() {
        let platform = FakePlatform::ended();
        let (target, _) = resolve_target(&platform, &spec().target)
            .await
            .expect("target");
        let choice = CodeChoice {
            id: Some(AGENT_CALL.into()),
            name: None,
            configured: CodeGivenBy::Id,
        };
        let error = resolve_code(&platform, &target, &choice)
            .await
            .expect_err("not allowed");
        // A code unknown in the org, refused on the ID the user gave, listing the queue's codes.
        assert!(
            matches!(
                &error,
                WrapupError::CodeUnknown { choice: CodeGivenBy::Id, allowed, .. }
                    if allowed.iter().any(|code| code.contains("\"No sale\""))
            ),
            "{error:?}"
        );
    }

    /// Resolves the target of [`spec`] on `platform`, then the code named `name` for it.
    async fn code_named(platform: &FakePlatform, name: &str) -> (Target, ResolvedCode) {
        let (target, _) = resolve_target(platform, &spec().target)
            .await
            .expect("target");
        let choice = CodeChoice {
            id: None,
            name: Some(name.into()),
            configured: CodeGivenBy::Name,
        };
        let code = resolve_code(platform, &target, &choice)
            .await
            .expect("found");
        (target, code)
    }

    #[tokio::test]
    async fn names_match_ignoring_case_when_unique() {
        let (_, code) = code_named(&FakePlatform::ended(), "sale COMPLETED").await;
        assert_eq!(code.id, SALE);
    }

    #[tokio::test]
    async fn names_match_ignoring_case_for_a_participant_without_a_queue() {
        let (target, code) = code_named(&FakePlatform::ended_without_queue(), "no SALE").await;
        assert_eq!(target.queue_id, None);
        assert_eq!(code.id, NO_SALE);
    }

    #[tokio::test]
    async fn a_name_matching_several_codes_only_ignoring_case_is_ambiguous() {
        let mut platform = FakePlatform::ended();
        platform.codes.push(WrapupCode {
            id: "99999999-9999-4999-8999-999999999999".into(),
            name: "SALE COMPLETED".into(),
            ..WrapupCode::default()
        });
        let (target, _) = resolve_target(&platform, &spec().target)
            .await
            .expect("target");
        let choice = CodeChoice {
            id: None,
            name: Some("sale completed".into()),
            configured: CodeGivenBy::Name,
        };
        let error = resolve_code(&platform, &target, &choice)
            .await
            .expect_err("ambiguous");
        let WrapupError::CodeAmbiguous { matches, .. } = &error else {
            panic!("expected CodeAmbiguous, got {error:?}");
        };
        assert_eq!(matches.len(), 2, "{matches:?}");
        assert_eq!(error.to_string(), "Wrap-up code name is ambiguous");
        // The exact name still resolves.
        let exact = CodeChoice {
            name: Some("SALE COMPLETED".into()),
            ..choice
        };
        assert!(resolve_code(&platform, &target, &exact).await.is_ok());
    }
}
