//! Two conversations that between them take every branch of the analytics view, for the
//! tests that pin the JSON the details query, the multi-get and the single read answer, and
//! the tests of the filters' dimensions.

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
/// The live social conversation (media type `unknown`): one agent still connected, so no
/// conversation end.
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

fn wrapup(code: u128, notes: Option<&str>, tags: &[&str], end: &str, provisional: bool) -> Wrapup {
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
    let social = Conversation {
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
        world.store.conversations.insert(social.id, social);
    }
    state
}
