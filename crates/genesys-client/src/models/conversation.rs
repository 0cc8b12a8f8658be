use serde::{Deserialize, Serialize};

use super::Wrapup;
use crate::MediaType;

/// `{id, name, selfUri}` reference used inside conversations.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DomainEntityRef {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub self_uri: Option<String>,
}

/// A conversation (`GET /api/v2/conversations/{conversationId}`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Conversation {
    #[serde(default)]
    pub id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub external_tag: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start_time: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end_time: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address: Option<String>,
    #[serde(default)]
    pub participants: Vec<Participant>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub conversation_ids: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_participants: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recording_state: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub state: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub divisions: Option<Vec<ConversationDivisionMembership>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub self_uri: Option<String>,
}

impl Conversation {
    /// The participant with this id.
    pub fn participant(&self, participant_id: &str) -> Option<&Participant> {
        self.participants.iter().find(|p| p.id == participant_id)
    }
}

/// A division a conversation belongs to, with the entities that put it there.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ConversationDivisionMembership {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub division: Option<DomainEntityRef>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub entities: Option<Vec<DomainEntityRef>>,
}

/// A participant of a conversation. The per-media lists hold its communications; a participant
/// has no state of its own in the real model — each communication has one.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Participant {
    #[serde(default)]
    pub id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start_time: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end_time: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub connected_time: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub queue_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub queue_name: Option<String>,
    /// e.g. `agent`, `customer`, `acd`, `ivr`, `user`, `external`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub purpose: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub participant_type: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ani: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dnis: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub wrapup_required: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub wrapup_prompt: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub wrapup_timeout_ms: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub wrapup_skipped: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub wrapup: Option<Wrapup>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start_acw_time: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end_acw_time: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attributes: Option<std::collections::BTreeMap<String, String>>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub calls: Vec<Communication>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub callbacks: Vec<Communication>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub chats: Vec<Communication>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub cobrowsesessions: Vec<Communication>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub emails: Vec<Communication>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub messages: Vec<Communication>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub screenshares: Vec<Communication>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub social_expressions: Vec<Communication>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub videos: Vec<Communication>,
}

impl Participant {
    /// The communications of one media type.
    pub fn communications_of(&self, media: MediaType) -> &[Communication] {
        match media {
            MediaType::Calls => &self.calls,
            MediaType::Callbacks => &self.callbacks,
            MediaType::Chats => &self.chats,
            MediaType::Cobrowsesessions => &self.cobrowsesessions,
            MediaType::Emails => &self.emails,
            MediaType::Messages => &self.messages,
            MediaType::Screenshares => &self.screenshares,
            MediaType::Socials => &self.social_expressions,
            MediaType::Videos => &self.videos,
        }
    }

    /// Every communication with its media type, in [`MediaType::ALL`] order.
    pub fn communications(&self) -> impl Iterator<Item = (MediaType, &Communication)> {
        MediaType::ALL
            .iter()
            .flat_map(move |m| self.communications_of(*m).iter().map(move |c| (*m, c)))
    }
}

/// The fields every communication type (Call, Callback, Email, Message, …) shares; the
/// media-specific rest is ignored.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Communication {
    #[serde(default)]
    pub id: String,
    /// e.g. `alerting`, `connected`, `disconnected`, `terminated`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub state: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub initial_state: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub direction: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub held: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub disconnect_type: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start_alerting_time: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub connected_time: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub disconnected_time: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provider: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub peer_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub wrapup: Option<Wrapup>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub after_call_work: Option<AfterCallWork>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub after_call_work_required: Option<bool>,
}

/// After-call work on a communication.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AfterCallWork {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start_time: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end_time: Option<String>,
    /// `unknown`, `notApplicable`, `skipped`, `pending`, `complete`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub state: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn participant_lists_communications_by_media() {
        let conversation: Conversation = serde_json::from_str(
            r#"{"id":"conv","participants":[
                {"id":"p1","purpose":"customer","calls":[{"id":"c1","state":"disconnected"}]},
                {"id":"p2","purpose":"agent","queueId":"q1","wrapupRequired":true,
                 "calls":[{"id":"c2","state":"disconnected","afterCallWorkRequired":true,
                           "afterCallWork":{"state":"pending"},"recordingState":"none"}],
                 "socialExpressions":[{"id":"s1","state":"connected"}]}
            ]}"#,
        )
        .expect("valid Conversation");
        let agent = conversation.participant("p2").expect("p2 is present");
        assert_eq!(agent.queue_id.as_deref(), Some("q1"));
        let comms: Vec<(MediaType, &str)> = agent
            .communications()
            .map(|(m, c)| (m, c.id.as_str()))
            .collect();
        assert_eq!(
            comms,
            vec![(MediaType::Calls, "c2"), (MediaType::Socials, "s1")]
        );
        assert_eq!(
            agent.calls[0]
                .after_call_work
                .as_ref()
                .and_then(|a| a.state.as_deref()),
            Some("pending")
        );
    }
}
