//! `/api/v2/authorization/divisions`: the home division, the paged list and one by id.

use axum::extract::{Path, State};
use axum::routing::get;
use axum::{Json, Router};
use serde_json::{Value, json};

use crate::error::ApiError;
use crate::extract::{QueryPairs, parse_id};
use crate::paging::{Listing, Page, listing_page};
use crate::state::AppState;
use crate::store::{Division, Store};

/// Routes for divisions.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/v2/authorization/divisions", get(list))
        .route("/api/v2/authorization/divisions/home", get(home))
        .route("/api/v2/authorization/divisions/{divisionId}", get(get_one))
}

/// A division as the API returns it (AuthzDivision).
pub fn view(store: &Store, division: &Division) -> Value {
    let codes = store
        .wrapup_codes
        .values()
        .filter(|c| c.division_id == crate::store::CodeDivision::Id(division.id))
        .count();
    json!({
        "id": division.id,
        "name": division.name,
        "description": division.description,
        "homeDivision": division.home,
        "objectCounts": { "wrapupcodes": codes },
        "selfUri": format!("/api/v2/authorization/divisions/{}", division.id),
    })
}

async fn home(State(state): State<AppState>) -> Json<Value> {
    let world = state.world();
    Json(view(&world.store, world.store.home_division()))
}

async fn get_one(
    State(state): State<AppState>,
    Path(division_id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let id = parse_id(&division_id, "division")?;
    let world = state.world();
    let division = world
        .store
        .division(id)
        .ok_or_else(|| ApiError::not_found("division", &division_id))?;
    Ok(Json(view(&world.store, division)))
}

async fn list(
    State(state): State<AppState>,
    uri: axum::http::Uri,
    query: QueryPairs,
) -> Result<Json<Listing<Value>>, ApiError> {
    let page = Page::from_query(&query.0)?;
    let ids = query.id_filter("id");
    let name = query.name_filter();
    let world = state.world();
    let mut divisions: Vec<&Division> = world
        .store
        .divisions
        .iter()
        .filter(|d| ids.admits(&d.id))
        .filter(|d| name.is_none_or(|n| crate::routes::wrapup_codes::name_matches(n, &d.name)))
        .collect();
    divisions.sort_by_key(|d| d.name.to_lowercase());
    let views = divisions.iter().map(|d| view(&world.store, d)).collect();
    Ok(listing_page(views, page, &uri, &query))
}
