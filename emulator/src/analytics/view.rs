//! A stored conversation as analytics shows it (AnalyticsConversationWithoutAttributes):
//! participants, one session per communication, and their segments.
//!
//! The views borrow from the store and are serialized straight into the answer's bytes; no
//! JSON tree is built. Fields are declared in alphabetical order, the order the answers had
//! when they were `serde_json::Value` maps, so the bytes did not change when they were typed
//! (`pinned_views.jsonl`). The same views answer the filters' dimension look-ups.

use std::time::Instant;

use serde::Serialize;
use serde::ser::{SerializeSeq, Serializer};
use uuid::Uuid;

use crate::media::Media;
use crate::state::{Shadow, World};
use crate::store::{Communication, Conversation, Participant, Wrapup};

/// The analytics media type of a conversation media (AnalyticsSession.mediaType).
pub fn media_type(media: Media) -> &'static str {
    match media {
        Media::Call => "voice",
        Media::Callback => "callback",
        Media::Chat => "chat",
        Media::Cobrowse => "cobrowse",
        Media::Email => "email",
        Media::Message => "message",
        Media::Screenshare => "screenshare",
        // The SDK's AnalyticsSession.mediaType has no social value.
        Media::Social => "unknown",
        Media::Video => "video",
    }
}

/// When the conversation ended: the last disconnect, once every communication has ended.
pub fn conversation_end(c: &Conversation) -> Option<&str> {
    let ended = c
        .participants
        .iter()
        .flat_map(|p| &p.communications)
        .all(Communication::is_ended);
    if !ended {
        return None;
    }
    c.participants
        .iter()
        .filter_map(Participant::end_time)
        .max()
}

/// What one request's views share: the world they read and the moment they show it at (the
/// analytics lag is judged once per request).
#[derive(Clone, Copy)]
pub struct ViewScope<'a> {
    world: &'a World,
    home_division: Uuid,
    now: Instant,
}

impl<'a> ViewScope<'a> {
    /// The views of `world` as of now.
    pub fn new(world: &'a World) -> ViewScope<'a> {
        ViewScope {
            world,
            home_division: world.store.home_division().id,
            now: Instant::now(),
        }
    }

    /// The view of one conversation.
    pub fn conversation(self, c: &'a Conversation) -> ConversationView<'a> {
        ConversationView {
            conversation_end: conversation_end(c),
            conversation_id: c.id,
            conversation_start: &c.start_time,
            division_ids: [self.home_division],
            originating_direction: "inbound",
            participants: Participants { scope: self, c },
        }
    }

    /// The views of the conversations of `ids` the store holds, in that order; ids it does
    /// not hold are left out.
    pub fn conversations(self, ids: &'a [Uuid]) -> Conversations<'a> {
        Conversations { scope: self, ids }
    }

    /// The wrap-up analytics shows for a participant's communication: under the analytics lag
    /// fault, the one from before the latest write until the lag has passed.
    fn visible_wrapup(
        self,
        c: &Conversation,
        p: &Participant,
        current: Option<&'a Wrapup>,
    ) -> Option<&'a Wrapup> {
        Shadow::view(
            self.world.shadows.analytics.get(&(c.id, p.id)),
            current,
            self.now,
        )
    }
}

/// A value a filter's dimension has in a view: text, or an id compared in its text form.
#[derive(Clone, Copy, Debug)]
pub enum DimensionValue<'a> {
    /// A text field (a time, a type, a name, a code).
    Text(&'a str),
    /// An id field.
    Id(Uuid),
}

impl DimensionValue<'_> {
    /// Whether the value's JSON text equals `want` exactly (ids in lower-case hyphenated
    /// form, as the answers write them).
    pub fn equals(self, want: &str) -> bool {
        match self {
            DimensionValue::Text(text) => text == want,
            DimensionValue::Id(id) => {
                let mut buffer = Uuid::encode_buffer();
                id.hyphenated().encode_lower(&mut buffer) == want
            }
        }
    }
}

fn text(value: Option<&str>) -> Option<DimensionValue<'_>> {
    value.map(DimensionValue::Text)
}

fn id(value: Option<Uuid>) -> Option<DimensionValue<'static>> {
    value.map(DimensionValue::Id)
}

/// A conversation's analytics view.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ConversationView<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    conversation_end: Option<&'a str>,
    conversation_id: Uuid,
    conversation_start: &'a str,
    division_ids: [Uuid; 1],
    originating_direction: &'static str,
    participants: Participants<'a>,
}

impl<'a> ConversationView<'a> {
    /// The conversation-level value of a filter dimension (`divisionId` is `divisionIds`' one).
    pub fn dimension(&self, name: &str) -> Option<DimensionValue<'a>> {
        match name {
            "conversationId" => id(Some(self.conversation_id)),
            "conversationStart" => text(Some(self.conversation_start)),
            "conversationEnd" => text(self.conversation_end),
            "divisionId" => id(Some(self.division_ids[0])),
            "originatingDirection" => text(Some(self.originating_direction)),
            _ => None,
        }
    }

    /// Its participants' views.
    pub fn participants(&self) -> impl Iterator<Item = ParticipantView<'a>> + use<'a> {
        self.participants.iter()
    }
}

/// The views of a page of conversations, serialized as a list without being collected.
pub struct Conversations<'a> {
    scope: ViewScope<'a>,
    ids: &'a [Uuid],
}

impl<'a> Conversations<'a> {
    fn iter(&self) -> impl Iterator<Item = ConversationView<'a>> + use<'a> {
        let scope = self.scope;
        self.ids
            .iter()
            .filter_map(move |id| scope.world.store.conversations.get(id))
            .map(move |c| scope.conversation(c))
    }

    /// Whether the store holds none of the ids.
    pub fn is_empty(&self) -> bool {
        self.iter().next().is_none()
    }
}

impl Serialize for Conversations<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.iter())
    }
}

/// A conversation's participants, serialized as a list without being collected.
struct Participants<'a> {
    scope: ViewScope<'a>,
    c: &'a Conversation,
}

impl<'a> Participants<'a> {
    fn iter(&self) -> impl Iterator<Item = ParticipantView<'a>> + use<'a> {
        let (scope, c) = (self.scope, self.c);
        c.participants.iter().map(move |p| ParticipantView {
            participant_id: p.id,
            participant_name: p.name.as_deref(),
            purpose: &p.purpose,
            sessions: Sessions { scope, c, p },
            user_id: p.user_id,
        })
    }
}

impl Serialize for Participants<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.iter())
    }
}

/// A participant's analytics view.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ParticipantView<'a> {
    participant_id: Uuid,
    #[serde(skip_serializing_if = "Option::is_none")]
    participant_name: Option<&'a str>,
    purpose: &'a str,
    sessions: Sessions<'a>,
    #[serde(skip_serializing_if = "Option::is_none")]
    user_id: Option<Uuid>,
}

impl<'a> ParticipantView<'a> {
    /// The participant-level value of a filter dimension.
    pub fn dimension(&self, name: &str) -> Option<DimensionValue<'a>> {
        match name {
            "participantName" => text(self.participant_name),
            "purpose" => text(Some(self.purpose)),
            "userId" => id(self.user_id),
            _ => None,
        }
    }

    /// Its sessions' views, one per communication.
    pub fn sessions(&self) -> impl Iterator<Item = SessionView<'a>> + use<'a> {
        self.sessions.iter()
    }
}

/// A participant's sessions, serialized as a list without being collected.
struct Sessions<'a> {
    scope: ViewScope<'a>,
    c: &'a Conversation,
    p: &'a Participant,
}

impl<'a> Sessions<'a> {
    fn iter(&self) -> impl Iterator<Item = SessionView<'a>> + use<'a> {
        let (scope, c, p) = (self.scope, self.c, self.p);
        let direction = if p.purpose == "customer" {
            "inbound"
        } else {
            "outbound"
        };
        p.communications.iter().map(move |comm| SessionView {
            direction,
            media_type: media_type(c.media),
            segments: segments(scope, c, p, comm),
            session_id: comm.id,
        })
    }
}

impl Serialize for Sessions<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.iter())
    }
}

/// A session's analytics view.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SessionView<'a> {
    direction: &'static str,
    media_type: &'static str,
    segments: Segments<'a>,
    session_id: Uuid,
}

impl<'a> SessionView<'a> {
    /// The session-level value of a filter dimension.
    pub fn dimension(&self, name: &str) -> Option<DimensionValue<'a>> {
        match name {
            "direction" => text(Some(self.direction)),
            "mediaType" => text(Some(self.media_type)),
            _ => None,
        }
    }

    /// Its segments' views: the interaction, then after-call work if any.
    pub fn segments(&self) -> impl Iterator<Item = &SegmentView<'a>> {
        std::iter::once(&self.segments.interact).chain(&self.segments.wrapup)
    }
}

/// A session's segments: the interaction, then (for a participant that must wrap up, once
/// its communication ended) the after-call work.
struct Segments<'a> {
    interact: SegmentView<'a>,
    wrapup: Option<SegmentView<'a>>,
}

impl Serialize for Segments<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut list = serializer.serialize_seq(Some(1 + usize::from(self.wrapup.is_some())))?;
        list.serialize_element(&self.interact)?;
        if let Some(wrapup) = &self.wrapup {
            list.serialize_element(wrapup)?;
        }
        list.end()
    }
}

/// A segment's analytics view.
#[derive(Serialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct SegmentView<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    disconnect_type: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    queue_id: Option<Uuid>,
    #[serde(skip_serializing_if = "Option::is_none")]
    segment_end: Option<&'a str>,
    segment_start: &'a str,
    segment_type: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    wrap_up_code: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    wrap_up_note: Option<&'a str>,
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    wrap_up_tags: &'a [String],
}

impl<'a> SegmentView<'a> {
    /// The segment-level value of a filter dimension.
    pub fn dimension(&self, name: &str) -> Option<DimensionValue<'a>> {
        match name {
            "disconnectType" => text(self.disconnect_type),
            "queueId" => id(self.queue_id),
            "segmentType" => text(Some(self.segment_type)),
            "wrapUpCode" => text(self.wrap_up_code),
            "wrapUpNote" => text(self.wrap_up_note),
            _ => None,
        }
    }
}

fn segments<'a>(
    scope: ViewScope<'a>,
    c: &'a Conversation,
    p: &'a Participant,
    comm: &'a Communication,
) -> Segments<'a> {
    let interact = SegmentView {
        disconnect_type: comm.disconnected_time.as_ref().map(|_| "endpoint"),
        queue_id: p.queue_id,
        segment_end: comm.disconnected_time.as_deref(),
        segment_start: comm.connected_time.as_deref().unwrap_or(&p.start_time),
        segment_type: "interact",
        ..SegmentView::default()
    };
    // After-call work: a participant that must wrap up gets a wrap-up segment once its
    // communication ended; the code shows on it once analytics has the wrap-up.
    let wrapup = match &comm.disconnected_time {
        Some(end) if p.wrapup_required => {
            let shown = scope
                .visible_wrapup(c, p, comm.wrapup.as_ref())
                .filter(|w| !w.provisional);
            Some(SegmentView {
                queue_id: p.queue_id,
                segment_end: shown.map(|w| w.end_time.as_str().max(end.as_str())),
                segment_start: end,
                segment_type: "wrapup",
                wrap_up_code: shown.map(|w| w.code.as_str()),
                wrap_up_note: shown.and_then(|w| w.notes.as_deref()),
                wrap_up_tags: shown.map_or(&[], |w| w.tags.as_slice()),
                ..SegmentView::default()
            })
        }
        _ => None,
    };
    Segments { interact, wrapup }
}

/// Serializes an answer straight to JSON bytes, `capacity` reserved up front.
pub fn to_json_bytes(answer: &impl Serialize, capacity: usize) -> serde_json::Result<Vec<u8>> {
    let mut bytes = Vec::with_capacity(capacity);
    serde_json::to_writer(&mut bytes, answer)?;
    Ok(bytes)
}

/// About how many bytes a conversation's view takes, to size an answer's buffer.
pub const VIEW_BYTES_HINT: usize = 1_500;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analytics::fixture::{ENDED, LIVE, PINNED, state};

    #[test]
    fn the_view_of_each_fixture_conversation_is_pinned_to_the_byte() {
        let state = state();
        let world = state.world();
        let mut pinned = PINNED.lines();
        for id in [ENDED, LIVE] {
            let c = &world.store.conversations[&id];
            let json =
                serde_json::to_string(&ViewScope::new(&world).conversation(c)).expect("serializes");
            assert_eq!(Some(json.as_str()), pinned.next(), "conversation {id}");
        }
    }
}
