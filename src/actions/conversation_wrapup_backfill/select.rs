//! Which participants of a details-query page the back-fill writes to, and which it skips,
//! decided from the page alone (no read per conversation).

use genesys_client::models::AnalyticsConversation;

use super::model::{BackfillJob, Touch};

/// Why a participant of a matching conversation is left alone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SkipReason {
    /// It holds a wrap-up code already (and `participants` is `missing`).
    WrappedUp,
    /// Analytics shows no after-call work for it: it takes no wrap-up.
    NoWrapupRequired,
}

/// One agent participant the filters select.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Pick {
    /// To resolve and write: the participant and its communication (analytics session).
    Write {
        participant_id: String,
        communication_id: String,
    },
    Skip(SkipReason),
}

/// The agent participants of `conversation` that `job` selects: those of a conversation that
/// ended in the interval, or that started in it and has not ended (they are refused when
/// resolved, as the single wrap-up refuses them), on one of its queues and media types.
pub fn picks(job: &BackfillJob, conversation: &AnalyticsConversation) -> Vec<Pick> {
    let in_interval = match conversation.conversation_end.as_deref() {
        Some(end) => job.interval.contains(end),
        None => conversation
            .conversation_start
            .as_deref()
            .is_some_and(|start| job.interval.contains(start)),
    };
    if !in_interval {
        return Vec::new();
    }
    let ended = conversation.conversation_end.is_some();
    let mut out = Vec::new();
    for participant in &conversation.participants {
        if !matches!(participant.purpose.as_deref(), Some("agent" | "user")) {
            continue;
        }
        // The session with after-call work, else the last one (as the data source picks).
        let Some(session) = participant
            .sessions
            .iter()
            .rev()
            .find(|s| s.wrapup_segment().is_some())
            .or_else(|| participant.sessions.last())
        else {
            continue;
        };
        let queue = session.queue_id();
        if !job.queue_ids.is_empty() && !queue.is_some_and(|q| job.queue_ids.iter().any(|x| x == q))
        {
            continue;
        }
        if !job.media_types.is_empty()
            && !session
                .media_type
                .as_deref()
                .is_some_and(|m| job.media_types.iter().any(|x| x == m))
        {
            continue;
        }
        let wrapup = session.wrapup_segment();
        let pick = match (ended, wrapup) {
            (true, None) => Pick::Skip(SkipReason::NoWrapupRequired),
            (true, Some(segment))
                if segment.wrap_up_code.is_some() && job.touch == Touch::Missing =>
            {
                Pick::Skip(SkipReason::WrappedUp)
            }
            _ => match &session.session_id {
                Some(communication_id) => Pick::Write {
                    participant_id: participant.participant_id.clone(),
                    communication_id: communication_id.clone(),
                },
                None => continue,
            },
        };
        out.push(pick);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::actions::conversation_wrapup_backfill::platform_link::{CodeChoice, CodeGivenBy};
    use genesys_client::Interval;

    fn job(touch: Touch, queues: &[&str]) -> BackfillJob {
        BackfillJob {
            interval: Interval::parse("2026-11-30T00:00:00Z/2026-12-01T00:00:00Z").expect("valid"),
            queue_ids: queues.iter().map(|q| (*q).to_owned()).collect(),
            media_types: Vec::new(),
            code: CodeChoice {
                id: None,
                name: Some("Sale".into()),
                configured: CodeGivenBy::Name,
            },
            notes: None,
            touch,
            max_conversations: 10,
            dry_run: false,
        }
    }

    fn conversation(
        end: Option<&str>,
        agents: &[(&str, &str, Option<&str>)],
    ) -> AnalyticsConversation {
        let participants: Vec<serde_json::Value> = agents
            .iter()
            .map(|(id, queue, code)| {
                let mut segments = vec![serde_json::json!({"segmentType": "interact", "queueId": queue})];
                if end.is_some() {
                    segments.push(serde_json::json!({"segmentType": "wrapup", "queueId": queue, "wrapUpCode": code}));
                }
                serde_json::json!({"participantId": id, "purpose": "agent", "sessions": [
                    {"sessionId": format!("s-{id}"), "mediaType": "voice", "segments": segments}
                ]})
            })
            .collect();
        serde_json::from_value(serde_json::json!({
            "conversationId": "c1",
            "conversationStart": "2026-11-30T09:00:00.000Z",
            "conversationEnd": end,
            "participants": participants
        }))
        .expect("valid view")
    }

    #[test]
    fn missing_wrapups_are_written_held_ones_skipped_and_other_queues_ignored() {
        let c = conversation(
            Some("2026-11-30T09:05:00.000Z"),
            &[("a", "q1", None), ("b", "q1", Some("w")), ("c", "q2", None)],
        );
        let picks = picks(&job(Touch::Missing, &["q1"]), &c);
        assert_eq!(
            picks,
            [
                Pick::Write {
                    participant_id: "a".into(),
                    communication_id: "s-a".into()
                },
                Pick::Skip(SkipReason::WrappedUp)
            ]
        );
        let all = super::picks(&job(Touch::All, &[]), &c);
        assert_eq!(
            all.iter()
                .filter(|p| matches!(p, Pick::Write { .. }))
                .count(),
            3
        );
    }

    #[test]
    fn an_unended_conversation_started_in_the_interval_is_picked_to_be_refused() {
        let c = conversation(None, &[("a", "q1", None)]);
        assert_eq!(super::picks(&job(Touch::Missing, &[]), &c).len(), 1);
        let late = conversation(Some("2026-12-01T00:00:00.000Z"), &[("a", "q1", None)]);
        assert!(super::picks(&job(Touch::Missing, &[]), &late).is_empty());
    }
}
