//! `genesyscloud_routing_wrapupcode`: a wrap-up code agents pick after an interaction.
//!
//! Same attribute names, ID (the code's UUID) and schema version as the official provider, so
//! existing state moves over. Choices worth knowing:
//! - `description`: the platform does not tell an empty description from none. State keeps
//!   whichever form the configuration uses (`""` or omitted), so neither plans a change; import
//!   and `terraform query` produce the omitted form.
//! - `division_id`: optional and computed. Unset, the platform puts the code in the home
//!   division and state records it; later plans keep it. Changing it moves the code in place
//!   (PUT), as the platform allows; removing it from the configuration leaves the code where it
//!   is.
//! - Create is safe to retry: the name is checked free before the POST, and if the POST's
//!   answer is lost the code is found by name and adopted instead of created twice.
//! - Import by ID, by `name:<exact name>`, or by identity `{ id }`.
//!
//! Here: the resource's CRUD, plan and upgrade. Beside it: `schema` (schema, validation,
//! state; also used by the data source and list resource), `safe_create` and `import`.

use std::sync::Arc;

use async_trait::async_trait;

use super::support::{
    Attr, PlatformError, WrapupCode, WrapupCodeInput, attr, attr_str, is_uuid, object, path,
    set_attr, string_or_null,
};
use crate::cty::Value;
use crate::provider::client::ApiHandle;
use crate::tfplugin::{
    ApplyResult, CreateRequest, DeleteRequest, Diagnostics, IdentitySchema, ImportRequest,
    ImportResult, ImportedResource, PlanRequest, PlanResponse, ReadRequest, ReadResult, Resource,
    Schema, UpdateRequest,
};

mod import;
mod safe_create;
mod schema;

#[cfg(test)]
mod fake;
#[cfg(test)]
mod tests;

use import::import_error;
use safe_create::{CreateFailure, create_safely, find_holder, name_taken, same_name};
pub(crate) use schema::{Flags, string_attribute};
pub use schema::{
    IMPORT_BY_NAME_PREFIX, NAME_MAX_CHARS, SCHEMA_VERSION, TYPE_NAME, identity_of, identity_schema,
    name_problem, resource_schema, state_of, validate_division_id, validate_name_and_division,
};

/// The managed resource.
pub struct RoutingWrapupCode {
    api: ApiHandle,
}

impl RoutingWrapupCode {
    /// The resource, reaching the platform through the provider's shared handle.
    pub fn new(api: ApiHandle) -> Arc<Self> {
        Arc::new(RoutingWrapupCode { api })
    }
}

/// What create and update send, read from the planned state.
fn input_from(planned: &Value) -> Result<WrapupCodeInput, Diagnostics> {
    let Some(name) = attr_str(planned, "name") else {
        let mut diagnostics = Diagnostics::default();
        diagnostics.attribute_error(
            path("name"),
            "Wrap-up code name is not known",
            "The planned name is null or unknown at apply time; this is a bug in the provider.",
        );
        return Err(diagnostics);
    };
    Ok(WrapupCodeInput {
        name: name.to_owned(),
        division_id: attr_str(planned, "division_id").map(str::to_owned),
        description: attr_str(planned, "description")
            .filter(|text| !text.is_empty())
            .map(str::to_owned),
    })
}

/// Diagnostics for a failed create or update. A refusal (400) that names the division sent is
/// about `division_id` (a division that does not exist or that these credentials cannot use),
/// so it points there rather than at the whole resource.
fn write_failure(error: &PlatformError, action: &str, input: &WrapupCodeInput) -> Diagnostics {
    let mut diagnostics = error.diagnostics(action);
    let about_division = match (error, input.division_id.as_deref()) {
        (PlatformError::Invalid(failure), Some(division)) => {
            let message = failure.message.to_lowercase();
            message.contains(&division.to_lowercase()) || message.contains("division")
        }
        _ => false,
    };
    if about_division {
        for diagnostic in &mut diagnostics.0 {
            diagnostic
                .attribute
                .get_or_insert_with(|| path("division_id"));
            diagnostic.detail.push_str(
                "\nCheck the division ID, and that the OAuth client's role grants access to \
                 that division.",
            );
        }
    }
    diagnostics
}

#[async_trait]
impl Resource for RoutingWrapupCode {
    fn type_name(&self) -> &'static str {
        TYPE_NAME
    }

    fn schema(&self) -> Schema {
        resource_schema()
    }

    fn identity_schema(&self) -> Option<IdentitySchema> {
        Some(identity_schema())
    }

    async fn validate(&self, config: &Value) -> Diagnostics {
        let mut diagnostics = Diagnostics::default();
        validate_name_and_division(config, &mut diagnostics);
        diagnostics
    }

    async fn modify_plan(&self, request: &PlanRequest, plan: &mut PlanResponse) {
        let planned_name = attr_str(&plan.planned_state, "name").map(str::to_owned);
        let prior_name = request
            .prior_state
            .as_ref()
            .and_then(|prior| attr_str(prior, "name"))
            .map(str::to_owned);
        // Creating, the identity is not known yet and is left null: Terraform 1.15 cannot render
        // a plan whose identity holds unknowns (`terraform show -json` fails on it).
        let own_id = match &request.prior_state {
            None => {
                plan.planned_identity = None;
                None
            }
            Some(prior) => {
                let id = attr_str(prior, "id").map(str::to_owned);
                if let Some(id) = &id {
                    plan.planned_identity = Some(identity_of(id));
                }
                id
            }
        };
        let creating_in_home =
            request.prior_state.is_none() && attr(&request.config, "division_id") == Attr::Null;
        let renaming = planned_name.filter(|name| Some(name) != prior_name.as_ref());
        if !creating_in_home && renaming.is_none() {
            return;
        }
        let codes = match self.api.wrapup_codes().await {
            Ok(codes) => codes,
            Err(error) => {
                plan.diagnostics
                    .extend(error.diagnostics("plan the wrap-up code"));
                return;
            }
        };
        // Unset, the division is the home division: say which instead of "known after apply".
        if creating_in_home && let Some(home) = codes.home_division_id().await {
            set_attr(&mut plan.planned_state, "division_id", Value::String(home));
        }
        // The name must be free when creating or renaming: fail at plan time, not half-way
        // through an apply.
        let Some(name) = renaming else {
            return;
        };
        let holder = match codes.snapshot().await {
            Some(all) => Ok(all.into_iter().find(|code| same_name(&code.name, &name))),
            None => find_holder(codes.api(), &name).await,
        };
        match holder {
            Ok(Some(code)) if Some(&code.id) != own_id.as_ref() => {
                plan.diagnostics.extend(name_taken(&name, &code.id));
            }
            Ok(_) => {}
            Err(error) => plan
                .diagnostics
                .extend(error.diagnostics(&format!("check whether the name {name:?} is free"))),
        }
    }

    async fn create(&self, request: CreateRequest) -> ApplyResult {
        match self.create_code(&request.planned_state).await {
            Ok(code) => applied(&code, &request.planned_state),
            Err(diagnostics) => ApplyResult {
                diagnostics,
                ..ApplyResult::default()
            },
        }
    }

    async fn read(&self, request: ReadRequest) -> ReadResult {
        let mut result = ReadResult {
            new_state: Some(request.current_state.clone()),
            new_identity: request.current_identity.clone(),
            ..ReadResult::default()
        };
        let Some(id) = attr_str(&request.current_state, "id").map(str::to_owned) else {
            result.diagnostics.error(
                "Wrap-up code state has no ID",
                "The state of this genesyscloud_routing_wrapupcode has no `id`; remove it with \
                 `terraform state rm` and import the code again.",
            );
            return result;
        };
        let codes = match self.api.wrapup_codes().await {
            Ok(codes) => codes,
            Err(error) => {
                result.diagnostics = error.diagnostics("read the wrap-up code");
                return result;
            }
        };
        match codes.read(&id).await {
            Ok(Some(code)) => {
                result.new_state = Some(state_of(&code, Some(&request.current_state)));
                result.new_identity = Some(identity_of(&code.id));
            }
            Ok(None) => {
                tracing::info!(%id, "wrap-up code is gone from the platform; dropping it from state");
                result.new_state = None;
                result.new_identity = None;
            }
            Err(error) => {
                result.diagnostics = error.diagnostics(&format!("read wrap-up code {id}"))
            }
        }
        result
    }

    async fn update(&self, request: UpdateRequest) -> ApplyResult {
        match self
            .update_code(&request.prior_state, &request.planned_state)
            .await
        {
            Ok(code) => applied(&code, &request.planned_state),
            // The code is as it was: state keeps the prior values.
            Err(diagnostics) => ApplyResult {
                new_state: Some(request.prior_state.clone()),
                new_identity: request.planned_identity.clone(),
                diagnostics,
                ..ApplyResult::default()
            },
        }
    }

    async fn delete(&self, request: DeleteRequest) -> Diagnostics {
        let Some(id) = attr_str(&request.prior_state, "id").map(str::to_owned) else {
            return Diagnostics::default();
        };
        let codes = match self.api.wrapup_codes().await {
            Ok(codes) => codes,
            Err(error) => return error.diagnostics("delete the wrap-up code"),
        };
        match codes.api().delete(&id).await {
            Ok(existed) => {
                if !existed {
                    tracing::info!(%id, "wrap-up code was already deleted");
                }
                codes.forget(&id).await;
                Diagnostics::default()
            }
            Err(error) => error.diagnostics(&format!("delete wrap-up code {id}")),
        }
    }

    /// Version 0 is the official provider's first schema: the same four attributes.
    async fn upgrade_state(&self, version: i64, raw_json: &[u8]) -> Result<Value, Diagnostics> {
        let mut diagnostics = Diagnostics::default();
        if version != 0 {
            diagnostics.error(
                "Unsupported wrap-up code state version",
                format!("Cannot upgrade {TYPE_NAME} state from schema version {version}."),
            );
            return Err(diagnostics);
        }
        let raw: serde_json::Map<String, serde_json::Value> = match serde_json::from_slice(raw_json)
        {
            Ok(raw) => raw,
            Err(error) => {
                diagnostics.error(
                    "Unreadable wrap-up code state",
                    format!("The stored state is not a JSON object: {error}."),
                );
                return Err(diagnostics);
            }
        };
        let text = |name: &str| string_or_null(raw.get(name).and_then(|value| value.as_str()));
        Ok(object([
            ("id", text("id")),
            ("name", text("name")),
            ("division_id", text("division_id")),
            ("description", text("description")),
        ]))
    }

    async fn import(&self, request: ImportRequest) -> ImportResult {
        let mut result = ImportResult::default();
        let id = match (&request.id, &request.identity) {
            (Some(id), _) if !id.is_empty() => self.resolve_import_id(id).await,
            (_, Some(identity)) => match attr_str(identity, "id") {
                Some(id) if is_uuid(id) => Ok(id.to_owned()),
                other => Err(import_error(format!(
                    "The identity's `id` must be a wrap-up code UUID, got {other:?}."
                ))),
            },
            _ => Err(import_error(
                "Give an ID, `name:<exact name>`, or an identity.".into(),
            )),
        };
        match id {
            Ok(id) => result.imported.push(ImportedResource {
                state: object([
                    ("id", Value::String(id.clone())),
                    ("name", Value::Null),
                    ("division_id", Value::Null),
                    ("description", Value::Null),
                ]),
                private: Vec::new(),
                identity: Some(identity_of(&id)),
            }),
            Err(diagnostics) => result.diagnostics = diagnostics,
        }
        result
    }
}

/// The result of a create or update that left `code` on the platform.
fn applied(code: &WrapupCode, planned: &Value) -> ApplyResult {
    ApplyResult {
        new_state: Some(state_of(code, Some(planned))),
        new_identity: Some(identity_of(&code.id)),
        ..ApplyResult::default()
    }
}

impl RoutingWrapupCode {
    /// Creates the planned code (never twice) and remembers it for later reads.
    async fn create_code(&self, planned: &Value) -> Result<WrapupCode, Diagnostics> {
        let input = input_from(planned)?;
        let codes = self
            .api
            .wrapup_codes()
            .await
            .map_err(|error| error.diagnostics("create the wrap-up code"))?;
        match create_safely(codes.api(), &input).await {
            Ok(code) => {
                codes.remember(code.clone()).await;
                Ok(code)
            }
            Err(CreateFailure::NameTaken(id)) => Err(name_taken(&input.name, &id)),
            Err(CreateFailure::Platform(error)) => {
                let action = format!("create wrap-up code {:?}", input.name);
                Err(write_failure(&error, &action, &input))
            }
        }
    }

    /// Updates the code in `prior` to the planned values in place.
    async fn update_code(&self, prior: &Value, planned: &Value) -> Result<WrapupCode, Diagnostics> {
        let Some(id) = attr_str(prior, "id").map(str::to_owned) else {
            let mut diagnostics = Diagnostics::default();
            diagnostics.error(
                "Wrap-up code state has no ID",
                "Cannot update a code without its ID.",
            );
            return Err(diagnostics);
        };
        let input = input_from(planned)?;
        let codes = self
            .api
            .wrapup_codes()
            .await
            .map_err(|error| error.diagnostics("update the wrap-up code"))?;
        let action = format!("update wrap-up code {id}");
        match codes.api().update(&id, &input).await {
            Ok(code) => {
                codes.remember(code.clone()).await;
                Ok(code)
            }
            Err(PlatformError::NotFound(_)) => {
                codes.forget(&id).await;
                let mut diagnostics = Diagnostics::default();
                diagnostics.error(
                    "Wrap-up code was deleted outside Terraform",
                    format!(
                        "Wrap-up code {id} no longer exists, so it cannot be updated. Run \
                         `terraform apply` again: the refresh will notice and plan to create it."
                    ),
                );
                Err(diagnostics)
            }
            Err(PlatformError::Conflict(failure)) => {
                match find_holder(codes.api(), &input.name).await.ok().flatten() {
                    Some(code) => Err(name_taken(&input.name, &code.id)),
                    None => Err(PlatformError::Conflict(failure).diagnostics(&action)),
                }
            }
            Err(error) => Err(write_failure(&error, &action, &input)),
        }
    }
}
