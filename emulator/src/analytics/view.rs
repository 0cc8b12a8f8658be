//! A stored conversation as analytics shows it (AnalyticsConversationWithoutAttributes):
//! participants, one session per communication, and their segments.

use std::time::Instant;

use serde_json::{Map, Value, json};

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

/// The wrap-up analytics shows for a participant's communication: under the analytics lag
/// fault, the one from before the latest write until the lag has passed.
fn visible_wrapup<'a>(
    world: &'a World,
    c: &Conversation,
    p: &Participant,
    current: Option<&'a Wrapup>,
    now: Instant,
) -> Option<&'a Wrapup> {
    Shadow::view(world.shadows.analytics.get(&(c.id, p.id)), current, now)
}

fn session(world: &World, c: &Conversation, p: &Participant, comm: &Communication) -> Value {
    let start = comm.connected_time.as_deref().unwrap_or(&p.start_time);
    let mut interact = Map::new();
    interact.insert("segmentStart".into(), json!(start));
    interact.insert("segmentType".into(), json!("interact"));
    if let Some(end) = &comm.disconnected_time {
        interact.insert("segmentEnd".into(), json!(end));
        interact.insert("disconnectType".into(), json!("endpoint"));
    }
    if let Some(queue) = p.queue_id {
        interact.insert("queueId".into(), json!(queue));
    }
    let mut segments = vec![Value::Object(interact)];
    // After-call work: a participant that must wrap up gets a wrap-up segment once its
    // communication ended; the code shows on it once analytics has the wrap-up.
    if p.wrapup_required
        && let Some(end) = &comm.disconnected_time
    {
        let mut wrapup = Map::new();
        wrapup.insert("segmentStart".into(), json!(end));
        wrapup.insert("segmentType".into(), json!("wrapup"));
        if let Some(queue) = p.queue_id {
            wrapup.insert("queueId".into(), json!(queue));
        }
        let shown = visible_wrapup(world, c, p, comm.wrapup.as_ref(), Instant::now())
            .filter(|w| !w.provisional);
        if let Some(w) = shown {
            wrapup.insert("segmentEnd".into(), json!((&w.end_time).max(end)));
            wrapup.insert("wrapUpCode".into(), json!(w.code));
            if let Some(notes) = &w.notes {
                wrapup.insert("wrapUpNote".into(), json!(notes));
            }
            if !w.tags.is_empty() {
                wrapup.insert("wrapUpTags".into(), json!(w.tags));
            }
        }
        segments.push(Value::Object(wrapup));
    }
    let direction = if p.purpose == "customer" {
        "inbound"
    } else {
        "outbound"
    };
    json!({
        "sessionId": comm.id,
        "mediaType": media_type(c.media),
        "direction": direction,
        "segments": segments,
    })
}

fn participant(world: &World, c: &Conversation, p: &Participant) -> Value {
    let mut out = Map::new();
    out.insert("participantId".into(), json!(p.id));
    out.insert("purpose".into(), json!(p.purpose));
    if let Some(name) = &p.name {
        out.insert("participantName".into(), json!(name));
    }
    if let Some(user) = p.user_id {
        out.insert("userId".into(), json!(user));
    }
    out.insert(
        "sessions".into(),
        Value::Array(
            p.communications
                .iter()
                .map(|comm| session(world, c, p, comm))
                .collect(),
        ),
    );
    Value::Object(out)
}

/// The whole conversation as the details query and the multi-get return it.
pub fn conversation(world: &World, c: &Conversation) -> Value {
    let home = world.store.home_division().id;
    let mut out = json!({
        "conversationId": c.id,
        "conversationStart": c.start_time,
        "divisionIds": [home],
        "originatingDirection": "inbound",
        "participants": c.participants.iter().map(|p| participant(world, c, p)).collect::<Vec<_>>(),
    });
    if let Some(end) = conversation_end(c) {
        out["conversationEnd"] = json!(end);
    }
    out
}
