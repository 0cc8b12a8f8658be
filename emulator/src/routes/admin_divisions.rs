//! `POST /__emulator/divisions`: a division made as an admin would in the UI (the Platform API
//! routes the provider uses only read divisions). Seed files use it too.

use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::post;
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::Value;

use crate::error::ApiError;
use crate::extract::JsonBody;
use crate::routes::chosen_id::chosen_id;
use crate::routes::divisions::view;
use crate::state::AppState;
use crate::store::Division;

/// The admin route making divisions; `app` guards it like the other admin routes.
pub fn routes() -> Router<AppState> {
    Router::new().route("/__emulator/divisions", post(create_division))
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct NewDivision {
    /// The division's ID (default: a new one).
    #[serde(default)]
    id: Option<String>,
    name: String,
    #[serde(default)]
    description: Option<String>,
}

/// Creates a division (never the home one); names are unique, as the admin UI requires.
async fn create_division(
    State(state): State<AppState>,
    JsonBody(new): JsonBody<NewDivision>,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    let name = new.name.trim().to_string();
    if name.is_empty() {
        return Err(ApiError::invalid_value("name", "A division needs a name."));
    }
    state.mutate(|world| {
        if world
            .store
            .divisions
            .iter()
            .any(|d| d.name.eq_ignore_ascii_case(&name))
        {
            return Err(ApiError::new(
                StatusCode::CONFLICT,
                "conflict",
                format!("A division named '{name}' already exists."),
            )
            .with_entity_name(&name));
        }
        let id = chosen_id(new.id.as_deref(), "division", |id| {
            world.store.division(id).is_some()
        })?;
        let division = Division {
            id,
            name,
            description: new.description.unwrap_or_default(),
            home: false,
        };
        let out = view(&world.store, &division);
        world.store.divisions.push(division);
        Ok((StatusCode::CREATED, Json(out)))
    })
}
