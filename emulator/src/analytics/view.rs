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

/// Two conversations that between them take every branch of the view, for the tests that
/// pin the JSON the details query, the multi-get and the single read answer.
#[cfg(test)]
pub(crate) mod fixture {
    use std::time::{Duration, Instant};

    use uuid::Uuid;

    use crate::EmulatorConfig;
    use crate::media::Media;
    use crate::state::{AppState, Shadow};
    use crate::store::{Communication, Conversation, Participant, Wrapup};

    /// The ended call: a customer and five agents (wrapped up with notes and tags, awaiting
    /// a wrap-up, wrapped up before the disconnect, provisionally wrapped up, and wrapped up
    /// but still hidden by the analytics lag).
    pub const ENDED: Uuid = Uuid::from_u128(0xc0);
    /// The live chat: one agent still connected, so no conversation end.
    pub const LIVE: Uuid = Uuid::from_u128(0xc1);
    /// The JSON of the two fixture conversations (ended, then live), one a line, exactly as
    /// the routes answered it while the views were built as `serde_json::Value` (keys in
    /// alphabetical order).
    pub const PINNED: &str = include_str!("pinned_views.jsonl");
    /// The participant whose wrap-up the analytics lag still hides.
    const LAGGING: Uuid = Uuid::from_u128(0xa5);

    fn id(n: u128) -> Uuid {
        Uuid::from_u128(n)
    }

    fn ended(n: u128, connected: Option<&str>, wrapup: Option<Wrapup>) -> Communication {
        Communication {
            id: id(n),
            state: "disconnected".into(),
            connected_time: connected.map(str::to_owned),
            disconnected_time: Some("2026-11-30T10:05:00.000Z".into()),
            wrapup,
        }
    }

    fn wrapup(
        code: u128,
        notes: Option<&str>,
        tags: &[&str],
        end: &str,
        provisional: bool,
    ) -> Wrapup {
        Wrapup {
            code: id(code).to_string(),
            name: Some("Sale".into()),
            notes: notes.map(str::to_owned),
            tags: tags.iter().map(|t| (*t).to_owned()).collect(),
            duration_seconds: Some(60),
            end_time: end.into(),
            provisional,
        }
    }

    fn agent(n: u128, name: Option<&str>, comm: Communication) -> Participant {
        Participant {
            id: id(n),
            purpose: "agent".into(),
            name: name.map(str::to_owned),
            user_id: Some(id(n + 0x100)),
            queue_id: Some(id(0xe0)),
            wrapup_required: true,
            start_time: "2026-11-30T10:00:00.000Z".into(),
            communications: vec![comm],
            wrapup: None,
        }
    }

    /// An emulator state holding the two conversations, the lag shadow live for an hour.
    pub fn state() -> AppState {
        let state = AppState::new(EmulatorConfig::default()).expect("no state file to load");
        let customer = Participant {
            id: id(0xa0),
            purpose: "customer".into(),
            name: Some("Customer \"One\"".into()),
            user_id: None,
            queue_id: None,
            wrapup_required: false,
            start_time: "2026-11-30T10:00:00.000Z".into(),
            communications: vec![ended(0xb0, Some("2026-11-30T10:00:01.000Z"), None)],
            wrapup: None,
        };
        let later = "2026-11-30T10:06:00.000Z";
        let earlier = "2026-11-30T10:04:00.000Z";
        let call = Conversation {
            id: ENDED,
            media: Media::Call,
            start_time: "2026-11-30T10:00:00.000Z".into(),
            participants: vec![
                customer,
                agent(
                    0xa1,
                    Some("Agent A"),
                    ended(
                        0xb1,
                        Some("2026-11-30T10:00:02.000Z"),
                        Some(wrapup(
                            0xd0,
                            Some("Called back"),
                            &["vip", "late"],
                            later,
                            false,
                        )),
                    ),
                ),
                agent(0xa2, None, ended(0xb2, None, None)),
                agent(
                    0xa3,
                    Some("Agent C"),
                    ended(0xb3, None, Some(wrapup(0xd0, None, &[], earlier, false))),
                ),
                agent(
                    0xa4,
                    None,
                    ended(0xb4, None, Some(wrapup(0xd0, None, &[], later, true))),
                ),
                agent(
                    LAGGING.as_u128(),
                    None,
                    ended(0xb5, None, Some(wrapup(0xd1, None, &[], later, false))),
                ),
            ],
        };
        let chat = Conversation {
            id: LIVE,
            media: Media::Social,
            start_time: "2026-11-30T11:00:00.000Z".into(),
            participants: vec![Participant {
                id: id(0xa6),
                purpose: "agent".into(),
                name: None,
                user_id: None,
                queue_id: None,
                wrapup_required: true,
                start_time: "2026-11-30T11:00:00.000Z".into(),
                communications: vec![Communication {
                    id: id(0xb6),
                    state: "connected".into(),
                    connected_time: Some("2026-11-30T11:00:01.000Z".into()),
                    disconnected_time: None,
                    wrapup: None,
                }],
                wrapup: None,
            }],
        };
        {
            let mut world = state.world();
            world.shadows.analytics.insert(
                (ENDED, LAGGING),
                Shadow {
                    before: None,
                    until: Instant::now() + Duration::from_secs(3600),
                },
            );
            world.store.conversations.insert(call.id, call);
            world.store.conversations.insert(chat.id, chat);
        }
        state
    }
}

#[cfg(test)]
mod tests {
    use super::fixture::{ENDED, LIVE, PINNED, state};
    use super::*;

    #[test]
    fn the_view_of_each_fixture_conversation_is_pinned_to_the_byte() {
        let state = state();
        let world = state.world();
        let mut pinned = PINNED.lines();
        for id in [ENDED, LIVE] {
            let c = &world.store.conversations[&id];
            let json = serde_json::to_string(&conversation(&world, c)).expect("serializes");
            assert_eq!(Some(json.as_str()), pinned.next(), "conversation {id}");
        }
    }
}
