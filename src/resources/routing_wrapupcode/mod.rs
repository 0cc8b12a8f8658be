//! `genesyscloud_routing_wrapupcode`: a wrap-up code agents pick after an interaction.
//!
//! Same attribute names, ID (the code's UUID) and schema version as the official provider, so
//! existing state moves over. Choices worth knowing:
//! - `description`: the platform does not tell an empty description from none, so neither
//!   does the resource: `description` is optional and computed, and plan and state hold `""`
//!   for "no description" whether the configuration omits it, sets it to `null` or to `""`.
//!   Switching between those forms plans no change (Terraform only lets a provider keep the
//!   prior value for a configured attribute when that value is not null, hence `""`). The
//!   text is kept as given, surrounding spaces included: neither the platform nor the
//!   official provider trims it. `terraform query` generates the omitted form; an `import`
//!   block's generated configuration says `description = ""`.
//! - `division_id`: optional and computed; `*` means all divisions. Unset, the platform
//!   chooses (the home division, or `*`): the create plan says "known after apply" instead of
//!   guessing, state records the choice and later plans keep it. Changing it moves the code in
//!   place (PUT), as the platform allows; removing it from the configuration leaves the code
//!   where it is.
//! - Create is safe to retry: the name is checked free before the POST, and if the POST's
//!   answer is lost the code is found by name and adopted instead of created twice.
//! - Import by ID, by `name:<exact name>`, or by identity `{ id }`.
//!
//! Here: the resource's CRUD, plan and upgrade. Beside it: `schema` (schema, validation,
//! state; also used by the data source and list resource), `safe_create` and `import`.

use std::sync::Arc;

use async_trait::async_trait;

use super::support::{PlatformError, WrapupCodeFields, WrapupCodeRecord, is_uuid};
use crate::platform::{NameClaim, WrapupCodeCatalogView};
use crate::resources::support::PlatformDiagnostics;
use tfplugin_framework::CancellationToken;
use tfplugin_framework::attr_path;
use tfplugin_framework::cty::Value;
use tfplugin_framework::{
    ApplyResponse, CreateRequest, DeleteRequest, Diagnostics, IdentitySchema, ImportRequest,
    ImportResult, ImportedResource, Model, PlanRequest, PlanResponse, ReadRequest, ReadResponse,
    Resource, Schema, TfValue, UpdateRequest,
};

mod import;
mod model;
mod ownership;
mod safe_create;
mod schema;

#[cfg(test)]
mod fake;
#[cfg(test)]
mod tests;

use import::import_error;
pub use model::{WrapupCodeIdentity, WrapupCodeModel};
use ownership::{adopt_planned, duplicate_name, held_name, name_taken, not_adopted};
use safe_create::{CreateFailure, create_safely, find_holder};
pub use schema::{
    IMPORT_BY_NAME_PREFIX, NAME_MAX_CHARS, SCHEMA_VERSION, TYPE_NAME, identity_of, identity_schema,
    name_problem, resource_schema, state_of, validate_division_id, validate_name_and_division,
};

/// The managed resource.
pub struct RoutingWrapupCode {
    api: WrapupCodeCatalogView,
}

impl RoutingWrapupCode {
    /// The resource, reaching the platform through the provider's wrap-up code view.
    pub fn new(api: WrapupCodeCatalogView) -> Arc<Self> {
        Arc::new(RoutingWrapupCode { api })
    }
}

/// What create and update send, read from the planned state.
fn input_from(planned: &WrapupCodeModel) -> Result<WrapupCodeFields, Diagnostics> {
    let Some(name) = planned.name.as_str() else {
        let mut diagnostics = Diagnostics::default();
        diagnostics.attribute_error(
            attr_path!(WrapupCodeModel.name),
            "Wrap-up code name is not known",
            "The planned name is null or unknown at apply time; this is a bug in the provider.",
        );
        return Err(diagnostics);
    };
    Ok(WrapupCodeFields {
        name: name.to_owned(),
        division_id: planned.division_id.as_str().map(str::to_owned),
        description: planned
            .description
            .as_str()
            .filter(|text| !text.is_empty())
            .map(str::to_owned),
    })
}

/// Diagnostics for a failed create or update. A refusal (400) about the division sent (a
/// division that does not exist or that these credentials cannot use) points at
/// `division_id` rather than at the whole resource. That is decided by the ErrorBody's field
/// information, entity and code; its message text counts only when the body has no code, so a
/// message that merely mentions a division blames nothing.
fn write_failure(error: &PlatformError, action: &str, input: &WrapupCodeFields) -> Diagnostics {
    let mut diagnostics = error.diagnostics(action);
    let about_division = match (error, input.division_id.as_deref()) {
        (PlatformError::Invalid(failure), Some(division)) => {
            failure.concerns("division", Some(division))
        }
        _ => false,
    };
    if about_division {
        for diagnostic in &mut diagnostics.0 {
            diagnostic
                .attribute
                .get_or_insert_with(|| attr_path!(WrapupCodeModel.division_id));
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
        if let Some(config) = WrapupCodeModel::read(config, &mut diagnostics) {
            validate_name_and_division(&config, &mut diagnostics);
        }
        diagnostics
    }

    async fn modify_plan(&self, request: &PlanRequest, plan: &mut PlanResponse) {
        let diagnostics = &mut plan.diagnostics;
        let Some(mut planned) = WrapupCodeModel::read(&plan.planned_state, diagnostics) else {
            return;
        };
        let Some(config) = WrapupCodeModel::read(&request.config, diagnostics) else {
            return;
        };
        let prior = match &request.prior_state {
            Some(prior) => match WrapupCodeModel::read(prior, diagnostics) {
                Some(prior) => Some(prior),
                None => return,
            },
            None => None,
        };
        // Creating, the identity is not known yet and is left null: Terraform 1.15 cannot render
        // a plan whose identity holds unknowns (`terraform show -json` fails on it).
        let own_id = match &prior {
            None => {
                plan.planned_identity = None;
                None
            }
            Some(prior) => {
                let id = prior.id.clone().into_known();
                if let Some(id) = &id {
                    plan.planned_identity = Some(identity_of(id));
                }
                id
            }
        };
        // "No description" has one form, `""`, so omitted, `null` and `""` never differ. A
        // prior null (state from before that rule, not yet refreshed) stays null while the
        // configuration omits it.
        if config.description.is_null() {
            let prior_null = prior
                .as_ref()
                .is_some_and(|prior| prior.description.is_null());
            let form = if prior_null {
                TfValue::Null
            } else {
                TfValue::Known(String::new())
            };
            if planned.description != form {
                planned.description = form;
                plan.planned_state = planned.to_value();
            }
        }
        // Creating with `division_id` unset, the platform chooses the division (the home
        // division, or `*` for all divisions, as the official provider's schema says): the
        // plan leaves it "known after apply" (Terraform's default for a computed attribute)
        // rather than guess, and state records what the platform chose.
        let creating = prior.is_none();
        let prior_name = prior.and_then(|prior| prior.name.into_known());
        let renaming = planned
            .name
            .clone()
            .into_known()
            .filter(|name| Some(name) != prior_name.as_ref());
        // Every planned name is claimed for this run (all plans of one run reach this
        // process): two resources with one name could never both exist.
        if let Some(name) = planned.name.as_str()
            && let Ok(codes) = self.api.get().await
        {
            let rivals = codes.claim_name(NameClaim {
                name: name.to_owned(),
                id: own_id.clone(),
            });
            if !rivals.is_empty() {
                let stored = codes.api().name_holder(name).await.ok().flatten();
                plan.diagnostics
                    .extend(duplicate_name(name, &rivals, stored.as_ref()));
                return;
            }
        }
        // The name must be free when creating or renaming: fail at plan time, not half-way
        // through an apply.
        let Some(name) = renaming else {
            return;
        };
        let codes = match self.api.get().await {
            Ok(codes) => codes,
            Err(error) => {
                plan.diagnostics
                    .extend(error.diagnostics("plan the wrap-up code"));
                return;
            }
        };
        // One listing per process serves every name check; a holder is confirmed by ID.
        let holder = codes.api().name_holder(&name).await;
        match holder {
            Ok(Some(code)) if Some(&code.id) != own_id.as_ref() => {
                // Another resource may have claimed the name while the holder was looked up.
                let rivals = codes.rivals(&name, own_id.as_deref());
                if !rivals.is_empty() {
                    plan.diagnostics
                        .extend(duplicate_name(&name, &rivals, Some(&code)));
                    return;
                }
                match held_name(&codes, &planned, code, creating).await {
                    Ok((adopted, warning)) => {
                        planned.id = TfValue::Known(adopted.id);
                        planned.division_id = adopted.division_id.into();
                        plan.planned_state = planned.to_value();
                        plan.diagnostics.extend(warning);
                    }
                    Err(diagnostics) => plan.diagnostics.extend(diagnostics),
                }
            }
            Ok(_) => {}
            Err(error) => plan
                .diagnostics
                .extend(error.diagnostics(&format!("check whether the name {name:?} is free"))),
        }
    }

    async fn create(&self, request: CreateRequest, response: &mut ApplyResponse) {
        let Some(planned) =
            WrapupCodeModel::read(&request.planned_state, &mut response.diagnostics)
        else {
            return;
        };
        match self.create_code(&planned, &request.cancel).await {
            Ok((code, warnings)) => {
                applied(&code, &planned, response);
                response.diagnostics.extend(warnings);
            }
            Err(diagnostics) => response.diagnostics.extend(diagnostics),
        }
    }

    async fn read(&self, request: ReadRequest, response: &mut ReadResponse) {
        let Some(current) =
            WrapupCodeModel::read(&request.current_state, &mut response.diagnostics)
        else {
            return;
        };
        let Some(id) = current.id.clone().into_known() else {
            response.diagnostics.error(
                "Wrap-up code state has no ID",
                "The state of this genesyscloud_routing_wrapupcode has no `id`; remove it with \
                 `terraform state rm` and import the code again.",
            );
            return;
        };
        let codes = match self.api.get().await {
            Ok(codes) => codes,
            Err(error) => {
                response.diagnostics = error.diagnostics("read the wrap-up code");
                return;
            }
        };
        codes.note_managed(&id);
        // A listed entry that differs from state is confirmed with a GET: no false drift.
        let in_state = |code: &WrapupCodeRecord| state_of(code, Some(&current)) == current;
        match codes.read_checked(&id, in_state).await {
            Ok(Some(code)) => {
                response.new_state = resource_state(&code).to_value();
                response.new_identity = Some(identity_of(&code.id));
            }
            Ok(None) => {
                tracing::info!(%id, "wrap-up code is gone from the platform; dropping it from state");
                response.remove();
            }
            Err(error) => {
                response.diagnostics = error.diagnostics(&format!("read wrap-up code {id}"))
            }
        }
    }

    async fn update(&self, request: UpdateRequest, response: &mut ApplyResponse) {
        let (Some(prior), Some(planned)) = (
            WrapupCodeModel::read(&request.prior_state, &mut response.diagnostics),
            WrapupCodeModel::read(&request.planned_state, &mut response.diagnostics),
        ) else {
            return;
        };
        match self.update_code(&prior, &planned).await {
            Ok(code) => applied(&code, &planned, response),
            // The code is as it was: state keeps the prior values.
            Err(diagnostics) => response.diagnostics.extend(diagnostics),
        }
    }

    async fn delete(&self, request: DeleteRequest) -> Diagnostics {
        let mut diagnostics = Diagnostics::default();
        let Some(prior) = WrapupCodeModel::read(&request.prior_state, &mut diagnostics) else {
            return diagnostics;
        };
        let Some(id) = prior.id.into_known() else {
            return diagnostics;
        };
        let codes = match self.api.get().await {
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
        // Version 0 holds the same string attributes: keep the strings, null anything else,
        // and drop what the schema no longer has.
        let strings = raw.into_iter().map(|(name, value)| match value {
            serde_json::Value::String(text) => (name, Value::String(text)),
            _ => (name, Value::Null),
        });
        WrapupCodeModel::from_value(&Value::object(strings)).map(|model| model.to_value())
    }

    async fn import(&self, request: ImportRequest) -> ImportResult {
        let mut result = ImportResult::default();
        let id = match (&request.id, &request.identity) {
            (Some(id), _) if !id.is_empty() => self.resolve_import_id(id).await,
            (_, Some(identity)) => match WrapupCodeIdentity::from_value(identity)
                .ok()
                .and_then(|identity| identity.id.into_known())
                .as_deref()
            {
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
                state: WrapupCodeModel {
                    id: TfValue::Known(id.clone()),
                    ..WrapupCodeModel::default()
                }
                .to_value(),
                private: Vec::new(),
                identity: Some(identity_of(&id)),
            }),
            Err(diagnostics) => result.diagnostics = diagnostics,
        }
        result
    }
}

/// The resource's state for a code: as the data source's, but "no description" is always
/// `""` (see the module doc).
fn resource_state(code: &WrapupCodeRecord) -> WrapupCodeModel {
    let mut state = state_of(code, None);
    if state.description.is_null() {
        state.description = TfValue::Known(String::new());
    }
    state
}

/// Records a create or update that left `code` on the platform. A planned null description
/// (see `modify_plan`) stays null when the platform holds none.
fn applied(code: &WrapupCodeRecord, planned: &WrapupCodeModel, response: &mut ApplyResponse) {
    let mut state = resource_state(code);
    if planned.description.is_null() && code.description.is_none() {
        state.description = TfValue::Null;
    }
    response.new_state = state.to_value();
    response.new_identity = Some(identity_of(&code.id));
}

impl RoutingWrapupCode {
    /// Creates the planned code (never twice) and remembers it for later reads; or, when the
    /// plan adopted an existing code (its `id` is known), takes that one over. Warnings (an
    /// adoption decided only now) come with the code.
    async fn create_code(
        &self,
        planned: &WrapupCodeModel,
        cancel: &CancellationToken,
    ) -> Result<(WrapupCodeRecord, Diagnostics), Diagnostics> {
        let input = input_from(planned)?;
        let codes = self
            .api
            .get()
            .await
            .map_err(|error| error.diagnostics("create the wrap-up code"))?;
        if let Some(id) = planned.id.as_str() {
            let code = adopt_planned(&codes, id, &input).await?;
            return Ok((code, Diagnostics::default()));
        }
        match create_safely(
            codes.api(),
            &input,
            codes.policy().writer.as_deref(),
            codes.lag_waits(),
            cancel,
        )
        .await
        {
            Ok(code) => {
                codes.remember(code.clone()).await;
                Ok((code, Diagnostics::default()))
            }
            Err(CreateFailure::NameTaken(code)) => held_name(&codes, planned, *code, true).await,
            Err(CreateFailure::NotOurs { code, why }) => Err(not_adopted(&code, &why)),
            Err(CreateFailure::Platform(error)) => {
                let action = format!("create wrap-up code {:?}", input.name);
                Err(write_failure(&error, &action, &input))
            }
        }
    }

    /// Updates the code in `prior` to the planned values in place.
    async fn update_code(
        &self,
        prior: &WrapupCodeModel,
        planned: &WrapupCodeModel,
    ) -> Result<WrapupCodeRecord, Diagnostics> {
        let Some(id) = prior.id.clone().into_known() else {
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
            .get()
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
                    Some(code) => {
                        let managed = codes.is_managed(&code.id);
                        Err(name_taken(&input.name, &code, false, managed))
                    }
                    None => Err(PlatformError::Conflict(failure).diagnostics(&action)),
                }
            }
            Err(error) => Err(write_failure(&error, &action, &input)),
        }
    }
}
