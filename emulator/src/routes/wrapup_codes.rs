//! `/api/v2/routing/wrapupcodes`: list (paging, filters, sort), create, get, update, delete,
//! and the division views.

use std::time::Instant;

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::get;
use axum::{Extension, Json, Router};
use serde::Deserialize;
use serde_json::{Value, json};
use uuid::Uuid;

use crate::UnsetCodeDivision;
use crate::auth::ClientId;
use crate::clock::now_iso;
use crate::error::ApiError;
use crate::extract::{JsonBody, QueryPairs, parse_id};
use crate::paging::{Listing, Page, listing_page};
use crate::state::{AppState, Shadow, World, remember};
use crate::store::{CodeDivision, Store, WrapupCode};

/// Longest wrap-up code name accepted (characters).
pub const MAX_NAME_CHARS: usize = 255;

const BASE: &str = "/api/v2/routing/wrapupcodes";

/// Routes for wrap-up code management.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route(BASE, get(list).post(create))
        .route(
            "/api/v2/routing/wrapupcodes/{codeId}",
            get(get_one).put(update).delete(remove),
        )
        .route("/api/v2/routing/wrapupcodes/divisionviews", get(list))
        .route(
            "/api/v2/routing/wrapupcodes/divisionviews/{codeId}",
            get(get_one),
        )
}

/// A wrap-up code as the API returns it.
pub fn view(store: &Store, code: &WrapupCode) -> Value {
    // `*` (all divisions) has no division entity: its name is `*` too (assumed).
    let name = match code.division_id {
        CodeDivision::Id(id) => store.division(id).map(|d| d.name.as_str()).unwrap_or(""),
        CodeDivision::All => CodeDivision::ALL,
    };
    let mut out = json!({
        "id": code.id,
        "name": code.name,
        "division": {
            "id": code.division_id,
            "name": name,
            "selfUri": format!("/api/v2/authorization/divisions/{}", code.division_id),
        },
        "dateCreated": code.date_created,
        "dateModified": code.date_modified,
        "createdBy": code.created_by,
        "modifiedBy": code.modified_by,
        "selfUri": format!("{BASE}/{}", code.id),
    });
    if let Some(description) = &code.description {
        out["description"] = json!(description);
    }
    out
}

/// Case-insensitive name match; a trailing `*` makes it a prefix match.
pub fn name_matches(filter: &str, name: &str) -> bool {
    let name = name.to_lowercase();
    match filter.strip_suffix('*') {
        Some(prefix) => name.starts_with(&prefix.trim_start_matches('*').to_lowercase()),
        None => name == filter.to_lowercase(),
    }
}

/// Sorts codes by name (case-insensitive, id as tie-break), descending when asked.
pub fn sort_codes(codes: &mut [WrapupCode], query: &QueryPairs) -> Result<(), ApiError> {
    let descending = query.descending()?;
    codes.sort_by_key(WrapupCode::name_key);
    if descending {
        codes.reverse();
    }
    Ok(())
}

/// Every code as a lagging list read sees it at `now`.
fn listed_codes(world: &World, now: Instant) -> Vec<WrapupCode> {
    let lagging = world.faults.read_after_write_lag_ms > 0;
    let mut ids: Vec<Uuid> = world.store.wrapup_codes.keys().copied().collect();
    if lagging {
        ids.extend(
            world
                .shadows
                .codes
                .keys()
                .filter(|id| !world.store.wrapup_codes.contains_key(id)),
        );
    }
    ids.into_iter()
        .filter_map(|id| {
            let shadow = if lagging {
                world.shadows.codes.get(&id)
            } else {
                None
            };
            Shadow::view(shadow, world.store.wrapup_codes.get(&id), now).cloned()
        })
        .collect()
}

async fn list(
    State(state): State<AppState>,
    uri: axum::http::Uri,
    query: QueryPairs,
) -> Result<Json<Listing<Value>>, ApiError> {
    let page = Page::from_query(&query.0)?;
    let ids = query.id_filter("id");
    let divisions = query.id_filter("divisionId");
    let name = query.name_filter();
    let world = state.world();
    let mut codes: Vec<WrapupCode> = listed_codes(&world, Instant::now())
        .into_iter()
        .filter(|c| ids.admits(&c.id))
        .filter(|c| divisions.admits(&c.division_id))
        .filter(|c| name.is_none_or(|n| name_matches(n, &c.name)))
        .collect();
    sort_codes(&mut codes, &query)?;
    let views = codes.iter().map(|c| view(&world.store, c)).collect();
    Ok(listing_page(views, page, &uri, &query))
}

async fn get_one(
    State(state): State<AppState>,
    Path(code_id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let id = parse_id(&code_id, "wrap-up code")?;
    let world = state.world();
    let shadow = if world.faults.lag_get_by_id && world.faults.read_after_write_lag_ms > 0 {
        world.shadows.codes.get(&id)
    } else {
        None
    };
    let code = Shadow::view(shadow, world.store.wrapup_codes.get(&id), Instant::now())
        .ok_or_else(|| ApiError::not_found("wrap-up code", &code_id))?;
    Ok(Json(view(&world.store, code)))
}

/// Body of create and update (WrapupCodeRequest); read-only fields are ignored.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CodeRequest {
    name: Option<String>,
    description: Option<String>,
    division: Option<DivisionRef>,
}

#[derive(Deserialize)]
pub struct DivisionRef {
    id: Option<String>,
}

/// Checks a request's name: present, not blank, not too long, not used by another code.
fn checked_name(
    store: &Store,
    name: Option<String>,
    except: Option<Uuid>,
) -> Result<String, ApiError> {
    let name = name.unwrap_or_default();
    if name.trim().is_empty() {
        return Err(ApiError::invalid_value(
            "name",
            "The wrap-up code name is required and may not be blank.",
        ));
    }
    let chars = name.chars().count();
    if chars > MAX_NAME_CHARS {
        return Err(ApiError::invalid_value(
            "name",
            format!(
                "The wrap-up code name is {chars} characters long; the maximum is {MAX_NAME_CHARS}."
            ),
        )
        .with_param("max", MAX_NAME_CHARS.to_string()));
    }
    if let Some(other) = store.code_named(&name).filter(|id| Some(*id) != except) {
        return Err(ApiError::new(
            StatusCode::CONFLICT,
            "general.conflict",
            format!(
                "A wrap-up code with the name '{}' already exists.",
                name.trim()
            ),
        )
        .with_entity_id(&other.to_string())
        .with_entity_name(&name));
    }
    Ok(name)
}

/// Resolves a request's division (an existing division's ID, or `*`), defaulting to
/// `fallback`.
fn checked_division(
    store: &Store,
    division: Option<DivisionRef>,
    fallback: CodeDivision,
) -> Result<CodeDivision, ApiError> {
    let Some(raw) = division.and_then(|d| d.id) else {
        return Ok(fallback);
    };
    CodeDivision::parse(&raw)
        .filter(|division| match division {
            CodeDivision::Id(id) => store.division(*id).is_some(),
            CodeDivision::All => true,
        })
        .ok_or_else(|| {
            ApiError::invalid_value(
                "division.id",
                format!("The division '{raw}' does not exist."),
            )
            .with_entity_id(&raw)
        })
}

async fn create(
    State(state): State<AppState>,
    Extension(ClientId(client)): Extension<ClientId>,
    JsonBody(body): JsonBody<CodeRequest>,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    let unset = state.config().unset_code_division;
    let out = state.mutate(|world| create_as(world, Uuid::new_v4(), body, client, unset))?;
    Ok((StatusCode::OK, Json(out)))
}

/// Creates a code recorded as made by `creator` (`createdBy`, `modifiedBy`): the OAuth client
/// for an API write, a user ID for one made in the admin UI (the emulator's admin route).
/// Without a division in `body` the code goes where `unset` says.
pub fn create_as(
    world: &mut World,
    id: Uuid,
    body: CodeRequest,
    creator: String,
    unset: UnsetCodeDivision,
) -> Result<Value, ApiError> {
    let name = checked_name(&world.store, body.name, None)?;
    let unset = match unset {
        UnsetCodeDivision::Home => CodeDivision::Id(world.store.home_division().id),
        UnsetCodeDivision::All => CodeDivision::All,
    };
    let division_id = checked_division(&world.store, body.division, unset)?;
    let now = now_iso();
    let code = WrapupCode {
        id,
        name,
        description: body.description,
        division_id,
        date_created: now.clone(),
        date_modified: now,
        created_by: creator.clone(),
        modified_by: creator,
    };
    remember(
        &mut world.shadows.codes,
        code.id,
        None,
        world.faults.read_after_write_lag_ms,
    );
    let out = view(&world.store, &code);
    world.store.wrapup_codes.insert(code.id, code);
    Ok(out)
}

async fn update(
    State(state): State<AppState>,
    Extension(ClientId(client)): Extension<ClientId>,
    Path(code_id): Path<String>,
    JsonBody(body): JsonBody<CodeRequest>,
) -> Result<Json<Value>, ApiError> {
    let id = parse_id(&code_id, "wrap-up code")?;
    state.mutate(|world| {
        let current = world
            .store
            .wrapup_codes
            .get(&id)
            .cloned()
            .ok_or_else(|| ApiError::not_found("wrap-up code", &code_id))?;
        let name = checked_name(&world.store, body.name, Some(id))?;
        let division_id = checked_division(&world.store, body.division, current.division_id)?;
        let updated = WrapupCode {
            name,
            description: body.description,
            division_id,
            date_modified: now_iso(),
            modified_by: client,
            ..current.clone()
        };
        remember(
            &mut world.shadows.codes,
            id,
            Some(&current),
            world.faults.read_after_write_lag_ms,
        );
        let out = view(&world.store, &updated);
        world.store.wrapup_codes.insert(id, updated);
        Ok(Json(out))
    })
}

async fn remove(
    State(state): State<AppState>,
    Path(code_id): Path<String>,
) -> Result<StatusCode, ApiError> {
    let id = parse_id(&code_id, "wrap-up code")?;
    state.mutate(|world| {
        let current = world
            .store
            .wrapup_codes
            .remove(&id)
            .ok_or_else(|| ApiError::not_found("wrap-up code", &code_id))?;
        for queue in world.store.queues.values_mut() {
            queue.wrapup_codes.retain(|c| *c != id);
        }
        remember(
            &mut world.shadows.codes,
            id,
            Some(&current),
            world.faults.read_after_write_lag_ms,
        );
        Ok(StatusCode::NO_CONTENT)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn name_filter_is_case_insensitive_exact_or_trailing_star_prefix() {
        assert!(name_matches("sale", "Sale"));
        assert!(!name_matches("sal", "Sale"));
        assert!(name_matches("SAL*", "Sale completed"));
        assert!(!name_matches("ale*", "Sale"));
    }
}
