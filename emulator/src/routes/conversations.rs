//! `/api/v2/conversations/...`: conversation and participant reads, the wrap-up codes valid
//! for a participant, wrap-up reads, and wrap-up writes (POST per communication, PATCH per
//! participant) with the platform's rules.

use std::time::Instant;

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::{get, patch, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{Map, Value, json};
use uuid::Uuid;

use crate::clock::now_iso;
use crate::error::ApiError;
use crate::extract::{JsonBody, QueryPairs, parse_id};
use crate::media::Media;
use crate::routes::wrapup_codes;
use crate::state::{AppState, Shadow, World, remember};
use crate::store::{Communication, Conversation, Participant, Store, Wrapup, WrapupCode};

/// Routes for conversations, generic and per media.
pub fn routes() -> Router<AppState> {
    let mut router = Router::new()
        .route("/api/v2/conversations/{conversationId}", get(get_generic))
        .route(
            "/api/v2/conversations/{conversationId}/participants/{participantId}/wrapup",
            get(|s, p, q| participant_wrapup(None, s, p, q)),
        )
        .route(
            "/api/v2/conversations/{conversationId}/participants/{participantId}/wrapupcodes",
            get(|s, p| participant_codes(None, s, p)),
        );
    for media in Media::ALL {
        let base = format!(
            "/api/v2/conversations/{}/{{conversationId}}",
            media.path_segment()
        );
        router = router
            .route(
                &format!("{base}/participants/{{participantId}}/communications/{{communicationId}}/wrapup"),
                post(move |s, p, b| post_wrapup(media, s, p, b)),
            )
            .route(
                &format!("{base}/participants/{{participantId}}"),
                patch(move |s, p, b| patch_participant(media, s, p, b)),
            );
        if media.has_media_views() {
            router = router
                .route(&base, get(move |s, p| get_media(media, s, p)))
                .route(
                    &format!("{base}/participants/{{participantId}}/wrapup"),
                    get(move |s, p, q| participant_wrapup(Some(media), s, p, q)),
                )
                .route(
                    &format!("{base}/participants/{{participantId}}/wrapupcodes"),
                    get(move |s, p| participant_codes(Some(media), s, p)),
                );
        }
        if media.has_communication_wrapup_read() {
            router = router.route(
                &format!("{base}/participants/{{participantId}}/communications/{{communicationId}}/wrapup"),
                get(move |s, p, q| communication_wrapup(media, s, p, q)),
            );
        }
    }
    router
}

/// Finds a conversation; when `media` is given it must be that media's conversation.
fn conversation<'a>(
    store: &'a Store,
    media: Option<Media>,
    raw: &str,
) -> Result<&'a Conversation, ApiError> {
    let id = parse_id(raw, "conversation")?;
    store
        .conversations
        .get(&id)
        .filter(|c| media.is_none_or(|m| m == c.media))
        .ok_or_else(|| ApiError::not_found("conversation", raw))
}

fn participant<'a>(conversation: &'a Conversation, raw: &str) -> Result<&'a Participant, ApiError> {
    let id = parse_id(raw, "participant")?;
    conversation
        .participants
        .iter()
        .find(|p| p.id == id)
        .ok_or_else(|| ApiError::not_found("participant", raw))
}

fn wrapup_view(w: &Wrapup) -> Value {
    let mut out = json!({
        "code": w.code,
        "tags": w.tags,
        "endTime": w.end_time,
        "provisional": w.provisional,
    });
    if let Some(name) = &w.name {
        out["name"] = json!(name);
    }
    if let Some(notes) = &w.notes {
        out["notes"] = json!(notes);
    }
    if let Some(d) = w.duration_seconds {
        out["durationSeconds"] = json!(d);
    }
    out
}

fn assigned_view(w: &Wrapup) -> Value {
    let mut out = wrapup_view(w);
    if let Some(map) = out.as_object_mut() {
        map.remove("name");
        map.remove("provisional");
    }
    out
}

fn after_call_work(p: &Participant, c: &Communication) -> Value {
    let state = if !p.wrapup_required {
        "notApplicable"
    } else if c.wrapup.is_some() || p.wrapup.is_some() {
        "complete"
    } else if c.is_ended() {
        "pending"
    } else {
        "unknown"
    };
    let mut out = json!({ "state": state });
    if let Some(t) = &c.disconnected_time {
        out["startTime"] = json!(t);
    }
    out
}

fn communication_view(p: &Participant, c: &Communication) -> Value {
    let mut out = json!({
        "id": c.id,
        "state": c.state,
        "afterCallWorkRequired": p.wrapup_required,
        "afterCallWork": after_call_work(p, c),
    });
    if let Some(t) = &c.connected_time {
        out["connectedTime"] = json!(t);
    }
    if let Some(t) = &c.disconnected_time {
        out["disconnectedTime"] = json!(t);
    }
    if let Some(w) = &c.wrapup {
        out["wrapup"] = wrapup_view(w);
    }
    out
}

/// Fields a participant shows in both the generic and the per-media views.
fn participant_common(p: &Participant) -> Map<String, Value> {
    let mut out = Map::new();
    out.insert("id".into(), json!(p.id));
    out.insert("startTime".into(), json!(p.start_time));
    out.insert("purpose".into(), json!(p.purpose));
    out.insert("wrapupRequired".into(), json!(p.wrapup_required));
    out.insert("attributes".into(), json!({}));
    if p.wrapup_required {
        out.insert("wrapupPrompt".into(), json!("mandatory"));
    }
    if let Some(name) = &p.name {
        out.insert("name".into(), json!(name));
    }
    if let Some(t) = p
        .communications
        .iter()
        .find_map(|c| c.connected_time.as_deref())
    {
        out.insert("connectedTime".into(), json!(t));
    }
    if let Some(t) = p.end_time() {
        out.insert("endTime".into(), json!(t));
    }
    if let Some(w) = &p.wrapup {
        out.insert("wrapup".into(), wrapup_view(w));
    }
    out
}

fn participant_generic(store: &Store, media: Media, p: &Participant) -> Value {
    let mut out = participant_common(p);
    if let Some(user) = p.user_id {
        out.insert("userId".into(), json!(user));
        out.insert("userUri".into(), json!(format!("/api/v2/users/{user}")));
    }
    if let Some(queue) = p.queue_id {
        out.insert("queueId".into(), json!(queue));
        if let Some(q) = store.queues.get(&queue) {
            out.insert("queueName".into(), json!(q.name));
        }
    }
    match p.purpose.as_str() {
        "agent" | "user" => {
            out.insert("participantType".into(), json!("Internal"));
        }
        "customer" | "external" => {
            out.insert("participantType".into(), json!("External"));
        }
        _ => {}
    }
    out.insert(
        media.participant_field().into(),
        Value::Array(
            p.communications
                .iter()
                .map(|c| communication_view(p, c))
                .collect(),
        ),
    );
    Value::Object(out)
}

fn participant_media(p: &Participant) -> Value {
    let mut out = participant_common(p);
    out.insert("state".into(), json!(p.state()));
    if let Some(user) = p.user_id {
        out.insert(
            "user".into(),
            json!({ "id": user, "selfUri": format!("/api/v2/users/{user}") }),
        );
    }
    if let Some(queue) = p.queue_id {
        out.insert(
            "queue".into(),
            json!({ "id": queue, "selfUri": format!("/api/v2/routing/queues/{queue}") }),
        );
    }
    Value::Object(out)
}

fn divisions_view(store: &Store) -> Value {
    let home = store.home_division().id;
    json!([{
        "division": { "id": home, "selfUri": format!("/api/v2/authorization/divisions/{home}") },
        "entities": [],
    }])
}

fn conversation_state(c: &Conversation) -> &'static str {
    let all_ended = c
        .participants
        .iter()
        .flat_map(|p| &p.communications)
        .all(Communication::is_ended);
    if all_ended {
        "disconnected"
    } else {
        "connected"
    }
}

/// The conversation as `GET /api/v2/conversations/{id}` returns it.
pub fn generic_view(store: &Store, c: &Conversation) -> Value {
    let mut out = json!({
        "id": c.id,
        "startTime": c.start_time,
        "participants": c.participants.iter().map(|p| participant_generic(store, c.media, p)).collect::<Vec<_>>(),
        "conversationIds": [],
        "maxParticipants": 10,
        "recordingState": "NONE",
        "state": conversation_state(c),
        "divisions": divisions_view(store),
        "selfUri": format!("/api/v2/conversations/{}", c.id),
    });
    let end = c
        .participants
        .iter()
        .filter_map(Participant::end_time)
        .max();
    if let Some(end) = end.filter(|_| conversation_state(c) == "disconnected") {
        out["endTime"] = json!(end);
    }
    out
}

async fn get_generic(
    State(state): State<AppState>,
    Path(conversation_id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let world = state.world();
    let c = conversation(&world.store, None, &conversation_id)?;
    Ok(Json(generic_view(&world.store, c)))
}

async fn get_media(
    media: Media,
    State(state): State<AppState>,
    Path(conversation_id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let world = state.world();
    let c = conversation(&world.store, Some(media), &conversation_id)?;
    let path = media.path_segment();
    Ok(Json(json!({
        "id": c.id,
        "participants": c.participants.iter().map(participant_media).collect::<Vec<_>>(),
        "otherMediaUris": [],
        "recordingState": "none",
        "maxParticipants": 10,
        "divisions": divisions_view(&world.store),
        "selfUri": format!("/api/v2/conversations/{path}/{}", c.id),
    })))
}

/// What a wrap-up read shows instead of `current` while a lagging write is in flight (only
/// when the fault extends the lag to reads by id).
fn visible_wrapup(
    world: &World,
    conversation: Uuid,
    participant: Uuid,
    current: Option<&Wrapup>,
) -> Option<Wrapup> {
    let shadow = if world.faults.lag_get_by_id && world.faults.read_after_write_lag_ms > 0 {
        world.shadows.wrapups.get(&(conversation, participant))
    } else {
        None
    };
    Shadow::view(shadow, current, Instant::now()).cloned()
}

fn provisional_wanted(query: &QueryPairs) -> Result<bool, ApiError> {
    match query
        .get("provisional")
        .map(str::to_ascii_lowercase)
        .as_deref()
    {
        None | Some("false") => Ok(false),
        Some("true") => Ok(true),
        Some(other) => Err(ApiError::invalid_value(
            "provisional",
            format!("Value [{other}] is not valid for provisional: use true or false"),
        )),
    }
}

fn no_wrapup(participant_id: &str) -> ApiError {
    ApiError::new(
        StatusCode::NOT_FOUND,
        "not.found",
        "No wrap-up has been assigned to this participant.",
    )
    .with_entity_id(participant_id)
}

async fn participant_wrapup(
    media: Option<Media>,
    State(state): State<AppState>,
    Path((conversation_id, participant_id)): Path<(String, String)>,
    query: QueryPairs,
) -> Result<Json<Value>, ApiError> {
    let provisional = provisional_wanted(&query)?;
    let world = state.world();
    let c = conversation(&world.store, media, &conversation_id)?;
    let p = participant(c, &participant_id)?;
    visible_wrapup(&world, c.id, p.id, p.wrapup.as_ref())
        .filter(|w| provisional || !w.provisional)
        .map(|w| Json(assigned_view(&w)))
        .ok_or_else(|| no_wrapup(&participant_id))
}

async fn communication_wrapup(
    media: Media,
    State(state): State<AppState>,
    Path((conversation_id, participant_id, communication_id)): Path<(String, String, String)>,
    query: QueryPairs,
) -> Result<Json<Value>, ApiError> {
    let provisional = provisional_wanted(&query)?;
    let world = state.world();
    let c = conversation(&world.store, Some(media), &conversation_id)?;
    let p = participant(c, &participant_id)?;
    let comm_id = parse_id(&communication_id, "communication")?;
    let comm = p
        .communications
        .iter()
        .find(|x| x.id == comm_id)
        .ok_or_else(|| ApiError::not_found("communication", &communication_id))?;
    visible_wrapup(&world, c.id, p.id, comm.wrapup.as_ref())
        .filter(|w| provisional || !w.provisional)
        .map(|w| Json(assigned_view(&w)))
        .ok_or_else(|| no_wrapup(&participant_id))
}

async fn participant_codes(
    media: Option<Media>,
    State(state): State<AppState>,
    Path((conversation_id, participant_id)): Path<(String, String)>,
) -> Result<Json<Vec<Value>>, ApiError> {
    let world = state.world();
    let c = conversation(&world.store, media, &conversation_id)?;
    let p = participant(c, &participant_id)?;
    let mut codes: Vec<_> = match p.queue_id.and_then(|q| world.store.queues.get(&q)) {
        Some(queue) => queue
            .wrapup_codes
            .iter()
            .filter_map(|id| world.store.wrapup_codes.get(id))
            .cloned()
            .collect(),
        None => Vec::new(),
    };
    codes.sort_by_key(WrapupCode::name_key);
    Ok(Json(
        codes
            .iter()
            .map(|code| wrapup_codes::view(&world.store, code))
            .collect(),
    ))
}

/// Body of a wrap-up write (WrapupInput).
#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct WrapupInput {
    code: Option<String>,
    notes: Option<String>,
    tags: Option<Vec<String>>,
    duration_seconds: Option<i64>,
    end_time: Option<String>,
    provisional: Option<bool>,
}

/// Which communication(s) a write targets.
enum Target {
    One(Uuid),
    FirstEnded,
}

/// Applies the platform's wrap-up rules and stores the wrap-up (unless writes are ignored).
fn write_wrapup(
    world: &mut World,
    media: Media,
    conversation_id: &str,
    participant_id: &str,
    target: Target,
    input: WrapupInput,
) -> Result<(), ApiError> {
    let c = conversation(&world.store, Some(media), conversation_id)?;
    let conv = c.id;
    let p = participant(c, participant_id)?;
    let pid = p.id;
    let comm_index = match target {
        Target::One(id) => p
            .communications
            .iter()
            .position(|x| x.id == id)
            .ok_or_else(|| ApiError::not_found("communication", &id.to_string()))?,
        Target::FirstEnded => p
            .communications
            .iter()
            .position(Communication::is_ended)
            .unwrap_or(0),
    };
    if world.faults.accept_but_ignore_wrapup_writes {
        return Ok(());
    }
    if !p.wrapup_required {
        return Err(ApiError::bad_request(
            "Wrap-up is not required for this participant, so it cannot be set.",
        )
        .with_entity_id(participant_id));
    }
    let comm = p
        .communications
        .get(comm_index)
        .ok_or_else(|| ApiError::not_found("communication", participant_id))?;
    if !comm.is_ended() {
        return Err(ApiError::bad_request(format!(
            "Wrap-up can only be set once the communication is disconnected and awaiting wrap-up; it is {}.",
            comm.state
        ))
        .with_entity_id(&comm.id.to_string())
        .with_param("state", comm.state.clone()));
    }
    let raw_code = input.code.unwrap_or_default();
    if raw_code.trim().is_empty() {
        return Err(ApiError::invalid_value(
            "code",
            "A wrap-up code ID is required in 'code'.",
        ));
    }
    let code = Uuid::parse_str(raw_code.trim())
        .ok()
        .and_then(|id| world.store.wrapup_codes.get(&id))
        .filter(|code| match p.queue_id.and_then(|q| world.store.queues.get(&q)) {
            Some(queue) => queue.wrapup_codes.contains(&code.id),
            None => p.queue_id.is_none(),
        })
        .ok_or_else(|| {
            ApiError::invalid_value(
                "code",
                format!(
                    "'{raw_code}' is not the ID of a wrap-up code valid for this participant's queue."
                ),
            )
            .with_entity_id(&raw_code)
        })?;
    let wrapup = Wrapup {
        code: code.id.to_string(),
        name: Some(code.name.clone()),
        notes: input.notes,
        tags: input.tags.unwrap_or_default(),
        duration_seconds: input.duration_seconds,
        end_time: input.end_time.unwrap_or_else(now_iso),
        provisional: input.provisional.unwrap_or(false),
    };
    let lag = world.faults.read_after_write_lag_ms;
    let analytics_lag = world.faults.analytics_lag_ms;
    let before = p.wrapup.clone();
    remember(
        &mut world.shadows.wrapups,
        (conv, pid),
        before.as_ref(),
        lag,
    );
    remember(
        &mut world.shadows.analytics,
        (conv, pid),
        before.as_ref(),
        analytics_lag,
    );
    let p = world
        .store
        .conversations
        .get_mut(&conv)
        .and_then(|c| c.participants.iter_mut().find(|p| p.id == pid))
        .expect("participant was found under the same lock");
    p.communications[comm_index].wrapup = Some(wrapup.clone());
    p.wrapup = Some(wrapup);
    *world
        .counter
        .wrapup_writes
        .entry(pid.to_string())
        .or_default() += 1;
    Ok(())
}

async fn post_wrapup(
    media: Media,
    State(state): State<AppState>,
    Path((conversation_id, participant_id, communication_id)): Path<(String, String, String)>,
    JsonBody(input): JsonBody<WrapupInput>,
) -> Result<StatusCode, ApiError> {
    let comm = parse_id(&communication_id, "communication")?;
    state.mutate(|world| {
        write_wrapup(
            world,
            media,
            &conversation_id,
            &participant_id,
            Target::One(comm),
            input,
        )
    })?;
    Ok(StatusCode::ACCEPTED)
}

/// Body of the participant PATCH (MediaParticipantRequest); other fields are accepted and
/// ignored.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct ParticipantPatch {
    wrapup: Option<WrapupInput>,
    state: Option<String>,
}

async fn patch_participant(
    media: Media,
    State(state): State<AppState>,
    Path((conversation_id, participant_id)): Path<(String, String)>,
    JsonBody(body): JsonBody<ParticipantPatch>,
) -> Result<StatusCode, ApiError> {
    state.mutate(|world| {
        if let Some(new_state) = body.state.as_deref() {
            if new_state != "disconnected" {
                return Err(ApiError::invalid_value(
                    "state",
                    format!(
                        "A participant can only be patched to 'disconnected', not '{new_state}'."
                    ),
                ));
            }
            let c = conversation(&world.store, Some(media), &conversation_id)?;
            let (conv, pid) = (c.id, participant(c, &participant_id)?.id);
            let now = now_iso();
            world.details_index.invalidate();
            if let Some(p) = world
                .store
                .conversations
                .get_mut(&conv)
                .and_then(|c| c.participants.iter_mut().find(|p| p.id == pid))
            {
                for comm in p.communications.iter_mut().filter(|c| !c.is_ended()) {
                    comm.state = "disconnected".into();
                    comm.disconnected_time = Some(now.clone());
                }
            }
        }
        match body.wrapup {
            Some(input) => write_wrapup(
                world,
                media,
                &conversation_id,
                &participant_id,
                Target::FirstEnded,
                input,
            ),
            None => {
                let c = conversation(&world.store, Some(media), &conversation_id)?;
                participant(c, &participant_id).map(|_| ())
            }
        }
    })?;
    Ok(StatusCode::ACCEPTED)
}
