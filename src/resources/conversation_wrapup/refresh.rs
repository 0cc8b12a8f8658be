//! Refresh of `genesyscloud_conversation_wrapup`: the state as the platform now has it.
//!
//! One call per wrap-up when nothing changed, and fewer with the bulk read: the wrap-up is
//! asked of [`ConversationApi::refresh_wrapup`], which may answer from the analytics view of
//! the conversation (one multi-conversation read serves many instances) but only when that
//! view shows what state holds; a wrap-up that differs is read exactly before it is reported.
//! The conversation itself is read only when the wrap-up read says the wrap-up is gone, to
//! tell a purged conversation from a participant without a wrap-up.

use super::ConversationWrapupModel;
use crate::platform::wrapup_writer::{WrapupError, read_conversation};
use crate::platform::{ConversationApi, PlatformError, WrapupKey};
use genesys_client::models::AssignedWrapupCode;
use tfplugin_framework::TfValue;
use tfplugin_framework::cty::Number;

/// Whether `seen` is the wrap-up `state` records: same code, notes and tags (no notes and no
/// tags are `""` and `[]`, whichever form state holds), and no duration in state, since the
/// analytics view does not carry one (a duration state does not track is not compared).
pub(super) fn shows_state(state: &ConversationWrapupModel, seen: &AssignedWrapupCode) -> bool {
    let tags: Option<Vec<&str>> = match &state.tags {
        TfValue::Known(tags) => tags.iter().map(TfValue::as_str).collect(),
        TfValue::Null => Some(Vec::new()),
        TfValue::Unknown(_) => None,
    };
    let seen_tags: Vec<&str> = seen.tags.iter().flatten().map(String::as_str).collect();
    state.duration_seconds.is_null()
        && seen.code.is_some()
        && state.wrapup_code_id.as_str() == seen.code.as_deref()
        && state.notes.as_str().unwrap_or_default() == seen.notes.as_deref().unwrap_or_default()
        && tags.is_some_and(|tags| tags == seen_tags)
}

/// The state as the platform now has it; `None` when the conversation, the participant or
/// its wrap-up is gone.
pub(super) async fn reconcile(
    api: &dyn ConversationApi,
    state: &ConversationWrapupModel,
) -> Result<Option<ConversationWrapupModel>, WrapupError> {
    let (Some(conversation_id), Some(participant_id)) = (
        state.conversation_id.as_str(),
        state.participant_id.as_str(),
    ) else {
        return Ok(Some(state.clone()));
    };
    let key = WrapupKey {
        conversation_id,
        participant_id,
        communication_id: state.communication_id.as_str(),
    };
    let read = api
        .refresh_wrapup(&key, &|seen| shows_state(state, seen))
        .await;
    let wrapup = match read {
        Ok(wrapup) => wrapup,
        Err(PlatformError::NotFound(_)) => None,
        Err(error) => {
            return Err(WrapupError::platform(
                format!("read the wrap-up of participant {participant_id}"),
                error,
            ));
        }
    };
    let Some(AssignedWrapupCode {
        code: Some(code),
        notes,
        tags,
        duration_seconds,
        ..
    }) = wrapup
    else {
        return gone(api, conversation_id, participant_id).await;
    };
    let mut next = state.clone();
    if state.wrapup_code_id.as_str() != Some(code.as_str()) {
        if state.wrapup_code_name.as_str().is_some() {
            let name = api
                .code(&code)
                .await
                .map_err(|error| WrapupError::platform(format!("read wrap-up code {code}"), error))?
                .map_or_else(|| code.clone(), |found| found.name);
            next.wrapup_code_name = name.into();
        }
        next.wrapup_code_id = code.into();
    }
    // No notes and no tags are `""` and `[]` in state (see `plan_no_notes_or_tags`).
    next.notes = TfValue::Known(notes.unwrap_or_default());
    next.tags = TfValue::Known(
        tags.unwrap_or_default()
            .into_iter()
            .map(TfValue::Known)
            .collect(),
    );
    // A duration the configuration leaves out is the platform's own measure: not drift.
    if !state.duration_seconds.is_null() {
        next.duration_seconds = duration_seconds.map(Number::from).into();
    }
    Ok(Some(next))
}

/// The wrap-up read found none: the resource leaves state. The conversation is read to say
/// why (and an error reading it keeps state, as any failed refresh does).
async fn gone(
    api: &dyn ConversationApi,
    conversation_id: &str,
    participant_id: &str,
) -> Result<Option<ConversationWrapupModel>, WrapupError> {
    match read_conversation(api, conversation_id).await {
        Ok(conversation) if conversation.participant(participant_id).is_some() => {
            tracing::info!(
                conversation_id,
                participant_id,
                "the participant holds no wrap-up; removing it from state"
            );
            Ok(None)
        }
        Ok(_) => {
            tracing::info!(
                conversation_id,
                participant_id,
                "the participant is no longer in the conversation; removing it from state"
            );
            Ok(None)
        }
        Err(WrapupError::ConversationNotFound { .. }) => {
            tracing::info!(
                conversation_id,
                "the conversation is gone (purged); removing the wrap-up from state"
            );
            Ok(None)
        }
        Err(error) => Err(error),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn state(
        notes: TfValue<String>,
        tags: TfValue<Vec<TfValue<String>>>,
    ) -> ConversationWrapupModel {
        ConversationWrapupModel {
            wrapup_code_id: "w1".into(),
            notes,
            tags,
            ..ConversationWrapupModel::default()
        }
    }

    fn seen(code: &str, notes: Option<&str>, tags: &[&str]) -> AssignedWrapupCode {
        AssignedWrapupCode {
            code: Some(code.into()),
            notes: notes.map(str::to_owned),
            tags: Some(tags.iter().map(|t| (*t).to_owned()).collect()),
            ..AssignedWrapupCode::default()
        }
    }

    #[test]
    fn a_bulk_view_confirms_state_only_when_code_notes_and_tags_match() {
        let held = state("n".into(), TfValue::Known(vec!["t".into()]));
        assert!(shows_state(&held, &seen("w1", Some("n"), &["t"])));
        assert!(!shows_state(&held, &seen("w2", Some("n"), &["t"])));
        assert!(!shows_state(&held, &seen("w1", Some("edited"), &["t"])));
        assert!(!shows_state(&held, &seen("w1", Some("n"), &[])));
        let empty = state(TfValue::Null, TfValue::Null);
        assert!(
            shows_state(&empty, &seen("w1", None, &[])),
            "null, absent and empty agree"
        );
        assert!(shows_state(
            &state("".into(), TfValue::Known(Vec::new())),
            &seen("w1", None, &[])
        ));
        let no_code = AssignedWrapupCode::default();
        assert!(!shows_state(&empty, &no_code));
    }

    #[test]
    fn a_duration_in_state_is_never_confirmed_by_a_view_without_one() {
        let mut held = state(TfValue::Null, TfValue::Null);
        held.duration_seconds = TfValue::Known(Number::from(30_i64));
        assert!(!shows_state(&held, &seen("w1", None, &[])));
    }

    #[test]
    fn a_duration_state_does_not_track_is_not_compared() {
        let mut measured = seen("w1", None, &[]);
        measured.duration_seconds = Some(42);
        assert!(shows_state(&state(TfValue::Null, TfValue::Null), &measured));
    }
}
