//! The emulator's own API under `/__emulator/` (no auth; loopback peers only by default): seeding
//! conversations and queue assignments, faults, request counts, token expiry and reset.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::{get, patch, post, put};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{Value, json};
use uuid::Uuid;

use crate::clock::{iso, now_iso};
use crate::counter::Counter;
use crate::error::ApiError;
use crate::extract::{JsonBody, parse_id};
use crate::faults::Faults;
use crate::media::Media;
use crate::routes::chosen_id::chosen_id;
use crate::routes::wrapup_codes::{CodeRequest, create_as};
use crate::state::{AppState, Shadows, World};
use crate::store::{Communication, Conversation, Participant, Queue, Store, Wrapup};

/// Admin routes; `app` guards them with `admin_guard` (loopback peers only, by default).
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/__emulator/conversations", post(seed_conversation))
        .route(
            "/__emulator/conversations/{conversationId}/participants/{participantId}",
            patch(set_participant_state),
        )
        .route("/__emulator/queues", post(create_queue))
        .route("/__emulator/wrapupcodes", post(create_code_as_user))
        .route(
            "/__emulator/queues/{queueId}/wrapupcodes",
            put(assign_codes),
        )
        .route(
            "/__emulator/faults",
            put(set_faults).get(get_faults).delete(clear_faults),
        )
        .route("/__emulator/requests", get(requests))
        .route("/__emulator/tokens/expire", post(expire_tokens))
        .route("/__emulator/reset", post(reset))
        .merge(super::admin_bulk::routes())
}

const STATES: [&str; 9] = [
    "alerting",
    "dialing",
    "contacting",
    "offering",
    "connected",
    "disconnected",
    "terminated",
    "parked",
    "none",
];

fn checked_state(raw: &str, field: &str) -> Result<String, ApiError> {
    let lower = raw.to_ascii_lowercase();
    if STATES.contains(&lower.as_str()) {
        Ok(lower)
    } else {
        Err(ApiError::invalid_value(
            field,
            format!(
                "'{raw}' is not a communication state; use one of {}",
                STATES.join(", ")
            ),
        ))
    }
}

/// One conversation as the admin API seeds it.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub(crate) struct SeedConversation {
    /// The conversation's ID (default: a new one).
    #[serde(default)]
    id: Option<String>,
    media_type: String,
    participants: Vec<SeedParticipant>,
    /// When the conversation started (default: now); analytics intervals select on it.
    #[serde(default)]
    start_time: Option<String>,
    /// When its ended communications disconnected (default: the start time).
    #[serde(default)]
    end_time: Option<String>,
}

/// The times a seed gives its conversation, as the platform formats them.
struct SeedTimes {
    start: String,
    end: String,
}

fn seed_time(raw: &str, field: &str) -> Result<time::OffsetDateTime, ApiError> {
    time::OffsetDateTime::parse(raw, &time::format_description::well_known::Rfc3339).map_err(|_| {
        ApiError::invalid_value(
            field,
            format!("'{raw}' is not an ISO-8601 date-time such as 2026-11-30T09:00:00.000Z"),
        )
    })
}

fn seed_times(seed: &SeedConversation) -> Result<SeedTimes, ApiError> {
    let start = match &seed.start_time {
        Some(raw) => seed_time(raw, "startTime")?,
        None => time::OffsetDateTime::now_utc(),
    };
    let end = match &seed.end_time {
        Some(raw) => seed_time(raw, "endTime")?,
        None => start,
    };
    if end < start {
        return Err(ApiError::invalid_value(
            "endTime",
            "endTime must not be before startTime.",
        ));
    }
    Ok(SeedTimes {
        start: iso(start.to_offset(time::UtcOffset::UTC)),
        end: iso(end.to_offset(time::UtcOffset::UTC)),
    })
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct SeedParticipant {
    purpose: String,
    #[serde(default)]
    state: Option<String>,
    #[serde(default)]
    queue_id: Option<String>,
    #[serde(default)]
    wrapup_required: Option<bool>,
    #[serde(default)]
    user_id: Option<String>,
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    communications: Option<Vec<SeedCommunication>>,
    #[serde(default)]
    wrapup: Option<SeedWrapup>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct SeedCommunication {
    state: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct SeedWrapup {
    code: String,
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    notes: Option<String>,
    #[serde(default)]
    tags: Vec<String>,
    #[serde(default)]
    duration_seconds: Option<i64>,
    #[serde(default)]
    end_time: Option<String>,
    #[serde(default)]
    provisional: bool,
}

fn ensure_queue(store: &mut Store, id: Uuid, name: Option<String>) {
    let home = store.home_division().id;
    let queue = store.queues.entry(id).or_insert_with(|| Queue {
        id,
        name: format!("Queue {}", &id.simple().to_string()[..8]),
        division_id: home,
        wrapup_codes: Vec::new(),
    });
    if let Some(name) = name {
        queue.name = name;
    }
}

fn build_participant(
    store: &mut Store,
    index: usize,
    seed: SeedParticipant,
    times: &SeedTimes,
) -> Result<Participant, ApiError> {
    let now = times.start.as_str();
    let field = |f: &str| format!("participants[{index}].{f}");
    let communications = match seed.communications {
        Some(list) if list.is_empty() => {
            return Err(ApiError::invalid_value(
                &field("communications"),
                "A participant needs at least one communication.",
            ));
        }
        Some(list) => list
            .into_iter()
            .enumerate()
            .map(|(i, c)| checked_state(&c.state, &field(&format!("communications[{i}].state"))))
            .collect::<Result<Vec<_>, _>>()?,
        None => vec![checked_state(
            seed.state.as_deref().unwrap_or("connected"),
            &field("state"),
        )?],
    };
    let queue_id = match seed.queue_id {
        Some(raw) => {
            let id = Uuid::parse_str(&raw).map_err(|_| {
                ApiError::invalid_value(&field("queueId"), format!("'{raw}' is not a UUID"))
            })?;
            ensure_queue(store, id, None);
            Some(id)
        }
        None => None,
    };
    let user_id = seed
        .user_id
        .map(|raw| {
            Uuid::parse_str(&raw).map_err(|_| {
                ApiError::invalid_value(&field("userId"), format!("'{raw}' is not a UUID"))
            })
        })
        .transpose()?;
    let wrapup = seed.wrapup.map(|w| Wrapup {
        name: w.name.or_else(|| {
            Uuid::parse_str(&w.code)
                .ok()
                .and_then(|id| store.wrapup_codes.get(&id))
                .map(|c| c.name.clone())
        }),
        code: w.code,
        notes: w.notes,
        tags: w.tags,
        duration_seconds: w.duration_seconds,
        end_time: w.end_time.unwrap_or_else(|| times.end.clone()),
        provisional: w.provisional,
    });
    let wrapup_required = seed
        .wrapup_required
        .unwrap_or(matches!(seed.purpose.as_str(), "agent" | "user"));
    Ok(Participant {
        id: Uuid::new_v4(),
        purpose: seed.purpose,
        name: seed.name,
        user_id: user_id.or_else(|| wrapup_required.then(Uuid::new_v4)),
        queue_id,
        wrapup_required,
        start_time: now.to_owned(),
        communications: communications
            .into_iter()
            .map(|state| {
                let ended = matches!(state.as_str(), "disconnected" | "terminated");
                Communication {
                    id: Uuid::new_v4(),
                    connected_time: Some(now.to_owned()),
                    disconnected_time: ended.then(|| times.end.clone()),
                    wrapup: wrapup.clone(),
                    state,
                }
            })
            .collect(),
        wrapup,
    })
}

async fn seed_conversation(
    State(state): State<AppState>,
    JsonBody(seed): JsonBody<SeedConversation>,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    state.mutate(|world| Ok((StatusCode::CREATED, Json(seed_into(world, seed, "")?))))
}

/// Stores one seeded conversation and returns its ids as the admin API answers them.
/// `field_prefix` names it in error messages (e.g. `conversations[3].`).
pub(crate) fn seed_into(
    world: &mut World,
    seed: SeedConversation,
    field_prefix: &str,
) -> Result<Value, ApiError> {
    let media = Media::parse(&seed.media_type).ok_or_else(|| {
        ApiError::invalid_value(
            &format!("{field_prefix}mediaType"),
            format!("'{}' is not a media type", seed.media_type),
        )
    })?;
    if seed.participants.is_empty() {
        return Err(ApiError::invalid_value(
            &format!("{field_prefix}participants"),
            "A conversation needs at least one participant.",
        ));
    }
    let times = seed_times(&seed)?;
    let participants = seed
        .participants
        .into_iter()
        .enumerate()
        .map(|(i, p)| build_participant(&mut world.store, i, p, &times))
        .collect::<Result<Vec<_>, _>>()?;
    let id = chosen_id(seed.id.as_deref(), "conversation", |id| {
        world.store.conversations.contains_key(&id)
    })?;
    let conversation = Conversation {
        id,
        media,
        start_time: times.start.clone(),
        participants,
    };
    let out = json!({
        "conversationId": conversation.id,
        "mediaType": media,
        "participants": conversation.participants.iter().map(|p| json!({
            "participantId": p.id,
            "purpose": p.purpose,
            "queueId": p.queue_id,
            "communicationId": p.communications.first().map(|c| c.id),
            "communicationIds": p.communications.iter().map(|c| c.id).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
    });
    world
        .store
        .conversations
        .insert(conversation.id, conversation);
    Ok(out)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct StateChange {
    state: String,
}

async fn set_participant_state(
    State(state): State<AppState>,
    Path((conversation_id, participant_id)): Path<(String, String)>,
    JsonBody(change): JsonBody<StateChange>,
) -> Result<StatusCode, ApiError> {
    let new_state = checked_state(&change.state, "state")?;
    let conv = parse_id(&conversation_id, "conversation")?;
    let pid = parse_id(&participant_id, "participant")?;
    state.mutate(|world| {
        let p = world
            .store
            .conversations
            .get_mut(&conv)
            .ok_or_else(|| ApiError::not_found("conversation", &conversation_id))?
            .participants
            .iter_mut()
            .find(|p| p.id == pid)
            .ok_or_else(|| ApiError::not_found("participant", &participant_id))?;
        let now = now_iso();
        world.details_index.invalidate();
        for comm in &mut p.communications {
            comm.state = new_state.clone();
            comm.disconnected_time = comm.is_ended().then(|| {
                comm.disconnected_time
                    .clone()
                    .unwrap_or_else(|| now.clone())
            });
        }
        Ok(StatusCode::NO_CONTENT)
    })
}

#[derive(Deserialize)]
#[serde(untagged)]
enum Assignment {
    Ids(Vec<String>),
    Named {
        #[serde(default)]
        name: Option<String>,
        #[serde(rename = "codeIds")]
        code_ids: Vec<String>,
    },
}

async fn assign_codes(
    State(state): State<AppState>,
    Path(queue_id): Path<String>,
    JsonBody(assignment): JsonBody<Assignment>,
) -> Result<Json<Value>, ApiError> {
    let id = Uuid::parse_str(&queue_id)
        .map_err(|_| ApiError::invalid_value("queueId", format!("'{queue_id}' is not a UUID")))?;
    let (name, raw_ids) = match assignment {
        Assignment::Ids(ids) => (None, ids),
        Assignment::Named { name, code_ids } => (name, code_ids),
    };
    state.mutate(|world| {
        let codes = checked_codes(&world.store, &raw_ids)?;
        ensure_queue(&mut world.store, id, name);
        let queue = world
            .store
            .queues
            .get_mut(&id)
            .expect("ensure_queue just inserted the queue");
        queue.wrapup_codes = codes;
        Ok(Json(json!({
            "queueId": id,
            "name": queue.name,
            "codeIds": queue.wrapup_codes,
        })))
    })
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct NewQueue {
    /// The queue's ID (default: a new one).
    #[serde(default)]
    id: Option<String>,
    name: String,
    #[serde(default)]
    division_id: Option<String>,
    #[serde(default)]
    code_ids: Vec<String>,
}

/// Creates a queue (names need not be unique, as on the platform) with optional codes.
async fn create_queue(
    State(state): State<AppState>,
    JsonBody(new): JsonBody<NewQueue>,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    if new.name.trim().is_empty() {
        return Err(ApiError::invalid_value("name", "A queue needs a name."));
    }
    state.mutate(|world| {
        let division_id = match &new.division_id {
            Some(raw) => Uuid::parse_str(raw)
                .ok()
                .filter(|d| world.store.division(*d).is_some())
                .ok_or_else(|| {
                    ApiError::invalid_value(
                        "divisionId",
                        format!("'{raw}' is not the ID of a division"),
                    )
                })?,
            None => world.store.home_division().id,
        };
        let codes = checked_codes(&world.store, &new.code_ids)?;
        let id = chosen_id(new.id.as_deref(), "queue", |id| {
            world.store.queues.contains_key(&id)
        })?;
        world.store.queues.insert(
            id,
            Queue {
                id,
                name: new.name.clone(),
                division_id,
                wrapup_codes: codes.clone(),
            },
        );
        Ok((
            StatusCode::CREATED,
            Json(json!({ "queueId": id, "name": new.name, "divisionId": division_id, "codeIds": codes })),
        ))
    })
}

/// `POST /__emulator/wrapupcodes`: a wrap-up code made by a person in the admin UI, so its
/// `createdBy` is a user ID (the `createdBy` field, default [`ADMIN_USER_ID`]) rather than an
/// OAuth client. Same body and answer as the API's create otherwise (read-after-write lag
/// included).
async fn create_code_as_user(
    State(state): State<AppState>,
    JsonBody(body): JsonBody<Value>,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    let creator = match body.get("createdBy") {
        None | Some(Value::Null) => ADMIN_USER_ID.to_owned(),
        Some(Value::String(id)) => id.clone(),
        Some(_) => {
            return Err(ApiError::invalid_value(
                "createdBy",
                "createdBy must be a user ID string",
            ));
        }
    };
    let chosen = match body.get("id") {
        None | Some(Value::Null) => None,
        Some(Value::String(id)) => Some(id.clone()),
        Some(_) => return Err(ApiError::invalid_value("id", "id must be a UUID string")),
    };
    let request: CodeRequest = serde_json::from_value(body)
        .map_err(|error| ApiError::invalid_value("body", format!("Not a wrap-up code: {error}")))?;
    let unset = state.config().unset_code_division;
    let out = state.mutate(|world| {
        let id = chosen_id(chosen.as_deref(), "wrap-up code", |id| {
            world.store.wrapup_codes.contains_key(&id)
        })?;
        create_as(world, id, request, creator, unset)
    })?;
    Ok((StatusCode::CREATED, Json(out)))
}

/// The user the admin route records as a code's creator when the seed names none.
pub const ADMIN_USER_ID: &str = "a1d0c0de-0000-4000-8000-00000000ad01";

/// Existing code ids from a seed list, in order and without duplicates.
fn checked_codes(store: &Store, raw_ids: &[String]) -> Result<Vec<Uuid>, ApiError> {
    let mut codes = Vec::new();
    for (i, raw) in raw_ids.iter().enumerate() {
        let code = Uuid::parse_str(raw)
            .ok()
            .filter(|c| store.wrapup_codes.contains_key(c))
            .ok_or_else(|| {
                ApiError::invalid_value(
                    &format!("codeIds[{i}]"),
                    format!("'{raw}' is not the ID of an existing wrap-up code"),
                )
            })?;
        if !codes.contains(&code) {
            codes.push(code);
        }
    }
    Ok(codes)
}

async fn set_faults(
    State(state): State<AppState>,
    JsonBody(faults): JsonBody<Faults>,
) -> Result<Json<Faults>, ApiError> {
    faults.validate()?;
    let mut world = state.world();
    world.faults = faults.clone();
    Ok(Json(faults))
}

async fn get_faults(State(state): State<AppState>) -> Json<Faults> {
    Json(state.world().faults.clone())
}

async fn clear_faults(State(state): State<AppState>) -> StatusCode {
    state.world().faults = Faults::default();
    StatusCode::NO_CONTENT
}

async fn requests(State(state): State<AppState>) -> Json<Counter> {
    Json(state.world().counter.clone())
}

async fn expire_tokens(State(state): State<AppState>) -> Json<Value> {
    let expired = state.world().tokens.expire_all();
    Json(json!({ "expired": expired }))
}

async fn reset(State(state): State<AppState>) -> Result<StatusCode, ApiError> {
    state.mutate(|world| {
        world.store = Store::default();
        world.faults = Faults::default();
        world.counter = Counter::default();
        world.rate.clear();
        world.shadows = Shadows::default();
        world.details_index.invalidate();
        Ok(StatusCode::NO_CONTENT)
    })
}
